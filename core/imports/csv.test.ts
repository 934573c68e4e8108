/**
 * The legacy CSV reader: parsing (quotes, line breaks inside values, separators, encodings), the header against
 * the mapping, every field's validation with its line, column and reason, the record it makes, and the error
 * policy (row problems skip the row, a malformed file stops).
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from '../../shared/identity';
import { DomainError } from '../../shared/api/errors';
import type { CsvField } from '../../shared/domain/imports';
import { encodeWindows1252 } from '../demo/legacy-csv';
import { csvHeadings, parseCsvDate, readCsv, type CsvMapping, type CsvReadOptions } from './csv';
import { bytes, collect } from './fixtures/collect';
import type { PopulationRecord } from './model';

const TODAY = '2026-12-03';
const CHILD = makeSwedishPersonnummer('2016-05-17', 238); // 201605172384, a girl
const MOTHER = makeSwedishPersonnummer('1984-02-29', 402); // 198402294022
const FATHER = makeSwedishPersonnummer('1982-11-03', 117); // 198211031177
const NO_CHILD = makeNorwegianFodselsnummer('2015-03-04', 500)!; // 04031550063
const NO_SYNTHETIC = makeNorwegianFodselsnummer('2015-03-04', 500, { synthetic: true })!;

const dir = mkdtempSync(join(tmpdir(), 'kansli-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The file's columns: heading → field (null for the notes column nobody maps). */
const COLUMNS: Array<[string, CsvField | null]> = [
  ['Personnummer', 'identityNumber'],
  ['Reservnummer', 'reserveNumber'],
  ['Förnamn', 'givenName'],
  ['Mellannamn', 'middleName'],
  ['Efternamn', 'familyName'],
  ['Tilltalsnamn', 'preferredName'],
  ['Kön', 'sex'],
  ['Födelsedatum', 'birthDate'],
  ['Gatuadress', 'street'],
  ['c/o', 'careOf'],
  ['Postnummer', 'postalCode'],
  ['Postort', 'city'],
  ['Land', 'country'],
  ['Telefon', 'phone'],
  ['Mobil', 'mobile'],
  ['E-post', 'email'],
  ['Skydd', 'protection'],
  ['Vårdnadshavare 1', 'guardian1IdentityNumber'],
  ['Vårdnadshavare 2', 'guardian2IdentityNumber'],
  ['Anteckning', null],
];
const HEADINGS = COLUMNS.map(([h]) => h);
const colOf = (f: CsvField) => COLUMNS.findIndex(([, x]) => x === f) + 1;
const headingOf = (f: CsvField) => COLUMNS[colOf(f) - 1]![0];

/** The mapping as a clerk types it: other case and spacing than the file's headings. */
const MAPPING: CsvMapping = {
  name: 'Extens 2019',
  delimiter: null,
  dateFormat: 'YYYY-MM-DD',
  columns: Object.fromEntries(COLUMNS.filter(([, f]) => f).map(([h, f]) => [f, ` ${h.toUpperCase().replace(' ', '  ')} `])),
};

type Row = Partial<Record<CsvField | 'note', string>>;
const CHILD_ROW: Row = {
  identityNumber: '20160517-2384',
  givenName: 'Hedvig Britt-Marie',
  familyName: 'Åberg',
  preferredName: 'Britt-Marie',
  sex: 'K',
  birthDate: '2016-05-17',
  street: 'Storgatan 12 lgh 1103',
  postalCode: '10111',
  city: 'Ekdala',
  phone: '08-123 45 67',
  email: 'familjen.aberg@example.com',
  guardian1IdentityNumber: MOTHER,
  guardian2IdentityNumber: FATHER,
  note: 'Allergi; nötter',
};

