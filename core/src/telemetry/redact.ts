import { isSecret } from '../plugin/secret.js';
import { maskUserinfo } from '../secrets/url-userinfo.js';

/** Keys whose values are credentials wherever they appear (headers, config, log fields). */
const SENSITIVE_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key|signature|session[-_]?id/i;

export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEY.test(key);

/**
 * A deep copy with credentials masked: sensitive keys, `Secret` values, any string in `knownSecrets` and the
 * userinfo of every URL.
 * Used for logs, `config print` and error output.
 */
export function redact(value: unknown, knownSecrets: ReadonlySet<string> = NO_SECRETS, key = '', extraKeys: readonly RegExp[] = NO_KEYS): unknown {
  if (typeof value === 'string') return sensitive(key, extraKeys) ? '***' : maskKnown(value, knownSecrets);
  if (value === null || typeof value !== 'object') {
    // JSON has no BigInt: written as its digits in a string (as winston's json format did).
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (isSecret(value)) return '***';
  if (Array.isArray(value)) return value.map((item) => redact(item, knownSecrets, key, extraKeys));
  if (value instanceof Error) return { name: value.name, message: value.message };
  const out: Record<string, unknown> = {};
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const v = (value as Record<string, unknown>)[k];
    out[k] = v != null && typeof v !== 'object' && sensitive(k, extraKeys) ? '***' : redact(v, knownSecrets, k, extraKeys);
  }
  return out;
}

const NO_SECRETS: ReadonlySet<string> = new Set();
const NO_KEYS: readonly RegExp[] = [];

function sensitive(key: string, extraKeys: readonly RegExp[]): boolean {
  if (SENSITIVE_KEY.test(key)) return true;
  for (const r of extraKeys) if (r.test(key)) return true;
  return false;
}

/** Replaces every occurrence of a known secret value inside a string (short values would mask too much). */
export function maskKnown(text: string, knownSecrets: ReadonlySet<string>): string {
  let out = maskUserinfo(text);
  if (knownSecrets.size === 0) return out;
  for (const secret of longestFirst(knownSecrets)) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

const sortedSecrets = new WeakMap<ReadonlySet<string>, { readonly size: number; readonly list: readonly string[] }>();

/**
 * The maskable secrets (4 characters or more), longest first, so that a secret containing a shorter one is masked
 * whole. Sorted again only when the set grew (a set of known secrets only ever grows), not for every string.
 */
function longestFirst(knownSecrets: ReadonlySet<string>): readonly string[] {
  const cached = sortedSecrets.get(knownSecrets);
  if (cached?.size === knownSecrets.size) return cached.list;
  const list = [...knownSecrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  sortedSecrets.set(knownSecrets, { size: knownSecrets.size, list });
  return list;
}
