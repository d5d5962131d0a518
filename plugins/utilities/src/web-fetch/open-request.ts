import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface OpenRequestOptions {
  readonly url: URL;
  readonly method: 'GET' | 'HEAD';
  readonly headers: OutgoingHttpHeaders;
  /** The SSRF guard's lookup; node:http calls it for hostnames (IP literals must be checked before). */
  readonly lookup: LookupFunction;
  readonly signal: AbortSignal;
}

/** Sends one request and resolves with the response once its headers arrive; the body is left unread. */
export function openRequest(options: OpenRequestOptions): Promise<IncomingMessage> {
  const { url } = options;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: options.method,
        headers: options.headers,
        lookup: options.lookup,
        signal: options.signal,
        // A fresh agent per request: no pooled socket from an earlier, differently checked hop is ever reused.
        agent: false,
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}
