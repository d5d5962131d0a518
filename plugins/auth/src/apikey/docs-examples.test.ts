// The configs in docs/security/authentication-apikey-basic.md, run as written: each YAML block boots the real
// kernel with its `${env:...}` references set, and a key or user of the block lists tools.
import { readFileSync } from 'node:fs';
import { hashPassword } from '@cnmcp/core/plugin';
import { startTestKernel } from '@cnmcp/core/testing';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import basic from '../basic/plugin.js';
import { probePack, whoAmI } from '../testing/apikey-basic-kernel.js';
import apikey from './plugin.js';

const doc = readFileSync(new URL('../../../../docs/security/authentication-apikey-basic.md', import.meta.url), 'utf8');
const yamlBlocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => m[1]!);

interface DocEntry {
  readonly use: string;
  readonly keys?: readonly { id: string; key: string; expiresAt?: string }[];
  readonly users?: readonly { username: string; password?: string; passwordHash?: string }[];
}

const envName = (reference: string) => /^\$\{env:([A-Z0-9_]+)\}$/.exec(reference)?.[1];
// A distinct value per variable: keys that meet the complexity rule, passwords, and hashes of those passwords.
const keyFor = (name: string) => `Doc-${name}-Key1!`;
const passwordFor = (name: string) => `pw-${name.replace(/_HASH$/, '')}`;

async function envFor(block: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [, name] of block.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)) {
    env[name!] = name!.endsWith('_PASSWORD_HASH') ? await hashPassword(passwordFor(name!)) : name!.endsWith('_PASSWORD') ? passwordFor(name!) : keyFor(name!);
  }
  return env;
}

/** The headers of a key (without an expiry, so the test outlives the dates in the docs) or the first user. */
function credentialOf(entry: DocEntry): { id: string; headers: Record<string, string> } {
  if (entry.use === 'apikey') {
    const key = entry.keys!.find((k) => k.expiresAt === undefined)!;
    return { id: key.id, headers: { 'X-API-Key': keyFor(envName(key.key)!) } };
  }
  const user = entry.users![0]!;
  const password = passwordFor(envName(user.password ?? user.passwordHash!)!);
  return { id: user.username, headers: { Authorization: `Basic ${Buffer.from(`${user.username}:${password}`).toString('base64')}` } };
}

describe('docs/security/authentication-apikey-basic.md', () => {
  it('has the documented examples', () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(yamlBlocks.map((block, i) => [i, block] as const))('YAML block %i boots and authenticates', async (_i, block) => {
    const config = parse(block) as { auth: DocEntry[] };
    const server = await startTestKernel({
      config: { ...config, toolPacks: [{ use: 'auth-probe' }] },
      plugins: [apikey, basic, probePack],
      env: await envFor(block),
    });
    try {
      for (const entry of config.auth) {
        const { id, headers } = credentialOf(entry);
        expect(await whoAmI(server.url, headers)).toEqual({ tools: ['probe_whoami_caller'], caller: id });
      }
    } finally {
      await server.close();
    }
  });
});
