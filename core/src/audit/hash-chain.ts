import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import { keepAuditLine } from '../plugin/audit-line.js';
import { canonicalJson } from './canonical-json.js';
import type { ChainKey, ChainKeyring } from './chain-key.js';

type Unsealed = Omit<AuditEvent, 'hash' | 'keyId'> & { hash?: string; keyId?: string };

/** The seal of canonical event text: HMAC-SHA256 under the chain key, or plain SHA-256 for an unkeyed chain. */
function seal(text: string, key: ChainKey | undefined): string {
  return (key ? createHmac('sha256', key.key) : createHash('sha256')).update(text).digest('hex');
}

/**
 * The hash an event should carry: over the canonical JSON of every field but `hash` (`keyId` included), HMAC'd
 * with the key its `keyId` names. Undefined when the event names a key the keyring does not hold.
 */
export function eventHash(event: Unsealed, keys: ChainKeyring = new Map()): string | undefined {
  const { hash: _hash, ...rest } = event;
  if (rest.keyId === undefined) return seal(canonicalJson(rest), undefined);
  const key = keys.get(rest.keyId);
  return key ? seal(canonicalJson(rest), key) : undefined;
}

/**
 * Links events of one process into a chain: each carries the previous hash, so an edit, deletion or reordering
 * shows. With a key, each hash is an HMAC: nobody without the key can re-seal an edited chain.
 */
export class HashChain {
  readonly id = randomBytes(8).toString('hex');
  readonly #key: ChainKey | undefined;
  #seq = 0;
  #prevHash = '';

  constructor(key?: ChainKey) {
    this.#key = key;
  }

  /** The last event linked: what a checkpoint anchors. */
  get head(): { readonly seq: number; readonly hash: string } {
    return { seq: this.#seq, hash: this.#prevHash };
  }

  link(event: Omit<AuditEvent, 'chain' | 'seq' | 'prevHash' | 'hash' | 'keyId'>): AuditEvent {
    const linked = Object.assign({}, event, { chain: this.id, seq: ++this.#seq, prevHash: this.#prevHash }) as Unsealed;
    if (this.#key) linked.keyId = this.#key.id;
    // No `hash` yet, so this is eventHash's input as it is: no copy without it, and `hash` is added last, as before.
    const text = canonicalJson(linked);
    const hash = seal(text, this.#key);
    linked.hash = hash;
    this.#prevHash = hash;
    // The same text with the hash appended is the line sinks write (auditLine): one serialization per event.
    keepAuditLine(linked as AuditEvent, `${text.slice(0, -1)},"hash":"${hash}"}`);
    return linked as AuditEvent;
  }
}
