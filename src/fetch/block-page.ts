// Refusals dressed as pages: WAF notices, anti-bot JavaScript challenges and
// 访问受限 pages, recognised by the HTTP client so that a blocked fetch is
// recorded as blocked (never parsed, never retried against the defence).
// visibleText is the crude tag-stripper both this check and discovery use.

export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const BLOCK_MARKERS = [
  /访问受限/, /访问被拒绝/, /拒绝访问/, /访问已被拦截/, /请求已被拦截/, /安全验证/, /人机验证/, /滑动验证/, /请完成验证/, /网站防火墙/,
  /云防护/, /Access Denied/i, /Forbidden/i, /Request blocked/i, /请开启(浏览器的)?JavaScript/i, /please enable (JavaScript|cookies)/i,
  /Checking your browser/i, /challenge-platform/i,
  // 瑞数 (Riversecurity) bot defence, common on government portals: an HTTP 412 page that only bootstraps its script.
  /\$_ts\s*=\s*window\[/,
];

/**
 * A 200 response that is really a refusal: WAF pages, anti-bot JS challenges,
 * 访问受限 notices. Only short pages are judged, so a long report that happens
 * to mention 安全验证 in its text is never mistaken for one.
 */
export function detectBlockPage(html: string, text = visibleText(html)): string | undefined {
  if (text.length > 1500) return undefined;
  for (const re of BLOCK_MARKERS) if (re.test(text) || re.test(html.slice(0, 4000))) return `matched ${re.source}`;
  // JS cookie challenge: almost no text, sets a cookie and reloads.
  if (text.length < 200 && /document\.cookie\s*=/.test(html) && /location\.(reload|href|replace)/.test(html)) return 'javascript cookie challenge';
  return undefined;
}

