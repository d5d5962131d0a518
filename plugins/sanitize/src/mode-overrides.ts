import type { FieldMode, SanitizeConfig } from './config-schema.js';

export type ModeOf = (tool: string, path: string) => FieldMode;

/**
 * Resolves a field's mode: the override of the tool (an exact name before patterns, patterns in config order)
 * decides alone; in it a field entry wins over its `mode`; without an override, the global mode applies.
 * A field entry is a JSON pointer; a `*` segment matches any one key or array index (`/labels/*`).
 *
 * @example modeResolver({ mode: 'strip', overrides: { 'k8s_*': { mode: 'reject', fields: { '/note': 'raw' } } } })('k8s_get_pod', '/note') // 'raw'
 */
export function modeResolver(config: Pick<SanitizeConfig, 'mode' | 'overrides'>): ModeOf {
  const overrides = Object.entries(config.overrides).map(([pattern, override]) => ({
    exact: !/[*?]/.test(pattern),
    matches: toolMatcher(pattern),
    mode: override.mode,
    fields: Object.entries(override.fields ?? {}).map(([pointer, mode]) => ({
      exact: !pointer.split('/').includes('*'),
      matches: pointerMatcher(pointer),
      mode,
    })),
  }));
  // A stable sort: exact names first, patterns after them in the order the config lists them.
  overrides.sort((a, b) => Number(b.exact) - Number(a.exact));
  for (const o of overrides) o.fields.sort((a, b) => Number(b.exact) - Number(a.exact));
  return (tool, path) => {
    const override = overrides.find((o) => o.matches(tool));
    if (!override) return config.mode;
    return override.fields.find((f) => f.matches(path))?.mode ?? override.mode ?? config.mode;
  };
}

// `*` any run of characters, `?` one; `[\s\S]` so a pattern never matches less than it says.
function toolMatcher(glob: string): (tool: string) => boolean {
  if (!/[*?]/.test(glob)) return (tool) => tool === glob;
  const source = [...glob].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  const re = new RegExp(`^${source}$`);
  return (tool) => re.test(tool);
}

function pointerMatcher(pointer: string): (path: string) => boolean {
  const want = pointer.split('/');
  return (path) => {
    const got = path.split('/');
    return got.length === want.length && want.every((segment, i) => segment === '*' || segment === got[i]);
  };
}
