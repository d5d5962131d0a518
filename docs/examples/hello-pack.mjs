// A complete tool pack in one file: `toolPacks: [{ use: ./hello-pack.mjs, greeting: Hello }]`.
import { definePlugin } from '@cnmcp/core/plugin';

export default definePlugin({
  kind: 'tool-pack',
  name: 'hello',
  description: 'Greets people; the smallest useful tool pack.',
  configSchema: {
    type: 'object',
    properties: { greeting: { type: 'string', default: 'Hello', description: 'Word to greet with.' } },
    additionalProperties: false,
  },
  async setup({ config, logger }) {
    logger.info('hello pack ready', { greeting: config.greeting });
    return {
      tools: [
        {
          name: 'hello_greet_person',
          title: 'Greet a person',
          description: 'Returns a greeting for the given name.',
          inputSchema: {
            type: 'object',
            properties: { name: { type: 'string', minLength: 1, maxLength: 100, description: 'Who to greet.' } },
            required: ['name'],
            additionalProperties: false,
          },
          outputSchema: { type: 'object', properties: { greeting: { type: 'string' } }, required: ['greeting'] },
          annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
          async handler({ name }, ctx) {
            const greeting = `${config.greeting}, ${name}!`;
            ctx.logger.debug('greeted', { caller: ctx.identity.id });
            return { content: [{ type: 'text', text: greeting }], structuredContent: { greeting } };
          },
        },
      ],
      prompts: [
        {
          name: 'hello_welcome',
          description: 'Asks the model to welcome a new team member.',
          arguments: [{ name: 'name', required: true }],
          async get({ name }) {
            return { messages: [{ role: 'user', content: { type: 'text', text: `Write a short welcome for ${name}.` } }] };
          },
        },
      ],
    };
  },
});
