// Every alertmanager tool called through the SDK client over HTTP, with API keys and rbac on, against a real
// Alertmanager started for this file; the test posts the alerts itself, then lists, sorts, groups and silences them.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTMANAGER_RECEIVERS, startAlertmanager, type TestAlertmanager } from '../../../test/support/alertmanager-server.js';
import { eventually } from '../../../test/support/spawned-server.js';
import { call, rpcError, startPackKernel, type PackKernel } from './testing/pack-kernel.js';

let am: TestAlertmanager;
let kernel: PackKernel;
let admin: Client;

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const hoursAhead = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

// Five alerts: every severity rank, start and end times in different orders, two sharing an alertname.
const POSTED: Parameters<TestAlertmanager['postAlerts']>[0] = [
  {
    labels: { alertname: 'DiskFull', severity: 'warning', instance: 'db-1' },
    annotations: { summary: 'disk 95% full' },
    startsAt: minutesAgo(30),
    endsAt: hoursAhead(3),
  },
  {
    labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db-2' },
    annotations: { summary: 'disk 99% full' },
    startsAt: minutesAgo(10),
    endsAt: hoursAhead(1),
  },
  { labels: { alertname: 'HighLatency', severity: 'info', service: 'api' }, startsAt: minutesAgo(50), endsAt: hoursAhead(5) },
  { labels: { alertname: 'CertExpiry', severity: 'page-me', service: 'edge' }, startsAt: minutesAgo(20), endsAt: hoursAhead(2) },
  { labels: { alertname: 'NodeDown', severity: 'critical', instance: 'node-7' }, startsAt: minutesAgo(40), endsAt: hoursAhead(4) },
];

type Alert = {
  alertname: string;
  severity: string;
  fingerprint: string;
  startsAt: string;
  endsAt: string;
  state: string;
  receivers: string[];
  silencedBy: string[];
};
const alertsOf = (r: { data: Record<string, unknown> }) => r.data.alerts as Alert[];

beforeAll(async () => {
  am = await startAlertmanager();
  await am.postAlerts(POSTED);
  // The injection filter in reject mode: regex matchers (a pattern language, like PromQL) pass unchanged, plain values are filtered.
  kernel = await startPackKernel([{ use: 'alertmanager', backend: { url: am.url }, limits: { default: 3, max: 50 }, silences: { maxDuration: '1d' } }], {
    sanitize: { use: 'injection-filter', mode: 'reject' },
  });
  admin = await kernel.connect('admin');
  // Alertmanager routes posted alerts asynchronously: wait until all five are processed and grouped.
  await eventually('Alertmanager to group the posted alerts', async () => {
    const groups = await call(admin, 'alertmanager_list_alert_groups', { limit: 50 });
    return (groups.data.groups as { alertCount: number }[] | undefined)?.reduce((n, g) => n + g.alertCount, 0) === POSTED.length ? true : undefined;
  });
}, 120_000);

afterAll(async () => {
  await kernel?.close();
  await am?.stop();
});

