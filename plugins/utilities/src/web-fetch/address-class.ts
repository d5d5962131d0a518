import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Where an address points, in the words the SSRF guard and its messages use. */
export type AddressCategory =
  'public' | 'loopback' | 'private' | 'link-local' | 'carrier-grade-nat' | 'reserved' | 'unspecified' | 'multicast' | 'broadcast' | 'metadata';

export interface AddressClass {
  /** The address classified: for IPv6 forms that embed IPv4 (::ffff:a.b.c.d, NAT64, 6to4), the IPv4 address. */
  readonly ip: IpAddress;
  readonly category: AddressCategory;
}

// Instance metadata services hand out cloud credentials, so they are the first thing an SSRF aims at.
// AWS/GCP/Azure/OpenStack, AWS ECS task metadata, AWS IMDS over IPv6, Alibaba, Oracle, Azure WireServer.
const METADATA_LITERALS = ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '192.0.0.192', '168.63.129.16'];
// Parsed on first use: ipaddr.js's first parses cost tens of ms of start-up, and most servers never fetch.
let metadataAddresses: readonly IpAddress[] | undefined;

const IPV4_CATEGORY: Readonly<Record<string, AddressCategory>> = {
  unicast: 'public',
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade-nat',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

const IPV6_CATEGORY: Readonly<Record<string, AddressCategory>> = {
  unicast: 'public',
  uniqueLocal: 'private',
  deprecatedSiteLocal: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
};

/**
 * Classifies an IP address literal; returns undefined when `text` is not one. Anything ipaddr.js knows as a
 * special range and not named above is 'reserved' (documentation, benchmarking, Teredo, AS112...), so an
 * unexpected range fails closed rather than passing as public.
 */
export function classifyAddress(text: string): AddressClass | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // node:net's isIP is strict (no "0x7f.1" or "2130706433" shorthands); those never come from DNS or a WHATWG URL.
  if (isIP(bare) === 0) return undefined;
  let ip: IpAddress;
  try {
    ip = ipaddr.parse(bare);
  } catch {
    return undefined;
  }
  if (ip.kind() === 'ipv6') ip = embeddedIPv4(ip as ipaddr.IPv6) ?? ip;
  metadataAddresses ??= METADATA_LITERALS.map((a) => ipaddr.parse(a));
  if (metadataAddresses.some((m) => m.kind() === ip.kind() && ip.match(m, ip.kind() === 'ipv4' ? 32 : 128))) {
    return { ip, category: 'metadata' };
  }
  if (ip.kind() === 'ipv4') return { ip, category: IPV4_CATEGORY[ip.range()] ?? 'reserved' };
  return { ip, category: ipv6Category(ip as ipaddr.IPv6) };
}

function ipv6Category(ip: ipaddr.IPv6): AddressCategory {
  // ::/96 other than :: and ::1 is the deprecated IPv4-compatible form; ipaddr.js calls it unicast.
  if (ip.parts.slice(0, 6).every((p) => p === 0) && ip.range() === 'unicast') return 'reserved';
  return IPV6_CATEGORY[ip.range()] ?? 'reserved';
}

/**
 * The IPv4 address an IPv6 address stands for, where the mapping is fixed: IPv4-mapped (::ffff:0:0/96), SIIT
 * (::ffff:0:0:0/96), the NAT64 well-known prefix (64:ff9b::/96) and 6to4 (2002::/16). Classifying them as IPv6
 * would let ::ffff:127.0.0.1 pass as public.
 */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = ip.parts;
  const fromWords = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zeros = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && p[5] === 0xffff) return fromWords(p[6]!, p[7]!);
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0) return fromWords(p[6]!, p[7]!);
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return fromWords(p[6]!, p[7]!);
  if (p[0] === 0x2002) return fromWords(p[1]!, p[2]!);
  return undefined;
}

/** A category as a noun phrase for refusal messages: "a loopback address", "an unspecified address". */
export function describeCategory(category: AddressCategory): string {
  const words: Partial<Record<AddressCategory, string>> = {
    'carrier-grade-nat': 'carrier-grade NAT (100.64.0.0/10)',
    metadata: 'cloud metadata service',
    reserved: 'reserved or special-purpose',
  };
  const word = words[category] ?? category;
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word} address`;
}
