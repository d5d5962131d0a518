import { CnmcpError } from '../plugin/errors.js';
import { parseCidrList } from '../net/cidr-list.js';
import { isLoopback, parseListen } from '../net/listen-address.js';
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
  problems.push(...checkAuthorizationChosen(config));
  problems.push(...checkCredentialsOverPlainHttp(config, host));
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

/**
 * Auth without an authorizer lets every identity call every tool: with auth on, that must be said out loud
 * (`authorization: { use: allow-all }`) rather than be what an omitted section means.
 */
function checkAuthorizationChosen(config: CnmcpConfig): CnmcpError[] {
  if ((config.auth ?? []).length === 0 || config.authorization) return [];
  return [
    new CnmcpError(
      'AUTHORIZATION_NOT_CHOSEN',
      'auth is configured but `authorization:` is not, so every authenticated identity could call every tool: define roles with `authorization: { use: rbac, roles: {...} }`, or choose `authorization: { use: allow-all }` on purpose',
      { path: '/authorization' },
    ),
  ];
}

/** Strategies whose credential is a long-lived password or key sent as-is: anyone on the path can replay it. */
const REPLAYABLE_CREDENTIALS: ReadonlySet<string> = new Set(['basic', 'apikey']);

/**
 * A password or API key over plain HTTP on a reachable address is readable by anyone on the network path. Allowed
 * with cnmcp's own TLS or when the operator says TLS ends in front (`server.tlsTerminatedUpstream`).
 */
function checkCredentialsOverPlainHttp(config: CnmcpConfig, host: string): CnmcpError[] {
  if (config.server.transport !== 'http' || isLoopback(host) || config.tls || config.server.tlsTerminatedUpstream) return [];
  return (config.auth ?? []).flatMap((entry, index) =>
    REPLAYABLE_CREDENTIALS.has(entry.use)
      ? [
          new CnmcpError(
            'CREDENTIALS_OVER_PLAIN_HTTP',
            `${entry.use} credentials over plain HTTP on ${host} (not loopback) can be read by anyone on the network path: add a \`tls:\` section, bind 127.0.0.1, or set server.tlsTerminatedUpstream: true when a proxy or ingress terminates TLS in front`,
            { path: `/auth/${index}/use` },
          ),
        ]
      : [],
  );
}

/** A choice the config is allowed to make but that the operator must hear about at every start (log and audit). */
export interface InsecureChoice {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

/** The insecure choices this config makes on purpose. The kernel logs each as a warning and audits it as `config.insecure`. */
export function insecureChoices(config: CnmcpConfig): InsecureChoice[] {
  const choices: InsecureChoice[] = [];
  const { host } = parseListen(config.server.listen);
  const publicHttp = config.server.transport === 'http' && !isLoopback(host);
  if (publicHttp && (config.auth ?? []).length === 0 && config.server.allowUnauthenticated) {
    choices.push({
      code: 'UNAUTHENTICATED_PUBLIC_BIND',
      path: '/server/allowUnauthenticated',
      message: `listening on ${host} (not loopback) with no authentication: anyone who reaches the port is the anonymous identity`,
    });
  }
  return choices;
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
