import type { AuthRequest } from '@cnmcp/core/plugin';

export type PresentedKey =
  | { readonly kind: 'absent' }
  /** Several keys in one request (header and Authorization, a repeated header...): refused rather than guessed. */
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'present'; readonly key: string };

const AUTHORIZATION_SCHEME = /^apikey(?: |$)/i;

/**
 * Reads an API key from the configured header (Node lowercases names, so any case matches), from
 * `Authorization: ApiKey <key>` (scheme in any case, one space), and from `?api_key=` only when allowed. The value
 * is taken verbatim: quotes or whitespace around a key are part of what was presented, so they do not match.
 */
export function readApiKey(request: AuthRequest, options: { readonly header: string; readonly allowQueryParam: boolean }): PresentedKey {
  const found: string[] = [];
  const fromHeader = request.headers[options.header];
  if (fromHeader !== undefined) found.push(...(Array.isArray(fromHeader) ? fromHeader : [fromHeader]));
  const authorization = request.headers.authorization;
  for (const value of Array.isArray(authorization) ? authorization : authorization === undefined ? [] : [authorization]) {
    if (AUTHORIZATION_SCHEME.test(value)) found.push(value.slice('ApiKey '.length));
  }
  if (options.allowQueryParam) found.push(...request.url.searchParams.getAll('api_key'));
  if (found.length === 0) return { kind: 'absent' };
  if (found.length > 1) return { kind: 'ambiguous' };
  return { kind: 'present', key: found[0]! };
}
