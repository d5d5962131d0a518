import type { ToolDefinition } from '@cnmcp/core/plugin';
import { guarded } from '../../result/guarded.js';
import { PAGE_OUTPUT, pageFields, pageNote, pageProperties, paginate } from '../../result/page.js';
import { structuredResult } from '../../result/tool-result.js';
import { promGet, seriesName } from '../prom-api.js';
import type { PromToolDeps } from '../prom-tool-deps.js';
import { labelsOutput, readOnly } from '../schema-parts.js';

interface ActiveTarget {
  scrapePool: string;
  scrapeUrl: string;
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
}
interface TargetsData {
  activeTargets: ActiveTarget[];
  droppedTargets: { discoveredLabels: Record<string, string> }[];
}

/** Down targets listed by the summary; the rest are counted. */
export const SUMMARY_DOWN_TARGETS = 20;

const fetchTargets = (deps: PromToolDeps, state: 'active' | 'dropped' | 'any', signal: AbortSignal) =>
  promGet<TargetsData>(deps.client, '/api/v1/targets', { state }, signal).then((a) => a.data);

const scrapePoolProperty = {
  type: 'string',
  minLength: 1,
  maxLength: 256,
  'x-cnmcp-sanitize': 'filter',
  description: 'Only targets of this scrape pool (the job name).',
};

export function listTargetsTool(
  deps: PromToolDeps,
): ToolDefinition<{ state?: 'active' | 'dropped'; scrapePool?: string; health?: 'up' | 'down' | 'unknown'; limit?: number; continue?: string }> {
  return {
    name: 'prometheus_list_targets',
    title: 'List scrape targets',
    description:
      'Lists scrape targets: active ones with their health, last error and last scrape, or dropped ones (relabelled away) with their discovered labels. ' +
      'Filter by scrape pool and health; for counts only, use prometheus_get_targets_summary.',
    inputSchema: {
      type: 'object',
      properties: {
        state: { enum: ['active', 'dropped'], default: 'active', description: 'active (being scraped) or dropped (removed by relabelling).' },
        scrapePool: scrapePoolProperty,
        health: { enum: ['up', 'down', 'unknown'], description: 'Only active targets of this health.' },
        ...pageProperties(deps.limits),
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        state: { enum: ['active', 'dropped'] },
        targets: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              scrapePool: { type: 'string' },
              scrapeUrl: { type: 'string' },
              health: { type: 'string' },
              labels: labelsOutput,
              lastError: { type: 'string' },
              lastScrape: { type: 'string' },
              lastScrapeDurationSeconds: { type: 'number' },
              discoveredLabels: labelsOutput,
            },
          },
        },
        ...PAGE_OUTPUT,
      },
      required: ['state', 'targets', 'total', 'returned', 'truncated'],
    },
    annotations: readOnly,
    handler: (args, ctx) =>
      guarded(async () => {
        const state = args.state ?? 'active';
        const data = await fetchTargets(deps, state, ctx.signal);
        if (state === 'dropped') {
          const dropped = (data.droppedTargets ?? [])
            .filter((t) => args.scrapePool === undefined || t.discoveredLabels.job === args.scrapePool)
            .map((t) => ({ discoveredLabels: t.discoveredLabels, name: seriesName(t.discoveredLabels) }))
            .sort((a, b) => (a.name < b.name ? -1 : 1));
          const page = paginate(dropped, 'prometheus_list_targets', args, deps.limits);
          return structuredResult(
            { state, targets: page.items.map((t) => ({ discoveredLabels: t.discoveredLabels })), ...pageFields(page) },
            `${page.items.map((t) => t.name).join('\n')}\n${pageNote(page, 'dropped targets')}`,
          );
        }
        const active = (data.activeTargets ?? [])
          .filter((t) => (args.scrapePool === undefined || t.scrapePool === args.scrapePool) && (args.health === undefined || t.health === args.health))
          .sort((a, b) => (a.scrapePool === b.scrapePool ? (a.scrapeUrl < b.scrapeUrl ? -1 : 1) : a.scrapePool < b.scrapePool ? -1 : 1));
        const page = paginate(active, 'prometheus_list_targets', args, deps.limits);
        const targets = page.items.map((t) => ({
          scrapePool: t.scrapePool,
          scrapeUrl: t.scrapeUrl,
          health: t.health,
          labels: t.labels,
          lastError: t.lastError,
          lastScrape: t.lastScrape,
          lastScrapeDurationSeconds: t.lastScrapeDuration,
        }));
        const lines = targets.map((t) => `${t.health.padEnd(7)} ${t.scrapePool} ${t.scrapeUrl}${t.lastError ? ` error: ${t.lastError}` : ''}`);
        return structuredResult({ state, targets, ...pageFields(page) }, `${lines.join('\n')}\n${pageNote(page, 'active targets')}`);
      }),
  };
}

