/**
 * One audit record. The kernel fills ids, times, the chain fields and the hash; sinks store events exactly as
 * given (the hash covers every field but `hash`) and return them unchanged from `query`.
 */
export interface AuditEvent {
  /** Sortable (ULID): ascending ids are chronological order within a process. */
  readonly id: string;
  readonly time: string;
  readonly type: string;
  readonly outcome: 'success' | 'failure' | 'denied' | 'error';
  readonly actor?: { readonly id: string; readonly authMethod: string; readonly roles: readonly string[] };
  readonly source?: { readonly ip?: string; readonly userAgent?: string; readonly transport?: string };
  readonly requestId?: string;
  readonly traceId?: string;
  readonly tool?: string;
  /** Tool arguments with sensitive values replaced by `hmac-sha256:<hex>`. */
  readonly arguments?: unknown;
  readonly durationMs?: number;
  readonly error?: { readonly code: string; readonly message: string };
  readonly details?: Readonly<Record<string, unknown>>;
  /** Tamper evidence: one chain per server process; `seq` counts from 1 within it. */
  readonly chain: string;
  readonly seq: number;
  /** `hash` of the previous event of this chain ('' for the first). */
  readonly prevHash: string;
  /**
   * The chain key that sealed this event (an id derived from the key, never the key). Absent on unkeyed chains
   * (no `auditing.chainKey` or `hmacKey`, or written by a release before keyed chains).
   */
  readonly keyId?: string;
  /** HMAC-SHA256 (under the key `keyId` names; plain SHA-256 when unkeyed) hex over the canonical JSON of every other field. */
  readonly hash: string;
}

/** What a plugin emits: the kernel adds id, time, chain fields and hash. */
export type AuditInput = Omit<AuditEvent, 'id' | 'time' | 'chain' | 'seq' | 'prevHash' | 'hash' | 'keyId'> & { readonly time?: string };

/** The emit side every plugin gets through its context. */
export interface AuditEmitter {
  emit(event: AuditInput): void;
}

/** Query filter; every field optional, all given fields must match. */
export interface AuditFilter {
  readonly since?: Date;
  readonly until?: Date;
  readonly type?: string;
  readonly actor?: string;
  /** A tool name, or a pattern where `*` matches any run of characters (`kubernetes_*`). */
  readonly tool?: string;
  readonly outcome?: AuditEvent['outcome'];
  /** Cursor: only events with an id greater than this. */
  readonly after?: string;
  readonly limit?: number;
}

/** Port of plugin kind `audit-sink`. Several sinks fan out; the kernel batches writes. */
export interface AuditSink {
  /** When true, a request whose event cannot be written here fails (HTTP 503 / JSON-RPC -31050). */
  readonly failClosed?: boolean;
  /** Appends a batch in order. Rejects when anything was not stored. */
  write(batch: readonly AuditEvent[]): Promise<void>;
  /** Events matching the filter, ascending by id. */
  query?(filter: AuditFilter): AsyncIterable<AuditEvent>;
  /**
   * GDPR erasure: replaces the subject `actorId` by `pseudonym` wherever an event names it (`eraseSubject`: the
   * actor, a claimed user name in details, ...), keeping every other field (hash included) as stored. Returns the
   * ids and stored hashes of the events changed.
   */
  erase?(actorId: string, pseudonym: string): Promise<readonly { id: string; hash: string }[]>;
  close(): Promise<void>;
}
