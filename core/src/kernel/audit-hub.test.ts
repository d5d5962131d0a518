import { describe, expect, it } from 'vitest';
import { AuditRedactor } from '../audit/audit-redactor.js';
import type { AuditEvent, AuditSink } from '../plugin/ports/audit-sink.js';
import { silentLogger } from '../testing/start-test-kernel.js';
import { AuditHub } from './audit-hub.js';

/** A sink whose writes finish only when the test says so, recording each batch it was given. */
function gatedSink(failClosed = true) {
  const batches: string[][] = [];
  const gates: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const sink: AuditSink = {
    failClosed,
    write: (batch: readonly AuditEvent[]) => {
      batches.push(batch.map((e) => e.type));
      return new Promise<void>((resolve, reject) => gates.push({ resolve, reject }));
    },
    close: async () => {},
  };
  const writeStarted = async (count: number) => {
    while (batches.length < count) await new Promise((r) => setImmediate(r));
  };
  return { sink, batches, gates, writeStarted };
}

const hubWith = (sink: AuditSink) => {
  const hub = new AuditHub({ enabled: true, logger: silentLogger, redactor: new AuditRedactor(Buffer.alloc(32), [], new Set()), queueLimit: 1000 });
  hub.attach([{ id: 'gated', port: sink }]);
  return hub;
};

describe('AuditHub group commit', () => {
  it('writes one batch at a time; everything emitted during a write goes out together in the next', async () => {
    const { sink, batches, gates, writeStarted } = gatedSink();
    const hub = hubWith(sink);
    const first = hub.record({ type: 'a', outcome: 'success' });
    await writeStarted(1);
    const during = [
      hub.record({ type: 'b', outcome: 'success' }),
      hub.record({ type: 'c', outcome: 'success' }),
      hub.record({ type: 'd', outcome: 'success' }),
    ];
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toEqual([['a']]); // nothing starts while the first write runs
    gates[0]!.resolve();
    await first;
    await writeStarted(2);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
    gates[1]!.resolve();
    await Promise.all(during);
  });

  it('fails only the records of the batch a fail-closed sink could not store', async () => {
    const { sink, gates, writeStarted } = gatedSink(true);
    const hub = hubWith(sink);
    const first = hub.record({ type: 'a', outcome: 'success' });
    await writeStarted(1);
    const second = hub.record({ type: 'b', outcome: 'success' });
    gates[0]!.reject(new Error('disk full'));
    await expect(first).rejects.toThrow(/fail-closed/);
    await writeStarted(2);
    gates[1]!.resolve();
    await expect(second).resolves.toBeUndefined();
  });

  it('flush resolves once what was queued is stored', async () => {
    const { sink, batches, gates, writeStarted } = gatedSink(false);
    const hub = hubWith(sink);
    hub.emit({ type: 'a', outcome: 'success' });
    let flushed = false;
    const flush = hub.flush().then(() => (flushed = true));
    await writeStarted(1);
    expect(flushed).toBe(false);
    gates[0]!.resolve();
    await flush;
    expect(batches).toEqual([['a']]);
  });
});

describe('AuditHub recording state (canRecord)', () => {
  /** A fail-closed sink that fails while `down` is set, storing the types it was given otherwise. */
  function flakySink() {
    const stored: string[] = [];
    const state = { down: false };
    const sink: AuditSink = {
      failClosed: true,
      write: async (batch) => {
        if (state.down) throw new Error('connection refused');
        stored.push(...batch.map((e) => e.type));
      },
      close: async () => {},
    };
    return { sink, stored, state };
  }

  it('turns false at the first failed write to a fail-closed sink, and true again once a probe event is stored', async () => {
    const { sink, stored, state } = flakySink();
    const hub = new AuditHub({
      enabled: true,
      logger: silentLogger,
      redactor: new AuditRedactor(Buffer.alloc(32), [], new Set()),
      queueLimit: 1000,
      probeIntervalMs: 20,
    });
    hub.attach([{ id: 'flaky', port: sink }]);
    await hub.record({ type: 'a', outcome: 'success' });
    expect(hub.canRecord()).toBe(true);
    state.down = true;
    await expect(hub.record({ type: 'b', outcome: 'success' })).rejects.toThrow(/fail-closed/);
    expect(hub.canRecord()).toBe(false);
    await new Promise((r) => setTimeout(r, 100)); // probes fail while it is down
    expect(hub.canRecord()).toBe(false);
    state.down = false;
    for (let i = 0; i < 200 && !hub.canRecord(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(hub.canRecord()).toBe(true);
    expect(stored[0]).toBe('a');
    expect(stored.slice(1)).toEqual(['audit.unavailable']);
    await hub.close();
  });

  it('stays true without a fail-closed sink', async () => {
    const { sink, state } = flakySink();
    const hub = new AuditHub({ enabled: true, logger: silentLogger, redactor: new AuditRedactor(Buffer.alloc(32), [], new Set()), queueLimit: 1000 });
    hub.attach([{ id: 'open', port: { ...sink, failClosed: false } }]);
    state.down = true;
    await hub.record({ type: 'a', outcome: 'success' });
    expect(hub.canRecord()).toBe(true);
    await hub.close();
  });
});
