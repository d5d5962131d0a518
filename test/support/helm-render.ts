// Renders a Helm chart with Helm's own template engine (Go text/template + Sprig v3, see helm-render/main.go), because
// helm itself is not installable on the build machines. The Go renderer is compiled once per process, offline, from
// Debian's Go library packages, into a temporary directory removed at exit (the Go build cache is kept in the system
// temporary directory).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);
const SOURCE = fileURLToPath(new URL('./helm-render/', import.meta.url));
const GOUTILS = '/usr/share/gocode/src/github.com/Masterminds/goutils';
const INSTALL_HINT =
  "building the Helm template renderer needs Go and Debian's Sprig and yaml.v3 packages: run `bash scripts/ensure-test-services.sh` as root " +
  '(apt-get install golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev)';

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

let built: Promise<{ binary: string; dir: string }> | undefined;

function build(): Promise<{ binary: string; dir: string }> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-helm-render-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const src = join(dir, 'src');
    cpSync(SOURCE, src, { recursive: true });
    const goutils = join(src, 'third_party', 'goutils');
    mkdirSync(goutils, { recursive: true });
    try {
      for (const f of readdirSync(GOUTILS)) if (f.endsWith('.go') && !f.endsWith('_test.go')) cpSync(join(GOUTILS, f), join(goutils, f));
    } catch {
      throw new Error(INSTALL_HINT);
    }
    writeFileSync(join(goutils, 'go.mod'), 'module github.com/Masterminds/goutils\n');
    const binary = join(dir, 'helm-render');
    const env = {
      ...process.env,
      GOPROXY: 'off',
      GOFLAGS: '-mod=mod',
      GOSUMDB: 'off',
      GOWORK: 'off',
      GOTOOLCHAIN: 'local',
      // Go's build cache is safe to share between processes: test files after the first only link.
      GOCACHE: join(tmpdir(), 'cnmcp-helm-render-gocache'),
      GOPATH: join(dir, 'gopath'),
    };
    await run('go', ['build', '-o', binary, '.'], { cwd: src, env, timeout: 240_000 }).catch((error: Error & { stderr?: string; code?: unknown }) => {
      throw new Error(error.code === 'ENOENT' ? INSTALL_HINT : `go build of the Helm renderer failed: ${error.stderr?.trim() || error.message}`);
    });
    return { binary, dir };
  })();
  return built;
}

/**
 * `helm template` output (text) of the chart, or a rejection with Helm's error text: values that break the chart's
 * values.schema.json (checked first, as helm does), or a template's fail/required.
 */
export async function helmTemplate(chartDir: string, options: RenderOptions = {}): Promise<string> {
  const problems = await schemaProblems(chartDir, options);
  if (problems.length > 0) {
    throw new Error(`values don't meet the specifications of the schema(s) in the following chart(s):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
  return runRenderer(chartDir, options, []);
}

/** What helm install prints after installing: the rendered NOTES.txt. */
export function helmNotes(chartDir: string, options: RenderOptions = {}): Promise<string> {
  return runRenderer(chartDir, options, ['--show-notes']);
}

/** The chart's values.schema.json problems of the merged values (`/path message`), none when it has no schema. */
export async function schemaProblems(chartDir: string, options: RenderOptions = {}): Promise<string[]> {
  const file = join(chartDir, 'values.schema.json');
  if (!existsSync(file)) return [];
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(file, 'utf8')) as object);
  return validate(await mergedValues(chartDir, options)) ? [] : validate.errors!.map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** The values templates see: values.yaml merged with the given values as Helm merges them (null deletes a key). */
export async function mergedValues(chartDir: string, options: RenderOptions = {}): Promise<Record<string, unknown>> {
  return JSON.parse(await runRenderer(chartDir, options, ['--show-values'])) as Record<string, unknown>;
}

async function runRenderer(chartDir: string, options: RenderOptions, extra: readonly string[]): Promise<string> {
  const { binary, dir } = await build();
  const files = [...(options.valuesFiles ?? [])];
  for (const values of options.values ?? []) {
    const file = join(mkdtempSync(join(dir, 'values-')), 'values.json');
    writeFileSync(file, JSON.stringify(values)); // JSON is YAML
    files.push(file);
  }
  const args = ['--chart', chartDir, '--name', options.releaseName ?? 'cnmcp', '--namespace', options.namespace ?? 'cnmcp'];
  for (const f of files) args.push('-f', f);
  for (const v of options.apiVersions ?? []) args.push('--api-versions', v);
  if (options.cluster) {
    const file = join(mkdtempSync(join(dir, 'cluster-')), 'objects.json');
    writeFileSync(file, JSON.stringify(options.cluster));
    args.push('--cluster', file);
  }
  args.push(...extra);
  try {
    return (await run(binary, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as Error & { stderr?: string };
    throw new Error(e.stderr?.trim() || e.message);
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
