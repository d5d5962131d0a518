import { describe, expect, it } from 'vitest';
import { createTestToolContext, textOf } from '../testing/test-tool-context.js';
import { getTimeTool, zonedTime } from './get-time.js';

describe('utilities_get_time', () => {
  it('defaults to UTC and returns the current instant', async () => {
    const before = Date.now();
    const result = await getTimeTool.handler({}, createTestToolContext());
    const after = Date.now();
    expect(result.isError).toBeUndefined();
    const data = result.structuredContent as { timezone: string; iso: string; utc: string; offset: string };
    expect(data.timezone).toBe('UTC');
    expect(data.offset).toBe('+00:00');
    expect(data.iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    const instant = Date.parse(data.utc);
    expect(instant).toBeGreaterThanOrEqual(before);
    expect(instant).toBeLessThanOrEqual(after);
    expect(Date.parse(data.iso)).toBe(instant);
    expect(textOf(result)).toContain(data.iso);
  });

  it('uses the zone offset and keeps the same instant', async () => {
    const result = await getTimeTool.handler({ timezone: 'Asia/Kolkata' }, createTestToolContext());
    const data = result.structuredContent as { timezone: string; iso: string; utc: string; offset: string };
    expect(data.timezone).toBe('Asia/Kolkata');
    expect(data.offset).toBe('+05:30');
    expect(data.iso.endsWith('+05:30')).toBe(true);
    expect(Date.parse(data.iso)).toBe(Date.parse(data.utc));
  });

  it('returns an error result naming an unknown zone', async () => {
    const result = await getTimeTool.handler({ timezone: 'Mars/Olympus_Mons' }, createTestToolContext());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('"Mars/Olympus_Mons"');
    expect(result.structuredContent).toBeUndefined();
  });
});

describe('zonedTime', () => {
  const instant = new Date('2024-07-01T12:00:00.250Z');

  it('handles daylight saving time and negative offsets', () => {
    expect(zonedTime(instant, 'America/New_York')).toMatchObject({ iso: '2024-07-01T08:00:00.250-04:00', offset: '-04:00', offsetMinutes: -240 });
    expect(zonedTime(new Date('2024-01-01T12:00:00Z'), 'America/New_York').offset).toBe('-05:00');
  });

  it('uses the POSIX sign convention of Etc zones and canonicalizes names', () => {
    expect(zonedTime(instant, 'Etc/GMT+5').offset).toBe('-05:00');
    expect(zonedTime(instant, 'utc').timezone).toBe('UTC');
  });
});
