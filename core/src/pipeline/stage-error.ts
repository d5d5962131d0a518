/**
 * The stable error codes a stage (or a tool's request to its client) may stop a message with, how each looks on the
 * wire and what it means. docs/architecture.md shows the same table next to the pipeline (generated from this one
 * by `npm run docs`).
 *
 * JSON-RPC codes: the JSON-RPC 2.0 ones (-32700, -32600..-32603), the MCP spec's own (-32002 on the 2025 revisions,
 * -32021), the band -32000..-32019 the 2026-07-28 revision leaves to implementations (session, authentication and
 * authorization, as the SDKs use it), and cnmcp's own codes in -31000..-31099, outside every range JSON-RPC and MCP
 * reserve (-32768..-32000; the 2026-07-28 revision reserves -32020..-32099 for its own codes).
 */
export const STAGE_ERRORS = {
  BAD_REQUEST: { http: 400, jsonRpc: -32600, meaning: 'not a JSON-RPC request, or a request the transport cannot take' },
  DUPLICATE_CREDENTIALS: { http: 400, jsonRpc: -32600, meaning: 'a credential header sent more than once' },
  BATCH_TOO_LARGE: { http: 400, jsonRpc: -32600, meaning: 'a batch with more messages than `server.maxBatchSize`' },
  BATCH_NOT_SUPPORTED: { http: 400, jsonRpc: -32600, meaning: 'a batch where the revision has none (2025-06-18 and later)' },
  SESSION_NOT_FOUND: { http: 404, jsonRpc: -32001, meaning: 'an unknown, expired or foreign session id' },
  TOO_MANY_SESSIONS: { http: 429, jsonRpc: -31030, meaning: 'the session cap (per identity or in all) is reached' },
  PARSE_ERROR: { http: 400, jsonRpc: -32700, meaning: 'the body is not JSON' },
  UNAUTHENTICATED: { http: 401, jsonRpc: -32001, meaning: 'no valid credential' },
  FORBIDDEN: { http: 403, jsonRpc: -32003, meaning: 'authenticated, but not allowed this endpoint' },
  ORIGIN_NOT_ALLOWED: { http: 403, jsonRpc: -32000, meaning: 'a browser Origin not in `server.allowedOrigins`' },
  HOST_NOT_ALLOWED: { http: 403, jsonRpc: -32000, meaning: 'a Host header not in `server.allowedHosts`' },
  NOT_FOUND: { http: 404, jsonRpc: -32601, meaning: 'no such endpoint' },
  BODY_TOO_LARGE: { http: 413, jsonRpc: -32600, meaning: 'a body over `server.maxBodyBytes`' },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, jsonRpc: -32600, meaning: 'a body that is not `application/json`' },
  RATE_LIMITED: { http: 429, jsonRpc: -31029, meaning: 'a rate limit or the lockout refused it (`Retry-After` says when to retry)' },
  TOOL_NOT_FOUND: { http: 200, jsonRpc: -32602, meaning: 'an unknown tool' },
  METHOD_NOT_FOUND: { http: 200, jsonRpc: -32601, meaning: 'an unknown method' },
  INVALID_PARAMS: { http: 200, jsonRpc: -32602, meaning: 'malformed parameters (an unknown prompt, a missing prompt argument, requestState of another call)' },
  RESOURCE_NOT_FOUND: { http: 200, jsonRpc: -32002, meaning: 'an unknown resource URI' },
  INVALID_ARGUMENTS: { http: 200, jsonRpc: -32602, toolResult: true, meaning: "arguments that fail the tool's input schema" },
  INPUT_REJECTED: { http: 200, jsonRpc: -32602, toolResult: true, meaning: 'arguments the sanitizer refused' },
  READ_FAILED: {
    http: 200,
    jsonRpc: -31060,
    meaning: 'a resource read, prompt or completion its pack could not answer (backend unreachable, guard rails refused, timed out): the message says why',
  },
  ACCESS_DENIED: { http: 200, jsonRpc: -32003, meaning: 'the authorizer denied this tool, prompt or resource' },
  CLIENT_CAPABILITY_MISSING: {
    http: 400,
    jsonRpc: -32021,
    meaning: 'the tool asked the client for elicitation, sampling or roots, which it did not declare (`error.data.requiredCapabilities`)',
  },
  AUDIT_UNAVAILABLE: { http: 503, jsonRpc: -31050, meaning: 'a fail-closed audit sink cannot store the record: the answer is withheld' },
  SHUTTING_DOWN: { http: 503, jsonRpc: -31051, meaning: 'the server is draining' },
} as const satisfies Record<string, { http: number; jsonRpc: number; meaning: string; toolResult?: true }>;

export type StageErrorCode = keyof typeof STAGE_ERRORS;

export const jsonRpcCodeOf = (code: string): number => (STAGE_ERRORS as Record<string, { jsonRpc: number }>)[code]?.jsonRpc ?? -32603;
export const httpStatusOf = (code: string): number => (STAGE_ERRORS as Record<string, { http: number }>)[code]?.http ?? 500;
/** Whether a refused tools/call with this code answers an `isError` tool result rather than a JSON-RPC error. */
export const answersToolResult = (code: string): boolean => (STAGE_ERRORS as Record<string, { toolResult?: true }>)[code]?.toolResult === true;
