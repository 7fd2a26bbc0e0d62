// src/common: small libraries every stage may use and that use none of ours (one charset rule for fetch, crawl and parse).
//
// Bytes → text for pages and text files, used by the HTTP client (to look
// into a body), the crawler (to find links) and the parser (to read a report),
// so that all three decode the same bytes the same way. Chinese government
// sites still serve a good share of pages in GBK/GB2312, often with a wrong or
// missing declaration, so: a byte-order mark wins (it is in the bytes); a
// declaration (HTTP header, then <meta>) is trusted only as far as the bytes
// agree with it; then detection (valid UTF-8, else GB18030 or Big5 checked for
// plausibility, else windows-1252). Every GB label is read as GB18030, the
// superset, so rare characters in names of people and places survive. Every
// guess is returned as a warning for the parse record.
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** Where the charset came from. */
export type CharsetSource = 'bom' | 'header' | 'meta' | 'detected';

/** A warning in the parser's shape (code + message), for the parse record. */
export interface CharsetWarning {
  code: 'charset_unknown' | 'charset_mismatch' | 'charset_guessed';
  message: string;
}

export interface Decoded {
  text: string;
  /** The charset actually used, lower-case WHATWG-ish name ("utf-8", "gb18030"). */
  charset: string;
  source: CharsetSource;
  warnings: CharsetWarning[];
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

/** The charset label of a Content-Type header (not yet canonical: decodeText checks it). */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return m ? m[1] : undefined;
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
 * checkUtf8 with Node's native validator first: nearly every page is valid
 * UTF-8 (or ASCII), and the byte loop is only needed to tolerate a sequence
 * cut off by a download limit.
 */
function utf8Of(bytes: Uint8Array): Utf8Check {
  if (isUtf8(bytes)) return { valid: true, multibyte: isAscii(bytes) ? 0 : 1 };
  return checkUtf8(bytes);
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

/** Decode with a known charset; a BOM at the start is dropped. */
export function decodeWith(bytes: Uint8Array, charset: string, skip = 0): string {
  const body = skip ? bytes.subarray(skip) : bytes;
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // UTF-8 is most pages: Node's native decoder is several times faster than iconv-lite's.
  if (charset === 'utf-8') {
    const text = buf.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  return iconv.decode(buf, iconv.encodingExists(charset) ? charset : 'windows-1252', { stripBOM: true });
}

/** How the warnings name each source (the parser's long-standing wording). */
const SOURCE_WORD: Record<CharsetSource, string> = { bom: 'bom', header: 'declared', meta: 'meta', detected: 'detected' };

/** The charset decodeText uses, and the text when finding it meant decoding. */
export interface CharsetChoice {
  charset: string;
  source: CharsetSource;
  warnings: CharsetWarning[];
  /** Bytes of a byte-order mark to skip. */
  skip: number;
  /** Set when detection already decoded the bytes (a GB18030/Big5 plausibility check). */
  text?: string;
}

/**
 * Choose the charset of a page or text file. `declared` is the charset an
 * HTTP header (or the caller) states. Order of evidence: a byte-order mark,
 * the declared charset, a <meta> declaration, then detection. A declaration
 * that the bytes contradict is overridden: "UTF-8" bytes that are not valid
 * UTF-8 fall through to the next evidence, and "GBK" bytes that are valid
 * UTF-8 with multi-byte text in them are read as UTF-8 (valid multi-byte
 * UTF-8 is practically never produced by GBK text).
 */
export function chooseCharset(bytes: Uint8Array, declared?: string): CharsetChoice {
  const warnings: CharsetWarning[] = [];
  const bom = bomCharset(bytes);
  // A BOM is in the bytes; a UTF-16 one also means the ASCII-compatible declarations cannot even be read.
  if (bom) return { charset: bom.charset, source: 'bom', warnings, skip: bom.length };

  const header = canonicalCharset(declared);
  if (declared && !header) warnings.push({ code: 'charset_unknown', message: `declared charset "${declared}" is not supported; ignored` });
  const meta = metaCharset(bytes);

  let utf8: Utf8Check | undefined;
  const utf8Check = (): Utf8Check => (utf8 ??= utf8Of(bytes));

  const evidence: Array<{ charset: string; source: CharsetSource }> = [];
  if (header) evidence.push({ charset: header, source: 'header' });
  if (meta) evidence.push({ charset: meta, source: 'meta' });

  for (const e of evidence) {
    const word = SOURCE_WORD[e.source];
    if (e.charset === 'utf-8') {
      if (utf8Check().valid) return { charset: 'utf-8', source: e.source, warnings, skip: 0 };
      warnings.push({ code: 'charset_mismatch', message: `${word} charset utf-8 contradicted by the bytes (not valid UTF-8)` });
      continue;
    }
    if (e.charset === 'gb18030') {
      const u = utf8Check();
      if (u.valid && u.multibyte > 0) {
        warnings.push({ code: 'charset_mismatch', message: `${word} charset ${e.charset} contradicted by the bytes (valid UTF-8); decoded as utf-8` });
        return { charset: 'utf-8', source: 'detected', warnings, skip: 0 };
      }
    }
    return { charset: e.charset, source: e.source, warnings, skip: 0 };
  }

  // Detection: valid UTF-8 (including pure ASCII) is UTF-8; otherwise the
  // Chinese legacy encodings, checked for plausibility; last resort
  // windows-1252 so that every byte still becomes some character.
  if (utf8Check().valid) {
    if (utf8Check().multibyte > 0) warnings.push({ code: 'charset_guessed', message: 'no charset declared; detected utf-8' });
    return { charset: 'utf-8', source: 'detected', warnings, skip: 0 };
  }
  for (const charset of ['gb18030', 'big5']) {
    const text = decodeWith(bytes, charset);
    if (cjkPlausible(text)) {
      warnings.push({ code: 'charset_guessed', message: `no usable charset declaration; detected ${charset}` });
      return { charset, source: 'detected', warnings, skip: 0, text };
    }
  }
  warnings.push({ code: 'charset_guessed', message: 'charset could not be detected; decoded as windows-1252' });
  return { charset: 'windows-1252', source: 'detected', warnings, skip: 0 };
}

/** Decode a page or text file by chooseCharset's rule. */
export function decodeText(bytes: Uint8Array, declared?: string): Decoded {
  const c = chooseCharset(bytes, declared);
  return { text: c.text ?? decodeWith(bytes, c.charset, c.skip), charset: c.charset, source: c.source, warnings: c.warnings };
}

/** An HTTP body: decodeText with the charset of its Content-Type header. */
export function decodeBody(bytes: Uint8Array, contentType?: string): Decoded {
  return decodeText(bytes, charsetFromContentType(contentType));
}
