// Two real server processes sharing one real Redis: one global limit, fail closed while Redis is gone, service
// back by itself when it returns. Then onStoreError: allow, and the auth lockout counted across replicas.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../cli/run-cli.js';
import { jsonRpcMessagesOf, rawRequest, type RawResponse } from '../support/raw-http.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

let id = 0;
function rpc(url: URL, method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
  });
}
const errorOf = (r: RawResponse) =>
  jsonRpcMessagesOf(r.headers['content-type'] as string | undefined, r.body)[0]?.error as { code: number; message: string } | undefined;
const hash = (url: URL) => rpc(url, 'tools/call', { name: 'utilities_hash', arguments: { input: 'x' } });
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('two server processes sharing one Redis', () => {
  const servers: { child: ChildProcess; url: URL; stderr: () => string }[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-rl-redis-'));
    const config = join(dir, 'cnmcp.config.yaml');
    writeFileSync(
      config,
      [
        'rateLimit: { use: redis, url: "${env:REDIS_URL}", commandTimeoutMs: 500 }',
        'limits:',
        '  onStoreError: deny',
        '  perIp: { points: 1000, durationSeconds: 60 }',
        '  perTool:',
        '    - { tools: utilities_hash, points: 5, durationSeconds: 60 }',
        'logging: { level: info, format: json }',
        'toolPacks: [{ use: utilities }]',
        '',
      ].join('\n'),
    );
    for (let i = 0; i < 2; i++) {
      const started = await startCli(['serve', '--config', config, '--listen', '127.0.0.1:0'], /serving MCP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/, {
        env: { REDIS_URL: redis.url },
      });
      servers.push({ child: started.child, url: new URL(started.match[1]!), stderr: started.stderr });
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(
      servers.map(async ({ child }) => {
        if (child.exitCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
  });

  it('enforce one global limit: the 6th call is refused whichever process gets it', async () => {
    const [a, b] = servers;
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await hash((i % 2 ? a : b)!.url);
      expect(answer.status).toBe(200);
      outcomes.push(errorOf(answer)?.code === -31029 ? 'limited' : 'ok');
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'limited', 'limited', 'limited']);
  });

  it('fail closed while Redis is down, logging it once per process, and resume by themselves when it returns', async () => {
    await redis.kill();
    for (let i = 0; i < 3; i++) {
      for (const server of servers) {
        const refused = await rpc(server.url, 'ping');
        expect(refused.status).toBe(429);
        expect(refused.headers['retry-after']).toBe('1');
        expect(errorOf(refused)).toMatchObject({ code: -31029, message: 'rate limit unavailable, try again later' });
      }
    }
    // Log lines cross a pipe from the child: wait for them rather than read what has arrived so far.
    for (const server of servers) await expect.poll(() => occurrences(server.stderr(), 'rate-limit store unavailable; requests are refused with 429')).toBe(1);

    await redis.restart();
    for (const server of servers) {
      await expect.poll(async () => (await rpc(server.url, 'ping')).status, { timeout: 20_000, interval: 250 }).toBe(200);
      // The restarted Redis kept nothing: the tool's count starts again.
      expect(errorOf(await hash(server.url))).toBeUndefined();
    }
    for (const server of servers) {
      await expect.poll(() => server.stderr()).toContain('rate-limit store recovered');
      await expect.poll(() => server.stderr()).toContain('Redis connection restored');
      expect(occurrences(server.stderr(), 'lost the Redis connection')).toBe(1);
      expect(occurrences(server.stderr(), 'rate-limit store unavailable')).toBe(1);
    }
  }, 60_000);
});

describe('redis store in the kernel', () => {
  let kernels: TestKernel[] = [];
  const start = async (config: Record<string, unknown>) => {
    const kernel = await startTestKernel({ config: { rateLimit: { use: 'redis', url: redis.url }, toolPacks: [{ use: 'utilities' }], ...config } });
    kernels.push(kernel);
    return kernel;
  };
  afterAll(async () => {
    for (const kernel of kernels) await kernel.close();
    kernels = [];
  });

  it('with onStoreError: allow, lets requests through while Redis is down', async () => {
    const server = await start({ limits: { onStoreError: 'allow', perIp: { points: 100, durationSeconds: 60 } } });
    expect((await rpc(server.url, 'ping')).headers['ratelimit-limit']).toBe('100');
    await redis.kill();
    try {
      const passed = await rpc(server.url, 'ping');
      expect(passed.status).toBe(200);
      expect(passed.headers['ratelimit-limit']).toBeUndefined();
    } finally {
      await redis.restart();
    }
    await expect.poll(async () => (await rpc(server.url, 'ping')).headers['ratelimit-limit'], { timeout: 20_000, interval: 250 }).toBe('100');
  }, 60_000);

  it('counts authentication failures across replicas: the lockout holds on both', async () => {
    const KEY = 'Redis-Lockout-Key-0042!';
    const config = {
      authorization: { use: 'allow-all' },
      auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
      limits: { authFailures: { attempts: 4, lockoutSeconds: 120 } },
    };
    const [a, b] = [await start(config), await start(config)];
    for (let i = 0; i < 4; i++) expect((await rpc((i % 2 ? a : b).url, 'ping', {}, { 'x-api-key': `Wrong-Key-${i}-abcdef` })).status).toBe(401);
    for (const server of [a, b]) {
      const locked = await rpc(server.url, 'ping', {}, { 'x-api-key': KEY });
      expect(locked.status).toBe(429);
      expect(errorOf(locked)?.message).toContain('too many failed authentication attempts');
    }
  });
});
