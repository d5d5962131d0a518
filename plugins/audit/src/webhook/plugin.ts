import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema } from './config-schema.js';
import { checkEndpoint, openWebhookSink } from './webhook-sink.js';

/**
 * Posts chosen audit events (lockouts by default) and summaries of denials over a threshold to an HTTP(S)
 * endpoint, signed with HMAC-SHA256 under a secret from the secrets store; retried with backoff from a bounded queue.
 *
 * @example
 * audit:
 *   - use: file
 *     path: ./data/audit.jsonl
 *   - use: webhook
 *     url: https://alerts.example.com/cnmcp
 *     secret: audit-webhook
 *     events: [auth.lockout]
 *     denials: { threshold: 20, windowSeconds: 60 }
 */
export default definePlugin({
  kind: 'audit-sink',
  name: 'webhook',
  description: 'Signed (HMAC-SHA256) JSON posts of chosen audit events and denial bursts to an HTTP(S) endpoint, with retries and a bounded queue.',
  configSchema,
  async check({ config, secrets }) {
    checkEndpoint(config);
    await secrets.get(config.secret);
  },
  async setup({ config, logger, meter, secrets }) {
    return openWebhookSink(config, { logger, meter, secrets });
  },
});
