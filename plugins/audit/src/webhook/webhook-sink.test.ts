// The webhook audit sink against a real node:http receiver: signatures a receiver can verify (and tampering it
// detects), retries with backoff, the bounded queue, a receiver that hangs, denial summaries, and a real kernel
// posting a brute-force lockout.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNoopMeter } from '@opentelemetry/api';
import type { AuditEvent, Logger, SecretReader } from '@cnmcp/core/plugin';
import { Secret } from '@cnmcp/core/plugin';
import { silentLogger, startTestKernel } from '@cnmcp/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configSchema, type WebhookSinkConfig } from './config-schema.js';
import { openWebhookSink } from './webhook-sink.js';

const SECRET = 'whsec-0123456789abcdef0123456789abcdef';

/** The receiver-side check exactly as docs/security/audit-webhook.md prints it, written apart from the sink's own code. */
function receiverAccepts(header: string | undefined, rawBody: string, secret = SECRET, nowSeconds = Date.now() / 1000): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) && JSON.parse(rawBody).timestamp === t;
}

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real receiver: answers each request with what `answer` says (a status, or 'hang' to never answer). */
async function startReceiver(answer: (n: number) => number | 'hang' = () => 204) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const reply = answer(received.length);
      if (reply === 'hang') hanging.push(res);
      else res.writeHead(reply).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    hanging,
    bodies: () => received.map((r) => JSON.parse(r.body) as Record<string, unknown>),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const secrets = (value = SECRET): SecretReader => ({
  get: async (name) => ({ name, value: new Secret(value), type: 'generic', version: 1, createdAt: new Date() }),
  getVersions: async () => [],
});

function capturingLogger() {
  const warnings: { message: string; fields: unknown }[] = [];
  const logger: Logger = { ...silentLogger, warn: (message: string, fields?: unknown) => void warnings.push({ message, fields }), child: () => logger };
  return { logger, warnings };
}

const config = (url: string, extra: Partial<WebhookSinkConfig> = {}): WebhookSinkConfig => ({
  url,
  secret: 'audit-webhook',
  events: ['auth.lockout'],
  allowHttp: false,
  timeoutMs: 2000,
  maxAttempts: 4,
  retryInitialDelayMs: 20,
  retryMaxDelayMs: 100,
  queueLimit: 100,
  ...extra,
});

let seq = 0;
const event = (fields: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `01JWEBHOOK${String(++seq).padStart(6, '0')}`,
  time: new Date().toISOString(),
  type: 'auth.lockout',
  outcome: 'denied',
  source: { ip: '203.0.113.9', transport: 'streamable-http', userAgent: 'curl' },
  details: { scope: 'ip' },
  chain: 'c',
  seq,
  prevHash: '',
  hash: 'h',
  ...fields,
});

let receiver: Receiver | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await receiver?.close();
  receiver = undefined;
});

const open = async (cfg: WebhookSinkConfig, logger: Logger = silentLogger, secretValue = SECRET) => {
  const sink = await openWebhookSink(cfg, { logger, meter: createNoopMeter(), secrets: secrets(secretValue) });
  closers.push(() => sink.close());
  return sink;
};