function cell(v: string, delim: string): string {
  return v.includes('"') || v.includes(delim) || /[\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
function line(r: Row, delim = ';'): string {
  return COLUMNS.map(([, f]) => cell(r[f ?? 'note'] ?? '', delim)).join(delim);
}
function file(rows: Row[], delim = ';', eol = '\r\n'): string {
  return [HEADINGS.map((h) => cell(h, delim)).join(delim), ...rows.map((r) => line(r, delim))].join(eol) + eol;
}
const read = (data: string | Buffer, o: Partial<CsvReadOptions & { mapping: CsvMapping }> = {}, chunk?: number) =>
  collect(readCsv(bytes(data, chunk), { country: 'SE', today: TODAY, mapping: MAPPING, fileName: 'elever.csv', ...o }));

/** A first row whose quoted street spans three lines, so the rows after it start on line 5, 6, … */
const MULTILINE: Row = { ...CHILD_ROW, identityNumber: MOTHER, givenName: 'Eva', preferredName: '', sex: 'K', birthDate: '1984-02-29', street: 'Kvarteret Rosen\r\nStorgatan 12\nlgh 1103', guardian1IdentityNumber: '', guardian2IdentityNumber: '' };

describe('a valid row', () => {
  it('becomes a partial record of the mapped parts, after a header item naming the file', async () => {
    const c = await read(file([CHILD_ROW]));
    expect(c.error).toBeNull();
    expect(c.problems).toEqual([]);
    expect(c.order).toEqual(['header', 'record', 'end']);
    expect(c.header).toEqual({
      format: 'csv',
      country: 'SE',
      kind: 'delta',
      kindBasis: 'a legacy CSV never states who has left: read as a delta',
      createdAt: null,
      ordering: null,
      producer: 'Extens 2019',
      recipient: null,
      fileName: 'elever.csv',
      declaredRecords: null,
    });
    const expected: PopulationRecord = {
      format: 'csv',
      source: { line: 2, column: 1, index: 1 },
      completeness: 'partial',
      partialMode: 'replace_parts',
      // No protection: the cell is empty, and an empty cell says nothing about protection.
      parts: ['identity', 'name', 'birth', 'sex', 'address.registered', 'relations', 'contacts'],
      identity: { canonical: CHILD, kind: 'se_personnummer', country: 'SE', status: 'in_use', validFrom: null, validTo: null },
      reserveNumber: null,
      previousIdentities: [],
      replacedBy: null,
      falseIdentity: false,
      names: [{ given: 'Hedvig Britt-Marie', middle: null, family: 'Åberg', preferred: 'Britt-Marie', preferredMarker: null, short: null, validFrom: null, validTo: null, current: true }],
      birthDate: '2016-05-17',
      sex: 'F',
      sexSource: 'register',
      statuses: [],
      registrations: [],
      addresses: [
        {
          kind: 'registered',
          careOf: null,
          lines: ['Storgatan 12 lgh 1103'],
          street: 'Storgatan 12 lgh 1103',
          postalCode: '101 11',
          city: 'Ekdala',
          country: 'SE',
          countryName: null,
          municipalityCode: null,
          dwelling: null,
          grading: null,
          validFrom: null,
          validTo: null,
          current: true,
        },
      ],
      sharedResidences: [],
      protection: [],
      relations: [MOTHER, FATHER].map((g, i) => ({
        kind: 'custodian' as const,
        registerCode: `csv:guardian${i + 1}`,
        custody: null,
        other: { identity: { canonical: g, kind: 'se_personnummer' as const, country: 'SE' as const }, birthDate: null, name: null, organisationNumber: null, deregistration: null },
        validFrom: null,
        validTo: null,
        registerStatus: null,
        current: true,
      })),
      citizenships: [],
      immigrationDate: null,
      contacts: [
        { kind: 'phone', value: '08-123 45 67' },
        { kind: 'email', value: 'familjen.aberg@example.com' },
      ],
      event: null,
    };
    expect(c.records).toEqual([expected]);
    expect(c.summary).toMatchObject({ records: 1, skippedRecords: 0, problems: 0, bytesRead: Buffer.byteLength(file([CHILD_ROW])), maxBufferedItems: 1 });
  });

  it('never reads an unmapped column into the record', async () => {
    const c = await read(file([{ ...CHILD_ROW, note: 'HEMLIG-ANTECKNING' }]));
    expect(JSON.stringify(c.records)).not.toContain('HEMLIG');
  });

  it('states only the parts the mapping provides: no address, contact or guardian columns, no such parts', async () => {
    const columns = { identityNumber: 'Personnummer', givenName: 'Förnamn', familyName: 'Efternamn' };
    const c = await read(file([CHILD_ROW]), { mapping: { ...MAPPING, columns } });
    // Sex comes from the number (a Swedish number encodes it), so the part is stated.
    expect(c.records[0]).toMatchObject({ parts: ['identity', 'name', 'birth', 'sex'], sex: 'F', sexSource: 'identity_number', addresses: [], contacts: [], relations: [] });
  });

  it('states an empty address and empty contacts as none, and splits a multi-line street into lines', async () => {
    const c = await read(file([{ ...CHILD_ROW, street: '', postalCode: '', city: '', phone: '', email: '' }, MULTILINE]));
    expect(c.records[0]).toMatchObject({ addresses: [], contacts: [] });
    expect(c.records[0]!.parts).toEqual(expect.arrayContaining(['address.registered', 'contacts']));
    expect(c.records[1]!.addresses[0]).toMatchObject({ lines: ['Kvarteret Rosen', 'Storgatan 12', 'lgh 1103'], street: 'Kvarteret Rosen, Storgatan 12, lgh 1103' });
  });

  it('reads a person known by a reserve number and a birth date, without an identity number', async () => {
    const c = await read(file([{ ...CHILD_ROW, identityNumber: '', reserveNumber: 'r-2026-0017', sex: 'M' }]));
    expect(c.problems).toEqual([]);
    expect(c.records[0]).toMatchObject({ identity: null, reserveNumber: 'R-2026-0017', birthDate: '2016-05-17', sex: 'M', sexSource: 'register' });
  });

  it('reads a samordningsnummer and a Norwegian D-nummer (birth day + 60 / + 40)', async () => {
    const samordning = makeSwedishPersonnummer('2016-05-17', 238, { samordning: true });
    const dNummer = makeNorwegianFodselsnummer('2015-03-04', 500, { dNumber: true })!;
    const c = await read(file([{ ...CHILD_ROW, identityNumber: samordning }, { ...CHILD_ROW, identityNumber: dNummer, birthDate: '2015-03-04', country: 'NO', postalCode: '0150' }]));
    expect(c.problems).toEqual([]);
    expect(c.records.map((r) => [r.identity?.canonical, r.identity?.kind, r.identity?.country, r.birthDate])).toEqual([
      [samordning, 'se_samordningsnummer', 'SE', '2016-05-17'],
      [dNummer, 'no_d_nummer', 'NO', '2015-03-04'],
    ]);
  });

  it('keeps a reserve number given beside an identity number (the number the person was known by before)', async () => {
    const c = await read(file([{ ...CHILD_ROW, reserveNumber: 'R-1001' }]));
    expect(c.records[0]).toMatchObject({ identity: { canonical: CHILD }, reserveNumber: 'R-1001' });
  });

  it('takes the birth date from the number when the file gives none, and closes runs of spaces in names', async () => {
    const c = await read(file([{ ...CHILD_ROW, birthDate: '', givenName: '  Hedvig    Britt-Marie ', familyName: 'Åberg   ' }]));
    expect(c.records[0]).toMatchObject({ birthDate: '2016-05-17', names: [{ given: 'Hedvig Britt-Marie', family: 'Åberg' }] });
  });
});

describe('every field is checked, with the line the row starts on, its column and heading, and the reason', () => {
  const cases: Array<[string, Row, CsvField, string, string]> = [
    ['a wrong check digit', { identityNumber: '20160517-2385' }, 'identityNumber', 'bad_identity_number', '"20160517-2385" is not a valid identity number: wrong check digit'],
    ['a number Excel wrote in exponent form', { identityNumber: '2,01605E+11' }, 'identityNumber', 'bad_identity_number', '"2,01605E+11" is not a valid identity number: a spreadsheet has written the number in scientific notation; format the column as text'],
    ['a 10-digit number that lost its leading zero', { identityNumber: '503041238', birthDate: '' }, 'identityNumber', 'bad_identity_number', '"503041238" is not a valid identity number: a leading zero is missing (a spreadsheet has probably dropped it; format the column as text)'],
    ['an identity number too long to be one', { identityNumber: '2016051723842016051723' }, 'identityNumber', 'too_long', 'The value is 22 characters long; at most 20 are allowed'],
    ['a malformed reserve number', { identityNumber: '', reserveNumber: 'R 17' }, 'reserveNumber', 'bad_reserve_number', '"R 17" is not a reserve number (3–20 letters, digits and hyphens)'],
    ['neither an identity number nor a reserve number', { identityNumber: '' }, 'identityNumber', 'missing_identity', 'The row has neither an identity number nor a reserve number with a birth date'],
    ['a reserve number without a birth date', { identityNumber: '', reserveNumber: 'R-1001', birthDate: '' }, 'identityNumber', 'missing_identity', 'The row has neither an identity number nor a reserve number with a birth date'],
    ['a day that does not exist', { birthDate: '2016-02-30' }, 'birthDate', 'bad_date', '"2016-02-30" is not a real date of the form YYYY-MM-DD'],
    ['a date in another format than the mapping’s', { birthDate: '17.05.2016' }, 'birthDate', 'bad_date', '"17.05.2016" is not a real date of the form YYYY-MM-DD'],
    ['a birth date that contradicts the number', { birthDate: '2016-05-18' }, 'birthDate', 'birth_date_mismatch', 'The birth date 2016-05-18 does not match the identity number’s (2016-05-17)'],
    ['a birth date after today', { identityNumber: '', reserveNumber: 'R-1001', birthDate: '2027-01-01' }, 'birthDate', 'date_in_future', 'The birth date 2027-01-01 is after today'],
    ['an unknown sex code', { sex: 'Q' }, 'sex', 'bad_sex', '"Q" is not a sex code (use K/M, F/M, Kvinna/Man, Kvinne/Mann or 2/1)'],
    ['a sex that contradicts the number', { sex: 'Man' }, 'sex', 'sex_mismatch', 'The sex "Man" does not match the identity number (female)'],
    ['no given name', { givenName: '' }, 'givenName', 'missing_value', 'Required value missing: Given name'],
    ['a family name of 101 characters', { familyName: 'Å'.repeat(101) }, 'familyName', 'too_long', 'The value is 101 characters long; at most 100 are allowed'],
    ['a four-digit Swedish postal code', { postalCode: '1011' }, 'postalCode', 'bad_postal_code', '"1011" is not a postal code of Sweden (NNN NN)'],
    ['a street without a postal code', { postalCode: '' }, 'postalCode', 'incomplete_address', 'Incomplete address, missing: Postal code (an address needs street, postal code and city)'],
    ['an unknown country', { country: 'Sweeden' }, 'country', 'bad_country', '"Sweeden" is not a country code (two letters, e.g. SE, NO)'],
    ['an e-mail address without a domain', { email: 'anna@' }, 'email', 'bad_email', '"anna@" is not an e-mail address'],
    ['a telephone number in words', { phone: 'ring mamma' }, 'phone', 'bad_phone', '"ring mamma" is not a telephone number (5–20 digits, spaces, hyphens, brackets and a leading +)'],
    ['a mobile number in exponent form', { mobile: '4,67E+10' }, 'mobile', 'bad_phone', '"4,67E+10" is not a telephone number (5–20 digits, spaces, hyphens, brackets and a leading +)'],
    ['an unknown protection value', { protection: 'kanske' }, 'protection', 'bad_protection', '"kanske" is not a known protection value (e.g. J/N, sekretessmarkering, skyddad folkbokföring, fortrolig, strengt fortrolig, 6, 7)'],
    ['a guardian with a wrong check digit', { guardian1IdentityNumber: '198402294023' }, 'guardian1IdentityNumber', 'bad_identity_number', '"198402294023" is not a valid identity number: wrong check digit'],
    ['the person as their own guardian', { guardian1IdentityNumber: CHILD }, 'guardian1IdentityNumber', 'guardian_is_self', `The guardian ${CHILD} is the person themselves`],
    ['the same guardian twice', { guardian2IdentityNumber: `${MOTHER.slice(0, 8)}-${MOTHER.slice(8)}` }, 'guardian2IdentityNumber', 'duplicate_guardian', `The same guardian (${MOTHER.slice(0, 8)}-${MOTHER.slice(8)}) is given twice`],
    ['a control character (a broken export)', { givenName: 'Hed\u0001vig' }, 'givenName', 'bad_encoding', 'The value holds characters that cannot be read (the file mixes encodings or holds control characters)'],
  ];

  it.each(cases)('%s', async (_what, change, field, code, reason) => {
    // Row 1 spans lines 2–4 (a quoted street with two line breaks, CRLF and LF); the row under test is on line 5,
    // a valid row after it on line 6.
    const c = await read(file([MULTILINE, { ...CHILD_ROW, ...change }, { ...CHILD_ROW, identityNumber: FATHER, sex: 'M', birthDate: '1982-11-03', givenName: 'Per', preferredName: '', guardian1IdentityNumber: '', guardian2IdentityNumber: '' }]));
    expect(c.error).toBeNull();
    expect(c.problems).toHaveLength(1);
    expect(c.problems[0]).toMatchObject({ line: 5, column: colOf(field), element: headingOf(field), reason, code, severity: 'record', recordIndex: 2 });
    expect(c.records.map((r) => r.source)).toEqual([
      { line: 2, column: 1, index: 1 },
      { line: 6, column: 1, index: 3 },
    ]);
    expect(c.summary).toMatchObject({ records: 2, skippedRecords: 1, problems: 1 });
  });

  it('names the person in `subject` as far as the row identifies them', async () => {
    const c = await read(file([{ ...CHILD_ROW, sex: 'Q' }, { ...CHILD_ROW, identityNumber: 'x17', sex: 'K' }, { ...CHILD_ROW, identityNumber: '', reserveNumber: 'r-9', givenName: '' }]));
    expect(c.problems.map((p) => [p.code, p.subject])).toEqual([
      ['bad_sex', CHILD],
      ['bad_identity_number', 'x17'],
      ['missing_value', 'R-9'],
    ]);
  });

  it('reports all problems of a row at once, left to right', async () => {
    const c = await read(file([{ ...CHILD_ROW, email: 'x', givenName: '', sex: 'Q', postalCode: 'abc' }]));
    expect(c.problems.map((p) => [p.column, p.code])).toEqual([
      [colOf('givenName'), 'missing_value'],
      [colOf('sex'), 'bad_sex'],
      [colOf('postalCode'), 'bad_postal_code'],
      [colOf('email'), 'bad_email'],
    ]);
    expect(c.summary).toMatchObject({ records: 0, skippedRecords: 1, problems: 4, maxBufferedItems: 4 });
  });
});

describe('Norwegian files', () => {
  const no = (r: Row) => ({ ...CHILD_ROW, identityNumber: NO_CHILD, birthDate: '04.03.2015', postalCode: '0150', city: 'Oslo', guardian1IdentityNumber: '', guardian2IdentityNumber: '', ...r });
  const readNo = (rows: Row[], o: Partial<CsvReadOptions> = {}) => read(file(rows.map(no)), { country: 'NO', mapping: { ...MAPPING, dateFormat: 'DD.MM.YYYY' }, ...o });

  it('reads a fødselsnummer, DD.MM.YYYY dates (also without leading zeros) and a four-digit postal code', async () => {
    const c = await readNo([{}, { birthDate: '4.3.2015' }]);
    expect(c.problems).toEqual([]);
    expect(c.records.map((r) => [r.identity?.kind, r.birthDate, r.addresses[0]?.postalCode, r.addresses[0]?.country])).toEqual([
      ['no_fodselsnummer', '2015-03-04', '0150', 'NO'],
      ['no_fodselsnummer', '2015-03-04', '0150', 'NO'],
    ]);
  });

  it('reports the leading zeros a spreadsheet drops: a 10-digit fødselsnummer and Oslo’s 0150 as 150', async () => {
    const c = await readNo([{ identityNumber: NO_CHILD.slice(1) }, { postalCode: '150' }]);
    expect(c.problems.map((p) => [p.line, p.column, p.code, p.reason])).toEqual([
      [2, colOf('identityNumber'), 'bad_identity_number', `"${NO_CHILD.slice(1)}" is not a valid identity number: a leading zero is missing (a spreadsheet has probably dropped it; format the column as text)`],
      [3, colOf('postalCode'), 'postal_code_zero_lost', '"150" has three digits: a spreadsheet has probably dropped the leading zero (0150); format the column as text in the export'],
    ]);
  });

  it('refuses synthetic test numbers (month + 80) unless they are allowed, for the person and a guardian', async () => {
    const rows = [{ identityNumber: NO_SYNTHETIC }, { guardian1IdentityNumber: NO_SYNTHETIC }];
    const refused = await readNo(rows);
    expect(refused.problems.map((p) => [p.line, p.column, p.code, p.args?.['why']])).toEqual([
      [2, colOf('identityNumber'), 'bad_identity_number', 'synthetic_not_allowed'],
      [3, colOf('guardian1IdentityNumber'), 'bad_identity_number', 'synthetic_not_allowed'],
    ]);
    expect(refused.records).toEqual([]);
    const allowed = await readNo(rows, { allowSynthetic: true });
    expect(allowed.problems).toEqual([]);
    expect(allowed.records.map((r) => [r.identity?.kind, r.relations.map((x) => x.other.identity?.kind)])).toEqual([
      ['no_synthetic', []],
      ['no_fodselsnummer', ['no_synthetic']],
    ]);
  });

  it('takes a bare "J" as fortrolig in Norway, and the old DSF codes 6 and 7', async () => {
    const c = await readNo([{ protection: 'J' }, { protection: '6' }, { protection: '7' }]);
    expect(c.records.map((r) => r.protection[0]?.level)).toEqual(['no_fortrolig', 'no_strengt_fortrolig', 'no_fortrolig']);
  });
});

describe('accepted spellings', () => {
  it.each([
    ['', null],
    ['N', 'none'],
    ['Nej', 'none'],
    ['ingen', 'none'],
    ['Ugradert', 'none'],
    ['J', 'se_sekretessmarkering'],
    ['ja', 'se_sekretessmarkering'],
    ['Sekretessmarkering', 'se_sekretessmarkering'],
    ['sekretess', 'se_sekretessmarkering'],
    ['Skyddad', 'se_skyddad_folkbokforing'],
    ['Skyddad folkbokföring', 'se_skyddad_folkbokforing'],
    ['SKYDDAD FOLKBOKFORING', 'se_skyddad_folkbokforing'],
    ['skyddad identitet', 'se_skyddad_folkbokforing'],
    ['fortrolig', 'no_fortrolig'],
    ['Fortrolig adresse', 'no_fortrolig'],
    ['SPFO', 'no_fortrolig'],
    ['strengt fortrolig', 'no_strengt_fortrolig'],
    ['strengtFortrolig', 'no_strengt_fortrolig'],
    ['SPSF', 'no_strengt_fortrolig'],
    ['klientadresse', 'no_klientadresse'],
    ['se_skyddad_folkbokforing', 'se_skyddad_folkbokforing'],
    ['no_strengt_fortrolig', 'no_strengt_fortrolig'],
  ])('protection %j → %s (in a Swedish municipality)', async (value, level) => {
    const c = await read(file([{ ...CHILD_ROW, protection: value }]));
    expect(c.problems).toEqual([]);
    const r = c.records[0]!;
    if (level === null) {
      expect(r.parts).not.toContain('protection');
      expect(r.protection).toEqual([]);
    } else {
      expect(r.parts).toContain('protection');
      expect(r.protection).toEqual([{ level, registerCodes: level === 'none' ? [] : [value], from: null, to: null, current: true }]);
    }
  });

  it.each([
    ['F', 'F'], ['K', 'F'], ['Kvinna', 'F'], ['kvinne', 'F'], ['2', 'F'], ['Flicka', 'F'], ['Jente', 'F'],
    ['M', 'M'], ['Man', 'M'], ['MANN', 'M'], ['1', 'M'], ['Pojke', 'M'], ['Gutt', 'M'],
  ])('sex %j → %s', async (value, sex) => {
    // A reserve-number person: no number whose sex could disagree.
    const c = await read(file([{ ...CHILD_ROW, identityNumber: '', reserveNumber: 'R-1', sex: value }]));
    expect(c.problems).toEqual([]);
    expect(c.records[0]).toMatchObject({ sex, sexSource: 'register' });
  });

  it.each([
    ['2016-05-17', 'YYYY-MM-DD', '2016-05-17'],
    ['2016-05-17 00:00:00', 'YYYY-MM-DD', '2016-05-17'],
    ['2016-05-17T00:00', 'YYYY-MM-DD', '2016-05-17'],
    ['20160517', 'YYYYMMDD', '2016-05-17'],
    ['17.05.2016', 'DD.MM.YYYY', '2016-05-17'],
    ['7.5.2016', 'DD.MM.YYYY', '2016-05-07'],
    ['17/05/2016', 'DD/MM/YYYY', '2016-05-17'],
    ['29.02.2016', 'DD.MM.YYYY', '2016-02-29'],
    ['29.02.2015', 'DD.MM.YYYY', null],
    ['2016-05-17 08:30', 'YYYY-MM-DD', null],
    ['05/17/2016', 'DD/MM/YYYY', null],
    ['2016-5-17', 'YYYY-MM-DD', null],
    ['16-05-17', 'YYYY-MM-DD', null],
  ] as const)('date %j in %s → %s', (value, format, iso) => {
    expect(parseCsvDate(value, format)).toBe(iso);
  });

  it.each([
    ['101 11', '101 11'], ['10111', '101 11'], ['SE-101 11', '101 11'], ['S-10111', '101 11'],
  ])('Swedish postal code %j → %s', async (value, normal) => {
    const c = await read(file([{ ...CHILD_ROW, postalCode: value }]));
    expect(c.records[0]!.addresses[0]!.postalCode).toBe(normal);
  });

  it('reads a country name or code, and keeps a foreign postal code as written', async () => {
    const c = await read(file([{ ...CHILD_ROW, country: 'Sverige' }, { ...CHILD_ROW, country: 'dk', postalCode: 'DK-1050' }, { ...CHILD_ROW, country: 'Norge', postalCode: '0150' }]));
    expect(c.problems).toEqual([]);
    expect(c.records.map((r) => [r.addresses[0]!.country, r.addresses[0]!.postalCode])).toEqual([
      ['SE', '101 11'],
      ['DK', 'DK-1050'],
      ['NO', '0150'],
    ]);
  });
});

describe('parsing', () => {
  it('reads quoted values with the separator, doubled quotes and line breaks, and counts lines inside them', async () => {
    const rows: Row[] = [
      { ...CHILD_ROW, givenName: 'Hedvig', preferredName: '', familyName: 'Åberg; "Lillan"', note: 'rad 1\r\nrad 2\nrad 3\rrad 4' },
      { ...CHILD_ROW, identityNumber: FATHER, sex: 'M', birthDate: '', givenName: 'Per', preferredName: '', guardian1IdentityNumber: '', guardian2IdentityNumber: '' },
    ];
    const text = file(rows);
    // The second row starts after the header and the four physical lines of the first (CRLF, LF and a lone CR).
    for (const chunk of [1, 7, 1 << 16]) {
      const c = await read(text, {}, chunk);
      expect(c.problems).toEqual([]);
      expect(c.records.map((r) => [r.source.line, r.names[0]!.family])).toEqual([
        [2, 'Åberg; "Lillan"'],
        [6, 'Åberg'],
      ]);
    }
  });

  it('reads LF-only and CR-only files and a last row without a line break', async () => {
    for (const eol of ['\n', '\r']) {
      const text = file([CHILD_ROW, CHILD_ROW], ';', eol).slice(0, -1);
      const c = await read(text, {}, 3);
      expect(c.problems).toEqual([]);
      expect(c.records.map((r) => r.source.line)).toEqual([2, 3]);
    }
  });

  it('skips blank rows and rows of empty cells silently, keeping the line count', async () => {
    const text = `\r\n${HEADINGS.join(';')}\r\n\r\n${';'.repeat(HEADINGS.length - 1)}\r\n${line(CHILD_ROW)}\r\n   \r\n`;
    const c = await read(text);
    expect(c.problems).toEqual([]);
    expect(c.records.map((r) => r.source)).toEqual([{ line: 5, column: 1, index: 1 }]);
  });

  it.each([
    [';', null],
    [',', null],
    ['\t', null],
    [';', ';'],
    ['\t', '\t'],
  ] as const)('reads separator %j (mapping says %j)', async (delim, given) => {
    const text = file([CHILD_ROW, { ...CHILD_ROW, familyName: `Åberg${delim}Lind` }], delim);
    const c = await read(text, { mapping: { ...MAPPING, delimiter: given } });
    expect(c.problems).toEqual([]);
    // A tab inside a name is closed to a space like any run of white space.
    expect(c.records.map((r) => r.names[0]!.family)).toEqual(['Åberg', `Åberg${delim === '\t' ? ' ' : delim}Lind`]);
    expect((await csvHeadings(bytes(text))).delimiter).toBe(delim);
  });

  it('prefers ; on a tie, and follows an Excel "sep=" line (which counts as a line)', async () => {
    expect((await csvHeadings(bytes('a;b,c\r\n1;2,3\r\n'))).delimiter).toBe(';');
    const text = `sep=,\r\n${file([CHILD_ROW], ',')}`;
    const h = await csvHeadings(bytes(text));
    expect(h.delimiter).toBe(',');
    expect(h.headings).toEqual(HEADINGS);
    const c = await read(text);
    expect(c.records.map((r) => r.source.line)).toEqual([3]);
  });

  it('stops when the mapping names another separator than the file uses', async () => {
    const c = await read(file([CHILD_ROW], ';'), { mapping: { ...MAPPING, delimiter: ',' } });
    expect(c.error?.problem).toMatchObject({
      line: 1,
      code: 'wrong_delimiter',
      severity: 'file',
      reason: 'The header line holds no comma (,) (the mapping’s separator) but semicolon (;): the file uses another separator',
    });
    expect(c.header).toBeNull();
  });

  it('keeps text after a closing quote but reports the row (an undoubled quote), and reads on', async () => {
    const text = `${HEADINGS.join(';')}\r\n${line(CHILD_ROW).replace('Hedvig Britt-Marie', '"Hedvig "Lillan" Britt-Marie"')}\r\n${line(CHILD_ROW)}\r\n`;
    const c = await read(text);
    expect(c.problems).toEqual([
      expect.objectContaining({ line: 2, column: colOf('givenName'), element: 'Förnamn', code: 'stray_quote', reason: 'A quote inside a quoted value is not doubled ("")' }),
    ]);
    expect(c.records.map((r) => r.source.line)).toEqual([3]);
  });

  it('keeps a quote inside an unquoted value as text', async () => {
    const c = await read(file([CHILD_ROW]).replace('Storgatan 12 lgh 1103', 'Storgatan 12 "B"'));
    expect(c.problems).toEqual([]);
    expect(c.records[0]!.addresses[0]!.street).toBe('Storgatan 12 "B"');
  });

  it('reports a row with fewer columns than the header (a line break in an unquoted value) and reads on', async () => {
    const broken = line(CHILD_ROW).replace('Storgatan 12 lgh 1103', 'Storgatan 12\r\nlgh 1103');
    const text = `${HEADINGS.join(';')}\r\n${broken}\r\n${line(CHILD_ROW)}\r\n`;
    const c = await read(text);
    expect(c.problems.map((p) => [p.line, p.column, p.element, p.code, p.reason])).toEqual([
      [2, colOf('street') + 1, 'c/o', 'too_few_columns', 'The row has 9 columns but the header line 20: a line break in an unquoted value may have split the row'],
      [3, 13, 'Land', 'too_few_columns', 'The row has 12 columns but the header line 20: a line break in an unquoted value may have split the row'],
    ]);
    expect(c.records.map((r) => r.source.line)).toEqual([4]);
  });
});

describe('a malformed file stops with a file error', () => {
  it('a quote still open at the end of the file, at the line and column where it opened', async () => {
    // No quote after it on the row (the notes cell is empty), so nothing closes it.
    const text = `${file([CHILD_ROW, MULTILINE])}${line({ ...CHILD_ROW, note: '' }).replace('Storgatan 12 lgh 1103', '"Storgatan 12\r\nlgh 1103')}\r\n`;
    const c = await read(text);
    // Records read before the error were yielded, but the error says nothing of the file may be applied.
    expect(c.records).toHaveLength(2);
    expect(c.error?.problem).toEqual({
      line: 6,
      column: colOf('street'),
      element: 'Gatuadress',
      reason: `The quote that opens the value in column ${colOf('street')} is never closed: the file ends inside it`,
      code: 'malformed_csv',
      severity: 'file',
      recordIndex: null,
      subject: null,
      args: { column: colOf('street') },
    });
    expect(c.error?.summary).toMatchObject({ records: 2, problems: 1 });
    expect(c.order).not.toContain('end');
  });

  it('a row longer than the limit (a quote that never closes in a large file)', async () => {
    const plain = { ...CHILD_ROW, note: '' };
    const text = `${file([CHILD_ROW])}${line(plain).replace('Storgatan 12 lgh 1103', '"Storgatan')}\r\n${`${line(plain)}\r\n`.repeat(40)}`;
    const c = await read(text, { maxRowChars: 2000 });
    expect(c.error?.problem).toMatchObject({ line: 3, column: colOf('street'), code: 'record_too_large', reason: 'The row is longer than 2000 characters: probably a quote is never closed' });
  });

  it('a row of nothing but doubled quotes or separators is bounded too', async () => {
    for (const junk of [`"${'""'.repeat(5000)}`, ';'.repeat(5000)]) {
      const c = await read(`${file([CHILD_ROW])}${junk}\r\n`, { maxRowChars: 2000 });
      expect(c.error?.problem).toMatchObject({ line: 3, code: 'record_too_large' });
    }
  });

  it('a row with more columns than the header', async () => {
    const c = await read(`${file([CHILD_ROW])}${line(CHILD_ROW)};extra;more\r\n`);
    expect(c.records).toHaveLength(1);
    expect(c.error?.problem).toMatchObject({
      line: 3,
      column: 21,
      code: 'too_many_columns',
      severity: 'file',
      reason: 'The row has 22 columns but the header line 20: a value holding the separator is not quoted',
    });
  });

  it('a heading the mapping names that the file lacks, naming the heading and the field', async () => {
    const text = file([CHILD_ROW]).replace('Tilltalsnamn', 'Kallas').replace('Mobil', 'Mobiltelefon');
    const c = await read(text);
    expect(c.header).toBeNull();
    expect(c.error?.problem).toMatchObject({
      line: 1,
      column: 1,
      element: 'TILLTALSNAMN',
      code: 'missing_heading',
      severity: 'file',
      reason: 'The header line lacks columns the mapping names: "TILLTALSNAMN", "MOBIL" (Preferred name, Mobile)',
    });
  });

  it('a heading the mapping uses that occurs twice', async () => {
    const c = await read(file([CHILD_ROW]).replace('Anteckning', 'efternamn'));
    expect(c.error?.problem).toMatchObject({ line: 1, column: 20, element: 'efternamn', code: 'duplicate_heading', reason: 'The column "Efternamn" that the mapping uses occurs more than once in the header line (columns 5, 20)' });
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 'no_header', 'The file is empty: it has no header line'],
    ['only blank lines', Buffer.from('\r\n\r\n  \r\n'), 'no_header', 'The file is empty: it has no header line'],
    ['an Excel workbook', Buffer.from('PK\u0003\u0004\u0014\u0000\u0006\u0000rest of a zip'), 'unsupported_encoding', 'The file cannot be read as text: it is an Excel workbook (.xlsx); save it as CSV'],
    ['an old Excel workbook', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'unsupported_encoding', 'The file cannot be read as text: it is an old Excel workbook (.xls); save it as CSV'],
    ['UTF-16 without a byte-order mark', Buffer.from(file([CHILD_ROW]), 'utf16le'), 'unsupported_encoding', 'The file cannot be read as text: it holds zero bytes (a binary file, or UTF-16 without a byte-order mark)'],
  ])('%s', async (_what, data, code, reason) => {
    const c = await read(data);
    expect(c.error?.problem).toMatchObject({ line: 1, column: 1, code, reason, severity: 'file' });
  });

  it('too many problems: probably the wrong file or mapping', async () => {
    const bad = Array.from({ length: 5 }, () => ({ ...CHILD_ROW, sex: 'Q' }));
    const c = await read(file(bad), { maxProblems: 3 });
    expect(c.problems).toHaveLength(3);
    expect(c.error?.problem).toMatchObject({ line: 5, code: 'too_many_problems', reason: 'More than 3 problems: probably the wrong file or the wrong mapping, so none of it is imported' });
  });

  it('refuses a mapping that is not valid before reading anything', async () => {
    const columns = { givenName: 'Förnamn', familyName: 'Förnamn' };
    await expect(read(file([CHILD_ROW]), { mapping: { ...MAPPING, columns } })).rejects.toBeInstanceOf(DomainError);
  });
});

describe('encodings', () => {
  const NAMES: Row[] = [
    { ...CHILD_ROW, familyName: 'Åberg' },
    { ...CHILD_ROW, givenName: 'Øystein', preferredName: '', sex: '', familyName: 'Sæther' },
    { ...CHILD_ROW, givenName: 'Æsa', preferredName: '', familyName: 'Ødegård' },
  ];
  const families = (c: { records: PopulationRecord[] }) => c.records.map((r) => `${r.names[0]!.given} ${r.names[0]!.family}`);
  const WANT = ['Hedvig Britt-Marie Åberg', 'Øystein Sæther', 'Æsa Ødegård'];

  it('UTF-8 with a byte-order mark: the first heading still matches', async () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(file(NAMES))]);
    for (const chunk of [1, 2, 1 << 16]) expect(families(await read(data, {}, chunk))).toEqual(WANT);
    const h = await csvHeadings(bytes(data));
    expect(h).toMatchObject({ encoding: 'utf-8', delimiter: ';' });
    expect(h.headings[0]).toBe('Personnummer');
  });

  it('UTF-8 without a mark', async () => {
    expect(families(await read(Buffer.from(file(NAMES))))).toEqual(WANT);
  });

  it('Windows-1252 (Åberg, Øystein, Æsa as single bytes), in chunks of every size', async () => {
    const data = encodeWindows1252(file(NAMES));
    expect(data.includes(Buffer.from([0xc5, 0x62, 0x65, 0x72, 0x67]))).toBe(true); // "Åberg" as cp1252 bytes
    expect(data.includes(Buffer.from('Å', 'utf8'))).toBe(false);
    for (const chunk of [1, 5, 1 << 16]) {
      const c = await read(data, {}, chunk);
      expect(c.problems).toEqual([]);
      expect(families(c)).toEqual(WANT);
    }
    expect((await csvHeadings(bytes(data))).encoding).toBe('windows-1252');
    expect((await csvHeadings(bytes(data))).headings).toContain('Förnamn');
  });

  it('Windows-1252 whose first non-ASCII byte comes late (an ASCII head is read before the encoding is known)', async () => {
    const ascii: Row[] = Array.from({ length: 200 }, () => ({ ...CHILD_ROW, familyName: 'Berg', note: '' }));
    const text = file([...ascii, ...NAMES]).replace(/Förnamn|Födelsedatum|Vårdnadshavare/g, (m) => m.normalize('NFD'));
    const data = encodeWindows1252(text.normalize('NFC'));
    const c = await read(data, {}, 1000);
    expect(families(c).slice(-3)).toEqual(WANT);
  });

  it('UTF-16 with a byte-order mark (Excel’s "Unicode text", tab separated)', async () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file(NAMES, '\t'), 'utf16le')]);
    for (const chunk of [3, 1 << 16]) expect(families(await read(data, {}, chunk))).toEqual(WANT);
  });

  it.each([
    ['UTF-8, then Windows-1252 (invalid bytes)', (t: string) => Buffer.from(t), encodeWindows1252],
    ['Windows-1252, then UTF-8 (Ã¸ for ø)', encodeWindows1252, (t: string) => Buffer.from(t)],
  ])('a file that changes encoding further on: %s — those cells are reported, the rest is read', async (_what, first, then) => {
    // The encoding is decided on the first 4 KB after the first non-ASCII byte; the change comes far later.
    const head = first(file([...Array.from({ length: 100 }, () => CHILD_ROW), NAMES[0]!]));
    const tail = then(`${line(NAMES[1]!)}\r\n`);
    for (const chunk of [1000, 1 << 16]) {
      const c = await read(Buffer.concat([head, tail]), {}, chunk);
      expect(c.records).toHaveLength(101);
      expect(c.records[100]!.names[0]!.family).toBe('Åberg');
      expect(c.problems).toEqual([
        expect.objectContaining({ line: 103, column: colOf('givenName'), code: 'bad_encoding' }),
        expect.objectContaining({ line: 103, column: colOf('familyName'), code: 'bad_encoding' }),
      ]);
    }
  });

  it('text already decoded by the caller (string chunks), with a leading mark', async () => {
    const c = await collect(readCsv(Readable.from([`\uFEFF${file(NAMES)}`]), { country: 'SE', today: TODAY, mapping: MAPPING }));
    expect(families(c)).toEqual(WANT);
  });
});

