// The lockfile check `npm test` runs first (`npm run lint:lockfile`: scripts/check-lockfile.mjs, lockfile-lint and a
// sha512 integrity on every package): nothing is downloaded from another host, over http, under another name, or
// without an integrity hash. Run on the real lockfile, and on copies tampered the ways a supply-chain attack or a
// careless install would tamper them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cnmcp-lockfile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The check exactly as package.json's lint:lockfile script runs it, on the given lockfile. */
async function lint(lockfile: string): Promise<{ code: number; output: string }> {
  const script = (JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts['lint:lockfile']!;
  expect(script).toBe('node scripts/check-lockfile.mjs package-lock.json');
  return run(process.execPath, [`${repo}scripts/check-lockfile.mjs`, lockfile], { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }).then(
    (r) => ({ code: 0, output: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, output: (e.stdout ?? '') + (e.stderr ?? '') }),
  );
}

const pkg = (name: string, version: string) => ({
  version,
  resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
  integrity: 'sha512-' + Buffer.alloc(64, 7).toString('base64'),
});
/** A small lockfile (v3, as npm 11 writes) with a workspace link, a registry package with its URL and one without
 * (as npm writes with omit-lockfile-registry-resolved, like this repository's), then `change` applied. */
function lockfile(change: (packages: Record<string, Record<string, unknown>>) => void): string {
  const packages: Record<string, Record<string, unknown>> = {
    '': { name: 'demo', workspaces: ['core'] },
    core: { name: '@demo/core', version: '1.0.0' },
    'node_modules/@demo/core': { resolved: 'core', link: true },
    'node_modules/winston': pkg('winston', '3.19.0'),
    'node_modules/@opentelemetry/api': { version: '1.9.0', integrity: pkg('@opentelemetry/api', '1.9.0').integrity },
  };
  change(packages);
  const file = join(mkdtempSync(join(work, 'lock-')), 'package-lock.json');
  writeFileSync(file, JSON.stringify({ name: 'demo', lockfileVersion: 3, requires: true, packages }));
  return file;
}

describe('lockfile check (lockfile-lint)', () => {
  it("passes this repository's package-lock.json, and a clean lockfile with a workspace link", async () => {
    expect(await lint(`${repo}package-lock.json`)).toMatchObject({ code: 0, output: expect.stringContaining('No issues detected') });
    expect((await lint(lockfile(() => {}))).code).toBe(0);
  });

  it('refuses a package from another host, over http, without an integrity hash, or under another name', async () => {
    const refused = async (change: (p: Record<string, Record<string, unknown>>) => void, message: RegExp) => {
      const { code, output } = await lint(lockfile(change));
      expect(code, output).not.toBe(0);
      expect(output).toMatch(message);
    };
    await refused(
      (p) => (p['node_modules/winston']!.resolved = 'https://evil.example.com/winston/-/winston-3.19.0.tgz'),
      /detected invalid host\(s\) for package: winston@/,
    );
    await refused(
      (p) => (p['node_modules/winston']!.resolved = 'http://registry.npmjs.org/winston/-/winston-3.19.0.tgz'),
      /detected invalid protocol for package: winston@/,
    );
    await refused(
      (p) => delete p['node_modules/@opentelemetry/api']!.integrity,
      /1 package\(s\) without a sha512 integrity:\n {2}node_modules\/@opentelemetry\/api/,
    );
    await refused((p) => (p['node_modules/winston']!.integrity = 'sha1-2jmDd7SYzJ1g0zFeHUb7Xh7ftm0='), /integrity/);
    await refused((p) => (p['node_modules/winston']!.resolved = 'git+ssh://git@github.com/winstonjs/winston.git#abc'), /winston/);
    await refused(
      (p) => (p['node_modules/winston']!.resolved = 'https://registry.npmjs.org/winstom/-/winstom-3.19.0.tgz'),
      /detected resolved URL for package with a different name: winston/,
    );
  });
});
