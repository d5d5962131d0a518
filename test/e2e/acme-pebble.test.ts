// ACME end to end against Let's Encrypt's Pebble on loopback: the `acme` provider obtains a real certificate over
// HTTP-01 and over TLS-ALPN-01, serves it (verified against Pebble's root), caches it 0600 and renews it when due.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type PeerCertificate } from 'node:tls';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { memoryAuditSink, startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectModernHttp, textsOf } from '../support/clients.js';
import { createE2ePack } from '../support/e2e-pack.js';
import { freePort, startPebble, type TestPebble } from '../support/pebble-server.js';
import { tlsFetch } from '../support/tls-fetch.js';

const events: AuditEvent[] = [];
const memorySink = memoryAuditSink(events);

/** A handshake that verifies the served certificate against `ca` for `servername`, as a browser would. */
function verifiedHandshake(url: URL, servername: string, ca: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), servername, ca, rejectUnauthorized: true }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.once('error', reject);
  });
}

const METRICS = { telemetry: { metrics: { enabled: true, listen: '127.0.0.1:0' } } };
const expirySeries = async (kernel: TestKernel) =>
  (await (await fetch(kernel.kernel.metricsUrl!)).text()).split('\n').filter((line) => line.startsWith('cnmcp_tls_certificate_expiry_timestamp_seconds{'));

const eventOf = (type: string, after = 0) => events.slice(after).find((e) => e.type === type);
const waitForEvent = (type: string, after = 0) =>
  vi.waitFor(() => eventOf(type, after) ?? Promise.reject(new Error(`no ${type} event yet: ${events.map((e) => e.type).join(', ')}`)), {
    timeout: 60_000,
    interval: 100,
  });

