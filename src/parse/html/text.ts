// Turning the text pieces of one paragraph or table cell into the string the
// interpreter sees. Word-pasted HTML splits a label over many <span>/<font>
// elements and source line breaks ("申请人情</span>\n<span>况"); a browser
// would show the label unbroken, so whitespace between two CJK characters is
// dropped rather than turned into a space. &nbsp;, full-width spaces and the
// other odd spaces count as whitespace, so a cell holding only them is blank.
import { normalizeRadicals } from '../normalize-radicals.ts';

/** Every kind of space we fold into one ASCII space. */
const SPACES = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
/** Invisible characters that are not spaces: deleted outright. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** Unrendered template expressions (avalon/vue "{{el.title}}"). */
const MUSTACHE = /\{\{[^{}]*\}\}/g;

/**
 * Characters that sit in CJK text without spaces: ideographs, radicals,
 * CJK punctuation, full-width forms and the quote/dash marks Chinese text
 * borrows from General Punctuation.
 */
const CJK_CLASS = '\\u2e80-\\u2fdf\\u3000-\\u303f\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef\\u2014\\u2018\\u2019\\u201c\\u201d\\u2026\\u00b7';
const CJK_GAP = new RegExp(`([${CJK_CLASS}]) (?=[${CJK_CLASS}])`, 'g');

/** Collapse whitespace, drop gaps between CJK characters, map radicals; trimmed. */
export function finishText(raw: string): string {
  let s = raw;
  if (s.includes('{{')) s = s.replace(MUSTACHE, ' ');
  s = s.replace(INVISIBLE, '').replace(SPACES, ' ').trim();
  if (!s) return s;
  if (s.includes(' ')) s = s.replace(CJK_GAP, '$1');
  return normalizeRadicals(s);
}

/** True if the piece holds anything but whitespace (in the broad sense above). */
export function hasVisibleText(piece: string): boolean {
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c > 0x20 && c !== 0xa0 && c !== 0x3000 && c !== 0xfeff && !(c >= 0x2000 && c <= 0x200d) && c !== 0x202f && c !== 0x205f) {
      return true;
    }
  }
  return false;
}

/** Count Han ideographs (and radicals, which are Han in disguise): the unit of "how much report text". */
export function countHan(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x2e80 && c <= 0x2fdf)) n++;
  }
  return n;
}
