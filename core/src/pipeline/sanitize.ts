import type { SanitizePolicy, Sanitizer } from '../plugin/ports/sanitizer.js';
import type { JsonSchemaObject } from '../plugin/ports/tool-pack.js';
import { escapePointer } from '../config/json-pointer.js';
import { stop, type Verdict } from './verdict.js';

export type SanitizeStage = (
  tool: string,
  schema: JsonSchemaObject,
  args: Record<string, unknown>,
) => Verdict<{ args: Record<string, unknown>; changed: string[] }>;

const POLICY_KEYWORD = 'x-cnmcp-sanitize';

/**
 * Runs the sanitizer over every string in validated arguments, with the policy the schema gives the field
 * (`x-cnmcp-sanitize`, default `filter`). Returns the same object when nothing changed, else a new one; the caller's is never changed.
 */
export function compileSanitize(sanitizer: Sanitizer | undefined): SanitizeStage | undefined {
  if (!sanitizer) return undefined;
  return (tool, schema, args) => {
    const changed: string[] = [];
    let rejected: { path: string; reason: string } | undefined;
    const walk = (value: unknown, node: Record<string, unknown> | undefined, path: string): unknown => {
      if (rejected !== undefined) return value;
      if (typeof value === 'string') {
        const policy = (node?.[POLICY_KEYWORD] as SanitizePolicy | undefined) ?? 'filter';
        const outcome = sanitizer.sanitize(value, policy, path || '/', tool);
        if ('reject' in outcome) {
          rejected = { path: path || '/', reason: outcome.reject };
          return value;
        }
        if (outcome.value !== value) changed.push(path || '/');
        return outcome.value;
      }
      // Copy on write: an array or object is rebuilt only when something inside it changed.
      if (Array.isArray(value)) {
        let out: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const item = walk(value[i], node?.items as Record<string, unknown> | undefined, `${path}/${i}`);
          if (item !== value[i]) (out ??= [...value])[i] = item;
        }
        return out ?? value;
      }
      if (value !== null && typeof value === 'object') {
        const properties = (node?.properties ?? {}) as Record<string, Record<string, unknown>>;
        const extra = typeof node?.additionalProperties === 'object' ? (node.additionalProperties as Record<string, unknown>) : undefined;
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record);
        let values: unknown[] | undefined;
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          const item = walk(record[k], properties[k] ?? extra, `${path}/${escapePointer(k)}`);
          if (item !== record[k]) (values ??= keys.map((key) => record[key]))[i] = item;
        }
        // fromEntries defines own properties, so a `__proto__` argument stays data, never a prototype.
        return values ? Object.fromEntries(keys.map((k, i) => [k, values[i]])) : value;
      }
      return value;
    };
    const out = walk(args, schema, '') as Record<string, unknown>;
    if (rejected !== undefined)
      return stop('INPUT_REJECTED', `input rejected for tool ${tool}: ${rejected.path}: ${rejected.reason}`, { details: { field: rejected.path } });
    return { continue: true, value: { args: out, changed } };
  };
}
