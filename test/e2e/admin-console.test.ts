// The admin console over raw HTTP, as an intruder would try it: off by default, behind authentication and the
// console:read permission, read-only (no method but GET), its data refused to other sites, a strict CSP, every
// view audited without the searched value, and search by a secret's HMAC.
import { readFileSync } from 'node:fs';
import { startTestKernel } from '@cnmcp/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDITOR,
  BACKUP_TOKEN,
  SENSITIVE_INPUT,
  VIEWER_KEY,
  basicAuth,
  seedEvents,
  startConsoleKernel,
  type ConsoleKernel,
} from '../support/console-kernel.js';
import { rawRequest } from '../support/raw-http.js';

const basic = basicAuth(AUDITOR);
let server: ConsoleKernel;

interface Page {
  events: { id: string; type: string; outcome: string; tool?: string; arguments?: Record<string, string>; details?: Record<string, unknown> }[];
  next?: string;
  scanned: number;
}

const get = (path: string, headers: Record<string, string> = { authorization: basic }) => rawRequest(new URL(path, server.origin), { headers });
const json = async <T>(path: string) => {
  const res = await get(path);
  expect([path, res.status]).toEqual([path, 200]);
  return JSON.parse(res.body) as T;
};
const logLines = () =>
  readFileSync(server.auditFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Page['events'][number] & { actor?: { id: string } });

