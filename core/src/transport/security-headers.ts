import { ServerResponse } from 'node:http';

/** Sent on every response, streams and errors included. HSTS is added only over TLS. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
});

/** Browsers ignore HSTS over plain HTTP, and sending it there would only mislead whoever reads the headers. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The headers every response starts with: the defaults, HSTS over TLS, then `server.headers` from config (a value
 * replaces a default or adds a header; null removes one). Computed once at startup.
 */
export function responseHeaders(overrides: Readonly<Record<string, string | null>> = {}, tls = false): readonly (readonly [string, string])[] {
  const headers = new Map<string, readonly [string, string]>();
  const set = (name: string, value: string | null) => (value === null ? headers.delete(name.toLowerCase()) : headers.set(name.toLowerCase(), [name, value]));
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) set(name, value);
  if (tls) set('Strict-Transport-Security', HSTS);
  for (const [name, value] of Object.entries(overrides)) {
    // HSTS stays a TLS-only header even when configured: over plain HTTP it is meaningless.
    if (!tls && name.toLowerCase() === 'strict-transport-security') continue;
    set(name, value);
  }
  return [...headers.values()];
}

/**
 * Keeps the configured headers on a response even when a handler passes its own to writeHead (the MCP SDK sends
 * `Cache-Control: no-cache` on event streams): same-named entries are dropped from the handler's object, so the
 * values set before it ran stand. Returns what applies that to one response; the wrapper is built once.
 */
export function keepResponseHeaders(headers: readonly (readonly [string, string])[]): (res: ServerResponse) => void {
  const names = new Set(headers.map(([name]) => name.toLowerCase()));
  const writeHead = ServerResponse.prototype.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  function keptWriteHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
    const last = args[args.length - 1];
    if (last && typeof last === 'object' && !Array.isArray(last)) {
      args[args.length - 1] = Object.fromEntries(Object.entries(last).filter(([name]) => !names.has(name.toLowerCase())));
    }
    return writeHead.apply(this, args);
  }
  return (res) => void (res.writeHead = keptWriteHead as ServerResponse['writeHead']);
}
