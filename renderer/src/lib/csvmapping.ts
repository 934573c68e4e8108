/**
 * The logic of the CSV mapping screens (a legacy system's export: which column holds which field, the
 * separator, the date format), free of React so it is tested directly (csvmapping.test.ts).
 *
 * The screen works per column of the file (the clerk sees a heading and a sample value and picks the field it
 * holds), the contract per field (`columns: { givenName: "Förnamn", … }`): the form's values are the rows of the
 * table, and `valuesToMapping` turns them into the contract's shape. The checks here mirror the core's
 * (core/imports/csv-mappings.ts `mappingIssues`, compared in the test), so the clerk learns everything before
 * saving; what the core says anyway lands on the same places (`mappingErrors`).
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { ApiError } from '../../../shared/api/transport';
import { CSV_FIELDS, CSV_REQUIRED, type CsvField } from '../../../shared/domain/imports';
import type { Country } from './domain';
import type { TKey } from './i18n';
import { generalMsg, serverErrors, type Msg, type MsgFields } from './office';
import { createStore } from './store';

export type CsvMapping = MethodOutput<'csvMapping.list'>['items'][number];
export type CsvDelimiter = NonNullable<CsvMapping['delimiter']>;
export type CsvDateFormat = CsvMapping['dateFormat'];
export type CsvHeadings = MethodOutput<'csvMapping.headings'>;

/** The contract's bounds (shared/api/imports.ts csvMapping). */
export const NAME_MAX = 80;
export const HEADING_MAX = 120;

// Records over the contract's unions: the compiler fails here when the contract gains a separator or a format.
const DELIMITER_KEYS: Record<CsvDelimiter, TKey> = { ';': 'csvMapping.delimiter.semicolon', ',': 'csvMapping.delimiter.comma', '\t': 'csvMapping.delimiter.tab' };
const DATE_FORMAT_KEYS: Record<CsvDateFormat, TKey> = {
  'YYYY-MM-DD': 'csvMapping.dateFormat.YYYY-MM-DD',
  YYYYMMDD: 'csvMapping.dateFormat.YYYYMMDD',
  'DD.MM.YYYY': 'csvMapping.dateFormat.DD.MM.YYYY',
  'DD/MM/YYYY': 'csvMapping.dateFormat.DD/MM/YYYY',
};
/** Semicolon first: what Nordic Excel writes (the comma is the decimal sign). */
export const CSV_DELIMITERS = Object.keys(DELIMITER_KEYS) as CsvDelimiter[];
export const CSV_DATE_FORMATS = Object.keys(DATE_FORMAT_KEYS) as CsvDateFormat[];
export const delimiterKey = (d: CsvDelimiter): TKey => DELIMITER_KEYS[d];
export const dateFormatKey = (f: CsvDateFormat): TKey => DATE_FORMAT_KEYS[f];
export const fieldKey = (f: CsvField): TKey => `csvMapping.field.${f}` as TKey;

/** The fields in the order the field picker groups them. */
export const FIELD_GROUPS: readonly { key: TKey; fields: readonly CsvField[] }[] = [
  { key: 'csvMapping.group.identity', fields: ['identityNumber', 'reserveNumber', 'birthDate', 'sex'] },
  { key: 'csvMapping.group.name', fields: ['givenName', 'middleName', 'familyName', 'preferredName'] },
  { key: 'csvMapping.group.address', fields: ['street', 'careOf', 'postalCode', 'city', 'country'] },
  { key: 'csvMapping.group.contact', fields: ['phone', 'mobile', 'email'] },
  { key: 'csvMapping.group.other', fields: ['protection', 'guardian1IdentityNumber', 'guardian2IdentityNumber'] },
];

/** Fields an address is made of: the register stores an address only with all three (as the core demands). */
export const ADDRESS_CORE: readonly CsvField[] = ['street', 'postalCode', 'city'];

/**
 * How headings are compared, as the core compares them (csv-mappings.ts normaliseHeading): case- and
 * whitespace-insensitive, in one Unicode form, without a byte-order mark.
 */
