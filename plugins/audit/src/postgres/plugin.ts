import { definePlugin } from '@cnmcp/core/plugin';
import { configSchema } from './config-schema.js';
import { PostgresSink } from './postgres-sink.js';

/** `audit: [{ use: postgres, url: ${env:AUDIT_PG} }]`: one indexed table, shared by every replica. */
export default definePlugin({
  kind: 'audit-sink',
  name: 'postgres',
  description: 'Audit events in a PostgreSQL table shared by replicas: migrated at startup, indexed, queryable, erasable, with optional retention.',
  configSchema,
  async setup({ config, logger }) {
    return PostgresSink.open(config, logger);
  },
});
