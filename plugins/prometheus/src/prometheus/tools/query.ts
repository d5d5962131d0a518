import type { ToolDefinition } from '@cnmcp/core/plugin';
import { InputError, guarded } from '../../result/guarded.js';
import { PAGE_OUTPUT } from '../../result/page.js';
import { structuredResult } from '../../result/tool-result.js';
import { promGet, seriesName, warningText } from '../prom-api.js';
import type { PromToolDeps } from '../prom-tool-deps.js';
import { durationSeconds, isoOf, timeSeconds } from '../prom-time.js';
import { duration, labelsOutput, promql, readOnly, time } from '../schema-parts.js';

type Sample = [number, string];
type QueryData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: Sample }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: Sample[] }[] }
  | { resultType: 'scalar' | 'string'; result: Sample };

/** Points a range query aims for when no step is given: enough for a shape, small enough for a model's context. */
export const DEFAULT_RANGE_POINTS = 60;
// Prometheus itself refuses more than 11,000 points per series.
const MAX_RANGE_POINTS = 11_000;

const seriesOutput = {
  type: 'array',
  items: {
    type: 'object',
    properties: { metric: labelsOutput, value: { type: 'number' }, timestamp: { type: 'number' }, values: { type: 'array', items: { type: 'array' } } },
    required: ['metric'],
  },
};

export function queryTool(deps: PromToolDeps): ToolDefinition<{ query: string; time?: string; timeout?: string; limit?: number }> {
  return {
    name: 'prometheus_query_instant',
    title: 'PromQL instant query',
    description:
      'Evaluates a PromQL expression at one time (default now) and returns the result: a vector of series with one value each, a scalar or a string. ' +
      `At most \`limit\` series are returned (sorted by labels); the answer says when more exist.`,
    inputSchema: {
      type: 'object',
      properties: {
        query: promql(deps.maxQueryLength, 'PromQL expression, e.g. sum by (job) (rate(http_requests_total[5m])).'),
        time: time('Evaluation time: RFC 3339, Unix seconds, now or now-<duration> (e.g. now-1h). Default now.'),
        timeout: duration('Evaluation timeout passed to Prometheus, e.g. 10s.'),
        limit: { type: 'integer', minimum: 1, maximum: deps.limits.maxLimit, default: deps.limits.defaultLimit, description: 'Most series returned.' },
      },
      required: ['query'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        resultType: { enum: ['vector', 'matrix', 'scalar', 'string'] },
        result: seriesOutput,
        scalar: { type: ['number', 'string'] },
        total: PAGE_OUTPUT.total,
        returned: PAGE_OUTPUT.returned,
        truncated: PAGE_OUTPUT.truncated,
        warnings: { type: 'array', items: { type: 'string' } },
      },
      required: ['resultType', 'truncated', 'warnings'],
    },
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const at = args.time === undefined ? undefined : String(timeSeconds(args.time, Date.now() / 1000, 'time'));
        const { data, warnings } = await promGet<QueryData>(deps.client, '/api/v1/query', { query: args.query, time: at, timeout: args.timeout }, ctx.signal);
        return shapeResult(data, warnings, args.limit ?? deps.limits.defaultLimit, deps);
      }),
  };
}

