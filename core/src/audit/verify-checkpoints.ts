import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import type { CheckpointsRead } from './checkpoint-file.js';
import type { ChainProblem } from './verify-chain.js';

/**
 * Holds the log against its checkpoints: every checkpointed chain must still be there, reach at least the
 * checkpointed seq, and have the checkpointed hash at that seq. A checkpoint that does not verify is reported too.
 */
export function verifyCheckpoints(events: readonly AuditEvent[], checkpoints: CheckpointsRead, file: string): ChainProblem[] {
  const problems: ChainProblem[] = checkpoints.forged.map((line) => ({
    chain: '-',
    seq: 0,
    problem: 'forged checkpoint' as const,
    detail: `${file} line ${line} is not a checkpoint signed with a configured chain key`,
  }));
  if (events.length === 0 && checkpoints.latest.size > 0) {
    const newest = [...checkpoints.latest.values()].reduce((a, b) => (a.time > b.time ? a : b));
    const total = [...checkpoints.latest.values()].reduce((sum, c) => sum + c.seq, 0);
    problems.push({
      chain: '-',
      seq: 0,
      problem: 'empty log',
      detail: `the log holds no events, but ${file} records ${checkpoints.latest.size} chain(s) with ${total} events, the newest checkpoint at ${newest.time}`,
    });
    return problems;
  }
  const byChain = new Map<string, Map<number, AuditEvent>>();
  for (const event of events) {
    let chain = byChain.get(event.chain);
    if (!chain) byChain.set(event.chain, (chain = new Map()));
    chain.set(event.seq, event);
  }
  const oldest = events.reduce((min, e) => (e.time < min ? e.time : min), events[0]?.time ?? '');
  for (const [chain, checkpoint] of checkpoints.latest) {
    const stored = byChain.get(chain);
    const at = `the checkpoint of ${checkpoint.time} recorded seq ${checkpoint.seq}`;
    if (!stored) {
      // Retention deletes whole old chains too: say when the loss is older than everything left, for the reader to judge.
      const old = checkpoint.time < oldest ? ' (older than every event left: retention, if within its window)' : '';
      problems.push({ chain, seq: checkpoint.seq, problem: 'missing chain', detail: `no event of this chain is in the log; ${at}${old}` });
      continue;
    }
    const last = Math.max(...stored.keys());
    if (last < checkpoint.seq) {
      const lost = last + 1 === checkpoint.seq ? `seq ${checkpoint.seq} is` : `seq ${last + 1}..${checkpoint.seq} are`;
      problems.push({ chain, seq: checkpoint.seq, problem: 'missing tail', detail: `${lost} missing; ${at}` });
      continue;
    }
    const anchored = stored.get(checkpoint.seq);
    if (anchored && anchored.hash !== checkpoint.head) {
      problems.push({
        chain,
        eventId: anchored.id,
        seq: checkpoint.seq,
        problem: 'edited',
        detail: `the event does not match ${at} (the chain was re-sealed)`,
      });
    }
  }
  return problems;
}
