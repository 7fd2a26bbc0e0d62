// HTML extraction on hand-made markup: the details real pages get wrong, and
// input that is not a readable page. (Corpus pages: html.test.ts.)
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../../src/parse/html/index.ts';
import { corpus, tables, texts, unreadable, utf8 } from './html-helpers.ts';

describe('extractHtml: markup details', () => {
  const html = (body: string, head = ''): Uint8Array =>
    utf8(`<!DOCTYPE html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`);

  it('drops scripts, styles, templates and comments but keeps Word list numbers between conditional comments', () => {
    const doc = extractHtml(
      html(
        '<script>var x = "首页";</script><style>p{}</style><noscript>请启用脚本</noscript><template><p>模板</p></template>' +
          '<!-- 注释 --><p><!--[if !supportLists]-->7、<!--[endif]-->加强培训</p>' +
          '<!--[if gte mso 9]><xml><w:WordDocument>垃圾</w:WordDocument></xml><![endif]--><p>本年度共收到申请5件。</p>',
      ),
    );
    expect(texts(doc)).toEqual(['7、加强培训', '本年度共收到申请5件。']);
  });

  it('joins split labels, folds &nbsp;/full-width spaces, keeps <br> as a paragraph break in prose', () => {
    const doc = extractHtml(
      html(
        '<p><span>申请人情</span>\n<span>况</span></p><p>&nbsp;\u3000</p><p>第一行<br>第二行</p>' +
          '<table><tr><td><span>本年新</span><br/>\n<span>制作数量</span></td><td><o:p></o:p></td><td>&nbsp;</td><td>\u3000\u3000</td><td>商业 企业</td><td>1 2</td></tr></table>',
      ),
    );
    expect(texts(doc)).toEqual(['申请人情况', '第一行', '第二行']);
    expect(tables(doc)[0].rows[0].map((c) => c.text)).toEqual(['本年新制作数量', '', '', '', '商业企业', '1 2']);
  });

  it('maps Kangxi and supplement radicals to unified ideographs', () => {
    const doc = extractHtml(html('<p>\u2f08\u2f26\u2ed3\u671f</p><table><tr><td>\u2f08</td><td>1</td></tr></table>'));
    expect(texts(doc)).toEqual(['人子长期']);
    expect(tables(doc)[0].rows[0][0].text).toBe('人');
  });

  it('treats a table wrapping other tables as layout: inner tables are the tables, outer cells are prose', () => {
    const doc = extractHtml(
      html(
        '<table><tr><td>导航</td></tr><tr><td><p>一、总体情况</p><p>本年度共收到申请5件。</p>' +
          '<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>3</td></tr></table>' +
          '<p>二、主动公开政府信息情况</p></td></tr></table>',
      ),
    );
    const order = doc.blocks.map((b) => (b.kind === 'table' ? `T${b.index}` : b.text));
    expect(order).toEqual(['导航', '一、总体情况', '本年度共收到申请5件。', 'T0', '二、主动公开政府信息情况']);
    expect(tables(doc)[0].rows.map((r) => r.map((c) => c.text))).toEqual([
      ['信息内容', '本年制发件数'],
      ['规章', '3'],
    ]);
  });

  it('pads ragged rows with blank origin cells and warns', () => {
    const doc = extractHtml(html('<table><tr><td>申请人情况</td><td>自然人</td><td>总计</td></tr><tr><td>新收</td><td>5</td></tr></table>'));
    const t = tables(doc)[0];
    expect(t.rows[1]).toEqual([
      { text: '新收', origin: true },
      { text: '5', origin: true },
      { text: '', origin: true },
    ]);
    const w = doc.warnings.find((x) => x.code === 'ragged_table');
    expect(w?.message).toMatch(/ragged table/);
    expect(w?.at).toEqual({ table: 0, row: 1 });
  });

  it('expands rowspan=0 to the end and clips rowspans past the last row', () => {
    const doc = extractHtml(html('<table><tr><td rowspan="0">甲</td><td rowspan="9">乙</td><td>1</td></tr><tr><td>2</td></tr></table>'));
    expect(tables(doc)[0].rows).toEqual([
      [{ text: '甲', origin: true }, { text: '乙', origin: true }, { text: '1', origin: true }],
      [{ text: '甲', origin: false }, { text: '乙', origin: false }, { text: '2', origin: true }],
    ]);
  });

  it('collects TRS metadata, the misspelt Desctiption, og: tags; strips the site suffix from <title>', () => {
    const doc = extractHtml(
      html(
        '<div class="nav"><a href="/">首页</a></div><p>本机关2022年度共收到政府信息公开申请3件，均已按期答复。</p>',
        '<title>某某局2022年政府信息公开工作年度报告 - 某某市人民政府</title><meta name="PubDate" content="2023-01-30 10:00">' +
          '<meta name="ColumnName" content="年度报告"><meta name="Desctiption" content="摘要"><meta property="og:title" content="OG标题">',
      ),
      { url: 'https://example.gov.cn/a/b.html' },
    );
    expect(doc.title).toBe('某某局2022年政府信息公开工作年度报告');
    expect(doc.meta).toMatchObject({
      PubDate: '2023-01-30 10:00',
      ColumnName: '年度报告',
      Description: '摘要',
      'og:title': 'OG标题',
      title: '某某局2022年政府信息公开工作年度报告 - 某某市人民政府',
      url: 'https://example.gov.cn/a/b.html',
      charset: 'utf-8',
    });
  });

  it('finds an unknown CMS body by text density and keeps a report table outside the known container', () => {
    const nav = Array.from({ length: 30 }, (_, i) => `<li><a href="/c${i}">栏目导航第${i}项</a></li>`).join('');
    const prose = Array.from({ length: 6 }, (_, i) => `<p>第${i}段：本机关认真贯彻落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开，不断提升政务公开质量和实效。</p>`).join('');
    const page = `<div class="top"><span>当前位置：首页 &gt; 政务公开</span></div><ul class="menu">${nav}</ul><div class="wrap"><div class="x1">${prose}</div></div><div class="foot"><p>版权所有：某某市人民政府</p><p>网站标识码1234</p></div>`;
    const doc = extractHtml(html(page));
    expect(texts(doc)).toHaveLength(6);
    expect(texts(doc)[0]).toMatch(/^第0段/);
    expect(doc.warnings.map((w) => w.code)).toContain('body_scored');

    const split = `<ul>${nav}</ul><div class="TRS_Editor">${prose}</div><table><tr><td>申请人情况</td><td>总计</td></tr><tr><td>一、本年新收政府信息公开申请数量</td><td>4</td></tr></table><div class="foot"><a href="/">首页</a></div>`;
    const doc2 = extractHtml(html(split));
    expect(texts(doc2)).toHaveLength(6);
    expect(tables(doc2)).toHaveLength(1);
    expect(doc2.warnings.map((w) => w.code)).toContain('table_outside_body');
  });

  it('records attachment links inside the body, resolved against the page URL', () => {
    const doc = extractHtml(html('<div class="TRS_Editor"><p>详见附件：<a href="./P020240101.pdf">2023年政府信息公开工作年度报告.pdf</a></p></div>'), {
      url: 'https://www.example.gov.cn/zfxxgknb/202401/t20240101_1.htm',
    });
    expect(doc.meta.attachments).toBe('https://www.example.gov.cn/zfxxgknb/202401/P020240101.pdf');
  });

  it('extracts a page without tables as paragraphs only', () => {
    const doc = extractHtml(html('<h1>某镇2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>2023年本镇未收到政府信息公开申请。</p>'));
    expect(tables(doc)).toHaveLength(0);
    expect(doc.title).toBe('某镇2023年政府信息公开工作年度报告');
    expect(texts(doc)).toEqual(['某镇2023年政府信息公开工作年度报告', '一、总体情况', '2023年本镇未收到政府信息公开申请。']);
  });

  it('survives malformed HTML: unclosed tags, stray end tags, cells outside rows, deep nesting', () => {
    const doc = extractHtml(
      utf8('<p>一、总体情况<p>本年度<b>收到<i>申请</b>5件</i></span></div><table><td>规章<td>3</tr><tr><td>规范性文件<td>4</table><p>结束'),
    );
    expect(texts(doc)).toEqual(['一、总体情况', '本年度收到申请5件', '结束']);
    expect(tables(doc)[0].rows.map((r) => r.map((c) => c.text))).toEqual([
      ['规章', '3'],
      ['规范性文件', '4'],
    ]);
    const deep = '<div>'.repeat(6000) + '<p>深层嵌套的政府信息公开年度报告正文</p>' + '</div>'.repeat(10);
    expect(texts(extractHtml(utf8(deep)))).toEqual(['深层嵌套的政府信息公开年度报告正文']);
    // the same with site navigation, so that body scoring runs over the deep chain
    const nav = Array.from({ length: 20 }, (_, i) => `<a href="/c${i}">栏目导航${i}</a>`).join('');
    const deepWithNav = `<div class="nav">${nav}</div>` + '<div>'.repeat(6000) + '<p>深层嵌套的政府信息公开工作年度报告正文，本年度共收到申请5件。</p>';
    expect(texts(extractHtml(utf8(deepWithNav)))).toEqual(['深层嵌套的政府信息公开工作年度报告正文，本年度共收到申请5件。']);
  });
});

