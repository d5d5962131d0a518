import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { newSecretValue, rotateSecret } from '@cnmcp/core';
import { eventually, listStatus } from './support.js';

const OLD_KEY = 'Initial-Ops-Key-0042!';
const NO_LOCKOUT = { authFailures: { attempts: 1000, windowSeconds: 60, lockoutSeconds: 1 } };

function memoryAudit() {
  const events: AuditEvent[] = [];
  const plugin = definePlugin({
    kind: 'audit-sink',
    name: 'rotation-test-memory',
    configSchema: { type: 'object', additionalProperties: false },
    setup: async () => ({ write: async (batch) => void events.push(...batch), close: async () => {} }),
  });
  return { events, plugin };
}

describe('rotation on the kernel timer', () => {
  it('rotates a due API key, audits it without the value, and the strategy accepts both keys in the grace period', async () => {
    const audit = memoryAudit();
    const server = await startTestKernel({
      config: {
        limits: NO_LOCKOUT,
        secrets: { use: 'memory', initial: [{ name: 'ops-key', type: 'apikey', value: '${env:OPS_KEY}' }] },
        rotation: { checkIntervalSeconds: 1, rules: [{ type: 'apikey', every: '1s', grace: '1h', keepVersions: 3 }] },
        audit: [{ use: 'rotation-test-memory' }],
        authorization: { use: 'allow-all' },
        auth: [{ use: 'apikey', keys: [{ id: 'ops', secret: 'ops-key', roles: ['admin'] }] }],
        toolPacks: [{ use: 'utilities' }],
      },
      plugins: [audit.plugin],
      env: { OPS_KEY: OLD_KEY },
    });
    try {
      await eventually(async () => audit.events.some((e) => e.type === 'secret.rotated'), 15_000);
      const store = server.kernel.secretStore!;
      const versions = await store.getVersions('ops-key');
      expect(versions.length).toBeGreaterThanOrEqual(2);
      const newKey = versions[0]!.value.reveal();
      await eventually(async () => (await listStatus(server.url, { 'x-api-key': newKey })) === 200);
      expect(await listStatus(server.url, { 'x-api-key': OLD_KEY })).toBe(200);
      const rotated = audit.events.find((e) => e.type === 'secret.rotated')!;
      expect(rotated).toMatchObject({ outcome: 'success', details: { name: 'ops-key', type: 'apikey', previousVersion: 1, trigger: 'schedule' } });
      await server.close();
      const text = JSON.stringify(audit.events);
      for (const v of versions) expect(text).not.toContain(v.value.reveal());
      expect(text).not.toContain(OLD_KEY);
    } finally {
      await server.close();
    }
  });

  it('does not run the timer where rotation.enabled is false (another replica owns it)', async () => {
    const audit = memoryAudit();
    const server = await startTestKernel({
      config: {
        secrets: { use: 'memory', initial: [{ name: 'ops-key', type: 'apikey', value: OLD_KEY }] },
        rotation: { enabled: false, checkIntervalSeconds: 1, rules: [{ name: 'ops-key', every: '1s' }] },
        audit: [{ use: 'rotation-test-memory' }],
        toolPacks: [{ use: 'utilities' }],
      },
      plugins: [audit.plugin],
    });
    try {
      await new Promise((r) => setTimeout(r, 2500)); // two timer periods in which nothing may happen
      expect((await server.kernel.secretStore!.get('ops-key')).version).toBe(1);
      expect(audit.events.filter((e) => e.type === 'secret.rotated')).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('bearer tokens signed with a stored secret', () => {
  it('verifies generated tokens; after the signing secret rotates, old tokens verify through the grace period only', async () => {
    const server = await startTestKernel({
      config: {
        limits: NO_LOCKOUT,
        secrets: { use: 'memory' },
        authorization: { use: 'allow-all' },
        auth: [{ use: 'bearer', signingSecret: 'jwt-signing-key' }],
        toolPacks: [{ use: 'utilities' }],
      },
    });
    try {
      const store = server.kernel.secretStore!;
      const bearer = (token: string) => listStatus(server.url, { authorization: `Bearer ${token}` });
      // The first token creates the signing secret in the store.
      const first = (await newSecretValue(store, 'bearer', { subject: 'ci-bot', ttlSeconds: 3600 })).value.reveal();
      expect(await bearer(first)).toBe(200);

      await rotateSecret(store, 'jwt-signing-key', { graceMs: 3_600_000, keepVersions: 2 });
      const second = (await newSecretValue(store, 'bearer', { subject: 'ci-bot', ttlSeconds: 3600 })).value.reveal();
      expect(await bearer(second)).toBe(200);
      expect(await bearer(first)).toBe(200); // signed by version 1, live in its grace period

      await rotateSecret(store, 'jwt-signing-key', { graceMs: 0, keepVersions: 2 });
      expect(await bearer(first)).toBe(401);
      expect(await bearer(second)).toBe(401);
      expect(await bearer((await newSecretValue(store, 'bearer', { subject: 'ci-bot', ttlSeconds: 3600 })).value.reveal())).toBe(200);
    } finally {
      await server.close();
    }
  });
});
