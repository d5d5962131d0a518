import { definePlugin } from '@cnmcp/core/plugin';
import { createBackendClient } from '../backend/backend-client.js';
import { warnIfInsecure } from '../backend/warn-insecure.js';
import { maxQueryLengthSchema, packSchema, resolvePackConfig } from '../pack-config.js';
import { prometheusPrompts } from '../prompts/prometheus-prompts.js';
import { prometheusResources } from '../prompts/prometheus-resources.js';
import type { PromToolDeps } from './prom-tool-deps.js';
import { queryRangeTool, queryTool } from './tools/query.js';
import { listRulesTool, listAlertsTool, rulesSummaryTool } from './tools/rules.js';
import { listLabelNamesTool, listLabelValuesTool, listSeriesTool } from './tools/series.js';
import { buildInfoTool, metadataTool, tsdbStatusTool } from './tools/status.js';
import { listTargetsTool, targetsSummaryTool } from './tools/targets.js';

/**
 * Read-only tools over one Prometheus server's HTTP API: PromQL instant and range queries, series and labels,
 * targets, alerts, rules, metadata, TSDB status and build info.
 *
 * @example
 * toolPacks:
 *   - use: prometheus
 *     backend: { url: https://prometheus.monitoring.svc:9090, auth: { type: bearer, token: '${secret:prometheus-token}' } }
 */
export default definePlugin({
  kind: 'tool-pack',
  name: 'prometheus',
  description: 'Prometheus: PromQL instant and range queries, series, labels, targets, alerts, rules, metadata, TSDB status and build info (read-only).',
  configSchema: packSchema('http://prometheus.monitoring.svc:9090', { maxQueryLength: maxQueryLengthSchema }),
  async setup(ctx) {
    const settings = resolvePackConfig(ctx.config);
    warnIfInsecure(ctx.logger, 'prometheus', settings.backend);
    const client = createBackendClient('Prometheus', settings.backend);
    ctx.onStop(() => client.close());
    const deps: PromToolDeps = { client, limits: settings.limits, maxQueryLength: settings.maxQueryLength };
    const tools = [
      queryTool(deps),
      queryRangeTool(deps),
      listSeriesTool(deps),
      listLabelNamesTool(deps),
      listLabelValuesTool(deps),
      listTargetsTool(deps),
      targetsSummaryTool(deps),
      listAlertsTool(deps),
      listRulesTool(deps),
      rulesSummaryTool(deps),
      metadataTool(deps),
      tsdbStatusTool(deps),
      buildInfoTool(deps),
    ];
    return { tools, prompts: prometheusPrompts(tools), resources: prometheusResources(tools) };
  },
});
