/* global location, history, URLSearchParams */
// One page renders every dashboard: it reads the dashboard spec
// (dashboards/<id>.json via /api/dashboards/<id>), keeps the filter state in
// the URL (shareable; the back button restores the previous view), fetches the
// data of each view from the API and renders Vega-Lite charts as SVG. Vega runs
// on its expression interpreter (ast: true), so the page needs no eval and the
// CSP can forbid it. Every string from the data is text, never HTML.
import { expressionInterpreter } from '/vendor/vega-interpreter.js';
import { el, safeHref } from './dom.js';

const LEVELS = [['province', '省级'], ['city', '市级'], ['county', '县级'], ['township', '乡镇'], ['national', '国家']];
const CHART_CONFIG = {
  font: '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  legend: { labelLimit: 260, titleFontSize: 12 },
  view: { stroke: null },
  range: { category: { scheme: 'tableau10' } },
};

const $ = (id) => document.getElementById(id);
const id = decodeURIComponent(location.pathname.split('/').pop());

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await res.json().catch(() => ({ error: { message: `HTTP ${res.status}` } }));
  if (!res.ok) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body;
}

const [dash, catalog, agencyList] = await Promise.all([getJson(`/api/dashboards/${encodeURIComponent(id)}`), getJson('/api/metrics?limit=100000'), getJson('/api/agencies?limit=100000')]);
const metricInfo = new Map(catalog.rows.map((m) => [m.id, m]));
const agencies = agencyList.rows;
const defaults = dash.defaults ?? {};

document.title = `${dash.title} ${dash.title_en} — 年报 nianbao`;
$('title').append(dash.title, ' ', el('span', { class: 'en' }, dash.title_en));
$('description').textContent = dash.description;
const nav = await getJson('/api/dashboards');
for (const d of nav.dashboards) $('nav').append(el('a', { href: `/d/${encodeURIComponent(d.id)}`, class: d.id === id ? 'current' : undefined, title: d.title_en }, d.title));

// ---- state in the URL --------------------------------------------------------

function readState() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of dash.filters) s[k] = p.get(k) ?? defaults[k] ?? '';
  // The profile needs one agency: the one with most reports unless the URL names one.
  if (dash.requires === 'agency' && !s.agency && agencies.length) s.agency = [...agencies].sort((a, b) => b.reports - a.reports)[0].id;
  return s;
}

function writeState(s) {
  const p = new URLSearchParams();
  for (const k of dash.filters) if (s[k] && s[k] !== (defaults[k] ?? '')) p.set(k, s[k]);
  const url = location.pathname + (p.toString() ? `?${p}` : '');
  if (url !== location.pathname + location.search) history.pushState(null, '', url);
}

// ---- filters -----------------------------------------------------------------

const uniq = (xs) => [...new Set(xs.filter(Boolean))].sort();

function select(name, label, options, all = '全部 All') {
  const s = el('select', { name, id: `f-${name}` }, all === null ? null : el('option', { value: '' }, all), options.map(([v, t]) => el('option', { value: v }, t)));
  return el('label', { for: `f-${name}` }, label, s);
}

