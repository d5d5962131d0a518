import { CnmcpError, type ConfigInput } from '@cnmcp/core/plugin';

/** How the pack reaches its backend, as written in the config file. Never taken from a client. */
export type BackendConfig = ConfigInput<ReturnType<typeof backendSchema>>;

export type BackendSettings = {
  /** Base URL without a trailing slash. */
  readonly url: string;
  /** The Authorization header value, or undefined. Never logged. */
  readonly authorization?: string;
  readonly tls: { readonly ca?: string; readonly cert?: string; readonly key?: string; readonly serverName?: string; readonly insecureSkipVerify: boolean };
  readonly timeoutMs: number;
};

export const DEFAULT_TIMEOUT_MS = 15_000;

const pem = (what: string) =>
  ({
    type: 'string',
    minLength: 1,
    pattern: '-----BEGIN ',
    description: `${what}, PEM text (use \${file:./path.pem} or \${secret:NAME} to keep it out of the config file).`,
  }) as const;

/** The `backend` section shared by the prometheus and alertmanager packs. */
export function backendSchema(example: string) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    description: `Where the server is and how to reach it. Only the config names a backend; callers cannot point a tool elsewhere.`,
    properties: {
      url: {
        type: 'string',
        pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$',
        maxLength: 2048,
        description: `Base URL, e.g. ${example}. A path prefix (a reverse-proxy mount such as /monitoring) is kept.`,
      },
      auth: {
        description: 'Credentials sent with every request. Use ${secret:NAME} or ${env:NAME} references, never literals.',
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'token'],
            properties: {
              type: { const: 'bearer' },
              token: { type: 'string', 'x-cnmcp-secret': true, minLength: 1, description: 'Sent as `Authorization: Bearer <token>`.' },
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'username', 'password'],
            properties: {
              type: { const: 'basic' },
              username: { type: 'string', minLength: 1, pattern: '^[^:]*$', description: 'Basic auth user name (no colon).' },
              password: { type: 'string', 'x-cnmcp-secret': true, minLength: 1, description: 'Basic auth password.' },
            },
          },
        ],
      },
      tls: {
        type: 'object',
        additionalProperties: false,
        default: {},
        description: 'TLS for https URLs: a private CA, a client certificate, or (for a lab only) no verification.',
        properties: {
          ca: pem('CA certificate(s) that sign the server certificate, replacing the system roots'),
          cert: pem('Client certificate for mutual TLS (needs `key`)'),
          key: { ...pem('Private key of the client certificate'), 'x-cnmcp-secret': true },
          serverName: {
            type: 'string',
            minLength: 1,
            maxLength: 253,
            description: 'Name to verify the server certificate against, when it differs from the URL host.',
          },
          insecureSkipVerify: {
            type: 'boolean',
            default: false,
            description:
              'Do not verify the server certificate. Anyone on the path can then read and change the traffic, credentials included; a warning is logged at every start.',
          },
        },
      },
      timeoutMs: {
        type: 'integer',
        minimum: 100,
        maximum: 300_000,
        default: DEFAULT_TIMEOUT_MS,
        description: 'Time limit of one backend request, in milliseconds. The tool call timeout still applies and is usually shorter.',
      },
    },
  } as const;
}

/** Checks and normalises a backend section; `path` is its JSON pointer in the plugin's options (for error messages). */
export function resolveBackend(raw: unknown, path: string): BackendSettings {
  if (!isRecord(raw) || typeof raw.url !== 'string') throw new CnmcpError('CONFIG_INVALID', 'a backend needs a `url`', { path });
  let url: URL;
  try {
    url = new URL(raw.url);
  } catch {
    throw new CnmcpError('CONFIG_INVALID', `backend url ${JSON.stringify(raw.url)} is not an absolute URL`, { path: `${path}/url` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CnmcpError('CONFIG_INVALID', 'backend url must be http or https', { path: `${path}/url` });
  if (url.username || url.password) throw new CnmcpError('CONFIG_INVALID', 'put backend credentials in `auth`, not in the url', { path: `${path}/url` });
  const tls = isRecord(raw.tls) ? raw.tls : {};
  if ((tls.cert === undefined) !== (tls.key === undefined)) throw new CnmcpError('CONFIG_INVALID', 'tls.cert and tls.key go together', { path: `${path}/tls` });
  const timeoutMs = typeof raw.timeoutMs === 'number' && raw.timeoutMs > 0 ? raw.timeoutMs : DEFAULT_TIMEOUT_MS;
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return {
    url: base,
    ...authorization(raw.auth, `${path}/auth`),
    tls: {
      ...(typeof tls.ca === 'string' ? { ca: tls.ca } : {}),
      ...(typeof tls.cert === 'string' ? { cert: tls.cert } : {}),
      ...(typeof tls.key === 'string' ? { key: tls.key } : {}),
      ...(typeof tls.serverName === 'string' ? { serverName: tls.serverName } : {}),
      insecureSkipVerify: tls.insecureSkipVerify === true,
    },
    timeoutMs,
  };
}

function authorization(auth: unknown, path: string): { authorization?: string } {
  if (auth === undefined) return {};
  if (isRecord(auth) && auth.type === 'bearer' && typeof auth.token === 'string') return { authorization: `Bearer ${auth.token}` };
  if (isRecord(auth) && auth.type === 'basic' && typeof auth.username === 'string' && typeof auth.password === 'string') {
    return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` };
  }
  throw new CnmcpError('CONFIG_INVALID', 'auth must be { type: bearer, token } or { type: basic, username, password }', { path });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
