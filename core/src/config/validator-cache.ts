import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);
// Anything that changes the generated code changes the key: ajv, its formats, and our options (bump FORMAT).
const FORMAT = 1;
const VERSIONS = `${FORMAT}/${(require('ajv/package.json') as { version: string }).version}/${(require('ajv-formats/package.json') as { version: string }).version}`;
/** At most this many validators stay in the cache directory; the oldest go first. */
const KEEP = 16;

/**
 * A validator for `schema` as ajv standalone code saved in `dir`: compiling the composed config schema and the
 * 2020-12 meta-schema is most of ajv's share of start-up, and a server restarts (a stdio server: once per client
 * session) with the same schema. Without `dir`, or when the directory cannot be used, it compiles as before.
 * Only files owned by this user and not writable by others, in such a directory, are loaded: they are code.
 */
export function cachedValidator(
  name: string,
  schema: object,
  dir: string | undefined,
  compile: (ajvOptions: { source: boolean }) => { ajv: Ajv2020; validate: ValidateFunction },
): ValidateFunction {
  if (dir === undefined || typeof process.getuid !== 'function') return compile({ source: false }).validate;
  const key = createHash('sha256').update(VERSIONS).update('\0').update(JSON.stringify(schema)).digest('base64url').slice(0, 32);
  const file = join(dir, `${name}-${key}.cjs`);
  const cached = load(dir, file);
  if (cached) return cached;
  const { ajv, validate } = compile({ source: true });
  save(dir, file, () => standaloneCode(ajv, validate));
  return validate;
}

/**
 * Validators for several schemas (a catalog's tool input schemas) kept together in one file, all or none: the same
 * rules as {@link cachedValidator}. `compile` compiles every schema (and throws as it would without a cache); a file
 * is saved only when all compiled, so a schema loaded from it has compiled before, under the same versions.
 */
export function cachedValidators(
  name: string,
  schemas: readonly object[],
  dir: string | undefined,
  compile: (ajvOptions: { source: boolean }) => { ajv: Ajv2020; validates: readonly ValidateFunction[] },
): readonly ValidateFunction[] {
  if (dir === undefined || typeof process.getuid !== 'function' || schemas.length === 0) return compile({ source: false }).validates;
  const key = createHash('sha256').update(VERSIONS).update('\0').update(JSON.stringify(schemas)).digest('base64url').slice(0, 32);
  const file = join(dir, `${name}-${key}.cjs`);
  const cached = loadModule(dir, file)?.validators;
  if (Array.isArray(cached) && cached.length === schemas.length && cached.every((v) => typeof v === 'function')) return cached as ValidateFunction[];
  const { ajv, validates } = compile({ source: true });
  // Each validator's module is wrapped in a function of its own: their names would clash at the top level.
  const one = (validate: ValidateFunction) =>
    `(function () { const module = { exports: {} }; ${standaloneCode(ajv, validate)}\nreturn module.exports.default; })()`;
  save(dir, file, () => `"use strict";\nmodule.exports.validators = [\n${validates.map(one).join(',\n')}\n];\n`);
  return validates;
}

function load(dir: string, file: string): ValidateFunction | undefined {
  const exported = loadModule(dir, file)?.default;
  return typeof exported === 'function' ? (exported as ValidateFunction) : undefined;
}

function loadModule(dir: string, file: string): Record<string, unknown> | undefined {
  if (!privateDir(dir)) return undefined;
  const code = readPrivateFile(file)?.toString('utf8');
  if (code === undefined) return undefined;
  try {
    // The code ajv generated, run as ajv runs it (a function of require, module and exports); its requires resolve
    // ajv's runtime helpers from here. Compiled with V8's code cache of an earlier start when there is one.
    const digest = createHash('sha256').update(code).digest();
    const codeCache = codeCacheOf(readPrivateFile(`${file}.v8`), digest);
    const script = new Script(`(function (require, module, exports) {${code}\n})`, { filename: file, ...(codeCache ? { cachedData: codeCache } : {}) });
    const module = { exports: {} as Record<string, unknown> };
    (script.runInThisContext() as (r: NodeJS.Require, m: typeof module, e: object) => void)(require, module, module.exports);
    // Made once the validator has run (the config's runs right after it loads): V8 compiles a function on its first
    // call, and the cache then holds that too. Half of loading and first running the config's validator.
    if (!codeCache || script.cachedDataRejected) setImmediate(() => save(dir, `${file}.v8`, () => Buffer.concat([digest, script.createCachedData()])));
    return module.exports;
  } catch {
    return undefined;
  }
}

/**
 * V8's code cache of a validator file, saved after the file's sha256: V8 checks only the source's length, so a
 * cache is used only with the very code it was made from. Undefined when absent or made from other code.
 */
function codeCacheOf(saved: Buffer | undefined, digest: Buffer): Buffer | undefined {
  if (saved === undefined || saved.length <= digest.length || !saved.subarray(0, digest.length).equals(digest)) return undefined;
  return saved.subarray(digest.length);
}

function privateDir(dir: string): boolean {
  try {
    return ownedAndPrivate(statSync(dir));
  } catch {
    return false;
  }
}

/** A regular file of this user's that others cannot write, opened without following a link; else undefined. */
function readPrivateFile(file: string): Buffer | undefined {
  let fd: number;
  try {
    // Not through a symbolic link: it could point at any file of this user's.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    return stats.isFile() && ownedAndPrivate(stats) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function save(dir: string, file: string, code: () => string | Buffer): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedAndPrivate(statSync(dir))) return;
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, code(), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
    prune(dir);
  } catch {
    // A read-only or foreign cache directory only costs the compile it would have saved.
  }
}

function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.cjs'))
    .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of entries.slice(KEEP)) {
    unlinkSync(path);
    rmSync(`${path}.v8`, { force: true });
  }
}

// Required when saving only; its CommonJS default export is the function.
const standaloneCode = (ajv: Ajv2020, validate: ValidateFunction): string =>
  (require('ajv/dist/standalone/index.js') as { default: (ajv: Ajv2020, validate: ValidateFunction) => string }).default(ajv, validate);

const ownedAndPrivate = (stats: { uid: number; mode: number }) => stats.uid === process.getuid!() && (stats.mode & 0o022) === 0;
