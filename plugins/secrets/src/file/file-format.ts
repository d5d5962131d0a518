import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CnmcpError, SECRET_NAME, SECRET_TYPES, type SecretType } from '@cnmcp/core/plugin';
import type { StoredVersion } from '../shared/secret-table.js';
import { fileMac, open, seal, type Sealed } from './envelope.js';
import type { MasterKey } from './master-key.js';

export const FORMAT = 'cnmcp-secrets/1';

/**
 * The file, as JSON:
 * `{ format, keyId, dataKey: Sealed, secrets: [{ name, versions: [{ version, type, createdAt, expiresAt?, nonce, data }] }], mac }`.
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
  readonly dataKey: Sealed;
  readonly secrets: readonly { readonly name: string; readonly versions: readonly FileVersion[] }[];
}

export type Entries = readonly (readonly [string, readonly StoredVersion[]])[];

export interface Decoded {
  readonly dataKey: Buffer;
  readonly entries: Entries;
  /** The master key that opened the data key; not the current one means the file should be re-wrapped. */
  readonly openedWith: MasterKey;
}

const dataKeyAad = (keyId: string) => `${FORMAT}\0data-key\0${keyId}`;
const versionAad = (name: string, v: Omit<FileVersion, 'nonce' | 'data'>) =>
  JSON.stringify([FORMAT, name, v.version, v.type, v.createdAt, v.expiresAt ?? null]);

export const newDataKey = () => randomBytes(32);

export function encodeFile(entries: Entries, dataKey: Buffer, master: MasterKey): string {
  const body: FileBody = {
    format: FORMAT,
    keyId: master.id,
    dataKey: seal(master.key, dataKey, dataKeyAad(master.id)),
    secrets: entries.map(([name, versions]) => ({
      name,
      versions: versions.map((v) => {
        const header = { version: v.version, type: v.type, createdAt: v.createdAt, ...(v.expiresAt !== undefined ? { expiresAt: v.expiresAt } : {}) };
        const payload = Buffer.from(JSON.stringify({ value: v.value, ...(v.metadata ? { metadata: v.metadata } : {}) }), 'utf8');
        return { ...header, ...seal(dataKey, payload, versionAad(name, header)) };
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
  const master = keys.find((k) => k.id === body.keyId);
  if (!master) {
    throw new CnmcpError(
      'SECRET_FILE_WRONG_KEY',
      `the secrets file ${file} was encrypted with master key ${body.keyId}, but the configured key is ${keys[0]!.id}${
        keys.length > 1
          ? ` (previous: ${keys
              .slice(1)
              .map((k) => k.id)
              .join(', ')})`
          : ''
      }: configure the key that wrote it (during a key change, as previousMasterKeys). The file was left unchanged`,
    );
  }
  let dataKey: Buffer;
  try {
    dataKey = open(master.key, body.dataKey, dataKeyAad(body.keyId));
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
            payload = JSON.parse(open(dataKey, v, versionAad(name, v)).toString('utf8')) as typeof payload;
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
  return { dataKey, entries, openedWith: master };
}

/** Rebuilds the body field by field, in a fixed order: the MAC is computed over exactly this form. */
function normalize(body: FileBody): FileBody {
  return {
    format: body.format,
    keyId: body.keyId,
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
  if (value.format !== FORMAT) fail(`unknown format ${JSON.stringify(value.format)}, expected ${FORMAT}`);
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
