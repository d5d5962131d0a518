import { CnmcpError } from '../plugin/errors.js';
import { userinfoOf } from '../secrets/url-userinfo.js';
import { pointerParent } from './json-pointer.js';

/** Values long enough to be a credential and specific enough to mask wherever they appear. */
const MIN_MASKED = 4;

/**
 * The values a config holds that logs, errors and answers must never print: those read through references, those
 * of secret-marked fields (literal or not) and the userinfo of every URL.
 */
export function sensitiveValues(config: Record<string, unknown>, resolved: ReadonlySet<string>, secretFields: ReadonlyMap<string, unknown>): Set<string> {
  const out = new Set(resolved);
  for (const value of secretFields.values()) if (typeof value === 'string' && !value.includes('${secret:')) out.add(value);
  const walk = (node: unknown): void => {
    if (typeof node === 'string') for (const part of userinfoOf(node)) out.add(part);
    else if (node !== null && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(config);
  return new Set([...out].filter((v) => v.length >= MIN_MASKED));
}

/**
 * Config problems name the path and the rule, never the value, where the value is a credential: a problem at a
 * concealed path (a reference, a secret field) loses that value (quoted, however short), and every problem loses
 * every sensitive value.
 */
export function concealValues(
  problems: readonly CnmcpError[],
  config: Record<string, unknown>,
  concealedPaths: ReadonlySet<string>,
  sensitive: ReadonlySet<string>,
): CnmcpError[] {
  return problems.map((problem) => {
    const own = problem.path !== undefined && concealedPaths.has(problem.path) ? valueAt(config, problem.path) : undefined;
    const hidden = [...(own !== undefined ? [JSON.stringify(own), ...(own.length >= 3 ? [own] : [])] : []), ...sensitive]
      .filter((v) => v.length > 0)
      .sort((a, b) => b.length - a.length);
    let message = problem.message;
    for (const value of hidden) if (message.includes(value)) message = message.split(value).join('***');
    if (message === problem.message) return problem;
    return new CnmcpError(problem.code, message, { path: problem.path, plugin: problem.plugin });
  });
}

function valueAt(config: Record<string, unknown>, path: string): string | undefined {
  const at = pointerParent(config, path);
  const value = at?.parent[at.key];
  return typeof value === 'string' ? value : undefined;
}
