// HTML extraction on the corpus pages (decoding, body finding, Word-style tables). Hand-made markup: html-markup.test.ts.
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../../src/parse/html/index.ts';
import { decodeText } from '../../src/common/charset.ts';
import { corpus, REPO, rowStarting, tables, texts, utf8, values } from './html-helpers.ts';

describe('decodeText', () => {
  const page = readFileSync(`${REPO}../shared/corpus/reports/2023_pingtan_zongheshiyanqu.html`, 'utf8');

  it('uses <meta charset> for a UTF-8 page without warnings', () => {
    const d = decodeText(corpus('2023_pingtan_zongheshiyanqu.html'));
    expect(d.charset).toBe('utf-8');
    expect(d.warnings).toEqual([]);
    expect(d.text).toBe(page);
  });

  it('decodes a GB18030 page declared <meta charset=gbk> to the original text', () => {
    const gbkPage = page.replace(/<meta charset="utf-8"/gi, '<meta charset="gbk"');
    expect(gbkPage).not.toBe(page);
    const d = decodeText(new Uint8Array(iconv.encode(gbkPage, 'gb18030')));
    expect(d.charset).toBe('gb18030');
    expect(d.warnings).toEqual([]);
    expect(d.text).toBe(gbkPage);
  });

  it('detects GB18030 when nothing is declared, and says it guessed', () => {
    const bare = page.replace(/<meta charset="utf-8"/gi, '<meta');
    expect(bare).not.toMatch(/charset/i);
    const d = decodeText(new Uint8Array(iconv.encode(bare, 'gb18030')));
    expect(d.charset).toBe('gb18030');
    expect(d.text).toBe(bare);
    expect(d.warnings.map((w) => w.code)).toEqual(['charset_guessed']);
  });

  it('gives the same DocModel for the GBK-encoded and the UTF-8 page', () => {
    const bare = page.replace(/<meta charset="utf-8"/gi, '<meta');
    const fromGb = extractHtml(new Uint8Array(iconv.encode(bare, 'gb18030')));
    const fromUtf8 = extractHtml(corpus('2023_pingtan_zongheshiyanqu.html'));
    expect(fromGb.blocks).toEqual(fromUtf8.blocks);
    expect(fromGb.meta.charset).toBe('gb18030');
  });

  it('prefers the declared (HTTP) charset over <meta>', () => {
    // The page still says utf-8 in its <meta>, but the server says GB2312 and the bytes agree.
    const d = decodeText(new Uint8Array(iconv.encode(page, 'gb18030')), 'GB2312');
    expect(d.charset).toBe('gb18030');
    expect(d.text).toBe(page);
  });

  it('overrides a UTF-8 declaration the bytes contradict', () => {
    const d = decodeText(new Uint8Array(iconv.encode(page, 'gb18030')), 'utf-8');
    expect(d.charset).toBe('gb18030');
    expect(d.text).toBe(page);
    expect(d.warnings.map((w) => w.code)).toContain('charset_mismatch');
  });

  it('overrides a GBK declaration when the bytes are valid UTF-8 Chinese', () => {
    const d = decodeText(corpus('2019_shanghai_shizhengfubangongting.html'), 'gbk');
    expect(d.charset).toBe('utf-8');
    expect(d.text).toContain('上海市人民政府办公厅');
    expect(d.warnings.map((w) => w.code)).toEqual(['charset_mismatch']);
  });

  it('honours byte-order marks and strips them', () => {
    const html = '<p>政府信息公开工作年度报告</p>';
    const withBom = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(html)]));
    expect(withBom).toMatchObject({ text: html, charset: 'utf-8', warnings: [] });
    const utf16 = decodeText(new Uint8Array([0xff, 0xfe, ...Buffer.from(html, 'utf16le')]));
    expect(utf16.charset).toBe('utf-16le');
    expect(utf16.text).toBe(html);
  });

  it('reads the charset from <meta http-equiv=Content-Type>', () => {
    const html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>申请人情况</p></body></html>';
    const d = decodeText(new Uint8Array(iconv.encode(html, 'gb18030')));
    expect(d.charset).toBe('gb18030');
    expect(d.text).toBe(html);
    expect(d.warnings).toEqual([]);
  });
});

