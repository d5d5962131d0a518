import { rotationSchema } from '../secrets/rotation-schema.js';
import { telemetrySchema } from './telemetry-schema.js';
import { PLUGIN_SECTIONS } from './sections.js';
import { adminSchema } from './admin-schema.js';

const rule = (description: string) => ({
  type: 'object',
  description,
  properties: {
    points: { type: 'integer', minimum: 1, description: 'Requests allowed per window.' },
    durationSeconds: { type: 'integer', minimum: 1, description: 'Window length in seconds.' },
    burst: burst(),
  },
  required: ['points', 'durationSeconds'],
  additionalProperties: false,
});

const burst = () => ({
  type: 'object',
  description:
    'Extra requests allowed once `points` are used up, counted in a window of their own (usually longer): absorbs short spikes without raising the steady rate.',
  properties: {
    points: { type: 'integer', minimum: 1, description: 'Extra requests per burst window.' },
    durationSeconds: { type: 'integer', minimum: 1, description: 'Burst window length in seconds.' },
  },
  required: ['points', 'durationSeconds'],
  additionalProperties: false,
});

const cidrs = (description: string) => ({ type: 'array', items: { type: 'string', minLength: 1 }, description });

const pluginEntry = (title: string) => ({
  type: 'object',
  description: title,
  properties: { use: { type: 'string', minLength: 1, description: 'A built-in plugin name, a package name or a ./path to a module.' } },
  required: ['use'],
});

