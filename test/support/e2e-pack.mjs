// The e2e test tool pack, as plain ESM so a spawned `cnmcp serve` can load it by path (it resolves
// @cnmcp/core/plugin to core/dist) while vitest loads the very same file with @cnmcp/* aliased to sources.
// e2e-pack.ts re-exports it with types; e2e-pack.d.mts declares them.
import { definePlugin } from '@cnmcp/core/plugin';

const text = (value) => ({ content: [{ type: 'text', text: value }] });

/** Resolves after `ms`, or as soon as `signal` aborts, whichever is first. */
const sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Builds the pack. `onStarted` and `onSettled` hear when each e2e_sleep_ms call began and how it ended, so
 * in-process tests can see that cancellation, timeout and shutdown reached the handler's signal; the logger
 * line does the same for a child process.
 */
export function createE2ePack(options = {}) {
  const onStarted = options.onStarted ?? (() => {});
  const onSettled = options.onSettled ?? (() => {});
  return definePlugin({
    kind: 'tool-pack',
    name: options.name ?? 'e2e',
    description: 'Tools that exercise the kernel end to end',
    configSchema: { type: 'object', properties: {}, additionalProperties: false },
    async setup() {
      return {
        tools: [
          {
            name: 'e2e_echo_text',
            title: 'Echo text',
            description: 'Returns its text argument unchanged',
            inputSchema: {
              type: 'object',
              properties: { text: { type: 'string', maxLength: 10000 } },
              required: ['text'],
              additionalProperties: false,
            },
            annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
            handler: async ({ text: value }) => text(value),
          },
          {
            name: 'e2e_sleep_ms',
            description: 'Waits the given milliseconds, or less if its call is cancelled',
            inputSchema: {
              type: 'object',
              properties: { ms: { type: 'integer', minimum: 0, maximum: 60000 } },
              required: ['ms'],
              additionalProperties: false,
            },
            annotations: { readOnlyHint: true },
            handler: async ({ ms }, ctx) => {
              onStarted({ requestId: ctx.requestId, ms });
              ctx.logger.info('e2e_sleep_ms started', { requestId: ctx.requestId, ms });
              const completed = await sleep(ms, ctx.signal);
              const settled = { requestId: ctx.requestId, ms, completed, aborted: ctx.signal.aborted, reason: String(ctx.signal.reason ?? '') };
              onSettled(settled);
              ctx.logger.info('e2e_sleep_ms settled', settled);
              return text(completed ? `slept ${ms} ms` : `aborted after less than ${ms} ms`);
            },
          },
          {
            name: 'e2e_big_text',
            description: 'Returns a text of the given size in bytes',
            inputSchema: {
              type: 'object',
              properties: { bytes: { type: 'integer', minimum: 0, maximum: 10000000 } },
              required: ['bytes'],
              additionalProperties: false,
            },
            annotations: { readOnlyHint: true },
            handler: async ({ bytes }) => text('x'.repeat(bytes)),
          },
          {
            name: 'e2e_client_supports',
            description: 'Names the client capabilities the call sees declared',
            inputSchema: { type: 'object', properties: {}, additionalProperties: false },
            annotations: { readOnlyHint: true },
            handler: async (_args, ctx) => text(['elicitation', 'sampling', 'roots'].filter((c) => ctx.clientSupports(c)).join(',') || 'none'),
          },
          {
            name: 'e2e_confirm',
            description: 'Asks the user through elicitation whether to go ahead, and says what it did',
            inputSchema: { type: 'object', properties: { subject: { type: 'string' } }, required: ['subject'], additionalProperties: false },
            annotations: { destructiveHint: true },
            handler: async ({ subject }, ctx) => {
              const answer = await ctx.request('elicitation/create', {
                message: `Delete ${subject}?`,
                requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] },
              });
              return text(answer.action === 'accept' && answer.content?.confirm === true ? `deleted ${subject}` : `kept ${subject}`);
            },
          },
          {
            name: 'e2e_fail_always',
            description: 'Always throws',
            inputSchema: { type: 'object', properties: {}, additionalProperties: false },
            annotations: { destructiveHint: false },
            handler: async () => {
              throw new Error('e2e_fail_always failed on purpose');
            },
          },
        ],
      };
    },
  });
}

export default createE2ePack();
