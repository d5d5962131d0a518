// Secrets are masked by what a field is, not by how it was written: a literal key, the password in a URL, a value
// read through `${env:}` or `${file:}`. Each case below is what an operator (or anyone reading their terminal,
// CI log or log shipper) would have seen in clear before.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateApiKey, Kernel } from '@cnmcp/core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { initializeRequest, MCP_POST_HEADERS } from '../support/raw-http.js';
import { LEGACY_PROTOCOL } from '../support/clients.js';

const dirWith = (config: Record<string, unknown>) => {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-masked-'));
  const configFile = join(dir, 'cnmcp.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  return { dir, configFile };
};

describe('config print masks secret fields, literal or referenced, and URL userinfo', () => {
  it('shows neither a literal API key, a literal HMAC secret, an audit key nor a Redis or PostgreSQL password', async () => {
    const apiKey = generateApiKey();
    const bearerSecret = 'Literal-Bearer-Secret-0123456789abcdefXYZ';
    const hmacKey = 'Literal-Audit-Hmac-Key-0123456789abcdefXYZ';
    const redisPassword = 'Redis-Pass-$&-9f8e7d';
    const pgPassword = 'Pg-Pass-7c6b5a4d3e';
    const { configFile } = dirWith({
      authorization: { use: 'allow-all' },
      auth: [
        { use: 'apikey', keys: [{ id: 'ops', key: apiKey, roles: ['admin'] }] },
        { use: 'bearer', secret: bearerSecret },
      ],
      auditing: { hmacKey },
      rateLimit: { use: 'redis', url: `redis://default:${encodeURIComponent(redisPassword)}@127.0.0.1:6379/0` },
      audit: [{ use: 'postgres', url: `postgres://cnmcp:${pgPassword}@127.0.0.1:5432/audit` }],
    });
    for (const args of [
      ['config', 'print'],
      ['config', 'print', '--json'],
    ]) {
      const { code, stdout, stderr } = await runCli([...args, '--config', configFile]);
      expect(code, stderr).toBe(0);
      for (const value of [apiKey, bearerSecret, hmacKey, redisPassword, encodeURIComponent(redisPassword), pgPassword]) {
        expect(stdout).not.toContain(value);
        expect(stderr).not.toContain(value);
      }
      // Masked, not dropped: the reader still sees that the field is set and where the server connects.
      expect(stdout).toContain('redis://***@127.0.0.1:6379/0');
      expect(stdout).toContain('postgres://***@127.0.0.1:5432/audit');
      expect(stdout).toMatch(/key"?: "?\*\*\*/);
    }
  }, 60_000);
});

describe('errors name the path and the rule, never a value from a reference or a secret field', () => {
  it('an invalid CIDR given through ${env:} is refused without printing it', async () => {
    const value = 'Not-A-Cidr-But-A-Leaked-Token-4f3e2d1c';
    const { configFile } = dirWith({ server: { trustedProxies: ['${env:PROXIES}'] } });
    const { code, stdout, stderr } = await runCli(['config', 'validate', '--config', configFile], { env: { PROXIES: value } });
    expect(code).not.toBe(0);
    expect(stderr).toContain('/server/trustedProxies/0');
    expect(stderr).toContain('is not an IP address or CIDR');
    expect(`${stdout}${stderr}`).not.toContain(value);
  }, 60_000);

  it('a short value from a reference is not printed either (quoted in the message)', async () => {
    const { configFile } = dirWith({ server: { trustedProxies: ['${env:PROXIES}'] } });
    const { stderr } = await runCli(['config', 'validate', '--config', configFile], { env: { PROXIES: 'q1z' } });
    expect(stderr).toContain('/server/trustedProxies/0');
    expect(stderr).not.toContain('q1z');
  }, 60_000);

  it('a literal secret field that breaks a rule is named by path only (a guard: ajv messages already left values out)', async () => {
    const { configFile } = dirWith({
      authorization: { use: 'allow-all' },
      auth: [{ use: 'bearer', secret: 'Short-But-Secret' }],
      auditing: { hmacKey: 'Too-Short-Audit-Key' },
    });
    const { code, stdout, stderr } = await runCli(['config', 'validate', '--config', configFile]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('/auditing/hmacKey');
    expect(`${stdout}${stderr}`).not.toContain('Too-Short-Audit-Key');
    expect(`${stdout}${stderr}`).not.toContain('Short-But-Secret');
  }, 60_000);
});

describe('debug logs and answers carry no credential, session id or referenced value', () => {
  it('a custom API-key header, a session id and a ${file:} server name stay out of logs and serverInfo', async () => {
    const apiKey = generateApiKey();
    const name = `Name-From-A-File-${randomUUID()}`;
    const { dir } = dirWith({});
    writeFileSync(join(dir, 'name.txt'), `${name}\n`);
    const logStream = new PassThrough();
    let logs = '';
    logStream.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
    const kernel = await Kernel.load({
      config: {
        server: { listen: '127.0.0.1:0', sessions: 'stateful', name: '${file:name.txt}' },
        logging: { level: 'debug', format: 'json' },
        authorization: { use: 'allow-all' },
        auth: [{ use: 'apikey', header: 'x-ops-auth', keys: [{ id: 'ops', key: apiKey, roles: ['admin'] }] }],
      },
      baseDir: dir,
      logStream,
    });
    await kernel.start();
    const answers: string[] = [];
    let sessionId = '';
    try {
      const headers = { ...MCP_POST_HEADERS, 'x-ops-auth': apiKey };
      const opened = await fetch(kernel.url!, { method: 'POST', headers, body: JSON.stringify(initializeRequest(LEGACY_PROTOCOL)) });
      answers.push(await opened.text());
      sessionId = opened.headers.get('mcp-session-id') ?? '';
      expect(sessionId).not.toBe('');
      const session = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': LEGACY_PROTOCOL };
      await fetch(kernel.url!, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
      const listed = await fetch(kernel.url!, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
      answers.push(await listed.text());
      expect(listed.status).toBe(200);
    } finally {
      await kernel.stop();
    }
    expect(logs).toContain('"x-ops-auth":"***"'); // the request was logged, header name and all
    expect(logs).not.toContain(apiKey);
    expect(logs).not.toContain(sessionId);
    expect(logs).not.toContain(name);
    expect(answers.join('\n')).not.toContain(name);
    expect(answers[0]).toContain('"serverInfo":{"name":"cnmcp"');
  }, 60_000);
});
