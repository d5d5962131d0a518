import { definePlugin, type AuditEvent } from '@cnmcp/core/plugin';

/**
 * A tool pack for tests: one tool (named by config, `echo_show_args` by default) that returns its arguments as
 * JSON text, with a field for every sanitize policy.
 */
export const echoPack = definePlugin<'tool-pack', { tool: string }>({
  kind: 'tool-pack',
  name: 'echo',
  configSchema: { type: 'object', properties: { tool: { type: 'string', default: 'echo_show_args' } }, additionalProperties: false },
  setup: async ({ config }) => ({
    tools: [
      {
        name: config.tool,
        description: 'Returns its arguments.',
        inputSchema: {
          type: 'object',
          properties: {
            note: { type: 'string' },
            labels: { type: 'array', items: { type: 'string' } },
            annotations: { type: 'object', additionalProperties: { type: 'string' } },
            namespace: { type: 'string', 'x-cnmcp-sanitize': 'identifier' },
            link: { type: 'string', 'x-cnmcp-sanitize': 'url' },
            query: { type: 'string', 'x-cnmcp-sanitize': 'query' },
            body: { type: 'string', 'x-cnmcp-sanitize': 'raw' },
          },
          additionalProperties: false,
        },
        annotations: { readOnlyHint: true },
        handler: async (args: Record<string, unknown>) => ({ content: [{ type: 'text' as const, text: JSON.stringify(args) }] }),
      },
    ],
  }),
});

/** An audit sink keeping events in memory, so tests can see what the kernel records. */
export function memorySink(events: AuditEvent[]) {
  return definePlugin({
    kind: 'audit-sink',
    name: 'memory',
    configSchema: { type: 'object' },
    setup: async () => ({ write: async (batch) => void events.push(...batch), close: async () => {} }),
  });
}
