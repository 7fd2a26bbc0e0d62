// Local imitations of JavaScript-rendered government CMSs, added to the test
// site (test-site.ts) as extra routes. The markup and scripts are written
// for these tests in the manner of the patterns the issue describes — no
// real site's code — and every report body is a real report from
// ../shared/corpus, read at test time:
//
// 1. /jsq/ — an Epoint-WebBuilder-style county platform (集约化): the list
//    page is an empty <ul> filled from a POSTed JSON API (JSON request body),
//    paged by an onclick 下一页 link; article pages are empty shells whose
//    body comes from a second API by XHR; one article is only an attachment
//    behind a REST download URL (no file extension); the list mixes in a
//    notice and a news item that are not reports.
// 2. /spa/ — a hash-routed single-page app: `index.html#/xxgk/nb` is the
//    list, `#/xxgk/nb/detail/<id>` an article; list and bodies come from a
//    GET JSON API without any URL in it, paging by a <button>.
import { corpus, html, send, type Handler } from './test-site.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const textBody = (file: string) => `<pre>${esc(corpus(file).toString('utf8'))}</pre>`;
const htmlBody = (file: string) => corpus(file).toString('utf8');

interface Article { id: string; title: string; body?: () => string; attachment?: { name: string; guid: string; file: string } }

export const JSQ_ARTICLES: Article[] = [
  { id: 'a1f0', title: '平潭综合实验区2023年政府信息公开工作年度报告', body: () => htmlBody('2023_pingtan_zongheshiyanqu.html') },
  { id: 'b2e1', title: '关于做好2023年政府信息公开工作年度报告发布工作的通知' },
  { id: 'c3d2', title: '平潭综合实验区2021年政府信息公开工作年度报告', body: () => htmlBody('2021_pingtan_zongheshiyanqu.html') },
  { id: 'd4c3', title: '平潭召开政务公开工作推进会' },
  { id: 'e5b4', title: '沭阳县发展和改革局2023年政府信息公开年度报告', body: () => htmlBody('2023_shuyang_fagaiju.html') },
  { id: 'f6a5', title: '淮安市人民政府2024年政府信息公开工作年度报告', attachment: { name: '淮安市人民政府2024年政府信息公开工作年度报告.pdf', guid: '9f3a-77c1', file: '2024_huaian_shizhengfu.pdf' } },
  { id: 'a7f6', title: '平潭综合实验区2019年政府信息公开工作年度报告', body: () => htmlBody('2019_pingtan_zongheshiyanqu.html') },
];

export const SPA_ARTICLES: Article[] = [
  { id: '101', title: '平潭综合实验区2017年度政府信息公开工作年度报告', body: () => textBody('2017_pingtan_zongheshiyanqu.txt') },
  { id: '102', title: '2024年政务公开工作要点' },
  { id: '103', title: '平潭综合实验区2016年度政府信息公开工作年度报告', body: () => textBody('2016_pingtan_zongheshiyanqu.txt') },
  { id: '104', title: '平潭县人民政府2012年政府信息公开工作年度报告', body: () => textBody('2012_pingtan_xianrenminzhengfu.txt') },
];

const isReport = (a: Article) => /年度报告/.test(a.title) && !/通知/.test(a.title);
/** What a crawl must find: article pages (with the rendered body) and the attachment. */
export const JS_EXPECTED = {
  jsq: JSQ_ARTICLES.filter((a) => isReport(a) && a.body).map((a) => `/jsq/zfxxgknb/detail.html?infoid=${a.id}`),
  jsqAttachment: '/EpointWebBuilder/WebbuilderMIS/attach/downloadZtbAttach.jspx?attachGuid=9f3a-77c1&appUrlFlag=ztb',
  spa: SPA_ARTICLES.filter((a) => isReport(a)).map((a) => `/spa/index.html#/xxgk/nb/detail/${a.id}`),
  nonReports: [...JSQ_ARTICLES, ...SPA_ARTICLES].filter((a) => !isReport(a)).map((a) => a.id),
};

