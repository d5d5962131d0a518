import { definePlugin } from '@cnmcp/core/plugin';

export interface StdoutConfig {
  readonly stream: 'stdout' | 'stderr';
  readonly failClosed: boolean;
}

/**
 * One JSON line per event on stdout (for a log collector) or stderr. On the stdio transport stdout carries MCP, so
 * stdio deployments must use `stream: stderr`.
 */
export default definePlugin<'audit-sink', StdoutConfig>({
  kind: 'audit-sink',
  name: 'stdout',
  description: 'Audit events as JSON lines on stdout or stderr, for a log collector. Use stderr with the stdio transport.',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      stream: { enum: ['stdout', 'stderr'], default: 'stdout', description: 'Where to write; stdout belongs to MCP on the stdio transport.' },
      failClosed: { type: 'boolean', default: false, description: 'A tool call fails when its event cannot be written.' },
    },
  },
  async setup({ config }) {
    const stream = config.stream === 'stderr' ? process.stderr : process.stdout;
    return {
      failClosed: config.failClosed,
      write: (batch) =>
        new Promise<void>((resolve, reject) => stream.write(batch.map((e) => `${JSON.stringify(e)}\n`).join(''), (error) => (error ? reject(error) : resolve()))),
      close: async () => {},
    };
  },
});
