import type { AuthRequest, AuthStrategy, Logger, Plugin, PluginContext } from '@cnmcp/core/plugin';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/**
 * A hand-built PluginContext for calling an auth plugin's setup in unit tests, recording every log call. The options
 * are taken as a user writes them: the kernel would fill the schema defaults, these plugins fill them again.
 */
export function createTestPluginContext<Config>(options: Partial<Config>): PluginContext<Config> & { readonly logs: LogEntry[] } {
  const config = options as Config;
  const logs: LogEntry[] = [];
  const record =
    (level: LogEntry['level']) =>
    (message: string, fields?: Record<string, unknown>): void =>
      void logs.push({ level, message, ...(fields ? { fields } : {}) });
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), child: () => logger };
  return {
    config,
    deps: {},
    logger,
    logs,
    tracer: {} as PluginContext<Config>['tracer'],
    meter: {} as PluginContext<Config>['meter'],
    secrets: { get: () => Promise.reject(new Error('no secrets in this test')), getVersions: () => Promise.reject(new Error('no secrets in this test')) },
    audit: { emit: () => undefined },
    onStop: () => undefined,
    signal: new AbortController().signal,
  };
}

/** Runs an auth plugin's setup with `config` and returns its strategy. */
export function setupStrategy<Config>(plugin: Plugin<'auth', Config>, config: Partial<Config>): Promise<AuthStrategy> {
  return plugin.setup(createTestPluginContext<Config>(config));
}

/** An AuthRequest as the kernel builds it: lowercase header names, a parsed URL. */
export function authRequest(headers: Record<string, string | string[]> = {}, url = 'http://127.0.0.1/mcp'): AuthRequest {
  return { headers, url: new URL(url), remoteAddress: '127.0.0.1' };
}
