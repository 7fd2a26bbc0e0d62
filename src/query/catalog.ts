// The metric catalog: every metric the store can answer, with its Chinese
// label as printed in the national format and an English name, so that the
// dashboards show 中文 labels with the English name available. Labels follow
// ../shared/docs/report-format.md (the canonical identifiers).
import { DERIVED_METRICS, REGIME_BREAK, SERIES } from './metrics.ts';
import type { StoreReader } from '../store/reader.ts';

type Label = [zh: string, en: string];

const TABLES: Record<string, Label> = {
  t2: ['主动公开政府信息情况', 'Proactive disclosure'],
  t3: ['收到和处理政府信息公开申请情况', 'Requests received and handled'],
  t4: ['行政复议、行政诉讼情况', 'Administrative reconsideration and litigation'],
  l: ['2008–2018年统计表（旧格式）', 'Legacy statistics, 2008–2018'],
};

/** Rows of the legacy schema (l), by their usual labels. */
const LEGACY_ROWS: Record<string, Label> = {
  'proactive.total': ['主动公开政府信息数', 'information proactively disclosed'], 'proactive.normative_documents': ['主动公开规范性文件数', 'normative documents disclosed'],
  'requests.received': ['收到申请数', 'requests received'], 'requests.in_person': ['当面申请数', 'requests in person'], 'requests.fax': ['传真申请数', 'requests by fax'],
  'requests.email': ['电子邮件申请数', 'requests by e-mail'], 'requests.online': ['网上申请数', 'requests online'], 'requests.letter': ['信函申请数', 'requests by letter'],
  'requests.other': ['其他形式申请数', 'requests in other forms'], 'answers.total': ['对申请的答复总数', 'answers'], 'answers.granted': ['同意公开答复数', 'granted'],
  'answers.partially_granted': ['同意部分公开答复数', 'partially granted'], 'answers.denied': ['不同意公开答复数', 'denied'], 'answers.not_held': ['不属于本机关公开', 'not held by this body'],
  'answers.nonexistent': ['信息不存在', 'information does not exist'], 'review.total': ['行政复议数', 'administrative reconsideration'], 'litigation.total': ['行政诉讼数', 'administrative litigation'],
  'complaints.total': ['行政申诉数', 'complaints'], 'fees.amount_10k_yuan': ['依申请公开收取的费用（万元）', 'fees charged (10k yuan)'],
};
const LEGACY_COLS: Record<string, Label> = { year: ['本年度', 'this year'], cumulative: ['历年累计', 'cumulative'] };

const ROWS: Record<string, Label> = {
  // table 2
  regulations: ['规章', 'regulations'], normative_documents: ['规范性文件', 'normative documents'], licensing: ['行政许可', 'licensing'],
  other_services: ['其他对外管理服务事项', 'other services'], penalty: ['行政处罚', 'penalties'], coercion: ['行政强制', 'coercive measures'],
  fees: ['行政事业性收费', 'administrative fees'], procurement: ['政府集中采购', 'central procurement'],
  // table 3
  new_received: ['本年新收申请', 'new requests received'], carried_over: ['上年结转申请', 'carried over from last year'],
  granted: ['予以公开', 'granted'], partially_granted: ['部分公开', 'partially granted'],
  denied: ['不予公开', 'denied'], 'denied.state_secret': ['不予公开：国家秘密', 'denied: state secret'],
  'denied.prohibited_by_law': ['不予公开：法律法规禁止', 'denied: prohibited by law'], 'denied.security_stability': ['不予公开：三安全一稳定', 'denied: security and stability'],
  'denied.third_party_rights': ['不予公开：第三方合法权益', 'denied: third-party rights'], 'denied.internal_affairs': ['不予公开：内部事务信息', 'denied: internal affairs'],
  'denied.process_information': ['不予公开：过程性信息', 'denied: process information'], 'denied.enforcement_file': ['不予公开：行政执法案卷', 'denied: enforcement file'],
  'denied.administrative_query': ['不予公开：行政查询事项', 'denied: administrative query'],
  unable: ['无法提供', 'unable to provide'], 'unable.not_held': ['无法提供：本机关不掌握', 'unable: not held'],
  'unable.needs_creation': ['无法提供：需另行制作', 'unable: would need creating'], 'unable.unclear': ['无法提供：补正后仍不明确', 'unable: unclear after correction'],
  not_processed: ['不予处理', 'not processed'], 'not_processed.complaint': ['不予处理：信访举报投诉', 'not processed: complaint'],
  'not_processed.repeated': ['不予处理：重复申请', 'not processed: repeated'], 'not_processed.publication': ['不予处理：公开出版物', 'not processed: publication'],
  'not_processed.excessive': ['不予处理：大量反复申请', 'not processed: excessive'], 'not_processed.confirm_or_reissue': ['不予处理：确认或重新出具', 'not processed: confirm or reissue'],
  other: ['其他处理', 'other handling'], 'other.no_correction': ['其他处理：逾期不补正', 'other: no correction'],
  'other.fee_unpaid': ['其他处理：逾期未缴费', 'other: fee unpaid'], 'other.other': ['其他处理：其他', 'other: other'],
  total_processed: ['办理结果总计', 'total processed'], carried_forward: ['结转下年度', 'carried forward'],
  // table 4
  review: ['行政复议', 'administrative reconsideration'], litigation_direct: ['行政诉讼（直接起诉）', 'litigation (direct)'],
  litigation_after_review: ['行政诉讼（复议后起诉）', 'litigation (after reconsideration)'],
};

