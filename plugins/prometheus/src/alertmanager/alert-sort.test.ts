import { describe, expect, it } from 'vitest';
import { sortAlerts } from './alert-sort.js';
import type { AmAlert } from './am-types.js';

const alert = (fingerprint: string, severity: string | undefined, startsAt: string): AmAlert => ({
  fingerprint,
  labels: { alertname: fingerprint, ...(severity ? { severity } : {}) },
  annotations: {},
  startsAt,
  endsAt: startsAt,
  status: { state: 'active', silencedBy: [], inhibitedBy: [] },
  receivers: [],
});

const alerts = [
  alert('f1', 'info', '2026-01-01T00:00:03Z'),
  alert('f2', undefined, '2026-01-01T00:00:01Z'),
  alert('f3', 'CRITICAL', '2026-01-01T00:00:02Z'),
  alert('f4', 'warning', '2026-01-01T00:00:05Z'),
  alert('f0', 'critical', '2026-01-01T00:00:04Z'),
];
const order = (key: Parameters<typeof sortAlerts>[1]) => sortAlerts(alerts, key).map((a) => a.fingerprint);

describe('sortAlerts', () => {
  it('ranks critical > warning > info > other (case-insensitively), ties by fingerprint', () => {
    expect(order('severity')).toEqual(['f0', 'f3', 'f4', 'f1', 'f2']);
    expect(order('severity_desc')).toEqual(['f2', 'f1', 'f4', 'f0', 'f3']);
  });

  it('orders by time and fingerprint both ways', () => {
    expect(order('startsAt')).toEqual(['f2', 'f3', 'f1', 'f0', 'f4']);
    expect(order('startsAt_desc')).toEqual(['f4', 'f0', 'f1', 'f3', 'f2']);
    expect(order('fingerprint')).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(order('fingerprint_desc')).toEqual(['f4', 'f3', 'f2', 'f1', 'f0']);
  });
});
