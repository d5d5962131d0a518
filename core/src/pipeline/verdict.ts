import type { StageErrorCode } from './stage-error.js';

/**
 * A stage stops a request with a stable code, a message safe to show the client, optional response headers,
 * and details for the audit record only (never sent to the client).
 */
export interface Stop {
  readonly continue: false;
  readonly code: StageErrorCode;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Stages never call next(): they return a verdict, and the kernel decides what runs after and what is audited. */
export type Verdict<T = undefined> = ({ readonly continue: true } & (T extends undefined ? unknown : { readonly value: T })) | Stop;

export const stop = (code: StageErrorCode, message: string, extra: { headers?: Record<string, string>; details?: Record<string, unknown> } = {}): Stop => ({
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
  })[code as string] ?? 'request.rejected';
