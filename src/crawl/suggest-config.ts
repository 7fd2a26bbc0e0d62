// `nianbao crawl --suggest-config`: when rendering found a site's report
// links in a JSON list API, write a site config that calls that API directly
// (pagination `json-api`), so later runs list the reports without a browser.
// Article pages whose bodies still need scripts are rendered as before
// (`render: "auto"`).
import type { ListApi, RunReport } from '../archive/run-records.ts';
import { parseSiteConfig, type SiteConfig } from './site-config.ts';

/** The API that gave the most links, if any; undefined when the run saw none. */
export function bestListApi(report: RunReport): ListApi | undefined {
  return [...(report.listApis ?? [])].sort((a, b) => b.links - a.links)[0];
}

/** A validated config for `site` using the run's best list API; undefined when the run saw no list API. */
export function suggestConfig(site: SiteConfig, report: RunReport): SiteConfig | undefined {
  const api = bestListApi(report);
  if (!api) return undefined;
  const pageParam = api.pageParam ?? 'page';
  const firstPage = api.pageValues?.length ? Math.min(...api.pageValues) : 1;
  const params: Record<string, string> = { ...(api.params ?? {}) };
  delete params[pageParam];
  if (api.sizeParam) delete params[api.sizeParam];
  const apiHost = new URL(api.url).host;
  const hosts = [...new Set([...site.hosts, apiHost])];
  const pagination = {
    type: 'json-api',
    url: api.url,
    method: api.method,
    ...(api.jsonBody !== undefined ? { jsonBody: api.jsonBody } : { params }),
    pageParam,
    ...(api.sizeParam ? { sizeParam: api.sizeParam, pageSize: api.pageSize } : {}),
    firstPage,
    itemsPath: api.itemsPath,
    titleField: api.titleField,
    urlField: api.urlField,
    ...(api.totalPath ? { totalPath: api.totalPath } : {}),
  };
  const { pagination: _old, ...rest } = site;
  const paging = api.pageParam ? `paged by ${api.pageParam} (${api.pageValues?.join(', ')})` : `page parameter not seen changing: "${pageParam}" is a guess, check it`;
  return parseSiteConfig({
    ...rest,
    cms: 'json-api',
    verified: false,
    hosts,
    pagination,
    render: 'auto',
    notes: `Suggested by nianbao crawl --suggest-config from run ${report.runId}: the list page ${api.page} fills itself from ${api.method} ${api.url}, ${paging}; ${api.links} links seen. Check the fields, then crawl it.`,
  });
}
