// The canonical identifiers of report-format.md: the dataset's public schema.
// Row labels are matched by meaning, so each row lists the key phrases that
// identify it once whitespace, numbering ("1."/"1、"/"（一）") and punctuation
// are stripped from the printed label. Phrases are tried in order; the first
// row whose phrase occurs in the label wins, so specific rows come first.

export type TableId = 't2' | 't3' | 't4';

export interface RowDef {
  id: string;
  label: string;
  /** Normalised phrases any of which identifies the row. */
  match: string[];
  /** Phrases that must NOT occur (to keep e.g. a header row off a data row). */
  not?: string[];
}

export const T3_COLS = [
  'natural_person',
  'commercial',
  'research',
  'social_org',
  'legal_service',
  'other_org',
  'total',
] as const;

export const T3_COL_LABELS: Record<(typeof T3_COLS)[number], string> = {
  natural_person: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  social_org: '社会公益组织',
  legal_service: '法律服务机构',
  other_org: '其他',
  total: '总计',
};

/** Table-3 rows in printed order. `other.*` rows exist only in the 2021 format. */
export const T3_ROWS: RowDef[] = [
  { id: 'new_received', label: '一、本年新收政府信息公开申请数量', match: ['本年新收', '新收政府信息公开申请', '本年收到'] },
  { id: 'carried_over', label: '二、上年结转政府信息公开申请数量', match: ['上年结转'] },
  { id: 'granted', label: '（一）予以公开', match: ['予以公开'], not: ['不予公开', '部分公开'] },
  { id: 'partially_granted', label: '（二）部分公开', match: ['部分公开', '区分处理'] },
  { id: 'denied.state_secret', label: '1.属于国家秘密', match: ['国家秘密'] },
  { id: 'denied.prohibited_by_law', label: '2.其他法律行政法规禁止公开', match: ['法规禁止', '禁止公开', '行政止公开', '法律行政法规'] },
  { id: 'denied.security_stability', label: '3.危及“三安全一稳定”', match: ['三安全', '一稳定', '危及'] },
  { id: 'denied.third_party_rights', label: '4.保护第三方合法权益', match: ['第三方'] },
  { id: 'denied.internal_affairs', label: '5.属于三类内部事务信息', match: ['内部事务'] },
  { id: 'denied.process_information', label: '6.属于四类过程性信息', match: ['过程性'] },
  { id: 'denied.enforcement_file', label: '7.属于行政执法案卷', match: ['执法案卷'] },
  { id: 'denied.administrative_query', label: '8.属于行政查询事项', match: ['行政查询', '查询事项'] },
  { id: 'unable.not_held', label: '1.本机关不掌握相关政府信息', match: ['不掌握'] },
  { id: 'unable.needs_creation', label: '2.没有现成信息需要另行制作', match: ['没有现成', '另行制作', '现成信息'] },
  { id: 'unable.unclear', label: '3.补正后申请内容仍不明确', match: ['补正后', '仍不明确'] },
  { id: 'not_processed.complaint', label: '1.信访举报投诉类申请', match: ['信访', '举报投诉'] },
  { id: 'not_processed.repeated', label: '2.重复申请', match: ['重复申请'] },
  { id: 'not_processed.publication', label: '3.要求提供公开出版物', match: ['公开出版物', '出版物'] },
  { id: 'not_processed.excessive', label: '4.无正当理由大量反复申请', match: ['大量反复', '反复申请'] },
  { id: 'not_processed.confirm_or_reissue', label: '5.要求行政机关确认或重新出具已获取信息', match: ['重新出具', '确认或重', '已获取信息'] },
  { id: 'other.no_correction', label: '1.申请人无正当理由逾期不补正', match: ['逾期不补正', '不补正'] },
  { id: 'other.fee_unpaid', label: '2.申请人逾期未按收费通知要求缴纳费用', match: ['缴纳费用', '收费通知'] },
  // other.other ("3.其他") and the single-row "other" are told apart by context.
  { id: 'total_processed', label: '（七）总计', match: ['总计'], not: ['结转'] },
  { id: 'carried_forward', label: '四、结转下年度继续办理', match: ['结转下年', '继续办理', '下年度'] },
];

