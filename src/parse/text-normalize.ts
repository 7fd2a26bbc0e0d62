// Text normalisation shared by every stage that compares printed labels.
// Two levels: `cleanText` keeps the text as a reader would quote it (radicals
// mapped, odd spaces folded); `labelKey` strips everything that varies between
// printings of the same label (spaces inside words, numbering punctuation,
// full-width forms, quotes) so that labels can be matched by meaning.
import { normalizeRadicals } from './normalize-radicals.ts';

const ODD_SPACES = /[\u00a0\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\t\r]+/g;

/** Full-width ASCII (Ｕ+FF01–FF5E) to ASCII; other characters unchanged. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** The text as a reader would quote it: radicals mapped, spaces folded, trimmed. */
export function cleanText(s: string): string {
  return normalizeRadicals(s).replace(ODD_SPACES, ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * A comparison key for labels: no whitespace, half-width, no quotes or
 * brackets or list punctuation. "（三）不予 公开" → "三不予公开".
 */
export function labelKey(s: string): string {
  return toHalfWidth(normalizeRadicals(s))
    .replace(/\s+/g, '')
    .replace(/[\u00a0\u3000\ufeff]/g, '')
    .replace(/[()（）【】[\]〔〕“”"'‘’「」『』《》<>、.．,，:：;；/／\\|·•_\-—–~*#]/g, '');
}

/** Does the text contain at least one CJK ideograph? */
export function hasCjk(s: string): boolean {
  return /[\u3400-\u9fff]/.test(s);
}

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, O: 0, o: 0, '○': 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "二〇二一" → 2021; returns null when a character is not a Chinese digit. */
export function chineseYear(s: string): number | null {
  if (s.length !== 4) return null;
  let n = 0;
  for (const ch of s) {
    const d = CN_DIGITS[ch];
    if (d === undefined) return null;
    n = n * 10 + d;
  }
  return n;
}
