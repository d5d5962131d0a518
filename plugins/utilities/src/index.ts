import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, resolveConfig } from './config-schema.js';
import { summarizePagePrompt } from './prompts.js';
import { base64Tool } from './tools/base64.js';
import { getTimeTool } from './tools/get-time.js';
import { getTimestampTool } from './tools/get-timestamp.js';
import { hashTool } from './tools/hash.js';
import { createSleepTool } from './tools/sleep.js';
import { createWebFetchTool } from './tools/web-fetch.js';

/**
 * The reference tool pack: time, timestamps, sleep, a guarded web fetch, hashing and base64.
 *
 * @example
 * toolPacks:
 *   - use: utilities
 *     webFetch: { allowHosts: [docs.internal.example.com] }
 */
export default definePlugin({
  kind: 'tool-pack',
  name: 'utilities',
  description: 'Reference tool pack: current time, Unix timestamps, sleep, SSRF-guarded web fetch, hashing and base64.',
  configSchema,
  async setup(ctx) {
    const settings = resolveConfig(ctx.config);
    return {
      tools: [getTimeTool, getTimestampTool, createSleepTool(settings.sleep), createWebFetchTool(settings.webFetch), hashTool, base64Tool],
      prompts: [summarizePagePrompt],
    };
  },
});