describe('alertmanager pack against a real Alertmanager', () => {
  it('lists seven tools; only silence create and expire are destructive', async () => {
    const tools = (await admin.listTools()).tools.filter((t) => t.name.startsWith('alertmanager_'));
    const destructive = tools.filter((t) => t.annotations?.destructiveHint === true).map((t) => t.name);
    expect(tools).toHaveLength(7);
    expect(destructive.sort()).toEqual(['alertmanager_create_silence', 'alertmanager_expire_silence']);
    for (const tool of tools.filter((t) => !destructive.includes(t.name))) expect(tool.annotations?.readOnlyHint).toBe(true);
  });

  it('alertmanager_list_alerts sorts by severity: critical, warning, info, then others', async () => {
    const result = await call(admin, 'alertmanager_list_alerts', { limit: 50 });
    expect(result.data).toMatchObject({ sortBy: 'severity', total: 5, truncated: false });
    const alerts = alertsOf(result);
    expect(alerts.map((a) => a.severity)).toEqual(['critical', 'critical', 'warning', 'info', 'page-me']);
    // Ties are ordered by fingerprint, so pages are stable.
    expect(alerts[0]!.fingerprint < alerts[1]!.fingerprint).toBe(true);
    expect(alerts.find((a) => a.alertname === 'NodeDown')?.receivers).toEqual(['pager']);
    expect(alerts.find((a) => a.alertname === 'HighLatency')?.receivers).toEqual(['default']);

    const reversed = await call(admin, 'alertmanager_list_alerts', { sortBy: 'severity_desc', limit: 50 });
    expect(alertsOf(reversed).map((a) => a.severity)).toEqual(['page-me', 'info', 'warning', 'critical', 'critical']);
  });

  it.each([
    ['startsAt', ['HighLatency', 'NodeDown', 'DiskFull', 'CertExpiry', 'DiskFull']],
    ['startsAt_desc', ['DiskFull', 'CertExpiry', 'DiskFull', 'NodeDown', 'HighLatency']],
    ['endsAt', ['DiskFull', 'CertExpiry', 'DiskFull', 'NodeDown', 'HighLatency']],
    ['endsAt_desc', ['HighLatency', 'NodeDown', 'DiskFull', 'CertExpiry', 'DiskFull']],
  ])('alertmanager_list_alerts sorts by %s', async (sortBy, expected) => {
    const result = await call(admin, 'alertmanager_list_alerts', { sortBy, limit: 50 });
    expect(alertsOf(result).map((a) => a.alertname)).toEqual(expected);
  });

  it('alertmanager_list_alerts sorts by fingerprint both ways', async () => {
    const up = alertsOf(await call(admin, 'alertmanager_list_alerts', { sortBy: 'fingerprint', limit: 50 })).map((a) => a.fingerprint);
    const down = alertsOf(await call(admin, 'alertmanager_list_alerts', { sortBy: 'fingerprint_desc', limit: 50 })).map((a) => a.fingerprint);
    expect(up).toEqual([...up].sort());
    expect(down).toEqual([...up].reverse());
  });

  it('alertmanager_list_alerts filters by equality, regex and negated matchers and by receiver', async () => {
    const disk = await call(admin, 'alertmanager_list_alerts', { matchers: [{ name: 'alertname', value: 'DiskFull' }] });
    expect(alertsOf(disk).map((a) => a.severity)).toEqual(['critical', 'warning']);
    const regex = await call(admin, 'alertmanager_list_alerts', { matchers: [{ name: 'severity', regex: 'critical|info' }], limit: 50 });
    expect(alertsOf(regex).map((a) => a.alertname)).toEqual(expect.arrayContaining(['DiskFull', 'NodeDown', 'HighLatency']));
    expect(regex.data.total).toBe(3);
    const negated = await call(admin, 'alertmanager_list_alerts', { matchers: [{ name: 'severity', value: 'critical', negate: true }], limit: 50 });
    expect(negated.data.total).toBe(3);
    const pager = await call(admin, 'alertmanager_list_alerts', { receiver: '^pager$', limit: 50 });
    expect(alertsOf(pager).every((a) => a.severity === 'critical')).toBe(true);
    expect(pager.data.total).toBe(2);

    const injected = await admin.callTool({ name: 'alertmanager_list_alerts', arguments: { matchers: [{ name: 'alertname', value: 'x"} or {a="' }] } }).then(
      (r) => JSON.stringify(r),
      (e: unknown) => String((e as Error).message),
    );
    expect(injected).toContain('/matchers/0/value');

    const both = await call(admin, 'alertmanager_list_alerts', { matchers: [{ name: 'severity', value: 'x', regex: 'y' }] });
    expect(both.isError).toBe(true);
    expect(both.text).toContain('exactly one of value and regex');
  });

  it('alertmanager_list_alerts pages with continue tokens and states the truncation', async () => {
    const first = await call(admin, 'alertmanager_list_alerts', {});
    expect(first.data).toMatchObject({ returned: 3, total: 5, truncated: true });
    expect(first.text).toContain('Showing 3 of 5 alerts (truncated)');
    const second = await call(admin, 'alertmanager_list_alerts', { continue: first.data.continue });
    expect(second.data).toMatchObject({ returned: 2, total: 5, truncated: false });
    expect(second.data.continue).toBeUndefined();
    const seen = [...alertsOf(first), ...alertsOf(second)].map((a) => a.fingerprint);
    expect(new Set(seen).size).toBe(5);
  });

  it('alertmanager_list_alert_groups groups by alertname per receiver', async () => {
    const result = await call(admin, 'alertmanager_list_alert_groups', { limit: 50 });
    const groups = result.data.groups as { receiver: string; labels: Record<string, string>; alertCount: number; alerts: Alert[] }[];
    const byName = (name: string) => groups.filter((g) => g.labels.alertname === name);
    expect(
      byName('DiskFull')
        .map((g) => [g.receiver, g.alertCount])
        .sort(),
    ).toEqual([
      ['default', 1],
      ['pager', 1],
    ]);
    expect(byName('HighLatency')).toEqual([expect.objectContaining({ receiver: 'default', alertCount: 1 })]);
    const paged = await call(admin, 'alertmanager_list_alert_groups', { matchers: [{ name: 'alertname', value: 'DiskFull' }] });
    expect(paged.data.total).toBe(2);
  });

  it('creates a silence that silences the matching alert, lists it, and expires it', async () => {
    const created = await call(admin, 'alertmanager_create_silence', {
      matchers: [
        { name: 'alertname', value: 'DiskFull' },
        { name: 'instance', value: 'db-1' },
      ],
      duration: '2h',
      comment: 'replacing the disk',
    });
    expect(created.isError).toBe(false);
    const id = created.data.silenceId as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.data).toMatchObject({ createdBy: 'ops-admin (cnmcp)', silencedAlerts: 1 });

    const silenced = await eventually('the alert to be silenced', async () => {
      const r = await call(admin, 'alertmanager_list_alerts', { matchers: [{ name: 'instance', value: 'db-1' }] });
      const [alert] = alertsOf(r);
      return alert?.state === 'suppressed' ? alert : undefined;
    });
    expect(silenced.silencedBy).toEqual([id]);
    const onlyActive = await call(admin, 'alertmanager_list_alerts', { silenced: false, limit: 50 });
    expect(onlyActive.data.total).toBe(4);

    const listed = await call(admin, 'alertmanager_list_silences', { state: 'active' });
    expect(listed.data.silences).toEqual([
      expect.objectContaining({
        id,
        state: 'active',
        comment: 'replacing the disk',
        createdBy: 'ops-admin (cnmcp)',
        matchers: expect.arrayContaining([{ name: 'instance', value: 'db-1', isRegex: false, isEqual: true }]),
      }),
    ]);
    const byMatcher = await call(admin, 'alertmanager_list_silences', { matchers: [{ name: 'instance', value: 'db-1' }] });
    expect((byMatcher.data.silences as { id: string }[]).map((s) => s.id)).toEqual([id]);

    const expired = await call(admin, 'alertmanager_expire_silence', { id });
    expect(expired.data).toMatchObject({ id, previousState: 'active' });
    const after = await call(admin, 'alertmanager_list_silences', { state: 'expired' });
    expect((after.data.silences as { id: string }[]).map((s) => s.id)).toContain(id);
    const again = await call(admin, 'alertmanager_expire_silence', { id });
    expect(again.data).toMatchObject({ previousState: 'expired' });
    expect(again.text).toContain('already expired');
    await eventually('the alert to be active again', async () => {
      const r = await call(admin, 'alertmanager_list_alerts', { matchers: [{ name: 'instance', value: 'db-1' }] });
      return alertsOf(r)[0]?.state === 'active' ? true : undefined;
    });
  });

  it('refuses silences that are too long, match everything, or name an unknown id', async () => {
    const long = await call(admin, 'alertmanager_create_silence', { matchers: [{ name: 'alertname', value: 'NodeDown' }], duration: '2d', comment: 'x' });
    expect(long.isError).toBe(true);
    expect(long.text).toContain('at most 1d');
    const everything = await call(admin, 'alertmanager_create_silence', { matchers: [{ name: 'alertname', regex: '.*' }], duration: '1h', comment: 'x' });
    expect(everything.isError).toBe(true);
    expect(everything.text).toContain('silence every alert');
    const unknown = await call(admin, 'alertmanager_expire_silence', { id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.isError).toBe(true);
    expect(unknown.text).toContain('No silence with id 00000000-0000-4000-8000-000000000000');
    expect((await call(admin, 'alertmanager_list_silences', { state: 'active' })).data.total).toBe(0);
  });

  it('alertmanager_list_receivers and alertmanager_get_status', async () => {
    const receivers = await call(admin, 'alertmanager_list_receivers');
    expect(receivers.data.receivers).toEqual([...ALERTMANAGER_RECEIVERS]);
    const status = await call(admin, 'alertmanager_get_status');
    expect(status.data.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.data.cluster).toMatchObject({ status: 'disabled', peers: [] });
    expect(JSON.stringify(status.data)).not.toContain('receivers:');
  });
});

