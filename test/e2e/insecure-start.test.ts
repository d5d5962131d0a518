// Seam 10: configs that used to start silently insecure. Each is tried as an operator would write it, against the
// real kernel with the real auth plugins, and then as an intruder would use the server it would have started.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const VIEWER_KEY = 'Viewer-Key-0123456789abcdef!';
const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

let server: TestKernel | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  events.length = 0;
});

/** The problems a refused start lists, as [JSON path, code]. */
async function refusal(config: Record<string, unknown>): Promise<{ problems: [string | undefined, string][]; messages: string[] }> {
  const error = await startTestKernel({ config, plugins: [memorySink] }).then(
    (started) => {
      server = started;
      return undefined;
    },
    (e: unknown) => e as { problems?: { path?: string; code: string; message: string }[] },
  );
  if (!error) throw new Error('the server started');
  return { problems: (error.problems ?? []).map((p) => [p.path, p.code]), messages: (error.problems ?? []).map((p) => p.message) };
}

const callHash = (url: URL, headers: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'utilities_hash', arguments: { input: 'x' } } }),
  });

/** The JSON-RPC answer, whether it came as JSON or as one SSE `data:` line. */
async function answer(res: Response): Promise<{ result?: unknown; error?: { code: number } }> {
  const text = await res.text();
  const data = /^data: (.*)$/m.exec(text)?.[1] ?? text;
  return JSON.parse(data) as { result?: unknown; error?: { code: number } };
}

const viewerKeys = [{ use: 'apikey', keys: [{ id: 'dashboard', key: VIEWER_KEY, roles: ['viewer'] }] }];

describe('insecure starts are refused or loud', () => {
  it('refuses auth with no authorization section: a viewer key would have called every tool', async () => {
    const { problems, messages } = await refusal({ auth: viewerKeys, toolPacks: [{ use: 'utilities' }] });
    expect(problems).toEqual([['/authorization', 'AUTHORIZATION_NOT_CHOSEN']]);
    expect(messages[0]).toMatch(/use: rbac.*use: allow-all/);

    // With the choice made with rbac, the same viewer key gets only what its role grants.
    server = await startTestKernel({
      config: { auth: viewerKeys, authorization: { use: 'rbac', roles: { viewer: { tools: ['*_get_*'] } } }, toolPacks: [{ use: 'utilities' }] },
    });
    expect((await answer(await callHash(server.url, { 'x-api-key': VIEWER_KEY }))).error?.code).toBe(-32003);
  });

  it('refuses Basic and API-key credentials over plain HTTP on a public bind unless TLS ends in front', async () => {
    const config = {
      server: { listen: '0.0.0.0:0' },
      auth: [...viewerKeys, { use: 'basic', users: [{ username: 'ops', password: 'Correct-Horse-Battery-9!', roles: ['viewer'] }] }],
      authorization: { use: 'allow-all' },
      toolPacks: [{ use: 'utilities' }],
    };
    const { problems, messages } = await refusal(config);
    expect(problems).toEqual([
      ['/auth/0/use', 'CREDENTIALS_OVER_PLAIN_HTTP'],
      ['/auth/1/use', 'CREDENTIALS_OVER_PLAIN_HTTP'],
    ]);
    expect(messages[1]).toContain('server.tlsTerminatedUpstream: true');

    // Said out loud, it starts, and the key works over the plain-HTTP hop from the (stand-in) proxy.
    server = await startTestKernel({ config: { ...config, server: { listen: '0.0.0.0:0', tlsTerminatedUpstream: true } } });
    expect((await answer(await callHash(server.url, { 'x-api-key': VIEWER_KEY }))).result).toBeDefined();
  });

  it('starts allowUnauthenticated on a public bind with a warning in the log and a config.insecure audit event', async () => {
    const lines: string[] = [];
    const logStream = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString('utf8')), done()) });
    server = await startTestKernel({
      config: {
        server: { listen: '0.0.0.0:0', allowUnauthenticated: true },
        logging: { format: 'json', level: 'info' },
        audit: [{ use: 'memory' }],
        toolPacks: [{ use: 'utilities' }],
      },
      plugins: [memorySink],
      logStream,
    });
    // What an intruder on the network gets: anonymous tool calls, from an address that is not loopback when there is one.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    const url = new URL(server.url);
    if (external) url.hostname = external;
    expect((await answer(await callHash(url, {}))).result).toBeDefined();

    const warning = lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.code === 'UNAUTHENTICATED_PUBLIC_BIND');
    expect(warning).toMatchObject({ level: 'warn', path: '/server/allowUnauthenticated', message: expect.stringContaining('INSECURE') });
    await server.kernel.stop();
    expect(events.filter((e) => e.type === 'config.insecure')).toEqual([
      expect.objectContaining({
        outcome: 'success',
        details: expect.objectContaining({ code: 'UNAUTHENTICATED_PUBLIC_BIND', path: '/server/allowUnauthenticated' }),
      }),
    ]);
  });

  it('cnmcp config validate and serve exit 2 listing every problem with its JSON path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-insecure-'));
    writeFileSync(
      join(dir, 'cnmcp.config.yaml'),
      [
        'server: { listen: 0.0.0.0:8080 }',
        'auth:',
        '  - use: basic',
        '    users: [{ username: ops, password: Correct-Horse-Battery-9!, roles: [admin] }]',
        '',
      ].join('\n'),
    );
    for (const command of [['config', 'validate'], ['serve']]) {
      const { code, stderr } = await runCli([...command, '--config', join(dir, 'cnmcp.config.yaml')], { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toContain('/authorization');
      expect(stderr).toContain('/auth/0/use');
    }
  });
});
