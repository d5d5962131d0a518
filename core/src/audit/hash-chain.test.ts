import { describe, expect, it } from 'vitest';
import { auditLine } from '../plugin/audit-line.js';
import type { AuditEvent } from '../plugin/ports/audit-sink.js';
import { eventHash, HashChain } from './hash-chain.js';

describe('hash chain: the line a sink writes', () => {
  it('is the hashed text: it parses back to the event and verifies against the hash it carries', () => {
    const chain = new HashChain({ id: 'k1', key: Buffer.alloc(32, 7) });
    const event = chain.link({
      id: '01JAAAAAAA000001',
      time: '2026-12-05T08:00:00.000Z',
      type: 'tool.call',
      outcome: 'success',
      tool: 'echo',
      arguments: { text: 'a "quoted"\nline', list: [1, null, { b: 2, a: 1 }] },
    });
    const line = auditLine(event);
    expect(JSON.parse(line)).toEqual(event);
    expect(eventHash(JSON.parse(line) as AuditEvent, new Map([['k1', { id: 'k1', key: Buffer.alloc(32, 7) }]]))).toBe(event.hash);
    expect(line.endsWith(`,"hash":"${event.hash}"}`)).toBe(true);
  });

  it('serializes an event the chain did not link as JSON', () => {
    const event = { id: 'x', time: 't', type: 'tool.call', outcome: 'success', chain: 'c', seq: 1, prevHash: '', hash: 'h' } as AuditEvent;
    expect(auditLine(event)).toBe(JSON.stringify(event));
  });
});
