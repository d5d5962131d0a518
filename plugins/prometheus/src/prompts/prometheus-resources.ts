// The scrape targets at a glance, read through prometheus_get_targets_summary (its backend span and limits).
import { jsonContents, readThroughTool, type ResourceDefinition, type ToolDefinition } from '@cnmcp/core/plugin';

export const TARGETS_URI = 'prometheus://targets';

export function prometheusResources(tools: readonly ToolDefinition[]): ResourceDefinition[] {
  const summary = tools.find((t) => t.name === 'prometheus_get_targets_summary');
  if (!summary) return [];
  return [
    {
      uri: TARGETS_URI,
      name: 'prometheus-targets',
      title: 'Prometheus scrape targets',
      description: 'Scrape targets by pool: how many are up, down or unknown, and the down ones with their last error.',
      mimeType: 'application/json',
      read: async (ctx) => jsonContents(TARGETS_URI, await readThroughTool(summary, {}, ctx)),
    },
  ];
}