function buildFilters() {
  const f = $('filters');
  const parts = {
    region: () => el('label', { for: 'f-region' }, '地区 Region', el('input', { name: 'region', id: 'f-region', list: 'regions', placeholder: '如 福建 / 350128', size: 14 }),
      el('datalist', { id: 'regions' }, uniq(agencies.map((a) => a.region_name)).map((r) => el('option', { value: r })))),
    level: () => select('level', '层级 Level', LEVELS.map(([v, t]) => [v, `${t} ${v}`])),
    kind: () => select('kind', '类别 Kind', uniq(agencies.map((a) => a.kind)).map((k) => [k, k])),
    year: () => el('label', { for: 'f-year' }, '年度 Years', el('input', { name: 'year', id: 'f-year', placeholder: '2019-2023', size: 11 })),
    agency: () => select('agency', '机关 Agency', agencies.map((a) => [a.id, `${a.name}（${a.region_name ?? a.region_code ?? '?'}）`]), dash.requires === 'agency' ? null : '全部 All'),
    metric: () => select('metric', '指标 Metric', catalog.rows.map((m) => [m.id, `${m.label_zh} · ${m.label_en}`]), null),
    min_requests: () => el('label', { for: 'f-min_requests' }, '最少申请 N ≥', el('input', { name: 'min_requests', id: 'f-min_requests', type: 'number', min: 0, step: 1, size: 5 })),
  };
  for (const k of dash.filters) f.append(parts[k]());
  f.append(el('a', { href: location.pathname, class: 'reset' }, '重置 Reset'));
  f.addEventListener('change', () => {
    const s = {};
    for (const k of dash.filters) s[k] = f.elements[k].value.trim();
    writeState(s);
    void render();
  });
  f.addEventListener('submit', (e) => e.preventDefault());
}

function showState(s) {
  const f = $('filters');
  for (const k of dash.filters) f.elements[k].value = s[k];
}

// ---- data URLs ---------------------------------------------------------------

function sub(text, s) {
  const m = metricInfo.get(s.metric);
  return String(text).replaceAll('{metric}', m?.label_zh ?? s.metric ?? '').replaceAll('{metric_en}', m?.label_en ?? s.metric ?? '');
}

function subSpec(x, s) {
  if (typeof x === 'string') return sub(x, s);
  if (Array.isArray(x)) return x.map((v) => subSpec(v, s));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, subSpec(v, s)]));
  return x;
}

function dataUrl(view, s, format) {
  const path = view.source.path.replace('{agency}', encodeURIComponent(s.agency ?? ''));
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(view.source.params ?? {})) p.set(k, Array.isArray(v) ? v.join(',') : String(v).replace('{metric}', s.metric ?? ''));
  const applies = view.source.filters ?? dash.filters.filter((k) => k !== 'metric');
  for (const k of applies) if (s[k] && !view.source.path.includes(`{${k}}`)) p.set(k, s[k]);
  if (format) p.set('format', format);
  if (format) p.set('download', '');
  const q = p.toString();
  return q ? `${path}?${q}` : path;
}

// ---- views ---------------------------------------------------------------------

function fmt(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('zh-CN') : v.toLocaleString('zh-CN', { maximumFractionDigits: 6 });
  return String(v);
}

function plainTable(rows, columns) {
  const cols = columns ?? Object.keys(rows[0] ?? {}).map((f) => ({ field: f, label: f }));
  return el('table', { class: 'data' },
    el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, c.label)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, cols.map((c) => {
      const v = r[c.field];
      if (c.link) return el('td', {}, r[c.link] ? el('a', { href: safeHref(r[c.link]), rel: 'noopener noreferrer', target: '_blank' }, c.text ?? fmt(v)) : '—');
      // Years are labels, not quantities: no thousands separator.
      return el('td', { class: typeof v === 'number' ? 'num' : undefined }, c.field === 'year' ? String(v ?? '') : fmt(v));
    })))));
}

function pivotTable(rows, p) {
  const years = uniq(rows.map((r) => r[p.column])).sort();
  const byRow = new Map();
  for (const r of rows) {
    if (!byRow.has(r[p.row])) byRow.set(r[p.row], { label: r[p.rowLabel], cells: new Map() });
    byRow.get(r[p.row]).cells.set(r[p.column], r);
  }
  return el('table', { class: 'data pivot' },
    el('thead', {}, el('tr', {}, el('th', {}, '指标 Metric'), el('th', {}, 'id'), years.map((y) => el('th', { class: 'num' }, y)))),
    el('tbody', {}, [...byRow].map(([key, x]) => el('tr', {}, el('td', {}, x.label), el('td', { class: 'muted' }, key), years.map((y) => {
      const c = x.cells.get(y);
      const text = !c ? '' : c.value !== null ? fmt(c.value) : c.cell === 'blank' ? '（空白）' : c.cell === 'dash' ? '—' : '';
      // A value read by OCR from a scan is marked, with its confidence, so nobody takes it for printed text.
      const ocr = c && c.ocr_confidence !== null && c.ocr_confidence !== undefined;
      const title = c ? `${c.cell}${c.derived ? ', derived 推算' : ''}${ocr ? `, OCR 识别 read by OCR, confidence ${c.ocr_confidence}` : ''}` : undefined;
      return el('td', { class: ocr ? 'num ocr' : 'num', title }, text);
    })))));
}

