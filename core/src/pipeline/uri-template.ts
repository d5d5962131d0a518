/**
 * Matches a URI against a level-1 RFC 6570 template (`{var}` segments) and returns the variables, or undefined.
 * Variables match one path segment; `{+var}` matches the rest of the URI.
 */
export function matchTemplate(template: string, uri: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{(\+?)([^}]+)\}/g, (_m, plus: string, name: string) => {
    names.push(name);
    return plus ? '(.+)' : '([^/?#]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(uri);
  if (!match) return undefined;
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
  } catch {
    return undefined; // a malformed %-escape names no resource
  }
}
