const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `1h`, `7d` (that long ago) or an ISO date. */
export function parseTime(text: string, now = Date.now()): Date {
  const relative = /^(\d+)([smhd])$/.exec(text);
  if (relative) return new Date(now - Number(relative[1]) * UNITS[relative[2]!]!);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`not a time: ${JSON.stringify(text)} (use 30m, 1h, 7d or an ISO date)`);
  return date;
}
