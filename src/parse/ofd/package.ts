// The OFD package (GB/T 33190): a zip whose OFD.xml names the document root
// (DocBody/DocRoot → Document.xml), which lists the pages (Pages/Page BaseLoc
// → Content.xml), the default page box (CommonData/PageArea) and resources.
// Paths are relative to the file that names them, or to the package root
// when they start with "/"; producers disagree on case, so lookups ignore it.
import JSZip from 'jszip';
import { UnreadableDocumentError } from '../errors.ts';
import { child, childrenNamed, numbers, parseXml, type XmlEl } from './xml.ts';

export interface OfdPage {
  /** 1-based page number in document order. */
  number: number;
  content: XmlEl | null;
  /** Page box in mm: [x, y, width, height]. */
  box: number[];
  /** Template pages the page draws under its own content. */
  templates: XmlEl[];
}

export interface OfdDocument {
  title?: string;
  meta: Record<string, string>;
  pages: OfdPage[];
  /** Names of resources and parts the extractor does not read, for warnings. */
  unread: { embeddedFonts: number; signatures: number; attachments: number; annotations: number; otherDocuments: number };
}

const A4 = [0, 0, 210, 297];

function joinPath(base: string, ref: string): string {
  const clean = ref.trim().replace(/\\/g, '/');
  if (clean.startsWith('/')) return clean.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const p of clean.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/** XML text read from one package, at most: a zip bomb is refused, not inflated into memory. */
const MAX_XML_CHARS = 256 * 1024 * 1024;

class Package {
  private readonly byLower = new Map<string, JSZip.JSZipObject>();
  private chars = 0;
  constructor(zip: JSZip) {
    zip.forEach((path, file) => {
      if (!file.dir) this.byLower.set(path.replace(/^\/+/, '').toLowerCase(), file);
    });
  }

  has(path: string): boolean {
    return this.byLower.has(path.toLowerCase());
  }

  count(pattern: RegExp): number {
    let n = 0;
    for (const k of this.byLower.keys()) if (pattern.test(k)) n++;
    return n;
  }

  async xml(path: string): Promise<XmlEl | null> {
    const file = this.byLower.get(path.toLowerCase());
    if (!file) return null;
    const text = await file.async('string');
    this.chars += text.length;
    if (this.chars > MAX_XML_CHARS) throw new UnreadableDocumentError('too_large', `the OFD package's XML parts exceed ${MAX_XML_CHARS} characters`);
    return parseXml(text);
  }
}

export async function readPackage(bytes: Uint8Array): Promise<OfdDocument> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (e) {
    throw new UnreadableDocumentError('corrupt', `the OFD package is not a readable zip (${e instanceof Error ? e.message : String(e)})`);
  }
  const pkg = new Package(zip);
  const ofd = await pkg.xml('OFD.xml');
  if (!ofd || ofd.name !== 'OFD') throw new UnreadableDocumentError('corrupt', 'the OFD package has no OFD.xml');
  const body = child(ofd, 'DocBody');
  const rootRef = child(body, 'DocRoot')?.text.trim();
  if (!rootRef) throw new UnreadableDocumentError('corrupt', 'OFD.xml names no document (DocBody/DocRoot)');
  const docPath = joinPath('OFD.xml', rootRef);
  const doc = await pkg.xml(docPath);
  if (!doc) throw new UnreadableDocumentError('corrupt', `the OFD document ${docPath} is missing`);

  const meta: Record<string, string> = {};
  for (const el of child(body, 'DocInfo')?.children ?? []) {
    if (el.children.length === 0 && el.text.trim()) meta[el.name] = el.text.trim();
  }
  const common = child(doc, 'CommonData');
  const defaultBox = numbers(child(child(common, 'PageArea'), 'PhysicalBox')?.text);
  const templatesById = new Map<string, XmlEl | null>();
  for (const t of childrenNamed(common, 'TemplatePage')) {
    if (t.attrs.ID && t.attrs.BaseLoc) templatesById.set(t.attrs.ID, await pkg.xml(joinPath(docPath, t.attrs.BaseLoc)));
  }
  const pages: OfdPage[] = [];
  for (const ref of childrenNamed(child(doc, 'Pages'), 'Page')) {
    const content = ref.attrs.BaseLoc ? await pkg.xml(joinPath(docPath, ref.attrs.BaseLoc)) : null;
    const own = numbers(child(child(content ?? undefined, 'Area'), 'PhysicalBox')?.text);
    const templates = childrenNamed(content ?? undefined, 'Template')
      .map((t) => templatesById.get(t.attrs.TemplateID ?? ''))
      .filter((t): t is XmlEl => !!t);
    pages.push({ number: pages.length + 1, content, box: own.length === 4 ? own : defaultBox.length === 4 ? defaultBox : A4, templates });
  }
  if (pages.length === 0) throw new UnreadableDocumentError('corrupt', `the OFD document ${docPath} lists no pages`);

  const res = await Promise.all(
    [...childrenNamed(common, 'PublicRes'), ...childrenNamed(common, 'DocumentRes')].map((r) => pkg.xml(joinPath(docPath, r.text.trim()))),
  );
  let embeddedFonts = 0;
  for (const r of res) for (const f of childrenNamed(child(r ?? undefined, 'Fonts'), 'Font')) if (child(f, 'FontFile')) embeddedFonts++;
  return {
    title: meta.Title,
    meta,
    pages,
    unread: {
      embeddedFonts,
      signatures: pkg.count(/(^|\/)signs?\/.*signature\.xml$/),
      attachments: child(doc, 'Attachments') ? 1 : 0,
      annotations: child(doc, 'Annotations') ? 1 : 0,
      otherDocuments: childrenNamed(ofd, 'DocBody').length - 1,
    },
  };
}
