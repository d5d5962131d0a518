// What the chart tests check about rendered objects: each one is a valid Kubernetes object (JSON Schema of the
// Kubernetes OpenAPI, via kubernetes-models), and the security properties the chart promises hold.
import { execFile } from 'node:child_process';
import { CLI } from '../cli/run-cli.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { findConfig, loadConfig } from '@cnmcp/core';
import type { RenderedObject } from '../support/helm-render.js';
import { writeSelfSignedCertificate } from '../support/test-pki.js';

const run = promisify(execFile);
export const CHART = fileURLToPath(new URL('../../deploy/helm/cnmcp', import.meta.url));

type Obj = RenderedObject['object'];
type Model = new (data: unknown) => { validate(): void };

/** Which model package validates a group: the core API, or the CRDs of the Prometheus Operator and cert-manager. */
function modelModule(apiVersion: string, kind: string): string {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  if (group === 'cert-manager.io') return `@kubernetes-models/cert-manager/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Throws, naming the object, unless it validates against the Kubernetes schema of its kind. */
export async function validateObject({ object, source }: RenderedObject): Promise<void> {
  const where = `${object.kind} ${object.metadata?.name} (${source})`;
  let model: Model;
  try {
    const mod = (await import(modelModule(object.apiVersion, object.kind))) as Record<string, Model>;
    model = mod[object.kind]!;
  } catch {
    throw new Error(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
  }
  try {
    new model(object).validate();
  } catch (error) {
    throw new Error(`${where} is not a valid object: ${(error as Error).message}`);
  }
  const name = object.metadata.name;
  const nameOk = ['Service', 'Namespace'].includes(object.kind) ? DNS_LABEL.test(name) && name.length <= 63 : DNS_SUBDOMAIN.test(name) && name.length <= 253;
  if (!nameOk) throw new Error(`${where}: metadata.name ${JSON.stringify(name)} is not a valid name`);
}

export const ofKind = (objects: readonly RenderedObject[], kind: string): Obj[] => objects.filter((o) => o.object.kind === kind).map((o) => o.object);
export const one = (objects: readonly RenderedObject[], kind: string): Obj => {
  const found = ofKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
};

// Narrow views of the parts the assertions read.
export interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { path: string; port: string | number; scheme?: string } };
  readinessProbe?: { httpGet?: { path: string; port: string | number; scheme?: string } };
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface PodSpec {
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: unknown; secret?: { secretName: string } }[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
}
export const podSpec = (deployment: Obj): PodSpec => (deployment as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
export const rulesOf = (role: Obj): PolicyRule[] => (role as unknown as { rules: PolicyRule[] }).rules;

/** The rendered Secret's data, decoded. */
export function secretData(objects: readonly RenderedObject[]): Record<string, string> {
  const secret = ofKind(objects, 'Secret')[0] as unknown as { data?: Record<string, string> } | undefined;
  return Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** The cnmcp config file the ConfigMap carries. */
export const configText = (objects: readonly RenderedObject[]): string =>
  (one(objects, 'ConfigMap') as unknown as { data: Record<string, string> }).data['cnmcp.yaml']!;

/** The environment the Deployment gives the cnmcp container: values from the rendered Secret, else `fallback`. */
export function containerEnv(objects: readonly RenderedObject[], fallback: (secret: string, key: string) => string): Record<string, string> {
  const chartSecret = ofKind(objects, 'Secret')[0]?.metadata.name;
  const data = secretData(objects);
  const env: Record<string, string> = {};
  for (const e of podSpec(one(objects, 'Deployment')).containers[0]!.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) env[e.name] = ref.name === chartSecret && ref.key in data ? data[ref.key]! : fallback(ref.name, ref.key);
    else if (e.value !== undefined) env[e.name] = e.value;
  }
  return env;
}

/**
 * Runs `cnmcp config validate` on the ConfigMap's config, with the environment the Deployment gives the container:
 * values from the rendered Secret, or `fallback` for a Secret the chart does not create (existingSecret, extraEnv).
 */
export async function cnmcpValidate(objects: readonly RenderedObject[], fallback: (secret: string, key: string) => string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-chart-config-'));
  const file = join(dir, 'cnmcp.yaml');
  // validate reads the TLS files: the Deployment mounts the TLS Secret at /etc/cnmcp/tls, here a self-signed pair stands in.
  const tlsDir = join(dir, 'tls');
  mkdirSync(tlsDir);
  await writeSelfSignedCertificate({ certPath: join(tlsDir, 'tls.crt'), keyPath: join(tlsDir, 'tls.key') }, 'cnmcp');
  writeFileSync(file, configText(objects).replaceAll('/etc/cnmcp/tls/', `${tlsDir}/`));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, ...containerEnv(objects, fallback) };
  env.CNMCP_CONFIG = file; // the path the chart mounts it at, here
  env.CNMCP_CACHE_DIR = join(dir, 'cache'); // the chart's /tmp/cnmcp-cache, here
  try {
    const { stdout } = await run(process.execPath, [CLI, 'config', 'validate'], { cwd: dir, env, timeout: 30_000 });
    return stdout;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`cnmcp config validate refused the chart's config:\n${e.stderr || e.stdout || e.message}\n--- config ---\n${configText(objects)}`);
  }
}

/**
 * What `cnmcp config validate` does (find the file, load and check it with every selected plugin's schema), in this
 * process: the plugins the config selects, or the config loader's error.
 */
export async function loadChartConfig(objects: readonly RenderedObject[], fallback: (secret: string, key: string) => string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-chart-config-'));
  const file = join(dir, 'cnmcp.yaml');
  writeFileSync(file, configText(objects));
  const loaded = await loadConfig(await findConfig({ file }), { env: containerEnv(objects, fallback) });
  return loaded.plugins.map((p) => `${p.plugin.kind}/${p.plugin.name}`);
}
