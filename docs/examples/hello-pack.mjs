// A complete tool pack in one file: `toolPacks: [{ use: ./hello-pack.mjs, greeting: Hello }]`.
import { definePlugin, jsonContents, readThroughTool } from '@cnmcp/core/plugin';

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
    const greet = {
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
    };
    return {
      tools: [greet],
      prompts: [
        {
          name: 'hello_welcome',
          description: 'Asks the model to welcome a new team member.',
          arguments: [{ name: 'name', description: 'Who joins.', required: true }],
          // Served only while hello_greet_person is: a prompt never names a tool the server lacks.
          tools: ['hello_greet_person'],
          async get({ name }) {
            return {
              messages: [{ role: 'user', content: { type: 'text', text: `Call hello_greet_person with name "${name}", then write a short welcome.` } }],
            };
          },
        },
      ],
      resources: [
        {
          uri: 'hello://greeting',
          name: 'greeting',
          description: 'The greeting for the caller, read through hello_greet_person.',
          mimeType: 'application/json',
          // ctx is a tool's context (caller, deadline, spans): the read runs the tool's own code.
          read: async (ctx) => jsonContents('hello://greeting', await readThroughTool(greet, { name: ctx.identity.id }, ctx)),
        },
      ],
    };
  },
});
