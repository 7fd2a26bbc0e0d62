// DOC (Word 97–2003 binary) and WPS format extractor. The paragraphs and
// tables read from the binary (word-binary.ts) are written out as plain HTML
// and go through the same walk as a web page or a converted DOCX, so a report
// reads the same whichever of the formats a site attached.
import type { DocModel, SourceFormat } from '../types.ts';
import { extractHtmlString } from '../html/index.ts';
import { readWordBinary } from './word-binary.ts';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const lines = (s: string) => s.split('\n').map(escape).join('<br>');

export function extractDoc(bytes: Uint8Array, format: Extract<SourceFormat, 'doc' | 'wps'> = 'doc'): DocModel {
  const html: string[] = ['<html><body>'];
  for (const b of readWordBinary(bytes)) {
    if (b.kind === 'paragraph') html.push(`<p>${lines(b.text)}</p>`);
    else html.push(`<table>${b.rows.map((r) => `<tr>${r.map((c) => `<td${c.span > 1 ? ` colspan="${c.span}"` : ''}>${lines(c.text)}</td>`).join('')}</tr>`).join('')}</table>`);
  }
  html.push('</body></html>');
  return extractHtmlString(html.join('\n'), { format, whole: true });
}
