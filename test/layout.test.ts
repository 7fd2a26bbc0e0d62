// The layout rule in eslint.layout.js is what keeps src/ reading as the flow.
// Here it is made to bite: for every pair of folders, an import the layout
// forbids is reported by eslint (as `npm run lint` would) and an allowed one
// is not; and every folder of src/ has a place in the layout.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { FOLDERS, LAYOUT } from '../eslint.layout.js';

const ROOT = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

async function restricted(fromFile: string, spec: string): Promise<boolean> {
  const [res] = await eslint.lintText(`import * as m from '${spec}';\nexport const used = m;\n`, { filePath: join(ROOT, fromFile) });
  return res.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('source layout', () => {
  it('places every folder of src/ in the layout', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.filter((f) => !FOLDERS.includes(f))).toEqual([]);
  });

  it('fails lint on every upstream import and passes the allowed ones', async () => {
    const layout = LAYOUT as Record<string, string[]>;
    for (const from of FOLDERS) {
      for (const to of FOLDERS) {
        if (to === from) continue;
        const allowed = layout[from].includes(to);
        expect(await restricted(`src/${from}/x.ts`, `../${to}/y.ts`), `src/${from} → src/${to}`).toBe(!allowed);
        // The same from a file one folder deeper.
        expect(await restricted(`src/${from}/sub/x.ts`, `../../${to}/y.ts`), `src/${from}/sub → src/${to}`).toBe(!allowed);
      }
    }
  }, 60_000);

  it('names the forbidden import and what to do', async () => {
    const [res] = await eslint.lintText("import { Fetcher } from '../fetch/fetcher.ts';\nexport const f = Fetcher;\n", { filePath: join(ROOT, 'src/store/x.ts') });
    expect(res.messages[0].message).toContain('src/store may import only src/common, src/agency, src/parse');
  });
});
