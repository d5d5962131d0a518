import { CnmcpError, type PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written in the config file. */
export type KubernetesConfig = {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  requestTimeoutMs?: number;
  list?: { defaultLimit?: number; maxLimit?: number };
  logs?: { defaultTailLines?: number; maxTailLines?: number; maxBytes?: number };
  fieldManager?: string;
};

export type KubernetesSettings = {
  readonly source: { readonly kind: 'kubeconfig'; readonly path: string; readonly context?: string } | { readonly kind: 'in-cluster' };
  readonly requestTimeoutMs: number;
  readonly list: { readonly defaultLimit: number; readonly maxLimit: number };
  readonly logs: { readonly defaultTailLines: number; readonly maxTailLines: number; readonly maxBytes: number };
  readonly fieldManager: string;
};

export const DEFAULTS = Object.freeze({
  requestTimeoutMs: 15_000,
  list: Object.freeze({ defaultLimit: 50, maxLimit: 500 }),
  logs: Object.freeze({ defaultTailLines: 200, maxTailLines: 5000, maxBytes: 262_144 }),
  fieldManager: 'cnmcp',
});

/** Options of the `kubernetes` tool pack. Descriptions feed the generated reference docs. */
export const configSchema: PluginConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kubeconfig: {
      type: 'string',
      minLength: 1,
      description:
        'Path of the kubeconfig file the pack uses (e.g. `${env:KUBECONFIG}`). Its token, client certificate or exec plugin is the identity every call runs as. Set this or `inCluster`, not both; never taken from a client request.',
    },
    context: { type: 'string', minLength: 1, description: 'Kubeconfig context to use instead of its current-context.' },
    inCluster: {
      type: 'boolean',
      default: false,
      description: "Use the pod's service account (token and CA under /var/run/secrets/kubernetes.io/serviceaccount, KUBERNETES_SERVICE_HOST/PORT).",
    },
    requestTimeoutMs: {
      type: 'integer',
      minimum: 100,
      maximum: 300_000,
      default: DEFAULTS.requestTimeoutMs,
      description: 'Time limit of one Kubernetes API request; the tool call deadline applies as well.',
    },
    list: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Paging of list tools.',
      properties: {
        defaultLimit: {
          type: 'integer',
          minimum: 1,
          maximum: 5000,
          default: DEFAULTS.list.defaultLimit,
          description: 'Objects per page when the caller gives no `limit`.',
        },
        maxLimit: {
          type: 'integer',
          minimum: 1,
          maximum: 5000,
          default: DEFAULTS.list.maxLimit,
          description: 'Most objects per page a caller may ask for; advertised as the maximum of `limit`.',
        },
      },
    },
    logs: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'How much of a container log the logs tool returns.',
      properties: {
        defaultTailLines: {
          type: 'integer',
          minimum: 1,
          maximum: 100_000,
          default: DEFAULTS.logs.defaultTailLines,
          description: 'Lines from the end when the caller gives no `tailLines`.',
        },
        maxTailLines: {
          type: 'integer',
          minimum: 1,
          maximum: 100_000,
          default: DEFAULTS.logs.maxTailLines,
          description: 'Most lines a caller may ask for; advertised as the maximum of `tailLines`.',
        },
        maxBytes: {
          type: 'integer',
          minimum: 1024,
          maximum: 16_777_216,
          default: DEFAULTS.logs.maxBytes,
          description: 'Most log bytes fetched (sent to the API server as `limitBytes`); a longer log is cut and the cut is stated.',
        },
      },
    },
    fieldManager: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      default: DEFAULTS.fieldManager,
      description: 'Field manager name recorded by server-side apply and patches.',
    },
  },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback);

/** Fills defaults and checks what the schema cannot say: exactly one credential source. */
export function resolveConfig(raw: unknown): KubernetesSettings {
  const c = isRecord(raw) ? raw : {};
  const list = isRecord(c.list) ? c.list : {};
  const logs = isRecord(c.logs) ? c.logs : {};
  const inCluster = c.inCluster === true;
  const path = typeof c.kubeconfig === 'string' ? c.kubeconfig : undefined;
  if (inCluster && path !== undefined) throw new CnmcpError('CONFIG_INVALID', 'set either kubeconfig or inCluster, not both', { path: '/inCluster' });
  if (!inCluster && path === undefined) {
    throw new CnmcpError('CONFIG_INVALID', 'the kubernetes pack needs a backend: set kubeconfig (a file path) or inCluster: true', { path: '/kubeconfig' });
  }
  if (inCluster && typeof c.context === 'string')
    throw new CnmcpError('CONFIG_INVALID', 'context applies to a kubeconfig file, not to inCluster', { path: '/context' });
  const maxLimit = int(list.maxLimit, DEFAULTS.list.maxLimit);
  const maxTailLines = int(logs.maxTailLines, DEFAULTS.logs.maxTailLines);
  return {
    source: inCluster ? { kind: 'in-cluster' } : { kind: 'kubeconfig', path: path!, ...(typeof c.context === 'string' ? { context: c.context } : {}) },
    requestTimeoutMs: int(c.requestTimeoutMs, DEFAULTS.requestTimeoutMs),
    list: { defaultLimit: Math.min(int(list.defaultLimit, DEFAULTS.list.defaultLimit), maxLimit), maxLimit },
    logs: {
      defaultTailLines: Math.min(int(logs.defaultTailLines, DEFAULTS.logs.defaultTailLines), maxTailLines),
      maxTailLines,
      maxBytes: int(logs.maxBytes, DEFAULTS.logs.maxBytes),
    },
    fieldManager: typeof c.fieldManager === 'string' ? c.fieldManager : DEFAULTS.fieldManager,
  };
}
