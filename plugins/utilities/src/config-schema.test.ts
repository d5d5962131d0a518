import { describe, expect, it } from 'vitest';
import { configSchema, DEFAULTS, resolveConfig } from './config-schema.js';
import { createStrictAjv } from './testing/schema-ajv.js';

describe('configSchema', () => {
  const validate = createStrictAjv({ useDefaults: true }).compile(configSchema);

  it('compiles strictly and fills every default from an empty section, as the kernel validates it', () => {
    const config: Record<string, unknown> = {};
    expect(validate(config)).toBe(true);
    expect(config).toEqual({
      sleep: { maxSeconds: 60 },
      webFetch: { allowPrivateNetworks: false, allowHosts: [], denyHosts: [], maxBytes: 1_048_576, timeoutMs: 10_000, maxRedirects: 5 },
    });
    expect(resolveConfig(config)).toEqual(DEFAULTS);
  });

  it('rejects unknown keys and out-of-range values', () => {
    for (const bad of [
      { sleeep: {} },
      { webFetch: { allowHost: ['x'] } },
      { webFetch: { maxBytes: 0 } },
      { webFetch: { timeoutMs: 1.5 } },
      { webFetch: { maxRedirects: -1 } },
      { webFetch: { allowHosts: 'example.com' } },
      { sleep: { maxSeconds: -1 } },
      { sleep: { maxSeconds: 100_000 } },
    ]) {
      expect(validate(structuredClone(bad)), JSON.stringify(bad)).toBe(false);
    }
  });

  it('describes every option, for the generated docs', () => {
    const sections = configSchema.properties as Record<string, { description?: string; properties: Record<string, { description?: string }> }>;
    for (const [name, section] of Object.entries(sections)) {
      expect(section.description, name).toBeTruthy();
      for (const [key, option] of Object.entries(section.properties)) expect(option.description, `${name}.${key}`).toBeTruthy();
    }
  });
});

describe('resolveConfig', () => {
  it('falls back to defaults for missing or malformed values', () => {
    expect(resolveConfig(undefined)).toEqual(DEFAULTS);
    expect(resolveConfig({ sleep: { maxSeconds: 'long' }, webFetch: { maxBytes: -5, allowPrivateNetworks: 'yes' } })).toEqual(DEFAULTS);
    expect(resolveConfig({ sleep: { maxSeconds: 10 }, webFetch: { allowHosts: ['a.test'] } })).toMatchObject({
      sleep: { maxSeconds: 10 },
      webFetch: { allowHosts: ['a.test'] },
    });
  });

  it('refuses a host list that is not all strings rather than dropping entries', () => {
    expect(() => resolveConfig({ webFetch: { denyHosts: ['10.0.0.0/8', 42] } })).toThrow(/webFetch\.denyHosts must be a list of strings/);
  });
});
