// Start-up as a user waits for it: HTTP start to ready with the utilities pack, and a stdio client's time to its
// first answer (clients start a stdio server per session, so every session waits this long). Each is measured
// `runs` times on a fresh process; the medians of wall time and of the process's CPU time are reported. Loopback and pipes only; every wait is bounded.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cpuMs, freePort, httpOnce, spawnNode, startServer, stopServer } from './processes.mjs';

const FIRST_ANSWER_TIMEOUT_MS = 20_000;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Medians of wall time and of the process's own CPU time (which other load on the box skews far less). */
const summary = (samples) => ({ ms: median(samples.map((s) => s.ms)), cpuMs: median(samples.map((s) => s.cpuMs)) });

/** Start to ready (GET /readyz 200) of `cnmcp serve` with the utilities pack, over HTTP. */
export async function utilitiesStartMs(dir, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const port = await freePort();
    const config = join(dir, `utilities-${i}.config.yaml`);
    writeFileSync(config, `server:\n  listen: "127.0.0.1:${port}"\ntoolPacks:\n  - use: utilities\n`);
    const proc = await startServer({
      name: 'cnmcp-utilities',
      args: ['core/dist/cli/main.js', 'serve', '--config', config],
      port,
      isReady: async (p) => (await httpOnce(p, { path: '/readyz' }, 500)).status === 200,
    });
    times.push({ ms: proc.readyMs, cpuMs: cpuMs(proc.pid) });
    await stopServer(proc);
  }
  return summary(times);
}

/**
 * From spawning `cnmcp serve` on stdio (echo pack) to the answer of a 2026-07-28 tools/call written to its stdin at
 * once, as a client does: what a user waits for before the first tool result of a session.
 */
export async function stdioFirstAnswerMs(dir, request, runs) {
  const config = join(dir, 'stdio.config.yaml');
  writeFileSync(config, `server:\n  transport: stdio\ntoolPacks:\n  - use: ${JSON.stringify(join(ROOT, 'bench/echo-pack.mjs'))}\n`);
  const body = JSON.parse(request.body);
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await firstAnswer(config, body));
  return summary(times);
}

function firstAnswer(config, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawnNode(['core/dist/cli/main.js', 'serve', '--config', config], { cwd: ROOT, stdio: ['pipe', 'pipe', 'ignore'] });
    const timer = setTimeout(() => finish(new Error(`stdio: no answer within ${FIRST_ANSWER_TIMEOUT_MS} ms`)), FIRST_ANSWER_TIMEOUT_MS);
    let out = '';
    const finish = (error, sample) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(sample);
    };
    child.once('error', (error) => finish(error));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      for (const line of out.split('\n').slice(0, -1)) {
        let message;
        try {
          message = JSON.parse(line);
        } catch {
          continue;
        }
        if (message.id !== body.id) continue;
        if (!message.result || message.result.isError) return finish(new Error(`stdio: not a tool result: ${line.slice(0, 300)}`));
        return finish(undefined, { ms: performance.now() - started, cpuMs: cpuMs(child.pid) });
      }
    });
    child.stdin.write(`${JSON.stringify(body)}\n`);
  });
}
