import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `audit: [{ use: webhook, ... }]`, typed by the schema below. */
export type WebhookSinkConfig = ConfigOf<typeof configSchema>;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'secret'],
  properties: {
    url: {
      type: 'string',
      pattern: '^https?://[^/@\\s]+(/\\S*)?$',
      description:
        'Where events are POSTed as JSON. https:// (trusting the system CAs and NODE_EXTRA_CA_CERTS); http:// only to a loopback address unless `allowHttp`. No user:password@ in the URL: the signature authenticates. A URL with a token in it (chat webhooks): write it as `${env:NAME}` or `${secret:NAME}` so that `config print` masks it; logs and metrics name only its host.',
    },
    secret: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
      description:
        'Name of the signing secret in the secrets store (`cnmcp secrets set NAME`, at least 32 characters). Every request carries `Cnmcp-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. A rotated secret is used from the next delivery.',
    },
    events: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: ['auth.lockout'],
      description: 'Event types posted one by one as they happen; `*` matches any run of characters (`tls.*`).',
    },
    denials: {
      type: 'object',
      additionalProperties: false,
      required: ['threshold'],
      properties: {
        threshold: { type: 'integer', minimum: 1, description: 'Post one summary when this many events with outcome `denied` happen within a window.' },
        windowSeconds: { type: 'integer', minimum: 1, default: 60, description: 'The window; one summary per window at most.' },
      },
      description: 'Access denials over a threshold: a summary (count, by actor, by tool) instead of one post per denial.',
    },
    allowHttp: { type: 'boolean', default: false, description: 'Allow an http:// URL to a non-loopback host (the events travel in clear text).' },
    timeoutMs: { type: 'integer', minimum: 100, maximum: 120000, default: 5000, description: 'One attempt is abandoned (and retried) after this long.' },
    maxAttempts: {
      type: 'integer',
      minimum: 1,
      maximum: 20,
      default: 6,
      description: 'Attempts per delivery, the first included, before it counts as failed.',
    },
    retryInitialDelayMs: { type: 'integer', minimum: 10, default: 1000, description: 'Wait before the first retry; doubled after each failed attempt.' },
    retryMaxDelayMs: { type: 'integer', minimum: 10, default: 60000, description: 'The longest wait between two attempts.' },
    queueLimit: {
      type: 'integer',
      minimum: 1,
      maximum: 100000,
      default: 1000,
      description: 'Deliveries waiting at most; beyond it new ones are dropped (counted and logged), so a dead receiver never grows memory.',
    },
  },
} as const satisfies PluginConfigSchema;
