import { CnmcpError, definePlugin } from '@cnmcp/core/plugin';
import { isRecord, type BackendConfig } from '../backend/backend-config.js';
import { createBackendClient } from '../backend/backend-client.js';
import { warnIfInsecure } from '../backend/warn-insecure.js';
import { packSchema, resolvePackConfig } from '../pack-config.js';
import { DURATION_PATTERN, durationSeconds } from '../prometheus/prom-time.js';
import type { AmToolDeps } from './am-types.js';
import { listAlertGroupsTool, listAlertsTool } from './tools/alerts.js';
import { createSilenceTool, expireSilenceTool, listSilencesTool } from './tools/silences.js';
import { listReceiversTool, statusTool } from './tools/status.js';

export type AlertmanagerConfig = { backend: BackendConfig; limits?: { default?: number; max?: number }; silences?: { maxDuration?: string } };

export const DEFAULT_MAX_SILENCE = '7d';

const base = packSchema('http://alertmanager.monitoring.svc:9093', false);

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
export default definePlugin<'tool-pack', AlertmanagerConfig>({
  kind: 'tool-pack',
  name: 'alertmanager',
  description: 'Alertmanager: alerts with matchers and sorting, alert groups, silences (list, create, expire), receivers and status.',
  configSchema: {
    ...base,
    properties: {
      ...(base.properties as Record<string, unknown>),
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
    },
  },
  async setup(ctx) {
    const settings = resolvePackConfig(ctx.config);
    const silences = isRecord(ctx.config.silences) ? ctx.config.silences : {};
    const maxDuration = typeof silences.maxDuration === 'string' ? silences.maxDuration : DEFAULT_MAX_SILENCE;
    let maxSilenceSeconds: number;
    try {
      maxSilenceSeconds = durationSeconds(maxDuration);
    } catch {
      throw new CnmcpError('CONFIG_INVALID', `silences.maxDuration ${JSON.stringify(maxDuration)} is not a duration`, { path: '/silences/maxDuration' });
    }
    warnIfInsecure(ctx.logger, 'alertmanager', settings.backend);
    const client = createBackendClient('Alertmanager', settings.backend, ctx.tracer);
    ctx.onStop(() => client.close());
    const deps: AmToolDeps = { client, limits: settings.limits, maxSilenceSeconds };
    return {
      tools: [
        listAlertsTool(deps),
        listAlertGroupsTool(deps),
        listSilencesTool(deps),
        createSilenceTool(deps),
        expireSilenceTool(deps),
        listReceiversTool(deps),
        statusTool(deps),
      ],
    };
  },
});
