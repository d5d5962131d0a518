import { isIP } from 'node:net';
import { isInternalAddress } from './internal-address.js';

// DNS-1123 subdomain: what Kubernetes accepts for most object names and namespaces (a label is a special case).
const IDENTIFIER = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_IDENTIFIER_LENGTH = 253;

/** Policy `identifier`: a Kubernetes-style name or a reason to reject. */
export function checkIdentifier(value: string): string | undefined {
  if (value.length > MAX_IDENTIFIER_LENGTH) return `longer than ${MAX_IDENTIFIER_LENGTH} characters`;
  return IDENTIFIER.test(value) ? undefined : 'is not a valid name (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)';
}

/** Policy `query` (PromQL, JSONPath): never changed, only bounded. */
export function checkQuery(value: string, maxLength: number): string | undefined {
  return codePointLength(value) > maxLength ? `longer than ${maxLength} characters` : undefined;
}

const BLOCKED_HOSTNAMES: ReadonlySet<string> = new Set([
  'localhost',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

// Whitespace and control characters are dropped or trimmed silently by WHATWG URL parsing, and a backslash reads as
// "/" there but not in every other parser: refused, so every reader of the value sees the same URL.
const AMBIGUOUS = /[\u0000-\u0020\u007f-\u009f\\]/;

/**
 * Policy `url`: validated, never character-stripped. An absolute http(s) URL with no credentials, not naming
 * localhost, a metadata service or a literal internal address. Only what the caller wrote is checked here; the tool
 * that fetches resolves the name and checks every address (utilities_web_fetch does, on every redirect hop).
 */
export function checkUrl(value: string, maxLength: number): string | undefined {
  if (codePointLength(value) > maxLength) return `longer than ${maxLength} characters`;
  if (AMBIGUOUS.test(value)) return 'contains whitespace, a control character or a backslash';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme "${url.protocol}" is not allowed (http and https only)`;
  // WHATWG parsing accepts "http:example.com" and "http:/example.com" as if the slashes were there.
  if (!/^https?:\/\/[^/]/i.test(value)) return 'is not an absolute URL';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
  if (BLOCKED_HOSTNAMES.has(host) || host.endsWith('.localhost')) return `host "${host}" is not allowed`;
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0 && isInternalAddress(host)) return `address ${host} is loopback, private, link-local or otherwise internal`;
  return undefined;
}

export const codePointLength = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};
