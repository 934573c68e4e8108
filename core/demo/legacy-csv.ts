/**
 * A synthetic legacy export, the kind a municipality leaving an old school system hands over (SATS GS in Oslo,
 * Extens or an IST dump in Sweden): one row per person with Swedish or Norwegian headings, separated by ';', and
 * with what such files really hold — quoted values with the separator or a line break in them, doubled quotes, a
 * column nobody maps (free-text notes), reserve-number persons, guardians referred to by number. For the demo, the
 * tests and the benchmark of core/imports/csv.ts.
 *
 * No real person: names from core/demo/names.ts, numbers generated with valid check digits (Norwegian ones in the
 * synthetic range, month + 80, so reading them needs `allowSynthetic`), e-mail addresses at example.com (reserved
 * by RFC 2606). Deterministic for a seed. Written chunk by chunk: a file of millions of rows never sits in memory.
 *
 * `withErrors` plants one problem in every 50th row (a wrong check digit, an impossible date, a bad postal code …)
 * and lists them with line, column and code, so a test can require exactly those problems and no others.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from '../../shared/identity';
import type { CsvField } from '../../shared/domain/imports';
import { addDays } from '../dates';
import type { CsvDateFormat, CsvDelimiter, CsvMapping } from '../imports/csv-mappings';
import type { ProblemCode } from '../imports/model';
import { NO, SE } from './names';

export interface LegacyCsvOptions {
  country: 'SE' | 'NO';
  /** Data rows (the header line comes on top). */
  rows: number;
  seed?: number;
  /** Birth dates are counted back from this day (default 2026-12-03, so that a seed always gives the same file). */
  today?: string;
  withErrors?: boolean;
  delimiter?: CsvDelimiter;
  /** 'utf-8-bom' as Excel's "CSV UTF-8" writes it; 'windows-1252' as older systems and "CSV (semicolon)" do. */
  encoding?: 'utf-8' | 'utf-8-bom' | 'windows-1252';
  /** Default: YYYY-MM-DD in Sweden, DD.MM.YYYY in Norway. */
  dateFormat?: CsvDateFormat;
}

export interface PlantedProblem {
  line: number;
  /** 1-based column. */
  column: number;
  code: ProblemCode;
}

export interface LegacyCsvInfo {
  mapping: CsvMapping;
  /** Data rows written. */
  rows: number;
  /** Rows that are valid (each becomes a record). */
  validRows: number;
  problems: PlantedProblem[];
  /** Bytes written (after encoding). */
  bytes: number;
}

/** The columns in file order: heading per country, and the field each holds (null: a column nobody maps). */
const COLUMNS: ReadonlyArray<{ field: CsvField | null; SE: string; NO: string }> = [
  { field: 'identityNumber', SE: 'Personnummer', NO: 'Fødselsnummer' },
  { field: 'reserveNumber', SE: 'Reservnummer', NO: 'Reservenummer' },
  { field: 'givenName', SE: 'Förnamn', NO: 'Fornavn' },
  { field: 'middleName', SE: 'Mellannamn', NO: 'Mellomnavn' },
  { field: 'familyName', SE: 'Efternamn', NO: 'Etternavn' },
  { field: 'preferredName', SE: 'Tilltalsnamn', NO: 'Tiltalsnavn' },
  { field: 'sex', SE: 'Kön', NO: 'Kjønn' },
  { field: 'birthDate', SE: 'Födelsedatum', NO: 'Fødselsdato' },
  { field: 'street', SE: 'Gatuadress', NO: 'Adresse' },
  { field: 'careOf', SE: 'c/o', NO: 'C/O' },
  { field: 'postalCode', SE: 'Postnummer', NO: 'Postnr' },
  { field: 'city', SE: 'Postort', NO: 'Poststed' },
  { field: 'country', SE: 'Land', NO: 'Land' },
  { field: 'phone', SE: 'Telefon', NO: 'Telefon' },
  { field: 'mobile', SE: 'Mobil', NO: 'Mobil' },
  { field: 'email', SE: 'E-post', NO: 'E-post' },
  { field: 'protection', SE: 'Skyddad', NO: 'Adressesperre' },
  { field: 'guardian1IdentityNumber', SE: 'Vårdnadshavare 1', NO: 'Foresatt 1' },
  { field: 'guardian2IdentityNumber', SE: 'Vårdnadshavare 2', NO: 'Foresatt 2' },
  { field: null, SE: 'Anteckning', NO: 'Merknad' },
];
const col = (f: CsvField): number => COLUMNS.findIndex((c) => c.field === f) + 1;

