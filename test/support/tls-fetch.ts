// fetch over TLS with a chosen trust anchor (and client certificate), for SDK clients and plain requests: the
// global fetch only trusts the system CAs and cannot present a client certificate.
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';

export interface TlsFetchOptions {
  /** PEM file(s) of the CA(s) to trust instead of the system ones. */
  readonly ca: string | readonly string[];
  /** A client certificate to present (mTLS). */
  readonly client?: { readonly certPath: string; readonly keyPath: string };
  /** Server name to verify the certificate against (default: the URL's host). */
  readonly servername?: string;
}

export interface TlsFetch {
  readonly fetch: typeof globalThis.fetch;
  /** Closes the agent's pooled connections. */
  close(): Promise<void>;
}

/** A fetch whose connections trust `ca` only and present `client` when given. Connections are pooled (keep-alive). */
export function tlsFetch(options: TlsFetchOptions): TlsFetch {
  const cas = (typeof options.ca === 'string' ? [options.ca] : options.ca).map((path) => readFileSync(path, 'utf8'));
  const agent = new Agent({
    connect: {
      ca: cas,
      ...(options.client ? { cert: readFileSync(options.client.certPath, 'utf8'), key: readFileSync(options.client.keyPath, 'utf8') } : {}),
      ...(options.servername ? { servername: options.servername } : {}),
    },
  });
  const fetch = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never)) as unknown as typeof globalThis.fetch;
  return { fetch, close: () => agent.close() };
}
