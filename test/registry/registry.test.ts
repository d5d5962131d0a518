import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLegacyHttp, connectLegacyStdio, connectModernHttp, connectModernStdio, type E2eClient } from '../support/clients.js';
import { MCP_POST_HEADERS, rawRequest } from '../support/raw-http.js';
import { eventually } from '../support/spawned-server.js';
import { startRegistry, type Registry } from './verdaccio-registry.js';
import { filesInDoc, npxServe, userShell, type UserShell } from './user-shell.js';
import { acquireLock, REPO, workspaces } from './workspaces.js';

// The journeys of users outside this repository, through a real npm registry: every package of the repository is
// published to verdaccio on loopback, then a folder outside the repository, with npm configured for that registry
// only, does what the docs say. The build must have run (`npm test` builds first): the tarballs carry dist/.
const VERSION = workspaces().find((ws) => ws.manifest.name === '@cnmcp/core')!.manifest.version;
const PLUGIN_DOC = readFileSync(join(REPO, 'docs/writing-a-plugin.md'), 'utf8');
const CNMCP_README = readFileSync(join(REPO, 'packages/cnmcp/README.md'), 'utf8');

let registry: Registry;
let dryRun: { stdout: string; stderr: string };
let afterDryRun: number;
// How long each setup step took, printed at the end: the file's budget is a few minutes on a busy 2-core box.
const timings: [string, number][] = [];
async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await fn();
  } finally {
    timings.push([step, Date.now() - start]);
  }
}
let shell: UserShell;
const root = mkdtempSync(join(tmpdir(), 'cnmcp-registry-user-'));
const pack = join(root, 'word-pack'); // npm create cnmcp -- tool-pack word-pack
const deploy = join(root, 'deploy'); // npm install cnmcp, and a config file
const author = join(root, 'my-server'); // docs/writing-a-plugin.md, "Outside this repository"

// Runs of this file (other checkouts, the lead's `npm test`) share the npm cache and verdaccio's storage, which a
// run resets at its start: one run at a time on a machine.
let releaseLock: (() => void) | undefined;

beforeAll(async () => {
  releaseLock = await timed('wait for other runs', () => acquireLock('cnmcp-registry-test', 1_800_000));
  registry = await timed('start verdaccio', startRegistry);
  const publishConfig = join(root, 'publish.npmrc');
  writeFileSync(publishConfig, `//${new URL(registry.url).host}/:_authToken=${registry.token}\n`);
  shell = userShell(root, registry.url);
  // The release's dry run first (docs/releasing.md): it must upload nothing.
  dryRun = await timed('publish --dry-run', () =>
    shell.npm(['publish', '--workspaces', '--dry-run', '--json', '--registry', registry.url], REPO, { npm_config_userconfig: publishConfig }),
  );
  afterDryRun = (await fetch(new URL('@cnmcp%2fcore', registry.url))).status;
  // One publish of every workspace, as a release does, from the repository.
  await timed('publish', () => shell.npm(['publish', '--workspaces', '--registry', registry.url], REPO, { npm_config_userconfig: publishConfig }));
  for (const dir of [deploy, author]) mkdirSync(dir);
  // The three installs share the npm cache and run side by side.
  await Promise.all([
    (async () => {
      await timed('npm create cnmcp', () => shell.npm(['create', 'cnmcp', '--yes', '--', 'tool-pack', 'word-pack'], root));
      await timed('install word-pack', () => shell.npm(['install', '--prefer-offline'], pack));
    })(),
    (async () => {
      await shell.npm(['init', '-y'], deploy);
      await timed('install cnmcp', () => shell.npm(['install', '--prefer-offline', 'cnmcp'], deploy));
    })(),
    (async () => {
      await shell.npm(['init', '-y'], author);
      await timed('install cnmcp @cnmcp/core', () => shell.npm(['install', '--prefer-offline', 'cnmcp', '@cnmcp/core'], author));
    })(),
  ]);
}, 1_800_000);

