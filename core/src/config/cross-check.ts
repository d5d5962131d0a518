import { CnmcpError } from '../plugin/errors.js';
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
  const metrics = config.telemetry?.metrics ?? { enabled: false };
  if (metrics.enabled && config.server.transport === 'stdio' && !metrics.listen) {
    problems.push(
      new CnmcpError('CONFIG_MISSING_KEY', 'metrics on the stdio transport need their own listener: set telemetry.metrics.listen (e.g. 127.0.0.1:9464)', {
        path: '/telemetry/metrics/listen',
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
