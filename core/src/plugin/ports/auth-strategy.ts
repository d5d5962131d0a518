import type { Identity } from '../identity.js';

/** What an auth strategy may look at: the transport-level request, read-only. */
export interface AuthRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly url: URL;
  readonly remoteAddress: string;
  /** The client certificate on an HTTPS connection that presented one (`tls.clientAuth`); `authorized` says it verified against the CA. */
  readonly peerCertificate?: Readonly<{
    subject?: Readonly<Record<string, string>>;
    /** As Node prints it: `DNS:a.example, URI:spiffe://x/y, email:ops@example.com`. */
    subjectaltname?: string;
    fingerprint256?: string;
    authorized: boolean;
    /** Why it did not verify, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`. */
    authorizationError?: string;
  }>;
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
  | {
      readonly kind: 'fail';
      readonly reason: string;
      /**
       * Who the credential claimed to be (a username, a key id, a certificate CN), for the audit record only. Never a
       * secret. The lockout does not read it: it keys on `claimedSubject`, asked before the credential is checked.
       */
      readonly subject?: string;
    };

/** A public document the kernel serves without authentication, e.g. RFC 9728 protected-resource metadata. */
export interface WellKnownDocument {
  /** Absolute path, e.g. `/.well-known/oauth-protected-resource`. */
  readonly path: string;
  readonly body: unknown;
}

/** Port of plugin kind `auth`. Strategies run in config order. */
export interface AuthStrategy {
  /** The scheme named in `WWW-Authenticate` challenges, e.g. 'ApiKey', 'Bearer', 'Basic'. */
  readonly scheme: string;
  authenticate(request: AuthRequest): Promise<AuthOutcome>;
  /**
   * The subject this request's credential claims, read from the headers without checking anything: a Basic
   * username. The kernel looks it up in the lockout before `authenticate`, so a locked subject gets the same answer
   * whatever it presents (no oracle), and counts a failure against (this strategy, subject).
   *
   * Implement it only where a wrong credential is a guess at that subject's secret (a password). Leave it out where
   * a failure cannot be a guess (a bad signature, an untrusted certificate, a validly signed token that is expired
   * or for another audience) or where nothing names a subject before the credential matches (an API key): then
   * anyone could lock the subject out by presenting such credentials, and the failure counts against the source
   * address only.
   *
   * @example claimedSubject: (request) => parseBasic(request.headers.authorization)?.username
   */
  claimedSubject?(request: AuthRequest): string | undefined;
  /**
   * `WWW-Authenticate` parameters for a 401: `missing` when no credential was presented, `invalid` when this
   * strategy rejected one (e.g. `resource_metadata="..."`, plus `error="invalid_token"` for `invalid`).
   */
  challenge?(why: 'missing' | 'invalid'): string;
  /** Documents to serve unauthenticated (OAuth protected-resource metadata). */
  wellKnown?(): readonly WellKnownDocument[];
  close?(): Promise<void>;
}
