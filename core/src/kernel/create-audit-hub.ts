import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { LoadedConfig } from './load-config.js';
import type { Logger } from '../plugin/logger.js';
import { AuditRedactor } from '../audit/audit-redactor.js';
import { chainKeyOf, keyringOf, type ChainKey, type ChainKeyring } from '../audit/chain-key.js';
import { appendCheckpoint } from '../audit/checkpoint-file.js';
import { Checkpointer } from '../audit/checkpointer.js';
import { AuditHub } from './audit-hub.js';

/** The keys of a config: the one sealing new records (chainKey, else hmacKey), and every key `verify` accepts. */
export function chainKeysOf(auditing: LoadedConfig['config']['auditing']): { readonly current?: ChainKey; readonly keyring: ChainKeyring } {
  const secret = auditing.chainKey ?? auditing.hmacKey;
  const current = secret === undefined ? undefined : chainKeyOf(secret);
  const previous = (auditing.previousChainKeys ?? []).map(chainKeyOf);
  return { ...(current ? { current } : {}), keyring: keyringOf([...(current ? [current] : []), ...previous]) };
}

/** The audit hub of a config: its sinks' switch, the HMAC keys (configured, or random for this process) and limits. */
export function createAuditHub(loaded: LoadedConfig, logger: Logger, knownSecrets: Set<string>): AuditHub {
  const { auditing } = loaded.config;
  const { hmacKey, sensitiveKeys, queueLimit, checkpoints } = auditing;
  for (const secret of [hmacKey, auditing.chainKey, ...(auditing.previousChainKeys ?? [])]) if (secret) knownSecrets.add(secret);
  const key = hmacKey ? Buffer.from(hmacKey, 'utf8') : randomBytes(32);
  const { current } = chainKeysOf(auditing);
  const enabled = (loaded.config.audit ?? []).length > 0;
  const hubLogger = logger.child('audit');
  if (enabled && !current) hubLogger.warn('audit chain is unkeyed: set auditing.chainKey so that an edited log cannot be re-sealed');
  const path = checkpoints && resolve(checkpoints.path);
  return new AuditHub({
    enabled,
    logger: hubLogger,
    redactor: new AuditRedactor(key, sensitiveKeys, knownSecrets),
    queueLimit,
    ...(current ? { chainKey: current } : {}),
    ...(current && path
      ? {
          checkpointer: new Checkpointer({
            key: current,
            write: (checkpoint) => appendCheckpoint(path, checkpoint),
            intervalMs: checkpoints.intervalSeconds * 1000,
            logger: hubLogger,
          }),
        }
      : {}),
  });
}
