// Config files for `cnmcp serve --transport stdio` children spawned from the built CLI.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SleepSettlement } from './e2e-pack.js';

/** The built CLI; `npm test` builds before vitest runs, `npm run build` does it by hand. */
export const CLI_PATH = fileURLToPath(new URL('../../core/dist/cli/main.js', import.meta.url));

export interface StdioConfig {
  readonly path: string;
  /** Removes the config's temporary directory. */
  remove(): void;
}

/**
 * Writes a YAML config selecting `packPath` by absolute path, with the given server limits, logging JSON at
 * info level to stderr (where the pack reports how each sleep ended).
 */
export function writeStdioConfig(packPath: string, server: Readonly<Record<string, number>>): StdioConfig {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` before the e2e tests`);
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-e2e-'));
  const path = join(dir, 'cnmcp.config.yaml');
  const limits = Object.entries(server).map(([key, value]) => `  ${key}: ${value}`);
  // JSON strings are valid YAML scalars, so the path needs no escaping of its own.
  writeFileSync(
    path,
    ['server:', ...limits, 'logging:', '  level: info', '  format: json', 'toolPacks:', `  - use: ${JSON.stringify(packPath)}`, ''].join('\n'),
  );
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The ms argument of each e2e_sleep_ms call whose handler began, from the pack's "e2e_sleep_ms started" records. */
export function sleepsStartedFromLogs(logs: readonly Record<string, unknown>[]): number[] {
  return logs.filter((line) => line.message === 'e2e_sleep_ms started').map((line) => Number(line.ms));
}

/** The pack's "e2e_sleep_ms settled" log records, read back from a child's stderr. */
export function settlementsFromLogs(logs: readonly Record<string, unknown>[]): SleepSettlement[] {
  return logs
    .filter((line) => line.message === 'e2e_sleep_ms settled')
    .map((line) => ({
      requestId: String(line.requestId),
      ms: Number(line.ms),
      completed: line.completed === true,
      aborted: line.aborted === true,
      reason: String(line.reason ?? ''),
    }));
}
