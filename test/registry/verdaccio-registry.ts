// A real npm registry on loopback: verdaccio 6.8 (the last release that runs on Node 20), storage in a temporary
// directory. Packages of this repository are served only from what a test publishes; every other package is
// fetched from registry.npmjs.org through verdaccio's uplink, as a company registry in front of npm does.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answers200, spawnServer, type SpawnedServer } from '../support/spawned-server.js';

const VERDACCIO = fileURLToPath(new URL('../../node_modules/verdaccio/bin/verdaccio', import.meta.url));

/** Package names that must never come from the uplink: a test would pass on someone else's package. */
const LOCAL_ONLY = ['@cnmcp/*', 'cnmcp', 'create-cnmcp'];

// What verdaccio fetched through its uplink is kept between runs (npmjs metadata is most of an install's time);
// the packages of this repository are deleted from it before every start, so each run serves only its own publish.
const STORAGE = join(tmpdir(), 'cnmcp-registry-test-verdaccio-storage');

const CONFIG = `storage: ${JSON.stringify(STORAGE)}
auth:
  htpasswd:
    file: ./htpasswd
    max_users: 5
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 120s
    max_fails: 10
    maxage: 30m
packages:
${LOCAL_ONLY.map((name) => `  '${name}':\n    access: $all\n    publish: $authenticated\n`).join('')}  '**':
    access: $all
    proxy: npmjs
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
`;

export interface Registry {
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  /** A publish token for a user created on this registry. */
  readonly token: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<Registry> {
  for (const name of LOCAL_ONLY) await rm(join(STORAGE, name.replace('/*', '')), { recursive: true, force: true });
  await mkdir(STORAGE, { recursive: true });
  const server: SpawnedServer = await spawnServer({
    name: 'verdaccio',
    binary: process.execPath,
    installHint: 'npm install (verdaccio is a dev dependency)',
    async prepare(dir, port) {
      await writeFile(join(dir, 'config.yaml'), CONFIG);
      return [VERDACCIO, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`];
    },
    ready: (port) => answers200(`http://127.0.0.1:${port}/-/ping`),
    readyTimeoutMs: 120_000,
    // The uplink is HTTPS: keep whatever this machine needs to trust it and to reach it.
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => /^(NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR)|(HTTPS?|NO|ALL)_PROXY)$/i.test(key))),
  });
  const url = `http://127.0.0.1:${server.port}/`;
  try {
    // `npm adduser` without a prompt: the CouchDB user document verdaccio's htpasswd plugin accepts.
    const res = await fetch(new URL('-/user/org.couchdb.user:cnmcp-release', url), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cnmcp-release', password: 'registry-test-password-0123' }),
    });
    const { token } = (await res.json()) as { token?: string };
    if (!res.ok || !token) throw new Error(`verdaccio refused the test user: HTTP ${res.status}`);
    return { url, token, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\n${server.output().slice(-2000)}`);
  }
}
