import type { StageErrorCode } from './stage-error.js';

/**
 * A stage stops a request with a stable code, a message safe to show the client, optional response headers,
 * and details for the audit record only (never sent to the client).
 */
export interface Stop {
  readonly continue: false;
  /** Audit events the stage wants recorded besides the refusal itself (e.g. `auth.lockout`). */
  readonly events?: readonly StageEvent[];
  readonly code: StageErrorCode;
  readonly message: string;
  /** A list is sent as one header line per value (a 401 names each auth scheme in a challenge of its own). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Stages never call next(): they return a verdict, and the kernel decides what runs after and what is audited. */
export type Verdict<T = undefined> = ({ readonly continue: true } & (T extends undefined ? unknown : { readonly value: T })) | Stop;

/** An audit event a stage asks the loop to record, with the request's actor, source and trace id filled in. */
export interface StageEvent {
  readonly type: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What a stage of the list returns: go on (with headers for the answer, events to record, span attributes), or stop. */
export type StageVerdict =
  | {
      readonly continue: true;
      readonly headers?: Readonly<Record<string, string>>;
      readonly events?: readonly StageEvent[];
      readonly attributes?: Readonly<Record<string, string | number>>;
    }
  | Stop;

export const PASS: StageVerdict = Object.freeze({ continue: true as const });

export const stop = (
  code: StageErrorCode,
  message: string,
  extra: { headers?: Record<string, string | readonly string[]>; details?: Record<string, unknown>; events?: StageEvent[] } = {},
): Stop => ({
  continue: false,
  code,
  message,
  ...extra,
});

/** The audit event type recorded for each way a request can be stopped. */
export const auditTypeOf = (code: StageErrorCode): string =>
  ({
    UNAUTHENTICATED: 'auth.failure',
    RATE_LIMITED: 'rate.limited',
    ACCESS_DENIED: 'access.denied',
    FORBIDDEN: 'access.denied',
    INVALID_ARGUMENTS: 'input.rejected',
    INPUT_REJECTED: 'input.rejected',
    TOOL_NOT_FOUND: 'tool.call',
  })[code as string] ?? 'request.rejected';

/** How a refusal counts in audit and spans: the caller's own mistake is a failure, a policy refusal is denied. */
export const outcomeOf = (code: string): 'failure' | 'denied' =>
  code === 'UNAUTHENTICATED' || code === 'INVALID_ARGUMENTS' || code === 'INPUT_REJECTED' || code === 'TOOL_NOT_FOUND' || code === 'NOT_FOUND'
    ? 'failure'
    : 'denied';
