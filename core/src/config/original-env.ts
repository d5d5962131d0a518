import type { EnvSections } from './env-variables.js';
import { auditFromEnv } from './audit-from-env.js';
import { authFromEnv } from './auth-from-env.js';
import { rateLimitFromEnv } from './rate-limit-from-env.js';

/**
 * The environment variables of the original Cloud Native MCP Server's security guide (auth, OIDC, rate limit,
 * audit), as cnmcp config. A variable either maps onto a section the config does not set, or stops startup naming
 * what to write instead: none is silently ignored. Values stay `${env:}` references, masked by `config print`.
 */
export function fromOriginalEnv(config: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvSections {
  const parts = [authFromEnv(config, env), rateLimitFromEnv(config, env), auditFromEnv(config, env)];
  const sections = Object.assign({}, ...parts.map((p) => p.sections)) as Record<string, unknown>;
  return { sections, problems: parts.flatMap((p) => p.problems) };
}
