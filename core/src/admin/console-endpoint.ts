import type { IncomingMessage } from 'node:http';
import type { AuditSink } from '../plugin/ports/audit-sink.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { ConsoleEndpoint } from '../transport/http-server.js';
import { jsonAnswer, type HttpAnswer } from '../transport/http-answer.js';
import { activityOf, rangeFromQuery } from './activity-series.js';
import { CONSOLE_CSP, type ConsoleAsset } from './console-assets.js';
import { statusOf, type StatusSources } from './console-status.js';
import { searchEvents, searchFromQuery } from './event-search.js';

export interface ConsoleDeps {
  readonly assets: ReadonlyMap<string, ConsoleAsset>;
  /** The first audit sink that can query, if any. */
  readonly sink?: AuditSink;
  /** The audit log's HMAC of a value (auditing.hmacKey): how the log stores sensitive values, and how search finds them. */
  readonly hmac: (value: string) => string;
  /** `admin.console.tracingUrl`, with `{traceId}`. */
  readonly tracingUrl?: string;
  readonly status: StatusSources;
}

/** Filters worth recording in the audit trail of a view (the search text only as its HMAC, never as typed). */
const RECORDED_FILTERS = ['since', 'until', 'type', 'actor', 'tool', 'outcome', 'ip', 'after'] as const;

/**
 * The admin console: a bundled single-page app under /admin/ and the JSON it reads under /admin/api/. Read-only:
 * the HTTP server refuses every method but GET before anything else runs, and the pipeline has already
 * authenticated the caller and checked `console:read`. Every page load and every data view is audited as
 * `console.view`.
 */
export function createConsole(deps: ConsoleDeps): ConsoleEndpoint {
  const index = deps.assets.get('index.html')!;
  return {
    serves: (path) => path === '/admin' || path === '/admin/' || path.startsWith('/admin/assets/') || path.startsWith('/admin/api/'),

    async handle(req, url, ctx) {
      const answer = await answerOf(req, url, ctx);
      return { ...answer, headers: { ...answer.headers, ...CONSOLE_HEADERS } };
    },
  };

  async function answerOf(req: IncomingMessage, url: URL, ctx: RequestContext): Promise<HttpAnswer> {
    const path = url.pathname;
    if (path === '/admin' || path === '/admin/') {
      view(ctx, { view: 'page' });
      return assetAnswer(index);
    }
    if (path.startsWith('/admin/assets/')) {
      const asset = deps.assets.get(path.slice('/admin/assets/'.length));
      return asset && asset !== index ? assetAnswer(asset) : json(404, { error: 'no such asset' });
    }
    // Data is for the console's own scripts: a page on another site may link here, but never read or embed it.
    if (!sameOrigin(req)) {
      view(ctx, { view: path, refused: 'cross-site request' });
      return json(403, { error: 'the console API answers requests from its own pages only' });
    }
    return api(path, url.searchParams, ctx, deps);
  }
}

const CONSOLE_HEADERS = {
  'Content-Security-Policy': CONSOLE_CSP,
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

async function api(path: string, params: URLSearchParams, ctx: RequestContext, deps: ConsoleDeps): Promise<HttpAnswer> {
  switch (path) {
    case '/admin/api/me':
      view(ctx, { view: 'me' });
      return json(200, {
        identity: { id: ctx.identity.id, authMethod: ctx.identity.authMethod, roles: ctx.identity.roles },
        ...(deps.tracingUrl ? { tracingUrl: deps.tracingUrl } : {}),
        auditQueryable: deps.sink !== undefined,
      });
    case '/admin/api/events': {
      view(ctx, { view: 'events', filters: recordedFilters(params, deps.hmac) });
      if (!deps.sink) return noSink();
      const search = searchFromQuery(params);
      if (typeof search === 'string') return json(400, { error: search });
      return json(200, await searchEvents(deps.sink, search, deps.hmac));
    }
    case '/admin/api/activity': {
      view(ctx, { view: 'activity', filters: recordedFilters(params, deps.hmac) });
      if (!deps.sink) return noSink();
      const range = rangeFromQuery(params);
      if (typeof range === 'string') return json(400, { error: range });
      return json(200, await activityOf(deps.sink, range.from, range.to));
    }
    case '/admin/api/status':
      view(ctx, { view: 'status' });
      return json(200, await statusOf(deps.status));
    default:
      return json(404, { error: `no console API at ${path}` });
  }
}

/** Marks this request for the loop's audit record (run-pipeline.ts): one `console.view` event per view. */
function view(ctx: RequestContext, details: Record<string, unknown>): void {
  Object.assign(ctx, { auditAs: 'console.view', auditDetails: details });
}

function recordedFilters(params: URLSearchParams, hmac: (value: string) => string): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const name of RECORDED_FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const text = params.get('q');
  if (text) filters.q = hmac(text);
  return filters;
}

/**
 * Fetch metadata: browsers say where a request comes from. Absent (curl, scripts) is allowed: they hold the
 * credential themselves, which is what authentication already checked.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

const noSink = () => json(404, { error: 'no configured audit sink can be queried (configure a file or postgres sink)' });

const assetAnswer = (asset: ConsoleAsset): HttpAnswer => ({
  status: 200,
  headers: { 'Content-Type': asset.type, 'Content-Length': asset.body.length },
  body: asset.body,
});

const json = (status: number, body: unknown) => jsonAnswer(status, body, 'application/json; charset=utf-8');
