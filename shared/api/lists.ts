/**
 * The lists domain's contract: class, unit and group lists on screen and exported as CSV or PDF (an export
 * is written as a file and handed back by id). Handlers: core/lists/handlers.ts.
 */
import { z } from 'zod';
import { LIST_FORMATS } from '../domain/care';
import { def, type MethodDef } from './def';
import { listQuery, listResult } from './care';
import { fileRef } from './files';

/**
 * Optional columns of an exported list (name, birth date and group are always there): the identity number,
 * the guardians, their phones and e-mails (needs `guardians`), the school form, weekly hours (placement
 * lists only). What a column may show is the list's own rule: protected children and shielded guardians
 * are left out as on screen, whatever is chosen.
 */
export const LIST_COLUMNS = ['identity', 'guardians', 'contacts', 'form', 'hours'] as const;
export type ListColumn = (typeof LIST_COLUMNS)[number];

export const listExportInput = listQuery
  .extend({
    format: z.enum(LIST_FORMATS),
    lang: z.enum(['sv', 'nb', 'en']).default('sv'),
    /** Given: exactly these optional columns. Omitted: the guardians with contacts when `withContacts`, else none. */
    columns: z.array(z.enum(LIST_COLUMNS)).max(LIST_COLUMNS.length).optional(),
    /** Optional here: `columns` can say it instead ('contacts'); both given must agree. */
    withContacts: z.boolean().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const cols = v.columns;
    if (!cols) return;
    if (new Set(cols).size !== cols.length) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'column_repeated' });
    if (cols.includes('contacts') && !cols.includes('guardians')) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'contacts_need_guardians' });
    if (cols.includes('hours') && v.kind !== 'placements') ctx.addIssue({ code: 'custom', path: ['columns'], message: 'hours_placements_only' });
    if (v.withContacts !== undefined && v.withContacts !== cols.includes('contacts')) ctx.addIssue({ code: 'custom', path: ['withContacts'], message: 'contacts_mismatch' });
  });

export const listsMethods = {
  'list.get': def({
    input: listQuery,
    output: listResult,
    permission: 'placement.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /** The same list as a file: PDF (pdf-lib) or CSV (RFC 4180, BOM, formula-safe). Base64 content. */
  'list.export': def({
    input: listExportInput,
    output: z.object({ file: fileRef, rows: z.number().int(), hiddenProtected: z.number().int() }),
    permission: 'placement.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
    // The file is written to the core's file store and downloaded by id.
    run: 'async',
  }),

  /**
   * Year rollover preview: every change it would make, counted per unit, and the rows (paged). The token
   * fingerprints the plan; the commit refuses a stale token (`rollover_stale`).
   */
} as const satisfies Record<string, MethodDef>;
