/**
 * A fee run as CSV for the finance system (docs/fees.md "Exports"): one row per fee line, the columns and
 * their order chosen by a layout (the finance system's import format), so a municipality can match what
 * its ledger reads without code. Pure: the caller writes the string where it belongs.
 *
 * RFC 4180 (CRLF, a cell with the separator, a quote or a line break quoted with doubled quotes), UTF-8
 * with an optional byte order mark (Excel needs it to read å, ä, ö, ø), and text cells that a spreadsheet
 * would run as a formula defused with a leading apostrophe, as every CSV of the core does (core/text/csv.ts,
 * which is comma-only; this one takes the layout's separator). Amount cells are numbers and are never
 * prefixed: a credit's "-150,00" must stay a number for the ledger.
 *
 * A withheld address (protected identity the user may not see) is written as empty cells: no placeholder,
 * since even "skyddad" would tell the reader that the payer is protected.
 *
 * Also here, shared by ubl.ts and payment.ts: money as text (formatMinor), the address a recipient may show
 * (visibleAddress) and the input check every writer starts with (checkFeeExportInput).
 */
import { csvLayout, type CsvColumn, type CsvLabels, type CsvLayout, type CsvLayoutInput } from '../../../shared/api/fee-export';
import type { FeeExportInput, FeeExportLine, FeeExportRecipient } from './types';

export { CSV_COLUMNS, csvLayout, DEFAULT_CSV_LAYOUTS, type CsvColumn, type CsvLabels, type CsvLayout, type CsvLayoutInput } from '../../../shared/api/fee-export';

/** Columns holding numbers (written without formula protection, with the layout's decimal mark). */
const NUMERIC_COLUMNS: ReadonlySet<CsvColumn> = new Set(['share_percent', 'amount']);

/** A text cell that a spreadsheet would run as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula protection for text, then RFC 4180 quoting when the separator, a quote or a line break is in it. */
export function csvField(value: string, separator: string, numeric = false): string {
  const s = !numeric && FORMULA_START.test(value) ? `'${value}` : value;
  return s.includes(separator) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Minor units (öre/øre, or basis points as a percentage) as a decimal with two places, by integer
 * arithmetic only: -5 → "-0,05", 123456 → "1234,56". No thousands separator (ledgers read plain numbers).
 */
export function formatMinor(minor: number, mark: '.' | ','): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount in minor units: ${minor}`);
  const abs = Math.abs(minor);
  const frac = abs % 100;
  const whole = (abs - frac) / 100;
  return `${minor < 0 ? '-' : ''}${whole}${mark}${String(frac).padStart(2, '0')}`;
}

/** The address shown for a recipient: none when withheld (whatever the address field says) or unknown. */
export function visibleAddress(r: FeeExportRecipient | undefined): FeeExportRecipient['address'] {
  return !r || r.addressWithheld ? null : r.address;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Refuses an input the exports cannot reconcile (the run code gathers it; a mismatch is a bug, and an
 * export that silently disagreed with the run would be booked): every amount a whole number of öre, the
 * lines summing to run.total exactly, every named recipient present, shares and months well formed.
 * Every writer calls it first.
 */
export function checkFeeExportInput(input: FeeExportInput): void {
  const { run } = input;
  if (!MONTH.test(run.month)) throw new Error(`fee run ${run.id}: month ${run.month} is not YYYY-MM`);
  if (!Number.isSafeInteger(run.total)) throw new Error(`fee run ${run.id}: total ${run.total} is not a whole number of öre`);
  if (!Number.isInteger(run.paymentTermsDays) || run.paymentTermsDays < 0 || run.paymentTermsDays > 365) throw new Error(`fee run ${run.id}: payment terms ${run.paymentTermsDays} are not 0–365 days`);
  const ids = new Set(input.recipients.map((r) => r.personId));
  if (ids.size !== input.recipients.length) throw new Error(`fee run ${run.id}: a recipient is listed twice`);
  let sum = 0;
  for (const line of input.lines) {
    if (!Number.isSafeInteger(line.amount)) throw new Error(`fee line ${line.id}: amount ${line.amount} is not a whole number of öre`);
    if (!Number.isInteger(line.shareBp) || line.shareBp < 0 || line.shareBp > 10_000) throw new Error(`fee line ${line.id}: share ${line.shareBp} is not 0–10000 basis points`);
    if (!MONTH.test(line.month)) throw new Error(`fee line ${line.id}: month ${line.month} is not YYYY-MM`);
    if (line.recipientId !== null && !ids.has(line.recipientId)) throw new Error(`fee line ${line.id}: recipient ${line.recipientId} is not among the export's recipients`);
    sum += line.amount;
  }
  if (!Number.isSafeInteger(sum) || sum !== run.total) throw new Error(`fee run ${run.id}: the lines sum to ${sum} öre, the run's total is ${run.total}`);
}

/** A line's value for one column (null: an empty cell). */
function cellValue(col: CsvColumn, input: FeeExportInput, line: FeeExportLine, recipient: FeeExportRecipient | undefined, layout: CsvLayout): string | null {
  const mark = layout.decimal === 'comma' ? ',' : '.';
  const address = visibleAddress(recipient);
  switch (col) {
    case 'run_id':
      return input.run.id;
    case 'run_month':
      return input.run.month;
    case 'line_id':
      return line.id;
    case 'line_month':
      return line.month;
    case 'kind':
      return line.kind;
    case 'corrects_line_id':
      return line.correctsLineId;
    case 'child_id':
      return line.childId;
    case 'child_name':
      return line.childName;
    case 'unit_name':
      return line.unitName;
    case 'school_form':
      return line.schoolForm;
    case 'recipient_id':
      return line.recipientId;
    case 'recipient_name':
      return recipient?.name ?? null;
    case 'customer_number':
      return recipient?.customerNumber ?? null;
    case 'recipient_street':
      return address?.street ?? null;
    case 'recipient_postal_code':
      return address?.postalCode ?? null;
    case 'recipient_city':
      return address?.city ?? null;
    case 'share_percent':
      return formatMinor(line.shareBp, mark);
    case 'amount':
      return layout.amountUnit === 'ore' ? String(line.amount) : formatMinor(line.amount, mark);
    case 'explanation':
      return line.explanation;
  }
}

/**
 * The run's lines as CSV in the layout (parsed with csvLayout first, so a stored layout is checked the
 * same way as a typed one; a bad layout throws its ZodError). Rows keep the lines' order. Throws when the
 * input does not reconcile (checkFeeExportInput).
 */
export function writeFeeCsv(input: FeeExportInput, layout: CsvLayoutInput, labels: CsvLabels = {}): string {
  const l = csvLayout.parse(layout);
  checkFeeExportInput(input);
  const byId = new Map(input.recipients.map((r) => [r.personId, r]));
  const row = (cells: string[]) => cells.join(l.separator);
  const rows: string[] = [];
  if (l.header) rows.push(row(l.columns.map((c) => csvField(labels[c] ?? c, l.separator))));
  for (const line of input.lines) {
    const recipient = line.recipientId === null ? undefined : byId.get(line.recipientId);
    rows.push(row(l.columns.map((c) => csvField(cellValue(c, input, line, recipient, l) ?? '', l.separator, NUMERIC_COLUMNS.has(c)))));
  }
  return `${l.bom ? '\uFEFF' : ''}${rows.map((r) => `${r}\r\n`).join('')}`;
}
