// The rate-limit example in docs/security/rate-limiting.md loads as written and its perTool rule bites.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConfig } from '@cnmcp/core';
import { startTestKernel } from '@cnmcp/core/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';

const DOC = new URL('../../../docs/security/rate-limiting.md', import.meta.url);
const MARKER = '<!-- The example below is loaded by plugins/rate-limit/src/docs-example.test.ts';

function documentedExample(): string {
  const doc = readFileSync(DOC, 'utf8');
  const match = /```yaml\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf(MARKER)));
  if (doc.indexOf(MARKER) < 0 || !match?.[1]) throw new Error('the tested example is missing from docs/security/rate-limiting.md');
  return match[1];
}

describe('docs/security/rate-limiting.md rate-limit example', () => {
  it('loads with the memory store and limits utilities_web_fetch per identity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-rl-doc-'));
    writeFileSync(join(dir, 'cnmcp.config.yaml'), `${documentedExample()}toolPacks:\n  - use: utilities\n`);
    const found = await findConfig({ file: join(dir, 'cnmcp.config.yaml') });
    const server = await startTestKernel({ config: found.config as Record<string, unknown>, baseDir: dir });
    const client = new Client({ name: 'rl-doc-test', version: '0.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    try {
      expect(server.kernel.pipeline().find((s) => s.stage === 'limit(tool)')).toMatchObject({ status: 'on', detail: '2 rule(s)' });
      await client.connect(new StreamableHTTPClientTransport(server.url));
      // A loopback URL: the SSRF guard refuses it at once (an isError result), which still counts as a call.
      const call = () => client.callTool({ name: 'utilities_web_fetch', arguments: { url: `${server.origin}/healthz` } });
      for (let i = 0; i < 30; i++) expect((await call()).isError).toBe(true);
      const refused = await call().then(
        () => undefined,
        (e: unknown) => e as { code?: unknown },
      );
      expect(refused?.code).toBe(-31029);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
