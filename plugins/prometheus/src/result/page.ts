import { createHash } from 'node:crypto';

/** Result sizing of one pack: what `limit` is when omitted, and the most it may be. */
export interface PageLimits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Items in the whole (filtered) answer. */
  readonly total: number;
  /** Token for the next page; undefined on the last page. */
  readonly continue?: string;
}

/** The `limit` and `continue` input properties of a list tool. */
export function pageProperties(limits: PageLimits): Record<string, unknown> {
  return {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: limits.maxLimit,
      default: limits.defaultLimit,
      description: `Most items returned (default ${limits.defaultLimit}, at most ${limits.maxLimit}). When more exist the answer says so and gives a \`continue\` token.`,
    },
    continue: {
      type: 'string',
      maxLength: 512,
      pattern: '^[A-Za-z0-9_-]+$',
      'x-cnmcp-sanitize': 'raw',
      description: 'The `continue` token of the previous answer, to get the next page. Pass the same other arguments.',
    },
  };
}

/** The paging fields of an outputSchema. */
export const PAGE_OUTPUT = {
  total: { type: 'integer', description: 'Items matching, across all pages.' },
  returned: { type: 'integer', description: 'Items in this answer.' },
  truncated: { type: 'boolean', description: 'True when more items exist than this answer holds.' },
  continue: { type: 'string', description: 'Pass as `continue` (with the same other arguments) for the next page.' },
} as const;

export class PageTokenError extends Error {}

/**
 * Cuts one page out of a full, stably ordered answer. The token binds the offset to the tool and its other
 * arguments, so a token replayed with a different query is refused instead of silently skipping items.
 * Backends have no cursors: each page is cut from a fresh answer, so items can shift between pages if the data changes.
 */
export function paginate<T>(items: readonly T[], tool: string, args: Record<string, unknown>, limits: PageLimits): Page<T> {
  const limit = Math.min(typeof args.limit === 'number' && args.limit >= 1 ? Math.floor(args.limit) : limits.defaultLimit, limits.maxLimit);
  const binding = bindingOf(tool, args);
  const offset = typeof args.continue === 'string' && args.continue !== '' ? offsetOf(args.continue, binding) : 0;
  const slice = items.slice(offset, offset + limit);
  const next = offset + slice.length;
  return { items: slice, total: items.length, ...(next < items.length ? { continue: tokenOf(next, binding) } : {}) };
}

/** The paging fields of a structured answer. */
export function pageFields(page: Page<unknown>): Record<string, unknown> {
  return { total: page.total, returned: page.items.length, truncated: page.continue !== undefined, ...(page.continue ? { continue: page.continue } : {}) };
}

/** The sentence every list answer ends with, so truncation is always stated. */
export function pageNote(page: Page<unknown>, noun: string): string {
  if (page.continue === undefined) return `${page.items.length} of ${page.total} ${noun}.`;
  return `Showing ${page.items.length} of ${page.total} ${noun} (truncated). For the next page call again with continue: "${page.continue}".`;
}

function bindingOf(tool: string, args: Record<string, unknown>): string {
  const rest = Object.fromEntries(
    Object.entries(args)
      .filter(([k]) => k !== 'continue' && k !== 'limit')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return createHash('sha256')
    .update(`${tool}\n${JSON.stringify(rest)}`)
    .digest('base64url')
    .slice(0, 16);
}

function tokenOf(offset: number, binding: string): string {
  return Buffer.from(JSON.stringify({ o: offset, b: binding }), 'utf8').toString('base64url');
}

function offsetOf(token: string, binding: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new PageTokenError('the continue token is malformed: pass the token of the previous answer unchanged, or omit it to start over.');
  }
  const { o, b } = (parsed ?? {}) as { o?: unknown; b?: unknown };
  if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0 || typeof b !== 'string') {
    throw new PageTokenError('the continue token is malformed: pass the token of the previous answer unchanged, or omit it to start over.');
  }
  if (b !== binding)
    throw new PageTokenError('the continue token belongs to a call with other arguments: repeat the arguments of that call, or omit continue to start over.');
  return o;
}
