import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { CnmcpError, type AuditEvent, type AuditSink, type Logger, type PluginContext, type SecretReader } from '@cnmcp/core/plugin';
import { toolGlobRegExp } from '../shared/tool-glob.js';
import type { WebhookSinkConfig } from './config-schema.js';
import { DeliveryQueue, type AttemptResult } from './delivery-queue.js';
import { DenialWindow } from './denial-window.js';
import { eventPayload } from './payload.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';

const MIN_SECRET_LENGTH = 32;
const OUTCOMES = ['delivered', 'failed', 'dropped'] as const;

export interface WebhookDeps {
  readonly logger: Logger;
  readonly meter: PluginContext<unknown>['meter'];
  readonly secrets: SecretReader;
  /** Milliseconds since the epoch; a test moves it by hand. */
  readonly now?: () => number;
}

/** http:// is allowed to loopback only (or with allowHttp): the events would cross the network in clear text. */
export function checkEndpoint(config: Pick<WebhookSinkConfig, 'url' | 'allowHttp'>): URL {
  const url = new URL(config.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
  if (url.protocol === 'http:' && !loopback && !config.allowHttp) {
    throw new CnmcpError(
      'AUDIT_WEBHOOK_INSECURE',
      `audit webhook ${url.origin}: http:// to a non-loopback host sends events in clear text; use https:// or set allowHttp`,
      {
        path: '/url',
      },
    );
  }
  return url;
}

/** The signing secret, checked: present in the store and long enough that its HMAC cannot be brute-forced. */
async function readSigningSecret(secrets: SecretReader, name: string): Promise<string> {
  const value = (await secrets.get(name)).value.reveal();
  if (value.length < MIN_SECRET_LENGTH) {
    throw new CnmcpError('AUDIT_WEBHOOK_SECRET_WEAK', `audit webhook secret "${name}" has ${value.length} characters; use at least ${MIN_SECRET_LENGTH}`, {
      path: '/secret',
    });
  }
  return value;
}

/**
 * `audit: [{ use: webhook }]`: posts chosen events, and summaries of denials over a threshold, to an HTTP(S)
 * endpoint, signed with HMAC-SHA256. `write` only filters and queues: delivery runs in the background with retries,
 * so a slow or dead receiver never delays a request (the sink is never fail-closed; keep a durable sink beside it).
 */
export async function openWebhookSink(config: WebhookSinkConfig, deps: WebhookDeps): Promise<AuditSink> {
  const url = checkEndpoint(config);
  let secret = await readSigningSecret(deps.secrets, config.secret);
  const unwatch = deps.secrets.watch?.((name) => {
    if (name !== config.secret) return;
    readSigningSecret(deps.secrets, name).then(
      (next) => (secret = next),
      (error: Error) => deps.logger.warn('the rotated webhook secret cannot be used; still signing with the previous one', { error: error.message }),
    );
  });
  const now = deps.now ?? Date.now;
  const types = config.events.map(toolGlobRegExp);
  const denials = config.denials ? new DenialWindow(config.denials.threshold, config.denials.windowSeconds, now) : undefined;
  const target = url.host;

  const deliveries = deps.meter.createCounter('cnmcp_audit_webhook_deliveries', {
    description: 'Audit webhook deliveries by target and outcome: delivered, failed (attempts used up or refused), dropped (queue full or shutdown).',
  });
  const attemptFailures = deps.meter.createCounter('cnmcp_audit_webhook_attempt_failures', {
    description: 'Failed audit webhook attempts (each retry counts), by target and reason (timeout, network, status).',
  });
  for (const outcome of OUTCOMES) deliveries.add(0, { target, outcome });
  for (const reason of ['timeout', 'network', 'status']) attemptFailures.add(0, { target, reason });

  const attempt = async (body: Record<string, unknown>, n: number, stop: AbortSignal): Promise<AttemptResult> => {
    // Signed per attempt: a retry hours later carries a fresh timestamp and still passes the receiver's replay window.
    const timestamp = Math.floor(now() / 1000);
    const text = JSON.stringify({ ...body, timestamp, attempt: n });
    const limit = withTimeout(stop, config.timeoutMs);
    try {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'error',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'cnmcp-audit-webhook',
          [SIGNATURE_HEADER]: signatureHeader(secret, text, timestamp),
          'cnmcp-delivery': String(body.deliveryId),
        },
        body: text,
        signal: limit.signal,
      });
      await res.body?.cancel();
      if (res.ok) return { ok: true };
      const retry = res.status === 408 || res.status === 429 || res.status >= 500;
      return { ok: false, retry, reason: `HTTP ${res.status}` };
    } catch (error) {
      const timedOut = limit.signal.reason instanceof DOMException && limit.signal.reason.name === 'TimeoutError';
      return {
        ok: false,
        retry: true,
        reason: timedOut ? 'timeout' : `network: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`,
      };
    } finally {
      limit.done();
    }
  };

  const queue = new DeliveryQueue({
    limit: config.queueLimit,
    maxAttempts: config.maxAttempts,
    retryInitialDelayMs: config.retryInitialDelayMs,
    retryMaxDelayMs: config.retryMaxDelayMs,
    attempt,
    on: {
      delivered: () => deliveries.add(1, { target, outcome: 'delivered' }),
      failed: (reason, attempts) => {
        deliveries.add(1, { target, outcome: 'failed' });
        deps.logger.warn('audit webhook delivery failed; the event stays in the other audit sinks', { target, reason, attempts });
      },
      dropped: (why) => {
        deliveries.add(1, { target, outcome: 'dropped' });
        deps.logger.warn('audit webhook delivery dropped', { target, why, queueLimit: config.queueLimit });
      },
      attemptFailed: (reason) =>
        attemptFailures.add(1, { target, reason: reason === 'timeout' ? 'timeout' : reason.startsWith('HTTP') ? 'status' : 'network' }),
    },
  });
  deps.meter
    .createObservableGauge('cnmcp_audit_webhook_queue_depth', { description: 'Audit webhook deliveries waiting, by target.' })
    .addCallback((r) => r.observe(queue.depth, { target }));

  const envelope = (type: string, fields: Record<string, unknown>) => ({ type, deliveryId: randomUUID(), ...fields });
  return {
    failClosed: false,
    write: async (batch: readonly AuditEvent[]) => {
      for (const event of batch) {
        if (types.some((t) => t.test(event.type))) queue.push(envelope('audit.event', { event: eventPayload(event) }));
        const summary = denials?.add(event);
        if (summary) queue.push(envelope('audit.denials', { denials: summary }));
      }
    },
    close: async () => {
      unwatch?.();
      await queue.close(config.timeoutMs);
    },
  };
}

/** `stop` or a timeout, whichever comes first (AbortSignal.any needs Node 20.3); `done` releases both. */
function withTimeout(stop: AbortSignal, ms: number): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('the attempt timed out', 'TimeoutError')), ms);
  const onStop = () => controller.abort(stop.reason);
  stop.addEventListener('abort', onStop, { once: true });
  return {
    signal: controller.signal,
    done: () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
    },
  };
}
