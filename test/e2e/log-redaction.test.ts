// Sensitive request headers never reach the logs, not even at debug level where every request's headers are
// logged: the real CLI, a real config file, credentials in every header that carries them, and a grep of stderr.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../cli/run-cli.js';

const API_KEY = 'Redaction-Test-Key-7f3a!Q';
const SECRETS = {
  authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.redaction-bearer-secret.c2lnbmF0dXJl',
  'proxy-authorization': 'Basic cHJveHk6cmVkYWN0aW9uLXByb3h5LXNlY3JldA==',
  cookie: 'session=redaction-cookie-secret-91c2',
  'x-api-key': API_KEY,
  'x-auth-token': 'redaction-custom-token-5521',
  'x-session-ref': 'redaction-session-ref-0042',
} as const;

describe('log redaction at debug level', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-redact-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('masks every credential header in the debug request log and everywhere else on stderr', async () => {
    writeFileSync(join(dir, 'package.json'), '{"name":"redaction-test","private":true}');
    writeFileSync(
      join(dir, 'cnmcp.config.yaml'),
      [
        'server: { listen: 127.0.0.1:0 }',
        'logging: { level: debug, format: json, redactKeys: [session-ref] }',
        'auth:',
        '  - use: apikey',
        `    keys: [{ id: ops, key: '${API_KEY}', roles: [admin] }]`,
        'authorization: { use: allow-all }',
        'toolPacks: [{ use: utilities }]',
        '',
      ].join('\n'),
    );
    const { child, stderr, match } = await startCli(['serve', '--config', join(dir, 'cnmcp.config.yaml')], /serving MCP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/, {
      cwd: dir,
    });
    try {
      const url = new URL(match[1]!);
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
      // One request with every credential header at once (the apikey wins), and each one on its own (mostly refused).
      const all = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'x-api-key': API_KEY, cookie: SECRETS.cookie, 'x-auth-token': SECRETS['x-auth-token'] },
        body,
      });
      expect(all.status).toBe(200);
      await all.body?.cancel();
      for (const [name, value] of Object.entries(SECRETS)) {
        const res = await fetch(url, { method: 'POST', headers: { ...headers, [name]: value }, body });
        await res.body?.cancel();
      }
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    const log = stderr();
    const requests = log
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message: string; headers?: Record<string, string> })
      .filter((entry) => entry.message === 'request');
    // The debug lines are there, with the headers, so the absence below is redaction and not silence.
    expect(requests.length).toBeGreaterThanOrEqual(1 + Object.keys(SECRETS).length);
    for (const name of Object.keys(SECRETS)) {
      expect(
        requests.some((r) => r.headers?.[name] === '***'),
        name,
      ).toBe(true);
    }
    expect(requests.some((r) => r.headers?.['content-type'] === 'application/json')).toBe(true);
    for (const [name, value] of Object.entries(SECRETS)) {
      const distinctive = value.replace(/^(Bearer|Basic) /, '');
      expect(log.includes(distinctive), `${name} value found in the log`).toBe(false);
    }
  });
});
