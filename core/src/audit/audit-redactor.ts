import { createHmac } from 'node:crypto';
import { isSensitiveKey } from '../telemetry/redact.js';
import { isSecret } from '../plugin/secret.js';

/**
 * Replaces sensitive values in audit records by `hmac-sha256:<hex>` under a per-deployment key, as Vault's audit
 * devices do: the log never holds the value, yet an operator who knows a value can compute its HMAC and search.
 * Sensitive means: under a sensitive-looking key (password, token, secret, apiKey, authorization, ...; more by
 * config), or equal to a known secret value anywhere.
 */
export class AuditRedactor {
  readonly #key: Buffer;
  readonly #extraKeys: readonly RegExp[];
  readonly #knownSecrets: ReadonlySet<string>;

  constructor(key: Buffer, extraSensitiveKeys: readonly string[], knownSecrets: ReadonlySet<string>) {
    this.#key = key;
    this.#extraKeys = extraSensitiveKeys.map((k) => new RegExp(k, 'i'));
    this.#knownSecrets = knownSecrets;
  }

  hmac(value: string): string {
    return `hmac-sha256:${createHmac('sha256', this.#key).update(value).digest('hex')}`;
  }

  redact(value: unknown, key = ''): unknown {
    const sensitive = isSensitiveKey(key) || this.#extraKeys.some((r) => r.test(key));
    if (isSecret(value)) return this.hmac(value.reveal());
    if (typeof value === 'string') return sensitive || this.#knownSecrets.has(value) ? this.hmac(value) : this.#maskKnown(value);
    if (typeof value === 'number' || typeof value === 'boolean') return sensitive ? this.hmac(String(value)) : value;
    if (Array.isArray(value)) return value.map((item) => this.redact(item, key));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redact(v, k)]));
    return value;
  }

  /** A known secret inside a longer string is replaced by its HMAC too. */
  #maskKnown(text: string): string {
    let out = text;
    for (const secret of this.#knownSecrets) if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(this.hmac(secret));
    return out;
  }
}