export function normaliseHeading(h: string): string {
  return h.replace(/\uFEFF/g, '').normalize('NFC').replace(/[\s\u00A0\u2000-\u200B\u202F\u3000]+/g, ' ').trim().toLowerCase();
}

/** Mapping names are one name whatever their case (the core keys them folded). */
export const sameName = (a: string, b: string): boolean => a.trim().normalize('NFC').toLowerCase() === b.trim().normalize('NFC').toLowerCase();

export function findMapping(items: readonly CsvMapping[], name: string): CsvMapping | null {
  return items.find((m) => sameName(m.name, name)) ?? null;
}

/** The mapping saved last in this session: the Imports screen's CSV choice starts with it. */
export const lastSavedMapping = createStore<string | null>(null);

// ---------------------------------------------------------------------------------------------
// The form's values
// ---------------------------------------------------------------------------------------------

export interface ColumnRow {
  heading: string;
  /** The sample file's first data rows in this column (empty when the row comes from the saved mapping only). */
  sample: string[];
  field: CsvField | '';
  /** The saved mapping names this heading but the sample file has no such column. */
  missing: boolean;
}

export interface MappingValues {
  name: string;
  /** '' : detected from each file's header line (null in the contract). */
  delimiter: CsvDelimiter | '';
  dateFormat: CsvDateFormat;
  rows: ColumnRow[];
}

/** Dates as the country's old systems write them: ISO in Sweden, day first with dots in Norway. */
export const defaultDateFormat = (country: Country): CsvDateFormat => (country === 'NO' ? 'DD.MM.YYYY' : 'YYYY-MM-DD');

export const emptyValues = (country: Country): MappingValues => ({ name: '', delimiter: '', dateFormat: defaultDateFormat(country), rows: [] });

/** A saved mapping as the form shows it before a sample is read: one row per mapped heading, in field order. */
export function mappingToValues(m: CsvMapping): MappingValues {
  const rows: ColumnRow[] = CSV_FIELDS.filter((f) => m.columns[f] !== undefined).map((f) => ({ heading: m.columns[f]!, sample: [], field: f, missing: false }));
  return { name: m.name, delimiter: m.delimiter ?? '', dateFormat: m.dateFormat, rows };
}

/**
 * The sample file's columns become the rows, each keeping the field the form had for the same heading. A mapped
 * heading the file lacks stays, marked `missing` (the clerk decides whether it goes: it is not dropped silently).
 */
export function applySample(v: MappingValues, h: Pick<CsvHeadings, 'headings' | 'sample'>): MappingValues {
  const left = v.rows.filter((r) => r.field !== '');
  const rows: ColumnRow[] = h.headings.map((heading, i) => {
    const at = left.findIndex((r) => normaliseHeading(r.heading) === normaliseHeading(heading));
    const field = at >= 0 ? left[at]!.field : '';
    if (at >= 0) left.splice(at, 1);
    return { heading, sample: h.sample.map((row) => row[i] ?? ''), field, missing: false };
  });
  return { ...v, rows: [...rows, ...left.map((r) => ({ ...r, sample: [], missing: true }))] };
}

export function setRowField(v: MappingValues, index: number, field: CsvField | ''): MappingValues {
  return { ...v, rows: v.rows.map((r, i) => (i === index ? { ...r, field } : r)) };
}

/** The row that holds a field, or -1. */
export const rowOf = (v: Pick<MappingValues, 'rows'>, field: CsvField): number => v.rows.findIndex((r) => r.field === field);

/** The contract's input: per field the heading that holds it; an ignored column is not named at all. */
export function valuesToMapping(v: MappingValues): MethodInput<'csvMapping.save'> {
  const columns: MethodInput<'csvMapping.save'>['columns'] = {};
  for (const r of v.rows) if (r.field && columns[r.field] === undefined) columns[r.field] = r.heading.trim();
  return { name: v.name.trim(), delimiter: v.delimiter === '' ? null : v.delimiter, columns, dateFormat: v.dateFormat };
}

/** Whether the form differs from what it started from (an unsaved change asks before leaving). */
export function mappingDirty(v: MappingValues, initial: MappingValues): boolean {
  return JSON.stringify(valuesToMapping(v)) !== JSON.stringify(valuesToMapping(initial)) || v.name !== initial.name;
}

