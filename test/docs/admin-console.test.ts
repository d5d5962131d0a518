// docs/operations/admin-console.md: its config example boots with the console on, the browser it describes gets in
// with Basic auth, the key-holding machine does not, and every screenshot it shows exists.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '@cnmcp/core/plugin';
import { startTestKernel } from '@cnmcp/core/testing';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const doc = readFileSync(new URL('../../docs/operations/admin-console.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => parse(m[1]!) as Record<string, unknown>);

describe('docs/operations/admin-console.md', () => {
  it('shows screenshots that exist', () => {
    const images = [...doc.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(images.length).toBe(3);
    for (const image of images) expect([image, existsSync(new URL(`../../docs/operations/${image}`, import.meta.url))]).toEqual([image, true]);
  });

  it('boots its example: the security role opens the console, a tool caller does not', async () => {
    expect(blocks).toHaveLength(1);
    const block = blocks[0]!;
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-docs-console-'));
    const env = {
      ALICE_PASSWORD_HASH: await hashPassword('Alice-Docs-Console-1'),
      CI_BOT_KEY: 'ci-bot-docs-console-key-00000042',
      CNMCP_AUDIT_HMAC_KEY: 'docs-console-hmac-key-0123456789abcdef',
    };
    const server = await startTestKernel({
      config: { ...block, server: { listen: '127.0.0.1:0' }, audit: [{ use: 'file', path: join(dir, 'audit.jsonl') }], toolPacks: [{ use: 'utilities' }] },
      env,
    });
    try {
      const alice = `Basic ${Buffer.from('alice:Alice-Docs-Console-1').toString('base64')}`;
      const page = await fetch(new URL('/admin/', server.origin), { headers: { authorization: alice } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(doc.match(/`(default-src 'none';[^`]+)`/)![1]);
      const events = await fetch(new URL('/admin/api/events?since=1h', server.origin), { headers: { authorization: alice } });
      expect(events.status).toBe(200);
      expect((await fetch(new URL('/admin/', server.origin), { headers: { 'x-api-key': env.CI_BOT_KEY } })).status).toBe(403);
      expect((await fetch(new URL('/admin/', server.origin))).status).toBe(401);
    } finally {
      await server.close();
    }
  }, 60_000);
});
