import * as cheerio from 'cheerio';
import { readdirSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/common/charset.ts';
import { extractLinks, findHanwebProxy, findShellTarget, findTrsPages, hanwebRequests, isReportLink, mentionsExtension, utf8VisibleTextLonger, DEFAULT_REPORT_EXCLUDE, DEFAULT_REPORT_TITLE } from '../../src/crawl/discover.ts';
import { detectBlockPage, visibleText } from '../../src/fetch/block-page.ts';
import { discoverFollowUps } from '../../src/crawl/follow-ups.ts';
import { adHocConfig } from '../../src/crawl/site-config.ts';
import { isPrivateAddress } from '../../src/fetch/address-guard.ts';
import { parseRetryAfter } from '../../src/fetch/fetcher.ts';
import { CORPUS, corpus } from './test-site.ts';

describe('discovery on CMS markup', () => {
  it('reads TRS countPage with literal or variable arguments', () => {
    const base = 'https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/index.html';
    expect(findTrsPages('<script>var countPage = 3;createPageHTML(countPage, currentPage, "index", "html");</script>', base)).toEqual([
      'https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/index.html', 'https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/index_1.html', 'https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/index_2.html',
    ]);
    expect(findTrsPages('createPageHTML(2, 0, "index", "shtml")', base)).toEqual([expect.stringMatching(/index\.shtml$/), expect.stringMatching(/index_1\.shtml$/)]);
    expect(findTrsPages('var countPage = 1;', base)).toEqual([]);
  });

  it('recognises report titles, not other articles', () => {
    const re = new RegExp(DEFAULT_REPORT_TITLE);
    const l = (text: string, title?: string) => ({ url: 'https://x.gov.cn/a.html', text, title });
    expect(isReportLink(l('平潭综合实验区2023年政府信息公开工作年度报告'), re)).toBe(true);
    expect(isReportLink(l('东阳市自然资源…', '东阳市自然资源和规划局2023年度政府信息公开年报'), re)).toBe(true);
    expect(isReportLink(l('关于印发2023年政务公开工作要点的通知'), re)).toBe(false);
    expect(isReportLink(l('市审计局2023年度政府信息公开工作报告'), re)).toBe(true);
    const ex = new RegExp(DEFAULT_REPORT_EXCLUDE);
    expect(isReportLink(l('关于报送2023年政府信息公开工作年度报告的通知'), re, undefined, ex)).toBe(false);
    expect(isReportLink(l('政府信息公开工作年度报告格式模板'), re, undefined, ex)).toBe(false);
    expect(isReportLink(l('平潭综合实验区2023年政府信息公开工作年度报告'), re, undefined, ex)).toBe(true);
    expect(isReportLink(l('平潭召开会议'), re)).toBe(false);
  });

  it('follows meta-refresh and location.href shells but not full pages with scripts', () => {
    expect(findShellTarget('<meta http-equiv="refresh" content="0; url=/nb/index.html">', 'https://a.gov.cn/x/')).toBe('https://a.gov.cn/nb/index.html');
    expect(findShellTarget("<script>window.location.href='../b.html'</script>", 'https://a.gov.cn/x/y.html')).toBe('https://a.gov.cn/b.html');
    const page = corpus('2023_pingtan_zongheshiyanqu.html').toString('utf8');
    expect(findShellTarget(page + "<script>location.href='/x'</script>", 'https://a.gov.cn/')).toBeUndefined();
  });

  it('reads Hanweb <datastore> parameters and builds dataproxy.jsp requests', () => {
    const html = '<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=85323&unitid=411&webname=x&permissiontype=0"></a>]]></nextgroup><recordset></recordset></datastore></script><script>{perPage:15,totalRecord:50}</script>';
    const p = findHanwebProxy(html, 'https://tj.jiangsu.gov.cn/col/col85323/index.html')!;
    expect(p).toMatchObject({ proxyUrl: 'https://tj.jiangsu.gov.cn/module/web/jpage/dataproxy.jsp', totalRecord: 50, perPage: 15 });
    expect(p.params).toMatchObject({ columnid: '85323', unitid: '411', webid: '3' });
    const reqs = hanwebRequests(p);
    expect(reqs.map((r) => new URL(r.url).search)).toEqual(['?startrecord=1&endrecord=45&perpage=15', '?startrecord=46&endrecord=50&perpage=15']);
  });

  it('treats a "report" link that leads to a list of reports as a list', () => {
    const page = '<html><body><h1>2023年政府信息公开工作年度报告</h1><ul><li><a href="a.html">县教育局2023年政府信息公开工作年度报告</a></li><li><a href="b.html">县公安局2023年政府信息公开工作年度报告</a></li></ul></body></html>';
    const base = 'https://www.x.gov.cn/nb/2023/';
    const f = discoverFollowUps(adHocConfig(base), { key: base, url: base, kind: 'report' }, page, base);
    expect(f.isList).toBe(true);
    expect(f.items.map((i) => [i.url, i.kind])).toEqual([[`${base}a.html`, 'report'], [`${base}b.html`, 'report']]);
    const report = corpus('2023_pingtan_zongheshiyanqu.html').toString('utf8');
    expect(discoverFollowUps(adHocConfig(base), { key: base, url: base, kind: 'report' }, report, base).isList).toBeUndefined();
  });

  it('flags block pages and never a real report', () => {
    expect(detectBlockPage('<html><body><h1>访问受限</h1></body></html>')).toBeTruthy();
    expect(detectBlockPage('<html><script>document.cookie="x=1";location.reload()</script></html>')).toBeTruthy();
    for (const f of readdirSync(CORPUS).filter((n) => n.endsWith('.html'))) expect(detectBlockPage(corpus(f).toString('utf8')), f).toBeUndefined();
  });
});

describe('charset and safety helpers', () => {
  it('decodes by BOM, header, meta, then detection; GBK as GB18030', () => {
    const text = '平潭县人民政府2012年政府信息公开工作年度报告';
    const gbk = iconv.encode(`<html><head></head><body>${text}</body></html>`, 'gbk');
    expect(decodeBody(gbk, 'text/html; charset=GB2312')).toMatchObject({ charset: 'gb18030', source: 'header' });
    expect(decodeBody(gbk).source).toBe('detected');
    expect(decodeBody(gbk).text).toContain(text);
    const meta = iconv.encode(`<meta charset="gbk"><p>${text}</p>`, 'gbk');
    expect(decodeBody(meta)).toMatchObject({ charset: 'gb18030', source: 'meta' });
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'text/html; charset=gbk')).toMatchObject({ source: 'bom', text });
  });

  it('knows private and link-local addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1']) expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['61.150.65.235', '39.102.231.87', '8.8.8.8', '2400:3200::1']) expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('visible-text length without decoding (the crawler skips decoding long report pages)', () => {
  const pages = readdirSync(CORPUS).filter((f) => f.endsWith('.html')).map((f) => Buffer.from(corpus(f)));
  const tricky = [
    '<p>短</p>', '<p>　　全角空格　\u00a0&nbsp;</p>', '<script>var a="<b>很长的脚本文字很长的脚本文字</b>";</script><p>x</p>',
    '<style>p{content:"<script>"}</style>可见文字</script>', '<!-- <script> -->注释后的文字', '<a title="x<y">链接</a>',
    '<SCRIPT>隐藏</SCRIPT >仍在脚本里', '文字 < 没有闭合', '<>两个字符', '𠀀𠀁 emoji 😀',
  ].map((t) => Buffer.from(`<html><body>${t.repeat(3)}</body></html>`));
  it('is a lower bound: true only when visibleText is longer', () => {
    for (const b of [...pages, ...tricky]) {
      const text = visibleText(b.toString('utf8'));
      for (const n of [0, 5, 20, 400, 500, 1500, text.length - 1, text.length, text.length + 1]) {
        if (n < 0) continue;
        if (utf8VisibleTextLonger(b, n)) expect(text.length, `${n}: ${b.subarray(0, 80).toString()}`).toBeGreaterThan(n);
      }
    }
  });
  it('answers yes for the corpus report pages the crawler meets', () => {
    const long = pages.filter((b) => visibleText(b.toString('utf8')).length > 3000);
    expect(long.length).toBeGreaterThan(0);
    for (const b of long) expect(utf8VisibleTextLonger(b, 1500)).toBe(true);
  });
});

