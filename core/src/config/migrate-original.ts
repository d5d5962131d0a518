import { fromOriginalEnv } from './original-env.js';

/** What `cnmcp config migrate` prints: the cnmcp config, and one note per setting it could not carry as it was. */
export interface Migrated {
  readonly config: Record<string, unknown>;
  readonly notes: readonly string[];
}

type Obj = Record<string, unknown>;

/** YAML keys of the original's auth, audit and rate-limit sections, by the MCP_* variable the original read them from. */
const VARIABLES: Readonly<Record<string, string>> = {
  'auth.enabled': 'MCP_AUTH_ENABLED',
  'auth.mode': 'MCP_AUTH_MODE',
  'auth.apiKey': 'MCP_AUTH_API_KEY',
  'auth.bearerToken': 'MCP_AUTH_BEARER_TOKEN',
  'auth.username': 'MCP_AUTH_USERNAME',
  'auth.password': 'MCP_AUTH_PASSWORD',
  'auth.jwtSecret': 'MCP_AUTH_JWT_SECRET',
  'auth.jwtAlgorithm': 'MCP_AUTH_JWT_ALGORITHM',
  'auth.oidcIssuerUrl': 'MCP_AUTH_OIDC_ISSUER_URL',
  'auth.oidcDiscoveryUrl': 'MCP_AUTH_OIDC_DISCOVERY_URL',
  'auth.oidcIssuer': 'MCP_AUTH_OIDC_ISSUER',
  'auth.oidcAudience': 'MCP_AUTH_OIDC_AUDIENCE',
  'auth.oidcClientId': 'MCP_AUTH_OIDC_CLIENT_ID',
  'auth.oidcHttpTimeoutSec': 'MCP_AUTH_OIDC_HTTP_TIMEOUT',
  'auth.oidcJwksCacheTtlSec': 'MCP_AUTH_OIDC_JWKS_CACHE_TTL',
  'audit.enabled': 'MCP_AUDIT_ENABLED',
  'audit.level': 'MCP_AUDIT_LEVEL',
  'audit.storage': 'MCP_AUDIT_STORAGE',
  'audit.format': 'MCP_AUDIT_FORMAT',
  'audit.maxResults': 'MCP_AUDIT_MAX_RESULTS',
  'audit.timeRange': 'MCP_AUDIT_TIME_RANGE',
  'audit.file.path': 'MCP_AUDIT_FILE_PATH',
  'audit.file.maxSizeMB': 'MCP_AUDIT_FILE_MAX_SIZE',
  'audit.file.maxBackups': 'MCP_AUDIT_FILE_MAX_BACKUPS',
  'audit.file.maxAgeDays': 'MCP_AUDIT_FILE_MAX_AGE_DAYS',
  'audit.file.compress': 'MCP_AUDIT_FILE_COMPRESS',
  'audit.file.maxLogs': 'MCP_AUDIT_FILE_MAX_LOGS',
  'audit.database.type': 'MCP_AUDIT_DB_TYPE',
  'audit.database.sqlitePath': 'MCP_AUDIT_DB_SQLITE_PATH',
  'audit.database.connectionString': 'MCP_AUDIT_DB_CONNECTION_STRING',
  'audit.database.tableName': 'MCP_AUDIT_DB_TABLE_NAME',
  'audit.database.maxRecords': 'MCP_AUDIT_DB_MAX_RECORDS',
  'audit.database.cleanupInterval': 'MCP_AUDIT_DB_CLEANUP_INTERVAL',
  'audit.query.enabled': 'MCP_AUDIT_QUERY_ENABLED',
  'audit.query.maxResults': 'MCP_AUDIT_QUERY_MAX_RESULTS',
  'audit.query.timeRange': 'MCP_AUDIT_QUERY_TIME_RANGE',
  'audit.alerts.enabled': 'MCP_AUDIT_ALERTS_ENABLED',
  'audit.alerts.failureThreshold': 'MCP_AUDIT_ALERTS_FAILURE_THRESHOLD',
  'audit.alerts.checkIntervalSec': 'MCP_AUDIT_ALERTS_CHECK_INTERVAL',
  'audit.alerts.method': 'MCP_AUDIT_ALERTS_METHOD',
  'audit.alerts.webhookURL': 'MCP_AUDIT_ALERTS_WEBHOOK_URL',
  'audit.masking.enabled': 'MCP_AUDIT_MASKING_ENABLED',
  'audit.masking.fields': 'MCP_AUDIT_MASKING_FIELDS',
  'audit.masking.maskValue': 'MCP_AUDIT_MASKING_VALUE',
  'audit.sampling.enabled': 'MCP_AUDIT_SAMPLING_ENABLED',
  'audit.sampling.rate': 'MCP_AUDIT_SAMPLING_RATE',
  'ratelimit.enabled': 'MCP_RATELIMIT_ENABLED',
  'ratelimit.requests_per_second': 'MCP_RATELIMIT_REQUESTS_PER_SECOND',
  'ratelimit.burst': 'MCP_RATELIMIT_BURST',
};

