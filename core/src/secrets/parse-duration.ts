const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The duration syntax of `rotation:` rules: an integer and a unit, `500ms`, `45s`, `30m`, `1h`, `7d`. */
export const DURATION_PATTERN = '^[0-9]+(ms|s|m|h|d)$';

/** Milliseconds of `7d`, `1h`, ...; throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${JSON.stringify(text)} (use e.g. 45s, 30m, 1h, 7d)`);
  return Number(match[1]) * UNITS[match[2]!]!;
}