function downloads(view, s) {
  return el('span', { class: 'downloads' }, '下载数据 Data:', ['csv', 'json', 'arrow'].map((f) => el('a', { href: dataUrl(view, s, f), download: '', 'data-format': f }, f.toUpperCase())));
}

function saveImage(url, name) {
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

async function renderView(view, s, box) {
  const title = el('h2', {}, sub(view.title, s), ' ', el('span', { class: 'en' }, sub(view.title_en, s)));
  const tools = el('div', { class: 'tools' }, downloads(view, s));
  const body = el('div', { class: view.kind === 'chart' ? 'chart' : 'table-wrap' });
  const alt = el('div', { class: 'table-wrap', hidden: true });
  box.append(title, tools, body, alt);
  if (view.note) box.append(el('p', { class: 'note' }, view.note));
  let data;
  try {
    data = await getJson(dataUrl(view, s));
  } catch (e) {
    body.append(el('p', { class: 'error' }, `无法载入数据 Could not load: ${e.message}`));
    return;
  }
  const rows = data.rows;
  if (!rows.length) {
    body.append(el('p', { class: 'empty' }, '当前筛选条件下没有数据 · No data for these filters.'));
    return;
  }
  if (view.kind === 'table') return void body.append(plainTable(rows, view.columns));
  if (view.kind === 'pivot') return void body.append(pivotTable(rows, view.columns));
  const spec = subSpec(view.spec, s);
  spec.data = { values: rows };
  // Width follows the page; a height given per row (step) stays as given.
  spec.autosize = { type: 'fit-x', contains: 'padding' };
  const result = await window.vegaEmbed(body, spec, { renderer: 'svg', actions: false, ast: true, expr: expressionInterpreter, config: CHART_CONFIG });
  const name = `${dash.id}-${view.id}`;
  const toggle = el('button', { type: 'button', 'data-action': 'table', 'aria-expanded': 'false' }, '表格 Table');
  toggle.addEventListener('click', () => {
    if (!alt.firstChild) alt.append(plainTable(rows));
    alt.hidden = !alt.hidden;
    toggle.setAttribute('aria-expanded', String(!alt.hidden));
  });
  const png = el('button', { type: 'button', 'data-action': 'png' }, 'PNG');
  png.addEventListener('click', async () => saveImage(await result.view.toImageURL('png', 2), `${name}.png`));
  const svg = el('button', { type: 'button', 'data-action': 'svg' }, 'SVG');
  svg.addEventListener('click', async () => saveImage(await result.view.toImageURL('svg'), `${name}.svg`));
  tools.append(el('span', { class: 'images' }, '图片 Image:', png, svg), toggle);
}

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  document.body.dataset.ready = '0';
  const s = readState();
  showState(s);
  $('status').textContent = '加载中… Loading…';
  const views = $('views');
  const boxes = dash.views.map((v) => el('section', { class: `view view-${v.kind}`, 'data-view': v.id }));
  views.replaceChildren(...boxes);
  await Promise.all(dash.views.map((v, i) => renderView(v, s, boxes[i]).catch((e) => boxes[i].append(el('p', { class: 'error' }, `出错 Error: ${e.message}`)))));
  if (seq !== renderSeq) return;
  $('status').textContent = '';
  document.body.dataset.ready = '1';
}

buildFilters();
window.addEventListener('popstate', () => void render());
await render();