describe('attachment mentions found on the bytes (the crawler skips decoding report pages that link no attachment)', () => {
  const exts = ['pdf', 'doc', 'docx', 'wps', 'ofd'];
  const re = new RegExp(`\\.(${exts.join('|')})\\b`, 'i');
  const cases = [
    '<a href="/a/b.pdf">附件</a>', '<a href="x.PDF">', 'x.Docx', 'file.docx2', 'file.doc_', 'file.doc-1', 'end.wps', '.ofd》附件',
    'report.pdfs', 'document.write(1)', 'a..pdf', 'x.p', '.', '', '报告.Pdf，', 'no extension here', 'x.odf', 'ab.pd', 'a.do',
  ];
  it('agrees with the case-insensitive regex on the text, including word boundaries and non-ASCII neighbours', () => {
    for (const c of cases) expect(mentionsExtension(Buffer.from(c), exts), c).toBe(re.test(c));
    // Whole corpus pages, whatever their charset: the regex on the bytes read as latin1 (what the crawler used to test).
    const pages = readdirSync(CORPUS).filter((f) => f.endsWith('.html')).map((f) => Buffer.from(corpus(f)));
    for (const p of pages) expect(mentionsExtension(p, exts)).toBe(re.test(p.toString('latin1')));
  });
  it('agrees on random mixes of dots, extension letters and CJK', () => {
    const alphabet = ['.', 'p', 'P', 'd', 'f', 'o', 'c', 'x', 'w', 's', '_', '1', '报', ' ', '"'];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2000; i++) {
      const t = Array.from({ length: 1 + rand(12) }, () => alphabet[rand(alphabet.length)]).join('');
      expect(mentionsExtension(Buffer.from(t), exts), t).toBe(re.test(t));
    }
  });
});

describe('link extraction with htmlparser2', () => {
  it('finds the same links, text and titles as a parse5 reading, on every corpus page', () => {
    const pages = readdirSync(CORPUS).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(3);
    for (const f of pages) {
      const html = decodeBody(corpus(f)).text;
      const base = 'https://www.example.gov.cn/zwgk/zfxxgknb/index.html';
      const $ = cheerio.load(html);
      const reference: { url: string; text: string; title?: string }[] = [];
      $('a[href], area[href]').each((_, el) => {
        const href = $(el).attr('href')!.trim();
        if (!href || /^(javascript:|mailto:|tel:|#)/i.test(href)) return;
        try {
          const u = new URL(href, base);
          u.hash = '';
          reference.push({ url: u.href, text: $(el).text().replace(/\s+/g, ' ').trim(), title: $(el).attr('title')?.trim() });
        } catch {
          /* unparsable */
        }
      });
      expect(extractLinks(html, base), f).toEqual(reference);
    }
  });
});
