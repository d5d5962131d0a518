import { randomUUID } from 'node:crypto';
import { CnmcpError, Secret } from '@cnmcp/core/plugin';
import { Kernel } from '@cnmcp/core';
import { afterAll, describe, expect, it } from 'vitest';
import { KubernetesSecretStore } from './kubernetes-store.js';
import { closeRecordedApiServer, recordedApiServer, recordedCoreApi } from '../testing/recorded-kubernetes-api.js';
import { MANAGED_LABEL, NAME_ANNOTATION } from './secret-object.js';

afterAll(closeRecordedApiServer);

const VALUE = 'Abc123!@#Xyz789!@#-kube';
const prefix = () => `t${randomUUID().slice(0, 8)}-`;
const open = async (p: string, pollIntervalMs = 0) =>
  KubernetesSecretStore.open({ api: await recordedCoreApi(), namespace: 'cnmcp', prefix: p, pollIntervalMs });

describe('kubernetes secret store against the recorded API server', () => {
  it('keeps each secret in one labelled Opaque Secret of its namespace, its versions in data', async () => {
    const p = prefix();
    const store = await open(p);
    await store.put('Ops.Key', new Secret(VALUE), { type: 'apikey', metadata: { owner: 'ops' } });
    await store.put('db', new Secret('pw-1'), { type: 'basic' });
    const { server } = await recordedApiServer();
    const stored = server.store.list('', 'secrets', 'cnmcp').filter((s) => s.metadata.name.startsWith(p));
    expect(stored.map((s) => s.metadata.name).sort()).toEqual([`${p}db`, expect.stringMatching(new RegExp(`^${p}ops.key-[0-9a-f]{10}$`))]);
    for (const secret of stored) {
      expect(secret).toMatchObject({ type: 'Opaque', metadata: { labels: { [MANAGED_LABEL]: 'cnmcp' } } });
      expect(JSON.stringify(secret)).not.toContain(VALUE); // base64 in data, as every Secret
    }
    expect(stored.find((s) => s.metadata.name === `${p}db`)!.metadata.annotations).toEqual({ [NAME_ANNOTATION]: 'db' });
    // Only the namespace's Secrets were touched.
    expect(server.requests.filter((r) => r.path.includes('/secrets')).every((r) => r.path.startsWith('/api/v1/namespaces/cnmcp/secrets'))).toBe(true);
    await store.close();
  });

  it('shares secrets between replicas: a rotation in one reaches the other through its poll', async () => {
    const p = prefix();
    const a = await open(p);
    const b = await open(p, 50);
    try {
      await a.put('ops-key', new Secret(VALUE), { type: 'apikey' });
      const seen = new Promise<string>((resolve) => b.watch((name) => resolve(name)));
      await a.put('ops-key', new Secret(`${VALUE}-2`), { type: 'apikey', previousValidUntil: new Date(Date.now() + 3_600_000) });
      expect(await seen).toBe('ops-key');
      await expect.poll(async () => (await b.getVersions('ops-key')).map((v) => v.value.reveal())).toEqual([`${VALUE}-2`, VALUE]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('loses no write when two replicas write the same secret at once (409 Conflict, read again, apply again)', async () => {
    const p = prefix();
    const a = await open(p);
    const b = await open(p);
    await a.put('shared', new Secret('v1'), { type: 'generic' });
    const written = await Promise.all([
      a.put('shared', new Secret('from-a'), { type: 'generic', previousValidUntil: new Date(Date.now() + 3_600_000) }),
      b.put('shared', new Secret('from-b'), { type: 'generic', previousValidUntil: new Date(Date.now() + 3_600_000) }),
    ]);
    expect(written.map((r) => r.version).sort()).toEqual([2, 3]);
    const reader = await open(p);
    expect((await reader.getVersions('shared')).map((v) => v.value.reveal()).sort()).toEqual(['from-a', 'from-b', 'v1']);
  });

  it('refuses to start without rights on secrets in the namespace, saying which Role is missing', async () => {
    const error = await KubernetesSecretStore.open({ api: await recordedCoreApi(), namespace: 'shop', prefix: 'x-' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CnmcpError);
    expect((error as CnmcpError).code).toBe('SECRET_STORE_UNAVAILABLE');
    expect((error as Error).message).toMatch(/HTTP 403.*cannot list resource "secrets".*Role of the Helm chart/);
  });

  it('serves API keys from the store to a kernel (`use: kubernetes`), rotations included', async () => {
    const { kubeconfig } = await recordedApiServer();
    const p = prefix();
    const cli = await open(p);
    await cli.put('ops-key', new Secret(VALUE), { type: 'apikey' });
    const kernel = await Kernel.load({
      config: {
        server: { listen: '127.0.0.1:0' },
        secrets: { use: 'kubernetes', kubeconfig, namespace: 'cnmcp', prefix: p, pollIntervalMs: 100 },
        auth: [{ use: 'apikey', keys: [{ id: 'ops', secret: 'ops-key', roles: ['admin'] }] }],
      },
    });
    await kernel.start();
    const status = async (key: string) => {
      const res = await fetch(kernel.url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', 'x-api-key': key },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    try {
      expect(await status(VALUE)).toBe(200);
      await cli.put('ops-key', new Secret(`${VALUE}-2`), { type: 'apikey', previousValidUntil: new Date(Date.now() + 3_600_000) });
      await expect.poll(() => status(`${VALUE}-2`), { timeout: 20_000 }).toBe(200);
      expect(await status(VALUE)).toBe(200); // still in its grace period
    } finally {
      await kernel.stop();
    }
  }, 60_000);
});
