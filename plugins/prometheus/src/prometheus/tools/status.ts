import type { ToolDefinition } from '@cnmcp/core/plugin';
import { guarded } from '../../result/guarded.js';
import { PAGE_OUTPUT, pageFields, pageNote, pageProperties, paginate } from '../../result/page.js';
import { structuredResult } from '../../result/tool-result.js';
import { promGet } from '../prom-api.js';
import type { PromToolDeps } from '../prom-tool-deps.js';
import { METRIC_NAME_PATTERN, readOnly } from '../schema-parts.js';

type Metadata = Record<string, { type: string; help: string; unit: string }[]>;
type Count = { name: string; value: number };
interface TsdbData {
  headStats?: { numSeries: number; numLabelPairs?: number; chunkCount: number; minTime: number; maxTime: number };
  seriesCountByMetricName?: Count[];
  labelValueCountByLabelName?: Count[];
  memoryInBytesByLabelName?: Count[];
  seriesCountByLabelValuePair?: Count[];
}

/** Entries of each TSDB top list shown; Prometheus computes ten. */
const TSDB_TOP = 10;

export function metadataTool(deps: PromToolDeps): ToolDefinition<{ metric?: string; limit?: number; continue?: string }> {
  return {
    name: 'prometheus_get_metadata',
    title: 'Metric metadata',
    description: 'Type (counter, gauge, histogram, summary), help text and unit of metrics as scraped from targets; one metric or all, sorted by name.',
    inputSchema: {
      type: 'object',
      properties: {
        metric: {
          type: 'string',
          pattern: METRIC_NAME_PATTERN,
          maxLength: 256,
          'x-cnmcp-sanitize': 'filter',
          description: 'One metric name, e.g. http_requests_total.',
        },
        ...pageProperties(deps.limits),
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        metrics: {
          type: 'array',
          items: {
            type: 'object',
            properties: { metric: { type: 'string' }, type: { type: 'string' }, help: { type: 'string' }, unit: { type: 'string' } },
            required: ['metric', 'type', 'help'],
          },
        },
        ...PAGE_OUTPUT,
      },
      required: ['metrics', 'total', 'returned', 'truncated'],
    },
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const { data } = await promGet<Metadata>(deps.client, '/api/v1/metadata', { metric: args.metric }, ctx.signal);
        // A metric can have several metadata entries when targets disagree; keep each distinct one.
        const metrics = Object.keys(data)
          .sort()
          .flatMap((metric) => (data[metric] ?? []).map((m) => ({ metric, type: m.type, help: m.help, unit: m.unit })));
        const page = paginate(metrics, 'prometheus_get_metadata', args, deps.limits);
        const lines = page.items.map((m) => `${m.metric} (${m.type}${m.unit ? `, ${m.unit}` : ''}): ${m.help}`);
        return structuredResult(
          { metrics: [...page.items], ...pageFields(page) },
          `${lines.join('\n') || 'No metadata found.'}\n${pageNote(page, 'metadata entries')}`,
        );
      }),
  };
}

export function tsdbStatusTool(deps: PromToolDeps): ToolDefinition<Record<string, never>> {
  const counts = { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'number' } }, required: ['name', 'value'] } };
  return {
    name: 'prometheus_get_tsdb_status',
    title: 'TSDB cardinality',
    description: `Head block statistics (series, chunks, time span) and the top ${TSDB_TOP} metrics by series count, labels by value count and label pairs by series count: where cardinality comes from.`,
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: {
      type: 'object',
      properties: {
        headStats: {
          type: 'object',
          properties: {
            numSeries: { type: 'number' },
            numLabelPairs: { type: 'number' },
            chunkCount: { type: 'number' },
            minTime: { type: 'string' },
            maxTime: { type: 'string' },
          },
        },
        seriesCountByMetricName: counts,
        labelValueCountByLabelName: counts,
        memoryInBytesByLabelName: counts,
        seriesCountByLabelValuePair: counts,
      },
      required: ['headStats', 'seriesCountByMetricName', 'labelValueCountByLabelName', 'memoryInBytesByLabelName', 'seriesCountByLabelValuePair'],
    },
    annotations: readOnly,
    handler: (_args, ctx) =>
      guarded(async () => {
        const { data } = await promGet<TsdbData>(deps.client, '/api/v1/status/tsdb', {}, ctx.signal);
        const head = data.headStats;
        const time = (ms: number | undefined) => (typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : '');
        const headStats = head
          ? {
              numSeries: head.numSeries,
              ...(head.numLabelPairs === undefined ? {} : { numLabelPairs: head.numLabelPairs }),
              chunkCount: head.chunkCount,
              minTime: time(head.minTime),
              maxTime: time(head.maxTime),
            }
          : {};
        const top = (list: Count[] | undefined) => (list ?? []).slice(0, TSDB_TOP).map((c) => ({ name: c.name, value: c.value }));
        const result = {
          headStats,
          seriesCountByMetricName: top(data.seriesCountByMetricName),
          labelValueCountByLabelName: top(data.labelValueCountByLabelName),
          memoryInBytesByLabelName: top(data.memoryInBytesByLabelName),
          seriesCountByLabelValuePair: top(data.seriesCountByLabelValuePair),
        };
        const list = (title: string, items: Count[]) => [`${title}:`, ...items.map((c) => `  ${c.name} ${c.value}`)];
        const lines = [
          head ? `Head: ${head.numSeries} series, ${head.chunkCount} chunks, from ${time(head.minTime)} to ${time(head.maxTime)}.` : 'No head statistics.',
          ...list('Series by metric name', result.seriesCountByMetricName),
          ...list('Values by label name', result.labelValueCountByLabelName),
          ...list('Series by label pair', result.seriesCountByLabelValuePair),
        ];
        return structuredResult(result, lines.join('\n'));
      }),
  };
}

export function buildInfoTool(deps: PromToolDeps): ToolDefinition<Record<string, never>> {
  const fields = ['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion'] as const;
  return {
    name: 'prometheus_get_build_info',
    title: 'Prometheus version',
    description: 'Version, revision, branch, build date and Go version of the Prometheus server.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: { type: 'object', properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])), required: ['version'] },
    annotations: readOnly,
    handler: (_args, ctx) =>
      guarded(async () => {
        const { data } = await promGet<Record<string, unknown>>(deps.client, '/api/v1/status/buildinfo', {}, ctx.signal);
        const info = Object.fromEntries(fields.filter((f) => typeof data[f] === 'string').map((f) => [f, data[f] as string]));
        return structuredResult(
          info,
          `Prometheus ${info.version ?? '?'} (revision ${info.revision ?? '?'}, branch ${info.branch ?? '?'}, built ${info.buildDate ?? '?'} with ${info.goVersion ?? '?'}).`,
        );
      }),
  };
}