describe('extractHtml: 2019 Shanghai fragment (no <html>, Word-style tables)', () => {
  const doc = extractHtml(corpus('2019_shanghai_shizhengfubangongting.html'));
  const [t2, t3, t4] = tables(doc);

  it('keeps the whole fragment in order: title, sections, three tables', () => {
    expect(doc.format).toBe('html');
    expect(doc.title).toBe('2019年上海市人民政府办公厅政府信息公开工作年度报告');
    expect(tables(doc)).toHaveLength(3);
    expect(tables(doc).map((t) => t.index)).toEqual([0, 1, 2]);
    const order = doc.blocks.map((b) => (b.kind === 'table' ? `T${b.index}` : b.text));
    const pos = (s: string): number => order.indexOf(s);
    expect(order[0]).toBe('2019年上海市人民政府办公厅政府信息公开工作年度报告');
    expect(pos('发布日期：2020-01-31')).toBe(1);
    expect(pos('一、总体情况')).toBeLessThan(pos('二、主动公开政府信息情况'));
    expect(pos('二、主动公开政府信息情况')).toBe(pos('T0') - 1);
    expect(pos('三、收到和处理政府信息公开申请情况')).toBe(pos('T1') - 1);
    expect(pos('T2')).toBeLessThan(pos('五、政府信息公开工作存在的主要问题及改进情况'));
    expect(order[order.length - 1]).toBe('无。');
    expect(texts(doc).some((t) => t.includes('共受理政府信息公开申请859件'))).toBe(true);
  });

  it('expands table 3 with the rowspan=20 block label in every covered row', () => {
    expect(t3.rows).toHaveLength(26);
    expect(t3.rows.every((r) => r.length === 10)).toBe(true);
    const block = t3.rows.filter((r) => r[0].text === '三、本年度办理结果');
    expect(block).toHaveLength(20);
    expect(block[0][0].origin).toBe(true);
    expect(block.slice(1).every((r) => r[0].origin === false)).toBe(true);
    // the block starts right after 二、上年结转 and ends at （七）总计
    expect(t3.rows[5][0]).toEqual({ text: '三、本年度办理结果', origin: true });
    expect(t3.rows[24][1].text).toBe('（七）总计');
    // nested rowspan=8 inside it
    expect(t3.rows.filter((r) => r[1].text === '（三）不予公开').map((r) => r[1].origin)).toEqual([true, false, false, false, false, false, false, false]);
  });

  it('reads the table-3 numbers into the right columns, &nbsp; cells blank', () => {
    const newReceived = rowStarting(t3, '一、本年新收');
    expect(newReceived[0].origin).toBe(true);
    expect(newReceived.slice(1, 3).every((c) => !c.origin && c.text === newReceived[0].text)).toBe(true);
    expect(values(newReceived, 3)).toEqual(['821', '35', '', '', '2', '1', '859']);
    expect(newReceived[5]).toEqual({ text: '', origin: true });
    expect(values(rowStarting(t3, '（七）总计'), 3)).toEqual(['767', '35', '', '', '2', '1', '805']);
    expect(values(rowStarting(t3, '四、结转下年度继续办理'), 3)).toEqual(['72', '', '', '', '', '', '72']);
    expect(values(rowStarting(t3, '1.本机关不掌握相关政府信息'), 3)).toEqual(['252', '12', '', '', '1', '', '']);
  });

  it('keeps the header structure: merged 申请人情况 / 法人或其他组织 and <br> joined without spaces', () => {
    expect(t3.rows[0].slice(3).map((c) => c.text)).toEqual(Array(7).fill('申请人情况'));
    expect(t3.rows[1].slice(3).map((c) => c.text)).toEqual(['自然人', ...Array(5).fill('法人或其他组织'), '总计']);
    expect(t3.rows[2].slice(3).map((c) => c.text)).toEqual(['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
    expect(t3.rows[2][3].origin).toBe(false);
    expect(t2.rows[1].map((c) => c.text)).toEqual(['信息内容', '本年新制作数量', '本年新公开数量', '本年新公开数量', '对外公开总数量']);
  });

  it('follows the markup where header and data rows use different colspans', () => {
    // (五): header 上一年项目数量 is 1 column wide, the data cell under it spans 2
    const header = t2.rows[5];
    const licensing = rowStarting(t2, '行政许可');
    expect(header.map((c) => c.origin)).toEqual([true, true, true, false, true]);
    expect(licensing.map((c) => c.origin)).toEqual([true, true, false, true, true]);
    expect(licensing.map((c) => c.text)).toEqual(['行政许可', '0', '0', '0', '0']);
    const procurement = rowStarting(t2, '政府集中采购');
    expect(procurement.map((c) => c.text)).toEqual(['政府集中采购', '6', '6', '251000元', '251000元']);
    expect(procurement[3].origin).toBe(true);
    expect(doc.warnings.map((w) => w.code)).not.toContain('ragged_table');
  });

  it('reads the 15 numbers of table 4', () => {
    expect(t4.rows).toHaveLength(4);
    expect(t4.rows[3].map((c) => c.text)).toEqual(['5', '', '', '2', '7', '8', '', '', '1', '9', '', '', '', '', '']);
    expect(t4.rows[0][5]).toEqual({ text: '行政诉讼', origin: true });
  });
});

describe('extractHtml: 2023 Shuyang (UCAP page, Word-pasted spans, collector wrapper)', () => {
  const doc = extractHtml(corpus('2023_shuyang_fagaiju.html'));
  const all = texts(doc);

  it('finds the article body and nothing of the page chrome or the collector header', () => {
    expect(all[0]).toMatch(/^根据《中华人民共和国政府信息公开条例》.*沭阳县发展和改革局2023年度政府信息公开年度报告/);
    for (const chrome of ['繁體版', '无障碍', '索引号', '采集时间', '首页', '当前位置', '网站标识码']) {
      expect(all.some((t) => t.includes(chrome))).toBe(false);
    }
    expect(all[all.length - 1]).toBe('2024年1月17日');
    expect(all[all.length - 2]).toBe('沭阳县发展和改革局');
    expect(tables(doc)).toHaveLength(3);
  });

  it('takes the title from the page heading and the meta tags into meta', () => {
    expect(doc.title).toBe('沭阳县发展和改革局2023年政府信息公开年度报告');
    expect(doc.meta.SiteName).toBe('沭阳县人民政府');
    expect(doc.meta.title).toBe('沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局');
  });

  it('joins labels and numbers split across <span>/<font> without spaces', () => {
    expect(all).toContain('一、总体情况');
    expect(all).toContain('五、存在的主要问题及整改措施');
    expect(all.some((t) => t.includes('全年共审核发布各类公开政府信息249条，其中：发布行政公文和政策解读信息9条；'))).toBe(true);
    expect(all.some((t) => t.includes('统计时限为2023年1月1日至2023年12月31日。'))).toBe(true);
    const t3 = tables(doc)[1];
    expect(t3.rows[0][3].text).toBe('申请人情况');
    expect(t3.rows[0][0].text).toBe('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）');
  });

  it('reads <o:p> cells as blank and keeps the rowspan=22 block', () => {
    const t3 = tables(doc)[1];
    expect(values(rowStarting(t3, '一、本年新收'), 3)).toEqual(['26', '', '', '', '', '', '26']);
    expect(values(rowStarting(t3, '（一）予以公开'), 3)).toEqual(['26', '', '', '', '', '', '26']);
    const block = t3.rows.filter((r) => r[0].text === '三、本年度办理结果');
    expect(block).toHaveLength(22);
    expect(block.filter((r) => r[0].origin)).toHaveLength(1);
    expect(rowStarting(t3, '3.其他')[1]).toEqual({ text: '（六）其他处理', origin: false });
    const t2 = tables(doc)[0];
    expect(rowStarting(t2, '规范性文件').map((c) => c.text)).toEqual(['规范性文件', '8', '0', '18']);
    expect(tables(doc)[2].rows[3].map((c) => c.text).slice(0, 5)).toEqual(['0', '0', '0', '1', '1']);
  });
});

describe('extractHtml: Pingtan TRS pages (full page with site chrome)', () => {
  const cases = [
    { file: '2019_pingtan_zongheshiyanqu.html', year: 2019, pub: '2020-01-20 15:22' },
    { file: '2021_pingtan_zongheshiyanqu.html', year: 2021, pub: '2022-02-08 16:34' },
    { file: '2023_pingtan_zongheshiyanqu.html', year: 2023, pub: '2024-03-08 15:34' },
  ];
  for (const { file, year, pub } of cases) {
    it(`${file}: body found, no navigation, three tables, metadata`, () => {
      const doc = extractHtml(corpus(file));
      const all = texts(doc);
      expect(all.slice(0, 2).join('')).toMatch(/报告/);
      // (the report itself mentions 微信公众号 and 全真版, so chrome words are looked for as short lines)
      for (const chrome of ['首页', '微信', '微博', 'QQ空间', '相关链接', '文件下载', '全真版', '文字版', '打印', '收藏', '分享']) {
        expect(all.filter((t) => t.length < 30 && t.includes(chrome))).toEqual([]);
      }
      expect(all.filter((t) => t.includes('当前位置') || t.includes('{{') || t.includes('版权所有'))).toEqual([]);
      const ts = tables(doc);
      expect(ts).toHaveLength(3);
      expect(ts[0].rows[0][0].text).toBe('第二十条第（一）项');
      expect(ts[1].rows.some((r) => r.some((c) => c.text === '申请人情况'))).toBe(true);
      expect(ts[2].rows[0][0].text).toBe('行政复议');
      expect(all).toContain('二、主动公开政府信息情况');
      expect(all.some((t) => t.startsWith('六、其他需要报告的事项'))).toBe(true);
      expect(doc.title).toBe(`平潭综合实验区${year}年度政府信息公开工作年度报告`);
      expect(doc.meta.ArticleTitle).toBe(doc.title);
      expect(doc.meta.PubDate).toBe(pub);
      expect(doc.meta.ColumnName).toBe('政府信息公开年报');
      expect(doc.warnings.map((w) => w.code)).not.toContain('body_scored');
    });
  }

  it('2019: the two-paragraph title opens the body; the split rowspan=10 blocks stay as printed', () => {
    const doc = extractHtml(corpus('2019_pingtan_zongheshiyanqu.html'));
    expect(texts(doc).slice(0, 2)).toEqual(['平潭综合实验区2019年', '政府信息公开工作年度报告']);
    const t3 = tables(doc)[1];
    expect(values(rowStarting(t3, '一、本年新收'), 3)).toEqual(['23', '0', '0', '0', '0', '0', '23']);
    const origins = t3.rows.filter((r) => r[0].text === '三、本年度办理结果' && r[0].origin);
    expect(origins).toHaveLength(2);
    expect(rowStarting(tables(doc)[0], '政府集中采购').map((c) => c.text)).toEqual(['政府集中采购', '135', '75394432.52元', '75394432.52元']);
  });

  it('2021: body directly in div.article_content; Word tables in <div align=center>', () => {
    const doc = extractHtml(corpus('2021_pingtan_zongheshiyanqu.html'));
    const [t2, t3, t4] = tables(doc);
    expect(rowStarting(t2, '行政事业性收费').map((c) => c.text)).toEqual(['行政事业性收费', '24252.311082', '24252.311082', '24252.311082']);
    expect(rowStarting(t3, '一、本年新收').at(-1)!.text).toBe('70');
    expect(rowStarting(t3, '（七）总计').at(-1)!.text).toBe('69');
    expect(t4.rows[3].map((c) => c.text).slice(0, 5)).toEqual(['1', '0', '2', '0', '3']);
    // the header cell "商业<p>企业" is two paragraphs in one cell
    expect(t3.rows[2].some((c) => c.text === '商业企业')).toBe(true);
  });

  it('2023: plain border=1 tables', () => {
    const doc = extractHtml(corpus('2023_pingtan_zongheshiyanqu.html'));
    const t3 = tables(doc)[1];
    expect(values(rowStarting(t3, '一、本年新收'), 3)).toEqual(['80', '1', '0', '0', '0', '0', '81']);
  });
});
