import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Finds the entry whose key equals `presented`, or `undefined`. */
export type KeyMatcher<T> = (presented: string) => T | undefined;

/**
 * Holds keys only as HMAC-SHA256 digests under a random per-process key (a heap dump reveals no key, and digests
 * cannot be looked up in precomputed tables). A presented key is digested and compared with every configured
 * digest through `timingSafeEqual`, with no early exit: the time taken does not depend on which key matched, nor
 * on how close a wrong key came. Digests all have the same length, whatever was presented.
 *
 * @example const match = createKeyMatcher([{ key: 'Abc123!@#Xyz789!@#', value: 'ops' }]); match('wrong') // undefined
 */
export function createKeyMatcher<T>(entries: readonly { readonly key: string; readonly value: T }[]): KeyMatcher<T> {
  const pepper = randomBytes(32);
  const digestOf = (key: string) => createHmac('sha256', pepper).update(key, 'utf8').digest();
  const table = entries.map(({ key, value }) => ({ digest: digestOf(key), value }));
  return (presented) => {
    const digest = digestOf(presented);
    let found: T | undefined;
    for (const entry of table) {
      const equal = timingSafeEqual(digest, entry.digest);
      if (equal && found === undefined) found = entry.value;
    }
    return found;
  };
}
