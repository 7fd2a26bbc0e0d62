// The schema of scrapers/*.json lives with the crawl code (src/crawl/site-config.ts);
// this re-export lets config tooling import it from beside the configs, and
// `jsonSchema()` gives editors a JSON Schema for completion and checking.
import { z } from 'zod';
import { SiteConfigSchema } from '../src/crawl/site-config.ts';

export { SiteConfigSchema, type SiteConfig } from '../src/crawl/site-config.ts';

export function jsonSchema(): unknown {
  return z.toJSONSchema(SiteConfigSchema, { io: 'input', unrepresentable: 'any' });
}
