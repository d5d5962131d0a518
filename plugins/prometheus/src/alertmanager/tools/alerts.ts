import type { ToolDefinition } from '@cnmcp/core/plugin';
import { guarded } from '../../result/guarded.js';
import { PAGE_OUTPUT, pageFields, pageNote, pageProperties, paginate } from '../../result/page.js';
import { structuredResult } from '../../result/tool-result.js';
import { SORT_KEYS, sortAlerts, type SortKey } from '../alert-sort.js';
import type { AmAlert, AmToolDeps } from '../am-types.js';
import { filterParam, matchersSchema, type Matcher } from '../matchers.js';

const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
const labels = { type: 'object', additionalProperties: { type: 'string' } } as const;

/** Alerts shown inside each group of alertmanager_list_alert_groups; the rest are counted. */
export const GROUP_ALERTS_SHOWN = 10;

export const alertOutput = {
  type: 'object',
  properties: {
    fingerprint: { type: 'string' },
    alertname: { type: 'string' },
    severity: { type: 'string' },
    state: { enum: ['active', 'suppressed', 'unprocessed'] },
    labels,
    annotations: labels,
    startsAt: { type: 'string' },
    endsAt: { type: 'string' },
    receivers: { type: 'array', items: { type: 'string' } },
    silencedBy: { type: 'array', items: { type: 'string' } },
    inhibitedBy: { type: 'array', items: { type: 'string' } },
    generatorURL: { type: 'string' },
  },
  required: ['fingerprint', 'state', 'labels', 'startsAt', 'endsAt'],
} as const;

const stateFilters = {
  active: { type: 'boolean', description: 'Include active (neither silenced nor inhibited) alerts. Default true.' },
  silenced: { type: 'boolean', description: 'Include silenced alerts. Default true.' },
  inhibited: { type: 'boolean', description: 'Include inhibited alerts. Default true.' },
};
const receiverProperty = {
  type: 'string',
  minLength: 1,
  maxLength: 512,
  'x-cnmcp-sanitize': 'query',
  description: 'Only alerts routed to receivers matching this regular expression.',
};

type StateArgs = { active?: boolean; silenced?: boolean; inhibited?: boolean; receiver?: string; matchers?: Matcher[] };

function stateQuery(args: StateArgs): Record<string, string | string[] | undefined> {
  const flag = (v: boolean | undefined) => (v === undefined ? undefined : String(v));
  return {
    active: flag(args.active),
    silenced: flag(args.silenced),
    inhibited: flag(args.inhibited),
    receiver: args.receiver,
    filter: filterParam(args.matchers),
  };
}

export function alertView(a: AmAlert) {
  return {
    fingerprint: a.fingerprint,
    alertname: a.labels.alertname ?? '',
    severity: a.labels.severity ?? '',
    state: a.status.state,
    labels: a.labels,
    annotations: a.annotations ?? {},
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    receivers: (a.receivers ?? []).map((r) => r.name),
    silencedBy: a.status.silencedBy ?? [],
    inhibitedBy: a.status.inhibitedBy ?? [],
    ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
  };
}

const alertLine = (a: ReturnType<typeof alertView>) =>
  `${a.state} ${a.severity || '-'} ${a.alertname} [${a.fingerprint}] since ${a.startsAt}${a.silencedBy.length ? ` silenced by ${a.silencedBy.join(',')}` : ''}${a.annotations.summary ? `: ${a.annotations.summary}` : ''}`;

