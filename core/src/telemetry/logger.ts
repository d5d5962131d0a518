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
}

/**
 * The kernel's logger. Everything goes to stderr: on the stdio transport stdout belongs to MCP.
 * Every field passes through redaction before it is formatted.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.knownSecrets ?? new Set<string>();
  const base = winston.createLogger({
    level: options.level === 'silent' ? 'error' : options.level,
    silent: options.level === 'silent',
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
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
  return wrap(base, secrets, (options.redactKeys ?? []).map((k) => new RegExp(k, 'i')));
}

function wrap(target: winston.Logger, secrets: ReadonlySet<string>, extraKeys: readonly RegExp[]): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    if (!target.isLevelEnabled(level)) return;
    const safeMessage = redact(message, secrets) as string;
    target.log(level, safeMessage, fields ? (redact(fields, secrets, '', extraKeys) as Record<string, unknown>) : {});
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (name: string) => wrap(target.child({ name }), secrets, extraKeys),
  };
}
