import type { ConfigOf } from '@cnmcp/core/plugin';

/** Options every provider shares: how the listener negotiates TLS and whether it asks for client certificates. */
export type ListenerOptions = ConfigOf<{ readonly type: 'object'; readonly properties: typeof listenerProperties }>;

export const listenerProperties = {
  minVersion: { enum: ['TLSv1.2', 'TLSv1.3'], default: 'TLSv1.2', description: 'Lowest TLS version accepted; TLS 1.0 and 1.1 are never offered.' },
  maxVersion: { enum: ['TLSv1.2', 'TLSv1.3'], description: 'Highest TLS version accepted (default: the highest Node supports, TLS 1.3).' },
  ciphers: {
    type: 'string',
    minLength: 1,
    description: "OpenSSL cipher list for TLS 1.2, e.g. 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384'. Default: Node's.",
  },
  clientAuth: {
    enum: ['request', 'require'],
    description:
      'mTLS. request: ask for a client certificate and let the `mtls` auth strategy judge it; require: refuse the handshake without one that verifies against `ca`.',
  },
  ca: {
    type: 'string',
    minLength: 1,
    description: 'PEM file of the CA certificate(s) client certificates must chain to (needed with clientAuth), relative to the working directory.',
  },
} as const;

/** `clientAuth` without `ca` is rejected by the schema: there would be nothing to verify client certificates against. */
export const listenerDependencies = { clientAuth: ['ca'] } as const;