const JSQ_LIST_JS = `
(function () {
  var pageIndex = 0, pageSize = 3, total = 0;
  function load() {
    var x = new XMLHttpRequest();
    x.open('POST', '/EpointWebBuilder/rest/frontAppCustomAction/getPageInfoListNew');
    x.setRequestHeader('Content-Type', 'application/json;charset=UTF-8');
    x.onload = function () {
      var d = JSON.parse(x.responseText).custom;
      total = d.count;
      var ul = document.getElementById('showlist'), h = '';
      for (var i = 0; i < d.infodata.length; i++) {
        var it = d.infodata[i];
        h += '<li><a href="' + it.infourl + '" target="_blank" title="' + it.title + '">' + it.title.slice(0, 14) + '</a><span>' + it.infodate + '</span></li>';
      }
      ul.innerHTML = h;
      var pages = Math.ceil(total / pageSize);
      document.getElementById('pager').innerHTML = '<span>第' + (pageIndex + 1) + '/' + pages + '页</span>' +
        (pageIndex + 1 < pages ? '<a href="javascript:void(0)" onclick="window.__next()">下一页</a>' : '<a class="disabled">下一页</a>');
    };
    x.send(JSON.stringify({ params: { siteGuid: '7eb5f7f1-9041-43ad-8e13-8fcb82ea831a', categoryNum: '003001', pageIndex: pageIndex, pageSize: pageSize } }));
  }
  window.__next = function () { pageIndex++; load(); };
  load();
})();`;

const JSQ_DETAIL_JS = `
(function () {
  var id = (location.search.match(/infoid=([\\w-]+)/) || [])[1];
  var x = new XMLHttpRequest();
  x.open('GET', '/EpointWebBuilder/rest/infoapi/getInfoDetail?infoid=' + id);
  x.onload = function () {
    var d = JSON.parse(x.responseText);
    document.title = d.title;
    document.getElementById('title').textContent = d.title;
    var h = d.infoContent || '';
    for (var i = 0; i < d.attachments.length; i++) h += '<p>附件：<a href="' + d.attachments[i].url + '">' + d.attachments[i].name + '</a></p>';
    document.getElementById('content').innerHTML = h;
  };
  x.send();
})();`;

const SPA_APP_JS = `
(function () {
  var app = document.getElementById('app');
  function get(url, cb) { fetch(url).then(function (r) { return r.json(); }).then(cb); }
  function list(pageNo) {
    get('/spa/api/nb/list?pageNo=' + pageNo + '&pageSize=2', function (d) {
      var h = '<h2>政府信息公开年报</h2><ul>';
      d.data.records.forEach(function (r) { h += '<li><a href="#/xxgk/nb/detail/' + r.id + '">' + r.title + '</a></li>'; });
      h += '</ul>';
      if (pageNo * 2 < d.data.total) h += '<button type="button" id="more">下一页</button>';
      app.innerHTML = h;
      var b = document.getElementById('more');
      if (b) b.onclick = function () { list(pageNo + 1); };
    });
  }
  function route() {
    var m = location.hash.match(/^#\\/xxgk\\/nb\\/detail\\/(\\d+)/);
    if (m) get('/spa/api/nb/detail?id=' + m[1], function (d) { app.innerHTML = '<h1>' + d.data.title + '</h1><div class="content">' + d.data.content + '</div>'; });
    else if (/^#\\/xxgk\\/nb/.test(location.hash)) list(1);
    else app.innerHTML = '<p>首页</p>';
  }
  window.addEventListener('hashchange', route);
  route();
})();`;

