import { definePlugin } from '@cnmcp/core/plugin';
import { streamSink } from './stream-sink.js';

/**
 * `audit: [{ use: stdout }]`: one JSON line per event for a log collector. On the stdio transport stdout carries
 * MCP itself, and a plugin cannot see the transport: stdio deployments set `stream: stderr`.
 */
export default definePlugin({
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
    return streamSink(config.stream === 'stderr' ? process.stderr : process.stdout, config.failClosed);
  },
});
