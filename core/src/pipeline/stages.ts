import { createHmac } from 'node:crypto';
import type { CnmcpConfig, RateRule } from '../config/types.js';
import type { CidrList } from '../net/cidr-list.js';
import type { Logger } from '../plugin/logger.js';
import type { Authorizer } from '../plugin/ports/authorizer.js';
import type { RateLimitStore } from '../plugin/ports/rate-limit-store.js';
import type { Sanitizer } from '../plugin/ports/sanitizer.js';
import type { ToolDefinition } from '../plugin/ports/tool-pack.js';
import { AuthRecordWindow } from './auth-record-window.js';
import { compileAuthenticate, type NamedStrategy } from './authenticate.js';
import { compileAuthorize } from './authorize.js';
import { globToRegExp } from './glob.js';
import { guardRequest, type GuardOptions } from './guard-request.js';
import { compileLimit, countAll, type LimitStage } from './limit.js';
import { DEFAULT_LOCKOUT, type LockoutStage } from './lockout.js';
import type { McpMethod } from './mcp-methods.js';
import { decidePermission } from './permissions.js';
import { readJsonBody } from './read-body.js';
import { authRequestOf, type CredentialRef, type RequestContext } from './request-context.js';
import { compileSanitize } from './sanitize.js';
import type { StoreHealth } from './store-health.js';
import type { ValidateStage } from './validate.js';
import type { AuditedEndpoint } from './audit-gate.js';
import { PASS, stop, type StageVerdict, type Verdict } from './verdict.js';

/** What the stages are built from, once, at startup. */
export interface StageDeps {
  readonly config: CnmcpConfig;
  readonly auth: readonly NamedStrategy[];
  readonly lockout?: LockoutStage;
  readonly authorizer?: Authorizer;
  readonly sanitizer?: Sanitizer;
  readonly store?: RateLimitStore;
  readonly health: StoreHealth;
  readonly tools: ReadonlyMap<string, ToolDefinition>;
  /** Each tool's compiled inputSchema (ajv, once per process): validate and sanitize share them. */
  readonly validators: ReadonlyMap<string, ValidateStage>;
  readonly methods: ReadonlyMap<string, McpMethod>;
  readonly guard: GuardOptions;
  readonly allowList: CidrList;
  readonly denyList: CidrList;
  /** `auditing.refuseWhenUnrecordable`: refuses an endpoint while the audit log cannot record (audit-gate.ts). */
  readonly auditGate?: (endpoint: AuditedEndpoint) => Verdict;
  /** Keys credential fingerprints (sessions bind to them); random per process, never logged. */
  readonly fingerprintKey: Buffer;
  readonly logger: Logger;
}

/** What `config print` and the docs show for a stage without starting anything: the config and the plugins chosen. */
export interface PipelineView {
  readonly config: CnmcpConfig;
  readonly ids: {
    readonly auth: readonly string[];
    readonly authorizer?: string;
    readonly sanitizer?: string;
    readonly rateLimit?: string;
    readonly audit: readonly string[];
  };
}

export type StageRun = (ctx: RequestContext) => StageVerdict | Promise<StageVerdict>;

/**
 * One stage of the pipeline. `request` stages run once per HTTP request, from its headers and then its body;
 * `message` stages run once per JSON-RPC message (each batch element, each SSE POST, each stdio line) and once per
 * admin or metrics request. A stage that `build` leaves out costs nothing per request.
 */
export interface Stage {
  readonly name: string;
  readonly phase: 'request' | 'message';
  /** Why it exists, for the docs. */
  readonly purpose: string;
  /** Which counter its refusals feed (the loop records it). */
  readonly counts?: 'ip' | 'identity' | 'tool' | 'lockout' | 'auth';
  describe(view: PipelineView): { readonly on: boolean; readonly detail: string };
  build(deps: StageDeps): StageRun | undefined;
}

