import type { ToolDefinition } from '@cnmcp/core/plugin';
import { guarded } from '../../result/guarded.js';
import { PAGE_OUTPUT, pageFields, pageNote, pageProperties, paginate } from '../../result/page.js';
import { structuredResult } from '../../result/tool-result.js';
import { promGet, seriesName } from '../prom-api.js';
import type { PromToolDeps } from '../prom-tool-deps.js';
import { labelsOutput, readOnly } from '../schema-parts.js';

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'firing' | 'pending' | 'inactive';
  activeAt?: string;
  value?: string;
}
interface PromRule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  health: string;
  lastError?: string;
  state?: string;
  duration?: number;
  labels?: Record<string, string>;
  alerts?: PromAlert[];
  lastEvaluation?: string;
}
interface RulesData {
  groups: { name: string; file: string; interval: number; rules: PromRule[] }[];
}

const groupProperty = { type: 'string', minLength: 1, maxLength: 256, 'x-cnmcp-sanitize': 'filter', description: 'Only rules of this rule group.' };

const alertOutput = {
  type: 'object',
  properties: {
    alertname: { type: 'string' },
    state: { type: 'string' },
    labels: labelsOutput,
    annotations: labelsOutput,
    activeAt: { type: 'string' },
    value: { type: 'string' },
  },
  required: ['state', 'labels'],
};

export function listAlertsTool(deps: PromToolDeps): ToolDefinition<{ state?: 'firing' | 'pending'; limit?: number; continue?: string }> {
  return {
    name: 'prometheus_list_alerts',
    title: 'List Prometheus alerts',
    description: 'Lists the alerts Prometheus currently evaluates as firing or pending (before Alertmanager routing), firing first, then by name.',
    inputSchema: {
      type: 'object',
      properties: { state: { enum: ['firing', 'pending'], description: 'Only alerts in this state.' }, ...pageProperties(deps.limits) },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { alerts: { type: 'array', items: alertOutput }, ...PAGE_OUTPUT },
      required: ['alerts', 'total', 'returned', 'truncated'],
    },
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const { data } = await promGet<{ alerts: PromAlert[] }>(deps.client, '/api/v1/alerts', {}, ctx.signal);
        const alerts = (data.alerts ?? [])
          .filter((a) => args.state === undefined || a.state === args.state)
          .map((a) => ({
            alertname: a.labels.alertname ?? '',
            state: a.state,
            labels: a.labels,
            annotations: a.annotations ?? {},
            ...(a.activeAt ? { activeAt: a.activeAt } : {}),
            ...(a.value ? { value: a.value } : {}),
          }))
          .sort((a, b) => (a.state !== b.state ? (a.state === 'firing' ? -1 : 1) : seriesName(a.labels) < seriesName(b.labels) ? -1 : 1));
        const page = paginate(alerts, 'prometheus_list_alerts', args, deps.limits);
        const lines = page.items.map(
          (a) => `${a.state} ${seriesName(a.labels)}${a.activeAt ? ` since ${a.activeAt}` : ''}${a.annotations.summary ? `: ${a.annotations.summary}` : ''}`,
        );
        return structuredResult({ alerts: [...page.items], ...pageFields(page) }, `${lines.join('\n')}\n${pageNote(page, 'alerts')}`);
      }),
  };
}

