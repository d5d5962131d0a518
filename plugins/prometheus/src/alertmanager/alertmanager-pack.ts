import { CnmcpError, definePlugin } from '@cnmcp/core/plugin';
import { createBackendClient } from '../backend/backend-client.js';
import { warnIfInsecure } from '../backend/warn-insecure.js';
import { packSchema, resolvePackConfig } from '../pack-config.js';
import { DURATION_PATTERN, durationSeconds } from '../prometheus/prom-time.js';
import { alertmanagerPrompts } from '../prompts/alertmanager-prompts.js';
import { alertmanagerResources } from '../prompts/alertmanager-resources.js';
import { incidentTriagePrompt } from '../prompts/incident-triage.js';
import type { AmToolDeps } from './am-types.js';
import { listAlertGroupsTool, listAlertsTool } from './tools/alerts.js';
import { createSilenceTool, expireSilenceTool, listSilencesTool } from './tools/silences.js';
import { listReceiversTool, statusTool } from './tools/status.js';

export const DEFAULT_MAX_SILENCE = '7d';

/**
 * Tools over one Alertmanager's v2 API: alerts (matchers, sorting), groups, silences (list, and the destructive
 * create and expire), receivers and status.
 *
 * @example
 * toolPacks:
 *   - use: alertmanager
 *     backend: { url: http://alertmanager.monitoring.svc:9093 }
 *     silences: { maxDuration: 24h }
 */
export default definePlugin({
  kind: 'tool-pack',
  name: 'alertmanager',
  description: 'Alertmanager: alerts with matchers and sorting, alert groups, silences (list, create, expire), receivers and status.',
  configSchema: packSchema('http://alertmanager.monitoring.svc:9093', {
    silences: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Limits of alertmanager_create_silence.',
      properties: {
        maxDuration: {
          type: 'string',
          pattern: DURATION_PATTERN,
          default: DEFAULT_MAX_SILENCE,
          description: 'Longest silence a caller may create, e.g. 24h or 7d.',
        },
      },
    },
  }),
  async setup(ctx) {
    const settings = resolvePackConfig(ctx.config);
    // The kernel filled the default; a test may call setup with bare options.
    const maxDuration = ctx.config.silences?.maxDuration ?? DEFAULT_MAX_SILENCE;
    let maxSilenceSeconds: number;
    try {
      maxSilenceSeconds = durationSeconds(maxDuration);
    } catch {
      throw new CnmcpError('CONFIG_INVALID', `silences.maxDuration ${JSON.stringify(maxDuration)} is not a duration`, { path: '/silences/maxDuration' });
    }
    warnIfInsecure(ctx.logger, 'alertmanager', settings.backend);
    const client = createBackendClient('Alertmanager', settings.backend);
    ctx.onStop(() => client.close());
    const deps: AmToolDeps = { client, limits: settings.limits, maxSilenceSeconds };
    const tools = [
      listAlertsTool(deps),
      listAlertGroupsTool(deps),
      listSilencesTool(deps),
      createSilenceTool(deps),
      expireSilenceTool(deps),
      listReceiversTool(deps),
      statusTool(deps),
    ];
    return {
      tools,
      // incident_triage names prometheus and kubernetes tools too: core serves it only when those packs are configured.
      prompts: [...alertmanagerPrompts(tools), incidentTriagePrompt(tools)],
      resources: alertmanagerResources(tools),
    };
  },
});
