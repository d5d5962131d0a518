/** The SQL names derived from the configured table: quoted identifiers, safe to interpolate. */
export interface TableNames {
  /** As configured (`cnmcp_audit` or `audit.events`), for messages and the migration lock. */
  readonly configured: string;
  /** The events table, quoted and schema-qualified when configured so. */
  readonly events: string;
  /** `<table>_migrations` in the same schema. */
  readonly migrations: string;
  /** An index name (unqualified: an index lives in its table's schema). */
  index(column: string): string;
}

/**
 * Quotes the configured name. The config schema already restricts it to `[a-z_][a-z0-9_]*`, optionally with a
 * schema; this checks again, so no other caller can build SQL from an unchecked name.
 *
 * @example tableNames('audit.events').events // '"audit"."events"'
 */
export function tableNames(configured: string): TableNames {
  if (!/^([a-z_][a-z0-9_]{0,47}\.)?[a-z_][a-z0-9_]{0,47}$/.test(configured)) throw new Error(`invalid audit table name "${configured}"`);
  const parts = configured.split('.');
  const table = parts.pop()!;
  const schema = parts.length > 0 ? `"${parts[0]}".` : '';
  return {
    configured,
    events: `${schema}"${table}"`,
    migrations: `${schema}"${table}_migrations"`,
    index: (column) => `"${table}_${column}_idx"`,
  };
}
