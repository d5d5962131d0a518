import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema } from './config-schema.js';

/** `audit: [{ use: postgres, url: ${env:AUDIT_PG} }]`: one indexed table, shared by every replica. */
export default definePlugin({
  kind: 'audit-sink',
  name: 'postgres',
  description: 'Audit events in a PostgreSQL table shared by replicas: migrated at startup, indexed, queryable, erasable, with optional retention.',
  configSchema,
  async setup({ config, logger }) {
    // pg loads only when this sink is chosen: a server with a file sink starts without it.
    const { PostgresSink } = await import('./postgres-sink.js');
    return PostgresSink.open(config, logger);
  },
});