describe('ACME against Pebble', () => {
  let pebble: TestPebble;
  let httpPort: number;
  let tlsPort: number;
  let dir: string;
  let kernel: TestKernel | undefined;

  beforeAll(async () => {
    [httpPort, tlsPort] = await Promise.all([freePort(), freePort()]);
    pebble = await startPebble({ httpPort, tlsPort });
    dir = await mkdtemp(join(tmpdir(), 'cnmcp-acme-'));
  }, 60_000);
  afterEach(async () => {
    await kernel?.close();
    kernel = undefined;
  });
  afterAll(async () => {
    await pebble?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const start = (tls: Record<string, unknown>, server: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    startTestKernel({
      config: {
        ...extra,
        server: { toolTimeoutMs: 5000, ...server },
        tls: {
          use: 'acme',
          termsOfServiceAgreed: true,
          directoryUrl: pebble.directoryUrl,
          directoryCa: pebble.listenerCaPath,
          retryInitialDelaySeconds: 1,
          ...tls,
        },
        audit: [{ use: 'memory' }],
        toolPacks: [{ use: 'e2e' }],
      },
      plugins: [createE2ePack(), memorySink],
    });

  const http01 = (cacheDir: string, extra: Record<string, unknown> = {}) => ({
    domains: ['mcp.cnmcp.test'],
    email: 'ops@cnmcp.test',
    challenge: 'http-01',
    httpChallengeHost: '127.0.0.1',
    httpChallengePort: httpPort,
    cacheDir,
    ...extra,
  });

  it('obtains a certificate over HTTP-01, serves it to the SDK client verifying against Pebble’s root, and caches it 0600', async () => {
    const cacheDir = join(dir, 'http01');
    const from = events.length;
    kernel = await start(http01(cacheDir), {}, METRICS);
    const issued = await waitForEvent('tls.issued', from);
    expect(issued).toMatchObject({ outcome: 'success', details: { provider: 'acme', domains: ['mcp.cnmcp.test'], forced: false } });
    // The expiry gauge moves from the self-signed placeholder to the issued certificate: one series, its notAfter.
    const notAfter = Math.floor(Date.parse((issued.details as { notAfter: string }).notAfter) / 1000);
    await vi.waitFor(
      async () => expect(await expirySeries(kernel!)).toEqual([`cnmcp_tls_certificate_expiry_timestamp_seconds{provider="acme",source="ca"} ${notAfter}`]),
      {
        timeout: 10_000,
        interval: 100,
      },
    );

    const root = await pebble.root();
    const cert = await vi.waitFor(async () => verifiedHandshake(kernel!.url, 'mcp.cnmcp.test', root), { timeout: 10_000, interval: 100 });
    expect(cert.subjectaltname).toBe('DNS:mcp.cnmcp.test');
    expect(cert.fingerprint256).toBe((issued.details as { fingerprint256: string }).fingerprint256);

    const rootFile = join(dir, 'pebble-root.pem');
    await writeFile(rootFile, root);
    const trusting = tlsFetch({ ca: rootFile, servername: 'mcp.cnmcp.test' });
    try {
      const client = await connectModernHttp(kernel.url, { fetch: trusting.fetch });
      expect(textsOf(await client.callTool('e2e_echo_text', { text: 'acme' }))).toEqual(['acme']);
      await client.close();
    } finally {
      await trusting.close();
    }

    expect((await stat(cacheDir)).mode & 0o777).toBe(0o700);
    const files = (await readdir(cacheDir)).sort();
    expect(files).toEqual(['account.key', 'mcp.cnmcp.test.crt', 'mcp.cnmcp.test.key']);
    for (const file of files) expect((await stat(join(cacheDir, file))).mode & 0o777, file).toBe(0o600);
  });

  it('serves the cached certificate after a restart and renews it when due, swapping only once the new one is in place', async () => {
    const cacheDir = join(dir, 'http01');
    const cachedFingerprint = new X509Certificate(await readFile(join(cacheDir, 'mcp.cnmcp.test.crt'))).fingerprint256;
    const root = await pebble.root();
    const from = events.length;
    // Renewing 100 years before expiry makes the cached certificate due at once: a forced renewal.
    kernel = await start(http01(cacheDir, { renewBeforeDays: 36500 }));
    // Every handshake during the renewal verifies: the old certificate is served until the new one replaces it.
    const first = await verifiedHandshake(kernel.url, 'mcp.cnmcp.test', root);
    const renewed = await waitForEvent('tls.renewed', from);
    expect(eventOf('tls.issued', from)).toBeUndefined();
    const fresh = (renewed.details as { fingerprint256: string }).fingerprint256;
    expect(fresh).not.toBe(cachedFingerprint);
    expect([cachedFingerprint, fresh]).toContain(first.fingerprint256);
    const served = await vi.waitFor(
      async () => {
        const cert = await verifiedHandshake(kernel!.url, 'mcp.cnmcp.test', root);
        if (cert.fingerprint256 !== fresh) throw new Error('still serving the old certificate');
        return cert;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(served.subjectaltname).toBe('DNS:mcp.cnmcp.test');
    expect(new X509Certificate(await readFile(join(cacheDir, 'mcp.cnmcp.test.crt'))).fingerprint256).toBe(fresh);
  });

  it('obtains a certificate over TLS-ALPN-01, answered on the HTTPS listener itself', async () => {
    const from = events.length;
    kernel = await start({ domains: ['alpn.cnmcp.test'], challenge: 'tls-alpn-01', cacheDir: join(dir, 'alpn') }, { listen: `127.0.0.1:${tlsPort}` });
    const issued = await waitForEvent('tls.issued', from);
    const root = await pebble.root();
    const cert = await vi.waitFor(async () => verifiedHandshake(kernel!.url, 'alpn.cnmcp.test', root), { timeout: 10_000, interval: 100 });
    expect(cert.subjectaltname).toBe('DNS:alpn.cnmcp.test');
    expect(cert.fingerprint256).toBe((issued.details as { fingerprint256: string }).fingerprint256);
  });

  it('audits a failed issuance, keeps serving and retries with backoff (here: a URL that is no ACME directory)', async () => {
    const from = events.length;
    kernel = await start({ ...http01(join(dir, 'down')), directoryUrl: pebble.directoryUrl.replace(/\/dir$/, '/no-such-directory') }, {}, METRICS);
    const failed = await waitForEvent('tls.issue_failed', from);
    // Until a certificate is issued the gauge shows the placeholder, labelled self-signed (the alerts fire on it).
    expect(await expirySeries(kernel)).toEqual([
      expect.stringMatching(/^cnmcp_tls_certificate_expiry_timestamp_seconds\{provider="acme",source="self-signed"\} \d+$/),
    ]);
    expect(failed).toMatchObject({ outcome: 'failure', error: { code: 'ACME_FAILED' }, details: { attempt: 1, retryInSeconds: 1 } });
    // The placeholder is still served: the listener answers, a verifying client refuses the self-signed certificate.
    await expect(verifiedHandshake(kernel.url, 'mcp.cnmcp.test', await pebble.root())).rejects.toThrow();
    const retried = await waitForEvent('tls.issue_failed', events.indexOf(failed) + 1);
    expect(retried).toMatchObject({ details: { attempt: 2, retryInSeconds: 2 } });
  });
});
