// OFD format extractor (GB/T 33190, the Chinese fixed-layout format many
// government sites publish besides or instead of PDF): bytes → the DocModel
// the PDF path builds, from the same kind of input — positioned text runs
// and drawn ruling lines per page — through the PDF path's own line grouping,
// table finding and page assembly (src/parse/pdf), so both formats read
// tables the same way. What OFD holds beyond text and lines (pictures,
// embedded fonts, signatures, attachments) is not read and said so.
import { UnreadableDocumentError } from '../errors.ts';
import type { DocModel, ParseWarning } from '../types.ts';
import { assemble, type PageLayout } from '../pdf/assemble.ts';
import { groupLines } from '../pdf/lines.ts';
import { findTables } from '../pdf/table-detect.ts';
import { readPackage } from './package.ts';
import { MM, readPageContent } from './page-content.ts';

export async function extractOfd(bytes: Uint8Array): Promise<DocModel> {
  const doc = await readPackage(bytes);
  const warnings: ParseWarning[] = [];
  const layouts: PageLayout[] = [];
  let meaningfulChars = 0, images = 0, glyphTransforms = 0, composites = 0, missingPages = 0;
  for (const page of doc.pages) {
    if (!page.content) missingPages++;
    const content = readPageContent([...page.templates, ...(page.content ? [page.content] : [])], page.number);
    images += content.images;
    glyphTransforms += content.glyphTransforms;
    composites += content.composites;
    for (const r of content.runs) meaningfulChars += (r.text.match(/[\p{L}\p{N}]/gu) ?? []).length;
    const { tables, freeRuns } = findTables(content.rulings, content.runs, page.number);
    const lines = groupLines(freeRuns);
    const columnLines = lines.filter((l) => l.text.includes('\t')).length;
    if (columnLines >= 3) {
      warnings.push({
        code: 'table_without_rulings',
        message: `page ${page.number}: ${columnLines} lines with column gaps outside any ruled table; kept as tab-separated text lines`,
        at: { page: page.number },
      });
    }
    layouts.push({ page: page.number, height: page.box[3] * MM, lines, tables });
  }
  if (meaningfulChars < 10) {
    const why = images ? `${images} images and no text` : 'no text';
    throw new UnreadableDocumentError('image_only', `OFD has ${why} on ${doc.pages.length} page(s); it needs OCR`);
  }
  if (missingPages) warnings.push({ code: 'ofd_page_missing', message: `${missingPages} of ${doc.pages.length} pages listed in the OFD document have no content file` });
  if (images) warnings.push({ code: 'ofd_images_ignored', message: `${images} images (seals, pictures, scanned parts) are not read; text inside them is not recognised` });
  if (glyphTransforms) {
    warnings.push({ code: 'ofd_glyph_transforms', message: `${glyphTransforms} text objects draw glyphs through CGTransform; their text is read from TextCode and may differ from what is shown` });
  }
  if (composites) warnings.push({ code: 'ofd_composites_ignored', message: `${composites} composite objects (reusable drawings) are not read` });
  const { embeddedFonts, signatures, attachments, annotations, otherDocuments } = doc.unread;
  if (embeddedFonts) warnings.push({ code: 'ofd_fonts_ignored', message: `${embeddedFonts} embedded fonts are not read: text is taken from TextCode as Unicode` });
  const parts = [signatures ? `${signatures} signatures (not verified)` : '', attachments ? 'attachments' : '', annotations ? 'annotations' : '', otherDocuments ? `${otherDocuments} further documents of the package (only the first is read)` : ''].filter(Boolean);
  if (parts.length) warnings.push({ code: 'ofd_parts_ignored', message: `not read: ${parts.join(', ')}` });
  const blocks = assemble(layouts, warnings);
  return { format: 'ofd', blocks, title: doc.title, meta: doc.meta, pages: doc.pages.length, warnings };
}
