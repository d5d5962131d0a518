import type { IncomingMessage } from 'node:http';

export interface LimitedBody {
  readonly body: Buffer;
  readonly truncated: boolean;
}

/**
 * Reads at most `maxBytes` of a response body while it streams, then stops reading and closes the connection,
 * so a huge or endless body never sits in memory.
 */
export async function readLimitedBody(res: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<LimitedBody> {
  // node:http also tears the response down when the request's signal aborts; ending it here keeps the body
  // read bounded by the signal without leaning on that.
  const abort = () => res.destroy(new Error('aborted'));
  if (signal.aborted) abort();
  signal.addEventListener('abort', abort, { once: true });
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of res) {
      const buf = chunk as Buffer;
      if (size + buf.length > maxBytes) {
        chunks.push(buf.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break; // leaving for-await destroys the stream
      }
      chunks.push(buf);
      size += buf.length;
    }
  } finally {
    signal.removeEventListener('abort', abort);
  }
  return { body: Buffer.concat(chunks, size), truncated };
}
