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
 * (`x-cnmcp-sanitize`, default `filter`). Returns a new argument object; the caller's is never changed.
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
      if (Array.isArray(value)) return value.map((item, i) => walk(item, node?.items as Record<string, unknown> | undefined, `${path}/${i}`));
      if (value !== null && typeof value === 'object') {
        const properties = (node?.properties ?? {}) as Record<string, Record<string, unknown>>;
        const extra = typeof node?.additionalProperties === 'object' ? (node.additionalProperties as Record<string, unknown>) : undefined;
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, properties[k] ?? extra, `${path}/${escapePointer(k)}`)]));
      }
      return value;
    };
    const out = walk(args, schema, '') as Record<string, unknown>;
    if (rejected !== undefined)
      return stop('INPUT_REJECTED', `input rejected for tool ${tool}: ${rejected.path}: ${rejected.reason}`, { details: { field: rejected.path } });
    return { continue: true, value: { args: out, changed } };
  };
}
