import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import myPlugin from './index.js';

let server: TestKernel;

beforeAll(async () => {
  server = await startTestKernel({ config: { rateLimit: { use: 'my-plugin' }, limits: { perIp: { points: 3, durationSeconds: 60 } } }, plugins: [myPlugin] });
});

afterAll(async () => {
  await server?.close();
});

const post = () =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: {} }),
  });

describe('my-plugin rate-limit store in the kernel', () => {
  it('counts every request of a client address and answers 429 past the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post();
      await res.body?.cancel();
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
  });
});