export function targetsSummaryTool(deps: PromToolDeps): ToolDefinition<Record<string, never>> {
  const counts = {
    type: 'object',
    properties: { up: { type: 'integer' }, down: { type: 'integer' }, unknown: { type: 'integer' } },
    required: ['up', 'down', 'unknown'],
  };
  return {
    name: 'prometheus_get_targets_summary',
    title: 'Scrape targets at a glance',
    description: `Counts targets by health overall and per scrape pool, and lists up to ${SUMMARY_DOWN_TARGETS} down targets with their last error.`,
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    outputSchema: {
      type: 'object',
      properties: {
        active: { type: 'integer' },
        dropped: { type: 'integer' },
        health: counts,
        pools: {
          type: 'array',
          items: { type: 'object', properties: { scrapePool: { type: 'string' }, ...counts.properties }, required: ['scrapePool', 'up', 'down', 'unknown'] },
        },
        downTargets: {
          type: 'array',
          items: { type: 'object', properties: { scrapePool: { type: 'string' }, scrapeUrl: { type: 'string' }, lastError: { type: 'string' } } },
        },
        downTargetsTruncated: { type: 'boolean' },
      },
      required: ['active', 'dropped', 'health', 'pools', 'downTargets', 'downTargetsTruncated'],
    },
    annotations: readOnly,
    handler: (_args, ctx) =>
      guarded(async () => {
        const data = await fetchTargets(deps, 'any', ctx.signal);
        const active = data.activeTargets ?? [];
        const health = { up: 0, down: 0, unknown: 0 };
        const pools = new Map<string, { up: number; down: number; unknown: number }>();
        for (const t of active) {
          const h = t.health in health ? t.health : 'unknown';
          health[h]++;
          const pool = pools.get(t.scrapePool) ?? { up: 0, down: 0, unknown: 0 };
          pool[h]++;
          pools.set(t.scrapePool, pool);
        }
        const down = active.filter((t) => t.health === 'down');
        const downTargets = down.slice(0, SUMMARY_DOWN_TARGETS).map((t) => ({ scrapePool: t.scrapePool, scrapeUrl: t.scrapeUrl, lastError: t.lastError }));
        const poolRows = [...pools.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([scrapePool, c]) => ({ scrapePool, ...c }));
        const dropped = (data.droppedTargets ?? []).length;
        const lines = [
          `${active.length} active targets (${health.up} up, ${health.down} down, ${health.unknown} unknown), ${dropped} dropped.`,
          ...poolRows.map((p) => `  ${p.scrapePool}: ${p.up} up, ${p.down} down, ${p.unknown} unknown`),
          ...(downTargets.length ? ['Down:', ...downTargets.map((t) => `  ${t.scrapePool} ${t.scrapeUrl}: ${t.lastError}`)] : []),
          ...(down.length > downTargets.length
            ? [`(${down.length - downTargets.length} more down targets not listed: use prometheus_list_targets with health: down.)`]
            : []),
        ];
        return structuredResult(
          { active: active.length, dropped, health, pools: poolRows, downTargets, downTargetsTruncated: down.length > downTargets.length },
          lines.join('\n'),
        );
      }),
  };
}
