import { describe, expect, it } from 'vitest';
import { apiMatcherText, filterParam, toApiMatcher } from './matchers.js';

describe('matchers', () => {
  it('writes Alertmanager matcher syntax with quoted, escaped values', () => {
    expect(
      filterParam([
        { name: 'alertname', value: 'Disk "full"' },
        { name: 'severity', regex: 'critical|warning' },
        { name: 'env', value: 'dev', negate: true },
        { name: 'path', regex: 'C:\\\\tmp.*', negate: true },
      ]),
    ).toEqual(['alertname="Disk \\"full\\""', 'severity=~"critical|warning"', 'env!="dev"', 'path!~"C:\\\\\\\\tmp.*"']);
    expect(filterParam([])).toBeUndefined();
  });

  it('maps to the v2 silence matcher and back', () => {
    const api = toApiMatcher({ name: 'severity', regex: 'info|warning', negate: true });
    expect(api).toEqual({ name: 'severity', value: 'info|warning', isRegex: true, isEqual: false });
    expect(apiMatcherText(api)).toBe('severity!~"info|warning"');
  });

  it('needs exactly one of value and regex', () => {
    expect(() => toApiMatcher({ name: 'a' })).toThrow(/exactly one of value and regex/);
    expect(() => filterParam([{ name: 'a', value: 'x', regex: 'y' }])).toThrow(/exactly one of value and regex/);
  });
});
