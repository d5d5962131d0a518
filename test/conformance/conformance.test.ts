// Runs the official MCP conformance suite 0.1.13 (@modelcontextprotocol/conformance, pinned in the root
// package.json; the 2025-era wire: initialize handshake, Streamable HTTP) against the real kernel on its DEFAULT
// config, one CLI process per scenario, and keeps docs/conformance.md honest: every scenario must pass.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import conformancePack from './conformance-pack.js';
import { mapLimited, passed, problemsOf, reportLine, runCli, runScenario, type SuiteCli } from './conformance-runner.js';

/** Every server scenario the suite lists, the pending ones (json-schema-2020-12, server-sse-polling) included. */
const SCENARIOS = [
  'server-initialize',
  'logging-set-level',
  'ping',
  'completion-complete',
  'tools-list',
  'tools-call-simple-text',
  'tools-call-image',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-mixed-content',
  'tools-call-with-logging',
  'tools-call-error',
  'tools-call-with-progress',
  'tools-call-sampling',
  'tools-call-elicitation',
  'json-schema-2020-12',
  'elicitation-sep1034-defaults',
  'server-sse-polling',
  'server-sse-multiple-streams',
  'elicitation-sep1330-enums',
  'resources-list',
  'resources-read-text',
  'resources-read-binary',
  'resources-templates-read',
  'resources-subscribe',
  'resources-unsubscribe',
  'prompts-list',
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-embedded-resource',
  'prompts-get-with-image',
  'dns-rebinding-protection',
] as const;

const VERSION = '0.1.13';
const CONCURRENCY = 4;
const SCENARIO_TIMEOUT_MS = 60_000;

const CLI: SuiteCli = {
  node: process.execPath,
  script: join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js'),
};

describe(`MCP conformance suite ${VERSION} (2025-11-25), default config`, () => {
  let kernel: TestKernel;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'cnmcp-conformance-'));
    // Nothing but the test pack: server.sessions, fastPath and the rest keep their defaults.
    kernel = await startTestKernel({ config: { toolPacks: [{ use: 'conformance' }] }, plugins: [conformancePack] });
  });

  afterAll(async () => {
    await kernel?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('pins the suite version the docs name', async () => {
    const pinned = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    expect(pinned.devDependencies['@modelcontextprotocol/conformance']).toBe(VERSION);
  });

  it('covers exactly the scenarios the pinned suite lists', async () => {
    const { exitCode, output } = await runCli(CLI, ['list', '--server'], 30_000);
    expect(exitCode).toBe(0);
    const listed = [...output.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...SCENARIOS].sort());
  });

  it('is described by docs/conformance.md: every scenario passes on the default config', async () => {
    const doc = await readFile(new URL('../../docs/conformance.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf(`## Suite ${VERSION}`), doc.indexOf('## Suite 0.2'));
    const table = Object.fromEntries([...section.matchAll(/^\| ([a-z][a-z0-9-]+) +\| (\S+) +\|$/gm)].map((m) => [m[1], m[2]]));
    expect(table).toEqual(Object.fromEntries(SCENARIOS.map((s) => [s, 'pass'])));
    expect(section).toContain(`conformance 2025-11-25 (${VERSION}): ${SCENARIOS.length}/${SCENARIOS.length}`);
  });

  it('passes every scenario', { timeout: 300_000 }, async () => {
    const runs = await mapLimited(SCENARIOS, CONCURRENCY, (scenario) => runScenario(CLI, scenario, kernel.url, workDir, SCENARIO_TIMEOUT_MS));
    for (const run of runs) console.log(reportLine(run));
    console.log(`conformance 2025-11-25 (${VERSION}): ${runs.filter(passed).length}/${runs.length}`);

    // The exit code is the CLI's own verdict (non-zero iff a FAILURE check); it must agree with checks.json.
    expect(runs.filter((r) => r.checks.length > 0 && (r.exitCode === 0) === r.checks.some((c) => c.status === 'FAILURE')).map((r) => r.scenario)).toEqual([]);
    expect(Object.fromEntries(runs.filter((r) => !passed(r)).map((r) => [r.scenario, problemsOf(r)]))).toEqual({});
  });
});
