import type { FoundConfig } from '../config/find-config.js';
import { Kernel } from '../kernel/kernel.js';
import type { AuditEvent, AuditFilter, AuditSink } from '../plugin/ports/audit-sink.js';
import { verifyChains } from '../audit/verify-chain.js';
import { chainLine, summarizeChains } from '../audit/chain-summary.js';
import { eventHash } from '../audit/hash-chain.js';
import { EXIT } from './exit-codes.js';
import { parseTime } from './parse-time.js';

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

export function filterOf(flags: QueryFlags): AuditFilter {
  return {
    ...(flags.since ? { since: parseTime(flags.since) } : {}),
    ...(flags.until ? { until: parseTime(flags.until) } : {}),
    ...(flags.type ? { type: flags.type } : {}),
    ...(flags.actor ? { actor: flags.actor } : {}),
    ...(flags.tool ? { tool: flags.tool } : {}),
    ...(flags.outcome ? { outcome: flags.outcome } : {}),
    ...(flags.after ? { after: flags.after } : {}),
    limit: Math.min(Number(flags.limit ?? 100), 10_000),
  };
}

export async function auditQuery(found: FoundConfig, flags: QueryFlags): Promise<number> {
  return withAudit(found, async (kernel) => {
    const events: AuditEvent[] = [];
    for await (const event of sinkWith(kernel, 'query').query!(filterOf(flags))) events.push(event);
    if (flags.format === 'json') process.stdout.write(`${JSON.stringify(events, null, 2)}\n`);
    else {
      for (const e of events) {
        const who = e.actor ? `${e.actor.id}(${e.actor.authMethod})` : '-';
        process.stdout.write(
          `${e.time}  ${e.type.padEnd(15)} ${e.outcome.padEnd(8)} ${who.padEnd(24)} ${e.tool ?? '-'}${e.error ? `  ${e.error.code}` : ''}\n`,
        );
      }
      process.stdout.write(`${events.length} event${events.length === 1 ? '' : 's'}\n`);
    }
    return EXIT.ok;
  });
}

export async function auditVerify(found: FoundConfig): Promise<number> {
  return withAudit(found, async (kernel) => {
    const events: AuditEvent[] = [];
    for await (const event of sinkWith(kernel, 'query').query!({})) events.push(event);
    const report = await verifyChains(events);
    process.stdout.write(`${report.events} events in ${report.chains} chain(s); ${report.erased} erased by request\n`);
    // One chain per server process: several replicas, and every restart, each add one.
    for (const summary of summarizeChains(events)) process.stdout.write(`${chainLine(summary)}\n`);
    for (const p of report.problems) process.stdout.write(`TAMPERED chain ${p.chain} at seq ${p.seq} (event ${p.eventId}): ${p.problem}: ${p.detail}\n`);
    if (report.problems.length === 0) process.stdout.write('ok: every chain verifies\n');
    return report.problems.length === 0 ? EXIT.ok : EXIT.verifyFailed;
  });
}

/** Pseudonymizes an actor everywhere it can, then appends an `audit.erased` record naming what changed. */
export async function auditErase(found: FoundConfig, actor: string): Promise<number> {
  return withAudit(found, async (kernel) => {
    const pseudonym = kernel.audit.hub.pseudonym(actor);
    const changed: { id: string; hash: string }[] = [];
    for (const { port } of kernel.audit.sinks) if (port.erase) changed.push(...(await port.erase(actor, pseudonym)));
    if (changed.length === 0 && !kernel.audit.sinks.some((s) => s.port.erase)) throw new Error('no configured audit sink supports erase');
    // Fingerprint the erased form of each event, so that a later edit of an erased event still fails verification.
    const erasedHashes = new Map<string, string>();
    const query = kernel.audit.sinks.find((s) => s.port.query)?.port;
    if (query) for await (const event of query.query!({ actor: pseudonym })) erasedHashes.set(event.id, eventHash(event));
    const events = changed.map((c) => ({ ...c, erasedHash: erasedHashes.get(c.id) ?? '' }));
    await kernel.audit.hub.record({ type: 'audit.erased', outcome: 'success', details: { pseudonym, events } });
    process.stdout.write(`erased actor from ${changed.length} event(s); pseudonym ${pseudonym}\n`);
    return EXIT.ok;
  });
}
