import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema, DEFAULT_MAX_TEXT_LENGTH } from './config-schema.js';
import { createCountWordsTool } from './tools/count-words.js';

/**
 * The my-plugin tool pack.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * toolPacks:
 *   - use: my-plugin
 *     maxTextLength: 5000
 */
export default definePlugin({
  kind: 'tool-pack',
  name: 'my-plugin',
  description: 'Example tool pack: counts words in a text.',
  configSchema,
  async setup({ config }) {
    return { tools: [createCountWordsTool(config.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH)] };
  },
});
