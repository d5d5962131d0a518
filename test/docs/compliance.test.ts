// docs/security/compliance.md maps controls to tests by file and name: every one must exist, so a renamed or
// deleted test cannot leave the page claiming proof that is gone.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const page = readFileSync(new URL('docs/security/compliance.md', root), 'utf8');
const references = [...page.matchAll(/`((?:test|plugins|core)\/[\w./-]+\.test\.ts)` › "(.+?)"(?=;|\s+\|)/g)].map((m) => ({ file: m[1]!, name: m[2]! }));

describe('docs/security/compliance.md', () => {
  it('covers GDPR, SOC 2 and HIPAA, each point with at least one test', () => {
    for (const heading of ['## GDPR', '## SOC 2', '## HIPAA']) expect(page).toContain(heading);
    const rows = page.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| point') && !line.startsWith('| ---'));
    expect(rows.length).toBeGreaterThanOrEqual(15);
    for (const row of rows) expect(row, row).toMatch(/\.test\.ts` › "/);
    expect(references.length).toBeGreaterThanOrEqual(25);
  });

  it('names only test files and test names that exist', () => {
    const missing = references.filter(({ file, name }) => {
      const path = new URL(file, root);
      if (!existsSync(path)) return true;
      const source = readFileSync(path, 'utf8');
      return ![`'${name}'`, `"${name}"`, `\`${name}\``].some((quoted) => source.includes(`it(${quoted}`));
    });
    expect(missing).toEqual([]);
  });
});
