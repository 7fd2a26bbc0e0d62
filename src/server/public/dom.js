/* global Node */
// The only way the front-end builds DOM: strings become text nodes, never
// HTML, because agency names and titles come from the internet.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'href') e.setAttribute('href', safeHref(String(v)));
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** Only our own paths and http(s) links; anything else (javascript:, data:) becomes inert. */
export function safeHref(h) {
  return /^(https?:\/\/|\/(?!\/))/i.test(h) ? h : '#';
}