/** The mapping that reads this generator's files (headings in other case and spacing, as a clerk types them). */
export function legacyCsvMapping(country: 'SE' | 'NO', o: { delimiter?: CsvDelimiter | null; dateFormat?: CsvDateFormat } = {}): CsvMapping {
  const columns: CsvMapping['columns'] = {};
  for (const c of COLUMNS) if (c.field) columns[c.field] = c[country].toLowerCase();
  return {
    name: country === 'SE' ? 'Extens (demo)' : 'SATS GS (demo)',
    delimiter: o.delimiter === undefined ? ';' : o.delimiter,
    columns,
    dateFormat: o.dateFormat ?? (country === 'SE' ? 'YYYY-MM-DD' : 'DD.MM.YYYY'),
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function formatDate(iso: string, f: CsvDateFormat): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  if (f === 'YYYY-MM-DD') return iso;
  if (f === 'YYYYMMDD') return `${y}${m}${d}`;
  return f === 'DD.MM.YYYY' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

/** An impossible day in the same format (30 February). */
function impossibleDate(iso: string, f: CsvDateFormat): string {
  return formatDate(`${iso.slice(0, 4)}-02-30`, f);
}

function csvValue(v: string, delim: string): string {
  return v.includes('"') || v.includes(delim) || /[\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const ASCII_FOLD: Record<string, string> = { å: 'a', ä: 'a', ö: 'o', ø: 'o', æ: 'ae', é: 'e', ü: 'u' };
const emailOf = (given: string, family: string, n: number) =>
  `${`${given}.${family}`.toLowerCase().replace(/[åäöøæéü]/g, (c) => ASCII_FOLD[c]!).replace(/[^a-z.]/g, '')}${n}@example.com`;

interface Person {
  id: string | null;
  reserve: string | null;
  birth: string;
  sex: 'F' | 'M';
  given: string;
  middle: string | null;
  family: string;
  preferred: string | null;
}

/**
 * The file as text chunks (header line first). `info` is filled in as the rows are made; its `bytes` stays 0
 * (encoding is the writer's business).
 */
export function* legacyCsvChunks(o: LegacyCsvOptions, info: LegacyCsvInfo = emptyInfo(o)): Generator<string> {
  const rnd = mulberry32(o.seed ?? 20261203);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const L = o.country === 'SE' ? SE : NO;
  const today = o.today ?? '2026-12-03';
  const todayYear = Number(today.slice(0, 4));
  const delim = o.delimiter ?? ';';
  const dateFormat = info.mapping.dateFormat;
  const used = new Set<string>();
  let reserveSerial = 1000;

  const birthFor = (age: number): string => {
    const d = addDays(`${todayYear - age}-01-01`, Math.floor(rnd() * 365));
    return d >= today ? addDays(today, -1) : d;
  };
  const number = (birth: string, sex: 'F' | 'M'): string => {
    for (let attempt = 0; attempt < 500; attempt++) {
      let c: string | null;
      if (o.country === 'SE') {
        let serial = 1 + Math.floor(rnd() * 998);
        if ((serial % 2 === 1) !== (sex === 'M')) serial++;
        c = makeSwedishPersonnummer(birth, serial);
      } else {
        let individ = (Number(birth.slice(0, 4)) >= 2000 ? 500 : 0) + Math.floor(rnd() * 498);
        if ((individ % 2 === 1) !== (sex === 'M')) individ++;
        c = makeNorwegianFodselsnummer(birth, individ, { synthetic: true });
      }
      if (c && !used.has(c)) {
        used.add(c);
        return c;
      }
    }
    throw new Error(`No free identity number for ${birth}`);
  };
  const person = (age: number, family: string, withNumber = true): Person => {
    const sex: 'F' | 'M' = rnd() < 0.5 ? 'F' : 'M';
    const birth = birthFor(age);
    const given = pick(sex === 'F' ? L.female : L.male);
    const second = rnd() < 0.25 ? pick(sex === 'F' ? L.female : L.male) : null;
    return {
      id: withNumber ? number(birth, sex) : null,
      reserve: withNumber ? null : `R-${++reserveSerial}`,
      birth,
      sex,
      given: second && second !== given ? `${given} ${second}` : given,
      middle: rnd() < 0.08 ? pick(L.family) : null,
      family,
      preferred: second && second !== given && rnd() < 0.5 ? second : null,
    };
  };

  yield COLUMNS.map((c) => csvValue(c[o.country], delim)).join(delim) + '\r\n';
  let line = 2;
  let written = 0;
  let n = 0;
  let batch: string[] = [];

  while (written < o.rows) {
    const family = pick(L.family);
    const guardians = [person(28 + Math.floor(rnd() * 22), family)];
    if (rnd() < 0.75) guardians.push(person(28 + Math.floor(rnd() * 22), rnd() < 0.8 ? family : pick(L.family)));
    const children = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => person(Math.floor(rnd() * 17), family, rnd() > 0.01));
    const streetNo = 1 + Math.floor(rnd() * 90);
    const street = `${pick(L.streets)} ${streetNo}`;
    const postal = o.country === 'SE' ? L.postal(n) : rnd() < 0.1 ? `0${String(150 + Math.floor(rnd() * 800))}` : L.postal(n);
    // Some guardians are only referred to (they live elsewhere, or are in another file).
    const rowsOf: Array<{ p: Person; guardians: Person[] }> = [
      ...guardians.filter(() => rnd() < 0.85).map((p) => ({ p, guardians: [] })),
      ...children.map((p) => ({ p, guardians })),
    ];
    for (const { p, guardians: gs } of rowsOf) {
      if (written >= o.rows) break;
      n++;
      const cells: string[] = COLUMNS.map(() => '');
      const set = (f: CsvField, v: string | null) => (cells[col(f) - 1] = v ?? '');
      set('identityNumber', p.id);
      set('reserveNumber', p.reserve);
      set('givenName', p.given);
      set('middleName', p.middle);
      set('familyName', p.family);
      set('preferredName', p.preferred);
      set('sex', o.country === 'SE' ? pick(p.sex === 'F' ? ['K', 'K', 'Kvinna', 'F'] : ['M', 'M', 'Man']) : pick(p.sex === 'F' ? ['K', 'Kvinne', '2'] : ['M', 'Mann', '1']));
      set('birthDate', formatDate(p.birth, dateFormat));
      // A multi-line address (a building name on a line of its own) in a quoted value, now and then.
      set('street', n % 37 === 0 ? `${o.country === 'SE' ? 'Kvarteret Rosen' : 'Bjørkelund borettslag'}\n${street}` : street);
      set('careOf', n % 29 === 0 ? `${pick(L.female)} ${pick(L.family)}` : null);
      set('postalCode', postal);
      set('city', o.country === 'SE' ? L.city.toUpperCase() : L.city);
      set('country', n % 11 === 0 ? (o.country === 'SE' ? 'Sverige' : 'NO') : null);
      const digits = String(1_000_000 + Math.floor(rnd() * 8_999_999));
      set('phone', n % 3 === 0 ? (o.country === 'SE' ? `08-${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5, 7)}` : `22 ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 6)}`) : null);
      set('mobile', gs.length === 0 ? (o.country === 'SE' ? `070-${digits.slice(0, 3)} ${digits.slice(3, 7)}` : `9${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 7)}`) : null);
      set('email', gs.length === 0 && rnd() < 0.8 ? emailOf(p.given.split(' ')[0]!, p.family, n) : null);
      const prot = rnd();
      set('protection', prot < 0.01 ? (o.country === 'SE' ? pick(['J', 'Skyddad', 'sekretessmarkering']) : pick(['Fortrolig', 'Strengt fortrolig', '6', '7'])) : prot < 0.2 ? 'N' : null);
      set('guardian1IdentityNumber', gs[0]?.id ?? null);
      set('guardian2IdentityNumber', gs[1]?.id ?? null);
      // The notes column nobody maps: the separator and quotes inside a quoted value.
      cells[COLUMNS.length - 1] = n % 13 === 0 ? `Allergi${delim} nötter. Kallas "${p.given.split(' ')[0]}"` : '';

      if (o.withErrors && n % 50 === 0 && p.id) plant(n / 50, cells, p, gs, line, info, o, dateFormat);
      else info.validRows++;

      const text = cells.map((c) => csvValue(c, delim)).join(delim);
      batch.push(text);
      line += 1 + (text.match(/\n/g)?.length ?? 0);
      written++;
      if (batch.length >= 500) {
        yield batch.join('\r\n') + '\r\n';
        batch = [];
      }
    }
  }
  if (batch.length) yield batch.join('\r\n') + '\r\n';
  info.rows = written;
}

/** The kinds planted in turn; each makes exactly one problem. */
const PLANTS: ReadonlyArray<{ code: ProblemCode; field: CsvField }> = [
  { code: 'bad_identity_number', field: 'identityNumber' },
  { code: 'bad_date', field: 'birthDate' },
  { code: 'bad_postal_code', field: 'postalCode' },
  { code: 'bad_email', field: 'email' },
  { code: 'missing_value', field: 'givenName' },
  { code: 'bad_sex', field: 'sex' },
  { code: 'bad_protection', field: 'protection' },
  { code: 'bad_identity_number', field: 'guardian1IdentityNumber' },
  { code: 'birth_date_mismatch', field: 'birthDate' },
];

function plant(k: number, cells: string[], p: Person, gs: Person[], line: number, info: LegacyCsvInfo, o: LegacyCsvOptions, dateFormat: CsvDateFormat): void {
  const what = PLANTS[k % PLANTS.length]!;
  const set = (v: string) => (cells[col(what.field) - 1] = v);
  switch (what.field) {
    case 'identityNumber': {
      // One digit off: the check digit no longer fits (the classic typing error the checksum exists for).
      const id = p.id!;
      const last = Number(id.slice(-1));
      set(id.slice(0, -1) + String((last + 5) % 10));
      break;
    }
    case 'birthDate':
      set(what.code === 'bad_date' ? impossibleDate(p.birth, dateFormat) : formatDate(addDays(p.birth, p.birth.endsWith('-01') ? 1 : -1), dateFormat));
      break;
    case 'postalCode':
      set(o.country === 'SE' ? '1234' : 'N0150X');
      break;
    case 'email':
      set(`${p.given.split(' ')[0]!.toLowerCase()}.at.example.com`);
      break;
    case 'givenName':
      set('');
      // A row without a given name keeps no tilltalsnamn either (it would name a given name that is not there).
      cells[col('preferredName') - 1] = '';
      break;
    case 'sex':
      set('Q');
      break;
    case 'protection':
      set('kanske');
      break;
    case 'guardian1IdentityNumber':
      set(gs[0] ? gs[0].id!.slice(0, -1) : '12345');
      break;
  }
  info.problems.push({ line, column: col(what.field), code: what.code });
}

function emptyInfo(o: LegacyCsvOptions): LegacyCsvInfo {
  return { mapping: legacyCsvMapping(o.country, { delimiter: o.delimiter ?? ';', dateFormat: o.dateFormat }), rows: 0, validRows: 0, problems: [], bytes: 0 };
}

/** Windows-1252 beyond Latin-1: the 0x80–0x9F block. */
const CP1252_EXTRA: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e,
  '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

/** Text as Windows-1252 bytes; throws for a character the code page lacks (rather than writing '?'). */
export function encodeWindows1252(text: string): Buffer {
  const out = Buffer.alloc(text.length);
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const b = cp < 0x80 || (cp >= 0xa0 && cp <= 0xff) ? cp : CP1252_EXTRA[ch];
    if (b === undefined) throw new RangeError(`"${ch}" (U+${cp.toString(16).toUpperCase()}) cannot be written in Windows-1252`);
    out[i++] = b;
  }
  return out.subarray(0, i);
}

/** Writes the file; returns what it holds (the mapping that reads it, the planted problems, the byte count). */
export function writeLegacyCsv(path: string, o: LegacyCsvOptions): LegacyCsvInfo {
  const info = emptyInfo(o);
  const encoding = o.encoding ?? 'utf-8-bom';
  const fd = openSync(path, 'w', 0o600);
  const write = (b: Buffer) => {
    for (let off = 0; off < b.length; ) off += writeSync(fd, b, off);
    info.bytes += b.length;
  };
  try {
    if (encoding === 'utf-8-bom') write(Buffer.from([0xef, 0xbb, 0xbf]));
    for (const chunk of legacyCsvChunks(o, info)) write(encoding === 'windows-1252' ? encodeWindows1252(chunk) : Buffer.from(chunk, 'utf8'));
  } finally {
    closeSync(fd);
  }
  return info;
}
