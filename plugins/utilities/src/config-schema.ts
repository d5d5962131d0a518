import { CnmcpError, type ConfigInput, type ConfigOf, type PluginConfigSchema } from '@cnmcp/core/plugin';

/** Options as written in the config file, typed by the schema below; every key is optional. */
export type UtilitiesConfig = ConfigOf<typeof configSchema>;

/** The same options as a user writes them, defaults left out. */
export type UtilitiesOptions = ConfigInput<typeof configSchema>;

export type SleepSettings = { readonly maxSeconds: number };

export type WebFetchSettings = {
  readonly allowPrivateNetworks: boolean;
  readonly allowHosts: readonly string[];
  readonly denyHosts: readonly string[];
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
};

export type UtilitiesSettings = { readonly sleep: SleepSettings; readonly webFetch: WebFetchSettings };

// Node timers overflow above 2^31-1 ms (~24.8 days) and then fire at once; a day is plenty for a sleep tool.
export const SLEEP_CEILING_SECONDS = 86_400;

export const DEFAULTS: UtilitiesSettings = Object.freeze({
  sleep: Object.freeze({ maxSeconds: 60 }),
  webFetch: Object.freeze({
    allowPrivateNetworks: false,
    allowHosts: Object.freeze([]) as readonly string[],
    denyHosts: Object.freeze([]) as readonly string[],
    maxBytes: 1_048_576,
    timeoutMs: 10_000,
    maxRedirects: 5,
  }),
});

const hostList = (description: string) =>
  ({
    type: 'array',
    description,
    items: { type: 'string', minLength: 1, maxLength: 253 },
    default: [],
  }) as const;

/** Options of the `utilities` tool pack. Descriptions feed the generated reference docs. */
export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sleep: {
      type: 'object',
      description: 'Limits of the utilities_sleep tool.',
      additionalProperties: false,
      default: {},
      properties: {
        maxSeconds: {
          type: 'number',
          minimum: 0,
          maximum: SLEEP_CEILING_SECONDS,
          default: DEFAULTS.sleep.maxSeconds,
          description: 'Longest sleep a caller may request, in seconds. Advertised as the maximum of the `seconds` argument.',
        },
      },
    },
    webFetch: {
      type: 'object',
      description:
        'Limits and SSRF guard of the utilities_web_fetch tool. Loopback, private, link-local, CGNAT, unspecified, multicast, broadcast and cloud metadata addresses are refused unless allowed here.',
      additionalProperties: false,
      default: {},
      properties: {
        allowPrivateNetworks: {
          type: 'boolean',
          default: false,
          description:
            'Allow loopback, private (RFC 1918, IPv6 ULA), link-local, CGNAT and reserved addresses. Unspecified, multicast, broadcast and cloud metadata addresses stay blocked.',
        },
        allowHosts: hostList(
          'Hostnames (exact, or `*.example.com` for subdomains), IP addresses or CIDR ranges that may be fetched even when they resolve to a blocked network. Cloud metadata addresses are allowed only by listing the address or a range containing it.',
        ),
        denyHosts: hostList('Hostnames, IP addresses or CIDR ranges that are always refused, even when allowHosts or allowPrivateNetworks would allow them.'),
        maxBytes: {
          type: 'integer',
          minimum: 1,
          maximum: 67_108_864,
          default: DEFAULTS.webFetch.maxBytes,
          description: 'Most response body bytes read; a longer body is cut there and reported as truncated.',
        },
        timeoutMs: {
          type: 'integer',
          minimum: 1,
          maximum: 600_000,
          default: DEFAULTS.webFetch.timeoutMs,
          description: 'Time limit for the whole fetch, redirects and body included, in milliseconds.',
        },
        maxRedirects: {
          type: 'integer',
          minimum: 0,
          maximum: 20,
          default: DEFAULTS.webFetch.maxRedirects,
          description: 'Most redirects followed; every hop is checked against the SSRF guard again.',
        },
      },
    },
  },
} as const satisfies PluginConfigSchema;

/**
 * Fills defaults. The kernel already applied them when it validated the config, but setup may be called by tests
 * or other hosts with a bare object, so each value is checked again.
 */
export function resolveConfig(raw: unknown): UtilitiesSettings {
  const config = isRecord(raw) ? raw : {};
  const sleep = isRecord(config.sleep) ? config.sleep : {};
  const web = isRecord(config.webFetch) ? config.webFetch : {};
  const d = DEFAULTS.webFetch;
  return {
    sleep: { maxSeconds: Math.min(numberOr(sleep.maxSeconds, DEFAULTS.sleep.maxSeconds, 0), SLEEP_CEILING_SECONDS) },
    webFetch: {
      allowPrivateNetworks: web.allowPrivateNetworks === true,
      allowHosts: stringsOr(web.allowHosts, 'webFetch.allowHosts'),
      denyHosts: stringsOr(web.denyHosts, 'webFetch.denyHosts'),
      maxBytes: numberOr(web.maxBytes, d.maxBytes, 1),
      timeoutMs: numberOr(web.timeoutMs, d.timeoutMs, 1),
      maxRedirects: numberOr(web.maxRedirects, d.maxRedirects, 0),
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number, min: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

// A malformed host list must not quietly shrink: a lost denyHosts entry would fail open.
function stringsOr(value: unknown, path: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new CnmcpError('CONFIG_INVALID', `${path} must be a list of strings`, { path: `/${path.replace('.', '/')}` });
  }
  return value;
}
