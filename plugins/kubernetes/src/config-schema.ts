import { CnmcpError, type PluginConfigSchema } from '@cnmcp/core/plugin';
import { ALWAYS_PROTECTED, type GuardRailsConfig } from './guard-rails.js';
import { impersonationSchema, type ImpersonationConfig } from './impersonation.js';

/** Running commands in containers (kubernetes_exec_command): off unless enabled, allowlisted commands and roles only. */
export type ExecSettings = {
  readonly enabled: boolean;
  readonly commands: readonly string[];
  readonly roles: readonly string[];
  readonly timeoutSeconds: number;
  readonly maxOutputBytes: number;
};

/** Options as written in the config file. */
export type KubernetesConfig = {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  requestTimeoutMs?: number;
  list?: { defaultLimit?: number; maxLimit?: number };
  logs?: { defaultTailLines?: number; maxTailLines?: number; maxBytes?: number };
  fieldManager?: string;
  guardRails?: GuardRailsConfig;
  impersonate?: ImpersonationConfig;
  helm?: { maskSecretValues?: boolean };
  exec?: { enabled?: boolean; commands?: string[]; roles?: string[]; timeoutSeconds?: number; maxOutputBytes?: number };
  contexts?: Record<string, { guardRails?: GuardRailsConfig }>;
};

export type KubernetesSettings = {
  readonly source:
    { readonly kind: 'kubeconfig'; readonly path: string; readonly context?: string; readonly contextPath?: string } | { readonly kind: 'in-cluster' };
  readonly requestTimeoutMs: number;
  readonly list: { readonly defaultLimit: number; readonly maxLimit: number };
  readonly logs: { readonly defaultTailLines: number; readonly maxTailLines: number; readonly maxBytes: number };
  readonly fieldManager: string;
  readonly guardRails: GuardRailsConfig;
  readonly impersonate: ImpersonationConfig | undefined;
  readonly helm: { readonly maskSecretValues: boolean };
  readonly exec: ExecSettings;
  /** The kubeconfig contexts callers may pick (the first is the default), each with its guard rails; empty: one cluster. */
  readonly contexts: readonly { readonly name: string; readonly guardRails: GuardRailsConfig }[];
};

const namespaceList = (description: string) => ({
  type: 'array',
  uniqueItems: true,
  maxItems: 1000,
  items: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$|^[a-z0-9][-a-z0-9]*\\*$', maxLength: 64 },
  description,
});

