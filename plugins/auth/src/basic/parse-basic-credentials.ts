import { isUtf8 } from 'node:buffer';

export type BasicCredentials =
  | { readonly kind: 'absent' }
  /** `why` describes the defect in words safe to log; it never quotes the header. */
  | { readonly kind: 'malformed'; readonly why: string }
  | { readonly kind: 'present'; readonly username: string; readonly password: string };

const SCHEME = /^basic(?: |$)/i;
// Canonical base64 (RFC 4648 with padding), which is what RFC 7617 clients send.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// RFC 7617: neither user-id nor password may contain control characters.
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Parses `Authorization: Basic base64(user:pass)` strictly (RFC 7617, charset UTF-8): one space after the scheme,
 * canonical padded base64, valid UTF-8, a colon, no control characters, neither part empty. Anything else under the
 * Basic scheme is malformed; another scheme (or no header) is absent. The password may contain colons.
 */
export function parseBasicAuthorization(header: string | readonly string[] | undefined): BasicCredentials {
  if (header === undefined) return { kind: 'absent' };
  if (typeof header !== 'string') {
    return header.some((h) => SCHEME.test(h)) ? { kind: 'malformed', why: 'several Authorization headers' } : { kind: 'absent' };
  }
  if (!SCHEME.test(header)) return { kind: 'absent' };
  const token = header.slice('Basic '.length);
  if (token === '' || !BASE64.test(token)) return { kind: 'malformed', why: 'credentials are not canonical base64' };
  const bytes = Buffer.from(token, 'base64');
  if (!isUtf8(bytes)) return { kind: 'malformed', why: 'credentials are not UTF-8' };
  const text = bytes.toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return { kind: 'malformed', why: 'credentials have no colon' };
  if (CONTROL.test(text)) return { kind: 'malformed', why: 'credentials contain control characters' };
  const username = text.slice(0, colon);
  const password = text.slice(colon + 1);
  if (username === '') return { kind: 'malformed', why: 'empty username' };
  if (password === '') return { kind: 'malformed', why: 'empty password' };
  return { kind: 'present', username, password };
}
