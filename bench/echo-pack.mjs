// The cnmcp side of the comparison: the same echo tool as the bare SDK servers, as a tool-pack plugin.
import { definePlugin } from '@cnmcp/core/plugin';

const echoTool = {
  name: 'echo',
  description: 'Returns its input text',
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  annotations: { readOnlyHint: true },
  handler: async (args) => ({ content: [{ type: 'text', text: args.text }] }),
};

export default definePlugin({
  kind: 'tool-pack',
  name: 'echo',
  description: 'Benchmark echo tool',
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  async setup() {
    return { tools: [echoTool] };
  },
});
