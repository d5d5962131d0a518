import { startTestKernel } from '@cnmcp/core/testing';
import { apiKeyProblems } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { eventually, fileStoreSetup, lastLine, listStatus } from './support.js';

// Generous: under load a CLI run takes seconds, and the old key must be checked well inside the grace period.
const GRACE_SECONDS = 30;

describe('rotating the API key of a running server through the CLI', () => {
  it('accepts the old key through the grace period only, and the new key throughout', async () => {
    const { configFile, config, env } = fileStoreSetup({
      authorization: { use: 'allow-all' },
      auth: [{ use: 'apikey', keys: [{ id: 'ops', secret: 'ops-key', roles: ['admin'] }] }],
      toolPacks: [{ use: 'utilities' }],
    });
    const generated = await runCli(['secrets', 'generate', '--type', 'apikey', 'ops-key', '--config', configFile], { env });
    expect(generated.code, generated.stderr).toBe(0);
    const oldKey = lastLine(generated.stdout);
    expect(apiKeyProblems(oldKey)).toEqual([]);

    const server = await startTestKernel({ config, env });
    try {
      const as = (key: string) => listStatus(server.url, { 'x-api-key': key });
      expect(await as(oldKey)).toBe(200);

      const rotated = await runCli(['secrets', 'rotate', 'ops-key', '--grace', `${GRACE_SECONDS}s`, '--config', configFile], { env });
      expect(rotated.code, rotated.stderr).toBe(0);
      const newKey = lastLine(rotated.stdout);
      expect(newKey).not.toBe(oldKey);
      expect(apiKeyProblems(newKey)).toEqual([]);
      const graceUntil = Date.parse(/stays valid until (\S+)/.exec(rotated.stdout)![1]!);
      expect(rotated.stdout.split('\n').filter((l) => l.includes(newKey))).toEqual([newKey]); // shown once, alone

      // No restart: the server notices the file change within its poll interval.
      await eventually(async () => (await as(newKey)) === 200);
      expect(Date.now()).toBeLessThan(graceUntil - 1000);
      expect(await as(oldKey)).toBe(200);

      // Until the grace period ends both keys work; after it only the new one does.
      while (Date.now() < graceUntil - 500) {
        expect(await as(newKey)).toBe(200);
        expect(await as(oldKey)).toBe(200);
        await new Promise((r) => setTimeout(r, 500));
      }
      await new Promise((r) => setTimeout(r, Math.max(0, graceUntil - Date.now()) + 200));
      expect(await as(oldKey)).toBe(401);
      expect(await as(newKey)).toBe(200);
    } finally {
      await server.close();
    }
  }, 90_000);
});
