import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedItems } from '../../src/crawl/follow-ups.ts';
import { ConfigError, expandStartUrls, loadSiteConfigs, parseSiteConfig } from '../../src/crawl/site-config.ts';

const SCRAPERS = path.resolve(import.meta.dirname, '../../scrapers');
const valid = { id: 'x', publisher: { name: '某局' }, cms: 'trs', verified: false, startUrls: ['https://www.example.gov.cn/nb/'] };

function errorOf(raw: unknown): string {
  try {
    parseSiteConfig(raw, 'scrapers/x.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('config was accepted');
}

describe('site configs', () => {
  it('ships at least 10 real sites across TRS, Hanweb, UCAP, Guangdong post_ and Shaanxi, all unverified', async () => {
    const sites = await loadSiteConfigs(SCRAPERS);
    expect(sites.length).toBeGreaterThanOrEqual(10);
    for (const cms of ['trs', 'hanweb', 'ucap', 'gd-post', 'shaanxi']) expect(sites.some((s) => s.cms === cms), cms).toBe(true);
    for (const s of sites) {
      expect(s.verified, s.id).toBe(false);
      expect(s.schedule, s.id).toBeTruthy();
      for (const u of expandStartUrls(s)) expect(new URL(u).hostname).toMatch(/\.gov\.cn$/);
    }
    // Files are named by id (the loader checks it too).
    expect(readdirSync(SCRAPERS).filter((f) => f.endsWith('.json')).sort()).toEqual(sites.map((s) => `${s.id}.json`).sort());
    expect(JSON.parse(readFileSync(path.join(SCRAPERS, 'pingtan-zfxxgknb.json'), 'utf8')).verified).toBe(false);
  });

  it('fails loudly on an invalid config, naming the field', () => {
    expect(errorOf({ ...valid, verified: undefined })).toMatch(/verified/);
    expect(errorOf({ ...valid, startUrls: ['ftp://x'] })).toMatch(/startUrls\.0/);
    expect(errorOf({ ...valid, reports: { titlePattern: '(' } })).toMatch(/reports\.titlePattern: must be a valid/);
    expect(errorOf({ ...valid, schedule: 'every monday' })).toMatch(/schedule: must be a cron/);
    expect(errorOf({ ...valid, pagination: { type: 'hanweb-dataproxy', columnid: '1', webid: '1' } })).toMatch(/pagination\.unitid/);
    expect(errorOf({ ...valid, pagination: { type: 'sideways' } })).toMatch(/pagination\.type/);
    expect(errorOf({ ...valid, politness: {} })).toMatch(/politness/);
    expect(errorOf({ ...valid, id: 'y' })).toMatch(/id: "y" must match the file name "x"/);
  });

  it('expands per-year folders and seeds JSON list APIs', () => {
    const cfg = parseSiteConfig({ ...valid, startUrls: ['https://www.example.gov.cn/nb/{year}n/'], years: { from: 2021, to: 2023 } });
    expect(expandStartUrls(cfg)).toEqual(['https://www.example.gov.cn/nb/2021n/', 'https://www.example.gov.cn/nb/2022n/', 'https://www.example.gov.cn/nb/2023n/']);
    const api = parseSiteConfig({
      ...valid,
      pagination: { type: 'json-api', url: 'https://www.example.gov.cn/api', method: 'POST', params: { channelId: 'c' }, pageParam: 'page', sizeParam: 'size', itemsPath: 'a.b', titleField: 't', urlField: 'u' },
    });
    expect(seedItems(api)).toEqual([expect.objectContaining({ url: 'https://www.example.gov.cn/api', method: 'POST', body: 'channelId=c&page=1&size=20' })]);
  });
});
