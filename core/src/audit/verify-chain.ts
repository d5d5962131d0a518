import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import { eventHash } from './hash-chain.js';

export interface ChainProblem {
  readonly chain: string;
  readonly eventId: string;
  readonly seq: number;
  readonly problem: 'edited' | 'missing before' | 'reordered' | 'broken link';
  readonly detail: string;
}

export interface VerifyReport {
  readonly events: number;
  readonly chains: number;
  /** Events whose actor was pseudonymized by `cnmcp audit erase`, accounted for by an `audit.erased` record. */
  readonly erased: number;
  /** The first problem of each chain that has one. */
  readonly problems: readonly ChainProblem[];
}

/**
 * Walks events (ascending by id) and checks every chain: each hash recomputes, seq grows by one, and prevHash is the
 * previous hash. An event changed by erasure passes when a later `audit.erased` record lists its id, its stored hash
 * and the hash of its erased content, so an erased event edited afterwards is still caught.
 */
export async function verifyChains(events: AsyncIterable<AuditEvent> | Iterable<AuditEvent>): Promise<VerifyReport> {
  const all: AuditEvent[] = [];
  for await (const event of events) all.push(event);
  // Each erased event is listed with its original hash and the hash of its erased form: both must still hold.
  const erasures = new Map<string, { hash: string; erasedHash: string }>();
  for (const event of all) {
    if (event.type !== 'audit.erased') continue;
    for (const entry of (event.details?.events ?? []) as { id: string; hash: string; erasedHash: string }[]) erasures.set(entry.id, entry);
  }
  const byChain = new Map<string, AuditEvent[]>();
  for (const event of all) byChain.set(event.chain, [...(byChain.get(event.chain) ?? []), event]);
  const problems: ChainProblem[] = [];
  let erased = 0;
  for (const [chain, events] of byChain) {
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
      if (eventHash(event) !== event.hash) {
        const erasure = erasures.get(event.id);
        if (erasure && erasure.hash === event.hash && erasure.erasedHash === eventHash(event)) erased++;
        else {
          report('edited', 'the event does not match its hash');
          break;
        }
      }
      previous = event;
    }
  }
  return { events: all.length, chains: byChain.size, erased, problems };
}
