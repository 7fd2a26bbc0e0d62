// What the parser can say about a publisher from its name alone: its kind
// (人民政府, 审计局 …) by suffix. Region codes and levels come from the agency
// registry (src/agency), which knows GB/T 2260; the parser stays pure.
import type { AgencyInfo } from '../types.ts';

const KINDS: [RegExp, string][] = [
  [/人民政府办公(厅|室)$|政府办公(厅|室)$/, '人民政府办公厅/室'],
  [/(街道)?办事处$/, '街道办事处'],
  [/人民政府$|政府$/, '人民政府'],
  [/管(理)?委(员)?会$|党工委管委会$/, '管委会'],
  [/审计(局|厅|署)$/, '审计'],
  [/公安(局|厅|部)$/, '公安'],
  [/教育(局|厅|部)$|教育和体育局$|教体局$/, '教育'],
  [/卫生健康(委员会|委|局)$|卫健(委|局)$/, '卫生健康'],
  [/自然资源(和规划)?(局|厅|部)$/, '自然资源'],
  [/生态环境(局|厅|部)$/, '生态环境'],
  [/统计(局|厅)$|调查(总)?队$/, '统计'],
  [/司法(局|厅|部)$/, '司法'],
  [/税务(局|总局)$/, '税务'],
  [/发展和改革(局|委员会|委)$|发改(局|委)$/, '发展改革'],
  [/财政(局|厅|部)$/, '财政'],
  [/住房和城乡建设(局|委员会|厅|部)$|住建(局|委)$/, '住房城乡建设'],
  [/科学技术(委员会|局|厅|部)$|科委$|科技(局|厅)$/, '科技'],
  [/人力资源和社会保障(局|厅|部)$/, '人力资源社会保障'],
  [/市场监督管理(局|总局)$/, '市场监管'],
  [/交通运输(局|厅|部)$/, '交通运输'],
  [/农业农村(局|厅|部)$/, '农业农村'],
  [/水利(局|厅|部)$|水务局$/, '水利'],
  [/民政(局|厅|部)$/, '民政'],
  [/应急管理(局|厅|部)$/, '应急管理'],
  [/商务(局|厅|部)$/, '商务'],
  [/文化(和|广电)?旅游(局|厅|部)$|文旅局$/, '文化旅游'],
  [/(镇|乡)人民政府$/, '乡镇人民政府'],
];

export function agencyKind(name: string): string | undefined {
  if (/(镇|乡)人民政府$/.test(name)) return '乡镇人民政府';
  return KINDS.find(([re]) => re.test(name))?.[1];
}

export function describeAgency(name: string, variants: string[]): AgencyInfo {
  const info: AgencyInfo = { name };
  const kind = agencyKind(name);
  if (kind) info.kind = kind;
  if (variants.length) info.printedAs = variants;
  return info;
}
