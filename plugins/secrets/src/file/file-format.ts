import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CnmcpError, SECRET_NAME, SECRET_TYPES, type SecretType } from '@cnmcp/core/plugin';
import type { StoredVersion } from '../shared/secret-table.js';
import { fileMac, open, seal, type Sealed } from './envelope.js';
import type { KdfParams, MasterKey } from './master-key.js';

export const FORMAT = 'cnmcp-secrets/2';
/** Format 1 named its key by a plain SHA-256 and had no passphrase: still read, and rewritten as format 2 on open. */
const LEGACY_FORMAT = 'cnmcp-secrets/1';

/**
 * The file, as JSON:
 * `{ format, keyId, kdf?, dataKey: Sealed, secrets: [{ name, versions: [{ version, type, createdAt, expiresAt?, nonce, data }] }], mac }`.
 * `keyId` is a keyed fingerprint of the master key; `kdf` (scrypt salt and parameters) is there when the master
 * key is a passphrase.
 * The data key (random, 256-bit) is sealed by the master key; each version's value and metadata are sealed by the
 * data key with their own nonce and the name, version, type and times as AAD; `mac` covers everything else.
 * Rotating the master key re-seals only the data key.
 */
interface FileVersion extends Sealed {
  readonly version: number;
  readonly type: SecretType;
  readonly createdAt: number;
  readonly expiresAt?: number;
}

interface FileBody {
  readonly format: string;
  readonly keyId: string;
  readonly kdf?: KdfParams;
  readonly dataKey: Sealed;
  readonly secrets: readonly { readonly name: string; readonly versions: readonly FileVersion[] }[];
}

export type Entries = readonly (readonly [string, readonly StoredVersion[]])[];

export interface Decoded {
  readonly dataKey: Buffer;
  readonly entries: Entries;
  /** The master key that opened the data key; not the current one means the file should be re-wrapped. */
  readonly openedWith: MasterKey;
  readonly kdf?: KdfParams;
  /** Written in format 1: rewrite it. */
  readonly legacy: boolean;
}

const dataKeyAad = (format: string, keyId: string, kdf: KdfParams | undefined) =>
  `${format}\0data-key\0${keyId}${kdf ? `\0${JSON.stringify([kdf.name, kdf.salt, kdf.N, kdf.r, kdf.p])}` : ''}`;
const versionAad = (format: string, name: string, v: Omit<FileVersion, 'nonce' | 'data'>) =>
  JSON.stringify([format, name, v.version, v.type, v.createdAt, v.expiresAt ?? null]);

export const newDataKey = () => randomBytes(32);

/** `kdf` is required for a passphrase (keep the file's own, so that the derived key stays cached) and absent otherwise. */
export function encodeFile(entries: Entries, dataKey: Buffer, master: MasterKey, kdf: KdfParams | undefined): string {
  const derived = master.keyFor(kdf);
  const body: FileBody = {
    format: FORMAT,
    keyId: derived.id,
    ...(kdf ? { kdf } : {}),
    dataKey: seal(derived.key, dataKey, dataKeyAad(FORMAT, derived.id, kdf)),
    secrets: entries.map(([name, versions]) => ({
      name,
      versions: versions.map((v) => {
        const header = { version: v.version, type: v.type, createdAt: v.createdAt, ...(v.expiresAt !== undefined ? { expiresAt: v.expiresAt } : {}) };
        const payload = Buffer.from(JSON.stringify({ value: v.value, ...(v.metadata ? { metadata: v.metadata } : {}) }), 'utf8');
        return { ...header, ...seal(dataKey, payload, versionAad(FORMAT, name, header)) };
      }),
    })),
  };
  const text = JSON.stringify(normalize(body));
  return `${JSON.stringify({ ...normalize(body), mac: fileMac(dataKey, text) })}\n`;
}

/**
 * Opens a file with the current master key or one of the previous ones. Throws `SECRET_FILE_WRONG_KEY` when no
 * configured key wrote it, `SECRET_FILE_TAMPERED` when anything in it fails to authenticate.
 */
