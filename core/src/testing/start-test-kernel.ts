import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Plugin } from '../plugin/define-plugin.js';
import type { Logger } from '../plugin/logger.js';
import { Kernel, type KernelOptions } from '../kernel/kernel.js';

export { memoryAuditSink } from './memory-audit-sink.js';

/** A logger that writes nothing, for tests. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };

export interface TestKernel {
  readonly kernel: Kernel;
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp. */
  readonly url: URL;
  /** The server's origin, for /healthz, /sse and friends. */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Boots the real kernel on a free loopback port with an inline config, as a user's config file would.
 * Plugins passed here are selectable by name in `config`.
 *
 * @example
 * const { url, close } = await startTestKernel({ config: { toolPacks: [{ use: 'hello' }] }, plugins: [helloPack] });
 */
export async function startTestKernel(
  options: {
    config?: Record<string, unknown>;
    plugins?: readonly Plugin[];
    baseDir?: string;
    env?: NodeJS.ProcessEnv;
    logger?: Logger;
    /** Receives every span (an InMemorySpanExporter): turns tracing on. */
    spanExporter?: SpanExporter;
    /** Keeps the logger built from `logging:` and sends its lines here instead of a silent logger. */
    logStream?: NodeJS.WritableStream;
    /** Core services to use instead of the kernel's own (a fake clock): what plugins' `deps` then receive. */
    services?: KernelOptions['services'];
  } = {},
): Promise<TestKernel> {
  const config = structuredClone(options.config ?? {});
  const server = (config.server ?? {}) as Record<string, unknown>;
  config.server = { listen: '127.0.0.1:0', drainTimeoutMs: 2000, ...server };
  const { spanExporter, logStream } = options;
  const kernel = await Kernel.load({
    config,
    plugins: options.plugins,
    baseDir: options.baseDir,
    env: options.env,
    ...(logStream && !options.logger ? { logStream } : { logger: options.logger ?? silentLogger }),
    ...(spanExporter ? { spanExporter } : {}),
    ...(options.services ? { services: options.services } : {}),
  });
  await kernel.start();
  const url = kernel.url!;
  return { kernel, url, origin: url.origin, close: () => kernel.stop() };
}
