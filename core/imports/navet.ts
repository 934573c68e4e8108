/**
 * Reader for Skatteverket's Navet files (`Navetavisering.xsd`): a full extract (grunduttag) or change notices
 * (ändringsavisering) as a stream of PopulationRecords. Element mapping: see the header of model.ts.
 *
 * File kind and order. The XSD has no "full/delta" flag. A notice file states the selection period its
 * changes were taken from in Utfil/UtsokningsdatumFromTom ("YYYYMMDD-YYYYMMDD"); a full extract states one
 * date or none. So: a range → delta, a single date → full; with no Aviseringsinformation or no
 * UtsokningsdatumFromTom the file is read as a delta without ordering (never as full: a full file lets the
 * importer deregister everyone missing from it, so that must be a deliberate choice) unless `opts.kind`
 * says otherwise. Ordering: see FileOrdering in model.ts.
 *
 * Complete or partial. A post with Arendeuppgift/@totalpost="J", or without Arendeuppgift (extracts, lookups),
 * carries the whole person: complete. Otherwise only the groups present are stated (`parts`); an element sent
 * as xsi:nil states that the value was removed.
 *
 * Error policy (also freg.ts). File errors — PopulationFileError, nothing of the file may be applied:
 * malformed XML (with its line), an undeclared encoding, a root that is not <Navetavisering>, an invalid
 * Aviseringsinformation (kind and order could not be trusted), a record count different from AntalPoster
 * (truncated or concatenated file), more than `maxProblems` problems, an input error. Record problems —
 * reported as 'problem' items, the record is skipped and reading goes on: anything that breaks the XSD inside
 * a Folkbokforingspost (unknown, misplaced, repeated or missing element, text too long, bad integer), a date
 * that is not a date, an identity number that fails its check digit, a code outside its list, an
 * inconsistency (a Tilltalsnamnsmarkering naming a given name that does not exist; a partial post stating only
 * one of the two protection flags, from which the protection level cannot be decided). A stray element between
 * posts is reported and skipped.
 */
import { addDays } from '../dates';
import {
  ALL_PARTS,
  type Address,
  type FileOrdering,
  type IdentityRef,
  type PersonIdentity,
  type PersonName,
  type PersonStatus,
  type PopulationFileHeader,
  type PopulationReadItem,
  type PopulationRecord,
  type Protection,
  type ReadOptions,
  type RecordPart,
  type Registration,
  type Relation,
  type RelationKind,
  type StatusCode,
} from './model';
import { isCalendarDay, localToday, readXml, ReadSession, RecordContext, seq, withAttrs, type Disposition, type ElementStart, type XmlInput, type XmlNode } from './xml';

const NS = '';
const JN = ['J', 'N'] as const;
const STYRKT = ['styrkt'] as const;

const S = {
  aviseringsinformation: seq('Medieleverantor', 'Mediemottagare', 'Filinformation'),
  medieleverantor: seq('OrgNr', 'Organisationsnamn?', 'Avdelning?', 'Kontaktperson?', 'Adress?', 'PostNr?', 'Postort?', 'Telefon?', 'Fax?', 'Email?'),
  mediemottagare: seq('KundNr?', 'SlutKundNr?', 'OrgNr', 'Organisationsnamn?', 'Avdelning?', 'Kontaktperson?', 'Adress?', 'PostNr?', 'Postort?', 'Telefon?', 'Fax?', 'Email?'),
  filinformation: seq('BestallningsId', 'Filtyp?', 'Bestallningstyp', 'Produkt', 'Utfil'),
  utfil: seq('Filnamn', 'Effektueringsdatum', 'AntalPoster', 'AntalPosterTotalt', 'AntalFiler', 'FilNr', 'Filtitel?', 'JobbId', 'LopNr?', 'FilnamnInfilTillGrund?', 'UtsokningsdatumFromTom?'),
  post: seq('Sekretessmarkering?', 'SkyddadFolkbokforing?', 'Arendeuppgift?', 'Personpost', 'Historik?', 'Sarlosning?'),
  arende: withAttrs(seq('PostId?', 'Arendetyp?'), 'andringstidpunkt', 'totalpost', 'utsokningsdatum'),
  personpost: seq('PersonId', 'HanvisningsPersonNr?', 'Avregistrering?', 'Fodelsedatum?', 'Namn?', 'Folkbokforing?', 'Adresser?', 'Civilstand?', 'Fodelse?', 'Invandring?', 'Relationer?', 'Medborgarskap*'),
  personId: seq('(PersonNr|TilldelatPersonNrSamordningsNr)', '*'),
  avregistrering: seq('AvregistreringsorsakKod?', 'Avregistreringsdatum?'),
  namn: seq('Tilltalsnamnsmarkering?', 'Fornamn?', 'Mellannamn?', 'Efternamn?', 'Aviseringsnamn?'),
  folkbokforing: seq('Folkbokforingsdatum?', 'LanKod?', 'KommunKod?', 'ForsamlingKod?', 'Fastighetsbeteckning?', 'Trappuppgang?', 'Lagenhet?', 'FiktivtNr?', 'Folkbokforingstyp?'),
  adresser: seq('Folkbokforingsadress?', 'Riksnycklar?', 'Distrikt?', 'SarskildPostadress?', 'Utlandsadress?'),
  svenskAdress: seq('CareOf?', 'Utdelningsadress1?', 'Utdelningsadress2?', 'PostNr?', 'Postort?'),
  riksnycklar: seq('FastighetsId?', 'AdressplatsId?', 'LagenhetsId?'),
  distrikt: seq('Distriktskod?'),
  utlandsadress: seq('Utdelningsadress1?', 'Utdelningsadress2?', 'Utdelningsadress3?', 'Land?', 'Utlandsadressdatum?', 'Rostrattsdatum?'),
  civilstand: seq('CivilstandKod?', 'Civilstandsdatum?'),
  fodelse: seq('HemortSverige?', 'OrtUtlandet?'),
  invandring: seq('Invandringsdatum?', 'Uppehallsratt?', 'NordisktPnrDa?', 'NordisktPnrFi?', 'NordisktPnrFo?', 'NordisktPnrIs?', 'NordisktPnrNo?'),
  relationer: seq('Relation*'),
  relation: withAttrs(seq('RelationId', 'Relationstyp', 'RelationFromdatum?', 'RelationTomdatum?', 'Namn?', 'Avregistrering?'), 'status'),
  relationId: seq('(PersonNr|FodelsetidNr)'),
  medborgarskap: withAttrs(seq('MedborgarskapslandKod?', 'Medborgarskapsdatum?'), 'status'),
  historik: seq('Folkbokforing*', 'Folkbokforingsadress?'),
  sarlosning: seq('SarInvandring?', 'Utvandring?', 'Avregistrering?', 'Beslutsgrund?', 'NamnIngivareDodsfall?', 'Relationer?'),
};