describe('read-only access to the alertmanager pack', () => {
  const destructive = ['alertmanager_create_silence', 'alertmanager_expire_silence'];
  const args = {
    alertmanager_create_silence: { matchers: [{ name: 'alertname', value: 'NodeDown' }], duration: '1h', comment: 'should not happen' },
    alertmanager_expire_silence: { id: '00000000-0000-4000-8000-000000000000' },
  } as Record<string, Record<string, unknown>>;

  async function expectReadOnly(client: Client) {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('alertmanager_list_silences');
    for (const name of destructive) {
      expect(names).not.toContain(name);
      const denied = await rpcError(client.callTool({ name, arguments: args[name] }));
      expect(denied.code).toBe(-32003);
    }
    expect((await call(client, 'alertmanager_list_alerts', { limit: 1 })).isError).toBe(false);
  }

  it('hides and denies silence create and expire for a read-only role', async () => {
    await expectReadOnly(await kernel.connect('viewer'));
  });

  it('hides and denies them for everyone on a read-only server, admin included', async () => {
    const readOnly = await startPackKernel(
      [
        { use: 'alertmanager', backend: { url: am.url } },
        { use: 'prometheus', backend: { url: 'http://127.0.0.1:9090' } },
      ],
      { readOnly: true },
    );
    try {
      const client = await readOnly.connect('admin');
      await expectReadOnly(client);
      // The prometheus pack has no destructive tool: read-only mode leaves all thirteen.
      expect((await client.listTools()).tools.filter((t) => t.name.startsWith('prometheus_'))).toHaveLength(13);
    } finally {
      await readOnly.close();
    }
    expect((await call(admin, 'alertmanager_list_silences', { state: 'active' })).data.total).toBe(0);
  });
});
