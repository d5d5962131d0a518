import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, shared with `npm run docs`
import { renderConfigReference } from '../../scripts/config-reference.mjs';

describe('docs/configuration.md', () => {
  it('is current with the composed schema (run `npm run docs` after changing a schema)', async () => {
    const onDisk = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(await renderConfigReference()).toBe(onDisk);
  });
});