const AVREGISTRERING = ['AV', 'UV', 'GN', 'AN', 'AS', 'GS', 'OB', 'TA'] as const;
const STATUS_OF: Record<(typeof AVREGISTRERING)[number], StatusCode> = {
  AV: 'deceased',
  UV: 'emigrated',
  GN: 'number_replaced',
  GS: 'number_replaced',
  AN: 'deregistered',
  AS: 'deregistered',
  OB: 'deregistered',
  TA: 'deregistered',
};
const RELATIONSTYP = ['B', 'MO', 'FA', 'F', 'V', 'VF', 'M', 'P'] as const;
const RELATION_KIND: Record<(typeof RELATIONSTYP)[number], RelationKind> = {
  V: 'custodian',
  VF: 'custody_of',
  B: 'child',
  MO: 'mother',
  FA: 'father',
  F: 'parent',
  M: 'spouse',
  P: 'partner',
};
const RELATION_STATUS = ['NY', 'PB', 'RD', 'AS', 'AV', 'IV', 'AN'] as const;
/** Relation statuses meaning the relation no longer holds (ended, ended by death, ended by migration, annulled). */
const RELATION_ENDED = new Set(['AS', 'AV', 'IV', 'AN']);
const CIVILSTAND = ['OG', 'G', 'Ä', 'S', 'RP', 'SP', 'EP'] as const;

/**
 * The tilltalsnamn from Skatteverket's marker: two digits naming given-name positions, where a hyphenated
 * name counts as two ("Eva Ulla-Karin Isa": 23 = Ulla-Karin, 40 = Isa; "Kjell Olof Stig": 12 = Kjell Olof).
 * Returns null when the marker names a position the given names do not have.
 */
export function resolveTilltalsnamn(given: string, marker: string): string | null {
  const m = /^([1-9])([0-9])$/.exec(marker);
  if (!m) return null;
  const tokens = given.trim().replace(/\s+/g, ' ').split(/([ -])/);
  const names = tokens.filter((_, i) => i % 2 === 0);
  const seps = tokens.filter((_, i) => i % 2 === 1);
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > names.length || (b !== 0 && (b <= a || b > names.length))) return null;
  if (b === 0) return names[a - 1]!;
  // Adjacent names keep their separator (a space or the hyphen of a double name); others are joined by a space.
  return b === a + 1 ? `${names[a - 1]}${seps[a - 1]}${names[b - 1]}` : `${names[a - 1]} ${names[b - 1]}`;
}

/** The inverse, for writing files: the marker that resolves to `preferred`, or null if none does. */
export function tilltalsnamnMarker(given: string, preferred: string): string | null {
  for (let a = 1; a <= 9; a++) {
    for (const b of [0, ...Array.from({ length: 9 - a }, (_, i) => a + 1 + i)]) {
      const code = `${a}${b}`;
      if (resolveTilltalsnamn(given, code) === preferred) return code;
    }
  }
  return null;
}

function postalCodeSE(n: number): string {
  const s = String(n).padStart(5, '0');
  return `${s.slice(0, 3)} ${s.slice(3)}`;
}

