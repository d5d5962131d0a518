// A kernel with the admin console on and a log of real events: tool calls (successes, failures, refusals),
// failed logins and a lockout from other addresses, rate-limit refusals. Used by the console's HTTP and browser tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { connectModernHttp } from './clients.js';

export const AUDITOR = { username: 'auditor', password: 'Auditor-Console-Pass-0042' };
export const CI_BOT_KEY = 'ci-bot-console-key-000000000042';
/** An identity that may call tools but holds no console:read. */
export const VIEWER_KEY = 'viewer-console-key-0000000000042';
export const basicAuth = (user: { username: string; password: string }) => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
/** A value the audit log stores only as its HMAC (auditing.sensitiveKeys ^input$). */
export const SENSITIVE_INPUT = 'correct-horse-battery-staple-42';
/** A secret in the store: its name and version may be shown, never this. */
export const BACKUP_TOKEN = 'backup-token-value-never-shown-0042';
export const TRACING_URL = 'https://tracing.example.com/trace/{traceId}';

export interface ConsoleKernel extends TestKernel {
  readonly auditFile: string;
}

export async function startConsoleKernel(extra: Record<string, unknown> = {}): Promise<ConsoleKernel> {
  const dir = mkdtempSync(join(tmpdir(), 'cnmcp-console-'));
  const auditFile = join(dir, 'audit.jsonl');
  const server = await startTestKernel({
    config: {
      server: { trustedProxies: ['127.0.0.1/32'] },
      // Machines hold keys, people sign in with Basic (the browser prompts): a 401 names both schemes, each on a
      // line of its own, or Chromium would not prompt.
      auth: [
        {
          use: 'apikey',
          keys: [
            { id: 'ci-bot', key: CI_BOT_KEY, roles: ['caller'] },
            { id: 'viewer', key: VIEWER_KEY, roles: ['caller'] },
          ],
        },
        { use: 'basic', users: [{ username: AUDITOR.username, password: '${env:AUDITOR_PASSWORD}', roles: ['auditor'] }] },
      ],
      authorization: {
        use: 'rbac',
        roles: {
          caller: { tools: ['utilities_*'], deny: ['utilities_web_fetch'] },
          auditor: { permissions: ['console:read', 'audit:read'] },
        },
      },
      rateLimit: { use: 'memory' },
      limits: {
        perTool: [{ tools: 'utilities_hash', points: 5, durationSeconds: 600 }],
        authFailures: { attempts: 3, windowSeconds: 600, lockoutSeconds: 600 },
      },
      audit: [{ use: 'file', path: auditFile }],
      auditing: {
        hmacKey: 'console-test-hmac-key-0123456789abcdef',
        sensitiveKeys: ['^input$'],
        checkpoints: { path: join(dir, 'checkpoints.jsonl'), intervalSeconds: 1 },
      },
      // The status page lists secrets by name, version and next rotation; the value must never reach it.
      secrets: { use: 'memory', initial: [{ name: 'backup-token', type: 'bearer', value: '${env:BACKUP_TOKEN}' }] },
      rotation: { rules: [{ name: 'backup-token', every: '30d' }] },
      admin: { console: { enabled: true, tracingUrl: TRACING_URL } },
      toolPacks: [{ use: 'utilities' }],
      ...extra,
    },
    env: { AUDITOR_PASSWORD: AUDITOR.password, BACKUP_TOKEN },
    // Tracing on: events carry trace ids, which the console links to the tracing UI.
    spanExporter: new InMemorySpanExporter(),
  });
  return { ...server, auditFile };
}

/** `fetch` with headers added, as a client behind the trusted proxy (X-Forwarded-For) would send them. */
const withHeaders =
  (headers: Record<string, string>): typeof fetch =>
  (input, init) =>
    fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...headers } });

/** Real traffic through the real pipeline: every event the console shows comes from one of these requests. */
export async function seedEvents(server: TestKernel, calls = 60): Promise<void> {
  const bot = await connectModernHttp(server.url, { fetch: withHeaders({ 'x-api-key': CI_BOT_KEY, 'x-forwarded-for': '192.0.2.10' }) });
  try {
    for (let i = 0; i < calls; i++) await bot.callTool('utilities_get_time', {});
    await bot.callTool('utilities_get_time', { timezone: 'Nowhere/Special' }); // a tool error: outcome failure
    for (let i = 0; i < 7; i++) await bot.callTool('utilities_hash', { input: SENSITIVE_INPUT }).catch(() => undefined); // 5 pass, 2 rate-limited
    await bot.callTool('utilities_web_fetch', { url: 'https://example.com' }).catch(() => undefined); // denied by rbac
  } finally {
    await bot.close();
  }
  // A wrong key from one address, a password guesser from another until it is locked out.
  for (let i = 0; i < 2; i++)
    await fetch(server.url, { method: 'POST', headers: { 'x-api-key': 'wrong-key-00000000000000000000', 'x-forwarded-for': '198.51.100.23' } });
  const guess = basicAuth({ username: 'mallory', password: 'guess' });
  for (let i = 0; i < 5; i++) await fetch(server.url, { method: 'POST', headers: { authorization: guess, 'x-forwarded-for': '203.0.113.7' } });
}
