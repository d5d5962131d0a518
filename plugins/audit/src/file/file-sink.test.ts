import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { auditLine, type AuditEvent, type AuditFilter, type Logger } from '@cnmcp/core/plugin';
import { eventHash, HashChain } from '../../../../core/src/audit/hash-chain.js';
import { verifyChains } from '../../../../core/src/audit/verify-chain.js';
import type { FileSinkConfig } from './config-schema.js';
import { FileSink } from './file-sink.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'cnmcp-audit-'));
const config = (dir: string, extra: Partial<FileSinkConfig> = {}): FileSinkConfig => ({
  path: join(dir, 'logs', 'audit.jsonl'),
  failClosed: true,
  maxSizeBytes: 50 * 1024 * 1024,
  retentionDays: 90,
  gzip: true,
  ...extra,
});

function recordingLogger() {
  const entries: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void entries.push({ level, message, ...(fields ? { fields } : {}) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { logger, entries };
}
const open = (cfg: FileSinkConfig, logger = recordingLogger().logger) => FileSink.open(cfg, logger);

function events(n: number, chain = new HashChain(), start = 0): AuditEvent[] {
  return Array.from({ length: n }, (_, k) => {
    const i = start + k;
    return chain.link({
      id: `01JAAAAAAA${String(i).padStart(6, '0')}`,
      time: new Date(Date.UTC(2026, 10, 24, 12, 0, i)).toISOString(),
      type: i % 2 ? 'auth.failure' : 'tool.call',
      outcome: i % 2 ? 'failure' : 'success',
      actor: { id: i % 3 === 0 ? 'alice' : 'bob', authMethod: 'apikey', roles: ['ops'] },
      ...(i % 2 ? {} : { tool: i % 4 ? `vault_get_${i}` : `kubernetes_get_${i}`, arguments: { namespace: 'default', n: i / 3, text: 'ünïcødé' } }),
    });
  });
}

const collect = async (iterable: AsyncIterable<AuditEvent>) => {
  const out: AuditEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
};
const linesOf = (path: string) => readFileSync(path, 'utf8').split('\n').slice(0, -1);
const mode = (path: string) => statSync(path).mode & 0o777;

describe('file audit sink: writing and reading', () => {
  it('appends one JSON line per event to a 0600 file in a 0700 directory and returns the events unchanged', async () => {
    const dir = tempDir();
    const cfg = config(dir);
    const sink = await open(cfg);
    const written = events(5);
    await sink.write(written.slice(0, 2));
    await sink.write(written.slice(2));
    expect(mode(cfg.path)).toBe(0o600);
    expect(mode(join(dir, 'logs'))).toBe(0o700);
    // Each line is the text the event's hash was computed over (serialized once), and parses back to the event.
    expect(linesOf(cfg.path)).toEqual(written.map((e) => auditLine(e)));
    expect(linesOf(cfg.path).map((line) => JSON.parse(line) as unknown)).toEqual(written);
    expect(await collect(sink.query({}))).toEqual(written);
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: 5, problems: [] });
    await sink.close();
    await expect(sink.write(written)).rejects.toThrow('closed');
    expect(await collect(sink.query({}))).toEqual(written);
  });

  it('sets an existing file to 0600 and keeps what it holds', async () => {
    const dir = tempDir();
    const cfg = config(dir);
    mkdirSync(join(dir, 'logs'));
    const [first, second] = events(2);
    writeFileSync(cfg.path, `${JSON.stringify(first)}\n`, { mode: 0o644 });
    chmodSync(cfg.path, 0o644);
    const sink = await open(cfg);
    expect(mode(cfg.path)).toBe(0o600);
    await sink.write([second!]);
    expect(await collect(sink.query({}))).toEqual([first, second]);
    await sink.close();
  });

  it('serializes concurrent batches: whole lines, in the order written', async () => {
    const cfg = config(tempDir(), { maxSizeBytes: 4096 });
    const sink = await open(cfg);
    const written = events(40);
    await Promise.all(written.map((e, i) => sink.write(i % 2 ? [e] : [e])));
    expect(await collect(sink.query({}))).toEqual(written);
    await sink.close();
  });

  it('filters by type, actor, tool pattern, outcome, time, cursor and limit', async () => {
    const sink = await open(config(tempDir()));
    const written = events(12);
    await sink.write(written);
    const ids = async (filter: AuditFilter) => (await collect(sink.query(filter))).map((e) => e.id);
    const idsWhere = (keep: (e: AuditEvent) => boolean) => written.filter(keep).map((e) => e.id);
    expect(await ids({ type: 'auth.failure' })).toEqual(idsWhere((e) => e.type === 'auth.failure'));
    expect(await ids({ actor: 'alice' })).toEqual(idsWhere((e) => e.actor?.id === 'alice'));
    expect(await ids({ tool: 'kubernetes_*' })).toEqual(idsWhere((e) => e.tool?.startsWith('kubernetes_') === true));
    expect(await ids({ tool: '*_get_*' })).toEqual(idsWhere((e) => e.tool !== undefined));
    expect(await ids({ tool: 'vault_get_2' })).toEqual([written[2]!.id]);
    expect(await ids({ outcome: 'failure', limit: 2 })).toEqual([written[1]!.id, written[3]!.id]);
    expect(await ids({ since: new Date(written[10]!.time) })).toEqual([written[10]!.id, written[11]!.id]);
    expect(await ids({ until: new Date(written[1]!.time) })).toEqual([written[0]!.id, written[1]!.id]);
    expect(await ids({ after: written[9]!.id })).toEqual([written[10]!.id, written[11]!.id]);
    expect(await ids({ actor: 'bob', type: 'tool.call', after: written[2]!.id, limit: 1 })).toEqual([written[4]!.id]);
    expect(await ids({ limit: 0 })).toEqual([]);
    await sink.close();
  });
});