const COLS: Record<string, Label> = {
  issued: ['本年制发', 'issued'], repealed: ['本年废止', 'repealed'], in_force: ['现行有效', 'in force'], decisions: ['处理决定数', 'decisions'],
  amount_10k_yuan: ['金额（万元）', 'amount (10k yuan)'], new_made: ['本年新制作', 'newly made'], new_published: ['本年新公开', 'newly published'],
  total_published: ['对外公开总数', 'total published'], previous_year: ['上一年项目数', 'previous year'], change: ['本年增/减', 'change'], projects: ['采购项目数', 'projects'],
  natural_person: ['自然人', 'natural persons'], commercial: ['商业企业', 'businesses'], research: ['科研机构', 'research institutes'],
  social_org: ['社会公益组织', 'non-profits'], legal_service: ['法律服务机构', 'legal services'], other_org: ['其他', 'other organisations'], total: ['总计', 'total'],
  upheld: ['结果维持', 'upheld'], corrected: ['结果纠正', 'corrected'], other: ['其他结果', 'other result'], pending: ['尚未审结', 'pending'],
};

const NARRATIVE: Record<string, Label> = {
  audit_results_published: ['公开审计结果', 'audit results published'], website_posts: ['网站发布信息', 'website posts'],
  new_media_posts: ['政务新媒体发布', 'new-media posts'], press_conferences: ['新闻发布会', 'press conferences'],
  policy_interpretations: ['政策解读', 'policy interpretations'], fees_charged: ['收取费用', 'fees charged'], requests_received: ['收到申请（正文）', 'requests received (narrative)'],
};

const DERIVED: Record<string, Label> = {
  disclosure_rate: ['公开率', 'disclosure rate'], review_correction_rate: ['行政复议纠错率', 'reconsideration correction rate'],
  litigation_correction_rate: ['行政诉讼纠错率', 'litigation correction rate'], audit_results_published: NARRATIVE.audit_results_published,
};

export interface MetricInfo {
  id: string;
  type: 'cell' | 'ratio' | 'narrative' | 'series';
  table: string | null;
  label_zh: string;
  label_en: string;
  description: string;
  unit: string;
  /** For a series: the cells of each regime, and where the definitions change. */
  legacy?: string[];
  national?: string[];
  regime_break?: number;
}

function cellInfo(id: string): MetricInfo {
  const [table, ...rest] = id.split('.');
  const col = rest.at(-1)!;
  const row = rest.slice(0, -1).join('.');
  const r = (table === 'l' ? LEGACY_ROWS[row] : ROWS[row]) ?? [row, row];
  const c = (table === 'l' ? LEGACY_COLS[col] : COLS[col]) ?? [col, col];
  const unit = col === 'amount_10k_yuan' || row === 'fees.amount_10k_yuan' ? '万元' : table === 'l' && row.startsWith('proactive') ? '条' : '件';
  return {
    id, type: 'cell', table, label_zh: `${r[0]} · ${c[0]}`, label_en: `${r[1]} · ${c[1]}`,
    description: `${TABLES[table]?.[0] ?? table} (${TABLES[table]?.[1] ?? table}): ${r[0]} / ${c[0]}`, unit,
  };
}

export function metricLabel(id: string): Label {
  const info = describeMetric(id);
  return [info.label_zh, info.label_en];
}

export function describeMetric(id: string): MetricInfo {
  const sd = SERIES[id];
  if (sd) {
    return { id, type: 'series', table: null, label_zh: sd.label_zh, label_en: sd.label_en, description: sd.description, unit: id === 'series.fees' ? '万元' : '件', legacy: sd.legacy, national: sd.national, regime_break: REGIME_BREAK.after };
  }
  const d = DERIVED_METRICS[id];
  if (d) {
    const l = DERIVED[id] ?? [id, id];
    return { id, type: d.type, table: null, label_zh: l[0], label_en: l[1], description: d.description, unit: d.type === 'ratio' ? 'ratio' : '项' };
  }
  if (id.startsWith('narrative.')) {
    const name = id.slice('narrative.'.length);
    const l = NARRATIVE[name] ?? [name, name];
    return { id, type: 'narrative', table: null, label_zh: l[0], label_en: l[1], description: `narrative figure ${name}, read from the report prose with its sentence`, unit: '' };
  }
  return cellInfo(id);
}

/** Every metric of this store: derived ones first, then the cross-regime series, narrative figures, then stored cells. */
export function metricCatalog(store: StoreReader): MetricInfo[] {
  const narrative = store.manifest.dictionaries.narrative.map((n) => `narrative.${n}`);
  return [...Object.keys(DERIVED_METRICS), ...Object.keys(SERIES), ...narrative, ...store.metrics()].map(describeMetric);
}
