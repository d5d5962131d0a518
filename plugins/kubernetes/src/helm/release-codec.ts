// Helm 3 keeps each release revision in a Secret (the default `secrets` storage driver): type `helm.sh/release.v1`,
// labels name/owner/status/version, and under data.release the base64 of gzip(JSON of the release), which the
// Secret's own encoding base64s once more on the wire.
import { gunzipSync } from 'node:zlib';

export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** Most bytes one release may decompress to: a release Secret holds at most 1 MiB, a bomb is cut here. */
const MAX_RELEASE_BYTES = 32 * 1024 * 1024;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/** The fields of helm.sh/helm/v3/pkg/release.Release the tools read. */
export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly version: number;
  readonly info: {
    readonly first_deployed?: string;
    readonly last_deployed?: string;
    readonly deleted?: string;
    readonly description?: string;
    readonly status?: string;
    readonly notes?: string;
  };
  readonly chart?: {
    readonly metadata?: { readonly name?: string; readonly version?: string; readonly appVersion?: string; readonly description?: string };
    readonly values?: Record<string, unknown>;
  };
  readonly config?: Record<string, unknown> | null;
  readonly manifest?: string;
  readonly hooks?: readonly {
    readonly name?: string;
    readonly kind?: string;
    readonly events?: readonly string[];
    readonly last_run?: { readonly phase?: string; readonly started_at?: string; readonly completed_at?: string };
  }[];
}

/** A Secret as the API server returns it (only what release decoding needs). */
export interface SecretObject {
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly type?: string;
  readonly data?: Record<string, string>;
}

/** A release Secret that is not what its labels say, or cannot be read. */
export class ReleaseDecodeError extends Error {}

/** Whether a Secret is a Helm release revision: the driver's type and the `owner=helm` label, both. */
export function isReleaseSecret(secret: SecretObject): boolean {
  return secret.type === RELEASE_SECRET_TYPE && secret.metadata?.labels?.owner === 'helm';
}

/** Decodes the release a Helm release Secret holds, as Helm's own decodeRelease does (gzip optional). */
export function decodeReleaseSecret(secret: SecretObject): HelmRelease {
  const where = `${secret.metadata?.namespace ?? ''}/${secret.metadata?.name ?? ''}`;
  if (!isReleaseSecret(secret)) throw new ReleaseDecodeError(`Secret ${where} is not a Helm release (type ${String(secret.type)})`);
  const wire = secret.data?.release;
  if (typeof wire !== 'string' || wire === '') throw new ReleaseDecodeError(`Secret ${where} has no data.release`);
  const inner = Buffer.from(Buffer.from(wire, 'base64').toString('latin1'), 'base64');
  let json: Buffer;
  try {
    json = inner.subarray(0, 3).equals(GZIP_MAGIC) ? gunzipSync(inner, { maxOutputLength: MAX_RELEASE_BYTES }) : inner;
  } catch (error) {
    throw new ReleaseDecodeError(`Secret ${where}: data.release does not decompress (${(error as Error).message})`);
  }
  let release: HelmRelease;
  try {
    release = JSON.parse(json.toString('utf8')) as HelmRelease;
  } catch {
    throw new ReleaseDecodeError(`Secret ${where}: data.release is not a Helm release (not JSON after base64 and gzip decoding)`);
  }
  if (typeof release !== 'object' || release === null || typeof release.name !== 'string' || typeof release.version !== 'number') {
    throw new ReleaseDecodeError(`Secret ${where}: data.release has no release name and version`);
  }
  return { ...release, info: release.info ?? {} };
}
