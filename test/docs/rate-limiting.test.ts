// Every YAML example in docs/security/rate-limiting.md boots as written (listening on a free loopback port), the
// Redis ones against a real redis-server, and answers with the limits it documents.
import { readFileSync } from 'node:fs';
import { startTestKernel } from '@cnmcp/core/testing';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const doc = readFileSync(new URL('../../docs/security/rate-limiting.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => parse(m[1]!) as Record<string, unknown>);
const OPS_API_KEY = 'Docs-Rate-Limit-Key-77!';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('docs/security/rate-limiting.md examples', () => {
  it('shows both stores', () => {
    expect(blocks.map((b) => (b.rateLimit as { use?: string } | undefined)?.use)).toEqual(['memory', 'redis', 'memory', 'redis']);
  });

  it.each(blocks.map((block, i) => [i, block] as const))('example %i boots and limits as documented', async (_, block) => {
    const server = await startTestKernel({
      config: { ...block, server: { ...(block.server as object), listen: '127.0.0.1:0' }, toolPacks: [{ use: 'utilities' }] },
      env: { REDIS_URL: redis.url, OPS_API_KEY },
    });
    try {
      const answer = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
          'x-api-key': OPS_API_KEY,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      expect(answer.status).toBe(200);
      const limits = block.limits as { perIp?: { points: number }; perIdentity?: { points: number } } | undefined;
      // The most specific HTTP rule passed (perIdentity, anonymous without auth) names itself in the RateLimit-* headers.
      const expected = (limits?.perIdentity ?? limits?.perIp)?.points;
      expect(answer.headers.get('ratelimit-limit')).toBe(expected === undefined ? null : String(expected));
      const stages = Object.fromEntries(server.kernel.pipeline().map((s) => [s.stage, s]));
      if (limits?.perIp) expect(stages['limit(ip)']?.status).toBe('on');
      if (block.server && (block.server as { trustedProxies?: unknown }).trustedProxies) expect(stages.guard?.detail).toContain('trusted proxy');
    } finally {
      await server.close();
    }
  });
});
