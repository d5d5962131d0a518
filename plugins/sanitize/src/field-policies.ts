import { isIP } from 'node:net';

// DNS-1123 subdomain: what Kubernetes accepts for most object names and namespaces.
const IDENTIFIER = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkIdentifier(value: string): string | undefined {
  if (value.length > 253) return 'longer than 253 characters';
  return IDENTIFIER.test(value) ? undefined : 'is not a valid name (lowercase letters, digits, "-" and ".", starting and ending alphanumeric)';
}

const BLOCKED_HOSTNAMES = new Set(['localhost', 'metadata.google.internal', 'metadata']);

/**
 * URLs are validated, never character-stripped: absolute http(s), no credentials, and no literal loopback, private,
 * link-local or metadata address. Names are resolved (and re-checked) only by the tool that fetches them.
 */
export function checkUrl(value: string, maxLength: number): string | undefined {
  if (value.length > maxLength) return `longer than ${maxLength} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol} is not allowed (http and https only)`;
  if (!/^https?:\/\//i.test(value)) return 'is not an absolute URL';
  if (url.username || url.password) return 'must not contain credentials';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (BLOCKED_HOSTNAMES.has(host) || host.endsWith('.localhost')) return `host ${host} is not allowed`;
  if (isIP(host) && isInternalAddress(host)) return `address ${host} is internal`;
  return undefined;
}

function isInternalAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isInternalAddress(mapped[1]!);
  return v6 === '::' || v6 === '::1' || v6.startsWith('fe8') || v6.startsWith('fe9') || v6.startsWith('fea') || v6.startsWith('feb') || v6.startsWith('fc') || v6.startsWith('fd');
}
