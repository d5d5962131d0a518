// The admin console in a real browser: Debian's Chromium, driven by playwright-core, against a kernel with real
// events. It filters, pages, draws a chart, shows the status, sends the CSP, refuses a viewer without
// console:read, and logs no error in the browser console. With UPDATE_SCREENSHOTS=1 it rewrites the screenshots
// of docs/operations/admin-console.md.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDITOR, SENSITIVE_INPUT, VIEWER_KEY, seedEvents, startConsoleKernel, type ConsoleKernel } from '../support/console-kernel.js';

const CHROMIUM = '/usr/bin/chromium';
/** A busy two-core machine runs a browser, a kernel and other suites at once. */
const SLOW = 90_000;
const SCREENSHOTS = fileURLToPath(new URL('../../docs/operations/img/', import.meta.url));
// What this machine's Chromium needs headless as root, and no network beyond the test's own server.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server: ConsoleKernel;
let browser: Browser;
let auditor: BrowserContext;
let page: Page;
const problems: string[] = [];

async function screenshot(name: string): Promise<void> {
  const png = await page.screenshot({ fullPage: true });
  expect(png.length).toBeGreaterThan(10_000);
  // Pixels differ a little from one machine to the next: the docs' copies change only when asked.
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(`${SCREENSHOTS}${name}.png`, png);
  }
}

const rows = () => page.getByTestId('event-row');
const ids = async () => Promise.all((await rows().all()).map(async (row) => (await row.getAttribute('data-id')) ?? ''));
const column = async (index: number) => Promise.all((await rows().all()).map((row) => row.locator('td').nth(index).innerText()));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-services.sh (Debian package chromium)`);
  server = await startConsoleKernel();
  await seedEvents(server, 60);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  auditor = await browser.newContext({
    httpCredentials: AUDITOR,
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  page = await auditor.newPage();
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('admin console in Chromium', () => {
  it(
    'loads under a strict CSP and shows who is looking',
    async () => {
      const response = await page.goto(new URL('/admin/', server.origin).href);
      expect(response?.status()).toBe(200);
      const csp = (await response!.allHeaders())['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      await expect.poll(() => page.getByTestId('who').innerText(), { timeout: 30_000 }).toContain('auditor');
    },
    SLOW,
  );

  it(
    'pages through the log with a cursor',
    async () => {
      await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(50);
      const firstPage = await ids();
      await page.getByTestId('next-page').click();
      await expect.poll(() => page.getByTestId('page-number').innerText(), { timeout: 30_000 }).toMatch(/^Page 2/);
      await expect.poll(() => rows().count(), { timeout: 30_000 }).toBeGreaterThan(0);
      const secondPage = await ids();
      // The next page starts after the last event of the first: ascending ids, none seen twice.
      expect(secondPage[0]! > firstPage.at(-1)!).toBe(true);
      expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
      await page.getByRole('button', { name: 'Previous' }).click();
      await expect.poll(() => page.getByTestId('page-number').innerText(), { timeout: 30_000 }).toMatch(/^Page 1/);
    },
    SLOW,
  );

  it(
    'filters by outcome, by source address, and by a secret value through its HMAC',
    async () => {
      const filters = page.getByTestId('filters');
      await filters.locator('select[name=outcome]').selectOption('denied');
      await filters.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(async () => new Set(await column(2)), { timeout: 30_000 }).toEqual(new Set(['denied']));

      await filters.getByRole('button', { name: 'Reset' }).click();
      await filters.locator('input[name=ip]').fill('203.0.113.7');
      await filters.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(async () => new Set(await column(5)), { timeout: 30_000 }).toEqual(new Set(['203.0.113.7']));
      expect(await column(3)).toContain('mallory (claimed)');

      await filters.getByRole('button', { name: 'Reset' }).click();
      await filters.locator('input[name=q]').fill(SENSITIVE_INPUT);
      await filters.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(async () => (await column(4)).filter((tool) => tool === 'utilities_hash').length, { timeout: 30_000 }).toBe(5);
      await rows().first().click();
      const detail = page.getByTestId('event-detail');
      await expect.poll(() => detail.innerText(), { timeout: 30_000 }).toContain('hmac-sha256:');
      expect(await detail.innerText()).not.toContain(SENSITIVE_INPUT);
      const trace = await page.getByTestId('trace-link').getAttribute('href');
      expect(trace).toMatch(/^https:\/\/tracing\.example\.com\/trace\/[0-9a-f]{32}$/);
      await screenshot('admin-console-audit');
    },
    SLOW,
  );

  it(
    'draws the activity charts from the events',
    async () => {
      await page.getByTestId('tab-activity').click();
      const calls = page.getByTestId('chart-calls');
      await expect.poll(() => calls.locator('canvas').count(), { timeout: 30_000 }).toBe(1);
      const size = await calls.locator('canvas').evaluate((canvas: { width: number; height: number }) => ({ width: canvas.width, height: canvas.height }));
      expect(size.width).toBeGreaterThan(300);
      expect(size.height).toBeGreaterThan(100);
      // uPlot's legend shows each series: the outcomes the calls were counted by.
      expect(await calls.innerText()).toMatch(/success[\s\S]*failure[\s\S]*denied/);
      expect(await page.getByTestId('top-sources').innerText()).toContain('203.0.113.7');
      expect(await page.getByTestId('top-identities').innerText()).toContain('mallory');
      // The docs' picture: the last 15 minutes, where the seeded traffic spreads over a few buckets.
      await page.getByTestId('range-15m').click();
      await expect.poll(() => page.locator('[data-testid=range-15m]:not(.secondary)').count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => calls.locator('canvas').count(), { timeout: 30_000 }).toBe(1);
      await screenshot('admin-console-activity');
    },
    SLOW,
  );

  it(
    'shows the pipeline in the order config print shows',
    async () => {
      await page.getByTestId('tab-status').click();
      const pipeline = page.getByTestId('pipeline');
      await expect.poll(() => pipeline.locator('tbody tr').count(), { timeout: 30_000 }).toBe(server.kernel.pipeline().length);
      const stages = await pipeline.locator('tbody tr td:nth-child(2)').allInnerTexts();
      expect(stages).toEqual(server.kernel.pipeline().map((s) => s.stage));
      await screenshot('admin-console-status');
    },
    SLOW,
  );

  it(
    'refuses a viewer without console:read',
    async () => {
      const viewer = await browser.newContext({ extraHTTPHeaders: { 'x-api-key': VIEWER_KEY } });
      try {
        const refused = await viewer.newPage();
        const response = await refused.goto(new URL('/admin/', server.origin).href);
        expect(response?.status()).toBe(403);
        expect(await refused.content()).not.toContain('console.js');
      } finally {
        await viewer.close();
      }
    },
    SLOW,
  );

  it(
    'logged no error in the browser (no CSP violation, no failed request, no script error)',
    () => {
      expect(problems).toEqual([]);
    },
    SLOW,
  );
});
