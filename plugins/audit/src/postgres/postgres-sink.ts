import pg from 'pg';
import { CnmcpError, eraseSubject, type AuditEvent, type AuditFilter, type AuditSink, type Logger } from '@cnmcp/core/plugin';
import { matcherOf } from '../shared/match-filter.js';
import type { PostgresSinkConfig } from './config-schema.js';
import { connectionTarget, type ConnectionTarget } from './connection-target.js';
import { COLUMNS, eventOf, rowOf, storable, type StoredRow } from './event-row.js';
import { migrate } from './migrations.js';
import { pageQuery } from './page-query.js';
import { tableNames, type TableNames } from './table-names.js';

export interface PostgresSinkOptions {
  /** Rows fetched per round trip while a query streams. */
  readonly pageSize?: number;
}

// 10 parameters a row: 1000 rows stay well under PostgreSQL's 65535 parameters a statement.
const ROWS_PER_INSERT = 1000;
const EXPIRE_ROWS_PER_DELETE = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Audit events in one PostgreSQL table, shared by any number of server processes. A batch is one transaction
 * (group commit); queries stream in keyset pages; erasure and retention are single statements the database runs
 * where the rows are.
 */
export class PostgresSink implements AuditSink {
  readonly failClosed: boolean;
  readonly #pool: pg.Pool;
  readonly #names: TableNames;
  readonly #pageSize: number;
  readonly #logger: Logger;
  readonly #retentionDays?: number;
  #retentionTimer?: NodeJS.Timeout;
  #closing?: Promise<void>;

  private constructor(pool: pg.Pool, config: PostgresSinkConfig, logger: Logger, options: PostgresSinkOptions) {
    this.#pool = pool;
    this.#names = tableNames(config.table);
    this.#pageSize = options.pageSize ?? 500;
    this.#logger = logger;
    this.failClosed = config.failClosed;
    if (config.retentionDays !== undefined) this.#retentionDays = config.retentionDays;
  }

