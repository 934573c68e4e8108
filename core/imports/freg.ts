/**
 * Reader for Folkeregisteret (Skatteetaten) person documents and events as a stream of PopulationRecords.
 * Element mapping: see the header of model.ts. Error policy: as navet.ts (file errors stop the read and
 * nothing may be applied; problems inside one person or event skip that record only).
 *
 * Files. Skatteetaten delivers one person document (`folkeregisterperson`, PersondokumentMedHistorikk) per
 * lookup and one event document (`dokumentForHendelse`, Hendelsedokument) per event; the feed that numbers the
 * events (hendelsesliste, `sekvensnummer`) is not part of either XSD. A file of many therefore needs a
 * container, and Kansli uses its own, in namespace `urn:kansli:folkeregisteret:v1`, declared in
 * test/fixtures/schemas/folkeregisteret/kansli-folkeregisteret-v1.xsd, which imports the two official XSDs so
 * that every document inside is validated against Skatteetaten's own declarations:
 *
 *   <k:folkeregisterpersoner>                         a full extract of the municipality
 *     <k:uttrekk> opprettet, kommunenummer, sisteSekvensnummer, antall </k:uttrekk>
 *     <p:folkeregisterperson>…</p:folkeregisterperson>*
 *   <k:folkeregisterhendelser>                        the feed from fraSekvensnummer to tilSekvensnummer
 *     <k:uttrekk> opprettet, kommunenummer, fraSekvensnummer, tilSekvensnummer, antall </k:uttrekk>
 *     <k:hendelse> <k:sekvensnummer/> <h:dokumentForHendelse/> <p:folkeregisterperson/>? </k:hendelse>*
 *
 * `sisteSekvensnummer` of a full extract is the feed position read (hendelser/siste/sekvensnummer) before the
 * extract was taken, so the feed can be followed from there. An event entry may carry the person document as
 * it stood after the event (the feed's `persondokument` pointer, fetched): then the record is complete; without
 * it the record is partial and carries only the changed entity (see PopulationRecord.partialMode). A bare
 * `folkeregisterperson` or `dokumentForHendelse` as the root is read too, as a delta without ordering.
 *
 * History. A person document keeps every version of each fact; `erGjeldende` marks the current one and is
 * taken as the truth; entities without any erGjeldende count the entries without `opphoerstidspunkt` as
 * current. Norway has no tilltalsnamn, so `preferred` is always null.
 */
import type { ProtectionLevel } from '../../shared/api/schemas';
import {
  ALL_PARTS,
  type Address,
  type CustodyKind,
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
  type SharedResidence,
  type StatusCode,
} from './model';
import { Children, localToday, readXml, ReadSession, RecordContext, seq, type Disposition, type ElementStart, type Seq, type XmlInput, type XmlNode } from './xml';

export const PERSON_NS = 'folkeregisteret:tilgjengeliggjoering:person:v1';
export const EVENT_NS = 'folkeregisteret:tilgjengeliggjoering:hendelse:v1';
export const KANSLI_NS = 'urn:kansli:folkeregisteret:v1';

/** The person document (PersondokumentMedHistorikk) or the event document (Hendelsedokument) variant of a type. */
type Variant = 'P' | 'H';

const TEXT = { max: 4000 };
const KOMMUNENUMMER = { length: 4, pattern: /^\d{4}$/, patternText: 'a four-digit kommunenummer' };
const POSTNUMMER = { length: 4, pattern: /^\d{4}$/, patternText: 'a four-digit postnummer' };
const ALFA2 = { length: 2, pattern: /^[A-Z]{2}$/, patternText: 'an ISO 3166 alpha-2 country code' };
const ALFA3 = { length: 3, pattern: /^[A-Z]{3}$/, patternText: 'an ISO 3166 alpha-3 country code' };

const meta = (v: Variant) =>
  v === 'P'
    ? ['ajourholdstidspunkt?', 'erGjeldende?', 'kilde?', 'aarsak?', 'gyldighetstidspunkt?', 'opphoerstidspunkt?']
    : ['ajourholdstidspunkt?', 'kilde?', 'aarsak?', 'gyldighetstidspunkt?', 'opphoerstidspunkt?'];

function specs(v: Variant) {
  const ext = (...rest: string[]) => seq(...meta(v), ...rest);
  return {
    identifikasjonsnummer: ext('status', 'foedselsEllerDNummer', 'identifikatortype'),
    falskIdentitet: ext('(rettIdentitetVedOpplysninger|rettIdentitetErUkjent|rettIdentitetVedIdentifikasjonsnummer)', 'erFalsk'),
    status: ext('status'),
    doedsfall: ext('doedsdato?'),
    familierelasjon: ext('(relatertPerson|relatertPersonUtenFolkeregisteridentifikator)', 'relatertPersonsRolle', 'minRolleForPerson?'),
    bostedsadresse: ext(
      '(ukjentBosted|vegadresse|matrikkeladresse)', 'adresseIdentifikatorFraMatrikkelen?', 'naerAdresseIdentifikatorFraMatrikkelen?', 'adressegradering',
      'flyttedato?', 'grunnkrets?', 'stemmekrets?', 'skolekrets?', 'kirkekrets?',
    ),
    deltBosted: ext(
      '(vegadresse|matrikkeladresse|ukjentBosted)', 'startdatoForKontrakt', 'sluttdatoForKontrakt?', 'adresseIdentifikatorFraMatrikkelen?',
      'naerAdresseIdentifikatorFraMatrikkelen?', 'adressegradering',
    ),
    oppholdsadresse: ext('(vegadresse|matrikkeladresse|utenlandskAdresse|adressenErUkjent)', 'adresseIdentifikatorFraMatrikkelen?', 'adressegradering', 'oppholdsadressedato?', 'oppholdAnnetSted?'),
    postadresse:
      v === 'P'
        ? ext('adressegradering', 'postboksadresse?', 'vegadresse?', 'postadresseIFrittFormat?')
        : ext('adressegradering', 'postboksadresse?', 'vegadresse?', 'postadresseIFrittFormat?', 'adresseIdentifikatorFraMatrikkelen?'),
    postadresseIUtlandet: ext('adressegradering', 'utenlandskAdresse?', 'utenlandskAdresseIFrittFormat?'),
    adressebeskyttelse: ext('graderingsnivaa'),
    innflytting: ext('fraflyttingsland?', 'fraflyttingsstedIUtlandet?'),
    utflytting: ext('tilflyttingsland?', 'tilflyttingsstedIUtlandet?'),
    kjoenn: ext('kjoenn'),
    statsborgerskap: ext('statsborgerskap', 'ervervsdato?'),
    foreldreansvar: ext('ansvar', 'ansvarssubjekt?', 'ansvarlig?', 'ansvarligOrganisasjon?', 'ansvarligUtenIdentifikator?', 'ansvarssubjektUtenIdentifikator?'),
    foedsel: ext('foedselsdato?', 'foedselsaar', 'foedested?', 'foedekommuneINorge?', 'foedeland?'),
    navn: ext('fornavn', 'mellomnavn?', 'etternavn', 'forkortetNavn?', 'originaltNavn?'),
    vergemaalEllerFremtidsfullmakt: ext('vergemaaltype?', 'embete?', 'verge'),
    verge: v === 'P' ? seq('navn?', 'foedselsEllerDNummer?', 'omfang?') : seq('navn?', 'foedselsEllerDNummer?', 'omfang?', 'omfangetErInnenPersonligOmraade'),
    internasjonalAdresseIFrittFormat:
      v === 'P' ? seq('adresselinje*', 'postkode?', 'byEllerStedsnavn?', 'landkode?') : seq('adresselinje*', 'postkode?', 'byEllerStedsnavn?', 'landkode'),
    // Ignored entities: only their place is checked, and the metadata they carry.
    ignored: seq(...meta(v), '*'),
  };
}

const SP = specs('P');
const SH = specs('H');

