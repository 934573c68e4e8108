/** Saved CSV mappings in app_meta: save, list, get, delete, and the validation errors a form can show per field. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDb } from '../../db/open';
import { DomainError } from '../../shared/api/errors';
import { deleteMapping, getMapping, listMappings, normaliseHeading, saveMapping, type CsvMapping } from './csv-mappings';

let db: OpenedDb;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => db.close());

const SATS: CsvMapping = {
  name: 'SATS GS',
  delimiter: ';',
  columns: { identityNumber: 'Fødselsnummer', givenName: 'Fornavn', familyName: 'Etternavn', street: 'Adresse', postalCode: 'Postnr', city: 'Poststed' },
  dateFormat: 'DD.MM.YYYY',
};
const EXTENS: CsvMapping = { name: 'Extens', delimiter: null, columns: { reserveNumber: 'Reservnr', birthDate: 'Född', givenName: 'Förnamn', familyName: 'Efternamn' }, dateFormat: 'YYYYMMDD' };

/** The DomainError's field issues (a form shows each under its field). */
function issuesOf(f: () => unknown): Array<{ field: string; code: string }> {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('validation');
    return ((e as DomainError).issues ?? []).map(({ field, code }) => ({ field, code }));
  }
  throw new Error('expected a validation error');
}

describe('the mapping store', () => {
  it('saves, lists (by name), gets and deletes', () => {
    expect(listMappings(db.sqlite)).toEqual([]);
    expect(saveMapping(db.sqlite, SATS)).toEqual(SATS);
    expect(saveMapping(db.sqlite, EXTENS)).toEqual(EXTENS);
    expect(listMappings(db.sqlite)).toEqual([EXTENS, SATS]);
    expect(getMapping(db.sqlite, 'SATS GS')).toEqual(SATS);
    expect(getMapping(db.sqlite, 'nothing')).toBeNull();
    expect(deleteMapping(db.sqlite, 'SATS GS')).toBe(true);
    expect(deleteMapping(db.sqlite, 'SATS GS')).toBe(false);
    expect(listMappings(db.sqlite)).toEqual([EXTENS]);
  });

  it('stores a mapping as one app_meta row, and treats names without regard to case', () => {
    saveMapping(db.sqlite, SATS);
    saveMapping(db.sqlite, { ...SATS, name: 'sats gs', delimiter: ',' });
    expect(listMappings(db.sqlite)).toEqual([{ ...SATS, name: 'sats gs', delimiter: ',' }]);
    expect(getMapping(db.sqlite, 'Sats GS')?.delimiter).toBe(',');
    const rows = db.sqlite.prepare(`SELECT key, value FROM app_meta WHERE key LIKE 'csv%'`).all() as Array<{ key: string; value: string }>;
    expect(rows.map((r) => r.key)).toEqual(['csv_mapping:sats gs']);
    expect(JSON.parse(rows[0]!.value)).toMatchObject({ name: 'sats gs' });
  });

  it('lists only mappings, and leaves out a stored value that no longer fits the schema', () => {
    saveMapping(db.sqlite, SATS);
    db.sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES ('csv_mappingX', '{}'), ('csv_mapping:old', '{"name":"old"}'), ('csv_mapping:broken', 'not json')`).run();
    expect(listMappings(db.sqlite)).toEqual([SATS]);
    expect(getMapping(db.sqlite, 'old')).toBeNull();
  });

  it('trims what the form sends', () => {
    const saved = saveMapping(db.sqlite, { ...SATS, name: '  SATS GS ', columns: { ...SATS.columns, givenName: ' Fornavn ' } });
    expect(saved).toMatchObject({ name: 'SATS GS', columns: { givenName: 'Fornavn' } });
  });
});

describe('validation, with the field each error belongs to', () => {
  it('refuses a mapping without the required fields, or without a way to identify persons', () => {
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, columns: { street: 'Adresse', postalCode: 'Postnr', city: 'Poststed' } }))).toEqual([
      { field: 'columns.givenName', code: 'required' },
      { field: 'columns.familyName', code: 'required' },
      { field: 'columns.identityNumber', code: 'identity_required' },
    ]);
    // A reserve number alone is not enough: a reserve-number person is told apart by the birth date too.
    expect(issuesOf(() => saveMapping(db.sqlite, { ...EXTENS, columns: { reserveNumber: 'Reservnr', givenName: 'Förnamn', familyName: 'Efternamn' } }))).toEqual([
      { field: 'columns.identityNumber', code: 'identity_required' },
    ]);
    expect(listMappings(db.sqlite)).toEqual([]);
  });

  it('refuses one heading mapped to two fields (whatever its case and spacing)', () => {
    const columns = { ...SATS.columns, middleName: ' FORNAVN', preferredName: 'fornavn ' };
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, columns }))).toEqual([
      { field: 'columns.middleName', code: 'duplicate_heading' },
      { field: 'columns.preferredName', code: 'duplicate_heading' },
    ]);
  });

  it('refuses an address that could not be stored (street, postal code and city go together)', () => {
    const { city: _city, postalCode: _postal, ...columns } = SATS.columns;
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, columns }))).toEqual([
      { field: 'columns.postalCode', code: 'address_incomplete' },
      { field: 'columns.city', code: 'address_incomplete' },
    ]);
  });

  it('refuses what the schema refuses: an unknown field, a separator, a date format, an empty name or heading', () => {
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, columns: { ...SATS.columns, shoeSize: 'Sko' } }))).toEqual([{ field: 'columns.shoeSize', code: 'unrecognized_key' }]);
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, delimiter: '|' }))[0]!.field).toBe('delimiter');
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, dateFormat: 'MM/DD/YYYY' }))[0]!.field).toBe('dateFormat');
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, name: '  ' }))[0]!.field).toBe('name');
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, columns: { ...SATS.columns, city: ' ' } }))[0]!.field).toBe('columns.city');
    expect(issuesOf(() => saveMapping(db.sqlite, { ...SATS, extra: 1 }))).toEqual([{ field: 'extra', code: 'unrecognized_key' }]);
  });
});

describe('headings', () => {
  it.each([
    ['Förnamn', 'förnamn'],
    ['  FÖRNAMN ', 'förnamn'],
    ['Vårdnads\u00a0 havare  1', 'vårdnads havare 1'],
    ['\uFEFFPersonnummer', 'personnummer'],
    ['Fo\u0308rnamn', 'förnamn'],
  ])('%j compares as %j', (h, n) => {
    expect(normaliseHeading(h)).toBe(n);
  });
});
