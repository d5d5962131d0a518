import { createHash, randomBytes } from 'node:crypto';
import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import { canonicalJson } from './canonical-json.js';

/** The hash of an event: SHA-256 over the canonical JSON of every field but `hash`. */
export function eventHash(event: Omit<AuditEvent, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...rest } = event;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** Links events of one process into a chain: each carries the previous hash, so an edit, deletion or reordering shows. */
export class HashChain {
  readonly id = randomBytes(8).toString('hex');
  #seq = 0;
  #prevHash = '';

  link(event: Omit<AuditEvent, 'chain' | 'seq' | 'prevHash' | 'hash'>): AuditEvent {
    const linked: Omit<AuditEvent, 'hash'> & { hash?: string } = { ...event, chain: this.id, seq: ++this.#seq, prevHash: this.#prevHash };
    // No `hash` yet, so this is eventHash's input as it is: no copy without it, and `hash` is added last, as before.
    const hash = createHash('sha256').update(canonicalJson(linked)).digest('hex');
    linked.hash = hash;
    this.#prevHash = hash;
    return linked as AuditEvent;
  }
}