beforeAll(async () => {
  server = await startConsoleKernel();
  await seedEvents(server, 12);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('admin console over HTTP', () => {
  it('is off unless admin.console.enabled', async () => {
    const plain = await startTestKernel({ config: {} });
    try {
      expect((await rawRequest(new URL('/admin/', plain.origin))).status).toBe(404);
      expect((await rawRequest(new URL('/admin/api/events', plain.origin))).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('asks for credentials, and refuses an identity without console:read', async () => {
    const anonymous = await get('/admin/', {});
    expect(anonymous.status).toBe(401);
    // Each scheme on a line of its own: Chromium gives up on a Basic challenge sharing its line with ApiKey.
    const challenges = anonymous.rawHeaders.filter((_, i, raw) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === 'www-authenticate');
    expect(challenges).toEqual(['ApiKey', 'Basic realm="cnmcp", charset="UTF-8"']);
    for (const path of ['/admin/', '/admin/api/events', '/admin/api/status', '/admin/assets/console.js']) {
      const refused = await get(path, { 'x-api-key': VIEWER_KEY });
      expect([path, refused.status]).toEqual([path, 403]);
      expect(refused.body).not.toContain('utilities_');
    }
    await server.kernel.audit.hub.flush();
    const denial = logLines().find((e) => e.type === 'access.denied' && e.actor?.id === 'viewer');
    expect(denial?.details).toMatchObject({ permission: 'console:read' });
  });

  it('serves the page with a strict CSP: own origin only, no inline script, no framing', async () => {
    const page = await get('/admin/');
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    // Every script in the page is a file of the console; none is inline.
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/admin\/assets\/[a-z-]+\.js"/);
      expect(body!.trim()).toBe('');
    }
    const script = await get('/admin/assets/console.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).not.toMatch(/cdn\.|unpkg\.com|jsdelivr|googleapis/);
  });

  it('refuses every method but GET, before authentication, and records no view for them', async () => {
    await server.kernel.audit.hub.flush();
    const viewsBefore = logLines().filter((e) => e.type === 'console.view').length;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']) {
      for (const path of ['/admin/', '/admin/api/events', '/admin/api/status']) {
        const res = await rawRequest(new URL(path, server.origin), {
          method,
          headers: { authorization: basic, 'content-type': 'application/json' },
          body: method === 'HEAD' || method === 'OPTIONS' ? undefined : '{}',
        });
        expect([method, path, res.status]).toEqual([method, path, 405]);
        if (method !== 'HEAD') expect(res.headers.allow).toBe('GET');
      }
    }
    await server.kernel.audit.hub.flush();
    expect(logLines().filter((e) => e.type === 'console.view').length).toBe(viewsBefore);
  });

  it('answers its data API to its own pages only: a cross-site request is refused even with the credential', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const res = await get('/admin/api/events', { authorization: basic, 'sec-fetch-site': site, 'sec-fetch-mode': 'cors' });
      expect([site, res.status]).toEqual([site, 403]);
      expect(res.body).not.toContain('tool.call');
    }
    expect((await get('/admin/api/events', { authorization: basic, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('finds a secret argument by its HMAC, and audits the search without the value', async () => {
    const found = await json<Page>(`/admin/api/events?since=1h&q=${encodeURIComponent(SENSITIVE_INPUT)}`);
    const calls = found.events.filter((e) => e.type === 'tool.call' && e.tool === 'utilities_hash');
    expect(calls.length).toBe(5);
    for (const call of calls) expect(call.arguments?.input).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    await server.kernel.audit.hub.flush();
    const raw = readFileSync(server.auditFile, 'utf8');
    expect(raw).not.toContain(SENSITIVE_INPUT);
    const view = logLines().findLast((e) => e.type === 'console.view' && (e.details as { view?: string }).view === 'events');
    expect(view?.actor?.id).toBe('auditor');
    expect((view?.details as { filters: { q: string } }).filters.q).toBe(calls[0]!.arguments!.input);
  });

  it('pages with a cursor through every matching event exactly once, in order', async () => {
    const all = await json<Page>('/admin/api/events?type=tool.call&limit=200');
    expect(all.events.length).toBeGreaterThanOrEqual(18);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const p = await json<Page>(`/admin/api/events?type=tool.call&limit=4${after ? `&after=${after}` : ''}`);
      expect(p.events.length).toBeLessThanOrEqual(4);
      seen.push(...p.events.map((e) => e.id));
      if (!p.next) break;
      after = p.next;
    }
    expect(seen).toEqual(all.events.map((e) => e.id));
    // Filters the sinks cannot apply (address) still page: a page never holds another address's events.
    const fromGuesser = await json<Page>('/admin/api/events?ip=203.0.113.7&limit=2');
    expect(fromGuesser.events.length).toBe(2);
    expect(fromGuesser.next).toBeDefined();
    const rest = await json<Page & { events: { source?: { ip?: string } }[] }>(`/admin/api/events?ip=203.0.113.7&limit=50&after=${fromGuesser.next}`);
    expect(rest.events.length).toBeGreaterThan(0);
    for (const e of rest.events) expect(e.source?.ip).toBe('203.0.113.7');
    expect((await get('/admin/api/events?outcome=maybe')).status).toBe(400);
  });

  it('counts activity: calls by outcome, auth failures, the lockout, rate-limit refusals, who was refused', async () => {
    const a = await json<{
      calls: Record<string, number[]>;
      authFailures: number[];
      lockouts: number[];
      rateLimited: number[];
      topRefusedSources: [string, number][];
      topRefusedIdentities: [string, number][];
    }>('/admin/api/activity?since=1h');
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    expect(sum(a.calls.success!)).toBeGreaterThanOrEqual(17);
    expect(sum(a.calls.failure!)).toBeGreaterThanOrEqual(1);
    expect(sum(a.calls.denied!)).toBeGreaterThanOrEqual(3);
    expect(sum(a.rateLimited)).toBe(2);
    expect(sum(a.authFailures)).toBeGreaterThanOrEqual(5);
    expect(sum(a.lockouts)).toBeGreaterThanOrEqual(2); // the lockout, then the attempts refused while it lasts
    expect(a.topRefusedSources.map(([ip]) => ip)).toEqual(expect.arrayContaining(['203.0.113.7', '198.51.100.23']));
    expect(a.topRefusedIdentities.map(([id]) => id)).toEqual(expect.arrayContaining(['ci-bot', 'mallory']));
  });

  it('shows the pipeline as config print does, secrets by version and next rotation, chains, and never a secret value', async () => {
    const status = await json<{
      pipeline: { stage: string }[];
      plugins: string[];
      secrets: { name: string; version: number; nextRotation?: string }[];
      chains: { configured: boolean; chains: { chain: string; seq: number }[]; forgedLines: number };
    }>('/admin/api/status');
    expect(status.secrets).toEqual([expect.objectContaining({ name: 'backup-token', version: 1 })]);
    expect(Date.parse(status.secrets[0]!.nextRotation!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(status.chains.configured).toBe(true);
    expect(status.chains.forgedLines).toBe(0);
    expect(status.chains.chains[0]?.seq).toBeGreaterThan(0);
    expect(status.pipeline.map((s) => s.stage)).toEqual(server.kernel.pipeline().map((s) => s.stage));
    expect(status.plugins).toContain('auth/basic');
    const body = (await get('/admin/api/status')).body;
    for (const secret of [AUDITOR.password, 'console-test-hmac-key-0123456789abcdef', VIEWER_KEY, BACKUP_TOKEN]) expect(body).not.toContain(secret);
  });
});
