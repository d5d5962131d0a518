import { definePlugin, type ConfigOf, type PluginConfigSchema } from '@cnmcp/core/plugin';

// The schema, written once: ajv validates the config against it and `ConfigOf` reads the options type from it.
export const configSchema = {
  type: 'object',
  properties: {
    greeting: { type: 'string', minLength: 1, default: 'Hello' },
    shout: { type: 'boolean' },
  },
  additionalProperties: false,
} as const satisfies PluginConfigSchema;

/** `{ readonly greeting: string; readonly shout?: boolean }`: `greeting` has a default, so it is always there. */
export type GreetingConfig = ConfigOf<typeof configSchema>;

export const greet = (config: GreetingConfig, name: string): string => {
  const text = `${config.greeting}, ${name}!`;
  return config.shout ? text.toUpperCase() : text;
};

export default definePlugin({
  kind: 'tool-pack',
  name: 'greeting',
  configSchema,
  async setup({ config }) {
    // config: GreetingConfig, inferred from configSchema; no type argument, no interface beside the schema.
    return {
      tools: [
        {
          name: 'greeting_greet_person',
          description: 'Greets a person.',
          inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
          annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
          handler: async (args: { name: string }) => ({ content: [{ type: 'text', text: greet(config, args.name) }] }),
        },
      ],
    };
  },
});
