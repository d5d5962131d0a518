// A tiny identity provider for tests: OpenID Connect discovery and a JWKS on 127.0.0.1, keys made with jose, and
// a token minter. The key set it serves can be swapped at any time to test rotation.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface TestKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  /** The public key as PEM (SPKI), e.g. to try it as an HMAC secret. */
  readonly publicPem: string;
}

export interface TestIdp {
  /** http://127.0.0.1:<port>/realms/test */
  readonly issuer: string;
  readonly jwksUri: string;
  readonly counts: { jwks: number; discovery: number };
  /** Makes a key pair; it is served only once passed to `publish`. */
  createKey(alg: 'RS256' | 'ES256' | 'PS256' | 'EdDSA', kid?: string): Promise<TestKey>;
  /** Replaces the key set the JWKS endpoint serves. */
  publish(...keys: TestKey[]): void;
  /**
   * Signs a token with defaults `iss` = issuer, `sub` = 'alice', `iat` = now, `exp` = now + 1 h, header `typ` JWT
   * (an ID token's). A claim set to `undefined` is left out.
   */
  mint(key: TestKey, claims?: Record<string, unknown>, typ?: string): Promise<string>;
  /** Overrides what discovery answers (e.g. another issuer), or `undefined` for the real document. */
  discoveryOverride?: Record<string, unknown> | undefined;
  close(): Promise<void>;
}

export async function startTestIdp(): Promise<TestIdp> {
  let served: JWK[] = [];
  let next = 0;
  const counts = { jwks: 0, discovery: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/realms/test/.well-known/openid-configuration') {
      counts.discovery++;
      return send(200, idp.discoveryOverride ?? { issuer: idp.issuer, jwks_uri: idp.jwksUri, id_token_signing_alg_values_supported: ['RS256', 'ES256'] });
    }
    if (req.url === '/realms/test/jwks') {
      counts.jwks++;
      return send(200, { keys: served });
    }
    send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const idp: TestIdp = {
    issuer: `${origin}/realms/test`,
    jwksUri: `${origin}/realms/test/jwks`,
    counts,
    async createKey(alg, kid = `key-${++next}`) {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
      return { kid, alg, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
    },
    publish(...keys) {
      served = keys.map((k) => k.publicJwk);
    },
    async mint(key, claims = {}, typ = 'JWT') {
      const now = Math.floor(Date.now() / 1000);
      const payload = Object.fromEntries(
        Object.entries({ iss: idp.issuer, sub: 'alice', iat: now, exp: now + 3600, ...claims }).filter(([, v]) => v !== undefined),
      ) as JWTPayload;
      return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return idp;
}

/** Signs with a shared secret, for HS tests and for the HS/RS confusion attack. */
export async function mintHmac(secret: string | Uint8Array, claims: Record<string, unknown>, alg = 'HS256', kid?: string): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: 'alice', iat: now, exp: now + 3600, ...claims } as JWTPayload)
    .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
    .sign(key);
}

/**
 * An unsecured JWT (`alg: none`), hand-made since jose does not make those. The signature is empty as RFC 7519
 * §6.1 says, unless `signature` fills it so the token passes the structure gate and reaches verification.
 */
export function unsignedToken(claims: Record<string, unknown>, signature = ''): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'alice', iat: now, exp: now + 3600, ...claims })}.${signature}`;
}
