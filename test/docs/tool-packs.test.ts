import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS } from '@cnmcp/core';
// @ts-expect-error: a plain .mjs script, shared with `npm run docs`
import { GENERATED_MARK, renderToolPackDocs } from '../../scripts/tool-pack-reference.mjs';

const dir = new URL('../../docs/tool-packs/', import.meta.url);

describe('docs/tool-packs/', () => {
  it('is current with the tools every built-in pack serves (run `npm run docs` after changing a tool)', async () => {
    const pages = (await renderToolPackDocs()) as Map<string, string>;
    expect([...pages.keys()].sort()).toEqual([...Object.keys(BUILTIN_PLUGINS['tool-pack'] ?? {}).map((n) => `${n}.md`), 'README.md'].sort());
    // No generated page is left over from a pack that is gone; hand-written guides may sit beside them.
    const generated = readdirSync(dir).filter((f) => f.endsWith('.md') && readFileSync(new URL(f, dir), 'utf8').includes(GENERATED_MARK as string));
    expect(generated.sort()).toEqual([...pages.keys()].sort());
    for (const [file, text] of pages) expect(text, `docs/tool-packs/${file}`).toBe(readFileSync(new URL(file, dir), 'utf8'));
  });

  it('lists every tool with each of its arguments', async () => {
    const utilities = ((await renderToolPackDocs()) as Map<string, string>).get('utilities.md')!;
    for (const tool of ['utilities_get_time', 'utilities_get_timestamp', 'utilities_sleep', 'utilities_web_fetch', 'utilities_hash', 'utilities_base64']) {
      expect(utilities).toContain(`## \`${tool}\``);
    }
    expect(utilities).toContain('| `url` | string | yes |  | ≤ 8192 chars, format uri | `raw` | Absolute http:// or https:// URL to fetch. |');
    expect(utilities).toContain('| `timezone` | string |  | `"UTC"` | 1..64 chars | `filter` |');
    expect(utilities).toContain('`openWorldHint` `true`');
  });
});
