// Records that join the parse stage to the rest of the pipeline. Everything
// here is plain data (JSON-serialisable) so a parse can be stored, diffed
// against a golden file and re-run offline from the raw archive.
import type { ParseLimits } from './limits.ts';

export type SourceFormat = 'html' | 'pdf' | 'docx' | 'doc' | 'wps' | 'text' | 'ofd' | 'image';
export type Template = '2019' | '2021' | 'legacy' | 'unknown';
export type CellKind = 'number' | 'blank' | 'dash' | 'text';

/**
 * How a value read by OCR from a scanned image was read; absent for text
 * that was in the document as text.
 */
export interface OcrReading {
  /** The recogniser's lowest per-character probability in the cell (0–1; 1 for a blank cell). */
  confidence: number;
  /** The reading over the whole dictionary, when the digits-only reading was kept instead and differs. */
  full?: string;
}

/** One cell of a table after rowspan/colspan expansion into a rectangular grid. */
export interface GridCell {
  text: string;
  /**
   * False for the copies a rowspan/colspan leaves in the grid: the text is the
   * merged cell's, but it was printed once, at the origin. Values are only
   * read from origin cells so a merged number is never counted twice.
   */
  origin: boolean;
  /** Page (1-based) the cell was printed on, for PDFs. */
  page?: number;
  /** Line (1-based) of the source text, for text conversions. */
  line?: number;
  /** Present when the cell was read by OCR from a scanned page. */
  ocr?: OcrReading;
}

export interface TableBlock {
  kind: 'table';
  /** Rows of the expanded grid; rows may have different lengths in text conversions. */
  rows: GridCell[][];
  /** Index of this table among the document's tables (0-based), for provenance. */
  index: number;
  page?: number;
}

export interface TextBlock {
  kind: 'text';
  text: string;
  page?: number;
  line?: number;
  /** Read by OCR from a scanned page or picture: the lowest confidence of its lines. */
  ocr?: OcrReading;
}

export type Block = TableBlock | TextBlock;

/**
 * What a format extractor (HTML, PDF, DOCX, text) hands to the interpreter:
 * the document as an ordered list of paragraphs and table grids, plus any
 * metadata the container carried (HTML <meta>, PDF info dictionary).
 */
export interface DocModel {
  format: SourceFormat;
  blocks: Block[];
  /** Title from the container (HTML <title>/ArticleTitle, PDF Title), if any. */
  title?: string;
  /** Container metadata, e.g. { ArticleTitle, PubDate, ColumnName } or PDF info. */
  meta: Record<string, string>;
  pages?: number;
  warnings: ParseWarning[];
  /**
   * Pictures in the body (HTML <img> and links to image files, DOCX
   * drawings), in document order: `before` is the index in `blocks` they
   * stand before. The OCR step (src/parse/ocr/body-images.ts) reads them
   * into blocks at that place and removes this list.
   */
  images?: BodyImage[];
  /** Pictures read by OCR that are not part of the document's own bytes (a web page's, supplied in ParseMeta.images). */
  imagesRead?: ImageSource[];
}

export interface ImageSource {
  url: string;
  sha256: string;
}

export interface BodyImage {
  /** The image's URL as the body names it (resolved against the page), or docx-media:N for a DOCX's own. */
  src: string;
  before: number;
  /** A link to the image rather than the image shown. */
  link?: boolean;
  /** The bytes, when the container holds them (DOCX); for a web page they come from ParseMeta.images. */
  bytes?: Uint8Array;
}

export interface ParseWarning {
  /** Stable machine code, e.g. "row_unmatched", "unit_assumed", "cells_missing". */
  code: string;
  message: string;
  /** Where the problem is, in the same terms as a value's `at`. */
  at?: Provenance;
}

export interface Provenance {
  page?: number;
  table?: number;
  row?: number;
  col?: number;
  /** For text conversions and narrative: the line number in the source text. */
  line?: number;
}

