// npm run bench [-- --duration 10 --connections 10,50 --only a,b1,b2,c,d,e,f,g --warmup 1 --soak 0 --node-defaults]
// --duration is the measured load per server, shared by its connection levels; the warm-up runs once per server.
// Benchmarks tools/call of an echo tool on: (a) raw node:http, (b1) bare SDK v1, (b2) bare SDK v2, (c) fastmcp,
// (d) cnmcp with no stages, (e) cnmcp with the full pipeline, (f) the full pipeline on Redis and PostgreSQL (one
// replica of a scale-out deployment; only with BENCH_REDIS_URL and BENCH_POSTGRES_URL), (g) the full pipeline under the
// strip-mode sanitizer attack (256 KiB of nested <scr<script>ipt>). One server at a time, loopback only;
// see bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from './load.mjs';
import { startOtlpSink } from './otlp-sink.mjs';
import { stdioFirstAnswerMs, utilitiesStartMs } from './startup.mjs';
import {
  NotBuiltError,
  ROOT,
  backgroundCpuPercent,
  cpuMs,
  freePort,
  httpOnce,
  killChildrenOnExit,
  pinCpus,
  useServerNode,
  rssMb,
  startServer,
  stopAll,
  stopServer,
} from './processes.mjs';

const REQUESTS = JSON.parse(readFileSync(join(ROOT, 'bench/requests.json'), 'utf8')); // from capture-requests.mjs
const TEXT = REQUESTS.text;
const BUSY_PERCENT = 10; // CPU use by other processes, sampled before each server, above which results are flagged

// The full pipeline's API key: random per run, handed to the server through its environment only.
const API_KEY = randomBytes(32).toString('base64url');

/** A cnmcp row: `cnmcp serve` on a config written for this run (`body` adds stages to the echo pack). */
function cnmcpServer(key, name, configName, body, extra = {}) {
  return {
    key,
    name,
    shape: '2026-07-28',
    args: (port) => ['core/dist/cli/main.js', 'serve', '--config', writeCnmcpConfig(configName, port, body)],
    readyz: true,
    notBuilt: /under construction/,
    imageRuntime: true,
    ...extra,
  };
}

/**
 * The runtime settings of the container image (deploy/Dockerfile's ENV): glibc's arena count and the V8 heap
 * sizes in NODE_OPTIONS. The cnmcp rows run with them, as a replica does, unless --node-defaults; the other
 * servers run with Node's defaults.
 */
function imageRuntimeEnv() {
  const dockerfile = readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8');
  const arenas = /\bMALLOC_ARENA_MAX=(\d+)/.exec(dockerfile)?.[1];
  const nodeOptions = /\bNODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1];
  if (!arenas || nodeOptions === undefined) fail('deploy/Dockerfile: MALLOC_ARENA_MAX or NODE_OPTIONS not found in its ENV');
  return { MALLOC_ARENA_MAX: arenas, NODE_OPTIONS: nodeOptions };
}

// The full pipeline's rows authenticate with the run's API key.
const WITH_API_KEY = { headers: { 'x-api-key': API_KEY }, env: { BENCH_API_KEY: API_KEY } };

// (g): the attack on the strip-mode sanitizer: a 256 KiB argument of `<scr` x 32768, `<script>`, `ipt>` x 32768.
// Every removal joins the next `<script>`, so a filter that strips by repeated replacement does quadratic work
// (10-15 s of blocked event loop per call before the fix). The answer is the strip rule applied to the first
// `maxLength` (1000) code points, which are `<scr` x 250: the tool gets `scr` x 250.
const NESTED = 32_768;
const ADVERSARIAL = {
  text: `${'<scr'.repeat(NESTED)}<script>${'ipt>'.repeat(NESTED)}`,
  expect: 'scr'.repeat(250),
};

