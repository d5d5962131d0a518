import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { generateApiKey, Kernel } from '@cnmcp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { eventually, fileStoreSetup, lastLine, listStatus } from './support.js';

// A full session with known secret values (API keys before and after a rotation, a bearer token and its signing
// key, a stored password used as a `${secret:}` reference, the master key, a literal API key in the config, the
// Redis password inside its URL, the audit HMAC key, a server name read through `${file:}`, values given to a
// config that is refused), with debug logging and a custom API-key header; then every log line, audit event,
// exported span, answer (server info, tool results, refusals) and CLI output (config print, config errors) that
// is not a deliberate reveal is searched for them.

// `$&` and `$'` are replacement patterns to String.replace: the value must still arrive intact (it authenticates).
const DB_PASSWORD = "Db-Password-$&-For-Leak-Test-$'-0123456789!";
const LITERAL_KEY = generateApiKey();
const REDIS_PASSWORD = 'Redis-Password-For-Leak-Test-5f4e3d2c';
const AUDIT_HMAC = 'Audit-Hmac-Key-For-Leak-Test-0123456789abcdef';
const SERVER_NAME = 'Server-Name-From-A-File-9a8b7c6d';
const REFUSED_VALUE = 'Refused-Value-From-Env-1a2b3c4d5e';
const REFUSED_LITERAL = 'Refused-Literal-Hmac-5e6f';
// Not one of the names the logger masks by itself: only the header's role makes its value a credential.
const HEADER = 'x-ops-credential';
// The kernel's own tracing exports here: every span of the session, each stage's included.
const exporter = new InMemorySpanExporter();
let logs = '';
// The kernel's own logger (winston, JSON, debug) writes to console._stderr (process.stderr outside a test runner).
const streams = [...new Set([process.stderr, (console as unknown as { _stderr?: NodeJS.WriteStream })._stderr].filter((s) => s !== undefined))];
const realWrites = streams.map((s) => s.write);

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis({ password: REDIS_PASSWORD });
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logs += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return (realWrites[i] as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
  });
});

afterAll(async () => {
  streams.forEach((stream, i) => (stream.write = realWrites[i]!));
  await redis?.stop();
});

