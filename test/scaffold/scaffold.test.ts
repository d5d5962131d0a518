import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../cli/run-cli.js';
import { buildPackage, inBatches, scratchDir, testPackages, type PackageTests } from './scaffold-workspace.js';
import { writeSelfSignedCertificate } from '../support/test-pki.js';

// Every template, as a user gets it: `cnmcp create`, build, its own tests, then loaded by `cnmcp serve` through
// `plugins: [./path]` and driven with the MCP SDK client.
interface Case {
  readonly kind: string;
  readonly name: string;
  readonly create: readonly string[];
}

const plugin = (kind: string, name: string): Case => ({ kind, name, create: ['create', 'plugin', '--kind', kind, name] });

const CASES: readonly Case[] = [
  { kind: 'tool-pack', name: 'word-pack', create: ['create', 'tool-pack', 'word-pack'] },
  plugin('auth', 'team-token'),
  plugin('authorizer', 'role-gate'),
  plugin('secret-store', 'vault-lite'),
  plugin('sanitizer', 'word-filter'),
  plugin('audit-sink', 'audit-copy'),
  plugin('tls', 'pem-tls'),
  plugin('rate-limit-store', 'window-store'),
];

const SERVE_TIMEOUT = 240_000;
const scratch = scratchDir();
const dirOf = (c: Case) => join(scratch.dir, c.name);
let tests: PackageTests;

beforeAll(async () => {
  for (const c of CASES) {
    const { code, stderr } = await runCli([...c.create, '--dir', dirOf(c)], { cwd: scratch.dir, timeoutMs: 120_000 });
    if (code !== 0) throw new Error(`cnmcp create ${c.kind} exited ${code}: ${stderr}`);
  }
  await inBatches(CASES, 2, (c) => buildPackage(dirOf(c)));
  tests = await testPackages(scratch.dir, CASES.map(dirOf));
}, 900_000);

afterAll(() => scratch.remove());

