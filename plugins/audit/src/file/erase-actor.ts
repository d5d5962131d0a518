import { open, rename, utimes, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { eraseSubject, type AuditEvent } from '@cnmcp/core/plugin';
import { isMissing, syncDir, writeAll } from './durable-write.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

export interface Erased {
  readonly id: string;
  readonly hash: string;
}

/**
 * Replaces the subject by `pseudonym` on the lines that name it (`eraseSubject`: the actor, a claimed user name, ...). Only those lines are parsed and re-serialized
 * (keys keep their order, values are what JSON.stringify wrote); every other byte stays as it was, even bytes that
 * are not valid UTF-8.
 */
export function eraseActorInText(text: Buffer, actorId: string, pseudonym: string): { text: Buffer; erased: Erased[] } {
  const needle = Buffer.from(JSON.stringify(actorId));
  const parts: Buffer[] = [];
  const erased: Erased[] = [];
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf(0x0a, start);
    const end = newline === -1 ? text.length : newline;
    const line = text.subarray(start, end);
    parts.push(line.includes(needle) ? eraseLine(line, actorId, pseudonym, erased) : line);
    if (newline === -1) break;
    start = newline + 1;
  }
  return { text: erased.length === 0 ? text : Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [NEWLINE, part]))), erased };
}

const NEWLINE = Buffer.from('\n');

function eraseLine(line: Buffer, actorId: string, pseudonym: string, erased: Erased[]): Buffer {
  let event: AuditEvent;
  try {
    event = JSON.parse(line.toString('utf8')) as AuditEvent;
  } catch {
    return line; // damaged: verify reports it; erasure leaves it as evidence
  }
  const replaced = eraseSubject(event, actorId, pseudonym);
  if (!replaced) return line;
  erased.push({ id: event.id, hash: event.hash });
  return Buffer.from(JSON.stringify(replaced), 'utf8');
}

/**
 * Erases an actor in one file and replaces the file atomically (temporary file 0600, fsync, rename), keeping its
 * times so retention still counts from the original. Lines another process appended to a plain file while it was
 * rewritten are carried over. Returns the events changed; a file without the actor is not touched.
 */
export async function eraseActorInFile(file: string, gz: boolean, actorId: string, pseudonym: string): Promise<Erased[]> {
  let source;
  try {
    source = await open(file, 'r');
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  try {
    const stored = await source.readFile();
    const { text, erased } = eraseActorInText(gz ? await gunzip(stored) : stored, actorId, pseudonym);
    if (erased.length === 0) return [];
    const times = await source.stat();
    const temp = `${file}.erasing`;
    const out = await open(temp, 'w', 0o600);
    try {
      await out.chmod(0o600);
      await writeAll(out, gz ? await gzip(text) : text);
      await out.sync();
    } finally {
      await out.close();
    }
    await utimes(temp, times.atime, times.mtime);
    await rename(temp, file);
    await syncDir(dirname(file));
    if (!gz) erased.push(...(await carryOver(source, stored.length, file, actorId, pseudonym)));
    return erased;
  } finally {
    await source.close();
  }
}

/** Copies what was appended to the replaced file after it was read (by a writer in another process). */
async function carryOver(replaced: FileHandle, from: number, file: string, actorId: string, pseudonym: string): Promise<Erased[]> {
  const grown = (await replaced.stat()).size - from;
  if (grown <= 0) return [];
  const tail = Buffer.alloc(grown);
  await replaced.read(tail, 0, grown, from);
  const { text, erased } = eraseActorInText(tail, actorId, pseudonym);
  const out = await open(file, 'a', 0o600);
  try {
    await writeAll(out, text);
    await out.datasync();
  } finally {
    await out.close();
  }
  return erased;
}
