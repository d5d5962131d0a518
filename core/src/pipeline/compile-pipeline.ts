import type { Meter } from '@opentelemetry/api';
import type { CnmcpConfig, RateRule } from '../config/types.js';
import type { Logger } from '../plugin/logger.js';
import type { PluginPorts } from '../kernel/plugin-ports.js';
import type { ToolCatalog } from '../kernel/tool-catalog.js';
import { compileClaimReader } from './auth-claim.js';
import { compileAuthenticate, type AuthenticateStage } from './authenticate.js';
import { compileAuthorize } from './authorize.js';
import { parseCidrList } from '../transport/cidr-list.js';
import { compileDenyList, exemptAllowList, type AdmitStage } from './address-lists.js';
import { compileLimit, type LimitStage } from './limit.js';
import { compileLockout, DEFAULT_LOCKOUT, type LockoutStage } from './lockout.js';
import { createStoreHealth } from './store-health.js';
import { compileSanitize } from './sanitize.js';
import type { ToolCallStages } from './tool-call.js';
import { compileValidators } from './validate.js';
import { globToRegExp } from './glob.js';

export interface CompiledPipeline {
  readonly http: {
    readonly admitIp?: AdmitStage;
    readonly limitIp?: LimitStage;
    readonly lockout?: LockoutStage;
    readonly authenticate?: AuthenticateStage;
    readonly limitIdentity?: LimitStage;
  };
  readonly tool: ToolCallStages;
}

/**
 * Builds the stage list once, at startup. A stage with nothing configured is left out entirely, so it costs
 * nothing per request; `describePipeline` reports what was left out and why.
 */
export function compilePipeline(config: CnmcpConfig, ports: PluginPorts, catalog: ToolCatalog, logger: Logger, meter: Meter): CompiledPipeline {
  const store = ports.rateLimitStore?.port;
  const limits = config.limits ?? {};
  const deps = {
    store,
    // Refusals are counted where they are answered (cnmcp_rate_limited); store errors here, once per failed call.
    health: createStoreHealth(limits.onStoreError ?? 'deny', logger.child('rate-limit'), meter),
  };
  // The lists were checked at load time (crossCheck); parsing again here cannot fail.
  const allow = parseCidrList(limits.allowList, '/limits/allowList').list;
  const deny = parseCidrList(limits.denyList, '/limits/denyList').list;
  const toolRules = (limits.perTool ?? []).map((rule, i) => ({
    pattern: globToRegExp(rule.tools),
    stage: compileLimit(deps, {
      name: `tool[${i}]:${rule.tools}`,
      scope: 'tool',
      points: rule.points,
      durationSeconds: rule.durationSeconds,
      ...(rule.burst ? { burst: rule.burst } : {}),
    })!,
  }));
  const rulesByTool = new Map([...catalog.tools.keys()].map((name) => [name, toolRules.filter((r) => r.pattern.test(name)).map((r) => r.stage)]));
  return {
    http: {
      admitIp: compileDenyList(deny),
      limitIp: exemptAllowList(compileLimit(deps, limits.perIp && { name: 'ip', scope: 'ip', ...limits.perIp }), allow),
      authenticate: compileAuthenticate(ports.auth, logger),
      lockout:
        ports.auth.length > 0
          ? compileLockout(store, { ...DEFAULT_LOCKOUT, ...limits.authFailures }, deps.health, compileClaimReader(ports.auth, logger))
          : undefined,
      limitIdentity: compileLimit(deps, limits.perIdentity && { name: 'identity', scope: 'identity', ...limits.perIdentity }),
    },
    tool: {
      authorize: compileAuthorize(ports.authorizer?.port),
      ...(toolRules.length > 0 && store ? { limitTool: (name: string) => rulesByTool.get(name) ?? [] } : {}),
      validators: compileValidators([...catalog.tools.values()]),
      sanitize: compileSanitize(ports.sanitizer?.port),
    },
  };
}

export interface StageDescription {
  readonly stage: string;
  readonly status: 'on' | 'skipped';
  readonly detail: string;
}

/** The pipeline as configured, in order, for `cnmcp config print` and the startup log. */
export function describePipeline(
  config: CnmcpConfig,
  ids: { auth: string[]; authorizer?: string; sanitizer?: string; rateLimit?: string; audit: string[] },
): StageDescription[] {
  const limits = config.limits ?? {};
  const on = (stage: string, detail: string): StageDescription => ({ stage, status: 'on', detail });
  const off = (stage: string, detail: string): StageDescription => ({ stage, status: 'skipped', detail });
  const rate = (stage: string, rule: RateRule | undefined, extra = '') =>
    rule && ids.rateLimit
      ? on(
          stage,
          `${rule.points} per ${rule.durationSeconds}s${rule.burst ? ` (+${rule.burst.points} burst per ${rule.burst.durationSeconds}s)` : ''} (${ids.rateLimit})${extra}`,
        )
      : off(stage, 'no limits rule configured');
  const proxies = config.server.trustedProxies?.length
    ? `; client address from X-Forwarded-For behind ${config.server.trustedProxies.length} trusted proxy CIDR(s)`
    : '';
  const denied = limits.denyList?.length ? `; ${limits.denyList.length} deny-listed CIDR(s) refused with 403` : '';
  const exempt = limits.allowList?.length ? `; ${limits.allowList.length} allow-listed CIDR(s) exempt` : '';
  const http = config.server.transport === 'http';
  return [
    http ? on('guard', `body <= ${config.server.maxBodyBytes} bytes, Origin and Host checks${denied}${proxies}`) : off('guard', 'stdio transport'),
    http ? rate('limit(ip)', limits.perIp, exempt) : off('limit(ip)', 'stdio transport'),
    ids.auth.length > 0
      ? on('authenticate', `${ids.auth.join(', ')}; lockout after ${(limits.authFailures ?? DEFAULT_LOCKOUT).attempts} failures`)
      : off(
          'authenticate',
          http
            ? 'no auth configured: every caller is anonymous (loopback only unless allowUnauthenticated)'
            : `stdio runs as ${config.server.stdioIdentity.id}`,
        ),
    http ? rate('limit(identity)', limits.perIdentity) : off('limit(identity)', 'stdio transport'),
    ids.authorizer ? on('authorize', ids.authorizer) : off('authorize', 'no authorization configured: every identity may call every tool'),
    (limits.perTool ?? []).length > 0 && ids.rateLimit
      ? on('limit(tool)', `${limits.perTool!.length} rule(s)`)
      : off('limit(tool)', 'no perTool rule configured'),
    on('validate', 'each tool inputSchema (ajv, JSON Schema 2020-12)'),
    ids.sanitizer ? on('sanitize', ids.sanitizer) : off('sanitize', 'no sanitizer configured'),
    on('call tool', `timeout ${config.server.toolTimeoutMs} ms, results <= ${config.server.maxResultBytes} bytes`),
    ids.audit.length > 0 ? on('audit', ids.audit.join(', ')) : off('audit', 'no audit sink configured'),
  ];
}