// ---------------------------------------------------------------------------------------------
// Checks, and the core's answer
// ---------------------------------------------------------------------------------------------

/** Form paths: `name`, `delimiter`, `dateFormat`, `rows.<i>.field` (a column's picker), `columns.<field>` (a field no column holds). */
export const rowPath = (i: number): string => `rows.${i}.field`;
export const columnPath = (f: CsvField): string => `columns.${f}`;

/** The core's codes for a mapping's fields (mappingIssues), with their messages. */
const COLUMN_CODES: Record<string, TKey> = {
  required: 'csvMapping.error.required',
  identity_required: 'csvMapping.error.identity_required',
  duplicate_heading: 'csvMapping.error.duplicate_heading',
  address_incomplete: 'csvMapping.error.address_incomplete',
};

/**
 * What the core would refuse, on the form's own paths, plus what only the form knows: the same field picked
 * for two columns, and a name another saved mapping has (saving would replace it).
 */
export function validateMapping(v: MappingValues, others: readonly Pick<CsvMapping, 'name'>[] = []): MsgFields {
  const e: MsgFields = {};
  const put = (path: string, m: Msg) => {
    if (!e[path]) e[path] = m;
  };
  const name = v.name.trim();
  if (!name) put('name', { key: 'validation.required' });
  else if (name.length > NAME_MAX) put('name', { key: 'validation.too_long_max', vars: { max: NAME_MAX } });
  else if (others.some((o) => sameName(o.name, name))) put('name', { key: 'csvMapping.error.nameTaken' });

  const seenField = new Map<CsvField, number>();
  const seenHeading = new Map<string, number>();
  v.rows.forEach((r, i) => {
    if (!r.field) return;
    const first = seenField.get(r.field);
    if (first !== undefined) {
      put(rowPath(i), { key: 'csvMapping.error.duplicate_field', vars: { heading: v.rows[first]!.heading } });
      return;
    }
    seenField.set(r.field, i);
    const h = normaliseHeading(r.heading);
    if (!h) put(rowPath(i), { key: 'csvMapping.error.empty_heading' });
    else if (r.heading.trim().length > HEADING_MAX) put(rowPath(i), { key: 'validation.too_long_max', vars: { max: HEADING_MAX } });
    const same = seenHeading.get(h);
    if (same !== undefined) put(rowPath(i), { key: COLUMN_CODES.duplicate_heading!, vars: { heading: v.rows[same]!.heading } });
    else seenHeading.set(h, i);
  });
  const has = (f: CsvField) => seenField.has(f);
  for (const f of CSV_REQUIRED) if (!has(f)) put(columnPath(f), { key: COLUMN_CODES.required! });
  if (!has('identityNumber') && !(has('reserveNumber') && has('birthDate'))) put(columnPath('identityNumber'), { key: COLUMN_CODES.identity_required! });
  if (ADDRESS_CORE.some(has) || has('careOf')) for (const f of ADDRESS_CORE) if (!has(f)) put(columnPath(f), { key: COLUMN_CODES.address_incomplete! });
  return e;
}

/** A contract path → where the form shows it: a field's column picker when a column holds it, else the field's line in the checklist. */
export function mappingFieldOf(path: string, v: Pick<MappingValues, 'rows'>): string | null {
  if (path === 'name' || path === 'delimiter' || path === 'dateFormat') return path;
  const m = /^columns\.(\w+)$/.exec(path);
  if (m && (CSV_FIELDS as readonly string[]).includes(m[1]!)) {
    const i = rowOf(v, m[1] as CsvField);
    return i >= 0 ? rowPath(i) : columnPath(m[1] as CsvField);
  }
  return null;
}