describe('file audit sink: rotation and retention', () => {
  it('rotates before a batch would pass the size limit into gzip files named in order, and reads across them', async () => {
    const dir = tempDir();
    const cfg = config(dir, { maxSizeBytes: 2048 });
    const sink = await open(cfg);
    const chain = new HashChain();
    const written: AuditEvent[] = [];
    for (let i = 0; i < 8; i++) {
      const batch = events(3, chain, i * 3);
      written.push(...batch);
      await sink.write(batch); // no pause: rotations within one millisecond still get distinct, ordered names
    }
    const rotated = readdirSync(join(dir, 'logs')).filter((f) => f !== 'audit.jsonl');
    expect(rotated.length).toBeGreaterThanOrEqual(3);
    expect(rotated.every((f) => /^audit\.jsonl\.\d{8}T\d{9}Z\.gz$/.test(f))).toBe(true);
    const files = [...rotated.sort().map((f) => join(dir, 'logs', f)), cfg.path];
    const perFile = files.map((f) => (f.endsWith('.gz') ? gunzipSync(readFileSync(f)) : readFileSync(f)).toString('utf8'));
    for (const [i, file] of files.entries()) {
      expect(mode(file)).toBe(0o600);
      expect(Buffer.byteLength(perFile[i]!)).toBeLessThanOrEqual(2048);
    }
    // Concatenated in name order, the files hold every line in the order written: nothing lost, nothing reordered.
    expect(perFile.join('')).toBe(written.map((e) => `${auditLine(e)}\n`).join(''));
    expect(await collect(sink.query({}))).toEqual(written);
    expect(await collect(sink.query({ after: written[10]!.id, limit: 4 }))).toEqual(written.slice(11, 15));
    expect(await verifyChains(sink.query({}))).toMatchObject({ events: 24, problems: [] });
    await sink.close();
  });

  it('keeps rotated files plain with gzip: false', async () => {
    const dir = tempDir();
    const sink = await open(config(dir, { maxSizeBytes: 1024, gzip: false }));
    const written = events(6);
    for (const e of written) await sink.write([e]);
    const rotated = readdirSync(join(dir, 'logs')).filter((f) => f !== 'audit.jsonl');
    expect(rotated.length).toBeGreaterThan(0);
    expect(rotated.every((f) => /^audit\.jsonl\.\d{8}T\d{9}Z$/.test(f))).toBe(true);
    expect(await collect(sink.query({}))).toEqual(written);
    await sink.close();
  });

  it('deletes rotated files past retention at setup and after each rotation', async () => {
    const dir = tempDir();
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const age = (file: string, days: number) => {
      writeFileSync(join(logs, file), '');
      const when = new Date(Date.now() - days * 86_400_000);
      utimesSync(join(logs, file), when, when);
    };
    age('audit.jsonl.20250101T000000000Z.gz', 40);
    age('audit.jsonl.20250201T000000000Z', 31);
    age('audit.jsonl.20250301T000000000Z.gz', 29);
    age('audit.jsonl.backup', 400); // not one of ours: never touched
    const sink = await open(config(dir, { retentionDays: 30, maxSizeBytes: 1024 }));
    expect(readdirSync(logs).sort()).toEqual(['audit.jsonl', 'audit.jsonl.20250301T000000000Z.gz', 'audit.jsonl.backup']);

    utimesSync(join(logs, 'audit.jsonl.20250301T000000000Z.gz'), new Date(Date.now() - 31 * 86_400_000), new Date(Date.now() - 31 * 86_400_000));
    for (const e of events(4)) await sink.write([e]);
    const after = readdirSync(logs).sort();
    expect(after).not.toContain('audit.jsonl.20250301T000000000Z.gz');
    expect(after).toContain('audit.jsonl.backup');
    expect(after.filter((f) => f.endsWith('.gz')).length).toBeGreaterThan(0);
    await sink.close();
  });

  it('removes a plain rotated file whose compressed copy is complete (a compression cut short)', async () => {
    const dir = tempDir();
    const cfg = config(dir, { maxSizeBytes: 1024 });
    const first = await open(cfg);
    const written = events(4);
    for (const e of written) await first.write([e]);
    await first.close();
    const gz = readdirSync(join(dir, 'logs')).find((f) => f.endsWith('.gz'))!;
    writeFileSync(join(dir, 'logs', gz.slice(0, -3)), gunzipSync(readFileSync(join(dir, 'logs', gz))));
    const sink = await open(cfg);
    expect(existsSync(join(dir, 'logs', gz.slice(0, -3)))).toBe(false);
    expect(await collect(sink.query({}))).toEqual(written);
    await sink.close();
  });
});

