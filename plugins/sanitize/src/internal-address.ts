import { BlockList, isIP } from 'node:net';

// Literal addresses a URL argument may not name: the IANA special-purpose ranges (loopback, private, link-local,
// carrier-grade NAT, documentation, benchmarking, multicast, reserved) and cloud metadata endpoints. Only a cheap,
// synchronous check on what the caller wrote: hostnames are resolved and re-checked by the tool that fetches.
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['168.63.129.16', 32], // Azure WireServer: a public address that hands out platform configuration
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local, including AWS IMDS fd00:ec2::254
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/**
 * True when `address` (an IP literal, IPv6 with or without brackets) is not a public unicast address. IPv6 forms
 * that embed an IPv4 address (::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by it.
 *
 * @example isInternalAddress('[::ffff:7f00:1]') // true: it is 127.0.0.1
 */
export function isInternalAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 4) return INTERNAL.check(bare, 'ipv4');
  if (family !== 6) return false;
  const words = ipv6Words(bare);
  const embedded = words && embeddedIPv4(words);
  return embedded !== undefined ? INTERNAL.check(embedded, 'ipv4') : INTERNAL.check(bare, 'ipv6');
}

/** The eight 16-bit words of a valid IPv6 literal (a dotted IPv4 tail allowed), undefined for a zone id. */
function ipv6Words(text: string): number[] | undefined {
  if (text.includes('%')) return undefined;
  let tail: number[] = [];
  let head = text;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[2]!.split('.').map(Number);
    tail = [(a << 8) | b, (c << 8) | d];
    head = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const hex = (part: string) => (part === '' ? [] : part.split(':').map((w) => parseInt(w, 16)));
  const [left = '', right] = head.split('::');
  const before = hex(left);
  const after = [...(right === undefined ? [] : hex(right)), ...tail];
  const missing = 8 - before.length - after.length;
  return right === undefined ? [...before, ...tail] : [...before, ...new Array<number>(missing).fill(0), ...after];
}

function embeddedIPv4(w: readonly number[]): string | undefined {
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  const quad = (hi = 0, lo = 0) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (zeros(0, 5) && w[5] === 0xffff) return quad(w[6], w[7]); // IPv4-mapped
  if (zeros(0, 4) && w[4] === 0xffff && w[5] === 0) return quad(w[6], w[7]); // SIIT
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return quad(w[6], w[7]); // NAT64 well-known prefix
  if (w[0] === 0x2002) return quad(w[1], w[2]); // 6to4
  return undefined;
}
