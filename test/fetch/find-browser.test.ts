// The browser resolver: an explicit path wins (and a wrong one is an error,
// not a silent fallback), system locations come next, and with no system
// browser at all (NIANBAO_SYSTEM_BROWSERS='' stands in for a machine without
// one) the resolver still hands back a Chromium that playwright-core launches
// headless — Playwright's own download or the one in @sparticuz/chromium.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/fetch/find-browser.ts';

const saved = { CHROMIUM_PATH: process.env.CHROMIUM_PATH, NIANBAO_SYSTEM_BROWSERS: process.env.NIANBAO_SYSTEM_BROWSERS };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nianbao-find-browser-'));
  delete process.env.CHROMIUM_PATH;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function fakeExecutable(name: string): string {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, 0o755);
  return p;
}

describe('findBrowser', () => {
  it('takes the explicit option first, then CHROMIUM_PATH', async () => {
    const a = fakeExecutable('a'), b = fakeExecutable('b');
    process.env.CHROMIUM_PATH = b;
    expect(await findBrowser({ explicitPath: a })).toMatchObject({ executablePath: a, source: 'option' });
    expect(await findBrowser()).toMatchObject({ executablePath: b, source: 'CHROMIUM_PATH' });
  });

  it('refuses an explicit path that does not exist, saying what to do', async () => {
    process.env.CHROMIUM_PATH = join(dir, 'no-such-chromium');
    await expect(findBrowser()).rejects.toThrow(/CHROMIUM_PATH .*no-such-chromium does not exist: point it at a Chromium/);
    await expect(findBrowser({ explicitPath: join(dir, 'nope') })).rejects.toThrow(/configured browser path/);
  });

  it('takes the first system location that exists', async () => {
    const sys = fakeExecutable('chromium');
    process.env.NIANBAO_SYSTEM_BROWSERS = `${join(dir, 'absent')}:${sys}`;
    const found = await findBrowser();
    expect(found).toMatchObject({ executablePath: sys, source: `system:${sys}` });
    expect(found.args.includes('--no-sandbox')).toBe(process.getuid?.() === 0);
  });

  it('without any system browser still finds one that launches headless', async () => {
    process.env.NIANBAO_SYSTEM_BROWSERS = '';
    const found = await findBrowser();
    expect(['playwright', '@sparticuz/chromium']).toContain(found.source);
    expect(found.args).not.toContain('--disable-web-security');
    const browser = await chromium.launch({ executablePath: found.executablePath, args: found.args, headless: true });
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="t">年报 works</p>');
      expect(await page.textContent('#t')).toBe('年报 works');
      console.log(`browser without a system Chromium: ${found.source} ${browser.version()} (${found.executablePath})`);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
