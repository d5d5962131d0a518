import { createRequire } from 'node:module';

type OtelApi = typeof import('@opentelemetry/api');

let api: OtelApi | undefined;

/**
 * The OpenTelemetry API, loaded on first use: with telemetry off a start never needs it (34-45 ms of CPU to load,
 * docs/performance.md). Only code that runs with tracing or metrics on, or a plugin's use of the no-op tracer and
 * meter, calls this. `require`d like the bundle's other CommonJS packages: the very module a plugin imports.
 */
export function otelApi(): OtelApi {
  return (api ??= createRequire(import.meta.url)('@opentelemetry/api') as OtelApi);
}
