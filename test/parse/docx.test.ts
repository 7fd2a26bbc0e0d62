import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractDocx } from '../../src/parse/docx/index.ts';
import { extractHtml } from '../../src/parse/html/index.ts';
import { UnreadableDocumentError } from '../../src/parse/errors.ts';
import type { DocModel, TableBlock } from '../../src/parse/types.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const corpus = (name: string): Uint8Array => new Uint8Array(readFileSync(`${REPO}../shared/corpus/reports/${name}`));
const tables = (doc: DocModel): TableBlock[] => doc.blocks.filter((b): b is TableBlock => b.kind === 'table');
const texts = (doc: DocModel): string[] => doc.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));

async function reasonOf(bytes: Uint8Array): Promise<string> {
  try {
    await extractDocx(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(UnreadableDocumentError);
    return (err as UnreadableDocumentError).reason;
  }
  throw new Error('expected UnreadableDocumentError');
}

/** A minimal stored (uncompressed) zip archive, to make valid zips that are not DOCX. */
function storedZip(files: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBuf = Buffer.from(name);
    const data = Buffer.from(content);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, end]));
}

describe('extractDocx: 2019 Shanghai report re-rendered as DOCX', () => {
  // one conversion shared by the tests below (mammoth takes a few hundred ms)
  let cached: Promise<DocModel> | undefined;
  const shanghai = (): Promise<DocModel> => (cached ??= extractDocx(corpus('2019_shanghai_shizhengfubangongting.rerendered.docx')));

  it('gives the same tables as the HTML original, cell for cell', async () => {
    const docx = await shanghai();
    const html = extractHtml(corpus('2019_shanghai_shizhengfubangongting.html'));
    expect(docx.format).toBe('docx');
    expect(tables(docx)).toHaveLength(3);
    expect(tables(docx).map((t) => t.rows)).toEqual(tables(html).map((t) => t.rows));
  });

  it('reads table 3 numbers and the rowspan=20 block', async () => {
    const doc = await shanghai();
    const t3 = tables(doc)[1];
    const newReceived = t3.rows.find((r) => r[0].text === '一、本年新收政府信息公开申请数量')!;
    expect(newReceived.slice(3).map((c) => c.text)).toEqual(['821', '35', '', '', '2', '1', '859']);
    const block = t3.rows.filter((r) => r[0].text === '三、本年度办理结果');
    expect(block).toHaveLength(20);
    expect(block.map((r) => r[0].origin)).toEqual([true, ...Array(19).fill(false)]);
    const procurement = tables(doc)[0].rows.find((r) => r[0].text === '政府集中采购')!;
    expect(procurement[3]).toEqual({ text: '251000元', origin: true });
  });

  it('keeps the prose in order with the title', async () => {
    const doc = await shanghai();
    const all = texts(doc);
    expect(doc.title).toBe('2019年上海市人民政府办公厅政府信息公开工作年度报告');
    expect(all[0]).toBe('2019年上海市人民政府办公厅政府信息公开工作年度报告');
    expect(all.indexOf('一、总体情况')).toBeLessThan(all.indexOf('六、其他需要报告的事项'));
    expect(all.some((t) => t.includes('共受理政府信息公开申请859件'))).toBe(true);
  });
});

