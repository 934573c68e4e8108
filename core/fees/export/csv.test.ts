/**
 * The fee CSV: layouts checked with useful error paths, RFC 4180 output that reads back cell for cell,
 * formula injection defused in text but not in amounts, withheld addresses as empty cells, and the amount
 * column summing to the run's total to the öre in both units (also for random runs, fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, DEFAULT_CSV_LAYOUTS, csvField, csvLayout, formatMinor, writeFeeCsv, type CsvLayout } from './csv';
import type { FeeExportInput, FeeExportLine, FeeExportRecipient } from './types';

/** Reads RFC 4180 text back into rows of cells (the test's own reader: quotes, doubled quotes, CRLF). */
function readCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      if (c === '\n' || c === '\r' || c === '"') throw new Error(`bare ${JSON.stringify(c)} outside quotes at ${i}`);
      cell += c;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (cell !== '' || row.length > 0) throw new Error('the last row has no CRLF');
  return rows;
}

/** "-1234,56" / "7.00" → öre, by string handling (no floating point). */
function kronorToOre(s: string): number {
  const m = /^(-?)(\d+)[.,](\d{2})$/.exec(s);
  if (!m) throw new Error(`not kronor with two decimals: ${s}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

const recipient = (personId: string, name: string, over: Partial<FeeExportRecipient> = {}): FeeExportRecipient => ({
  personId,
  name,
  customerNumber: `19800101-${personId.padStart(4, '0')}`,
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
  childName: 'Alva Åkesson',
  unitName: 'Förskolan Solrosen',
  schoolForm: 'FS',
  recipientId,
  shareBp: 10_000,
  amount,
  explanation: 'Maxtaxa: 3 % av 48 000 kr.',
  ...over,
});

function run(lines: FeeExportLine[], recipients: FeeExportRecipient[]): FeeExportInput {
  return {
    run: { id: 'run-1', month: '2026-03', kind: 'regular', lockedAt: '2026-03-25T10:00:00Z', currency: 'SEK', total: lines.reduce((s, l) => s + l.amount, 0), paymentTermsDays: 30 },
    seller: { name: 'Lunds kommun', orgNumber: '2120001173', vatNumber: null, address: { street: 'Box 41', postalCode: '221 00', city: 'Lund', country: 'SE' }, paymentAccount: '5050-1055', iban: null, contactEmail: null },
    recipients,
    lines,
  };
}

const SECRET = { street: 'Hemliga gränd 3', postalCode: '999 99', city: 'Gömby', country: 'SE' };
const input = run(
  [
    line('l1', 'p1', 125_000),
    line('l2', 'p1', -20_050, { kind: 'correction', month: '2026-01', correctsLineId: 'l0', explanation: 'Rättelse; ny inkomst "42 000 kr"\r\nfrån januari.' }),
    line('l3', 'p2', 61_725, { shareBp: 5_000, childName: '=HYPERLINK("http://x.test","klick")' }),
    line('l4', 'p3', 61_725, { shareBp: 5_000, childName: '-Cleo' }),
    line('l5', 'p4', 98_000, { childName: '@Ebba', unitName: '+46 Förskola', explanation: '\tTabb först' }),
    line('l6', 'p5', -1, { kind: 'correction', month: '2026-02', correctsLineId: 'l0b', explanation: '\rCR först' }),
    line('l7', null, 500),
  ],
  [
    recipient('p1', 'Anna Åkesson; Berg'),
    recipient('p2', 'Björn "Bosse" Öström'),
    recipient('p3', 'Cecilia Ärlig', { address: null }),
    recipient('p4', 'Dana Berg', { addressWithheld: true, address: SECRET }),
    recipient('p5', 'Kåre Ødegård, Æsøy', { address: { street: 'Storgata 12', postalCode: '0155', city: 'Oslo', country: 'NO' } }),
  ],
);

const SE = DEFAULT_CSV_LAYOUTS.find((l) => l.id === 'se-ekonomi')!;
const GENERIC = DEFAULT_CSV_LAYOUTS.find((l) => l.id === 'generic')!;
const layout = (over: Partial<CsvLayout>): CsvLayout => ({ ...GENERIC, ...over });

describe('csvLayout', () => {
  it('accepts the shipped layouts and fills in the byte order mark', () => {
    for (const l of DEFAULT_CSV_LAYOUTS) expect(csvLayout.parse(l)).toEqual(l);
    const { bom: _bom, ...withoutBom } = SE;
    expect(csvLayout.parse(withoutBom).bom).toBe(true);
    expect(GENERIC.columns).toEqual([...CSV_COLUMNS]);
  });

  it('refuses bad layouts with the path of the bad field', () => {
    const issues = (value: unknown) => {
      const r = csvLayout.safeParse(value);
      if (r.success) throw new Error('accepted');
      return r.error.issues.map((i) => ({ path: i.path, code: i.code }));
    };
    expect(issues({ ...SE, columns: ['amount', 'child_name', 'personnummer'] })).toEqual([{ path: ['columns', 2], code: 'invalid_value' }]);
    expect(issues({ ...SE, columns: ['amount', 'amount'] })).toEqual([{ path: ['columns', 1], code: 'custom' }]);
    expect(issues({ ...SE, columns: [] })).toEqual([{ path: ['columns'], code: 'too_small' }]);
    expect(issues({ ...SE, columns: Array.from({ length: 41 }, () => 'amount') })[0]).toEqual({ path: ['columns'], code: 'too_big' });
    expect(issues({ ...SE, separator: '|' })).toEqual([{ path: ['separator'], code: 'invalid_value' }]);
    expect(issues({ ...SE, separator: ',', decimal: 'comma' })).toEqual([{ path: ['decimal'], code: 'custom' }]);
    expect(issues({ ...SE, amountUnit: 'sek' })).toEqual([{ path: ['amountUnit'], code: 'invalid_value' }]);
    expect(issues({ ...SE, id: 'Has Spaces' })).toEqual([{ path: ['id'], code: 'invalid_format' }]);
    expect(issues({ ...SE, name: '  ' })).toEqual([{ path: ['name'], code: 'too_small' }]);
    expect(issues({ ...SE, encoding: 'latin1' })).toEqual([{ path: [], code: 'unrecognized_keys' }]);
    expect(() => writeFeeCsv(input, { ...SE, columns: [] })).toThrow();
  });
});

describe('writeFeeCsv', () => {
  it('writes the Swedish finance layout: BOM, semicolons, decimal comma, kronor, CRLF', () => {
    const csv = writeFeeCsv(input, SE);
    expect(csv.startsWith('\uFEFFcustomer_number;recipient_name;recipient_street;')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = readCsv(csv.slice(1), ';');
    expect(rows[0]).toEqual(SE.columns);
    const col = (name: string) => SE.columns.indexOf(name as CsvLayout['columns'][number]);
    expect(rows.slice(1).map((r) => r[col('amount')])).toEqual(['1250,00', '-200,50', '617,25', '617,25', '980,00', '-0,01', '5,00']);
    expect(rows.slice(1).map((r) => r[col('share_percent')])).toEqual(['100,00', '100,00', '50,00', '50,00', '100,00', '100,00', '100,00']);
    expect(rows[1]![col('recipient_name')]).toBe('Anna Åkesson; Berg');
    expect(rows[2]![col('kind')]).toBe('correction');
    expect(rows[2]![col('corrects_line_id')]).toBe('l0');
    expect(rows[2]![col('explanation')]).toBe('Rättelse; ny inkomst "42 000 kr"\r\nfrån januari.');
    // The line without a recipient: empty recipient cells.
    expect(rows[7]![col('customer_number')]).toBe('');
  });

  it('writes the generic layout: commas, öre as integers, every column, no BOM', () => {
    const csv = writeFeeCsv(input, GENERIC);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const rows = readCsv(csv, ',');
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('amount')])).toEqual(['125000', '-20050', '61725', '61725', '98000', '-1', '500']);
    expect(rows.slice(1).map((r) => r[CSV_COLUMNS.indexOf('share_percent')])).toEqual(['100.00', '100.00', '50.00', '50.00', '100.00', '100.00', '100.00']);
    expect(rows[6]![CSV_COLUMNS.indexOf('recipient_name')]).toBe('Kåre Ødegård, Æsøy');
    expect(csv).toContain('"Kåre Ødegård, Æsøy"');
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('quotes only what needs it, for each separator', () => {
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a;b', ',')).toBe('a;b');
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('a\tb', '\t')).toBe('"a\tb"');
    expect(csvField('say "hi"', ';')).toBe('"say ""hi"""');
    expect(csvField('two\nlines', ';')).toBe('"two\nlines"');
    expect(csvField('plain', ';')).toBe('plain');
    const tsv = writeFeeCsv(input, layout({ separator: '\t', columns: ['child_name', 'explanation', 'amount'] }));
    const rows = readCsv(tsv, '\t');
    expect(rows[5]).toEqual(["'@Ebba", "'\tTabb först", '98000']);
  });

  it('defuses formulas in text cells but leaves amounts as numbers', () => {
    const rows = readCsv(writeFeeCsv(input, layout({ columns: ['child_name', 'unit_name', 'explanation', 'amount', 'share_percent'] })), ',');
    expect(rows[3]).toEqual(['\'=HYPERLINK("http://x.test","klick")', 'Förskolan Solrosen', 'Maxtaxa: 3 % av 48 000 kr.', '61725', '50.00']);
    expect(rows[4]![0]).toBe("'-Cleo");
    expect(rows[5]!.slice(0, 3)).toEqual(["'@Ebba", "'+46 Förskola", "'\tTabb först"]);
    expect(rows[6]![2]).toBe("'\rCR först");
    expect(rows[2]![3]).toBe('-20050'); // a credit stays a number
    expect(rows[6]![3]).toBe('-1');
    // Header labels are text too.
    expect(readCsv(writeFeeCsv(input, layout({ columns: ['amount'] }), { amount: '=Belopp' }), ',')[0]).toEqual(["'=Belopp"]);
  });

  it('writes a withheld or unknown address as empty cells, and nothing of the withheld one', () => {
    const cols: CsvLayout['columns'] = ['recipient_id', 'recipient_name', 'recipient_street', 'recipient_postal_code', 'recipient_city'];
    const csv = writeFeeCsv(input, layout({ columns: cols }));
    const rows = readCsv(csv, ',');
    expect(rows[5]).toEqual(['p4', 'Dana Berg', '', '', '']);
    expect(rows[4]).toEqual(['p3', 'Cecilia Ärlig', '', '', '']);
    expect(rows[1]).toEqual(['p1', 'Anna Åkesson; Berg', 'Storgatan 1', '222 21', 'Lund']);
    for (const secret of Object.values(SECRET).filter((v) => v !== 'SE')) expect(csv).not.toContain(secret);
    expect(csv.toLowerCase()).not.toMatch(/skydd|withheld|protected|hemlig/);
  });

  it('uses the labels given for the header, the keys otherwise, and can leave the header out', () => {
    const l = layout({ columns: ['customer_number', 'amount', 'line_month'] });
    expect(readCsv(writeFeeCsv(input, l, { customer_number: 'Kundnr', amount: 'Belopp' }), ',')[0]).toEqual(['Kundnr', 'Belopp', 'line_month']);
    const rows = readCsv(writeFeeCsv(input, { ...l, header: false }), ',');
    expect(rows).toHaveLength(input.lines.length);
    expect(rows[0]).toEqual(['19800101-00p1', '125000', '2026-03']);
  });

  it("sums to the run's total to the öre, in öre and in kronor with either decimal mark", () => {
    for (const l of [GENERIC, SE, layout({ amountUnit: 'krona', decimal: 'point' }), layout({ separator: '\t', amountUnit: 'krona', decimal: 'comma' })]) {
      const text = writeFeeCsv(input, l);
      const rows = readCsv(text.startsWith('\uFEFF') ? text.slice(1) : text, l.separator);
      const col = l.columns.indexOf('amount');
      const cells = rows.slice(l.header ? 1 : 0).map((r) => r[col]!);
      const sum = cells.reduce((s, c) => s + (l.amountUnit === 'ore' ? Number(c) : kronorToOre(c)), 0);
      expect(sum).toBe(input.run.total);
    }
  });

  it('refuses an input that does not reconcile', () => {
    expect(() => writeFeeCsv({ ...input, run: { ...input.run, total: input.run.total - 1 } }, GENERIC)).toThrow(/sum to/);
    expect(() => writeFeeCsv({ ...input, lines: [...input.lines, line('x', 'ghost', 0)] }, GENERIC)).toThrow(/not among/);
  });

  it('writes just the header for a run without lines', () => {
    expect(writeFeeCsv(run([], []), layout({ columns: ['line_id', 'amount'] }))).toBe('line_id,amount\r\n');
    expect(writeFeeCsv(run([], []), { ...SE, header: false })).toBe('\uFEFF');
  });

  it('reads back every cell and reconciles for random runs (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Å', 'ø', ' ', ';', ',', '"', '\n', '\r', '\t', '=', '+', '-', '@', "'", '1'), maxLength: 12 });
    const arb = fc.record({
      lines: fc.array(fc.record({ amount: fc.integer({ min: -10_000_000, max: 10_000_000 }), childName: text, explanation: text, shareBp: fc.integer({ min: 0, max: 10_000 }), who: fc.integer({ min: 0, max: 3 }) }), { maxLength: 20 }),
      names: fc.array(text, { minLength: 3, maxLength: 3 }),
      layout: fc.record({ separator: fc.constantFrom(';' as const, '\t' as const), decimal: fc.constantFrom('comma' as const, 'point' as const), amountUnit: fc.constantFrom('ore' as const, 'krona' as const) }),
    });
    fc.assert(
      fc.property(arb, ({ lines, names, layout: l }) => {
        const recipients = names.map((n, i) => recipient(`p${i}`, n));
        const ls = lines.map((x, i) => line(`l${i}`, x.who === 3 ? null : `p${x.who}`, x.amount, { childName: x.childName, explanation: x.explanation, shareBp: x.shareBp }));
        const inp = run(ls, recipients);
        const lay = layout({ ...l, columns: ['child_name', 'recipient_name', 'explanation', 'amount', 'share_percent'] });
        const rows = readCsv(writeFeeCsv(inp, lay), lay.separator).slice(1);
        expect(rows).toHaveLength(ls.length);
        const defused = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
        let sum = 0;
        rows.forEach((r, i) => {
          const src = ls[i]!;
          expect(r[0]).toBe(defused(src.childName));
          expect(r[1]).toBe(src.recipientId === null ? '' : defused(recipients.find((p) => p.personId === src.recipientId)!.name));
          expect(r[2]).toBe(defused(src.explanation));
          expect(r[4]).toBe(formatMinor(src.shareBp, lay.decimal === 'comma' ? ',' : '.'));
          sum += lay.amountUnit === 'ore' ? Number(r[3]) : kronorToOre(r[3]!);
        });
        expect(sum).toBe(inp.run.total);
      }),
      { numRuns: 200 },
    );
  });
});

describe('formatMinor', () => {
  it('writes minor units with two decimals by integer arithmetic', () => {
    expect(formatMinor(0, ',')).toBe('0,00');
    expect(formatMinor(5, '.')).toBe('0.05');
    expect(formatMinor(-5, ',')).toBe('-0,05');
    expect(formatMinor(-100, '.')).toBe('-1.00');
    expect(formatMinor(123_456, ',')).toBe('1234,56');
    expect(formatMinor(Number.MAX_SAFE_INTEGER, '.')).toBe('90071992547409.91');
    expect(formatMinor(-Number.MAX_SAFE_INTEGER, '.')).toBe('-90071992547409.91');
    expect(() => formatMinor(1.5, '.')).toThrow(RangeError);
    expect(() => formatMinor(Number.NaN, '.')).toThrow(RangeError);
  });
});
