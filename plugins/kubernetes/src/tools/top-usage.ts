import type { ToolDefinition } from '@cnmcp/core/plugin';
import { listObjects } from '../list-objects.js';
import type { PackDeps } from '../pack-deps.js';
import { quantity } from '../quantity.js';
import { namespaceField } from '../schemas.js';
import { guarded, structuredResult } from '../tool-result.js';

export type TopArgs = { resource: 'pods' | 'nodes'; namespace?: string; allNamespaces?: boolean; sortBy?: 'cpu' | 'memory'; limit?: number };

interface Usage {
  readonly name: string;
  readonly namespace?: string;
  readonly cpuMillicores: number;
  readonly memoryBytes: number;
}

type MetricsItem = {
  metadata?: { name?: string; namespace?: string };
  usage?: { cpu?: string; memory?: string };
  containers?: { usage?: { cpu?: string; memory?: string } }[];
};

const MiB = 1024 * 1024;

/** `kubernetes_top`: current CPU and memory of pods or nodes from metrics.k8s.io, as kubectl top shows them. */
export function createTopTool(deps: PackDeps): ToolDefinition<TopArgs> {
  return guarded<TopArgs>({
    name: 'kubernetes_top',
    title: 'Top pods or nodes',
    description:
      'Current CPU (millicores) and memory (bytes) of pods or nodes from the metrics API (metrics.k8s.io, served by metrics-server), heaviest first, like kubectl top.',
    inputSchema: {
      type: 'object',
      properties: {
        resource: { type: 'string', enum: ['pods', 'nodes'], description: 'What to measure.' },
        namespace: namespaceField(),
        allNamespaces: { type: 'boolean', default: false, description: 'Pods of every namespace.' },
        sortBy: { type: 'string', enum: ['cpu', 'memory'], default: 'cpu', description: 'Heaviest first by this.' },
        limit: { type: 'integer', minimum: 1, maximum: 500, default: 20, description: 'Most rows returned.' },
      },
      required: ['resource'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        resource: { type: 'string' },
        namespace: { type: 'string' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, namespace: { type: 'string' }, cpuMillicores: { type: 'number' }, memoryBytes: { type: 'number' } },
            required: ['name', 'cpuMillicores', 'memoryBytes'],
          },
        },
      },
      required: ['resource', 'items'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run(args, ctx) {
      const metrics = await deps.catalog.resolve(ctx, `${args.resource}.metrics.k8s.io`);
      const page = await listObjects(deps, ctx, metrics, { ...args, limit: 500 });
      const usageOf = (item: MetricsItem) => {
        const parts = item.usage ? [item.usage] : (item.containers ?? []).map((c) => c.usage ?? {});
        return {
          cpu: parts.reduce((sum, u) => sum + (quantity(u.cpu ?? '0') || 0), 0),
          memory: parts.reduce((sum, u) => sum + (quantity(u.memory ?? '0') || 0), 0),
        };
      };
      const rows: Usage[] = (page.items as MetricsItem[]).map((item) => {
        const { cpu, memory } = usageOf(item);
        return {
          name: String(item.metadata?.name),
          ...(item.metadata?.namespace ? { namespace: item.metadata.namespace } : {}),
          cpuMillicores: Math.round(cpu * 1000),
          memoryBytes: Math.round(memory),
        };
      });
      const key = args.sortBy === 'memory' ? 'memoryBytes' : 'cpuMillicores';
      const top = rows.sort((a, b) => b[key] - a[key] || a.name.localeCompare(b.name)).slice(0, args.limit ?? 20);
      const lines = top.map((r) => `${r.namespace ? `${r.namespace}/` : ''}${r.name}  ${r.cpuMillicores}m  ${Math.round(r.memoryBytes / MiB)}Mi`);
      return structuredResult(
        { resource: args.resource, ...(page.namespace ? { namespace: page.namespace } : {}), items: top },
        `${args.resource} by ${args.sortBy ?? 'cpu'} (NAME  CPU  MEMORY), ${top.length} of ${rows.length}:\n${lines.join('\n')}`,
      );
    },
  });
}
