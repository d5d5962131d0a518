import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Kernel } from '@cnmcp/core';
import { apiKeyProblems, Secret } from '@cnmcp/core/plugin';
import { CLI } from '../cli/run-cli.js';
import { startKubernetesApiServer } from '../support/kubernetes-api/server.js';

// The examples of docs/security/secrets.md as written: every YAML block validates against the composed schema, and
// the "Command line" shell block runs from top to bottom against a real file store.
const doc = readFileSync(new URL('../../docs/security/secrets.md', import.meta.url), 'utf8');
const yamlBlocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
const shellBlocks = [...doc.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
const run = promisify(execFile);

describe('docs/security/secrets.md examples', () => {
  it('has the documented examples', () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(5);
    expect(shellBlocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(yamlBlocks.map((block, i) => [i, block] as const))('YAML block %i validates', async (_i, block) => {
    const env = {
      CNMCP_MASTER_KEY: randomBytes(32).toString('base64'),
      CNMCP_OLD_MASTER_KEY: randomBytes(32).toString('base64'),
      CNMCP_MASTER_PASSPHRASE: 'a passphrase of at least sixteen characters',
      GITHUB_TOKEN: 'x',
    };
    const config = parse(block.replaceAll('./data/', `${mkdtempSync(join(tmpdir(), 'cnmcp-docs-'))}/`)) as Record<string, unknown>;
    // A block that references a secret needs a store: the blocks that show only a reference get the memory store.
    const kernel = await Kernel.load({ config: { secrets: { use: 'memory' }, ...config }, env });
    expect(kernel.config.plugins.length).toBeGreaterThan(0);
  });

  it('the masking example prints as the doc says: literal key and URL password as ***', async () => {
    const block = yamlBlocks.find((b) => b.includes('Literal-Key-In-The-File'))!;
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-docs-mask-'));
    writeFileSync(join(dir, 'cnmcp.config.yaml'), block);
    const { stdout } = await run(process.execPath, [CLI, 'config', 'print', '--config', join(dir, 'cnmcp.config.yaml')], { timeout: 60_000 });
    expect(stdout).not.toContain('Literal-Key-In-The-File');
    expect(stdout).not.toContain('Redis-Password-Here');
    expect(stdout).toContain('redis://***@127.0.0.1:6379/0');
  }, 90_000);

  it('a passphrase master key opens the file store as the doc shows', async () => {
    const block = yamlBlocks.find((b) => b.includes('passphrase:'))!;
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-docs-passphrase-'));
    const config = parse(block.replaceAll('./data/', `${dir}/`)) as Record<string, unknown>;
    const env = { CNMCP_MASTER_PASSPHRASE: 'a passphrase of at least sixteen characters' };
    const kernel = await Kernel.load({ config, env });
    await kernel.setup();
    await kernel.stop();
    expect((JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { kdf: { name: string } }).kdf.name).toBe('scrypt');
  }, 90_000);

  it('the Kubernetes store example stores a secret as the doc says, against the recorded API server', async () => {
    const server = await startKubernetesApiServer();
    try {
      const kubeconfig = await server.writeKubeconfig(mkdtempSync(join(tmpdir(), 'cnmcp-docs-kube-')));
      const block = yamlBlocks.find((b) => b.includes('use: kubernetes'))!;
      const config = parse(block) as { secrets: Record<string, unknown> };
      // Outside a pod: the kubeconfig of the recorded server, and the namespace its service account may use.
      Object.assign(config.secrets, { kubeconfig, namespace: 'cnmcp' });
      const kernel = await Kernel.load({ config: config as unknown as Record<string, unknown> });
      await kernel.setup();
      try {
        await kernel.secretStore!.put('ops-key', new Secret('Docs-Kube-Key-0123!'), { type: 'apikey' });
      } finally {
        await kernel.stop();
      }
      expect(server.store.get('', 'secrets', 'cnmcp', 'cnmcp-ops-key')?.metadata.annotations).toEqual({ 'cnmcp.dev/secret-name': 'ops-key' });
    } finally {
      await server.close();
    }
  }, 90_000);

  it('the "Command line" block runs as written against a file store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-docs-cli-'));
    writeFileSync(join(dir, 'cnmcp.config.yaml'), 'secrets:\n  use: file\n  path: ./secrets.json\n  masterKey: ${env:CNMCP_MASTER_KEY}\n');
    const block = shellBlocks.find((b) => b.includes('secrets generate --type apikey ops-key'))!;
    const script = `set -eu\nnpx() { shift; node ${JSON.stringify(CLI)} "$@"; }\n${block}\nnpx cnmcp secrets list\n`;
    const { stdout } = await run('bash', ['-c', script], { cwd: dir, env: { ...process.env, DB_PASSWORD: 'Docs-Db-Password-1!' }, timeout: 150_000 });
    const lines = stdout.trimEnd().split('\n');
    const key = lines[lines.indexOf('# the value below is shown this once; store it now') + 1]!;
    expect(apiKeyProblems(key)).toEqual([]);
    expect(stdout).toContain('stored db-password  generic  v1');
    expect(stdout).toContain('***');
    expect(stdout).toMatch(/rotated ops-key {2}apikey {2}v2/);
    expect(stdout).toContain('deleted ci-token');
    expect(lines.at(-1)).toBe('3 secrets'); // db-password, jwt-signing-key, ops-key
  }, 180_000);
});
