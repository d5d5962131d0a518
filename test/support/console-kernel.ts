// A kernel with the admin console on and a log of real events: tool calls (successes, failures, refusals),
// failed logins and a lockout from other addresses, rate-limit refusals. Used by the console's HTTP and browser tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestKernel, type TestKernel } from '@cnmcp/core/testing';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { connectModernHttp } from './clients.js';

export const AUDITOR = { username: 'auditor', password: 'Auditor-Console-Pass-0042' };
export const CI_BOT = { username: 'ci-bot', password: 'Ci-Bot-Console-Pass-0042' };
/** An identity that may call tools but holds no console:read. */
export const VIEWER = { username: 'viewer', password: 'Viewer-Console-Pass-0042' };
export const basicAuth = (user: { username: string; password: string }) => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
/** A value the audit log stores only as its HMAC (auditing.sensitiveKeys ^input$). */
export const SENSITIVE_INPUT = 'correct-horse-battery-staple-42';
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
      // People and machines alike sign in with Basic here: a browser prompts for it (see admin-console.md).
      auth: [
        {
          use: 'basic',
          users: [
            { username: AUDITOR.username, password: '${env:AUDITOR_PASSWORD}', roles: ['auditor'] },
            { username: CI_BOT.username, password: '${env:CI_BOT_PASSWORD}', roles: ['caller'] },
            { username: VIEWER.username, password: '${env:VIEWER_PASSWORD}', roles: ['caller'] },
          ],
        },
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
      auditing: { hmacKey: 'console-test-hmac-key-0123456789abcdef', sensitiveKeys: ['^input$'] },
      admin: { console: { enabled: true, tracingUrl: TRACING_URL } },
      toolPacks: [{ use: 'utilities' }],
      ...extra,
    },
    env: { AUDITOR_PASSWORD: AUDITOR.password, CI_BOT_PASSWORD: CI_BOT.password, VIEWER_PASSWORD: VIEWER.password },
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
  const bot = await connectModernHttp(server.url, { fetch: withHeaders({ authorization: basicAuth(CI_BOT), 'x-forwarded-for': '192.0.2.10' }) });
  try {
    for (let i = 0; i < calls; i++) await bot.callTool('utilities_get_time', {});
    await bot.callTool('utilities_get_time', { timezone: 'Nowhere/Special' }); // a tool error: outcome failure
    for (let i = 0; i < 7; i++) await bot.callTool('utilities_hash', { input: SENSITIVE_INPUT }).catch(() => undefined); // 5 pass, 2 rate-limited
    await bot.callTool('utilities_web_fetch', { url: 'https://example.com' }).catch(() => undefined); // denied by rbac
  } finally {
    await bot.close();
  }
  // A mistyped password from one address, a password guesser from another until it is locked out.
  const typo = basicAuth({ ...CI_BOT, password: 'Ci-Bot-Console-Pass-0043' });
  for (let i = 0; i < 2; i++) await fetch(server.url, { method: 'POST', headers: { authorization: typo, 'x-forwarded-for': '198.51.100.23' } });
  const guess = basicAuth({ username: 'mallory', password: 'guess' });
  for (let i = 0; i < 5; i++) await fetch(server.url, { method: 'POST', headers: { authorization: guess, 'x-forwarded-for': '203.0.113.7' } });
}
