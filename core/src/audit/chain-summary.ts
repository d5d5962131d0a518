import type { AuditEvent } from '../plugin/ports/audit-sink.js';

/** One hash chain as `cnmcp audit verify` lists it: which process wrote it and whether it ended with a shutdown. */
export interface ChainSummary {
  readonly chain: string;
  readonly events: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstTime: string;
  readonly lastTime: string;
  /** From the chain's `server.started` event: the host name (the pod name in Kubernetes) and the process id. */
  readonly host?: string;
  readonly pid?: number;
  /** False when the process was killed (or is still running): its chain just ends, which verifies the same. */
  readonly stopped: boolean;
}

/** Summarizes each chain of `events` (ascending by id), in the order the chains first appear. */
export function summarizeChains(events: readonly AuditEvent[]): ChainSummary[] {
  const chains = new Map<string, { first: AuditEvent; last: AuditEvent; events: number; host?: string; pid?: number; stopped: boolean }>();
  for (const event of events) {
    let chain = chains.get(event.chain);
    if (!chain) chains.set(event.chain, (chain = { first: event, last: event, events: 0, stopped: false }));
    chain.events++;
    chain.last = event;
    if (event.type === 'server.started') {
      if (typeof event.details?.host === 'string') chain.host = event.details.host;
      if (typeof event.details?.pid === 'number') chain.pid = event.details.pid;
    }
    chain.stopped = event.type === 'server.stopped';
  }
  return [...chains].map(([chain, c]) => ({
    chain,
    events: c.events,
    firstSeq: c.first.seq,
    lastSeq: c.last.seq,
    firstTime: c.first.time,
    lastTime: c.last.time,
    ...(c.host !== undefined ? { host: c.host } : {}),
    ...(c.pid !== undefined ? { pid: c.pid } : {}),
    stopped: c.stopped,
  }));
}

/** The line `cnmcp audit verify` prints for a chain. */
export function chainLine(s: ChainSummary): string {
  const head = `chain ${s.chain}: ${s.events} events, seq ${s.firstSeq}..${s.lastSeq}, ${s.firstTime} .. ${s.lastTime}`;
  if (s.host === undefined && s.pid === undefined) return `${head}, not a server (CLI or older release)`;
  const end = s.stopped ? 'ended with server.stopped' : 'no server.stopped (killed, or still running)';
  return `${head}, host ${s.host ?? '?'} pid ${s.pid ?? '?'}, ${end}`;
}