export function jsSiteRoutes(): Map<string, Handler> {
  const r = new Map<string, Handler>();
  const chrome = (body: string, script: string) => html('政府信息公开', `<div class="header"><img src="/jsq/images/logo.png"><a href="/">首页</a></div>${body}<script src="${script}"></script>`)
    .replace('</head>', '<link rel="stylesheet" href="/jsq/css/main.css"><link rel="stylesheet" href="https://cdn.example.com/font.css"></head>');
  r.set('/jsq/zfxxgknb/index.html', (_q, s) => send(s, chrome('<h2>政府信息公开年报</h2><ul id="showlist"></ul><div id="pager"></div>', '/jsq/js/list.js')));
  r.set('/jsq/zfxxgknb/detail.html', (_q, s) => send(s, chrome('<h1 id="title"></h1><div id="content"></div>', '/jsq/js/detail.js')));
  r.set('/jsq/js/list.js', (_q, s) => send(s, JSQ_LIST_JS, 'application/javascript'));
  r.set('/jsq/js/detail.js', (_q, s) => send(s, JSQ_DETAIL_JS, 'application/javascript'));
  r.set('/jsq/css/main.css', (_q, s) => send(s, 'body{font-size:14px}', 'text/css'));
  r.set('/jsq/images/logo.png', (_q, s) => send(s, Buffer.alloc(64), 'image/png'));
  r.set('/EpointWebBuilder/rest/frontAppCustomAction/getPageInfoListNew', (q, s, body) => {
    if (q.method !== 'POST') return send(s, '{"error":"POST only"}', 'application/json', 405);
    const p = (JSON.parse(body || '{}') as { params?: { pageIndex?: number; pageSize?: number } }).params ?? {};
    const from = (p.pageIndex ?? 0) * (p.pageSize ?? 3);
    const infodata = JSQ_ARTICLES.slice(from, from + (p.pageSize ?? 3)).map((a) => ({ title: a.title, infourl: `/jsq/zfxxgknb/detail.html?infoid=${a.id}`, infodate: '2024-01-20' }));
    send(s, JSON.stringify({ custom: { infodata, count: JSQ_ARTICLES.length } }), 'application/json;charset=UTF-8');
  });
  r.set('/EpointWebBuilder/rest/infoapi/getInfoDetail', (q, s) => {
    const id = new URL(q.url!, 'http://x').searchParams.get('infoid');
    const a = JSQ_ARTICLES.find((x) => x.id === id);
    if (!a) return send(s, '{"error":"no such info"}', 'application/json', 404);
    const attachments = a.attachment ? [{ name: a.attachment.name, url: `/EpointWebBuilder/WebbuilderMIS/attach/downloadZtbAttach.jspx?attachGuid=${a.attachment.guid}&appUrlFlag=ztb` }] : [];
    send(s, JSON.stringify({ title: a.title, infoContent: a.body?.() ?? '<p>无正文</p>', attachments }), 'application/json;charset=UTF-8');
  });
  r.set('/EpointWebBuilder/WebbuilderMIS/attach/downloadZtbAttach.jspx', (q, s) => {
    const guid = new URL(q.url!, 'http://x').searchParams.get('attachGuid');
    const a = JSQ_ARTICLES.find((x) => x.attachment?.guid === guid);
    if (!a?.attachment) return send(s, 'not found', 'text/plain', 404);
    send(s, corpus(a.attachment.file), 'application/octet-stream', 200, { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.attachment.name)}` });
  });

  r.set('/spa/index.html', (_q, s) => send(s, html('平潭综合实验区政务公开', '<div id="app"></div><script src="/spa/app.js"></script>')));
  r.set('/spa/app.js', (_q, s) => send(s, SPA_APP_JS, 'application/javascript'));
  r.set('/spa/api/nb/list', (q, s) => {
    const u = new URL(q.url!, 'http://x');
    const no = Number(u.searchParams.get('pageNo') ?? 1), size = Number(u.searchParams.get('pageSize') ?? 2);
    const records = SPA_ARTICLES.slice((no - 1) * size, no * size).map((a) => ({ id: a.id, title: a.title, publishDate: '2024-01-20' }));
    send(s, JSON.stringify({ code: 200, data: { records, total: SPA_ARTICLES.length } }), 'application/json');
  });
  r.set('/spa/api/nb/detail', (q, s) => {
    const a = SPA_ARTICLES.find((x) => x.id === new URL(q.url!, 'http://x').searchParams.get('id'));
    if (!a) return send(s, '{"code":404}', 'application/json', 404);
    send(s, JSON.stringify({ code: 200, data: { title: a.title, content: a.body?.() ?? '<p>（略）</p>' } }), 'application/json');
  });
  return r;
}
