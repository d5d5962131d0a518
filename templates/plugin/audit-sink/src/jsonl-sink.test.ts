import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '@cnmcp/core/plugin';
import { describe, expect, it } from 'vitest';
import { createJsonlSink } from './jsonl-sink.js';

const event = (seq: number): AuditEvent => ({
  id: `01J0000000000000000000000${seq}`,
  time: new Date(0).toISOString(),
  type: 'tool.call',
  outcome: 'success',
  chain: 'c1',
  seq,
  prevHash: '',
  hash: `h${seq}`,
});

describe('jsonl sink', () => {
  it('appends batches in order, one event per line, exactly as given, in an owner-only file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'my-plugin-')), 'nested', 'audit.jsonl');
    const sink = createJsonlSink({ path, failClosed: false });
    await sink.write([event(1), event(2)]);
    await sink.write([event(3)]);
    await sink.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([event(1), event(2), event(3)]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('rejects a write it cannot store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'my-plugin-'));
    const sink = createJsonlSink({ path: dir, failClosed: true });
    await expect(sink.write([event(1)])).rejects.toThrow();
    expect(sink.failClosed).toBe(true);
  });
});
