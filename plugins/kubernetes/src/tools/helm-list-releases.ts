import type { ToolDefinition } from '@cnmcp/core/plugin';
import { HELM_SOURCE } from '../helm/release-fields.js';
import { chartLabel, decode, listRevisions, type RevisionRef } from '../helm/release-store.js';
import type { PackDeps } from '../pack-deps.js';
import { namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

const STATUSES = ['deployed', 'failed', 'pending-install', 'pending-upgrade', 'pending-rollback', 'superseded', 'uninstalling', 'uninstalled', 'unknown'];

export type ListReleasesArgs = { namespace?: string; allNamespaces?: boolean; status?: string };

/** `kubernetes_helm_list_releases`: every Helm release with its latest revision, as `helm list --all` shows it. */
export function createHelmListReleasesTool(deps: PackDeps): ToolDefinition<ListReleasesArgs> {
  return guarded<ListReleasesArgs>({
    name: 'kubernetes_helm_list_releases',
    title: 'List Helm releases',
    description: `Lists the Helm releases of a namespace (or all) with their latest revision, status, chart and app version, like helm list --all. ${HELM_SOURCE}`,
    inputSchema: {
      type: 'object',
      properties: {
        namespace: namespaceField(),
        allNamespaces: { type: 'boolean', default: false, description: 'Releases of every namespace (needs the list permission cluster-wide).' },
        status: { type: 'string', enum: STATUSES, description: 'Only releases whose latest revision has this status.' },
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        releases: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              namespace: { type: 'string' },
              revision: { type: 'integer' },
              status: { type: 'string' },
              chart: { type: 'string' },
              appVersion: { type: 'string' },
              updated: { type: 'string' },
            },
            required: ['name', 'namespace', 'revision', 'status', 'chart'],
          },
        },
        withheld: { type: 'integer', description: 'Release Secrets in namespaces the guard rails close, left out.' },
      },
      required: ['releases'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const namespace = args.allNamespaces === true ? undefined : (args.namespace ?? deps.backend.defaultNamespace);
      const list = await listRevisions(deps, ctx, namespace);
      const latest = new Map<string, RevisionRef>();
      for (const ref of list.revisions) latest.set(`${ref.namespace}/${ref.name}`, ref);
      const releases = [...latest.values()]
        .filter((ref) => args.status === undefined || ref.status === args.status)
        .map((ref) => {
          const release = decode(ref);
          return {
            name: ref.name,
            namespace: ref.namespace,
            revision: ref.version,
            status: release.info.status ?? ref.status,
            chart: chartLabel(release),
            ...(release.chart?.metadata?.appVersion ? { appVersion: release.chart.metadata.appVersion } : {}),
            ...(release.info.last_deployed ? { updated: release.info.last_deployed } : {}),
          };
        });
      const where = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
      const rows = releases.map((r) => `${r.name}\t${r.namespace}\t${r.revision}\t${r.updated ?? ''}\t${r.status}\t${r.chart}\t${r.appVersion ?? ''}`);
      const notes = [
        list.withheld > 0 ? `${list.withheld} release secret(s) in namespaces the guard rails close were left out.` : '',
        list.truncated ? 'The list stopped at 5000 release secrets; narrow it to one namespace.' : '',
      ].filter(Boolean);
      return structuredResult(
        { releases, ...(list.withheld > 0 ? { withheld: list.withheld } : {}) },
        `${releases.length} Helm release(s) in ${where}${args.status ? ` with status ${args.status}` : ''}.\nNAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\n${rows.join('\n')}${notes.length ? `\n${notes.join(' ')}` : ''}`,
      );
    },
  });
}
