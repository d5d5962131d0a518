import type { ToolDefinition } from '@cnmcp/core/plugin';
import { HELM_SOURCE, releaseNameField } from '../helm/release-fields.js';
import { chartLabel, decode, listRevisions } from '../helm/release-store.js';
import type { PackDeps } from '../pack-deps.js';
import { namespaceField } from '../schemas.js';
import { BackendFailure } from '../backend-failure.js';
import { guarded, structuredResult } from '../tool-result.js';

export type HistoryArgs = { name: string; namespace?: string; max?: number };

/** `kubernetes_helm_release_history`: the revisions of a release, oldest first, like helm history. */
export function createHelmReleaseHistoryTool(deps: PackDeps): ToolDefinition<HistoryArgs> {
  return guarded<HistoryArgs>({
    name: 'kubernetes_helm_release_history',
    title: 'Helm release history',
    description: `Revisions of a Helm release, oldest first: when, status, chart, app version and description (what changed or failed), like helm history. ${HELM_SOURCE}`,
    inputSchema: {
      type: 'object',
      properties: {
        name: releaseNameField,
        namespace: namespaceField('Namespace of the release; defaults to the namespace of the configured kubeconfig context.'),
        max: { type: 'integer', minimum: 1, maximum: 256, default: 256, description: 'Most recent revisions to return.' },
      },
      required: ['name'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        namespace: { type: 'string' },
        revisions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              revision: { type: 'integer' },
              updated: { type: 'string' },
              status: { type: 'string' },
              chart: { type: 'string' },
              appVersion: { type: 'string' },
              description: { type: 'string' },
            },
            required: ['revision', 'status', 'chart'],
          },
        },
      },
      required: ['name', 'namespace', 'revisions'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const namespace = args.namespace ?? deps.backend.defaultNamespace;
      const { revisions } = await listRevisions(deps, ctx, namespace, args.name);
      if (revisions.length === 0)
        throw new BackendFailure(`No Helm release "${args.name}" in namespace "${namespace}" (no Secret labelled owner=helm,name=${args.name}).`);
      const rows = revisions.slice(-(args.max ?? 256)).map((ref) => {
        const release = decode(ref);
        return {
          revision: ref.version,
          ...(release.info.last_deployed ? { updated: release.info.last_deployed } : {}),
          status: release.info.status ?? ref.status,
          chart: chartLabel(release),
          ...(release.chart?.metadata?.appVersion ? { appVersion: release.chart.metadata.appVersion } : {}),
          ...(release.info.description ? { description: release.info.description } : {}),
        };
      });
      const lines = rows.map((r) => `${r.revision}\t${r.updated ?? ''}\t${r.status}\t${r.chart}\t${r.appVersion ?? ''}\t${r.description ?? ''}`);
      return structuredResult(
        { name: args.name, namespace, revisions: rows },
        `History of Helm release ${namespace}/${args.name} (${rows.length} of ${revisions.length} revisions):\nREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\tDESCRIPTION\n${lines.join('\n')}`,
      );
    },
  });
}
