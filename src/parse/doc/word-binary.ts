// The text and table structure of a Word 97–2003 binary document (.doc, and
// the .wps files WPS Office writes in the same format), after [MS-DOC]:
//   - the FIB at the start of the WordDocument stream says which table
//     stream (0Table/1Table) holds the piece table (Clx) and the paragraph
//     property index (PlcBtePapx), and how many characters the main text has;
//   - the piece table maps character positions to byte ranges (UTF-16LE, or
//     one byte per character for "compressed" pieces);
//   - each paragraph's properties (PAPX, in 512-byte FKP pages) say whether it
//     is in a table and whether its mark ends a table row (sprmPFInTable,
//     sprmPFTtp). A cell's text ends with a \x07 mark; a row's last cell is
//     followed by a row-end paragraph whose mark is also \x07.
// Only what a report needs is read: paragraphs and table cells, in order.
// Field instructions are dropped (their results kept); pictures and
// drawings leave nothing. Merged cells come out as they are stored (the
// text in the first cell, the others empty), which the interpreter handles
// as it does for text conversions.
import CFB from 'cfb';
import { UnreadableDocumentError } from '../errors.ts';

export interface WordCell {
  text: string;
  /** Grid columns the cell covers (from the row's cell boundaries; 1 when they are unknown). */
  span: number;
}
export type WordBlock = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: WordCell[][] };

const SPRM_P_F_IN_TABLE = 0x2416;
const SPRM_P_F_TTP = 0x2417;
const SPRM_P_ITAP = 0x6649;
/** The paragraph's properties are too large for its FKP page: they are in the Data stream, at the operand's offset. */
const SPRM_P_HUGE_PAPX = 0x6646;
/** A table row's cell count and boundaries (on its row-end paragraph). */
const SPRM_T_DEF_TABLE = 0xd608;

interface Piece {
  cpStart: number;
  cpEnd: number;
  fc: number;
  compressed: boolean;
}

interface ParaRun extends TableFlags {
  fcStart: number;
  fcEnd: number;
}

interface TableFlags {
  inTable: boolean;
  ttp: boolean;
  /** On a row end: the x positions (twips) of the row's cell boundaries, one more than its cells. */
  edges?: number[];
}

function streamOf(cfb: CFB.CFB$Container, name: string): Buffer | undefined {
  const e = CFB.find(cfb, name);
  if (!e?.content || e.type !== 2) return undefined;
  return Buffer.from(e.content as Uint8Array);
}

/** Operand size of a sprm ([MS-DOC] 2.6.1 Sprm.spra), reading the variable ones' own length. */
function operandSize(sprm: number, grpprl: Buffer, at: number): number {
  switch ((sprm >> 13) & 7) {
    case 0:
    case 1:
      return 1;
    case 2:
    case 4:
    case 5:
      return 2;
    case 3:
      return 4;
    case 7:
      return 3;
    default:
      // sprmTDefTable and sprmPChgTabs carry a two-byte length; every other variable operand a one-byte one.
      if (sprm === 0xd608 || sprm === 0xd606) return grpprl.readUInt16LE(at) + 1;
      if (sprm === 0xc615) {
        const n = grpprl[at];
        return n === 255 ? 1 + grpprl[at + 1] * 4 + 1 + grpprl[at + 2 + grpprl[at + 1] * 4] * 3 + 1 : n + 1;
      }
      return grpprl[at] + 1;
  }
}

/** In-table and row-end flags of a paragraph's sprms (following a sprmPHugePapx into the Data stream). */
function tableFlags(grpprl: Buffer, data: Buffer | undefined): TableFlags {
  let inTable = false, ttp = false;
  let edges: number[] | undefined;
  let at = 0;
  while (at + 2 <= grpprl.length) {
    const sprm = grpprl.readUInt16LE(at);
    at += 2;
    if (at >= grpprl.length) break;
    const size = operandSize(sprm, grpprl, at);
    if (sprm === SPRM_P_F_IN_TABLE) inTable = grpprl[at] !== 0;
    else if (sprm === SPRM_P_F_TTP) ttp = grpprl[at] !== 0;
    else if (sprm === SPRM_P_ITAP && at + 4 <= grpprl.length) inTable ||= grpprl.readInt32LE(at) > 0;
    else if (sprm === SPRM_T_DEF_TABLE && at + 3 <= grpprl.length) {
      // Operand: a two-byte length, the cell count, then count + 1 boundaries (int16 twips).
      const cells = grpprl[at + 2];
      if (at + 3 + (cells + 1) * 2 <= grpprl.length) edges = Array.from({ length: cells + 1 }, (_, i) => grpprl.readInt16LE(at + 3 + i * 2));
    }
    else if (sprm === SPRM_P_HUGE_PAPX && data && at + 4 <= grpprl.length) {
      // PrcData: a two-byte length, then the sprms.
      const off = grpprl.readUInt32LE(at);
      if (off + 2 <= data.length) {
        const huge = tableFlags(data.subarray(off + 2, Math.min(data.length, off + 2 + data.readUInt16LE(off))), undefined);
        inTable ||= huge.inTable;
        ttp ||= huge.ttp;
        edges ??= huge.edges;
      }
    }
    at += size;
  }
  return { inTable, ttp, edges };
}

