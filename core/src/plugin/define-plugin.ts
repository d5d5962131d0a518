import type { Meter, Tracer } from '@opentelemetry/api';
import type { Logger } from './logger.js';
import type { AuditEmitter, AuditSink } from './ports/audit-sink.js';
import type { AuthStrategy } from './ports/auth-strategy.js';
import type { Authorizer } from './ports/authorizer.js';
import type { RateLimitStore } from './ports/rate-limit-store.js';
import type { Sanitizer } from './ports/sanitizer.js';
import type { SecretReader, SecretStore } from './ports/secret-store.js';
import type { TlsProvider } from './ports/tls-provider.js';
import type { ToolPack } from './ports/tool-pack.js';

/** The port each plugin kind implements. */
export interface PortByKind {
  auth: AuthStrategy;
  authorizer: Authorizer;
  'secret-store': SecretStore;
  sanitizer: Sanitizer;
  'audit-sink': AuditSink;
  tls: TlsProvider;
  'rate-limit-store': RateLimitStore;
  'tool-pack': ToolPack;
}

export type PluginKind = keyof PortByKind;

export const PLUGIN_KINDS: readonly PluginKind[] = Object.freeze([
  'auth',
  'authorizer',
  'secret-store',
  'sanitizer',
  'audit-sink',
  'tls',
  'rate-limit-store',
  'tool-pack',
]);

/** A JSON Schema for a plugin's own options (the `use` key is added by the kernel). */
export type PluginConfigSchema = { readonly type: 'object'; readonly [keyword: string]: unknown };

/** Everything a plugin receives. Built by the kernel for each plugin instance. */
export interface PluginContext<Config> {
  /** Validated against `configSchema`, references resolved, frozen. */
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly secrets: SecretReader;
  readonly audit: AuditEmitter;
  /** Registers cleanup that runs at shutdown, in reverse order of registration. */
  onStop(fn: () => Promise<void>): void;
  /** Aborted when the server shuts down. */
  readonly signal: AbortSignal;
}

export interface PluginDefinition<Kind extends PluginKind, Config> {
  /** Unique within its kind: 'apikey', 'file', 'utilities'. */
  readonly name: string;
  readonly kind: Kind;
  readonly description?: string;
  readonly configSchema: PluginConfigSchema;
  setup(ctx: PluginContext<Config>): Promise<PortByKind[Kind]>;
  /**
   * The checks `setup` makes on the options, made without side effects: no listener, no connection, no file
   * written. `cnmcp config validate` runs it for every plugin and lists every problem at once; throw a CnmcpError
   * (its `path` relative to the plugin's options) or a CnmcpAggregateError. Without it, validate checks the schema only.
   */
  check?(ctx: PluginContext<Config>): Promise<void>;
}

const BRAND = Symbol.for('cnmcp.plugin');

export type Plugin<Kind extends PluginKind = PluginKind, Config = unknown> = PluginDefinition<Kind, Config> & {
  readonly [BRAND]: true;
};

/**
 * Declares a plugin. A plugin module's default export is the value this returns.
 *
 * @example
 * export default definePlugin({
 *   kind: 'tool-pack', name: 'hello',
 *   configSchema: { type: 'object', properties: { greeting: { type: 'string', default: 'hi' } }, additionalProperties: false },
 *   async setup({ config }) { return { tools: [helloTool(config.greeting)] }; },
 * });
 */
export function definePlugin<Kind extends PluginKind, Config = Record<string, unknown>>(definition: PluginDefinition<Kind, Config>): Plugin<Kind, Config> {
  return Object.freeze({ ...definition, [BRAND]: true as const });
}

/** The kernel checks the brand, never `instanceof`: two copies of core still recognise each other's plugins. */
export function isPlugin(value: unknown): value is Plugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
