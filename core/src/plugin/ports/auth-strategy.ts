import type { Identity } from '../identity.js';

/** What an auth strategy may look at: the transport-level request, read-only. */
export interface AuthRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly url: URL;
  readonly remoteAddress: string;
  /** The verified client certificate on mTLS connections. */
  readonly peerCertificate?: Readonly<{ subject?: Record<string, string>; subjectaltname?: string; fingerprint256?: string }>;
}

/**
 * - `none`: this request carries no credential of my scheme; ask the next strategy.
 * - `ok`: authenticated.
 * - `fail`: a credential of my scheme was presented and is wrong. The chain stops (no fallback to a weaker scheme).
 *   `reason` goes to audit and logs, never to the client.
 */
export type AuthOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly identity: Identity }
  | { readonly kind: 'fail'; readonly reason: string };

/** Port of plugin kind `auth`. Strategies run in config order. */
export interface AuthStrategy {
  /** The scheme named in `WWW-Authenticate` challenges, e.g. 'ApiKey', 'Bearer', 'Basic'. */
  readonly scheme: string;
  authenticate(request: AuthRequest): Promise<AuthOutcome>;
  /** Extra `WWW-Authenticate` parameters (e.g. `resource_metadata`) for a 401 of this scheme. */
  challenge?(): string;
  close?(): Promise<void>;
}
