// docs/security/audit-webhook.md: its example config boots and delivers to a real receiver, and its receiver-side
// verification snippet, run as written, accepts those deliveries and refuses tampered ones.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';

const page = readFileSync(new URL('../../docs/security/audit-webhook.md', import.meta.url), 'utf8');
const example = parse(/^```yaml\n([\s\S]*?)^```/m.exec(page)![1]!) as { secrets: Record<string, unknown>; audit: Record<string, unknown>[] };
const snippet = /^```js\n([\s\S]*?)^```/m.exec(page)![1]!;

describe('docs/security/audit-webhook.md', () => {
  it('boots as written (the file path and URL pointed at temp files and a local receiver), and its snippet verifies the deliveries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-webhook-doc-'));
    const snippetFile = join(dir, 'verify-cnmcp-webhook.mjs');
    writeFileSync(snippetFile, snippet);
    const { verifyCnmcpWebhook } = (await import(pathToFileURL(snippetFile).href)) as {
      verifyCnmcpWebhook: (secret: string, header: string | undefined, body: string, tolerance?: number) => boolean;
    };

    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const secret = 'docs-webhook-secret-0123456789abcdef0123';
    process.env.AUDIT_WEBHOOK_SECRET = secret;
    const audit = example.audit.map((sink) =>
      sink.use === 'file'
        ? { ...sink, path: join(dir, 'audit.jsonl') }
        : { ...sink, url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cnmcp`, events: [...(sink.events as string[]), 'server.*'] },
    );
    const server = await startTestKernel({ config: { secrets: example.secrets, audit, toolPacks: [{ use: 'utilities' }] } });
    try {
      await vi.waitFor(() => expect(received.length).toBeGreaterThan(0), { timeout: 5000 });
      for (const { headers, body } of received) {
        expect(verifyCnmcpWebhook(secret, headers['cnmcp-signature'] as string, body)).toBe(true);
        expect(verifyCnmcpWebhook(secret, headers['cnmcp-signature'] as string, body.replace('"attempt":1', '"attempt":2'))).toBe(false);
        expect(verifyCnmcpWebhook('another-secret-0123456789abcdef01234', headers['cnmcp-signature'] as string, body)).toBe(false);
      }
    } finally {
      await server.close();
      receiver.close();
      delete process.env.AUDIT_WEBHOOK_SECRET;
    }
  });
});
