// Image files (JPEG, PNG, GIF, WebP, TIFF, AVIF) → RGBA pixels for OCR.
//
// Decoded with sharp (libvips), not @napi-rs/canvas: canvas' loadImage
// crashes the whole process (a segmentation fault, not an exception) on a
// truncated PNG or on any TIFF, and one bad picture in an article must cost
// that picture only. sharp reads the size from the header first, so an image
// over the pixel limit is refused before any memory is spent on it.

import sharp from 'sharp';

/** Formats told apart by their first bytes, so a page can tell an image from a document before decoding it. */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'bmp' | 'tiff' | 'webp';

export function sniffImage(bytes: Uint8Array): ImageFormat | undefined {
  const b = bytes;
  if (b.length < 12) return undefined;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
  // "BM" alone starts too many texts: the DIB header's size must be one of the known ones too.
  if (b[0] === 0x42 && b[1] === 0x4d && b.length > 18 && [12, 40, 52, 56, 64, 108, 124].includes(b[14] | (b[15] << 8) | (b[16] << 16) | (b[17] << 24))) return 'bmp';
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)) return 'tiff';
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'webp';
  return undefined;
}

/**
 * Largest image read (pixels): a 300-dpi A3 scan is 17 Mpx; past this an
 * image is a poster or a decompression bomb, and its RGBA copy alone would
 * take over 160 MB.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

export class ImageDecodeError extends Error {
  constructor(
    readonly reason: 'corrupt' | 'unsupported_format' | 'too_large',
    message: string,
  ) {
    super(message);
    this.name = 'ImageDecodeError';
  }
}

export interface ImageInfo {
  width: number;
  height: number;
  format: string;
  /** Pixels per inch the file declares, if any (scanners write theirs; screenshots write 72 or 96). */
  density?: number;
}

function classify(err: unknown): ImageDecodeError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(msg)) return new ImageDecodeError('too_large', `the image is larger than ${MAX_IMAGE_PIXELS / 1e6} million pixels`);
  if (/unsupported image format/i.test(msg)) return new ImageDecodeError('unsupported_format', 'the image format is not supported (JPEG, PNG, GIF, WebP, TIFF and AVIF are)');
  return new ImageDecodeError('corrupt', `the image cannot be decoded (${msg})`);
}

/** Width, height and format from the header, without decoding the pixels. */
export async function imageInfo(bytes: Uint8Array): Promise<ImageInfo> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (err) {
    throw classify(err);
  }
  if (!meta.width || !meta.height || !meta.format) throw new ImageDecodeError('corrupt', 'the image header gives no size');
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) {
    throw new ImageDecodeError('too_large', `the image is ${meta.width}×${meta.height} pixels, over the ${MAX_IMAGE_PIXELS / 1e6}-million-pixel limit`);
  }
  return { width: meta.width, height: meta.height, format: meta.format, ...(meta.density ? { density: meta.density } : {}) };
}

export interface DecodedImage {
  rgba: Uint8Array;
  width: number;
  height: number;
}

/**
 * The pixels as RGBA on white (a transparent PNG's background is paper, not
 * black ink), optionally enlarged by `factor`; the first frame of an
 * animated GIF. Truncated or damaged data is an error, not a half-grey page.
 */
export async function decodeImage(bytes: Uint8Array, factor = 1): Promise<DecodedImage> {
  try {
    let pipe = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated' }).rotate().flatten({ background: '#ffffff' });
    if (factor !== 1) {
      const meta = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS }).metadata();
      const turned = (meta.orientation ?? 1) >= 5;
      const w = (turned ? meta.height : meta.width) ?? 1;
      pipe = pipe.resize({ width: Math.max(1, Math.round(w * factor)), kernel: 'cubic' });
    }
    const { data, info } = await pipe.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (err) {
    throw classify(err);
  }
}
