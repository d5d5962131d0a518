import type { ToolDefinition } from '@cnmcp/core/plugin';
import { guarded } from '../../result/guarded.js';
import { PAGE_OUTPUT, pageFields, pageNote, pageProperties, paginate } from '../../result/page.js';
import { structuredResult } from '../../result/tool-result.js';
import { promGet, seriesName, warningText } from '../prom-api.js';
import type { PromToolDeps } from '../prom-tool-deps.js';
import { timeSeconds } from '../prom-time.js';
import { labelName, labelsOutput, readOnly, selectors, time } from '../schema-parts.js';

type Range = { start?: string; end?: string };
type Paged = { limit?: number; continue?: string };

const rangeProperties = {
  start: time('Only series with samples after this time (RFC 3339, Unix seconds, now or now-<duration>). Default: all the TSDB holds.'),
  end: time('Only series with samples before this time. Default now.'),
};

function rangeQuery(args: Range): { start?: string; end?: string } {
  const now = Date.now() / 1000;
  return {
    ...(args.start === undefined ? {} : { start: String(timeSeconds(args.start, now, 'start')) }),
    ...(args.end === undefined ? {} : { end: String(timeSeconds(args.end, now, 'end')) }),
  };
}

const listOutput = (items: Record<string, unknown>) => ({
  type: 'object' as const,
  properties: { ...items, ...PAGE_OUTPUT, warnings: { type: 'array', items: { type: 'string' } } },
  required: [...Object.keys(items), 'total', 'returned', 'truncated'],
});

export function listSeriesTool(deps: PromToolDeps): ToolDefinition<{ match: string[] } & Range & Paged> {
  return {
    name: 'prometheus_list_series',
    title: 'Find series',
    description: 'Lists the label sets of the series matching one or more selectors, sorted, a page at a time.',
    inputSchema: {
      type: 'object',
      properties: { match: selectors(deps.maxQueryLength, true), ...rangeProperties, ...pageProperties(deps.limits) },
      required: ['match'],
      additionalProperties: false,
    },
    outputSchema: listOutput({ series: { type: 'array', items: labelsOutput } }),
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const { data, warnings } = await promGet<Record<string, string>[]>(
          deps.client,
          '/api/v1/series',
          { 'match[]': args.match, ...rangeQuery(args) },
          ctx.signal,
        );
        const named = data.map((labels) => ({ labels, name: seriesName(labels) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const page = paginate(named, 'prometheus_list_series', args, deps.limits);
        return structuredResult(
          { series: page.items.map((s) => s.labels), ...pageFields(page), warnings: [...warnings] },
          `${page.items.map((s) => s.name).join('\n')}\n${pageNote(page, 'series')}${warningText(warnings)}`,
        );
      }),
  };
}

export function listLabelNamesTool(deps: PromToolDeps): ToolDefinition<{ match?: string[] } & Range & Paged> {
  return {
    name: 'prometheus_list_label_names',
    title: 'List label names',
    description: 'Lists label names, sorted, optionally only those of series matching selectors.',
    inputSchema: {
      type: 'object',
      properties: { match: selectors(deps.maxQueryLength, false), ...rangeProperties, ...pageProperties(deps.limits) },
      additionalProperties: false,
    },
    outputSchema: listOutput({ labels: { type: 'array', items: { type: 'string' } } }),
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const { data, warnings } = await promGet<string[]>(deps.client, '/api/v1/labels', { 'match[]': args.match, ...rangeQuery(args) }, ctx.signal);
        const page = paginate([...data].sort(), 'prometheus_list_label_names', args, deps.limits);
        return structuredResult(
          { labels: [...page.items], ...pageFields(page), warnings: [...warnings] },
          `${page.items.join('\n')}\n${pageNote(page, 'label names')}${warningText(warnings)}`,
        );
      }),
  };
}

export function listLabelValuesTool(deps: PromToolDeps): ToolDefinition<{ label: string; match?: string[] } & Range & Paged> {
  return {
    name: 'prometheus_list_label_values',
    title: 'List label values',
    description: 'Lists the values of one label (e.g. job, or __name__ for metric names), sorted, optionally only for series matching selectors.',
    inputSchema: {
      type: 'object',
      properties: {
        label: labelName('Label name, e.g. job, instance or __name__ (metric names).'),
        match: selectors(deps.maxQueryLength, false),
        ...rangeProperties,
        ...pageProperties(deps.limits),
      },
      required: ['label'],
      additionalProperties: false,
    },
    outputSchema: listOutput({ label: { type: 'string' }, values: { type: 'array', items: { type: 'string' } } }),
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const path = `/api/v1/label/${encodeURIComponent(args.label)}/values`;
        const { data, warnings } = await promGet<string[]>(deps.client, path, { 'match[]': args.match, ...rangeQuery(args) }, ctx.signal);
        const page = paginate([...data].sort(), 'prometheus_list_label_values', args, deps.limits);
        return structuredResult(
          { label: args.label, values: [...page.items], ...pageFields(page), warnings: [...warnings] },
          `Values of ${args.label}:\n${page.items.join('\n')}\n${pageNote(page, 'values')}${warningText(warnings)}`,
        );
      }),
  };
}
