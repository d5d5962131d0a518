// Sets the bearer plugin up as the kernel would (same setup(), a context with a recording logger), without a server.
import type { AuthRequest, AuthStrategy, Logger } from '@cnmcp/core/plugin';
import bearer from '../bearer/plugin.js';
import type { BearerOptions } from '../bearer/config-schema.js';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

export interface BearerUnderTest {
  readonly strategy: AuthStrategy;
  readonly logs: LogLine[];
  /** Aborts the context's signal, as shutdown does. */
  stop(): void;
}

export async function setupBearer(config: BearerOptions): Promise<BearerUnderTest> {
  const logs: LogLine[] = [];
  const logger: Logger = {
    debug: (message, fields) => void logs.push({ level: 'debug', message, ...(fields ? { fields } : {}) }),
    info: (message, fields) => void logs.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) => void logs.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => void logs.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
    child: () => logger,
  };
  const controller = new AbortController();
  const context = {
    config: Object.freeze(structuredClone(config)),
    logger,
    secrets: { get: () => Promise.reject(new Error('no secret store in this test')) },
    audit: { emit: () => {} },
    onStop: () => {},
    signal: controller.signal,
  } as unknown as Parameters<typeof bearer.setup>[0];
  const strategy = await bearer.setup(context);
  return { strategy, logs, stop: () => controller.abort() };
}

/** A request carrying only the given headers. */
export function requestWith(headers: Record<string, string | string[]>): AuthRequest {
  return { headers, url: new URL('http://127.0.0.1/mcp'), remoteAddress: '127.0.0.1' };
}

/** A request with `Authorization: Bearer <token>`. */
export const bearerRequest = (token: string, scheme = 'Bearer'): AuthRequest => requestWith({ authorization: `${scheme} ${token}` });
