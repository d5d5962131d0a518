import { CnmcpError } from '../plugin/errors.js';
import { Secret } from '../plugin/secret.js';
import { signingKeyId } from '../plugin/signing-key-id.js';
import type { SecretStore, SecretType } from '../plugin/ports/secret-store.js';
import { DEFAULT_API_KEY_LENGTH, generateApiKey } from './generate-api-key.js';
import { DEFAULT_BEARER_TTL_SECONDS, generateBearerToken } from './generate-bearer-token.js';
import { generateSecret } from './generate-secret.js';

/**
 * How a generated secret is made, kept in its metadata so that rotation makes the next one the same way.
 * Bearer tokens name their signing secret (created as a generic secret when missing) and their subject.
 */
export interface GenerateSettings {
  readonly length?: number;
  readonly subject?: string;
  readonly ttlSeconds?: number;
  readonly signingSecret?: string;
  readonly roles?: readonly string[];
  readonly issuer?: string;
  readonly audience?: string;
}

export const DEFAULT_SIGNING_SECRET = 'jwt-signing-key';

export interface NewValue {
  readonly value: Secret;
  readonly expiresAt?: Date;
  readonly metadata: Record<string, string>;
}

/** A new value of `type`: an API key meeting the rule, a signed JWT, or a random secret (generic and basic). */
export async function newSecretValue(store: SecretStore, type: SecretType, settings: GenerateSettings = {}): Promise<NewValue> {
  switch (type) {
    case 'apikey': {
      const length = settings.length ?? DEFAULT_API_KEY_LENGTH;
      return { value: new Secret(generateApiKey(length)), metadata: { generator: 'apikey', length: String(length) } };
    }
    case 'bearer': {
      if (!settings.subject) throw new CnmcpError('SECRET_GENERATE_INVALID', 'a bearer token needs a subject (--subject)');
      const signingSecret = settings.signingSecret ?? DEFAULT_SIGNING_SECRET;
      const signing = await signingKeyOf(store, signingSecret);
      const ttlSeconds = settings.ttlSeconds ?? DEFAULT_BEARER_TTL_SECONDS;
      const { token, expiresAt } = await generateBearerToken({
        signingKey: new TextEncoder().encode(signing.value.reveal()),
        subject: settings.subject,
        ttlSeconds,
        keyId: signingKeyId(signingSecret, signing.version),
        ...(settings.roles ? { roles: settings.roles } : {}),
        ...(settings.issuer ? { issuer: settings.issuer } : {}),
        ...(settings.audience ? { audience: settings.audience } : {}),
      });
      const metadata: Record<string, string> = { generator: 'bearer', subject: settings.subject, signingSecret, ttlSeconds: String(ttlSeconds) };
      if (settings.roles) metadata.roles = settings.roles.join(',');
      if (settings.issuer) metadata.issuer = settings.issuer;
      if (settings.audience) metadata.audience = settings.audience;
      return { value: new Secret(token), expiresAt, metadata };
    }
    case 'basic':
    case 'generic': {
      const bytes = settings.length ?? 32;
      return { value: new Secret(generateSecret(bytes)), metadata: { generator: 'random', length: String(bytes) } };
    }
  }
}

/** Reads back the settings a generated secret was made with (rotation makes the next value alike). */
export function settingsFromMetadata(metadata: Readonly<Record<string, string>> | undefined): GenerateSettings {
  const m = metadata ?? {};
  const number = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  return {
    ...(number(m.length) !== undefined ? { length: number(m.length)! } : {}),
    ...(m.subject ? { subject: m.subject } : {}),
    ...(number(m.ttlSeconds) !== undefined ? { ttlSeconds: number(m.ttlSeconds)! } : {}),
    ...(m.signingSecret ? { signingSecret: m.signingSecret } : {}),
    ...(m.roles ? { roles: m.roles.split(',').filter(Boolean) } : {}),
    ...(m.issuer ? { issuer: m.issuer } : {}),
    ...(m.audience ? { audience: m.audience } : {}),
  };
}

async function signingKeyOf(store: SecretStore, name: string) {
  try {
    return await store.get(name);
  } catch (error) {
    if ((error as CnmcpError).code !== 'SECRET_NOT_FOUND') throw error;
    // First token: make the signing secret (64 random bytes, enough for HS512 too).
    return store.put(name, new Secret(generateSecret(64)), { type: 'generic', metadata: { generator: 'random', length: '64', purpose: 'jwt-signing' } });
  }
}
