import { readFileSync, writeFileSync } from 'node:fs';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Kernel } from '@cnmcp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { eventually, fileStoreSetup, lastLine, listStatus } from './support.js';

// A full session with known secret values (API keys before and after a rotation, a bearer token and its signing
// key, a stored password used as a `${secret:}` reference, the master key), then every log line, audit event,
// exported span, error answer and CLI output that is not a deliberate reveal is searched for them.

const DB_PASSWORD = 'Db-Password-For-Leak-Test-0123456789!';
// The kernel's own tracing exports here: every span of the session, each stage's included.
const exporter = new InMemorySpanExporter();
let logs = '';
// The kernel's own logger (winston, JSON, debug) writes to console._stderr (process.stderr outside a test runner).
const streams = [...new Set([process.stderr, (console as unknown as { _stderr?: NodeJS.WriteStream })._stderr].filter((s) => s !== undefined))];
const realWrites = streams.map((s) => s.write);

beforeAll(() => {
  streams.forEach((stream, i) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logs += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return (realWrites[i] as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
  });
});

afterAll(() => {
  streams.forEach((stream, i) => (stream.write = realWrites[i]!));
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
          keys: [
            { id: 'ops', secret: 'ops-key', roles: ['admin'] },
            { id: 'legacy', key: '${secret:db-password}', roles: ['viewer'] },
          ],
        },
        { use: 'bearer', signingSecret: 'jwt-signing-key' },
      ],
      toolPacks: [{ use: 'utilities' }],
    });
    // The audit file lives in the test directory (rewrite the placeholder, the config file included).
    const auditPath = `${dir}/audit.jsonl`;
    (config.audit as { path: string }[])[0]!.path = auditPath;
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
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { 'x-api-key': oldKey } } }));
      await client.listTools();
      for (const input of [DB_PASSWORD, oldKey]) {
        answers.push(JSON.stringify(await client.callTool({ name: 'utilities_hash', arguments: { input, algorithm: 'sha256' } })));
        answers.push(
          JSON.stringify(await client.callTool({ name: 'utilities_base64', arguments: { operation: 'decode', input: Buffer.from(input).toString('base64') } })),
        );
      }
      await client.close();
      expect(await listStatus(url, { authorization: `Bearer ${token}` })).toBe(200);
      expect(await listStatus(url, { 'x-api-key': DB_PASSWORD })).toBe(200); // resolved from ${secret:db-password}
      for (const wrong of [`${oldKey}x`, `${DB_PASSWORD}x`, `Bearer-${signingKey}`]) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': wrong }, body: '{}' });
        answers.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`);
      }

      newKey = await revealing(['secrets', 'rotate', 'ops-key', '--grace', '1h']);
      await eventually(async () => (await listStatus(url, { 'x-api-key': newKey })) === 200);
      expect(await listStatus(url, { 'x-api-key': oldKey })).toBe(200);
      await masked(['config', 'print']);
      await masked(['config', 'print', '--json']);
      // Read before stop: shutting the tracer down empties the in-memory exporter.
      spans = [...exporter.getFinishedSpans()];
    } finally {
      await kernel.stop();
    }

    const names = spans.map((s) => s.name);
    for (const name of ['POST /mcp', 'authenticate', 'tools/call utilities_hash', 'validate', 'tool', 'audit']) expect(names).toContain(name);
    const exported = JSON.stringify(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status, links: s.links, resource: s.resource.attributes })),
    );
    const audit = readFileSync(auditPath, 'utf8');
    expect(audit).toContain('"secret.rotated"');
    expect(audit).toContain('"tool.call"');
    expect(logs).toContain('API keys reloaded from the secrets store');
    expect(logs).toContain('"entry":"ops-key"');

    const secrets: Record<string, string> = { oldKey, newKey, token, signingKey, DB_PASSWORD, masterKey: env.CNMCP_MASTER_KEY! };
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
  }, 120_000);
});
