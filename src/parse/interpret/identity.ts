// Who published the report, for which year, and when: read from the title
// (container metadata or the first lines), the 统计期限 sentence, the
// signature (落款) and the printed publication date. Each fallback used is
// reported, so a guessed year never passes for a printed one.
import type { DocModel, ParseWarning } from '../types.ts';
import { chineseYear, cleanText } from '../text-normalize.ts';

export interface Identity {
  title: string | null;
  agency: string | null;
  /** Other names the document prints for its publisher (title vs. signature). */
  agencyVariants: string[];
  year: number | null;
  published: string | null;
  warnings: ParseWarning[];
}

const YEAR = '((?:19|20)\\d{2}|[〇零○Ｏ一二三四五六七八九]{4})';
const TITLE = new RegExp(`^(.*?)\\s*${YEAR}\\s*年\\s*度?\\s*([^，。；,]{0,30}?)\\s*(?:政府|政务)?\\s*信\\s*息\\s*公\\s*开[^，。；,]{0,14}?报\\s*告`);
const ORG_SUFFIX = '(人民政府|政府办公厅|政府办公室|办公厅|办公室|办事处|管理委员会|管委会|委员会|委|局|厅|署|院|中心|处|所|站|队|部|馆|会|公司|镇|乡|街道|总队|支队|大队)';
const SIGNATURE = new RegExp(`([\\u4e00-\\u9fff（）()]{2,40}?${ORG_SUFFIX})\\s*${YEAR}\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日`, 'g');

// Page chrome that text renderings keep in front of the title, and the words
// that join a name to the year ("关于印发", "特编制").
const CHROME = /^.*(当前位置|首页|您现在的位置|专栏|专题|互动交流|政务服务|新闻中心|信息公开目录|年度报告|年报|注册|登录|打印|字体|无障碍|有效性[:：]?有效|有效性|市直部门|乡镇\(街道办\)|乡镇（街道办）)/;

export function cleanAgency(text: string): string | null {
  let a = text.replace(/\s+/g, '').split(/[>|｜•·,，。:：;；!！?？》」】\]]/).pop() ?? '';
  a = a.replace(CHROME, '');
  a = a.replace(/^[\d\-./年月日]+/, '').replace(/^有效(?=[\u4e00-\u9fff]{4})/, '');
  a = a.replace(/^(特向社会公布|向社会公布|特此公布|关于印发|关于公布|现将|现予公布|现公布|公布|发布|关于|印发|根据)/, '').replace(/(关于印发|关于|印发|特编制|编制|的)$/, '');
  if (/我局|本局|我单位|本单位|我委|本机关|我镇|我区|我县|我市|条例|规定|《|各(县|部门|单位|乡镇)/.test(a)) return null;
  if (a.length < 2 || a.length > 40) return null;
  return a;
}

// Prose that names the publisher: "请与平度市公安局联系", "可在江苏省统计局官方网站下载",
// "由两城镇人民政府党政办公室编制",
// "2024年，教育部坚持…", "…，官洲街道办事处认真贯彻落实…".
const ORG = '[\\u4e00-\\u9fff（）()]{2,30}?(?:人民政府|办事处|管委会|委员会|住建委|卫健委|委|局|厅|署|部|院|办|中心|镇|乡|街道)';
const BY_PROSE = [
  new RegExp(`请与(${ORG})(?:政务公开办公室|政府信息公开办公室|办公室)?(?:联系|[(（])`),
  new RegExp(`可(?:在|从|登录|通过)(${ORG})(?:官方|门户|政府)?网站`),
  new RegExp(`由(${ORG})(?:党政办公室|办公室|政府信息公开工作领导小组办公室|信息公开工作领导小组办公室)?(?:根据|编制|汇总|负责)`),
  new RegExp(`(?:^|[,，。；])(?:\\d{4}年[,，]?)?(?:在[^,，。]{2,20}下[,，])?(${ORG})(?:坚持|认真|深入|始终|全面|紧紧|高度|严格|积极|持续|不断)`),
];

function toYear(s: string): number | null {
  if (/^\d{4}$/.test(s)) return Number(s);
  return chineseYear(s);
}

/** "标题" lines and the first paragraphs, joined in pairs (titles wrap over two lines). */
function titleCandidates(doc: DocModel): string[] {
  const out: string[] = [];
  for (const k of ['ArticleTitle', '标题', 'Title', 'title']) if (doc.meta[k]) out.push(doc.meta[k]);
  if (doc.title) out.push(doc.title);
  const texts = doc.blocks.filter((b) => b.kind === 'text').slice(0, 8).map((b) => cleanText(b.text));
  texts.forEach((t, i) => {
    out.push(t.slice(0, 200));
    if (i + 1 < texts.length) out.push(`${t}${texts[i + 1]}`.slice(0, 200));
  });
  return out;
}

