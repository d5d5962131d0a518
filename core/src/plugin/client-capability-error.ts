import { CnmcpError } from './errors.js';

/** What a tool may ask of the client it serves (MCP client capabilities). */
export type ClientCapability = 'elicitation' | 'sampling' | 'roots';

/**
 * `ctx.request()` asked the client for something it did not declare. On 2026-07-28 the kernel answers the call
 * with the spec's MissingRequiredClientCapability error (-32021, HTTP 400), naming the capability, so the client
 * can retry declaring it; on the 2025 revisions with the same JSON-RPC error. Check `ctx.clientSupports()` first
 * to fall back instead (e.g. require an explicit `confirm: true` argument when elicitation is not available).
 */
export class ClientCapabilityError extends CnmcpError {
  readonly capability: ClientCapability;

  constructor(capability: ClientCapability, method: string) {
    super('CLIENT_CAPABILITY_MISSING', `${method} needs the client capability "${capability}", which the client did not declare`);
    this.name = 'ClientCapabilityError';
    this.capability = capability;
  }
}

/** The capability each client request needs. */
export const CAPABILITY_OF = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
} as const satisfies Record<string, ClientCapability>;

export type ClientRequestMethod = keyof typeof CAPABILITY_OF;

/** How `ctx.request()` asks. */
export interface ClientRequestOptions {
  /**
   * The name of the question in a 2026-07-28 input-required result (`inputRequests` key, e.g. `user_name`): stable
   * across rounds and readable by the client. Unique within one call; without it the kernel makes one up. Letters,
   * digits, `_`, `-` and `.`, at most 64.
   */
  readonly key?: string;
}