const SERVERS = [
  { key: 'a', name: 'raw-http', shape: '2026-07-28', args: () => ['bench/servers/raw-http.mjs'] },
  { key: 'b1', name: 'sdk-v1', shape: '2025-11-25', args: () => ['bench/servers/sdk-v1.mjs'] },
  { key: 'b2', name: 'sdk-v2', shape: '2026-07-28', args: () => ['bench/servers/sdk-v2.mjs'] },
  // fastmcp 4 sits on SDK v1 and speaks the 2025 revisions only.
  { key: 'c', name: 'fastmcp', shape: '2025-11-25', args: () => ['bench/servers/fastmcp.mjs'] },
  cnmcpServer('d', 'cnmcp', 'cnmcp-echo', bareConfig),
  cnmcpServer('e', 'cnmcp-full', 'cnmcp-full', fullConfig, WITH_API_KEY),
  // One replica of a scale-out deployment: it needs the Redis and PostgreSQL servers the replicas would share.
  cnmcpServer('f', 'cnmcp-shared', 'cnmcp-shared', sharedConfig, { ...WITH_API_KEY, needs: ['BENCH_REDIS_URL', 'BENCH_POSTGRES_URL'] }),
  // The full pipeline under the sanitizer attack above: what one adversarial call costs, and that /readyz stays up.
  cnmcpServer('g', 'cnmcp-adversarial', 'cnmcp-adversarial', fullConfig, { ...WITH_API_KEY, text: ADVERSARIAL.text, expect: ADVERSARIAL.expect }),
];

const runnable = (server) => (server.needs ?? []).every((name) => process.env[name]);

function parseOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      connections: { type: 'string', default: '10,50' },
      soak: { type: 'string', default: '0' },
      profile: { type: 'string' },
      pin: { type: 'boolean', default: false },
      node: { type: 'string' },
      'node-defaults': { type: 'boolean', default: false },
      only: {
        type: 'string',
        default: SERVERS.filter(runnable)
          .map((s) => s.key)
          .join(','),
      },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run bench -- [--duration SECONDS] [--warmup SECONDS] [--connections 10,50] [--only a,b1,b2,c,d,e,f,g] [--soak SECONDS] [--profile DIR] [--pin] [--node PATH] [--node-defaults]',
    );
    process.exit(0);
  }
  const seconds = (name, min) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min || n > 600) fail(`--${name} must be a number of seconds between ${min} and 600`);
    return n;
  };
  const connections = values.connections.split(',').map(Number);
  if (connections.some((c) => !Number.isInteger(c) || c < 1 || c > 1000)) fail('--connections must be a comma-separated list of integers 1..1000');
  const only = values.only.split(',').map((s) => s.trim());
  const unknown = only.filter((k) => !SERVERS.some((s) => s.key === k));
  if (unknown.length > 0) fail(`--only: unknown server ${unknown.join(', ')} (known: ${SERVERS.map((s) => s.key).join(', ')})`);
  const unmet = SERVERS.filter((s) => only.includes(s.key) && !runnable(s));
  for (const s of unmet) fail(`--only ${s.key}: ${s.name} needs ${s.needs.join(' and ')} in the environment (see bench/README.md)`);
  const soak = Number(values.soak);
  if (!Number.isFinite(soak) || soak < 0 || soak > 3600) fail('--soak must be a number of seconds between 0 and 3600 (0: no soak)');
  return {
    duration: seconds('duration', 1),
    warmup: seconds('warmup', 0),
    connections,
    soak,
    profile: values.profile,
    pin: values.pin,
    node: values.node,
    // What the cnmcp rows run with besides their own variables: the image's settings, or none (Node's defaults).
    runtimeEnv: values['node-defaults'] ? {} : imageRuntimeEnv(),
    servers: SERVERS.filter((s) => only.includes(s.key)),
  };
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

let configDir;
/** Where the full-pipeline rows export their spans (started in main). */
let otlpSink;
/** A cnmcp config, with this run's port, in the run's temp dir; the plugin path is absolute so it resolves from there. */
function writeCnmcpConfig(name, port, body) {
  configDir ??= mkdtempSync(join(tmpdir(), 'cnmcp-bench-'));
  const file = join(configDir, `${name}.config.yaml`);
  writeFileSync(
    file,
    `# written by bench/run.mjs\nserver:\n  listen: "127.0.0.1:${port}"\ntoolPacks:\n  - use: ${JSON.stringify(join(ROOT, 'bench/echo-pack.mjs'))}\n${body(configDir)}`,
  );
  return file;
}

/** (d): nothing but the tool pack (no auth on loopback, no audit sink, default logging). */
function bareConfig() {
  return '';
}

