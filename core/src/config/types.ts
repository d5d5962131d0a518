import type { RotationRuleConfig } from '../secrets/rotation-rules.js';
/** The validated config, defaults filled in. Plugin sections keep their options untyped: each plugin owns its schema. */
export interface CnmcpConfig {
  readonly server: ServerConfig;
  readonly logging: {
    readonly level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
    readonly format: 'json' | 'pretty' | 'auto';
    readonly redactKeys: readonly string[];
    readonly levels: Readonly<Record<string, LogLevelName>>;
  };
  readonly limits?: LimitsConfig;
  readonly auditing: {
    readonly hmacKey?: string;
    readonly chainKey?: string;
    readonly previousChainKeys?: readonly string[];
    readonly checkpoints?: { readonly path: string; readonly intervalSeconds: number };
    readonly refuseWhenUnrecordable: readonly ('mcp' | 'admin' | 'metrics')[];
    readonly sensitiveKeys: readonly string[];
    readonly recordArguments: boolean;
    readonly authSuccess: { readonly record: 'per-credential' | 'every-request'; readonly windowSeconds: number };
    readonly queueLimit: number;
  };
  readonly admin: { readonly console: { readonly enabled: boolean; readonly tracingUrl?: string } };
  readonly rotation: { readonly enabled: boolean; readonly checkIntervalSeconds: number; readonly rules: readonly RotationRuleConfig[] };
  readonly telemetry: TelemetryConfig;
  readonly plugins?: readonly string[];
  readonly secrets?: PluginEntry;
  readonly audit?: readonly PluginEntry[];
  readonly tls?: PluginEntry;
  readonly rateLimit?: PluginEntry;
  readonly auth?: readonly PluginEntry[];
  readonly authorization?: PluginEntry;
  readonly sanitize?: PluginEntry;
  readonly toolPacks?: readonly PluginEntry[];
}

export interface ServerConfig {
  readonly name: string;
  readonly listen: string;
  readonly transport: 'http' | 'stdio';
  readonly sessions: 'auto' | 'stateless' | 'stateful';
  readonly sessionLimits: { readonly idleTimeoutSeconds: number; readonly perIdentity: number; readonly max: number };
  /** cnmcp's own answers to the hot methods (core/src/fast-path); false: the SDK answers everything. */
  readonly fastPath: boolean;
  readonly sse: boolean;
  readonly allowUnauthenticated: boolean;
  readonly tlsTerminatedUpstream: boolean;
  readonly allowedOrigins?: readonly string[];
  readonly allowedHosts?: readonly string[];
  readonly trustedProxies?: readonly string[];
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly cors?: {
    readonly origins: readonly string[];
    readonly methods: readonly string[];
    readonly headers: readonly string[];
    readonly exposeHeaders: readonly string[];
    readonly maxAgeSeconds: number;
    readonly credentials: boolean;
  };
  readonly maxBodyBytes: number;
  readonly maxBatchSize: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly toolTimeoutMs: number;
  readonly maxResultBytes: number;
  readonly drainTimeoutMs: number;
  readonly stdioIdentity: { readonly id: string; readonly roles: readonly string[] };
}

export interface RateRule {
  readonly points: number;
  readonly durationSeconds: number;
  readonly burst?: { readonly points: number; readonly durationSeconds: number };
}

export interface LimitsConfig {
  readonly authFailures?: { readonly attempts: number; readonly windowSeconds: number; readonly lockoutSeconds: number };
  readonly onStoreError?: 'deny' | 'allow';
  readonly allowList?: readonly string[];
  readonly denyList?: readonly string[];
  readonly perIp?: RateRule;
  readonly perIdentity?: RateRule;
  readonly perTool?: readonly (RateRule & { readonly tools: string })[];
}

export interface PluginEntry {
  readonly use: string;
  readonly [option: string]: unknown;
}

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface TelemetryConfig {
  readonly resource: {
    readonly serviceName: string;
    readonly serviceVersion?: string;
    readonly serviceInstanceId?: string;
    readonly attributes: Readonly<Record<string, string>>;
  };
  readonly tracing: {
    readonly exporter: 'none' | 'console' | 'otlp';
    readonly samplingRatio: number;
    /** Stage outcomes as events on the request or message span, or as child spans. */
    readonly stages: 'events' | 'spans';
    readonly parentBased: boolean;
    readonly otlp: {
      readonly protocol: 'http/protobuf' | 'http/json' | 'grpc';
      readonly endpoint?: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly timeoutMs: number;
    };
  };
  readonly metrics: { readonly enabled: boolean; readonly listen?: string };
}
