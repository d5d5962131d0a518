// Scale-out with real components: three `cnmcp serve` processes behind a real haproxy (round-robin, health checks),
// sharing one real Redis (rate limits, lockouts, rotation lease) and one real PostgreSQL (audit). They must behave
// as one server: calls spread over all three, one global limit, one lockout, one audit trail (a hash chain per
// replica) that loses nothing when a replica is SIGKILLed mid-load, and each secret version rotated exactly once.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../cli/run-cli.js';
import { startHaproxy, type TestProxy } from '../support/haproxy-proxy.js';
import { startPostgres, type TestPostgres } from '../support/postgres-server.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const KEYS = { alice: 'Scale-Alice-Key-0042!', bob: 'Scale-Bob-Key-0042!x', carol: 'Scale-Carol-Key-0042!', dave: 'Scale-Dave-Key-0042!y' };
const TOOL_LIMIT = 30;
const LOCKOUT_ATTEMPTS = 6;

interface Replica {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
}

let redis: TestRedis;
let postgres: TestPostgres;
let proxy: TestProxy;
let db: pg.Pool;
let dir: string;
let config: string;
let env: NodeJS.ProcessEnv;
const replicas: Replica[] = [];

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  dir = mkdtempSync(join(tmpdir(), 'cnmcp-scale-'));
  config = join(dir, 'cnmcp.config.yaml');
  writeFileSync(
    config,
    [
      'server: { trustedProxies: [127.0.0.1] }',
      'auth:',
      '  - use: apikey',
      '    keys:',
      ...Object.entries(KEYS).map(([id, key]) => `      - { id: ${id}, key: "${key}", roles: [admin] }`),
      'authorization: { use: allow-all }',
      'rateLimit: { use: redis, url: "${env:REDIS_URL}" }',
      'limits:',
      '  onStoreError: deny',
      `  perTool: [{ tools: utilities_get_time, points: ${TOOL_LIMIT}, durationSeconds: 600 }]`,
      `  authFailures: { attempts: ${LOCKOUT_ATTEMPTS}, windowSeconds: 600, lockoutSeconds: 600 }`,
      'audit: [{ use: postgres, url: "${env:AUDIT_PG}", failClosed: true }]',
      // The file store on one path stands for a volume every replica mounts (ReadWriteMany).
      `secrets: { use: file, path: ${join(dir, 'secrets.json')}, masterKey: "\${env:MASTER_KEY}", pollIntervalMs: 200 }`,
      'rotation: { checkIntervalSeconds: 1, rules: [{ name: shared-token, every: 2s, grace: 1m }] }',
      'logging: { level: warn, format: json }',
      'toolPacks: [{ use: utilities }]',
      '',
    ].join('\n'),
  );
  env = { REDIS_URL: redis.url, AUDIT_PG: postgres.url, MASTER_KEY: randomBytes(32).toString('base64') };
  const generated = await runCli(['secrets', 'generate', 'shared-token', '--type', 'generic', '--config', config], { env, timeoutMs: 30_000 });
  expect(generated.code, generated.stderr).toBe(0);
  const started = await Promise.all(
    [0, 1, 2].map(() =>
      startCli(['serve', '--config', config, '--listen', '127.0.0.1:0'], /serving MCP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/, { env, timeoutMs: 45_000 }),
    ),
  );
  for (const s of started) replicas.push({ child: s.child, url: s.match[1]!, stderr: s.stderr });
  proxy = await startHaproxy(replicas.map((r) => new URL(r.url).host));
  db = new pg.Pool({ connectionString: postgres.url, max: 3 });
}, 90_000);

