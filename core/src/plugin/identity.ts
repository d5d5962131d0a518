/** Who is calling. Set only by authentication (or the configured local identity on stdio), never by a client header. */
export interface Identity {
  /** Stable id: an API key id, a JWT `sub`, a username, a certificate CN. */
  readonly id: string;
  /** The scheme that authenticated it: 'apikey', 'bearer', 'basic', 'mtls', 'local', or 'anonymous'. */
  readonly authMethod: string;
  readonly roles: readonly string[];
  readonly scopes?: readonly string[];
  /** Extra claims a strategy wants downstream stages to see. Never credentials. */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** The identity of calls on a server with no auth strategy configured (loopback only unless explicitly allowed). */
export const ANONYMOUS: Identity = Object.freeze({ id: 'anonymous', authMethod: 'anonymous', roles: Object.freeze([]) });
