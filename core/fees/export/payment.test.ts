/**
 * The payment basis: one row per UBL document (the same numbers, kinds and amounts), a total row, the
 * lines without a payer shown, and everything reconciling to the run to the öre; for random runs (fast-check)
 * the three writers agree with each other and with the run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CSV_LAYOUTS, writeFeeCsv } from './csv';
import { writePaymentBasis } from './payment';
import type { FeeExportInput, FeeExportLine, FeeExportRecipient } from './types';
import { writeUblDocuments } from './ubl';

const recipient = (personId: string, name: string, over: Partial<FeeExportRecipient> = {}): FeeExportRecipient => ({
  personId,
  name,
  customerNumber: `K${personId}`,
  address: { street: 'Storgatan 1', postalCode: '222 21', city: 'Lund', country: 'SE' },
  addressWithheld: false,
  ...over,
});
const line = (id: string, recipientId: string | null, amount: number, over: Partial<FeeExportLine> = {}): FeeExportLine => ({
  id,
  month: '2026-03',
  kind: 'charge',
  correctsLineId: null,
  childId: `c-${id}`,
  childName: 'Alva',
  unitName: 'Solrosen',
  schoolForm: 'FS',
  recipientId,
  shareBp: 10_000,
  amount,
  explanation: 'Maxtaxa.',
  ...over,
});
function run(lines: FeeExportLine[], recipients: FeeExportRecipient[], currency: 'SEK' | 'NOK' = 'SEK'): FeeExportInput {
  return {
    run: { id: 'R26-03', month: '2026-03', kind: 'regular', lockedAt: '2026-03-25T10:00:00Z', currency, total: lines.reduce((s, l) => s + l.amount, 0), paymentTermsDays: 20 },
    seller: { name: 'Lunds kommun', orgNumber: '2120001173', vatNumber: null, address: { street: 'Box 41', postalCode: '221 00', city: 'Lund', country: 'SE' }, paymentAccount: '5050-1055', iban: null, contactEmail: null },
    recipients,
    lines,
  };
}

/** Splits the CSV (no quoted separators in these fixtures) into cells. */
const cells = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.split(';'));

const input = run(
  [
    line('a1', 'p1', 125_000),
    line('a2', 'p1', -20_050, { kind: 'correction', month: '2026-01' }),
    line('b1', 'p2', 61_725, { shareBp: 5_000 }),
    line('c1', 'p3', 50_000),
    line('c2', 'p3', -150_001, { kind: 'correction', month: '2025-12' }),
    line('d1', 'p4', 80_000),
    line('d2', 'p4', -80_000, { kind: 'correction', month: '2026-02' }),
    line('x1', null, 12_300),
  ],
  [recipient('p1', 'Anna Åkesson'), recipient('p2', '=Björn Öström'), recipient('p3', 'Cecilia Ärlig', { addressWithheld: true, address: null }), recipient('p4', 'Dag Noll'), recipient('p5', 'Utan Rader')],
);

