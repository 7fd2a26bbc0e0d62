// `--map https://www.example.gov.cn=http://127.0.0.1:8080`: the crawl keeps the
// site's real URLs everywhere (archive records, link resolution, host checks,
// robots), and only the transport is redirected to the mirror. That is what
// lets a replay or local mirror be crawled "as if it were the site".

export interface OriginMapping {
  from: string; // origin as the site knows it, e.g. https://www.example.gov.cn
  to: string; // origin actually contacted, e.g. http://127.0.0.1:8080
}

export function parseMapping(spec: string): OriginMapping {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`--map "${spec}": expected <site-origin>=<mirror-origin>, e.g. https://www.example.gov.cn=http://127.0.0.1:8080`);
  const from = new URL(spec.slice(0, eq));
  const to = new URL(spec.slice(eq + 1));
  return { from: from.origin, to: to.origin };
}

export class OriginMap {
  private readonly forward = new Map<string, string>();
  private readonly backward = new Map<string, string>();

  constructor(mappings: OriginMapping[] = []) {
    for (const m of mappings) {
      this.forward.set(m.from, m.to);
      this.backward.set(m.to, m.from);
    }
  }

  get targets(): string[] {
    return [...this.forward.values()];
  }

  /** The URL to actually connect to for a site URL. */
  toTransport(url: URL): URL {
    const to = this.forward.get(url.origin);
    if (!to) return url;
    return new URL(url.pathname + url.search, to);
  }

  /** A Location header from the mirror pointing at the mirror itself is read as the site's URL. */
  fromTransport(url: URL): URL {
    const from = this.backward.get(url.origin);
    if (!from) return url;
    return new URL(url.pathname + url.search, from);
  }
}
