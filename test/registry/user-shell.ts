// A user's shell outside the repository: npm configured with nothing but the test registry, and `npx cnmcp serve`
// as the docs run it.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Tarballs are cached by content, so a cache kept between runs spares the uplink; npx's own installs (_npx) are
// keyed by package name only and would outlive a publish, so they are dropped.
const CACHE = join(tmpdir(), 'cnmcp-registry-test-npm-cache');

export interface UserShell {
  /** The environment of every command: npm's user config is `<root>/.npmrc`, which names only the registry. */
  readonly env: NodeJS.ProcessEnv;
  npm(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }>;
}

export function userShell(root: string, registryUrl: string): UserShell {
  rmSync(join(CACHE, '_npx'), { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const userconfig = join(root, '.npmrc');
  writeFileSync(userconfig, `registry=${registryUrl}\n`);
  // Nothing of the npm that runs this test (npm_config_*, npm_package_*) may leak into the user's commands.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^INIT_CWD$|^NODE_OPTIONS$/i.test(key)));
  const env = {
    ...inherited,
    npm_config_userconfig: userconfig,
    npm_config_cache: CACHE,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  return {
    env,
    async npm(args, cwd, extra = {}) {
      try {
        return await run('npm', args, { cwd, env: { ...env, ...extra }, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string; message: string };
        throw new Error(`npm ${args.join(' ')} failed in ${cwd}: ${e.message}\n${(e.stdout ?? '').slice(-4000)}\n${(e.stderr ?? '').slice(-4000)}`);
      }
    },
  };
}

export interface Served {
  readonly url: URL;
  stop(): Promise<void>;
}

/**
 * `npx cnmcp serve ARGS` in `cwd`, resolved once it prints its URL; `stop` sends SIGTERM to its process group and
 * waits for the whole group: npx may exit before the server it started has finished shutting down (and written its
 * last audit record into a directory the test is about to reuse or remove).
 */
export async function npxServe(shell: UserShell, cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn('npx', ['cnmcp', 'serve', ...args], { cwd, env: { ...shell.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const exited = once(child, 'exit');
  let output = '';
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cnmcp serve did not start within 120 s:\n${output.slice(-3000)}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /serving MCP at (https?:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`cnmcp serve exited ${code}:\n${output.slice(-3000)}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid!, 'SIGTERM');
        await exited;
      }
      await groupGone(child.pid!);
    },
  };
}

/** Resolves once no live process (zombies aside) is left in process group `pgid` (Linux: read from /proc). */
async function groupGone(pgid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (readdirSync('/proc').some((pid) => /^\d+$/.test(pid) && liveIn(pid, pgid))) {
    if (Date.now() > deadline) throw new Error(`processes of group ${pgid} still running ${timeoutMs} ms after SIGTERM`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function liveIn(pid: string, pgid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return pgrp === String(pgid) && state !== 'Z';
  } catch {
    return false; // gone while we looked
  }
}

/** Files a docs page shows: fenced blocks whose first line is `// FILE` or `# FILE`, or whose info string has `file=FILE`. */
export function filesInDoc(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [, info, body] of markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const named = /\bfile=(\S+)/.exec(info!)?.[1];
    const first = /^(?:\/\/|#) ([\w./-]+\.(?:mjs|js|ts|json|ya?ml))\n/.exec(body!);
    if (named) files.set(named, body!);
    else if (first) files.set(first[1]!, body!);
  }
  return files;
}
