import { statSync } from 'node:fs';
import { mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { auditLine, type AuditEvent, type AuditFilter, type AuditSink, type Logger } from '@cnmcp/core/plugin';
import { matcherOf } from '../shared/match-filter.js';
import type { FileSinkConfig } from './config-schema.js';
import { appendAll, endsWithNewline, isMissing, syncDir } from './durable-write.js';
import { eraseActorInFile, type Erased } from './erase-actor.js';
import { readLines } from './read-lines.js';
import { compress, deleteExpired, listRotated, nextStamp, removeLeftovers, type RotatedFile } from './rotated-files.js';

/** One source of a query: a rotated file, or the current file as it was when the query started. */
type Source = RotatedFile | { readonly path: string; readonly gz: false; readonly handle: FileHandle; readonly end: number };

/**
 * An append-only JSON Lines audit file. Each batch is one write and one fdatasync (group commit). Writes,
 * rotation and erasure run one at a time, so lines never interleave and a query sees whole batches. Rotated files
 * are `<file>.<UTC timestamp>[.gz]` and sort by name in time order.
 */
export class FileSink implements AuditSink {
  readonly failClosed: boolean;
  readonly #config: FileSinkConfig;
  readonly #logger: Logger;
  #handle?: FileHandle;
  #inode?: { readonly dev: number; readonly ino: number };
  #size = 0;
  #closed = false;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(config: FileSinkConfig, logger: Logger) {
    this.#config = config;
    this.#logger = logger;
    this.failClosed = config.failClosed;
  }

  /** Creates the directory (0700) and the file (0600) if missing, and applies retention. `path` must be absolute. */
  static async open(config: FileSinkConfig, logger: Logger): Promise<FileSink> {
    const sink = new FileSink(config, logger);
    await mkdir(dirname(config.path), { recursive: true, mode: 0o700 });
    await sink.#openCurrent();
    try {
      await removeLeftovers(config.path, Date.now());
    } catch (error) {
      await sink.close();
      throw error;
    }
    await sink.#expire();
    return sink;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #openCurrent(): Promise<void> {
    const path = this.#config.path;
    // Opening a FIFO for writing would block until a reader comes: look before opening, check again after.
    const existing = await stat(path).catch((error: unknown) => (isMissing(error) ? undefined : Promise.reject(error)));
    if (existing && !existing.isFile()) throw new Error(`${path} is not a regular file`);
    const handle = await open(path, 'a+', 0o600); // appends; readable to check how the file ends
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Error(`${path} is not a regular file`);
      // An existing file keeps the mode it had: audit records are for the server's user only.
      await handle.chmod(0o600);
      let size = info.size;
      if (size > 0 && !(await endsWithNewline(handle, size))) {
        // A crash cut the last line short: end it, so the next event starts a line of its own and verify reports the gap.
        appendAll(handle.fd, Buffer.from('\n'));
        await handle.datasync();
        size += 1;
      }
      if (!existing) await syncDir(dirname(path));
      this.#handle = handle;
      this.#inode = { dev: info.dev, ino: info.ino };
      this.#size = size;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async #closeCurrent(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  /**
   * Continues in the file at `path` when it was moved or replaced from outside (logrotate, an erase by the CLI).
   * Checked before every batch, with a synchronous stat: a few microseconds, where the thread pool costs ten times that.
   */
  async #ensureCurrent(): Promise<FileHandle> {
    const onDisk = statSync(this.#config.path, { throwIfNoEntry: false });
    if (this.#handle && onDisk && onDisk.dev === this.#inode?.dev && onDisk.ino === this.#inode.ino) {
      this.#size = onDisk.size;
      return this.#handle;
    }
    if (this.#handle) this.#logger.info('audit file was moved or replaced; writing to a new file at its path', { path: this.#config.path });
    await this.#closeCurrent();
    await this.#openCurrent();
    return this.#handle!;
  }

  write(batch: readonly AuditEvent[]): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    const data = Buffer.from(batch.map((event) => `${auditLine(event)}\n`).join(''), 'utf8');
    return this.#serial(async () => {
      if (this.#closed) throw new Error('the audit file sink is closed');
      await this.#ensureCurrent();
      if (this.#size > 0 && this.#size + data.length > this.#config.maxSizeBytes) await this.#rotate();
      const handle = this.#handle!;
      try {
        appendAll(handle.fd, data);
      } catch (error) {
        // Take back a partly written batch, so the file keeps whole lines; failing that, reopening ends the torn line.
        await handle.truncate(this.#size).catch(() => this.#closeCurrent());
        throw error;
      }
      await handle.datasync();
      this.#size += data.length;
    });
  }

  async #rotate(): Promise<void> {
    const path = this.#config.path;
    await this.#closeCurrent();
    const rotated = `${path}.${nextStamp(await listRotated(path), Date.now())}`;
    await rename(path, rotated);
    await this.#openCurrent();
    if (this.#config.gzip) {
      // The rotated file is complete either way: a failed compression is worth a warning, not a lost batch.
      await compress(rotated).catch((error: unknown) =>
        this.#logger.warn('could not compress a rotated audit file', { file: rotated, error: (error as Error).message }),
      );
    }
    await this.#expire();
  }

  async #expire(): Promise<void> {
    try {
      const deleted = await deleteExpired(this.#config.path, this.#config.retentionDays, Date.now());
      if (deleted.length > 0) this.#logger.info('deleted audit files past retention', { files: deleted, retentionDays: this.#config.retentionDays });
    } catch (error) {
      this.#logger.warn('could not apply audit file retention', { error: (error as Error).message });
    }
  }

  /**
   * Streams the rotated files, oldest first, then the current file as it was when the query started. A line that
   * does not parse was damaged after it was written: it is logged and skipped, and `cnmcp audit verify` reports the
   * gap it leaves in the chain.
   */
  async *query(filter: AuditFilter): AsyncIterable<AuditEvent> {
    const limit = filter.limit ?? Infinity;
    if (limit <= 0) return;
    const matches = matcherOf(filter);
    const sources = await this.#serial(() => this.#snapshot());
    const current = sources.find((s): s is Extract<Source, { handle: FileHandle }> => 'handle' in s);
    let yielded = 0;
    try {
      for (const source of sources) {
        for await (const event of this.#eventsOf(source)) {
          if (!matches(event)) continue;
          yield event;
          if (++yielded >= limit) return;
        }
      }
    } finally {
      await current?.handle.close();
    }
  }

  async #snapshot(): Promise<Source[]> {
    const sources: Source[] = await listRotated(this.#config.path);
    try {
      const handle = await open(this.#config.path, 'r');
      sources.push({ path: this.#config.path, gz: false, handle, end: (await handle.stat()).size });
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    return sources;
  }

  async *#eventsOf(source: Source): AsyncGenerator<AuditEvent> {
    const opened = 'handle' in source ? { handle: source.handle, gz: false } : await openRotated(source);
    if (!opened) return;
    let number = 0;
    try {
      for await (const line of readLines(opened.handle, { gz: opened.gz, ...('end' in source ? { end: source.end, completeOnly: true } : {}) })) {
        number++;
        if (line === '') continue;
        const event = parseEvent(line);
        if (event) yield event;
        else this.#logger.warn('audit file line does not parse: it was damaged after it was written', { file: source.path, line: number });
      }
    } catch (error) {
      this.#logger.error('audit file could not be read to the end', { file: source.path, afterLine: number, error: (error as Error).message });
    } finally {
      if (!('handle' in source)) await opened.handle.close();
    }
  }

  /** Rewrites each file holding the actor (rotated and current), replacing it atomically. Runs between writes. */
  erase(actorId: string, pseudonym: string): Promise<readonly Erased[]> {
    return this.#serial(async () => {
      const path = this.#config.path;
      // Superseded plain copies of compressed files hold the actor too.
      await removeLeftovers(path, Date.now());
      const erased: Erased[] = [];
      for (const file of await listRotated(path)) erased.push(...(await eraseActorInFile(file.path, file.gz, actorId, pseudonym)));
      const current = await eraseActorInFile(path, false, actorId, pseudonym);
      if (current.length > 0 && !this.#closed) {
        await this.#closeCurrent();
        await this.#openCurrent();
      }
      return [...erased, ...current];
    });
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      this.#closed = true;
      // Every batch was synced when it was written: closing is all that is left.
      await this.#closeCurrent();
    });
  }
}

/** Opens a rotated file; retention may have deleted it since the listing, or another process compressed it. */
async function openRotated(file: RotatedFile): Promise<{ handle: FileHandle; gz: boolean } | undefined> {
  const candidates: [string, boolean][] = file.gz
    ? [[file.path, true]]
    : [
        [file.path, false],
        [`${file.path}.gz`, true],
      ];
  for (const [path, gz] of candidates) {
    try {
      return { handle: await open(path, 'r'), gz };
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return undefined;
}

function parseEvent(line: string): AuditEvent | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as AuditEvent) : undefined;
  } catch {
    return undefined;
  }
}
