import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback, createGunzip } from 'node:zlib';
import type { AuditEvent, AuditFilter, AuditSink } from '@cnmcp/core/plugin';
import { matcherOf } from '../shared/match-filter.js';
import type { FileSinkConfig } from './config-schema.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/**
 * An append-only JSON Lines audit file. One write and one fdatasync per batch (group commit); writes, rotation and
 * erasure are serialized on one promise chain so lines never interleave. Rotated files are named
 * `<file>.<UTC timestamp>[.gz]`, so their names sort in time order.
 */
export class FileSink implements AuditSink {
  readonly failClosed: boolean;
  readonly #config: FileSinkConfig;
  #handle?: FileHandle;
  #size = 0;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(config: FileSinkConfig) {
    this.#config = config;
    this.failClosed = config.failClosed;
  }

  static async open(config: FileSinkConfig): Promise<FileSink> {
    const sink = new FileSink(config);
    await mkdir(dirname(config.path), { recursive: true, mode: 0o700 });
    await sink.#openCurrent();
    await sink.#applyRetention();
    return sink;
  }

  async #openCurrent(): Promise<void> {
    this.#handle = await open(this.#config.path, 'a', 0o600);
    // An existing file keeps whatever mode it had: audit records are for the server's user only.
    await chmod(this.#config.path, 0o600);
    this.#size = (await this.#handle.stat()).size;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  write(batch: readonly AuditEvent[]): Promise<void> {
    return this.#serial(async () => {
      const data = Buffer.from(batch.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
      if (this.#size > 0 && this.#size + data.length > this.#config.maxSizeBytes) await this.#rotate();
      const handle = this.#handle;
      if (!handle) throw new Error('audit file is closed');
      await handle.write(data);
      await handle.datasync();
      this.#size += data.length;
    });
  }

  async #rotate(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const rotated = `${this.#config.path}.${stamp}`;
    await rename(this.#config.path, rotated);
    if (this.#config.gzip) {
      await writeFile(`${rotated}.gz`, await gzip(await readFile(rotated)), { mode: 0o600 });
      await unlink(rotated);
    }
    await this.#openCurrent();
    await this.#applyRetention();
  }

  /** Rotated files, oldest first, then the current file. */
  async #files(): Promise<string[]> {
    const dir = dirname(this.#config.path);
    const base = basename(this.#config.path);
    const rotated = (await readdir(dir)).filter((name) => name.startsWith(`${base}.`) && /\.\d{8}T\d{9}Z(\.gz)?$/.test(name)).sort();
    return [...rotated.map((name) => join(dir, name)), this.#config.path];
  }

  async #applyRetention(): Promise<void> {
    const cutoff = Date.now() - this.#config.retentionDays * 86_400_000;
    for (const file of (await this.#files()).slice(0, -1)) {
      if ((await stat(file)).mtimeMs < cutoff) await unlink(file);
    }
  }

  async *query(filter: AuditFilter): AsyncIterable<AuditEvent> {
    const matches = matcherOf(filter);
    const limit = filter.limit ?? Infinity;
    let yielded = 0;
    if (limit <= 0) return;
    for (const file of await this.#files()) {
      const input = file.endsWith('.gz') ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
      const lines = createInterface({ input, crlfDelay: Infinity });
      try {
        for await (const line of lines) {
          // A line that does not parse was damaged after it was written: skipping it leaves a gap `verify` reports.
          let event: AuditEvent;
          try {
            event = JSON.parse(line) as AuditEvent;
          } catch {
            continue;
          }
          if (!matches(event)) continue;
          yield event;
          if (++yielded >= limit) return;
        }
      } finally {
        lines.close();
        input.destroy();
      }
    }
  }

  /** Rewrites each file that holds the actor (temp file, fsync, rename); other lines stay byte for byte. */
  erase(actorId: string, pseudonym: string): Promise<readonly { id: string; hash: string }[]> {
    return this.#serial(async () => {
      const changed: { id: string; hash: string }[] = [];
      await this.#handle?.close();
      this.#handle = undefined;
      try {
        for (const file of await this.#files()) {
          const zipped = file.endsWith('.gz');
          const raw = await readFile(file);
          const text = (zipped ? await gunzip(raw) : raw).toString('utf8');
          let touched = false;
          const lines = text.split('\n').map((line) => {
            if (!line.includes(JSON.stringify(actorId))) return line;
            try {
              const event = JSON.parse(line) as AuditEvent;
              if (event.actor?.id !== actorId) return line;
              touched = true;
              changed.push({ id: event.id, hash: event.hash });
              return JSON.stringify({ ...event, actor: { ...event.actor, id: pseudonym } });
            } catch {
              return line;
            }
          });
          if (!touched) continue;
          const body = Buffer.from(lines.join('\n'), 'utf8');
          const temp = `${file}.erasing`;
          const handle = await open(temp, 'w', 0o600);
          await handle.write(zipped ? await gzip(body) : body);
          await handle.sync();
          await handle.close();
          await rename(temp, file);
        }
      } finally {
        await this.#openCurrent();
      }
      return changed;
    });
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      await this.#handle?.close();
      this.#handle = undefined;
    });
  }
}
