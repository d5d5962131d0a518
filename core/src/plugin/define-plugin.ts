import type { Meter, Tracer } from '@opentelemetry/api';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Logger } from './logger.js';
import type { AuditEmitter } from './ports/audit-sink.js';
import type { SecretReader } from './ports/secret-store.js';
import type { ResolvedDeps, ServiceDeps } from './services.js';

export { PLUGIN_KINDS, type PluginKind, type PortByKind } from './plugin-kinds.js';
import type { PluginKind, PortByKind } from './plugin-kinds.js';

/**
 * A JSON Schema (2020-12) for a plugin's own options (the `use` key is added by the kernel). Write it as a plain
 * object literal, inline in `definePlugin` or in its own module `as const satisfies PluginConfigSchema`: it is both
 * what ajv validates and, through {@link ConfigOf}, the options type `setup` receives.
 */
export type PluginConfigSchema = { readonly type: 'object'; readonly [keyword: string]: unknown };

/** Every level read-only: the options a plugin receives are frozen, and the type says so. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/**
 * The options type a config schema describes, as `setup` receives them: validated, with every `default` filled in
 * (so a property with a default is present), deeply read-only.
 */
export type ConfigOf<Schema> = Schema extends JSONSchema ? DeepReadonly<FromSchema<Schema>> : Readonly<Record<string, unknown>>;

/** The options as a user writes them: a property with a `default` may be left out. For tests and helpers that take options. */
export type ConfigInput<Schema> = Schema extends JSONSchema
  ? DeepReadonly<FromSchema<Schema, { keepDefaultedPropertiesOptional: true }>>
  : Readonly<Record<string, unknown>>;

/** Everything a plugin receives. Built by the kernel for each plugin instance. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no deps declared: nothing beyond the context
export interface PluginContext<Config, Deps extends ServiceDeps = {}> {
  /** The core services the plugin declared in `deps`, resolved from this kernel's container. */
  readonly deps: ResolvedDeps<Deps>;
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

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no deps declared
export interface PluginDefinition<Kind extends PluginKind, Config, Deps extends ServiceDeps = {}> {
  /** Unique within its kind: 'apikey', 'file', 'utilities'. */
  readonly name: string;
  readonly kind: Kind;
  readonly description?: string;
  readonly configSchema: PluginConfigSchema;
  /** Core services the plugin needs, by its own names: `{ clock: coreServices.clock }`. */
  readonly deps?: Deps;
  setup(ctx: PluginContext<Config, Deps>): Promise<PortByKind[Kind]>;
  /**
   * The checks `setup` makes on the options, made without side effects: no listener, no connection, no file
   * written. `cnmcp config validate` runs it for every plugin and lists every problem at once; throw a CnmcpError
   * (its `path` relative to the plugin's options) or a CnmcpAggregateError. Without it, validate checks the schema only.
   */
  check?(ctx: PluginContext<Config, Deps>): Promise<void>;
}

const BRAND = Symbol.for('cnmcp.plugin');

export type Plugin<Kind extends PluginKind = PluginKind, Config = unknown> = PluginDefinition<Kind, Config> & {
  readonly [BRAND]: true;
};

/**
 * Declares a plugin. A plugin module's default export is the value this returns. The options type is inferred
 * from `configSchema`: the schema is written once and `setup` receives `config` typed by it.
 *
 * @example
 * export default definePlugin({
 *   kind: 'tool-pack', name: 'hello',
 *   configSchema: { type: 'object', properties: { greeting: { type: 'string', default: 'hi' } }, additionalProperties: false },
 *   async setup({ config }) { return { tools: [helloTool(config.greeting)] }; }, // config.greeting: string, default filled
 * });
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no deps declared
export function definePlugin<Kind extends PluginKind, const Schema extends PluginConfigSchema, const Deps extends ServiceDeps = {}>(
  definition: PluginDefinition<Kind, ConfigOf<Schema>, Deps> & { readonly configSchema: Schema },
): Plugin<Kind, ConfigOf<Schema>>;
/** @deprecated Name the options type by the schema instead (`definePlugin({ configSchema, ... })` infers it). */
export function definePlugin<Kind extends PluginKind, Config = Record<string, unknown>>(definition: PluginDefinition<Kind, Config>): Plugin<Kind, Config>;
export function definePlugin<Kind extends PluginKind, Config>(definition: PluginDefinition<Kind, Config>): Plugin<Kind, Config> {
  return Object.freeze({ ...definition, [BRAND]: true as const });
}

/** The kernel checks the brand, never `instanceof`: two copies of core still recognise each other's plugins. */
export function isPlugin(value: unknown): value is Plugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
