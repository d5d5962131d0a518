import type { Writable } from 'node:stream';
import { auditLine, type AuditEvent, type AuditSink } from '@cnmcp/core/plugin';

/**
 * Writes each batch as JSON lines to a stream and resolves once the stream has taken them. The sink listens for the
 * stream's errors while open, so a closed pipe (EPIPE) rejects writes instead of crashing the server.
 */
export function streamSink(stream: Writable, failClosed: boolean): AuditSink {
  const onError = () => undefined; // the failed write's callback reports it
  stream.on('error', onError);
  return {
    failClosed,
    write: (batch: readonly AuditEvent[]) =>
      batch.length === 0
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            if (stream.destroyed || stream.writableEnded) reject(new Error('the audit stream is closed'));
            else stream.write(batch.map((event) => `${auditLine(event)}\n`).join(''), (error) => (error ? reject(error) : resolve()));
          }),
    close: async () => {
      stream.off('error', onError);
    },
  };
}
