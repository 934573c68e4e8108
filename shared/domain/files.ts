/**
 * Files that travel between the UI and the core as files, not as base64 inside JSON (zod-free: the
 * renderer and the Electron main process import it). An upload names its kind; each kind has its size
 * limit and the file types its open dialog offers.
 */
export const UPLOAD_KINDS = {
  /** Navet full files run to ~200 MB for a large municipality; the limit leaves room for growth. */
  navet: { maxBytes: 2 * 1024 ** 3, extensions: ['xml'] },
  freg: { maxBytes: 2 * 1024 ** 3, extensions: ['xml'] },
  /** Legacy systems' exports (SATS GS, older IST/Edlevo dumps): tens of MB at most. */
  csv: { maxBytes: 256 * 1024 ** 2, extensions: ['csv', 'txt'] },
  /** A document about a person (a scanned decision, a letter): PDF or image (shared/domain/documents.ts). */
  document: { maxBytes: 25 * 1024 ** 2, extensions: ['pdf', 'png', 'jpg', 'jpeg'] },
} as const;
export type UploadKind = keyof typeof UPLOAD_KINDS;
export const isUploadKind = (k: unknown): k is UploadKind => typeof k === 'string' && Object.prototype.hasOwnProperty.call(UPLOAD_KINDS, k);

/** What a method returns for a file the core produced: the UI downloads it by id. */
export interface FileRef {
  fileId: string;
  name: string;
  mime: string;
  size: number;
}
