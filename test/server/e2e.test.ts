// End-to-end in headless Chromium (playwright-core driving the browser that
// src/fetch/find-browser.ts resolves: CHROMIUM_PATH, a system Chromium, a
// Playwright download or the npm package @sparticuz/chromium): every dashboard loads without console errors and
// draws marks for the sample data; filters change chart and URL; a shared URL
// restores the view; the CSV download equals the API's data; a hostile agency
// name (a SYNTHETIC record, see helpers.ts) shows as text. Screenshots of every
// dashboard go to test/artifacts/screenshots/ for a person to look at.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.ts';
import { findBrowser } from '../../src/fetch/find-browser.ts';
import { buildSampleStore, HOSTILE_NAME, startTestServer, type TestStore } from './helpers.ts';

const SHOTS = join(import.meta.dirname, '../artifacts/screenshots');
const DASHBOARDS = ['overview', 'compare', 'outcomes', 'litigation', 'narrative', 'agency', 'quality'];
const MARKS = '.chart svg .mark-rect path, .chart svg .mark-symbol path, .chart svg .mark-line path, .chart svg .mark-area path';

let st: TestStore;
let srv: RunningServer;
let ctx: BrowserContext;
let profileDir: string;

async function openPage(errors: string[]): Promise<Page> {
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return page;
}

const ready = (page: Page) => page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });

