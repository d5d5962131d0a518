import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { CnmcpError } from '@cnmcp/core/plugin';
import { classifyAddress, describeCategory, type AddressCategory } from './address-class.js';
import { matchesAddress, matchesHostname, normalizeHostname, parseHostRules, type HostRule } from './host-rules.js';
import { WebFetchError } from './web-fetch-error.js';

/** Resolves a hostname to every address it has. Injectable so tests can play DNS without a network. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

export interface SsrfPolicy {
  readonly allowPrivateNetworks: boolean;
  readonly allowHosts: readonly HostRule[];
  readonly denyHosts: readonly HostRule[];
}

export type Verdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ALLOW: Verdict = { allowed: true };

// Internal networks an operator may open with allowPrivateNetworks or by naming the host. The other blocked
// categories (unspecified, multicast, broadcast, metadata) open only for an allowHosts address or range:
// 0.0.0.0 reaches loopback on Linux, and metadata endpoints hand out credentials.
const OPENABLE: ReadonlySet<AddressCategory> = new Set(['loopback', 'private', 'link-local', 'carrier-grade-nat', 'reserved']);

// Names of metadata services, refused before DNS as a second line behind the address check.
const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

const HINT = 'An operator can allow it with webFetch.allowHosts (or webFetch.allowPrivateNetworks for internal networks).';
const ADDRESS_ONLY_HINT = 'An operator can allow it only by listing the address in webFetch.allowHosts.';

/** Builds the policy from config, reporting every malformed entry at once (at setup, not at the first call). */
export function createSsrfPolicy(settings: { allowPrivateNetworks: boolean; allowHosts: readonly string[]; denyHosts: readonly string[] }): SsrfPolicy {
  const allow = parseHostRules(settings.allowHosts);
  const deny = parseHostRules(settings.denyHosts);
  const problems = [
    ...allow.problems.map((p) => `webFetch.allowHosts[${p.index}]: ${p.message}`),
    ...deny.problems.map((p) => `webFetch.denyHosts[${p.index}]: ${p.message}`),
  ];
  if (problems.length > 0) {
    const first = allow.problems[0] ? `/webFetch/allowHosts/${allow.problems[0].index}` : `/webFetch/denyHosts/${deny.problems[0]!.index}`;
    throw new CnmcpError('CONFIG_INVALID', problems.join('; '), { path: first });
  }
  return { allowPrivateNetworks: settings.allowPrivateNetworks, allowHosts: allow.rules, denyHosts: deny.rules };
}

/** Checks a hostname before any DNS lookup: denied names and metadata service names. */
export function checkHostname(policy: SsrfPolicy, hostname: string): Verdict {
  const host = normalizeHostname(hostname);
  if (matchesHostname(policy.denyHosts, host)) return { allowed: false, reason: `host "${host}" is listed in webFetch.denyHosts.` };
  if (METADATA_HOSTNAMES.has(host) && !matchesHostname(policy.allowHosts, host)) {
    return { allowed: false, reason: `host "${host}" is a cloud metadata service. An operator can allow it only by listing it in webFetch.allowHosts.` };
  }
  return ALLOW;
}

/** Checks one address that `hostname` resolved to (or the hostname itself when it is an IP literal). */
export function checkAddress(policy: SsrfPolicy, hostname: string, address: string): Verdict {
  const host = normalizeHostname(hostname);
  const cls = classifyAddress(address);
  if (!cls) return { allowed: false, reason: `"${address}" is not an IP address.` };
  const shown = host === normalizeHostname(address) ? address : `${address} (resolved from "${host}")`;
  if (matchesAddress(policy.denyHosts, cls.ip) || matchesHostname(policy.denyHosts, host)) {
    return { allowed: false, reason: `${shown} is listed in webFetch.denyHosts.` };
  }
  if (matchesAddress(policy.allowHosts, cls.ip) || cls.category === 'public') return ALLOW;
  if (OPENABLE.has(cls.category) && (policy.allowPrivateNetworks || matchesHostname(policy.allowHosts, host))) return ALLOW;
  const hint = OPENABLE.has(cls.category) ? HINT : ADDRESS_ONLY_HINT;
  return { allowed: false, reason: `${shown} is ${describeCategory(cls.category)}. ${hint}` };
}

/**
 * A `lookup` for node:http(s) that resolves, checks every answer, and hands the connection only those answers,
 * so the socket goes to an address that was checked; a DNS answer that changes between check and connect
 * (rebinding) cannot slip through. One bad answer refuses the whole host: a mixed answer is an attack or a
 * misconfiguration, and the connection might otherwise fall back to the bad address.
 */
export function guardedLookup(policy: SsrfPolicy, hostname: string, resolve: Resolver): LookupFunction {
  return (_name, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : undefined;
    resolve(hostname)
      .then((answers) => checkedAnswers(policy, hostname, answers, family))
      .then(
        (answers) => {
          if (options.all) callback(null, answers);
          else callback(null, answers[0]!.address, answers[0]!.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, ''),
      );
  };
}

function checkedAnswers(policy: SsrfPolicy, hostname: string, answers: readonly LookupAddress[], family: 4 | 6 | undefined): LookupAddress[] {
  if (answers.length === 0) throw new WebFetchError('NETWORK', `host "${hostname}" has no addresses.`);
  for (const answer of answers) {
    const verdict = checkAddress(policy, hostname, answer.address);
    if (!verdict.allowed) throw new WebFetchError('BLOCKED', verdict.reason);
  }
  const wanted = family ? answers.filter((a) => a.family === family) : [...answers];
  if (wanted.length === 0) throw new WebFetchError('NETWORK', `host "${hostname}" has no IPv${family} address.`);
  return wanted;
}
