// The pieces every server-side printer shares: the column shape, the metadata columns, and the formatting helpers of
// the upstream printers (k8s.io/apimachinery duration.HumanDuration, label selector strings, access-mode letters).
import type { KubeObject } from './fixture-store.js';

export interface Column {
  readonly name: string;
  readonly type: string;
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

/** A kind's columns and how one object fills them (always the wide set: the server prints with Wide=true). */
export interface Printer {
  readonly columns: readonly Column[];
  cells(o: KubeObject, now: number): unknown[];
}

export const col = (name: string, type: string, description: string, priority = 0, format = ''): Column => ({ name, type, format, description, priority });

export const NAME = col(
  'Name',
  'string',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  0,
  'name',
);
const CREATED =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';
export const AGE = col('Age', 'string', CREATED);
/** The apiserver's default table (kinds without a printer: Roles, ClusterRoles, ...). */
export const CREATED_AT = col('Created At', 'date', CREATED);
export const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', 1);
export const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', 1);

export const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), o);

/** duration.HumanDuration: what `kubectl get` prints in Age and Last Seen ("45s", "5m12s", "3h20m", "11d"). */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

/** translateTimestampSince: the age of a timestamp at the fixture's clock, `<unknown>` when there is none. */
export const since = (timestamp: unknown, now: number): string =>
  typeof timestamp === 'string' && timestamp !== '' ? humanDuration(now - Date.parse(timestamp)) : '<unknown>';

export const age = (o: KubeObject, now: number): string => since(o.metadata.creationTimestamp, now);

/** labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries((labels ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.FormatLabelSelector: the selector as a string, `<none>` when it selects by nothing. */
export function formatSelector(selector: unknown): string {
  const s = (selector ?? {}) as LabelSelector;
  const parts = [
    ...Object.entries(s.matchLabels ?? {}).map(([k, v]) => ({ key: k, text: `${k}=${v}` })),
    ...(s.matchExpressions ?? []).map((e) => {
      const values = [...(e.values ?? [])].sort().join(',');
      const text =
        e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
      return { key: e.key, text };
    }),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return parts.length === 0 ? '<none>' : parts.map((p) => p.text).join(',');
}

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in this order, whatever the order given. */
export function accessModes(modes: unknown): string {
  const given = (modes ?? []) as string[];
  const letters: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return letters
    .filter(([mode]) => given.includes(mode))
    .map(([, short]) => short)
    .join(',');
}

/** layoutContainerCells: names and images of a pod template's containers, comma-joined. */
export function containerCells(containers: unknown): [string, string] {
  const list = (containers ?? []) as { name: string; image: string }[];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image).join(',')];
}
