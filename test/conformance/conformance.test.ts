// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in the root package.json)
// against the real kernel, one CLI process per scenario, and keeps docs/conformance.md honest: every scenario must
// pass unless EXPECTED_FAILURES names it, and a named one that starts passing fails the test too.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import conformancePack from './conformance-pack.js';

type Mode = 'stateless' | 'stateful';

/**
 * Every server scenario of the suite and the kernel it runs against. Stateless (the default config) serves each
 * 2025-era request with a fresh server instance, so it cannot call the client back (sampling, elicitation: the
 * instance never saw the client's capabilities, and the answer would reach another instance) and issues no
 * Mcp-Session-Id (the SSE scenarios warn without one). Those run on a second kernel with `server.sessions: stateful`.
 */
const SCENARIOS: Readonly<Record<string, Mode>> = {
  'server-initialize': 'stateless',
  'logging-set-level': 'stateless',
  ping: 'stateless',
  'completion-complete': 'stateless',
  'tools-list': 'stateless',
  'tools-call-simple-text': 'stateless',
  'tools-call-image': 'stateless',
  'tools-call-audio': 'stateless',
  'tools-call-embedded-resource': 'stateless',
  'tools-call-mixed-content': 'stateless',
  'tools-call-with-logging': 'stateless',
  'tools-call-error': 'stateless',
  'tools-call-with-progress': 'stateless',
  'tools-call-sampling': 'stateful',
  'tools-call-elicitation': 'stateful',
  'json-schema-2020-12': 'stateless',
  'elicitation-sep1034-defaults': 'stateful',
  'server-sse-polling': 'stateful',
  'server-sse-multiple-streams': 'stateful',
  'elicitation-sep1330-enums': 'stateful',
  'resources-list': 'stateless',
  'resources-read-text': 'stateless',
  'resources-read-binary': 'stateless',
  'resources-templates-read': 'stateless',
  'resources-subscribe': 'stateless',
  'resources-unsubscribe': 'stateless',
  'prompts-list': 'stateless',
  'prompts-get-simple': 'stateless',
  'prompts-get-with-args': 'stateless',
  'prompts-get-embedded-resource': 'stateless',
  'prompts-get-with-image': 'stateless',
  'dns-rebinding-protection': 'stateless',
};

/**
 * Scenario -> why it cannot pass. Mirrors the exceptions in docs/conformance.md. The reason names every check the
 * scenario fails, so failing for another reason is not taken for the known one.
 */
const EXPECTED_FAILURES: Readonly<Record<string, string>> = {
  'server-sse-polling':
    'the scenario labels its POST "MCP-Protocol-Version: 2025-03-26" (the session negotiated 2025-11-25), and the SDK writes the ' +
    'SEP-1699 priming event (id, empty data, retry) only for 2025-11-25 and later: WARNING server-sse-priming-event (no priming ' +
    'event) and WARNING server-sse-retry-field (no retry field)',
};

const CONCURRENCY = 4;
const SCENARIO_TIMEOUT_MS = 60_000;

const CLI = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');

interface Check {
  readonly id: string;
  readonly status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  readonly errorMessage?: string;
}

interface ScenarioRun {
  readonly scenario: string;
  readonly exitCode: number | null;
  readonly checks: readonly Check[];
  readonly output: string;
  readonly ms: number;
}

