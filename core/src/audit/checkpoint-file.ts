import { open, readFile } from 'node:fs/promises';
import type { ChainKeyring } from './chain-key.js';
import { checkpointValid, type Checkpoint } from './checkpoint.js';

/**
 * Appends one checkpoint line to the state file (created 0600) and syncs it. Lines are far below PIPE_BUF, so
 * replicas sharing one file never interleave.
 */
export async function appendCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(`${JSON.stringify(checkpoint)}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

export interface CheckpointsRead {
  /** The newest valid checkpoint of each chain (highest seq). */
  readonly latest: ReadonlyMap<string, Checkpoint>;
  /** Line numbers (from 1) that do not parse or whose signature does not verify. */
  readonly forged: readonly number[];
}

/** Reads a checkpoint file; a missing file reads as no checkpoints (the caller decides whether that is expected). */
export async function readCheckpoints(path: string, keys: ChainKeyring): Promise<CheckpointsRead & { readonly found: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { latest: new Map(), forged: [], found: false };
    throw error;
  }
  const latest = new Map<string, Checkpoint>();
  const forged: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!checkpointValid(value, keys)) return void forged.push(index + 1);
    const known = latest.get(value.chain);
    if (!known || value.seq >= known.seq) latest.set(value.chain, value);
  });
  return { latest, forged, found: true };
}
