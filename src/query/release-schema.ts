// The table schemas of `nianbao release` (Frictionless Table Schema): one
// place that says, for every column of the open-data package, its type and
// what it means in Chinese and English, and how the tables join (primary and
// foreign keys). release.ts writes the CSVs in exactly this column order.

export interface ReleaseField {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  description: string;
  required?: boolean;
  enum?: string[];
}

export interface ReleaseTable {
  name: string;
  path: string;
  title: string;
  description: string;
  fields: ReleaseField[];
  primaryKey?: string[];
  foreignKeys?: { fields: string[]; reference: { resource: string; fields: string[] } }[];
}

const f = (name: string, type: ReleaseField['type'], zh: string, en: string, extra: Partial<ReleaseField> = {}): ReleaseField =>
  ({ name, type, description: `${zh} | ${en}`, ...extra });

const AGENCY_FK = (field = 'agency_id') => ({ fields: [field], reference: { resource: 'agencies', fields: ['id'] } });
const REPORT_FK = { fields: ['report_sha256', 'parser_version'], reference: { resource: 'reports', fields: ['sha256', 'parser_version'] } };

const agencyId = (required = false) => f('agency_id', 'string', '机关标识：<行政区划代码>:<机构>（见 agencies）', 'agency id: <region code>:<institution> (see agencies)', required ? { required } : {});
const year = f('year', 'integer', '报告所统计的年度（不是发布日期）；空 = 未能读出', 'the year the statistics cover (not the publication date); empty = could not be read');
const reportSha = f('report_sha256', 'string', '报告文件的 SHA-256（见 reports）', 'SHA-256 of the report document (see reports)', { required: true });
const parserVersion = f('parser_version', 'string', '产生该数据的解析器版本', 'version of the parser that produced the row', { required: true });