  /**
   * Connects, brings the table up to date and applies retention. Fails with a message naming the user, host and
   * database, never the password.
   */
  static async open(config: PostgresSinkConfig, logger: Logger, options: PostgresSinkOptions = {}): Promise<PostgresSink> {
    const target = connectionTarget(config.url);
    if (!target) throw new CnmcpError('AUDIT_PG_URL_INVALID', 'the PostgreSQL audit sink url must be a postgres:// or postgresql:// URL');
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolMax,
      connectionTimeoutMillis: 10_000,
      // A database that stops answering must fail a batch, not hold every later one behind it.
      query_timeout: 30_000,
      application_name: 'cnmcp-audit',
      allowExitOnIdle: true,
    });
    // An idle connection that breaks (a database restart) is replaced on next use; unhandled, it would end the process.
    pool.on('error', (error) => logger.warn('audit database connection lost', { target: target.description, error: target.scrub(error.message) }));
    const sink = new PostgresSink(pool, config, logger, options);
    try {
      await sink.#prepare(target);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return sink;
  }

  async #prepare(target: ConnectionTarget): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw new CnmcpError('AUDIT_PG_UNAVAILABLE', `cannot connect to PostgreSQL at ${target.description}: ${target.scrub(messageOf(error))}`);
    }
    try {
      const { applied, unknown } = await migrate(client, this.#names);
      if (applied.length > 0) this.#logger.info('audit table migrated', { table: this.#names.configured, versions: applied });
      // A rolling upgrade: a newer release already migrated; its changes must stay readable by this one.
      if (unknown.length > 0) this.#logger.warn('audit table has migrations from a newer release', { table: this.#names.configured, versions: unknown });
    } catch (error) {
      throw new CnmcpError(
        'AUDIT_PG_MIGRATION_FAILED',
        `cannot prepare the audit table ${this.#names.configured} at ${target.description}: ${target.scrub(messageOf(error))}`,
      );
    } finally {
      client.release();
    }
    if (this.#retentionDays === undefined) return;
    await this.#expire();
    this.#retentionTimer = setInterval(
      () =>
        void this.#expire().catch((error: unknown) =>
          this.#logger.error('audit retention failed', { table: this.#names.configured, error: target.scrub(messageOf(error)) }),
        ),
      DAY_MS,
    );
    this.#retentionTimer.unref();
  }

  async write(batch: readonly AuditEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const rows = batch.map(rowOf);
    if (rows.length <= ROWS_PER_INSERT) {
      await this.#pool.query(this.#insert(rows.length), rows.flat());
      return;
    }
    await this.#transaction(async (client) => {
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        const chunk = rows.slice(start, start + ROWS_PER_INSERT);
        await client.query(this.#insert(chunk.length), chunk.flat());
      }
    });
  }

  #insert(rows: number): string {
    const tuples = Array.from({ length: rows }, (_, r) => {
      const p = (column: number) => `$${r * COLUMNS.length + column + 1}`;
      // time: a null (an event time PostgreSQL cannot take) becomes the time of the write.
      return `(${COLUMNS.map((name, c) => (name === 'time' ? `COALESCE(${p(c)}::timestamptz, now())` : p(c))).join(', ')})`;
    });
    return `INSERT INTO ${this.#names.events} (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
  }

  async *query(filter: AuditFilter): AsyncIterable<AuditEvent> {
    let remaining = filter.limit === undefined || Number.isNaN(filter.limit) ? Infinity : Math.floor(filter.limit);
    // The SQL filters on copies of the fields; the matcher decides on the event itself, which differs only for the
    // rare events whose exact JSON lives in event_text.
    const matches = matcherOf(filter);
    let cursor: string | undefined;
    while (remaining > 0) {
      const size = Math.min(this.#pageSize, remaining);
      const { text, values } = pageQuery(this.#names, filter, cursor, size);
      const { rows } = await this.#pool.query<StoredRow>(text, values);
      for (const row of rows) {
        cursor = row.id;
        const event = eventOf(row);
        if (!matches(event)) continue;
        yield event;
        if (--remaining === 0) return;
      }
      if (rows.length < size) return;
    }
  }

  async erase(actorId: string, pseudonym: string): Promise<readonly { id: string; hash: string }[]> {
    const changed = await this.#transaction(async (client) => {
      const erased: { id: string; hash: string }[] = [];
      // Every row whose JSON holds the subject as a whole string, in any field (a claimed user name in details too);
      // the event itself decides (eraseSubject), as event holds a lossy copy when event_text is set.
      const { rows } = await client.query<StoredRow>(
        `SELECT id, event, event_text FROM ${this.#names.events}
         WHERE actor_id = $1 OR strpos(event::text, $2) > 0 OR strpos(event_text, $3) > 0 ORDER BY id FOR UPDATE`,
        [storable(actorId), storable(JSON.stringify(actorId)), JSON.stringify(actorId)],
      );
      for (const row of rows) {
        const event = eventOf(row);
        const replaced = eraseSubject(event, actorId, pseudonym);
        if (!replaced) continue;
        const values = rowOf(replaced);
        await client.query(`UPDATE ${this.#names.events} SET actor_id = $2, event = $3, event_text = $4 WHERE id = $1`, [
          row.id,
          values[4],
          values[8],
          values[9],
        ]);
        erased.push({ id: row.id, hash: event.hash });
      }
      return erased;
    });
    return changed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Deletes events past retention in slices, so no single statement holds locks or WAL for long. */
  async #expire(): Promise<void> {
    let deleted = 0;
    for (;;) {
      const { rowCount } = await this.#pool.query(
        `DELETE FROM ${this.#names.events} WHERE id IN (SELECT id FROM ${this.#names.events} WHERE time < now() - make_interval(days => $1) LIMIT ${EXPIRE_ROWS_PER_DELETE})`,
        [this.#retentionDays],
      );
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < EXPIRE_ROWS_PER_DELETE) break;
    }
    if (deleted > 0)
      this.#logger.info('audit events past retention deleted', { table: this.#names.configured, events: deleted, retentionDays: this.#retentionDays });
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      // A connection that could not even roll back is discarded, not handed to the next caller.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#retentionTimer);
      await this.#pool.end();
    })();
    return this.#closing;
  }
}

/** A connection failure's message: Node reports a refused dual-stack connect as an AggregateError with none. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message) return error.message;
  const inner = error instanceof AggregateError ? error.errors.map(messageOf).filter(Boolean).join('; ') : '';
  return inner || (error as NodeJS.ErrnoException).code || error.name;
}
