import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson, type Activity } from './api';
import { TimeChart } from './time-chart';

const RANGES = ['15m', '1h', '6h', '24h', '7d'];
const COLORS = { success: '#2e7d32', failure: '#ef6c00', denied: '#c62828', error: '#6a1b9a', auth: '#c62828', lockout: '#37474f', limited: '#1565c0' };

/** Calls by outcome, authentication failures and lockouts, rate-limit refusals, and who and where refusals come from. */
export function ActivityView() {
  const [since, setSince] = useState('1h');
  const [activity, setActivity] = useState<Activity | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    getJson<Activity>('activity', { since })
      .then((a) => live && (setActivity(a), setError(undefined)))
      .catch((e: Error) => live && setError(e.message));
    return () => void (live = false);
  }, [since]);
  const charts = useMemo(() => {
    if (!activity) return undefined;
    const per = activity.bucketMs === 60_000 ? 'per minute' : `per ${activity.bucketMs / 60_000} minutes`;
    return {
      per,
      calls: (['success', 'failure', 'denied', 'error'] as const).map((o) => ({ label: o, values: activity.calls[o], color: COLORS[o] })),
      auth: [
        { label: 'auth failures', values: activity.authFailures, color: COLORS.auth },
        { label: 'lockouts', values: activity.lockouts, color: COLORS.lockout },
      ],
      limited: [{ label: 'rate-limited', values: activity.rateLimited, color: COLORS.limited }],
    };
  }, [activity]);
  return (
    <div class="activity">
      <div class="toolbar">
        Range{' '}
        {RANGES.map((r) => (
          <button type="button" class={r === since ? '' : 'secondary'} onClick={() => setSince(r)} data-testid={`range-${r}`}>
            {r}
          </button>
        ))}
        {activity && (
          <span class="muted">
            {activity.scanned} events read{activity.truncated ? ' (stopped at the scan limit: narrow the range)' : ''}
          </span>
        )}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {activity && charts && (
        <div class="grid">
          <TimeChart title={`Calls ${charts.per}, by outcome`} buckets={activity.buckets} series={charts.calls} testId="chart-calls" />
          <TimeChart title={`Authentication failures and lockouts ${charts.per}`} buckets={activity.buckets} series={charts.auth} testId="chart-auth" />
          <TimeChart title={`Rate-limit refusals ${charts.per}`} buckets={activity.buckets} series={charts.limited} testId="chart-limited" />
          <TopTable title="Most refused identities" rows={activity.topRefusedIdentities} testId="top-identities" />
          <TopTable title="Most refused sources" rows={activity.topRefusedSources} testId="top-sources" />
        </div>
      )}
    </div>
  );
}

function TopTable({ title, rows, testId }: { title: string; rows: readonly (readonly [string, number])[]; testId: string }) {
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <section class="card" data-testid={testId}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p class="empty">No refusal in this range.</p>
      ) : (
        <table>
          <tbody>
            {rows.map(([name, n]) => (
              <tr key={name}>
                <td>{name}</td>
                <td class="num">{n}</td>
                <td class="bar-cell">
                  <meter min={0} max={max} value={n} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
