import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CnmcpError } from '../plugin/errors.js';

/**
 * The console's one policy: its own scripts, styles and images only, data only from this origin; no inline
 * script, no eval, no third-party origin, no framing, no form posts.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface ConsoleAsset {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * Where the build (core/scripts/build-console.mjs) puts the bundle: dist/console beside dist/bundle. Tests run this
 * module from core/src/admin, and find the same built files under core/dist.
 */
export function defaultConsoleDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return join(here, here.replace(/\\/g, '/').endsWith('/src/admin/') ? '../../dist/console' : '../console');
}

/** Reads the built console once, at startup: `index.html` plus the flat files beside it. */
export function loadConsoleAssets(dir = defaultConsoleDir()): ReadonlyMap<string, ConsoleAsset> {
  if (!existsSync(join(dir, 'index.html')))
    throw new CnmcpError('CONFIG_INVALID', `admin.console.enabled is true but the console is not built (no ${join(dir, 'index.html')}): run npm run build`, {
      path: '/admin/console/enabled',
    });
  const assets = new Map<string, ConsoleAsset>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, { body: readFileSync(join(dir, name)), type });
  }
  return assets;
}
