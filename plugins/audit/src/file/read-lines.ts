import type { FileHandle } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export interface ReadLinesOptions {
  readonly gz: boolean;
  /** Read only this many bytes (of the stored file): a snapshot of a file that is being appended to. */
  readonly end?: number;
  /** Leave out a last line without its newline: in a file being appended to it is a write in progress. */
  readonly completeOnly?: boolean;
}

/** Streams the lines of a file (gunzipped when `gz`) without holding the file in memory. */
export async function* readLines(handle: FileHandle, options: ReadLinesOptions): AsyncGenerator<string> {
  if (options.end === 0) return;
  const raw = handle.createReadStream({ start: 0, ...(options.end !== undefined ? { end: options.end - 1 } : {}), autoClose: false });
  const input: Readable = options.gz ? pipeline(raw, createGunzip(), () => undefined) : raw;
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const line of lines) yield line;
  }
  if (rest !== '' && !options.completeOnly) yield rest;
}
