import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { IpAddress } from './address-class.js';

/** One `allowHosts` / `denyHosts` entry, parsed once at setup. */
export type HostRule =
  | { readonly kind: 'host'; readonly name: string }
  | { readonly kind: 'subdomains'; readonly suffix: string }
  | { readonly kind: 'range'; readonly range: [IpAddress, number] };

const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);

/** Lower-cases and drops brackets and a trailing dot, so `Example.COM.` and `example.com` are one host. */
export function normalizeHostname(hostname: string): string {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return bare.toLowerCase().replace(/\.$/, '');
}

/** Parses one entry, or returns why it is not a hostname, `*.domain`, IP address or CIDR range. */
export function parseHostRule(entry: string): HostRule | string {
  const text = entry.trim();
  if (text.includes('/')) {
    const [address = '', bits = ''] = text.split('/');
    if (isIP(address) === 0 || !/^\d{1,3}$/.test(bits)) return `"${entry}" is not a valid CIDR range`;
    try {
      return { kind: 'range', range: unwrapRange(ipaddr.parseCIDR(text)) };
    } catch {
      return `"${entry}" is not a valid CIDR range`;
    }
  }
  const host = normalizeHostname(text);
  if (isIP(host) !== 0) {
    const ip = ipaddr.process(host); // ::ffff:10.0.0.1 in config means 10.0.0.1, as the classifier sees it
    return { kind: 'range', range: [ip, ip.kind() === 'ipv4' ? 32 : 128] };
  }
  if (host.startsWith('*.') && HOSTNAME.test(host.slice(2))) return { kind: 'subdomains', suffix: host.slice(1) };
  if (HOSTNAME.test(host) && host.length <= 253) return { kind: 'host', name: host };
  return `"${entry}" is not a hostname, "*.domain", IP address or CIDR range`;
}

// An IPv4-mapped range (::ffff:10.0.0.0/104) covers the same addresses as 10.0.0.0/8, which is what the classifier reports.
function unwrapRange([ip, bits]: [IpAddress, number]): [IpAddress, number] {
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) return [(ip as ipaddr.IPv6).toIPv4Address(), bits - 96];
  return [ip, bits];
}

/** Parses a whole list; throws nothing, returns the rules and one problem per bad entry with its index. */
export function parseHostRules(entries: readonly string[]): { rules: HostRule[]; problems: { index: number; message: string }[] } {
  const rules: HostRule[] = [];
  const problems: { index: number; message: string }[] = [];
  entries.forEach((entry, index) => {
    const rule = parseHostRule(entry);
    if (typeof rule === 'string') problems.push({ index, message: rule });
    else rules.push(rule);
  });
  return { rules, problems };
}

/** True when a hostname rule names `hostname` (already normalized). */
export function matchesHostname(rules: readonly HostRule[], hostname: string): boolean {
  return rules.some((r) => (r.kind === 'host' && r.name === hostname) || (r.kind === 'subdomains' && hostname.endsWith(r.suffix)));
}

/** True when an address rule contains `ip`. */
export function matchesAddress(rules: readonly HostRule[], ip: IpAddress): boolean {
  return rules.some((r) => r.kind === 'range' && r.range[0].kind() === ip.kind() && ip.match(r.range));
}
