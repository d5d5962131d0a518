import { trace, metrics } from '@opentelemetry/api';
import type { LoadedConfig, SelectedPlugin } from './load-config.js';
import { resolveSecretReferences } from '../config/interpolate.js';
import { pointerParent } from '../config/json-pointer.js';
import type { PluginContext } from '../plugin/define-plugin.js';
import { CnmcpAggregateError, CnmcpError } from '../plugin/errors.js';
import type { Logger } from '../plugin/logger.js';
import type { SecretReader } from '../plugin/ports/secret-store.js';
import { maskKnown } from '../telemetry/redact.js';

/** What `cnmcp config validate` found for one selected plugin. */
export interface PluginCheck {
  /** `kind/name`. */
  readonly plugin: string;
  /** The plugin's JSON path in the config, e.g. `/auth/0`. */
  readonly path: string;
  /** `checked`: its `check` passed; `connected`: its setup ran (`--connect`); `unchecked`: it has no `check`. */
  readonly status: 'checked' | 'connected' | 'unchecked' | 'failed';
  /** Problems with the options (exit 2), each with its JSON path. */
  readonly problems: readonly CnmcpError[];
  /** With `connect`: why its setup failed (a backend down or refusing us, exit 1). */
  readonly unreachable?: CnmcpError;
}

export interface SetupCheckReport {
  /** `${secret:}` references that could not be resolved, and a secret store that could not be opened. */
  readonly secretProblems: readonly CnmcpError[];
  readonly plugins: readonly PluginCheck[];
}

/**
 * Runs every selected plugin's `check` (no listener, no connection, no file written) and collects every problem
 * instead of stopping at the first, as `serve` does. The secret store is the exception: it is opened when the
 * config references secrets, since a reference can only be checked by reading it. With `connect`, each plugin whose
 * options passed is then set up as `serve` would (connecting to its backend) and closed again.
 */
export async function checkSetup(loaded: LoadedConfig, logger: Logger, options: { connect?: boolean } = {}): Promise<SetupCheckReport> {
  const stopHooks: (() => Promise<void>)[] = [];
  // Warnings a check raises are worth showing; progress lines and what a closing client says about itself are not.
  let closing = false;
  const quiet = (inner: Logger): Logger => ({
    debug() {},
    info() {},
    warn: (message, fields) => void (closing || inner.warn(message, fields)),
    error: (message, fields) => void (closing || inner.error(message, fields)),
    child: (name) => quiet(inner.child(name)),
  });
  const log = quiet(logger);
  const shutdown = new AbortController();
  const known = new Set(loaded.resolvedValues);
  // Resolved secrets go into a copy: the loaded config stays as it was read.
  const config = structuredClone(loaded.config) as unknown as Record<string, unknown>;
  const context = (selected: SelectedPlugin, secrets: SecretReader): PluginContext<unknown> => {
    const { use: _use, ...own } = readAt(config, selected.path);
    return {
      config: own,
      // A check runs without a kernel: no core service is up to hand over (see PluginDefinition.check).
      deps: {},
      logger: log.child(`${selected.plugin.kind}/${selected.plugin.name}`),
      tracer: trace.getTracer('cnmcp-config-validate'),
      meter: metrics.getMeter('cnmcp-config-validate'),
      secrets,
      audit: { emit() {} },
      onStop: (fn) => void stopHooks.push(fn),
      signal: shutdown.signal,
    };
  };
  const secretProblems: CnmcpError[] = [];
  const checks: PluginCheck[] = [];
  try {
    let secrets: SecretReader = NO_STORE;
    const store = loaded.plugins.find((p) => p.plugin.kind === 'secret-store');
    const openStore = store !== undefined && (loaded.secretPaths.size > 0 || options.connect === true);
    if (store && openStore) {
      try {
        const port = (await store.plugin.setup(context(store, NO_STORE))) as SecretReader & { close?(): Promise<void> };
        if (port.close) stopHooks.push(() => port.close!());
        secrets = port;
        checks.push({ plugin: idOf(store), path: store.path, status: 'connected', problems: [] });
      } catch (error) {
        checks.push({ plugin: idOf(store), path: store.path, status: 'failed', problems: problemsOf(error, store, known) });
      }
    }
    if (secrets !== NO_STORE) {
      const { values, problems } = await resolveSecretReferences(config, loaded.secretPaths, async (name) => {
        const value = (await secrets.get(name)).value.reveal();
        known.add(value);
        return value;
      });
      secretProblems.push(...problems);
      for (const [path, value] of values) {
        const at = pointerParent(config, path);
        if (at) at.parent[at.key] = value;
      }
    }
    for (const selected of loaded.plugins) {
      if (selected === store && openStore) continue;
      // A plugin reading an unresolved reference would report the `${secret:}` text, not its own problem.
      if (secretProblems.some((p) => p.path?.startsWith(`${selected.path}/`))) {
        checks.push({ plugin: idOf(selected), path: selected.path, status: 'failed', problems: [] });
        continue;
      }
      checks.push(await checkOne(selected, context(selected, secrets), known, options.connect === true, stopHooks));
    }
  } finally {
    closing = true;
    shutdown.abort();
    for (const stop of stopHooks.reverse()) await stop().catch((error: unknown) => logger.warn('cleanup after a check failed', { error: String(error) }));
  }
  return { secretProblems, plugins: checks };
}