beforeAll(async () => {
  st = await buildSampleStore({ hostile: true });
  srv = await startTestServer(st.data);
  mkdirSync(SHOTS, { recursive: true });
  profileDir = mkdtempSync(join(tmpdir(), 'nianbao-chromium-'));
  const browser = await findBrowser();
  // A fresh user-data-dir per run (playwright takes it as the persistent context's directory).
  ctx = await chromium.launchPersistentContext(profileDir, {
    executablePath: browser.executablePath,
    headless: true,
    args: [...browser.args, '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  console.log(`e2e browser: ${browser.source} (${browser.executablePath})`);
  // Nothing may leave loopback: the pages must work offline (no CDN).
  await ctx.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  await srv?.close();
  st?.cleanup();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('dashboards in Chromium', () => {
  it('home links every dashboard', async () => {
    const errors: string[] = [];
    const page = await openPage(errors);
    await page.goto(`${srv.url}/`);
    await page.waitForSelector('#dashboards li');
    const hrefs = await page.locator('#dashboards a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(DASHBOARDS.map((d) => `/d/${d}`));
    await page.screenshot({ path: join(SHOTS, 'home.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const id of DASHBOARDS) {
    it(`${id} loads without console errors and draws marks for the samples`, async () => {
      const errors: string[] = [];
      const page = await openPage(errors);
      await page.goto(`${srv.url}/d/${id}`);
      await ready(page);
      const charts = await page.locator('.view-chart').count();
      expect(charts).toBeGreaterThan(0);
      // Every chart view drew at least one mark (no empty or failed view).
      for (let i = 0; i < charts; i++) {
        const view = page.locator('.view-chart').nth(i);
        expect(await view.locator('.error, .empty').count(), await view.getAttribute('data-view') ?? '').toBe(0);
        expect(await view.locator(MARKS).count()).toBeGreaterThan(0);
      }
      await page.screenshot({ path: join(SHOTS, `${id}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe('interaction', () => {
  it('a filter change updates chart and URL; back restores; a shared URL restores the view', async () => {
    const errors: string[] = [];
    const page = await openPage(errors);
    await page.goto(`${srv.url}/d/overview`);
    await ready(page);
    const bars = () => page.locator('[data-view="received"] .mark-rect path').count();
    const before = await bars();
    await page.selectOption('#f-level', 'province');
    await ready(page);
    expect(page.url()).toContain('level=province');
    const after = await bars();
    expect(after).toBeLessThan(before);
    await page.goBack();
    await ready(page);
    expect(page.url()).not.toContain('level=');
    expect(await bars()).toBe(before);
    expect(await page.inputValue('#f-level')).toBe('');
    // The shared URL in a fresh page.
    const shared = await openPage(errors);
    await shared.goto(`${srv.url}/d/overview?level=province`);
    await ready(shared);
    expect(await shared.inputValue('#f-level')).toBe('province');
    expect(await shared.locator('[data-view="received"] .mark-rect path').count()).toBe(after);
    expect(errors).toEqual([]);
    await page.close();
    await shared.close();
  });

  it('the overview and the agency profile draw 平潭\'s series 2016–2023 across the two formats, with the break marked', async () => {
    const errors: string[] = [];
    const page = await openPage(errors);
    const zone = encodeURIComponent('350128:平潭综合实验区');
    for (const url of [`/d/overview?region=350128`, `/d/agency?agency=${zone}`]) {
      await page.goto(srv.url + url);
      await ready(page);
      const view = page.locator('[data-view="series"]');
      // Each point says its year and regime (Vega's aria labels come from the tooltip fields).
      const labels = await view.locator('.mark-symbol path').evaluateAll((ps) => ps.map((p) => p.getAttribute('aria-label') ?? ''));
      const field = (l: string, title: string) => new RegExp(`${title}: ([^;]*)`).exec(l)?.[1];
      const zonePoints = labels.filter((l) => !url.includes('overview') || field(l, '机关 Agency') === '平潭综合实验区');
      const pointsOf = (regime: string) => new Set(zonePoints.filter((l) => field(l, '口径 Regime') === regime).map((l) => field(l, '年度 Year')));
      expect([...pointsOf('legacy')].sort(), url).toEqual(['2016', '2017']);
      expect([...pointsOf('national')].sort(), url).toEqual(['2019', '2021', '2023']);
      // The break: a rule between 2018 and 2019 and its note.
      expect(await view.locator('.mark-rule line, .mark-rule path').count(), url).toBeGreaterThan(0);
      expect(await view.locator('.mark-text text').allTextContents(), url).toContain('2019：新格式，定义改变 · definitions changed');
      await page.screenshot({ path: join(SHOTS, `series-${url.includes('agency') ? 'agency' : 'overview'}.png`), fullPage: true });
    }
    // Compare takes a series as its metric.
    await page.goto(`${srv.url}/d/compare?metric=series.requests_received&min_requests=0`);
    await ready(page);
    expect(await page.locator(`[data-view="trend"] ${MARKS.split(', ').join(', [data-view="trend"] ')}`).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the CSV download equals the API data; the table alternative shows the same rows', async () => {
    const page = await openPage([]);
    await page.goto(`${srv.url}/d/compare?metric=t3.granted.total&region=${encodeURIComponent('福建')}`);
    await ready(page);
    const link = page.locator('[data-view="trend"] a[data-format="csv"]');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    const api = await fetch(srv.url + (await link.getAttribute('href'))!.replace(/&download=?/, ''));
    expect(readFileSync(file!)).toEqual(Buffer.from(await api.arrayBuffer()));
    const lines = readFileSync(file!, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    await page.locator('[data-view="trend"] button[data-action="table"]').click();
    expect(await page.locator('[data-view="trend"] .table-wrap table tbody tr').count()).toBe(lines.length - 1);
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-view="trend"] button[data-action="png"]').click()]);
    expect(png.suggestedFilename()).toBe('compare-trend.png');
    await page.close();
  });

  it('a hostile agency name shows as text, never as HTML', async () => {
    const errors: string[] = [];
    const page = await openPage(errors);
    await page.goto(`${srv.url}/d/outcomes`);
    await ready(page);
    await page.locator('[data-view="rate"] button[data-action="table"]').click();
    const cells = await page.locator('[data-view="rate"] table td').allTextContents();
    expect(cells.some((c) => c.includes('合成测试局') && c.includes('<img'))).toBe(true);
    // The option of the agency filter carries the name as text.
    const options = await page.locator('#f-agency option').allTextContents();
    expect(options.some((o) => o.includes('<img') && o.includes('合成测试局'))).toBe(true);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(HOSTILE_NAME).toContain('onerror');
    expect(errors).toEqual([]);
    await page.close();
  });
});
