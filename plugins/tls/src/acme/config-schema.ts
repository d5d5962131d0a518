import type { ConfigOf, PluginConfigSchema } from '@cnmcp/core/plugin';
import { listenerDependencies, listenerProperties } from '../shared/listener-options.js';

export const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';

/** Options as written under `tls: { use: acme, ... }`, typed by the schema below. */
export type AcmeTlsConfig = ConfigOf<typeof configSchema>;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['domains', 'termsOfServiceAgreed'],
  properties: {
    domains: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}$' },
      description: 'DNS names of the certificate; the first is its subject. Each must resolve to this server.',
    },
    email: { type: 'string', format: 'email', description: 'Contact address of the ACME account (expiry notices).' },
    termsOfServiceAgreed: { const: true, description: "You agree to the ACME server's terms of service (Let's Encrypt: https://letsencrypt.org/repository/)." },
    directoryUrl: {
      type: 'string',
      format: 'uri',
      default: LETS_ENCRYPT,
      description: "ACME directory. Default: Let's Encrypt production; its staging directory is https://acme-staging-v02.api.letsencrypt.org/directory.",
    },
    directoryCa: {
      type: 'string',
      minLength: 1,
      description:
        'PEM file of the CA that signs the ACME server’s own HTTPS certificate, for a private ACME server (step-ca, Pebble). Default: the system CAs.',
    },
    challenge: {
      enum: ['http-01', 'tls-alpn-01'],
      default: 'http-01',
      description:
        'http-01: a responder on httpChallengePort (port 80 as the ACME server sees it). tls-alpn-01: answered on the HTTPS listener itself, which must be reachable on port 443.',
    },
    httpChallengeHost: { type: 'string', minLength: 1, default: '0.0.0.0', description: 'Address the http-01 responder binds.' },
    httpChallengePort: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: 80,
      description: 'Port the http-01 responder binds (behind a port mapping, whatever reaches it as port 80).',
    },
    cacheDir: {
      type: 'string',
      minLength: 1,
      default: './data/acme',
      description:
        'Directory (created 0700) for the account key and the certificates (files 0600), relative to the working directory. Keep it across restarts: ACME servers rate-limit issuance.',
    },
    renewBeforeDays: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 30,
      description: 'Renew when fewer days than this remain before the certificate expires.',
    },
    checkIntervalHours: { type: 'number', exclusiveMinimum: 0, default: 12, description: 'How often the expiry is checked.' },
    retryInitialDelaySeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 60,
      description: 'First wait after a failed issuance; doubled after each further failure.',
    },
    retryMaxDelaySeconds: { type: 'number', exclusiveMinimum: 0, default: 3600, description: 'Longest wait between attempts.' },
    ...listenerProperties,
  },
  dependentRequired: listenerDependencies,
} as const satisfies PluginConfigSchema;