/** Values that ask for nothing beyond what cnmcp does anyway: carried by saying nothing. */
const NO_OPS: Readonly<Record<string, string>> = {
  'audit.level': 'info',
  'audit.format': 'json',
  'audit.masking.enabled': 'true',
  'audit.query.enabled': 'true',
  'auth.oidcHttpTimeoutSec': '5',
};

/** Credentials stay out of the printed config: they become `${env:}` references to set in the environment. */
const SECRETS = new Set(['MCP_AUTH_API_KEY', 'MCP_AUTH_PASSWORD', 'MCP_AUTH_JWT_SECRET', 'MCP_AUTH_BEARER_TOKEN', 'MCP_AUDIT_DB_CONNECTION_STRING']);

/** Services of the original server with no cnmcp tool pack (yet). */
const NO_PACK = ['grafana', 'kibana', 'helm', 'elasticsearch', 'argocd', 'nacos', 'opentelemetry', 'langfuse', 'sentry', 'dify', 'loki', 'jaeger'];

/**
 * Translates the original Cloud Native MCP Server's config.yaml into a cnmcp config. The auth, audit and rate-limit
 * sections go through the same mapping as the original's MCP_* variables, so a file and its environment migrate
 * alike; everything else is translated here. Nothing is dropped without a note.
 */
export function migrateOriginal(original: Obj): Migrated {
  const notes: string[] = [];
  const config: Obj = {};
  const server = obj(original.server);
  const logging = obj(original.logging);

  const known = new Set([
    ...Object.keys(VARIABLES).map((k) => k.split('.')[0]!),
    'server',
    'logging',
    'kubernetes',
    'prometheus',
    'alertmanager',
    'otel',
    'enableDisable',
    'utilities',
    ...NO_PACK,
  ]);
  for (const key of Object.keys(original)) if (!known.has(key)) notes.push(`${key}: not a setting of the original server that cnmcp knows; left out`);

  // Security sections: the original's variables, from the file.
  const { env, secrets } = variablesOf(original);
  const mapped = fromOriginalEnv({}, env);
  for (const problem of mapped.problems) notes.push(inYamlTerms(problem.message));
  Object.assign(config, withValues(mapped.sections, env, secrets, notes) as Obj);
  if (config.audit !== undefined) {
    // The original's log could be edited unnoticed; cnmcp seals it with a keyed hash chain once it has a key.
    config.auditing = { ...obj(config.auditing), chainKey: '${env:CNMCP_AUDIT_CHAIN_KEY}' };
    notes.push(
      'audit: cnmcp seals the audit log with a keyed hash chain: set CNMCP_AUDIT_CHAIN_KEY to a random key of 32+ characters (openssl rand -base64 32)',
    );
  }
  if (config.authorization !== undefined) {
    notes.push('auth: the original server had no authorization, so every identity may call every tool (authorization: allow-all); add rbac roles to do better');
  }

  config.server = serverOf(server, config, notes);
  const tls = tlsOf(obj(server.tls), notes);
  if (tls) config.tls = tls;
  if (logging.level !== undefined || logging.json !== undefined) {
    config.logging = {
      ...(typeof logging.level === 'string' ? { level: logging.level === 'warning' ? 'warn' : logging.level } : {}),
      ...(logging.json !== undefined ? { format: logging.json === true ? 'json' : 'pretty' } : {}),
    };
  }
  const telemetry = telemetryOf(obj(original.otel), notes);
  if (telemetry) config.telemetry = telemetry;
  config.toolPacks = toolPacksOf(original, notes);
  const toggles = obj(original.enableDisable);
  for (const [key, value] of Object.entries(toggles)) {
    if (Array.isArray(value) && value.length > 0)
      notes.push(`enableDisable.${key}: select packs with toolPacks and restrict tools with rbac roles (authorization)`);
  }
  // Server first, as a person would write it.
  return { config: { server: config.server, ...config }, notes };
}

function variablesOf(original: Obj): { env: NodeJS.ProcessEnv; secrets: Map<string, string> } {
  const env: NodeJS.ProcessEnv = {};
  const secrets = new Map<string, string>();
  for (const [path, variable] of Object.entries(VARIABLES)) {
    const value = path.split('.').reduce<unknown>((at, key) => obj(at)[key], original);
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (NO_OPS[path] === text) continue;
    // A disabled alerts or sampling block asks for nothing.
    if (/^audit\.(alerts|sampling)\./.test(path) && obj(obj(original.audit)[path.split('.')[1]!]).enabled !== true) continue;
    env[variable] = text;
    if (SECRETS.has(variable)) secrets.set(variable, text);
  }
  return { env, secrets };
}

