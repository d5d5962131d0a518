import { Writable } from 'node:stream';
import { startTestKernel } from '@cnmcp/core/testing';
import { describe, expect, it } from 'vitest';
import { auditLine, type AuditEvent } from '@cnmcp/core/plugin';
import { HashChain } from '../../../../core/src/audit/hash-chain.js';
import stdout from './plugin.js';
import { streamSink } from './stream-sink.js';

const chain = new HashChain();
const event = (n: number): AuditEvent =>
  chain.link({
    id: `01JAAAAAAA${String(n).padStart(6, '0')}`,
    time: new Date(Date.UTC(2026, 10, 24, 12, 0, n)).toISOString(),
    type: 'tool.call',
    outcome: 'success',
    tool: 'utilities_hash',
    arguments: { text: 'line\nbreak' },
  });

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('stdout audit sink', () => {
  it('writes one JSON line per event, exactly as given', async () => {
    const { stream, text } = capture();
    const sink = streamSink(stream, false);
    const [first, second, third] = [event(1), event(2), event(3)];
    await sink.write([first, second]);
    await sink.write([]);
    await sink.write([third]);
    expect(text().split('\n')).toEqual([first, second, third].map((e) => auditLine(e)).concat(''));
    expect(
      text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([first, second, third]);
    expect(sink.query).toBeUndefined();
    expect(sink.erase).toBeUndefined();
    await sink.close();
  });

  it('rejects a write the stream refused, and one after the stream is gone, without an unhandled error', async () => {
    const broken = new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    const sink = streamSink(broken, true);
    expect(sink.failClosed).toBe(true);
    await expect(sink.write([event(4)])).rejects.toThrow('EPIPE');
    await expect(sink.write([event(5)])).rejects.toThrow();
    await sink.close();
    expect(broken.listenerCount('error')).toBe(0);
  });

  it('defaults to stdout and not fail-closed, and accepts only stdout or stderr', async () => {
    const server = await startTestKernel({ config: { audit: [{ use: 'stdout', stream: 'stderr' }] }, plugins: [stdout] });
    expect(server.kernel.audit.sinks[0]!.port.failClosed).toBe(false);
    await server.close();
    await expect(startTestKernel({ config: { audit: [{ use: 'stdout', stream: 'file' }] }, plugins: [stdout] })).rejects.toThrow(/stream/);
    expect(stdout.configSchema).toMatchObject({ properties: { stream: { default: 'stdout' }, failClosed: { default: false } } });
  });
});
