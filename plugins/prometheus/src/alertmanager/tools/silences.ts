import type { ToolDefinition } from '@cnmcp/core/plugin';
import { BackendError } from '../../backend/backend-error.js';
import { InputError, guarded } from '../../result/guarded.js';
import { PAGE_OUTPUT, pageFields, pageNote, pageProperties, paginate } from '../../result/page.js';
import { structuredResult, toolError } from '../../result/tool-result.js';
import { durationSeconds, DURATION_PATTERN } from '../../prometheus/prom-time.js';
import type { AmSilence, AmToolDeps } from '../am-types.js';
import { apiMatcherText, filterParam, matchersSchema, toApiMatcher, type Matcher } from '../matchers.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const STATE_ORDER = { active: 0, pending: 1, expired: 2 } as const;

const silenceOutput = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    state: { enum: ['active', 'pending', 'expired'] },
    matchers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, value: { type: 'string' }, isRegex: { type: 'boolean' }, isEqual: { type: 'boolean' } },
      },
    },
    startsAt: { type: 'string' },
    endsAt: { type: 'string' },
    createdBy: { type: 'string' },
    comment: { type: 'string' },
  },
  required: ['id', 'state', 'matchers', 'startsAt', 'endsAt', 'createdBy', 'comment'],
} as const;

const view = (s: AmSilence) => ({
  id: s.id,
  state: s.status.state,
  matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual !== false })),
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  createdBy: s.createdBy,
  comment: s.comment,
});

const line = (s: ReturnType<typeof view>) =>
  `${s.state} ${s.id} {${s.matchers.map(apiMatcherText).join(', ')}} ${s.startsAt} to ${s.endsAt} by ${s.createdBy}: ${s.comment}`;

