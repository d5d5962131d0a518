import type { AmAlert } from './am-types.js';

export const SORT_KEYS = ['severity', 'severity_desc', 'startsAt', 'startsAt_desc', 'endsAt', 'endsAt_desc', 'fingerprint', 'fingerprint_desc'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const SEVERITY_RANK: Readonly<Record<string, number>> = { critical: 0, warning: 1, info: 2 };

/** 0 for critical, 1 warning, 2 info, 3 anything else (or no severity label). */
export const severityRank = (alert: AmAlert): number => SEVERITY_RANK[(alert.labels.severity ?? '').toLowerCase()] ?? 3;

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders alerts. `severity` puts the most severe first (critical, warning, info, other) and `severity_desc` the
 * reverse; times sort oldest first unless `_desc`. Ties fall back to the fingerprint so pages are stable.
 */
export function sortAlerts(alerts: readonly AmAlert[], key: SortKey): AmAlert[] {
  const descending = key.endsWith('_desc');
  const field = key.replace(/_desc$/, '') as 'severity' | 'startsAt' | 'endsAt' | 'fingerprint';
  const primary = (a: AmAlert, b: AmAlert): number => {
    if (field === 'severity') return severityRank(a) - severityRank(b);
    if (field === 'fingerprint') return byString(a.fingerprint, b.fingerprint);
    return Date.parse(a[field]) - Date.parse(b[field]);
  };
  return [...alerts].sort((a, b) => (descending ? -primary(a, b) : primary(a, b)) || byString(a.fingerprint, b.fingerprint));
}
