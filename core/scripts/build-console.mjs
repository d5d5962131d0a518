// Bundles the admin console (console/) into dist/console: one script, one style sheet, the page and its icon.
// Everything the browser loads comes from the package itself: no CDN, no inline script (the CSP forbids both).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const core = fileURLToPath(new URL('..', import.meta.url));
const out = `${core}dist/console`;
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: { console: `${core}console/src/main.tsx` },
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  logLevel: 'warning',
});
for (const file of ['index.html', 'favicon.svg']) await copyFile(`${core}console/${file}`, `${out}/${file}`);
