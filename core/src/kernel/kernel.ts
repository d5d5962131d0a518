import { hostname } from 'node:os';
import { insecureChoices } from '../config/cross-check.js';
import { findConfig, type FoundConfig } from '../config/find-config.js';
import { isLoopback, parseListen } from '../net/listen-address.js';
import { loadConfig, type LoadedConfig } from './load-config.js';
import type { Plugin } from '../plugin/define-plugin.js';
import { CnmcpError } from '../plugin/errors.js';
import type { Identity } from '../plugin/identity.js';
import type { Logger } from '../plugin/logger.js';
import type { PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../plugin/ports/tool-pack.js';
import type { AuditSink } from '../plugin/ports/audit-sink.js';
import type { SecretStore } from '../plugin/ports/secret-store.js';
import { compilePipeline, describePipeline, type StageDescription } from '../pipeline/compile-pipeline.js';
import type { Pipeline } from '../pipeline/run-pipeline.js';
import { createSurface } from '../pipeline/mcp-surface.js';
import { OwnCancellation } from '../pipeline/cancellation.js';
import { FastPath } from '../fast-path/fast-path.js';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../telemetry/logger.js';
import { maskKnown } from '../telemetry/redact.js';
import { watchCertificateExpiry } from '../telemetry/certificate-expiry.js';
import { startMetricsListener } from '../telemetry/metrics-endpoint.js';
import { RequestScope } from '../telemetry/request-scope.js';
import { loadTelemetry, NOOP_TELEMETRY, type Telemetry } from '../telemetry/telemetry.js';
import { LOOPBACK_HOSTS } from '../pipeline/guard-request.js';
import type { HttpListener } from '../transport/http-server.js';
import { LazyHttpEndpoint, LazySseEndpoint, SdkLoader } from '../transport/lazy-endpoints.js';
import { serveStdioFront } from '../transport/stdio-front.js';
import { parseCidrList } from '../net/cidr-list.js';
import type { McpSurface } from '../pipeline/mcp-surface.js';
import type { AuditHub } from './audit-hub.js';
import { chainKeysOf, createAuditHub } from './create-audit-hub.js';
import { auditGate } from '../pipeline/audit-gate.js';
import { KernelContainer } from './container.js';
import { coreServices, type Clock, type ServiceRef } from '../plugin/services.js';
import { Inflight } from './inflight.js';
import type { PluginPorts } from './plugin-ports.js';
import { NO_SECRET_STORE, setupPlugins } from './setup-plugins.js';
import { startRotation } from '../secrets/start-rotation.js';
import { buildCatalog, type ToolCatalog } from './tool-catalog.js';
import { TOKENS } from './tokens.js';
import { CNMCP_VERSION } from './version.js';

const SYSTEM_CLOCK: Clock = Object.freeze({ now: () => Date.now() });

/** After the drain, how long aborted calls get to send their "shutting down" result. */
const ABORT_GRACE_MS = 500;

export type KernelState = 'loaded' | 'setting-up' | 'set-up' | 'ready' | 'stopping' | 'stopped';

export interface KernelOptions {
  /** A config found on disk (see findConfig); or pass `config` for an inline one. */
  readonly found?: FoundConfig;
  readonly config?: Record<string, unknown>;
  /** Where relative paths of an inline config resolve from (default: cwd). */
  readonly baseDir?: string;
  /** Plugins selectable by name without being imported (tests, embedding). */
  readonly plugins?: readonly Plugin[];
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides the logger built from `logging:` (tests pass a silent one). */
  readonly logger?: Logger;
  /** Receives every span instead of the configured exporter, turning tracing on (tests: InMemorySpanExporter). */
  readonly spanExporter?: SpanExporter;
  /** Where the logger built from `logging:` writes (default: stderr). */
  readonly logStream?: NodeJS.WritableStream;
  /** Replaces core services plugins receive through `deps` (tests: a fake clock). */
  readonly services?: readonly ServiceOverride[];
  /** Where compiled config validators are kept between starts (see LoadOptions.cacheDir); default: none. */
  readonly cacheDir?: string;
}

/** A core service given instead of the kernel's own: `{ service: coreServices.clock, value: fakeClock }`. */
export interface ServiceOverride<T = unknown> {
  readonly service: ServiceRef<T>;
  readonly value: T;
}

/**
 * The kernel: load -> validate -> setup plugins -> start transport -> ready; stop drains and closes everything.
 *
 * @example
 * const kernel = await Kernel.load({ config: { server: { listen: '127.0.0.1:0' }, toolPacks: [{ use: 'utilities' }] } });
 * await kernel.start();
 * console.log(kernel.url); // http://127.0.0.1:40123/mcp
 * await kernel.stop();
 */
export class Kernel {
  readonly #container = new KernelContainer();
  readonly #loaded: LoadedConfig;
  readonly #logger: Logger;
  readonly #knownSecrets: Set<string>;
  readonly #audit: AuditHub;
  readonly #shutdown = new OwnCancellation();
  readonly #stopHooks: (() => Promise<void>)[] = [];
  readonly #inflight = new Inflight();
  readonly #scope = new RequestScope();
  readonly #spanExporter?: SpanExporter;
  #telemetry: Telemetry = NOOP_TELEMETRY;
  #state: KernelState = 'loaded';
  #listener?: HttpListener;
  #closers: (() => Promise<void>)[] = [];
  #streamClosers: (() => Promise<void>)[] = [];
  /** Waits, up to the given ms, for messages a transport accepted but has not handed to the pipeline yet. */
  #pendingMessages?: (maxMs: number) => Promise<void>;
  #stopping?: Promise<void>;
  #metricsUrl?: URL;

  readonly #services: readonly ServiceOverride[];

  private constructor(loaded: LoadedConfig, options: Pick<KernelOptions, 'logger' | 'spanExporter' | 'logStream' | 'services'>) {
    const { logger, spanExporter, logStream } = options;
    this.#services = options.services ?? [];
    this.#loaded = loaded;
    this.#spanExporter = spanExporter;
    this.#knownSecrets = new Set(loaded.resolvedValues);
    const { level, format, redactKeys, levels } = loaded.config.logging;
    const resolvedFormat = format === 'auto' ? (process.stderr.isTTY ? 'pretty' : 'json') : format;
    const context = () => this.#scope.logFields();
    this.#logger =
      logger ??
      createLogger({
        level,
        format: resolvedFormat,
        knownSecrets: this.#knownSecrets,
        redactKeys,
        levels,
        context,
        ...(logStream ? { destination: logStream } : {}),
      });
    this.#audit = createAuditHub(loaded, this.#logger, this.#knownSecrets);
    this.#container.set(TOKENS.config, loaded);
    this.#container.set(TOKENS.logger, this.#logger);
    this.#container.set(TOKENS.audit, this.#audit);
    this.#container.provide(coreServices.logger, (plugin) => this.#logger.child(plugin));
    this.#container.provide(coreServices.audit, () => this.#audit);
    this.#container.provide(coreServices.clock, () => SYSTEM_CLOCK);
  }

  /** Finds (or takes), interpolates and validates the config and imports the plugins it selects. Starts nothing. */
  static async load(options: KernelOptions = {}): Promise<Kernel> {
    const found =
      options.found ??
      (options.config ? { config: structuredClone(options.config), baseDir: options.baseDir ?? process.cwd() } : await findConfig({ env: options.env }));
    const loaded = await loadConfig(found, { plugins: options.plugins, env: options.env, cacheDir: options.cacheDir });
    return new Kernel(loaded, options);
  }

  get state(): KernelState {
    return this.#state;
  }

  get config(): LoadedConfig {
    return this.#loaded;
  }

  get logger(): Logger {
    return this.#logger;
  }

  /** The MCP endpoint URL once an HTTP listener runs. */
  get url(): URL | undefined {
    return this.#listener?.url;
  }

  /** The separate metrics listener's /metrics URL (`telemetry.metrics.listen`), once started. */
  get metricsUrl(): URL | undefined {
    return this.#metricsUrl;
  }

  /**
   * Runs every selected plugin's setup and builds the tool catalog. `only` limits setup to some kinds: the audit
   * commands open just the secret store and the audit sinks.
   */
  async setup(only?: readonly Plugin['kind'][]): Promise<void> {
    if (this.#state !== 'loaded') throw new Error(`setup() called in state ${this.#state}`);
    this.#state = 'setting-up';
    const ports: PluginPorts = { auditSinks: [], auth: [], toolPacks: [] };
    this.#container.set(TOKENS.ports, ports);
    try {
      this.#telemetry = await loadTelemetry(this.#loaded.config.telemetry, {
        scope: this.#scope,
        sources: { audit: this.#audit, inflight: this.#inflight },
        version: CNMCP_VERSION,
        logger: this.#logger.child('tracing'),
        ...(this.#spanExporter ? { spanExporter: this.#spanExporter } : {}),
      });
      const loaded = only ? this.#only(only) : this.#loaded;
      this.#container.provide(coreServices.tracer, () => this.#telemetry.tracer);
      this.#container.provide(coreServices.meter, () => this.#telemetry.meter);
      this.#container.provide(coreServices.secrets, () => NO_SECRET_STORE);
      // Registered last, so that a test's service replaces the kernel's own.
      for (const { service, value } of this.#services) this.#container.provide(service, () => value);
      await setupPlugins(
        {
          loaded,
          logger: this.#logger,
          audit: this.#audit,
          signal: this.#shutdown.signal,
          onStop: (fn) => void this.#stopHooks.push(fn),
          knownSecrets: this.#knownSecrets,
          tracer: this.#telemetry.tracer,
          meter: this.#telemetry.meter,
          container: this.#container,
        },
        ports,
      );
      this.#audit.attach(ports.auditSinks);
      const catalog = buildCatalog(ports.toolPacks, this.#logger);
      this.#container.set(TOKENS.catalog, catalog);
      this.#telemetry.metrics?.startAtZero({ tools: catalog.tools.keys(), authMethods: ports.auth.map((a) => a.id.split('/')[1] ?? a.id) });
      if (this.#telemetry.certificateExpiry && ports.tls) {
        const unsubscribe = await watchCertificateExpiry(this.#telemetry.certificateExpiry, ports.tls, this.#logger.child('metrics'));
        this.#stopHooks.push(async () => unsubscribe());
      }
      this.#state = 'set-up';
    } catch (error) {
      this.#audit.attach(ports.auditSinks);
      await this.#teardown();
      this.#state = 'stopped';
      throw error;
    }
  }

  /**
   * The config limited to some plugin kinds, with only their `${secret:}` references: `cnmcp secrets set NAME`
   * must work while another section still references a secret that does not exist yet.
   */
  #only(only: readonly Plugin['kind'][]): LoadedConfig {
    const plugins = this.#loaded.plugins.filter((p) => only.includes(p.plugin.kind));
    const secretPaths = new Set([...this.#loaded.secretPaths].filter((path) => plugins.some((p) => path.startsWith(`${p.path}/`))));
    return { ...this.#loaded, plugins, secretPaths };
  }

  /** The audit hub and the sinks behind it (after setup): for the audit commands and the admin endpoints. */
  get audit(): { readonly hub: AuditHub; readonly sinks: readonly { id: string; port: AuditSink }[] } {
    return { hub: this.#audit, sinks: this.#container.get(TOKENS.ports).auditSinks };
  }

  /** The store selected under `secrets:` (after setup), for the `cnmcp secrets` commands. */
  get secretStore(): SecretStore | undefined {
    return this.#container.has(TOKENS.ports) ? this.#container.get(TOKENS.ports).secretStore?.port : undefined;
  }

  /** Tools in the catalog, as the given identity would see them (all, for the CLI's `tools list`). */
  tools(identity?: Identity): readonly ToolDefinition[] {
    const catalog = this.#container.get(TOKENS.catalog);
    const all = [...catalog.tools.values()];
    const authorizer = this.#container.get(TOKENS.ports).authorizer?.port;
    return identity && authorizer ? authorizer.visibleTools(identity, all) : all;
  }

  /** The prompts, resources and resource templates the catalog serves (before any authorization), for docs and the CLI. */
  catalog(): {
    readonly prompts: readonly PromptDefinition[];
    readonly resources: readonly ResourceDefinition[];
    readonly resourceTemplates: readonly ResourceTemplateDefinition[];
  } {
    const { prompts, resources, resourceTemplates } = this.#container.get(TOKENS.catalog);
    return { prompts, resources, resourceTemplates };
  }

  /** The request pipeline as configured: each stage on or skipped, and why. */
  pipeline(): StageDescription[] {
    const ids = (kind: string) => this.#loaded.plugins.filter((p) => p.plugin.kind === kind).map((p) => `${p.plugin.kind}/${p.plugin.name}`);
    return describePipeline(this.#loaded.config, {
      auth: ids('auth'),
      authorizer: ids('authorizer')[0],
      sanitizer: ids('sanitizer')[0],
      rateLimit: ids('rate-limit-store')[0],
      audit: ids('audit-sink'),
    });
  }

  /** Sets up (if not yet) and starts the configured transport. Resolves when the server is ready. */
  async start(): Promise<void> {
    if (this.#state === 'loaded') await this.setup();
    if (this.#state !== 'set-up') throw new Error(`start() called in state ${this.#state}`);
    const config = this.#loaded.config;
    const ports = this.#container.get(TOKENS.ports);
    const catalog = this.#container.get(TOKENS.catalog);
    const pipeline = this.#pipeline(ports, catalog);
    // The MCP SDK (~300 ms of CPU to import) loads when the first message needs it, not at start: the fast path
    // answers without it. Not warmed after ready either: that slowed the first fast answers and added 10-18 MB of
    // RSS to replicas that may never need it; the first handshake pays the import once (docs/performance.md).
    const sdk = new SdkLoader();
    const surface = createSurface({ name: this.#clientVisibleName(), version: CNMCP_VERSION }, catalog.tools, pipeline);
    const fastPath = config.server.fastPath ? new FastPath(surface, catalog.tools.values(), { legacy: config.server.sessions !== 'stateful' }) : undefined;
    try {
      if (config.server.transport === 'stdio') {
        const { id, roles } = config.server.stdioIdentity;
        const stdio = serveStdioFront({
          surface,
          identity: { id, roles, authMethod: 'local' },
          logger: this.#logger,
          maxBatchSize: config.server.maxBatchSize,
          sdk,
          ...(fastPath ? { fastPath } : {}),
        });
        this.#closers.push(() => stdio.close());
        this.#pendingMessages = (maxMs) => stdio.idle(maxMs);
      } else {
        await this.#startHttp(sdk, surface, pipeline, ports, fastPath);
      }
      const { scrape } = this.#telemetry;
      const metricsListen = config.telemetry.metrics.listen;
      if (scrape && metricsListen) {
        const listener = await startMetricsListener(metricsListen, scrape, this.#logger.child('metrics'));
        this.#metricsUrl = listener.url;
        this.#closers.push(() => listener.close());
      }
    } catch (error) {
      await this.#teardown();
      this.#state = 'stopped';
      throw error;
    }
    const stopRotation = startRotation(config, ports.secretStore?.port, {
      audit: this.#audit,
      logger: this.#logger.child('rotation'),
      knownSecrets: this.#knownSecrets,
      leaseStore: ports.rateLimitStore?.port,
    });
    if (stopRotation) this.#closers.push(stopRotation);
    this.#state = 'ready';
    this.#audit.emit({
      type: 'config.loaded',
      outcome: 'success',
      details: { file: this.#loaded.filepath ?? 'embedded default', plugins: this.#loaded.plugins.map((p) => `${p.plugin.kind}/${p.plugin.name}`) },
    });
    // Allowed, but never silent: every start says it in the log and in the audit trail.
    for (const choice of insecureChoices(config)) {
      this.#logger.warn(`INSECURE: ${choice.message}`, { code: choice.code, path: choice.path });
      this.#audit.emit({ type: 'config.insecure', outcome: 'success', details: { ...choice } });
    }
    this.#audit.emit({
      type: 'server.started',
      outcome: 'success',
      // Which replica writes this chain: the host name is the pod name in Kubernetes, the pid tells processes apart.
      details: { transport: config.server.transport, url: this.url?.href, version: CNMCP_VERSION, host: hostname(), pid: process.pid },
    });
    this.#logger.info('cnmcp ready', { transport: config.server.transport, ...(this.url ? { url: this.url.href } : {}), tools: catalog.tools.size });
  }

  /** What `config print` masks is never sent to a client either: a name from a reference falls back to the default. */
  #clientVisibleName(): string {
    const { referencePaths, secretFieldPaths, config } = this.#loaded;
    if (referencePaths.has('/server/name') || secretFieldPaths.has('/server/name')) return 'cnmcp';
    return maskKnown(config.server.name, this.#knownSecrets);
  }

  /** The request pipeline over this kernel's plugins and catalog, compiled once per start. */
  #pipeline(ports: PluginPorts, catalog: ToolCatalog): Pipeline {
    // Built once: a tool's logger sits under its pack's, so `logging.levels['tool-pack/x']` reaches the handlers.
    const loggers = new Map<string, Logger>();
    for (const { id, port } of ports.toolPacks) for (const tool of port.tools ?? []) loggers.set(tool.name, this.#logger.child(id).child(tool.name));
    const { tracing, metrics } = this.#telemetry;
    const config = this.#loaded.config;
    const server = config.server;
    const host = server.transport === 'http' ? parseListen(server.listen).host : '127.0.0.1';
    const allowedHosts = server.allowedHosts ?? (isLoopback(host) ? LOOPBACK_HOSTS : undefined);
    const observed = { ...(tracing ? { tracing } : {}), ...(metrics ? { metrics } : {}) };
    return compilePipeline({
      config,
      ...(this.#loaded.schemaProblems ? { schemaProblems: this.#loaded.schemaProblems } : {}),
      ...(this.#loaded.cacheDir !== undefined ? { cacheDir: this.#loaded.cacheDir } : {}),
      ports: {
        auth: ports.auth,
        ...(ports.authorizer ? { authorizer: ports.authorizer.port } : {}),
        ...(ports.sanitizer ? { sanitizer: ports.sanitizer.port } : {}),
        ...(ports.rateLimitStore ? { store: ports.rateLimitStore.port } : {}),
      },
      catalog,
      guard: { allowedHosts: allowedHosts && new Set(allowedHosts.map((h) => h.toLowerCase())), allowedOrigins: new Set(server.allowedOrigins ?? []) },
      auditGate: auditGate(this.#audit, config.auditing.refuseWhenUnrecordable),
      logger: this.#logger,
      meter: this.#telemetry.meter,
      loop: { audit: this.#audit, recordArguments: config.auditing.recordArguments, ...observed },
      tools: {
        knownSecrets: this.#knownSecrets,
        logger: this.#logger.child('tools'),
        timeoutMs: server.toolTimeoutMs,
        maxResultBytes: server.maxResultBytes,
        shutdown: this.#shutdown,
        inflight: this.#inflight,
        loggers,
        ...observed,
      },
    });
  }

  async #startHttp(sdk: SdkLoader, surface: McpSurface, pipeline: Pipeline, ports: PluginPorts, fastPath: FastPath | undefined): Promise<void> {
    const server = this.#loaded.config.server;
    const { host, port } = parseListen(server.listen);
    const mcp = new LazyHttpEndpoint(sdk, surface, {
      sessions: server.sessions,
      sessionLimits: server.sessionLimits,
      maxBodyBytes: server.maxBodyBytes,
      logger: this.#logger.child('mcp'),
      ...(fastPath ? { fastPath } : {}),
    });
    const sseLogger = this.#logger.child('sse');
    const sse = server.sse ? new LazySseEndpoint(sdk, (adapter) => new adapter.SseEndpoint(surface, sseLogger, server.sessionLimits)) : undefined;
    this.#closers.push(() => mcp.close());
    if (sse) this.#streamClosers.push(() => sse.close());
    const auditQuery = ports.auditSinks.find((s) => typeof s.port.query === 'function')?.port;
    const { startHttpServer } = await import('../transport/http-server.js');
    this.#listener = await startHttpServer({
      host,
      port,
      timeouts: { headersMs: server.headersTimeoutMs, requestMs: server.requestTimeoutMs },
      mcp,
      ...(sse ? { sse } : {}),
      pipeline,
      trustedProxies: parseCidrList(server.trustedProxies, '/server/trustedProxies').list,
      wellKnown: wellKnownDocuments(ports),
      ...(auditQuery ? { auditQuery } : {}),
      audit: this.#audit,
      logger: this.#logger.child('http'),
      accessLog: this.#logger.child('access'),
      ...(ports.tls ? { tls: ports.tls.port } : {}),
      ...(server.headers ? { headers: server.headers } : {}),
      ...(server.cors ? { cors: server.cors } : {}),
      isReady: () => this.#state === 'ready',
      ...(this.#telemetry.tracing ? { tracing: this.#telemetry.tracing } : {}),
      ...(this.#telemetry.metrics ? { metrics: this.#telemetry.metrics } : {}),
      ...(this.#telemetry.scrape && !this.#loaded.config.telemetry.metrics.listen ? { scrapeMetrics: this.#telemetry.scrape } : {}),
      ...(this.#loaded.config.admin.console.enabled ? { console: await this.#console(ports, auditQuery, () => mcp.sessionCount) } : {}),
    });
  }

  /** The admin console over this kernel's audit log, pipeline and plugins (admin.console.enabled). */
  async #console(ports: PluginPorts, sink: AuditSink | undefined, openSessions: () => number) {
    const { createConsole } = await import('../admin/console-endpoint.js');
    const { loadConsoleAssets } = await import('../admin/console-assets.js');
    const config = this.#loaded.config;
    const { checkpoints } = config.auditing;
    return createConsole({
      assets: loadConsoleAssets(),
      ...(sink ? { sink } : {}),
      hmac: (value) => this.#audit.hmac(value),
      ...(config.admin.console.tracingUrl ? { tracingUrl: config.admin.console.tracingUrl } : {}),
      status: {
        server: { name: this.#clientVisibleName(), version: CNMCP_VERSION, transport: config.server.transport, startedAt: new Date() },
        pipeline: () => this.pipeline(),
        plugins: this.#loaded.plugins.map((p) => `${p.plugin.kind}/${p.plugin.name}`),
        ready: () => this.#state === 'ready',
        auditRecording: () => this.#audit.canRecord(),
        ...(ports.tls ? { tls: ports.tls.port } : {}),
        ...(ports.secretStore ? { secrets: ports.secretStore.port } : {}),
        rotation: config.rotation,
        sessions: { mode: config.server.sessions, open: openSessions },
        ...(checkpoints ? { checkpoints: { path: checkpoints.path, keyring: chainKeysOf(config.auditing).keyring } } : {}),
      },
    });
  }

  /**
   * Graceful stop: readiness goes false, the listener stops accepting, in-flight calls get `drainTimeoutMs` to
   * finish and are then aborted, sinks flush, plugins close. Safe to call more than once.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    const served = this.#state === 'ready';
    this.#state = 'stopping';
    const drainMs = this.#loaded.config.server.drainTimeoutMs;
    // Calls cut off at the end of the drain still get their "shutting down" answer before sockets are forced shut.
    const listenerClosed = this.#listener?.close(drainMs + ABORT_GRACE_MS);
    const drainStarted = Date.now();
    await this.#pendingMessages?.(drainMs);
    await this.#inflight.idle(Math.max(0, drainMs - (Date.now() - drainStarted)));
    this.#shutdown.cancel();
    await this.#inflight.idle(ABORT_GRACE_MS);
    // Long-lived streams (legacy SSE) would otherwise hold the listener open until the force timeout.
    for (const close of this.#streamClosers.splice(0)) await close();
    await listenerClosed;
    if (served) this.#audit.emit({ type: 'server.stopped', outcome: 'success' });
    await this.#teardown();
    this.#state = 'stopped';
    this.#logger.info('cnmcp stopped');
  }

  async #teardown(): Promise<void> {
    this.#shutdown.cancel();
    const run = async (label: string, fn: () => Promise<void> | undefined) => {
      try {
        await fn();
      } catch (error) {
        this.#logger.error('error during shutdown', { step: label, error: (error as Error).message });
      }
    };
    for (const close of [...this.#streamClosers.splice(0), ...this.#closers.splice(0)]) await run('transport', close);
    for (const hook of this.#stopHooks.splice(0).reverse()) await run('plugin onStop', hook);
    const ports = this.#container.has(TOKENS.ports) ? this.#container.get(TOKENS.ports) : undefined;
    for (const named of [...(ports?.auth ?? []), ports?.rateLimitStore, ports?.tls, ports?.secretStore].filter((p) => p !== undefined)) {
      const port = named.port as { close?: () => Promise<void> };
      if (port.close) await run(named.id, () => port.close!());
    }
    await run('audit', () => this.#audit.close());
    // Last, so spans of the shutdown itself are exported.
    await run('telemetry', () => this.#telemetry.close());
    await this.#container.dispose();
  }
}

/** The public documents auth strategies serve; two strategies claiming one path stop the server naming both. */
function wellKnownDocuments(ports: PluginPorts): Map<string, unknown> {
  const documents = new Map<string, unknown>();
  const owners = new Map<string, string>();
  for (const { id, port } of ports.auth) {
    for (const { path, body } of port.wellKnown?.() ?? []) {
      const owner = owners.get(path);
      if (owner) throw new CnmcpError('DUPLICATE_NAME', `${path} is served by both ${owner} and ${id}`, { plugin: id });
      owners.set(path, id);
      documents.set(path, body);
    }
  }
  return documents;
}

/** Loads, sets up and starts a kernel; the one call most embedders need. */
export async function startKernel(options: KernelOptions = {}): Promise<Kernel> {
  const kernel = await Kernel.load(options);
  await kernel.start();
  return kernel;
}

export type { FoundConfig };