/** Table-3 rows that belong to each derived category total. */
export const T3_CATEGORIES: Record<string, string[]> = {
  denied: T3_ROWS.filter((r) => r.id.startsWith('denied.')).map((r) => r.id),
  unable: T3_ROWS.filter((r) => r.id.startsWith('unable.')).map((r) => r.id),
  not_processed: T3_ROWS.filter((r) => r.id.startsWith('not_processed.')).map((r) => r.id),
  other: ['other.no_correction', 'other.fee_unpaid', 'other.other'],
};

export const T4_ROWS = ['review', 'litigation_direct', 'litigation_after_review'] as const;
export const T4_COLS = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
export const T4_ROW_LABELS: Record<(typeof T4_ROWS)[number], string> = {
  review: '行政复议',
  litigation_direct: '行政诉讼 未经复议直接起诉',
  litigation_after_review: '行政诉讼 复议后起诉',
};

/** A table-2 row: which columns each format prints for it. */
export interface T2RowDef extends RowDef {
  cols2019: string[];
  cols2021: string[];
}

export const T2_ROWS: T2RowDef[] = [
  { id: 'regulations', label: '规章', match: ['规章'], cols2019: ['new_made', 'new_published', 'total_published'], cols2021: ['issued', 'repealed', 'in_force'] },
  { id: 'normative_documents', label: '行政规范性文件', match: ['规范性文件'], cols2019: ['new_made', 'new_published', 'total_published'], cols2021: ['issued', 'repealed', 'in_force'] },
  { id: 'licensing', label: '行政许可', match: ['行政许可'], cols2019: ['previous_year', 'change', 'decisions'], cols2021: ['decisions'] },
  { id: 'other_services', label: '其他对外管理服务事项', match: ['其他对外管理服务', '对外管理服务'], cols2019: ['previous_year', 'change', 'decisions'], cols2021: [] },
  { id: 'penalty', label: '行政处罚', match: ['行政处罚'], cols2019: ['previous_year', 'change', 'decisions'], cols2021: ['decisions'] },
  { id: 'coercion', label: '行政强制', match: ['行政强制'], cols2019: ['previous_year', 'change', 'decisions'], cols2021: ['decisions'] },
  { id: 'fees', label: '行政事业性收费', match: ['行政事业性收费', '事业性收费'], cols2019: ['previous_year', 'change'], cols2021: ['amount_10k_yuan'] },
  { id: 'procurement', label: '政府集中采购', match: ['政府集中采购', '集中采购'], cols2019: ['projects', 'amount_10k_yuan'], cols2021: [] },
];

/**
 * Table-2 column headers, normalised. A header row assigns these ids to grid
 * columns; data rows then read their cells by position.
 */
export const T2_COL_HEADERS: { id: string; match: string[] }[] = [
  { id: 'new_made', match: ['新制作'] },
  { id: 'new_published', match: ['新公开'] },
  { id: 'total_published', match: ['公开总数', '对外公开总'] },
  { id: 'issued', match: ['制发'] },
  { id: 'repealed', match: ['废止'] },
  { id: 'in_force', match: ['现行有效'] },
  { id: 'previous_year', match: ['上一年'] },
  { id: 'change', match: ['增减', '增/减', '本年增'] },
  { id: 'amount_10k_yuan', match: ['收费金额', '采购总金额', '总金额'] },
  { id: 'projects', match: ['采购项目'] },
  { id: 'decisions', match: ['处理决定'] },
];

export const T2_MONEY_COLS = new Set(['amount_10k_yuan']);

export function cellId(table: string, row: string, col: string): string {
  return `${table}.${row}.${col}`;
}
