import type pg from 'pg';
import type { TableNames } from './table-names.js';

/**
 * One schema change. Versions only grow; a released migration is never edited, a new one is appended. Changes
 * are additive (columns with defaults, indexes), so an older release still works on the table in a rolling upgrade.
 */
interface Migration {
  readonly version: number;
  readonly description: string;
  statements(names: TableNames): readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events table and its indexes',
    statements: (t) => [
      // `id` and `tool` compare bytewise (COLLATE "C"), as ULIDs and tool patterns do in every other sink,
      // whatever the database's collation; it also lets `tool LIKE 'prefix%'` use its index.
      `CREATE TABLE IF NOT EXISTS ${t.events} (
        id text COLLATE "C" PRIMARY KEY,
        time timestamptz NOT NULL,
        type text NOT NULL,
        outcome text NOT NULL,
        actor_id text,
        tool text COLLATE "C",
        chain text NOT NULL,
        seq bigint NOT NULL,
        event jsonb NOT NULL,
        event_text text
      )`,
      `COMMENT ON TABLE ${t.events} IS 'cnmcp audit events: one row per event, hash-chained per server process (verify with cnmcp audit verify)'`,
      `COMMENT ON COLUMN ${t.events}.event IS 'the whole event as the server emitted it; the other columns are copies for filtering'`,
      `COMMENT ON COLUMN ${t.events}.event_text IS 'the exact JSON of an event jsonb cannot hold (a NUL character or a lone surrogate in a string); NULL otherwise'`,
      // Queries page by id: (column, id) serves both the filter and the order.
      `CREATE INDEX IF NOT EXISTS ${t.index('time')} ON ${t.events} (time)`,
      `CREATE INDEX IF NOT EXISTS ${t.index('type')} ON ${t.events} (type, id)`,
      `CREATE INDEX IF NOT EXISTS ${t.index('actor_id')} ON ${t.events} (actor_id, id)`,
      `CREATE INDEX IF NOT EXISTS ${t.index('tool')} ON ${t.events} (tool, id)`,
    ],
  },
];

/**
 * Brings the table up to the latest version in one transaction. An advisory lock held until commit makes replicas
 * starting together take turns: the first applies what is missing, the others find it applied.
 *
 * @returns the versions this call applied (none when the table was current), and recorded versions this code
 * does not know: a newer release migrated the table.
 */
export async function migrate(client: pg.ClientBase, names: TableNames): Promise<{ applied: number[]; unknown: number[] }> {
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`cnmcp-audit-migrations:${names.configured}`]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${names.migrations} (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${names.migrations}`);
    const done = new Set(rows.map((r) => r.version));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements(names)) await client.query(statement);
      await client.query(`INSERT INTO ${names.migrations} (version, description) VALUES ($1, $2)`, [migration.version, migration.description]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    const known = new Set(MIGRATIONS.map((m) => m.version));
    return { applied, unknown: [...done].filter((v) => !known.has(v)) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