describe('webhook audit sink', () => {
  it('posts chosen event types as JSON signed over timestamp and body, leaving out arguments, error messages and credential-like details', async () => {
    receiver = await startReceiver();
    const sink = await open(config(receiver.url, { events: ['auth.lockout', 'tls.*'] }));
    await sink.write([
      event({ type: 'tool.call', outcome: 'success' }),
      event({
        arguments: { password: 'hmac-sha256:abcd' },
        error: { code: 'LOCKED', message: 'key Wrong-Key-1 locked' },
        details: { scope: 'ip', apiKey: 'k-123', token: 't' },
      }),
      event({ type: 'tls.renewed', outcome: 'success', details: { notAfter: '2027-01-01T00:00:00.000Z' } }),
    ]);
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(2));
    const [lockout, renewed] = receiver.received;
    for (const r of receiver.received) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(receiverAccepts(r.headers['cnmcp-signature'] as string, r.body)).toBe(true);
      expect(r.headers['cnmcp-delivery']).toBe(JSON.parse(r.body).deliveryId);
    }
    expect(JSON.parse(lockout!.body)).toMatchObject({
      type: 'audit.event',
      attempt: 1,
      event: {
        type: 'auth.lockout',
        outcome: 'denied',
        source: { ip: '203.0.113.9', transport: 'streamable-http' },
        error: { code: 'LOCKED' },
        details: { scope: 'ip' },
      },
    });
    expect(lockout!.body).not.toMatch(/hmac-sha256|Wrong-Key-1|k-123|apiKey|"token"|userAgent/);
    expect(JSON.parse(renewed!.body).event.type).toBe('tls.renewed');
  });

  it('lets a receiver detect tampering: a changed body, a changed timestamp, another secret or a replay after 5 minutes fail verification', async () => {
    receiver = await startReceiver();
    const sink = await open(config(receiver.url));
    await sink.write([event()]);
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(1));
    const { headers, body } = receiver.received[0]!;
    const header = headers['cnmcp-signature'] as string;
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(receiverAccepts(header, body)).toBe(true);
    expect(receiverAccepts(header, body.replace('203.0.113.9', '198.51.100.1'))).toBe(false);
    expect(receiverAccepts(header.replace(`t=${t}`, `t=${t + 1}`), body)).toBe(false);
    expect(receiverAccepts(header, body, 'another-secret-0123456789abcdef0123')).toBe(false);
    expect(receiverAccepts(header, body, SECRET, t + 301)).toBe(false);
  });

  it('retries a failing receiver with backoff, re-signing each attempt under the same delivery id, and stops retrying on a 4xx', async () => {
    receiver = await startReceiver((n) => (n <= 2 ? 503 : n === 3 ? 204 : 400));
    const { logger, warnings } = capturingLogger();
    const sink = await open(config(receiver.url), logger);
    await sink.write([event()]);
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(3));
    const bodies = receiver.bodies();
    expect(bodies.map((b) => b.attempt)).toEqual([1, 2, 3]);
    expect(new Set(bodies.map((b) => b.deliveryId)).size).toBe(1);
    for (const r of receiver.received) expect(receiverAccepts(r.headers['cnmcp-signature'] as string, r.body)).toBe(true);
    expect(warnings).toEqual([]);

    await sink.write([event()]);
    await vi.waitFor(() => expect(warnings.map((w) => w.message)).toContain('audit webhook delivery failed; the event stays in the other audit sinks'));
    expect(receiver.received).toHaveLength(4); // HTTP 400: refused for good, not retried
    expect(warnings[0]!.fields).toMatchObject({ reason: 'HTTP 400', attempts: 1 });
  });

  it('never blocks the writer on a receiver that hangs: attempts time out, the queue stays bounded, the overflow is dropped and logged', async () => {
    receiver = await startReceiver(() => 'hang');
    const { logger, warnings } = capturingLogger();
    const sink = await open(config(receiver.url, { queueLimit: 3, timeoutMs: 300, maxAttempts: 2 }), logger);
    // Ten lockouts while the receiver holds the first request open: write returns regardless.
    await sink.write(Array.from({ length: 10 }, () => event()));
    await vi.waitFor(() => expect(receiver!.hanging).toHaveLength(1));
    expect(warnings.filter((w) => w.message === 'audit webhook delivery dropped')).toHaveLength(7);
    expect(warnings[0]!.fields).toMatchObject({ why: 'queue full', queueLimit: 3 });
    // The hung attempt is abandoned after timeoutMs and retried; after maxAttempts the delivery counts as failed.
    await vi.waitFor(() => expect(warnings.some((w) => w.message.startsWith('audit webhook delivery failed'))).toBe(true), { timeout: 5000 });
    expect(warnings.find((w) => w.message.startsWith('audit webhook delivery failed'))!.fields).toMatchObject({ reason: 'timeout', attempts: 2 });
    expect(
      receiver
        .bodies()
        .slice(0, 2)
        .map((b) => b.attempt),
    ).toEqual([1, 2]);
    // Shutdown does not wait for the hanging receiver beyond the grace period; what is left is dropped, counted.
    await sink.close();
    closers.length = 0;
    expect(warnings.filter((w) => (w.fields as { why?: string }).why === 'shutdown').length).toBeGreaterThanOrEqual(1);
  });

  it('posts one summary when denials reach the threshold within the window, not one post per denial', async () => {
    receiver = await startReceiver();
    const sink = await open(config(receiver.url, { events: [], denials: { threshold: 3, windowSeconds: 60 } }));
    const denied = (actor: string) =>
      event({ type: 'tool.call', tool: 'kubernetes_delete_pod', actor: { id: actor, authMethod: 'apikey', roles: ['viewer'] } });
    await sink.write([denied('mallory'), event({ type: 'tool.call', outcome: 'success' }), denied('mallory'), denied('eve'), denied('mallory'), denied('eve')]);
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(1));
    await sink.close();
    closers.length = 0;
    expect(receiver.received).toHaveLength(1);
    expect(receiver.bodies()[0]).toMatchObject({
      type: 'audit.denials',
      denials: { threshold: 3, count: 3, windowSeconds: 60, byActor: { mallory: 2, eve: 1 }, byTool: { kubernetes_delete_pod: 3 } },
    });
  });

  it('signs with a rotated secret from the next delivery on, once the store reports the change', async () => {
    receiver = await startReceiver();
    let current = SECRET;
    const listeners: ((name: string) => void)[] = [];
    const rotating: SecretReader = {
      get: async (name) => ({ name, value: new Secret(current), type: 'generic', version: 1, createdAt: new Date() }),
      getVersions: async () => [],
      watch: (listener) => {
        listeners.push(listener);
        return () => void listeners.splice(listeners.indexOf(listener), 1);
      },
    };
    const sink = await openWebhookSink(config(receiver.url), { logger: silentLogger, meter: createNoopMeter(), secrets: rotating });
    closers.push(() => sink.close());
    await sink.write([event()]);
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(1));
    current = 'rotated-webhook-secret-0123456789abcdef';
    for (const listener of listeners) listener('audit-webhook');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sink.write([event()]);
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(2));
    const [before, after] = receiver.received;
    expect(receiverAccepts(before!.headers['cnmcp-signature'] as string, before!.body, SECRET)).toBe(true);
    expect(receiverAccepts(after!.headers['cnmcp-signature'] as string, after!.body, current)).toBe(true);
    expect(receiverAccepts(after!.headers['cnmcp-signature'] as string, after!.body, SECRET)).toBe(false);
    await sink.close();
    closers.length = 0;
    expect(listeners).toHaveLength(0);
  });

  it('refuses at startup an http:// URL to another host, a short secret, and (by schema) credentials in the URL', async () => {
    await expect(
      openWebhookSink(config('http://alerts.example.com/hook'), { logger: silentLogger, meter: createNoopMeter(), secrets: secrets() }),
    ).rejects.toMatchObject({
      code: 'AUDIT_WEBHOOK_INSECURE',
    });
    await expect(
      openWebhookSink(config('https://alerts.example.com/hook'), { logger: silentLogger, meter: createNoopMeter(), secrets: secrets('short') }),
    ).rejects.toMatchObject({
      code: 'AUDIT_WEBHOOK_SECRET_WEAK',
    });
    expect(new RegExp(configSchema.properties.url.pattern).test('https://user:pw@alerts.example.com/hook')).toBe(false);
  });
});

