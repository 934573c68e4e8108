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
 * - `navetFile`, `fregPersonsFile`, `fregEventsFile` serialise IdentifiedRecords (core/imports/model.ts) as
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
  type IdentifiedRecord,
  type Protection,
  type Registration,
  type Relation,
  type RelationKind,
} from '../imports/model';
import { tilltalsnamnMarker } from '../imports/navet';
import { localToday } from '../imports/xml';
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

/** ISO alpha-2 → alpha-3 for the countries the demo uses (Folkeregisteret's statsborgerskap is alpha-3). */
const ALPHA3: Record<string, string> = {
  SE: 'SWE', NO: 'NOR', FI: 'FIN', DK: 'DNK', IS: 'ISL', PL: 'POL', SO: 'SOM', SY: 'SYR', IQ: 'IRQ', AF: 'AFG', ER: 'ERI', PK: 'PAK',
  DE: 'DEU', GB: 'GBR', US: 'USA', TR: 'TUR', IR: 'IRN', ET: 'ETH', LT: 'LTU', UA: 'UKR', VN: 'VNM', IN: 'IND', TH: 'THA', PH: 'PHL',
};

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

function emptyRecord(format: 'navet' | 'freg', id: IdentityRef): IdentifiedRecord {
  return {
    format,
    source: { line: 0, column: 0, index: 0 },
    completeness: 'complete',
    partialMode: null,
    parts: [...ALL_PARTS],
    identity: { ...id, status: 'in_use', validFrom: null, validTo: null },
    reserveNumber: null,
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
    contacts: [],
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
    other: { identity: { canonical: other.canonical, kind: other.kind, country: other.country }, birthDate: null, name: null, organisationNumber: null, deregistration: null },
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

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Orders a record's lists the way the readers return them, so that written and read records compare equal. */
export function normaliseOrder(r: IdentifiedRecord): IdentifiedRecord {
  const byCurrency = <T extends { current: boolean }>(xs: T[], from: (t: T) => string | null) =>
    [...xs].sort((a, b) => Number(b.current) - Number(a.current) || cmp(from(b) ?? '', from(a) ?? ''));
  if (r.format === 'navet') {
    // navet.ts returns the current registration, then Historik's oldest first; addresses in Adresser's order,
    // then Historik's earlier registered address.
    r.registrations = [...r.registrations.filter((g) => g.current), ...r.registrations.filter((g) => !g.current).sort((a, b) => cmp(a.validFrom ?? '', b.validFrom ?? ''))];
    const rank = (a: Address) => (a.kind === 'registered' ? (a.current ? 0 : 3) : a.kind === 'postal' ? 1 : 2);
    r.addresses = [...r.addresses].sort((a, b) => rank(a) - rank(b));
  }
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
export function navetPostXml(r: IdentifiedRecord, depth = 2): string {
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
export function* navetFile(o: NavetFileOptions, records: Iterable<IdentifiedRecord>): Generator<string> {
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
  identifikasjonsnummer(x: Xml, v: Variant, i: IdentifiedRecord['identity'], current: boolean) {
    x.open('identifikasjonsnummer');
    meta(x, v, { current, from: i.validFrom, to: i.validTo });
    x.leaf('status', i.status === 'ceased' ? 'opphoert' : 'iBruk');
    x.leaf('foedselsEllerDNummer', i.canonical);
    x.leaf('identifikatortype', isDNumber(i.canonical) ? 'dNummer' : 'foedselsnummer');
    x.close('identifikasjonsnummer');
  },
  status(x: Xml, v: Variant, s: IdentifiedRecord['statuses'][number]) {
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
  deltBosted(x: Xml, v: Variant, d: IdentifiedRecord['sharedResidences'][number], kommune: string) {
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
  utflytting(x: Xml, v: Variant, s: IdentifiedRecord['statuses'][number]) {
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
  statsborgerskap(x: Xml, v: Variant, c: IdentifiedRecord['citizenships'][number]) {
    x.open('statsborgerskap');
    meta(x, v, { current: c.current, to: c.validTo });
    x.leaf('statsborgerskap', c.codeSystem === 'iso3166-alpha3' ? c.country : (ALPHA3[c.country] ?? 'XUK'));
    x.leaf('ervervsdato', c.from);
    x.close('statsborgerskap');
  },
};

/** One folkeregisterperson; `prefix` when written inside the container with a prefixed namespace. */
export function fregPersonXml(r: IdentifiedRecord, kommune: string, depth = 1, prefix = '', xmlns = false): string {
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

export function* fregPersonsFile(o: FregPersonsFileOptions, records: Iterable<IdentifiedRecord>): Generator<string> {
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
  /** The entity element (variant H) rendered when the change was made; absent for an annulment. */
  xml?: string;
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
  /** The same person as a record, copied at the time of the event (what a reader should return for the entry). */
  record: IdentifiedRecord | null;
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
        if (c.xml) x.raw(c.xml);
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
  records(): Generator<IdentifiedRecord>;
  /** The record of one person (by the database id), or null when the person has no identity number. */
  recordOf(personId: string): IdentifiedRecord | null;
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

  const build = (p: PersonRow): IdentifiedRecord => {
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

// ---------------------------------------------------------------------------------------------------------
// A realistic delta on top of a demo database
// ---------------------------------------------------------------------------------------------------------

export type ChangeKind =
  | 'move_within'
  | 'move_out'
  | 'emigrated'
  | 'deceased'
  | 'protection_added'
  | 'protection_lifted'
  | 'custody_changed'
  | 'name_changed'
  | 'number_replaced'
  | 'born'
  | 'moved_in';

export interface DemoChange {
  change: ChangeKind;
  /** The person the change is about (the new number after a number change). */
  subject: string;
  /** Every person whose record the change touched (family members moving along, the other guardian …). */
  persons: string[];
  date: string;
  /** The number replaced, for number_replaced. */
  previous?: string;
}

export interface DemoDelta {
  country: Country;
  changes: DemoChange[];
  /** Sweden: the changed persons' complete posts (totalpost), one per person, for navetFile. */
  records: IdentifiedRecord[];
  /** Norway: one feed entry per changed person and change, in feed order, for fregEventsFile. */
  events: FregEventEntry[];
  /** The period the notices cover (Navet UtsokningsdatumFromTom) / the feed range (Freg). */
  from: string;
  to: string;
  firstSequence: number;
  lastSequence: number;
}

const ARENDETYP: Record<ChangeKind, string> = {
  move_within: 'Flyttning inom kommunen',
  move_out: 'Flyttning till annan kommun',
  emigrated: 'Utvandring',
  deceased: 'Dödsfall',
  protection_added: 'Sekretessmarkering',
  protection_lifted: 'Sekretessmarkering upphävd',
  custody_changed: 'Vårdnad',
  name_changed: 'Namnändring',
  number_replaced: 'Nytt personnummer',
  born: 'Födelse',
  moved_in: 'Inflyttning',
};

const HENDELSESTYPE: Record<ChangeKind, string> = {
  move_within: 'endringIBostedsadresse',
  move_out: 'endringIBostedsadresse',
  emigrated: 'personErUtflyttet',
  deceased: 'personErDoed',
  protection_added: 'endringIAdressebeskyttelse',
  protection_lifted: 'endringIAdressebeskyttelse',
  custody_changed: 'endringIForeldreansvar',
  name_changed: 'endringINavn',
  number_replaced: 'endringIIdentifikasjonsnummer',
  born: 'personErOpprettet',
  moved_in: 'endringIBostedsadresse',
};

/** The municipality people move to (and movers-in come from): a real code, Stockholm / Oslo. */
const ELSEWHERE = {
  SE: { code: '0180', street: 'HORNSGATAN 44', postal: '118 20', city: 'STOCKHOLM' },
  NO: { code: '0301', street: 'Thereses gate 14', postal: '0452', city: 'OSLO' },
} as const;

/** Unique new identity numbers next to those already in use. */
class NumberMaker {
  private readonly used = new Set<string>();
  constructor(
    private readonly country: Country,
    existing: Iterable<string>,
  ) {
    for (const c of existing) this.used.add(c);
  }
  make(birthDate: string, sex: 'F' | 'M', opts: { coordination?: boolean } = {}): string {
    const year = Number(birthDate.slice(0, 4));
    for (let i = 0; i < 2000; i++) {
      let c: string | null;
      if (this.country === 'SE') {
        const serial = 2 + ((i * 2) % 996) + (sex === 'M' ? 1 : 0);
        c = makeSwedishPersonnummer(birthDate, serial, { samordning: opts.coordination });
      } else {
        const base = year >= 2000 ? 500 : 0;
        const individ = base + ((i * 2) % 498) + (sex === 'M' ? 1 : 0);
        c = makeNorwegianFodselsnummer(birthDate, individ, { synthetic: true, dNumber: opts.coordination });
      }
      if (c && !this.used.has(c)) {
        this.used.add(c);
        return c;
      }
    }
    throw new Error(`No free identity number for ${birthDate}`);
  }
}

/**
 * Changes on top of the demo database, as the register would notify them: each kind of change once (a move
 * within the municipality and one out of it take whole families along; a custody change touches the child and
 * both guardians; a number change also the relations that name the old number). Deterministic for a seed.
 */
export function demoDelta(db: Database.Database, opts: { today?: string; seed?: number; firstSequence?: number } = {}): DemoDelta {
  const reg = demoRegister(db, opts);
  const { country, today } = reg;
  const L = country === 'SE' ? SE : NO;
  const rnd = mulberry32(opts.seed ?? 20261203);
  const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[Math.floor(rnd() * xs.length)] : undefined);
  const numbers = new NumberMaker(country, (db.prepare(`SELECT id_canonical AS c FROM person WHERE id_canonical IS NOT NULL`).all() as { c: string }[]).map((r) => r.c));
  const from = addDays(today, -7);
  const records = new Map<string, IdentifiedRecord>(); // by database id or a new person's number
  const touched: string[] = []; // insertion order of changed records (keys of `records`)
  const changes: DemoChange[] = [];
  const events: FregEventEntry[] = [];
  const firstSequence = opts.firstSequence ?? 1_000_001;
  let sequence = firstSequence - 1;
  const used = new Set<string>();
  const kommune = reg.municipality.code;

  const get = (personId: string): IdentifiedRecord | null => {
    if (records.has(personId)) return records.get(personId)!;
    const r = reg.recordOf(personId);
    if (r) records.set(personId, r);
    return r;
  };
  const touch = (key: string) => {
    if (!touched.includes(key)) touched.push(key);
  };
  const ids = (sql: string, ...args: unknown[]) => (db.prepare(sql).all(...args) as { id: string }[]).map((r) => r.id).filter((id) => !used.has(id));
  const take = (id: string | undefined): string | undefined => {
    if (id) used.add(id);
    return id;
  };
  const dayOf = (n: number) => addDays(today, -n);

  /** A feed entry for one person after a change, with the changed entities (Norway). */
  const notify = (kind: ChangeKind, r: IdentifiedRecord, date: string, entities: FregChange[]) => {
    if (country !== 'NO') return;
    sequence += 1 + Math.floor(rnd() * 3); // the feed is shared by the whole country: other municipalities' events fall between
    events.push({
      sequence,
      documentId: Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16)).join(''),
      type: HENDELSESTYPE[kind],
      recordedAt: `${date}T09:30:00+01:00`,
      subject: r.identity.canonical,
      changes: entities,
      personXml: fregPersonXml(normaliseOrder(r), kommune, 2, 'p:'),
      record: structuredClone(r),
    });
  };
  const h = (f: (x: Xml) => void): string => {
    const x = new Xml(5, 'h:');
    f(x);
    return x.toString();
  };
  const record = (kind: ChangeKind, subject: IdentifiedRecord, persons: IdentifiedRecord[], date: string, previous?: string) =>
    changes.push({ change: kind, subject: subject.identity.canonical, persons: persons.map((p) => p.identity.canonical), date, ...(previous ? { previous } : {}) });

  const registered = (r: IdentifiedRecord) => r.addresses.find((a) => a.kind === 'registered' && a.current);

  /** Moves a person to a new registered address from `date`, in this municipality or another. */
  const move = (r: IdentifiedRecord, street: string, postal: string, city: string, municipality: string, date: string) => {
    const old = registered(r);
    const a = withLines(blankAddress('registered', country), [street]);
    a.postalCode = postal;
    a.city = city;
    a.validFrom = date;
    if (country === 'SE') {
      for (const g of r.registrations) {
        if (g.current) {
          g.current = false;
          g.validTo = addDays(date, -1);
        }
      }
      r.registrations = [
        { municipalityCode: municipality, countyCode: municipality.slice(0, 2), district: null, registerType: null, property: null, validFrom: date, validTo: null, current: true },
        // Navet's Historik keeps earlier registrations; the reader returns them oldest first after the current one.
        ...r.registrations.filter((g) => !g.current).sort((x, y) => cmp(x.validFrom ?? '', y.validFrom ?? '')),
      ];
      r.addresses = r.addresses.filter((x) => x.kind !== 'registered' || x.current);
      if (old) {
        old.current = false;
        old.validFrom = null;
        old.validTo = addDays(date, -1);
      }
      r.addresses = [a, ...r.addresses.filter((x) => x !== a)];
    } else {
      a.municipalityCode = municipality;
      a.grading = old?.grading ?? 'ugradert';
      if (old) {
        old.current = false;
        old.validTo = date;
      }
      r.addresses.push(a);
      r.registrations = r.addresses.filter((x) => x.kind === 'registered').map(registrationOf);
    }
    normaliseOrder(r);
  };
  const bostedXml = (r: IdentifiedRecord) => {
    const a = registered(r);
    return a ? h((x) => entity.bostedsadresse(x, 'H', { ...a, current: true }, undefined, kommune)) : undefined;
  };

  /** A guardian and the children registered at the same address. */
  const family = (guardianId: string): IdentifiedRecord[] => {
    const g = get(guardianId);
    if (!g) return [];
    const street = registered(g)?.street;
    const kids = (db.prepare(`SELECT child_id AS id FROM guardianship WHERE guardian_id = ? AND deleted_at IS NULL`).all(guardianId) as { id: string }[]).map((x) => x.id);
    const others = kids.flatMap((k) => (db.prepare(`SELECT guardian_id AS id FROM guardianship WHERE child_id = ? AND deleted_at IS NULL`).all(k) as { id: string }[]).map((x) => x.id));
    const members = [guardianId, ...new Set([...kids, ...others].filter((x) => x !== guardianId))];
    const out: IdentifiedRecord[] = [];
    for (const id of members) {
      const r = get(id);
      if (r && registered(r)?.street === street) {
        used.add(id);
        out.push(r);
        touch(id);
      }
    }
    return out;
  };
  const guardianSql = `SELECT id FROM person WHERE is_guardian = 1 AND protection = 'none' AND id_canonical IS NOT NULL AND deleted_at IS NULL
    AND id_kind NOT IN ('se_samordningsnummer') ORDER BY id_canonical LIMIT 400`;

  // 1. A family moves within the municipality.
  {
    const gid = pick(ids(guardianSql));
    const fam = gid ? family(gid) : [];
    const date = dayOf(6);
    const street = country === 'SE' ? `${seUpper(pick(L.streets)!)} ${10 + Math.floor(rnd() * 80)}` : `${pick(L.streets)} ${10 + Math.floor(rnd() * 80)}`;
    const postal = L.postal(Math.floor(rnd() * 800));
    for (const r of fam) {
      move(r, street, postal, seUpperOrNo(country, L.city), kommune, date);
      notify('move_within', r, date, [{ entitet: 'bostedsadresse', change: 'registrereNy', xml: bostedXml(r) }]);
    }
    if (fam[0]) record('move_within', fam[0], fam, date);
  }
  // 2. A family moves out of the municipality.
  {
    const gid = pick(ids(guardianSql));
    const fam = gid ? family(gid) : [];
    const date = dayOf(5);
    const e = ELSEWHERE[country];
    for (const r of fam) {
      move(r, e.street, e.postal, e.city, e.code, date);
      notify('move_out', r, date, [{ entitet: 'bostedsadresse', change: 'registrereNy', xml: bostedXml(r) }]);
    }
    if (fam[0]) record('move_out', fam[0], fam, date);
  }
  const adultSql = `SELECT id FROM person WHERE is_staff = 1 AND is_guardian = 0 AND protection = 'none' AND id_canonical IS NOT NULL AND deleted_at IS NULL
    AND id_kind NOT IN ('se_samordningsnummer') ORDER BY id_canonical LIMIT 400`;
  // 3. An adult emigrates.
  {
    const id = take(pick(ids(adultSql)));
    const r = id ? get(id) : null;
    if (r && id) {
      const date = dayOf(4);
      touch(id);
      const old = registered(r);
      const foreign = blankAddress('foreign', null);
      if (country === 'SE') {
        r.statuses = [{ code: 'emigrated', registerCode: 'UV', date, country: null, current: true }];
        // No longer folkbokförd: the registration and address move to Historik, which states no end date.
        for (const g of r.registrations) g.current = false;
        if (old) Object.assign(old, { current: false, validFrom: null, validTo: null });
        withLines(foreign, ['STORGATA 5', '0155 OSLO']);
        foreign.countryName = 'NORGE';
        foreign.validFrom = date;
      } else {
        for (const s of r.statuses) s.current = false;
        r.statuses.unshift({ code: 'emigrated', registerCode: 'utflyttet', date, country: 'SWE', current: true });
        if (old) Object.assign(old, { current: false, validTo: date });
        r.registrations = r.addresses.filter((x) => x.kind === 'registered').map(registrationOf);
        withLines(foreign, ['Kungsgatan 5']);
        foreign.country = 'SE';
        foreign.postalCode = '411 19';
        foreign.city = 'Göteborg';
        foreign.grading = 'ugradert';
        foreign.validFrom = date;
      }
      r.addresses.push(foreign);
      normaliseOrder(r);
      const cur = r.statuses[0]!;
      notify('emigrated', r, date, [
        { entitet: 'status', change: 'registrereNy', xml: h((x) => entity.status(x, 'H', cur)) },
        { entitet: 'utflytting', change: 'registrereNy', xml: h((x) => entity.utflytting(x, 'H', cur)) },
        { entitet: 'kontaktadresseIUtlandet', change: 'registrereNy', xml: h((x) => entity.postadresseIUtlandet(x, 'H', foreign)) },
      ]);
      record('emigrated', r, [r], date);
    }
  }
  // 4. An adult dies.
  {
    const id = take(pick(ids(adultSql)));
    const r = id ? get(id) : null;
    if (r && id) {
      const date = dayOf(4);
      touch(id);
      if (country === 'SE') {
        r.statuses = [{ code: 'deceased', registerCode: 'AV', date, country: null, current: true }];
        for (const g of r.registrations) g.current = false;
        const old = registered(r);
        if (old) Object.assign(old, { current: false, validFrom: null, validTo: null });
      } else {
        for (const s of r.statuses) s.current = false;
        r.statuses.unshift({ code: 'deceased', registerCode: 'doed', date, country: null, current: true });
      }
      normaliseOrder(r);
      const cur = r.statuses[0]!;
      notify('deceased', r, date, [
        { entitet: 'status', change: 'registrereNy', xml: h((x) => entity.status(x, 'H', cur)) },
        { entitet: 'doedsfall', change: 'registrereNy', xml: h((x) => entity.doedsfall(x, 'H', date)) },
      ]);
      record('deceased', r, [r], date);
    }
  }
  // 5. A family gets a protected identity (sekretessmarkering / fortrolig adresse).
  {
    const gid = pick(ids(guardianSql));
    const fam = gid ? family(gid) : [];
    const date = dayOf(3);
    const level: ProtectionLevel = country === 'SE' ? 'se_sekretessmarkering' : 'no_fortrolig';
    for (const r of fam) {
      r.protection = [protectionEntry(level, country === 'NO' ? date : null)];
      if (country === 'NO') {
        for (const a of r.addresses) a.grading = 'fortrolig';
        for (const d of r.sharedResidences) if (d.address) d.address.grading = 'fortrolig';
      }
      notify('protection_added', r, date, [{ entitet: 'adressebeskyttelse', change: 'registrereNy', xml: h((x) => entity.adressebeskyttelse(x, 'H', r.protection[0]!)) }]);
    }
    if (fam[0]) record('protection_added', fam[0], fam, date);
  }
  // 6. A protection is lifted (a sekretessmarkering / fortrolig adresse, where the address was delivered all along).
  {
    const level = country === 'SE' ? 'se_sekretessmarkering' : 'no_fortrolig';
    const id = take(pick(ids(`SELECT id FROM person WHERE protection = ? AND id_canonical IS NOT NULL AND deleted_at IS NULL ORDER BY id_canonical LIMIT 400`, level)));
    const r = id ? get(id) : null;
    if (r && id) {
      const date = dayOf(3);
      touch(id);
      if (country === 'SE') r.protection = [protectionEntry('none', null)];
      else {
        const old = r.protection.find((p) => p.current)!;
        Object.assign(old, { current: false, to: date });
        r.protection = [protectionEntry('none', null), old];
        for (const a of r.addresses) a.grading = 'ugradert';
        for (const d of r.sharedResidences) if (d.address) d.address.grading = 'ugradert';
      }
      notify('protection_lifted', r, date, [
        { entitet: 'adressebeskyttelse', change: 'registrereNy', xml: h((x) => entity.adressebeskyttelse(x, 'H', { level: 'none', registerCodes: ['ugradert'], from: date, to: null, current: true })) },
      ]);
      record('protection_lifted', r, [r], date);
    }
  }
  // 7. Custody: one of a child's two guardians no longer has it (a court decision).
  {
    const childId = take(
      pick(
        ids(`SELECT g.child_id AS id FROM guardianship g JOIN person c ON c.id = g.child_id WHERE c.id_canonical IS NOT NULL AND c.protection = 'none'
             AND g.deleted_at IS NULL GROUP BY g.child_id HAVING count(*) = 2 ORDER BY c.id_canonical LIMIT 400`),
      ),
    );
    const child = childId ? get(childId) : null;
    if (child && childId) {
      const date = dayOf(2);
      const gIds = (db.prepare(`SELECT guardian_id AS id FROM guardianship WHERE child_id = ? AND deleted_at IS NULL ORDER BY rowid`).all(childId) as { id: string }[]).map((x) => x.id);
      const [keep, lose] = gIds.map((g) => get(g)!);
      touch(childId);
      gIds.forEach((g) => {
        used.add(g);
        touch(g);
      });
      const end = (rel: Relation) => Object.assign(rel, { validTo: date, current: false, ...(country === 'SE' ? { registerStatus: 'AS' } : {}) });
      const custodyOf = (r: IdentifiedRecord, kind: RelationKind, other: string) => r.relations.find((x) => x.kind === kind && x.other.identity?.canonical === other && x.current);
      end(custodyOf(child, 'custodian', lose!.identity.canonical)!);
      end(custodyOf(lose!, 'custody_of', child.identity.canonical)!);
      if (country === 'NO') {
        // Felles foreldreansvar ends for both; the remaining parent holds it alone from the same day.
        const alone = keep!.sex === 'F' ? 'mother' : 'father';
        end(custodyOf(child, 'custodian', keep!.identity.canonical)!);
        end(custodyOf(keep!, 'custody_of', child.identity.canonical)!);
        child.relations.unshift(relation('custodian', `foreldreansvar:${FREG_ANSVAR[alone]}`, keep!.identity, { custody: alone, validFrom: date }));
        keep!.relations.unshift(relation('custody_of', `foreldreansvar:${FREG_ANSVAR[alone]}`, child.identity, { custody: alone, validFrom: date }));
      }
      for (const r of [child, keep!, lose!]) {
        normaliseOrder(r);
        const xml = r.relations.filter((x) => x.kind === 'custodian' || x.kind === 'custody_of').map((x) => h((w) => entity.foreldreansvar(w, 'H', x)));
        notify('custody_changed', r, date, xml.map((x) => ({ entitet: 'foreldreansvar', change: 'korrigere' as const, xml: x })));
      }
      record('custody_changed', child, [child, keep!, lose!], date);
    }
  }
  // 8. An adult takes a new family name.
  {
    const id = take(pick(ids(adultSql)));
    const r = id ? get(id) : null;
    if (r && id) {
      const date = dayOf(2);
      touch(id);
      const old = r.names.find((n) => n.current)!;
      const family = pick(L.family.filter((f) => f !== old.family))!;
      if (country === 'SE') r.names = [{ ...old, family }];
      else {
        Object.assign(old, { current: false, validTo: date });
        r.names = [{ ...old, family, validFrom: date, validTo: null, current: true }, old];
      }
      notify('name_changed', r, date, [{ entitet: 'navn', change: 'registrereNy', xml: h((x) => entity.navn(x, 'H', { ...r.names[0]!, current: true })) }]);
      record('name_changed', r, [r], date);
    }
  }
  // 9. A person with a samordningsnummer / D-nummer is registered as resident and gets a personnummer /
  // fødselsnummer (else, without such a person in the demo, a number corrected after a wrong birth date).
  {
    const coordSql =
      country === 'SE'
        ? `SELECT id FROM person WHERE id_kind = 'se_samordningsnummer' AND deleted_at IS NULL ORDER BY id_canonical LIMIT 50`
        : `SELECT id FROM person WHERE id_country = 'NO' AND substr(id_canonical, 1, 1) >= '4' AND deleted_at IS NULL ORDER BY id_canonical LIMIT 50`;
    const id = take(pick(ids(coordSql)) ?? pick(ids(adultSql)));
    const r = id ? get(id) : null;
    if (r && id) {
      const date = dayOf(1);
      touch(id);
      const oldId = r.identity;
      const coordinated = oldId.kind === 'se_samordningsnummer' || (country === 'NO' && isDNumber(oldId.canonical));
      const newCanonical = numbers.make(r.birthDate!, r.sex ?? 'F');
      const newId = ident(newCanonical, country, today);
      if (country === 'SE') {
        // The old number's post says GS (old samordningsnummer) or GN (old personnummer) and points to the new one.
        const old = emptyRecord('navet', oldId);
        old.identity.status = 'ceased';
        old.replacedBy = newId;
        old.birthDate = r.birthDate;
        old.sex = r.sex;
        old.sexSource = r.sexSource;
        old.names = r.names.map((n) => ({ ...n }));
        old.statuses = [{ code: 'number_replaced', registerCode: coordinated ? 'GS' : 'GN', date, country: null, current: true }];
        old.protection = r.protection.map((p) => ({ ...p }));
        records.set(`old:${oldId.canonical}`, old);
        touch(`old:${oldId.canonical}`);
        r.identity = { ...newId, status: 'in_use', validFrom: null, validTo: null };
        r.previousIdentities = [{ ...oldId, status: 'ceased', validFrom: null, validTo: null }];
        if (coordinated) {
          // Now folkbokförd: the address becomes the registered one.
          const post = r.addresses.find((a) => a.kind === 'postal');
          if (post) Object.assign(post, { kind: 'registered', validFrom: date });
          r.registrations = [{ municipalityCode: kommune, countyCode: kommune.slice(0, 2), district: null, registerType: null, property: null, validFrom: date, validTo: null, current: true }];
        }
      } else {
        r.previousIdentities = [{ ...oldId, status: 'ceased', validFrom: null, validTo: date }];
        r.identity = { ...newId, status: 'in_use', validFrom: date, validTo: null };
        if (coordinated) {
          for (const s of r.statuses) s.current = false;
          r.statuses.unshift({ code: 'active', registerCode: 'bosatt', date, country: null, current: true });
          const post = r.addresses.find((a) => a.kind === 'postal');
          if (post) Object.assign(post, { kind: 'registered', municipalityCode: kommune, validFrom: date });
          r.registrations = r.addresses.filter((x) => x.kind === 'registered').map(registrationOf);
        }
      }
      normaliseOrder(r);
      notify('number_replaced', r, date, [
        { entitet: 'identifikasjonsnummer', change: 'registrereNy', xml: h((x) => entity.identifikasjonsnummer(x, 'H', r.identity, true)) },
      ]);
      // Relations naming the old number name the new one; Navet marks them PB (new after a number change).
      const related = new Set(r.relations.map((x) => x.other.identity?.canonical).filter(Boolean));
      const persons: IdentifiedRecord[] = [r];
      const relatedIds = db.prepare(`SELECT id FROM person WHERE id_canonical IN (SELECT value FROM json_each(?))`).all(JSON.stringify([...related])) as { id: string }[];
      for (const { id: rid } of relatedIds) {
        const o = get(rid);
        if (!o) continue;
        let hit = false;
        for (const rel of o.relations) {
          if (rel.other.identity?.canonical === oldId.canonical) {
            rel.other.identity = newId;
            if (country === 'SE') rel.registerStatus = 'PB';
            hit = true;
          }
        }
        if (!hit) continue;
        used.add(rid);
        touch(rid);
        persons.push(o);
        notify('number_replaced', o, date, o.relations.filter((x) => x.kind === 'custodian' || x.kind === 'custody_of').map((x) => ({ entitet: 'foreldreansvar', change: 'korrigere' as const, xml: h((w) => entity.foreldreansvar(w, 'H', x)) })));
      }
      record('number_replaced', r, persons, date, oldId.canonical);
    }
  }
  /** A new person (born or moved in) with its relations to `guardians`. */
  const newPerson = (birthDate: string, sex: 'F' | 'M', given: string, familyName: string, street: Address, date: string): IdentifiedRecord => {
    const r = emptyRecord(country === 'SE' ? 'navet' : 'freg', ident(numbers.make(birthDate, sex), country, today));
    r.birthDate = birthDate;
    r.sex = sex;
    r.sexSource = country === 'SE' ? 'identity_number' : 'register';
    r.names = [{ given, middle: null, family: familyName, preferred: null, preferredMarker: null, short: null, validFrom: null, validTo: null, current: true }];
    r.statuses = [{ code: 'active', registerCode: country === 'SE' ? null : 'bosatt', date: null, country: null, current: true }];
    r.protection = [protectionEntry('none', null)];
    const a = { ...street, lines: [...street.lines], validFrom: date };
    r.addresses = [a];
    r.registrations =
      country === 'SE'
        ? [{ municipalityCode: kommune, countyCode: kommune.slice(0, 2), district: null, registerType: null, property: null, validFrom: date, validTo: null, current: true }]
        : [registrationOf(a)];
    r.citizenships = [country === 'SE' ? { country: 'SE', codeSystem: 'iso3166-alpha2', from: null, validTo: null, current: true } : { country: 'NOR', codeSystem: 'iso3166-alpha3', from: null, validTo: null, current: true }];
    return r;
  };
  const parentKind = (sex: 'F' | 'M' | null, mothers: number): RelationKind => (sex === 'F' ? (mothers === 0 ? 'mother' : country === 'SE' ? 'parent' : 'co_mother') : 'father');
  const link = (child: IdentifiedRecord, guardians: IdentifiedRecord[], from: string) => {
    let mothers = 0;
    const parents: Relation[] = [];
    for (const g of guardians) {
      const joint = guardians.length === 2;
      const custody = joint ? 'joint' : g.sex === 'F' ? 'mother' : 'father';
      child.relations.push(country === 'SE' ? relation('custodian', 'V', g.identity, { validFrom: from }) : relation('custodian', `foreldreansvar:${FREG_ANSVAR[custody]}`, g.identity, { custody, validFrom: from }));
      g.relations.push(country === 'SE' ? relation('custody_of', 'VF', child.identity, { validFrom: from }) : relation('custody_of', `foreldreansvar:${FREG_ANSVAR[custody]}`, child.identity, { custody, validFrom: from }));
      const kind = parentKind(g.sex, mothers);
      if (kind === 'mother') mothers++;
      parents.push(relation(kind, country === 'SE' ? NAVET_RELATION[kind]! : `familierelasjon:${FREG_FAMILY[kind]}`, g.identity));
      g.relations.push(relation('child', country === 'SE' ? 'B' : 'familierelasjon:barn', child.identity));
      normaliseOrder(g);
    }
    child.relations.push(...parents);
    normaliseOrder(child);
  };
  // 10. A child is born to a family with two guardians.
  {
    const childId = take(
      pick(
        ids(`SELECT g.child_id AS id FROM guardianship g JOIN person c ON c.id = g.child_id WHERE c.id_canonical IS NOT NULL AND c.protection = 'none'
             AND g.deleted_at IS NULL GROUP BY g.child_id HAVING count(*) = 2 ORDER BY c.id_canonical LIMIT 400`),
      ),
    );
    const sibling = childId ? get(childId) : null;
    const home = sibling ? registered(sibling) : undefined;
    if (sibling && home && childId) {
      const gIds = (db.prepare(`SELECT guardian_id AS id FROM guardianship WHERE child_id = ? AND deleted_at IS NULL ORDER BY rowid`).all(childId) as { id: string }[]).map((x) => x.id);
      const guardians = gIds.map((g) => get(g)!).filter((g) => registered(g)?.street === home.street);
      const birth = dayOf(4);
      const sex: 'F' | 'M' = rnd() < 0.5 ? 'F' : 'M';
      const baby = newPerson(birth, sex, pick(sex === 'F' ? L.female : L.male)!, sibling.names[0]!.family, home, birth);
      link(baby, guardians, birth);
      records.set(`new:${baby.identity.canonical}`, baby);
      touch(`new:${baby.identity.canonical}`);
      notify('born', baby, birth, [
        { entitet: 'identifikasjonsnummer', change: 'registrereNy', xml: h((x) => entity.identifikasjonsnummer(x, 'H', baby.identity, true)) },
        { entitet: 'foedsel', change: 'registrereNy', xml: h((x) => entity.foedsel(x, 'H', birth)) },
        { entitet: 'navn', change: 'registrereNy', xml: h((x) => entity.navn(x, 'H', baby.names[0]!)) },
      ]);
      gIds.forEach((g) => {
        used.add(g);
        touch(g);
      });
      for (const g of guardians) {
        const rel = g.relations.find((x) => x.kind === 'custody_of' && x.other.identity?.canonical === baby.identity.canonical)!;
        notify('born', g, birth, [{ entitet: 'foreldreansvar', change: 'registrereNy', xml: h((x) => entity.foreldreansvar(x, 'H', rel)) }]);
      }
      record('born', baby, [baby, ...guardians], birth);
    }
  }
  // 11. A family moves in from another municipality.
  {
    const date = dayOf(1);
    const e = ELSEWHERE[country];
    const familyName = pick(L.family)!;
    const home = withLines(blankAddress('registered', country), [country === 'SE' ? `${seUpper(pick(L.streets)!)} ${1 + Math.floor(rnd() * 60)}` : `${pick(L.streets)} ${1 + Math.floor(rnd() * 60)}`]);
    home.postalCode = L.postal(Math.floor(rnd() * 800));
    home.city = seUpperOrNo(country, L.city);
    if (country === 'NO') {
      home.municipalityCode = kommune;
      home.grading = 'ugradert';
    }
    const year = Number(today.slice(0, 4));
    const mother = newPerson(`${year - 36}-03-14`, 'F', pick(L.female)!, familyName, home, date);
    const father = newPerson(`${year - 38}-10-02`, 'M', pick(L.male)!, familyName, home, date);
    const child = newPerson(`${year - 8}-06-21`, 'M', pick(L.male)!, familyName, home, date);
    link(child, [mother, father], child.birthDate!);
    for (const r of [mother, father, child]) {
      // Where they lived before: a registration (Sweden) or registered address (Norway) in the other municipality.
      if (country === 'SE') {
        r.registrations.push({ municipalityCode: e.code, countyCode: e.code.slice(0, 2), district: null, registerType: null, property: null, validFrom: r === child ? r.birthDate : `${year - 10}-08-01`, validTo: addDays(date, -1), current: false });
      } else {
        const before = withLines(blankAddress('registered', 'NO'), [e.street]);
        Object.assign(before, { postalCode: e.postal, city: e.city, municipalityCode: e.code, grading: 'ugradert', validFrom: r === child ? r.birthDate : `${year - 10}-08-01`, validTo: date, current: false });
        r.addresses.unshift(before);
        r.registrations = r.addresses.filter((x) => x.kind === 'registered').map(registrationOf);
      }
      normaliseOrder(r);
      records.set(`new:${r.identity.canonical}`, r);
      touch(`new:${r.identity.canonical}`);
      notify('moved_in', r, date, [{ entitet: 'bostedsadresse', change: 'registrereNy', xml: bostedXml(r) }]);
    }
    record('moved_in', child, [mother, father, child], date);
  }

  const out = touched.map((k) => records.get(k)!).map(normaliseOrder);
  if (country === 'SE') {
    const last = new Map<string, ChangeKind>();
    for (const c of changes) for (const p of c.persons) last.set(p, c.change);
    for (const r of out) {
      const kind = last.get(r.identity.canonical) ?? last.get(r.replacedBy?.canonical ?? '') ?? 'number_replaced';
      r.event = { sequence: null, documentId: null, type: ARENDETYP[kind], recordedAt: `${today.replace(/-/g, '')}063000`, changes: [] };
    }
  }
  return {
    country,
    changes,
    records: country === 'SE' ? out : [],
    events,
    from,
    to: today,
    firstSequence,
    lastSequence: Math.max(sequence, firstSequence),
  };
}

function seUpperOrNo(country: Country, city: string): string {
  return country === 'SE' ? seUpper(city) : city.toLocaleUpperCase('nb-NO');
}

export interface PopulationFiles {
  country: Country;
  full: string;
  delta: string;
  persons: number;
  deltaItems: number;
  changes: DemoChange[];
}

/**
 * Writes the demo database's full file and a delta after it into `outDir`: navet-full.xml / navet-delta.xml
 * (Sweden) or freg-full.xml / freg-delta.xml (Norway). The full extract is dated the day before the delta's
 * period, so checkFileOrder accepts the delta after it.
 */
export function writeDemoPopulationFiles(db: Database.Database, o: { outDir: string; today?: string; seed?: number }): PopulationFiles {
  const reg = demoRegister(db, o);
  const delta = demoDelta(db, o);
  mkdirSync(o.outDir, { recursive: true });
  const extractDay = addDays(delta.from, -1);
  if (reg.country === 'SE') {
    const full = join(o.outDir, 'navet-full.xml');
    const deltaPath = join(o.outDir, 'navet-delta.xml');
    const base = { recipientOrgNr: reg.municipality.orgNumber, recipientName: reg.municipality.name };
    writeFileChunks(full, navetFile({ ...base, kind: 'full', to: extractDay, lopNr: 1, count: reg.count }, reg.records()));
    writeFileChunks(deltaPath, navetFile({ ...base, kind: 'delta', from: delta.from, to: delta.to, lopNr: 2, count: delta.records.length }, delta.records));
    return { country: 'SE', full, delta: deltaPath, persons: reg.count, deltaItems: delta.records.length, changes: delta.changes };
  }
  const full = join(o.outDir, 'freg-full.xml');
  const deltaPath = join(o.outDir, 'freg-delta.xml');
  writeFileChunks(full, fregPersonsFile({ created: `${extractDay}T06:00:00+01:00`, kommunenummer: reg.municipality.code, lastSequence: delta.firstSequence - 1, count: reg.count }, reg.records()));
  writeFileChunks(
    deltaPath,
    fregEventsFile({ created: `${delta.to}T06:00:00+01:00`, kommunenummer: reg.municipality.code, from: delta.firstSequence, to: delta.lastSequence }, delta.events),
  );
  return { country: 'NO', full, delta: deltaPath, persons: reg.count, deltaItems: delta.events.length, changes: delta.changes };
}

// ---------------------------------------------------------------------------------------------------------
// Without a database: N synthetic persons (the benchmark's 500 000-person file)
// ---------------------------------------------------------------------------------------------------------

export interface SyntheticOptions {
  country: Country;
  persons: number;
  seed?: number;
  today?: string;
}

/**
 * `persons` synthetic persons in families (one or two guardians, up to three children, a few percent protected,
 * some separated parents sharing the children's residence in Norway), every relation pointing at a person of
 * the same population. Identity numbers come from a per-birth-date counter, so they are unique without a set.
 */
export function* syntheticPopulation(o: SyntheticOptions): Generator<IdentifiedRecord> {
  const country = o.country;
  const today = o.today ?? localToday();
  const L = country === 'SE' ? SE : NO;
  const rnd = mulberry32(o.seed ?? 4711);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const kommune = L.municipality.code;
  const year = Number(today.slice(0, 4));
  const serials = new Map<string, number>();
  const number = (birth: string, sex: 'F' | 'M'): IdentityRef => {
    for (;;) {
      const n = serials.get(birth) ?? 0;
      serials.set(birth, n + 1);
      let c: string | null;
      let kind: IdKind;
      if (country === 'SE') {
        if (n >= 498) throw new Error(`More than 498 persons of one sex born on ${birth}`);
        c = makeSwedishPersonnummer(birth, 2 + n * 2 - (sex === 'M' ? 1 : 0));
        kind = 'se_personnummer';
      } else {
        const base = Number(birth.slice(0, 4)) >= 2000 ? 500 : 0;
        if (n >= 249) throw new Error(`More than 249 persons of one sex born on ${birth}`);
        c = makeNorwegianFodselsnummer(birth, base + n * 2 + (sex === 'M' ? 1 : 0), { synthetic: true });
        kind = 'no_synthetic';
      }
      if (c) return { canonical: c, kind, country };
    }
  };
  const birthFor = (age: number): string => {
    const d = addDays(`${year - age}-01-01`, Math.floor(rnd() * 365));
    return d < today ? d : addDays(today, -1 - Math.floor(rnd() * 100));
  };
  let made = 0;
  let family = 0;
  while (made < o.persons) {
    family++;
    const left = o.persons - made;
    const nAdults = Math.min(left, rnd() < 0.25 ? 1 : 2);
    const nKids = Math.min(left - nAdults, Math.floor(rnd() * rnd() * 4));
    const protection: ProtectionLevel =
      rnd() < 0.03 ? pick(country === 'SE' ? (['se_sekretessmarkering', 'se_sekretessmarkering', 'se_skyddad_folkbokforing'] as const) : (['no_fortrolig', 'no_strengt_fortrolig', 'no_klientadresse'] as const)) : 'none';
    const familyName = pick(L.family);
    const streetBase = `${pick(L.streets)} ${1 + Math.floor(rnd() * 120)}`;
    const street = country === 'SE' ? seUpper(`${streetBase}${rnd() < 0.3 ? ` lgh ${1101 + Math.floor(rnd() * 300)}` : ''}`) : `${streetBase}${rnd() < 0.3 ? ` H0${1 + Math.floor(rnd() * 4)}0${1 + Math.floor(rnd() * 4)}` : ''}`;
    const postal = L.postal(family);
    const city = seUpperOrNo(country, L.city);
    const separated = country === 'NO' && nAdults === 2 && nKids > 0 && rnd() < 0.1;
    const hidden = protection === 'se_skyddad_folkbokforing' || protection === 'no_strengt_fortrolig';
    const grading = GRADE_OF[protection] ?? 'ugradert';
    const age = 27 + Math.floor(rnd() * 22);
    const members: IdentifiedRecord[] = [];
    const home = (r: IdentifiedRecord, s: string, from: string) => {
      if (hidden) {
        if (country === 'SE') r.registrations = [{ municipalityCode: kommune, countyCode: kommune.slice(0, 2), district: null, registerType: null, property: null, validFrom: null, validTo: null, current: true }];
        return;
      }
      const a = withLines(blankAddress('registered', country), [s]);
      a.postalCode = postal;
      a.city = city;
      a.validFrom = from;
      if (country === 'NO') {
        a.municipalityCode = kommune;
        a.grading = grading;
      }
      r.addresses = [a];
      r.registrations =
        country === 'SE'
          ? [{ municipalityCode: kommune, countyCode: kommune.slice(0, 2), district: null, registerType: null, property: null, validFrom: from, validTo: null, current: true }]
          : [registrationOf(a)];
    };
    const person = (birth: string, sex: 'F' | 'M', given: string, fam: string): IdentifiedRecord => {
      const r = emptyRecord(country === 'SE' ? 'navet' : 'freg', number(birth, sex));
      r.birthDate = birth;
      r.sex = sex;
      r.sexSource = country === 'SE' ? 'identity_number' : 'register';
      r.names = [{ given, middle: null, family: fam, preferred: null, preferredMarker: null, short: null, validFrom: null, validTo: null, current: true }];
      r.statuses = [{ code: 'active', registerCode: country === 'SE' ? null : 'bosatt', date: null, country: null, current: true }];
      r.protection = [protectionEntry(protection, null)];
      r.citizenships = [country === 'SE' ? { country: 'SE', codeSystem: 'iso3166-alpha2', from: null, validTo: null, current: true } : { country: 'NOR', codeSystem: 'iso3166-alpha3', from: null, validTo: null, current: true }];
      members.push(r);
      return r;
    };
    const adults: IdentifiedRecord[] = [];
    for (let i = 0; i < nAdults; i++) {
      const sex: 'F' | 'M' = i === 0 ? 'F' : rnd() < 0.92 ? 'M' : 'F';
      const birth = birthFor(age + Math.floor(rnd() * 5) - 2);
      const a = person(birth, sex, pick(sex === 'F' ? L.female : L.male), i === 1 && rnd() < 0.3 ? pick(L.family) : familyName);
      home(a, separated && i === 1 ? `${pick(L.streets)} ${121 + Math.floor(rnd() * 60)}` : street, addDays(birth, 18 * 365));
      adults.push(a);
    }
    for (let i = 0; i < nKids; i++) {
      const sex: 'F' | 'M' = rnd() < 0.5 ? 'F' : 'M';
      const birth = birthFor(Math.max(0, Math.min(18, age - 22 - Math.floor(rnd() * 10))));
      const second = rnd() < 0.12 ? pick(sex === 'F' ? L.female : L.male) : null;
      const given = pick(sex === 'F' ? L.female : L.male);
      const kid = person(birth, sex, second && second !== given ? `${given} ${second}` : given, familyName);
      if (country === 'SE' && second && second !== given && rnd() < 0.5) {
        kid.names[0]!.preferred = second;
        kid.names[0]!.preferredMarker = '20';
      }
      home(kid, street, birth);
      let mothers = 0;
      for (const g of adults) {
        const custody = adults.length === 2 ? 'joint' : g.sex === 'F' ? 'mother' : 'father';
        kid.relations.push(country === 'SE' ? relation('custodian', 'V', g.identity, { validFrom: birth }) : relation('custodian', `foreldreansvar:${FREG_ANSVAR[custody]}`, g.identity, { custody, validFrom: birth }));
        g.relations.push(country === 'SE' ? relation('custody_of', 'VF', kid.identity, { validFrom: birth }) : relation('custody_of', `foreldreansvar:${FREG_ANSVAR[custody]}`, kid.identity, { custody, validFrom: birth }));
      }
      for (const g of adults) {
        const kind: RelationKind = g.sex === 'F' ? (mothers++ === 0 ? 'mother' : country === 'SE' ? 'parent' : 'co_mother') : 'father';
        kid.relations.push(relation(kind, country === 'SE' ? NAVET_RELATION[kind]! : `familierelasjon:${FREG_FAMILY[kind]}`, g.identity));
      }
      if (separated && !hidden) {
        const other = adults[1]!.addresses[0]!;
        const from = addDays(birth, 30 + Math.floor(rnd() * 300));
        kid.sharedResidences = [{ address: { ...other, lines: [...other.lines], validFrom: from }, municipalityCode: kommune, from, to: null, current: true }];
      }
    }
    for (const g of adults) for (const k of members.slice(nAdults)) g.relations.push(relation('child', country === 'SE' ? 'B' : 'familierelasjon:barn', k.identity));
    for (const r of members) {
      made++;
      yield normaliseOrder(r);
    }
  }
}

/** Writes a synthetic full file of `persons` persons (no database); returns the bytes written. */
export function writeSyntheticPopulationFile(path: string, o: SyntheticOptions): number {
  const today = o.today ?? localToday();
  const records = syntheticPopulation({ ...o, today });
  if (o.country === 'SE') {
    return writeFileChunks(path, navetFile({ kind: 'full', to: today, recipientOrgNr: '2120000019', recipientName: SE.municipality.name, lopNr: 1, count: o.persons }, records));
  }
  return writeFileChunks(path, fregPersonsFile({ created: `${today}T06:00:00+01:00`, kommunenummer: NO.municipality.code, lastSequence: 1_000_000, count: o.persons }, records));
}

/** The synthetic file as a stream of chunks (no file, no database), e.g. to feed a reader directly. */
export function syntheticPopulationChunks(o: SyntheticOptions): Iterable<string> {
  const today = o.today ?? localToday();
  const records = syntheticPopulation({ ...o, today });
  return o.country === 'SE'
    ? navetFile({ kind: 'full', to: today, recipientOrgNr: '2120000019', recipientName: SE.municipality.name, lopNr: 1, count: o.persons }, records)
    : fregPersonsFile({ created: `${today}T06:00:00+01:00`, kommunenummer: NO.municipality.code, lastSequence: 1_000_000, count: o.persons }, records);
}
