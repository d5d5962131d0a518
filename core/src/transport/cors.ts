import type { IncomingMessage, ServerResponse } from 'node:http';

/** `server.cors` as validated: which browser origins may read responses, and what their preflights may ask for. */
export interface CorsConfig {
  readonly origins: readonly string[];
  readonly methods: readonly string[];
  readonly headers: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
  readonly credentials: boolean;
}

/**
 * CORS response headers for an origin listed in `server.cors.origins` (or any, with `*`). The Origin has already
 * passed the guard's own check by the time a response is read, so this only widens what a browser may read.
 */
export class Cors {
  readonly #config: CorsConfig;
  readonly #any: boolean;
  readonly #origins: ReadonlySet<string>;

  constructor(config: CorsConfig) {
    this.#config = config;
    this.#any = config.origins.includes('*');
    this.#origins = new Set(config.origins);
  }

  /** Sets the headers of an actual (non-preflight) response. */
  decorate(req: IncomingMessage, res: ServerResponse): void {
    const origin = this.#allowed(req);
    if (!origin) return;
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (origin !== '*') res.setHeader('Vary', 'Origin');
    if (this.#config.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (this.#config.exposeHeaders.length > 0) res.setHeader('Access-Control-Expose-Headers', this.#config.exposeHeaders.join(', '));
  }

  /** Answers a preflight: 204 with the allowed methods and headers, or 204 without them for an origin not listed. */
  preflight(req: IncomingMessage, res: ServerResponse): void {
    this.decorate(req, res);
    if (this.#allowed(req)) {
      res.setHeader('Access-Control-Allow-Methods', this.#config.methods.join(', '));
      res.setHeader('Access-Control-Allow-Headers', this.#config.headers.join(', '));
      res.setHeader('Access-Control-Max-Age', String(this.#config.maxAgeSeconds));
    }
    res.writeHead(204).end();
  }

  #allowed(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (!origin) return undefined;
    if (this.#origins.has(origin)) return origin;
    // The config check refuses `*` with credentials: reflecting any origin with credentials would expose every user.
    if (this.#any) return '*';
    return undefined;
  }
}

/** A CORS preflight: OPTIONS with an Origin and the method the browser wants to send. */
export const isPreflight = (req: IncomingMessage): boolean =>
  req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;
