// Runs the real helm (v3.17, from an npm package: scripts/ensure-test-tools.mjs) on a chart: `helm template`, `helm
// lint --strict`, and `helm install --dry-run` for NOTES.txt and for `lookup` against a cluster (helm-cluster.ts).
// Helm's state directories live in a temporary directory removed at exit, so no test reads or writes ~/.config/helm.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { ensureTool } from '../../scripts/ensure-test-tools.mjs';
import { startHelmCluster } from './helm-cluster.js';

const run = promisify(execFile);

export interface RenderOptions {
  /** Values files applied over the chart's values.yaml, later ones winning (helm's `-f`). */
  readonly valuesFiles?: readonly string[];
  /** Values objects, each written to a file and applied after `valuesFiles`. */
  readonly values?: readonly Record<string, unknown>[];
  readonly releaseName?: string;
  readonly namespace?: string;
  /** Extra group versions the cluster serves (helm's `--api-versions`), e.g. monitoring.coreos.com/v1. */
  readonly apiVersions?: readonly string[];
  /** Objects the chart's `lookup` finds, as when helm installs or upgrades against a cluster (helm template: none). */
  readonly cluster?: readonly Record<string, unknown>[];
}

export interface RenderedObject {
  readonly source: string;
  readonly object: Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
}

let home: string | undefined;
function helmHome(): string {
  if (home === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-helm-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    home = dir;
  }
  return home;
}

/** Runs helm with the given arguments plus the options' values, release and namespace; Helm's stderr on failure. */
async function helm(command: readonly string[], chartDir: string, options: RenderOptions, extra: readonly string[] = []): Promise<string> {
  const dir = mkdtempSync(join(helmHome(), 'run-'));
  const args = [...command];
  if (command[0] !== 'lint') args.push(options.releaseName ?? 'cnmcp');
  args.push(chartDir, '--namespace', options.namespace ?? 'cnmcp');
  for (const f of options.valuesFiles ?? []) args.push('-f', f);
  (options.values ?? []).forEach((values, i) => {
    const file = join(dir, `values-${i}.json`);
    writeFileSync(file, JSON.stringify(values)); // JSON is YAML
    args.push('-f', file);
  });
  // install reads the served group versions from the cluster's discovery instead.
  if (command[0] === 'template') for (const v of options.apiVersions ?? []) args.push('--api-versions', v);
  args.push(...extra);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    HELM_CACHE_HOME: join(dir, 'cache'),
    HELM_CONFIG_HOME: join(dir, 'config'),
    HELM_DATA_HOME: join(dir, 'data'),
    KUBECONFIG: join(dir, 'no-kubeconfig'),
  };
  const cluster = options.cluster || command[0] === 'install' ? await startHelmCluster(options.cluster ?? [], options.apiVersions ?? [], dir) : undefined;
  if (cluster) env.KUBECONFIG = cluster.kubeconfig;
  try {
    return (await run(ensureTool('helm'), args, { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as Error & { stderr?: string; stdout?: string };
    // lint prints its report on stdout and only the verdict on stderr.
    throw new Error(`${command[0] === 'lint' ? (e.stdout ?? '') : ''}\n${e.stderr?.trim() ?? ''}`.trim() || e.message);
  } finally {
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `helm template` output (text) of the chart, or a rejection with Helm's error text: values that break the chart's
 * values.schema.json (checked first, by helm), or a template's fail/required. With `cluster`, helm renders as
 * `helm upgrade` does (`--dry-run=server`), its lookups answered from those objects.
 */
export function helmTemplate(chartDir: string, options: RenderOptions = {}): Promise<string> {
  return helm(['template'], chartDir, options, options.cluster ? ['--dry-run=server'] : []);
}

/** What helm install prints after installing: the rendered NOTES.txt (a dry run against an empty cluster; the objects
 * are checked against the Kubernetes schemas by the tests, not by this stub cluster, which serves no OpenAPI). */
export async function helmNotes(chartDir: string, options: RenderOptions = {}): Promise<string> {
  const out = await helm(['install'], chartDir, options, ['--dry-run=client', '--disable-openapi-validation']);
  const at = out.indexOf('\nNOTES:\n');
  if (at < 0) throw new Error(`helm install --dry-run printed no NOTES:\n${out}`);
  return out.slice(at + '\nNOTES:\n'.length);
}

/** `helm lint --strict` of the chart with these values: its report, or a rejection with the report. */
export function helmLint(chartDir: string, options: RenderOptions = {}): Promise<string> {
  return helm(['lint', '--strict'], chartDir, options);
}

/**
 * The chart's values.schema.json problems of the merged values, as helm reports them (`path: message`, the path
 * dotted from the values' root, e.g. `rbac.impersonate.groups.0: Does not match pattern '^[^*]+$'`); none when
 * helm accepts them.
 */
export async function schemaProblems(chartDir: string, options: RenderOptions = {}): Promise<string[]> {
  try {
    await helm(['template'], chartDir, options, ['--show-only', 'templates/service.yaml']);
    return [];
  } catch (error) {
    const text = (error as Error).message;
    if (!text.includes("values don't meet the specifications of the schema")) return [];
    return text.split('\n').flatMap((line) => (line.startsWith('- ') ? [line.slice(2)] : []));
  }
}

/** The chart's objects, each with the template it came from. */
export async function renderChart(chartDir: string, options: RenderOptions = {}): Promise<RenderedObject[]> {
  const text = await helmTemplate(chartDir, options);
  const objects: RenderedObject[] = [];
  let source = '';
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]!.message}\n${text}`);
    const match = /# Source: (\S+)/.exec(String(doc.commentBefore ?? ''));
    if (match) source = match[1]!;
    const object = doc.toJS() as RenderedObject['object'] | null;
    if (object) objects.push({ source, object });
  }
  return objects;
}