/** `MCP_AUDIT_SAMPLING_RATE (from the original server) is not read` becomes `audit.sampling.rate is not carried`. */
function inYamlTerms(message: string): string {
  let out = message.replace(' (from the original server) is not read by cnmcp', ' is not carried');
  for (const [path, variable] of Object.entries(VARIABLES)) out = out.replace(new RegExp(`\\b${variable}\\b`, 'g'), path);
  return out;
}

/**
 * The mapping writes `${env:MCP_...}` for every value. Plain settings get their value back; credentials stay
 * references (to the variable the original file itself referenced, when it did), each with a note.
 */
function withValues(value: unknown, env: NodeJS.ProcessEnv, secrets: Map<string, string>, notes: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withValues(v, env, secrets, notes));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withValues(v, env, secrets, notes)]));
  if (typeof value !== 'string') return value;
  return value.replace(/\$\{env:(MCP_[A-Z0-9_]+)\}/g, (whole, variable: string) => {
    const original = secrets.get(variable);
    if (original === undefined) return env[variable] ?? whole;
    const path = Object.entries(VARIABLES).find(([, v]) => v === variable)![0];
    const referenced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(original)?.[1];
    const name = referenced ?? variable;
    notes.push(
      `${path}: kept out of the new file; set ${name} in the environment${referenced ? '' : ' to the value of the old file'} (or use a secret store: \${secret:NAME})`,
    );
    return `\${env:${name}}`;
  });
}

function serverOf(server: Obj, config: Obj, notes: string[]): Obj {
  const out: Obj = {};
  const mode = typeof server.mode === 'string' ? server.mode : 'sse';
  if (mode === 'stdio') out.transport = 'stdio';
  else if (mode !== 'sse' && mode !== 'streamable-http' && mode !== 'http')
    notes.push(`server.mode: "${mode}" is unknown; cnmcp serves HTTP (Streamable HTTP at /mcp and legacy SSE at /sse)`);
  let listen = typeof server.addr === 'string' && server.addr !== '' ? server.addr : '0.0.0.0:8080';
  if (listen.startsWith(':')) listen = `0.0.0.0${listen}`;
  const hasAuth = Array.isArray(config.auth) && config.auth.length > 0;
  const loopback = /^(127\.|localhost:|\[::1\]:)/.test(listen);
  if (!loopback && !hasAuth && out.transport !== 'stdio') {
    const port = listen.slice(listen.lastIndexOf(':') + 1);
    notes.push(
      `server.addr: ${listen} without auth would let anyone call every tool; cnmcp refuses that, so this config listens on 127.0.0.1:${port}: enable auth to listen beyond loopback`,
    );
    listen = `127.0.0.1:${port}`;
  }
  if (out.transport !== 'stdio') out.listen = listen;
  if (obj(server.ssePaths) !== EMPTY || obj(server.streamableHttpPaths) !== EMPTY) {
    notes.push(
      'server.ssePaths, server.streamableHttpPaths: cnmcp serves every pack on one endpoint, /mcp (Streamable HTTP) and /sse (legacy SSE); per-service paths are not carried',
    );
  }
  for (const key of ['readTimeoutSec', 'writeTimeoutSec', 'idleTimeoutSec']) {
    if (server[key] !== undefined)
      notes.push(`server.${key}: not carried; cnmcp bounds requests with server.headersTimeoutMs, server.requestTimeoutMs and server.toolTimeoutMs`);
  }
  if (!loopback && hasAuth && !server.tls) {
    notes.push(
      `server.addr: credentials over plain HTTP beyond loopback are refused; configure tls: or, when a proxy terminates TLS, server.tlsTerminatedUpstream: true`,
    );
  }
  return out;
}

function tlsOf(tls: Obj, notes: string[]): Obj | undefined {
  if (typeof tls.certFile !== 'string' || typeof tls.keyFile !== 'string') {
    if (tls !== EMPTY) notes.push('server.tls: needs certFile and keyFile; not carried');
    return undefined;
  }
  const out: Obj = { use: 'file', cert: tls.certFile, key: tls.keyFile };
  if (typeof tls.caFile === 'string' && tls.caFile !== '') Object.assign(out, { ca: tls.caFile, clientAuth: 'require' });
  for (const key of Object.keys(tls)) {
    if (!['certFile', 'keyFile', 'caFile', 'clientAuth'].includes(key))
      notes.push(`server.tls.${key}: not carried; cnmcp's TLS settings are in docs/security/tls.md`);
  }
  return out;
}

