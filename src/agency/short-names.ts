// Names printed short. "柘城县发改委" is 柘城县发展和改革委员会: the institution
// part is expanded (data/short-names.json) so both printings are one body.
// "县地税局" names no division at all, only a level: with a hint (the site's
// region, a region text) of that level it is that region's body; without
// one it stays unresolved, never guessed. Abolished bodies keep their own
// name (地税局 → 地方税务局, not 税务局), so their series are never merged.
import shortFile from './data/short-names.json' with { type: 'json' };

const SHORT = shortFile.institutions as Record<string, string>;
const LEVEL_WORDS = shortFile.levelWords as Record<string, string[]>;

/** The full institution name for a short one ("发改委" → "发展和改革委员会"); other names unchanged. */
export function canonicalInstitution(institution: string): string {
  return SHORT[institution] ?? institution;
}

/** "县地税局" → { levels: ['county'], institution: '地税局' }; null when the name does not start with a bare level word. */
export function bareLevelName(name: string): { levels: string[]; institution: string } | null {
  const levels = LEVEL_WORDS[name[0]];
  const rest = name.slice(1);
  if (!levels || rest.length < 2 || /^[省市州盟县区旗镇乡]/.test(rest)) return null;
  return { levels, institution: rest };
}
