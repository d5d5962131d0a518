import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { REPO } from './workspaces.js';

// docs/writing-a-plugin.md: `.ts` config files and plugin modules load on every supported Node, 20 included (which
// cannot run TypeScript itself), with no typescript package installed beside the server. The built CLI runs them,
// outside vitest's own TypeScript transform.
const dir = mkdtempSync(join(REPO, '.cnmcp-test-ts-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'hello-pack.ts'),
  `import { definePlugin, type ToolDefinition } from '@cnmcp/core/plugin';

interface HelloConfig { greeting: string }
type GreetArgs = { name: string };

const greet = (config: HelloConfig): ToolDefinition<GreetArgs> => ({
  name: 'hello_greet_person',
  description: 'Greets a person.',
  inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async ({ name }: GreetArgs) => ({ content: [{ type: 'text', text: \`\${config.greeting}, \${name}\` }] }),
});

export default definePlugin({
  kind: 'tool-pack',
  name: 'hello',
  configSchema: { type: 'object', properties: { greeting: { type: 'string', default: 'Hello' } }, additionalProperties: false },
  async setup({ config }) {
    return { tools: [greet(config as HelloConfig)] };
  },
});
`,
);

describe('.ts modules on Node 20', { timeout: 180_000 }, () => {
  it('a .ts plugin module selected by ./path from a YAML config', async () => {
    writeFileSync(join(dir, 'cnmcp.config.yaml'), 'toolPacks:\n  - use: ./hello-pack.ts\n');
    const { code, stdout, stderr } = await runCli(['tools', 'list', '--config', join(dir, 'cnmcp.config.yaml')], { timeoutMs: 120_000 });
    expect(stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
    expect(code).toBe(0);
    expect(stdout).toContain('hello_greet_person');
  });

  it('a cnmcp.config.ts that selects it', async () => {
    writeFileSync(
      join(dir, 'cnmcp.config.ts'),
      `const toolPacks: { use: string; greeting?: string }[] = [{ use: './hello-pack.ts', greeting: 'Hi' }];\nexport default { toolPacks };\n`,
    );
    const { code, stdout } = await runCli(['tools', 'list', '--config', join(dir, 'cnmcp.config.ts')], { timeoutMs: 120_000 });
    expect(code).toBe(0);
    expect(stdout).toContain('hello_greet_person');
  });
});
