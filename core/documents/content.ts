/**
 * What a document's file is (issue 13; docs/foi.md "Documents"): a PDF or a PNG/JPEG image that opens, with
 * its pages. Told by the file's own bytes (never by its name or a declared type), opened for real (pdfjs-dist
 * for a PDF, @napi-rs/canvas for an image) so that a file the extract could not render later is refused now,
 * with the reason by name.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ruleViolation } from '../../shared/api/errors';
import { DOCUMENT_LIMITS, type DocumentMime } from '../../shared/domain/documents';

export interface Inspected {
  mime: DocumentMime;
  pages: number;
  sha256: string;
}

/** The type the bytes say, or null. */
export function sniffMime(b: Uint8Array): DocumentMime | null {
  const at = (i: number, ...xs: number[]) => xs.every((x, k) => b[i + k] === x);
  // An image's signature is at its first byte (its metadata may mention "%PDF-": it is still an image).
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  // "%PDF-" may follow a little junk (some scanners write a header): readers accept it within 1024 bytes.
  if (Buffer.from(b.subarray(0, 1024)).toString('latin1').includes('%PDF-')) return 'application/pdf';
  return null;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | null = null;
/** pdfjs-dist, loaded once (an ES module; the core's bundle keeps it external). */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/** Where pdfjs-dist's standard fonts are (a PDF that names Helvetica without embedding it renders with them). */
export function pdfjsFontsDir(): string {
  return `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;
}

/** Opens a PDF for reading (no scripts, no eval, no font loading into a page: the core is not a browser). */
export async function openPdf(bytes: Uint8Array) {
  const lib = await loadPdfJs();
  // pdfjs may take ownership of (detach) the buffer it is given: it gets a copy.
  return lib.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, standardFontDataUrl: pdfjsFontsDir(), verbosity: 0 }).promise;
}

/** Checks the file and says what it is; refused by rule (`document_type`, `document_encrypted`, `document_damaged`, `document_pages`, `document_pixels`). */
export async function inspectDocument(bytes: Uint8Array): Promise<Inspected> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const mime = sniffMime(bytes);
  if (!mime) throw ruleViolation('document_type', 'document_type: the file is not a PDF, PNG or JPEG file (judged by its content, not its name)', 'fileId');
  if (mime === 'application/pdf') {
    let doc: Awaited<ReturnType<typeof openPdf>>;
    try {
      doc = await openPdf(bytes);
    } catch (e) {
      if ((e as { name?: string }).name === 'PasswordException') throw ruleViolation('document_encrypted', 'document_encrypted: the PDF is protected by a password; attach an unprotected copy', 'fileId');
      throw ruleViolation('document_damaged', `document_damaged: the PDF cannot be read (${(e as Error).message.slice(0, 120)})`, 'fileId');
    }
    try {
      const pages = doc.numPages;
      if (pages < 1) throw ruleViolation('document_damaged', 'document_damaged: the PDF has no pages', 'fileId');
      if (pages > DOCUMENT_LIMITS.maxPages) throw ruleViolation('document_pages', `document_pages: the PDF has ${pages} pages; at most ${DOCUMENT_LIMITS.maxPages}`, 'fileId', { pages, max: DOCUMENT_LIMITS.maxPages });
      // Each page must open: a page the extract cannot render would otherwise be found only then.
      for (let n = 1; n <= pages; n++) {
        try {
          await doc.getPage(n);
        } catch (e) {
          throw ruleViolation('document_damaged', `document_damaged: page ${n} of the PDF cannot be read (${(e as Error).message.slice(0, 120)})`, 'fileId', { page: n });
        }
      }
      return { mime, pages, sha256 };
    } finally {
      await doc.destroy();
    }
  }
  const { loadImage } = await import('@napi-rs/canvas');
  let img: Awaited<ReturnType<typeof loadImage>>;
  try {
    img = await loadImage(Buffer.from(bytes));
  } catch (e) {
    throw ruleViolation('document_damaged', `document_damaged: the image cannot be read (${(e as Error).message.slice(0, 120)})`, 'fileId');
  }
  if (img.width < 1 || img.height < 1) throw ruleViolation('document_damaged', 'document_damaged: the image is empty', 'fileId');
  if (Math.max(img.width, img.height) > DOCUMENT_LIMITS.maxPixels) {
    throw ruleViolation('document_pixels', `document_pixels: the image is ${img.width} × ${img.height} pixels; at most ${DOCUMENT_LIMITS.maxPixels} a side`, 'fileId', {
      width: img.width,
      height: img.height,
      max: DOCUMENT_LIMITS.maxPixels,
    });
  }
  return { mime, pages: 1, sha256 };
}
