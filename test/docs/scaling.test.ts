import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Kernel } from '@cnmcp/core';
import { haproxyConfig } from '../support/haproxy-proxy.js';

// docs/operations/scaling.md as written: the cnmcp config validates, the haproxy block is exactly what the
// scale-out e2e runs and haproxy accepts it (and its session-affinity variant), and the sample verify output has
// the format `cnmcp audit verify` prints.
const doc = readFileSync(new URL('../../docs/operations/scaling.md', import.meta.url), 'utf8');
const blocks = (lang: string) => [...doc.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map((m) => m[1]!);
const run = promisify(execFile);

async function haproxyAccepts(config: string): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'cnmcp-docs-haproxy-')), 'haproxy.cfg');
  writeFileSync(file, config);
  await run('/usr/sbin/haproxy', ['-c', '-q', '-f', file]);
}

describe('docs/operations/scaling.md examples', () => {
  it('the shared cnmcp config validates against the composed schema', async () => {
    const [block] = blocks('yaml').filter((b) => b.startsWith('# cnmcp.yaml'));
    const config = parse(block!.replace('/var/lib/cnmcp/', `${mkdtempSync(join(tmpdir(), 'cnmcp-docs-'))}/`)) as Record<string, unknown>;
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', AUDIT_PG: 'postgres://u:p@127.0.0.1:5432/db', CNMCP_MASTER_KEY: randomBytes(32).toString('base64') };
    const kernel = await Kernel.load({ config, env });
    expect(kernel.config.plugins.map((p) => `${p.plugin.kind}/${p.plugin.name}`)).toEqual(
      expect.arrayContaining(['rate-limit-store/redis', 'audit-sink/postgres', 'secret-store/file']),
    );
  });

  it('the haproxy block is the configuration the e2e runs, and haproxy accepts it', async () => {
    const [main] = blocks('haproxy');
    expect(main).toBe(haproxyConfig(8080, ['127.0.0.1:8081', '127.0.0.1:8082', '127.0.0.1:8083']));
    await haproxyAccepts(main!);
  });

  it('haproxy accepts the session-affinity variants', async () => {
    const [main, affinity] = blocks('haproxy');
    const lines = affinity!.split('\n').filter((l) => l.trim() !== '' && l !== 'backend be');
    const bySource = lines.filter((l) => !l.trim().startsWith('#')).join('\n');
    const bySession = lines
      .filter((l) => l.trim().startsWith('# ') && !l.includes('or, for'))
      .map((l) => l.replace('# ', ''))
      .join('\n');
    for (const variant of [bySource, bySession]) await haproxyAccepts(main!.replace('  balance roundrobin', variant));
  });

  it('the sample `audit verify` output has the format the command prints', () => {
    const [sample] = blocks('sh').filter((b) => b.includes('audit verify'));
    const chains = sample!.split('\n').filter((l) => l.startsWith('chain '));
    expect(chains).toHaveLength(4);
    for (const line of chains)
      expect(line).toMatch(
        /^chain [0-9a-f]{16}: \d+ events, seq 1\.\.\d+, \S+ \.\. \S+, (not a server \(CLI or older release\)|host \S+ pid \d+, (ended with server\.stopped|no server\.stopped \(killed, or still running\)))$/,
      );
    expect(sample).toContain('ok: every chain verifies');
  });
});