/** The core's refusal of csvMapping.save → messages by form path, and the rest for the form's error box. */
export function mappingErrors(e: ApiError, v: Pick<MappingValues, 'rows'>, hasKey: (k: string) => boolean): { fields: MsgFields; other: Msg[] } {
  const fieldOf = (p: string) => mappingFieldOf(p, v);
  if (e.code !== 'validation' || !e.issues?.length) return serverErrors(e, fieldOf, hasKey);
  const own = e.issues.filter((i) => COLUMN_CODES[i.code] && /^columns\./.test(i.field));
  const rest = e.issues.filter((i) => !own.includes(i));
  const out = rest.length ? serverErrors({ ...e, issues: rest }, fieldOf, hasKey) : { fields: {}, other: [] };
  for (const i of own) {
    const path = fieldOf(i.field);
    const heading = /"([^"]*)"/.exec(i.message)?.[1];
    const m: Msg = { key: COLUMN_CODES[i.code]!, ...(heading !== undefined ? { vars: { heading } } : {}) };
    if (path && !out.fields[path]) out.fields[path] = m;
    else if (!path) out.other.push(m);
  }
  return out;
}

/** Why a sample file could not be read (csvMapping.headings): the reader's code in the clerk's words. */
export function sampleError(e: ApiError, hasKey: (k: string) => boolean): Msg {
  const code = e.code === 'validation' ? e.issues?.find((i) => i.field === 'fileId')?.code : undefined;
  if (code === 'unsupported_encoding') {
    const kind = /\b(xlsx|xls)\b/i.test(e.message) ? 'spreadsheet' : 'binary';
    return { key: kind === 'spreadsheet' ? 'csvMapping.sample.error.spreadsheet' : 'csvMapping.sample.error.binary' };
  }
  if (code === 'no_header') return { key: 'csvMapping.sample.error.no_header' };
  if (code) return { key: 'csvMapping.sample.error.other', vars: { reason: e.issues?.find((i) => i.field === 'fileId')?.message ?? e.message } };
  if (e.code === 'busy') return { key: 'error.busy' };
  return generalMsg(e, hasKey);
}

// ---------------------------------------------------------------------------------------------
// What the list and the checklist show
// ---------------------------------------------------------------------------------------------

/** The fields a saved mapping fills, in the picker's order. */
export const mappedFields = (m: Pick<CsvMapping, 'columns'>): CsvField[] => CSV_FIELDS.filter((f) => m.columns[f] !== undefined);

/** "Förnamn" → the first sample value the form has for the column (for the date-format hint). */
export function sampleOf(v: Pick<MappingValues, 'rows'>, field: CsvField): string | null {
  const r = v.rows.find((x) => x.field === field);
  return r?.sample.find((s) => s.trim() !== '')?.trim() ?? null;
}

/** The requirements the checklist shows, each met or not, with the columns that meet it. */
export interface Requirement {
  id: 'givenName' | 'familyName' | 'identity' | 'address';
  /** The form path an error about it has (`columns.<field>`). */
  paths: string[];
  met: boolean;
  /** Not needed at all (an address only when an address column is mapped). */
  optional: boolean;
  headings: string[];
}

export function requirements(v: Pick<MappingValues, 'rows'>): Requirement[] {
  const heading = (f: CsvField) => v.rows.find((r) => r.field === f)?.heading ?? null;
  const has = (f: CsvField) => heading(f) !== null;
  const list = (fs: readonly CsvField[]) => fs.map(heading).filter((h): h is string => h !== null);
  const addressUsed = ADDRESS_CORE.some(has) || has('careOf');
  return [
    { id: 'givenName', paths: [columnPath('givenName')], met: has('givenName'), optional: false, headings: list(['givenName']) },
    { id: 'familyName', paths: [columnPath('familyName')], met: has('familyName'), optional: false, headings: list(['familyName']) },
    {
      id: 'identity',
      paths: [columnPath('identityNumber')],
      met: has('identityNumber') || (has('reserveNumber') && has('birthDate')),
      optional: false,
      headings: has('identityNumber') ? list(['identityNumber']) : list(['reserveNumber', 'birthDate']),
    },
    { id: 'address', paths: ADDRESS_CORE.map(columnPath), met: !addressUsed || ADDRESS_CORE.every(has), optional: !addressUsed, headings: list(ADDRESS_CORE) },
  ];
}

/** A cell for the table: line breaks inside a quoted value shown as spaces, long text cut with an ellipsis. */
export function sampleText(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
