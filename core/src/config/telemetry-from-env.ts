import { CnmcpError } from '../plugin/errors.js';

/** What the standard OTEL_* variables add to the `telemetry:` section. */
export interface EnvTelemetry {
  /** The section with every key the config file left unset filled from the environment. */
  readonly telemetry?: Record<string, unknown>;
  /** Header values read from OTEL_EXPORTER_OTLP_*HEADERS: credentials, masked like any resolved reference. */
  readonly sensitive: readonly string[];
  readonly problems: readonly CnmcpError[];
}

type Section = Record<string, unknown>;

const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'];
const EXPORTERS = ['otlp', 'console', 'none'];
// OTEL_TRACES_SAMPLER -> (parentBased, fixed ratio or undefined to read OTEL_TRACES_SAMPLER_ARG).
const SAMPLERS: Readonly<Record<string, { parentBased: boolean; ratio?: number }>> = {
  always_on: { parentBased: false, ratio: 1 },
  always_off: { parentBased: false, ratio: 0 },
  traceidratio: { parentBased: false },
  parentbased_always_on: { parentBased: true, ratio: 1 },
  parentbased_always_off: { parentBased: true, ratio: 0 },
  parentbased_traceidratio: { parentBased: true },
};

/**
 * The OpenTelemetry SDK environment variables (OTEL_EXPORTER_OTLP_*, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
 * OTEL_TRACES_EXPORTER, OTEL_TRACES_SAMPLER[_ARG]) as config defaults: a key the file sets always wins. Single
 * values stay `${env:}` references (masked by `config print`); an OTLP endpoint alone switches the OTLP exporter on,
 * as it would in any OpenTelemetry SDK.
 */
