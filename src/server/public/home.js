// Home page: every dashboard, listed from /api/dashboards. Text only, never HTML.
import { el } from './dom.js';

const list = document.getElementById('dashboards');
const res = await fetch('/api/dashboards');
const { dashboards } = await res.json();
for (const d of dashboards) {
  const a = el('a', { href: `/d/${encodeURIComponent(d.id)}` }, el('strong', {}, d.title), ' ', el('span', { class: 'en' }, d.title_en));
  list.append(el('li', {}, a, el('p', {}, d.description)));
}
const m = await fetch('/api/reports?status=current&limit=1');
if (m.ok) {
  const r = await m.json();
  document.getElementById('totals').textContent = `当前共 ${r.total} 份报告 · ${r.total} current reports in the store`;
}
