import type { ToolDefinition } from '@cnmcp/core/plugin';
import { structuredResult, toolError } from '../tool-result.js';

export type GetTimeArgs = { timezone?: string };

/** Wall-clock fields of `date` in `zone`, plus the zone's UTC offset at that instant. */
export function zonedTime(date: Date, zone: string): { timezone: string; iso: string; offset: string; offsetMinutes: number } {
  // Throws RangeError for an unknown zone.
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const field = (name: string): number => Number(parts[name]);
  const wallMs = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  const wholeSecondMs = date.getTime() - (((date.getTime() % 1000) + 1000) % 1000);
  const offsetMinutes = Math.round((wallMs - wholeSecondMs) / 60_000);
  const offset = formatOffset(offsetMinutes);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const iso =
    `${pad(field('year'), 4)}-${pad(field('month'))}-${pad(field('day'))}T${pad(field('hour'))}:${pad(field('minute'))}:${pad(field('second'))}` +
    `.${pad(date.getUTCMilliseconds(), 3)}${offset}`;
  // ICU maps current names to legacy ones (Asia/Kolkata -> Asia/Calcutta); keep the caller's name, take only ICU's casing.
  const resolved = format.resolvedOptions().timeZone;
  const timezone = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
  return { timezone, iso, offset, offsetMinutes };
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export const getTimeTool: ToolDefinition<GetTimeArgs> = {
  name: 'utilities_get_time',
  title: 'Get current time',
  description: 'Returns the current date and time in an IANA time zone (for example "Europe/Berlin"), with its UTC offset.',
  inputSchema: {
    type: 'object',
    properties: {
      timezone: {
        type: 'string',
        minLength: 1,
        maxLength: 64,
        default: 'UTC',
        description: 'IANA time zone name such as "UTC", "America/New_York" or "Asia/Kolkata". Defaults to UTC.',
      },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      timezone: { type: 'string', description: 'The IANA zone name used.' },
      iso: { type: 'string', description: 'Local time in ISO 8601 with the zone offset, e.g. 2025-03-01T14:05:09.123+01:00.' },
      utc: { type: 'string', description: 'The same instant in ISO 8601 UTC.' },
      offset: { type: 'string', pattern: '^[+-]\\d{2}:\\d{2}$', description: 'UTC offset of the zone at this instant.' },
    },
    required: ['timezone', 'iso', 'utc', 'offset'],
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args) {
    const zone = args.timezone ?? 'UTC';
    if (typeof zone !== 'string' || zone.length === 0) return toolError('timezone must be a non-empty IANA time zone name such as "UTC".');
    const now = new Date();
    let zoned: ReturnType<typeof zonedTime>;
    try {
      zoned = zonedTime(now, zone);
    } catch {
      return toolError(`Unknown time zone "${zone}". Use an IANA name such as "UTC", "Europe/Paris" or "America/Chicago".`);
    }
    const { timezone, iso, offset } = zoned;
    return structuredResult({ timezone, iso, utc: now.toISOString(), offset }, `${iso} (${timezone}, UTC${offset})`);
  },
};
