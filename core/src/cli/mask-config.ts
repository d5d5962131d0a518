import { redact } from '../telemetry/redact.js';

/** The effective config for printing: values from references, sensitive keys and known secrets become `***`. */
export function maskConfig(config: Record<string, unknown>, referencePaths: ReadonlySet<string>, knownSecrets: ReadonlySet<string>): unknown {
  const masked = structuredClone(config);
  for (const path of referencePaths) {
    const keys = path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    let parent: Record<string, unknown> | undefined = masked;
    for (const key of keys) parent = parent?.[key] as Record<string, unknown> | undefined;
    if (parent && last !== undefined && last in parent) parent[last] = '***';
  }
  return redact(masked, knownSecrets);
}
