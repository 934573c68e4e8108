/**
 * Documents held about a person (issue 13; docs/foi.md "Documents"): a scanned decision, a letter, a
 * certificate, as PDF or image, with its classification and retention class, so that a subject-access or
 * FOI extract can include it. Zod-free: the renderer imports it.
 */

export const DOCUMENT_KINDS = ['decision', 'letter', 'application', 'certificate', 'report', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * Open (offentlig / offentleg), or marked as possibly secret (sekretessmarkering, OSL 5:5; Norway: unntatt
 * offentlighet with its ground): a mark for the review, never the review's outcome.
 */
export const DOCUMENT_CLASSIFICATIONS = ['open', 'confidential'] as const;
export type DocumentClassification = (typeof DOCUMENT_CLASSIFICATIONS)[number];

/**
 * How long the document is kept (the municipality's document management plan: bevaras / gallras after a
 * number of years, or when no longer needed). The weeding itself is a later issue's.
 */
export const RETENTION_CLASSES = ['permanent', 'years_1', 'years_3', 'years_5', 'years_10', 'when_obsolete'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

/** The file types a document may be: what the extract can render and burn masks into. */
export const DOCUMENT_MIMES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type DocumentMime = (typeof DOCUMENT_MIMES)[number];

export const DOCUMENT_LIMITS = {
  title: 200,
  ground: 100,
  /** A scanned decision of a few pages is far below this; a 300-dpi colour scan of 30 pages is not. */
  maxBytes: 25 * 1024 ** 2,
  maxPages: 300,
  /** An image's longer side in pixels (a 600-dpi A4 scan is about 7 000). */
  maxPixels: 12_000,
} as const;