describe('file audit sink: erasure', () => {
  it('pseudonymizes one actor in every file, leaving every other byte, and verify accounts for it', async () => {
    const dir = tempDir();
    const cfg = config(dir, { maxSizeBytes: 2048 });
    const sink = await open(cfg);
    const chain = new HashChain();
    const written = events(12, chain);
    for (let i = 0; i < 12; i += 3) await sink.write(written.slice(i, i + 3));
    const logs = join(dir, 'logs');
    const rotated = readdirSync(logs).filter((f) => f.endsWith('.gz'));
    expect(rotated.length).toBeGreaterThan(0);
    const old = new Date('2026-11-01T00:00:00Z');
    utimesSync(join(logs, rotated[0]!), old, old);
    const before = new Map(
      readdirSync(logs).map((f) => [f, f.endsWith('.gz') ? gunzipSync(readFileSync(join(logs, f))).toString() : readFileSync(join(logs, f), 'utf8')]),
    );

    const changed = await sink.erase('alice', 'erased:1234');
    const alice = written.filter((e) => e.actor?.id === 'alice');
    expect(changed).toEqual(alice.map((e) => ({ id: e.id, hash: e.hash })));
    for (const [file, text] of before) {
      const now = file.endsWith('.gz') ? gunzipSync(readFileSync(join(logs, file))).toString() : readFileSync(join(logs, file), 'utf8');
      const [was, is] = [text.split('\n'), now.split('\n')];
      expect(is).toHaveLength(was.length);
      for (const [i, line] of was.entries()) {
        if (line.includes('"id":"alice"')) expect(is[i]).toBe(line.replace('"id":"alice"', '"id":"erased:1234"'));
        else expect(is[i]).toBe(line); // byte for byte
      }
      expect(mode(join(logs, file))).toBe(0o600);
    }
    expect(statSync(join(logs, rotated[0]!)).mtime).toEqual(old); // retention still counts from the rotation
    expect(await collect(sink.query({ actor: 'alice' }))).toEqual([]);
    expect((await collect(sink.query({ actor: 'erased:1234' }))).map((e) => e.id)).toEqual(alice.map((e) => e.id));
    expect((await verifyChains(sink.query({}))).problems[0]).toMatchObject({ problem: 'edited' });

    // What `cnmcp audit erase` appends: the ids, stored hashes and fingerprints of the erased forms.
    const erasedForms = await collect(sink.query({ actor: 'erased:1234' }));
    const listed = changed.map((c) => ({ ...c, erasedHash: eventHash(erasedForms.find((e) => e.id === c.id)!) }));
    await sink.write([
      chain.link({ id: '01JAAAAAAA999999', time: new Date().toISOString(), type: 'audit.erased', outcome: 'success', details: { events: listed } }),
    ]);
    expect(await verifyChains(sink.query({}))).toMatchObject({ erased: alice.length, problems: [] });
    expect(linesOf(cfg.path).at(-1)).toContain('"type":"audit.erased"'); // still appending to the rewritten file
    await sink.close();
  });

  it('leaves files without the actor untouched and returns nothing', async () => {
    const cfg = config(tempDir());
    const sink = await open(cfg);
    await sink.write(events(3));
    const before = statSync(cfg.path);
    expect(await sink.erase('carol', 'erased:x')).toEqual([]);
    expect(statSync(cfg.path).ino).toBe(before.ino);
    await sink.close();
  });
});