export function decodeFile(text: string, file: string, keys: readonly MasterKey[]): Decoded {
  const tampered = (why: string) =>
    new CnmcpError(
      'SECRET_FILE_TAMPERED',
      `the secrets file ${file} failed its integrity check (${why}): it was modified outside cnmcp or is corrupt. It was left unchanged; restore it from a backup`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw tampered('not valid JSON');
  }
  const { mac, ...rest } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const body = checkShape(rest, tampered);
  const legacy = body.format === LEGACY_FORMAT;
  const idOf = (k: MasterKey) =>
    legacy
      ? (k.legacyId ?? 'a passphrase')
      : k.kind === 'passphrase' && !body.kdf
        ? 'a passphrase'
        : k.kind === 'key' && body.kdf
          ? 'a random key'
          : k.keyFor(body.kdf).id;
  const master = keys.find((k) => idOf(k) === body.keyId);
  if (!master) {
    throw new CnmcpError(
      'SECRET_FILE_WRONG_KEY',
      `the secrets file ${file} was encrypted with ${body.kdf ? 'a passphrase' : 'a master key'} (${body.keyId}), but the configured key is ${idOf(keys[0]!)}${
        keys.length > 1 ? ` (previous: ${keys.slice(1).map(idOf).join(', ')})` : ''
      }: configure the key that wrote it (during a key change, as previousMasterKeys). The file was left unchanged`,
    );
  }
  let dataKey: Buffer;
  try {
    dataKey = open(master.keyFor(body.kdf).key, body.dataKey, dataKeyAad(body.format, body.keyId, body.kdf));
  } catch {
    throw tampered('the data key does not authenticate');
  }
  const expected = Buffer.from(fileMac(dataKey, JSON.stringify(body)), 'hex');
  if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac) || !timingSafeEqual(expected, Buffer.from(mac, 'hex')))
    throw tampered('the file MAC does not match');
  const entries = body.secrets.map(
    ({ name, versions }) =>
      [
        name,
        versions.map((v) => {
          let payload: { value: unknown; metadata?: unknown };
          try {
            payload = JSON.parse(open(dataKey, v, versionAad(body.format, name, v)).toString('utf8')) as typeof payload;
          } catch {
            throw tampered(`secret "${name}" version ${v.version} does not authenticate`);
          }
          if (typeof payload.value !== 'string') throw tampered(`secret "${name}" version ${v.version} has no value`);
          return {
            version: v.version,
            type: v.type,
            value: payload.value,
            createdAt: v.createdAt,
            ...(v.expiresAt !== undefined ? { expiresAt: v.expiresAt } : {}),
            ...(payload.metadata ? { metadata: payload.metadata as Record<string, string> } : {}),
          } satisfies StoredVersion;
        }),
      ] as const,
  );
  return { dataKey, entries, openedWith: master, ...(body.kdf ? { kdf: body.kdf } : {}), legacy };
}

/** Rebuilds the body field by field, in a fixed order: the MAC is computed over exactly this form. */
function normalize(body: FileBody): FileBody {
  return {
    format: body.format,
    keyId: body.keyId,
    ...(body.kdf ? { kdf: { name: body.kdf.name, salt: body.kdf.salt, N: body.kdf.N, r: body.kdf.r, p: body.kdf.p } } : {}),
    dataKey: { nonce: body.dataKey.nonce, data: body.dataKey.data },
    secrets: body.secrets.map(({ name, versions }) => ({
      name,
      versions: versions.map((v) => ({
        version: v.version,
        type: v.type,
        createdAt: v.createdAt,
        ...(v.expiresAt !== undefined ? { expiresAt: v.expiresAt } : {}),
        nonce: v.nonce,
        data: v.data,
      })),
    })),
  };
}

function checkShape(value: Record<string, unknown>, tampered: (why: string) => Error): FileBody {
  const fail = (what: string): never => {
    throw tampered(what);
  };
  const isSealed = (s: unknown): s is Sealed =>
    typeof s === 'object' && s !== null && typeof (s as Sealed).nonce === 'string' && typeof (s as Sealed).data === 'string';
  const isTime = (t: unknown) => typeof t === 'number' && Number.isSafeInteger(t) && t >= 0;
  if (value.format !== FORMAT && value.format !== LEGACY_FORMAT) fail(`unknown format ${JSON.stringify(value.format)}, expected ${FORMAT}`);
  if (value.kdf !== undefined && (value.format === LEGACY_FORMAT || !isKdf(value.kdf))) fail('bad kdf');
  if (typeof value.keyId !== 'string' || !/^[0-9a-f]{16}$/.test(value.keyId)) fail('bad keyId');
  if (!isSealed(value.dataKey)) fail('bad dataKey');
  if (!Array.isArray(value.secrets)) fail('bad secrets list');
  const names = new Set<string>();
  for (const s of value.secrets as unknown[]) {
    const { name, versions } = (s ?? {}) as { name?: unknown; versions?: unknown };
    if (typeof name !== 'string' || !SECRET_NAME.test(name) || names.has(name)) fail('bad secret name');
    names.add(name as string);
    if (!Array.isArray(versions) || versions.length === 0) fail(`secret "${String(name)}" has no versions`);
    for (const v of versions as Record<string, unknown>[]) {
      if (!isSealed(v) || !Number.isSafeInteger(v.version) || (v.version as number) < 1) fail(`secret "${String(name)}" has a bad version`);
      if (!SECRET_TYPES.includes(v.type as SecretType) || !isTime(v.createdAt) || (v.expiresAt !== undefined && !isTime(v.expiresAt)))
        fail(`secret "${String(name)}" has a bad header`);
    }
  }
  return normalize(value as unknown as FileBody);
}

/** Bounds keep a forged file from asking for a derivation that exhausts memory or one too cheap to mean anything. */
function isKdf(value: unknown): value is KdfParams {
  const k = value as Partial<KdfParams>;
  return (
    typeof k === 'object' &&
    k !== null &&
    k.name === 'scrypt' &&
    typeof k.salt === 'string' &&
    Buffer.from(k.salt, 'base64').length >= 16 &&
    Number.isSafeInteger(k.N) &&
    k.N! >= 2 ** 14 &&
    k.N! <= 2 ** 20 &&
    (k.N! & (k.N! - 1)) === 0 &&
    k.N! * (k.r ?? 0) <= 2 ** 21 && // 128 * N * r bytes: at most 256 MiB
    Number.isSafeInteger(k.r) &&
    k.r! >= 8 &&
    k.r! <= 32 &&
    Number.isSafeInteger(k.p) &&
    k.p! >= 1 &&
    k.p! <= 4
  );
}