describe('webhook sink in a real kernel', () => {
  const KEY = 'Webhook-Lockout-Key-42!';
  it('posts the brute-force lockout, signed with the secret from the secrets store, and counts the delivery on /metrics', async () => {
    receiver = await startReceiver();
    process.env.CNMCP_WEBHOOK_TEST_SECRET = SECRET;
    const server = await startTestKernel({
      config: {
        authorization: { use: 'allow-all' },
        auth: [{ use: 'apikey', keys: [{ id: 'ops', key: KEY, roles: ['admin'] }] }],
        limits: { authFailures: { attempts: 2, lockoutSeconds: 60 } },
        secrets: { use: 'env', names: { 'audit-webhook': 'CNMCP_WEBHOOK_TEST_SECRET' } },
        audit: [{ use: 'webhook', url: receiver.url, secret: 'audit-webhook', events: ['auth.lockout'] }],
        telemetry: { metrics: { enabled: true, listen: '127.0.0.1:0' } },
        toolPacks: [{ use: 'utilities' }],
      },
    });
    closers.push(async () => {
      await server.close();
      delete process.env.CNMCP_WEBHOOK_TEST_SECRET;
    });
    const list = (key: string) =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', 'x-api-key': key },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      });
    for (let i = 0; i < 2; i++) expect((await list('Wrong-Key-Attempt-0!')).status).toBe(401);
    expect((await list(KEY)).status).toBe(429);
    await vi.waitFor(() => expect(receiver!.received).toHaveLength(1), { timeout: 5000 });
    const { headers, body } = receiver.received[0]!;
    expect(receiverAccepts(headers['cnmcp-signature'] as string, body)).toBe(true);
    expect(JSON.parse(body)).toMatchObject({ type: 'audit.event', event: { type: 'auth.lockout', outcome: 'denied', source: { ip: '127.0.0.1' } } });
    expect(body).not.toContain('Wrong-Key-Attempt');
    expect(body).not.toContain(KEY);
    await vi.waitFor(async () => {
      const text = await (await fetch(server.kernel.metricsUrl!)).text();
      expect(text).toMatch(/^cnmcp_audit_webhook_deliveries_total\{[^}]*outcome="delivered"[^}]*\} 1$/m);
      expect(text).toMatch(/^cnmcp_audit_webhook_deliveries_total\{[^}]*outcome="dropped"[^}]*\} 0$/m);
      expect(text).toMatch(/^cnmcp_audit_webhook_queue_depth\{[^}]*\} 0$/m);
    });
  });
});
