import { CnmcpError } from '../plugin/errors.js';
import { refused, setVariables, TRUE, type EnvSections } from './env-variables.js';

/** What to use instead of the original's audit variables that have no direct counterpart. */
const INSTEAD: Readonly<Record<string, string>> = {
  MCP_AUDIT_LEVEL: 'cnmcp records every call, denial and failure; filter with `cnmcp audit query --type/--outcome`',
  MCP_AUDIT_SAMPLING_ENABLED: 'cnmcp never samples the audit trail (its hash chain needs every event)',
  MCP_AUDIT_SAMPLING_RATE: 'cnmcp never samples the audit trail (its hash chain needs every event)',
  MCP_AUDIT_MASKING_VALUE: 'cnmcp replaces sensitive values with a keyed HMAC (auditing.hmacKey), searchable and never a fixed mask',
  MCP_AUDIT_QUERY_ENABLED: 'query with `cnmcp audit query` or GET /admin/audit (permission audit:read)',
  MCP_AUDIT_QUERY_MAX_RESULTS: 'use `cnmcp audit query --limit N`',
  MCP_AUDIT_QUERY_TIME_RANGE: 'use `cnmcp audit query --since 24h`',
  MCP_AUDIT_MAX_RESULTS: 'use `cnmcp audit query --limit N`',
  MCP_AUDIT_TIME_RANGE: 'use `cnmcp audit query --since 24h`',
  MCP_AUDIT_FILE_MAX_BACKUPS: 'the file sink keeps rotated files for `retentionDays` (audit[].retentionDays)',
  MCP_AUDIT_FILE_MAX_LOGS: 'the file sink rotates by size (audit[].maxSizeBytes) and keeps files for audit[].retentionDays',
  MCP_AUDIT_DB_MAX_RECORDS: 'the postgres sink deletes by age: audit[].retentionDays',
  MCP_AUDIT_DB_CLEANUP_INTERVAL: 'the postgres sink deletes by age (audit[].retentionDays) on its own schedule',
  MCP_AUDIT_DB_SQLITE_PATH: 'cnmcp has no SQLite sink: use the file sink (MCP_AUDIT_STORAGE=file) or PostgreSQL',
  MCP_AUDIT_ALERTS_ENABLED: 'alert from the metrics (telemetry.metrics, /metrics) with Prometheus and Alertmanager',
  MCP_AUDIT_ALERTS_METHOD: 'alert from the metrics (telemetry.metrics, /metrics) with Prometheus and Alertmanager',
  MCP_AUDIT_ALERTS_WEBHOOK_URL: 'alert from the metrics (telemetry.metrics, /metrics) with Prometheus and Alertmanager',
  MCP_AUDIT_ALERTS_FAILURE_THRESHOLD: 'alert from the metrics (telemetry.metrics, /metrics) with Prometheus and Alertmanager',
  MCP_AUDIT_ALERTS_CHECK_INTERVAL: 'alert from the metrics (telemetry.metrics, /metrics) with Prometheus and Alertmanager',
};

/** Variables read below, each mapped onto an option of cnmcp's sinks or `auditing:`. */
const MAPPED = new Set([
  'MCP_AUDIT_ENABLED',
  'MCP_AUDIT_STORAGE',
  'MCP_AUDIT_FORMAT',
  'MCP_AUDIT_FILE_PATH',
  'MCP_AUDIT_FILE_MAX_SIZE',
  'MCP_AUDIT_FILE_MAX_AGE_DAYS',
  'MCP_AUDIT_FILE_COMPRESS',
  'MCP_AUDIT_DB_TYPE',
  'MCP_AUDIT_DB_CONNECTION_STRING',
  'MCP_AUDIT_DB_TABLE_NAME',
  'MCP_AUDIT_MASKING_ENABLED',
  'MCP_AUDIT_MASKING_FIELDS',
]);

/**
 * The original server's MCP_AUDIT_* variables: with MCP_AUDIT_ENABLED true-ish, MCP_AUDIT_STORAGE picks cnmcp's
 * file sink, postgres sink or both (the config must then have no `audit:`); every other variable maps onto a sink
 * option or is refused naming what cnmcp does instead.
 */
