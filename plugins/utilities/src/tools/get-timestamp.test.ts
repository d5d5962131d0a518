import { describe, expect, it } from 'vitest';
import { createTestToolContext, textOf } from '../testing/test-tool-context.js';
import { getTimestampTool } from './get-timestamp.js';

describe('utilities_get_timestamp', () => {
  it('returns seconds, milliseconds and ISO UTC for the same instant', async () => {
    const before = Date.now();
    const result = await getTimestampTool.handler({}, createTestToolContext());
    const data = result.structuredContent as { seconds: number; milliseconds: number; iso: string };
    expect(data.milliseconds).toBeGreaterThanOrEqual(before);
    expect(data.milliseconds).toBeLessThanOrEqual(Date.now());
    expect(data.seconds).toBe(Math.floor(data.milliseconds / 1000));
    expect(Date.parse(data.iso)).toBe(data.milliseconds);
    expect(data.iso.endsWith('Z')).toBe(true);
    expect(textOf(result)).toContain(String(data.seconds));
  });
});
