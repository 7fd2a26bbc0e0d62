// The source layout as a rule: src/ has one folder per stage, and each folder
// may import only the folders named here (no upstream imports, no cycles).
// Read as the flow: crawl → fetch → archive → parse → store → query → server,
// joined in one place (pipeline) and driven by the CLI. `common` and `agency`
// are leaf libraries (charset decoding; the registry of regions and bodies).
// eslint applies it through no-restricted-imports, so `npm test` fails on a
// forbidden import; test/layout.test.ts proves the rule bites.
export const LAYOUT = {
  common: [],
  agency: [],
  fetch: ['common'],
  archive: ['common', 'fetch'],
  crawl: ['common', 'fetch', 'archive'],
  parse: ['common', 'agency'],
  store: ['common', 'agency', 'parse'],
  query: ['common', 'agency', 'parse', 'store'],
  pipeline: ['common', 'agency', 'fetch', 'archive', 'crawl', 'parse', 'store', 'query'],
  server: ['common', 'agency', 'archive', 'store', 'query'],
  cli: ['common', 'agency', 'fetch', 'archive', 'crawl', 'parse', 'store', 'query', 'pipeline', 'server'],
};

const FOLDERS = Object.keys(LAYOUT);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One eslint config block per folder, forbidding relative imports of every folder it may not use. */
export function layoutRules() {
  return FOLDERS.map((folder) => {
    const forbidden = FOLDERS.filter((f) => f !== folder && !LAYOUT[folder].includes(f));
    const rule = forbidden.length
      ? ['error', {
          patterns: [{
            // From src/<folder>/x.ts a sibling folder is ../<name>/…, from deeper files ../../<name>/…
            regex: `^(\\.\\./)+(${forbidden.map(escape).join('|')})(/|$)`,
            message: `src/${folder} may import only ${LAYOUT[folder].length ? LAYOUT[folder].map((f) => `src/${f}`).join(', ') : 'no other folder of src'} (eslint.layout.js): move the code, or pass it in from src/pipeline or src/cli.`,
          }],
        }]
      : 'off';
    return { files: [`src/${folder}/**/*.ts`], rules: { 'no-restricted-imports': rule } };
  });
}

/** Folders of src that the layout does not name are an error too: a new stage must be placed in the flow. */
export { FOLDERS };
