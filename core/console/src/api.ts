/** The console's JSON API (core/src/admin/console-endpoint.ts): same origin, credentials the browser already holds. */

export interface AuditEvent {
  readonly id: string;
  readonly time: string;
  readonly type: string;
  readonly outcome: 'success' | 'failure' | 'denied' | 'error';
  readonly actor?: { readonly id: string; readonly authMethod: string; readonly roles: readonly string[] };
  readonly source?: { readonly ip?: string; readonly userAgent?: string; readonly transport?: string };
  readonly traceId?: string;
  readonly tool?: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly details?: Readonly<Record<string, unknown>>;
  readonly [field: string]: unknown;
}

export interface EventPage {
  readonly events: readonly AuditEvent[];
  readonly next?: string;
  readonly scanned: number;
}

export interface Me {
  readonly identity: { readonly id: string; readonly authMethod: string; readonly roles: readonly string[] };
  readonly tracingUrl?: string;
  readonly auditQueryable: boolean;
}

export type Outcome = AuditEvent['outcome'];
export const OUTCOMES: readonly Outcome[] = ['success', 'failure', 'denied', 'error'];

export interface Activity {
  readonly from: string;
  readonly to: string;
  readonly bucketMs: number;
  readonly buckets: readonly number[];
  readonly calls: Readonly<Record<Outcome, readonly number[]>>;
  readonly authFailures: readonly number[];
  readonly lockouts: readonly number[];
  readonly rateLimited: readonly number[];
  readonly topRefusedIdentities: readonly (readonly [string, number])[];
  readonly topRefusedSources: readonly (readonly [string, number])[];
  readonly scanned: number;
  readonly truncated: boolean;
}

type Failed = { readonly error: string };
export const failed = (value: unknown): value is Failed => typeof value === 'object' && value !== null && 'error' in value;

export interface Status {
  readonly server: { readonly name: string; readonly version: string; readonly transport: string; readonly startedAt: string; readonly ready: boolean };
  readonly pipeline: readonly { readonly stage: string; readonly phase: string; readonly status: 'on' | 'skipped'; readonly detail: string }[];
  readonly plugins: readonly string[];
  readonly audit: { readonly recording: boolean };
  readonly sessions: { readonly mode: string; readonly open: number };
  readonly certificates:
    readonly { role: string; subject: string; issuer: string; validFrom: string; validTo: string; daysLeft: number; fingerprint256: string }[] | Failed;
  readonly secrets: readonly { name: string; type: string; version: number; createdAt: string; expiresAt?: string; nextRotation?: string }[] | Failed;
  readonly chains:
    | {
        readonly configured: boolean;
        readonly found?: boolean;
        readonly chains: readonly { chain: string; seq: number; time: string; keyId: string }[];
        readonly forgedLines: number;
      }
    | Failed;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GETs `/admin/api/<path>` with the given query; a refusal becomes an ApiError with the server's message. */
export async function getJson<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const qs = params.toString();
  const res = await fetch(`/admin/api/${path}${qs ? `?${qs}` : ''}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const body = (await res.json().catch(() => ({}))) as { error?: string | { message?: string } };
  if (!res.ok) {
    const message = typeof body.error === 'string' ? body.error : (body.error?.message ?? res.statusText);
    throw new ApiError(res.status, message);
  }
  return body as T;
}
