// The newest conformance suite line (0.2, the 2026-07-28 revision) and the Node 24 it needs (its CLI requires
// Node >= 22; the project runs on Node 20). The suite is pinned here and installed on first use from the npm registry
// into node_modules/.cache; Node 24 is the pinned, integrity-checked binary every Node 24 test uses
// (scripts/ensure-test-tools.mjs). A fresh clone (CI) gets both with no global install, and later runs reuse them.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureTool } from '../../scripts/ensure-test-tools.mjs';
import type { SuiteCli } from './conformance-runner.js';

export const NEWEST_SUITE_VERSION = '0.2.0-alpha.12';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = join(root, 'node_modules', '.cache', 'cnmcp-conformance-0.2');
const script = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const manifest = `${JSON.stringify(
  { name: 'cnmcp-conformance-0.2', private: true, dependencies: { '@modelcontextprotocol/conformance': NEWEST_SUITE_VERSION } },
  null,
  2,
)}\n`;

/** Installs the pinned suite unless this very version is installed already, and fetches Node 24. */
export async function ensureNewestSuite(): Promise<SuiteCli> {
  const node = ensureTool('node24');
  const installed = existsSync(script) && (await readFile(join(dir, 'package.json'), 'utf8').catch(() => '')) === manifest;
  if (installed) return { node, script };
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), manifest);
  // The CLI's own dependencies want Node >= 22: npm warns (EBADENGINE) under Node 20 and installs them anyway.
  await promisify(execFile)('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: dir,
    timeout: 15 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return { node, script };
}
