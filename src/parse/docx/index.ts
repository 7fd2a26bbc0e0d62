// DOCX format extractor. mammoth turns the Word document into plain HTML
// (paragraphs, tables with colspan/rowspan for merged cells), which then goes
// through the same walk as a web page, so a report reads the same whether it
// was published as a page or as an attachment.
import mammoth from 'mammoth';
import type { DocModel } from '../types.ts';
import { UnreadableDocumentError } from '../errors.ts';
import { extractHtmlString } from '../html/index.ts';

/** Word documents larger than this are not annual reports (they are a few hundred KB). */
const MAX_BYTES = 100 * 1024 * 1024;

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** "EncryptedPackage" as UTF-16LE: the stream a password-protected OOXML file keeps its zip in. */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/**
 * Classify what is not a zip before handing bytes to mammoth, whose errors
 * do not say why: an OLE compound file is either an encrypted DOCX (Office
 * wraps the encrypted zip in one) or a legacy .doc/.wps.
 */
function rejectNonZip(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new UnreadableDocumentError('corrupt', 'empty document');
  if (bytes.length > MAX_BYTES) throw new UnreadableDocumentError('too_large', `DOCX of ${bytes.length} bytes exceeds ${MAX_BYTES}`);
  if (OLE_SIGNATURE.every((b, i) => bytes[i] === b)) {
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ENCRYPTED_PACKAGE)) {
      throw new UnreadableDocumentError('encrypted', 'password-protected Word document');
    }
    throw new UnreadableDocumentError('unsupported_format', 'legacy Word/WPS binary document (.doc/.wps), not DOCX');
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
    throw new UnreadableDocumentError('corrupt', 'not a DOCX: the bytes are not a zip archive');
  }
}

/** The src a converted picture gets: its number among the document's pictures (the bytes are kept beside, not base64'd into the HTML). */
const MEDIA_SRC = 'docx-media:';

export async function extractDocx(bytes: Uint8Array): Promise<DocModel> {
  rejectNonZip(bytes);
  let html: string;
  let errors: string[];
  // The pictures of the body (word/media/* that its drawings show), in order: read by OCR at their place.
  const media: Uint8Array[] = [];
  const keepImage = mammoth.images.imgElement(async (image) => {
    media.push(new Uint8Array(await image.read()));
    return { src: `${MEDIA_SRC}${media.length}` };
  });
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      { convertImage: keepImage, externalFileAccess: false },
    );
    html = result.value;
    errors = result.messages.filter((m) => m.type === 'error').map((m) => m.message);
  } catch (err) {
    throw new UnreadableDocumentError('corrupt', `unreadable DOCX: ${err instanceof Error ? err.message : String(err)}`);
  }
  const doc = extractHtmlString(html, {
    format: 'docx',
    whole: true,
    warnings: errors.map((message) => ({ code: 'docx_conversion', message })),
    images: media.length > 0,
  });
  for (const img of doc.images ?? []) {
    if (img.src.startsWith(MEDIA_SRC)) img.bytes = media[Number(img.src.slice(MEDIA_SRC.length)) - 1];
  }
  return doc;
}