export function queryRangeTool(deps: PromToolDeps): ToolDefinition<{ query: string; start: string; end?: string; step?: string; limit?: number }> {
  const defaultLimit = Math.min(10, deps.limits.maxLimit);
  return {
    name: 'prometheus_query_range',
    title: 'PromQL range query',
    description:
      `Evaluates a PromQL expression over a time range and returns each series' values at every step. Without a step, one is chosen for about ${DEFAULT_RANGE_POINTS} points. ` +
      `At most \`limit\` series are returned (default ${defaultLimit}); the answer says when more exist.`,
    inputSchema: {
      type: 'object',
      properties: {
        query: promql(deps.maxQueryLength, 'PromQL expression, e.g. rate(process_cpu_seconds_total[1m]).'),
        start: time('Start of the range: RFC 3339, Unix seconds, now or now-<duration> (e.g. now-1h).'),
        end: time('End of the range, same forms. Default now.'),
        step: duration(`Resolution, e.g. 30s or 5m. Default: (end - start) / ${DEFAULT_RANGE_POINTS}, at least 1s.`),
        limit: { type: 'integer', minimum: 1, maximum: deps.limits.maxLimit, default: defaultLimit, description: 'Most series returned.' },
      },
      required: ['query', 'start'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        resultType: { enum: ['vector', 'matrix', 'scalar', 'string'] },
        start: { type: 'string' },
        end: { type: 'string' },
        stepSeconds: { type: 'number' },
        result: seriesOutput,
        total: PAGE_OUTPUT.total,
        returned: PAGE_OUTPUT.returned,
        truncated: PAGE_OUTPUT.truncated,
        warnings: { type: 'array', items: { type: 'string' } },
      },
      required: ['resultType', 'start', 'end', 'stepSeconds', 'truncated', 'warnings'],
    },
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const now = Date.now() / 1000;
        const start = timeSeconds(args.start, now, 'start');
        const end = args.end === undefined ? now : timeSeconds(args.end, now, 'end');
        if (end < start) throw new InputError(`end (${isoOf(end)}) is before start (${isoOf(start)}).`);
        const step = args.step === undefined ? Math.max(1, Math.ceil((end - start) / DEFAULT_RANGE_POINTS)) : durationSeconds(args.step);
        if (step <= 0) throw new InputError('step must be positive.');
        if ((end - start) / step > MAX_RANGE_POINTS) {
          throw new InputError(
            `that range and step give more than ${MAX_RANGE_POINTS} points per series: use a larger step (at least ${Math.ceil((end - start) / MAX_RANGE_POINTS)}s).`,
          );
        }
        const { data, warnings } = await promGet<QueryData>(
          deps.client,
          '/api/v1/query_range',
          { query: args.query, start: String(start), end: String(end), step: String(step) },
          ctx.signal,
        );
        const shaped = shapeResult(data, warnings, args.limit ?? defaultLimit, deps);
        const structured = { ...shaped.structuredContent, start: isoOf(start), end: isoOf(end), stepSeconds: step };
        const text = `Range ${isoOf(start)} to ${isoOf(end)}, step ${step}s.\n${shaped.content[0]?.type === 'text' ? shaped.content[0].text : ''}`;
        return structuredResult(structured, text);
      }),
  };
}

function shapeResult(data: QueryData, warnings: readonly string[], limit: number, deps: PromToolDeps) {
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    const [ts, value] = data.result;
    const scalar = data.resultType === 'scalar' ? Number(value) : value;
    return structuredResult(
      { resultType: data.resultType, scalar, timestamp: ts, truncated: false, warnings: [...warnings] },
      `${data.resultType} ${String(scalar)} at ${isoOf(ts)}${warningText(warnings)}`,
    );
  }
  const series = data.result as { metric: Record<string, string>; value?: Sample; values?: Sample[] }[];
  const sorted = [...series].sort((a, b) => (seriesName(a.metric) < seriesName(b.metric) ? -1 : 1));
  const page = { items: sorted.slice(0, Math.min(limit, deps.limits.maxLimit)), total: sorted.length };
  const sizing = { total: page.total, returned: page.items.length, truncated: page.items.length < page.total };
  const noun = 'series';
  if (data.resultType === 'vector') {
    const rows = page.items.map((s) => ({ metric: s.metric, value: Number(s.value?.[1]), timestamp: s.value?.[0] ?? 0 }));
    const lines = rows.map((r) => `${seriesName(r.metric)} ${r.value}`);
    return structuredResult(
      { resultType: 'vector', result: rows, ...sizing, warnings: [...warnings] },
      `${lines.length ? `${lines.join('\n')}\n` : 'Empty result: no series matched.\n'}${truncationNote(page.total, page.items.length, noun)}${warningText(warnings)}`,
    );
  }
  const rows = page.items.map((s) => ({
    metric: s.metric,
    values: (s.values ?? []).map(([t, v]) => [t, Number(v)] as [number, number]),
  }));
  const lines = rows.map((r) => `${seriesName(r.metric)}: ${r.values.map(([t, v]) => `${v}@${t}`).join(' ')}`);
  return structuredResult(
    { resultType: 'matrix', result: rows, ...sizing, warnings: [...warnings] },
    `${lines.length ? `${lines.join('\n')}\n` : 'Empty result: no series matched.\n'}${truncationNote(page.total, page.items.length, noun)}${warningText(warnings)}`,
  );
}

// Query results are not paged (a second page would need a second evaluation at another moment): they are cut, and say so.
function truncationNote(total: number, returned: number, noun: string): string {
  return returned < total
    ? `Showing ${returned} of ${total} ${noun} (truncated by limit). Narrow the query (aggregate with sum/topk, add label matchers) or raise limit.`
    : `${total} ${noun}.`;
}
