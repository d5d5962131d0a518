import winston from 'winston';
import type { Logger } from '../plugin/logger.js';
import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  /** JSON lines (production) or a short human form (a terminal). */
  format: 'json' | 'pretty';
  /** Strings never to print, e.g. resolved secret values. Read at each log call, so it can grow after start. */
  knownSecrets?: ReadonlySet<string>;
  /** Extra field names (regular expressions, case-insensitive) whose values are always masked, e.g. a custom auth header. */
  redactKeys?: readonly string[];
  /** Level per logger name (`child(name)`), overriding `level` for that logger and its children. */
  levels?: Readonly<Record<string, LogLevel>>;
  /** Fields of the request being served (trace_id, span_id), added to every line written inside it. */
  context?: () => Record<string, string> | undefined;
  /** Where lines go (default: stderr; on the stdio transport stdout belongs to MCP). */
  destination?: NodeJS.WritableStream;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/**
 * The kernel's logger. Every field passes through redaction before it is formatted, at every level.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.knownSecrets ?? new Set<string>();
  const levels = options.levels ?? {};
  // winston filters at its lowest configured level; each wrapped logger then applies its own threshold.
  const lowest = [options.level, ...Object.values(levels)].reduce((a, b) => (RANK[b] < RANK[a] ? b : a));
  const base = winston.createLogger({
    level: lowest === 'silent' ? 'error' : lowest,
    silent: lowest === 'silent',
    format:
      options.format === 'json'
        ? winston.format.combine(winston.format.timestamp(), winston.format.json())
        : winston.format.combine(
            winston.format.timestamp({ format: 'HH:mm:ss' }),
            winston.format.printf(({ level, message, timestamp, name, ...rest }) => {
              const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
              return `${String(timestamp)} ${level.padEnd(5)} ${name ? `[${String(name)}] ` : ''}${String(message)}${extra}`;
            }),
          ),
    transports: [
      options.destination
        ? new winston.transports.Stream({ stream: options.destination })
        : new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] }),
    ],
  });
  const shared: Shared = { secrets, extraKeys: (options.redactKeys ?? []).map((k) => new RegExp(k, 'i')), levels, context: options.context };
  return wrap(base, shared, RANK[options.level]);
}

interface Shared {
  readonly secrets: ReadonlySet<string>;
  readonly extraKeys: readonly RegExp[];
  readonly levels: Readonly<Record<string, LogLevel>>;
  readonly context?: () => Record<string, string> | undefined;
}

function wrap(target: winston.Logger, shared: Shared, threshold: number): Logger {
  const write = (level: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < threshold) return;
    const safeMessage = redact(message, shared.secrets) as string;
    const safe = fields ? (redact(fields, shared.secrets, '', shared.extraKeys) as Record<string, unknown>) : {};
    const context = shared.context?.();
    target.log(level, safeMessage, context ? { ...safe, ...context } : safe);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (name: string) => {
      const own = shared.levels[name];
      return wrap(target.child({ name }), shared, own ? RANK[own] : threshold);
    },
  };
}
