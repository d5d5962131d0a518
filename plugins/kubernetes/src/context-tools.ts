import type { ToolDefinition } from '@cnmcp/core/plugin';
import type { ClusterTools } from './cluster-tools.js';

/**
 * One tool per name over several clusters: a `context` argument (one of the allowed kubeconfig contexts, the
 * first by default) picks the cluster, whose own tool, guard rails and credentials then run the call. A context
 * not listed is refused by the input schema before any handler runs.
 */
export function contextTools(clusters: ReadonlyMap<string, ClusterTools>): ToolDefinition[] {
  const names = [...clusters.keys()];
  const [fallback] = names;
  const first = clusters.get(fallback!)!;
  return first.tools.map((tool) => {
    const base = baseDescription(tool.description);
    const rules = names
      .map((name) => {
        const own = clusters.get(name)!.tools.find((t) => t.name === tool.name)!.description;
        return ` [context ${name}]${own.slice(baseDescription(own).length).replace(/^ Guard rails:/, '') || ' no guard rails.'}`;
      })
      .join('');
    const properties = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
    return {
      ...tool,
      description: `${base} Clusters: pick one with \`context\` (${names.join(', ')}; default ${fallback}).${rules}`,
      inputSchema: {
        ...tool.inputSchema,
        properties: {
          ...properties,
          context: { type: 'string', enum: names, default: fallback, description: `Kubeconfig context (cluster) to act on; default ${fallback}.` },
        },
      },
      async handler(args: Record<string, unknown>, ctx) {
        const { context, ...rest } = args;
        const cluster = clusters.get(typeof context === 'string' ? context : fallback!);
        // The schema admits listed names only; a handler reached otherwise refuses rather than guess.
        if (!cluster) return { isError: true, content: [{ type: 'text', text: `Unknown context "${String(context)}": use one of ${names.join(', ')}.` }] };
        return cluster.tools.find((t) => t.name === tool.name)!.handler(rest, ctx);
      },
    } satisfies ToolDefinition;
  });
}

/** A tool's description without the guard-rails sentence its cluster added (contexts state theirs one by one). */
function baseDescription(description: string): string {
  const at = description.indexOf(' Guard rails:');
  return at < 0 ? description : description.slice(0, at);
}
