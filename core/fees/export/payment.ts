/**
 * The payment basis of a fee run (betalningsunderlag / betalingsgrunnlag, docs/fees.md "Exports"): one row
 * per invoice or credit note (customer number, name, document number, amount, due date) and the total, for
 * the finance office to book and to check against the ledger. The rows are the UBL documents' (same
 * grouping, same numbers: planFeeDocuments), so the two exports cannot disagree.
 *
 * Reconciliation: the rows' total plus the lines that made no document (a recipient netting to zero, lines
 * with no recipient) is the run's total to the öre; the CSV shows the lines with no payer and the run's
 * total when there are any, so a reader sees why the sum differs.
 */
import { csvField, formatMinor } from './csv';
import { planFeeDocuments, type UblKind, type UblSkipped } from './ubl';
import type { FeeExportInput } from './types';

export interface PaymentBasisRow {
  recipientId: string;
  customerNumber: string;
  name: string;
  documentId: string;
  kind: UblKind;
  /** öre, signed as in the run (negative: a credit note). */
  amount: number;
  dueDate: string;
  /** The fee lines behind the document. */
  lineCount: number;
}

export interface PaymentBasis {
  runId: string;
  month: string;
  currency: FeeExportInput['run']['currency'];
  rows: PaymentBasisRow[];
  /** The rows' sum (öre). total + the skipped totals = run.total. */
  total: number;
  /** The fee lines behind the rows; with the skipped lines, all of the run's lines. */
  lineCount: number;
  /** What made no document (as writeUblDocuments reports it). */
  skipped: UblSkipped[];
  /** The same as CSV: ';' separated, CRLF, UTF-8 with a byte order mark, öre as integers and kronor with a decimal comma. */
  csv: string;
}

const HEAD = {
  sv: {
    columns: ['Kundnummer', 'Namn', 'Dokument', 'Typ', 'Belopp (öre)', 'Belopp (kr)', 'Förfallodag', 'Rader'],
    kind: { Invoice: 'Faktura', CreditNote: 'Kreditnota' },
    total: 'Summa',
    unbilled: 'Rader utan betalare',
    run: 'Körningens summa',
  },
  nb: {
    columns: ['Kundenummer', 'Navn', 'Dokument', 'Type', 'Beløp (øre)', 'Beløp (kr)', 'Forfallsdato', 'Linjer'],
    kind: { Invoice: 'Faktura', CreditNote: 'Kreditnota' },
    total: 'Sum',
    unbilled: 'Linjer uten betaler',
    run: 'Kjøringens sum',
  },
} as const;

/** The run's payment basis as rows and as CSV (the run's currency says the language: SEK Swedish, NOK Norwegian). */
export function writePaymentBasis(input: FeeExportInput): PaymentBasis {
  const plan = planFeeDocuments(input);
  const recipients = new Map(input.recipients.map((r) => [r.personId, r]));
  const rows: PaymentBasisRow[] = plan.documents.map((d) => {
    const r = recipients.get(d.recipientId);
    return {
      recipientId: d.recipientId,
      customerNumber: r?.customerNumber ?? '',
      name: r?.name ?? '',
      documentId: d.id,
      kind: d.kind,
      amount: d.total,
      dueDate: d.dueDate,
      lineCount: d.lines.length,
    };
  });
  const total = rows.reduce((s, r) => s + r.amount, 0);
  const lineCount = rows.reduce((s, r) => s + r.lineCount, 0);
  const unbilled = plan.skipped.filter((s) => s.reason === 'no_recipient');

  const h = HEAD[input.run.currency === 'NOK' ? 'nb' : 'sv'];
  // Text cells get formula protection; numbers (öre, kronor, counts) are written as they are.
  const text = (v: string) => csvField(v, ';');
  const num = (v: number | string) => csvField(String(v), ';', true);
  const money = (ore: number) => [num(ore), num(formatMinor(ore, ','))];
  const sumRow = (label: string, ore: number, count: number) => [text(label), '', '', '', ...money(ore), '', num(count)];
  const out = [h.columns.map(text)];
  for (const r of rows) out.push([text(r.customerNumber), text(r.name), text(r.documentId), text(h.kind[r.kind]), ...money(r.amount), text(r.dueDate), num(r.lineCount)]);
  out.push(sumRow(h.total, total, lineCount));
  if (unbilled.length > 0) {
    out.push(sumRow(h.unbilled, unbilled.reduce((s, u) => s + u.total, 0), unbilled.reduce((s, u) => s + u.lineIds.length, 0)));
    out.push(sumRow(h.run, input.run.total, input.lines.length));
  }
  return {
    runId: input.run.id,
    month: input.run.month,
    currency: input.run.currency,
    rows,
    total,
    lineCount,
    skipped: plan.skipped,
    csv: `\uFEFF${out.map((cells) => `${cells.join(';')}\r\n`).join('')}`,
  };
}
