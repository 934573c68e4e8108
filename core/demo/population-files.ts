/**
 * Synthetic population-register files: what Skatteverket's Navet (Sweden) or Skatteetaten's Folkeregisteret
 * (Norway) would send the demo municipality, for the demo, the tests and the benchmark.
 *
 * - `demoRegister(db)` describes every person of a demo database (core/demo/generate.ts) who has an identity
 *   number as the register holds them; `demoDelta(db)` makes a realistic set of changes on top (moves within
 *   and out of the municipality, an emigration, a death, protection added and lifted, a custody change, a name
 *   change, a replaced number, a newborn and a family moving in) and says which persons they concern.
 * - `syntheticPopulation(…)` needs no database: N persons in families with valid-checksum numbers, for the
 *   500 000-person benchmark file.
 * - `navetFile`, `fregPersonsFile`, `fregEventsFile` serialise PopulationRecords (core/imports/model.ts) as
 *   XML valid against the official XSDs (test/fixtures/schemas), chunk by chunk: nothing holds a whole file.
 *   Folkeregisteret files use Kansli's container (see core/imports/freg.ts).
 *
 * The records are built in the form the readers return them (register conventions: Swedish addresses in
 * capitals as Navet delivers them, Norwegian units as bruksenhetsnummer "H0101", sex and birth date as each
 * register states them), so that writing a record and reading it back gives the same record — the tests rely
 * on that. Where the demo database holds what the register would not send (a tilltalsnamn in Norway, the
 * address of a person with skyddad folkbokföring or strengt fortrolig adresse), the record leaves it out.
 * No real person's data: names come from core/demo/names.ts, numbers are generated with valid check digits
 * (Norwegian ones in the synthetic range, month + 80, which the register never issues).
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import type Database from 'better-sqlite3';
import type { ProtectionLevel } from '../../shared/api/schemas';
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer, parseIdentityNumber, type IdKind } from '../../shared/identity';
import { addDays } from '../dates';
import { EVENT_NS, KANSLI_NS, PERSON_NS } from '../imports/freg';
import {
  ALL_PARTS,
  type Address,
  type Country,
  type IdentityRef,
  type PersonName,
  type PopulationRecord,
  type Protection,
  type Registration,
  type Relation,
  type RelationKind,
} from '../imports/model';
import { tilltalsnamnMarker } from '../imports/navet';
import { NO, SE } from './names';

// ---------------------------------------------------------------------------------------------------------
// XML building
// ---------------------------------------------------------------------------------------------------------

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ESC[c]!);
const INDENT = Array.from({ length: 16 }, (_, i) => '  '.repeat(i));

/** A tiny indenting XML writer; `prefix` qualifies every element (Folkeregisteret documents inside the container). */
class Xml {
  private readonly out: string[] = [];
  private depth: number;
  constructor(
    depth = 0,
    private prefix = '',
  ) {
    this.depth = depth;
  }
  withPrefix(prefix: string, f: () => void): void {
    const before = this.prefix;
    this.prefix = prefix;
    f();
    this.prefix = before;
  }
  open(name: string, attrs = ''): this {
    this.out.push(`${INDENT[this.depth]}<${this.prefix}${name}${attrs}>\n`);
    this.depth++;
    return this;
  }
  close(name: string): this {
    this.depth--;
    this.out.push(`${INDENT[this.depth]}</${this.prefix}${name}>\n`);
    return this;
  }
  leaf(name: string, value: string | number | null | undefined): this {
    if (value === null || value === undefined || value === '') return this;
    this.out.push(`${INDENT[this.depth]}<${this.prefix}${name}>${esc(String(value))}</${this.prefix}${name}>\n`);
    return this;
  }
  raw(s: string): this {
    this.out.push(s);
    return this;
  }
  toString(): string {
    return this.out.join('');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing files chunk by chunk
// ---------------------------------------------------------------------------------------------------------

/** Groups small strings into chunks of about `size` characters (fewer, larger writes). */
export function* chunked(parts: Iterable<string>, size = 1 << 20): Generator<string> {
  let buf: string[] = [];
  let len = 0;
  for (const p of parts) {
    buf.push(p);
    len += p.length;
    if (len >= size) {
      yield buf.join('');
      buf = [];
      len = 0;
    }
  }
  if (buf.length) yield buf.join('');
}

/** Writes the chunks to a file synchronously; returns the bytes written. */
export function writeFileChunks(path: string, parts: Iterable<string>): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    for (const c of chunked(parts)) {
      const b = Buffer.from(c, 'utf8');
      writeSync(fd, b);
      bytes += b.length;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Writes to a stream, waiting for 'drain' when it is full (backpressure). */
export async function writeChunks(out: Writable, parts: Iterable<string>): Promise<void> {
  for (const c of chunked(parts, 64 * 1024)) {
    if (!out.write(c)) await once(out, 'drain');
  }
}

/** A readable byte stream of the chunks, produced as it is read (the reader tests use it without a file). */
export function chunkStream(parts: Iterable<string>, size = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (const c of chunked(parts, size)) yield Buffer.from(c, 'utf8');
    })(),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Record helpers
// ---------------------------------------------------------------------------------------------------------

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

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** ISO alpha-2 → alpha-3 for the countries the demo uses (Folkeregisteret's statsborgerskap is alpha-3). */
const ALPHA3: Record<string, string> = {
  SE: 'SWE', NO: 'NOR', FI: 'FIN', DK: 'DNK', IS: 'ISL', PL: 'POL', SO: 'SOM', SY: 'SYR', IQ: 'IRQ', AF: 'AFG', ER: 'ERI', PK: 'PAK',
  DE: 'DEU', GB: 'GBR', US: 'USA', TR: 'TUR', IR: 'IRN', ET: 'ETH', LT: 'LTU', UA: 'UKR', VN: 'VNM', IN: 'IND', TH: 'THA', PH: 'PHL',
};
const ALPHA2 = Object.fromEntries(Object.entries(ALPHA3).map(([a, b]) => [b, a]));

function ident(canonical: string, country: Country, today: string): IdentityRef {
  const r = parseIdentityNumber(canonical, { country, today, allowSynthetic: true });
  if (!r.ok) throw new Error(`Demo data holds an invalid identity number ${canonical}: ${r.message}`);
  return { canonical: r.canonical, kind: r.kind, country };
}

function isDNumber(canonical: string): boolean {
  return canonical.length === 11 && Number(canonical.charAt(0)) >= 4;
}

function blankAddress(kind: Address['kind'], country: string | null): Address {
  return {
    kind,
    careOf: null,
    lines: [],
    street: '',
    postalCode: null,
    city: null,
    country,
    countryName: null,
    municipalityCode: null,
    dwelling: null,
    grading: null,
    validFrom: null,
    validTo: null,
    current: true,
  };
}

function withLines(a: Address, lines: string[]): Address {
  a.lines = lines;
  a.street = lines.join(', ');
  return a;
}

/** Navet writes addresses in capitals (SS 613401, as SPAR and Navet deliver them). */
function seUpper(s: string): string {
  return s.toLocaleUpperCase('sv-SE');
}

/**
 * A Norwegian street as the register holds it: "Storgata 12B H0101". The demo stores a Swedish-style "lgh 1103";
 * the register's bruksenhetsnummer is H + floor + unit.
 */
function noStreet(street: string): string {
  return street.replace(/\s+lgh\s+(\d{4})$/i, ' H$1');
}

function splitNoStreet(street: string): { name: string; number: string | null; letter: string | null; unit: string | null } {
  const m = /^(.*\S)\s+(\d{1,4})([A-Za-zæøåÆØÅ])?(?:\s+(H\d{4}))?$/.exec(street);
  if (!m) return { name: street, number: null, letter: null, unit: null };
  return { name: m[1]!, number: m[2]!, letter: m[3] ?? null, unit: m[4] ?? null };
}

function emptyRecord(format: 'navet' | 'freg', id: IdentityRef): PopulationRecord {
  return {
    format,
    source: { line: 0, column: 0, index: 0 },
    completeness: 'complete',
    partialMode: null,
    parts: [...ALL_PARTS],
    identity: { ...id, status: 'in_use', validFrom: null, validTo: null },
    previousIdentities: [],
    replacedBy: null,
    falseIdentity: false,
    names: [],
    birthDate: null,
    sex: null,
    sexSource: null,
    statuses: [],
    registrations: [],
    addresses: [],
    sharedResidences: [],
    protection: [],
    relations: [],
    citizenships: [],
    immigrationDate: null,
    event: null,
  };
}

const GRADE_OF: Partial<Record<ProtectionLevel, string>> = { no_klientadresse: 'klientadresse', no_fortrolig: 'fortrolig', no_strengt_fortrolig: 'strengtFortrolig' };

function protectionEntry(level: ProtectionLevel, from: string | null): Protection {
  const codes =
    level === 'se_sekretessmarkering'
      ? ['sekretessmarkering']
      : level === 'se_skyddad_folkbokforing'
        ? ['sekretessmarkering', 'skyddad_folkbokforing']
        : GRADE_OF[level]
          ? [GRADE_OF[level]!]
          : [];
  return { level, registerCodes: codes, from: level === 'none' ? null : from, to: null, current: true };
}

function relation(kind: RelationKind, registerCode: string, other: IdentityRef, o: Partial<Relation> = {}): Relation {
  return {
    kind,
    registerCode,
    custody: null,
    other: { identity: other, birthDate: null, name: null, organisationNumber: null, deregistration: null },
    validFrom: null,
    validTo: null,
    registerStatus: null,
    current: true,
    ...o,
  };
}

/** The registration a Norwegian registered address implies (as freg.ts derives it from bostedsadresse). */
function registrationOf(a: Address): Registration {
  return { municipalityCode: a.municipalityCode, countyCode: null, district: null, registerType: null, property: null, validFrom: a.validFrom, validTo: a.validTo, current: a.current };
}

/** Orders a record's lists the way the readers return them, so that written and read records compare equal. */
export function normaliseOrder(r: PopulationRecord): PopulationRecord {
  const byCurrency = <T extends { current: boolean }>(xs: T[], from: (t: T) => string | null) =>
    [...xs].sort((a, b) => Number(b.current) - Number(a.current) || (from(b) ?? '').localeCompare(from(a) ?? ''));
  if (r.format === 'freg') {
    r.names = byCurrency(r.names, (n) => n.validFrom);
    r.statuses = byCurrency(r.statuses, (s) => s.date);
    r.protection = byCurrency(r.protection, (p) => p.from);
    r.registrations = byCurrency(r.registrations, (x) => x.validFrom);
    const rank: Record<Address['kind'], number> = { registered: 0, postal: 1, temporary: 2, foreign: 3 };
    r.addresses = [...r.addresses].sort((a, b) => rank[a.kind] - rank[b.kind]);
    const rel = (k: RelationKind) => (k === 'custodian' || k === 'custody_of' ? 0 : k === 'appointed_guardian' ? 2 : 1);
    r.relations = [...r.relations].sort((a, b) => rel(a.kind) - rel(b.kind));
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// Navet
// ---------------------------------------------------------------------------------------------------------

/** YYYYMMDD from a register date; reduced precision becomes 00 (Navet's incomplete dates). */
function navetDate(d: string | null): string | null {
  if (!d) return null;
  const [y, m, dd] = d.split('-');
  return `${y}${m ?? '00'}${dd ?? '00'}`;
}

const NAVET_RELATION: Partial<Record<RelationKind, string>> = {
  custodian: 'V',
  custody_of: 'VF',
  child: 'B',
  mother: 'MO',
  father: 'FA',
  parent: 'F',
  spouse: 'M',
  partner: 'P',
};

function svenskAdress(x: Xml, name: string, a: Address): void {
  x.open(name);
  x.leaf('CareOf', a.careOf);
  // The line next to the postcode is Utdelningsadress2; an extra line (a box, a building) goes above it.
  if (a.lines.length >= 2) x.leaf('Utdelningsadress1', a.lines[0]).leaf('Utdelningsadress2', a.lines[1]);
  else x.leaf('Utdelningsadress2', a.lines[0]);
  x.leaf('PostNr', a.postalCode ? a.postalCode.replace(/\s/g, '') : null);
  x.leaf('Postort', a.city);
  x.close(name);
}

function folkbokforing(x: Xml, r: Registration): void {
  x.open('Folkbokforing');
  x.leaf('Folkbokforingsdatum', navetDate(r.validFrom));
  x.leaf('LanKod', r.municipalityCode?.slice(0, 2));
  x.leaf('KommunKod', r.municipalityCode?.slice(2, 4));
  x.leaf('Fastighetsbeteckning', r.property);
  x.leaf('Folkbokforingstyp', r.registerType);
  x.close('Folkbokforing');
}

/** One Folkbokforingspost. */
export function navetPostXml(r: PopulationRecord, depth = 2): string {
  const x = new Xml(depth);
  const prot = r.protection.find((p) => p.current);
  x.open('Folkbokforingspost');
  if (prot) {
    x.leaf('Sekretessmarkering', prot.registerCodes.includes('sekretessmarkering') ? 'J' : 'N');
    x.leaf('SkyddadFolkbokforing', prot.registerCodes.includes('skyddad_folkbokforing') ? 'J' : 'N');
  }
  if (r.event) {
    const attrs = `${r.event.recordedAt ? ` andringstidpunkt="${esc(r.event.recordedAt)}"` : ''} totalpost="${r.completeness === 'complete' ? 'J' : 'N'}"`;
    if (r.event.type) x.open('Arendeuppgift', attrs).leaf('Arendetyp', r.event.type).close('Arendeuppgift');
    else x.raw(`${INDENT[depth + 1]}<Arendeuppgift${attrs}/>\n`);
  }
  x.open('Personpost');
  x.open('PersonId').leaf('PersonNr', r.identity.canonical).close('PersonId');
  x.leaf('HanvisningsPersonNr', r.replacedBy?.canonical ?? r.previousIdentities[0]?.canonical);
  const status = r.statuses.find((s) => s.current);
  if (status && status.code !== 'active') {
    x.open('Avregistrering').leaf('AvregistreringsorsakKod', status.registerCode).leaf('Avregistreringsdatum', navetDate(status.date)).close('Avregistrering');
  }
  x.leaf('Fodelsedatum', navetDate(r.birthDate));
  const name = r.names.find((n) => n.current);
  if (name) {
    x.open('Namn');
    x.leaf('Tilltalsnamnsmarkering', name.preferredMarker);
    x.leaf('Fornamn', name.given);
    x.leaf('Mellannamn', name.middle);
    x.leaf('Efternamn', name.family);
    x.leaf('Aviseringsnamn', name.short);
    x.close('Namn');
  }
  const reg = r.registrations.find((g) => g.current);
  if (reg) folkbokforing(x, reg);
  const registered = r.addresses.find((a) => a.kind === 'registered' && a.current);
  const postal = r.addresses.find((a) => a.kind === 'postal' && a.current);
  const foreign = r.addresses.find((a) => a.kind === 'foreign' && a.current);
  if (registered || postal || foreign || reg?.district) {
    x.open('Adresser');
    if (registered) svenskAdress(x, 'Folkbokforingsadress', registered);
    const lgh = registered?.dwelling?.match(/^lagenhet:(\d+)$/);
    if (lgh) x.open('Riksnycklar').leaf('LagenhetsId', lgh[1]).close('Riksnycklar');
    if (reg?.district) x.open('Distrikt').leaf('Distriktskod', reg.district).close('Distrikt');
    if (postal) svenskAdress(x, 'SarskildPostadress', postal);
    if (foreign) {
      x.open('Utlandsadress');
      foreign.lines.slice(0, 3).forEach((l, i) => x.leaf(`Utdelningsadress${i + 1}`, l));
      x.leaf('Land', foreign.countryName);
      x.leaf('Utlandsadressdatum', navetDate(foreign.validFrom));
      x.close('Utlandsadress');
    }
    x.close('Adresser');
  }
  if (r.immigrationDate) x.open('Invandring').leaf('Invandringsdatum', navetDate(r.immigrationDate)).close('Invandring');
  const rels = r.relations.filter((rel) => NAVET_RELATION[rel.kind] && rel.other.identity);
  if (rels.length) {
    x.open('Relationer');
    for (const rel of rels) {
      x.open('Relation', rel.registerStatus ? ` status="${rel.registerStatus}"` : '');
      x.open('RelationId').leaf('PersonNr', rel.other.identity!.canonical).close('RelationId');
      x.leaf('Relationstyp', NAVET_RELATION[rel.kind]);
      x.leaf('RelationFromdatum', navetDate(rel.validFrom));
      x.leaf('RelationTomdatum', navetDate(rel.validTo));
      x.close('Relation');
    }
    x.close('Relationer');
  }
  for (const c of r.citizenships) {
    x.open('Medborgarskap').leaf('MedborgarskapslandKod', c.country).leaf('Medborgarskapsdatum', navetDate(c.from)).close('Medborgarskap');
  }
  x.close('Personpost');
  const earlier = r.registrations.filter((g) => !g.current);
  const earlierAddress = r.addresses.find((a) => a.kind === 'registered' && !a.current);
  if (earlier.length || earlierAddress) {
    x.open('Historik');
    for (const g of earlier) folkbokforing(x, g);
    if (earlierAddress) svenskAdress(x, 'Folkbokforingsadress', earlierAddress);
    x.close('Historik');
  }
  x.close('Folkbokforingspost');
  return x.toString();
}

export interface NavetFileOptions {
  kind: 'full' | 'delta';
  /** The extract date (full) or the end of the selection period (delta). */
  to: string;
  /** Delta: the first day of the selection period. */
  from?: string;
  /** Mediemottagare: the municipality's organisationsnummer (10 digits) and Navet customer number. */
  recipientOrgNr: string;
  recipientName: string;
  kundNr?: string;
  lopNr: number;
  /** The number of records that will follow (AntalPoster is written before them). */
  count: number;
}

/** A whole Navet file, chunk by chunk. Throws at the end if `records` did not yield `count` records. */
export function* navetFile(o: NavetFileOptions, records: Iterable<PopulationRecord>): Generator<string> {
  const ymd = (d: string) => d.replace(/-/g, '');
  const sel = o.kind === 'delta' ? `${ymd(o.from ?? o.to)}-${ymd(o.to)}` : ymd(o.to);
  const x = new Xml(1);
  x.open('Aviseringsinformation');
  x.open('Medieleverantor').leaf('OrgNr', '162021005448').leaf('Organisationsnamn', 'Skatteverket').close('Medieleverantor');
  x.open('Mediemottagare').leaf('KundNr', o.kundNr ?? '00099001').leaf('OrgNr', `16${o.recipientOrgNr}`).leaf('Organisationsnamn', o.recipientName.slice(0, 40)).close('Mediemottagare');
  x.open('Filinformation');
  x.leaf('BestallningsId', `${(o.kundNr ?? '00099001').slice(0, 8)}-FO01-0001`);
  x.leaf('Filtyp', 'XML');
  x.leaf('Bestallningstyp', o.kind === 'full' ? 'Grunduttag' : 'Andringsavisering');
  x.leaf('Produkt', 'NAVET');
  x.open('Utfil');
  x.leaf('Filnamn', `NAVET.${o.kind === 'full' ? 'GRUND' : 'AVI'}.${ymd(o.to)}.XML`);
  x.leaf('Effektueringsdatum', ymd(o.to));
  x.leaf('AntalPoster', o.count);
  x.leaf('AntalPosterTotalt', o.count);
  x.leaf('AntalFiler', 1);
  x.leaf('FilNr', 1);
  x.leaf('JobbId', 1000 + o.lopNr);
  x.leaf('LopNr', o.lopNr);
  x.leaf('UtsokningsdatumFromTom', sel);
  x.close('Utfil');
  x.close('Filinformation');
  x.close('Aviseringsinformation');
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<!-- Synthetic Navet ${o.kind === 'full' ? 'extract' : 'notice file'} made by Kansli's demo (core/demo/population-files.ts); no real persons. -->\n<Navetavisering>\n`;
  yield x.toString();
  yield '  <Folkbokforingsposter>\n';
  let n = 0;
  for (const r of records) {
    n++;
    yield navetPostXml(r);
  }
  yield '  </Folkbokforingsposter>\n</Navetavisering>\n';
  if (n !== o.count) throw new Error(`navetFile: AntalPoster says ${o.count} but ${n} records were written`);
}

// ---------------------------------------------------------------------------------------------------------
// Folkeregisteret
// ---------------------------------------------------------------------------------------------------------

/** A register date as xs:dateTime (the readers take the date back as written). */
function stamp(d: string | null): string | null {
  return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00+01:00` : null;
}

type Variant = 'P' | 'H';

function meta(x: Xml, v: Variant, e: { current?: boolean; from?: string | null; to?: string | null }): void {
  if (v === 'P' && e.current !== undefined) x.leaf('erGjeldende', e.current ? 'true' : 'false');
  x.leaf('gyldighetstidspunkt', stamp(e.from ?? null));
  x.leaf('opphoerstidspunkt', stamp(e.to ?? null));
}

function poststed(x: Xml, a: Address): void {
  if (!a.city && !a.postalCode) return;
  x.open('poststed').leaf('poststedsnavn', a.city).leaf('postnummer', a.postalCode).close('poststed');
}

function vegadresse(x: Xml, a: Address, kommune: string): void {
  const s = splitNoStreet(a.lines[a.lines.length - 1] ?? '');
  x.open('vegadresse');
  x.leaf('kommunenummer', a.municipalityCode ?? kommune);
  x.leaf('bruksenhetsnummer', s.unit);
  x.leaf('adressenavn', s.name);
  if (s.number) x.open('adressenummer').leaf('husnummer', s.number).leaf('husbokstav', s.letter).close('adressenummer');
  x.leaf('adressetilleggsnavn', a.lines.length > 1 ? a.lines[0] : null);
  poststed(x, a);
  x.leaf('coAdressenavn', a.careOf);
  x.close('vegadresse');
}

const FREG_STATUS: Record<string, string> = { active: 'bosatt', deceased: 'doed', emigrated: 'utflyttet', deregistered: 'inaktiv', number_replaced: 'opphoert' };
const FREG_FAMILY: Partial<Record<RelationKind, string>> = { mother: 'mor', father: 'far', co_mother: 'medmor', child: 'barn', sibling: 'soesken', spouse: 'ektefelleEllerPartner' };
const FREG_ANSVAR: Record<string, string> = { joint: 'felles', mother: 'mor', father: 'far', co_mother: 'medmor', other: 'andre', unknown: 'ukjent' };

/** Entity writers shared by the person document (variant P) and the event document (variant H). */
const entity = {
  identifikasjonsnummer(x: Xml, v: Variant, i: PopulationRecord['identity'], current: boolean) {
    x.open('identifikasjonsnummer');
    meta(x, v, { current, from: i.validFrom, to: i.validTo });
    x.leaf('status', i.status === 'ceased' ? 'opphoert' : 'iBruk');
    x.leaf('foedselsEllerDNummer', i.canonical);
    x.leaf('identifikatortype', isDNumber(i.canonical) ? 'dNummer' : 'foedselsnummer');
    x.close('identifikasjonsnummer');
  },
  status(x: Xml, v: Variant, s: PopulationRecord['statuses'][number]) {
    x.open('status');
    meta(x, v, { current: s.current, from: s.code === 'deceased' ? null : s.date });
    x.leaf('status', s.registerCode ?? FREG_STATUS[s.code]);
    x.close('status');
  },
  doedsfall(x: Xml, v: Variant, date: string | null) {
    x.open('doedsfall');
    meta(x, v, { current: true });
    x.leaf('doedsdato', date);
    x.close('doedsfall');
  },
  bostedsadresse(x: Xml, v: Variant, a: Address, reg: Registration | undefined, kommune: string) {
    x.open('bostedsadresse');
    meta(x, v, { current: a.current, to: a.validTo });
    vegadresse(x, a, kommune);
    x.leaf('adressegradering', a.grading ?? 'ugradert');
    x.leaf('flyttedato', a.validFrom);
    x.leaf('skolekrets', reg?.district);
    x.close('bostedsadresse');
  },
  deltBosted(x: Xml, v: Variant, d: PopulationRecord['sharedResidences'][number], kommune: string) {
    x.open('deltBosted');
    meta(x, v, { current: d.current });
    if (d.address) vegadresse(x, d.address, kommune);
    else x.open('ukjentBosted').leaf('bostedskommune', d.municipalityCode).close('ukjentBosted');
    x.leaf('startdatoForKontrakt', d.from);
    x.leaf('sluttdatoForKontrakt', d.to);
    x.leaf('adressegradering', d.address?.grading ?? 'ugradert');
    x.close('deltBosted');
  },
  postadresse(x: Xml, v: Variant, a: Address) {
    x.open('postadresse');
    meta(x, v, { current: a.current, from: a.validFrom, to: a.validTo });
    x.leaf('adressegradering', a.grading ?? 'ugradert');
    x.open('postadresseIFrittFormat');
    for (const l of a.lines.slice(0, 4)) x.leaf('adresselinje', l);
    poststed(x, a);
    x.close('postadresseIFrittFormat');
    x.close('postadresse');
  },
  postadresseIUtlandet(x: Xml, v: Variant, a: Address) {
    x.open('postadresseIUtlandet');
    meta(x, v, { current: a.current, from: a.validFrom, to: a.validTo });
    x.leaf('adressegradering', a.grading ?? 'ugradert');
    x.open('utenlandskAdresseIFrittFormat');
    for (const l of a.lines) x.leaf('adresselinje', l);
    x.leaf('postkode', a.postalCode);
    x.leaf('byEllerStedsnavn', a.city);
    x.leaf('landkode', a.country);
    x.close('utenlandskAdresseIFrittFormat');
    x.close('postadresseIUtlandet');
  },
  adressebeskyttelse(x: Xml, v: Variant, p: Protection) {
    x.open('adressebeskyttelse');
    meta(x, v, { current: p.current, from: p.from, to: p.to });
    x.leaf('graderingsnivaa', p.registerCodes[0] ?? 'ugradert');
    x.close('adressebeskyttelse');
  },
  utflytting(x: Xml, v: Variant, s: PopulationRecord['statuses'][number]) {
    x.open('utflytting');
    meta(x, v, { current: true, from: s.date });
    x.leaf('tilflyttingsland', s.country);
    x.close('utflytting');
  },
  foreldreansvar(x: Xml, v: Variant, rel: Relation) {
    x.open('foreldreansvar');
    meta(x, v, { current: rel.current, from: rel.validFrom, to: rel.validTo });
    x.leaf('ansvar', FREG_ANSVAR[rel.custody ?? 'unknown']);
    if (rel.kind === 'custody_of') x.leaf('ansvarssubjekt', rel.other.identity?.canonical);
    else x.leaf('ansvarlig', rel.other.identity?.canonical);
    x.close('foreldreansvar');
  },
  familierelasjon(x: Xml, v: Variant, rel: Relation) {
    x.open('familierelasjon');
    meta(x, v, { current: rel.current, from: rel.validFrom, to: rel.validTo });
    x.leaf('relatertPerson', rel.other.identity?.canonical);
    x.leaf('relatertPersonsRolle', FREG_FAMILY[rel.kind]);
    x.close('familierelasjon');
  },
  navn(x: Xml, v: Variant, n: PersonName) {
    x.open('navn');
    meta(x, v, { current: n.current, from: n.validFrom, to: n.validTo });
    x.leaf('fornavn', n.given).leaf('mellomnavn', n.middle).leaf('etternavn', n.family).leaf('forkortetNavn', n.short);
    x.close('navn');
  },
  kjoenn(x: Xml, v: Variant, sex: 'F' | 'M') {
    x.open('kjoenn');
    meta(x, v, { current: true });
    x.leaf('kjoenn', sex === 'F' ? 'kvinne' : 'mann');
    x.close('kjoenn');
  },
  foedsel(x: Xml, v: Variant, birth: string) {
    x.open('foedsel');
    meta(x, v, { current: true });
    x.leaf('foedselsdato', birth.length === 10 ? birth : null);
    x.leaf('foedselsaar', birth.slice(0, 4));
    x.close('foedsel');
  },
  statsborgerskap(x: Xml, v: Variant, c: PopulationRecord['citizenships'][number]) {
    x.open('statsborgerskap');
    meta(x, v, { current: c.current, to: c.validTo });
    x.leaf('statsborgerskap', c.codeSystem === 'iso3166-alpha3' ? c.country : (ALPHA3[c.country] ?? 'XUK'));
    x.leaf('ervervsdato', c.from);
    x.close('statsborgerskap');
  },
};

/** One folkeregisterperson; `prefix` when written inside the container with a prefixed namespace. */
export function fregPersonXml(r: PopulationRecord, kommune: string, depth = 1, prefix = '', xmlns = false): string {
  const x = new Xml(depth, prefix);
  x.open('folkeregisterperson', xmlns ? ` xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="${PERSON_NS}"` : '');
  entity.identifikasjonsnummer(x, 'P', r.identity, true);
  for (const p of r.previousIdentities) entity.identifikasjonsnummer(x, 'P', p, false);
  for (const s of r.statuses) entity.status(x, 'P', s);
  const dead = r.statuses.find((s) => s.current && s.code === 'deceased');
  if (dead) entity.doedsfall(x, 'P', dead.date);
  for (const rel of r.relations) if (FREG_FAMILY[rel.kind]) entity.familierelasjon(x, 'P', rel);
  for (const a of r.addresses) {
    if (a.kind === 'registered') entity.bostedsadresse(x, 'P', a, r.registrations.find((g) => g.validFrom === a.validFrom), kommune);
  }
  for (const d of r.sharedResidences) entity.deltBosted(x, 'P', d, kommune);
  for (const a of r.addresses) if (a.kind === 'postal') entity.postadresse(x, 'P', a);
  for (const a of r.addresses) if (a.kind === 'foreign') entity.postadresseIUtlandet(x, 'P', a);
  for (const p of r.protection) if (p.level !== 'none' || !p.current) entity.adressebeskyttelse(x, 'P', p);
  const emigrated = r.statuses.find((s) => s.current && s.code === 'emigrated');
  if (emigrated) entity.utflytting(x, 'P', emigrated);
  if (r.sex && r.sexSource === 'register') entity.kjoenn(x, 'P', r.sex);
  for (const c of r.citizenships) entity.statsborgerskap(x, 'P', c);
  for (const rel of r.relations) if (rel.kind === 'custodian' || rel.kind === 'custody_of') entity.foreldreansvar(x, 'P', rel);
  if (r.birthDate) entity.foedsel(x, 'P', r.birthDate);
  for (const n of r.names) entity.navn(x, 'P', n);
  x.close('folkeregisterperson');
  return x.toString();
}

export interface FregPersonsFileOptions {
  created: string;
  kommunenummer: string;
  lastSequence: number;
  count: number;
}

export function* fregPersonsFile(o: FregPersonsFileOptions, records: Iterable<PopulationRecord>): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<!-- Synthetic Folkeregisteret extract made by Kansli's demo (core/demo/population-files.ts); no real persons. -->\n`;
  yield `<k:folkeregisterpersoner xmlns:k="${KANSLI_NS}" xmlns="${PERSON_NS}">\n`;
  yield `  <k:uttrekk>\n    <k:opprettet>${o.created}</k:opprettet>\n    <k:kommunenummer>${o.kommunenummer}</k:kommunenummer>\n    <k:sisteSekvensnummer>${o.lastSequence}</k:sisteSekvensnummer>\n    <k:antall>${o.count}</k:antall>\n  </k:uttrekk>\n`;
  let n = 0;
  for (const r of records) {
    n++;
    yield fregPersonXml(r, o.kommunenummer);
  }
  yield '</k:folkeregisterpersoner>\n';
  if (n !== o.count) throw new Error(`fregPersonsFile: antall says ${o.count} but ${n} persons were written`);
}

/** What one changed entity looks like in an egenskapshendelse (written with the event document's types). */
export interface FregChange {
  /** Entitetsnavn (note `kontaktadresse` for the element postadresse). */
  entitet: string;
  change: 'registrereNy' | 'korrigere' | 'annullere' | 'korrigereHistorisk';
  /** Writes the entity element (variant H), or nothing for an annulment. */
  write?: (x: Xml) => void;
}

export interface FregEventEntry {
  sequence: number;
  documentId: string;
  type: string;
  recordedAt: string;
  subject: string;
  changes: FregChange[];
  /** The person document after the event, already serialised (later changes must not show in it). */
  personXml: string | null;
}

export function* fregEventsFile(o: { created: string; kommunenummer: string; from: number; to: number }, entries: readonly FregEventEntry[]): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<!-- Synthetic Folkeregisteret event feed made by Kansli's demo (core/demo/population-files.ts); no real persons. -->\n`;
  yield `<k:folkeregisterhendelser xmlns:k="${KANSLI_NS}" xmlns:h="${EVENT_NS}" xmlns:p="${PERSON_NS}">\n`;
  yield `  <k:uttrekk>\n    <k:opprettet>${o.created}</k:opprettet>\n    <k:kommunenummer>${o.kommunenummer}</k:kommunenummer>\n    <k:fraSekvensnummer>${o.from}</k:fraSekvensnummer>\n    <k:tilSekvensnummer>${o.to}</k:tilSekvensnummer>\n    <k:antall>${entries.length}</k:antall>\n  </k:uttrekk>\n`;
  for (const e of entries) {
    const x = new Xml(1, 'k:');
    x.open('hendelse').leaf('sekvensnummer', e.sequence);
    x.withPrefix('h:', () => {
      x.open('dokumentForHendelse').leaf('dokumentidentifikator', e.documentId).leaf('skjemaversjon', '1.4');
      x.open('hendelse').leaf('folkeregisteridentifikator', e.subject).leaf('hendelsestype', e.type).leaf('ajourholdstidspunkt', e.recordedAt);
      for (const c of e.changes) {
        x.open('egenskapshendelse');
        c.write?.(x);
        x.leaf('entitet', c.entitet).leaf('entitetsendring', c.change);
        x.close('egenskapshendelse');
      }
      x.close('hendelse').close('dokumentForHendelse');
    });
    yield x.toString();
    if (e.personXml) yield e.personXml;
    yield '  </k:hendelse>\n';
  }
  yield '</k:folkeregisterhendelser>\n';
}

// ---------------------------------------------------------------------------------------------------------
// From a demo database
// ---------------------------------------------------------------------------------------------------------

interface PersonRow {
  id: string;
  id_canonical: string;
  id_country: string;
  birth_date: string;
  sex: 'F' | 'M' | 'X' | null;
  status: 'active' | 'emigrated' | 'deceased';
  given_name: string;
  middle_name: string | null;
  family_name: string;
  preferred_name: string | null;
  nationality: string | null;
  protection: ProtectionLevel;
}

interface AddressRow {
  kind: 'registered' | 'postal' | 'temporary';
  care_of: string | null;
  street: string;
  postal_code: string;
  city: string;
  country: string;
  valid_from: string;
  valid_to: string | null;
}

interface GuardianRow {
  kind: string;
  valid_from: string;
  valid_to: string | null;
  id_canonical: string | null;
  sex: string | null;
}

export interface DemoRegister {
  country: Country;
  municipality: { name: string; code: string; orgNumber: string };
  today: string;
  /** Persons the register knows (those with an identity number). */
  count: number;
  /** Streams the records, a page of persons at a time. */
  records(): Generator<PopulationRecord>;
  /** The record of one person (by the database id), or null when the person has no identity number. */
  recordOf(personId: string): PopulationRecord | null;
}

const CUSTODY_OF_KIND: Record<string, Relation['custody']> = {
  foreldreansvar_felles: 'joint',
  foreldreansvar_mor: 'mother',
  foreldreansvar_far: 'father',
  foreldreansvar_medmor: 'co_mother',
  foreldreansvar_andre: 'other',
};

/** Reads a demo database as the population register would describe its persons. */
export function demoRegister(db: Database.Database, opts: { today?: string } = {}): DemoRegister {
  const today = opts.today ?? localToday();
  const muni = db.prepare(`SELECT name, country, code, org_number AS orgNumber FROM municipality LIMIT 1`).get() as
    | { name: string; country: Country; code: string; orgNumber: string }
    | undefined;
  if (!muni) throw new Error('The database holds no municipality (seed a demo first)');
  const country = muni.country;
  const cols = `id, id_canonical, id_country, birth_date, sex, status, given_name, middle_name, family_name, preferred_name, nationality, protection`;
  const S = {
    count: db.prepare(`SELECT count(*) AS n FROM person WHERE id_canonical IS NOT NULL AND deleted_at IS NULL`),
    page: db.prepare(`SELECT rowid AS rid, ${cols} FROM person WHERE id_canonical IS NOT NULL AND deleted_at IS NULL AND rowid > ? ORDER BY rowid LIMIT 500`),
    one: db.prepare(`SELECT ${cols} FROM person WHERE id = ? AND id_canonical IS NOT NULL AND deleted_at IS NULL`),
    addresses: db.prepare(`SELECT kind, care_of, street, postal_code, city, country, valid_from, valid_to FROM person_address WHERE person_id = ? ORDER BY valid_from, rowid`),
    guardians: db.prepare(
      `SELECT g.kind, g.valid_from, g.valid_to, p.id_canonical, p.sex FROM guardianship g JOIN person p ON p.id = g.guardian_id
       WHERE g.child_id = ? AND g.deleted_at IS NULL ORDER BY g.rowid`,
    ),
    children: db.prepare(
      `SELECT g.kind, g.valid_from, g.valid_to, p.id_canonical, p.sex FROM guardianship g JOIN person p ON p.id = g.child_id
       WHERE g.guardian_id = ? AND g.deleted_at IS NULL ORDER BY g.rowid`,
    ),
    shared: db.prepare(
      `SELECT m.valid_from, m.valid_to, a.street, a.postal_code, a.city FROM household_member m
       JOIN household_member o ON o.household_id = m.household_id AND o.role = 'adult' AND o.deleted_at IS NULL
       JOIN person_address a ON a.person_id = o.person_id AND a.kind = 'registered' AND a.valid_to IS NULL
       WHERE m.person_id = ? AND m.shared = 1 AND m.deleted_at IS NULL AND m.valid_to IS NULL
       ORDER BY m.valid_from, o.rowid`,
    ),
  };

  const build = (p: PersonRow): PopulationRecord => {
    const id = ident(p.id_canonical, country, today);
    const r = emptyRecord(country === 'SE' ? 'navet' : 'freg', id);
    const coordination = id.kind === 'se_samordningsnummer' || (country === 'NO' && isDNumber(id.canonical));
    r.birthDate = p.birth_date;
    if (country === 'SE') {
      const parsed = parseIdentityNumber(id.canonical, { country, today });
      r.sex = parsed.ok ? parsed.sex : null;
      r.sexSource = r.sex ? 'identity_number' : null;
    } else {
      r.sex = p.sex === 'F' || p.sex === 'M' ? p.sex : null;
      r.sexSource = r.sex ? 'register' : null;
    }
    const preferred = country === 'SE' && p.preferred_name ? p.preferred_name : null;
    const marker = preferred ? tilltalsnamnMarker(p.given_name, preferred) : null;
    r.names = [{ given: p.given_name, middle: p.middle_name, family: p.family_name, preferred: marker ? preferred : null, preferredMarker: marker, short: null, validFrom: null, validTo: null, current: true }];
    const statusCode = p.status === 'deceased' ? 'deceased' : p.status === 'emigrated' ? 'emigrated' : 'active';
    r.statuses = [
      country === 'SE'
        ? { code: statusCode, registerCode: statusCode === 'deceased' ? 'AV' : statusCode === 'emigrated' ? 'UV' : null, date: null, country: null, current: true }
        : { code: statusCode, registerCode: coordination && statusCode === 'active' ? 'aktiv' : FREG_STATUS[statusCode]!, date: null, country: null, current: true },
    ];
    r.protection = [protectionEntry(p.protection, null)];
    const hidden = p.protection === 'se_skyddad_folkbokforing' || p.protection === 'no_strengt_fortrolig';
    const rows = (S.addresses.all(p.id) as AddressRow[]).filter((a) => a.valid_to === null);
    const reg = rows.find((a) => a.kind === 'registered');
    if (country === 'SE' && !coordination && p.status === 'active') {
      r.registrations = [
        {
          municipalityCode: muni.code,
          countyCode: country === 'SE' ? muni.code.slice(0, 2) : null,
          district: null,
          registerType: null,
          property: null,
          validFrom: hidden ? null : (reg?.valid_from ?? null),
          validTo: null,
          current: true,
        },
      ];
    }
    if (!hidden) {
      for (const a of rows) {
        // A person with samordningsnummer / D-nummer is not registered as resident: the address is a postal one.
        const kind: Address['kind'] = coordination || a.kind === 'postal' ? 'postal' : a.kind;
        if (country === 'SE' && kind === 'temporary') continue; // Navet has no temporary address
        const out = blankAddress(kind, country);
        if (country === 'SE') {
          out.careOf = a.care_of ? seUpper(a.care_of) : null;
          withLines(out, [seUpper(a.street)]);
          out.city = seUpper(a.city);
          out.postalCode = a.postal_code;
          out.validFrom = kind === 'registered' ? a.valid_from : null;
        } else {
          out.careOf = a.care_of;
          withLines(out, [noStreet(a.street)]);
          out.city = a.city.toLocaleUpperCase('nb-NO');
          out.postalCode = a.postal_code;
          out.municipalityCode = kind === 'registered' ? muni.code : null;
          out.grading = GRADE_OF[p.protection] ?? 'ugradert';
          out.validFrom = kind === 'postal' ? null : a.valid_from;
        }
        r.addresses.push(out);
      }
    }
    // Folkeregisteret states the bostedskommune only through the registered address (bostedsadresse).
    if (country === 'NO') r.registrations = r.addresses.filter((a) => a.kind === 'registered').map(registrationOf);
    const nationality = p.nationality ?? country;
    r.citizenships = [
      country === 'SE'
        ? { country: nationality, codeSystem: 'iso3166-alpha2', from: null, validTo: null, current: true }
        : { country: ALPHA3[nationality] ?? 'XUK', codeSystem: 'iso3166-alpha3', from: null, validTo: null, current: true },
    ];
    // Custody and parenthood. The demo records guardianships; parenthood follows the guardian's sex (the demo's
    // guardians are the parents). A second mother is a co-mother (medmor) in Norway, a parent (F) in Sweden.
    const guardians = (S.guardians.all(p.id) as GuardianRow[]).filter((g) => g.id_canonical);
    const parents: Relation[] = [];
    let mothers = 0;
    for (const g of guardians) {
      const other = ident(g.id_canonical!, country, today);
      const ended = g.valid_to !== null && g.valid_to < today;
      if (country === 'SE') r.relations.push(relation('custodian', 'V', other, { validFrom: g.valid_from, validTo: g.valid_to, current: !ended }));
      else r.relations.push(relation('custodian', `foreldreansvar:${FREG_ANSVAR[CUSTODY_OF_KIND[g.kind] ?? 'unknown']}`, other, { custody: CUSTODY_OF_KIND[g.kind] ?? 'unknown', validFrom: g.valid_from, validTo: g.valid_to, current: !ended }));
      const female = g.sex === 'F';
      const kind: RelationKind = female ? (mothers++ === 0 ? 'mother' : country === 'SE' ? 'parent' : 'co_mother') : 'father';
      parents.push(relation(kind, country === 'SE' ? NAVET_RELATION[kind]! : `familierelasjon:${FREG_FAMILY[kind]}`, other));
    }
    const kids = (S.children.all(p.id) as GuardianRow[]).filter((g) => g.id_canonical);
    for (const c of kids) {
      const other = ident(c.id_canonical!, country, today);
      const ended = c.valid_to !== null && c.valid_to < today;
      if (country === 'SE') r.relations.push(relation('custody_of', 'VF', other, { validFrom: c.valid_from, validTo: c.valid_to, current: !ended }));
      else r.relations.push(relation('custody_of', `foreldreansvar:${FREG_ANSVAR[CUSTODY_OF_KIND[c.kind] ?? 'unknown']}`, other, { custody: CUSTODY_OF_KIND[c.kind] ?? 'unknown', validFrom: c.valid_from, validTo: c.valid_to, current: !ended }));
    }
    r.relations.push(...parents);
    for (const c of kids) r.relations.push(relation('child', country === 'SE' ? 'B' : 'familierelasjon:barn', ident(c.id_canonical!, country, today)));
    // Delt bosted (Norway): the child's second home is the household it shares whose adults live elsewhere.
    if (country === 'NO' && reg && !hidden) {
      const seen = new Set<string>();
      for (const h of S.shared.all(p.id) as Array<{ valid_from: string; valid_to: string | null; street: string; postal_code: string; city: string }>) {
        if (h.street === reg.street || seen.has(h.street)) continue;
        seen.add(h.street);
        const a = withLines(blankAddress('registered', 'NO'), [noStreet(h.street)]);
        a.postalCode = h.postal_code;
        a.city = h.city.toLocaleUpperCase('nb-NO');
        a.municipalityCode = muni.code;
        a.grading = GRADE_OF[p.protection] ?? 'ugradert';
        a.validFrom = h.valid_from;
        r.sharedResidences.push({ address: a, municipalityCode: muni.code, from: h.valid_from, to: null, current: true });
      }
    }
    return normaliseOrder(r);
  };

  return {
    country,
    municipality: { name: muni.name, code: muni.code, orgNumber: muni.orgNumber },
    today,
    count: (S.count.get() as { n: number }).n,
    *records() {
      // Pages by rowid: better-sqlite3 allows no other statement while an iterator is open.
      let after = 0;
      for (;;) {
        const page = S.page.all(after) as Array<PersonRow & { rid: number }>;
        if (!page.length) return;
        for (const p of page) yield build(p);
        after = page[page.length - 1]!.rid;
      }
    },
    recordOf(personId: string) {
      const p = S.one.get(personId) as PersonRow | undefined;
      return p ? build(p) : null;
    },
  };
}