async function checkOne(
  selected: SelectedPlugin,
  ctx: PluginContext<unknown>,
  known: ReadonlySet<string>,
  connect: boolean,
  stopHooks: (() => Promise<void>)[],
): Promise<PluginCheck> {
  const base = { plugin: idOf(selected), path: selected.path };
  if (selected.plugin.check) {
    try {
      await selected.plugin.check(ctx);
    } catch (error) {
      return { ...base, status: 'failed', problems: problemsOf(error, selected, known) };
    }
  }
  if (!connect) return { ...base, status: selected.plugin.check ? 'checked' : 'unchecked', problems: [] };
  try {
    const port = (await selected.plugin.setup(ctx)) as { close?(): Promise<void> };
    if (typeof port?.close === 'function') stopHooks.push(() => port.close!());
    return { ...base, status: 'connected', problems: [] };
  } catch (error) {
    const [first] = problemsOf(error, selected, known);
    return { ...base, status: 'failed', problems: [], unreachable: first! };
  }
}

/** Each problem a check threw, its path made absolute and anything known to be secret masked out of its message. */
function problemsOf(error: unknown, selected: SelectedPlugin, known: ReadonlySet<string>): CnmcpError[] {
  const id = idOf(selected);
  const flat = error instanceof CnmcpAggregateError ? error.problems : [error];
  return flat.map((problem) => {
    const message = maskKnown(problem instanceof Error ? problem.message : String(problem), known);
    const own = problem instanceof CnmcpError ? problem : undefined;
    const path = own?.path && own.path !== '/' ? (own.path.startsWith(`${selected.path}/`) ? own.path : `${selected.path}${own.path}`) : selected.path;
    return new CnmcpError(own?.code ?? 'PLUGIN_SETUP_FAILED', `${id}: ${message}`, { path, plugin: id });
  });
}

const idOf = (selected: SelectedPlugin) => `${selected.plugin.kind}/${selected.plugin.name}`;

function readAt(config: Record<string, unknown>, pointer: string): Record<string, unknown> {
  const at = pointerParent(config, pointer);
  return structuredClone((at?.parent[at.key] ?? {}) as Record<string, unknown>);
}

const missing = (name: string) => new CnmcpError('SECRET_STORE_MISSING', `secret "${name}" requested but no \`secrets:\` store is configured`);
const NO_STORE: SecretReader = {
  get: async (name) => Promise.reject(missing(name)),
  getVersions: async (name) => Promise.reject(missing(name)),
};