/** Every paragraph run of every PAPX FKP page, in file order. */
function paragraphRuns(word: Buffer, table: Buffer, data: Buffer | undefined, fc: number, lcb: number): ParaRun[] {
  const n = (lcb - 4) / 8;
  if (!Number.isInteger(n) || n < 0 || fc + lcb > table.length) throw new UnreadableDocumentError('corrupt', 'the paragraph property index is out of bounds');
  const runs: ParaRun[] = [];
  for (let i = 0; i < n; i++) {
    const pn = table.readUInt32LE(fc + (n + 1) * 4 + i * 4) & 0x3fffff;
    const page = pn * 512;
    if (page + 512 > word.length) throw new UnreadableDocumentError('corrupt', 'a paragraph property page is out of bounds');
    const crun = word[page + 511];
    for (let k = 0; k < crun; k++) {
      const fcStart = word.readUInt32LE(page + k * 4);
      const fcEnd = word.readUInt32LE(page + (k + 1) * 4);
      const bOffset = word[page + (crun + 1) * 4 + k * 13] * 2;
      let flags: TableFlags = { inTable: false, ttp: false };
      if (bOffset !== 0) {
        let cb = word[page + bOffset];
        let start = page + bOffset + 1;
        let size: number;
        if (cb === 0) {
          cb = word[start];
          start += 1;
          size = cb * 2;
        } else size = cb * 2 - 1;
        // GrpPrlAndIstd: a two-byte style index, then the sprms.
        if (size > 2) flags = tableFlags(word.subarray(start + 2, Math.min(start + size, page + 511)), data);
      }
      runs.push({ fcStart, fcEnd, ...flags });
    }
  }
  return runs.sort((a, b) => a.fcStart - b.fcStart);
}

function pieces(table: Buffer, fc: number, lcb: number): Piece[] {
  // Clx: Prc entries (0x01, size, grpprl) to skip, then the Pcdt (0x02, lcb, PlcPcd).
  let at = fc;
  const end = fc + lcb;
  while (at < end && table[at] === 0x01) {
    const size = table.readInt16LE(at + 1);
    if (size < 0) throw new UnreadableDocumentError('corrupt', 'the piece table is malformed');
    at += 3 + size;
  }
  if (table[at] !== 0x02) throw new UnreadableDocumentError('corrupt', 'no piece table in the document');
  const size = table.readUInt32LE(at + 1);
  const plc = at + 5;
  const n = (size - 4) / 12;
  if (!Number.isInteger(n) || n <= 0 || plc + size > table.length) throw new UnreadableDocumentError('corrupt', 'the piece table is malformed');
  const out: Piece[] = [];
  for (let i = 0; i < n; i++) {
    const raw = table.readUInt32LE(plc + (n + 1) * 4 + i * 8 + 2);
    const compressed = (raw & 0x40000000) !== 0;
    out.push({ cpStart: table.readUInt32LE(plc + i * 4), cpEnd: table.readUInt32LE(plc + (i + 1) * 4), fc: compressed ? (raw & 0x3fffffff) / 2 : raw & 0x3fffffff, compressed });
  }
  return out;
}

const cp1252 = new TextDecoder('windows-1252');

/** The main text's characters with, for each, the file offset of its bytes. */
function mainText(word: Buffer, ps: Piece[], ccpText: number): { text: string; fcs: Int32Array } {
  const chars: string[] = [];
  const fcs = new Int32Array(ccpText);
  let cp = 0;
  for (const p of ps) {
    for (let c = p.cpStart; c < p.cpEnd && cp < ccpText; c++, cp++) {
      const fc = p.compressed ? p.fc + (c - p.cpStart) : p.fc + (c - p.cpStart) * 2;
      if (fc + (p.compressed ? 1 : 2) > word.length) throw new UnreadableDocumentError('corrupt', 'the text runs past the end of the document');
      fcs[cp] = fc;
      chars.push(p.compressed ? cp1252.decode(word.subarray(fc, fc + 1)) : String.fromCharCode(word.readUInt16LE(fc)));
    }
    if (cp >= ccpText) break;
  }
  return { text: chars.join(''), fcs };
}

/** Text of a paragraph's characters: field instructions dropped, special characters mapped. */
function clean(chars: string): string {
  let out = '';
  // Field nesting: inside an instruction (after \x13, before \x14) characters are dropped.
  const stack: boolean[] = [];
  for (const ch of chars) {
    const c = ch.charCodeAt(0);
    if (c === 0x13) stack.push(true);
    else if (c === 0x14) {
      if (stack.length) stack[stack.length - 1] = false;
    } else if (c === 0x15) stack.pop();
    else if (stack.some((x) => x)) continue;
    else if (c === 0x0b || c === 0x0c) out += '\n';
    else if (c === 0x1e) out += '-';
    else if (c === 0x09) out += '\t';
    else if (c < 0x20 || c === 0x1f) continue; // pictures (\x01), drawings (\x08), marks, optional hyphens
    else out += ch;
  }
  return out;
}

