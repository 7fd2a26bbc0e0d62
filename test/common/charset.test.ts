// One charset rule for the whole pipeline: the HTTP client, the crawler and
// the parser decode the same bytes to the same text. Checked on every corpus
// page and excerpt, as served with no declaration, with the declaration the
// crawler would pass on to the parser, and re-encoded as GBK.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { chooseCharset, decodeBody, decodeText, decodeWith } from '../../src/common/charset.ts';
import { extractHtml } from '../../src/parse/html/index.ts';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus');
const files = [
  ...readdirSync(join(CORPUS, 'reports')).filter((f) => /\.(html?|txt|md)$/.test(f)).map((f) => join(CORPUS, 'reports', f)),
  ...readdirSync(join(CORPUS, 'excerpts')).map((f) => join(CORPUS, 'excerpts', f)),
];

describe('one charset module for fetch, crawl and parse', () => {
  it('finds the corpus', () => expect(files.length).toBeGreaterThan(20));

  for (const file of files) {
    const name = file.slice(CORPUS.length + 1);
    it(`decodes ${name} identically through every user`, () => {
      for (const bytes of [new Uint8Array(readFileSync(file)), new Uint8Array(iconv.encode(readFileSync(file, 'utf8'), 'gbk'))]) {
        // The HTTP client looking at a body served without a charset.
        const fetched = decodeBody(bytes, 'text/html');
        // The crawler: the charset it records (and hands to the parser as declared), and its text.
        const chosen = chooseCharset(bytes, undefined);
        const crawled = chosen.text ?? decodeWith(bytes, chosen.charset, chosen.skip);
        // The parser: bare, and with the crawler's charset declared.
        const parsed = decodeText(bytes);
        const parsedWithDeclared = decodeText(bytes, chosen.charset);
        expect(crawled).toBe(fetched.text);
        expect(parsed.text).toBe(fetched.text);
        expect(parsedWithDeclared.text).toBe(fetched.text);
        expect(parsed.charset).toBe(chosen.charset);
        if (/\.html?$/.test(file)) expect(extractHtml(bytes, { charset: chosen.charset }).meta.charset).toBe(chosen.charset);
      }
    });
  }

  it('puts a byte-order mark first, then a declaration the bytes agree with', () => {
    const text = '政府信息公开工作年度报告';
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'text/html; charset=gbk')).toMatchObject({ text, source: 'bom' });
    const gbk = new Uint8Array(iconv.encode(text, 'gbk'));
    expect(decodeBody(gbk, 'text/html; charset=utf-8')).toMatchObject({ text, charset: 'gb18030', source: 'detected' });
    expect(decodeBody(new Uint8Array(Buffer.from(text)), 'text/html; charset=gb2312')).toMatchObject({ text, charset: 'utf-8' });
  });
});