const S = {
  person: seq(
    'falskIdentitet?', 'identifikasjonsnummer+', 'identitetsgrunnlag*', 'kontaktinformasjonForDoedsbo*', 'legitimasjonsdokument*', 'status*',
    'utlendingsmyndighetenesIdentifikasjonsnummer*', 'utenlandskPersonidentifikasjon*', 'doedsfall?', 'sivilstand*', 'familierelasjon*', 'bostedsadresse*',
    'deltBosted*', 'oppholdsadresse*', 'postadresse*', 'postadresseIUtlandet*', 'adressebeskyttelse*', 'preferertKontaktadresse*', 'innflytting*',
    'utflytting*', 'forholdTilSametingetsValgmanntall*', 'kjoenn*', 'statsborgerskap*', 'foreldreansvar*', 'foedsel?', 'navn*', 'foedselINorge?',
    'vergemaalEllerFremtidsfullmakt*', 'opphold*', 'bibehold*', 'brukAvSamiskSpraak*',
  ),
  vegadresse: seq('kommunenummer', 'bruksenhetsnummer?', 'bruksenhetstype?', 'adressenavn', 'adressenummer?', 'adressekode?', 'adressetilleggsnavn?', 'poststed?', 'coAdressenavn?'),
  matrikkeladresse: seq('bruksenhetsnummer?', 'bruksenhetstype?', 'matrikkelnummer', 'undernummer?', 'adressetilleggsnavn?', 'poststed?', 'coAdressenavn?'),
  matrikkelnummer: seq('kommunenummer', 'gaardsnummer', 'bruksnummer', 'festenummer?'),
  ukjentBosted: seq('bostedskommune?'),
  adressenummer: seq('husnummer', 'husbokstav?'),
  poststed: seq('poststedsnavn?', 'postnummer?'),
  postboksadresse: seq('postbokseier?', 'postboks', 'poststed?'),
  vegadresseForPost: seq('coAdressenavn?', 'adressenavn?', 'adressenummer?', 'poststed?', 'adressekode?', 'adressetilleggsnavn?', 'bruksenhetsnummer?'),
  postadresseIFrittFormat: seq('adresselinje*', 'poststed?'),
  internasjonalAdresse: seq('coAdressenavn?', 'adressenavn?', 'bygning?', 'etasjenummer?', 'boenhet?', 'postboks?', 'postkode?', 'byEllerStedsnavn?', 'distriktsnavn?', 'region?', 'landkode'),
  personnavn: seq('fornavn', 'mellomnavn?', 'etternavn'),
  relatertBiPerson: seq('navn', 'foedselsdato?', 'statsborgerskap?', 'kjoenn?'),
  dokument: seq('dokumentidentifikator', 'skjemaversjon', 'hendelse'),
  hendelse: seq('folkeregisteridentifikator', 'hendelsestype', 'ajourholdstidspunkt', 'egenskapshendelse*', 'hendelsesaarsakIDsf?'),
  uttrekkPersoner: seq('opprettet', 'kommunenummer', 'sisteSekvensnummer', 'antall'),
  uttrekkHendelser: seq('opprettet', 'kommunenummer', 'fraSekvensnummer', 'tilSekvensnummer', 'antall'),
  kHendelse: seq('sekvensnummer', '*'),
};

/** Entities an egenskapshendelse may carry (Registerdata's choice), in the XSD's order. */
const EVENT_ENTITIES = [
  'falskIdentitet', 'identifikasjonsnummer', 'identitetsgrunnlag', 'kontaktinformasjonForDoedsbo', 'legitimasjonsdokument',
  'utlendingsmyndighetenesIdentifikasjonsnummer', 'utenlandskPersonidentifikasjon', 'status', 'deltBosted', 'kjoenn', 'foedsel', 'foedselINorge',
  'familierelasjon', 'sivilstand', 'doedsfall', 'navn', 'adressebeskyttelse', 'bostedsadresse', 'oppholdsadresse', 'innflytting', 'utflytting',
  'brukAvSamiskSpraak', 'postadresse', 'postadresseIUtlandet', 'foreldreansvar', 'statsborgerskap', 'bibehold', 'opphold', 'vergemaalEllerFremtidsfullmakt',
] as const;
const EGENSKAPSHENDELSE = seq(`(${EVENT_ENTITIES.join('|')})?`, 'entitet', 'entitetsendring');
const ENTITETSNAVN = [
  'falskIdentitet', 'identifikasjonsnummer', 'identitetsgrunnlag', 'utlendingsmyndighetenesIdentifikasjonsnummer', 'legitimasjonsdokument',
  'utenlandskPersonidentifikasjon', 'kontaktinformasjonForDoedsbo', 'status', 'deltBosted', 'kjoenn', 'foedsel', 'foedselINorge', 'sivilstand',
  'familierelasjon', 'doedsfall', 'navn', 'adressebeskyttelse', 'bostedsadresse', 'oppholdsadresse', 'innflytting', 'utflytting', 'brukAvSamiskSpraak',
  'kontaktadresse', 'kontaktadresseIUtlandet', 'foreldreansvar', 'statsborgerskap', 'bibehold', 'opphold', 'vergemaalEllerFremtidsfullmakt',
] as const;
/** Hendelsedokument's trap: the entity names of the two contact addresses differ from their element names. */
const ENTITY_ELEMENT: Record<string, string> = { kontaktadresse: 'postadresse', kontaktadresseIUtlandet: 'postadresseIUtlandet' };
const ENTITETSENDRING = ['registrereNy', 'korrigere', 'annullere', 'korrigereHistorisk'] as const;
const HENDELSESTYPE = [
  'personErOpprettet', 'personErReaktivert', 'personErOpphoert', 'personErViderefoertSomGjeldendeVedSammenslaaing', 'personErOpphoertSomDublett',
  'personErEndretVedSplitting', 'personErGjenopprettetVedSplitting', 'personErDoed', 'personErBosatt', 'personErUtflyttet', 'endringIStatus',
  'endringIIdentitetsgrunnlag', 'endringIUtenlandskPersonidentifikasjon', 'endringIUtlendingsmyndighetenesIdentifikasjonsnummer', 'endringILegitimasjonsdokument',
  'endringIIdentifikasjonsnummer', 'endringIFalskIdentitet', 'endringIKontaktopplysningerForDoedsbo', 'endringIDeltBosted', 'endringIFoedsel',
  'endringIFoedselINorge', 'endringIKjoenn', 'endringIFamilierelasjon', 'endringISivilstand', 'endringIDoedsfall', 'endringINavn',
  'endringIAdressebeskyttelse', 'endringIBostedsadresse', 'endringIBostedsadresseUtenFlytting', 'endringIOppholdsadresse', 'endringIInnflytting',
  'endringIUtflytting', 'endringIBrukAvSamiskSpraak', 'endringIKontaktinformasjon', 'endringIForeldreansvar', 'endringIStatsborgerskap', 'endringIOpphold',
  'endringIVergemaal',
] as const;

const IDENTIFIKATORSTATUS = ['iBruk', 'opphoert'] as const;
const IDENTIFIKATORTYPE = ['foedselsnummer', 'dNummer'] as const;
const PERSONSTATUS = ['bosatt', 'utflyttet', 'forsvunnet', 'doed', 'opphoert', 'foedselsregistrert', 'midlertidig', 'inaktiv', 'ikkeBosatt', 'aktiv'] as const;
const STATUS_OF: Record<(typeof PERSONSTATUS)[number], StatusCode> = {
  bosatt: 'active',
  foedselsregistrert: 'active',
  midlertidig: 'active',
  aktiv: 'active',
  doed: 'deceased',
  utflyttet: 'emigrated',
  forsvunnet: 'deregistered',
  opphoert: 'deregistered',
  inaktiv: 'deregistered',
  ikkeBosatt: 'deregistered',
};
const FAMILIEROLLE = ['mor', 'far', 'medmor', 'barn', 'soesken', 'ektefelleEllerPartner', 'doedfoedtBarn'] as const;
const FAMILY_KIND: Partial<Record<(typeof FAMILIEROLLE)[number], RelationKind>> = {
  mor: 'mother',
  far: 'father',
  medmor: 'co_mother',
  barn: 'child',
  soesken: 'sibling',
  ektefelleEllerPartner: 'spouse',
};
const GRADERING = ['ugradert', 'klientadresse', 'fortrolig', 'strengtFortrolig'] as const;
const PROTECTION_OF: Record<(typeof GRADERING)[number], ProtectionLevel> = {
  ugradert: 'none',
  klientadresse: 'no_klientadresse',
  fortrolig: 'no_fortrolig',
  strengtFortrolig: 'no_strengt_fortrolig',
};
const KJOENN = ['kvinne', 'mann'] as const;
const ANSVAR = ['felles', 'mor', 'far', 'medmor', 'andre', 'ukjent'] as const;
const CUSTODY_OF: Record<(typeof ANSVAR)[number], CustodyKind> = { felles: 'joint', mor: 'mother', far: 'father', medmor: 'co_mother', andre: 'other', ukjent: 'unknown' };
const BRUKSENHETSTYPE = ['bolig', 'annetEnnBolig', 'fritidsbolig', 'ikkeGodkjentBolig', 'unummerertBruksenhet'] as const;
const OPPHOLD_ANNET_STED = ['militaer', 'utenriks', 'paaSvalbard', 'pendler'] as const;
const VERGEMAALTYPE = [
  'ensligMindreaarigAsylsoeker', 'ensligMindreaarigFlyktning', 'voksen', 'midlertidigForVoksen', 'mindreaarig', 'midlertidigForMindreaarig',
  'forvaltningUtenforVergemaal', 'stadfestetFremtidsfullmakt',
] as const;
/** A verge for a minor stands in for the parents towards the school; guardianship of adults is left out. */
const VERGE_FOR_MINOR = new Set(['ensligMindreaarigAsylsoeker', 'ensligMindreaarigFlyktning', 'mindreaarig', 'midlertidigForMindreaarig']);
const VERGEOMFANG = ['utlendingssakerPersonligeOgOekonomiskeInteresser', 'personligeOgOekonomiskeInteresser', 'oekonomiskeInteresser', 'personligeInteresser'] as const;