/** Paragraphs and tables of a Word binary document, in order. */
export function readWordBinary(bytes: Uint8Array): WordBlock[] {
  let cfb: CFB.CFB$Container;
  try {
    cfb = CFB.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: 'buffer' });
  } catch (e) {
    throw new UnreadableDocumentError('corrupt', `not a readable compound file (${e instanceof Error ? e.message : String(e)})`);
  }
  const word = streamOf(cfb, 'WordDocument');
  if (!word || word.length < 0x200) throw new UnreadableDocumentError('unsupported_format', 'a compound file without a Word document in it (an older WPS format, or another Office file)');
  if (word.readUInt16LE(0) !== 0xa5ec) throw new UnreadableDocumentError('unsupported_format', 'the Word document stream has an unknown header (Word 6/95 or older)');
  const flags = word.readUInt16LE(0x0a);
  if (flags & 0x0100) throw new UnreadableDocumentError('encrypted', 'password-protected Word document');
  const table = streamOf(cfb, flags & 0x0200 ? '1Table' : '0Table');
  if (!table) throw new UnreadableDocumentError('corrupt', 'the Word document has no table stream');
  // FIB: FibBase (32 bytes), csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcb.
  const csw = word.readUInt16LE(32);
  const lw = 34 + csw * 2;
  const cslw = word.readUInt16LE(lw);
  const ccpText = word.readInt32LE(lw + 2 + 3 * 4);
  const fcLcb = lw + 2 + cslw * 4 + 2;
  const pair = (i: number) => ({ fc: word.readUInt32LE(fcLcb + i * 8), lcb: word.readUInt32LE(fcLcb + i * 8 + 4) });
  const clx = pair(33), papx = pair(13);
  if (ccpText <= 0 || clx.lcb === 0) throw new UnreadableDocumentError('corrupt', 'the Word document has no text');
  // Every character takes at least one byte of the stream: a larger count is damage, not text.
  if (ccpText > word.length) throw new UnreadableDocumentError('corrupt', `the document claims ${ccpText} characters in a ${word.length}-byte stream`);
  const { text, fcs } = mainText(word, pieces(table, clx.fc, clx.lcb), ccpText);
  const runs = paragraphRuns(word, table, streamOf(cfb, 'Data'), papx.fc, papx.lcb);
  const runAt = (fc: number): ParaRun | undefined => {
    let lo = 0, hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (runs[mid].fcEnd <= fc) lo = mid + 1;
      else if (runs[mid].fcStart > fc) hi = mid - 1;
      else return runs[mid];
    }
    return undefined;
  };

  const blocks: WordBlock[] = [];
  let rows: RawRow[] | null = null;
  let row: string[] = [];
  let cell: string[] = [];
  const endTable = () => {
    if (row.length) rows!.push({ cells: row });
    blocks.push({ kind: 'table', rows: withSpans(rows!) });
    rows = null;
    row = [];
    cell = [];
  };
  let start = 0;
  for (let cp = 0; cp < text.length; cp++) {
    const c = text.charCodeAt(cp);
    if (c !== 0x0d && c !== 0x07) continue;
    const para = clean(text.slice(start, cp)).replace(/\u3000/g, ' ').trim();
    start = cp + 1;
    const run = runAt(fcs[cp]);
    if (run?.inTable) {
      rows ??= [];
      if (c === 0x0d) cell.push(para);
      else if (run.ttp) {
        rows.push({ cells: row, edges: run.edges });
        row = [];
        cell = [];
      } else {
        cell.push(para);
        row.push(cell.filter((x) => x).join('\n'));
        cell = [];
      }
      continue;
    }
    if (rows) endTable();
    if (para) blocks.push({ kind: 'paragraph', text: para });
  }
  if (rows) endTable();
  return blocks;
}

interface RawRow {
  cells: string[];
  edges?: number[];
}

/** Boundaries closer than this (twips, 1/20 pt) are the same grid line. */
const SNAP = 15;

/**
 * Column spans from the rows' cell boundaries: the table's grid is every
 * boundary any row has, and a cell spans the grid columns between its own.
 * A row whose boundaries do not match its cells keeps spans of 1.
 */
function withSpans(rows: RawRow[]): WordCell[][] {
  const lines: number[] = [];
  for (const r of rows) {
    if (!r.edges || r.edges.length !== r.cells.length + 1) continue;
    for (const x of r.edges) if (!lines.some((l) => Math.abs(l - x) <= SNAP)) lines.push(x);
  }
  lines.sort((a, b) => a - b);
  const col = (x: number) => lines.findIndex((l) => Math.abs(l - x) <= SNAP);
  return rows.map((r) => {
    const ok = r.edges && r.edges.length === r.cells.length + 1;
    return r.cells.map((text, i) => ({ text, span: ok ? Math.max(1, col(r.edges![i + 1]) - col(r.edges![i])) : 1 }));
  });
}
