// HTTPS with the `file` TLS provider, end to end: the SDK client over a test CA, TLS versions below 1.2 refused,
// bad files refusing startup with the path named, and certificates swapped under an open session.
import { X509Certificate } from 'node:crypto';
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectLegacyHttp, connectModernHttp, textsOf } from '../support/clients.js';
import { createE2ePack } from '../support/e2e-pack.js';
import { createTestCa, writeSelfSignedCertificate, type IssuedCert, type TestCa } from '../support/test-pki.js';
import { tlsFetch, type TlsFetch } from '../support/tls-fetch.js';

const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

/** Completes a TLS handshake and returns what the server presented (or the handshake error). */
function handshake(url: URL, options: ConnectionOptions = {}): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), servername: 'localhost', rejectUnauthorized: false, ...options }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.once('error', reject);
  });
}

/** One raw keep-alive TLS connection, to show it survives a certificate swap. */
async function keepAliveConnection(url: URL) {
  const socket = connect({ host: url.hostname, port: Number(url.port), servername: 'localhost', rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  return {
    get: (path: string) =>
      new Promise<string>((resolve, reject) => {
        socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
        socket.once('error', reject);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`);
      }),
    peer: () => socket.getPeerCertificate(),
    close: () => socket.destroy(),
  };
}

const startTls = (tls: Record<string, unknown>, server: Record<string, unknown> = {}) =>
  startTestKernel({
    config: { server: { toolTimeoutMs: 5000, ...server }, tls: { use: 'file', ...tls }, audit: [{ use: 'memory' }], toolPacks: [{ use: 'e2e' }] },
    plugins: [createE2ePack(), memorySink],
  });

describe('HTTPS with certificate files', () => {
  let ca: TestCa;
  let first: IssuedCert;
  let second: IssuedCert;
  let dir: string;
  let kernel: TestKernel;
  let trusting: TlsFetch;

  beforeAll(async () => {
    ca = await createTestCa('https');
    [first, second] = await Promise.all([ca.issueServer('server-1'), ca.issueServer('server-2')]);
    // The served files live apart from the issued ones, so a test can swap them the way certbot does.
    dir = join(ca.dir, 'live');
    await mkdir(dir);
    await copyFile(first.certPath, join(dir, 'cert.pem'));
    await copyFile(first.keyPath, join(dir, 'key.pem'));
    kernel = await startTls({ cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), reloadDebounceMs: 50 }, { sessions: 'stateful' });
    trusting = tlsFetch({ ca: ca.certPath });
  });
  afterAll(async () => {
    await trusting?.close();
    await kernel?.close();
    await ca?.remove();
  });

  it('serves MCP over HTTPS to the SDK v2 client trusting the test CA', async () => {
    expect(kernel.url.protocol).toBe('https:');
    const url = new URL(kernel.url);
    url.hostname = 'localhost';
    const client = await connectModernHttp(url, { fetch: trusting.fetch });
    try {
      expect(textsOf(await client.callTool('e2e_echo_text', { text: 'over tls' }))).toEqual(['over tls']);
    } finally {
      await client.close();
    }
  });

  it('is refused by a client that does not trust the CA', async () => {
    await expect(fetch(new URL('/healthz', kernel.origin))).rejects.toThrow();
  });

  it('sends HSTS and the default security headers over TLS', async () => {
    const res = await trusting.fetch(new URL('/healthz', kernel.origin));
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('refuses TLS 1.1 and TLS 1.0 handshakes, accepts TLS 1.2 and 1.3', async () => {
    // SECLEVEL=0 lets this client's OpenSSL offer the old versions at all, so the refusal is the server's.
    for (const version of ['TLSv1.1', 'TLSv1'] as const) {
      const error = await handshake(kernel.url, { minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' }).then(
        () => undefined,
        (e: Error & { code?: string }) => e,
      );
      expect(error?.code, version).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    }
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      await expect(handshake(kernel.url, { minVersion: version, maxVersion: version }), version).resolves.toMatchObject({ subject: { CN: 'server-1' } });
    }
  });

  it('reloads replaced files without a restart and keeps the open session', async () => {
    const sessionIds = new Set<string>();
    const recording: typeof fetch = async (input, init) => {
      const id = new Headers(init?.headers).get('mcp-session-id');
      if (id) sessionIds.add(id);
      return trusting.fetch(input, init);
    };
    const url = new URL(kernel.url);
    url.hostname = 'localhost';
    const client = await connectLegacyHttp(url, { fetch: recording });
    try {
      expect(textsOf(await client.callTool('e2e_echo_text', { text: 'before' }))).toEqual(['before']);
      const oldFingerprint = (await handshake(kernel.url)).fingerprint256;
      expect(oldFingerprint).toBe(new X509Certificate(await readFile(first.certPath)).fingerprint256);
      const open = await keepAliveConnection(kernel.url);
      expect(await open.get('/healthz')).toMatch(/^HTTP\/1\.1 200 /);

      // Atomic replacement as certbot and cert-manager do it: write aside, rename over.
      await copyFile(second.keyPath, join(dir, 'key.pem.new'));
      await copyFile(second.certPath, join(dir, 'cert.pem.new'));
      await rename(join(dir, 'key.pem.new'), join(dir, 'key.pem'));
      await rename(join(dir, 'cert.pem.new'), join(dir, 'cert.pem'));
      const served = await vi.waitFor(
        async () => {
          const cert = await handshake(kernel.url);
          if (cert.subject.CN !== 'server-2') throw new Error(`still serving ${cert.subject.CN}`);
          return cert;
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(served.fingerprint256).not.toBe(oldFingerprint);

      // A connection opened before the swap is not dropped: it keeps its certificate and is still answered.
      expect(await open.get('/healthz')).toMatch(/^HTTP\/1\.1 200 /);
      expect(open.peer().fingerprint256).toBe(oldFingerprint);
      open.close();
      // The session opened before the swap goes on with its session id.
      expect(textsOf(await client.callTool('e2e_echo_text', { text: 'after' }))).toEqual(['after']);
      expect(sessionIds.size).toBe(1);
      await vi.waitFor(() => expect(events.find((e) => e.type === 'tls.reloaded')).toBeDefined(), { timeout: 5000 });
      expect(events.find((e) => e.type === 'tls.reloaded')).toMatchObject({
        outcome: 'success',
        details: { provider: 'file', fingerprint256: served.fingerprint256 },
      });
    } finally {
      await client.close();
    }
  });
});

describe("the served certificate's expiry on /metrics", () => {
  const EXPIRY = 'cnmcp_tls_certificate_expiry_timestamp_seconds';
  const notAfterSeconds = async (certPath: string) => Math.floor(Date.parse(new X509Certificate(await readFile(certPath)).validTo) / 1000);
  const expirySeries = async (kernel: TestKernel) => {
    const text = await (await fetch(kernel.kernel.metricsUrl!)).text();
    return text.split('\n').filter((line) => line.startsWith(`${EXPIRY}{`));
  };

  it('exports notAfter with provider and source labels, and follows a reload to a self-signed certificate', async () => {
    const ca = await createTestCa('expiry');
    const kernels: TestKernel[] = [];
    try {
      const issued = await ca.issueServer('expiring', { days: 20 });
      const dir = join(ca.dir, 'live');
      await mkdir(dir);
      await copyFile(issued.certPath, join(dir, 'cert.pem'));
      await copyFile(issued.keyPath, join(dir, 'key.pem'));
      const kernel = await startTestKernel({
        config: {
          server: { toolTimeoutMs: 5000 },
          tls: { use: 'file', cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), reloadDebounceMs: 50 },
          telemetry: { metrics: { enabled: true, listen: '127.0.0.1:0' } },
          toolPacks: [{ use: 'e2e' }],
        },
        plugins: [createE2ePack()],
      });
      kernels.push(kernel);
      expect(await expirySeries(kernel)).toEqual([`${EXPIRY}{provider="file",source="ca"} ${await notAfterSeconds(issued.certPath)}`]);

      // Replaced by a self-signed pair (written aside, renamed over): the gauge follows, and the old series is gone.
      const self = { certPath: join(ca.dir, 'self.pem'), keyPath: join(ca.dir, 'self.key') };
      await writeSelfSignedCertificate(self, 'localhost', 2);
      await copyFile(self.keyPath, join(dir, 'key.pem.new'));
      await copyFile(self.certPath, join(dir, 'cert.pem.new'));
      await rename(join(dir, 'key.pem.new'), join(dir, 'key.pem'));
      await rename(join(dir, 'cert.pem.new'), join(dir, 'cert.pem'));
      const expected = `${EXPIRY}{provider="file",source="self-signed"} ${await notAfterSeconds(self.certPath)}`;
      await vi.waitFor(async () => expect(await expirySeries(kernel)).toEqual([expected]), { timeout: 10_000, interval: 100 });
    } finally {
      for (const kernel of kernels) await kernel.close();
      await ca.remove();
    }
  });
});

describe('TLS files that cannot be served stop startup', () => {
  let ca: TestCa;
  let a: IssuedCert;
  let b: IssuedCert;
  beforeAll(async () => {
    ca = await createTestCa('broken');
    [a, b] = await Promise.all([ca.issueServer('a'), ca.issueServer('b')]);
  });
  afterAll(() => ca?.remove());

  it('names a missing certificate file', async () => {
    const missing = join(ca.dir, 'nope.pem');
    await expect(startTls({ cert: missing, key: a.keyPath })).rejects.toMatchObject({
      code: 'PLUGIN_CONFIG_INVALID',
      path: '/tls',
      message: expect.stringContaining(`cannot read the certificate (cert) file ${missing}: ENOENT`),
    });
  });

  it('names a key that does not belong to the certificate', async () => {
    await expect(startTls({ cert: a.certPath, key: b.keyPath })).rejects.toMatchObject({
      code: 'PLUGIN_CONFIG_INVALID',
      message: expect.stringMatching(new RegExp(`private key in ${b.keyPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} does not belong to the certificate in`)),
    });
  });

  it('names a file that holds no certificate', async () => {
    await expect(startTls({ cert: a.keyPath, key: a.keyPath })).rejects.toMatchObject({
      message: expect.stringContaining(`${a.keyPath} holds no valid PEM certificate`),
    });
  });

  it('refuses clientAuth without a ca in the config check', async () => {
    await expect(startTls({ cert: a.certPath, key: a.keyPath, clientAuth: 'require' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
