import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderPipelineReference, withPipelineReference } from '../../core/src/pipeline/pipeline-reference.js';
import { STAGES } from '../../core/src/pipeline/stages.js';

describe('docs/architecture.md pipeline section', () => {
  const onDisk = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');

  it('is the stage list of core/src/pipeline/stages.ts (run `npm run docs` after changing it)', () => {
    expect(withPipelineReference(onDisk)).toBe(onDisk);
    expect(onDisk).toContain(renderPipelineReference());
  });

  it('names every stage once, in order', () => {
    const named = [...onDisk.matchAll(/^\| \d+ \| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(named).toEqual([...STAGES.map((s) => s.name), 'audit']);
  });
});
