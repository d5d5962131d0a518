import { CnmcpError } from '../plugin/errors.js';
import { parseCidrList } from '../transport/cidr-list.js';
import { isLoopback, parseListen } from './listen-address.js';
import type { CnmcpConfig } from './types.js';

/** Rules that span sections. Each one stops a server from starting with security silently off. */
export function crossCheck(config: CnmcpConfig, secretPaths: ReadonlySet<string>): CnmcpError[] {
  const problems: CnmcpError[] = [];
  const { host, port } = parseListen(config.server.listen);
  if (port > 65535) problems.push(new CnmcpError('CONFIG_INVALID_VALUE', `port ${port} is out of range (0-65535)`, { path: '/server/listen' }));
  const noAuth = (config.auth ?? []).length === 0;
  if (config.server.transport === 'http' && !isLoopback(host) && noAuth && !config.server.allowUnauthenticated) {
    problems.push(
      new CnmcpError(
        'UNAUTHENTICATED_PUBLIC_BIND',
        `listening on ${host} (not loopback) with no auth strategy would let anyone who reaches the port call every tool: configure \`auth:\`, bind 127.0.0.1, or set server.allowUnauthenticated: true on purpose`,
        { path: '/server/listen' },
      ),
    );
  }
  const { perIp, perIdentity, perTool } = config.limits ?? {};
  if ((perIp || perIdentity || perTool) && !config.rateLimit) {
    problems.push(new CnmcpError('CONFIG_MISSING_KEY', 'rate-limit rules need a store: add `rateLimit: { use: memory }` (or redis)', { path: '/limits' }));
  }
  problems.push(...parseCidrList(config.server.trustedProxies, '/server/trustedProxies').problems);
  problems.push(...parseCidrList(config.limits?.allowList, '/limits/allowList').problems);
  problems.push(...parseCidrList(config.limits?.denyList, '/limits/denyList').problems);
  problems.push(...checkCors(config));
  const metrics = config.telemetry?.metrics ?? { enabled: false };
  if (metrics.enabled && config.server.transport === 'stdio' && !metrics.listen) {
    problems.push(
      new CnmcpError('CONFIG_MISSING_KEY', 'metrics on the stdio transport need their own listener: set telemetry.metrics.listen (e.g. 127.0.0.1:9464)', {
        path: '/telemetry/metrics/listen',
      }),
    );
  }
  if (config.auditing.checkpoints && !config.auditing.chainKey && !config.auditing.hmacKey) {
    problems.push(
      new CnmcpError('CONFIG_MISSING_KEY', 'audit checkpoints are signed with the chain key: set auditing.chainKey (or auditing.hmacKey)', {
        path: '/auditing/checkpoints',
      }),
    );
  }
  if (secretPaths.size > 0 && !config.secrets) {
    for (const path of secretPaths) {
      problems.push(new CnmcpError('CONFIG_SECRET_UNAVAILABLE', '${secret:...} needs a secret store: add a `secrets:` section', { path }));
    }
  }
  return problems;
}

/** CORS can only widen what a browser may read for an origin the guard already lets in; it never bypasses the guard. */
function checkCors(config: CnmcpConfig): CnmcpError[] {
  const cors = config.server.cors;
  if (!cors) return [];
  const problems: CnmcpError[] = [];
  if (cors.credentials && cors.origins.includes('*')) {
    problems.push(
      new CnmcpError('CONFIG_INVALID_VALUE', 'cors.origins `*` with credentials: true would let every site act as the signed-in user: list the origins', {
        path: '/server/cors/origins',
      }),
    );
  }
  const allowed = new Set(config.server.allowedOrigins ?? []);
  cors.origins.forEach((origin, index) => {
    if (origin === '*' ? allowed.has('*') : allowed.has(origin) || allowed.has('*') || isLoopbackOrigin(origin)) return;
    problems.push(
      new CnmcpError('CONFIG_INVALID_VALUE', `CORS origin ${JSON.stringify(origin)} is refused by the Origin check: add it to server.allowedOrigins too`, {
        path: `/server/cors/origins/${index}`,
      }),
    );
  });
  return problems;
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}
