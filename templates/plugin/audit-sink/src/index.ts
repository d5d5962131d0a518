import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema } from './config-schema.js';
import { createJsonlSink } from './jsonl-sink.js';

/**
 * The my-plugin audit sink: every audit event appended to a JSON-lines file.
 *
 * @example
 * plugins: [./plugins/my-plugin]
 * audit:
 *   - use: my-plugin
 *     path: ./data/audit-copy.jsonl
 */
export default definePlugin({
  kind: 'audit-sink',
  name: 'my-plugin',
  description: 'Example audit sink: appends events to a JSON-lines file.',
  configSchema,
  async setup({ config }) {
    return createJsonlSink({ path: config.path, failClosed: config.failClosed ?? false });
  },
});
