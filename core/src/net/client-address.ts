import { isIP } from 'node:net';
import type { CidrList } from './cidr-list.js';

/**
 * The address a request comes from, as every limit, lockout and audit record sees it: the socket peer, unless
 * that peer is a trusted proxy; only then is `X-Forwarded-For` read, right to left, skipping trusted hops. The
 * first untrusted hop is the client. A header sent by an untrusted peer is never read, so it cannot move a
 * client to another rate-limit key.
 *
 * @example
 * clientAddress('10.0.0.5', '203.0.113.7, 10.0.0.9', trusted) // '203.0.113.7' when 10.0.0.0/8 is trusted
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | readonly string[] | undefined, trustedProxies: CidrList): string {
  let client = normalizeAddress(socketAddress ?? '');
  if (trustedProxies.size === 0 || !trustedProxies.has(client) || forwardedFor === undefined) return client;
  const hops = (typeof forwardedFor === 'string' ? [forwardedFor] : forwardedFor).flatMap((h) => h.split(','));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(stripPort(hops[i]!.trim()));
    // Garbage in the chain: keep the nearest address a trusted proxy vouched for rather than key by the garbage.
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!trustedProxies.has(hop)) return client;
  }
  return client;
}

/** `::ffff:192.0.2.1` (a dual-stack socket's IPv4 peer) and `192.0.2.1` are one client, so one rate-limit key. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address.toLowerCase();
}

// Some proxies append the peer's port: `192.0.2.1:4711`, `[2001:db8::1]:4711`.
function stripPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  return v4 ? v4[1]! : hop;
}
