import type { Meter } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import type { CnmcpConfig } from '../config/types.js';
import { parseCidrList } from '../net/cidr-list.js';
import type { Logger } from '../plugin/logger.js';
import type { Authorizer } from '../plugin/ports/authorizer.js';
import type { RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { Sanitizer } from '../plugin/ports/sanitizer.js';
import { compileClaimReader } from './auth-claim.js';
import type { NamedStrategy } from './authenticate.js';
import type { GuardOptions } from './guard-request.js';
import { compileLockout, DEFAULT_LOCKOUT } from './lockout.js';
import { mcpMethods, type McpCatalog } from './mcp-methods.js';
import { createPipeline, type CompiledStage, type LoopDeps, type Pipeline } from './run-pipeline.js';
import { STAGES, type PipelineView, type StageDeps } from './stages.js';
import { createStoreHealth } from './store-health.js';
import { createReadRunner, createToolInvoker, type ToolCallDeps } from './tool-call.js';
import { compileValidators } from './validate.js';

export interface PipelinePorts {
  readonly auth: readonly NamedStrategy[];
  readonly authorizer?: Authorizer;
  readonly sanitizer?: Sanitizer;
  readonly store?: RateLimitStore;
}

export interface PipelineInputs {
  readonly config: CnmcpConfig;
  readonly ports: PipelinePorts;
  readonly catalog: McpCatalog;
  readonly guard: GuardOptions;
  readonly auditGate?: StageDeps['auditGate'];
  readonly logger: Logger;
  readonly meter: Meter;
  readonly loop: LoopDeps;
  readonly tools: ToolCallDeps;
  /** The config's meta-schema check, reused for tool schemas (LoadedConfig.schemaProblems). */
  readonly schemaProblems?: (schema: object) => string | undefined;
  /** Where tool validators are kept between starts (LoadedConfig.cacheDir). */
  readonly cacheDir?: string;
}

/**
 * Builds the stage list once, at startup, in the order of STAGES. A stage with nothing configured is left out
 * entirely, so it costs nothing per request; `describePipeline` reports what was left out and why.
 */
export function compilePipeline(inputs: PipelineInputs): Pipeline {
  const { config, ports, catalog, logger, meter } = inputs;
  const limits = config.limits ?? {};
  // Refusals are counted where they are answered (cnmcp_rate_limited); store errors here, once per failed call.
  const health = createStoreHealth(limits.onStoreError ?? 'deny', logger.child('rate-limit'), meter);
  const deps: StageDeps = {
    config,
    auth: ports.auth,
    ...(ports.auth.length > 0 && ports.store
      ? { lockout: compileLockout(ports.store, { ...DEFAULT_LOCKOUT, ...limits.authFailures }, health, compileClaimReader(ports.auth, logger)) }
      : {}),
    ...(ports.authorizer ? { authorizer: ports.authorizer } : {}),
    ...(ports.sanitizer ? { sanitizer: ports.sanitizer } : {}),
    ...(ports.store ? { store: ports.store } : {}),
    health,
    tools: catalog.tools,
    validators: compileValidators([...catalog.tools.values()], {
      ...(inputs.schemaProblems ? { schemaProblems: inputs.schemaProblems } : {}),
      ...(inputs.cacheDir ? { cacheDir: inputs.cacheDir } : {}),
    }),
    methods: mcpMethods({
      catalog,
      ...(ports.authorizer ? { authorizer: ports.authorizer } : {}),
      invokeTool: createToolInvoker(inputs.tools),
      runRead: createReadRunner(inputs.tools),
    }),
    guard: inputs.guard,
    ...(inputs.auditGate ? { auditGate: inputs.auditGate } : {}),
    // The lists were checked at load time (crossCheck); parsing again here cannot fail.
    allowList: parseCidrList(limits.allowList, '/limits/allowList').list,
    denyList: parseCidrList(limits.denyList, '/limits/denyList').list,
    fingerprintKey: randomBytes(32),
    logger,
  };
  const compiled: CompiledStage[] = [];
  for (const stage of STAGES) {
    const run = stage.build(deps);
    if (run) compiled.push({ stage, run });
  }
  return createPipeline(compiled, inputs.loop);
}

export interface StageDescription {
  readonly stage: string;
  readonly phase: 'request' | 'message' | 'after';
  readonly status: 'on' | 'skipped';
  readonly detail: string;
}

/** The pipeline as configured, in order, for `cnmcp config print`, the startup log and the docs. */
export function describePipeline(config: CnmcpConfig, ids: PipelineView['ids']): StageDescription[] {
  const view: PipelineView = { config, ids };
  const rows: StageDescription[] = STAGES.map((stage) => {
    const { on, detail } = stage.describe(view);
    return { stage: stage.name, phase: stage.phase, status: on ? 'on' : 'skipped', detail };
  });
  rows.push(
    ids.audit.length > 0
      ? { stage: 'audit', phase: 'after', status: 'on', detail: ids.audit.join(', ') }
      : { stage: 'audit', phase: 'after', status: 'skipped', detail: 'no audit sink configured' },
  );
  return rows;
}
