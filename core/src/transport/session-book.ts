/** `server.sessionLimits`: how many stateful sessions may exist, and how long an idle one lives. */
export interface SessionLimits {
  readonly idleTimeoutSeconds: number;
  readonly perIdentity: number;
  readonly max: number;
}

interface Entry<S> {
  readonly session: S;
  /** Who may use it: strategy, identity and credential fingerprint. */
  readonly owner: string;
  /** Whose cap it counts against: strategy and identity. */
  readonly identity: string;
  lastSeen: number;
}

/**
 * The open sessions of one endpoint (Streamable HTTP handshake sessions, or legacy SSE streams): a global cap, a
 * per-identity cap and an idle timeout, so unclosed sessions neither pile up nor live forever.
 */
export class SessionBook<S extends { close(): Promise<void> }> {
  readonly #limits: SessionLimits;
  readonly #entries = new Map<string, Entry<S>>();
  readonly #timer: NodeJS.Timeout;

  constructor(limits: SessionLimits) {
    this.#limits = limits;
    const idleMs = limits.idleTimeoutSeconds * 1000;
    this.#timer = setInterval(() => this.#sweep(idleMs), Math.max(250, Math.min(30_000, idleMs / 4)));
    this.#timer.unref();
  }

  /** Why a new session for this identity is refused, or undefined when it may open one. */
  refusal(identity: string): string | undefined {
    let held = 0;
    for (const entry of this.#entries.values()) if (entry.identity === identity) held++;
    if (held >= this.#limits.perIdentity) return `this identity holds ${held} sessions already (server.sessionLimits.perIdentity)`;
    if (this.#entries.size >= this.#limits.max) return `the server holds its maximum of ${this.#limits.max} sessions (server.sessionLimits.max)`;
    return undefined;
  }

  add(id: string, session: S, owner: string, identity: string): void {
    this.#entries.set(id, { session, owner, identity, lastSeen: Date.now() });
  }

  /** The session, when `owner` may use it; another owner's id is answered like an unknown one. */
  use(id: string, owner: string): S | undefined {
    const entry = this.#entries.get(id);
    if (!entry || entry.owner !== owner) return undefined;
    entry.lastSeen = Date.now();
    return entry.session;
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  get size(): number {
    return this.#entries.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    const sessions = [...this.#entries.values()].map((e) => e.session);
    this.#entries.clear();
    await Promise.allSettled(sessions.map((s) => s.close()));
  }

  #sweep(idleMs: number): void {
    const cutoff = Date.now() - idleMs;
    for (const [id, entry] of this.#entries)
      if (entry.lastSeen < cutoff) {
        this.#entries.delete(id);
        void entry.session.close().catch(() => undefined);
      }
  }
}
