import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRotated, nextStamp, stampOf } from './rotated-files.js';

describe('rotated file names', () => {
  const at = Date.UTC(2026, 10, 24, 12, 0, 0, 5);

  it('carry a UTC stamp that sorts as text in time order', () => {
    expect(stampOf(at)).toBe('20261124T120000005Z');
    expect(stampOf(at + 995) > stampOf(at)).toBe(true);
  });

  it('stay unique and ordered when rotations share a millisecond or the clock steps back', () => {
    const existing = [{ path: 'x', stamp: stampOf(at), gz: true }];
    expect(nextStamp([], at)).toBe('20261124T120000005Z');
    expect(nextStamp(existing, at)).toBe('20261124T120000006Z');
    expect(nextStamp(existing, at - 60_000)).toBe('20261124T120000006Z');
    expect(nextStamp(existing, at + 10)).toBe('20261124T120000015Z');
  });

  it('are listed oldest first, a .gz winning over its plain leftover, other files ignored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-rotated-'));
    for (const name of [
      'audit.jsonl',
      'audit.jsonl.20261124T120000000Z',
      'audit.jsonl.20261124T120000000Z.gz',
      'audit.jsonl.20261123T000000000Z',
      'audit.jsonl.backup',
      'audit.jsonl.20261125T000000000Z.gz.tmp',
      'other.jsonl.20261101T000000000Z.gz',
    ]) {
      writeFileSync(join(dir, name), '');
    }
    expect(await listRotated(join(dir, 'audit.jsonl'))).toEqual([
      { path: join(dir, 'audit.jsonl.20261123T000000000Z'), stamp: '20261123T000000000Z', gz: false },
      { path: join(dir, 'audit.jsonl.20261124T120000000Z.gz'), stamp: '20261124T120000000Z', gz: true },
    ]);
  });
});
