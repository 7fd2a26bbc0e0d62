// Text and markdown conversions of reports (crawler text dumps, PDF→markdown
// output) into the same DocModel the HTML and PDF extractors produce.
// Pipe rows ("| a | b |" and the looser "a | b |") become table rows; a line
// of the form "行政许可 97" (a label followed only by numbers, as converters
// print a table whose borders they lost) becomes a one-row table so the
// interpreter can still place it; everything else is a paragraph.
import type { Block, DocModel, GridCell, ParseWarning } from '../types.ts';
import { UnreadableDocumentError } from '../errors.ts';
import { cleanText, hasCjk } from '../text-normalize.ts';
import { decodeText } from '../../common/charset.ts';

const SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const LOOSE_ROW = /^([^\d|]*[\u3400-\u9fff）)][^\d|]*?)\s+((?:[+-]?\d[\d,.]*\s*){1,15})$/;

export function extractText(bytes: Uint8Array): DocModel {
  // Text dumps come in GBK as often as pages do: the same detection as HTML.
  const decoded = decodeText(bytes);
  const text = decoded.text;
  if (text.trim() === '') throw new UnreadableDocumentError('corrupt', 'the document is empty');
  // A text file with NUL bytes or mostly control characters is binary, not a report.
  const control = (text.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g) ?? []).length;
  if (control > text.length * 0.05) throw new UnreadableDocumentError('unsupported_format', 'the file is binary, not text');
  const warnings: ParseWarning[] = [...decoded.warnings];
  const blocks: Block[] = [];
  const meta: Record<string, string> = {};
  let table: GridCell[][] | null = null;
  let tableCount = 0;
  const closeTable = () => {
    if (table && table.length) blocks.push({ kind: 'table', rows: table, index: tableCount++ });
    table = null;
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((rawLine, i) => {
    const lineNo = i + 1;
    const line = rawLine.replace(/<!--\[if[^\]]*\]>|<!\[endif\]-->|<!--|-->/g, '').trim();
    // Crawler dumps start with "key: value" header lines before the body marker.
    const header = /^(标题|发布时间|发布机构|栏目|原文链接|文号)[:：]\s*(.*)$/.exec(line);
    if (header && lineNo < 20) {
      meta[header[1]] = header[2].trim();
      return;
    }
    if (line === '' ) {
      closeTable();
      return;
    }
    if (SEPARATOR.test(line)) return;
    if (isPipeRow(line)) {
      table ??= [];
      table.push(splitPipeRow(line).map((t) => ({ text: t, origin: true, line: lineNo })));
      return;
    }
    closeTable();
    const loose = LOOSE_ROW.exec(line);
    if (loose && hasCjk(loose[1]) && loose[1].length <= 40) {
      const numbers = loose[2].trim().split(/\s+/);
      const row = [loose[1].trim(), ...numbers].map((t) => ({ text: t, origin: true, line: lineNo }));
      blocks.push({ kind: 'table', rows: [row], index: tableCount++ });
      return;
    }
    blocks.push({ kind: 'text', text: cleanText(line.replace(/^#+\s*/, '').replace(/\*\*/g, '')), line: lineNo });
  });
  closeTable();
  const title = meta['标题'] || undefined;
  return { format: 'text', blocks, title, meta, warnings };
}

function isPipeRow(line: string): boolean {
  return line.startsWith('|') || / \|\s*$/.test(line) || / \| /.test(line);
}

function splitPipeRow(line: string): string[] {
  let body = line;
  if (body.startsWith('|')) body = body.slice(1);
  if (body.endsWith('|')) body = body.slice(0, -1);
  return body.split('|').map((c) => cleanText(c));
}
