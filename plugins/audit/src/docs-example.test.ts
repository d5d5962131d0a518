import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { startTestKernel } from '@cnmcp/core/testing';

const doc = readFileSync(new URL('../../../docs/security/audit.md', import.meta.url), 'utf8');
const sinks = parse(/^```yaml\n(audit:[\s\S]*?)^```/m.exec(doc)![1]!) as { audit: { use: string; path?: string }[] };
const auditing = parse(/^```yaml\n(auditing:[\s\S]*?)^```/m.exec(doc)![1]!) as { auditing: Record<string, unknown> };

describe('docs/security/audit.md examples', () => {
  it('boot as written (with the file in a temp dir) and write events', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cnmcp-audit-doc-')), 'audit.jsonl');
    const audit = sinks.audit.map((s) => (s.use === 'file' ? { ...s, path } : s));
    const server = await startTestKernel({
      config: { audit, ...auditing, toolPacks: [{ use: 'utilities' }] },
      env: { CNMCP_AUDIT_HMAC_KEY: 'a-documented-audit-hmac-key-of-32+chars' },
    });
    await server.close();
    expect(readFileSync(path, 'utf8')).toContain('"type":"server.stopped"');
  });
});
