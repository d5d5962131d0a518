import { loadAllYaml } from '@kubernetes/client-node';
import type { ToolDefinition } from '@cnmcp/core/plugin';
import { HELM_SOURCE, releaseInputSchema, type ReleaseArgs } from '../helm/release-fields.js';
import { chartLabel, readRelease } from '../helm/release-store.js';
import type { PackDeps } from '../pack-deps.js';
import { guarded, structuredResult } from '../tool-result.js';

/** The objects a rendered manifest creates (kind, name, namespace), skipping what does not parse. */
export function manifestResources(manifest: string, namespace: string): { kind: string; name: string; namespace?: string }[] {
  let documents: unknown[];
  try {
    documents = loadAllYaml(manifest);
  } catch {
    return [];
  }
  return documents
    .filter((d): d is { kind: string; metadata?: { name?: string; namespace?: string } } => typeof d === 'object' && d !== null && 'kind' in d)
    .map((d) => ({
      kind: String(d.kind),
      name: String(d.metadata?.name ?? ''),
      ...(d.kind !== 'Namespace' ? { namespace: d.metadata?.namespace ?? namespace } : {}),
    }));
}

/** `kubernetes_helm_release_status`: one release revision's state, notes, resources and hooks, like helm status. */
export function createHelmReleaseStatusTool(deps: PackDeps): ToolDefinition<ReleaseArgs> {
  return guarded<ReleaseArgs>({
    name: 'kubernetes_helm_release_status',
    title: 'Helm release status',
    description: `Status of a Helm release (latest revision or a given one): state, description, deploy times, chart, notes, the resources it manages and its hooks, like helm status. ${HELM_SOURCE}`,
    inputSchema: releaseInputSchema,
    outputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        namespace: { type: 'string' },
        revision: { type: 'integer' },
        status: { type: 'string' },
        description: { type: 'string' },
        firstDeployed: { type: 'string' },
        lastDeployed: { type: 'string' },
        chart: { type: 'string' },
        appVersion: { type: 'string' },
        notes: { type: 'string' },
        resources: { type: 'array', items: { type: 'object' } },
        hooks: { type: 'array', items: { type: 'object' } },
      },
      required: ['name', 'namespace', 'revision', 'status', 'chart', 'resources', 'hooks'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const release = await readRelease(deps, ctx, args.name, namespace, args.revision);
      const resources = manifestResources(release.manifest ?? '', namespace);
      const hooks = (release.hooks ?? []).map((h) => ({
        name: String(h.name ?? ''),
        kind: String(h.kind ?? ''),
        events: [...(h.events ?? [])],
        ...(h.last_run?.phase ? { lastRun: h.last_run.phase } : {}),
      }));
      const info = release.info;
      const data = {
        name: release.name,
        namespace,
        revision: release.version,
        status: info.status ?? 'unknown',
        ...(info.description ? { description: info.description } : {}),
        ...(info.first_deployed ? { firstDeployed: info.first_deployed } : {}),
        ...(info.last_deployed ? { lastDeployed: info.last_deployed } : {}),
        chart: chartLabel(release),
        ...(release.chart?.metadata?.appVersion ? { appVersion: release.chart.metadata.appVersion } : {}),
        ...(info.notes ? { notes: info.notes } : {}),
        resources,
        hooks,
      };
      const text = [
        `NAME: ${data.name}`,
        `LAST DEPLOYED: ${data.lastDeployed ?? 'unknown'}`,
        `NAMESPACE: ${namespace}`,
        `STATUS: ${data.status}`,
        `REVISION: ${data.revision}`,
        `CHART: ${data.chart}${data.appVersion ? ` (app ${data.appVersion})` : ''}`,
        ...(data.description ? [`DESCRIPTION: ${data.description}`] : []),
        `RESOURCES: ${resources.map((r) => `${r.kind}/${r.name}`).join(', ') || 'none'}`,
        ...(hooks.length ? [`HOOKS: ${hooks.map((h) => `${h.kind}/${h.name} (${h.events.join(',')})`).join(', ')}`] : []),
        ...(data.notes ? [`NOTES:\n${data.notes}`] : []),
      ].join('\n');
      return structuredResult(data, text);
    },
  });
}
