import { CnmcpError } from '../plugin/errors.js';
import type { ClientChannel } from '../pipeline/request-context.js';
import type { LogLevel } from '../plugin/ports/tool-pack.js';
import type { FastEra } from './fast-request.js';

// What the SDK answers a handler that asks the client something during a stateless request, word for word (the
// differential test compares them): the 2026-07-28 revision has no server-to-client requests at all, and a
// stateless 2025-era request never carries the client's capabilities.
const REFUSED: Record<FastEra, Record<string, string>> = {
  modern: {
    'elicitation/create': modernRefusal('elicitation/create'),
    'sampling/createMessage': modernRefusal('sampling/createMessage'),
  },
  legacy: {
    'elicitation/create': 'Client does not support form elicitation.',
    'sampling/createMessage': 'Client does not support sampling (required for sampling/createMessage)',
  },
};

function modernRefusal(method: string): string {
  return (
    `Server-to-client requests are not available on protocol revision 2026-07-28: '${method}' cannot be sent while serving a request on that ` +
    'revision. Return inputRequired({ ... }) from the handler instead — the client fulfils the embedded requests and retries the original ' +
    'request (multi round-trip requests).'
  );
}

const HINT = ' (server-to-client requests need a session: stdio, SSE, or server.sessions: stateful)';

/**
 * The client channel of a fast-path request: no progress token is ever accepted by the gate, so progress goes
 * nowhere; log lines go where the SDK sends them (nowhere on 2026-07-28, an SSE event on a 2025-era stream);
 * requests to the client are refused as the SDK refuses them.
 */
export function fastClient(era: FastEra, notify: (message: Record<string, unknown>) => void): ClientChannel {
  return {
    progress: async () => undefined,
    log:
      era === 'modern'
        ? async () => undefined
        : async (level: LogLevel, data: unknown) => notify({ jsonrpc: '2.0', method: 'notifications/message', params: { level, data } }),
    request: async (method) => {
      const refused = REFUSED[era][method];
      if (refused === undefined) throw new CnmcpError('CLIENT_REQUEST_UNSUPPORTED', `unsupported client request ${method}`);
      throw new CnmcpError('CLIENT_REQUEST_FAILED', `the client could not answer ${method}: ${refused}${HINT}`);
    },
  };
}
