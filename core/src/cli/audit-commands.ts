import type { FoundConfig } from '../config/find-config.js';
import { Kernel } from '../kernel/kernel.js';
import { chainKeysOf } from '../kernel/create-audit-hub.js';
import type { AuditEvent, AuditFilter, AuditSink } from '../plugin/ports/audit-sink.js';
import { contentDigest, verifyChains } from '../audit/verify-chain.js';
import { verifyCheckpoints } from '../audit/verify-checkpoints.js';
import { readCheckpoints } from '../audit/checkpoint-file.js';
import { chainLine, summarizeChains } from '../audit/chain-summary.js';
import { parseAuditFilter } from '../audit/audit-filter-params.js';
import { terminalSafe } from '../audit/terminal-text.js';
import { EXIT } from './exit-codes.js';

export interface QueryFlags {
  since?: string;
  until?: string;
  type?: string;
  actor?: string;
  tool?: string;
  outcome?: AuditEvent['outcome'];
  after?: string;
  limit?: string;
  format?: 'table' | 'json';
}

/** Writes one line for a human: whatever came from the log is escaped, so it cannot act on the terminal. */
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Opens only the secret store and the audit sinks of a config, runs `fn`, and closes them. */
async function withAudit<T>(found: FoundConfig, fn: (kernel: Kernel) => Promise<T>): Promise<T> {
  const kernel = await Kernel.load({ found });
  await kernel.setup(['secret-store', 'audit-sink']);
  try {
    return await fn(kernel);
  } finally {
    await kernel.stop();
  }
}

function sinkWith(kernel: Kernel, capability: 'query' | 'erase'): AuditSink {
  const sink = kernel.audit.sinks.find((s) => typeof s.port[capability] === 'function');
  if (!sink) throw new Error(`no configured audit sink supports ${capability}: configure a file or postgres sink under audit:`);
  return sink.port;
}

/** The filter of the query flags, with the grammar /admin/audit uses (one module for both). */
export function filterOf(flags: QueryFlags): AuditFilter {
  const filter = parseAuditFilter((name) => flags[name as keyof QueryFlags], 10_000);
  if (typeof filter === 'string') throw new Error(filter);
  return filter;
}

export async function auditQuery(found: FoundConfig, flags: QueryFlags): Promise<number> {
  const filter = filterOf(flags);
  return withAudit(found, async (kernel) => {
    const events: AuditEvent[] = [];
    for await (const event of sinkWith(kernel, 'query').query!(filter)) events.push(event);
    if (flags.format === 'json') process.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
    else {
      for (const e of events) {
        const who = e.actor ? `${e.actor.id}(${e.actor.authMethod})` : '-';
        say(terminalSafe(`${e.time}  ${e.type.padEnd(15)} ${e.outcome.padEnd(8)} ${who.padEnd(24)} ${e.tool ?? '-'}${e.error ? `  ${e.error.code}` : ''}`));
      }
      say(`${events.length} event${events.length === 1 ? '' : 's'}`);
    }
    return EXIT.ok;
  });
}

export interface VerifyFlags {
  /** A checkpoint file to hold the log against, instead of (or without) auditing.checkpoints.path. */
  checkpoints?: string;
  /** Accept unkeyed chains (written before auditing.chainKey was set) instead of failing on them. */
  allowUnkeyed?: boolean;
}

export async function auditVerify(found: FoundConfig, flags: VerifyFlags = {}): Promise<number> {
  return withAudit(found, async (kernel) => {
    const { auditing } = kernel.config.config;
    const { keyring } = chainKeysOf(auditing);
    const events: AuditEvent[] = [];
    for await (const event of sinkWith(kernel, 'query').query!({})) events.push(event);
    const report = await verifyChains(events, keyring, { allowUnkeyed: flags.allowUnkeyed === true });
    const problems = [...report.problems];
    say(`${report.events} events in ${report.chains} chain(s); ${report.erased} erased by request`);
    if (keyring.size === 0) say('warning: no chain key configured (auditing.chainKey): hashes prove order, not that the server wrote them');
    const checkpointFile = flags.checkpoints ?? auditing.checkpoints?.path;
    if (checkpointFile) {
      const checkpoints = await readCheckpoints(checkpointFile, keyring);
      // Configured, events exist, yet no file: deleted, or never writable. Either way nothing anchors the log.
      if (!checkpoints.found && events.length > 0)
        problems.push({ chain: '-', seq: 0, problem: 'missing checkpoints', detail: `${checkpointFile} does not exist, yet the log holds events` });
      else say(`checked against ${checkpoints.latest.size} checkpointed chain(s) in ${terminalSafe(checkpointFile)}`);
      problems.push(...verifyCheckpoints(events, checkpoints, checkpointFile));
    } else say('warning: no checkpoints (auditing.checkpoints): a deleted tail, chain or log cannot be detected');
    // One chain per server process: several replicas, and every restart, each add one.
    for (const summary of summarizeChains(events)) say(terminalSafe(chainLine(summary)));
    for (const chain of report.unkeyed) say(terminalSafe(`unkeyed chain ${chain}: sealed without a key (written before auditing.chainKey was set)`));
    for (const p of problems) {
      const where = p.eventId ? ` at seq ${p.seq} (event ${p.eventId})` : '';
      say(terminalSafe(`${p.problem === 'unkeyed' ? 'UNKEYED' : 'TAMPERED'} chain ${p.chain}${where}: ${p.problem}: ${p.detail}`));
    }
    if (problems.length === 0) say('ok: every chain verifies');
    return problems.length === 0 ? EXIT.ok : EXIT.verifyFailed;
  });
}

/**
 * Pseudonymizes a subject everywhere the sinks find it (the actor, a claimed user name, ...), then appends an
 * `audit.erased` record, sealed with the chain key, naming each changed event: its id, its original hash and the
 * digest of its erased form. `verify` accepts exactly those changes, and only from a record it can authenticate.
 */
export async function auditErase(found: FoundConfig, actor: string): Promise<number> {
  return withAudit(found, async (kernel) => {
    const pseudonym = kernel.audit.hub.pseudonym(actor);
    const changed: { id: string; hash: string }[] = [];
    for (const { port } of kernel.audit.sinks) if (port.erase) changed.push(...(await port.erase(actor, pseudonym)));
    if (changed.length === 0 && !kernel.audit.sinks.some((s) => s.port.erase)) throw new Error('no configured audit sink supports erase');
    const erasedDigests = new Map<string, string>();
    const ids = new Set(changed.map((c) => c.id));
    const query = kernel.audit.sinks.find((s) => s.port.query)?.port;
    if (query) for await (const event of query.query!({})) if (ids.has(event.id)) erasedDigests.set(event.id, contentDigest(event));
    const events = changed.map((c) => ({ ...c, erasedHash: erasedDigests.get(c.id) ?? '' }));
    await kernel.audit.hub.record({ type: 'audit.erased', outcome: 'success', details: { pseudonym, events } });
    say(`erased the subject from ${changed.length} event(s); pseudonym ${pseudonym}`);
    return EXIT.ok;
  });
}
