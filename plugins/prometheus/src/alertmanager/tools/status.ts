import type { ToolDefinition } from '@cnmcp/core/plugin';
import { guarded } from '../../result/guarded.js';
import { structuredResult } from '../../result/tool-result.js';
import type { AmToolDeps } from '../am-types.js';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

export function listReceiversTool(deps: AmToolDeps): ToolDefinition<Record<string, never>> {
  return {
    name: 'alertmanager_list_receivers',
    title: 'List receivers',
    description: 'Names of the notification receivers in the Alertmanager configuration (their integrations and credentials are not shown).',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: { type: 'object', properties: { receivers: { type: 'array', items: { type: 'string' } } }, required: ['receivers'] },
    annotations: readOnly,
    handler: (_args, ctx) =>
      guarded(async () => {
        const raw = ((await deps.client.request({ path: '/api/v2/receivers' }, ctx.signal)) ?? []) as { name: string }[];
        const receivers = raw.map((r) => r.name).sort();
        return structuredResult({ receivers }, `${receivers.length} receivers: ${receivers.join(', ')}`);
      }),
  };
}

interface AmStatus {
  cluster?: { name?: string; status?: string; peers?: { name: string; address: string }[] };
  versionInfo?: Record<string, string>;
  uptime?: string;
  config?: { original?: string };
}

export function statusTool(deps: AmToolDeps): ToolDefinition<Record<string, never>> {
  return {
    name: 'alertmanager_get_status',
    title: 'Alertmanager status',
    description:
      'Version, uptime and cluster state (status and peers) of Alertmanager. Its configuration text is not returned: it can hold receiver credentials.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: {
      type: 'object',
      properties: {
        version: { type: 'string' },
        versionInfo: { type: 'object', additionalProperties: { type: 'string' } },
        uptime: { type: 'string' },
        cluster: {
          type: 'object',
          properties: {
            status: { type: 'string' },
            name: { type: 'string' },
            peers: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, address: { type: 'string' } } } },
          },
          required: ['status', 'peers'],
        },
      },
      required: ['version', 'cluster'],
    },
    annotations: readOnly,
    handler: (_args, ctx) =>
      guarded(async () => {
        const raw = ((await deps.client.request({ path: '/api/v2/status' }, ctx.signal)) ?? {}) as AmStatus;
        const versionInfo = raw.versionInfo ?? {};
        const cluster = {
          status: raw.cluster?.status ?? 'unknown',
          ...(raw.cluster?.name ? { name: raw.cluster.name } : {}),
          peers: (raw.cluster?.peers ?? []).map((p) => ({ name: p.name, address: p.address })),
        };
        const version = versionInfo.version ?? 'unknown';
        return structuredResult(
          { version, versionInfo, ...(raw.uptime ? { uptime: raw.uptime } : {}), cluster },
          `Alertmanager ${version}, up since ${raw.uptime ?? '?'}; cluster ${cluster.status} with ${cluster.peers.length} peer(s).`,
        );
      }),
  };
}
