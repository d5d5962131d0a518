import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { ChainKey, ChainKeyring } from './chain-key.js';

/**
 * A signed statement "chain `chain` had `seq` events, the last hashing to `head`, at `time`", written somewhere
 * other than the log itself. Deleting the newest events, a whole chain or every line of the log leaves the
 * checkpoint behind, and `cnmcp audit verify` reports what it no longer finds.
 */
export interface Checkpoint {
  readonly chain: string;
  readonly seq: number;
  readonly head: string;
  readonly time: string;
  readonly keyId: string;
  /** HMAC-SHA256 under the chain key over the canonical JSON of every other field. */
  readonly mac: string;
}

export function signCheckpoint(fields: Omit<Checkpoint, 'keyId' | 'mac'>, key: ChainKey): Checkpoint {
  const unsigned = { ...fields, keyId: key.id };
  return { ...unsigned, mac: createHmac('sha256', key.key).update(canonicalJson(unsigned)).digest('hex') };
}

/** Whether a checkpoint was signed by one of the keys (compared in constant time). */
export function checkpointValid(value: unknown, keys: ChainKeyring): value is Checkpoint {
  if (typeof value !== 'object' || value === null) return false;
  const { mac, ...unsigned } = value as Checkpoint;
  const key = typeof unsigned.keyId === 'string' ? keys.get(unsigned.keyId) : undefined;
  const wellFormed =
    typeof unsigned.chain === 'string' && Number.isInteger(unsigned.seq) && typeof unsigned.head === 'string' && typeof unsigned.time === 'string';
  if (!key || !wellFormed || typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
  const expected = createHmac('sha256', key.key).update(canonicalJson(unsigned)).digest();
  return timingSafeEqual(expected, Buffer.from(mac, 'hex'));
}
