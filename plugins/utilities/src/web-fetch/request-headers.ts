/**
 * Headers a caller may not set. Hop-by-hop headers and Host would let a caller smuggle requests or reach another
 * virtual host than the URL names; Content-Length has no body to describe; Accept-Encoding stays `identity`
 * because compressed bodies are neither decoded nor size-limited by their decoded length.
 */
export const FORBIDDEN_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'content-length',
  'accept-encoding',
]);

/**
 * The only headers that follow a redirect to another origin (scheme, host or port differs). Everything else is
 * dropped: a credential can hide under any name (`X-API-Key`, `Private-Token`, `X-Auth-Token`, ...), so a list of
 * headers to drop always misses one, while content negotiation is all another site needs.
 */
export const CROSS_ORIGIN_HEADERS: ReadonlySet<string> = new Set(['accept', 'accept-language', 'accept-encoding', 'user-agent', 'cache-control', 'pragma']);

/** The headers to send to `next` after a redirect from `from`: all of them on the same origin, the allowlist elsewhere. */
export function headersForRedirect(headers: Readonly<Record<string, string>>, from: URL, next: URL): Record<string, string> {
  if (next.origin === from.origin) return { ...headers };
  return Object.fromEntries(Object.entries(headers).filter(([name]) => CROSS_ORIGIN_HEADERS.has(name)));
}

export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
const NAME = new RegExp(HEADER_NAME_PATTERN);
const MAX_VALUE_LENGTH = 8192;

const DEFAULTS: Readonly<Record<string, string>> = { 'user-agent': 'cnmcp-utilities/0.1 (web_fetch)', accept: '*/*' };

/** Checks caller headers and adds ours; returns lower-cased names, or a message saying what is wrong. */
export function buildRequestHeaders(input: unknown): Record<string, string> | string {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input)))
    return 'headers must be an object of header names to string values.';
  const headers: Record<string, string> = { ...DEFAULTS };
  for (const [rawName, value] of Object.entries((input ?? {}) as Record<string, unknown>)) {
    const name = rawName.toLowerCase();
    if (!NAME.test(rawName)) return `header name ${JSON.stringify(rawName)} is not a valid HTTP token.`;
    if (FORBIDDEN_HEADERS.has(name)) return `header "${rawName}" cannot be set: the fetcher manages it (hop-by-hop and Host headers are refused).`;
    if (typeof value !== 'string') return `header "${rawName}" must have a string value.`;
    if (/[\r\n\0]/.test(value)) return `header "${rawName}" contains a line break or NUL.`;
    if (value.length > MAX_VALUE_LENGTH) return `header "${rawName}" is longer than ${MAX_VALUE_LENGTH} characters.`;
    headers[name] = value;
  }
  headers['accept-encoding'] = 'identity';
  return headers;
}
