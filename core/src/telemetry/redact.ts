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
export function redact(value: unknown, knownSecrets: ReadonlySet<string> = new Set(), key = '', extraKeys: readonly RegExp[] = []): unknown {
  const sensitive = (k: string) => isSensitiveKey(k) || extraKeys.some((r) => r.test(k));
  if (isSecret(value)) return '***';
  if (typeof value === 'string') return sensitive(key) ? '***' : maskKnown(value, knownSecrets);
  if (Array.isArray(value)) return value.map((item) => redact(item, knownSecrets, key, extraKeys));
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = sensitive(k) && v != null && typeof v !== 'object' ? '***' : redact(v, knownSecrets, k, extraKeys);
    return out;
  }
  return value;
}

/** Replaces every occurrence of a known secret value inside a string (short values would mask too much). */
export function maskKnown(text: string, knownSecrets: ReadonlySet<string>): string {
  let out = maskUserinfo(text);
  // Longest first: a secret that contains a shorter one is masked whole.
  for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length))
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('***');
  return out;
}
