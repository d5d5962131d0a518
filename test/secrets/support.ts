import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A directory with a file-store config the server (in-process) and the CLI (a child process) both use. */
export function fileStoreSetup(extra: Record<string, unknown> = {}): {
  dir: string;
  configFile: string;
  config: Record<string, unknown>;
  env: Record<string, string>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-secrets-e2e-'));
  const env = { CNMCP_MASTER_KEY: randomBytes(32).toString('base64') };
  const config = {
    secrets: { use: 'file', path: join(dir, 'secrets.json'), masterKey: '${env:CNMCP_MASTER_KEY}', pollIntervalMs: 100 },
    // These tests present old keys on purpose; the brute-force lockout must not turn those 401s into 429s.
    limits: { authFailures: { attempts: 1000, windowSeconds: 60, lockoutSeconds: 1 } },
    ...extra,
  };
  const configFile = join(dir, 'cnmcp.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  return { dir, configFile, config, env };
}

/** The value a `generate` or `rotate` printed: alone on the last line of stdout. */
export const lastLine = (stdout: string) => stdout.trimEnd().split('\n').at(-1) ?? '';

/** POSTs tools/list with the given headers and returns the HTTP status. */
export async function listStatus(url: URL, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Polls `check` until it is true (the server notices a file change within its poll interval). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