describe('extractDocx: blank 2021 template', () => {
  it('reads the row labels of the three tables and leaves the value cells blank', async () => {
    const doc = await extractDocx(corpus('template_2021_geshimoban_govnianbao.docx'));
    const [t2, t3, t4] = tables(doc);
    expect(texts(doc).slice(0, 4)).toEqual(['政府信息公开工作年度报告格式模板', '一、总体情况', '（文字描述）', '二、主动公开政府信息情况']);
    expect(t2.rows.map((r) => r[0].text)).toEqual([
      '第二十条第（一）项', '信息内容', '规章', '行政规范性文件',
      '第二十条第（五）项', '信息内容', '行政许可',
      '第二十条第（六）项', '信息内容', '行政处罚', '行政强制',
      '第二十条第（八）项', '信息内容', '行政事业性收费',
    ]);
    expect(t2.rows[12][1].text).toBe('本年收费金额（单位：万元）');
    // full-width-space-only cells are blank
    expect(t2.rows[2].slice(1).map((c) => c.text)).toEqual(['', '', '']);

    expect(t3.rows).toHaveLength(28);
    expect(t3.rows[2].slice(3).map((c) => c.text)).toEqual(['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计']);
    const labels = t3.rows.slice(3).map((r) => r[2].text);
    expect(labels).toEqual([
      '一、本年新收政府信息公开申请数量', '二、上年结转政府信息公开申请数量',
      '（一）予以公开', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
      '1.属于国家秘密', '2.其他法律行政法规禁止公开', '3.危及“三安全一稳定”', '4.保护第三方合法权益',
      '5.属于三类内部事务信息', '6.属于四类过程性信息', '7.属于行政执法案卷', '8.属于行政查询事项',
      '1.本机关不掌握相关政府信息', '2.没有现成信息需要另行制作', '3.补正后申请内容仍不明确',
      '1.信访举报投诉类申请', '2.重复申请', '3.要求提供公开出版物', '4.无正当理由大量反复申请', '5.要求行政机关确认或重新出具已获取信息',
      '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      '3.其他', '（七）总计', '四、结转下年度继续办理',
    ]);
    const block = t3.rows.filter((r) => r[0].text === '三、本年度办理结果');
    expect(block).toHaveLength(22);
    expect(t3.rows.slice(3).every((r) => r.slice(3).every((c) => c.text === ''))).toBe(true);
    expect(t4.rows[3].map((c) => c.text)).toEqual(Array(15).fill(''));
    expect(t4.rows[1].slice(5, 11).map((c) => c.text)).toEqual(['未经复议直接起诉', '未经复议直接起诉', '未经复议直接起诉', '未经复议直接起诉', '未经复议直接起诉', '复议后起诉']);
  });
});

describe('extractDocx: unreadable input', () => {
  it('classifies what is not a readable DOCX', async () => {
    expect(await reasonOf(new Uint8Array())).toBe('corrupt');
    expect(await reasonOf(new TextEncoder().encode('<html><body>不是Word文档</body></html>'))).toBe('corrupt');
    const docx = corpus('template_2021_geshimoban_govnianbao.docx');
    expect(await reasonOf(docx.slice(0, docx.length / 2))).toBe('corrupt');
    expect(await reasonOf(storedZip({ 'readme.txt': 'not a word document' }))).toBe('corrupt');
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await reasonOf(ole)).toBe('unsupported_format');
    ole.set(Buffer.from('EncryptedPackage', 'utf16le'), 512);
    expect(await reasonOf(ole)).toBe('encrypted');
    expect(await reasonOf(corpus('2023_huaian_hongzequ.pdf'))).toBe('corrupt');
  });

  it('rejects a DOCX with no text', async () => {
    const empty = storedZip({
      '[Content_Types].xml':
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      '_rels/.rels':
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      'word/document.xml':
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p></w:body></w:document>',
    });
    expect(await reasonOf(empty)).toBe('corrupt');
  });

  it('reads a minimal valid DOCX', async () => {
    const doc = await extractDocx(
      storedZip({
        '[Content_Types].xml':
          '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        '_rels/.rels':
          '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        'word/document.xml':
          '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
          '<w:p><w:r><w:t>某县2022年政府信息公开工作年度报告</w:t></w:r></w:p>' +
          '<w:p><w:r><w:t>申请人情</w:t></w:r><w:r><w:t>况</w:t></w:r></w:p></w:body></w:document>',
      }),
    );
    expect(doc.title).toBe('某县2022年政府信息公开工作年度报告');
    expect(texts(doc)).toEqual(['某县2022年政府信息公开工作年度报告', '申请人情况']);
  });
});
