import type { ToolDefinition, ToolResult } from '@cnmcp/core/plugin';
import type { WebFetchSettings } from '../config-schema.js';
import { structuredResult, toolError } from '../tool-result.js';
import { bodyText, mediaType } from '../web-fetch/body-text.js';
import { guardedFetch, type FetchResponse } from '../web-fetch/guarded-fetch.js';
import { buildRequestHeaders, HEADER_NAME_PATTERN } from '../web-fetch/request-headers.js';
import { createSsrfPolicy, systemResolver, type Resolver } from '../web-fetch/ssrf-guard.js';
import { WebFetchError } from '../web-fetch/web-fetch-error.js';

export type WebFetchArgs = { url: string; method?: 'GET' | 'HEAD'; headers?: Record<string, string> };

/** Response headers worth showing; others (Set-Cookie above all) stay out of the model's context. */
const HEADERS_OF_INTEREST = ['content-type', 'content-length', 'content-language', 'last-modified', 'etag', 'cache-control'] as const;

export interface WebFetchDeps {
  /** DNS for the guard; tests substitute a fake so no real lookup or public address is involved. */
  readonly resolver?: Resolver;
}

/** Builds the web fetch tool. Throws at setup when an allowHosts/denyHosts entry is malformed. */
export function createWebFetchTool(settings: WebFetchSettings, deps: WebFetchDeps = {}): ToolDefinition<WebFetchArgs> {
  const policy = createSsrfPolicy(settings);
  const resolver = deps.resolver ?? systemResolver;
  return {
    name: 'utilities_web_fetch',
    title: 'Fetch a web page',
    description:
      `Fetches an http or https URL with GET or HEAD and returns the status, content type and body as text (binary bodies are described, not returned). ` +
      `Bodies over ${settings.maxBytes} bytes are cut and marked truncated. Private, loopback and cloud metadata addresses are refused unless the server allows them.`,
    inputSchema: {
      type: 'object',
      properties: {
        // raw: the tool runs the full SSRF guard itself (DNS included, every redirect, honouring webFetch.allowHosts).
        url: { type: 'string', format: 'uri', maxLength: 8192, 'x-cnmcp-sanitize': 'raw', description: 'Absolute http:// or https:// URL to fetch.' },
        method: { type: 'string', enum: ['GET', 'HEAD'], default: 'GET', description: 'HEAD returns status and headers without a body.' },
        headers: {
          type: 'object',
          description:
            'Extra request headers. Host, hop-by-hop headers (Connection, Transfer-Encoding, ...), Content-Length and Accept-Encoding are refused. A redirect to another origin keeps only Accept, Accept-Language, User-Agent, Cache-Control and Pragma: credentials never follow.',
          propertyNames: { pattern: HEADER_NAME_PATTERN, maxLength: 256 },
          additionalProperties: { type: 'string', maxLength: 8192 },
          maxProperties: 32,
        },
      },
      required: ['url'],
      additionalProperties: false,
    },
    outputSchema: {
      type: 'object',
      properties: {
        url: { type: 'string', description: 'The URL that answered, after redirects.' },
        status: { type: 'integer', description: 'HTTP status code.' },
        statusText: { type: 'string' },
        headers: {
          type: 'object',
          description: 'Selected response headers.',
          properties: Object.fromEntries(HEADERS_OF_INTEREST.map((h) => [h, { type: 'string' }])),
          additionalProperties: false,
        },
        redirects: { type: 'array', items: { type: 'string' }, description: 'Each redirect target followed, in order.' },
        bytes: { type: 'integer', description: 'Body bytes read (at most webFetch.maxBytes).' },
        truncated: { type: 'boolean', description: 'True when the body was longer than the limit and was cut.' },
        binary: { type: 'boolean', description: 'True when the body is not text and is therefore not returned.' },
        body: { type: 'string', description: 'The body as text; absent for binary bodies and HEAD.' },
      },
      required: ['url', 'status', 'statusText', 'headers', 'redirects', 'bytes', 'truncated', 'binary'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async handler(args, ctx) {
      let url: URL;
      try {
        url = new URL(String(args.url));
      } catch {
        return toolError(`Cannot fetch: ${JSON.stringify(args.url)} is not an absolute URL.`);
      }
      const method = args.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') return toolError('Cannot fetch: method must be GET or HEAD.');
      const headers = buildRequestHeaders(args.headers);
      if (typeof headers === 'string') return toolError(`Cannot fetch: ${headers}`);
      // Never outlive the kernel's deadline for this call: past it nobody reads the answer.
      const untilDeadline = ctx.deadline - Date.now();
      const timeoutMs = Number.isFinite(untilDeadline) && untilDeadline > 0 ? Math.min(settings.timeoutMs, Math.ceil(untilDeadline)) : settings.timeoutMs;
      // Log the origin only: paths and queries can carry tokens.
      const origin = url.origin;
      try {
        // A CLIENT span named by the method only (the URL is an argument). No traceparent goes out: the site is
        // whatever the caller named, and trace ids are nobody else's business.
        const response = await ctx.span(`web_fetch ${method}`, async (span) => {
          span.setAttribute('http.request.method', method);
          try {
            const answer = await guardedFetch(url, {
              method,
              headers,
              policy,
              resolver,
              maxBytes: settings.maxBytes,
              timeoutMs,
              maxRedirects: settings.maxRedirects,
              signal: ctx.signal,
            });
            span.setAttribute('http.response.status_code', answer.status);
            span.setAttribute('cnmcp.web_fetch.redirects', answer.redirects.length);
            return answer;
          } catch (error) {
            if (error instanceof WebFetchError) span.setAttribute('error.type', error.code);
            throw error;
          }
        });
        ctx.logger.info('web fetch', {
          origin,
          status: response.status,
          bytes: response.body.length,
          truncated: response.truncated,
          redirects: response.redirects.length,
        });
        return toResult(response, method, settings.maxBytes);
      } catch (error) {
        if (!(error instanceof WebFetchError)) throw error;
        ctx.logger[error.code === 'BLOCKED' ? 'warn' : 'info']('web fetch refused or failed', { origin, code: error.code });
        return toolError(`Cannot fetch ${url.href}: ${error.message}`);
      }
    },
  };
}

function toResult(response: FetchResponse, method: 'GET' | 'HEAD', maxBytes: number): ToolResult {
  const headers: Record<string, string> = {};
  for (const name of HEADERS_OF_INTEREST) {
    const value = response.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const contentType = headers['content-type'];
  const text = method === 'HEAD' ? undefined : bodyText(contentType, response.body, response.truncated);
  const binary = method === 'GET' && text === undefined;
  const bytes = response.body.length;
  const data = {
    url: response.url,
    status: response.status,
    statusText: response.statusText,
    headers,
    redirects: [...response.redirects],
    bytes,
    truncated: response.truncated,
    binary,
    ...(text === undefined ? {} : { body: text }),
  };
  const lines = [`HTTP ${response.status} ${response.statusText} from ${response.url}`];
  if (response.redirects.length > 0) lines.push(`after ${response.redirects.length} redirect(s)`);
  lines.push(`content-type: ${contentType ?? '(none)'}`);
  if (method === 'HEAD') lines.push('HEAD request: no body.');
  else if (binary) lines.push(`Binary content (${mediaType(contentType) ?? 'unknown type'}), ${bytes} bytes read; not shown.`);
  else lines.push(`${bytes} bytes${response.truncated ? `; truncated at the ${maxBytes}-byte limit` : ''}`);
  const summary = lines.join('\n');
  return structuredResult(data, text === undefined ? summary : `${summary}\n\n${text}`);
}
