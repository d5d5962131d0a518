import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../testing/start-test-kernel.js';
import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin/define-plugin.js';
import { Secret } from '../plugin/secret.js';
import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import { Kernel, type KernelOptions } from './kernel.js';

const tool = (name: string): ToolDefinition => ({
  name,
  description: name,
  inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false },
  annotations: { readOnlyHint: true },
  handler: async (args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }),
});

const pack = (name: string, tools: ToolDefinition[]) =>
  definePlugin({ kind: 'tool-pack', name, configSchema: { type: 'object', additionalProperties: false }, setup: async () => ({ tools }) });

// The in-memory audit sink double the kernel fans events out to.
const memorySink = (events: AuditEvent[], closed: string[]) =>
  definePlugin({
    kind: 'audit-sink',
    name: 'memory',
    configSchema: { type: 'object', additionalProperties: false },
    setup: async () => ({ write: async (batch) => void events.push(...batch), close: async () => void closed.push('memory') }),
  });

const kernels: Kernel[] = [];
afterEach(async () => {
  await Promise.all(kernels.splice(0).map((k) => k.stop()));
});

async function start(config: Record<string, unknown>, plugins: KernelOptions['plugins']) {
  const kernel = await Kernel.load({ config: { server: { listen: '127.0.0.1:0' }, ...config }, plugins, logger: silentLogger });
  kernels.push(kernel);
  await kernel.start();
  return kernel;
}

