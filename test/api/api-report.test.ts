// The public API of @cnmcp/core, @cnmcp/core/plugin and @cnmcp/core/testing is checked in as reports
// (core/api/*.api.md). A change to what plugin authors import must show up in review: the check fails until the
// report is updated with `npm run api:update` (docs/plugin-api-policy.md says what each release may change).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CORE = fileURLToPath(new URL('../../core/', import.meta.url));
const SCRIPT = join(CORE, 'scripts/api-report.mjs');

function check(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('API report', () => {
  // A copy of core's built declarations inside core/ (so its dependencies still resolve), for the drift check.
  const copy = mkdtempSync(join(CORE, '.cnmcp-test-api-drift-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it.concurrent(
    'matches the built declarations of every public entry (else: run npm run api:update)',
    async () => {
      const { code, stderr } = await check([]);
      expect(stderr, 'the public API changed: run `npm run api:update`, review core/api/*.api.md and commit it').toBe('');
      expect(code).toBe(0);
    },
    120_000,
  );

  it.concurrent(
    'fails naming the report and the command when a plugin-facing export changes without it',
    async () => {
      for (const file of ['package.json', 'api-extractor.json', 'api-extractor.plugin.json', 'api', 'dist'])
        cpSync(join(CORE, file), join(copy, file), { recursive: true });
      writeFileSync(join(copy, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.base.json', include: ['dist'] }));
      const entry = join(copy, 'dist/plugin/index.d.ts');
      writeFileSync(entry, `${readFileSync(entry, 'utf8')}export declare function addedWithoutReview(): void;\n`);

      const { code, stderr } = await check(['--project', copy, '--entry', 'plugin']);
      expect(code).toBe(1);
      expect(stderr).toContain('core-plugin.api.md no longer matches');
      expect(stderr).toContain('npm run api:update');
    },
    120_000,
  );
});
