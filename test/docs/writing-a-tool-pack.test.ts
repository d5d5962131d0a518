import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const doc = read('docs/writing-a-tool-pack.md');
// The guide shows the template as `cnmcp create tool-pack ops-pack` renders it.
const rendered = (path: string) => read(path).split('my_plugin').join('ops_pack').split('my-plugin').join('ops-pack');

describe('docs/writing-a-tool-pack.md', () => {
  it('lists the files the tool-pack template really has', () => {
    const listed = [...doc.matchAll(/^ {2}(\S+)\s{2,}/gm)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThanOrEqual(9);
    for (const file of listed) {
      const path = file.replace('ops-pack', 'my-plugin');
      expect(
        existsSync(new URL(`../../templates/tool-pack/${path}`, import.meta.url)) || existsSync(new URL(`../../templates/common/${path}`, import.meta.url)),
        file,
      ).toBe(true);
    }
  });

  it('quotes the example tool as the template defines it', () => {
    const tool = rendered('templates/tool-pack/src/tools/count-words.ts');
    for (const line of doc.split('\n').filter((l) => /^\s+(name|title|description|text|top|annotations): /.test(l))) {
      expect(tool, line.trim()).toContain(line.trim());
    }
    const test = rendered('templates/tool-pack/src/index.test.ts');
    expect(test).toContain("versionNegotiation: { mode: { pin: '2026-07-28' } }");
    expect(doc).toContain("client.callTool({ name: 'ops_pack_count_words', arguments: { text: 'one two two', top: 1 } })");
    expect(test).toContain("client.callTool({ name: 'ops_pack_count_words', arguments: { text: 'one two two', top: 1 } })");
  });
});
