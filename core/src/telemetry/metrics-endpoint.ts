import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseListen } from '../net/listen-address.js';
import type { Logger } from '../plugin/logger.js';

/** The Prometheus text exposition format, version 0.0.4. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Writes one scrape. A failing collection answers 500 and is logged, never half a page. */
export async function serveMetrics(res: ServerResponse, scrape: () => Promise<string>, logger: Logger): Promise<void> {
  let text: string;
  try {
    text = await scrape();
  } catch (error) {
    logger.error('metrics collection failed', { error: (error as Error).message });
    res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics collection failed\n');
    return;
  }
  res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Cache-Control': 'no-store' }).end(text);
}

export interface MetricsListener {
  readonly url: URL;
  close(): Promise<void>;
}

/**
 * `telemetry.metrics.listen`: a plain-HTTP listener that serves only GET /metrics, without auth, for a
 * Prometheus on a private network (or a sidecar) that should not hold an MCP credential.
 */
export async function startMetricsListener(listen: string, scrape: () => Promise<string>, logger: Logger): Promise<MetricsListener> {
  const { host, port } = parseListen(listen);
  const server = createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only /metrics is served here\n');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('GET /metrics\n');
    void serveMetrics(res, scrape, logger);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = new URL(`http://${shown}:${address.port}/metrics`);
  logger.info('metrics listener ready', { url: url.href });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
