import { createHash } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { SECRET_TYPES, type SecretType } from '@cnmcp/core/plugin';
import type { StoredVersion } from '../shared/secret-table.js';

/** Every Secret the store owns carries this label; the store lists by it and touches nothing else. */
export const MANAGED_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_VALUE = 'cnmcp';
/** The cnmcp name (any case, dots) of the secret a Kubernetes Secret holds. */
export const NAME_ANNOTATION = 'cnmcp.dev/secret-name';
const VERSIONS_KEY = 'versions';

/**
 * The Kubernetes name of a secret: `<prefix><name>` when that is a valid lower-case DNS name, else the name
 * lower-cased and cleaned with a hash of the original appended, so `Ops-Key` and `ops-key` never collide.
 */
export function objectNameOf(prefix: string, name: string): string {
  const plain = `${prefix}${name}`;
  if (/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/.test(plain)) return plain;
  const cleaned = `${prefix}${name.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}`.replace(/[.-]+$/, '').slice(0, 200);
  return `${cleaned}-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
}

/** One cnmcp secret as one Kubernetes Secret: every version, newest first, as JSON in `data.versions`. */
export function toSecretObject(prefix: string, name: string, versions: readonly StoredVersion[], resourceVersion?: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: objectNameOf(prefix, name),
      labels: { [MANAGED_LABEL]: MANAGED_VALUE },
      annotations: { [NAME_ANNOTATION]: name },
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    data: { [VERSIONS_KEY]: Buffer.from(JSON.stringify(versions), 'utf8').toString('base64') },
  };
}

/** The versions a Secret holds, or undefined when it is not one of ours or does not parse (it is then left alone). */
export function fromSecretObject(object: V1Secret): { name: string; versions: StoredVersion[] } | undefined {
  const name = object.metadata?.annotations?.[NAME_ANNOTATION];
  const data = object.data?.[VERSIONS_KEY];
  if (!name || !data) return undefined;
  try {
    const versions = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as unknown;
    if (!Array.isArray(versions) || versions.length === 0 || !versions.every(isStoredVersion)) return undefined;
    return { name, versions };
  } catch {
    return undefined;
  }
}

function isStoredVersion(v: unknown): v is StoredVersion {
  const s = v as Partial<StoredVersion>;
  return (
    typeof s === 'object' &&
    s !== null &&
    Number.isSafeInteger(s.version) &&
    SECRET_TYPES.includes(s.type as SecretType) &&
    typeof s.value === 'string' &&
    Number.isSafeInteger(s.createdAt) &&
    (s.expiresAt === undefined || Number.isSafeInteger(s.expiresAt))
  );
}
