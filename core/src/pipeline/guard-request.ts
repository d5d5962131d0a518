import type { IncomingMessage } from 'node:http';
import { stop, type Verdict } from './verdict.js';

export interface GuardOptions {
  /** Host header names accepted; undefined accepts any (a non-loopback bind without an explicit list). */
  readonly allowedHosts?: ReadonlySet<string>;
  /** Exact origins accepted besides loopback ones. */
  readonly allowedOrigins: ReadonlySet<string>;
}

export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

// RFC 9110 Host: a name, an IPv4 address or a bracketed IPv6 address, and an optional port. Nothing else (no
// userinfo, path or spaces): `localhost:1@evil.example` would pass a prefix check and break URL building later.
const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._~-]+)(?::\d{1,5})?$/;

const hostnameOf = (host: string) => (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '')).toLowerCase();

/**
 * Headers that must come at most once. Node keeps the first `Authorization` and joins other repeats with ", ",
 * so two credentials would be silently reduced to one: read the raw list and refuse instead.
 */
const SINGLE = /^(?:authorization|proxy-authorization|host|mcp-session-id|mcp-protocol-version|content-type|.*(?:^|-)(?:key|token|auth|password|secret))$/;

/** Names of headers sent more than once that must come at most once (credentials, Host, session id). */
export function repeatedHeaders(rawHeaders: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!SINGLE.test(name)) continue;
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
  }
  return [...repeated];
}

/**
 * DNS-rebinding protection: a browser tricked into calling a loopback server sends a foreign Host (and Origin).
 * Requests without an Origin (non-browser clients) pass the Origin check; a present one must be allowed. A Host
 * that is not a plain host[:port], and a credential or Host header sent twice, are refused before anything else.
 */
export function guardRequest(req: IncomingMessage, options: GuardOptions): Verdict {
  const repeated = repeatedHeaders(req.rawHeaders);
  if (repeated.length > 0) {
    const credential = repeated.some((name) => name !== 'host' && name !== 'mcp-session-id' && name !== 'mcp-protocol-version' && name !== 'content-type');
    return stop(credential ? 'DUPLICATE_CREDENTIALS' : 'BAD_REQUEST', `header(s) sent more than once: ${repeated.join(', ')}`, {
      details: { headers: repeated },
    });
  }
  const host = req.headers.host;
  if (host !== undefined && !HOST.test(host)) return stop('BAD_REQUEST', 'malformed Host header', { details: { host: host.slice(0, 200) } });
  if (options.allowedHosts && (!host || !options.allowedHosts.has(hostnameOf(host)))) {
    return stop('HOST_NOT_ALLOWED', `host ${JSON.stringify(host ?? '')} is not allowed`, { details: { host } });
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isAllowedOrigin(origin, options.allowedOrigins)) {
    return stop('ORIGIN_NOT_ALLOWED', `origin ${JSON.stringify(origin)} is not allowed`, { details: { origin } });
  }
  return { continue: true };
}

function isAllowedOrigin(origin: string, allowed: ReadonlySet<string>): boolean {
  if (allowed.has(origin) || allowed.has('*')) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.includes(url.hostname);
  } catch {
    return false;
  }
}
