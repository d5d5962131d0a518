/** One audit record. The kernel fills ids, times and hashes; sinks store them as given. */
export interface AuditEvent {
  readonly id: string;
  readonly time: string;
  readonly type: string;
  readonly outcome: 'success' | 'failure' | 'denied' | 'error';
  readonly actor?: { readonly id: string; readonly authMethod: string; readonly roles: readonly string[] };
  readonly source?: { readonly ip?: string; readonly userAgent?: string; readonly transport?: string };
  readonly requestId?: string;
  readonly traceId?: string;
  readonly tool?: string;
  readonly arguments?: unknown;
  readonly durationMs?: number;
  readonly error?: { readonly code: string; readonly message: string };
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a plugin emits: the kernel adds id, time and trace id. */
export type AuditInput = Omit<AuditEvent, 'id' | 'time'> & { readonly time?: string };

/** The emit side every plugin gets through its context. */
export interface AuditEmitter {
  emit(event: AuditInput): void;
}

export interface AuditFilter {
  readonly since?: Date;
  readonly until?: Date;
  readonly type?: string;
  readonly actor?: string;
  readonly tool?: string;
  readonly outcome?: AuditEvent['outcome'];
  readonly limit?: number;
}

/** Port of plugin kind `audit-sink`. Several sinks fan out; the kernel batches. */
export interface AuditSink {
  write(batch: readonly AuditEvent[]): Promise<void>;
  query?(filter: AuditFilter): AsyncIterable<AuditEvent>;
  flush?(): Promise<void>;
  close(): Promise<void>;
}
