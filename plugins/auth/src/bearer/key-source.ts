import { CnmcpError, signingKeyId, type SecretReader } from '@cnmcp/core/plugin';
import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose';
import type { KeySourceSettings } from './config-schema.js';

/** What jose's `jwtVerify` takes as its key: the HMAC secret's bytes, or a resolver picking a public key by `kid`. */
export type VerificationKey = Uint8Array | JWTVerifyGetKey;

const FETCH_TIMEOUT_MS = 5_000;
// After a failed discovery, requests fail fast (closed) for this long before one of them tries again.
const DISCOVERY_RETRY_MS = 5_000;

/**
 * The key for `jwtVerify`. Remote key sets are fetched lazily (a server starts while its issuer is down, and
 * fails closed until it is back), cached by jose, and refreshed on an unknown `kid` at most once per cooldown.
 * Every fetch is bounded by a timeout and aborted by `signal` at shutdown.
 */
export function createVerificationKey(settings: KeySourceSettings, signal: AbortSignal, secrets?: SecretReader): VerificationKey {
  switch (settings.kind) {
    case 'secret':
      return settings.secret;
    case 'stored':
      if (!secrets) throw new CnmcpError('CONFIG_INVALID', '`signingSecret` needs a secret store', { path: '/signingSecret' });
      return storedKey(settings, secrets);
    case 'jwks':
      return remoteKeySet(settings.jwksUri, settings, signal);
    case 'discovery':
      return discoveredKeySet(settings, signal);
  }
}

/**
 * The live versions of a stored HMAC secret: a token's `kid` (`name#version`, as cnmcp's generator writes it)
 * picks its version while that version is live (current, or within its rotation grace); no `kid` means current.
 */
function storedKey(settings: Extract<KeySourceSettings, { kind: 'stored' }>, secrets: SecretReader): JWTVerifyGetKey {
  return async (header) => {
    const versions = await secrets.getVersions(settings.name);
    const version = header.kid === undefined ? versions[0] : versions.find((v) => signingKeyId(settings.name, v.version) === header.kid);
    if (!version) throw new errors.JWKSNoMatchingKey();
    const bytes = new TextEncoder().encode(version.value.reveal());
    // A too-short key in the store is refused rather than used: RFC 7518 §3.2.
    if (bytes.byteLength < settings.minBytes) throw new errors.JWKSNoMatchingKey();
    return bytes;
  };
}

function remoteKeySet(jwksUri: URL, settings: { cooldownMs: number; cacheMaxAgeMs: number }, signal: AbortSignal): RemoteJWKSet {
  return createRemoteJWKSet(jwksUri, {
    timeoutDuration: FETCH_TIMEOUT_MS,
    cooldownDuration: settings.cooldownMs,
    cacheMaxAge: settings.cacheMaxAgeMs,
    [customFetch]: (url, init) => fetch(url, { ...init, signal: AbortSignal.any([init.signal, signal]) }),
  });
}

function discoveredKeySet(settings: Extract<KeySourceSettings, { kind: 'discovery' }>, signal: AbortSignal): JWTVerifyGetKey {
  let pending: Promise<RemoteJWKSet> | undefined;
  let retryAt = 0;
  return async (header, token) => {
    if (!pending || (retryAt > 0 && Date.now() >= retryAt)) {
      retryAt = 0;
      const attempt = discoverJwksUri(settings.issuer, signal).then((uri) => remoteKeySet(uri, settings, signal));
      attempt.catch(() => {
        if (pending === attempt) retryAt = Date.now() + DISCOVERY_RETRY_MS;
      });
      pending = attempt;
    }
    const keySet = await pending;
    return keySet(header, token);
  };
}

/**
 * OpenID Connect Discovery 1.0 §4: GET `<issuer>/.well-known/openid-configuration`, whose `issuer` must equal the
 * configured one exactly (§4.3) and whose `jwks_uri` names the key set.
 */
export async function discoverJwksUri(issuer: string, signal: AbortSignal): Promise<URL> {
  const where = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const fail = (why: string, cause?: unknown) =>
    new CnmcpError('OIDC_DISCOVERY_FAILED', `OpenID Connect discovery at ${where} failed: ${why}`, cause === undefined ? {} : { cause });
  let document: unknown;
  try {
    const response = await fetch(where, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]),
    });
    if (response.status !== 200) throw fail(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    throw error instanceof CnmcpError ? error : fail((error as Error).message, error);
  }
  const { issuer: announced, jwks_uri: jwksUri } = (typeof document === 'object' && document !== null ? document : {}) as Record<string, unknown>;
  if (announced !== issuer) throw fail('the document names a different issuer');
  if (typeof jwksUri !== 'string') throw fail('the document has no jwks_uri');
  let parsed: URL;
  try {
    parsed = new URL(jwksUri);
  } catch {
    throw fail('jwks_uri is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw fail('jwks_uri is not an http(s) URL');
  // An https issuer must not hand its keys out over plain http.
  if (parsed.protocol === 'http:' && new URL(issuer).protocol === 'https:') throw fail('jwks_uri is http for an https issuer');
  return parsed;
}