afterAll(async () => {
  await db?.end();
  await proxy?.stop();
  await Promise.all(
    replicas.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  await Promise.all([redis?.stop(), postgres?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let nextId = 0;
/** One stateless JSON-RPC call through the proxy; `ok` when it carries a result, `limited` on -31029. */
async function call(
  user: keyof typeof KEYS,
  tool: string,
  options: { key?: string; clientIp?: string } = {},
): Promise<{ id: number; status: number; outcome: 'ok' | 'limited' | 'error'; detail: string }> {
  const id = ++nextId;
  const response = await fetch(`${proxy.origin}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      'x-api-key': options.key ?? KEYS[user],
      // haproxy appends the address it saw; the replicas trust 127.0.0.1 and read the client address left of it.
      ...(options.clientIp ? { 'x-forwarded-for': options.clientIp } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: tool, arguments: tool === 'utilities_hash' ? { input: `call-${id}` } : {} },
    }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  const outcome = response.ok && text.includes('"result"') ? 'ok' : text.includes('-31029') ? 'limited' : 'error';
  return { id, status: response.status, outcome, detail: `${response.status} ${text.slice(0, 300)}` };
}

/** tool.call rows of the given request ids: requestId → chain. */
async function chainsOf(ids: readonly number[]): Promise<Map<number, string>> {
  const { rows } = await db.query<{ rid: string; chain: string }>(
    `SELECT event->>'requestId' AS rid, chain FROM cnmcp_audit WHERE type = 'tool.call' AND event->>'requestId' = ANY($1)`,
    [ids.map(String)],
  );
  return new Map(rows.map((r) => [Number(r.rid), r.chain]));
}

/** The chain each replica writes, found by the pid its `server.started` event records. */
async function chainOfReplica(replica: Replica): Promise<string> {
  const { rows } = await db.query<{ chain: string }>(`SELECT chain FROM cnmcp_audit WHERE type = 'server.started' AND (event->'details'->>'pid')::int = $1`, [
    replica.child.pid,
  ]);
  expect(rows).toHaveLength(1);
  return rows[0]!.chain;
}

describe('three replicas behind haproxy, sharing Redis and PostgreSQL', () => {
  it('spread stateless calls round-robin: each replica serves a third', async () => {
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await call('alice', 'utilities_hash'));
    expect(answers.filter((a) => a.outcome !== 'ok').map((a) => a.detail)).toEqual([]);
    const chains = await chainsOf(answers.map((a) => a.id));
    expect(chains.size).toBe(30);
    const replicaChains = await Promise.all(replicas.map(chainOfReplica));
    expect(new Set(replicaChains).size).toBe(3);
    const served = replicaChains.map((chain) => [...chains.values()].filter((c) => c === chain).length);
    // Strict round-robin gives 10 each; a health check or a reused connection may shift one or two.
    for (const n of served) expect(n, `calls per replica: ${served.join(', ')}`).toBeGreaterThanOrEqual(8);
    expect(served.reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('hold one global per-identity limit: of 45 concurrent calls exactly the limit is allowed, whichever replica answers', async () => {
    const answers: Awaited<ReturnType<typeof call>>[] = [];
    let issued = 0;
    const worker = async () => {
      while (issued < 45) {
        issued++;
        answers.push(await call('bob', 'utilities_get_time'));
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    expect(answers.filter((a) => a.outcome === 'error').map((a) => a.detail)).toEqual([]);
    const outcomes = answers.map((a) => a.outcome);
    expect(outcomes).toHaveLength(45);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(TOOL_LIMIT);
    expect(outcomes.filter((o) => o === 'limited')).toHaveLength(45 - TOOL_LIMIT);
    // Another identity has a count of its own.
    expect((await call('alice', 'utilities_get_time')).outcome).toBe('ok');
  });

  it('lock a client out on every replica after failures spread over all of them', async () => {
    const clientIp = '198.51.100.7';
    for (let i = 0; i < LOCKOUT_ATTEMPTS; i++) expect((await call('dave', 'utilities_hash', { key: `Wrong-Key-${i}-abcdef!`, clientIp })).status).toBe(401);
    const failures = await db.query<{ chain: string }>(`SELECT DISTINCT chain FROM cnmcp_audit WHERE type = 'auth.failure' AND event->'source'->>'ip' = $1`, [
      clientIp,
    ]);
    expect(failures.rows.length).toBe(3); // the failures were counted by all three replicas
    // Three calls in a row reach all three replicas: each refuses even the right key from that address.
    for (let i = 0; i < 3; i++) expect((await call('dave', 'utilities_hash', { clientIp })).status).toBe(429);
    expect((await call('dave', 'utilities_hash', { clientIp: '198.51.100.8' })).outcome).toBe('ok');
  });

  // Before the kill: a replica killed while it holds the lease for the current version delays that rotation until the
  // lease expires (5 min, documented), which would stall this count.
  it('rotate each version of a shared secret on exactly one replica (the lease in Redis)', async () => {
    const rotations = async () =>
      (
        await db.query<{ previous: string; chain: string }>(
          `SELECT event->'details'->>'previousVersion' AS previous, chain FROM cnmcp_audit WHERE type = 'secret.rotated' AND outcome = 'success'`,
        )
      ).rows;
    // Rotation has run on the 2 s rule all along: wait for a few versions, not for a time.
    await expect.poll(async () => (await rotations()).length, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    const rows = await rotations();
    const previous = rows.map((r) => Number(r.previous));
    expect(new Set(previous).size, `rotations (previous version, chain): ${JSON.stringify(rows)}`).toBe(previous.length); // none rotated twice
  }, 90_000);

  it('lose no audited call when a replica is SIGKILLed mid-load, and keep serving on the other two', async () => {
    const victim = replicas[2]!;
    const victimChain = await chainOfReplica(victim);
    const answered: number[] = [];
    const answeredAfterKill: number[] = [];
    let killed = false;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const answer = await call('carol', 'utilities_hash');
          if (answer.outcome === 'ok') (killed ? answeredAfterKill : answered).push(answer.id);
        } catch {
          // A call in flight on the killed replica fails; it got no answer, so it needs no audit row.
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    // Counts, not clocks: a loaded machine just takes longer to get there.
    await expect.poll(() => answered.length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(60);
    victim.child.kill('SIGKILL');
    await once(victim.child, 'exit');
    killed = true;
    await expect.poll(() => answeredAfterKill.length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(60);
    stop = true;
    await Promise.all(workers);

    const all = [...answered, ...answeredAfterKill];
    const chains = await chainsOf(all);
    expect(all.filter((id) => !chains.has(id))).toEqual([]);
    // The victim served its share before the kill.
    expect(answered.filter((id) => chains.get(id) === victimChain).length).toBeGreaterThan(5);
    // After it, the two others served everything (a reply already on its way from the victim may land just after).
    const survivors = new Set(answeredAfterKill.map((id) => chains.get(id)).filter((chain) => chain !== victimChain));
    expect(survivors.size).toBe(2);
    expect(answeredAfterKill.filter((id) => chains.get(id) === victimChain).length).toBeLessThanOrEqual(6);
  }, 120_000);

  it('keep one audit trail that verifies: one intact hash chain per replica', async () => {
    const { rows } = await db.query<{ chain: string }>('SELECT DISTINCT chain FROM cnmcp_audit');
    const replicaChains = await Promise.all(replicas.map(chainOfReplica));
    for (const chain of replicaChains) expect(rows.map((r) => r.chain)).toContain(chain);
    const verified = await runCli(['audit', 'verify', '--config', config], { env, timeoutMs: 60_000 });
    expect(verified.stdout, verified.stderr).toContain(` events in ${rows.length} chain(s)`);
    expect(verified.stdout).toContain('ok: every chain verifies');
    // One line per chain names its writer; the killed replica's chain just ends (no server.stopped) and verifies.
    for (const [i, replica] of replicas.entries()) {
      const line = verified.stdout.split('\n').find((l) => l.startsWith(`chain ${replicaChains[i]}: `));
      expect(line).toContain(`pid ${replica.child.pid}, no server.stopped (killed, or still running)`);
    }
    expect(verified.code).toBe(0);
  }, 90_000);
});
