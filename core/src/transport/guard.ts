import type { IncomingMessage } from 'node:http';
import { stop, type Verdict } from '../pipeline/verdict.js';

export interface GuardOptions {
  /** Host header names accepted; undefined accepts any (a non-loopback bind without an explicit list). */
  readonly allowedHosts?: ReadonlySet<string>;
  /** Exact origins accepted besides loopback ones. */
  readonly allowedOrigins: ReadonlySet<string>;
}

export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

const hostnameOf = (host: string) => (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '')).toLowerCase();

/**
 * DNS-rebinding protection: a browser tricked into calling a loopback server sends a foreign Host (and Origin).
 * Requests without an Origin (non-browser clients) pass the Origin check; a present one must be allowed.
 */
export function guardRequest(req: IncomingMessage, options: GuardOptions): Verdict {
  const host = req.headers.host;
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
