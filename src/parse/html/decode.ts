// Bytes → string for HTML pages. Chinese government sites still serve a good
// share of pages in GBK/GB2312, often with a wrong or missing declaration
// (server says UTF-8, the page was saved as GBK, or nothing is declared), so
// a declaration is trusted only as far as the bytes agree with it, and every
// guess is recorded as a warning for the parse record.
import iconv from 'iconv-lite';
import type { ParseWarning } from '../types.ts';

export interface DecodedHtml {
  text: string;
  /** The charset actually used, lower-case WHATWG-ish name ("utf-8", "gb18030"). */
  charset: string;
  warnings: ParseWarning[];
}

/** How many leading bytes are searched for a <meta> charset declaration. */
const META_SCAN_BYTES = 16 * 1024;

/**
 * Map a declared label to the decoder we use. Every GB label becomes GB18030:
 * it is a superset of GB2312 and GBK, and pages labelled gb2312 routinely
 * contain GBK-only characters (e.g. 镕, 喆) that a strict GB2312 decoder loses.
 */
export function canonicalCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const l = label.trim().toLowerCase().replace(/^["']|["']$/g, '');
  if (!l) return undefined;
  if (l === 'utf8' || l === 'utf-8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  if (/^(gb2312|gbk|gb18030|x-gbk|cp936|ms936|windows-936|euc-cn|csgb2312|chinese|iso-ir-58|gb_2312(-80)?)$/.test(l)) {
    return 'gb18030';
  }
  if (l === 'big5' || l === 'big5-hkscs' || l === 'x-x-big5' || l === 'cn-big5') return 'big5';
  if (l === 'utf-16' || l === 'utf-16le') return 'utf-16le';
  if (l === 'utf-16be') return 'utf-16be';
  // ISO-8859-1 is a frequent default of misconfigured servers; WHATWG treats it as windows-1252.
  if (l === 'iso-8859-1' || l === 'latin1' || l === 'us-ascii' || l === 'ascii') return 'windows-1252';
  return iconv.encodingExists(l) ? l : undefined;
}

function bomCharset(bytes: Uint8Array): { charset: string; length: number } | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  // GB18030 has its own BOM (the encoding of U+FEFF).
  if (bytes.length >= 4 && bytes[0] === 0x84 && bytes[1] === 0x31 && bytes[2] === 0x95 && bytes[3] === 0x33) {
    return { charset: 'gb18030', length: 4 };
  }
  return undefined;
}

/**
 * Find `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">`
 * in the first bytes. Read as latin1 so that multi-byte text around it cannot
 * derail the regular expression; the declaration itself is always ASCII.
 */
export function metaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, META_SCAN_BYTES)).toString('latin1');
  const re = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(head)) !== null) {
    const c = canonicalCharset(m[1]);
    if (c) return c;
  }
  return undefined;
}

export interface Utf8Check {
  /** No invalid sequence (a sequence cut off by the end of the buffer is tolerated). */
  valid: boolean;
  /** Number of well-formed multi-byte sequences seen. */
  multibyte: number;
}

/** Strict UTF-8 validation (no overlongs, no surrogates), counting multi-byte sequences. */
export function checkUtf8(bytes: Uint8Array): Utf8Check {
  let multibyte = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return { valid: false, multibyte };
    }
    // A sequence cut off by the end of the buffer (a download limit) is still UTF-8.
    if (i + need >= n) return { valid: true, multibyte };
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return { valid: false, multibyte };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { valid: false, multibyte };
    multibyte++;
    i += need + 1;
  }
  return { valid: true, multibyte };
}

/**
 * Does the text look like Chinese decoded correctly? Used to check a GB18030
 * (or Big5) guess: real text is mostly common ideographs and CJK punctuation, while a
 * wrong decoding yields rare ideographs, private-use and replacement characters.
 */
function cjkPlausible(text: string): boolean {
  let good = 0;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if ((c >= 0x4e00 && c <= 0x9fa5) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x2010 && c <= 0x2027)) good++;
    else if (c === 0xfffd || (c >= 0xe000 && c <= 0xf8ff)) bad += 4;
    else bad++;
  }
  return good + bad === 0 || good >= 4 * bad;
}

