import { configure } from 'safe-stable-stringify';
import { createRequire } from 'node:module';
import type { Logger } from '../plugin/logger.js';
import { LineWriter } from './line-writer.js';
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

/** Where a kernel logger keeps its threshold, for `writesAt`. */
const THRESHOLD = Symbol('cnmcp.logger.threshold');

/**
 * Whether `logger` writes lines at `level`: for fields that cost something to build, built only when they are
 * written. True for a logger that is not the kernel's (a plugin's own, a test's): it decides for itself.
 */
export function writesAt(logger: Logger, level: Exclude<LogLevel, 'silent'>): boolean {
  const threshold = (logger as { [THRESHOLD]?: number })[THRESHOLD];
  return threshold === undefined || RANK[level] >= threshold;
}

/**
 * The kernel's logger. Every field passes through redaction before it is formatted, at every level. winston's
 * formats (logform) shape each line; lines are then written to their stream in batches (line-writer.ts), without
 * winston's Transform-stream pipeline, which cost more than the formatting itself on every request's access line.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.knownSecrets ?? new Set<string>();
  const levels = options.levels ?? {};
  const format = options.format === 'json' ? jsonLine : prettyLine();
  // Read at each write, not captured: tests and the stdio transport may swap process.stderr after start.
  const lines = new LineWriter(() => options.destination ?? process.stderr);
  const shared: Shared = {
    secrets,
    extraKeys: (options.redactKeys ?? []).map((k) => new RegExp(k, 'i')),
    levels,
    context: options.context,
    write: (info) => lines.write(`${format(info)}\n`),
  };
  return wrap(shared, RANK[options.level], undefined);
}

/** Keys sorted, as winston's json format writes them; built once (logform configures one per line). */
const stableJson = configure({ deterministic: true });

/** A JSON line with the time (ISO 8601) added, as winston's timestamp and json formats make it, at a third of the cost. */
const jsonLine = (info: LogInfo): string => {
  info.timestamp ||= new Date().toISOString();
  return stableJson(info)!;
};

/**
 * The short human form, for a terminal: winston's formats (logform), where a few microseconds do not matter.
 * winston is loaded only here: a server logging JSON (production) never pays its start-up cost (70-90 ms).
 */
function prettyLine(): (info: LogInfo) => string {
  const winston = createRequire(import.meta.url)('winston') as typeof import('winston');
  const format = winston.format.combine(
    winston.format.timestamp({ format: 'HH:mm:ss' }),
    winston.format.printf(({ level, message, timestamp, name, ...rest }) => {
      const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      return `${String(timestamp)} ${level.padEnd(5)} ${name ? `[${String(name)}] ` : ''}${String(message)}${extra}`;
    }),
  );
  return (info) => (format.transform({ ...info }, format.options) as Record<symbol, string>)[MESSAGE]!;
}

/** logform's key for the formatted line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

type LogInfo = Record<string, unknown> & { readonly level: string; readonly message: string; timestamp?: unknown };

interface Shared {
  readonly secrets: ReadonlySet<string>;
  readonly extraKeys: readonly RegExp[];
  readonly levels: Readonly<Record<string, LogLevel>>;
  readonly context?: () => Record<string, string> | undefined;
  readonly write: (info: LogInfo) => void;
}

function wrap(shared: Shared, threshold: number, name: string | undefined): Logger {
  const write = (level: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < threshold) return;
    // redact returns a fresh copy: the line is assembled in it. Fields may set `name`; context and level win.
    const info = (fields ? redact(fields, shared.secrets, '', shared.extraKeys) : {}) as Record<string, unknown>;
    if (name !== undefined && info.name === undefined) info.name = name;
    const context = shared.context?.();
    if (context) Object.assign(info, context);
    info.level = level;
    info.message = redact(message, shared.secrets);
    shared.write(info as LogInfo);
  };
  const logger: Logger & { readonly [THRESHOLD]: number } = {
    [THRESHOLD]: threshold,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (child: string) => {
      const own = shared.levels[child];
      return wrap(shared, own ? RANK[own] : threshold, child);
    },
  };
  return logger;
}