/** `cnmcp serve --config <scratch>/<name>.config.json`; paths in the config are relative to the scratch directory. */
async function serve(name: string, config: Record<string, unknown>) {
  const file = join(scratch.dir, `${name}.config.json`);
  writeFileSync(file, JSON.stringify({ server: { listen: '127.0.0.1:0' }, ...config }));
  const { child, match } = await startCli(['serve', '--config', file], /serving MCP at (https?:\/\/127\.0\.0\.1:\d+\/mcp)/, { timeoutMs: 120_000 });
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

/** Connects, runs `fn`, then closes the client and stops the server whatever happened. */
async function withServer(name: string, config: Record<string, unknown>, fn: (url: URL) => Promise<void>): Promise<void> {
  const server = await serve(name, config);
  try {
    await fn(server.url);
  } finally {
    await server.stop();
  }
}

async function withClient<T>(url: URL, headers: Record<string, string>, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connect(url, headers);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

describe('scaffolded packages', () => {
  it('build with tsc and pass their own tests', () => {
    expect(tests.failed).toBe(0);
    for (const c of CASES) expect(tests.passed.get(dirOf(c)), c.kind).toBeGreaterThanOrEqual(2);
  });

  it(
    'tool-pack: cnmcp serve loads it through plugins: [./path] and its example tool answers',
    () =>
      withServer('word-pack', { plugins: ['./word-pack'], toolPacks: [{ use: 'word-pack', maxTextLength: 200 }] }, (url) =>
        withClient(url, {}, async (client) => {
          const result = await client.callTool({ name: 'word_pack_count_words', arguments: { text: 'to be or not to be', top: 2 } });
          expect(result.structuredContent).toEqual({
            words: 6,
            distinct: 4,
            top: [
              { word: 'be', count: 2 },
              { word: 'to', count: 2 },
            ],
          });
        }),
      ),
    SERVE_TIMEOUT,
  );

  it(
    'auth: its strategy lets a known token in and answers 401 to a wrong one',
    async () => {
      const token = 'team-token-0123456789abcdef';
      const config = {
        plugins: ['./team-token'],
        auth: [{ use: 'team-token', tokens: [{ id: 'ops', token, roles: ['admin'] }] }],
        authorization: { use: 'allow-all' },
        toolPacks: [{ use: 'utilities' }],
      };
      await withServer('team-token', config, async (url) => {
        const result = await withClient(url, { 'x-team-token-token': token }, (client) => client.callTool({ name: 'utilities_get_timestamp', arguments: {} }));
        expect(result.isError).toBeFalsy();
        await expect(connect(url, { 'x-team-token-token': 'wrong-token-0123456789' })).rejects.toThrow(/401|nauthori/);
      });
    },
    SERVE_TIMEOUT,
  );

  it(
    'authorizer: anonymous callers see and call only read-only tools',
    async () => {
      writeFileSync(
        join(scratch.dir, 'danger-pack.mjs'),
        `import { definePlugin } from '@cnmcp/core/plugin';
export default definePlugin({ kind: 'tool-pack', name: 'danger', configSchema: { type: 'object' }, async setup() {
  return { tools: [{ name: 'danger_delete_everything', description: 'Deletes everything.', inputSchema: { type: 'object' },
    annotations: { readOnlyHint: false, destructiveHint: true }, handler: async () => ({ content: [{ type: 'text', text: 'deleted' }] }) }] };
} });\n`,
      );
      const config = {
        plugins: ['./role-gate', './danger-pack.mjs'],
        authorization: { use: 'role-gate' },
        toolPacks: [{ use: 'utilities' }, { use: 'danger' }],
      };
      await withServer('role-gate', config, (url) =>
        withClient(url, {}, async (client) => {
          const names = (await client.listTools()).tools.map((t) => t.name);
          expect(names).toContain('utilities_get_time');
          expect(names).not.toContain('danger_delete_everything');
          await expect(client.callTool({ name: 'danger_delete_everything', arguments: {} })).rejects.toThrow(/not permitted/);
        }),
      );
    },
    SERVE_TIMEOUT,
  );

  it(
    'secret-store: ${secret:NAME} in the apikey config resolves through it',
    async () => {
      const key = 'Ops-Key_0123456789abcdefXYZ';
      const config = {
        plugins: ['./vault-lite'],
        secrets: { use: 'vault-lite', initial: { 'ops-key': key } },
        auth: [{ use: 'apikey', keys: [{ id: 'ops', key: '${secret:ops-key}', roles: ['admin'] }] }],
        authorization: { use: 'allow-all' },
        toolPacks: [{ use: 'utilities' }],
      };
      await withServer('vault-lite', config, async (url) => {
        const result = await withClient(url, { 'x-api-key': key }, (client) => client.callTool({ name: 'utilities_get_timestamp', arguments: {} }));
        expect(result.isError).toBeFalsy();
        await expect(connect(url, { 'x-api-key': 'Wrong-Key_0123456789abcdefXYZ' })).rejects.toThrow(/401|nauthori/);
      });
    },
    SERVE_TIMEOUT,
  );

  it(
    'sanitizer: a denied argument is rejected before the tool runs',
    () =>
      withServer(
        'word-filter',
        { plugins: ['./word-filter'], sanitize: { use: 'word-filter', denyPatterns: ['forbidden'] }, toolPacks: [{ use: 'utilities' }] },
        (url) =>
          withClient(url, {}, async (client) => {
            // A refused argument is a tool error naming the field (since tool input errors became tool results).
            const refused = await client.callTool({ name: 'utilities_get_time', arguments: { timezone: 'Forbidden/Zone' } });
            expect(refused.isError).toBe(true);
            expect(JSON.stringify(refused.content)).toMatch(/deny pattern/);
            expect((await client.callTool({ name: 'utilities_get_time', arguments: { timezone: 'UTC' } })).isError).toBeFalsy();
          }),
      ),
    SERVE_TIMEOUT,
  );

  it(
    'audit-sink: the tool call is in its file after a clean stop',
    async () => {
      const path = join(scratch.dir, 'audit-copy.jsonl');
      await withServer('audit-copy', { plugins: ['./audit-copy'], audit: [{ use: 'audit-copy', path }], toolPacks: [{ use: 'utilities' }] }, (url) =>
        withClient(url, {}, async (client) => {
          await client.callTool({ name: 'utilities_get_timestamp', arguments: {} });
        }),
      );
      const events = readFileSync(path, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; tool?: string; outcome: string });
      expect(events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'tool.call', tool: 'utilities_get_timestamp', outcome: 'success' })]));
    },
    SERVE_TIMEOUT,
  );

  it(
    'tls: the server speaks HTTPS with its certificate, and a client trusting it calls a tool',
    async () => {
      const certFile = join(scratch.dir, 'tls.crt');
      const keyFile = join(scratch.dir, 'tls.key');
      await writeSelfSignedCertificate({ certPath: certFile, keyPath: keyFile }, 'localhost');
      await withServer('pem-tls', { plugins: ['./pem-tls'], tls: { use: 'pem-tls', certFile, keyFile }, toolPacks: [{ use: 'utilities' }] }, async (url) => {
        expect(url.protocol).toBe('https:');
        const script = new URL('./call-tool.mjs', import.meta.url).pathname;
        const { stdout } = await promisify(execFile)(process.execPath, [script, url.href, 'utilities_get_timestamp', '{}'], {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile },
          timeout: 60_000,
        });
        expect(JSON.parse(stdout)).toMatchObject({ structuredContent: { seconds: expect.any(Number) } });
        // Without trusting the certificate, the same client refuses the connection.
        await expect(connect(url)).rejects.toThrow();
      });
    },
    SERVE_TIMEOUT,
  );

  it(
    'rate-limit-store: its counts make the server refuse a client past perIp',
    () =>
      withServer(
        'window-store',
        {
          plugins: ['./window-store'],
          rateLimit: { use: 'window-store' },
          limits: { perIp: { points: 4, durationSeconds: 60 } },
          toolPacks: [{ use: 'utilities' }],
        },
        (url) =>
          withClient(url, {}, async (client) => {
            let answered = 0;
            let refusal: unknown;
            for (let i = 0; i < 5 && refusal === undefined; i++) {
              try {
                await client.callTool({ name: 'utilities_get_timestamp', arguments: {} });
                answered++;
              } catch (error) {
                refusal = error;
              }
            }
            expect(answered).toBeGreaterThanOrEqual(1);
            expect(answered).toBeLessThan(4);
            expect(String(refusal)).toMatch(/429|rate|Too Many/i);
          }),
      ),
    SERVE_TIMEOUT,
  );
});
