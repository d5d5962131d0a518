// Backend auth and TLS against a real Prometheus that serves https only, requires a client certificate signed by a
// test CA and basic auth: each misconfiguration becomes an isError result saying what to check, never a crash.
import { readFile } from 'node:fs/promises';
import type { Logger } from '@cnmcp/core/plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMETHEUS_USER, startPrometheus, type TestPrometheus } from '../../../test/support/prometheus-server.js';
import { createTestCa, type TestCa } from '../../../test/support/test-pki.js';
import { call, startPackKernel } from './testing/pack-kernel.js';

let ca: TestCa;
let prom: TestPrometheus;
/** PEM texts as the config holds them (inline, or through ${file:}). */
const certs = { pem: { ca: '', clientCert: '', clientKey: '' } };

beforeAll(async () => {
  ca = await createTestCa('prometheus');
  const [server, client] = [await ca.issueServer('prometheus', { dns: ['prometheus.test'] }), await ca.issueClient('cnmcp-client')];
  certs.pem = {
    ca: await readFile(ca.certPath, 'utf8'),
    clientCert: await readFile(client.certPath, 'utf8'),
    clientKey: await readFile(client.keyPath, 'utf8'),
  };
  prom = await startPrometheus({ secure: { caPath: ca.certPath, server, client } });
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  await ca?.remove();
});

const basic = { type: 'basic', username: PROMETHEUS_USER.username, password: '${env:PROM_PASSWORD}' };
const env = { PROM_PASSWORD: PROMETHEUS_USER.password };

/** Boots a kernel with the prometheus pack configured by `backend`, calls one tool, and returns what came back. */
async function buildInfoWith(backend: Record<string, unknown>, logger?: Logger) {
  const kernel = await startPackKernel([{ use: 'prometheus', backend: { url: prom.url, ...backend } }], { env, ...(logger ? { logger } : {}) });
  try {
    return await call(await kernel.connect('viewer'), 'prometheus_get_build_info');
  } finally {
    await kernel.close();
  }
}

function capturingLogger() {
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (message) => void warnings.push(message), error() {}, child: () => logger };
  return { logger, warnings };
}

describe('a TLS and basic-auth protected Prometheus', () => {
  it('answers with the CA, a client certificate and the password from ${env:}', async () => {
    const result = await buildInfoWith({ auth: basic, tls: { ca: certs.pem.ca, cert: certs.pem.clientCert, key: certs.pem.clientKey } });
    expect(result.isError).toBe(false);
    expect(result.data.version).toMatch(/^\d+\.\d+/);
  });

  it('verifies the certificate against tls.serverName when given', async () => {
    const tls = { ca: certs.pem.ca, cert: certs.pem.clientCert, key: certs.pem.clientKey };
    expect((await buildInfoWith({ auth: basic, tls: { ...tls, serverName: 'prometheus.test' } })).isError).toBe(false);
    const wrong = await buildInfoWith({ auth: basic, tls: { ...tls, serverName: 'other.test' } });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toMatch(/^TLS with Prometheus at https:\/\/127\.0\.0\.1:\d+ failed .*check backend\.tls\.ca/);
  });

  it('says to check backend.tls.ca when the server certificate is not trusted', async () => {
    const result = await buildInfoWith({ auth: basic, tls: { cert: certs.pem.clientCert, key: certs.pem.clientKey } });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(
      /TLS with Prometheus .* failed \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\): check backend\.tls\.ca/,
    );
  });

  it('says to check backend.auth when the password is wrong, without echoing it', async () => {
    const result = await buildInfoWith({
      auth: { ...basic, password: 'Wrong-Password-0123!' },
      tls: { ca: certs.pem.ca, cert: certs.pem.clientCert, key: certs.pem.clientKey },
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/refused GET \/api\/v1\/status\/buildinfo with HTTP 401.*check backend\.auth/);
    expect(result.text).not.toContain('Wrong-Password');
  });

  it('fails clearly without the client certificate the server requires', async () => {
    const result = await buildInfoWith({ auth: basic, tls: { ca: certs.pem.ca } });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Prometheus at https:\/\/127\.0\.0\.1:\d+/);
    expect(result.text).toMatch(/check backend\.(tls|url)/);
  });

  it('with insecureSkipVerify connects without the CA and warns loudly at startup', async () => {
    const { logger, warnings } = capturingLogger();
    const result = await buildInfoWith({ auth: basic, tls: { insecureSkipVerify: true, cert: certs.pem.clientCert, key: certs.pem.clientKey } }, logger);
    expect(result.isError).toBe(false);
    expect(warnings.some((w) => w.startsWith('INSECURE: prometheus does not verify the TLS certificate of https://127.0.0.1:'))).toBe(true);
  });
});