/**
 * (e): every stage on. Limits are far above what the load generator can reach, so they count on every request
 * and never refuse one; the audit file is fail-closed, so no answer leaves before its record is written.
 */
function fullConfig(dir) {
  const auditDir = join(dir, `audit-${Date.now()}`);
  mkdirSync(auditDir, { mode: 0o700 });
  return pipelineConfig('rateLimit: { use: memory }', `  - { use: file, path: ${JSON.stringify(join(auditDir, 'audit.jsonl'))}, failClosed: true }`);
}

/** (f): the full pipeline with the shared stores of a scale-out deployment: limits in Redis, audit in PostgreSQL. */
function sharedConfig() {
  return pipelineConfig(
    "rateLimit: { use: redis, url: '${env:BENCH_REDIS_URL}' }",
    "  - { use: postgres, url: '${env:BENCH_POSTGRES_URL}', failClosed: true }",
  );
}

function pipelineConfig(rateLimit, auditSink) {
  const many = { points: 1_000_000_000, durationSeconds: 60 };
  return [
    'auth:',
    '  - use: apikey',
    "    keys: [{ id: bench, key: '${env:BENCH_API_KEY}', roles: [caller] }]",
    'authorization:',
    '  use: rbac',
    '  roles:',
    "    caller: { tools: ['echo'] }",
    rateLimit,
    'limits:',
    `  perIp: ${JSON.stringify(many)}`,
    `  perIdentity: ${JSON.stringify(many)}`,
    `  perTool: [${JSON.stringify({ tools: '*', ...many })}]`,
    'sanitize: { use: injection-filter }',
    'audit:',
    auditSink,
    // Every span is recorded, batched, encoded and sent to the bench's own OTLP sink (otlp-sink.mjs), which takes
    // each export and drops it: tracing's whole cost on the server, none of a collector's.
    'telemetry:',
    `  tracing: { exporter: otlp, otlp: { endpoint: '${otlpSink.url}', timeoutMs: 1000 } }`,
    '  metrics: { enabled: true }',
    '',
  ].join('\n');
}

/** The JSON-RPC messages of a response: a JSON body, or the `data:` lines of an SSE body. */
function messagesOf(res) {
  const type = String(res.headers['content-type'] ?? '');
  if (type.startsWith('text/event-stream')) {
    return res.body
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => JSON.parse(line.slice(5)));
  }
  const parsed = JSON.parse(res.body);
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** Undefined when `res` is a correct echo of the request (`expected` back); otherwise what is wrong with it. */
function echoProblem(res, request, expected = TEXT) {
  if (res.status < 200 || res.status > 299) return `HTTP ${res.status}`;
  let messages;
  try {
    messages = messagesOf(res);
  } catch (error) {
    return `unparseable body (${error.message})`;
  }
  const id = JSON.parse(request.body).id;
  const reply = messages.find((m) => m && m.id === id && ('result' in m || 'error' in m));
  if (!reply) return `no JSON-RPC response with id ${id}`;
  if (reply.error) return `JSON-RPC error ${JSON.stringify(reply.error)}`;
  const { content, isError } = reply.result;
  if (isError) return `tool error ${JSON.stringify(content)}`;
  if (content?.length !== 1 || content[0].type !== 'text' || content[0].text !== expected) return `wrong content ${JSON.stringify(content).slice(0, 200)}`;
  return undefined;
}

/** Per-response check during load: a cheap substring test, with the full parse as fallback. */
function bodyChecker(request, expected = TEXT) {
  const needle = `"text":${JSON.stringify(expected)}`;
  const fakeRes = (body) => ({ status: 200, headers: { 'content-type': body.startsWith('{') ? 'application/json' : 'text/event-stream' }, body });
  return (body) =>
    (body.includes(needle) && body.includes('"result"') && !body.includes('"isError":true')) || echoProblem(fakeRes(body), request, expected) === undefined;
}

/** The captured request of the server's shape, with its extra headers and, for (g), its own argument text. */
function requestFor(server) {
  const captured = REQUESTS[server.shape];
  const request = { ...captured, headers: { ...captured.headers, ...server.headers } };
  if (server.text === undefined) return request;
  const body = JSON.parse(captured.body);
  body.params.arguments.text = server.text;
  return { ...request, body: JSON.stringify(body) };
}

