import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs');

/**
 * A scratch directory inside the repository (ignored by git as `.cnmcp-test-*`), so packages scaffolded there
 * resolve `@cnmcp/core`, typescript and vitest from the repository's node_modules, as a workspace package does.
 */
export function scratchDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(REPO, '.cnmcp-test-scaffold-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fn` over `items`, at most `limit` at a time (two cores: one tsc per core). */
export async function inBatches<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

/** `npm run build` of a scaffolded package: tsc with its own tsconfig.json. Rejects with tsc's output. */
export async function buildPackage(dir: string): Promise<void> {
  try {
    await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 180_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`tsc failed in ${dir}:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
}

export interface PackageTests {
  /** Passed tests per package directory. */
  readonly passed: ReadonlyMap<string, number>;
  readonly failed: number;
}

/**
 * `npm test` of every scaffolded package in one vitest process: a root config naming each package's own
 * vitest.config.ts as a project. Rejects with vitest's output when any test fails.
 */
export async function testPackages(root: string, dirs: readonly string[]): Promise<PackageTests> {
  const projects = dirs.map((d) => JSON.stringify(join(d, 'vitest.config.ts')));
  writeFileSync(join(root, 'vitest.config.mjs'), `export default { test: { projects: [${projects.join(', ')}] } };\n`);
  const report = join(root, 'vitest-report.json');
  try {
    await run(process.execPath, [VITEST, 'run', '--config', join(root, 'vitest.config.mjs'), '--reporter=json', '--outputFile', report], {
      cwd: root,
      timeout: 300_000,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`the scaffolded packages' own tests failed:\n${e.stderr ?? e.message}\n${existsSync(report) ? failures(report) : ''}`);
  }
  const json = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
  const passed = new Map<string, number>();
  for (const file of json.testResults) {
    const dir = dirs.find((d) => file.name.startsWith(`${d}/`));
    if (dir) passed.set(dir, (passed.get(dir) ?? 0) + file.assertionResults.filter((a) => a.status === 'passed').length);
  }
  return { passed, failed: json.numFailedTests };
}

interface VitestReport {
  readonly numFailedTests: number;
  readonly testResults: readonly {
    name: string;
    message?: string;
    assertionResults: readonly { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

function failures(report: string): string {
  const json = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
  return json.testResults
    .flatMap((f) => [
      f.message ? `${f.name}: ${f.message}` : '',
      ...f.assertionResults.filter((a) => a.status === 'failed').map((a) => `${f.name} > ${a.fullName}: ${a.failureMessages.join('\n')}`),
    ])
    .filter(Boolean)
    .join('\n');
}