interface Meta {
  from: string | null;
  to: string | null;
  /** erGjeldende as delivered (null when absent). */
  gjeldende: boolean | null;
}

interface Entry<T> {
  value: T;
  meta: Meta;
}

/** `current` per entry: erGjeldende where the entity has it, else "not ended". */
function withCurrent<T>(entries: Entry<T>[]): Array<T & { current: boolean }> {
  const anyFlag = entries.some((e) => e.meta.gjeldende !== null);
  return entries.map((e) => ({ ...e.value, current: anyFlag ? e.meta.gjeldende === true : e.meta.to === null }));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Current entries first, then the rest newest first. */
function byCurrency<T extends { current: boolean }>(list: T[], from: (t: T) => string | null): T[] {
  // Plain code-unit comparison: ISO dates sort correctly and localeCompare is far slower.
  return [...list].sort((a, b) => Number(b.current) - Number(a.current) || cmp(from(b) ?? '', from(a) ?? ''));
}

class FregMapper {
  readonly ctx: RecordContext;
  readonly sp: ReturnType<typeof specs>;

  constructor(
    readonly variant: Variant,
    readonly today: string,
    readonly session: ReadSession,
    ctx?: RecordContext,
  ) {
    this.ctx = ctx ?? new RecordContext(variant === 'P' ? PERSON_NS : EVENT_NS, false);
    this.sp = variant === 'P' ? SP : SH;
  }

  /** Runs the checks of a sub-tree in the other document's namespace with the same problem list. */
  inNamespace<T>(variant: Variant, f: (m: FregMapper) => T): T {
    const sub = new RecordContext(variant === 'P' ? PERSON_NS : EVENT_NS, false);
    const m = new FregMapper(variant, this.today, this.session, sub);
    const r = f(m);
    this.ctx.issues.push(...sub.issues);
    return r;
  }

  kids(node: XmlNode, s: Seq): Children {
    return this.ctx.children(node, s);
  }

  meta(c: Children): Meta {
    const ctx = this.ctx;
    ctx.xsDateTime(c.one('ajourholdstidspunkt'));
    ctx.str(c.one('kilde'), TEXT);
    ctx.str(c.one('aarsak'), TEXT);
    return {
      from: ctx.xsDateTime(c.one('gyldighetstidspunkt'))?.date ?? null,
      to: ctx.xsDateTime(c.one('opphoerstidspunkt'))?.date ?? null,
      gjeldende: ctx.bool(c.one('erGjeldende')),
    };
  }

  fnr(node: XmlNode | undefined): IdentityRef | null {
    const v = this.ctx.str(node);
    if (v === null || !node) return null;
    if (!/^\d{11}$/.test(v)) {
      this.ctx.report(node, 'bad_identity_number', `<${node.name}> must be 11 digits, got "${v.slice(0, 20)}"`);
      return null;
    }
    const r = this.session.parseId(v, 'NO', this.today);
    if (!r.ok) {
      this.ctx.report(node, 'bad_identity_number', `<${node.name}> ${v}: ${r.message}`);
      return null;
    }
    return { canonical: r.canonical, kind: r.kind, country: 'NO' };
  }

  text(node: XmlNode | undefined): string | null {
    return this.ctx.str(node, TEXT);
  }

  /** xs:long; the register's values (gårdsnummer, kretser) are far inside the safe-integer range. */
  heltall(node: XmlNode | undefined): number | null {
    return this.ctx.int(node, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }

  poststed(node: XmlNode | undefined): { code: string | null; city: string | null } {
    if (!node) return { code: null, city: null };
    const p = this.kids(node, S.poststed);
    return { city: this.text(p.one('poststedsnavn')), code: this.ctx.str(p.one('postnummer'), POSTNUMMER) };
  }

  adressenummer(node: XmlNode | undefined): string | null {
    if (!node) return null;
    const a = this.kids(node, S.adressenummer);
    const nr = this.ctx.str(a.one('husnummer'), { max: 4, pattern: /^\d+$/, patternText: 'a house number' });
    const letter = this.ctx.str(a.one('husbokstav'), { length: 1, pattern: /^[A-Za-zæøåÆØÅ]$/, patternText: 'one letter' });
    return nr === null ? null : `${nr}${letter ?? ''}`;
  }

  blank(kind: Address['kind']): Address {
    return {
      kind,
      careOf: null,
      lines: [],
      street: '',
      postalCode: null,
      city: null,
      country: 'NO',
      countryName: null,
      municipalityCode: null,
      dwelling: null,
      grading: null,
      validFrom: null,
      validTo: null,
      current: true,
    };
  }

  finish(a: Address): Address {
    a.street = a.lines.join(', ');
    return a;
  }

  /** vegadresse: "Storgata 12B H0101" on one line, an adressetilleggsnavn (a farm or building name) above it. */
  vegadresse(node: XmlNode, kind: Address['kind'], addressId: string | null): Address {
    const v = this.kids(node, S.vegadresse);
    const ctx = this.ctx;
    const kommune = ctx.str(v.one('kommunenummer'), KOMMUNENUMMER);
    const unit = this.text(v.one('bruksenhetsnummer'));
    ctx.code(v.one('bruksenhetstype'), BRUKSENHETSTYPE);
    const name = this.text(v.one('adressenavn'));
    const nr = this.adressenummer(v.one('adressenummer'));
    this.text(v.one('adressekode'));
    const extra = this.text(v.one('adressetilleggsnavn'));
    const ps = this.poststed(v.one('poststed'));
    const a = this.blank(kind);
    a.careOf = this.text(v.one('coAdressenavn'));
    a.lines = [extra, [name, nr, unit].filter(Boolean).join(' ')].filter((x): x is string => !!x);
    a.postalCode = ps.code;
    a.city = ps.city;
    a.municipalityCode = kommune;
    a.dwelling = addressId ? `${addressId}${unit ? `/${unit}` : ''}` : null;
    return this.finish(a);
  }

  /** matrikkeladresse: a cadastral address (gårdsnummer/bruksnummer), written as the farm name and "gnr/bnr". */
  matrikkeladresse(node: XmlNode, kind: Address['kind'], addressId: string | null): Address {
    const m = this.kids(node, S.matrikkeladresse);
    const unit = this.text(m.one('bruksenhetsnummer'));
    this.ctx.code(m.one('bruksenhetstype'), BRUKSENHETSTYPE);
    let kommune: string | null = null;
    let cadastral: string | null = null;
    const mn = m.one('matrikkelnummer');
    if (mn) {
      const k = this.kids(mn, S.matrikkelnummer);
      kommune = this.ctx.str(k.one('kommunenummer'), KOMMUNENUMMER);
      const g = this.heltall(k.one('gaardsnummer'));
      const b = this.heltall(k.one('bruksnummer'));
      const f = this.heltall(k.one('festenummer'));
      cadastral = `${g}/${b}${f !== null ? `/${f}` : ''}`;
    }
    const under = this.heltall(m.one('undernummer'));
    const extra = this.text(m.one('adressetilleggsnavn'));
    const ps = this.poststed(m.one('poststed'));
    const a = this.blank(kind);
    a.careOf = this.text(m.one('coAdressenavn'));
    a.lines = [extra, cadastral ? `${cadastral}${under !== null ? `-${under}` : ''}${unit ? ` ${unit}` : ''}` : null].filter((x): x is string => !!x);
    a.postalCode = ps.code;
    a.city = ps.city;
    a.municipalityCode = kommune;
    a.dwelling = addressId ? `${addressId}${unit ? `/${unit}` : ''}` : null;
    return this.finish(a);
  }

  internasjonal(node: XmlNode, kind: Address['kind']): Address {
    const i = this.kids(node, S.internasjonalAdresse);
    const a = this.blank(kind);
    a.careOf = this.text(i.one('coAdressenavn'));
    a.lines = ['adressenavn', 'bygning', 'etasjenummer', 'boenhet', 'postboks', 'distriktsnavn', 'region'].map((f) => this.text(i.one(f))).filter((x): x is string => !!x);
    a.postalCode = this.text(i.one('postkode'));
    a.city = this.text(i.one('byEllerStedsnavn'));
    a.country = this.ctx.str(i.one('landkode'), ALFA2);
    return this.finish(a);
  }

  graderingOf(node: XmlNode | undefined): (typeof GRADERING)[number] | null {
    return this.ctx.code(node, GRADERING);
  }

  // --- entities --------------------------------------------------------------------------------------

  identities(nodes: XmlNode[]): Array<{ ref: IdentityRef; status: 'in_use' | 'ceased'; meta: Meta; current: boolean }> {
    const entries: Array<Entry<{ ref: IdentityRef | null; status: 'in_use' | 'ceased' }>> = [];
    for (const n of nodes) {
      const c = this.kids(n, this.sp.identifikasjonsnummer);
      const meta = this.meta(c);
      const status = this.ctx.code(c.one('status'), IDENTIFIKATORSTATUS);
      const ref = this.fnr(c.one('foedselsEllerDNummer'));
      const type = this.ctx.code(c.one('identifikatortype'), IDENTIFIKATORTYPE);
      if (ref && type) {
        // D-nummer: day + 40, so the first digit is 4–7 (also for the synthetic test range).
        const isD = Number(ref.canonical.charAt(0)) >= 4;
        if (isD !== (type === 'dNummer')) {
          this.ctx.report(c.one('identifikatortype')!, 'inconsistent', `${ref.canonical} is ${isD ? 'a D-nummer' : 'a fødselsnummer'} but identifikatortype says ${type}`);
        }
      }
      entries.push({ value: { ref, status: status === 'opphoert' ? 'ceased' : 'in_use' }, meta });
    }
    const flagged = withCurrent(entries);
    return flagged.flatMap((e, i) => (e.ref ? [{ ref: e.ref, status: e.status, meta: entries[i]!.meta, current: e.current }] : []));
  }

  names(nodes: XmlNode[]): PersonName[] {
    const entries = nodes.map((n): Entry<Omit<PersonName, 'current'>> => {
      const c = this.kids(n, this.sp.navn);
      const meta = this.meta(c);
      const given = this.text(c.one('fornavn')) ?? '';
      const middle = this.text(c.one('mellomnavn'));
      const family = this.text(c.one('etternavn')) ?? '';
      const short = this.text(c.one('forkortetNavn'));
      if (c.one('originaltNavn')) this.personnavn(c.one('originaltNavn')!);
      return { value: { given, middle, family, preferred: null, preferredMarker: null, short, validFrom: meta.from, validTo: meta.to }, meta };
    });
    return byCurrency(withCurrent(entries), (n) => n.validFrom);
  }

  personnavn(node: XmlNode): { given: string; middle: string | null; family: string } {
    const p = this.kids(node, S.personnavn);
    return { given: this.text(p.one('fornavn')) ?? '', middle: this.text(p.one('mellomnavn')), family: this.text(p.one('etternavn')) ?? '' };
  }

  biPerson(node: XmlNode): { name: { given: string; middle: string | null; family: string } | null; birthDate: string | null } {
    const b = this.kids(node, S.relatertBiPerson);
    const name = b.one('navn') ? this.personnavn(b.one('navn')!) : null;
    const birthDate = this.ctx.xsDate(b.one('foedselsdato'));
    this.ctx.str(b.one('statsborgerskap'), ALFA3);
    this.ctx.code(b.one('kjoenn'), KJOENN);
    return { name, birthDate };
  }

  statuses(nodes: XmlNode[], deathDate: string | null, emigratedTo: string | null): PersonStatus[] {
    const entries = nodes.map((n): Entry<Omit<PersonStatus, 'current'>> => {
      const c = this.kids(n, this.sp.status);
      const meta = this.meta(c);
      const s = this.ctx.code(c.one('status'), PERSONSTATUS);
      const code = s ? STATUS_OF[s] : 'active';
      return { value: { code, registerCode: s, date: meta.from, country: null }, meta };
    });
    const list = withCurrent(entries).map((s) => ({
      ...s,
      date: s.current && s.code === 'deceased' && deathDate ? deathDate : s.date,
      country: s.current && s.code === 'emigrated' ? emigratedTo : null,
    }));
    return byCurrency(list, (s) => s.date);
  }

  /** bostedsadresse → the registered addresses and the registrations (kommune, skolekrets) they imply. */
  bosted(nodes: XmlNode[]): { addresses: Address[]; registrations: Registration[] } {
    const entries: Array<Entry<{ address: Address | null; registration: Omit<Registration, 'current'> }>> = [];
    for (const n of nodes) {
      const c = this.kids(n, this.sp.bostedsadresse);
      const meta = this.meta(c);
      const addressId = this.text(c.one('adresseIdentifikatorFraMatrikkelen'));
      this.text(c.one('naerAdresseIdentifikatorFraMatrikkelen'));
      const grading = this.graderingOf(c.one('adressegradering'));
      const moved = this.ctx.xsDate(c.one('flyttedato'));
      this.heltall(c.one('grunnkrets'));
      this.heltall(c.one('stemmekrets'));
      const skolekrets = this.heltall(c.one('skolekrets'));
      this.heltall(c.one('kirkekrets'));
      let address: Address | null = null;
      let kommune: string | null = null;
      if (c.one('vegadresse')) address = this.vegadresse(c.one('vegadresse')!, 'registered', addressId);
      else if (c.one('matrikkeladresse')) address = this.matrikkeladresse(c.one('matrikkeladresse')!, 'registered', addressId);
      else if (c.one('ukjentBosted')) kommune = this.ctx.str(this.kids(c.one('ukjentBosted')!, S.ukjentBosted).one('bostedskommune'), KOMMUNENUMMER);
      const from = moved ?? meta.from;
      if (address) {
        address.grading = grading;
        address.validFrom = from;
        address.validTo = meta.to;
        kommune = address.municipalityCode;
      }
      entries.push({
        value: {
          address,
          registration: {
            municipalityCode: kommune,
            countyCode: null,
            district: skolekrets === null ? null : String(skolekrets),
            registerType: address ? null : 'ukjentBosted',
            property: null,
            validFrom: from,
            validTo: meta.to,
          },
        },
        meta,
      });
    }
    const flagged = withCurrent(entries);
    return {
      addresses: flagged.flatMap((e) => (e.address ? [{ ...e.address, current: e.current }] : [])),
      registrations: byCurrency(flagged.map((e) => ({ ...e.registration, current: e.current })), (r) => r.validFrom),
    };
  }

  deltBosted(nodes: XmlNode[]): SharedResidence[] {
    const entries = nodes.map((n): Entry<Omit<SharedResidence, 'current'>> => {
      const c = this.kids(n, this.sp.deltBosted);
      const meta = this.meta(c);
      const addressId = this.text(c.one('adresseIdentifikatorFraMatrikkelen'));
      this.text(c.one('naerAdresseIdentifikatorFraMatrikkelen'));
      const grading = this.graderingOf(c.one('adressegradering'));
      const from = this.ctx.xsDate(c.one('startdatoForKontrakt')) ?? '';
      const to = this.ctx.xsDate(c.one('sluttdatoForKontrakt'));
      let address: Address | null = null;
      let kommune: string | null = null;
      if (c.one('vegadresse')) address = this.vegadresse(c.one('vegadresse')!, 'registered', addressId);
      else if (c.one('matrikkeladresse')) address = this.matrikkeladresse(c.one('matrikkeladresse')!, 'registered', addressId);
      else if (c.one('ukjentBosted')) kommune = this.ctx.str(this.kids(c.one('ukjentBosted')!, S.ukjentBosted).one('bostedskommune'), KOMMUNENUMMER);
      if (address) {
        address.grading = grading;
        address.validFrom = from;
        address.validTo = to;
        kommune = address.municipalityCode;
      }
      return { value: { address, municipalityCode: kommune, from, to }, meta };
    });
    return withCurrent(entries);
  }

  opphold(nodes: XmlNode[]): Address[] {
    const entries: Array<Entry<Address>> = [];
    for (const n of nodes) {
      const c = this.kids(n, this.sp.oppholdsadresse);
      const meta = this.meta(c);
      const addressId = this.text(c.one('adresseIdentifikatorFraMatrikkelen'));
      const grading = this.graderingOf(c.one('adressegradering'));
      const since = this.ctx.xsDate(c.one('oppholdsadressedato'));
      this.ctx.code(c.one('oppholdAnnetSted'), OPPHOLD_ANNET_STED);
      let a: Address | null = null;
      if (c.one('vegadresse')) a = this.vegadresse(c.one('vegadresse')!, 'temporary', addressId);
      else if (c.one('matrikkeladresse')) a = this.matrikkeladresse(c.one('matrikkeladresse')!, 'temporary', addressId);
      else if (c.one('utenlandskAdresse')) a = this.internasjonal(c.one('utenlandskAdresse')!, 'temporary');
      else this.ctx.bool(c.one('adressenErUkjent'));
      if (!a) continue;
      a.grading = grading;
      a.validFrom = since ?? meta.from;
      a.validTo = meta.to;
      entries.push({ value: a, meta });
    }
    return withCurrent(entries);
  }

  post(nodes: XmlNode[]): Address[] {
    const entries: Array<Entry<Address>> = [];
    for (const n of nodes) {
      const c = this.kids(n, this.sp.postadresse);
      const meta = this.meta(c);
      const a = this.blank('postal');
      a.grading = this.graderingOf(c.one('adressegradering'));
      this.text(c.one('adresseIdentifikatorFraMatrikkelen'));
      if (c.one('postboksadresse')) {
        const p = this.kids(c.one('postboksadresse')!, S.postboksadresse);
        const owner = this.text(p.one('postbokseier'));
        const box = this.text(p.one('postboks'));
        const ps = this.poststed(p.one('poststed'));
        a.lines = [owner, box].filter((x): x is string => !!x);
        a.postalCode = ps.code;
        a.city = ps.city;
      } else if (c.one('vegadresse')) {
        const v = this.kids(c.one('vegadresse')!, S.vegadresseForPost);
        a.careOf = this.text(v.one('coAdressenavn'));
        const street = [this.text(v.one('adressenavn')), this.adressenummer(v.one('adressenummer')), this.text(v.one('bruksenhetsnummer'))].filter(Boolean).join(' ');
        const ps = this.poststed(v.one('poststed'));
        this.text(v.one('adressekode'));
        a.lines = [this.text(v.one('adressetilleggsnavn')), street].filter((x): x is string => !!x);
        a.postalCode = ps.code;
        a.city = ps.city;
      } else if (c.one('postadresseIFrittFormat')) {
        const f = this.kids(c.one('postadresseIFrittFormat')!, S.postadresseIFrittFormat);
        const lines = f.all('adresselinje');
        if (lines.length > 4) this.ctx.report(lines[4]!, 'repeated_element', '<postadresseIFrittFormat> holds at most four <adresselinje>');
        a.lines = lines.map((l) => this.text(l)).filter((x): x is string => !!x);
        const ps = this.poststed(f.one('poststed'));
        a.postalCode = ps.code;
        a.city = ps.city;
      } else {
        continue; // only the grading: no address to record
      }
      a.validFrom = meta.from;
      a.validTo = meta.to;
      entries.push({ value: this.finish(a), meta });
    }
    return withCurrent(entries);
  }

  postUtland(nodes: XmlNode[]): Address[] {
    const entries: Array<Entry<Address>> = [];
    for (const n of nodes) {
      const c = this.kids(n, this.sp.postadresseIUtlandet);
      const meta = this.meta(c);
      const grading = this.graderingOf(c.one('adressegradering'));
      let a: Address | null = null;
      if (c.one('utenlandskAdresse')) a = this.internasjonal(c.one('utenlandskAdresse')!, 'foreign');
      else if (c.one('utenlandskAdresseIFrittFormat')) {
        const f = this.kids(c.one('utenlandskAdresseIFrittFormat')!, this.sp.internasjonalAdresseIFrittFormat);
        a = this.blank('foreign');
        a.lines = f.all('adresselinje').map((l) => this.text(l)).filter((x): x is string => !!x);
        a.postalCode = this.text(f.one('postkode'));
        a.city = this.text(f.one('byEllerStedsnavn'));
        a.country = this.ctx.str(f.one('landkode'), ALFA2);
        this.finish(a);
      }
      if (!a) continue;
      a.grading = grading;
      a.validFrom = meta.from;
      a.validTo = meta.to;
      entries.push({ value: a, meta });
    }
    return withCurrent(entries);
  }

  protection(nodes: XmlNode[]): Protection[] {
    const entries = nodes.map((n): Entry<Omit<Protection, 'current'>> => {
      const c = this.kids(n, this.sp.adressebeskyttelse);
      const meta = this.meta(c);
      const g = this.graderingOf(c.one('graderingsnivaa'));
      return { value: { level: g ? PROTECTION_OF[g] : 'none', registerCodes: g ? [g] : [], from: meta.from, to: meta.to }, meta };
    });
    return byCurrency(withCurrent(entries), (p) => p.from);
  }

  foreldreansvar(nodes: XmlNode[]): Relation[] {
    const entries: Array<Entry<Omit<Relation, 'current'>>> = [];
    for (const n of nodes) {
      const c = this.kids(n, this.sp.foreldreansvar);
      const meta = this.meta(c);
      const ansvar = this.ctx.code(c.one('ansvar'), ANSVAR);
      const subject = this.fnr(c.one('ansvarssubjekt'));
      const responsible = this.fnr(c.one('ansvarlig'));
      const org = this.ctx.str(c.one('ansvarligOrganisasjon'), { length: 9, pattern: /^\d{9}$/, patternText: 'a nine-digit organisasjonsnummer' });
      const responsibleBi = c.one('ansvarligUtenIdentifikator') ? this.biPerson(c.one('ansvarligUtenIdentifikator')!) : null;
      const subjectBi = c.one('ansvarssubjektUtenIdentifikator') ? this.biPerson(c.one('ansvarssubjektUtenIdentifikator')!) : null;
      const forOther = !!(c.one('ansvarssubjekt') || c.one('ansvarssubjektUtenIdentifikator'));
      const byOther = !!(c.one('ansvarlig') || c.one('ansvarligOrganisasjon') || c.one('ansvarligUtenIdentifikator'));
      if (forOther && byOther) {
        this.ctx.report(n, 'inconsistent', '<foreldreansvar> names both the person responsible (ansvarlig) and the child (ansvarssubjekt)');
      }
      const bi = forOther ? subjectBi : responsibleBi;
      entries.push({
        value: {
          kind: forOther ? 'custody_of' : 'custodian',
          registerCode: `foreldreansvar:${ansvar ?? ''}`,
          custody: ansvar ? CUSTODY_OF[ansvar] : null,
          other: {
            identity: forOther ? subject : responsible,
            birthDate: bi?.birthDate ?? null,
            name: bi?.name ?? null,
            organisationNumber: forOther ? null : org,
            deregistration: null,
          },
          validFrom: meta.from,
          validTo: meta.to,
          registerStatus: null,
        },
        meta,
      });
    }
    return withCurrent(entries);
  }

  familierelasjon(nodes: XmlNode[]): Relation[] {
    const entries: Array<Entry<Omit<Relation, 'current'>>> = [];
    for (const n of nodes) {
      const c = this.kids(n, this.sp.familierelasjon);
      const meta = this.meta(c);
      const other = this.fnr(c.one('relatertPerson'));
      const bi = c.one('relatertPersonUtenFolkeregisteridentifikator') ? this.biPerson(c.one('relatertPersonUtenFolkeregisteridentifikator')!) : null;
      const role = this.ctx.code(c.one('relatertPersonsRolle'), FAMILIEROLLE);
      this.ctx.code(c.one('minRolleForPerson'), FAMILIEROLLE);
      const kind = role ? FAMILY_KIND[role] : undefined;
      if (!kind) continue; // doedfoedtBarn: deliberately not kept (see model.ts)
      entries.push({
        value: {
          kind,
          registerCode: `familierelasjon:${role}`,
          custody: null,
          other: { identity: other, birthDate: bi?.birthDate ?? null, name: bi?.name ?? null, organisationNumber: null, deregistration: null },
          validFrom: meta.from,
          validTo: meta.to,
          registerStatus: null,
        },
        meta,
      });
    }
    return withCurrent(entries);
  }

  verge(nodes: XmlNode[]): Relation[] {
    const entries: Array<Entry<Omit<Relation, 'current'>>> = [];
    for (const n of nodes) {
      const c = this.kids(n, this.sp.vergemaalEllerFremtidsfullmakt);
      const meta = this.meta(c);
      const type = this.ctx.code(c.one('vergemaaltype'), VERGEMAALTYPE);
      this.text(c.one('embete'));
      let identity: IdentityRef | null = null;
      let name: Relation['other']['name'] = null;
      if (c.one('verge')) {
        const v = this.kids(c.one('verge')!, this.sp.verge);
        if (v.one('navn')) name = this.personnavn(v.one('navn')!);
        identity = this.fnr(v.one('foedselsEllerDNummer'));
        this.ctx.code(v.one('omfang'), VERGEOMFANG);
        this.ctx.bool(v.one('omfangetErInnenPersonligOmraade'));
      }
      if (!type || !VERGE_FOR_MINOR.has(type)) continue;
      entries.push({
        value: {
          kind: 'appointed_guardian',
          registerCode: `verge:${type}`,
          custody: null,
          other: { identity, birthDate: null, name, organisationNumber: null, deregistration: null },
          validFrom: meta.from,
          validTo: meta.to,
          registerStatus: null,
        },
        meta,
      });
    }
    return withCurrent(entries);
  }

  citizenships(nodes: XmlNode[]): PopulationRecord['citizenships'] {
    const entries = nodes.map((n): Entry<Omit<PopulationRecord['citizenships'][number], 'current'>> => {
      const c = this.kids(n, this.sp.statsborgerskap);
      const meta = this.meta(c);
      const country = this.ctx.str(c.one('statsborgerskap'), ALFA3) ?? '';
      const acquired = this.ctx.xsDate(c.one('ervervsdato'));
      return { value: { country, codeSystem: 'iso3166-alpha3', from: acquired ?? meta.from, validTo: meta.to }, meta };
    });
    return withCurrent(entries);
  }

  /** The value of the current entry of a single-valued entity (kjoenn, doedsfall …), or null. */
  currentOf<T>(nodes: XmlNode[], s: Seq, read: (c: Children, meta: Meta) => T): T | null {
    const entries = nodes.map((n) => {
      const c = this.kids(n, s);
      const meta = this.meta(c);
      return { value: { v: read(c, meta) }, meta };
    });
    const cur = withCurrent(entries).filter((e) => e.current);
    return cur.length ? cur[cur.length - 1]!.v : null;
  }

  ignored(nodes: XmlNode[]): void {
    for (const n of nodes) this.meta(this.kids(n, this.sp.ignored));
  }

  /**
   * Maps the entities of a person document (or the entities an event carries) onto the record's fields. `has`
   * tells which entities were present at all (for the parts of a partial record).
   */
  entities(k: Children): Omit<PopulationRecord, 'format' | 'source' | 'completeness' | 'parts' | 'partialMode' | 'event' | 'replacedBy'> & { ids: ReturnType<FregMapper['identities']> } {
    const ctx = this.ctx;
    const ids = this.identities(k.all('identifikasjonsnummer'));
    const falseIdentity = this.currentOf(k.all('falskIdentitet'), this.sp.falskIdentitet, (c) => {
      if (c.one('rettIdentitetVedOpplysninger')) this.kids(c.one('rettIdentitetVedOpplysninger')!, seq('personnavn', 'foedselsdato?', 'statsborgerskap+', 'kjoenn?'));
      ctx.bool(c.one('rettIdentitetErUkjent'));
      this.fnr(c.one('rettIdentitetVedIdentifikasjonsnummer'));
      return ctx.bool(c.one('erFalsk'));
    });
    const deathDate = this.currentOf(k.all('doedsfall'), this.sp.doedsfall, (c) => ctx.xsDate(c.one('doedsdato')));
    const emigratedTo = this.currentOf(k.all('utflytting'), this.sp.utflytting, (c) => {
      this.text(c.one('tilflyttingsstedIUtlandet'));
      return ctx.str(c.one('tilflyttingsland'), ALFA3);
    });
    const immigration = this.currentOf(k.all('innflytting'), this.sp.innflytting, (c, meta) => {
      ctx.str(c.one('fraflyttingsland'), ALFA3);
      this.text(c.one('fraflyttingsstedIUtlandet'));
      return meta.from;
    });
    const sex = this.currentOf(k.all('kjoenn'), this.sp.kjoenn, (c) => ctx.code(c.one('kjoenn'), KJOENN));
    const birth = this.currentOf(k.all('foedsel'), this.sp.foedsel, (c) => {
      const date = ctx.xsDate(c.one('foedselsdato'));
      const yearText = ctx.str(c.one('foedselsaar'), { pattern: /^\d{4}$/, patternText: 'a year YYYY' });
      this.text(c.one('foedested'));
      ctx.str(c.one('foedekommuneINorge'), KOMMUNENUMMER);
      ctx.str(c.one('foedeland'), ALFA3);
      if (date && yearText && date.slice(0, 4) !== yearText) ctx.report(c.one('foedselsaar')!, 'inconsistent', `foedselsaar ${yearText} differs from foedselsdato ${date}`);
      return date ?? yearText;
    });
    const bosted = this.bosted(k.all('bostedsadresse'));
    const names = this.names(k.all('navn'));
    const relations = [...this.foreldreansvar(k.all('foreldreansvar')), ...this.familierelasjon(k.all('familierelasjon')), ...this.verge(k.all('vergemaalEllerFremtidsfullmakt'))];
    for (const ign of ['identitetsgrunnlag', 'kontaktinformasjonForDoedsbo', 'legitimasjonsdokument', 'utlendingsmyndighetenesIdentifikasjonsnummer', 'utenlandskPersonidentifikasjon', 'sivilstand', 'preferertKontaktadresse', 'forholdTilSametingetsValgmanntall', 'foedselINorge', 'opphold', 'bibehold', 'brukAvSamiskSpraak']) {
      this.ignored(k.all(ign));
    }
    return {
      ids,
      identity: { canonical: '', kind: 'no_fodselsnummer', country: 'NO', status: 'in_use', validFrom: null, validTo: null },
      reserveNumber: null,
      previousIdentities: [],
      falseIdentity: falseIdentity === true,
      names,
      birthDate: birth,
      sex: sex === 'kvinne' ? 'F' : sex === 'mann' ? 'M' : null,
      sexSource: sex ? 'register' : null,
      statuses: this.statuses(k.all('status'), deathDate, emigratedTo),
      registrations: bosted.registrations,
      addresses: [...bosted.addresses, ...this.post(k.all('postadresse')), ...this.opphold(k.all('oppholdsadresse')), ...this.postUtland(k.all('postadresseIUtlandet'))],
      sharedResidences: this.deltBosted(k.all('deltBosted')),
      protection: this.protection(k.all('adressebeskyttelse')),
      relations,
      citizenships: this.citizenships(k.all('statsborgerskap')),
      immigrationDate: immigration,
      contacts: [],
    };
  }
}

/** Completes identity, sex and birth date from the numbers, and the defaults a complete record always has. */
function finishPerson(m: FregMapper, e: ReturnType<FregMapper['entities']>): { identity: PersonIdentity; previousIdentities: PersonIdentity[] } | null {
  const ids = e.ids;
  const primary = ids.find((i) => i.current && i.status === 'in_use') ?? ids.find((i) => i.current) ?? ids.find((i) => i.status === 'in_use') ?? ids[0];
  if (!primary) return null;
  const toIdentity = (i: (typeof ids)[number]): PersonIdentity => ({ ...i.ref, status: i.status, validFrom: i.meta.from, validTo: i.meta.to });
  const parsed = m.session.parseId(primary.ref.canonical, 'NO', m.today);
  if (parsed.ok) {
    if (!e.sex && parsed.sex) {
      e.sex = parsed.sex;
      e.sexSource = 'identity_number';
    }
    // foedsel may give only the year; a number with the same year carries the full date.
    if (e.birthDate === null || (e.birthDate.length === 4 && parsed.birthDate.startsWith(e.birthDate))) e.birthDate = parsed.birthDate;
  }
  return { identity: toIdentity(primary), previousIdentities: ids.filter((i) => i !== primary).map(toIdentity) };
}

function completeDefaults(r: PopulationRecord): void {
  if (!r.statuses.some((s) => s.current)) r.statuses.unshift({ code: 'active', registerCode: null, date: null, country: null, current: true });
  if (!r.protection.some((p) => p.current)) r.protection.unshift({ level: 'none', registerCodes: [], from: null, to: null, current: true });
}

interface MapResult {
  record: PopulationRecord | null;
  issues: RecordContext['issues'];
  subject: string | null;
}

function mapPersonDocument(node: XmlNode, index: number, today: string, session: ReadSession): MapResult {
  const m = new FregMapper('P', today, session);
  if (node.overflow) {
    m.ctx.report(node, 'record_too_large', 'This person document is far larger than any person; it was skipped unread');
    return { record: null, issues: m.ctx.issues, subject: null };
  }
  const k = m.kids(node, S.person);
  const e = m.entities(k);
  const subject = e.ids[0]?.ref.canonical ?? (k.one('identifikasjonsnummer')?.children.find((c) => c.name === 'foedselsEllerDNummer')?.text.trim() || null);
  const ident = finishPerson(m, e);
  if (!ident || !m.ctx.ok) return { record: null, issues: m.ctx.issues, subject };
  const { ids: _ids, ...fields } = e;
  const record: PopulationRecord = {
    ...fields,
    ...ident,
    format: 'freg',
    source: { line: node.line, column: node.column, index },
    completeness: 'complete',
    partialMode: null,
    parts: [...ALL_PARTS],
    replacedBy: null,
    event: null,
  };
  completeDefaults(record);
  return { record, issues: m.ctx.issues, subject: ident.identity.canonical };
}

const ENTITY_PART: Record<string, RecordPart[]> = {
  identifikasjonsnummer: ['identity'],
  navn: ['name'],
  foedsel: ['birth'],
  kjoenn: ['sex'],
  status: ['status'],
  doedsfall: ['status'],
  utflytting: ['status'],
  bostedsadresse: ['registration', 'address.registered'],
  postadresse: ['address.postal'],
  oppholdsadresse: ['address.temporary'],
  postadresseIUtlandet: ['address.foreign'],
  deltBosted: ['sharedResidence'],
  adressebeskyttelse: ['protection'],
  foreldreansvar: ['relations'],
  familierelasjon: ['relations'],
  vergemaalEllerFremtidsfullmakt: ['relations'],
  statsborgerskap: ['citizenship'],
  innflytting: ['immigration'],
};

/**
 * One event: the event document, and the person document after it when the entry carries one. `sequence` is
 * the feed's sekvensnummer (null for a bare dokumentForHendelse).
 */
function mapEvent(doc: XmlNode, person: XmlNode | null, sequence: number | null, index: number, today: string, session: ReadSession, outer: RecordContext): MapResult {
  const m = new FregMapper('H', today, session);
  // The container's own problems (sekvensnummer) count for the same record.
  m.ctx.issues.push(...outer.issues);
  const d = m.kids(doc, S.dokument);
  const documentId = m.ctx.str(d.one('dokumentidentifikator'), TEXT);
  m.ctx.str(d.one('skjemaversjon'), TEXT);
  const hNode = d.one('hendelse');
  if (!hNode) return { record: null, issues: m.ctx.issues, subject: null };
  const h = m.kids(hNode, S.hendelse);
  const subjectNode = h.one('folkeregisteridentifikator');
  const subjectId = m.fnr(subjectNode);
  const type = m.ctx.code(h.one('hendelsestype'), HENDELSESTYPE);
  const recordedAt = m.ctx.xsDateTime(h.one('ajourholdstidspunkt'))?.raw ?? null;
  m.ctx.str(h.one('hendelsesaarsakIDsf'), TEXT);
  const changes: Array<{ entity: string; change: string }> = [];
  const carried = new Map<string, XmlNode[]>();
  for (const eh of h.all('egenskapshendelse')) {
    const c = m.kids(eh, EGENSKAPSHENDELSE);
    const entity = m.ctx.code(c.one('entitet'), ENTITETSNAVN);
    const change = m.ctx.code(c.one('entitetsendring'), ENTITETSENDRING);
    const data = eh.children.find((x) => x.ns === EVENT_NS && (EVENT_ENTITIES as readonly string[]).includes(x.name));
    if (entity && data && (ENTITY_ELEMENT[entity] ?? entity) !== data.name) {
      m.ctx.report(data, 'inconsistent', `<egenskapshendelse> says entitet ${entity} but carries <${data.name}>`);
    }
    if (entity && change) changes.push({ entity: ENTITY_ELEMENT[entity] ?? entity, change });
    if (data) {
      const list = carried.get(data.name);
      if (list) list.push(data);
      else carried.set(data.name, [data]);
    }
  }
  // The carried entities are checked (and mapped) with the event document's own types.
  const fromEvent = m.entities(new Children(carried));
  const event = { sequence, documentId, type, recordedAt, changes };
  const subject = subjectId?.canonical ?? (subjectNode?.text.trim() || null);

  if (person) {
    if (person.overflow) {
      m.ctx.report(person, 'record_too_large', 'This person document is far larger than any person; it was skipped unread');
      return { record: null, issues: m.ctx.issues, subject };
    }
    const p = m.inNamespace('P', (pm) => {
      const k = pm.kids(person, S.person);
      const e = pm.entities(k);
      return { e, ident: finishPerson(pm, e) };
    });
    if (p.ident && subjectId && ![p.ident.identity, ...p.ident.previousIdentities].some((i) => i.canonical === subjectId.canonical)) {
      m.ctx.report(subjectNode!, 'inconsistent', `The event is about ${subjectId.canonical}, which is not a number of the person document that follows it`);
    }
    if (!p.ident || !m.ctx.ok) return { record: null, issues: m.ctx.issues, subject };
    const { ids: _ids, ...fields } = p.e;
    const record: PopulationRecord = {
      ...fields,
      ...p.ident,
      format: 'freg',
      source: { line: doc.line, column: doc.column, index },
      completeness: 'complete',
      partialMode: null,
      parts: [...ALL_PARTS],
      replacedBy: null,
      event,
    };
    completeDefaults(record);
    return { record, issues: m.ctx.issues, subject: p.ident.identity.canonical };
  }

  if (!subjectId || !m.ctx.ok) return { record: null, issues: m.ctx.issues, subject };
  const parts = new Set<RecordPart>(['identity']);
  for (const name of carried.keys()) for (const part of ENTITY_PART[name] ?? []) parts.add(part);
  const { ids, ...fields } = fromEvent;
  const record: PopulationRecord = {
    ...fields,
    identity: { ...subjectId, status: 'in_use', validFrom: null, validTo: null },
    // An identifikasjonsnummer event carries the number that changed; it is kept as stated, not as the key.
    previousIdentities: ids.filter((i) => i.ref.canonical !== subjectId.canonical).map((i) => ({ ...i.ref, status: i.status, validFrom: i.meta.from, validTo: i.meta.to })),
    format: 'freg',
    source: { line: doc.line, column: doc.column, index },
    completeness: 'partial',
    partialMode: 'apply_changes',
    parts: ALL_PARTS.filter((x) => parts.has(x)),
    replacedBy: null,
    event,
  };
  return { record, issues: m.ctx.issues, subject: subjectId.canonical };
}

type FileShape = 'persons' | 'events' | 'single_person' | 'single_event';

/**
 * Reads a Folkeregisteret file (see the header for the shapes). Yields the header first, then records and
 * problems in file order, and a summary last. Throws PopulationFileError for file errors and the signal's
 * reason when cancelled.
 */
export async function* readFreg(input: XmlInput, opts: ReadOptions = {}): AsyncGenerator<PopulationReadItem, void, undefined> {
  const session = new ReadSession(opts);
  const today = opts.today ?? localToday();
  let shape: FileShape | null = null;
  let headerDone = false;
  // Parser-time state: classify runs while a slice is parsed, ahead of the consumer.
  let sawUttrekk = false;
  let declared: number | null = null;
  const feed: { range: { from: number; to: number } | null } = { range: null };
  let lastSequence: number | null = null;
  let index = 0;

  const classify = (path: readonly ElementStart[], el: ElementStart): Disposition => {
    if (path.length === 0) {
      if (el.ns === KANSLI_NS && el.name === 'folkeregisterpersoner') shape = 'persons';
      else if (el.ns === KANSLI_NS && el.name === 'folkeregisterhendelser') shape = 'events';
      else if (el.ns === PERSON_NS && el.name === 'folkeregisterperson') shape = 'single_person';
      else if (el.ns === EVENT_NS && el.name === 'dokumentForHendelse') shape = 'single_event';
      else {
        return {
          unexpected: `The root element is <${el.name}>${el.ns ? ` in namespace ${el.ns}` : ''}; a Folkeregisteret file starts with <folkeregisterpersoner> or <folkeregisterhendelser> (${KANSLI_NS}), <folkeregisterperson> or <dokumentForHendelse>`,
          fatal: 'wrong_root',
        };
      }
      return shape === 'persons' || shape === 'events' ? 'container' : 'capture';
    }
    if (path.length === 1 && el.ns === KANSLI_NS && el.name === 'uttrekk' && !sawUttrekk) {
      sawUttrekk = true;
      return 'capture';
    }
    if (path.length === 1 && sawUttrekk && shape === 'persons' && el.ns === PERSON_NS && el.name === 'folkeregisterperson') return 'capture';
    if (path.length === 1 && sawUttrekk && shape === 'events' && el.ns === KANSLI_NS && el.name === 'hendelse') return 'capture';
    const expected = shape === 'persons' ? '<uttrekk>, then <folkeregisterperson>' : '<uttrekk>, then <hendelse>';
    return { unexpected: `<${el.name}>${el.ns ? ` (namespace ${el.ns})` : ''} is not allowed here; expected ${expected}` };
  };

  const headerOf = (node: XmlNode | null): PopulationFileHeader => {
    const header: PopulationFileHeader = {
      format: 'freg',
      country: 'NO',
      kind: 'delta',
      kindBasis: shape === 'persons' ? 'a <folkeregisterpersoner> extract' : shape === 'events' ? 'a <folkeregisterhendelser> feed' : 'a single document: read as a delta without ordering',
      createdAt: null,
      ordering: null,
      producer: 'Skatteetaten (Folkeregisteret)',
      recipient: null,
      fileName: null,
      declaredRecords: null,
    };
    if (!node) return header;
    const ctx = new RecordContext(KANSLI_NS, false);
    const u = ctx.children(node, shape === 'persons' ? S.uttrekkPersoner : S.uttrekkHendelser);
    header.createdAt = ctx.xsDateTime(u.one('opprettet'))?.raw ?? null;
    const kommune = ctx.str(u.one('kommunenummer'), KOMMUNENUMMER);
    header.recipient = kommune;
    header.declaredRecords = ctx.int(u.one('antall'), 0);
    const seqNo = (n: XmlNode | undefined) => ctx.int(n, 0);
    if (shape === 'persons') {
      header.kind = 'full';
      const last = seqNo(u.one('sisteSekvensnummer'));
      if (last !== null && kommune) header.ordering = { basis: 'freg_sequence', stream: kommune, from: null, to: last, serial: null, part: 1, parts: 1 };
    } else {
      const from = seqNo(u.one('fraSekvensnummer'));
      const to = seqNo(u.one('tilSekvensnummer'));
      if (from !== null && to !== null && to < from) ctx.report(u.one('tilSekvensnummer')!, 'bad_value', `tilSekvensnummer ${to} is before fraSekvensnummer ${from}`);
      if (from !== null && to !== null && kommune) {
        feed.range = { from, to };
        const ordering: FileOrdering = { basis: 'freg_sequence', stream: kommune, from, to, serial: null, part: 1, parts: 1 };
        header.ordering = ordering;
      }
    }
    if (!ctx.ok) {
      const first = ctx.issues[0]!;
      throw session.fatal({ ...first, reason: `<uttrekk> is invalid, so the file's kind and order cannot be trusted: ${first.reason}` });
    }
    return header;
  };

  const emit = function* (r: MapResult, idx: number): Generator<PopulationReadItem> {
    if (r.record && r.issues.length === 0) {
      session.records++;
      yield { type: 'record', record: r.record };
    } else {
      session.skippedRecords++;
      for (const issue of r.issues) yield { type: 'problem', problem: session.problem(issue, idx, r.subject) };
    }
  };

  try {
    for await (const item of readXml(input, classify, { signal: opts.signal, onProgress: opts.onProgress, stats: session.stats })) {
      opts.signal?.throwIfAborted();
      if (item.type === 'issue') {
        if (!headerDone && (shape === 'persons' || shape === 'events')) {
          throw session.fatal({ ...item.issue, reason: `${item.issue.reason} (the file must start with <uttrekk>)`, code: 'missing_element' });
        }
        yield { type: 'problem', problem: session.problem(item.issue, null, null) };
        continue;
      }
      if (item.type === 'enter' || (item.type === 'leave' && item.depth > 0)) continue;
      if (item.type === 'leave') {
        if (!headerDone) throw session.fatal({ line: 1, column: 1, element: 'uttrekk', reason: 'The file has no <uttrekk>', code: 'missing_element' });
        if (declared !== null && declared !== index) {
          throw session.fatal({
            line: 1,
            column: 1,
            element: 'antall',
            reason: `The file says it holds ${declared} ${shape === 'events' ? 'events' : 'persons'} (antall) but has ${index}: it is truncated or not the file that was sent`,
            code: 'count_mismatch',
          });
        }
        continue;
      }
      const node = item.node;
      if (node.ns === KANSLI_NS && node.name === 'uttrekk') {
        const header = headerOf(node);
        declared = header.declaredRecords;
        headerDone = true;
        yield { type: 'header', header };
        continue;
      }
      if (!headerDone) {
        headerDone = true;
        yield { type: 'header', header: headerOf(null) };
      }
      index++;
      if (shape === 'single_person' || shape === 'persons') {
        yield* emit(mapPersonDocument(node, index, today, session), index);
      } else if (shape === 'single_event') {
        yield* emit(mapEvent(node, null, null, index, today, session, new RecordContext(EVENT_NS, false)), index);
      } else {
        // <k:hendelse>: sekvensnummer, the event document, optionally the person document after it.
        const ctx = new RecordContext(KANSLI_NS, false);
        if (node.overflow) ctx.report(node, 'record_too_large', 'This event is far larger than any event; it was skipped unread');
        const k = ctx.children(node, S.kHendelse);
        const sequence = ctx.int(k.one('sekvensnummer'), 0);
        const doc = node.children.filter((c) => c.ns === EVENT_NS && c.name === 'dokumentForHendelse');
        const persons = node.children.filter((c) => c.ns === PERSON_NS && c.name === 'folkeregisterperson');
        const others = node.children.filter((c) => !(c.ns === KANSLI_NS && c.name === 'sekvensnummer') && !doc.includes(c) && !persons.includes(c));
        for (const o of others) ctx.report(o, 'unknown_element', `<${o.name}> is not allowed in <hendelse> (sekvensnummer, dokumentForHendelse, folkeregisterperson?)`);
        if (doc.length !== 1) ctx.report(node, doc.length ? 'repeated_element' : 'missing_element', '<hendelse> must hold exactly one <dokumentForHendelse>');
        if (persons.length > 1) ctx.report(persons[1]!, 'repeated_element', '<hendelse> may hold one <folkeregisterperson>');
        if (doc[0] && persons[0] && node.children.indexOf(persons[0]) < node.children.indexOf(doc[0])) {
          ctx.report(persons[0], 'element_order', '<folkeregisterperson> must come after <dokumentForHendelse>');
        }
        if (sequence !== null) {
          const range = feed.range;
          if (range && (sequence < range.from || sequence > range.to)) {
            ctx.report(k.one('sekvensnummer')!, 'inconsistent', `sekvensnummer ${sequence} lies outside the file's range ${range.from}–${range.to}`);
          }
          if (lastSequence !== null && sequence <= lastSequence) {
            ctx.report(k.one('sekvensnummer')!, 'inconsistent', `sekvensnummer ${sequence} does not follow ${lastSequence}: events must be in feed order`);
          }
          lastSequence = Math.max(lastSequence ?? sequence, sequence);
        }
        if (!doc[0]) {
          yield* emit({ record: null, issues: ctx.issues, subject: null }, index);
          continue;
        }
        yield* emit(mapEvent(doc[0], persons[0] ?? null, sequence, index, today, session, ctx), index);
      }
    }
  } catch (e) {
    session.rethrow(e);
  }
  if (!headerDone) throw session.fatal({ line: 1, column: 1, element: '', reason: 'The file is empty: no Folkeregisteret document was found', code: 'wrong_root' });
  yield { type: 'end', summary: session.summary() };
}