/** The kernel's own part of the config schema. Plugin schemas are composed into the plugin sections. */
export function coreSchema(): Record<string, unknown> {
  const sections = Object.fromEntries(
    PLUGIN_SECTIONS.map((s) => [s.key, s.multiple ? { type: 'array', description: s.title, items: pluginEntry(s.title) } : pluginEntry(s.title)]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://cnmcp.dev/schema/config.json',
    title: 'cnmcp configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'Editor hint; ignored by cnmcp.' },
      server: {
        type: 'object',
        description: 'Listener, transport and per-call limits.',
        default: {},
        additionalProperties: false,
        properties: {
          name: { type: 'string', default: 'cnmcp', description: 'Server name reported to MCP clients.' },
          listen: {
            type: 'string',
            default: '127.0.0.1:8080',
            pattern: '^(\\[[0-9a-fA-F:.]+\\]|[^:\\s]+):\\d{1,5}$',
            description: 'host:port to bind ([::1]:8080 for IPv6). Port 0 picks a free port.',
          },
          transport: {
            enum: ['http', 'stdio'],
            default: 'http',
            description: 'http serves Streamable HTTP and legacy SSE; stdio serves one client on stdin/stdout.',
          },
          sessions: {
            enum: ['auto', 'stateless', 'stateful'],
            default: 'auto',
            description:
              'How 2025-era Streamable HTTP clients are served (2026-07-28 is stateless by design). auto: a client that sends initialize gets a session (Mcp-Session-Id, kept in memory: sampling, elicitation, resumable streams), a request without one, or an initialize past server.sessionLimits, is served stateless; stateless: never a session (any replica serves any request); stateful: every 2025-era request needs a session. Sessions need session affinity behind a load balancer.',
          },
          fastPath: {
            type: 'boolean',
            default: true,
            description:
              'cnmcp answers tools/call and tools/list of stateless Streamable HTTP and 2026-07-28 stdio itself (same stages, same answers), the MCP SDK the rest (loaded when first needed); false: the SDK answers every request.',
          },
          sessionLimits: {
            type: 'object',
            default: {},
            additionalProperties: false,
            description:
              'Bounds on Streamable HTTP sessions (server.sessions: auto or stateful) and legacy SSE streams: unclosed sessions neither pile up nor live forever.',
            properties: {
              idleTimeoutSeconds: { type: 'integer', minimum: 1, default: 900, description: 'A session no message used for this long is closed.' },
              perIdentity: { type: 'integer', minimum: 1, default: 32, description: 'Open sessions one identity may hold; the next is refused with 429.' },
              max: { type: 'integer', minimum: 1, default: 1000, description: 'Open sessions the server holds in all; the next is refused with 429.' },
            },
          },
          sse: { type: 'boolean', default: true, description: 'Serve the legacy HTTP+SSE transport at GET /sse and POST /messages.' },
          allowUnauthenticated: {
            type: 'boolean',
            default: false,
            description:
              'Allow binding a non-loopback address with no auth strategy. Anyone who can reach the port can call every tool; every start logs a warning and audits `config.insecure`.',
          },
          tlsTerminatedUpstream: {
            type: 'boolean',
            default: false,
            description:
              'TLS ends in front of cnmcp (ingress, load balancer, service mesh). Without it (or a `tls:` section) basic and apikey credentials on a non-loopback bind are refused: they would cross the network in clear text.',
          },
          allowedOrigins: {
            type: 'array',
            items: { type: 'string' },
            description: 'Origins (scheme://host[:port]) allowed to call from a browser. Default: loopback origins on any port.',
          },
          allowedHosts: {
            type: 'array',
            items: { type: 'string' },
            description: 'Host header names accepted (DNS-rebinding protection). Default: loopback names when bound to loopback, otherwise any.',
          },
          trustedProxies: cidrs(
            'Proxies (CIDRs or addresses) whose X-Forwarded-For is believed. The client address (rate limits, lockout, audit source.ip) is the socket peer unless it is one of these; then X-Forwarded-For is read right to left, skipping these. Default: none.',
          ),
          headers: {
            type: 'object',
            description:
              'Response headers sent on every response besides (or instead of) the defaults X-Content-Type-Options, X-Frame-Options, Content-Security-Policy, Referrer-Policy, Cache-Control and, over TLS only, Strict-Transport-Security. A value replaces a default of the same name; null removes it.',
            propertyNames: { pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
            additionalProperties: { type: ['string', 'null'], pattern: '^[\\t\\x20-\\x7e]*$' },
          },
          cors: {
            type: 'object',
            description: 'CORS for browser-based MCP clients. Each origin must also pass server.allowedOrigins (loopback origins always do). Off when absent.',
            additionalProperties: false,
            required: ['origins'],
            properties: {
              origins: {
                type: 'array',
                minItems: 1,
                items: { type: 'string', minLength: 1 },
                description: 'Origins (scheme://host[:port]) whose pages may read responses; `*` for any (not with credentials).',
              },
              methods: {
                type: 'array',
                items: { type: 'string', minLength: 1 },
                default: ['GET', 'POST', 'DELETE', 'OPTIONS'],
                description: 'Access-Control-Allow-Methods of preflight answers.',
              },
              headers: {
                type: 'array',
                items: { type: 'string', minLength: 1 },
                default: ['Content-Type', 'Accept', 'Authorization', 'Mcp-Session-Id', 'Mcp-Protocol-Version', 'Last-Event-ID'],
                description: 'Access-Control-Allow-Headers of preflight answers (add X-API-Key when browsers send API keys).',
              },
              exposeHeaders: {
                type: 'array',
                items: { type: 'string', minLength: 1 },
                default: ['Mcp-Session-Id', 'Mcp-Protocol-Version', 'WWW-Authenticate'],
                description: 'Access-Control-Expose-Headers: response headers page scripts may read.',
              },
              maxAgeSeconds: {
                type: 'integer',
                minimum: 0,
                default: 600,
                description: 'How long browsers may cache a preflight answer (Access-Control-Max-Age).',
              },
              credentials: { type: 'boolean', default: false, description: 'Send Access-Control-Allow-Credentials: true (cookies, client certificates).' },
            },
          },
          maxBodyBytes: { type: 'integer', minimum: 1024, default: 1048576, description: 'Largest request body; larger ones get 413.' },
          maxBatchSize: {
            type: 'integer',
            minimum: 1,
            maximum: 1000,
            default: 50,
            description:
              'Most JSON-RPC messages one batch may carry (Streamable HTTP and stdio before 2025-06-18, legacy SSE); larger batches get 400 (-32600 on stdio). Rate limits count every message.',
          },
          headersTimeoutMs: {
            type: 'integer',
            minimum: 1000,
            default: 10000,
            description: 'Time a client has to send the request headers; slower connections are cut (slow-loris).',
          },
          requestTimeoutMs: {
            type: 'integer',
            minimum: 1000,
            default: 30000,
            description: 'Time a client has to send the whole request, body included; slower connections get 408 and are cut.',
          },
          toolTimeoutMs: { type: 'integer', minimum: 1, default: 30000, description: 'Deadline of each tool call.' },
          maxResultBytes: {
            type: 'integer',
            minimum: 1024,
            default: 262144,
            description: 'Tool results larger than this are truncated, with a note saying so.',
          },
          drainTimeoutMs: {
            type: 'integer',
            minimum: 0,
            default: 10000,
            description: 'On shutdown, how long in-flight calls may finish before they are aborted.',
          },
          stdioIdentity: {
            type: 'object',
            description: 'Who the stdio client is (it cannot authenticate): used by authorization and audit.',
            default: { id: 'local', roles: ['admin'] },
            properties: {
              id: { type: 'string', minLength: 1, description: 'Identity id in audit events.' },
              roles: { type: 'array', items: { type: 'string' }, description: 'Roles the authorizer sees.' },
            },
            required: ['id', 'roles'],
            additionalProperties: false,
          },
        },
      },
      logging: {
        type: 'object',
        default: {},
        description: 'Server logs (always on stderr).',
        additionalProperties: false,
        properties: {
          level: { enum: ['debug', 'info', 'warn', 'error', 'silent'], default: 'info', description: 'Lowest level written.' },
          format: { enum: ['json', 'pretty', 'auto'], default: 'auto', description: 'auto: pretty on a terminal, JSON otherwise.' },
          redactKeys: {
            type: 'array',
            items: { type: 'string' },
            default: [],
            description:
              'Extra field or header names (regular expressions, case-insensitive) masked in every log line, beyond Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-API-Key and other credential-looking names.',
          },
          levels: {
            type: 'object',
            additionalProperties: { enum: ['debug', 'info', 'warn', 'error', 'silent'] },
            default: {},
            description:
              "Level per logger, overriding `level`: plugin loggers are named kind/name (e.g. 'tool-pack/utilities': debug); kernel ones http, mcp, tools.",
          },
        },
      },
      limits: {
        type: 'object',
        description: 'Rate-limit rules; they need a `rateLimit` store (with `auth:` configured and no store, `rateLimit: { use: memory }` is added).',
        additionalProperties: false,
        properties: {
          authFailures: {
            type: 'object',
            description:
              'Brute-force lockout, always on when auth is configured: after `attempts` failed authentications from one address, or against one claimed Basic username, within `windowSeconds`, further attempts get 429 for `lockoutSeconds` before any credential is checked. A success clears nothing.',
            additionalProperties: false,
            properties: {
              attempts: { type: 'integer', minimum: 1, default: 5, description: 'Failures allowed per window.' },
              windowSeconds: { type: 'integer', minimum: 1, default: 300, description: 'Window in which failures are counted.' },
              lockoutSeconds: { type: 'integer', minimum: 1, default: 900, description: 'How long a locked address or claimed subject is refused.' },
            },
          },
          onStoreError: {
            enum: ['deny', 'allow'],
            default: 'deny',
            description:
              'When the rate-limit store fails (Redis down): deny answers 429 (fail closed), allow lets requests through unlimited. Logged once per outage either way.',
          },
          allowList: cidrs('Client addresses (CIDRs) exempt from perIp. Identity and tool rules and the auth lockout still apply.'),
          denyList: cidrs('Client addresses (CIDRs) refused with 403 before anything else runs.'),
          perIp: rule('Per client address, before authentication.'),
          perIdentity: rule('Per authenticated identity.'),
          perTool: {
            type: 'array',
            description: 'Per identity and tool pattern, e.g. kubernetes_delete_* 5 per minute.',
            items: {
              type: 'object',
              properties: {
                tools: { type: 'string', description: 'Glob over tool names.' },
                points: { type: 'integer', minimum: 1, description: 'Calls allowed per window.' },
                durationSeconds: { type: 'integer', minimum: 1, description: 'Window length in seconds.' },
                burst: burst(),
              },
              required: ['tools', 'points', 'durationSeconds'],
              additionalProperties: false,
            },
          },
        },
      },
      auditing: {
        type: 'object',
        default: {},
        description: 'How audit events are recorded, whatever the sinks.',
        additionalProperties: false,
        properties: {
          hmacKey: {
            type: 'string',
            'x-cnmcp-secret': true,
            minLength: 32,
            description:
              'Key for the hmac-sha256 that replaces sensitive values in audit events (use ${env:} or ${file:}). Keep it stable to search across restarts; without it a random key is used per process.',
          },
          chainKey: {
            type: 'string',
            minLength: 32,
            description:
              'Key for the HMAC-SHA256 that seals the audit hash chain (use ${env:} or ${file:}; keep it away from the log). Without it hmacKey seals the chain; with neither the chain is unkeyed (anyone who can write the log can re-seal it).',
          },
          previousChainKeys: {
            type: 'array',
            items: { type: 'string', minLength: 32 },
            description: 'Retired chain keys: `cnmcp audit verify` still accepts records they sealed. Rotate by moving chainKey here and setting a new one.',
          },
          checkpoints: {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            description:
              'Signed checkpoints of each chain (id, head hash, count, time) appended to a state file outside the log: verify then reports a deleted tail, a deleted chain or an emptied log. Needs chainKey (or hmacKey).',
            properties: {
              path: {
                type: 'string',
                minLength: 1,
                description: 'The checkpoint file (created 0600), relative to the working directory; put it where the log writer cannot rewrite it.',
              },
              intervalSeconds: {
                type: 'integer',
                minimum: 1,
                default: 60,
                description: 'At most one checkpoint per interval while the chain grows (and one at start and at shutdown).',
              },
            },
          },
          refuseWhenUnrecordable: {
            type: 'array',
            items: { type: 'string', enum: ['mcp', 'admin', 'metrics'] },
            uniqueItems: true,
            default: ['mcp', 'admin', 'metrics'],
            description:
              'While a fail-closed audit sink cannot store events, requests to these endpoints are refused (HTTP 503, JSON-RPC -31050) before authentication: mcp (/mcp, /sse, /messages), admin (/admin/audit and the admin console under /admin/), metrics (/metrics). Tool calls are withheld in any case.',
          },
          sensitiveKeys: {
            type: 'array',
            items: { type: 'string' },
            default: [],
            description:
              'Extra argument-name patterns (regular expressions, case-insensitive) whose values are HMAC-ed, beyond password, token, secret, apiKey, authorization, ...',
          },
          recordArguments: { type: 'boolean', default: true, description: 'Record (redacted) tool arguments in tool.call events.' },
          authSuccess: {
            type: 'object',
            default: {},
            additionalProperties: false,
            description:
              'How often a successful authentication is recorded (auth.success). Every failure and lockout is recorded whatever this says, and cnmcp_auth_attempts_total counts every attempt.',
            properties: {
              record: {
                enum: ['per-credential', 'every-request'],
                default: 'per-credential',
                description:
                  'per-credential: once per credential and identity per window (a session, a scraper, a client polling with one key records once per window); every-request: one event per HTTP request.',
              },
              windowSeconds: { type: 'integer', minimum: 1, default: 300, description: 'The window of per-credential.' },
            },
          },
          queueLimit: {
            type: 'integer',
            minimum: 1,
            default: 10000,
            description: 'Events waiting to be written beyond this are dropped and counted (fail-closed sinks fail the request instead).',
          },
        },
      },
      rotation: rotationSchema(),
      admin: adminSchema,
      telemetry: telemetrySchema,
      plugins: {
        type: 'array',
        description: 'Extra plugin modules (package names or ./paths) whose plugins may then be selected by name with `use:`.',
        items: { type: 'string', minLength: 1 },
      },
      ...sections,
    },
  };
}
