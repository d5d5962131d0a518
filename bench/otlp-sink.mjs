// A stand-in OpenTelemetry collector for the full-pipeline rows: it accepts every OTLP/HTTP export and discards it.
// A real receiver matters: against a closed port the exporter retries, its queue fills and spans are dropped
// unencoded, so the server would skip most of what tracing costs. This one answers at once, in the bench's process.
import { createServer } from 'node:http';

/** Starts the sink on a free loopback port. Returns { url, stats(), close() }; stats counts exports and bytes. */
export async function startOtlpSink() {
  let exports = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk) => (bytes += chunk.length));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') exports++;
      // An empty ExportTraceServiceResponse: full success, nothing rejected.
      res.writeHead(req.method === 'POST' ? 200 : 405, { 'content-type': 'application/x-protobuf', 'content-length': 0 });
      res.end();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve); // loopback only
  });
  server.unref();
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/traces`,
    stats: () => ({ exports, bytes }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