describe('writePaymentBasis', () => {
  const basis = writePaymentBasis(input);

  it('has one row per invoice or credit note, with the documents’ numbers, kinds and amounts', () => {
    const ubl = writeUblDocuments(input);
    expect(basis.rows.map((r) => [r.documentId, r.kind, r.amount, r.recipientId])).toEqual(ubl.documents.map((d) => [d.id, d.kind, d.total, d.recipientId]));
    expect(basis.rows).toEqual([
      { recipientId: 'p1', customerNumber: 'Kp1', name: 'Anna Åkesson', documentId: 'R26-03-0001', kind: 'Invoice', amount: 104_950, dueDate: '2026-04-14', lineCount: 2 },
      { recipientId: 'p2', customerNumber: 'Kp2', name: '=Björn Öström', documentId: 'R26-03-0002', kind: 'Invoice', amount: 61_725, dueDate: '2026-04-14', lineCount: 1 },
      { recipientId: 'p3', customerNumber: 'Kp3', name: 'Cecilia Ärlig', documentId: 'R26-03-0003', kind: 'CreditNote', amount: -100_001, dueDate: '2026-04-14', lineCount: 2 },
    ]);
    expect(basis.skipped).toEqual(ubl.skipped);
  });

  it("reconciles to the run's total to the öre", () => {
    expect(basis.total).toBe(104_950 + 61_725 - 100_001);
    expect(basis.total + basis.skipped.reduce((s, k) => s + k.total, 0)).toBe(input.run.total);
    expect(basis.lineCount + basis.skipped.reduce((s, k) => s + k.lineIds.length, 0)).toBe(input.lines.length);
  });

  it('writes the CSV: Swedish headers, öre and kronor, the total, the lines without a payer and the run total', () => {
    expect(basis.csv.startsWith('\uFEFF')).toBe(true);
    expect(basis.csv.endsWith('\r\n')).toBe(true);
    expect(cells(basis.csv)).toEqual([
      ['Kundnummer', 'Namn', 'Dokument', 'Typ', 'Belopp (öre)', 'Belopp (kr)', 'Förfallodag', 'Rader'],
      ['Kp1', 'Anna Åkesson', 'R26-03-0001', 'Faktura', '104950', '1049,50', '2026-04-14', '2'],
      ['Kp2', "'=Björn Öström", 'R26-03-0002', 'Faktura', '61725', '617,25', '2026-04-14', '1'],
      ['Kp3', 'Cecilia Ärlig', 'R26-03-0003', 'Kreditnota', '-100001', '-1000,01', '2026-04-14', '2'],
      ['Summa', '', '', '', '66674', '666,74', '', '5'],
      ['Rader utan betalare', '', '', '', '12300', '123,00', '', '1'],
      ['Körningens summa', '', '', '', '78974', '789,74', '', '8'],
    ]);
    const rows = cells(basis.csv).slice(1, 1 + basis.rows.length);
    expect(rows.reduce((s, r) => s + Number(r[4]), 0)).toBe(basis.total);
    expect(78_974).toBe(input.run.total);
  });

  it('leaves the no-payer rows out when every line has a payer, and writes Norwegian for NOK', () => {
    const no = run([line('n1', 'p1', 315_000), line('n2', 'p2', -94_500)], [recipient('p1', 'Bjørn Æsøy'), recipient('p2', 'Kåre Ødegård')], 'NOK');
    const b = writePaymentBasis(no);
    expect(cells(b.csv)).toEqual([
      ['Kundenummer', 'Navn', 'Dokument', 'Type', 'Beløp (øre)', 'Beløp (kr)', 'Forfallsdato', 'Linjer'],
      ['Kp1', 'Bjørn Æsøy', 'R26-03-0001', 'Faktura', '315000', '3150,00', '2026-04-14', '1'],
      ['Kp2', 'Kåre Ødegård', 'R26-03-0002', 'Kreditnota', '-94500', '-945,00', '2026-04-14', '1'],
      ['Sum', '', '', '', '220500', '2205,00', '', '2'],
    ]);
    expect(b.total).toBe(no.run.total);
  });

  it('refuses an input that does not reconcile', () => {
    expect(() => writePaymentBasis({ ...input, run: { ...input.run, total: 0 } })).toThrow(/sum to/);
  });
});

describe('the writers agree with each other and with the run (property)', () => {
  it('UBL documents, payment basis and CSV all reconcile to the öre for random runs', () => {
    const arb = fc.record({
      people: fc.integer({ min: 1, max: 6 }),
      lines: fc.array(fc.record({ who: fc.integer({ min: 0, max: 6 }), amount: fc.integer({ min: -500_000, max: 500_000 }), correction: fc.boolean() }), { maxLength: 30 }),
      currency: fc.constantFrom('SEK' as const, 'NOK' as const),
    });
    fc.assert(
      fc.property(arb, ({ people, lines, currency }) => {
        const recipients = Array.from({ length: people }, (_, i) => recipient(`p${i}`, `Person ${i}`));
        const ls = lines.map((l, i) => line(`l${i}`, l.who >= people ? null : `p${l.who}`, l.amount, l.correction ? { kind: 'correction', month: '2026-01' } : {}));
        const inp = run(ls, recipients, currency);
        const ubl = writeUblDocuments(inp);
        const basis = writePaymentBasis(inp);
        const skipped = ubl.skipped.reduce((s, k) => s + k.total, 0);
        expect(ubl.documents.reduce((s, d) => s + d.total, 0) + skipped).toBe(inp.run.total);
        expect(basis.total + skipped).toBe(inp.run.total);
        expect(basis.rows.map((r) => r.documentId)).toEqual(ubl.documents.map((d) => d.id));
        for (const d of ubl.documents) expect(d.kind === 'Invoice' ? d.total > 0 : d.total < 0).toBe(true);
        for (const k of ubl.skipped) if (k.reason === 'zero_net') expect(k.total).toBe(0);
        // Every line is in exactly one document or skipped entry.
        const inDocs = ubl.documents.flatMap((d) => [...d.xml.matchAll(/<cac:(?:Invoice|CreditNote)Line>\s*<cbc:ID>([^<]+)<\/cbc:ID>/g)].map((m) => m[1]));
        expect([...inDocs, ...ubl.skipped.flatMap((k) => k.lineIds)].sort()).toEqual(ls.map((l) => l.id).sort());
        // The generic CSV's amount column (öre, last-but-one column: explanation follows) sums to the run.
        const csv = writeFeeCsv(inp, DEFAULT_CSV_LAYOUTS.find((l) => l.id === 'generic')!);
        const amounts = csv
          .split('\r\n')
          .slice(1, -1)
          .map((r) => Number(r.split(',').at(-2)));
        expect(amounts.reduce((s, a) => s + a, 0)).toBe(inp.run.total);
      }),
      { numRuns: 150 },
    );
  });
});