describe('extractHtml: unreadable input', () => {
  it('rejects an empty or blank file as corrupt', async () => {
    expect((await unreadable(() => extractHtml(new Uint8Array()))).reason).toBe('corrupt');
    expect((await unreadable(() => extractHtml(utf8(' \n\t ')))).reason).toBe('corrupt');
  });

  it('rejects a page with no text at all', async () => {
    expect((await unreadable(() => extractHtml(utf8('<html><body><div> </div><script>var a="报告";</script></body></html>')))).reason).toBe('corrupt');
    expect((await unreadable(() => extractHtml(utf8('<html><body><p><img src="scan1.jpg"><img src="scan2.jpg"></p></body></html>')))).reason).toBe('image_only');
  });

  it('rejects binary files as unsupported_format', async () => {
    const pdf = await unreadable(() => extractHtml(corpus('2023_huaian_hongzequ.pdf')));
    expect(pdf.reason).toBe('unsupported_format');
    expect(pdf.message).toMatch(/PDF/);
    expect((await unreadable(() => extractHtml(corpus('template_2021_geshimoban_govnianbao.docx')))).reason).toBe('unsupported_format');
    const noise = new Uint8Array(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919 + 13) % 256;
    expect((await unreadable(() => extractHtml(noise))).reason).toBe('unsupported_format');
  });
});
