/** Where a connection URL points, for messages that must never show its password. */
export interface ConnectionTarget {
  /** `user@host:port/database`, without the password. */
  readonly description: string;
  /** The message with the password (as written and decoded) and the whole URL replaced by `***`. */
  scrub(message: string): string;
}

/**
 * Reads a `postgres://` or `postgresql://` URL. Returns undefined for anything else; the caller says so without
 * repeating the value, which may hold a password.
 *
 * @example connectionTarget('postgres://audit:pw@db.internal/cnmcp')?.description // 'audit@db.internal:5432/cnmcp'
 */
export function connectionTarget(url: string): ConnectionTarget | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') return undefined;
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  // A host in the query string (`?host=/run/postgresql`) is a unix socket directory or overrides the authority.
  const host = parsed.searchParams.get('host') ?? (decode(parsed.hostname) || 'localhost');
  const database = decode(parsed.pathname.slice(1)) || '(default database)';
  const user = parsed.username ? `${decode(parsed.username)}@` : '';
  const secrets = [url, parsed.password, decode(parsed.password), parsed.searchParams.get('password') ?? ''].filter((s) => s.length > 0);
  return {
    description: `${user}${host}:${parsed.port || '5432'}/${database}`,
    scrub: (message) => secrets.reduce((text, secret) => text.split(secret).join('***'), message),
  };
}
