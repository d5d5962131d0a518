import type { JWTPayload } from 'jose';

/**
 * True when a verified token lives longer than `maxSeconds`: `exp - iat`, or `exp - now` when `iat` is absent or
 * in the future (a future `iat` must not shorten the lifetime it claims). Only the `exp - now` case gets the clock
 * tolerance, since only it depends on this server's clock.
 *
 * @example lifetimeExceeds({ iat: 0, exp: 7200 }, 3600, 30) // true
 */
export function lifetimeExceeds(claims: JWTPayload, maxSeconds: number, toleranceSeconds: number, nowSeconds = Date.now() / 1000): boolean {
  // jose checked `exp` is present and a number (requiredClaims), and `iat` is a number when present.
  const exp = claims.exp!;
  const fromIat = claims.iat !== undefined && claims.iat <= nowSeconds;
  return fromIat ? exp - claims.iat! > maxSeconds : exp - nowSeconds > maxSeconds + toleranceSeconds;
}