export function auditFromEnv(config: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvSections {
  if (!TRUE.test(env.MCP_AUDIT_ENABLED ?? '')) return { sections: {}, problems: [] };
  if (config.audit !== undefined) {
    return {
      sections: {},
      problems: [
        new CnmcpError('CONFIG_ENV_CONFLICT', 'MCP_AUDIT_ENABLED is set and the config has an `audit:` section: keep one of them', { path: '/audit' }),
      ],
    };
  }
  const problems: CnmcpError[] = [];
  for (const name of setVariables(env, 'MCP_AUDIT_')) {
    if (MAPPED.has(name)) continue;
    if (name === 'MCP_AUDIT_DB_SQLITE_PATH' && (env.MCP_AUDIT_DB_TYPE ?? '').toLowerCase() !== 'sqlite') continue;
    problems.push(refused(name, INSTEAD[name] ?? 'see docs/security/audit.md', '/audit'));
  }
  if ((env.MCP_AUDIT_FORMAT || 'json').toLowerCase() !== 'json')
    problems.push(refused('MCP_AUDIT_FORMAT=text', 'cnmcp writes JSON lines only; `cnmcp audit query` prints a table', '/audit'));
  if (env.MCP_AUDIT_MASKING_ENABLED && !TRUE.test(env.MCP_AUDIT_MASKING_ENABLED)) {
    problems.push(refused('MCP_AUDIT_MASKING_ENABLED=false', 'cnmcp always redacts credentials in audit events', '/auditing'));
  }
  const storage = (env.MCP_AUDIT_STORAGE || 'memory').toLowerCase();
  const sinks: Record<string, unknown>[] = [];
  if (storage === 'file' || storage === 'all') sinks.push(fileSink(env, problems));
  if (storage === 'database' || storage === 'all') {
    const type = (env.MCP_AUDIT_DB_TYPE ?? '').toLowerCase();
    if (type === 'postgres' || type === 'postgresql') {
      sinks.push({
        use: 'postgres',
        url: '${env:MCP_AUDIT_DB_CONNECTION_STRING}',
        ...(env.MCP_AUDIT_DB_TABLE_NAME ? { table: env.MCP_AUDIT_DB_TABLE_NAME } : {}),
      });
    } else {
      problems.push(
        refused(
          `MCP_AUDIT_DB_TYPE=${type || '(unset)'}`,
          'cnmcp stores audit events in PostgreSQL (MCP_AUDIT_DB_TYPE=postgres) or a file (MCP_AUDIT_STORAGE=file)',
          '/audit',
        ),
      );
    }
  }
  if (!['file', 'database', 'all'].includes(storage)) {
    problems.push(
      refused(`MCP_AUDIT_STORAGE=${storage}`, 'cnmcp keeps no audit trail in memory only: use MCP_AUDIT_STORAGE=file (queryable) or database', '/audit'),
    );
  }
  // Sinks are returned beside refusals: at startup any problem stops the server, and `config migrate` keeps the rest.
  if (sinks.length === 0) return { sections: {}, problems };
  const sections: Record<string, unknown> = { audit: sinks };
  if (env.MCP_AUDIT_MASKING_FIELDS) {
    const auditing = (config.auditing ?? {}) as Record<string, unknown>;
    const fields = env.MCP_AUDIT_MASKING_FIELDS.split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    // Field names, not patterns: matched whole and case-insensitively, as the original did.
    const patterns = fields.map((f) => `^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    sections.auditing = { ...auditing, sensitiveKeys: [...((auditing.sensitiveKeys as string[] | undefined) ?? []), ...patterns] };
  }
  return { sections, problems };
}

function fileSink(env: NodeJS.ProcessEnv, problems: CnmcpError[]): Record<string, unknown> {
  const sink: Record<string, unknown> = { use: 'file', path: env.MCP_AUDIT_FILE_PATH ? '${env:MCP_AUDIT_FILE_PATH}' : './audit/audit.jsonl' };
  const whole = (name: string, path: string, scale = 1) => {
    const value = Number(env[name]);
    if (Number.isInteger(value) && value > 0) return value * scale;
    problems.push(new CnmcpError('CONFIG_INVALID_VALUE', `${name} must be a whole number above 0`, { path }));
    return undefined;
  };
  // The original took the size in megabytes (lumberjack's MaxSize).
  if (env.MCP_AUDIT_FILE_MAX_SIZE) sink.maxSizeBytes = whole('MCP_AUDIT_FILE_MAX_SIZE', '/audit/0/maxSizeBytes', 1024 * 1024);
  if (env.MCP_AUDIT_FILE_MAX_AGE_DAYS) sink.retentionDays = whole('MCP_AUDIT_FILE_MAX_AGE_DAYS', '/audit/0/retentionDays');
  if (env.MCP_AUDIT_FILE_COMPRESS) sink.gzip = TRUE.test(env.MCP_AUDIT_FILE_COMPRESS);
  return sink;
}