function runCli(args: readonly string[], timeoutMs: number): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve) => {
    // execFile kills only the child it started when the timeout passes.
    execFile(process.execPath, [CLI, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ exitCode: code, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs one scenario; its verdict comes from the checks.json the CLI writes, cross-checked with its exit code. */
async function runScenario(scenario: string, url: URL, workDir: string): Promise<ScenarioRun> {
  const outputDir = await mkdtemp(join(workDir, `${scenario}-`));
  const started = performance.now();
  const { exitCode, output } = await runCli(['server', '--url', url.href, '--scenario', scenario, '--output-dir', outputDir], SCENARIO_TIMEOUT_MS);
  const resultDir = (await readdir(outputDir)).find((name) => name.startsWith(`server-${scenario}-`));
  const checks = resultDir ? (JSON.parse(await readFile(join(outputDir, resultDir, 'checks.json'), 'utf8')) as Check[]) : [];
  return { scenario, exitCode, checks, output, ms: Math.round(performance.now() - started) };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
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
const passed = (run: ScenarioRun) => run.checks.length > 0 && run.checks.every((c) => c.status !== 'FAILURE' && c.status !== 'WARNING');

const problemsOf = (run: ScenarioRun) =>
  run.checks.length === 0
    ? [`no checks.json (exit ${run.exitCode}): ${run.output.slice(-500)}`]
    : run.checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING').map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? ''}`);

describe('MCP conformance suite', () => {
  const kernels = new Map<Mode, TestKernel>();
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'cnmcp-conformance-'));
    for (const sessions of ['stateless', 'stateful'] as const) {
      kernels.set(sessions, await startTestKernel({ config: { server: { sessions }, toolPacks: [{ use: 'conformance' }] }, plugins: [conformancePack] }));
    }
  });

  afterAll(async () => {
    await Promise.all([...kernels.values()].map((k) => k.close()));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('covers exactly the scenarios the pinned suite lists', async () => {
    const { exitCode, output } = await runCli(['list', '--server'], 30_000);
    expect(exitCode).toBe(0);
    const listed = [...output.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(SCENARIOS).sort());
    expect(Object.keys(EXPECTED_FAILURES).filter((s) => !(s in SCENARIOS))).toEqual([]);
  });

  it('is described by docs/conformance.md: the same modes, exceptions and pass count', async () => {
    const doc = await readFile(new URL('../../docs/conformance.md', import.meta.url), 'utf8');
    const table = Object.fromEntries(
      [...doc.matchAll(/^\| ([a-z0-9-]+) +\| (stateless|stateful) +\| (pass|\*\*exception\*\*) +\|$/gm)].map((m) => [m[1], `${m[2]} ${m[3]}`]),
    );
    expect(table).toEqual(
      Object.fromEntries(Object.entries(SCENARIOS).map(([s, mode]) => [s, `${mode} ${s in EXPECTED_FAILURES ? '**exception**' : 'pass'}`])),
    );
    expect([...doc.matchAll(/^### ([a-z0-9-]+):/gm)].map((m) => m[1]).sort()).toEqual(Object.keys(EXPECTED_FAILURES).sort());
    const total = Object.keys(SCENARIOS).length;
    expect(doc).toContain(`**Result: ${total - Object.keys(EXPECTED_FAILURES).length} of ${total} server scenarios pass`);
  });

  it('passes every scenario except the documented exceptions', { timeout: 180_000 }, async () => {
    const runs = await mapLimited(Object.entries(SCENARIOS), CONCURRENCY, ([scenario, mode]) => runScenario(scenario, kernels.get(mode)!.url, workDir));

    for (const run of runs) {
      const verdict = passed(run) ? 'pass' : run.scenario in EXPECTED_FAILURES ? 'known' : 'FAIL';
      const mode = SCENARIOS[run.scenario];
      console.log(`  ${verdict} ${run.scenario} [${mode}, ${run.ms} ms]${passed(run) ? '' : `\n      ${problemsOf(run).join('\n      ')}`}`);
    }
    const passing = runs.filter(passed).length;
    const documented = runs.filter((r) => !passed(r) && r.scenario in EXPECTED_FAILURES).length;
    console.log(`conformance: ${passing}/${runs.length} scenarios passed (${documented} documented exception${documented === 1 ? '' : 's'})`);

    // The exit code is the CLI's own verdict (non-zero iff a FAILURE check); it must agree with checks.json.
    expect(runs.filter((r) => r.checks.length > 0 && (r.exitCode === 0) === r.checks.some((c) => c.status === 'FAILURE')).map((r) => r.scenario)).toEqual([]);
    const unexpected = Object.fromEntries(runs.filter((r) => !passed(r) && !(r.scenario in EXPECTED_FAILURES)).map((r) => [r.scenario, problemsOf(r)]));
    expect(unexpected, 'scenarios that fail without an entry in EXPECTED_FAILURES and docs/conformance.md').toEqual({});
    const otherReasons = runs
      .filter((r) => r.scenario in EXPECTED_FAILURES)
      .flatMap((r) =>
        r.checks.filter((c) => (c.status === 'FAILURE' || c.status === 'WARNING') && !EXPECTED_FAILURES[r.scenario]!.includes(`${c.status} ${c.id}`)),
      )
      .map((c) => `${c.status} ${c.id}: ${c.errorMessage ?? ''}`);
    expect(otherReasons, 'documented exceptions failing checks their reason does not name').toEqual([]);
    const stale = runs.filter((r) => passed(r) && r.scenario in EXPECTED_FAILURES).map((r) => r.scenario);
    expect(stale, 'documented exceptions that now pass: remove them from EXPECTED_FAILURES and docs/conformance.md').toEqual([]);
  });
});