/** One 2025-era stateless JSON-RPC call; the answer may come as JSON or as one SSE message. */
async function call(kernel: Kernel, body: unknown): Promise<unknown> {
  const response = await fetch(kernel.url!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const data =
    text.startsWith('event:') || text.startsWith('data:')
      ? text
          .split('\n')
          .find((l) => l.startsWith('data: '))!
          .slice(6)
      : text;
  return JSON.parse(data);
}

describe('Kernel', () => {
  it('moves through its lifecycle and reports readiness only when ready', async () => {
    const kernel = await Kernel.load({
      config: { server: { listen: '127.0.0.1:0' }, toolPacks: [{ use: 'a' }] },
      plugins: [pack('a', [tool('a_get_thing')])],
      logger: silentLogger,
    });
    kernels.push(kernel);
    expect(kernel.state).toBe('loaded');
    await kernel.start();
    expect(kernel.state).toBe('ready');
    expect((await fetch(new URL('/readyz', kernel.url))).status).toBe(200);
    await kernel.stop();
    expect(kernel.state).toBe('stopped');
    await kernel.stop(); // idempotent
  });

  it('refuses two packs defining the same tool, naming both', async () => {
    const kernel = await Kernel.load({
      config: { server: { listen: '127.0.0.1:0' }, toolPacks: [{ use: 'a' }, { use: 'b' }] },
      plugins: [pack('a', [tool('x_get_y')]), pack('b', [tool('x_get_y')])],
      logger: silentLogger,
    });
    await expect(kernel.start()).rejects.toMatchObject({ code: 'DUPLICATE_NAME', message: 'tool "x_get_y" is defined by both tool-pack/a and tool-pack/b' });
    expect(kernel.state).toBe('stopped');
  });

  it('refuses a tool whose schema names an unknown sanitize policy, at load', async () => {
    const typo: ToolDefinition = {
      ...tool('a_get_typo'),
      inputSchema: { type: 'object', properties: { name: { type: 'string', 'x-cnmcp-sanitize': 'identifer' } } },
    };
    const kernel = await Kernel.load({
      config: { server: { listen: '127.0.0.1:0' }, toolPacks: [{ use: 'a' }] },
      plugins: [pack('a', [typo])],
      logger: silentLogger,
    });
    await expect(kernel.setup()).rejects.toMatchObject({
      code: 'TOOL_INVALID',
      message: expect.stringContaining('x-cnmcp-sanitize "identifer" at /properties/name'),
    });
  });

  it('validates arguments again after the sanitizer changed them', async () => {
    const stripAll = definePlugin({
      kind: 'sanitizer',
      name: 'strip-all',
      configSchema: { type: 'object' },
      // A sanitizer double that empties every string.
      setup: async () => ({ sanitize: () => ({ value: '' }) }),
    });
    const strict: ToolDefinition = { ...tool('a_get_named'), inputSchema: { type: 'object', properties: { name: { type: 'string', minLength: 1 } } } };
    const kernel = await start({ sanitize: { use: 'strip-all' }, toolPacks: [{ use: 'a' }] }, [pack('a', [strict]), stripAll]);
    const answer = await call(kernel, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a_get_named', arguments: { name: 'x' } } });
    expect(answer).toMatchObject({
      result: {
        isError: true,
        content: [{ type: 'text', text: expect.stringContaining('after sanitization, invalid arguments for tool a_get_named: /name') }],
      },
    });
  });

  it('names the plugin and its config path when its setup fails, and closes what was started', async () => {
    const events: AuditEvent[] = [];
    const closed: string[] = [];
    const failing = definePlugin({
      kind: 'tool-pack',
      name: 'broken',
      configSchema: { type: 'object' },
      setup: () => Promise.reject(new Error('backend unreachable')),
    });
    const kernel = await Kernel.load({
      config: { server: { listen: '127.0.0.1:0' }, audit: [{ use: 'memory' }], toolPacks: [{ use: 'broken' }] },
      plugins: [failing, memorySink(events, closed)],
      logger: silentLogger,
    });
    await expect(kernel.setup()).rejects.toMatchObject({
      code: 'PLUGIN_SETUP_FAILED',
      path: '/toolPacks/0',
      message: 'tool-pack/broken failed to start: backend unreachable',
    });
    expect(closed).toEqual(['memory']);
  });

  it('audits tool calls, failures and lifecycle events to every sink, and flushes them on stop', async () => {
    const events: AuditEvent[] = [];
    const closed: string[] = [];
    const kernel = await start({ audit: [{ use: 'memory' }], toolPacks: [{ use: 'a' }] }, [pack('a', [tool('a_get_thing')]), memorySink(events, closed)]);
    const ok = await call(kernel, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a_get_thing', arguments: { n: 1 } } });
    expect(ok).toMatchObject({ result: { content: [{ type: 'text', text: '{"n":1}' }] } });
    const invalid = await call(kernel, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'a_get_thing', arguments: { n: 'one' } } });
    expect(invalid).toMatchObject({ result: { isError: true, content: [{ type: 'text', text: expect.stringContaining('/n: must be integer') }] } });
    await kernel.stop();
    expect(closed).toEqual(['memory']);
    const summary = events.map((e) => `${e.type}:${e.outcome}${e.tool ? `:${e.tool}` : ''}`);
    expect(summary).toEqual([
      'config.loaded:success',
      'server.started:success',
      'tool.call:success:a_get_thing',
      'input.rejected:failure:a_get_thing',
      'server.stopped:success',
    ]);
    const toolCall = events.find((e) => e.type === 'tool.call')!;
    expect(toolCall).toMatchObject({ actor: { id: 'anonymous' }, source: { ip: '127.0.0.1', transport: 'http' } });
    expect(toolCall.durationMs).toBeGreaterThanOrEqual(0);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('withholds a tool result when a fail-closed sink cannot store its audit record', async () => {
    const broken = definePlugin({
      kind: 'audit-sink',
      name: 'broken',
      configSchema: { type: 'object', additionalProperties: false },
      setup: async () => ({ failClosed: true, write: () => Promise.reject(new Error('disk full')), close: async () => {} }),
    });
    const kernel = await start({ audit: [{ use: 'broken' }], toolPacks: [{ use: 'a' }] }, [pack('a', [tool('a_get_thing')]), broken]);
    const answer = await call(kernel, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a_get_thing', arguments: { n: 1 } } });
    expect(answer).toMatchObject({ error: { code: -32050, message: expect.stringContaining('audit log is unavailable') } });
  });

  it('records tool arguments with sensitive values as searchable HMACs under the configured key', async () => {
    const events: AuditEvent[] = [];
    const secretTool: ToolDefinition = { ...tool('a_set_thing'), inputSchema: { type: 'object' } };
    const kernel = await start({ audit: [{ use: 'memory' }], auditing: { hmacKey: 'an-audit-hmac-key-of-32-characters!!' }, toolPacks: [{ use: 'a' }] }, [
      pack('a', [secretTool]),
      memorySink(events, []),
    ]);
    await call(kernel, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a_set_thing', arguments: { name: 'x', password: 'hunter2' } } });
    await kernel.stop();
    const recorded = events.find((e) => e.type === 'tool.call')!;
    const expected = `hmac-sha256:${createHmac('sha256', 'an-audit-hmac-key-of-32-characters!!').update('hunter2').digest('hex')}`;
    expect(recorded.arguments).toEqual({ name: 'x', password: expected });
    expect(JSON.stringify(events)).not.toContain('hunter2');
    expect(recorded).toMatchObject({ chain: expect.any(String), seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('resolves ${secret:} references through the secret store before other plugins read their options', async () => {
    const seen: unknown[] = [];
    const store = definePlugin({
      kind: 'secret-store',
      name: 'fixed',
      configSchema: { type: 'object', additionalProperties: false },
      // An in-memory store double holding one secret.
      setup: async () => ({
        get: async (name: string) => {
          if (name !== 'greeting') throw new Error('not found');
          return { name, value: new Secret('s3cret-greeting-value'), type: 'generic' as const, version: 1, createdAt: new Date() };
        },
        put: () => Promise.reject(new Error('read-only')),
        list: async () => [],
        delete: () => Promise.reject(new Error('read-only')),
        getVersions: async () => [],
      }),
    });
    const reader = definePlugin({
      kind: 'tool-pack',
      name: 'reader',
      configSchema: { type: 'object', properties: { greeting: { type: 'string' } }, additionalProperties: false },
      setup: async ({ config }) => {
        seen.push(config);
        return { tools: [] };
      },
    });
    const kernel = await Kernel.load({
      config: { server: { listen: '127.0.0.1:0' }, secrets: { use: 'fixed' }, toolPacks: [{ use: 'reader', greeting: 'say ${secret:greeting}' }] },
      plugins: [store, reader],
      logger: silentLogger,
    });
    kernels.push(kernel);
    await kernel.setup();
    expect(seen).toEqual([{ greeting: 'say s3cret-greeting-value' }]);
  });

  it('loads a plugin module named by a ./path relative to the config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnmcp-plugin-'));
    const core = pathToFileURL(join(import.meta.dirname, '../plugin/define-plugin.ts')).href;
    writeFileSync(
      join(dir, 'local-pack.mjs'),
      `import { definePlugin } from ${JSON.stringify(core)};
export default definePlugin({ kind: 'tool-pack', name: 'local', configSchema: { type: 'object', properties: { word: { type: 'string' } }, additionalProperties: false },
  async setup({ config }) { return { tools: [{ name: 'local_say_word', description: 'says', inputSchema: { type: 'object' }, handler: async () => ({ content: [{ type: 'text', text: config.word }] }) }] }; } });`,
    );
    const kernel = await Kernel.load({
      config: { server: { listen: '127.0.0.1:0' }, toolPacks: [{ use: './local-pack.mjs', word: 'hi' }] },
      baseDir: dir,
      logger: silentLogger,
    });
    kernels.push(kernel);
    await kernel.setup();
    expect(kernel.tools().map((t) => t.name)).toEqual(['local_say_word']);
  });
});
