import { CAPABILITY_OF, ClientCapabilityError } from '../plugin/client-capability-error.js';
import type { LogLevel } from '../plugin/ports/tool-pack.js';
import type { ClientChannel } from '../pipeline/request-context.js';
import type { FastEra } from './fast-request.js';

/**
 * The client channel of a fast-path request, as the SDK path serves the same request: the gate accepts no
 * progress token and no declared client capability (a 2026-07-28 envelope with capabilities, like a session, goes
 * to the SDK), so progress goes nowhere and every request to the client is refused for its missing capability. Log
 * lines go where the SDK sends them: nowhere on 2026-07-28 (no log level in the envelope), an SSE event on a
 * 2025-era stream, at or above the caller's level.
 */
export function fastClient(era: FastEra, notify: (message: Record<string, unknown>) => void, logAllows: (level: LogLevel) => boolean): ClientChannel {
  if (era === 'modern') return MODERN_CLIENT;
  return {
    ...MODERN_CLIENT,
    log: async (level: LogLevel, data: unknown) => {
      // Filtered by the caller's logging/setLevel, as the SDK path filters it.
      if (logAllows(level)) notify({ jsonrpc: '2.0', method: 'notifications/message', params: { level, data } });
    },
  };
}

/** A 2026-07-28 caller's channel is the same for every request: built once. */
const MODERN_CLIENT: ClientChannel = {
  progress: async () => undefined,
  log: async () => undefined,
  supports: () => false,
  request: async (method) => {
    throw new ClientCapabilityError(CAPABILITY_OF[method], method);
  },
};
