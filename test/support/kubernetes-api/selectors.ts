// Label and field selectors as the API server parses them (k8s.io/apimachinery/pkg/labels and pkg/fields).
import { badRequest } from './status.js';

type Requirement = (get: (key: string) => string | undefined) => boolean;

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas outside parentheses: `app in (a,b),tier=web` has two requirements. */
function requirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key))
    throw badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.' (in selector "${selector}")`,
    );
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value) || value.length > 63)
    throw badRequest(
      `unable to parse requirement: values[0][${value}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
    );
  return value;
}

export function labelMatcher(selector: string | undefined): (labels: Readonly<Record<string, string>>) => boolean {
  if (selector === undefined || selector.trim() === '') return () => true;
  const reqs: Requirement[] = requirements(selector).map((part) => {
    let m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const key = checkKey(m[1]!, selector);
      const values = m[3]!.split(',').map((v) => checkValue(v.trim()));
      return m[2] === 'in' ? (get) => values.includes(get(key) ?? '\u0000') : (get) => !values.includes(get(key) ?? '\u0000');
    }
    m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(part);
    if (m) {
      const key = checkKey(m[1]!, selector);
      const value = checkValue(m[3]!);
      return m[2] === '!=' ? (get) => get(key) !== value : (get) => get(key) === value;
    }
    m = /^(!?)(\S+)$/.exec(part);
    if (m) {
      const key = checkKey(m[2]!, selector);
      return m[1] === '!' ? (get) => get(key) === undefined : (get) => get(key) !== undefined;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  });
  return (labels) => reqs.every((r) => r((k) => labels[k]));
}

/** Field selectors: `=`, `==`, `!=` on the fields each kind supports; anything else is refused as the server does. */
export function fieldMatcher(selector: string | undefined, supported: readonly string[]): (object: Record<string, unknown>) => boolean {
  if (selector === undefined || selector.trim() === '') return () => true;
  const reqs = selector.split(',').map((part) => {
    const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(part.trim());
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (!supported.includes(field) && field !== 'metadata.name' && field !== 'metadata.namespace') throw badRequest(`field label not supported: ${field}`);
    const value = m[3]!.trim();
    return (object: Record<string, unknown>) => (m[2] === '!=') !== (String(pathValue(object, field) ?? '') === value);
  });
  return (object) => reqs.every((r) => r(object));
}

function pathValue(object: unknown, path: string): unknown {
  let current = object;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
