import { randomBytes } from 'node:crypto';
import type { LoadedConfig } from '../config/load-config.js';
import type { Logger } from '../plugin/logger.js';
import { AuditRedactor } from '../audit/audit-redactor.js';
import { AuditHub } from './audit-hub.js';

/** The audit hub of a config: its sinks' switch, the HMAC key (configured, or random for this process) and limits. */
export function createAuditHub(loaded: LoadedConfig, logger: Logger, knownSecrets: Set<string>): AuditHub {
  const { hmacKey, sensitiveKeys, queueLimit } = loaded.config.auditing;
  if (hmacKey) knownSecrets.add(hmacKey);
  const key = hmacKey ? Buffer.from(hmacKey, 'utf8') : randomBytes(32);
  return new AuditHub({
    enabled: (loaded.config.audit ?? []).length > 0,
    logger: logger.child('audit'),
    redactor: new AuditRedactor(key, sensitiveKeys, knownSecrets),
    queueLimit,
  });
}