function telemetryOf(otel: Obj, notes: string[]): Obj | undefined {
  if (otel.enabled !== true) return undefined;
  const tracing = obj(otel.tracing);
  const metrics = obj(otel.metrics);
  const endpoint = typeof otel.endpoint === 'string' ? otel.endpoint : undefined;
  const out: Obj = {
    resource: {
      ...(typeof otel.serviceName === 'string' ? { serviceName: otel.serviceName } : {}),
      ...(typeof otel.serviceVersion === 'string' ? { serviceVersion: otel.serviceVersion } : {}),
      ...(typeof otel.environment === 'string' ? { attributes: { 'deployment.environment.name': otel.environment } } : {}),
    },
  };
  if (tracing.enabled !== false) {
    out.tracing = {
      exporter: 'otlp',
      ...(typeof tracing.sampleRate === 'number' ? { samplingRatio: tracing.sampleRate } : {}),
      // The original spoke OTLP over gRPC to host:port.
      otlp: {
        protocol: 'grpc',
        ...(endpoint ? { endpoint: /^https?:\/\//.test(endpoint) ? endpoint : `${otel.insecure === false ? 'https' : 'http'}://${endpoint}` } : {}),
      },
    };
  }
  if (metrics.enabled !== false) {
    out.metrics = { enabled: true };
    notes.push('otel.metrics: cnmcp serves metrics for Prometheus to scrape at GET /metrics instead of pushing them over OTLP');
  }
  for (const key of ['exportTimeoutSec', 'batchTimeoutSec', 'maxExportBatchSize'])
    if (tracing[key] !== undefined) notes.push(`otel.tracing.${key}: not carried; cnmcp uses the OpenTelemetry SDK defaults`);
  return out;
}

function toolPacksOf(original: Obj, notes: string[]): Obj[] {
  const packs: Obj[] = [];
  const k8s = obj(original.kubernetes);
  if (obj(original.kubernetes) !== EMPTY && k8s.enabled !== false) {
    packs.push({
      use: 'kubernetes',
      ...(typeof k8s.kubeconfig === 'string' && k8s.kubeconfig !== '' ? { kubeconfig: k8s.kubeconfig } : { kubeconfig: '${env:KUBECONFIG}' }),
      ...(typeof k8s.timeoutSec === 'number' ? { requestTimeoutMs: k8s.timeoutSec * 1000 } : {}),
    });
    if (k8s.kubeconfig === undefined || k8s.kubeconfig === '')
      notes.push('kubernetes.kubeconfig: empty; the pack reads ${env:KUBECONFIG} (or set inCluster: true in a pod)');
    for (const key of ['qps', 'burst']) if (k8s[key] !== undefined) notes.push(`kubernetes.${key}: not carried; limit callers with limits.perTool`);
  }
  for (const name of ['prometheus', 'alertmanager'] as const) {
    const section = obj(original[name]);
    if (section.enabled !== true) continue;
    packs.push({ use: name, backend: backendOf(name, section, notes) });
  }
  for (const name of NO_PACK) {
    if (obj(original[name]).enabled === true)
      notes.push(`${name}: cnmcp has no ${name} tool pack yet; write one (docs/writing-a-tool-pack.md) or keep the original server for it`);
  }
  packs.push({ use: 'utilities' });
  return packs;
}

function backendOf(name: string, section: Obj, notes: string[]): Obj {
  const backend: Obj = { url: section.address };
  const text = (key: string) => (typeof section[key] === 'string' && section[key] !== '' ? (section[key] as string) : undefined);
  const credential = (key: string, fallback: string) => {
    // A value the old file already took from the environment keeps its variable.
    const referenced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text(key) ?? '')?.[1];
    const variable = referenced ?? fallback;
    notes.push(`${name}.${key}: kept out of the new file; set ${variable} in the environment${referenced ? '' : ' to the value of the old file'}`);
    return `\${env:${variable}}`;
  };
  const upper = name.toUpperCase();
  if (text('bearerToken')) backend.auth = { type: 'bearer', token: credential('bearerToken', `${upper}_BEARER_TOKEN`) };
  else if (text('username')) backend.auth = { type: 'basic', username: text('username'), password: credential('password', `${upper}_PASSWORD`) };
  if (typeof section.timeoutSec === 'number') backend.timeoutMs = section.timeoutSec * 1000;
  const tls: Obj = {};
  if (text('tlsCAFile')) tls.ca = `\${file:${text('tlsCAFile')}}`;
  if (text('tlsCertFile')) tls.cert = `\${file:${text('tlsCertFile')}}`;
  if (text('tlsKeyFile')) tls.key = `\${file:${text('tlsKeyFile')}}`;
  if (section.tlsSkipVerify === true) {
    tls.insecureSkipVerify = true;
    notes.push(`${name}.tlsSkipVerify: carried as insecureSkipVerify: true; anyone on the path can read and forge answers, prefer tls.ca`);
  }
  if (Object.keys(tls).length > 0) backend.tls = tls;
  return backend;
}

const EMPTY: Obj = Object.freeze({});
const obj = (value: unknown): Obj => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : EMPTY);