describe('file audit sink: damage and failures', () => {
  it('skips a damaged line with a warning, and verify reports the gap', async () => {
    const cfg = config(tempDir());
    const { logger, entries } = recordingLogger();
    const sink = await open(cfg, logger);
    const written = events(5);
    await sink.write(written);
    const lines = linesOf(cfg.path);
    lines[2] = lines[2]!.slice(0, 40);
    writeFileSync(cfg.path, `${lines.join('\n')}\n`);
    expect(await collect(sink.query({}))).toEqual([written[0], written[1], written[3], written[4]]);
    expect(entries).toContainEqual(expect.objectContaining({ level: 'warn', fields: { file: cfg.path, line: 3 } }));
    expect((await verifyChains(sink.query({}))).problems).not.toEqual([]);
    await sink.close();
  });

  it('ends a line a crash cut short before appending, so later events stay readable', async () => {
    const cfg = config(tempDir());
    mkdirSync(join(cfg.path, '..'));
    const [first, second, third] = events(3);
    writeFileSync(cfg.path, `${JSON.stringify(first)}\n${JSON.stringify(second).slice(0, 30)}`);
    const sink = await open(cfg);
    await sink.write([third!]);
    expect(await collect(sink.query({}))).toEqual([first, third]);
    await sink.close();
  });

  it('refuses to start on a path that is a directory, under a file, or a FIFO', async () => {
    const dir = tempDir();
    await expect(open(config(dir, { path: dir }))).rejects.toThrow('is not a regular file');
    writeFileSync(join(dir, 'plain'), '');
    await expect(open(config(dir, { path: join(dir, 'plain', 'audit.jsonl') }))).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) });
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await expect(open(config(dir, { path: join(dir, 'fifo') }))).rejects.toThrow('is not a regular file');
  });

  it('continues in a new file when the current one is moved away from outside', async () => {
    const dir = tempDir();
    const cfg = config(dir);
    const sink = await open(cfg);
    const [first, second] = events(2);
    await sink.write([first!]);
    renameSync(cfg.path, `${cfg.path}.moved`);
    await sink.write([second!]);
    expect(linesOf(cfg.path)).toEqual([auditLine(second!)]);
    expect(linesOf(`${cfg.path}.moved`)).toEqual([auditLine(first!)]);
    expect(mode(cfg.path)).toBe(0o600);
    await sink.close();
  });

  // A real write failure even as root: the file size limit (RLIMIT_FSIZE) of this test process.
  const prlimit =
    process.platform === 'linux' &&
    (() => {
      try {
        execFileSync('prlimit', ['--version']);
        return true;
      } catch {
        return false;
      }
    })();
  it.skipIf(!prlimit)('rejects a batch the disk did not take, keeping whole lines, and recovers', async () => {
    const cfg = config(tempDir());
    const sink = await open(cfg);
    const chain = new HashChain();
    const [first, failed, third] = [events(2, chain, 0), events(2, chain, 2), events(2, chain, 4)];
    await sink.write(first);
    const size = statSync(cfg.path).size;
    execFileSync('prlimit', ['--pid', String(process.pid), `--fsize=${size + 100}:`]);
    try {
      await expect(sink.write(failed)).rejects.toMatchObject({ code: 'EFBIG' });
    } finally {
      execFileSync('prlimit', ['--pid', String(process.pid), '--fsize=unlimited:']);
    }
    expect(statSync(cfg.path).size).toBe(size); // the short write was taken back
    await sink.write(third);
    expect(await collect(sink.query({}))).toEqual([...first, ...third]);
    expect((await verifyChains(sink.query({}))).problems[0]).toMatchObject({ seq: 5 });
    await sink.close();
  });
});
