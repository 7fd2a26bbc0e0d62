// The fonts tests draw text with (test/fixtures/fonts): subsets of Noto CJK SC
// shipped in the repository, so a picture drawn by a test has the same glyphs
// on every machine — one with no system fonts draws nothing with `sans-serif`.
import { join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

const DIR = join(import.meta.dirname, 'fixtures/fonts');
export const TEST_SANS = 'Nianbao Test Sans';
export const TEST_SERIF = 'Nianbao Test Serif';

let registered = false;

/** Registers the test fonts (once) and returns their family names for `ctx.font`. */
export function testFonts(): { sans: string; serif: string } {
  if (!registered) {
    const ok = GlobalFonts.registerFromPath(join(DIR, 'NotoSansSC-subset.otf'), TEST_SANS) && GlobalFonts.registerFromPath(join(DIR, 'NotoSerifSC-subset.otf'), TEST_SERIF);
    if (!ok) throw new Error(`test fonts: ${DIR} could not be registered with @napi-rs/canvas`);
    registered = true;
  }
  return { sans: TEST_SANS, serif: TEST_SERIF };
}
