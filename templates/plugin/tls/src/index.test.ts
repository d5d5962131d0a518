import { copyFileSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { dirname } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import myPlugin from './index.js';
import { selfSigned } from './testing/self-signed.js';

// The certificate the server presents on /healthz, trusting exactly `caFile`.
function presented(server: TestKernel, caFile: string): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/healthz', server.origin), { ca: readFileSync(caFile), agent: false }, (res) => {
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

const fingerprintOf = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;

let server: TestKernel;
let files: { certFile: string; keyFile: string };

beforeAll(async () => {
  files = selfSigned();
  server = await startTestKernel({ config: { tls: { use: 'my-plugin', ...files, pollIntervalMs: 100 } }, plugins: [myPlugin] });
});

afterAll(async () => {
  await server?.close();
});

describe('my-plugin TLS provider in the kernel', () => {
  it('makes the listener serve HTTPS with the configured certificate', async () => {
    expect(server.url.protocol).toBe('https:');
    expect(await presented(server, files.certFile)).toEqual({ status: 200, fingerprint: fingerprintOf(files.certFile) });
  });

  it('serves a replaced certificate without a restart', async () => {
    const renewed = selfSigned(dirname(files.certFile), 'renewed');
    copyFileSync(renewed.keyFile, files.keyFile);
    copyFileSync(renewed.certFile, files.certFile);
    await vi.waitFor(async () => expect((await presented(server, renewed.certFile)).fingerprint).toBe(fingerprintOf(renewed.certFile)), {
      timeout: 15_000,
      interval: 200,
    });
  });
});
