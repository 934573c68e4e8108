import { describe, expect, it } from 'vitest';
import { CSV_FIELDS, type CsvField } from '../../../shared/domain/imports';
import { catalogs } from '../../../shared/i18n';
import {
  applySample,
  CSV_DATE_FORMATS,
  CSV_DELIMITERS,
  dateFormatKey,
  delimiterKey,
  emptyValues,
  FIELD_GROUPS,
  fieldKey,
  findMapping,
  mappingDirty,
  mappingErrors,
  mappingFieldOf,
  mappingToValues,
  requirements,
  sampleError,
  sampleOf,
  sampleText,
  setRowField,
  validateMapping,
  valuesToMapping,
  type ColumnRow,
  type CsvMapping,
  type MappingValues,
} from './csvmapping';

// (The form's checks are held to the core's own in test/integration/csv-mapping-form.test.ts: the renderer's
// tests may not import the core.)

const hasKey = (k: string) => k in catalogs.sv;
const row = (heading: string, field: CsvField | '' = '', sample: string[] = []): ColumnRow => ({ heading, sample, field, missing: false });
const values = (rows: ColumnRow[], over: Partial<MappingValues> = {}): MappingValues => ({ name: 'Extens', delimiter: '', dateFormat: 'YYYY-MM-DD', rows, ...over });
const minimal = () => values([row('Personnummer', 'identityNumber'), row('Förnamn', 'givenName'), row('Efternamn', 'familyName'), row('Anteckning')]);

describe('the form and the contract', () => {
  it('names every field, separator and date format in all three languages, and groups every field once', () => {
    const keys = [...CSV_FIELDS.map(fieldKey), ...CSV_DELIMITERS.map(delimiterKey), ...CSV_DATE_FORMATS.map(dateFormatKey), ...FIELD_GROUPS.map((g) => g.key)];
    for (const lang of ['sv', 'nb', 'en'] as const) expect(keys.filter((k) => !(k in catalogs[lang])), lang).toEqual([]);
    expect(FIELD_GROUPS.flatMap((g) => g.fields).sort()).toEqual([...CSV_FIELDS].sort());
    expect(CSV_DELIMITERS[0]).toBe(';');
  });

  it('turns the rows into the contract’s field → heading, ignored columns left out, "detect" as null', () => {
    expect(valuesToMapping(values([row(' Förnamn ', 'givenName'), row('Efternamn', 'familyName'), row('Anteckning')], { name: '  Extens 2019 ' }))).toEqual({
      name: 'Extens 2019',
      delimiter: null,
      columns: { givenName: 'Förnamn', familyName: 'Efternamn' },
      dateFormat: 'YYYY-MM-DD',
    });
    expect(valuesToMapping(values([], { delimiter: '\t' })).delimiter).toBe('\t');
  });

  it('round-trips a saved mapping through the form', () => {
    const m: CsvMapping = { name: 'SATS GS', delimiter: ';', columns: { email: 'E-post', identityNumber: 'Fnr', givenName: 'Fornavn', familyName: 'Etternavn' }, dateFormat: 'DD.MM.YYYY' };
    const v = mappingToValues(m);
    expect(v.rows.map((r) => r.field)).toEqual(CSV_FIELDS.filter((f) => m.columns[f] !== undefined));
    expect(valuesToMapping(v)).toEqual(m);
    expect(mappingDirty(v, mappingToValues(m))).toBe(false);
    expect(mappingDirty(setRowField(v, 0, ''), v)).toBe(true);
    expect(mappingDirty({ ...v, dateFormat: 'YYYYMMDD' }, v)).toBe(true);
  });

  it('starts a new mapping with the country’s usual date format and detection of the separator', () => {
    expect(emptyValues('SE')).toEqual({ name: '', delimiter: '', dateFormat: 'YYYY-MM-DD', rows: [] });
    expect(emptyValues('NO').dateFormat).toBe('DD.MM.YYYY');
  });

  it('finds a mapping by its name whatever the case and Unicode form', () => {
    const m: CsvMapping = { name: 'Extens (demo)', delimiter: null, columns: {}, dateFormat: 'YYYY-MM-DD' };
    const items = [m, { ...m, name: 'Skola Ö' }];
    expect(findMapping(items, 'extens (DEMO)')?.name).toBe('Extens (demo)');
    expect(findMapping(items, 'skola O\u0308')?.name).toBe('Skola Ö');
    expect(findMapping(items, 'nothing')).toBeNull();
  });
});

