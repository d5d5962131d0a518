import { describe, expect, it } from 'vitest';
import type { AuditInput } from '../plugin/ports/audit-sink.js';
import { chainLine, summarizeChains } from './chain-summary.js';
import { HashChain } from './hash-chain.js';

let n = 0;
const linker = (chain: HashChain) => (input: AuditInput) =>
  chain.link({ ...input, id: String(++n).padStart(4, '0'), time: `2026-12-01T00:00:0${n % 10}.000Z` });

describe('summarizeChains', () => {
  it('names the writer of each chain and tells a stopped replica from a killed one', () => {
    const [a, b] = [linker(new HashChain()), linker(new HashChain())];
    const events = [
      a({ type: 'server.started', outcome: 'success', details: { host: 'cnmcp-0', pid: 7 } }),
      b({ type: 'server.started', outcome: 'success', details: { host: 'cnmcp-1', pid: 7 } }),
      a({ type: 'tool.call', outcome: 'success', tool: 'x' }),
      b({ type: 'tool.call', outcome: 'success', tool: 'x' }),
      a({ type: 'server.stopped', outcome: 'success' }),
    ];
    const summaries = summarizeChains(events);
    expect(summaries).toMatchObject([
      { chain: events[0]!.chain, events: 3, firstSeq: 1, lastSeq: 3, host: 'cnmcp-0', pid: 7, stopped: true },
      { chain: events[1]!.chain, events: 2, firstSeq: 1, lastSeq: 2, host: 'cnmcp-1', pid: 7, stopped: false },
    ]);
    expect(chainLine(summaries[0]!)).toMatch(/^chain [0-9a-f]{16}: 3 events, seq 1\.\.3, .* \.\. .*, host cnmcp-0 pid 7, ended with server\.stopped$/);
    expect(chainLine(summaries[1]!)).toContain('host cnmcp-1 pid 7, no server.stopped (killed, or still running)');
  });

  it('says so when a chain has no server.started (written by the CLI)', () => {
    const c = linker(new HashChain());
    expect(chainLine(summarizeChains([c({ type: 'secret.stored', outcome: 'success' })])[0]!)).toMatch(/, not a server \(CLI or older release\)$/);
  });
});