export function telemetryFromEnv(config: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvTelemetry {
  const problems: CnmcpError[] = [];
  const sensitive: string[] = [];
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  const either = (specific: string, general: string) => (set(specific) ? specific : set(general) ? general : undefined);
  const ref = (name: string) => `\${env:${name}}`;
  const fileSection = isObject(config.telemetry) ? config.telemetry : {};
  const resource: Section = {};
  const tracing: Section = {};
  const otlp: Section = {};

  if (set('OTEL_SERVICE_NAME')) resource.serviceName = ref('OTEL_SERVICE_NAME');
  if (set('OTEL_RESOURCE_ATTRIBUTES')) {
    const attributes = parsePairs(env.OTEL_RESOURCE_ATTRIBUTES!, 'OTEL_RESOURCE_ATTRIBUTES', '/telemetry/resource/attributes', problems);
    const fields: Readonly<Record<string, string>> = {
      'service.name': 'serviceName',
      'service.version': 'serviceVersion',
      'service.instance.id': 'serviceInstanceId',
    };
    const extra: Record<string, string> = {};
    for (const [key, value] of Object.entries(attributes)) {
      const field = fields[key];
      // OTEL_SERVICE_NAME wins over service.name in the attributes, as the specification says.
      if (field) resource[field] ??= value;
      else extra[key] = value;
    }
    if (Object.keys(extra).length > 0) resource.attributes = extra;
  }

  const protocol = either('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (protocol) {
    if (PROTOCOLS.includes(env[protocol]!)) otlp.protocol = env[protocol];
    else problems.push(invalid(protocol, `one of ${PROTOCOLS.join(', ')}`, '/telemetry/tracing/otlp/protocol'));
  }
  const chosenProtocol = (nested(fileSection, 'tracing', 'otlp')?.protocol ?? otlp.protocol ?? 'http/protobuf') as string;
  if (set('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')) otlp.endpoint = ref('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  else if (set('OTEL_EXPORTER_OTLP_ENDPOINT')) {
    // The general endpoint is a base URL: the HTTP exporters append the signal path, gRPC takes it as it is.
    const slash = env.OTEL_EXPORTER_OTLP_ENDPOINT!.endsWith('/') ? '' : '/';
    otlp.endpoint = ref('OTEL_EXPORTER_OTLP_ENDPOINT') + (chosenProtocol === 'grpc' ? '' : `${slash}v1/traces`);
  }
  const headers: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
    if (!set(name)) continue;
    const pairs = parsePairs(env[name]!, name, '/telemetry/tracing/otlp/headers', problems);
    Object.assign(headers, pairs);
    sensitive.push(...Object.values(pairs));
  }
  if (Object.keys(headers).length > 0) otlp.headers = headers;
  const timeout = either('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT');
  if (timeout) {
    if (/^[1-9]\d*$/.test(env[timeout]!)) otlp.timeoutMs = Number(env[timeout]);
    else problems.push(invalid(timeout, 'a whole number of milliseconds', '/telemetry/tracing/otlp/timeoutMs'));
  }

  if (set('OTEL_TRACES_EXPORTER')) {
    const exporter = env.OTEL_TRACES_EXPORTER!.split(',')[0]!.trim();
    if (EXPORTERS.includes(exporter)) tracing.exporter = exporter;
    else problems.push(invalid('OTEL_TRACES_EXPORTER', `one of ${EXPORTERS.join(', ')}`, '/telemetry/tracing/exporter'));
  } else if (otlp.endpoint !== undefined) tracing.exporter = 'otlp';
  if (set('OTEL_TRACES_SAMPLER')) {
    const sampler = SAMPLERS[env.OTEL_TRACES_SAMPLER!];
    if (!sampler) problems.push(invalid('OTEL_TRACES_SAMPLER', `one of ${Object.keys(SAMPLERS).join(', ')}`, '/telemetry/tracing/samplingRatio'));
    else {
      tracing.parentBased = sampler.parentBased;
      const arg = env.OTEL_TRACES_SAMPLER_ARG;
      const ratio = sampler.ratio ?? (set('OTEL_TRACES_SAMPLER_ARG') ? Number(arg) : 1);
      if (ratio >= 0 && ratio <= 1) tracing.samplingRatio = ratio;
      else problems.push(invalid('OTEL_TRACES_SAMPLER_ARG', 'a ratio from 0 to 1', '/telemetry/tracing/samplingRatio'));
    }
  }
  if (Object.keys(otlp).length > 0) tracing.otlp = otlp;

  const fromEnv: Section = {};
  if (Object.keys(resource).length > 0) fromEnv.resource = resource;
  if (Object.keys(tracing).length > 0) fromEnv.tracing = tracing;
  if (Object.keys(fromEnv).length === 0) return { sensitive, problems };
  return { telemetry: fileWins(fromEnv, fileSection), sensitive, problems };
}

/** Deep merge where every value the file sets replaces the environment's (maps such as headers merge by key). */
function fileWins(fromEnv: Section, file: Section): Section {
  const out: Section = { ...fromEnv };
  for (const [key, value] of Object.entries(file)) {
    const base = out[key];
    out[key] = isObject(value) && isObject(base) ? fileWins(base, value) : value;
  }
  return out;
}

/** `key1=value1,key2=value2` with percent-encoded values (the W3C Baggage form the OTel variables use). */
function parsePairs(text: string, name: string, path: string, problems: CnmcpError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const at = item.indexOf('=');
    const key = at > 0 ? item.slice(0, at).trim() : '';
    try {
      if (key === '') throw new Error('no key');
      out[key] = decodeURIComponent(item.slice(at + 1).trim());
    } catch {
      // The item may hold a credential: name the variable and the rule, never the text.
      problems.push(invalid(name, 'a list of key=value pairs separated by commas, values percent-encoded', path));
    }
  }
  return out;
}

const invalid = (name: string, expected: string, path: string) =>
  new CnmcpError('CONFIG_INVALID_VALUE', `environment variable ${name} must be ${expected}`, { path });

const isObject = (value: unknown): value is Section => value !== null && typeof value === 'object' && !Array.isArray(value);

const nested = (section: Section, ...keys: string[]): Section | undefined => {
  let at: unknown = section;
  for (const key of keys) at = isObject(at) ? at[key] : undefined;
  return isObject(at) ? at : undefined;
};