async function benchServer(server, opts, log) {
  const request = requestFor(server);
  const expected = server.expect ?? TEXT;
  const port = await freePort();
  const isReady = server.readyz
    ? async (p) => (await httpOnce(p, { path: '/readyz' }, 500)).status === 200
    : async (p) => {
        const res = await httpOnce(p, request, 500);
        return res.status >= 200 && res.status < 300;
      };
  const runtime = server.imageRuntime ? opts.runtimeEnv : {};
  const env = { BENCH_ECHO_TEXT: TEXT, BENCH_REQUEST_ID: JSON.stringify(JSON.parse(request.body).id), ...runtime, ...server.env };
  // --profile DIR: each server writes a V8 CPU profile (start-up included) into DIR when it exits.
  const profile = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`, `--cpu-prof-name=${server.name}.cpuprofile`] : [];
  const proc = await startServer({ name: server.name, args: [...profile, ...server.args(port)], port, env, isReady, notBuilt: server.notBuilt });
  const exportedBefore = otlpSink.stats();
  let calls = 0;
  try {
    const check = await httpOnce(port, request);
    const problem = echoProblem(check, request, expected);
    if (problem)
      throw new Error(
        `tools/call did not return a correct echo: ${problem}\nHTTP ${check.status} ${JSON.stringify(check.headers)}\n${check.body.slice(0, 2000)}`,
      );
    log(`${server.name}: ready in ${proc.readyMs.toFixed(0)} ms, echo verified (${server.shape} request)`);
    const rows = [];
    const isGood = bodyChecker(request, expected);
    // Once per server, at the first level: the JIT stays warm for the next.
    if (opts.warmup > 0) calls += (await runLoad({ port, request, connections: opts.connections[0], durationSec: opts.warmup, isGood })).requests;
    const perLevel = opts.duration / opts.connections.length;
    for (const connections of opts.connections) {
      const cpuBefore = cpuMs(proc.pid);
      const result = await runLoad({ port, request, connections, durationSec: perLevel, isGood });
      const cpu = cpuMs(proc.pid) - cpuBefore;
      const row = { server: server.name, connections, ...result, cpuUsPerCall: (1000 * cpu) / result.requests, rssMb: rssMb(proc.pid), readyMs: proc.readyMs };
      log(
        `${server.name} @${connections}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms, ${row.cpuUsPerCall.toFixed(0)} µs CPU/call, errors ${row.errors}`,
      );
      rows.push(row);
      calls += result.requests;
    }
    if (opts.soak > 0 && server.key === SOAK_KEY) {
      soakRows.push(...(await soak({ port, request, isGood, pid: proc.pid, seconds: opts.soak, log })));
      calls += soakRows.at(-1).calls;
    }
    return rows;
  } finally {
    await stopServer(proc);
    // A traced row's spans reach the sink in batches, the last at shutdown: the bytes per call show none were dropped.
    const { exports, bytes } = otlpSink.stats();
    if (exports > exportedBefore.exports && calls > 0)
      log(
        `${server.name}: ${exports - exportedBefore.exports} OTLP exports, ${((bytes - exportedBefore.bytes) / calls).toFixed(0)} bytes of spans per call (warm-up included)`,
      );
  }
}

function printTable(rows) {
  const head = ['server', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/call', 'errors', 'RSS MB', 'start-to-ready ms'];
  const body = rows.map((r) => [
    r.server,
    String(r.connections),
    r.rps.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    Number.isFinite(r.cpuUsPerCall) ? r.cpuUsPerCall.toFixed(0) : '?',
    r.errors === 0 ? '0' : `${r.errors} (non-2xx ${r.non2xx}, bad body ${r.badBodies}, socket ${r.socketErrors})`,
    r.rssMb === undefined ? '?' : r.rssMb.toFixed(1),
    r.readyMs.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  body.forEach((b) => console.log(line(b)));
}

const SOAK_KEY = 'e';
const soakRows = [];

/** Keeps 50 connections busy for `seconds`, in ten slices, reading RSS after each: does memory stay flat? */
async function soak({ port, request, isGood, pid, seconds, log }) {
  const slices = [];
  let calls = 0;
  for (let i = 0; i < 10; i++) {
    const result = await runLoad({ port, request, connections: 50, durationSec: seconds / 10, isGood });
    calls += result.requests;
    slices.push({ ...result, calls, rssMb: rssMb(pid), atSec: ((i + 1) * seconds) / 10 });
    log(`soak ${slices.at(-1).atSec.toFixed(0)} s: ${calls} calls, ${result.rps.toFixed(0)} req/s, RSS ${slices.at(-1).rssMb?.toFixed(1)} MB`);
  }
  return slices;
}

function printSoak(slices) {
  if (slices.length === 0) return;
  const name = SERVERS.find((s) => s.key === SOAK_KEY).name;
  console.log(`\nsoak of ${name} at 50 connections, ${slices.at(-1).atSec.toFixed(0)} s:`);
  console.log('  at s    calls  req/s  p99 ms  errors  RSS MB');
  for (const s of slices)
    console.log(
      `  ${s.atSec.toFixed(0).padStart(4)}  ${String(s.calls).padStart(7)}  ${s.rps.toFixed(0).padStart(5)}  ${s.p99.toFixed(2).padStart(6)}  ${String(s.errors).padStart(6)}  ${s.rssMb?.toFixed(1).padStart(6)}`,
    );
  // The first slice includes the heap's growth to its working size; the second half shows whether it keeps growing.
  const first = slices[0].rssMb;
  const half = slices[Math.floor(slices.length / 2) - 1].rssMb;
  const last = slices.at(-1).rssMb;
  const max = Math.max(...slices.map((s) => s.rssMb ?? 0));
  const growth = (from) => `${(100 * (last / from - 1)).toFixed(1)}%`;
  console.log(
    `soak RSS: ${first?.toFixed(1)} MB after the first slice, ${half?.toFixed(1)} MB at half time, ${last?.toFixed(1)} MB at the end (max ${max.toFixed(1)}); ` +
      `growth ${growth(first)} from the first slice, ${growth(half)} over the second half`,
  );
}

/**
 * The comparisons the issue asks for, at 50 connections (or the highest level measured): (e) full pipeline over the
 * faster bare SDK server, and (d) no-stage cnmcp over raw node:http. The last line printed is the first ratio.
 */
function printRatios(rows, connections) {
  const level = connections.includes(50) ? 50 : Math.max(...connections);
  const at = (name) => rows.find((r) => r.server === name && r.connections === level);
  const full = at('cnmcp-full');
  const bare = at('cnmcp');
  const fastestSdk = [at('sdk-v1'), at('sdk-v2')].filter(Boolean).sort((x, y) => y.rps - x.rps)[0];
  const raw = at('raw-http');
  const ratio = (x, y) => (x && y ? (x.rps / y.rps).toFixed(2) : 'n/a');
  console.log(`\nat ${level} connections; bare-sdk = the faster of sdk-v1/sdk-v2${fastestSdk ? ` (${fastestSdk.server})` : ''}:`);
  if (full && fastestSdk)
    console.log(
      `p99 full-pipeline ${full.p99.toFixed(2)} ms vs bare-sdk ${fastestSdk.p99.toFixed(2)} ms: ${full.p99 < fastestSdk.p99 ? 'lower' : 'NOT lower'}`,
    );
  for (const other of ['sdk-v1', 'sdk-v2', 'fastmcp']) if (full && at(other)) console.log(`ratio full-pipeline/${other}: ${ratio(full, at(other))}`);
  // The best bare peer: the fastest of every bare MCP server measured (both SDKs and fastmcp).
  const bestPeer = [at('sdk-v1'), at('sdk-v2'), at('fastmcp')].filter(Boolean).sort((x, y) => y.rps - x.rps)[0];
  if (full && bestPeer) {
    const cpuShare = full.cpuUsPerCall / bestPeer.cpuUsPerCall;
    console.log(
      `CPU per call full-pipeline ${full.cpuUsPerCall.toFixed(0)} µs vs best-peer (${bestPeer.server}) ${bestPeer.cpuUsPerCall.toFixed(0)} µs: 1/${(1 / cpuShare).toFixed(1)}`,
    );
    console.log(`p99 full-pipeline ${full.p99.toFixed(2)} ms vs best-peer ${bestPeer.p99.toFixed(2)} ms: ${full.p99 < bestPeer.p99 ? 'lower' : 'NOT lower'}`);
  }
  console.log(`ratio no-stages/raw-http: ${ratio(bare, raw)}`);
  console.log(`ratio full-pipeline/best-peer: ${ratio(full, bestPeer)}`);
  console.log(`ratio full-pipeline/bare-sdk: ${ratio(full, fastestSdk)}`);
}

async function main() {
  const opts = parseOptions();
  killChildrenOnExit();
  process.once('exit', () => configDir && rmSync(configDir, { recursive: true, force: true }));
  let serversOn = `node ${process.version}`;
  if (opts.node) {
    try {
      serversOn = `servers on node ${useServerNode(opts.node)} (${opts.node}), load generator on node ${process.version}`;
    } catch (error) {
      fail(error.message);
    }
  }
  let pinned = '';
  if (opts.pin) {
    try {
      const { loadCpu, serverCpu } = pinCpus();
      pinned = `; pinned: load generator on CPU ${loadCpu}, each server on CPU ${serverCpu}`;
    } catch (error) {
      fail(error.message);
    }
  }
  const began = performance.now();
  const log = (message) => console.error(`[${((performance.now() - began) / 1000).toFixed(1)}s] ${message}`);
  console.log(
    `cnmcp bench: tools/call echo, ${opts.duration} s of load per server (${(opts.duration / opts.connections.length).toFixed(1)} s per level) after ${opts.warmup} s warm-up, connections ${opts.connections.join(',')}; ` +
      `${serversOn}, ${cpus().length} CPUs, load generator autocannon in this process, each server its own process${pinned}`,
  );
  otlpSink = await startOtlpSink();
  const runtime = Object.entries(opts.runtimeEnv).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  console.log(
    `cnmcp rows run with ${runtime.length > 0 ? `the image's ${runtime.join(' ')}` : "Node's defaults (--node-defaults)"}; the others with Node's defaults`,
  );
  const rows = [];
  const failures = [];
  const busy = [];
  for (const server of opts.servers) {
    const background = await backgroundCpuPercent();
    if (background !== undefined && background > BUSY_PERCENT) busy.push(`${server.name} ${background.toFixed(0)}%`);
    try {
      rows.push(...(await benchServer(server, opts, log)));
    } catch (error) {
      await stopAll();
      if (error instanceof NotBuiltError) console.log(`${server.name}: not built`);
      else {
        console.error(`\nFAILED ${server.name}: ${error.message}\n`);
        failures.push(server.name);
      }
    }
  }
  // Start-up as a user meets it, when cnmcp is built and was asked for (d or e): median of three fresh processes each.
  const startup = [];
  if (opts.servers.some((s) => s.key === 'd' || s.key === 'e')) {
    configDir ??= mkdtempSync(join(tmpdir(), 'cnmcp-bench-'));
    try {
      const line = (what, { ms, cpuMs }) => `${what}: ${ms.toFixed(0)} ms, ${cpuMs.toFixed(0)} ms of its CPU (medians of 3)`;
      startup.push(line('start to ready (utilities pack, HTTP)', await utilitiesStartMs(configDir, 3)));
      startup.push(line('stdio first answer (echo pack, 2026-07-28 tools/call)', await stdioFirstAnswerMs(configDir, REQUESTS['2026-07-28'], 3)));
    } catch (error) {
      if (!(error instanceof NotBuiltError)) startup.push(`start-up not measured: ${error.message}`);
    }
    startup.forEach((line) => log(line));
  }
  console.log('');
  printTable(rows);
  if (startup.length > 0) console.log(`\n${startup.join('\n')}`);
  printSoak(soakRows);
  const errors = rows.reduce((n, r) => n + r.errors, 0) + soakRows.reduce((n, r) => n + r.errors, 0);
  if (busy.length > 0)
    console.log(`\nWARNING: other processes kept the CPUs busy just before: ${busy.join(', ')}; those numbers are unreliable, re-run on a quiet machine.`);
  if (errors > 0) console.log(`\nWARNING: ${errors} requests failed during load; those rows are not comparable.`);
  if (failures.length > 0) {
    console.error(`FAILED: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
  console.log(`\nwall time ${((performance.now() - began) / 1000).toFixed(1)} s`);
  // Last, so a script can take the headline number from the final line.
  printRatios(rows, opts.connections);
}

await main();
