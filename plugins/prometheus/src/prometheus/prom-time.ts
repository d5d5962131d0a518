import { InputError } from '../result/guarded.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;
const DURATION_PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/** The input pattern of a time argument: RFC 3339, Unix seconds, `now` or `now-<duration>`. */
export const TIME_PATTERN =
  '^(now(-(\\d+(ms|s|m|h|d|w|y))+)?|\\d{1,12}(\\.\\d{1,3})?|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2}))$';
export const DURATION_PATTERN = '^(\\d+(ms|s|m|h|d|w|y))+$';

/** A Prometheus duration (`90s`, `1h30m`) in seconds. */
export function durationSeconds(text: string): number {
  if (!DURATION.test(text)) throw new InputError(`${JSON.stringify(text)} is not a duration (examples: 30s, 5m, 1h30m).`);
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(DURATION_PART)) seconds += Number(n) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  return seconds;
}

/** A time argument as Unix seconds. `now` is the time the call started. */
export function timeSeconds(text: string, now: number, name: string): number {
  if (text === 'now') return now;
  if (text.startsWith('now-')) return now - durationSeconds(text.slice(4));
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new InputError(`${name} ${JSON.stringify(text)} is not a time: use RFC 3339 (2026-01-31T12:00:00Z), Unix seconds, now or now-1h.`);
  return ms / 1000;
}

export const isoOf = (seconds: number): string => new Date(seconds * 1000).toISOString();
