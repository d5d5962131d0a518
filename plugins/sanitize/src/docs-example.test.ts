import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { startTestKernel } from '@cnmcp/core/testing';
import injectionFilter from './index.js';

const doc = readFileSync(new URL('../../../docs/security/input-validation.md', import.meta.url), 'utf8');
const block = /^```yaml\n([\s\S]*?)^```/m.exec(doc)![1]!;

describe('docs/security/input-validation.md', () => {
  it('the configuration example boots as written', async () => {
    const server = await startTestKernel({ config: { ...(parse(block) as object), toolPacks: [{ use: 'utilities' }] }, plugins: [injectionFilter] });
    try {
      expect(server.kernel.pipeline().find((s) => s.stage === 'sanitize')).toMatchObject({ status: 'on', detail: 'sanitizer/injection-filter' });
    } finally {
      await server.close();
    }
  });
});
