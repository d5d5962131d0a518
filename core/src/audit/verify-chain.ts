import { createHash } from 'node:crypto';
import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import { canonicalJson } from './canonical-json.js';
import type { ChainKeyring } from './chain-key.js';
import { eventHash } from './hash-chain.js';

export interface ChainProblem {
  readonly chain: string;
  /** The event where the problem shows; absent for problems of a whole chain or log (a chain missing entirely). */
  readonly eventId?: string;
  readonly seq: number;
  readonly problem:
    | 'edited'
    | 'missing before'
    | 'reordered'
    | 'broken link'
    | 'unknown key'
    | 'unkeyed'
    | 'unkeyed after keyed'
    | 'missing tail'
    | 'missing chain'
    | 'empty log'
    | 'forged checkpoint'
    | 'missing checkpoints';
  readonly detail: string;
}

export interface VerifyReport {
  readonly events: number;
  readonly chains: number;
  /** Events whose subject was pseudonymized by `cnmcp audit erase`, accounted for by an authenticated `audit.erased` record. */
  readonly erased: number;
  /** Chains sealed without a key (before `auditing.chainKey` was set) and accepted as such: their order verifies, their authorship cannot. */
  readonly unkeyed: readonly string[];
  /** The first problem of each chain that has one. */
  readonly problems: readonly ChainProblem[];
}

/** SHA-256 over the canonical JSON of every field but `hash`: what an erasure record lists for an erased event. */
export function contentDigest(event: AuditEvent): string {
  const { hash: _hash, ...rest } = event;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

interface ErasureEntry {
  readonly id: string;
  readonly hash: string;
  readonly erasedHash: string;
  /** Whether the `audit.erased` record listing it was sealed with a key (it may then vouch for keyed events). */
  readonly keyed: boolean;
}

/**
 * Walks events (ascending by id) and checks every chain: each hash recomputes (an HMAC under the key its `keyId`
 * names), seq grows by one, and prevHash is the previous hash. An event changed by erasure passes only when an
 * authenticated `audit.erased` record (its own seal verifies; a keyed event needs a keyed record) lists its id, its
 * stored hash and the digest of its erased content, so neither a forged record nor a later edit passes.
 */
export interface VerifyOptions {
  /**
   * With keys configured, an unkeyed chain is a problem (anyone can write one) unless this is set, for logs from
   * before the key: such chains are then listed as unkeyed, except those starting after keyed chains began.
   */
  readonly allowUnkeyed?: boolean;
}

export async function verifyChains(
  events: AsyncIterable<AuditEvent> | Iterable<AuditEvent>,
  keys: ChainKeyring = new Map(),
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const all: AuditEvent[] = [];
  for await (const event of events) all.push(event);
  const erasures = new Map<string, ErasureEntry>();
  for (const event of all) {
    if (event.type !== 'audit.erased' || eventHash(event, keys) !== event.hash) continue;
    for (const entry of (event.details?.events ?? []) as Omit<ErasureEntry, 'keyed'>[]) erasures.set(entry.id, { ...entry, keyed: event.keyId !== undefined });
  }
  const byChain = new Map<string, AuditEvent[]>();
  for (const event of all) {
    const chain = byChain.get(event.chain);
    if (chain) chain.push(event);
    else byChain.set(event.chain, [event]);
  }
  // With a key configured, an unkeyed chain that starts after keyed ones began was re-sealed by someone without it.
  const firstKeyed = keys.size > 0 ? all.find((e) => e.keyId !== undefined)?.time : undefined;
  const problems: ChainProblem[] = [];
  const unkeyed: string[] = [];
  let erased = 0;
  for (const [chain, events] of byChain) {
    const first = events[0]!;
    if (first.keyId === undefined) {
      if (firstKeyed !== undefined && first.time > firstKeyed) {
        problems.push({
          chain,
          eventId: first.id,
          seq: first.seq,
          problem: 'unkeyed after keyed',
          detail: `an unkeyed chain starting ${first.time}, after keyed chains began (${firstKeyed}): re-sealed without the key`,
        });
        continue;
      }
      if (keys.size > 0 && !options.allowUnkeyed) {
        problems.push({
          chain,
          eventId: first.id,
          seq: first.seq,
          problem: 'unkeyed',
          detail: `sealed without a key (${first.time} .. ${events.at(-1)!.time}); if it predates auditing.chainKey, accept it with --allow-unkeyed`,
        });
        continue;
      }
      unkeyed.push(chain);
    }
    let previous: AuditEvent | undefined;
    for (const event of events) {
      const report = (problem: ChainProblem['problem'], detail: string) => problems.push({ chain, eventId: event.id, seq: event.seq, problem, detail });
      const expectedSeq = (previous?.seq ?? 0) + 1;
      if (event.seq < expectedSeq) {
        report('reordered', `seq ${event.seq} comes after seq ${previous?.seq}`);
        break;
      }
      if (event.seq > expectedSeq) {
        report('missing before', `seq ${expectedSeq}${event.seq - 1 > expectedSeq ? `..${event.seq - 1}` : ''} is missing`);
        break;
      }
      if (event.prevHash !== (previous?.hash ?? '')) {
        report('broken link', 'prevHash does not match the previous event');
        break;
      }
      if ((event.keyId === undefined) !== (first.keyId === undefined)) {
        report('edited', event.keyId === undefined ? 'an unkeyed event inside a keyed chain' : 'a keyed event inside an unkeyed chain');
        break;
      }
      const expected = eventHash(event, keys);
      if (expected === undefined) {
        report('unknown key', `sealed with key ${event.keyId}, which is not configured (auditing.chainKey or auditing.previousChainKeys)`);
        break;
      }
      if (expected !== event.hash) {
        const erasure = erasures.get(event.id);
        const vouched = erasure && (erasure.keyed || event.keyId === undefined) && erasure.hash === event.hash && erasure.erasedHash === contentDigest(event);
        if (vouched) erased++;
        else {
          report('edited', 'the event does not match its hash');
          break;
        }
      }
      previous = event;
    }
  }
  return { events: all.length, chains: byChain.size, erased, unkeyed, problems };
}
