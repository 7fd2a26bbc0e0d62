// Chinese government pages come in UTF-8, GBK and GB2312, declared in the HTTP
// header, a <meta>, a BOM, or not at all. Order of trust: BOM (it is in the
// bytes), header, <meta>, then detection (valid UTF-8, else GB18030). GBK and
// GB2312 are decoded as GB18030, their superset, so rare characters in names
// of people and places survive.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type CharsetSource = 'bom' | 'header' | 'meta' | 'detected';

export interface Decoded {
  text: string;
  charset: string;
  source: CharsetSource;
}

export function normaliseCharset(label: string): string {
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (/^(gbk|gb2312|gb_2312-80|x-gbk|gb18030|cp936|windows-936|csgb2312|euc-cn)$/.test(l)) return 'gb18030';
  if (l === 'utf8') return 'utf-8';
  return l;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return m ? normaliseCharset(m[1]) : undefined;
}

/** Looks in the first 4 KB for <meta charset> or <meta http-equiv content="...charset=">. */
export function charsetFromMeta(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m = head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i) ?? head.match(/<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i);
  return m ? normaliseCharset(m[1]) : undefined;
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

export function decodeWith(bytes: Uint8Array, charset: string): string {
  // UTF-8 is most pages: Node's native decoder is several times faster than iconv-lite's.
  if (charset === 'utf-8') {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  const cs = iconv.encodingExists(charset) ? charset : 'utf-8';
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), cs, { stripBOM: true });
}

/** The charset decodeBody would use, without decoding. */
export function detectCharset(bytes: Uint8Array, contentType?: string): { charset: string; source: CharsetSource } {
  const bom = bomCharset(bytes);
  if (bom) return { charset: bom, source: 'bom' };
  const header = charsetFromContentType(contentType);
  if (header && iconv.encodingExists(header)) return { charset: header, source: 'header' };
  const meta = charsetFromMeta(bytes);
  if (meta && iconv.encodingExists(meta)) return { charset: meta, source: 'meta' };
  return { charset: isValidUtf8(bytes) ? 'utf-8' : 'gb18030', source: 'detected' };
}

export function decodeBody(bytes: Uint8Array, contentType?: string): Decoded {
  const { charset, source } = detectCharset(bytes, contentType);
  return { text: decodeWith(bytes, charset), charset, source };
}
