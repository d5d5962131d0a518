// GDPR erasure must erase the person, not one field: alice's failed logins name her as the claimed user name
// (details.subject), her lockout too, her successful calls as the actor.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('cnmcp audit erase --actor alice', () => {
  it('leaves no "alice" anywhere in the log (actor, auth.failure and auth.lockout subjects), and verify still passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-audit-erase-'));
    const path = join(dir, 'audit.jsonl');
    const config = {
      auth: [{ use: 'basic', users: [{ username: 'alice', password: 'Alice-Password-0042!', roles: ['admin'] }] }],
      authorization: { use: 'allow-all' },
      audit: [{ use: 'file', path }],
      auditing: { chainKey: 'erase-test-chain-key-of-32-characters!' },
      limits: { authFailures: { attempts: 2 } },
      toolPacks: [{ use: 'utilities' }],
    };
    const configFile = join(dir, 'cnmcp.config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const server = await startTestKernel({ config });
    try {
      const client = new Client({ name: 'erase-e2e', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
      await client.connect(
        new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { authorization: basic('alice', 'Alice-Password-0042!') } } }),
      );
      await client.callTool({ name: 'utilities_hash', arguments: { input: 'x', algorithm: 'sha256' } });
      await client.close();
      for (let i = 0; i < 3; i++) {
        const res = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basic('alice', 'wrong') },
          body: '{}',
        });
        await res.body?.cancel();
      }
    } finally {
      await server.close();
    }
    const before = readFileSync(path, 'utf8');
    expect(before).toContain('"subject":"alice"');
    expect(before).toContain('"type":"auth.lockout"');

    const erase = await runCli(['audit', 'erase', '--config', configFile, '--actor', 'alice']);
    expect(erase.code).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toContain('"alice"');
    const verify = await runCli(['audit', 'verify', '--config', configFile]);
    expect(verify.stdout).toContain('ok: every chain verifies');
    expect(verify.code).toBe(0);
  }, 120_000);
});
