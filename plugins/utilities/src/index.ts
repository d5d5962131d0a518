import { definePlugin } from '@cnmcp/core/plugin';

export default definePlugin({
  kind: 'tool-pack',
  name: 'utilities',
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  async setup() {
    return { tools: [] };
  },
});
