import { CnmcpError, type ConfigInput, type ConfigOf, type PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written under `auth: [{ use: bearer, ... }]`, typed by the schema below. */
export type BearerConfig = ConfigOf<typeof configSchema>;

/** The same options as a user writes them, defaults left out: what `resolveBearerSettings` accepts. */
export type BearerOptions = ConfigInput<typeof configSchema>;

export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
const DEFAULT_ASYMMETRIC = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const;

// RFC 7518 §3.2: an HMAC key must be at least as long as the hash output.
const HMAC_MIN_BYTES: Readonly<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

// RFC 6749 §3.3 scope-token: printable ASCII without space, '"' and '\' (so it can sit in a quoted challenge).
const SCOPE_TOKEN = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$';

/** How the plugin reads its keys: one shared HMAC secret, or public keys from a JWKS (given, or found by discovery). */
export type KeySourceSettings =
  | { readonly kind: 'secret'; readonly secret: Uint8Array }
  /** An HMAC secret in the `secrets:` store, read at each verification: rotations apply at once. */
  | { readonly kind: 'stored'; readonly name: string; readonly minBytes: number }
  | { readonly kind: 'jwks'; readonly jwksUri: URL; readonly cooldownMs: number; readonly cacheMaxAgeMs: number }
  | { readonly kind: 'discovery'; readonly issuer: string; readonly cooldownMs: number; readonly cacheMaxAgeMs: number };

export type ResourceSettings = {
  readonly resource: string;
  readonly authorizationServers: readonly string[];
  readonly scopesSupported?: readonly string[];
};

export type BearerSettings = {
  readonly keys: KeySourceSettings;
  readonly algorithms: readonly string[];
  readonly issuer?: string;
  readonly audience?: string | readonly string[];
  readonly clockToleranceSeconds: number;
  readonly rolesClaim: string;
  readonly maxTokenBytes: number;
  /** Present in OAuth 2.1 resource-server mode. */
  readonly resource?: ResourceSettings;
  /** The `typ` header every token must carry (`at+jwt`, RFC 9068), compared as jose does: case-insensitive, `application/` optional. */
  readonly requireTyp?: string;
  /** Longest lifetime accepted: `exp - iat`, or `exp - now` without `iat` (or with an `iat` in the future). */
  readonly maxTokenLifetimeSeconds?: number;
};

export const DEFAULTS = Object.freeze({
  clockToleranceSeconds: 30,
  rolesClaim: 'roles',
  maxTokenBytes: 8192,
  jwksCooldownSeconds: 30,
  jwksCacheMaxAgeSeconds: 600,
});

const url = <D extends string>(description: D) => ({ type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048, description }) as const;
const nonEmptyStrings = <I extends object = object>(description: string, items?: I) =>
  ({
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { type: 'string', minLength: 1, ...items },
    description,
  }) as const;

/** Options of the `bearer` auth strategy. Descriptions feed the generated reference docs. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    issuer: url(
      'Expected `iss` of every token. Without `jwksUri`, the keys are found by OpenID Connect discovery at `<issuer>/.well-known/openid-configuration` (its `issuer` must match exactly). Not combinable with `secret`.',
    ),
    jwksUri: url(
      'URL of the JSON Web Key Set holding the public keys (RS/PS/ES/EdDSA). Cached; refreshed on an unknown `kid` at most once per `jwksCooldownSeconds`.',
    ),
    secret: {
      type: 'string',
      'x-cnmcp-secret': true,
      minLength: 1,
      description:
        'Shared HMAC secret for HS256/384/512 tokens: at least 32 bytes (48 for HS384, 64 for HS512). Use `${env:...}` or `${secret:...}`. Exactly one of `secret` or `jwksUri`/`issuer`.',
    },
    signingSecret: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
      description:
        'Name of the HMAC secret in the `secrets:` store (what `cnmcp secrets generate --type bearer` signs with). Read at each verification: a token whose `kid` names a live version verifies with it, so tokens signed before a rotation stay valid through its grace period. Instead of `secret`.',
    },
    algorithms: {
      ...nonEmptyStrings(
        'Accepted `alg` values, an explicit allowlist (`none` is never accepted). Default: HS256 with `secret`, else RS256, ES256, PS256, EdDSA. HS and asymmetric algorithms never mix with the wrong key source.',
      ),
      items: { type: 'string', enum: [...HMAC_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS] },
    },
    audience: {
      type: ['string', 'array'],
      minLength: 1,
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
      description: 'Accepted `aud` value, or a list of them: the token must name at least one. In resource-server mode it defaults to `resource`.',
    },
    clockToleranceSeconds: {
      type: 'integer',
      minimum: 0,
      maximum: 300,
      default: DEFAULTS.clockToleranceSeconds,
      description: 'Leeway for `exp` and `nbf`, in seconds, for clock skew between the issuer and this server.',
    },
    rolesClaim: {
      type: 'string',
      minLength: 1,
      default: DEFAULTS.rolesClaim,
      description:
        'Claim holding the roles (an array, or a space-separated string). A dotted path such as `realm_access.roles` reads nested claims; a claim whose own name contains dots (`https://example.com/roles`) is matched first.',
    },
    maxTokenBytes: {
      type: 'integer',
      minimum: 256,
      maximum: 65_536,
      default: DEFAULTS.maxTokenBytes,
      description: 'Longest token accepted, in bytes; a longer one is refused before it is decoded.',
    },
    resource: url(
      "This server's resource identifier (its public MCP URL, e.g. `https://mcp.example.com/mcp`). Turns on OAuth 2.1 resource-server mode: RFC 9728 metadata is served, 401 challenges point to it, and every token's `aud` must include this value (RFC 8707).",
    ),
    scopesSupported: nonEmptyStrings('Scopes advertised in the protected-resource metadata (`scopes_supported`) and in the challenge (`scope`).', {
      pattern: SCOPE_TOKEN,
    }),
    authorizationServers: nonEmptyStrings(
      'Issuer URLs of the authorization servers that mint tokens for this resource (RFC 9728 `authorization_servers`). Default: `[issuer]`.',
      {
        format: 'uri',
        pattern: '^https?://',
      },
    ),
    jwksCooldownSeconds: {
      type: 'integer',
      minimum: 1,
      maximum: 3600,
      default: DEFAULTS.jwksCooldownSeconds,
      description: 'After a JWKS fetch, how long a token with an unknown `kid` waits before it may trigger another fetch (limits load on the issuer).',
    },
    jwksCacheMaxAgeSeconds: {
      type: 'integer',
      minimum: 60,
      maximum: 86_400,
      default: DEFAULTS.jwksCacheMaxAgeSeconds,
      description: 'How long fetched keys are used before the JWKS is fetched again.',
    },
    requireTyp: {
      type: 'string',
      pattern: '^[A-Za-z0-9!#$&^_.+-]+(/[A-Za-z0-9!#$&^_.+-]+)?$',
      maxLength: 128,
      description:
        'The `typ` header every token must carry, e.g. `at+jwt` for RFC 9068 access tokens (compared case-insensitively, `application/` optional). Refuses ID tokens and other JWTs the same issuer signs with the same keys. Default: not checked.',
    },
    maxTokenLifetimeSeconds: {
      type: 'integer',
      minimum: 1,
      maximum: 31_536_000,
      description:
        'Longest token lifetime accepted, in seconds: `exp - iat`, or `exp - now` when `iat` is absent or in the future (plus `clockToleranceSeconds`). Refuses long-lived tokens that work like passwords once leaked. Default: no limit.',
    },
  },
} as const satisfies PluginConfigSchema;

const problem = (message: string, path: string) => new CnmcpError('CONFIG_INVALID', message, { path });

/**
 * Checks what the schema cannot express (one key source, algorithms that fit it, secret length) and fills
 * defaults again, since setup may be called with a bare object. Throws naming the option, never its value.
 */
export function resolveBearerSettings(config: BearerOptions): BearerSettings {
  const { issuer, jwksUri, resource, signingSecret } = config;
  if (config.secret !== undefined && signingSecret !== undefined) throw problem('set either `secret` or `signingSecret`, not both', '/signingSecret');
  // A stored signing secret is an HMAC key source like `secret`: the same algorithm rules apply.
  const secret = config.secret ?? (signingSecret !== undefined ? '' : undefined);
  const remote = issuer !== undefined || jwksUri !== undefined;
  if (secret !== undefined && remote) {
    throw problem(
      'set either `secret` (HS tokens) or `jwksUri`/`issuer` (public keys), not both: one key source prevents HS/RS algorithm confusion',
      '/secret',
    );
  }
  if (secret === undefined && !remote) throw problem('no key source: set `secret`, `jwksUri` or `issuer`', '/');

  const algorithms = config.algorithms ?? (secret !== undefined ? ['HS256'] : [...DEFAULT_ASYMMETRIC]);
  if (algorithms.length === 0) throw problem('`algorithms` must list at least one algorithm', '/algorithms');
  for (const alg of algorithms) {
    const hmac = (HMAC_ALGORITHMS as readonly string[]).includes(alg);
    const asymmetric = (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg);
    if (!hmac && !asymmetric) throw problem(`algorithm "${alg}" is not supported`, '/algorithms');
    if (secret !== undefined && !hmac)
      throw problem(`algorithm ${alg} needs a public key, but the key source is a shared \`secret\`: list only HS256/HS384/HS512`, '/algorithms');
    if (secret === undefined && hmac)
      throw problem(
        `algorithm ${alg} needs a shared \`secret\`, but the key source is a JWKS: HS algorithms with public keys allow forged tokens`,
        '/algorithms',
      );
  }

  const cooldownMs = (config.jwksCooldownSeconds ?? DEFAULTS.jwksCooldownSeconds) * 1000;
  const cacheMaxAgeMs = (config.jwksCacheMaxAgeSeconds ?? DEFAULTS.jwksCacheMaxAgeSeconds) * 1000;
  let keys: KeySourceSettings;
  if (signingSecret !== undefined) {
    keys = { kind: 'stored', name: signingSecret, minBytes: Math.max(...algorithms.map((alg) => HMAC_MIN_BYTES[alg] ?? 32)) };
  } else if (secret !== undefined) {
    const bytes = new TextEncoder().encode(secret);
    const needed = Math.max(...algorithms.map((alg) => HMAC_MIN_BYTES[alg] ?? 32));
    if (bytes.byteLength < needed) throw problem(`\`secret\` is shorter than ${needed} bytes, the minimum for ${algorithms.join(', ')}`, '/secret');
    keys = { kind: 'secret', secret: bytes };
  } else if (jwksUri !== undefined) {
    if (issuer !== undefined) parseHttpUrl(issuer, '/issuer');
    keys = { kind: 'jwks', jwksUri: parseHttpUrl(jwksUri, '/jwksUri'), cooldownMs, cacheMaxAgeMs };
  } else {
    parseHttpUrl(issuer!, '/issuer');
    keys = { kind: 'discovery', issuer: issuer!, cooldownMs, cacheMaxAgeMs };
  }

  let resourceSettings: ResourceSettings | undefined;
  if (resource !== undefined) {
    const parsed = parseHttpUrl(resource, '/resource');
    // RFC 8707 §2: no fragment. A query cannot be mapped onto a metadata path the kernel serves.
    if (parsed.hash !== '' || resource.includes('#')) throw problem('`resource` must not contain a fragment (RFC 8707)', '/resource');
    if (parsed.search !== '') throw problem('`resource` must not contain a query', '/resource');
    const authorizationServers = config.authorizationServers ?? (issuer !== undefined ? [issuer] : []);
    if (authorizationServers.length === 0) {
      throw problem('resource-server mode needs `authorizationServers` (or `issuer`): clients discover where to get a token from it', '/authorizationServers');
    }
    resourceSettings = { resource, authorizationServers, ...(config.scopesSupported ? { scopesSupported: config.scopesSupported } : {}) };
  }

  const audience = config.audience ?? resource;
  return {
    keys,
    algorithms,
    ...(issuer !== undefined ? { issuer } : {}),
    ...(audience !== undefined ? { audience } : {}),
    clockToleranceSeconds: config.clockToleranceSeconds ?? DEFAULTS.clockToleranceSeconds,
    rolesClaim: config.rolesClaim ?? DEFAULTS.rolesClaim,
    maxTokenBytes: config.maxTokenBytes ?? DEFAULTS.maxTokenBytes,
    ...(resourceSettings ? { resource: resourceSettings } : {}),
    ...(config.requireTyp !== undefined ? { requireTyp: config.requireTyp } : {}),
    ...(config.maxTokenLifetimeSeconds !== undefined ? { maxTokenLifetimeSeconds: config.maxTokenLifetimeSeconds } : {}),
  };
}

function parseHttpUrl(value: string, path: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw problem(`not a URL`, path);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw problem('must be an http(s) URL', path);
  return parsed;
}
