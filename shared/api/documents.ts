/**
 * The documents domain's methods (issue 13; docs/foi.md "Documents"): documents held about a person (PDF or
 * image) with a classification and a retention class. Read and written under the register's own grants for
 * the person (register.read / register.write in the person's scope); a protected or shielded person's
 * documents are like their addresses: listed and opened only with `protected.reveal` for them (a reason is
 * logged when opened), since a letter may carry where they live.
 */
import { z } from 'zod';
import { def, type MethodDef } from './def';
import { isoDate, uuid, writeResult } from './schemas';
import { fileRef } from './files';
import { REVEAL_REASON_MAX, REVEAL_REASON_MIN } from '../domain/access';
import { DOCUMENT_CLASSIFICATIONS, DOCUMENT_KINDS, DOCUMENT_LIMITS, DOCUMENT_MIMES, RETENTION_CLASSES } from '../domain/documents';

const int = z.number().int();

export const documentView = z.object({
  id: uuid,
  version: int,
  personId: uuid,
  title: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  /** The day the document is dated (a decision's day, a letter's). */
  documentDate: isoDate,
  classification: z.enum(DOCUMENT_CLASSIFICATIONS),
  /** The ground a confidential mark names (e.g. "OSL 23:2", "offl. § 13 jf. fvl. § 13"); null for an open document. */
  classificationGround: z.string().nullable(),
  retentionClass: z.enum(RETENTION_CLASSES),
  fileName: z.string(),
  mime: z.enum(DOCUMENT_MIMES),
  size: int,
  pages: int,
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});
export type DocumentView = z.infer<typeof documentView>;

/** The fields a clerk describes a document with (add and update). */
const described = {
  title: z.string().trim().min(1, { message: 'required' }).max(DOCUMENT_LIMITS.title, { message: 'too_long' }),
  kind: z.enum(DOCUMENT_KINDS),
  documentDate: isoDate,
  classification: z.enum(DOCUMENT_CLASSIFICATIONS),
  classificationGround: z
    .string()
    .trim()
    .max(DOCUMENT_LIMITS.ground, { message: 'too_long' })
    .nullish()
    .transform((v) => (v == null || v === '' ? null : v)),
  retentionClass: z.enum(RETENTION_CLASSES),
};

export const documentsMethods = {
  /**
   * A person's documents, the latest dated first. A protected or shielded person's documents are listed only
   * to a user with `protected.reveal` for them; to others `withheld` says there may be documents not shown.
   */
  'document.list': def({
    input: z.object({ personId: uuid }).strict(),
    output: z.object({ items: z.array(documentView), withheld: z.boolean() }),
    permission: 'register.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * Attaches an uploaded file (upload kind `document`) to a person. The file must be a PDF or a PNG/JPEG
   * image that opens: refused by rule when it is another type (`document_type`), a PDF that is encrypted
   * (`document_encrypted`) or damaged (`document_damaged`), has more than 300 pages (`document_pages`), or an
   * image larger than 12 000 pixels a side (`document_pixels`); a dated day after today (`document_date`).
   * The content is kept in the register (never changed afterwards); the upload is removed. On a workstation
   * joined to a server the upload goes to the server and the document is attached there (its content stays
   * there, never in a cache); without the server: `unavailable`.
   */
  'document.add': def({
    input: z.object({ personId: uuid, fileId: uuid, ...described }).strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation', 'unavailable'],
    personal: true,
    writes: true,
    run: 'async',
  }),
  /**
   * Changes a document's description (never its content), with the same rules. A protected or shielded
   * person's document (which one may attach without seeing the person's documents): only with
   * `protected.reveal` for them.
   */
  'document.update': def({
    input: z.object({ id: uuid, version: int, ...described }).strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation', 'conflict'],
    personal: true,
    writes: true,
  }),
  /** Removes a document attached by mistake (kept as removed, with its content, for the history and the archive). */
  'document.remove': def({
    input: z.object({ id: uuid, version: int }).strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'not_found', 'forbidden', 'conflict'],
    personal: true,
    writes: true,
  }),
  /**
   * The document's content as a file to open or save (an export of the user's own, kept a day). A protected
   * or shielded person's document needs `protected.reveal` for them and a reason (logged as a reveal). On a
   * joined workstation the server opens it (its own check of the grants); `unavailable` without the server.
   */
  'document.open': def({
    input: z
      .object({
        id: uuid,
        reason: z.string().trim().min(REVEAL_REASON_MIN, { message: 'reason_too_short' }).max(REVEAL_REASON_MAX, { message: 'too_long' }).optional(),
      })
      .strict(),
    output: z.object({ file: fileRef }),
    permission: 'register.read',
    errors: ['validation', 'not_found', 'forbidden', 'unavailable'],
    personal: true,
    writes: false,
    run: 'async',
  }),
} as const satisfies Record<string, MethodDef>;
