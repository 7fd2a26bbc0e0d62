// The human-readable parts of a release: README.md (what is in it, coverage,
// caveats, licence) and CITATION.cff (how to cite it). Only counts from the
// store and fixed text go in, so the same store gives the same bytes.
import { loadRegions } from '../agency/index.ts';
import { RELEASE_TABLES } from './release-schema.ts';

export interface Coverage {
  reports: number;
  withFailures: number;
  byYear: Map<string, number>;
  byLevel: Map<string, number>;
  byProvince: Map<string, number>;
}

const LEVEL_ORDER = ['national', 'province', 'city', 'county', 'township', 'unknown'];

function countTable(head: string, m: Map<string, number>, order: (a: string, b: string) => number, label: (k: string) => string = (k) => k): string {
  const rows = [...m.entries()].sort(([a], [b]) => order(a, b)).map(([k, n]) => `| ${label(k)} | ${n} |`);
  return [`| ${head} | reports 报告 |`, '|---|---:|', ...rows].join('\n');
}

const byText = (a: string, b: string) => (a === 'unknown' ? 1 : b === 'unknown' ? -1 : a < b ? -1 : a > b ? 1 : 0);

export function releaseReadme(o: { title: string; version: string; license: string; rows: Record<string, number>; coverage: Coverage }): string {
  const c = o.coverage;
  const regions = loadRegions();
  const province = (code: string) => (code === 'unknown' ? 'unknown (national bodies or not placed) 未定位' : `${regions.byCode.get(code)?.name ?? code} (${code})`);
  const files = RELEASE_TABLES.map((t) => `| \`${t.path}\` | ${o.rows[t.name] ?? 0} | ${t.title} |`).join('\n');
  return `# ${o.title}

Version ${o.version}. Made by \`nianbao release\` from one store; the same store
always gives the same bytes. Check the files with \`sha256sum -c SHA256SUMS\`;
cite with \`CITATION.cff\`.

A [Frictionless Tabular Data Package](https://specs.frictionlessdata.io/tabular-data-package/):
\`datapackage.json\` describes every table (types, descriptions in Chinese and
English, primary and foreign keys). The CSV files are UTF-8 with a byte-order
mark (Excel shows the Chinese); \`values.parquet\` holds the same rows as
\`values.csv\` for pandas, R, DuckDB or Arrow.

| file | rows | what |
|---|---:|---|
${files}
| \`values.parquet\` | ${o.rows.values ?? 0} | the values as Parquet (zstd) |

\`\`\`python
import pandas as pd
values = pd.read_parquet("values.parquet")
reports = pd.read_csv("reports.csv", encoding="utf-8-sig", dtype=str)
\`\`\`

## Coverage

${c.reports} current reports (one per agency and year), ${c.withFailures} of them
with at least one failed consistency check. Superseded versions are listed in
\`reports.csv\` too (status \`superseded\`), their values are not in \`values\`.

${countTable('year 年度', c.byYear, byText)}

${countTable('level 层级', c.byLevel, (a, b) => LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b))}

${countTable('province 省级', c.byProvince, byText, province)}

This is what was collected, not a census: about 100,000 bodies publish a report
every year, and a missing agency-year means the report was not collected or
could not be read, never that nothing happened.

## Caveats 注意

- **Blank is not missing is not zero.** A cell printed blank or with a dash has
  \`value\` empty and \`cell\` = \`blank\`/\`dash\`. A cell the format has but the
  document does not print (lost in a conversion, cut off) has no row in
  \`values\` at all and is listed in \`reports.missing_cells\`: unknown.
- **Sums are lower bounds.** Adding up agencies where some cells are blank or
  missing gives at least, not exactly, the total. The consistency checks read
  blanks and dashes as 0 and say so in \`note\`.
- **The 2018→2019 break.** Reports on 2019 onwards follow the national format
  (revised for 2021: \`template\` 2019/2021); earlier reports (\`legacy\`) count
  different things under similar names, so a series across 2018→2019 is not
  comparable cell by cell.
- **Derived totals.** Rows with \`derived\` = true (the table-3 categories 不予公开,
  无法提供, 不予处理, 其他处理) are sums this project computed from the printed
  sub-rows; they are not printed in the reports.
- **Read by OCR.** Rows with a \`values.ocr_confidence\` were read by machine
  from a scanned page (the report was posted as an image), not from text; the
  number is the recogniser's confidence (0–1). Such figures can be misread
  (0/8, 1/7 …), and nothing was corrected to make sums pass: a failed check
  on such a report may be a misreading. Leave them out with a filter on the
  column when a figure must be as printed.
- **Checks are findings.** A failed check (\`checks.csv\`, \`reports.failed_checks\`)
  means the printed figures do not add up; nothing was corrected.
- **Narrative figures** are read from the prose; each row carries the sentence
  it came from (\`narrative.sentence\`).
- **Agencies** are placed by region and institution; \`ambiguous:\` ids are names
  several regions fit (never guessed), \`unresolved:\` ids could not be placed.

## Licence

The figures come from the annual reports each administrative body publishes
under the Regulations on the Disclosure of Government Information
(《中华人民共和国政府信息公开条例》), at the address in \`reports.source_url\`. They are
government publications; Article 5 of the PRC Copyright Law excludes official
documents of a legislative, administrative or judicial nature from copyright,
and facts and figures are not protected as such, but this package does not
decide whether every report is such a document. The documents themselves are
not redistributed here, only figures read from them and where to find them.

The package's own licence, **${o.license}**, covers the compilation and what this
project made: the table structure, identifiers, agency normalisation, derived
totals, consistency checks, the data dictionary and this documentation. Cite
the package (CITATION.cff) and, for a single figure, the report it comes from.
`;
}

const yamlString = (s: string) => JSON.stringify(s);

export function citationCff(o: { title: string; version: string; license: string; authors: string[] }): string {
  return `cff-version: 1.2.0
message: "If you use this dataset, please cite it as below."
type: dataset
title: ${yamlString(o.title)}
version: ${yamlString(o.version)}
license: ${yamlString(o.license)}
authors:
${o.authors.map((a) => `  - name: ${yamlString(a)}`).join('\n')}
keywords:
  - "open government information"
  - "政府信息公开"
  - "annual reports"
  - "China"
abstract: "Figures of China's government information-disclosure annual reports (政府信息公开工作年度报告): the statistical tables of the national format, figures read from the prose, consistency checks, agencies and a data dictionary, made by nianbao release."
`;
}