/** The guard rails' schema, shared by the top level and each context. */
export const guardRailsSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: "The pack's own limits, enforced on every API request whatever Kubernetes RBAC allows, and stated in tool descriptions and refusals.",
  properties: {
    allowedNamespaces: namespaceList(
      'When set, the only namespaces a call may reach (reads and writes); lists across namespaces leave the others out. A trailing `*` matches a prefix (`team-*`).',
    ),
    deniedNamespaces: namespaceList('Namespaces no call may reach, read or write; a trailing `*` matches a prefix.'),
    protectedNamespaces: namespaceList(
      `Namespaces that are read-only whatever the role, in addition to ${ALWAYS_PROTECTED.join(', ')} (always protected). Their Namespace objects cannot be changed or deleted either.`,
    ),
    deniedKinds: {
      type: 'array',
      uniqueItems: true,
      maxItems: 200,
      items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*(\\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$', maxLength: 253 },
      description:
        'Kinds no call may read or write, named as kubectl takes them (`configmaps`, `ConfigMap`, `roles.rbac.authorization.k8s.io`); matched in any case.',
    },
    secrets: {
      type: 'string',
      enum: ['deny', 'metadata', 'read'],
      default: 'deny',
      description:
        "`deny` (default): Secrets cannot be read or written at all. `metadata`: names, types and the size of each value, values withheld. `read`: values too (they enter the model's context: opt in knowingly).",
    },
    dryRun: {
      type: 'boolean',
      default: false,
      description: 'Server-wide dry run: every write is sent with `dryRun=All` (the API server validates it and stores nothing) and its result says so.',
    },
    confirmDestructive: {
      type: 'string',
      enum: ['off', 'ask', 'require'],
      default: 'ask',
      description:
        'Confirmation of destructive tools through MCP elicitation. `ask` (default): asked when the client supports elicitation, else the call proceeds. `require`: a client that cannot be asked is refused. `off`: never asked. Dry runs are never asked.',
    },
  },
} as const;

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
    guardRails: guardRailsSchema,
    impersonate: impersonationSchema,
    helm: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'The Helm tools (kubernetes_helm_*), which read Helm 3 release Secrets (`owner=helm`) whatever `guardRails.secrets` says: namespace guard rails and an explicit `secrets` entry in deniedKinds still apply.',
      properties: {
        maskSecretValues: {
          type: 'boolean',
          default: true,
          description:
            'Replace values under credential-like keys (password, passwd, secret, token, apiKey, accessKey, privateKey, credential, connectionString, dsn) and the data of Secrets in rendered manifests with `***masked***`, listing their paths. `false` shows them to the model: opt in knowingly.',
        },
      },
    },
    exec: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'kubernetes_exec_command: run a command in a container (the Kubernetes exec API over WebSocket). Off by default; when enabled, only `commands` may run, only for `roles`, each call limited to `timeoutSeconds`. The full command line is in the audit record of every call. It is destructive (asks for confirmation per guardRails.confirmDestructive), refused in protected namespaces and in dry-run mode, and needs `create` on `pods/exec`.',
      properties: {
        enabled: { type: 'boolean', default: false, description: 'Offer kubernetes_exec_command at all.' },
        commands: {
          type: 'array',
          maxItems: 200,
          uniqueItems: true,
          items: { type: 'string', minLength: 1, maxLength: 1024, pattern: '^[^\\s]+( [^\\s]+)*$' },
          default: [],
          description:
            'The allowed commands. A single word (`cat`, `/app/bin/healthcheck`) allows that program with any arguments; several words are a full pattern: the same number of arguments, each matched exactly or by `*` (any characters within that argument), e.g. `cat /etc/*`, `wget -qO- localhost:8080/*`. No shell is involved: `sh` runs only if listed, and then anything it is given.',
        },
        roles: {
          type: 'array',
          maxItems: 50,
          uniqueItems: true,
          items: { type: 'string', minLength: 1, maxLength: 128 },
          default: [],
          description: 'cnmcp roles whose callers may run commands (checked by the pack on top of the authorizer’s tool grant).',
        },
        timeoutSeconds: { type: 'integer', minimum: 1, maximum: 600, default: 30, description: 'Time limit of one command; it is ended when exceeded.' },
        maxOutputBytes: {
          type: 'integer',
          minimum: 1024,
          maximum: 4_194_304,
          default: 65_536,
          description: 'Most bytes of stdout and of stderr kept each; more is cut and the cut is stated.',
        },
      },
    },
    contexts: {
      type: 'object',
      minProperties: 1,
      maxProperties: 50,
      propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._@:/-]{0,252}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          guardRails: { ...guardRailsSchema, description: 'Guard rails of this context, each field replacing the top-level one.' },
        },
      },
      description:
        'Several clusters: the kubeconfig contexts callers may pick, each with its own guard rails (`{}` keeps the top-level ones). Every tool then takes a `context` argument, one of these names; the default is `context` when set (it must be listed), else the first listed. Contexts of the kubeconfig not listed here are unreachable.',
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
  const contexts = isRecord(c.contexts) ? Object.entries(c.contexts) : [];
  if (contexts.length > 0 && inCluster) throw new CnmcpError('CONFIG_INVALID', 'contexts name kubeconfig contexts, not inCluster', { path: '/contexts' });
  if (contexts.length > 0 && typeof c.context === 'string' && !contexts.some(([name]) => name === c.context)) {
    throw new CnmcpError('CONFIG_INVALID', `context "${c.context}" is not one of contexts (${contexts.map(([n]) => n).join(', ')})`, { path: '/context' });
  }
  // The default context first: tools fall back to it when a call names none.
  const ordered = typeof c.context === 'string' ? [...contexts.filter(([n]) => n === c.context), ...contexts.filter(([n]) => n !== c.context)] : contexts;
  const topGuardRails = isRecord(c.guardRails) ? (c.guardRails as GuardRailsConfig) : {};
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
    guardRails: topGuardRails,
    impersonate: isRecord(c.impersonate) ? (c.impersonate as ImpersonationConfig) : undefined,
    helm: { maskSecretValues: !(isRecord(c.helm) && c.helm.maskSecretValues === false) },
    exec: resolveExec(isRecord(c.exec) ? c.exec : {}),
    contexts: ordered.map(([name, value]) => ({
      name,
      guardRails: { ...topGuardRails, ...(isRecord(value) && isRecord(value.guardRails) ? (value.guardRails as GuardRailsConfig) : {}) },
    })),
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Exec settings; enabled without commands or roles would be a tool no one may use, or anyone: refused at load. */
function resolveExec(e: Record<string, unknown>): ExecSettings {
  const settings = {
    enabled: e.enabled === true,
    commands: strings(e.commands),
    roles: strings(e.roles),
    timeoutSeconds: int(e.timeoutSeconds, 30),
    maxOutputBytes: int(e.maxOutputBytes, 65_536),
  };
  if (settings.enabled && settings.commands.length === 0)
    throw new CnmcpError('CONFIG_INVALID', 'exec is enabled but allows no command: list them in exec.commands', { path: '/exec/commands' });
  if (settings.enabled && settings.roles.length === 0)
    throw new CnmcpError('CONFIG_INVALID', 'exec is enabled but names no role that may run commands: list them in exec.roles', { path: '/exec/roles' });
  return settings;
}