const on = (detail: string) => ({ on: true, detail });
const off = (detail: string) => ({ on: false, detail });
const isHttp = (view: PipelineView) => view.config.server.transport === 'http';
const rateDetail = (rule: RateRule, store: string) =>
  `${rule.points} per ${rule.durationSeconds}s${rule.burst ? ` (+${rule.burst.points} burst per ${rule.burst.durationSeconds}s)` : ''} per message (${store})`;

/** Counts one point per message the request carries: a batch of 50 costs 50 points, not one. */
function perMessage(limit: LimitStage, keyOf: (ctx: RequestContext) => string | undefined): StageRun {
  const limits = [limit];
  return (ctx) => {
    const key = keyOf(ctx);
    return key === undefined ? PASS : countAll(limits, key, Math.max(1, ctx.messages));
  };
}

/** Header names that can carry a credential. */
const CREDENTIAL_HEADER = /^(?:authorization|proxy-authorization|cookie)$|(?:^|-)(?:key|token|auth|password|secret)$/;

/** A keyed hash of every credential-bearing input, so a session can tell "the same credential" without keeping it. */
function fingerprintOf(key: Buffer, ctx: RequestContext): string {
  const hmac = createHmac('sha256', key);
  const headers = ctx.http?.req.headers ?? {};
  // In name order, so that the same headers hash the same however the client ordered them.
  for (const name of Object.keys(headers)
    .filter((n) => CREDENTIAL_HEADER.test(n))
    .sort())
    hmac.update(`${name}\n${String(headers[name])}\n`);
  hmac.update(`cert\n${ctx.http?.peerCertificate?.fingerprint256 ?? ''}`);
  return hmac.digest('base64url');
}

/**
 * A credential whose fingerprint is computed when first read: a stateful session and the per-credential auth
 * record read it, a stateless call never does, and then costs no keyed hash.
 */
class LazyCredential implements CredentialRef {
  readonly strategy: string;
  #fingerprint: string | (() => string);

  constructor(strategy: string, fingerprint: () => string) {
    this.strategy = strategy;
    this.#fingerprint = fingerprint;
  }

