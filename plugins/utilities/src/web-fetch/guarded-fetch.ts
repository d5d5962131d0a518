import type { IncomingHttpHeaders } from 'node:http';
import { classifyAddress } from './address-class.js';
import { openRequest } from './open-request.js';
import { readLimitedBody } from './read-body.js';
import { headersForRedirect } from './request-headers.js';
import { checkAddress, checkHostname, guardedLookup, type Resolver, type SsrfPolicy } from './ssrf-guard.js';
import { WebFetchError } from './web-fetch-error.js';

export interface GuardedFetchOptions {
  readonly method: 'GET' | 'HEAD';
  /** Already checked by buildRequestHeaders. */
  readonly headers: Readonly<Record<string, string>>;
  readonly policy: SsrfPolicy;
  readonly resolver: Resolver;
  readonly maxBytes: number;
  /** For the whole fetch: every hop and the body. */
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** The caller's cancellation (the tool call's signal). */
  readonly signal: AbortSignal;
}

export interface FetchResponse {
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly truncated: boolean;
  readonly redirects: readonly string[];
}

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches `start` through the SSRF guard, following redirects itself so that every hop is checked like the
 * first. Throws WebFetchError with a message for the model.
 */
export async function guardedFetch(start: URL, options: GuardedFetchOptions): Promise<FetchResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const cancel = () => controller.abort();
  options.signal.addEventListener('abort', cancel, { once: true });
  if (options.signal.aborted) cancel();
  try {
    return await follow(start, options, controller.signal);
  } catch (error) {
    if (timedOut) throw new WebFetchError('TIMEOUT', `timed out after ${options.timeoutMs} ms.`);
    if (options.signal.aborted) throw new WebFetchError('CANCELLED', 'the fetch was cancelled.');
    if (error instanceof WebFetchError) throw error;
    throw new WebFetchError('NETWORK', networkMessage(error));
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', cancel);
  }
}

async function follow(start: URL, options: GuardedFetchOptions, signal: AbortSignal): Promise<FetchResponse> {
  const redirects: string[] = [];
  let headers = { ...options.headers };
  let url = start;
  for (;;) {
    checkTarget(url, options.policy, redirects.length > 0);
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const lookup = guardedLookup(options.policy, hostname, options.resolver);
    const res = await openRequest({ url, method: options.method, headers, lookup, signal });
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECTS.has(status) && location) {
      res.destroy(); // a redirect's body is never wanted
      if (redirects.length >= options.maxRedirects) {
        throw new WebFetchError(
          'TOO_MANY_REDIRECTS',
          `more than ${options.maxRedirects} redirects (webFetch.maxRedirects); last hop was ${shorten(url.href)}.`,
        );
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new WebFetchError('BAD_REDIRECT', `${shorten(url.href)} redirected to an invalid URL.`);
      }
      headers = headersForRedirect(headers, url, next);
      redirects.push(next.href);
      url = next;
      continue;
    }
    const { body, truncated } = options.method === 'HEAD' ? { body: Buffer.alloc(0), truncated: false } : await readLimitedBody(res, options.maxBytes, signal);
    return { url: url.href, status, statusText: res.statusMessage ?? '', headers: res.headers, body, truncated, redirects };
  }
}

/** Everything that can be refused before a socket opens: scheme, credentials, hostname rules, IP literals. */
function checkTarget(url: URL, policy: SsrfPolicy, isRedirect: boolean): void {
  const code = isRedirect ? 'BAD_REDIRECT' : 'BAD_URL';
  const prefix = isRedirect ? `redirect to ${shorten(url.href)} refused: ` : '';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebFetchError(code, `${prefix}only http and https URLs can be fetched, not "${url.protocol}".`);
  }
  if (url.username || url.password) {
    throw new WebFetchError(code, `${prefix}URLs with embedded credentials are refused; send an Authorization header instead.`);
  }
  const byName = checkHostname(policy, url.hostname);
  if (!byName.allowed) throw new WebFetchError('BLOCKED', `${prefix}${byName.reason}`);
  // node:http does not call `lookup` for an IP literal, so the literal is checked here.
  if (classifyAddress(url.hostname)) {
    const verdict = checkAddress(policy, url.hostname, url.hostname);
    if (!verdict.allowed) throw new WebFetchError('BLOCKED', `${prefix}${verdict.reason}`);
  }
}

function networkMessage(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOTFOUND') return 'the host name could not be resolved.';
  if (code === 'ECONNREFUSED') return 'the connection was refused.';
  return `the request failed: ${message}${code ? ` (${code})` : ''}`;
}

function shorten(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
