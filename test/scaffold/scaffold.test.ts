import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../cli/run-cli.js';
import { buildPackage, inBatches, scratchDir, testPackages, type PackageTests } from './scaffold-workspace.js';

// Every template, as a user gets it: `cnmcp create`, build, its own tests, then loaded by `cnmcp serve` through
// `plugins: [./path]` and driven with the MCP SDK client.
interface Case {
  readonly kind: string;
  readonly name: string;
  readonly create: readonly string[];
}

const CASES: readonly Case[] = [{ kind: 'tool-pack', name: 'word-pack', create: ['create', 'tool-pack', 'word-pack'] }];

const scratch = scratchDir();
const dirOf = (c: Case) => join(scratch.dir, c.name);
let tests: PackageTests;

beforeAll(async () => {
  for (const c of CASES) {
    const { code, stderr } = await runCli([...c.create, '--dir', dirOf(c)], { cwd: scratch.dir });
    if (code !== 0) throw new Error(`cnmcp create ${c.kind} exited ${code}: ${stderr}`);
  }
  await inBatches(CASES, 2, (c) => buildPackage(dirOf(c)));
  tests = await testPackages(scratch.dir, CASES.map(dirOf));
}, 600_000);

afterAll(() => scratch.remove());

async function serve(name: string, config: Record<string, unknown>) {
  const file = join(scratch.dir, `${name}.config.json`);
  writeFileSync(file, JSON.stringify({ server: { listen: '127.0.0.1:0' }, ...config }));
  const { child, match } = await startCli(['serve', '--config', file], /serving MCP at (https?:\/\/127\.0\.0\.1:\d+\/mcp)/);
  return {
    url: new URL(match[1]!),
    async stop() {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    },
  };
}

async function connect(url: URL, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'scaffold-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}

describe('scaffolded packages', () => {
  it('build with tsc and pass their own tests', () => {
    expect(tests.failed).toBe(0);
    for (const c of CASES) expect(tests.passed.get(dirOf(c)), c.kind).toBeGreaterThanOrEqual(2);
  });

  it('tool-pack: cnmcp serve loads it through plugins: [./path] and its example tool answers', async () => {
    const server = await serve('word-pack', { plugins: ['./word-pack'], toolPacks: [{ use: 'word-pack', maxTextLength: 200 }] });
    const client = await connect(server.url);
    try {
      const result = await client.callTool({ name: 'word_pack_count_words', arguments: { text: 'to be or not to be', top: 2 } });
      expect(result.structuredContent).toEqual({
        words: 6,
        distinct: 4,
        top: [
          { word: 'be', count: 2 },
          { word: 'to', count: 2 },
        ],
      });
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