  get fingerprint(): string {
    if (typeof this.#fingerprint === 'function') this.#fingerprint = this.#fingerprint();
    return this.#fingerprint;
  }
}

const auditGateStage: Stage = {
  name: 'audit-gate',
  phase: 'request',
  purpose: 'refuses what the server would have to record while a fail-closed audit sink cannot record it (503)',
  describe: ({ config, ids }) =>
    ids.audit.length > 0 && (config.auditing.refuseWhenUnrecordable ?? []).length > 0
      ? on(`refuses ${config.auditing.refuseWhenUnrecordable.join(', ')} while the audit log cannot record`)
      : off('auditing.refuseWhenUnrecordable is empty or no audit sink'),
  build: ({ auditGate }) => auditGate && ((ctx) => auditGate(ctx.entry)),
};

const denyList: Stage = {
  name: 'deny-list',
  phase: 'request',
  purpose: 'refuses listed client addresses before any other work',
  describe: ({ config }) =>
    config.limits?.denyList?.length ? on(`${config.limits.denyList.length} CIDR(s) refused with 403`) : off('no limits.denyList configured'),
  build: ({ denyList: deny }) =>
    deny.size === 0
      ? undefined
      : (ctx) =>
          ctx.source.ip && deny.has(ctx.source.ip) ? stop('FORBIDDEN', 'requests from this address are not accepted', { details: { denyList: true } }) : PASS,
};

const guard: Stage = {
  name: 'guard',
  phase: 'request',
  purpose: 'Host and Origin checks (DNS rebinding), one value per credential header, a well-formed Host',
  describe: (view) =>
    isHttp(view)
      ? on(
          `Host/Origin checks, repeated credential headers refused${
            view.config.server.trustedProxies?.length
              ? `; client address from X-Forwarded-For behind ${view.config.server.trustedProxies.length} trusted proxy CIDR(s)`
              : ''
          }`,
        )
      : off('stdio transport'),
  build:
    ({ guard: options }) =>
    (ctx) =>
      ctx.http ? guardRequest(ctx.http.req, options) : PASS,
};

const lockout: Stage = {
  name: 'lockout',
  phase: 'request',
  purpose: 'refuses a locked source address or claimed subject before any credential is checked, with one answer whatever was presented',
  counts: 'lockout',
  describe: ({ config, ids }) =>
    ids.auth.length > 0 && ids.rateLimit
      ? on(`after ${(config.limits?.authFailures ?? DEFAULT_LOCKOUT).attempts} failures per source and per claimed subject (${ids.rateLimit})`)
      : off(ids.auth.length > 0 ? 'no rate-limit store configured' : 'no auth configured'),
  build: ({ lockout: stage }) =>
    stage &&
    ((ctx) => {
      if (!ctx.http || !ctx.source.ip) return PASS;
      const claim = stage.claim(authRequestOf(ctx, ctx.http));
      if (claim) ctx.claim = claim;
      return stage.check(claim, ctx.source.ip);
    }),
};

const authenticate: Stage = {
  name: 'authenticate',
  phase: 'request',
  purpose: 'auth strategies in config order, from headers only: a 401 costs no body read and no JSON parse',
  counts: 'auth',
  describe: ({ config, ids }) =>
    ids.auth.length > 0
      ? on(ids.auth.join(', '))
      : off(
          config.server.transport === 'http'
            ? 'no auth configured: every caller is anonymous (loopback only unless allowUnauthenticated)'
            : `stdio runs as ${config.server.stdioIdentity.id}`,
        ),
  build({ auth, logger, lockout: lock, fingerprintKey, config }) {
    const run = compileAuthenticate(auth, logger);
    if (!run) return undefined;
    const { record, windowSeconds } = config.auditing.authSuccess;
    const window = record === 'per-credential' ? new AuthRecordWindow(windowSeconds) : undefined;
    return async (ctx) => {
      const http = ctx.http;
      if (!http) return PASS; // stdio: the configured local identity
      const verdict = await run(authRequestOf(ctx, http));
      // Only a rejected credential counts: clients probe without one first (OAuth discovery) and must not lock out.
      if (!verdict.continue && lock && verdict.details?.strategy !== undefined) {
        // A claim read by another strategy than the one that rejected the request is not what failed.
        const claim = ctx.claim?.strategy === verdict.details.strategy ? ctx.claim : undefined;
        const locked = await lock.failed(claim, ctx.source.ip ?? '');
        if (locked.length > 0) {
          const details = { scope: locked.join('+'), ...(claim && locked.includes('subject') ? { strategy: claim.strategy, subject: claim.subject } : {}) };
          return { ...verdict, events: [{ type: 'auth.lockout', outcome: 'denied', details }] };
        }
      }
      if (!verdict.continue) return verdict;
      ctx.identity = verdict.value;
      ctx.credential = new LazyCredential(verdict.value.authMethod, () => fingerprintOf(fingerprintKey, ctx));
      if (window && !window.shouldRecord(`${ctx.credential.strategy}\n${ctx.identity.id}\n${ctx.credential.fingerprint}`)) return { continue: true };
      return { continue: true, events: [{ type: 'auth.success', outcome: 'success' }] };
    };
  },
};

const body: Stage = {
  name: 'body',
  phase: 'request',
  purpose: 'reads a POST body under the size cap, parses it, bounds a batch and refuses one where the protocol revision removed batches',
  describe: (view) =>
    isHttp(view)
      ? on(`body <= ${view.config.server.maxBodyBytes} bytes, batches <= ${view.config.server.maxBatchSize} messages (none from 2025-06-18 on)`)
      : off('stdio transport'),
  build: ({ config }) => {
    const { maxBodyBytes, maxBatchSize } = config.server;
    return async (ctx) => {
      const req = ctx.http?.req;
      if (!req || req.method !== 'POST') return PASS;
      const read = await readJsonBody(req, maxBodyBytes);
      if (!read.continue) return read;
      if (Array.isArray(read.value)) {
        if (read.value.length > maxBatchSize)
          return stop('BATCH_TOO_LARGE', `a batch may carry at most ${maxBatchSize} messages (server.maxBatchSize)`, {
            details: { messages: read.value.length, max: maxBatchSize },
          });
        const revision = req.headers['mcp-protocol-version'];
        // Protocol revisions are dates: 2025-06-18 removed JSON-RPC batching.
        if (typeof revision === 'string' && revision >= '2025-06-18')
          return stop('BATCH_NOT_SUPPORTED', `protocol revision ${revision} does not accept batches`, { details: { revision } });
      }
      ctx.body = read.value;
      ctx.messages = Array.isArray(read.value) ? read.value.length : 1;
      return PASS;
    };
  },
};

const limitIp: Stage = {
  name: 'limit(ip)',
  phase: 'request',
  purpose: 'limits.perIp, one point per JSON-RPC message',
  counts: 'ip',
  describe: ({ config, ids }) =>
    !isHttp({ config, ids })
      ? off('stdio transport')
      : config.limits?.perIp && ids.rateLimit
        ? on(
            `${rateDetail(config.limits.perIp, ids.rateLimit)}${config.limits.allowList?.length ? `; ${config.limits.allowList.length} allow-listed CIDR(s) exempt` : ''}`,
          )
        : off('no limits rule configured'),
  build: ({ config, store, health, allowList }) => {
    const limits = config.limits ?? {};
    const limit = compileLimit({ store, health }, limits.perIp && { name: 'ip', scope: 'ip', ...limits.perIp });
    return limit && perMessage(limit, (ctx) => (ctx.source.ip && !allowList.has(ctx.source.ip) ? ctx.source.ip : undefined));
  },
};

const limitIdentity: Stage = {
  name: 'limit(identity)',
  phase: 'request',
  purpose: 'limits.perIdentity, one point per JSON-RPC message',
  counts: 'identity',
  describe: ({ config, ids }) =>
    !isHttp({ config, ids })
      ? off('stdio transport')
      : config.limits?.perIdentity && ids.rateLimit
        ? on(rateDetail(config.limits.perIdentity, ids.rateLimit))
        : off('no limits rule configured'),
  build: ({ config, store, health }) => {
    const limits = config.limits ?? {};
    const limit = compileLimit({ store, health }, limits.perIdentity && { name: 'identity', scope: 'identity', ...limits.perIdentity });
    return limit && perMessage(limit, (ctx) => ctx.identity.id);
  },
};

const resolve: Stage = {
  name: 'resolve',
  phase: 'message',
  purpose: 'finds what the message asks for (the tool, resource or prompt): unknown names stop here',
  describe: () => on('every MCP method: tools, resources, resource templates, prompts, completion'),
  build:
    ({ methods }) =>
    (ctx) => {
      const method = ctx.message && methods.get(ctx.message.method);
      if (!ctx.message) return PASS; // admin and metrics requests: the entry named the permission
      if (!method) return stop('METHOD_NOT_FOUND', `method ${ctx.message.method} is not served`);
      ctx.invoke = method.invoke;
      if (method.auditAs) ctx.auditAs = method.auditAs;
      return method.resolve(ctx) ?? PASS;
    },
};

const authorize: Stage = {
  name: 'authorize',
  phase: 'message',
  purpose: 'asks the authorizer about the tool, resource, prompt or named permission (audit:read, metrics:read)',
  describe: ({ ids }) =>
    ids.authorizer
      ? on(ids.authorizer)
      : off('no authorization configured: every identity may call every tool; audit:read denied, metrics:read only without auth'),
  build: ({ authorizer, auth }) => {
    const decide = compileAuthorize(authorizer);
    return (ctx) => {
      const target = ctx.target;
      if (!target) return PASS;
      if (decide) return decide(ctx.identity, target);
      // No authorizer: MCP access is open as before; named permissions fail closed (see permissions.ts).
      return target.kind === 'permission' ? decidePermission(target.name, auth.length > 0) : PASS;
    };
  },
};

const limitTool: Stage = {
  name: 'limit(tool)',
  phase: 'message',
  purpose: 'limits.perTool: every rule whose pattern matches the tool, keyed by identity',
  counts: 'tool',
  describe: ({ config, ids }) =>
    (config.limits?.perTool ?? []).length > 0 && ids.rateLimit ? on(`${config.limits!.perTool!.length} rule(s)`) : off('no perTool rule configured'),
  build: ({ config, store, health, tools }) => {
    const rules = (config.limits?.perTool ?? []).map((rule, i) => ({
      pattern: globToRegExp(rule.tools),
      stage: compileLimit(
        { store, health },
        {
          name: `tool[${i}]:${rule.tools}`,
          scope: 'tool',
          points: rule.points,
          durationSeconds: rule.durationSeconds,
          ...(rule.burst ? { burst: rule.burst } : {}),
        },
      ),
    }));
    if (rules.length === 0 || !store) return undefined;
    const byTool = new Map([...tools.keys()].map((name) => [name, rules.filter((r) => r.pattern.test(name)).map((r) => r.stage!)]));
    // Keyed by identity under each rule: every tool a pattern matches draws from the same count.
    return (ctx) => (ctx.target?.kind === 'tool' ? countAll(byTool.get(ctx.target.tool.name) ?? [], ctx.identity.id, 1) : PASS);
  },
};

const validate: Stage = {
  name: 'validate',
  phase: 'message',
  purpose: "each tool's inputSchema (ajv, JSON Schema 2020-12); arguments are never coerced",
  describe: () => on('each tool inputSchema (ajv, JSON Schema 2020-12)'),
  build:
    ({ validators }) =>
    (ctx) =>
      ctx.target?.kind === 'tool' ? validators.get(ctx.target.tool.name)!(ctx.args ?? {}) : PASS,
};

const sanitize: Stage = {
  name: 'sanitize',
  phase: 'message',
  purpose: 'the sanitizer over every string argument, then validate again (the handler only sees valid arguments)',
  describe: ({ ids }) => (ids.sanitizer ? on(ids.sanitizer) : off('no sanitizer configured')),
  build: ({ sanitizer, validators }) => {
    const run = compileSanitize(sanitizer);
    if (!run) return undefined;
    return (ctx) => {
      if (ctx.target?.kind !== 'tool') return PASS;
      const { tool } = ctx.target;
      const verdict = run(tool.name, tool.inputSchema, ctx.args ?? {});
      if (!verdict.continue) return verdict;
      if (verdict.value.changed.length === 0) return PASS;
      ctx.args = verdict.value.args;
      // Stripping can break the schema (minLength, pattern): the handler only ever sees valid arguments.
      const revalidated = validators.get(tool.name)!(ctx.args);
      const events = [{ type: 'input.sanitized', outcome: 'success' as const, details: { fields: verdict.value.changed } }];
      if (!revalidated.continue) return { ...revalidated, code: 'INPUT_REJECTED', message: `after sanitization, ${revalidated.message}`, events };
      return { continue: true, events, attributes: { 'cnmcp.sanitize.changed': verdict.value.changed.length } };
    };
  },
};

const call: Stage = {
  name: 'call',
  phase: 'message',
  purpose: 'the tool handler (deadline, cancellation, result cap), resource read, prompt get, list or admin answer',
  describe: ({ config }) => on(`tools: timeout ${config.server.toolTimeoutMs} ms, results <= ${config.server.maxResultBytes} bytes`),
  build: () => async (ctx) => {
    if (ctx.invoke) ctx.result = await ctx.invoke(ctx);
    return PASS;
  },
};

/**
 * THE pipeline, in order. Nothing else in the code base writes the order down: the loop (run-pipeline.ts) runs
 * this list, `cnmcp config print` and docs/architecture.md print it, and span names are the stage names. After
 * `call`, the loop records the audit event (and with a fail-closed sink, withholds an answer it cannot record).
 */
export const STAGES: readonly Stage[] = [
  auditGateStage,
  denyList,
  guard,
  lockout,
  authenticate,
  body,
  limitIp,
  limitIdentity,
  resolve,
  authorize,
  limitTool,
  validate,
  sanitize,
  call,
];
