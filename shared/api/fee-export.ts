/**
 * The fee run's CSV export layouts (core/fees/export/csv.ts writes them): the columns to choose from and a
 * layout as the fee administrator saves it in the municipality's fee settings.
 */
import { z } from 'zod';

/** The columns a layout can choose from, in their default order. */
export const CSV_COLUMNS = [
  'run_id',
  'run_month',
  'line_id',
  'line_month',
  'kind',
  'corrects_line_id',
  'child_id',
  'child_name',
  'unit_name',
  'school_form',
  'recipient_id',
  'recipient_name',
  'customer_number',
  'recipient_street',
  'recipient_postal_code',
  'recipient_city',
  'share_percent',
  'amount',
  'explanation',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/**
 * A CSV layout as stored in the municipality's settings. A comma decimal mark with a comma separator is
 * refused: quoting would keep it valid RFC 4180, but many ledger imports split on every comma.
 */
export const csvLayout = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'must be 1–60 characters a–z, 0–9, _ or -, starting with a letter or digit'),
    name: z.string().trim().min(1).max(100),
    separator: z.enum([';', ',', '\t']),
    decimal: z.enum(['comma', 'point']),
    header: z.boolean(),
    /** Amounts as whole öre/øre ("-15000") or kronor/kroner with two decimals ("-150,00"). */
    amountUnit: z.enum(['ore', 'krona']),
    /** Start the file with a UTF-8 byte order mark (Excel needs it; some ledger imports refuse it). */
    bom: z.boolean().default(true),
    columns: z
      .array(z.enum(CSV_COLUMNS))
      .min(1)
      .max(40)
      .superRefine((cols, ctx) => {
        const seen = new Set<string>();
        cols.forEach((c, i) => {
          if (seen.has(c)) ctx.addIssue({ code: 'custom', message: `column ${c} is chosen twice`, path: [i] });
          seen.add(c);
        });
      }),
  })
  .strict()
  .superRefine((l, ctx) => {
    if (l.separator === ',' && l.decimal === 'comma') ctx.addIssue({ code: 'custom', message: 'a comma decimal mark needs a separator other than comma', path: ['decimal'] });
  });
export type CsvLayout = z.infer<typeof csvLayout>;
/** A layout as typed or stored (bom may be left out: true). */
export type CsvLayoutInput = z.input<typeof csvLayout>;

/** Header names by column (for a finance system that wants its own, or the user's language). */
export type CsvLabels = Partial<Record<CsvColumn, string>>;

/**
 * The shipped layouts: a Swedish ledger import (semicolon, decimal comma, kronor, the booking columns) and a
 * generic one with every column (comma, decimal point, öre: exact integers for any program).
 */
export const DEFAULT_CSV_LAYOUTS: readonly CsvLayout[] = [
  {
    id: 'se-ekonomi',
    name: 'Ekonomisystem (semikolon, decimalkomma, kronor)',
    separator: ';',
    decimal: 'comma',
    header: true,
    amountUnit: 'krona',
    bom: true,
    columns: ['customer_number', 'recipient_name', 'recipient_street', 'recipient_postal_code', 'recipient_city', 'line_month', 'kind', 'child_name', 'school_form', 'unit_name', 'share_percent', 'amount', 'explanation', 'line_id', 'corrects_line_id', 'run_id'],
  },
  {
    id: 'generic',
    name: 'Generic (comma, decimal point, öre, all columns)',
    separator: ',',
    decimal: 'point',
    header: true,
    amountUnit: 'ore',
    bom: false,
    columns: [...CSV_COLUMNS],
  },
];

