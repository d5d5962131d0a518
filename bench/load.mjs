// The load generator: autocannon (keep-alive connections, one request in flight per connection),
// run in the orchestrator's process, never in a server's.
import autocannon from 'autocannon';

const HIST_STEP_MS = 0.01; // latency histogram: 10 µs buckets up to 10 s, then one overflow bucket
const HIST_BUCKETS = 1_000_000;
/** Bound on the request count, besides the time bound: far above what loopback on a small box can answer. */
const MAX_REQUESTS_PER_SECOND = 200_000;

/**
 * Drives `connections` keep-alive connections at `port` for `durationSec`, each sending `request`
 * ({ method, path, headers, body }) back to back. A response counts as an error unless it is 2xx and
 * `isGood(body)` holds; socket errors and timeouts count too.
 * Bounded twice: by `durationSec` and by MAX_REQUESTS_PER_SECOND * durationSec requests, whichever comes first.
 * Returns { requests, rps, p50, p99, errors, non2xx, badBodies, socketErrors }; latencies in ms.
 */
export async function runLoad({ port, request, connections, durationSec, isGood }) {
  const hist = new Uint32Array(HIST_BUCKETS + 1);
  let responses = 0;
  let badBodies = 0;
  const maxRequests = Math.ceil(MAX_REQUESTS_PER_SECOND * durationSec);
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`, // loopback only, whatever the caller passes
    connections,
    pipelining: 1,
    duration: durationSec,
    timeout: 10,
    requests: [
      {
        ...request,
        onResponse: (status, body) => {
          if (status >= 200 && status < 300 && !isGood(body)) badBodies++;
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, ms) => {
    if (++responses === maxRequests) instance.stop();
    hist[Math.min(HIST_BUCKETS, Math.floor(ms / HIST_STEP_MS))]++;
  });
  // autocannon stops by itself after `duration`; this is the belt to its braces.
  const guard = setTimeout(() => instance.stop(), (durationSec + 15) * 1000);
  const result = await instance;
  clearTimeout(guard);

  const socketErrors = result.errors + result.timeouts;
  return {
    requests: responses,
    rps: responses / (result.duration || durationSec),
    p50: percentile(hist, responses, 0.5),
    p99: percentile(hist, responses, 0.99),
    errors: result.non2xx + badBodies + socketErrors,
    non2xx: result.non2xx,
    badBodies,
    socketErrors,
  };
}

function percentile(hist, count, q) {
  if (count === 0) return NaN;
  const rank = Math.ceil(q * count);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i];
    if (seen >= rank) return (i + 0.5) * HIST_STEP_MS;
  }
  return NaN;
}
