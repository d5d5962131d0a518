import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import myPlugin from './index.js';

const ping = definePlugin({
  kind: 'tool-pack',
  name: 'ping',
  configSchema: { type: 'object' },
  async setup() {
    return {
      tools: [
        {
          name: 'ping_send_ping',
          description: 'Answers pong.',
          inputSchema: { type: 'object', properties: { password: { type: 'string' } }, additionalProperties: false },
          annotations: { readOnlyHint: true },
          handler: async () => ({ content: [{ type: 'text', text: 'pong' }] }),
        },
      ],
    };
  },
});

describe('my-plugin audit sink in the kernel', () => {
  it('receives every event of a session, tool calls with redacted arguments included', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'my-plugin-')), 'audit.jsonl');
    const server = await startTestKernel({ config: { audit: [{ use: 'my-plugin', path }], toolPacks: [{ use: 'ping' }] }, plugins: [myPlugin, ping] });
    const client = new Client({ name: 'my-plugin-test', version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    try {
      await client.connect(new StreamableHTTPClientTransport(server.url));
      await client.callTool({ name: 'ping_send_ping', arguments: { password: 'hunter2-do-not-log' } });
    } finally {
      await client.close();
      // Stopping flushes the audit queue into every sink, then closes them.
      await server.close();
    }
    const text = readFileSync(path, 'utf8');
    const events = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEvent);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['config.loaded', 'tool.call']));
    expect(events.find((e) => e.type === 'tool.call')).toMatchObject({
      tool: 'ping_send_ping',
      outcome: 'success',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(text).not.toContain('hunter2-do-not-log');
  });
});
