// Prompts over the prometheus pack: each names the tools to call, in order, with the PromQL filled in from
// arguments checked first (a metric name, a label value without quotes).
import { readThroughTool, type PromptDefinition, type ReadContext, type ToolDefinition } from '@cnmcp/core/plugin';
import { arg, checked, DURATION, LABEL_VALUE, METRIC_NAME, startingWith, userText } from './prompt-parts.js';

const OBJECTIVE = /^(9[0-9](\.[0-9]{1,4})?)$/;

/** Label values for completion, narrowed on the server to those starting with what was typed. */
export function labelValues(tools: readonly ToolDefinition[]) {
  const tool = tools.find((t) => t.name === 'prometheus_list_label_values');
  return async (label: string, typed: string, ctx: ReadContext): Promise<string[]> => {
    if (!tool || !/^[a-zA-Z0-9_:.-]*$/.test(typed)) return [];
    const selector = label === '__name__' ? `{__name__=~"${typed}.*"}` : `{${label}=~"${typed}.*"}`;
    const read = await readThroughTool(tool, { label, match: [selector] }, ctx);
    return startingWith((read.values ?? []) as unknown[], typed);
  };
}

export function prometheusPrompts(tools: readonly ToolDefinition[]): PromptDefinition[] {
  const values = labelValues(tools);
  return [
    {
      name: 'prometheus_investigate_metric',
      title: 'Investigate a metric',
      description: 'What a metric means, which series it has, how it moved over a window, and whether alerts fire on it.',
      arguments: [
        arg('metric', 'Metric name, e.g. http_requests_total.', true),
        arg('job', 'Only series of this job label.'),
        arg('window', 'How far back to look, e.g. 1h (default) or 30m.'),
      ],
      tools: ['prometheus_get_metadata', 'prometheus_list_series', 'prometheus_query_range', 'prometheus_list_alerts'],
      async complete(argument, value, ctx) {
        if (argument === 'metric') return values('__name__', value, ctx);
        if (argument === 'job') return values('job', value, ctx);
        if (argument === 'window') return ['15m', '1h', '6h', '24h'].filter((w) => w.startsWith(value));
        return [];
      },
      async get(args) {
        const metric = checked(args, 'metric', METRIC_NAME, 'a metric name')!;
        const job = checked(args, 'job', LABEL_VALUE, 'a label value');
        const window = checked(args, 'window', DURATION, 'a duration such as 1h') ?? '1h';
        const selector = job ? `${metric}{job="${job}"}` : metric;
        return userText([
          `Investigate the metric ${metric}${job ? ` of job "${job}"` : ''} over the last ${window}. Read only.`,
          `1. Call prometheus_get_metadata with metric: "${metric}" for its type, help and unit.`,
          `2. Call prometheus_list_series with match: ["${selector}"], start: "now-${window}" to see its label sets.`,
          `3. Call prometheus_query_range with start: "now-${window}" and query: for a counter (name ending _total) "sum by (job) (rate(${selector}[5m]))", for a histogram "histogram_quantile(0.99, sum by (le) (rate(${metric.replace(/_(bucket|count|sum)$/, '')}_bucket${job ? `{job="${job}"}` : ''}[5m])))", otherwise "${selector}".`,
          `4. Call prometheus_list_alerts and keep the alerts whose labels or query mention ${metric}.`,
          'Report what the metric measures, its current level and trend, spikes or gaps with their times, and any alert on it.',
        ]);
      },
    },
    {
      name: 'prometheus_slo_burn',
      title: 'SLO burn rate',
      description: 'How fast a job burns its availability error budget (multi-window burn rates from request metrics).',
      arguments: [
        arg('job', 'The job label of the service.', true),
        arg('metric', 'Request counter with a code label (default http_requests_total).'),
        arg('objective', 'Availability objective in percent, e.g. 99.9 (default).'),
      ],
      tools: ['prometheus_query_instant', 'prometheus_query_range'],
      async complete(argument, value, ctx) {
        if (argument === 'job') return values('job', value, ctx);
        if (argument === 'metric') return values('__name__', value, ctx);
        if (argument === 'objective') return ['99', '99.5', '99.9', '99.95', '99.99'].filter((o) => o.startsWith(value));
        return [];
      },
      async get(args) {
        const job = checked(args, 'job', LABEL_VALUE, 'a label value')!;
        const metric = checked(args, 'metric', METRIC_NAME, 'a metric name') ?? 'http_requests_total';
        const objective = checked(args, 'objective', OBJECTIVE, 'a percentage from 90 to 99.9999') ?? '99.9';
        const budget = Number((1 - Number(objective) / 100).toPrecision(6));
        const ratio = (w: string) => `sum(rate(${metric}{job="${job}",code=~"5.."}[${w}])) / sum(rate(${metric}{job="${job}"}[${w}]))`;
        return userText([
          `Check the error-budget burn of job "${job}" against a ${objective}% availability objective (error budget ${budget}). Read only.`,
          `1. Call prometheus_query_instant with query: "(${ratio('1h')}) / ${budget}" (the 1h burn rate) and again with [5m], [6h] and [30m] windows in place of [1h].`,
          `2. Call prometheus_query_range with query: "(${ratio('5m')}) / ${budget}", start: "now-24h", step: "5m" to see when the burn started.`,
          'Burn rate 1 spends the budget exactly over 30 days. Page-worthy: 1h and 5m both above 14.4, or 6h and 30m both above 6. Report the burn rates, the verdict (page, ticket or fine), when it started, and how much budget is left at this rate.',
        ]);
      },
    },
  ];
}