describe('no secret value leaks', () => {
  it('appears in no log line, audit event, span, error or masked CLI output of a whole session', async () => {
    const { dir, configFile, config, env } = fileStoreSetup({
      server: { listen: '127.0.0.1:0' },
      logging: { level: 'debug', format: 'json' },
      audit: [{ use: 'file', path: `${process.cwd()}/.never` }],
      authorization: { use: 'allow-all' },
      auth: [
        {
          use: 'apikey',
          header: HEADER,
          keys: [
            { id: 'ops', secret: 'ops-key', roles: ['admin'] },
            { id: 'legacy', key: '${secret:db-password}', roles: ['viewer'] },
            { id: 'literal', key: LITERAL_KEY, roles: ['viewer'] },
          ],
        },
        { use: 'bearer', signingSecret: 'jwt-signing-key' },
      ],
      toolPacks: [{ use: 'utilities' }],
      rateLimit: { use: 'redis', url: redis.url },
      auditing: { hmacKey: AUDIT_HMAC },
    });
    expect(redis.url).toContain(REDIS_PASSWORD);
    // The audit file lives in the test directory (rewrite the placeholder, the config file included).
    const auditPath = `${dir}/audit.jsonl`;
    (config.audit as { path: string }[])[0]!.path = auditPath;
    writeFileSync(join(dir, 'server-name.txt'), `${SERVER_NAME}\n`);
    config.server = { listen: '127.0.0.1:0', name: `\${file:${join(dir, 'server-name.txt')}}` };
    writeFileSync(configFile, JSON.stringify(config));

    const cliOutputs: string[] = [];
    const cli = async (args: string[], input?: string) => {
      const result = await runCli([...args, '--config', configFile], { env, ...(input !== undefined ? { input } : {}) });
      expect(result.code, result.stderr).toBe(0);
      return result;
    };
    /** Output of a command that prints a value on purpose on its last line: everything else is checked. */
    const revealing = async (args: string[]) => {
      const { stdout, stderr } = await cli(args);
      cliOutputs.push(stdout.trimEnd().split('\n').slice(0, -1).join('\n'), stderr);
      return lastLine(stdout);
    };
    const masked = async (args: string[], input?: string) => {
      const { stdout, stderr } = await cli(args, input);
      cliOutputs.push(stdout, stderr);
    };
    /** A config that is refused: the error names the path and the rule, never the value. */
    const refused = async (args: string[], refusedConfig: Record<string, unknown>, refusedEnv: Record<string, string>) => {
      const file = join(dir, 'refused.config.json');
      writeFileSync(file, JSON.stringify(refusedConfig));
      const { code, stdout, stderr } = await runCli([...args, '--config', file], { env: { ...env, ...refusedEnv } });
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/\/server\/trustedProxies\/0|\/auditing\/hmacKey/);
      cliOutputs.push(stdout, stderr);
    };
    await refused(['config', 'validate'], { server: { trustedProxies: ['${env:PROXY}'] }, auditing: { hmacKey: REFUSED_LITERAL } }, { PROXY: REFUSED_VALUE });
    await refused(['serve'], { server: { listen: '127.0.0.1:0', trustedProxies: ['${env:PROXY}'] } }, { PROXY: REFUSED_VALUE });

    const oldKey = await revealing(['secrets', 'generate', '--type', 'apikey', 'ops-key']);
    await masked(['secrets', 'set', 'db-password'], `${DB_PASSWORD}\n`);
    const token = await revealing(['secrets', 'generate', '--type', 'bearer', 'ci-token', '--subject', 'ci-bot', '--roles', 'viewer']);
    const signingKey = await revealing(['secrets', 'get', 'jwt-signing-key', '--reveal']);
    await masked(['secrets', 'get', 'ops-key']);
    await masked(['secrets', 'list']);

    const kernel = await Kernel.load({ config, env, spanExporter: exporter });
    await kernel.start();
    const url = kernel.url!;
    const answers: string[] = [];
    let newKey = '';
    let spans: ReadableSpan[] = [];
    try {
      const client = new Client({ name: 'leak-test', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { [HEADER]: oldKey } } }));
      answers.push(JSON.stringify(client.getServerVersion()));
      answers.push(JSON.stringify(await client.listTools()));
      for (const input of [DB_PASSWORD, oldKey, LITERAL_KEY, REDIS_PASSWORD]) {
        answers.push(JSON.stringify(await client.callTool({ name: 'utilities_hash', arguments: { input, algorithm: 'sha256' } })));
        answers.push(
          JSON.stringify(await client.callTool({ name: 'utilities_base64', arguments: { operation: 'decode', input: Buffer.from(input).toString('base64') } })),
        );
      }
      await client.close();
      expect(await listStatus(url, { authorization: `Bearer ${token}` })).toBe(200);
      expect(await listStatus(url, { [HEADER]: DB_PASSWORD })).toBe(200); // resolved from ${secret:db-password}, intact
      expect(await listStatus(url, { [HEADER]: LITERAL_KEY })).toBe(200);
      for (const wrong of [`${oldKey}x`, `${DB_PASSWORD}x`, `Bearer-${signingKey}`, `${LITERAL_KEY}x`]) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [HEADER]: wrong }, body: '{}' });
        answers.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
      }

      newKey = await revealing(['secrets', 'rotate', 'ops-key', '--grace', '1h']);
      await eventually(async () => (await listStatus(url, { [HEADER]: newKey })) === 200);
      expect(await listStatus(url, { [HEADER]: oldKey })).toBe(200);
      await masked(['config', 'print']);
      await masked(['config', 'print', '--json']);
      // Read before stop: shutting the tracer down empties the in-memory exporter.
      spans = [...exporter.getFinishedSpans()];
    } finally {
      await kernel.stop();
    }

    // Spans, and the stages recorded as events on them: everything the dump below searches.
    const names = spans.flatMap((s) => [s.name, ...s.events.map((e) => e.name)]);
    for (const name of ['POST /mcp', 'authenticate', 'tools/call utilities_hash', 'validate', 'call', 'audit']) expect(names).toContain(name);
    const exported = JSON.stringify(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links, resource: s.resource.attributes })),
    );
    const audit = readFileSync(auditPath, 'utf8');
    expect(audit).toContain('"secret.rotated"');
    expect(audit).toContain('"tool.call"');
    expect(logs).toContain('API keys reloaded from the secrets store');
    expect(logs).toContain('"entry":"ops-key"');
    expect(logs).toContain(`"${HEADER}":"***"`); // debug request lines were written, the header masked

    const secrets: Record<string, string> = {
      oldKey,
      newKey,
      token,
      signingKey,
      DB_PASSWORD,
      masterKey: env.CNMCP_MASTER_KEY!,
      LITERAL_KEY,
      REDIS_PASSWORD,
      redisPasswordEncoded: encodeURIComponent(REDIS_PASSWORD),
      AUDIT_HMAC,
      SERVER_NAME,
      REFUSED_VALUE,
      REFUSED_LITERAL,
    };
    const places = {
      logs,
      audit,
      spans: exported,
      answers: answers.join('\n'),
      cli: cliOutputs.join('\n'),
      storeFile: readFileSync(`${dir}/secrets.json`, 'utf8'),
    };
    const hits: string[] = [];
    for (const [secretName, value] of Object.entries(secrets)) {
      expect(value.length).toBeGreaterThan(15);
      for (const [place, text] of Object.entries(places)) if (text.includes(value)) hits.push(`${secretName} in ${place}`);
    }
    expect(hits).toEqual([]);
  }, 180_000);
});
