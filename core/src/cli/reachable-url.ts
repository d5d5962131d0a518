import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** The URL to print for clients, and why it is not the listen address when it had to be replaced. */
export interface ReachableUrl {
  readonly url: URL;
  readonly note?: string;
}

const WILDCARDS = new Set(['0.0.0.0', '[::]']);

/**
 * A listener on 0.0.0.0 or :: is reached at one of the machine's addresses, never at the wildcard itself (a client
 * given http://0.0.0.0:8080 connects to itself or fails). Picks the first non-internal IPv4 address, then a global
 * IPv6 one (link-local ones need a zone a URL cannot carry), then the host name.
 *
 * @example
 * reachableUrl(new URL('http://0.0.0.0:8080/mcp')).url.href // 'http://192.168.1.20:8080/mcp'
 */
export function reachableUrl(
  listening: URL,
  machine: { interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>; hostname: () => string } = { interfaces: networkInterfaces, hostname },
): ReachableUrl {
  if (!WILDCARDS.has(listening.hostname)) return { url: listening };
  const external = Object.values(machine.interfaces())
    .flatMap((infos) => infos ?? [])
    .filter((info) => !info.internal);
  const v4 = external.find((info) => info.family === 'IPv4');
  const v6 = external.find((info) => info.family === 'IPv6' && !info.address.toLowerCase().startsWith('fe80:'));
  const host = v4 ? v4.address : v6 ? `[${v6.address}]` : machine.hostname();
  const url = new URL(listening.href);
  url.hostname = host;
  const picked = v4 || v6 ? `this machine's first non-loopback address` : `this machine's host name`;
  return {
    url,
    note: `listening on all interfaces (${listening.hostname}); the URL below uses ${picked}. Clients on other networks may need another address or a DNS name.`,
  };
}
