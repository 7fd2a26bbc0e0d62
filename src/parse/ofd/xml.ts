// The XML parts of an OFD package as a small plain tree with local names
// ("ofd:TextObject" → "TextObject"): OFD producers differ in the namespace
// prefix they use, never in the local names of GB/T 33190.
import { load } from 'cheerio';

export interface XmlEl {
  /** Local name, without the namespace prefix. */
  name: string;
  attrs: Record<string, string>;
  children: XmlEl[];
  /** The element's own text (entities decoded), child elements' text excluded. */
  text: string;
}

/** The parts of a domhandler node we read (cheerio does not re-export its types). */
interface DomNode {
  type: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  data?: string;
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i >= 0 ? name.slice(i + 1) : name;
}

function convert(node: DomNode): XmlEl {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.attribs ?? {})) attrs[localName(k)] = v;
  const el: XmlEl = { name: localName(node.name ?? ''), attrs, children: [], text: '' };
  for (const c of node.children ?? []) {
    if (c.type === 'tag') el.children.push(convert(c));
    else if (c.type === 'text' || c.type === 'cdata') el.text += c.type === 'cdata' ? (c.children ?? []).map((t) => t.data ?? '').join('') : (c.data ?? '');
  }
  return el;
}

/** The document element of an XML text, or null when there is none. */
export function parseXml(text: string): XmlEl | null {
  const $ = load(text, { xml: true });
  const root = ($.root()[0] as unknown as DomNode).children?.find((c) => c.type === 'tag');
  return root ? convert(root) : null;
}

export function child(el: XmlEl | undefined, name: string): XmlEl | undefined {
  return el?.children.find((c) => c.name === name);
}

export function childrenNamed(el: XmlEl | undefined, name: string): XmlEl[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** Numbers of a space-separated OFD attribute ("0 0 210 297"). */
export function numbers(s: string | undefined): number[] {
  if (!s) return [];
  return s.trim().split(/[\s,]+/).filter(Boolean).map(Number).filter((n) => Number.isFinite(n));
}