export function listAlertsTool(deps: AmToolDeps): ToolDefinition<StateArgs & { unprocessed?: boolean; sortBy?: SortKey; limit?: number; continue?: string }> {
  return {
    name: 'alertmanager_list_alerts',
    title: 'List Alertmanager alerts',
    description:
      'Lists the alerts Alertmanager holds, filtered by label matchers, receiver and state (active, silenced, inhibited), sorted by sortBy: ' +
      'severity (critical, warning, info, then others), startsAt, endsAt or fingerprint; add _desc to reverse. Default: severity.',
    inputSchema: {
      type: 'object',
      properties: {
        matchers: matchersSchema('Only alerts matching all of these label matchers.'),
        receiver: receiverProperty,
        ...stateFilters,
        unprocessed: { type: 'boolean', description: 'Include alerts not yet processed. Default true.' },
        sortBy: { enum: [...SORT_KEYS], default: 'severity', description: 'Order of the answer. severity puts critical first; _desc reverses.' },
        ...pageProperties(deps.limits),
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { alerts: { type: 'array', items: alertOutput }, sortBy: { type: 'string' }, ...PAGE_OUTPUT },
      required: ['alerts', 'sortBy', 'total', 'returned', 'truncated'],
    },
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const query = { ...stateQuery(args), unprocessed: args.unprocessed === undefined ? undefined : String(args.unprocessed) };
        const alerts = ((await deps.client.request({ path: '/api/v2/alerts', query }, ctx.signal)) ?? []) as AmAlert[];
        const sortBy = args.sortBy ?? 'severity';
        const page = paginate(sortAlerts(alerts, sortBy), 'alertmanager_list_alerts', args, deps.limits);
        const views = page.items.map(alertView);
        return structuredResult({ alerts: views, sortBy, ...pageFields(page) }, `${views.map(alertLine).join('\n')}\n${pageNote(page, 'alerts')}`);
      }),
  };
}

export function listAlertGroupsTool(deps: AmToolDeps): ToolDefinition<StateArgs & { limit?: number; continue?: string }> {
  return {
    name: 'alertmanager_list_alert_groups',
    title: 'List alert groups',
    description: `Lists alerts as Alertmanager groups them for notification (by receiver and the route's group_by labels), with up to ${GROUP_ALERTS_SHOWN} alerts each, most severe first.`,
    inputSchema: {
      type: 'object',
      properties: {
        matchers: matchersSchema('Only alerts matching all of these label matchers.'),
        receiver: receiverProperty,
        ...stateFilters,
        ...pageProperties(deps.limits),
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        groups: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              receiver: { type: 'string' },
              labels,
              alertCount: { type: 'integer' },
              alerts: { type: 'array', items: alertOutput },
              alertsTruncated: { type: 'boolean' },
            },
            required: ['receiver', 'labels', 'alertCount', 'alerts', 'alertsTruncated'],
          },
        },
        ...PAGE_OUTPUT,
      },
      required: ['groups', 'total', 'returned', 'truncated'],
    },
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const raw = ((await deps.client.request({ path: '/api/v2/alerts/groups', query: stateQuery(args) }, ctx.signal)) ?? []) as {
          labels: Record<string, string>;
          receiver: { name: string };
          alerts: AmAlert[];
        }[];
        const key = (g: (typeof raw)[number]) => `${g.receiver.name}\n${JSON.stringify(Object.entries(g.labels).sort())}`;
        const sorted = [...raw].sort((a, b) => (key(a) < key(b) ? -1 : 1));
        const page = paginate(sorted, 'alertmanager_list_alert_groups', args, deps.limits);
        const groups = page.items.map((g) => {
          const alerts = sortAlerts(g.alerts, 'severity');
          return {
            receiver: g.receiver.name,
            labels: g.labels,
            alertCount: alerts.length,
            alerts: alerts.slice(0, GROUP_ALERTS_SHOWN).map(alertView),
            alertsTruncated: alerts.length > GROUP_ALERTS_SHOWN,
          };
        });
        const lines = groups.flatMap((g) => [
          `Group ${JSON.stringify(g.labels)} -> ${g.receiver}: ${g.alertCount} alerts`,
          ...g.alerts.map((a) => `  ${alertLine(a)}`),
          ...(g.alertsTruncated ? [`  (${g.alertCount - g.alerts.length} more not shown: use alertmanager_list_alerts with matchers for this group)`] : []),
        ]);
        return structuredResult({ groups, ...pageFields(page) }, `${lines.join('\n')}\n${pageNote(page, 'groups')}`);
      }),
  };
}
