import type { ToolContext } from '@cnmcp/core/plugin';
import { Agent, fetch, type Dispatcher } from 'undici';
import type { BackendSettings } from './backend-config.js';
import { BackendError } from './backend-error.js';

export type QueryValue = string | readonly string[] | undefined;

export interface BackendRequest {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, e.g. `/api/v1/query`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** The path with its variable parts as placeholders (`/api/v2/silence/{id}`), naming the span. Default: `path`. */
  readonly route?: string;
}

/** What a request needs of the tool call: its abort signal and its child spans. */
export type BackendCall = Pick<ToolContext, 'signal' | 'span'>;

/** Largest answer read from a backend; beyond it the call fails asking for a narrower request. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** What every HTTP call to Prometheus or Alertmanager goes through: config-only URL, auth, TLS, timeout, span, errors. */
export interface BackendClient {
  /** The backend's product name and base URL, for messages: "Prometheus at https://prom:9090". */
  readonly label: string;
  /** Sends one request and returns the parsed JSON answer (undefined for an empty body). Throws BackendError. */
  request(request: BackendRequest, call: BackendCall): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * @example
 * const prom = createBackendClient('Prometheus', settings);
 * const answer = await prom.request({ path: '/api/v1/query', query: { query: 'up' } }, ctx);
 */
export function createBackendClient(product: string, settings: BackendSettings): BackendClient {
  const { tls } = settings;
  const dispatcher: Dispatcher = new Agent({
    connect: {
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
      ...(tls.serverName ? { servername: tls.serverName } : {}),
      rejectUnauthorized: !tls.insecureSkipVerify,
    },
  });
  const label = `${product} at ${settings.url}`;
  const base = new URL(settings.url);

  async function send(request: BackendRequest, signal: AbortSignal, traceHeaders: Readonly<Record<string, string>>): Promise<unknown> {
    const url = new URL(`${base.pathname.replace(/\/$/, '')}${request.path}`, base);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      for (const v of typeof value === 'string' ? [value] : value) url.searchParams.append(name, v);
    }
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    // traceparent first: the configured credentials and content type are never overridden by it.
    const headers: Record<string, string> = { ...traceHeaders, accept: 'application/json' };
    if (settings.authorization) headers.authorization = settings.authorization;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const method = request.method ?? 'GET';
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        dispatcher,
        redirect: 'error',
        signal: AbortSignal.any([signal, timeout]),
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      });
    } catch (error) {
      throw unreachable(error, signal, timeout, method, request.path);
    }
    const text = await readBody(response, signal, timeout);
    if (!response.ok) throw httpError(response.status, text, method, request.path);
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BackendError(
        `${label} answered ${method} ${request.path} with something that is not JSON (content-type ${response.headers.get('content-type') ?? 'none'}): check that backend.url points at ${product} itself, not a login page or another service.`,
        response.status,
      );
    }
  }

  async function readBody(response: Awaited<ReturnType<typeof fetch>>, signal: AbortSignal, timeout: AbortSignal): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      // Leaving the loop early cancels the body, so an oversized answer is never buffered whole.
      for await (const chunk of response.body ?? []) {
        size += (chunk as Uint8Array).byteLength;
        if (size > MAX_RESPONSE_BYTES) break;
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    } catch (error) {
      throw unreachable(error, signal, timeout, 'reading the answer of', '');
    }
    if (size > MAX_RESPONSE_BYTES) {
      throw new BackendError(
        `${label} sent more than ${MAX_RESPONSE_BYTES} bytes: narrow the request (a shorter range, a larger step, a more specific selector).`,
        response.status,
      );
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  function unreachable(error: unknown, signal: AbortSignal, timeout: AbortSignal, method: string, path: string): BackendError {
    const what = `${method} ${path}`.trim();
    if (timeout.aborted && !signal.aborted) {
      return new BackendError(
        `${label} did not answer ${what} within ${settings.timeoutMs} ms: check that it is up and not overloaded, narrow the request, or raise backend.timeoutMs.`,
      );
    }
    if (signal.aborted) return new BackendError(`${what} to ${label} was cancelled (the call timed out or the client cancelled it).`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? '';
    const detail = cause?.message ?? (error as Error).message;
    if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(`${code} ${detail}`)) {
      return new BackendError(
        `TLS with ${label} failed (${code || detail}): check backend.tls.ca (the CA that signed its certificate), backend.tls.serverName, and the client certificate if it requires one.`,
      );
    }
    // Redirects are never followed: a backend answering with one is misconfigured, or being impersonated.
    if (/redirect/i.test(detail))
      return new BackendError(`${label} answered ${what} with a redirect, which is not followed: set backend.url to the address it redirects to.`);
    return new BackendError(`Cannot reach ${label} (${code || detail}): check backend.url and that the server is running and reachable from this host.`);
  }

  function httpError(status: number, text: string, method: string, path: string): BackendError {
    const detail = errorDetail(text);
    if (status === 401 || status === 403) {
      return new BackendError(
        `${label} refused ${method} ${path} with HTTP ${status}${detail ? ` (${detail})` : ''}: check backend.auth (the token or user and password).`,
        status,
      );
    }
    if (status === 404)
      return new BackendError(`${label} has no ${path} (HTTP 404): check that backend.url is the ${product} base URL, path prefix included.`, status);
    if (status >= 400 && status < 500)
      return new BackendError(`${product} rejected the request (HTTP ${status}): ${detail || 'no reason given'}. Fix the arguments and call again.`, status);
    return new BackendError(`${label} failed on ${method} ${path} (HTTP ${status}${detail ? `: ${detail}` : ''}): check the server's health and logs.`, status);
  }

  return {
    label,
    request(request, call) {
      const method = request.method ?? 'GET';
      const route = request.route ?? request.path;
      // A child span of the tool call, named by the route: never by argument values.
      return call.span(`${product.toLowerCase()} ${method} ${route}`, async (span) => {
        span.setAttribute('http.request.method', method);
        span.setAttribute('server.address', base.hostname);
        span.setAttribute('url.template', route);
        try {
          return await send(request, call.signal, span.traceHeaders());
        } catch (error) {
          if (error instanceof BackendError && error.status !== undefined) span.setAttribute('http.response.status_code', error.status);
          throw error;
        }
      });
    },
    close: () => dispatcher.close(),
  };
}

// Prometheus answers `{status:"error", errorType, error}`; Alertmanager a JSON string or plain text.
function errorDetail(text: string): string {
  const trimmed = text.trim();
  try {
    const parsed = JSON.parse(trimmed) as unknown;
    if (typeof parsed === 'string') return clip(parsed);
    if (typeof parsed === 'object' && parsed !== null) {
      const p = parsed as { errorType?: unknown; error?: unknown; message?: unknown };
      const message = typeof p.error === 'string' ? p.error : typeof p.message === 'string' ? p.message : '';
      return clip(typeof p.errorType === 'string' && message ? `${p.errorType}: ${message}` : message);
    }
  } catch {
    // Not JSON: use the text as it is.
  }
  return clip(trimmed);
}

const clip = (text: string) => (text.length > 500 ? `${text.slice(0, 500)}...` : text);
