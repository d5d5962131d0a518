import type { Meter, Tracer } from '@opentelemetry/api';
import type { Logger } from './logger.js';
import type { AuditEmitter } from './ports/audit-sink.js';
import type { SecretReader } from './ports/secret-store.js';

/** Names a core service a plugin may ask for in `deps`; the type it stands for rides along. */
export interface ServiceRef<T> {
  readonly id: string;
  /** Never set: carries the service type. */
  readonly __type?: T;
}

const ref = <T>(id: string): ServiceRef<T> => Object.freeze({ id });

/** Time as a service, so that a test can swap it for one it moves by hand. */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

/**
 * The core services a plugin may declare in `deps` (as Backstage's `coreServices`). Each kernel registers them in
 * its own container; a plugin receives the resolved values in `ctx.deps` and never sees the container.
 */
export const coreServices = Object.freeze({
  /** A logger named after the plugin (`kind/name`), redacting. */
  logger: ref<Logger>('core.logger'),
  audit: ref<AuditEmitter>('core.audit'),
  /** Read side of the configured secret store. */
  secrets: ref<SecretReader>('core.secrets'),
  tracer: ref<Tracer>('core.tracer'),
  meter: ref<Meter>('core.meter'),
  clock: ref<Clock>('core.clock'),
});

/** What a plugin declares: its own names for the services it needs. */
export type ServiceDeps = Readonly<Record<string, ServiceRef<unknown>>>;

/** The services a `deps` declaration resolves to. */
export type ResolvedDeps<Deps extends ServiceDeps> = { readonly [K in keyof Deps]: Deps[K] extends ServiceRef<infer T> ? T : never };