export function listRulesTool(deps: PromToolDeps): ToolDefinition<{ type?: 'alert' | 'record'; group?: string; limit?: number; continue?: string }> {
  return {
    name: 'prometheus_list_rules',
    title: 'List alerting and recording rules',
    description:
      'Lists rules with their group, file, expression, health and last error; alerting rules also with their state and number of active alerts. For counts, use prometheus_get_rules_summary.',
    inputSchema: {
      type: 'object',
      properties: {
        type: { enum: ['alert', 'record'], description: 'Only alerting or only recording rules.' },
        group: groupProperty,
        ...pageProperties(deps.limits),
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        rules: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              group: { type: 'string' },
              file: { type: 'string' },
              type: { enum: ['alerting', 'recording'] },
              name: { type: 'string' },
              query: { type: 'string' },
              health: { type: 'string' },
              lastError: { type: 'string' },
              state: { type: 'string' },
              forSeconds: { type: 'number' },
              labels: labelsOutput,
              activeAlerts: { type: 'integer' },
            },
            required: ['group', 'type', 'name', 'query', 'health'],
          },
        },
        ...PAGE_OUTPUT,
      },
      required: ['rules', 'total', 'returned', 'truncated'],
    },
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const { data } = await promGet<RulesData>(deps.client, '/api/v1/rules', { type: args.type }, ctx.signal);
        const rules = (data.groups ?? [])
          .filter((g) => args.group === undefined || g.name === args.group)
          .flatMap((g) =>
            g.rules.map((r) => ({
              group: g.name,
              file: g.file,
              type: r.type,
              name: r.name,
              query: r.query,
              health: r.health,
              ...(r.lastError ? { lastError: r.lastError } : {}),
              ...(r.type === 'alerting' ? { state: r.state ?? 'inactive', forSeconds: r.duration ?? 0, activeAlerts: r.alerts?.length ?? 0 } : {}),
              ...(r.labels && Object.keys(r.labels).length ? { labels: r.labels } : {}),
            })),
          );
        const page = paginate(rules, 'prometheus_list_rules', args, deps.limits);
        const lines = page.items.map(
          (r) =>
            `[${r.group}] ${r.type === 'alerting' ? `alert ${r.name} (${r.state}, ${r.activeAlerts} active)` : `record ${r.name}`} = ${r.query}${r.health !== 'ok' ? ` health ${r.health}${r.lastError ? `: ${r.lastError}` : ''}` : ''}`,
        );
        return structuredResult({ rules: [...page.items], ...pageFields(page) }, `${lines.join('\n')}\n${pageNote(page, 'rules')}`);
      }),
  };
}

export function rulesSummaryTool(deps: PromToolDeps): ToolDefinition<Record<string, never>> {
  return {
    name: 'prometheus_get_rules_summary',
    title: 'Rules at a glance',
    description: 'Per rule group: how many alerting and recording rules, how many alerts fire or are pending, and which rules are unhealthy.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: {
      type: 'object',
      properties: {
        groups: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              file: { type: 'string' },
              alertingRules: { type: 'integer' },
              recordingRules: { type: 'integer' },
              firing: { type: 'integer' },
              pending: { type: 'integer' },
              unhealthy: {
                type: 'array',
                items: { type: 'object', properties: { name: { type: 'string' }, health: { type: 'string' }, lastError: { type: 'string' } } },
              },
            },
            required: ['name', 'alertingRules', 'recordingRules', 'firing', 'pending', 'unhealthy'],
          },
        },
        totals: {
          type: 'object',
          properties: {
            alertingRules: { type: 'integer' },
            recordingRules: { type: 'integer' },
            firing: { type: 'integer' },
            pending: { type: 'integer' },
            unhealthy: { type: 'integer' },
          },
        },
      },
      required: ['groups', 'totals'],
    },
    annotations: readOnly,
    handler: (_args, ctx) =>
      guarded(async () => {
        const { data } = await promGet<RulesData>(deps.client, '/api/v1/rules', {}, ctx.signal);
        const groups = (data.groups ?? []).map((g) => {
          const alerts = g.rules.flatMap((r) => r.alerts ?? []);
          return {
            name: g.name,
            file: g.file,
            alertingRules: g.rules.filter((r) => r.type === 'alerting').length,
            recordingRules: g.rules.filter((r) => r.type === 'recording').length,
            firing: alerts.filter((a) => a.state === 'firing').length,
            pending: alerts.filter((a) => a.state === 'pending').length,
            unhealthy: g.rules
              .filter((r) => r.health !== 'ok' && r.health !== 'unknown')
              .map((r) => ({ name: r.name, health: r.health, lastError: r.lastError ?? '' })),
          };
        });
        const sum = (f: (g: (typeof groups)[number]) => number) => groups.reduce((n, g) => n + f(g), 0);
        const totals = {
          alertingRules: sum((g) => g.alertingRules),
          recordingRules: sum((g) => g.recordingRules),
          firing: sum((g) => g.firing),
          pending: sum((g) => g.pending),
          unhealthy: sum((g) => g.unhealthy.length),
        };
        const lines = [
          `${groups.length} rule groups: ${totals.alertingRules} alerting and ${totals.recordingRules} recording rules; ${totals.firing} alerts firing, ${totals.pending} pending; ${totals.unhealthy} unhealthy rules.`,
          ...groups.map(
            (g) =>
              `  ${g.name} (${g.file}): ${g.alertingRules} alerting, ${g.recordingRules} recording, ${g.firing} firing, ${g.pending} pending${g.unhealthy.length ? `; unhealthy: ${g.unhealthy.map((u) => `${u.name} (${u.lastError || u.health})`).join(', ')}` : ''}`,
          ),
        ];
        return structuredResult({ groups, totals }, lines.join('\n'));
      }),
  };
}
