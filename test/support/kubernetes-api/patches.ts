// The patch types the API server accepts on PATCH, applied to plain JSON objects.
import { badRequest, failure } from './status.js';

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch (`application/merge-patch+json`). */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) for the fields this fixture holds: lists of
 * objects with a `name` (containers, env, ports, volumes) merge by name as their `patchMergeKey` says; other lists
 * are replaced; `$patch: delete` in a list item removes it.
 */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const current = result[key];
    if (value === null) delete result[key];
    else if (Array.isArray(value) && Array.isArray(current) && value.every((v) => isObject(v) && typeof v.name === 'string')) {
      const merged = current.map((item) => item);
      for (const item of value as Record<string, Json>[]) {
        const at = merged.findIndex((c) => isObject(c) && c.name === item.name);
        if (item.$patch === 'delete') {
          if (at >= 0) merged.splice(at, 1);
        } else if (at >= 0) merged[at] = strategicMergePatch(merged[at], item);
        else merged.push(item);
      }
      result[key] = merged;
    } else result[key] = strategicMergePatch(current, value);
  }
  return result;
}

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** RFC 6902 JSON patch (`application/json-patch+json`): add, remove, replace, test. */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = structuredClone(target);
  for (const op of operations as Record<string, Json>[]) {
    const path = String(op.path ?? '');
    const tokens = path.split('/').slice(1).map(unescape);
    const last = tokens.pop();
    let parent: Json = doc;
    for (const t of tokens) parent = Array.isArray(parent) ? parent[Number(t)] : isObject(parent) ? parent[t] : undefined;
    if (last === undefined) {
      if (op.op === 'replace' || op.op === 'add') doc = op.value;
      continue;
    }
    if (!isObject(parent) && !Array.isArray(parent))
      throw failure(422, 'Invalid', `the server rejected our request due to an error in our request: doc is missing path: "${path}"`);
    const container = parent as Record<string, Json>;
    const list = parent as Json[];
    switch (op.op) {
      case 'add':
        if (Array.isArray(list)) list.splice(last === '-' ? list.length : Number(last), 0, op.value);
        else container[last] = op.value;
        break;
      case 'replace':
        if (!(last in container))
          throw failure(
            422,
            'Invalid',
            `the server rejected our request due to an error in our request: replace operation does not apply: doc is missing key: ${path}`,
          );
        container[last] = op.value;
        break;
      case 'remove':
        if (!(last in container))
          throw failure(
            422,
            'Invalid',
            `the server rejected our request due to an error in our request: remove operation does not apply: doc is missing path: "${path}"`,
          );
        if (Array.isArray(list)) list.splice(Number(last), 1);
        else delete container[last];
        break;
      case 'test':
        if (JSON.stringify(container[last]) !== JSON.stringify(op.value))
          throw failure(422, 'Invalid', `the server rejected our request due to an error in our request: testing value ${path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}
