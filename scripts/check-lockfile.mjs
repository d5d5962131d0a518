// `npm run lint:lockfile`: the lockfile names only what `npm ci` may download. lockfile-lint checks that every resolved
// URL is https on registry.npmjs.org under the package's own name, with a sha512 integrity where one is given. This
// script also requires a sha512 integrity on every downloaded package, since lockfile-lint lets a missing one pass and
// this lockfile records no registry URLs at all (npm's omit-lockfile-registry-resolved: such packages come from the
// configured registry, so only git, tarball-URL and other-host dependencies keep a `resolved`, which lockfile-lint
// refuses).
//   node scripts/check-lockfile.mjs [package-lock.json]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const lockfile = process.argv[2] ?? 'package-lock.json';
const cli = createRequire(import.meta.url).resolve('lockfile-lint/bin/lockfile-lint.js');
const flags = ['--type', 'npm', '--allowed-hosts', 'npm', '--validate-https', '--validate-integrity', '--validate-package-names'];
const lint = spawnSync(process.execPath, [cli, '--path', lockfile, ...flags], { stdio: 'inherit' });
if (lint.status !== 0) process.exit(lint.status ?? 1);

// Entries that npm downloads: every installed package that is neither a link (a workspace) nor bundled inside another.
const { packages = {} } = JSON.parse(readFileSync(lockfile, 'utf8'));
const missing = Object.entries(packages)
  .filter(([path, entry]) => path.includes('node_modules/') && !entry.link && !entry.inBundle)
  .filter(([, entry]) => !/^sha512-[A-Za-z0-9+/]{86}==$/.test(entry.integrity ?? ''))
  .map(([path]) => path);
if (missing.length > 0) {
  console.error(`${lockfile}: ${missing.length} package(s) without a sha512 integrity:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