describe('a sample file', () => {
  const headings = { headings: ['Personnummer', 'FÖRNAMN', 'Efternamn', 'Anteckning'], sample: [['20150101-1234', 'Anna', 'Berg', 'x'], ['20160202-2345', 'Bo']] };

  it('becomes the rows, with the sample values per column (a short row leaves blanks)', () => {
    const v = applySample(emptyValues('SE'), headings);
    expect(v.rows.map((r) => [r.heading, r.field, r.sample])).toEqual([
      ['Personnummer', '', ['20150101-1234', '20160202-2345']],
      ['FÖRNAMN', '', ['Anna', 'Bo']],
      ['Efternamn', '', ['Berg', '']],
      ['Anteckning', '', ['x', '']],
    ]);
  });

  it('keeps the fields of an edited mapping on the same headings (compared as the core compares them); a heading the file lacks stays, marked', () => {
    const v = applySample(values([row('personnummer', 'identityNumber'), row('Förnamn', 'givenName'), row('Mobil', 'mobile')]), headings);
    expect(v.rows.map((r) => [r.heading, r.field, r.missing])).toEqual([
      ['Personnummer', 'identityNumber', false],
      ['FÖRNAMN', 'givenName', false],
      ['Efternamn', '', false],
      ['Anteckning', '', false],
      ['Mobil', 'mobile', true],
    ]);
    // Unmapped rows of the old sample do not linger.
    expect(applySample(v, { headings: ['Förnamn'], sample: [] }).rows.map((r) => r.heading)).toEqual(['Förnamn', 'Personnummer', 'Mobil']);
  });

  it('shows a sample value on one line, cut when long; the first non-empty value for the date hint', () => {
    expect(sampleText('Storgatan 1\nLgh 1102')).toBe('Storgatan 1 Lgh 1102');
    expect(sampleText('x'.repeat(80), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(sampleOf(values([row('Född', 'birthDate', ['', ' 17.05.2016 '])]), 'birthDate')).toBe('17.05.2016');
    expect(sampleOf(values([]), 'birthDate')).toBeNull();
  });
});

describe('checks', () => {
  it('accepts a minimal mapping: names and an identity number', () => {
    expect(validateMapping(minimal())).toEqual({});
    // …or a reserve number with the birth date instead of the identity number.
    expect(validateMapping(values([row('Res', 'reserveNumber'), row('Född', 'birthDate'), row('F', 'givenName'), row('E', 'familyName')]))).toEqual({});
  });

  it('requires a name, not too long, and not one another mapping has', () => {
    expect(validateMapping({ ...minimal(), name: '  ' }).name).toEqual({ key: 'validation.required' });
    expect(validateMapping({ ...minimal(), name: 'x'.repeat(81) }).name).toEqual({ key: 'validation.too_long_max', vars: { max: 80 } });
    expect(validateMapping({ ...minimal(), name: 'EXTENS' }, [{ name: 'Extens' }]).name).toEqual({ key: 'csvMapping.error.nameTaken' });
  });

  it('puts a field no column holds on its checklist line, and a field picked twice on the second column', () => {
    const e = validateMapping(values([row('Förnamn', 'givenName'), row('Tilltal', 'givenName')]));
    expect(e['columns.familyName']).toEqual({ key: 'csvMapping.error.required' });
    expect(e['columns.identityNumber']).toEqual({ key: 'csvMapping.error.identity_required' });
    expect(e['rows.1.field']).toEqual({ key: 'csvMapping.error.duplicate_field', vars: { heading: 'Förnamn' } });
    expect(e['rows.0.field']).toBeUndefined();
  });

  it('wants a whole address once any part of one is mapped (c/o included)', () => {
    const e = validateMapping(values([...minimal().rows, row('c/o', 'careOf'), row('Ort', 'city')]));
    expect(Object.keys(e).sort()).toEqual(['columns.postalCode', 'columns.street']);
    expect(e['columns.street']).toEqual({ key: 'csvMapping.error.address_incomplete' });
  });

  it('lists the requirements, met or not, with the columns that meet them', () => {
    const r = requirements(values([row('Förnamn', 'givenName'), row('Res', 'reserveNumber'), row('Född', 'birthDate')]));
    expect(r.map((x) => [x.id, x.met, x.optional, x.headings])).toEqual([
      ['givenName', true, false, ['Förnamn']],
      ['familyName', false, false, []],
      ['identity', true, false, ['Res', 'Född']],
      ['address', true, true, []],
    ]);
    const withCity = requirements(values([row('Ort', 'city')]));
    expect(withCity[3]).toMatchObject({ id: 'address', met: false, optional: false, headings: ['Ort'], paths: ['columns.street', 'columns.postalCode', 'columns.city'] });
  });
});

describe('the core’s answers', () => {
  const v = minimal();

  it('places its field issues on the column that holds the field, or on the field’s checklist line', () => {
    const e = mappingErrors(
      {
        code: 'validation',
        message: 'm',
        field: 'columns.familyName',
        issues: [
          { field: 'columns.familyName', code: 'duplicate_heading', message: 'The column "Förnamn" is already mapped to givenName' },
          { field: 'columns.street', code: 'address_incomplete', message: 'An address needs street, postal code and city columns' },
          { field: 'name', code: 'too_big', message: 'Too big' },
          { field: 'delimiter', code: 'invalid_value', message: 'x' },
          { field: 'unknown', code: 'unrecognized_key', message: 'Unknown field unknown' },
        ],
      },
      v,
      hasKey,
    );
    expect(e.fields['rows.2.field']).toEqual({ key: 'csvMapping.error.duplicate_heading', vars: { heading: 'Förnamn' } });
    expect(e.fields['columns.street']).toEqual({ key: 'csvMapping.error.address_incomplete' });
    expect(Object.keys(e.fields).sort()).toEqual(['columns.street', 'delimiter', 'name', 'rows.2.field']);
    expect(e.other).toHaveLength(1);
  });

  it('puts a refusal without issues in the box', () => {
    expect(mappingErrors({ code: 'forbidden', message: 'no' }, v, hasKey)).toEqual({ fields: {}, other: [{ key: 'error.forbidden' }] });
  });

  it('maps the contract’s paths onto the form', () => {
    expect(mappingFieldOf('name', v)).toBe('name');
    expect(mappingFieldOf('columns.givenName', v)).toBe('rows.1.field');
    expect(mappingFieldOf('columns.email', v)).toBe('columns.email');
    expect(mappingFieldOf('columns.bogus', v)).toBeNull();
    expect(mappingFieldOf('columns', v)).toBeNull();
  });

  it('says why a sample could not be read, in the clerk’s words', () => {
    const bad = (code: string, message: string) => ({ code: 'validation' as const, message, field: 'fileId', issues: [{ field: 'fileId', code, message }] });
    expect(sampleError(bad('unsupported_encoding', 'The file cannot be read as text: xlsx'), hasKey)).toEqual({ key: 'csvMapping.sample.error.spreadsheet' });
    expect(sampleError(bad('unsupported_encoding', 'The file cannot be read as text: binary'), hasKey)).toEqual({ key: 'csvMapping.sample.error.binary' });
    expect(sampleError(bad('no_header', 'The file is empty'), hasKey)).toEqual({ key: 'csvMapping.sample.error.no_header' });
    expect(sampleError(bad('read_error', 'Disk gone'), hasKey)).toEqual({ key: 'csvMapping.sample.error.other', vars: { reason: 'Disk gone' } });
    expect(sampleError({ code: 'not_found', message: 'x' }, hasKey)).toEqual({ key: 'error.not_found' });
  });
});