afterAll(async () => {
  try {
    await registry?.stop();
    rmSync(root, { recursive: true, force: true });
  } finally {
    releaseLock?.(); // a failed clean-up must not hold every later run for half an hour
  }
  process.stderr.write(`registry test steps: ${timings.map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)}s`).join(', ')}\n`);
}, 300_000);

const withHeaders =
  (headers: Record<string, string>): typeof fetch =>
  (input, init) =>
    fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers).entries()), ...headers } });

/** Calls `tool` with the SDK v2 client (2026-07-28) and the SDK v1 client (2025-11-25 handshake). */
async function callWithBothClients(url: URL, tool: string, args: Record<string, unknown>, headers: Record<string, string> = {}) {
  const results = [];
  for (const connect of [connectModernHttp, connectLegacyHttp]) {
    const client: E2eClient = await connect(url, { fetch: withHeaders(headers) });
    try {
      results.push(await client.callTool(tool, args));
    } finally {
      await client.close();
    }
  }
  return results;
}

async function withServer(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv, fn: (url: URL) => Promise<void>): Promise<void> {
  const server = await npxServe(shell, cwd, [...args, '--listen', '127.0.0.1:0'], env);
  try {
    await fn(server.url);
  } finally {
    await server.stop();
  }
}

const LIST = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
const unauthenticated = (url: URL) => rawRequest(url, { method: 'POST', headers: { ...MCP_POST_HEADERS }, body: LIST });

describe('npm publish', () => {
  it('--dry-run lists every package and uploads none of them', () => {
    const listed = Object.keys(JSON.parse(dryRun.stdout) as Record<string, unknown>);
    expect(listed.sort()).toEqual(
      workspaces()
        .map((ws) => ws.manifest.name)
        .sort(),
    );
    expect(afterDryRun).toBe(404);
  });
});

describe('npm create cnmcp, from the registry', { timeout: 600_000 }, () => {
  it('scaffolds a tool pack on the published versions that builds and passes its own tests', async () => {
    const manifest = JSON.parse(readFileSync(join(pack, 'package.json'), 'utf8'));
    expect(manifest.peerDependencies).toEqual({ '@cnmcp/core': `^${VERSION}` });
    expect(manifest.devDependencies).toMatchObject({ '@cnmcp/core': `^${VERSION}`, cnmcp: `^${VERSION}` });
    // Installed from the registry, not linked from this repository.
    expect(JSON.parse(readFileSync(join(pack, 'node_modules/@cnmcp/core/package.json'), 'utf8')).version).toBe(VERSION);
    expect(existsSync(join(pack, 'node_modules/@cnmcp/core/src'))).toBe(false);
    await timed('build word-pack', () => shell.npm(['run', 'build'], pack));
    const { stdout } = await timed('test word-pack', () => shell.npm(['test'], pack, { NO_COLOR: '1', FORCE_COLOR: '0' }));
    const plain = stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/Tests\s+\d+ passed/);
    expect(plain).not.toMatch(/failed/);
  });

  it('serves it with npx cnmcp serve, and both SDK clients call its tool', async () => {
    await withServer(pack, [], {}, async (url) => {
      for (const result of await callWithBothClients(url, 'word_pack_count_words', { text: 'to be or not to be', top: 1 })) {
        expect(result.isError).toBeFalsy();
        expect(result.content[0]?.text).toContain('6 words');
      }
    });
  });
});

describe('cnmcp alone, a config-only deployment', { timeout: 600_000 }, () => {
  it('serves the README config: built-in apikey, rbac and utilities resolve from the installed package', async () => {
    const config = /```yaml\n([\s\S]*?)```/.exec(CNMCP_README)![1]!;
    writeFileSync(join(deploy, 'cnmcp.yaml'), config);
    const key = 'Ops-Key_0123456789abcdefXYZ';
    await withServer(deploy, ['--config', 'cnmcp.yaml'], { OPS_API_KEY: key }, async (url) => {
      for (const result of await callWithBothClients(url, 'utilities_get_timestamp', {}, { 'x-api-key': key })) expect(result.isError).toBeFalsy();
      expect((await unauthenticated(url)).status).toBe(401);
    });
  });

  it("the README's stdio client config runs the installed cnmcp, for both SDK clients", async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const line = readme.split('\n').find((l) => l.includes('"--transport", "stdio"'))!;
    const { command, args } = (JSON.parse(line) as { mcpServers: Record<string, { command: string; args: string[] }> }).mcpServers.cnmcp!;
    for (const connect of [connectModernStdio, connectLegacyStdio]) {
      // No cnmcp.config.* in this folder: the embedded default (the utilities pack), as for a new user.
      const client = await connect({ command, args, cwd: deploy, env: shell.env as Record<string, string>, stderr: 'pipe' });
      try {
        expect((await client.callTool('utilities_get_timestamp', {})).isError).toBeFalsy();
      } finally {
        await client.close();
      }
    }
  });

  it('a use: package that is not installed fails naming what was looked for and how to install it', async () => {
    writeFileSync(join(deploy, 'missing.yaml'), 'toolPacks:\n  - use: acme-missing-pack\n');
    const failure = await shell.npm(['exec', '--', 'cnmcp', 'config', 'validate', '--config', 'missing.yaml'], deploy).catch((error: Error) => error);
    expect(String(failure)).toContain('package acme-missing-pack is not installed (looked from ');
    expect(String(failure)).toContain('npm install acme-missing-pack');
  });
});

describe('docs/writing-a-plugin.md, outside this repository', { timeout: 600_000 }, () => {
  const token = 'team-token-0123456789abcdef0123';
  const files = filesInDoc(PLUGIN_DOC);

  beforeAll(async () => {
    for (const [file, text] of files) {
      mkdirSync(dirname(join(author, file)), { recursive: true });
      writeFileSync(join(author, file), text);
    }
    // "move both files into acme-plugins/", then `npm install ./acme-plugins`.
    for (const file of ['header-token.mjs', 'jsonl-sink.mjs']) writeFileSync(join(author, 'acme-plugins', file), files.get(file)!);
    await timed('install ./acme-plugins', () => shell.npm(['install', '--prefer-offline', './acme-plugins'], author));
  }, 600_000);

  it('shows every file the steps need', () => {
    expect([...files.keys()].sort()).toEqual(
      ['acme-plugins/index.mjs', 'acme-plugins/package.json', 'cnmcp.config.yaml', 'cnmcp.package.yaml', 'header-token.mjs', 'jsonl-sink.mjs'].sort(),
    );
  });

  for (const [how, args] of [
    ['by ./path', []],
    ['by package name', ['--config', 'cnmcp.package.yaml']],
  ] as const) {
    it(`loads the auth strategy and the audit sink ${how}: 401 with its challenge, the call in the sink`, async () => {
      const audit = join(author, 'audit.jsonl');
      rmSync(audit, { force: true });
      await withServer(author, args, { TEAM_TOKEN: token }, async (url) => {
        const refused = await unauthenticated(url);
        expect(refused.status).toBe(401);
        expect(refused.headers['www-authenticate']).toBe('HeaderToken header="x-team-token"');
        const wrong = await rawRequest(url, {
          method: 'POST',
          headers: { ...MCP_POST_HEADERS, 'x-team-token': 'wrong-token-0123456789abcdef0123' },
          body: LIST,
        });
        expect(wrong.status).toBe(401);
        for (const result of await callWithBothClients(url, 'utilities_get_timestamp', {}, { 'x-team-token': token })) expect(result.isError).toBeFalsy();
        const events = await eventually('two tool calls in audit.jsonl', async () => {
          const lines = existsSync(audit) ? readFileSync(audit, 'utf8').trim().split('\n').filter(Boolean) : [];
          const calls = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === 'tool.call');
          return calls.length >= 2 ? calls : undefined;
        });
        expect(events[0]).toMatchObject({ tool: 'utilities_get_timestamp', outcome: 'success', actor: expect.objectContaining({ id: 'team' }) });
        expect(readFileSync(audit, 'utf8')).not.toContain(token);
      });
    });
  }
});