export interface CellValue {
  /** t2–t4: the national format's tables; l: the legacy (2008–2018) schema, from its 统计表 or its prose. */
  table: 't2' | 't3' | 't4' | 'l';
  row: string;
  col: string;
  value: number | null;
  cell: CellKind;
  /** The cell's text as printed (whitespace collapsed). */
  raw: string;
  unit: string | null;
  at: Provenance;
  /**
   * Not printed but computed by the parser: a 总计 printed blank while its row
   * holds numbers gets the row's sum as `value`; `cell` and `raw` stay as printed.
   */
  derived?: true;
  /** Present when the cell was read by OCR from a scanned page. */
  ocr?: OcrReading;
  /** A legacy value stated in a sentence rather than tabulated: the sentence and clause it came from. */
  evidence?: { sentence: string; clause: string };
  /** How a value was read where reading it took more than one cell (a run-together legacy cell's proven split). */
  note?: string;
}

export interface MissingCell {
  table: 't2' | 't3' | 't4';
  row: string;
  col: string;
}

export interface NarrativeEvidence {
  /** The sentence the figure was read from. */
  sentence: string;
  /** The clause inside the sentence that holds the number. */
  clause: string;
  value: number;
  /** The sentence was read by OCR (a scanned page or picture): the lowest confidence of its text. */
  ocr?: OcrReading;
}

export interface NarrativeFigure {
  metric: string;
  value: number;
  unit: string;
  evidence: NarrativeEvidence[];
  /** Read by OCR: the lowest confidence among its evidence (absent for printed text). */
  ocr?: OcrReading;
}

export type CheckStatus = 'pass' | 'fail' | 'not_assessable';

export interface CheckResult {
  /**
   * Relation id: "r1".."r4", "r6" plus what it applies to, e.g. "r1:t3.*.total";
   * legacy reports: "l7:…" (channels sum to requests received), "l8:…" (answer
   * kinds sum to answers), "l9:…" (cumulative ≥ this year).
   */
  id: string;
  relation: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  status: CheckStatus;
  left: number | null;
  right: number | null;
  /** The cells involved, as "t3.new_received.total" ids. */
  cells: string[];
  /** Why a check was not assessable, or the narrative sentence for relation 6. */
  note?: string;
}

export interface AgencyInfo {
  name: string;
  /** Other forms of the name the document prints (e.g. a short form in the title). */
  printedAs?: string[];
  region?: { code: string; name: string };
  kind?: string;
  level?: string;
}

export interface SourceInfo {
  path?: string;
  url?: string;
  sha256: string;
  format: SourceFormat;
  pages?: number;
  /**
   * The page's pictures that were read by OCR (supplied beside the page's
   * bytes): the record depends on them as well as on `sha256`.
   */
  images?: ImageSource[];
}

/** The canonical record `nianbao parse --json` prints, one per document. */
export interface ReportRecord {
  source: SourceInfo;
  agency: AgencyInfo | null;
  year: number | null;
  published: string | null;
  template: Template;
  title: string | null;
  values: CellValue[];
  /** Cells the template has but the document does not print (never invented). */
  missing: MissingCell[];
  narrative: NarrativeFigure[];
  checks: CheckResult[];
  warnings: ParseWarning[];
  parser: { version: string };
}

/** Input metadata for a parse: where the bytes came from. */
export interface ParseMeta {
  path?: string;
  url?: string;
  /** Content-Type header or file extension hint, if known. */
  contentType?: string;
  /** Charset declared by an HTTP header, if any. */
  charset?: string;
  /**
   * Time limit and OCR page budget (src/parse/limits.ts), set by the worker
   * pool inside its worker: the one part of a meta that is not plain data.
   * Reading pictures of a body follows them as scanned PDF pages do.
   */
  limits?: ParseLimits;
  /**
   * The pictures of a web page's body, fetched by the caller (the parser does
   * no I/O): table images between its paragraphs are read by OCR at their
   * place. Matched to the body's <img src> and image links by URL.
   */
  images?: ParseImage[];
}

export interface ParseImage {
  url: string;
  bytes: Uint8Array;
  contentType?: string;
}
