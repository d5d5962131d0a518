import { CnmcpError } from '../plugin/errors.js';
import { refused, TRUE, type EnvSections } from './env-variables.js';

const PREFIXES = ['MCP_RATELIMIT_', 'MCP_RATE_LIMIT_'] as const;

/**
 * The original server's per-client token bucket (MCP_RATELIMIT_* or MCP_RATE_LIMIT_*: enabled, requests per
 * second, burst; defaults 10 and 20) as cnmcp's per-address limit in memory: `points` per second, and the burst
 * as extra requests over the window in which the bucket would have refilled.
 */
export function rateLimitFromEnv(config: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvSections {
  const read = (suffix: string) => PREFIXES.map((p) => env[`${p}${suffix}`]).find((v) => v !== undefined && v !== '');
  if (!TRUE.test(read('ENABLED') ?? '')) return { sections: {}, problems: [] };
  if (config.limits !== undefined) {
    return {
      sections: {},
      problems: [
        new CnmcpError('CONFIG_ENV_CONFLICT', 'MCP_RATELIMIT_ENABLED is set and the config has a `limits:` section: keep one of them', { path: '/limits' }),
      ],
    };
  }
  const problems: CnmcpError[] = [];
  const rps = Number(read('REQUESTS_PER_SECOND') ?? 10);
  const burst = Number(read('BURST') ?? 20);
  if (!(rps > 0))
    problems.push(new CnmcpError('CONFIG_INVALID_VALUE', 'MCP_RATELIMIT_REQUESTS_PER_SECOND must be a number above 0', { path: '/limits/perIp/points' }));
  if (!Number.isInteger(burst) || burst < 0)
    problems.push(new CnmcpError('CONFIG_INVALID_VALUE', 'MCP_RATELIMIT_BURST must be a whole number', { path: '/limits/perIp/burst' }));
  if (problems.length > 0) return { sections: {}, problems };
  for (const name of Object.keys(env).filter((n) => PREFIXES.some((p) => n.startsWith(p)))) {
    if (!/_(ENABLED|REQUESTS_PER_SECOND|BURST)$/.test(name)) problems.push(refused(name, 'see `limits:` in docs/security/rate-limiting.md', '/limits'));
  }
  // Below one request per second the window grows instead: 0.5/s is 1 request per 2 s.
  const perIp = rps >= 1 ? { points: Math.round(rps), durationSeconds: 1 } : { points: 1, durationSeconds: Math.round(1 / rps) };
  const window = Math.max(1, Math.ceil(burst / rps));
  const sections: Record<string, unknown> = { limits: { perIp: burst > 0 ? { ...perIp, burst: { points: burst, durationSeconds: window } } : perIp } };
  if (config.rateLimit === undefined) sections.rateLimit = { use: 'memory' };
  return { sections, problems };
}
