/**
 * The CSV mapping form checks a mapping before saving it (renderer/src/lib/csvmapping.ts) with a mirror of the
 * core's own checks (core/imports/csv-mappings.ts): the clerk must learn everything the core would refuse, at the
 * same place. The renderer's tests may not import the core, so the two are held together here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { legacyCsvMapping } from '../../core/demo/legacy-csv';
import { mappingIssues, normaliseHeading as coreNormalise, validateMapping as coreValidate } from '../../core/imports/csv-mappings';
import { CSV_FIELDS, type CsvField } from '../../shared/domain/imports';
import { mappingFieldOf, mappingToValues, normaliseHeading, validateMapping, valuesToMapping, type ColumnRow, type MappingValues } from '../../renderer/src/lib/csvmapping';

const row = (heading: string, field: CsvField | ''): ColumnRow => ({ heading, sample: [], field, missing: false });
const values = (rows: ColumnRow[]): MappingValues => ({ name: 'x', delimiter: '', dateFormat: 'YYYY-MM-DD', rows });

describe('the CSV mapping form and the core', () => {
  it('compare headings the same way', () => {
    for (const h of ['\uFEFFFörnamn', 'Fo\u0308rnamn', '  E-post\u00A0 adress ', 'Vårdnadshavare\t1', 'ÅÄÖ', 'c/o\u2007']) expect(normaliseHeading(h)).toBe(coreNormalise(h));
  });

  it('find the same problems at the same places, for every mapping', () => {
    const pool = ['Förnamn', 'förnamn ', 'Efternamn', 'Pnr', 'Adress', 'Ort', 'Postnr', 'c/o', 'Telefon', 'E-post'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...CSV_FIELDS), fc.constantFrom(...pool), { maxKeys: 10 }), (cols) => {
        const columns = cols as Partial<Record<CsvField, string>>;
        // Rows in field order: "the first" of two equal headings is then the same one for the core and the form.
        const v = values(CSV_FIELDS.filter((f) => columns[f] !== undefined).map((f) => row(columns[f]!, f)));
        const core = new Set(mappingIssues({ name: 'x', delimiter: null, columns, dateFormat: 'YYYY-MM-DD' }).map((i) => mappingFieldOf(i.field, v)));
        const form = new Set(Object.keys(validateMapping(v)));
        expect([...form].sort()).toEqual([...core].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('pass the demo’s mappings through the form unchanged, and the core accepts what the form sends', () => {
    for (const country of ['SE', 'NO'] as const) {
      const m = legacyCsvMapping(country);
      const v = mappingToValues(m);
      expect(validateMapping(v)).toEqual({});
      expect(valuesToMapping(v)).toEqual(m);
      expect(coreValidate(valuesToMapping(v))).toEqual(m);
    }
  });
});
