/**
 * The stable error codes a stage may stop a request with, and how each looks on the wire.
 * docs/architecture.md shows the same table next to the pipeline (generated from this one, see scripts/pipeline-doc).
 */
export const STAGE_ERRORS = {
  BAD_REQUEST: { http: 400, jsonRpc: -32600 },
  DUPLICATE_CREDENTIALS: { http: 400, jsonRpc: -32600 },
  BATCH_TOO_LARGE: { http: 400, jsonRpc: -32600 },
  BATCH_NOT_SUPPORTED: { http: 400, jsonRpc: -32600 },
  SESSION_NOT_FOUND: { http: 404, jsonRpc: -32001 },
  TOO_MANY_SESSIONS: { http: 429, jsonRpc: -32029 },
  PARSE_ERROR: { http: 400, jsonRpc: -32700 },
  UNAUTHENTICATED: { http: 401, jsonRpc: -32001 },
  FORBIDDEN: { http: 403, jsonRpc: -32003 },
  ORIGIN_NOT_ALLOWED: { http: 403, jsonRpc: -32000 },
  HOST_NOT_ALLOWED: { http: 403, jsonRpc: -32000 },
  NOT_FOUND: { http: 404, jsonRpc: -32601 },
  BODY_TOO_LARGE: { http: 413, jsonRpc: -32600 },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, jsonRpc: -32600 },
  RATE_LIMITED: { http: 429, jsonRpc: -32029 },
  TOOL_NOT_FOUND: { http: 200, jsonRpc: -32602 },
  METHOD_NOT_FOUND: { http: 200, jsonRpc: -32601 },
  INVALID_PARAMS: { http: 200, jsonRpc: -32602 },
  RESOURCE_NOT_FOUND: { http: 200, jsonRpc: -32002 },
  INVALID_ARGUMENTS: { http: 200, jsonRpc: -32602 },
  INPUT_REJECTED: { http: 200, jsonRpc: -32602 },
  ACCESS_DENIED: { http: 200, jsonRpc: -32003 },
  AUDIT_UNAVAILABLE: { http: 503, jsonRpc: -32050 },
  SHUTTING_DOWN: { http: 503, jsonRpc: -32051 },
} as const;

export type StageErrorCode = keyof typeof STAGE_ERRORS;

export const jsonRpcCodeOf = (code: string): number => (STAGE_ERRORS as Record<string, { jsonRpc: number }>)[code]?.jsonRpc ?? -32603;
export const httpStatusOf = (code: string): number => (STAGE_ERRORS as Record<string, { http: number }>)[code]?.http ?? 500;
