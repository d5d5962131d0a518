import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/spawned-server.js';
import { writeSelfSignedCertificate } from '../support/test-pki.js';
import { runCli, startCli } from './run-cli.js';

const servers: Server[] = [];
async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as { port: number };
  return `127.0.0.1:${address.port}`;
}
afterAll(async () => {
  for (const s of servers) s.close();
});

describe('cnmcp health', () => {
  it('exits 0 against a running cnmcp serve, via --url or CNMCP_HEALTH_URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-health-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"health-test","private":true}');
    const { child, match } = await startCli(['serve', '--listen', '127.0.0.1:0'], /serving MCP at (http:\/\/127\.0\.0\.1:\d+)\/mcp/, { cwd: dir });
    try {
      const flag = await runCli(['health', '--url', `${match[1]}/healthz`]);
      expect(flag).toMatchObject({ code: 0, stderr: '' });
      const fromEnv = await runCli(['health'], { env: { CNMCP_HEALTH_URL: `${match[1]}/healthz` } });
      expect(fromEnv).toMatchObject({ code: 0, stderr: '' });
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 with one line naming the status when the server is not healthy', async () => {
    const host = await listen(createHttpServer((_req, res) => res.writeHead(503).end('{"status":"down"}')));
    const { code, stderr } = await runCli(['health', '--url', `http://${host}/healthz`]);
    expect(code).toBe(1);
    expect(stderr).toBe(`cnmcp: health: http://${host}/healthz answered 503\n`);
  });

  it('exits 1 when nothing listens, and when the server does not answer within --timeout', async () => {
    const port = await freePort();
    const refused = await runCli(['health', '--url', `http://127.0.0.1:${port}/healthz`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^cnmcp: health: http:\/\/127\.0\.0\.1:\d+\/healthz failed: .*ECONNREFUSED.*\n$/);
    const host = await listen(createHttpServer(() => {})); // accepts, never answers
    const silent = await runCli(['health', '--url', `http://${host}/healthz`, '--timeout', '300']);
    expect(silent.code).toBe(1);
    expect(silent.stderr).toContain('failed: no answer within 300 ms');
  });

  it('checks an https server against --ca or CNMCP_HEALTH_CA, and refuses its self-signed certificate without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-health-tls-'));
    try {
      const paths = { certPath: join(dir, 'cert.pem'), keyPath: join(dir, 'key.pem') };
      await writeSelfSignedCertificate(paths, 'localhost');
      const server = createHttpsServer({ cert: await readFile(paths.certPath), key: await readFile(paths.keyPath) }, (_req, res) =>
        res.writeHead(200).end('{"status":"ok"}'),
      );
      const host = await listen(server as unknown as Server);
      const trusted = await runCli(['health', '--url', `https://${host}/healthz`, '--ca', paths.certPath]);
      expect(trusted).toMatchObject({ code: 0, stderr: '' });
      const caFromEnv = await runCli(['health', '--url', `https://${host}/healthz`], { env: { CNMCP_HEALTH_CA: paths.certPath } });
      expect(caFromEnv).toMatchObject({ code: 0, stderr: '' });
      const untrusted = await runCli(['health', '--url', `https://${host}/healthz`]);
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(/failed: .*self[- ]signed/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on a bad --url, --timeout or unreadable --ca, before any request', async () => {
    const badUrl = await runCli(['health', '--url', 'file:///etc/passwd']);
    expect(badUrl).toMatchObject({ code: 2, stderr: 'cnmcp: health: --url must be an http:// or https:// URL, got "file:///etc/passwd"\n' });
    const badTimeout = await runCli(['health', '--timeout', 'soon']);
    expect(badTimeout).toMatchObject({ code: 2, stderr: 'cnmcp: health: --timeout must be a positive number of milliseconds, got "soon"\n' });
    const badCa = await runCli(['health', '--url', 'https://127.0.0.1:1/healthz', '--ca', '/nonexistent/ca.pem']);
    expect(badCa.code).toBe(2);
    expect(badCa.stderr).toContain('cannot read --ca /nonexistent/ca.pem');
  });
});
