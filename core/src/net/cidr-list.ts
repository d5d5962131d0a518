import { BlockList, isIP } from 'node:net';
import { CnmcpError } from '../plugin/errors.js';

/** A set of addresses given as CIDRs (`10.0.0.0/8`, `fd00::/8`) or single addresses, matched with node:net's BlockList. */
export interface CidrList {
  readonly size: number;
  has(address: string): boolean;
}

/**
 * Parses config CIDRs; every bad entry is a problem naming its JSON path (`/server/trustedProxies/1`), so a typo
 * never silently trusts or exempts nothing. IPv4 entries also match IPv4-mapped IPv6 peers (`::ffff:10.0.0.1`).
 */
export function parseCidrList(entries: readonly string[] | undefined, path: string): { list: CidrList; problems: CnmcpError[] } {
  const blocks = new BlockList();
  const problems: CnmcpError[] = [];
  (entries ?? []).forEach((entry, i) => {
    const [address = '', prefix, extra] = String(entry).trim().split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (family === 0 || extra !== undefined || !(bits >= 0 && bits <= (family === 6 ? 128 : 32))) {
      problems.push(new CnmcpError('CONFIG_INVALID_VALUE', `"${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8, fd00::/8)`, { path: `${path}/${i}` }));
      return;
    }
    blocks.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
  });
  const size = (entries ?? []).length - problems.length;
  return {
    problems,
    list: {
      size,
      has: (address) => {
        const family = isIP(address);
        return size > 0 && family !== 0 && blocks.check(address, family === 6 ? 'ipv6' : 'ipv4');
      },
    },
  };
}
