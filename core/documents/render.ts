/**
 * A document's pages as new images with masks burnt in (issue 13, step 6; docs/foi.md "The extract"): each
 * PDF page is rendered by pdfjs-dist onto an @napi-rs/canvas, each image drawn onto a canvas of its own, the
 * masked regions filled black on the pixels, and the canvas encoded anew as JPEG (the masks are filled before
 * encoding: nothing under them is in the pixels the encoder sees). Nothing of the original
 * file's structure survives: no text layer, no annotation, no form field, no metadata (an image's EXIF
 * included), no embedded font, no earlier revision; what lay under a mask is not in the pixels either.
 */
import type { FoiRegion } from '../../shared/api/foi';
import type { DocumentMime } from '../../shared/domain/documents';
import { openPdf } from './content';

/** Pages at this resolution (dots per inch): readable print, about 1 240 × 1 754 px for A4. */
export const RENDER_DPI = 150;
/** An image's longer side is brought down to this (a 600-dpi scan need not be one in an extract). */
const IMAGE_MAX_SIDE = 2000;

export interface RenderedPage {
  /** The page as a JPEG (quality 0.9): the PDF embeds it as it is, where a PNG is decoded and deflated again in JavaScript (1.7 s for 7 pages). */
  jpg: Buffer;
  width: number;
  height: number;
}

type Canvas = import('@napi-rs/canvas').Canvas;

/** A region to burn, with the text written on it in white (its ground's citation). */
export type BurnRegion = Pick<FoiRegion, 'page' | 'x' | 'y' | 'w' | 'h'> & { label?: string };

function burn(canvas: Canvas, regions: readonly BurnRegion[]): void {
  const ctx = canvas.getContext('2d');
  for (const r of regions) {
    // Whole pixels outward: no half-covered pixel at a mask's edge keeps a trace of what is under it.
    const x0 = Math.floor(r.x * canvas.width);
    const y0 = Math.floor(r.y * canvas.height);
    const x1 = Math.ceil((r.x + r.w) * canvas.width);
    const y1 = Math.ceil((r.y + r.h) * canvas.height);
    ctx.fillStyle = '#000000';
    ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    // The ground on the mask itself, where it fits (drawn after the fill: only these pixels change).
    const size = Math.min(28, Math.floor((y1 - y0) * 0.6));
    if (r.label && size >= 9) {
      ctx.font = `${size}px sans-serif`;
      ctx.fillStyle = '#ffffff';
      ctx.textBaseline = 'middle';
      const width = ctx.measureText(r.label).width;
      if (width <= x1 - x0 - 8) ctx.fillText(r.label, x0 + 4, (y0 + y1) / 2);
    }
  }
}

/** A PDF page drawn onto a white canvas at the resolution asked. */
async function pdfPageCanvas(doc: Awaited<ReturnType<typeof openPdf>>, n: number, dpi: number): Promise<Canvas> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const page = await doc.getPage(n);
  const viewport = page.getViewport({ scale: dpi / 72 });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // Annotations and form fields are drawn as the page shows them (their pixels), never carried as objects.
  await page.render({ canvasContext: ctx as unknown as CanvasRenderingContext2D, canvas: canvas as unknown as HTMLCanvasElement, viewport }).promise;
  page.cleanup();
  return canvas;
}

/** An image drawn onto a white canvas, its longer side brought down to `maxSide`. */
async function imageCanvas(bytes: Uint8Array, maxSide: number): Promise<Canvas> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const img = await loadImage(Buffer.from(bytes));
  const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
  const canvas = createCanvas(Math.max(1, Math.round(img.width * scale)), Math.max(1, Math.round(img.height * scale)));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** Every page of a document, rendered anew with the regions of each page burnt in (page numbers from 1). */
export async function renderDocumentPages(bytes: Uint8Array, mime: DocumentMime, regions: readonly BurnRegion[]): Promise<RenderedPage[]> {
  const out: RenderedPage[] = [];
  const done = (canvas: Canvas, page: number) => {
    burn(canvas, regions.filter((r) => r.page === page));
    out.push({ jpg: canvas.toBuffer('image/jpeg', 90), width: canvas.width, height: canvas.height });
  };
  if (mime === 'application/pdf') {
    const doc = await openPdf(bytes);
    try {
      for (let n = 1; n <= doc.numPages; n++) done(await pdfPageCanvas(doc, n, RENDER_DPI), n);
    } finally {
      await doc.destroy();
    }
    return out;
  }
  done(await imageCanvas(bytes, IMAGE_MAX_SIDE), 1);
  return out;
}

/** A page to look at on screen (the review draws its regions over it): about 100 dpi, nothing burnt. */
export const PREVIEW_DPI = 100;
const PREVIEW_MAX_SIDE = 1400;

/**
 * One page of a document as it is (no mask: the officer sees what a region covers), for the screen. Throws
 * `RangeError` for a page the document does not have; `pages` is the document's count.
 */
export async function renderPreviewPage(bytes: Uint8Array, mime: DocumentMime, page: number): Promise<RenderedPage & { pages: number }> {
  if (mime === 'application/pdf') {
    const doc = await openPdf(bytes);
    try {
      if (page > doc.numPages) throw new RangeError(String(doc.numPages));
      const canvas = await pdfPageCanvas(doc, page, PREVIEW_DPI);
      return { jpg: canvas.toBuffer('image/jpeg', 80), width: canvas.width, height: canvas.height, pages: doc.numPages };
    } finally {
      await doc.destroy();
    }
  }
  if (page > 1) throw new RangeError('1');
  const canvas = await imageCanvas(bytes, PREVIEW_MAX_SIDE);
  return { jpg: canvas.toBuffer('image/jpeg', 80), width: canvas.width, height: canvas.height, pages: 1 };
}
