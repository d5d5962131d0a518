import { pointerParent } from '../config/json-pointer.js';
import { redact } from '../telemetry/redact.js';

/** The effective config for printing: values from references, sensitive keys and known secrets become `***`. */
export function maskConfig(config: Record<string, unknown>, referencePaths: ReadonlySet<string>, knownSecrets: ReadonlySet<string>): unknown {
  const masked = structuredClone(config);
  for (const path of referencePaths) {
    const at = pointerParent(masked, path);
    if (at && at.key in at.parent) at.parent[at.key] = '***';
  }
  return redact(masked, knownSecrets);
}
