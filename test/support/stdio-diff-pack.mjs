// The tool pack of the stdio fast-path differential test (test/e2e/stdio-fast-path-differential.test.ts), as plain
// ESM so a spawned `cnmcp serve --transport stdio` loads it by path: one tool per result shape and failure the
// fast path must answer exactly as the SDK does, and one that tells which path ran it.
import { definePlugin } from '@cnmcp/core/plugin';
import { underSdk } from './under-sdk.mjs';

const text = (value) => ({ content: [{ type: 'text', text: value }] });
const ANY_ARGS = { type: 'object', properties: { text: { type: 'string' } }, additionalProperties: false };
const TEXT_ARGS = { type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'], additionalProperties: false };

const tool = (name, handler, extra = {}) => ({ name, description: `stdio differential ${name}`, inputSchema: ANY_ARGS, handler, ...extra });

export default definePlugin({
  kind: 'tool-pack',
  name: 'stdio-diff',
  configSchema: { type: 'object', additionalProperties: false },
  setup: async () => ({
    tools: [
      tool('sd_echo', async (args) => text(String(args.text)), { title: 'Echo', inputSchema: TEXT_ARGS, annotations: { readOnlyHint: true } }),
      tool('sd_two_blocks', async () => ({ content: [text('one').content[0], text('two').content[0]] })),
      tool('sd_is_error', async () => ({ ...text('it went wrong'), isError: true })),
      tool('sd_not_error', async () => ({ ...text('fine'), isError: false })),
      tool('sd_throws', async () => {
        throw new Error('boom');
      }),
      tool('sd_no_content', async () => ({})),
      tool('sd_image', async () => ({ content: [{ type: 'image', data: 'aGk=', mimeType: 'image/png' }] })),
      tool('sd_meta', async () => ({ ...text('with meta'), _meta: { 'example.com/x': 1 } })),
      tool('sd_structured', async () => ({ ...text('{"n":1}'), structuredContent: { n: 1 } }), {
        outputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
      }),
      tool('sd_unicode', async () => text('é \u2028 \u{1F600} "quoted" \\ </script>')),
      tool('sd_logs', async (_args, ctx) => {
        await ctx.log('info', { step: 1 });
        await ctx.progress(1, 2, 'half');
        return text('logged');
      }),
      tool('sd_elicits', async (_args, ctx) =>
        text(JSON.stringify(await ctx.request('elicitation/create', { message: 'ok?', requestedSchema: { type: 'object', properties: {} } }))),
      ),
      tool('sd_where', async () => text(underSdk())),
    ],
  }),
});
