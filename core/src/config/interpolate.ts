import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { CnmcpError } from '../plugin/errors.js';
import { escapePointer, pointerParent } from './json-pointer.js';

const REFERENCE = /\$\{(env|file|secret):([^}]*)\}/g;
export const SECRET_REFERENCE = /\$\{secret:([^}]*)\}/g;

export interface InterpolationResult {
  readonly value: Record<string, unknown>;
  /** JSON pointers of values built from references: `config print` masks them. */
  readonly referencePaths: ReadonlySet<string>;
  /** Resolved values long enough to be credentials: logs and errors never print them. */
  readonly resolvedValues: ReadonlySet<string>;
  /** `${secret:NAME}` references, resolved later through the configured secret store. */
  readonly secretPaths: ReadonlySet<string>;
  readonly problems: readonly CnmcpError[];
}

/**
 * Resolves `${env:NAME}` (or `${env:NAME:-fallback}`) and `${file:PATH}` in every string of the config.
 * An unset variable or unreadable file is a problem naming the key, never a silent literal.
 * `${secret:NAME}` is left in place and reported in `secretPaths` for the kernel to resolve once the store is up.
 */
export function interpolate(config: Record<string, unknown>, baseDir: string, env: NodeJS.ProcessEnv = process.env): InterpolationResult {
  const referencePaths = new Set<string>();
  const resolvedValues = new Set<string>();
  const secretPaths = new Set<string>();
  const problems: CnmcpError[] = [];

  const resolveString = (text: string, path: string): string => {
    if (!text.includes('${')) return text;
    return text.replace(REFERENCE, (whole, scheme: string, ref: string) => {
      referencePaths.add(path);
      if (scheme === 'secret') {
        secretPaths.add(path);
        return whole;
      }
      const value = scheme === 'env' ? fromEnv(ref, env, path, problems) : fromFile(ref, baseDir, path, problems);
      if (value !== undefined && value.length >= 8) resolvedValues.add(value);
      return value ?? '';
    });
  };

  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') return resolveString(node, path);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}/${i}`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, `${path}/${escapePointer(k)}`)]));
    }
    return node;
  };

  const value = walk(config, '') as Record<string, unknown>;
  return { value, referencePaths, resolvedValues, secretPaths, problems };
}

function fromEnv(ref: string, env: NodeJS.ProcessEnv, path: string, problems: CnmcpError[]): string | undefined {
  const [name = '', fallback] = ref.split(':-', 2);
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  problems.push(
    new CnmcpError('CONFIG_ENV_UNSET', `environment variable ${name} is not set (referenced as \${env:${name}}); set it or use \${env:${name}:-default}`, {
      path,
    }),
  );
  return undefined;
}

function fromFile(ref: string, baseDir: string, path: string, problems: CnmcpError[]): string | undefined {
  const file = isAbsolute(ref) ? ref : resolve(baseDir, ref);
  try {
    // A trailing newline is an artefact of editors and `echo`, never part of a credential.
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push(new CnmcpError('CONFIG_FILE_UNREADABLE', `cannot read ${file} (${reason}) referenced as \${file:${ref}}`, { path }));
    return undefined;
  }
}

/**
 * Resolves the `${secret:NAME}` references at `secretPaths` once the secret store is set up: the resolved string of
 * each path, by JSON pointer. `config` is only read: resolved secrets live beside the loaded config, never in it.
 */
export async function resolveSecretReferences(
  config: Readonly<Record<string, unknown>>,
  secretPaths: ReadonlySet<string>,
  read: (name: string) => Promise<string>,
): Promise<{ values: Map<string, string>; problems: CnmcpError[] }> {
  const problems: CnmcpError[] = [];
  const resolved = new Map<string, string>();
  for (const path of secretPaths) {
    const at = pointerParent(config as Record<string, unknown>, path);
    if (!at || typeof at.parent[at.key] !== 'string') continue;
    const text = at.parent[at.key] as string;
    const values = new Map<string, string>();
    for (const [, name = ''] of text.matchAll(SECRET_REFERENCE)) {
      if (values.has(name)) continue;
      try {
        values.set(name, await read(name));
      } catch (error) {
        problems.push(new CnmcpError('CONFIG_SECRET_UNAVAILABLE', `secret "${name}" could not be read: ${(error as Error).message}`, { path }));
      }
    }
    // A function replacement: a value is inserted as it is, never read as a pattern (`$&`, `$'`, `$$`), and one
    // pass means a value that itself contains `${secret:...}` is never resolved again.
    resolved.set(
      path,
      text.replace(SECRET_REFERENCE, (whole, name: string) => values.get(name) ?? whole),
    );
  }
  return { values: resolved, problems };
}
