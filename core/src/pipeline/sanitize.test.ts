import { describe, expect, it } from 'vitest';
import type { Sanitizer } from '../plugin/ports/sanitizer.js';
import { compileSanitize } from './sanitize.js';

// A small in-memory sanitizer double: strips ';' from filter fields, rejects identifiers with '/'.
const seen: string[] = [];
const sanitizer: Sanitizer = {
  sanitize(value, policy, path) {
    seen.push(`${path}:${policy}`);
    if (policy === 'identifier' && value.includes('/')) return { reject: 'not an identifier' };
    return { value: policy === 'filter' ? value.replaceAll(';', '') : value };
  },
};

const schema = {
  type: 'object' as const,
  properties: {
    name: { type: 'string', 'x-cnmcp-sanitize': 'identifier' },
    query: { type: 'string', 'x-cnmcp-sanitize': 'query' },
    labels: { type: 'array', items: { type: 'string' } },
  },
};

describe('sanitize stage', () => {
  it('is left out entirely when no sanitizer is configured', () => {
    expect(compileSanitize(undefined)).toBeUndefined();
  });

  it('applies each field its schema policy, returns new arguments and lists the changed paths', () => {
    const stage = compileSanitize(sanitizer)!;
    const args = { name: 'web', query: 'up;', labels: ['a;b', 'c'] };
    const verdict = stage('t', schema, args);
    expect(verdict).toEqual({ continue: true, value: { args: { name: 'web', query: 'up;', labels: ['ab', 'c'] }, changed: ['/labels/0'] } });
    expect(args.labels[0]).toBe('a;b');
    expect(seen).toEqual(expect.arrayContaining(['/name:identifier', '/query:query', '/labels/0:filter']));
  });

  it('stops the call naming the field when the sanitizer rejects', () => {
    const verdict = compileSanitize(sanitizer)!('t', schema, { name: 'a/b' });
    expect(verdict).toMatchObject({ continue: false, code: 'INPUT_REJECTED', message: expect.stringContaining('/name: not an identifier') });
  });
});