export function listSilencesTool(
  deps: AmToolDeps,
): ToolDefinition<{ matchers?: Matcher[]; state?: 'active' | 'pending' | 'expired'; limit?: number; continue?: string }> {
  return {
    name: 'alertmanager_list_silences',
    title: 'List silences',
    description:
      'Lists silences (active first, then pending, then expired; newest end first within each), optionally only those with the given matchers or in one state.',
    inputSchema: {
      type: 'object',
      properties: {
        matchers: matchersSchema('Only silences that have all of these matchers.'),
        state: { enum: ['active', 'pending', 'expired'], description: 'Only silences in this state.' },
        ...pageProperties(deps.limits),
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { silences: { type: 'array', items: silenceOutput }, ...PAGE_OUTPUT },
      required: ['silences', 'total', 'returned', 'truncated'],
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: (args, ctx) =>
      guarded(async () => {
        const silences = ((await deps.client.request({ path: '/api/v2/silences', query: { filter: filterParam(args.matchers) } }, ctx.signal)) ??
          []) as AmSilence[];
        const sorted = silences
          .filter((s) => args.state === undefined || s.status.state === args.state)
          .sort((a, b) => STATE_ORDER[a.status.state] - STATE_ORDER[b.status.state] || Date.parse(b.endsAt) - Date.parse(a.endsAt) || (a.id < b.id ? -1 : 1));
        const page = paginate(sorted, 'alertmanager_list_silences', args, deps.limits);
        const views = page.items.map(view);
        return structuredResult({ silences: views, ...pageFields(page) }, `${views.map(line).join('\n')}\n${pageNote(page, 'silences')}`);
      }),
  };
}

export function createSilenceTool(
  deps: AmToolDeps,
): ToolDefinition<{ matchers: Matcher[]; duration?: string; startsAt?: string; endsAt?: string; comment: string }> {
  const max = deps.maxSilenceSeconds;
  return {
    name: 'alertmanager_create_silence',
    title: 'Silence alerts',
    description:
      `Creates a silence: alerts matching all the matchers send no notifications from startsAt (default now) for duration (or until endsAt), at most ${formatSeconds(max)}. ` +
      'The silence is recorded as created by the authenticated caller. Returns the silence id (needed to expire it) and the alerts it silences now.',
    inputSchema: {
      type: 'object',
      properties: {
        matchers: matchersSchema('Label matchers an alert must all match to be silenced. At least one equality matcher is wise, e.g. alertname.', 1),
        duration: {
          type: 'string',
          pattern: DURATION_PATTERN,
          maxLength: 32,
          'x-cnmcp-sanitize': 'filter',
          description: 'How long, e.g. 30m, 2h. Give duration or endsAt.',
        },
        startsAt: { type: 'string', format: 'date-time', maxLength: 40, 'x-cnmcp-sanitize': 'filter', description: 'RFC 3339 start; default now.' },
        endsAt: { type: 'string', format: 'date-time', maxLength: 40, 'x-cnmcp-sanitize': 'filter', description: 'RFC 3339 end.' },
        comment: { type: 'string', minLength: 1, maxLength: 1000, description: 'Why the alerts are silenced (shown to everyone who sees the silence).' },
      },
      required: ['matchers', 'comment'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        silenceId: { type: 'string' },
        startsAt: { type: 'string' },
        endsAt: { type: 'string' },
        createdBy: { type: 'string' },
        matchers: silenceOutput.properties.matchers,
        silencedAlerts: { type: 'integer' },
      },
      required: ['silenceId', 'startsAt', 'endsAt', 'createdBy', 'matchers'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    handler: (args, ctx) =>
      guarded(async () => {
        const matchers = args.matchers.map(toApiMatcher);
        if (matchers.every((m) => m.isRegex && /^(\.\*|\.\+)?$/.test(m.value)))
          throw new InputError('these matchers would silence every alert: add a matcher on a specific label value.');
        const now = Date.now();
        const start = args.startsAt === undefined ? now : Date.parse(args.startsAt);
        if (Number.isNaN(start)) throw new InputError('startsAt is not an RFC 3339 time.');
        if ((args.duration === undefined) === (args.endsAt === undefined)) throw new InputError('give exactly one of duration and endsAt.');
        const end = args.endsAt !== undefined ? Date.parse(args.endsAt) : start + durationSeconds(args.duration ?? '') * 1000;
        if (Number.isNaN(end)) throw new InputError('endsAt is not an RFC 3339 time.');
        if (end <= Math.max(start, now))
          throw new InputError('the silence would end before it starts or in the past: choose a later endsAt or a positive duration.');
        if (end - Math.max(start, now) > max * 1000)
          throw new InputError(`silences may last at most ${formatSeconds(max)} here (silences.maxDuration): shorten it.`);
        // The author is the authenticated caller, never a client-supplied name: the silence log stays attributable.
        const createdBy = `${ctx.identity.id} (cnmcp)`;
        const body = { matchers, startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString(), createdBy, comment: args.comment };
        const answer = (await deps.client.request({ method: 'POST', path: '/api/v2/silences', body }, ctx.signal)) as { silenceID?: string } | undefined;
        if (!answer?.silenceID) throw new BackendError(`${deps.client.label} accepted the silence but returned no id: list silences to find it.`);
        ctx.logger.info('silence created', { silenceId: answer.silenceID, endsAt: body.endsAt, matchers: matchers.length });
        const silenced = ((await deps.client.request({ path: '/api/v2/alerts', query: { filter: filterParam(args.matchers) } }, ctx.signal)) ??
          []) as unknown[];
        return structuredResult(
          {
            silenceId: answer.silenceID,
            startsAt: body.startsAt,
            endsAt: body.endsAt,
            createdBy,
            matchers: matchers.map((m) => ({ ...m, isEqual: m.isEqual !== false })),
            silencedAlerts: silenced.length,
          },
          `Created silence ${answer.silenceID} {${matchers.map(apiMatcherText).join(', ')}} from ${body.startsAt} to ${body.endsAt}; it matches ${silenced.length} current alert(s). Expire it with alertmanager_expire_silence.`,
        );
      }),
  };
}

export function expireSilenceTool(deps: AmToolDeps): ToolDefinition<{ id: string }> {
  return {
    name: 'alertmanager_expire_silence',
    title: 'Expire a silence',
    description: 'Ends a silence now, so the alerts it covered notify again. Expired silences stay listed until Alertmanager forgets them.',
    inputSchema: {
      type: 'object',
      properties: {
        id: { type: 'string', pattern: UUID, 'x-cnmcp-sanitize': 'filter', description: 'The silence id (a UUID), from alertmanager_list_silences.' },
      },
      required: ['id'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: { id: { type: 'string' }, previousState: { type: 'string' }, silence: silenceOutput },
      required: ['id', 'previousState'],
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    handler: (args, ctx) =>
      guarded(async () => {
        const path = `/api/v2/silence/${encodeURIComponent(args.id)}`;
        let before: AmSilence;
        try {
          before = (await deps.client.request({ path }, ctx.signal)) as AmSilence;
        } catch (error) {
          if (error instanceof BackendError && error.status === 404)
            return toolError(`No silence with id ${args.id}: list silences with alertmanager_list_silences to find the id.`);
          throw error;
        }
        if (before.status.state === 'expired') {
          return structuredResult(
            { id: args.id, previousState: 'expired', silence: view(before) },
            `Silence ${args.id} had already expired at ${before.endsAt}; nothing changed.`,
          );
        }
        await deps.client.request({ method: 'DELETE', path }, ctx.signal);
        ctx.logger.info('silence expired', { silenceId: args.id });
        return structuredResult(
          { id: args.id, previousState: before.status.state, silence: view(before) },
          `Expired silence ${args.id} (was ${before.status.state}, {${before.matchers.map(apiMatcherText).join(', ')}}, by ${before.createdBy}).`,
        );
      }),
  };
}

export function formatSeconds(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
