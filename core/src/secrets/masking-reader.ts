import type { SecretReader, SecretRecord } from '../plugin/ports/secret-store.js';

/**
 * The reader plugins get: every value it hands out joins `knownSecrets`, so that a plugin logging or auditing a
 * value it read (by mistake) still prints `***`. Rotated values are covered the moment a plugin reads them.
 */
export function maskingReader(reader: SecretReader, knownSecrets: Set<string>): SecretReader {
  const remember = (record: SecretRecord) => {
    knownSecrets.add(record.value.reveal());
    return record;
  };
  return {
    get: async (name) => remember(await reader.get(name)),
    getVersions: async (name) => (await reader.getVersions(name)).map(remember),
    ...(reader.watch ? { watch: (listener: (name: string) => void) => reader.watch!(listener) } : {}),
  };
}