describe('reading a file on disk', () => {
  const path = join(dir, 'elever.csv');
  writeFileSync(path, file(Array.from({ length: 3000 }, (_, i) => ({ ...CHILD_ROW, note: `rad ${i}` }))));

  it('reports progress by bytes up to the file size', async () => {
    const seen: number[] = [];
    const c = await collect(readCsv(createReadStream(path, { highWaterMark: 16 * 1024 }), { country: 'SE', today: TODAY, mapping: MAPPING, onProgress: (b) => seen.push(b) }));
    expect(c.records).toHaveLength(3000);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[seen.length - 1]).toBe(c.summary!.bytesRead);
    expect(c.summary!.bytesRead).toBe(Buffer.byteLength(file(Array.from({ length: 3000 }, (_, i) => ({ ...CHILD_ROW, note: `rad ${i}` })))));
  });

  it('stops when cancelled and releases the file', async () => {
    const ac = new AbortController();
    const stream = createReadStream(path, { highWaterMark: 4 * 1024 });
    let records = 0;
    const run = async () => {
      for await (const it of readCsv(stream, { country: 'SE', today: TODAY, mapping: MAPPING, signal: ac.signal })) {
        if (it.type === 'record' && ++records === 10) ac.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    // Cancelled between two rows: nothing more was handed out after the abort.
    expect(records).toBe(10);
    expect(stream.destroyed).toBe(true);
  });

  it('csvHeadings reads only the first lines, then releases the input', async () => {
    let pulled = 0;
    let released = false;
    const endless = (async function* () {
      try {
        yield Buffer.from(`${HEADINGS.join(';')}\r\n`);
        for (;;) {
          const b = Buffer.from(`${line(CHILD_ROW)}\r\n`);
          pulled += b.length;
          yield b;
        }
      } finally {
        released = true;
      }
    })();
    const h = await csvHeadings(endless);
    expect(h.headings).toEqual(HEADINGS);
    expect(h.sample).toHaveLength(5);
    expect(h.sample[0]![colOf('familyName') - 1]).toBe('Åberg');
    // The rows of the 4 KB that decide the encoding (the header's "ö" is the first non-ASCII byte), no more.
    expect(pulled).toBeLessThan(4096 + 1024);
    expect(released).toBe(true);
  });

  it('csvHeadings reports a malformed start as a file error', async () => {
    await expect(csvHeadings(bytes(''))).rejects.toMatchObject({ problem: { code: 'no_header' } });
  });
});