function decodeWith(bytes: Uint8Array, charset: string, skip = 0): string {
  const body = skip ? bytes.subarray(skip) : bytes;
  if (charset === 'utf-8') return new TextDecoder('utf-8').decode(body).replace(/^\ufeff/, '');
  return iconv.decode(Buffer.from(body.buffer, body.byteOffset, body.byteLength), charset).replace(/^\ufeff/, '');
}

/**
 * Decode an HTML page. Order of evidence: the declared (HTTP) charset, then a
 * <meta> declaration, then a byte-order mark, then detection. A declaration
 * that the bytes contradict is overridden: "UTF-8" bytes that are not valid
 * UTF-8 fall through to the next evidence, and "GBK" bytes that are valid
 * UTF-8 with Chinese in it are decoded as UTF-8 (valid multi-byte UTF-8 is
 * practically never produced by GBK text).
 */
export function decodeHtml(bytes: Uint8Array, declaredCharset?: string): DecodedHtml {
  const warnings: ParseWarning[] = [];
  const bom = bomCharset(bytes);
  const declared = canonicalCharset(declaredCharset);
  if (declaredCharset && !declared) {
    warnings.push({ code: 'charset_unknown', message: `declared charset "${declaredCharset}" is not supported; ignored` });
  }
  const meta = metaCharset(bytes);

  // A UTF-16 BOM is unambiguous and the ASCII-compatible declarations above
  // cannot even be read correctly from such bytes.
  if (bom && bom.charset.startsWith('utf-16')) {
    return { text: decodeWith(bytes, bom.charset, bom.length), charset: bom.charset, warnings };
  }

  let utf8: Utf8Check | undefined;
  const utf8Check = (): Utf8Check => (utf8 ??= checkUtf8(bom?.charset === 'utf-8' ? bytes.subarray(3) : bytes));

  const evidence: Array<{ charset: string; source: string }> = [];
  if (declared) evidence.push({ charset: declared, source: 'declared' });
  if (meta) evidence.push({ charset: meta, source: 'meta' });
  if (bom) evidence.push({ charset: bom.charset, source: 'bom' });

  for (const e of evidence) {
    if (e.charset === 'utf-8') {
      if (utf8Check().valid) {
        return { text: decodeWith(bytes, 'utf-8', bom?.charset === 'utf-8' ? 3 : 0), charset: 'utf-8', warnings };
      }
      warnings.push({ code: 'charset_mismatch', message: `${e.source} charset utf-8 contradicted by the bytes (not valid UTF-8)` });
      continue;
    }
    if (e.charset === 'gb18030' && e.source !== 'bom') {
      const u = utf8Check();
      if (u.valid && u.multibyte > 0) {
        warnings.push({ code: 'charset_mismatch', message: `${e.source} charset ${e.charset} contradicted by the bytes (valid UTF-8); decoded as utf-8` });
        return { text: decodeWith(bytes, 'utf-8'), charset: 'utf-8', warnings };
      }
    }
    return { text: decodeWith(bytes, e.charset, e.source === 'bom' && bom ? bom.length : 0), charset: e.charset, warnings };
  }

  // Detection: valid UTF-8 (including pure ASCII) is UTF-8; otherwise the
  // Chinese legacy encoding, checked for plausibility; last resort windows-1252
  // so that every byte still becomes some character.
  if (utf8Check().valid) {
    if (utf8Check().multibyte > 0) warnings.push({ code: 'charset_guessed', message: 'no charset declared; detected utf-8' });
    return { text: decodeWith(bytes, 'utf-8'), charset: 'utf-8', warnings };
  }
  for (const charset of ['gb18030', 'big5']) {
    const text = decodeWith(bytes, charset);
    if (cjkPlausible(text)) {
      warnings.push({ code: 'charset_guessed', message: `no usable charset declaration; detected ${charset}` });
      return { text, charset, warnings };
    }
  }
  warnings.push({ code: 'charset_guessed', message: 'charset could not be detected; decoded as windows-1252' });
  return { text: decodeWith(bytes, 'windows-1252'), charset: 'windows-1252', warnings };
}
