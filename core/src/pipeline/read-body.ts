import type { IncomingMessage } from 'node:http';
import { stop, type Verdict } from './verdict.js';

/**
 * Reads a JSON body of at most `maxBytes`. A declared or actual size over the cap stops reading at once (413),
 * so an oversize body costs at most the cap in memory.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Verdict<unknown>> {
  const raw = req.headers['content-type'];
  // The usual value as is; parameters (charset) and case only when present.
  const type = raw === 'application/json' ? raw : (raw ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return stop('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () => stop('BODY_TOO_LARGE', `request body exceeds ${maxBytes} bytes`, { headers: { Connection: 'close' } });
  if (declared > maxBytes) {
    req.resume();
    return tooLarge();
  }
  // Event listeners, not for-await: leaving a for-await loop destroys the socket before the 413 can be sent.
  const body = await new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.off('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    // Most bodies arrive in one chunk: no copy then.
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
  if (body === undefined) return tooLarge();
  try {
    return { continue: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return stop('PARSE_ERROR', 'request body is not valid JSON');
  }
}
