import { createHmac, hkdfSync } from 'node:crypto';

/**
 * A key the hash chain is HMAC'd with, and its id. The id is derived from the key (so a record names the key that
 * sealed it without revealing it) and written into every record: `cnmcp audit verify` picks the key by id, which
 * is what lets the key rotate while old records keep verifying.
 */
export interface ChainKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * The chain key of a configured secret (`auditing.chainKey`, or `auditing.hmacKey` when there is no chain key).
 * HKDF separates it from the redaction HMAC, which may be computed with the same secret.
 */
export function chainKeyOf(secret: string): ChainKey {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'cnmcp audit chain v1', 32));
  return { id: createHmac('sha256', key).update('cnmcp audit chain key id').digest('hex').slice(0, 16), key };
}

/** The keys `verify` accepts, by id. */
export type ChainKeyring = ReadonlyMap<string, ChainKey>;

export function keyringOf(keys: readonly ChainKey[]): ChainKeyring {
  return new Map(keys.map((k) => [k.id, k]));
}