export function parseTitle(s: string): { agency: string | null; year: number; title: string } | null {
  const t = cleanText(s).replace(/\s+/g, '');
  const m = TITLE.exec(t);
  if (!m) return null;
  // The title ends at 报告: drop site suffixes ("-沭阳县发改局") and chrome before it.
  const title = m[0].replace(/^.*(当前位置|首页|您现在的位置)[:：]?/, '');
  const year = toYear(m[2]);
  if (year === null || year < 2000 || year > 2100) return null;
  const agency = cleanAgency(`${m[1]}${m[3]}`);
  return { agency: agency || null, year, title };
}

function allText(doc: DocModel): string[] {
  return doc.blocks.filter((b) => b.kind === 'text').map((b) => cleanText((b as { text: string }).text));
}

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function readIdentity(doc: DocModel): Identity {
  const warnings: ParseWarning[] = [];
  let title: string | null = null;
  let agency: string | null = null;
  let year: number | null = null;
  for (const cand of titleCandidates(doc)) {
    const parsed = parseTitle(cand);
    if (!parsed) continue;
    title ??= parsed.title;
    year ??= parsed.year;
    agency ??= parsed.agency;
    if (agency && year) break;
  }
  const texts = allText(doc);
  const body = texts.join('\n');

  // The statistics period states the year the figures cover.
  const period = new RegExp(`统计(?:期限|周期|时限|时段|区间|时间)[^。\\n]{0,24}?${YEAR}\\s*年\\s*1\\s*月\\s*1\\s*日`).exec(body);
  const periodYear = period ? toYear(period[1]) : null;
  if (year === null && periodYear !== null) year = periodYear;
  else if (year !== null && periodYear !== null && periodYear !== year) {
    warnings.push({ code: 'year_conflict', message: `the title says ${year} but the statistics period starts in ${periodYear}; the title is kept` });
  }

  // Signature: the publisher's name followed by a date, near the end.
  let signedBy: string | null = null;
  let signedOn: string | null = null;
  const tail = texts.slice(-12).join('\n');
  for (const m of tail.matchAll(SIGNATURE)) {
    const y = toYear(m[3]);
    if (y === null) continue;
    signedBy = m[1].replace(/^.*[。：:；;]/, '');
    signedOn = isoDate(y, Number(m[4]), Number(m[5]));
  }
  if (!signedOn) {
    // A date alone on the last lines (the name may be an image or missing).
    for (const t of texts.slice(-6)) {
      const d = new RegExp(`^${YEAR}\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日$`).exec(t.replace(/\s+/g, ''));
      const y = d ? toYear(d[1]) : null;
      if (d && y) signedOn = isoDate(y, Number(d[2]), Number(d[3]));
    }
  }
  // The signature is the formal name; the title often prints a short form.
  const variants: string[] = [];
  if (signedBy) {
    if (agency && agency !== signedBy) variants.push(agency);
    agency = signedBy;
  }
  if (!agency) {
    const intro = texts.slice(0, 6).join('。').replace(/\s+/g, '');
    for (const re of BY_PROSE) {
      const m = re.exec(intro);
      const name = m ? cleanAgency(m[1]) : null;
      if (name) {
        agency = name;
        warnings.push({ code: 'agency_from_prose', message: `no title or signature names the publisher; read "${name}" from the text` });
        break;
      }
    }
  }
  if (!agency) {
    const publisher = doc.meta['发布机构'] || doc.meta['Author'] || '';
    if (/[\u4e00-\u9fff]{2,}/.test(publisher)) {
      agency = cleanText(publisher);
      warnings.push({ code: 'agency_from_metadata', message: `the publisher is not printed in the report; taken from the page metadata (${agency})` });
    }
  }

  // Publication date: printed 发布日期, then page metadata, then the signature.
  let published: string | null = null;
  const printed = /(?:发布日期|发布时间|成文日期)[:：]\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})/.exec(body);
  if (printed) published = isoDate(Number(printed[1]), Number(printed[2]), Number(printed[3]));
  for (const k of ['PubDate', '发布时间', 'pubdate', 'publishdate']) {
    const v = doc.meta[k];
    const m = v ? /(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})/.exec(v) : null;
    if (!published && m) published = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  published ??= signedOn;

  if (year === null) {
    const first = new RegExp(`${YEAR}\\s*年`).exec(texts.slice(0, 4).join(' '));
    const y = first ? toYear(first[1]) : null;
    if (y) {
      year = y;
      warnings.push({ code: 'year_guessed', message: `no title or statistics period states the year; took ${y}, the first year mentioned` });
    } else if (published) {
      year = Number(published.slice(0, 4)) - 1;
      warnings.push({ code: 'year_guessed', message: `no year is printed; assumed the year before publication (${year})` });
    }
  }
  if (!agency) warnings.push({ code: 'agency_unknown', message: 'the publishing body is not named in the document' });
  return { title, agency, agencyVariants: variants, year, published, warnings };
}
