/**
 * Saved column mappings for legacy CSV files, one per source system ("SATS GS", "Extens 2019"): which heading
 * holds which field, the separator and the date format. A municipality imports from the same system a few times
 * (a trial run, the real one, stragglers), so the clerk maps once.
 *
 * Stored in app_meta (key `csv_mapping:<name folded to lower case>`, value the mapping as JSON) rather than in a
 * table of their own: a handful of small settings rows that need no migration and no history. Names are
 * compared without case ("SATS GS" and "sats gs" are one mapping); the name as last saved is what lists show.
 */
import { sortByText } from '../../shared/collation';
import { collationCountry } from '../register/persons';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { DomainError } from '../../shared/api/errors';
import { csvMapping } from '../../shared/api/imports';
import { zodIssuesToApiError } from '../../shared/api/validation';
import { CSV_FIELDS, CSV_REQUIRED, type CsvField } from '../../shared/domain/imports';

export type CsvMapping = z.infer<typeof csvMapping>;
export type CsvDelimiter = ',' | ';' | '\t';
export type CsvDateFormat = CsvMapping['dateFormat'];

export interface MappingIssue {
  field: string;
  code: string;
  message: string;
}

const PREFIX = 'csv_mapping:';
/** The key range of all mappings: ';' follows ':' in code-point order (LIKE would treat '_' as a wildcard). */
const RANGE_END = 'csv_mapping;';

/** Fields an address is made of: the register stores an address only with all three (addressInput). */
const ADDRESS_CORE: readonly CsvField[] = ['street', 'postalCode', 'city'];

/**
 * How headings are compared: case- and whitespace-insensitive, and in one Unicode form — a heading typed on a Mac
 * can arrive decomposed ("o" + combining diaeresis), and one saved from Excel may carry a stray byte-order mark or
 * a non-breaking space.
 */
export function normaliseHeading(h: string): string {
  return h.replace(/\uFEFF/g, '').normalize('NFC').replace(/[\s\u00A0\u2000-\u200B\u202F\u3000]+/g, ' ').trim().toLowerCase();
}

function keyOf(name: string): string {
  return PREFIX + name.trim().normalize('NFC').toLowerCase();
}

/** The fields a mapping provides, in CSV_FIELDS order. */
export function mappedFields(m: Pick<CsvMapping, 'columns'>): CsvField[] {
  return CSV_FIELDS.filter((f) => m.columns[f] !== undefined);
}

/**
 * The mapping's problems beyond its schema: the required fields, a way to identify every person, one heading per
 * field, and an address that can be stored. Field paths as the UI's form uses them (`columns.givenName`).
 */
export function mappingIssues(m: CsvMapping): MappingIssue[] {
  const issues: MappingIssue[] = [];
  for (const f of CSV_REQUIRED) {
    if (m.columns[f] === undefined) issues.push({ field: `columns.${f}`, code: 'required', message: `The mapping must name the column that holds ${f}` });
  }
  if (m.columns.identityNumber === undefined && (m.columns.reserveNumber === undefined || m.columns.birthDate === undefined)) {
    issues.push({
      field: 'columns.identityNumber',
      code: 'identity_required',
      message: 'The mapping must name the identity-number column, or the reserve-number and birth-date columns',
    });
  }
  const seen = new Map<string, CsvField>();
  for (const f of mappedFields(m)) {
    const h = normaliseHeading(m.columns[f]!);
    const first = seen.get(h);
    if (first) {
      issues.push({ field: `columns.${f}`, code: 'duplicate_heading', message: `The column "${m.columns[f]}" is already mapped to ${first}` });
    } else {
      seen.set(h, f);
    }
  }
  const address = ADDRESS_CORE.filter((f) => m.columns[f] !== undefined);
  if (address.length > 0 || m.columns.careOf !== undefined) {
    for (const f of ADDRESS_CORE) {
      if (m.columns[f] === undefined) issues.push({ field: `columns.${f}`, code: 'address_incomplete', message: 'An address needs street, postal code and city columns' });
    }
  }
  return issues;
}

/** The mapping, parsed and checked; a validation DomainError naming every field that is wrong otherwise. */
export function validateMapping(input: unknown): CsvMapping {
  const parsed = csvMapping.strict().safeParse(input);
  if (!parsed.success) {
    const e = zodIssuesToApiError(parsed.error.issues);
    throw new DomainError('validation', e.message, e.field, e.issues);
  }
  const issues = mappingIssues(parsed.data);
  if (issues.length) throw new DomainError('validation', issues[0]!.message, issues[0]!.field, issues);
  return parsed.data;
}

export function saveMapping(sqlite: Database.Database, input: unknown): CsvMapping {
  const m = validateMapping(input);
  sqlite
    .prepare(`INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
    .run(keyOf(m.name), JSON.stringify(m));
  return m;
}

function parseStored(value: string): CsvMapping | null {
  try {
    const r = csvMapping.safeParse(JSON.parse(value));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/**
 * Every saved mapping, by name. A stored value that no longer fits the schema (written by an older version) is left
 * out rather than breaking the list; saving the mapping again replaces it.
 */
export function listMappings(sqlite: Database.Database): CsvMapping[] {
  const rows = sqlite.prepare<[string, string], { value: string }>(`SELECT value FROM app_meta WHERE key >= ? AND key < ?`).all(PREFIX, RANGE_END);
  const mappings = rows.map((r) => parseStored(r.value)).filter((m): m is CsvMapping => m !== null);
  return sortByText(mappings, (m) => m.name, collationCountry(sqlite));
}

export function getMapping(sqlite: Database.Database, name: string): CsvMapping | null {
  const row = sqlite.prepare<[string], { value: string }>(`SELECT value FROM app_meta WHERE key = ?`).get(keyOf(name));
  return row ? parseStored(row.value) : null;
}

export function deleteMapping(sqlite: Database.Database, name: string): boolean {
  return sqlite.prepare(`DELETE FROM app_meta WHERE key = ?`).run(keyOf(name)).changes > 0;
}