function ymd(iso: string | null): number | null {
  return iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? Number(iso.replace(/-/g, '')) : null;
}

function readHeader(node: XmlNode | null, session: ReadSession, opts: ReadOptions): PopulationFileHeader {
  const header: PopulationFileHeader = {
    format: 'navet',
    country: 'SE',
    kind: opts.kind ?? 'delta',
    kindBasis: opts.kind ? 'the kind option' : 'no Aviseringsinformation: read as a delta without ordering',
    createdAt: null,
    ordering: null,
    producer: null,
    recipient: null,
    fileName: null,
    declaredRecords: null,
  };
  if (!node) return header;
  const ctx = new RecordContext(NS, true);
  const info = ctx.children(node, S.aviseringsinformation);
  const org = (n: XmlNode | undefined, s: typeof S.medieleverantor) => {
    if (!n) return { orgNr: null, name: null, kundNr: null };
    const c = ctx.children(n, s);
    const orgNr = ctx.int(c.one('OrgNr'), 160000000000, 999999999999);
    for (const f of ['Organisationsnamn', 'Avdelning', 'Kontaktperson', 'Adress', 'Postort', 'Email']) ctx.str(c.one(f), { max: 40 });
    ctx.int(c.one('PostNr'), 0, 99999);
    ctx.str(c.one('Telefon'), { max: 20 });
    ctx.str(c.one('Fax'), { max: 20 });
    const kundNr = ctx.str(c.one('KundNr'), { length: 8 });
    ctx.str(c.one('SlutKundNr'), { length: 8 });
    return { orgNr: orgNr === null ? null : String(orgNr), name: ctx.str(c.one('Organisationsnamn')), kundNr };
  };
  const lev = org(info.one('Medieleverantor'), S.medieleverantor);
  const mot = org(info.one('Mediemottagare'), S.mediemottagare);
  const fil = info.one('Filinformation');
  let utfil: ReturnType<RecordContext['children']> | null = null;
  if (fil) {
    const f = ctx.children(fil, S.filinformation);
    ctx.str(f.one('BestallningsId'), { length: 18 });
    ctx.str(f.one('Filtyp'), { max: 10 });
    ctx.str(f.one('Bestallningstyp'), { max: 20 });
    ctx.str(f.one('Produkt'), { length: 5 });
    if (f.one('Utfil')) utfil = ctx.children(f.one('Utfil')!, S.utfil);
  }
  if (utfil) {
    header.fileName = ctx.str(utfil.one('Filnamn'), { max: 40 });
    const eff = utfil.one('Effektueringsdatum');
    const effDate = ctx.navetDate(eff);
    header.createdAt = effDate;
    header.declaredRecords = ctx.int(utfil.one('AntalPoster'), 0, 99999999);
    ctx.int(utfil.one('AntalPosterTotalt'), 0, 99999999);
    const parts = ctx.int(utfil.one('AntalFiler'), 1, 999) ?? 1;
    const part = ctx.int(utfil.one('FilNr'), 1, 999) ?? 1;
    ctx.str(utfil.one('Filtitel'), { max: 70 });
    ctx.int(utfil.one('JobbId'), 1, 99999999);
    const lopNr = ctx.int(utfil.one('LopNr'), 0, 99999);
    ctx.str(utfil.one('FilnamnInfilTillGrund'), { max: 30 });
    const sel = utfil.one('UtsokningsdatumFromTom');
    const selText = ctx.str(sel, { max: 17 });
    let from: number | null = null;
    let to: number | null = null;
    let kindFromFile: 'full' | 'delta' | null = null;
    if (selText !== null) {
      const m = /^(\d{8})(?:-(\d{8}))?$/.exec(selText);
      const valid = (s: string) => isCalendarDay(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
      if (!m || !valid(m[1]!) || (m[2] !== undefined && !valid(m[2]))) {
        ctx.report(sel!, 'bad_date', `<UtsokningsdatumFromTom> must be YYYYMMDD or YYYYMMDD-YYYYMMDD, got "${selText}"`);
      } else if (m[2]) {
        from = Number(m[1]);
        to = Number(m[2]);
        kindFromFile = 'delta';
        if (to < from) ctx.report(sel!, 'bad_date', `<UtsokningsdatumFromTom> ends before it starts ("${selText}")`);
      } else {
        to = Number(m[1]);
        kindFromFile = 'full';
      }
    }
    if (!opts.kind && kindFromFile) {
      header.kind = kindFromFile;
      header.kindBasis = kindFromFile === 'delta' ? `UtsokningsdatumFromTom ${selText} is a selection period` : `UtsokningsdatumFromTom ${selText} is a single extract date`;
    } else if (!opts.kind) {
      header.kindBasis = 'no UtsokningsdatumFromTom: read as a delta without ordering';
    }
    if (to === null && header.kind === 'full' && effDate) to = ymd(effDate);
    if (to !== null && mot.orgNr) {
      const ordering: FileOrdering = {
        basis: 'navet_selection_dates',
        stream: mot.kundNr ? `${mot.orgNr}/${mot.kundNr}` : mot.orgNr,
        from: header.kind === 'delta' ? from : null,
        to,
        serial: lopNr,
        part,
        parts,
      };
      header.ordering = ordering;
    }
  }
  header.producer = lev.name ?? lev.orgNr;
  header.recipient = mot.name ?? mot.orgNr;
  if (!ctx.ok) {
    const first = ctx.issues[0]!;
    throw session.fatal({ ...first, reason: `Aviseringsinformation is invalid, so the file's kind and order cannot be trusted: ${first.reason}` });
  }
  return header;
}

interface Mapped {
  record: PopulationRecord | null;
  subject: string | null;
}

function mapPost(node: XmlNode, index: number, today: string, session: ReadSession): { ctx: RecordContext } & Mapped {
  const ctx = new RecordContext(NS, true);
  if (node.overflow) {
    ctx.report(node, 'record_too_large', 'This Folkbokforingspost is far larger than any person record; it was skipped unread');
    return { ctx, record: null, subject: null };
  }
  const post = ctx.children(node, S.post);
  const sekNode = post.one('Sekretessmarkering');
  const skyddNode = post.one('SkyddadFolkbokforing');
  const sek = ctx.code(sekNode, JN, { length: 1 });
  const skydd = ctx.code(skyddNode, JN, { length: 1 });

  let complete = true;
  let event: PopulationRecord['event'] = null;
  const arende = post.one('Arendeuppgift');
  if (arende) {
    const a = ctx.children(arende, S.arende);
    const totalpost = arende.attrs['totalpost'];
    if (totalpost !== undefined && totalpost !== 'J' && totalpost !== 'N') {
      ctx.report(arende, 'unknown_code', `Arendeuppgift/@totalpost "${totalpost}" is not J or N`);
    }
    const changedAt = arende.attrs['andringstidpunkt'];
    if (changedAt !== undefined && !/^[+-]?\d+$/.test(changedAt.trim())) {
      ctx.report(arende, 'bad_value', `Arendeuppgift/@andringstidpunkt must be a whole number, got "${changedAt}"`);
    }
    const utsok = arende.attrs['utsokningsdatum'];
    if (utsok !== undefined && utsok.length !== 8) ctx.report(arende, 'bad_value', `Arendeuppgift/@utsokningsdatum must be 8 characters, got "${utsok}"`);
    complete = totalpost === 'J';
    event = {
      sequence: null,
      documentId: ctx.str(a.one('PostId'), { max: 16 }),
      type: ctx.str(a.one('Arendetyp'), { max: 40 }),
      recordedAt: changedAt?.trim() ?? null,
      changes: [],
    };
  }

  const ppNode = post.one('Personpost');
  if (!ppNode) return { ctx, record: null, subject: null };
  const pp = ctx.children(ppNode, S.personpost);
  const idNode = pp.one('PersonId');
  let identity: PersonIdentity | null = null;
  let subject: string | null = null;
  let parsedSex: 'F' | 'M' | null = null;
  let parsedBirth: string | null = null;
  const readId = (n: XmlNode | undefined): { ref: IdentityRef; sex: 'F' | 'M' | null; birth: string } | null => {
    const v = ctx.str(n);
    if (v === null || !n) return null;
    if (!/^\d{12}$/.test(v)) {
      ctx.report(n, 'bad_identity_number', `<${n.name}> must be 12 digits (YYYYMMDDNNNC), got "${v.slice(0, 20)}"`);
      return null;
    }
    const r = session.parseId(v, 'SE', today);
    if (!r.ok) {
      ctx.report(n, 'bad_identity_number', `<${n.name}> ${v}: ${r.message}`);
      return null;
    }
    return { ref: { canonical: r.canonical, kind: r.kind, country: 'SE' }, sex: r.sex, birth: r.birthDate };
  };
  if (idNode) {
    const ids = ctx.children(idNode, S.personId);
    const n = ids.one('PersonNr') ?? ids.one('TilldelatPersonNrSamordningsNr');
    subject = n?.text.trim() || null;
    const r = readId(n);
    if (r) {
      identity = { ...r.ref, status: 'in_use', validFrom: null, validTo: null };
      parsedSex = r.sex;
      parsedBirth = r.birth;
    }
  }

  // Deregistration decides the status, and whether HanvisningsPersonNr points forward or back.
  const statuses: PersonStatus[] = [];
  const avNode = pp.one('Avregistrering');
  let statusCode: StatusCode = 'active';
  if (avNode) {
    const av = ctx.children(avNode, S.avregistrering);
    const code = ctx.code(av.one('AvregistreringsorsakKod'), AVREGISTRERING);
    const date = ctx.navetDate(av.one('Avregistreringsdatum'));
    if (code) {
      statusCode = STATUS_OF[code];
      statuses.push({ code: statusCode, registerCode: code, date, country: null, current: true });
    } else if (complete) {
      statuses.push({ code: 'active', registerCode: null, date: null, country: null, current: true });
    }
  } else if (complete) {
    statuses.push({ code: 'active', registerCode: null, date: null, country: null, current: true });
  }
  if (identity && statusCode === 'number_replaced') identity.status = 'ceased';

  let replacedBy: IdentityRef | null = null;
  const previousIdentities: PersonIdentity[] = [];
  const hanv = readId(pp.one('HanvisningsPersonNr'));
  if (hanv) {
    if (statusCode === 'number_replaced') replacedBy = hanv.ref;
    else previousIdentities.push({ ...hanv.ref, status: 'ceased', validFrom: null, validTo: null });
  }

  const birthNode = pp.one('Fodelsedatum');
  const birthDate = ctx.navetDate(birthNode) ?? parsedBirth;

  const names: PersonName[] = [];
  const namnNode = pp.one('Namn');
  if (namnNode) {
    const n = readNamn(ctx, namnNode);
    if (n) names.push({ ...n, validFrom: null, validTo: null, current: true });
  }

  // Registration: the current Folkbokforing, then Historik's earlier ones (each ends the day before the next).
  const registrations: Registration[] = [];
  const fbNode = pp.one('Folkbokforing');
  const current = fbNode ? readFolkbokforing(ctx, fbNode, true) : null;
  const histNode = post.one('Historik');
  const earlier: Registration[] = [];
  let previousRegisteredAddress: Address | null = null;
  if (histNode) {
    const h = ctx.children(histNode, S.historik);
    for (const f of h.all('Folkbokforing')) earlier.push(readFolkbokforing(ctx, f, false));
    const prevAdr = h.one('Folkbokforingsadress');
    if (prevAdr) previousRegisteredAddress = readSvenskAdress(ctx, prevAdr, 'registered', false);
  }
  const timeline = [...earlier.sort((a, b) => ((a.validFrom ?? '') < (b.validFrom ?? '') ? -1 : (a.validFrom ?? '') > (b.validFrom ?? '') ? 1 : 0)), ...(current ? [current] : [])];
  for (let i = 0; i < timeline.length - 1; i++) {
    const next = timeline[i + 1]!.validFrom;
    if (timeline[i]!.validTo === null && next && /^\d{4}-\d{2}-\d{2}$/.test(next)) timeline[i]!.validTo = addDays(next, -1);
  }
  if (current) registrations.push(current);
  registrations.push(...earlier);
  if (previousRegisteredAddress && current?.validFrom && /^\d{4}-\d{2}-\d{2}$/.test(current.validFrom)) {
    previousRegisteredAddress.validTo = addDays(current.validFrom, -1);
  }

  const addresses: Address[] = [];
  const parts = new Set<RecordPart>(['identity', 'birth', 'sex']);
  const adrNode = pp.one('Adresser');
  if (adrNode) {
    const a = ctx.children(adrNode, S.adresser);
    const reg = a.one('Folkbokforingsadress');
    if (reg) {
      parts.add('address.registered');
      const adr = readSvenskAdress(ctx, reg, 'registered', true);
      if (adr) {
        adr.validFrom = current?.validFrom ?? null;
        const rk = a.one('Riksnycklar');
        if (rk) {
          const r = ctx.children(rk, S.riksnycklar);
          ctx.str(r.one('FastighetsId'), { max: 10 });
          const adressplats = ctx.int(r.one('AdressplatsId'), 0, 99999999999999);
          const lagenhet = ctx.int(r.one('LagenhetsId'), 0, 99999999999999);
          adr.dwelling = lagenhet !== null ? `lagenhet:${lagenhet}` : adressplats !== null ? `adressplats:${adressplats}` : null;
        }
        addresses.push(adr);
      }
    } else if (a.one('Riksnycklar')) {
      ctx.children(a.one('Riksnycklar')!, S.riksnycklar);
    }
    const d = a.one('Distrikt');
    if (d) {
      const kod = ctx.int(ctx.children(d, S.distrikt).one('Distriktskod'), 0, 999999);
      if (current && kod !== null) current.district = String(kod).padStart(6, '0');
    }
    const post2 = a.one('SarskildPostadress');
    if (post2) {
      parts.add('address.postal');
      const adr = readSvenskAdress(ctx, post2, 'postal', true);
      if (adr) addresses.push(adr);
    }
    const utl = a.one('Utlandsadress');
    if (utl) {
      parts.add('address.foreign');
      const adr = readUtlandsadress(ctx, utl);
      if (adr) addresses.push(adr);
    }
  }
  if (previousRegisteredAddress) addresses.push(previousRegisteredAddress);

  // Groups that are ignored by design are still checked for belonging where they stand.
  if (pp.one('Civilstand')) {
    const c = ctx.children(pp.one('Civilstand')!, S.civilstand);
    ctx.code(c.one('CivilstandKod'), CIVILSTAND);
    ctx.navetDate(c.one('Civilstandsdatum'));
  }
  if (pp.one('Fodelse')) ctx.children(pp.one('Fodelse')!, S.fodelse);
  if (post.one('Sarlosning')) ctx.children(post.one('Sarlosning')!, S.sarlosning);

  let immigrationDate: string | null = null;
  if (pp.one('Invandring')) {
    const inv = ctx.children(pp.one('Invandring')!, S.invandring);
    immigrationDate = ctx.navetDate(inv.one('Invandringsdatum'));
    ctx.code(inv.one('Uppehallsratt'), ['J'] as const);
    for (const f of ['NordisktPnrDa', 'NordisktPnrFi', 'NordisktPnrFo', 'NordisktPnrIs', 'NordisktPnrNo']) ctx.str(inv.one(f), { max: 12 });
    parts.add('immigration');
  }

  const relations: Relation[] = [];
  if (pp.one('Relationer')) {
    parts.add('relations');
    for (const r of ctx.children(pp.one('Relationer')!, S.relationer).all('Relation')) {
      const rel = readRelation(ctx, r, readId, today);
      if (rel) relations.push(rel);
    }
  }

  const citizenships: PopulationRecord['citizenships'] = [];
  for (const m of pp.all('Medborgarskap')) {
    parts.add('citizenship');
    const c = ctx.children(m, S.medborgarskap);
    const land = ctx.str(c.one('MedborgarskapslandKod'), { max: 2, attrs: STYRKT });
    checkStyrkt(ctx, c.one('MedborgarskapslandKod'));
    const from = ctx.navetDate(c.one('Medborgarskapsdatum'));
    if (land) citizenships.push({ country: land, codeSystem: 'iso3166-alpha2', from, validTo: null, current: true });
  }

  const protection: Protection[] = [];
  if (!complete && !!sekNode !== !!skyddNode) {
    // One flag alone cannot decide the level: a lone Sekretessmarkering=J on a person with skyddad folkbokföring
    // would otherwise downgrade the protection. Guessing either way can leak an address; a clerk decides.
    ctx.report(sekNode ?? skyddNode!, 'inconsistent', 'A notice must state Sekretessmarkering and SkyddadFolkbokforing together; the protection cannot be decided from one of them');
  } else if (complete || sekNode || skyddNode) {
    parts.add('protection');
    const codes: string[] = [];
    if (sek === 'J') codes.push('sekretessmarkering');
    if (skydd === 'J') codes.push('skyddad_folkbokforing');
    const level = skydd === 'J' ? 'se_skyddad_folkbokforing' : sek === 'J' ? 'se_sekretessmarkering' : 'none';
    protection.push({ level, registerCodes: codes, from: null, to: null, current: true });
  }

  if (avNode || complete) parts.add('status');
  if (namnNode) parts.add('name');
  if (fbNode || histNode) parts.add('registration');

  if (!identity || !ctx.ok) return { ctx, record: null, subject };
  const record: PopulationRecord = {
    format: 'navet',
    source: { line: node.line, column: node.column, index },
    completeness: complete ? 'complete' : 'partial',
    partialMode: complete ? null : 'replace_parts',
    parts: complete ? [...ALL_PARTS] : ALL_PARTS.filter((p) => parts.has(p)),
    identity,
    reserveNumber: null,
    previousIdentities,
    replacedBy,
    falseIdentity: false,
    names,
    birthDate,
    sex: parsedSex,
    sexSource: parsedSex ? 'identity_number' : null,
    statuses,
    registrations,
    addresses,
    sharedResidences: [],
    protection,
    relations,
    citizenships,
    immigrationDate,
    contacts: [],
    event,
  };
  return { ctx, record, subject: identity.canonical };
}

function checkStyrkt(ctx: RecordContext, n: XmlNode | undefined): void {
  const v = n?.attrs['styrkt'];
  if (n && v !== undefined && v !== 'J' && v !== 'N') ctx.report(n, 'unknown_code', `@styrkt "${v}" is not J or N`);
}

function readNamn(ctx: RecordContext, node: XmlNode): Omit<PersonName, 'validFrom' | 'validTo' | 'current'> | null {
  const n = ctx.children(node, S.namn);
  const markerNode = n.one('Tilltalsnamnsmarkering');
  const marker = ctx.int(markerNode, 10, 99);
  const given = ctx.str(n.one('Fornamn'), { max: 80, attrs: STYRKT });
  const middle = ctx.str(n.one('Mellannamn'), { max: 40, attrs: STYRKT });
  const family = ctx.str(n.one('Efternamn'), { max: 60, attrs: STYRKT });
  for (const f of ['Fornamn', 'Mellannamn', 'Efternamn']) checkStyrkt(ctx, n.one(f));
  const short = ctx.str(n.one('Aviseringsnamn'), { max: 36 });
  let preferred: string | null = null;
  if (marker !== null) {
    preferred = given ? resolveTilltalsnamn(given, String(marker)) : null;
    if (preferred === null) {
      ctx.report(markerNode!, 'inconsistent', `Tilltalsnamnsmarkering ${marker} names a given name that "${given ?? ''}" does not have`);
    }
  }
  if (given === null && family === null) return null;
  return { given: given ?? '', middle, family: family ?? '', preferred, preferredMarker: marker === null ? null : String(marker), short };
}

function readFolkbokforing(ctx: RecordContext, node: XmlNode, current: boolean): Registration {
  const f = ctx.children(node, S.folkbokforing);
  const lan = ctx.str(f.one('LanKod'), { max: 2, pattern: /^\d{2}$/, patternText: 'a two-digit county code' });
  const kommun = ctx.str(f.one('KommunKod'), { max: 2, pattern: /^\d{2}$/, patternText: 'a two-digit municipality code' });
  ctx.str(f.one('ForsamlingKod'), { max: 2 });
  const property = ctx.str(f.one('Fastighetsbeteckning'), { max: 40 });
  ctx.str(f.one('Trappuppgang'), { max: 3 });
  ctx.str(f.one('Lagenhet'), { max: 4 });
  ctx.int(f.one('FiktivtNr'), 0, 999);
  return {
    municipalityCode: lan && kommun ? `${lan}${kommun}` : null,
    countyCode: lan,
    district: null,
    registerType: ctx.str(f.one('Folkbokforingstyp'), { max: 2 }),
    property,
    validFrom: ctx.navetDate(f.one('Folkbokforingsdatum')),
    validTo: null,
    current,
  };
}

function emptyAddress(kind: Address['kind'], current: boolean): Address {
  return {
    kind,
    careOf: null,
    lines: [],
    street: '',
    postalCode: null,
    city: null,
    country: null,
    countryName: null,
    municipalityCode: null,
    dwelling: null,
    grading: null,
    validFrom: null,
    validTo: null,
    current,
  };
}

/** Null when the element is nil or empty: in a notice that states the address was removed. */
function readSvenskAdress(ctx: RecordContext, node: XmlNode, kind: 'registered' | 'postal', current: boolean): Address | null {
  const a = ctx.children(node, S.svenskAdress);
  const careOf = ctx.str(a.one('CareOf'), { max: 35 });
  const lines = [ctx.str(a.one('Utdelningsadress1'), { max: 35 }), ctx.str(a.one('Utdelningsadress2'), { max: 35 })].filter((x): x is string => x !== null);
  const postNr = ctx.int(a.one('PostNr'), 0, 99999);
  const city = ctx.str(a.one('Postort'), { max: 27 });
  if (!careOf && !lines.length && postNr === null && !city) return null;
  return { ...emptyAddress(kind, current), careOf, lines, street: lines.join(', '), postalCode: postNr === null ? null : postalCodeSE(postNr), city, country: 'SE' };
}

function readUtlandsadress(ctx: RecordContext, node: XmlNode): Address | null {
  const a = ctx.children(node, S.utlandsadress);
  const lines = ['Utdelningsadress1', 'Utdelningsadress2', 'Utdelningsadress3'].map((f) => ctx.str(a.one(f), { max: 35 })).filter((x): x is string => x !== null);
  const land = ctx.str(a.one('Land'), { max: 35 });
  const from = ctx.navetDate(a.one('Utlandsadressdatum'));
  ctx.navetDate(a.one('Rostrattsdatum'));
  if (!lines.length && !land) return null;
  // Sweden's foreign addresses put the postcode and town inside the delivery lines; they are kept as lines.
  return { ...emptyAddress('foreign', true), lines, street: lines.join(', '), countryName: land, validFrom: from };
}

function readRelation(
  ctx: RecordContext,
  node: XmlNode,
  readId: (n: XmlNode | undefined) => { ref: IdentityRef } | null,
  today: string,
): Relation | null {
  const r = ctx.children(node, S.relation);
  const status = node.attrs['status'];
  if (status !== undefined && !(RELATION_STATUS as readonly string[]).includes(status)) {
    ctx.report(node, 'unknown_code', `Relation/@status "${status}" is not one of ${RELATION_STATUS.join(', ')}`);
  }
  let identity: IdentityRef | null = null;
  let birthDate: string | null = null;
  const idNode = r.one('RelationId');
  if (idNode) {
    const ids = ctx.children(idNode, S.relationId);
    if (ids.one('PersonNr')) identity = readId(ids.one('PersonNr'))?.ref ?? null;
    const ft = ids.one('FodelsetidNr');
    if (ft) {
      // A related person without a Swedish number: the birth time (YYYYMMDD, optionally a serial after it).
      const v = ctx.int(ft, 0, 999999999999);
      if (v !== null) {
        const s = String(v);
        const date = s.length >= 8 ? ctx.navetDate({ ...ft, text: s.slice(0, 8), children: [] }) : null;
        if (s.length < 8) ctx.report(ft, 'bad_date', `<FodelsetidNr> ${s} does not start with a birth date YYYYMMDD`);
        birthDate = date;
      }
    }
  }
  const typ = ctx.code(r.one('Relationstyp'), RELATIONSTYP);
  const from = ctx.navetDate(r.one('RelationFromdatum'));
  const to = ctx.navetDate(r.one('RelationTomdatum'));
  const name = r.one('Namn') ? readNamn(ctx, r.one('Namn')!) : null;
  let deregistration: Relation['other']['deregistration'] = null;
  if (r.one('Avregistrering')) {
    const av = ctx.children(r.one('Avregistrering')!, S.avregistrering);
    deregistration = { code: ctx.code(av.one('AvregistreringsorsakKod'), AVREGISTRERING), date: ctx.navetDate(av.one('Avregistreringsdatum')) };
  }
  if (!typ) return null;
  // A relation ends on its Tomdatum; a partial date (YYYY-MM) is compared on what it states.
  const ended = to !== null && to < today.slice(0, to.length);
  return {
    kind: RELATION_KIND[typ],
    registerCode: typ,
    custody: null,
    other: {
      identity,
      birthDate,
      name: name ? { given: name.given, middle: name.middle, family: name.family } : null,
      organisationNumber: null,
      deregistration,
    },
    validFrom: from,
    validTo: to,
    registerStatus: status ?? null,
    current: !ended && !(status !== undefined && RELATION_ENDED.has(status)),
  };
}

/**
 * Reads a Navet file. Yields the header first, then records and problems in file order, and a summary last.
 * Throws PopulationFileError for file errors and the signal's reason when cancelled.
 */
export async function* readNavet(input: XmlInput, opts: ReadOptions = {}): AsyncGenerator<PopulationReadItem, void, undefined> {
  const session = new ReadSession(opts);
  const today = opts.today ?? localToday();
  let headerDone = false;
  // Parser-time state: classify runs while a slice is parsed, ahead of the consumer.
  let sawHeader = false;
  let sawPosts = false;
  let declared: number | null = null;
  let index = 0;
  const classify = (path: readonly ElementStart[], el: ElementStart): Disposition => {
    if (path.length === 0) {
      if (el.name === 'Navetavisering' && el.ns === NS) return 'container';
      return { unexpected: `The root element is <${el.name}>${el.ns ? ` in namespace ${el.ns}` : ''}; a Navet file starts with <Navetavisering>`, fatal: 'wrong_root' };
    }
    if (path.length === 1) {
      if (el.ns === NS && el.name === 'Aviseringsinformation' && !sawHeader && !sawPosts) {
        sawHeader = true;
        return 'capture';
      }
      if (el.ns === NS && el.name === 'Folkbokforingsposter' && !sawPosts) {
        sawPosts = true;
        return 'container';
      }
      return { unexpected: `<${el.name}> is not allowed here in <Navetavisering> (Aviseringsinformation, then one Folkbokforingsposter)` };
    }
    if (path.length === 2 && el.ns === NS && el.name === 'Folkbokforingspost') return 'capture';
    return { unexpected: `<${el.name}> is not allowed in <${path[path.length - 1]!.name}>; only <Folkbokforingspost>` };
  };
  try {
    for await (const item of readXml(input, classify, { signal: opts.signal, onProgress: opts.onProgress, stats: session.stats })) {
      opts.signal?.throwIfAborted();
      if (item.type === 'issue') {
        yield { type: 'problem', problem: session.problem(item.issue, null, null) };
      } else if (item.type === 'node' && item.node.name === 'Aviseringsinformation') {
        const header = readHeader(item.node, session, opts);
        headerDone = true;
        yield { type: 'header', header };
        declared = header.declaredRecords;
      } else if (item.type === 'enter' && item.el.name === 'Folkbokforingsposter' && !headerDone) {
        const header = readHeader(null, session, opts);
        headerDone = true;
        yield { type: 'header', header };
      } else if (item.type === 'node') {
        index++;
        const { ctx, record, subject } = mapPost(item.node, index, today, session);
        if (record && ctx.ok) {
          session.records++;
          yield { type: 'record', record };
        } else {
          session.skippedRecords++;
          for (const issue of ctx.issues) yield { type: 'problem', problem: session.problem(issue, index, subject) };
        }
      } else if (item.type === 'leave' && item.depth === 0) {
        if (!sawPosts) {
          throw session.fatal({ line: 1, column: 1, element: 'Navetavisering', reason: '<Navetavisering> lacks <Folkbokforingsposter>', code: 'missing_element' });
        }
        if (declared !== null && declared !== index) {
          throw session.fatal({
            line: 1,
            column: 1,
            element: 'AntalPoster',
            reason: `The file says it holds ${declared} posts (AntalPoster) but has ${index}: it is truncated or not the file that was sent`,
            code: 'count_mismatch',
          });
        }
      }
    }
  } catch (e) {
    session.rethrow(e);
  }
  if (!headerDone) {
    throw session.fatal({ line: 1, column: 1, element: '', reason: 'The file is empty: no <Navetavisering> was found', code: 'wrong_root' });
  }
  yield { type: 'end', summary: session.summary() };
}
