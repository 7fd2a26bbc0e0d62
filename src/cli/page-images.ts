// The pictures of a page named on the command line (`nianbao parse page.html`
// or `nianbao parse <url>`), so table images in its body are read by OCR as
// in a crawl: for a file, the images it names that are on disk beside it
// (as a browser's "save page" keeps them); for a URL, the body's images on
// the page's own host, fetched one at a time with a pause between them.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bodyImageUrls } from '../parse/html/index.ts';
import type { ParseImage } from '../parse/types.ts';
import { fetchDocument } from './fetch-document.ts';

const MAX_IMAGES = 40;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const HTML_EXT = /\.(s?html?|xhtml)$/i;

export async function fileImages(path: string, bytes: Uint8Array): Promise<ParseImage[]> {
  if (!HTML_EXT.test(path)) return [];
  const out: ParseImage[] = [];
  for (const url of bodyImageUrls(bytes, pathToFileURL(path).href, undefined, ['file:']).slice(0, MAX_IMAGES)) {
    const file = fileURLToPath(url);
    const st = await stat(file).catch(() => null);
    if (!st?.isFile() || st.size > MAX_IMAGE_BYTES) continue; // missing beside the page: the parse warns image_not_supplied
    out.push({ url, bytes: new Uint8Array(await readFile(file)) });
  }
  return out;
}

export async function urlImages(pageUrl: string, bytes: Uint8Array, charset?: string, pauseMs = 500): Promise<ParseImage[]> {
  const host = new URL(pageUrl).host;
  const out: ParseImage[] = [];
  for (const url of bodyImageUrls(bytes, pageUrl, charset).filter((u) => new URL(u).host === host).slice(0, MAX_IMAGES)) {
    if (out.length > 0) await new Promise((r) => setTimeout(r, pauseMs));
    const doc = await fetchDocument(url).catch(() => null);
    if (doc && doc.bytes.length <= MAX_IMAGE_BYTES) out.push({ url, bytes: doc.bytes, contentType: doc.contentType });
  }
  return out;
}
