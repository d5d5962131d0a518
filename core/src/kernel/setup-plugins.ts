import type { LoadedConfig, SelectedPlugin } from './load-config.js';
import type { PluginContext } from '../plugin/define-plugin.js';
import { CnmcpError } from '../plugin/errors.js';
import type { Logger } from '../plugin/logger.js';
import type { SecretReader } from '../plugin/ports/secret-store.js';
import { maskingReader } from '../secrets/masking-reader.js';
import { maskKnown } from '../telemetry/redact.js';
import type { Meter, Tracer } from '@opentelemetry/api';
import type { AuditHub } from './audit-hub.js';
import type { PluginPorts } from './plugin-ports.js';
import { ResolvedSecrets } from './resolved-secrets.js';
import type { KernelContainer } from './container.js';
import { coreServices, type ServiceDeps } from '../plugin/services.js';

export interface SetupDeps {
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
  readonly audit: AuditHub;
  readonly signal: AbortSignal;
  readonly onStop: (fn: () => Promise<void>) => void;
  /** Resolved secret values join this set so logs and audit never print them. */
  readonly knownSecrets: Set<string>;
  /** The kernel's own tracer and meter (no-ops unless telemetry is configured). */
  readonly tracer: Tracer;
  readonly meter: Meter;
  /** Resolves the core services a plugin declares in `deps` (and `secrets`, once the store is up, is provided here). */
  readonly container: KernelContainer;
}

const missing = (name: string) => new CnmcpError('SECRET_STORE_MISSING', `secret "${name}" requested but no \`secrets:\` store is configured`);
/** What `ctx.secrets` reads when no `secrets:` store is configured: every read fails naming the missing section. */
export const NO_SECRET_STORE: SecretReader = {
  get: async (name) => Promise.reject(missing(name)),
  getVersions: async (name) => Promise.reject(missing(name)),
};

/**
 * Sets up the selected plugins in section order (secret store first, tool packs last) and records each port in
 * `ports` as soon as it exists, so that a later failure can still close what was started.
 */
export async function setupPlugins(deps: SetupDeps, ports: PluginPorts): Promise<void> {
  let secrets: SecretReader = NO_SECRET_STORE;
  let secretsResolved = false;
  const resolved = new ResolvedSecrets(deps.loaded.config as unknown as Record<string, unknown>, deps.loaded.secretPaths);
  for (const selected of deps.loaded.plugins) {
    if (!secretsResolved && secrets !== NO_SECRET_STORE && resolved.size > 0) {
      // Secret references resolve right after the store is up and before any other plugin reads its options.
      await resolveSecrets(deps, secrets, resolved);
      secretsResolved = true;
    }
    const port = await setupOne(selected, deps, secrets, resolved);
    const named = { id: `${selected.plugin.kind}/${selected.plugin.name}`, port } as never;
    switch (selected.section.kind) {
      case 'secret-store':
        ports.secretStore = named;
        secrets = maskingReader(port as SecretReader, deps.knownSecrets);
        deps.container.provide(coreServices.secrets, () => secrets);
        break;
      case 'audit-sink':
        ports.auditSinks.push(named);
        break;
      case 'tls':
        ports.tls = named;
        break;
      case 'rate-limit-store':
        ports.rateLimitStore = named;
        break;
      case 'auth':
        ports.auth.push(named);
        break;
      case 'authorizer':
        ports.authorizer = named;
        break;
      case 'sanitizer':
        ports.sanitizer = named;
        break;
      case 'tool-pack':
        ports.toolPacks.push(named);
        break;
    }
  }
  if (!secretsResolved && secrets !== NO_SECRET_STORE && resolved.size > 0) await resolveSecrets(deps, secrets, resolved);
  if (secrets.watch && resolved.size > 0) watchReferences(deps, secrets, resolved);
}

/**
 * After a referenced secret changes (a rotation here or by the CLI), the references resolve again into a new set of
 * values that replaces the old one at once: the new value joins the masked set, and the loaded config, which only
 * ever holds the references, is never touched. Plugins keep the options they were set up with; those that must
 * follow rotation live (apikey `secret:`, bearer `signingSecret:`) read the store themselves.
 */
function watchReferences(deps: SetupDeps, secrets: SecretReader, resolved: ResolvedSecrets): void {
  const names = resolved.names();
  const stop = secrets.watch!((name) => {
    if (!names.has(name)) return;
    resolveSecrets(deps, secrets, resolved).then(
      () => deps.logger.info('secret references resolved again after a change', { entry: name }),
      (error: unknown) =>
        deps.logger.warn('secret references could not be resolved again; the previous values stay', { entry: name, error: (error as Error).message }),
    );
  });
  deps.onStop(async () => stop());
}

function resolveSecrets(deps: SetupDeps, secrets: SecretReader, resolved: ResolvedSecrets): Promise<void> {
  return resolved.resolve(async (name) => {
    const value = (await secrets.get(name)).value.reveal();
    deps.knownSecrets.add(value);
    return value;
  });
}

async function setupOne(selected: SelectedPlugin, deps: SetupDeps, secrets: SecretReader, resolved: ResolvedSecrets): Promise<unknown> {
  const id = `${selected.plugin.kind}/${selected.plugin.name}`;
  const logger = deps.logger.child(id);
  const { use: _use, ...config } = resolved.optionsAt(selected.path);
  const declared = Object.entries((selected.plugin.deps ?? {}) as ServiceDeps);
  const context: PluginContext<unknown> = {
    config: Object.freeze(config),
    deps: Object.freeze(Object.fromEntries(declared.map(([name, service]) => [name, deps.container.service(service, id)]))),
    logger,
    tracer: deps.tracer,
    meter: deps.meter,
    secrets,
    audit: deps.audit,
    onStop: deps.onStop,
    signal: deps.signal,
  };
  try {
    const port = await selected.plugin.setup(context);
    if (!port || typeof port !== 'object') throw new Error('setup() returned no port');
    logger.debug('plugin ready');
    return port;
  } catch (error) {
    // A plugin's message may quote its options: what is known to be secret never leaves in it.
    const message = maskKnown(error instanceof Error ? error.message : String(error), deps.knownSecrets);
    // A CnmcpError from setup is the plugin rejecting its options (a weak key, a missing file): a config problem.
    const code = error instanceof CnmcpError ? 'PLUGIN_CONFIG_INVALID' : 'PLUGIN_SETUP_FAILED';
    throw new CnmcpError(code, `${id} failed to start: ${message}`, { path: selected.path, plugin: id, cause: error });
  }
}
