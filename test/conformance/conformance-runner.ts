// Runs scenarios of an official MCP conformance suite CLI (@modelcontextprotocol/conformance) against a server and
// reads their verdicts, one CLI process per scenario. Shared by the 0.1.x run (2025-era wire) and the 0.2.x run
// (--requirements 2026-07-28, under Node 24).
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Check {
  readonly id: string;
  readonly status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  readonly errorMessage?: string;
}

export interface ScenarioRun {
  readonly scenario: string;
  readonly exitCode: number | null;
  readonly checks: readonly Check[];
  readonly output: string;
  readonly ms: number;
}

/** A suite CLI: the node binary that runs it and its entry script. */
export interface SuiteCli {
  readonly node: string;
  readonly script: string;
}

export function runCli(cli: SuiteCli, args: readonly string[], timeoutMs: number): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve) => {
    // execFile kills only the child it started when the timeout passes.
    execFile(cli.node, [cli.script, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ exitCode: code, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs one scenario; its verdict comes from the checks.json the CLI writes, cross-checked with its exit code. */
export async function runScenario(
  cli: SuiteCli,
  scenario: string,
  url: URL,
  workDir: string,
  timeoutMs: number,
  extraArgs: readonly string[] = [],
): Promise<ScenarioRun> {
  const outputDir = await mkdtemp(join(workDir, `${scenario.replaceAll('/', '_')}-`));
  const started = performance.now();
  const { exitCode, output } = await runCli(cli, ['server', '--url', url.href, '--scenario', scenario, '--output-dir', outputDir, ...extraArgs], timeoutMs);
  const checks = await readChecks(outputDir);
  return { scenario, exitCode, checks, output, ms: Math.round(performance.now() - started) };
}

/** The CLI writes <output-dir>/server-<scenario>-<timestamp>/checks.json (0.1.x), or nests it one level deeper. */
async function readChecks(outputDir: string): Promise<Check[]> {
  const found: Check[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isFile() && entry.name === 'checks.json') found.push(...(JSON.parse(await readFile(path, 'utf8')) as Check[]));
      else if (entry.isDirectory() && depth < 3) await visit(path, depth + 1);
    }
  };
  await visit(outputDir, 0);
  return found;
}

export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The suite's own baseline rule (`--expected-failures`): a scenario passes only with at least one check and no
 * FAILURE or WARNING among them. A SHOULD the server misses is a WARNING, so it counts.
 */
export const passed = (run: ScenarioRun) => run.checks.length > 0 && run.checks.every((c) => c.status !== 'FAILURE' && c.status !== 'WARNING');

export const problemsOf = (run: ScenarioRun) =>
  run.checks.length === 0
    ? [`no checks.json (exit ${run.exitCode}): ${run.output.slice(-500)}`]
    : run.checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING').map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? ''}`);

/** One line per scenario, for the test's output. */
export const reportLine = (run: ScenarioRun, note = '') =>
  `  ${passed(run) ? 'pass' : 'FAIL'} ${run.scenario}${note} [${run.ms} ms]${passed(run) ? '' : `\n      ${problemsOf(run).join('\n      ')}`}`;
