import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from './ports/audit-sink.js';
import { eraseSubject, SUBJECT_FIELDS } from './erase-subject.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The text of the balanced (...) or {...} starting at `open`. */
function balanced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(' || text[i] === '{') depth++;
    else if ((text[i] === ')' || text[i] === '}') && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

/** Every audit event type the code can emit: `type:` literals (ternaries too) in emit/record calls and AuditInput values, and auditTypeOf's table. */
function emittedTypes(): Set<string> {
  const types = new Set<string>();
  const files = [...sources(join(ROOT, 'core/src')), ...readdirSync(join(ROOT, 'plugins')).flatMap((p) => sources(join(ROOT, 'plugins', p, 'src')))];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // Stage verdicts carry their events (`events: [{ type: ... }]`) for the pipeline loop to emit.
    for (const call of text.matchAll(/\.(?:emit|record)\(|: AuditInput = |\bevents(?::|\s*=)\s*\[\s*(?=\{)/g)) {
      const body = balanced(text, call.index + call[0].length - (call[0].endsWith('(') ? 1 : 0));
      for (const m of body.matchAll(/\btype:\s*((?:[^,{}]*?\?\s*)?'[\w.]+'(?:\s*:\s*'[\w.]+')?)/g))
        for (const t of m[1]!.matchAll(/'([\w.]+)'/g)) types.add(t[1]!);
    }
    // MCP methods name the event that records a completed call (resource.read, prompt.get) in their table.
    for (const m of text.matchAll(/\bauditAs:\s*'([\w.]+)'/g)) types.add(m[1]!);
    if (file.endsWith(join('pipeline', 'verdict.ts'))) {
      const table = balanced(text, text.indexOf('({', text.indexOf('auditTypeOf')));
      for (const t of table.matchAll(/:\s*'([\w.]+)'/g)) types.add(t[1]!);
      types.add(/\?\?\s*'([\w.]+)'/.exec(text.slice(text.indexOf('auditTypeOf')))![1]!);
    }
  }
  return types;
}

function set(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}

describe('erasure covers every event type the code emits', () => {
  it('finds each emitted type in SUBJECT_FIELDS, and no stale entry there', () => {
    const emitted = emittedTypes();
    expect(emitted.size).toBeGreaterThan(15); // the scan itself works
    const missing = [...emitted].filter((type) => !(type in SUBJECT_FIELDS));
    expect(missing, 'new audit event types: add them to SUBJECT_FIELDS with every field that can name a person').toEqual([]);
    expect(Object.keys(SUBJECT_FIELDS).filter((type) => !emitted.has(type))).toEqual([]);
  });

  it.each(Object.entries(SUBJECT_FIELDS))('%s: the subject is gone from every field that can carry it, and from any other', (type, fields) => {
    const event: Record<string, unknown> = {
      id: '01J',
      time: '2026-12-01T00:00:00.000Z',
      type,
      outcome: 'failure',
      chain: 'c',
      seq: 1,
      prevHash: '',
      hash: 'h',
    };
    for (const field of fields) set(event, field === 'arguments' ? 'arguments.user' : field, 'alice');
    // A field nobody listed yet, deep inside: erased all the same.
    set(event, 'details.future.owners', ['bob', 'alice']);
    set(event, 'details.other', 'alice-smith');
    const erased = eraseSubject(event as unknown as AuditEvent, 'alice', 'erased:0123');
    expect(JSON.stringify(erased)).not.toContain('"alice"');
    expect(erased).toMatchObject({ id: '01J', hash: 'h', details: { other: 'alice-smith', future: { owners: ['bob', 'erased:0123'] } } });
  });

  it('leaves an event that does not name the subject alone, and never touches the seal', () => {
    const event = {
      id: 'alice',
      time: 't',
      type: 'tool.call',
      outcome: 'success',
      chain: 'alice',
      seq: 1,
      prevHash: 'alice',
      hash: 'alice',
      keyId: 'alice',
    } as AuditEvent;
    expect(eraseSubject(event, 'alice', 'erased:1')).toBeUndefined();
  });
});
