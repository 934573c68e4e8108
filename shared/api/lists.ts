/**
 * The lists domain's contract: class, unit and group lists on screen and exported as CSV or PDF (an export
 * is written as a file and handed back by id). Handlers: core/lists/handlers.ts.
 */
import { z } from 'zod';
import { LIST_FORMATS } from '../domain/care';
import { def, type MethodDef } from './def';
import { listQuery, listResult } from './care';
import { fileRef } from './files';

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
    input: listQuery.extend({ format: z.enum(LIST_FORMATS), lang: z.enum(['sv', 'nb', 'en']).default('sv') }).strict(),
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