export const RELEASE_TABLES: ReleaseTable[] = [
  {
    name: 'values', path: 'values.csv', title: '表二至表四的数值 Values of tables 2–4',
    description: '每份现行报告在表二、表三、表四中印出的每个单元格（加上商店计算的分类合计，derived = true），与 `nianbao export` 相同；Parquet 版本见 values.parquet。'
      + ' | Every printed cell of tables 2–4 of every current report (plus the category totals the store derives, derived = true), as `nianbao export` gives them; the same rows in values.parquet.',
    fields: [
      agencyId(true),
      f('agency', 'string', '机关名称（首次印出的形式）', 'agency name as first printed'),
      f('region_code', 'string', 'GB/T 2260 行政区划代码', 'GB/T 2260 region code'),
      f('kind', 'string', '机关类别（人民政府、审计……）', 'kind of body (人民政府 government, 审计 audit …)'),
      f('level', 'string', '层级：national/province/city/county/township', 'level: national/province/city/county/township'),
      year,
      f('metric', 'string', '指标标识 table.row.col（见 metrics）', 'metric id table.row.col (see metrics)', { required: true }),
      f('table', 'string', '表：t2 主动公开，t3 依申请公开，t4 复议诉讼', 'table: t2 proactive disclosure, t3 requests, t4 reconsideration and litigation', { required: true, enum: ['t2', 't3', 't4'] }),
      f('row', 'string', '规范行标识', 'canonical row id', { required: true }),
      f('col', 'string', '规范列标识', 'canonical column id', { required: true }),
      f('value', 'number', '数值（金额单位万元）；空白或横线单元格为空，不是 0', 'the number (money in 10,000 yuan); empty for a blank or dash cell, which is not 0'),
      f('cell', 'string', '单元格印出的内容：number/blank/dash/text', 'what the cell held: number/blank/dash/text', { required: true, enum: ['number', 'blank', 'dash', 'text'] }),
      f('derived', 'boolean', '由本数据集计算的分类合计（报告未印出）', 'a category total computed by this dataset, not printed in the report', { required: true }),
      f('ocr_confidence', 'number', '该数值如何读出：空 = 文件中以文字印出；有值 = 由 OCR 从扫描图像识别，值为识别置信度（0–1，单元格中最低的单字概率）',
        'how the value was read: empty = printed as text in the document; a number = read by OCR from a scanned image, the recognition confidence (0–1, the lowest per-character probability in the cell)'),
      reportSha,
    ],
    primaryKey: ['report_sha256', 'metric'],
    foreignKeys: [AGENCY_FK(), { fields: ['metric'], reference: { resource: 'metrics', fields: ['id'] } }],
  },
  {
    name: 'reports', path: 'reports.csv', title: '报告（每个版本一行） Reports, one row per version',
    description: '收入的每份报告文件的每个版本；status = current 的版本才进入 values。 | Every version of every report document taken in; only status = current versions are in values.',
    fields: [
      f('sha256', 'string', '报告文件（存档原件）的 SHA-256', 'SHA-256 of the report document (the archived original)', { required: true }),
      parserVersion,
      agencyId(),
      f('agency_printed', 'string', '报告中印出的机关名称', 'the agency name as printed in the report'),
      f('region_code', 'string', 'GB/T 2260 行政区划代码', 'GB/T 2260 region code'),
      f('level', 'string', '层级', 'level'),
      f('kind', 'string', '机关类别', 'kind of body'),
      year,
      f('template', 'string', '格式：2019/2021 国家格式，legacy = 2019 年前，unknown', 'format: the 2019 or 2021 national format, legacy = before 2019, unknown', { required: true }),
      f('published', 'string', '报告印出的发布日期（原样）', 'publication date as printed'),
      f('title', 'string', '标题', 'title'),
      f('format', 'string', '文件格式：html/pdf/docx/doc/wps/text', 'document format: html/pdf/docx/doc/wps/text', { required: true }),
      f('source_url', 'string', '文件的来源网址', 'where the document was published'),
      f('fetched_at', 'string', '抓取时间（ISO 8601，UTC）；本地文件为空', 'when it was fetched (ISO 8601, UTC); empty for a local file'),
      f('status', 'string', 'current 现行 / superseded 被新版本取代 / unattributed 无法归属机关或年度', 'current / superseded by a newer version / unattributed (no agency or year)', { required: true, enum: ['current', 'superseded', 'unattributed'] }),
      f('status_reason', 'string', '被取代或无法归属的原因', 'why superseded or unattributed'),
      f('values', 'integer', '该版本的数值行数（印出 + 计算）', 'value rows of this version (printed + derived)', { required: true }),
      f('failed_checks', 'integer', '未通过的一致性校验数（见 checks）', 'consistency checks that failed (see checks)', { required: true }),
      f('missing_cells', 'string', '格式中有而文件未印出的单元格（空格分隔的指标标识）：未知，不是 0 也不是空白', 'cells the format has but the document does not print (metric ids, space-separated): unknown, neither 0 nor blank'),
      f('ocr_values', 'integer', '由 OCR 从扫描图像识别的数值行数（0 = 以文字读出）；空 = 未记录', 'value rows read by OCR from a scanned image (0 = read as text); empty = not recorded'),
      f('ocr_min_confidence', 'number', '其中最低的 OCR 识别置信度（0–1）', 'the lowest OCR recognition confidence among them (0–1)'),
    ],
    primaryKey: ['sha256', 'parser_version'],
    foreignKeys: [AGENCY_FK()],
  },
  {
    name: 'agencies', path: 'agencies.csv', title: '机关 Agencies',
    description: '发布报告的机关，按行政区划和机构归一。 | The bodies that publish the reports, normalised by region and institution.',
    fields: [
      f('id', 'string', '稳定标识 <行政区划代码>:<机构>；national:、unresolved:、ambiguous: 开头的见说明', 'stable id <region code>:<institution>; see the README for national:, unresolved:, ambiguous:', { required: true }),
      f('name', 'string', '首次印出的名称', 'name as first printed', { required: true }),
      f('aliases', 'string', '印出过的所有名称（JSON 数组）', 'every printed form (JSON array)'),
      f('region_code', 'string', 'GB/T 2260 行政区划代码', 'GB/T 2260 region code'),
      f('region_name', 'string', '行政区划全称', 'full region name'),
      f('level', 'string', '层级', 'level'),
      f('kind', 'string', '机关类别', 'kind of body'),
      f('kind_group', 'string', 'government/general_office/department', 'government/general_office/department'),
      f('resolution', 'string', 'resolved 已确定 / ambiguous 多个地区均符合（未猜测）/ unresolved', 'resolved / ambiguous (several regions fit; never guessed) / unresolved', { required: true }),
      f('candidates', 'string', 'ambiguous 时的候选行政区划代码（JSON 数组）', 'candidate region codes when ambiguous (JSON array)'),
    ],
    primaryKey: ['id'],
  },
  {
    name: 'metrics', path: 'metrics.csv', title: '数据字典 Data dictionary',
    description: 'values 与 narrative 中每个指标的含义。 | What each metric of values and narrative means.',
    fields: [
      f('id', 'string', '指标标识', 'metric id', { required: true }),
      f('label_zh', 'string', '中文标签（国家格式中的名称）', 'Chinese label (as in the national format)', { required: true }),
      f('label_en', 'string', '英文名称', 'English label', { required: true }),
      f('table', 'string', '所属表（比率和正文数字为空）', 'table (empty for ratios and narrative figures)'),
      f('unit', 'string', '单位（件、万元……）', 'unit (件 items, 万元 10,000 yuan …)'),
      f('definition', 'string', '定义', 'definition', { required: true }),
      f('derived', 'boolean', '不是报告印出的，而是计算所得', 'computed, not printed in the report', { required: true }),
    ],
    primaryKey: ['id'],
  },
  {
    name: 'checks', path: 'checks.csv', title: '一致性校验 Consistency checks',
    description: '国家格式各表之间的关系 1–6 逐份报告的校验结果（关系 5 跨年度）。未通过是一项发现，数值不被修改。 | Relations 1–6 of the national format checked per report (relation 5 across years). A failure is a finding; no value is changed.',
    fields: [
      reportSha, parserVersion, agencyId(), year,
      f('id', 'string', '校验标识，例如 r1:t3.*.total', 'check id, e.g. r1:t3.*.total', { required: true }),
      f('relation', 'integer', '关系编号 1–6', 'relation number 1–6', { required: true }),
      f('status', 'string', 'pass / fail / not_assessable', 'pass / fail / not_assessable', { required: true, enum: ['pass', 'fail', 'not_assessable'] }),
      f('left', 'number', '左边', 'left side'),
      f('right', 'number', '右边', 'right side'),
      f('cells', 'string', '涉及的单元格', 'cells involved', { required: true }),
      f('note', 'string', '说明（例如空白按 0 计）', 'note (e.g. blanks read as 0)'),
    ],
    primaryKey: ['report_sha256', 'parser_version', 'id'],
    foreignKeys: [REPORT_FK, AGENCY_FK()],
  },
  {
    name: 'narrative', path: 'narrative.csv', title: '正文中的数字 Figures read from the prose',
    description: '报告正文中读出的数字，附原句。 | Figures read from the report prose, with the sentence they come from.',
    fields: [
      reportSha, parserVersion, agencyId(), year,
      f('metric', 'string', '指标（见 metrics，前缀 narrative.）', 'metric (see metrics, prefix narrative.)', { required: true }),
      f('value', 'number', '数值', 'the number', { required: true }),
      f('unit', 'string', '单位', 'unit'),
      f('sentence', 'string', '证据：数字所在的原句', 'evidence: the sentence the figure was read from', { required: true }),
      f('evidence', 'string', '全部证据（JSON：句子、分句、数值）', 'all evidence (JSON: sentence, clause, value)', { required: true }),
      f('ocr_confidence', 'number', '空 = 原句在文件中以文字印出；有值 = 原句由 OCR 从扫描图像识别，值为最低识别置信度（0–1）',
        'empty: the sentence is printed text in the file; a number: the sentence was read by OCR from a scanned image, with its lowest recognition confidence (0–1)'),
    ],
    foreignKeys: [REPORT_FK, AGENCY_FK(), { fields: ['metric'], reference: { resource: 'metrics', fields: ['id'] } }],
  },
];

/** The Frictionless resource descriptor of one table (CSV, UTF-8 with BOM). */
export function resourceDescriptor(t: ReleaseTable, extra: { hash: string; bytes: number }): Record<string, unknown> {
  return {
    profile: 'tabular-data-resource', name: t.name, path: t.path, title: t.title, description: t.description,
    format: 'csv', mediatype: 'text/csv', encoding: 'utf-8', hash: `sha256:${extra.hash}`, bytes: extra.bytes,
    dialect: { delimiter: ',', doubleQuote: true, header: true },
    schema: {
      fields: t.fields, missingValues: [''],
      ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}), ...(t.foreignKeys ? { foreignKeys: t.foreignKeys } : {}),
    },
  };
}
