import { randomFillSync } from 'node:crypto';

/**
 * A cryptographic random fraction in [0, 1), in steps of 1/256 like ulid's own source, drawn from a pooled
 * buffer: one call into the system's CSPRNG per `size` draws instead of one per draw (a ULID takes 16).
 */
export function pooledRandomFraction(size = 512): () => number {
  const pool = new Uint8Array(size);
  let next = size;
  return () => {
    if (next === size) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++]! / 256;
  };
}
