import { pointerParent } from '../config/json-pointer.js';
import { redact } from '../telemetry/redact.js';

/**
 * The effective config for printing: values from references, fields marked secret, sensitive keys, known secrets
 * and URL userinfo become `***`.
 */
export function maskConfig(config: Record<string, unknown>, maskedPaths: Iterable<string>, knownSecrets: ReadonlySet<string>): unknown {
  const masked = structuredClone(config);
  for (const path of maskedPaths) {
    const at = pointerParent(masked, path);
    if (at && at.key in at.parent) at.parent[at.key] = '***';
  }
  return redact(masked, knownSecrets);
}
