/**
 * The normalised population-register record: one person as Skatteverket's Navet (Sweden) or Skatteetaten's
 * Folkeregisteret (Norway) delivers them, read by `navet.ts` / `freg.ts`, diffed against the register and
 * applied by later steps. Nothing here touches the database.
 *
 * Conventions
 * - Dates are ISO 8601 calendar dates `YYYY-MM-DD`. Navet's OfullstandigtDatumTYPE may lack the day or month
 *   (00): such dates keep their reduced precision (`YYYY-MM` or `YYYY`) instead of inventing a day, and 0
 *   (nothing known) becomes null. Folkeregisteret's timestamps (xs:dateTime) become the calendar date in
 *   Norway (a `Z` time is converted to Europe/Oslo, a time with an offset keeps its own date).
 * - History: every fact the registers keep history for is an array of entries with `current`. Folkeregisteret
 *   marks the current element with `erGjeldende` (taken as the truth when present; when an entity carries no
 *   erGjeldende at all, the entries without `opphoerstidspunkt` are current); each entry keeps its
 *   `gyldighetstidspunkt` / `opphoerstidspunkt` as validFrom / validTo. Navet only sends the present state
 *   (plus `Historik` of the registration), so nearly everything Swedish is `current: true`.
 * - `completeness`: a 'complete' record states every part (an empty array means "the register holds none");
 *   a 'partial' record (a Navet ändringspost without totalpost, or a Folkeregisteret event without its person
 *   document) states only the parts listed in `parts`; everything else is unknown and must be left alone.
 *
 * Mapping — Navet (`Navetavisering.xsd`, no namespace), per `Folkbokforingspost`:
 *   Sekretessmarkering J/N, SkyddadFolkbokforing J/N ........ protection (skyddad wins over sekretess; no date in
 *                                                               the XSD, so `from` is null)
 *   Arendeuppgift @totalpost @andringstidpunkt @utsokningsdatum, PostId, Arendetyp
 *                                                           .... completeness ('J' = complete), event
 *   Personpost/PersonId/PersonNr | TilldelatPersonNrSamordningsNr  identity (checksum-validated, kind from the number)
 *   Personpost/HanvisningsPersonNr ............................ with Avregistrering GN/GS: replacedBy (this is the old
 *                                                               number); otherwise previousIdentities (the old number)
 *   Personpost/Avregistrering (AvregistreringsorsakKod, -datum)  status: AV deceased, UV emigrated, GN/GS
 *                                                               number_replaced, AN/AS/OB/TA deregistered (code kept)
 *   Personpost/Fodelsedatum ................................... birthDate (else from the identity number)
 *   Personpost/Namn (Tilltalsnamnsmarkering, Fornamn, Mellannamn, Efternamn, Aviseringsnamn)
 *                                                           .... names (preferred resolved from the marker, see
 *                                                               resolveTilltalsnamn), short = Aviseringsnamn
 *   Personpost/Folkbokforing (Folkbokforingsdatum, LanKod, KommunKod, Fastighetsbeteckning, Folkbokforingstyp)
 *                                                           .... registrations (municipality = LanKod + KommunKod)
 *   Personpost/Adresser/Folkbokforingsadress .................. addresses 'registered' (from Folkbokforingsdatum)
 *   Personpost/Adresser/Riksnycklar/LagenhetsId|AdressplatsId . registered address `dwelling`
 *   Personpost/Adresser/Distrikt/Distriktskod ................. registration `district`
 *   Personpost/Adresser/SarskildPostadress .................... addresses 'postal' (also the only address a
 *                                                               person with samordningsnummer has)
 *   Personpost/Adresser/Utlandsadress ......................... addresses 'foreign' (Land is free text: countryName)
 *   Personpost/Invandring/Invandringsdatum .................... immigrationDate (nyanländ pupils)
 *   Personpost/Relationer/Relation (RelationId, Relationstyp, RelationFromdatum, RelationTomdatum, Namn,
 *     Avregistrering, @status) ................................ relations: V custodian, VF custody_of, B child,
 *                                                               MO mother, FA father, F parent, M spouse, P partner
 *   Personpost/Medborgarskap (MedborgarskapslandKod, -datum) .. citizenships (ISO alpha-2)
 *   Historik/Folkbokforing, Historik/Folkbokforingsadress ..... earlier registrations / registered address
 *   Aviseringsinformation: Medieleverantor/Organisationsnamn, Mediemottagare/OrgNr + KundNr, Utfil/Filnamn,
 *     Effektueringsdatum, AntalPoster, AntalFiler, FilNr, LopNr, UtsokningsdatumFromTom
 *                                                           .... PopulationFileHeader (see FileOrdering); the rest
 *     (contact details, BestallningsId, Filtyp, Bestallningstyp, Produkt, Filtitel, JobbId, AntalPosterTotalt,
 *     FilnamnInfilTillGrund) is checked but not kept
 *   Deliberately ignored: Civilstand and Fodelse (not needed by a school office; data minimisation),
 *   Invandring/Uppehallsratt and NordisktPnr*, Riksnycklar/FastighetsId, Folkbokforing/ForsamlingKod (parishes
 *   ended 2016), Trappuppgang/Lagenhet/FiktivtNr, Utlandsadress/Rostrattsdatum, the `styrkt` attributes,
 *   Medborgarskap/@status, Sarlosning (customer-specific special solutions).
 *
 * Mapping — Folkeregisteret (`PersondokumentMedHistorikk_v1BETA2.xsd`, namespace
 * folkeregisteret:tilgjengeliggjoering:person:v1), per `folkeregisterperson`:
 *   identifikasjonsnummer (status iBruk/opphoert, foedselsEllerDNummer, identifikatortype)
 *                                                           .... identity (the current iBruk number) and
 *                                                               previousIdentities (the opphoert ones)
 *   falskIdentitet/erFalsk .................................... falseIdentity
 *   status/status ............................................. statuses: bosatt, foedselsregistrert, midlertidig,
 *                                                               aktiv → active; doed → deceased; utflyttet →
 *                                                               emigrated; forsvunnet, opphoert, inaktiv,
 *                                                               ikkeBosatt → deregistered (code kept)
 *   doedsfall/doedsdato, utflytting/tilflyttingsland .......... the deceased / emigrated status' date and country
 *   familierelasjon (relatertPerson | …UtenFolkeregisteridentifikator, relatertPersonsRolle)
 *                                                           .... relations mother, father, co_mother, child,
 *                                                               sibling, spouse
 *   bostedsadresse (vegadresse | matrikkeladresse | ukjentBosted, flyttedato, skolekrets, adressegradering)
 *                                                           .... addresses 'registered' + registrations (kommunenummer)
 *   deltBosted (…, startdatoForKontrakt, sluttdatoForKontrakt)  sharedResidences
 *   oppholdsadresse ........................................... addresses 'temporary'
 *   postadresse (postboksadresse | vegadresse | postadresseIFrittFormat)  addresses 'postal'
 *   postadresseIUtlandet ...................................... addresses 'foreign'
 *   adressebeskyttelse/graderingsnivaa ........................ protection: ugradert none, klientadresse,
 *                                                               fortrolig, strengtFortrolig
 *   innflytting ............................................... immigrationDate
 *   kjoenn/kjoenn ............................................. sex (else from a classic-rule number)
 *   statsborgerskap (statsborgerskap, ervervsdato) ............ citizenships (ISO alpha-3, as delivered)
 *   foreldreansvar (ansvar, ansvarlig | ansvarssubjekt | ansvarligOrganisasjon | …UtenIdentifikator)
 *                                                           .... relations custodian / custody_of with `custody`
 *   foedsel (foedselsdato, foedselsaar) ....................... birthDate (a year alone is completed from a number
 *                                                               of that year; else from the number)
 *   navn (fornavn, mellomnavn, etternavn, forkortetNavn) ...... names (Norway has no tilltalsnamn marker)
 *   vergemaalEllerFremtidsfullmakt for a minor (types mindreaarig, midlertidigForMindreaarig,
 *     ensligMindreaarigAsylsoeker/-Flyktning) ................. relations appointed_guardian (the verge)
 *   Deliberately ignored: identitetsgrunnlag, kontaktinformasjonForDoedsbo, legitimasjonsdokument,
 *   utlendingsmyndighetenesIdentifikasjonsnummer, utenlandskPersonidentifikasjon, sivilstand (the spouse comes
 *   from familierelasjon), preferertKontaktadresse, forholdTilSametingetsValgmanntall (sensitive, no school
 *   use), foedselINorge, opphold, bibehold, brukAvSamiskSpraak, vergemaal for adults (data minimisation),
 *   familierelasjon doedfoedtBarn (sensitive, no school use), grunnkrets/stemmekrets/kirkekrets. The content of
 *   these entities is not validated by the reader (only that they stand where the XSD allows them). Within
 *   mapped entities, checked but not kept: kilde, aarsak, ajourholdstidspunkt, originaltNavn, foedested,
 *   foedekommuneINorge, foedeland, bruksenhetstype, adressekode, naerAdresseIdentifikatorFraMatrikkelen,
 *   oppholdAnnetSted, minRolleForPerson, embete, omfang.
 * Kansli's container (uttrekk: opprettet, kommunenummer, sisteSekvensnummer | fraSekvensnummer + tilSekvensnummer,
 * antall) → PopulationFileHeader; hendelse/sekvensnummer → event.sequence (see freg.ts).
 * Hendelsedokument (`Hendelsedokument_v1.4.xsd`): each egenskapshendelse carries one entity of the list above
 * with the same mapping, plus `entitet`/`entitetsendring` (→ `event.changes`); dokumentidentifikator, hendelsestype,
 * ajourholdstidspunkt → event (skjemaversjon and hendelsesaarsakIDsf are checked, not kept). Note the XSD's trap: the entity
 * names `kontaktadresse`/`kontaktadresseIUtlandet` in `entitet` stand for the elements `postadresse` /
 * `postadresseIUtlandet`.
 *
 * Mapping — legacy CSV (core/imports/csv.ts, with a saved column mapping per source system), per data row: always a
 * partial record (`replace_parts`) stating only the parts the mapping provides; identity (or, for a person the old
 * system knew by a reserve number only, `identity` null with `reserveNumber` and `birthDate`), name, birth, sex (the
 * file's, else the number's), the address as 'registered', `contacts` (phone, mobile, e-mail — the only format that
 * states them), protection (only when the cell says something), guardians as `custodian` relations. The file is a
 * delta without ordering: a legacy export neither says who has left nor where it stands in any sequence.
 */
import type { IdKind } from '../../shared/identity';
import type { ProtectionLevel } from '../../shared/api/schemas';
import type { ContactKind } from '../../shared/domain/register';
import { addDays } from '../dates';

export type Country = 'SE' | 'NO';
/** 'csv': a legacy system's export read with a saved column mapping (core/imports/csv.ts). */
export type RegisterFormat = 'navet' | 'freg' | 'csv';

/** YYYY-MM-DD, or reduced precision YYYY-MM / YYYY where the register does not know the whole date. */
export type RegisterDate = string;

export interface IdentityRef {
  /** As parseIdentityNumber gives it: SE 12 digits YYYYMMDDNNNC, NO the 11 digits. */
  canonical: string;
  kind: IdKind;
  country: Country;
}

export interface PersonIdentity extends IdentityRef {
  /** 'ceased': the register no longer uses the number (Navet GN/GS, Freg identifikasjonsnummer opphoert). */
  status: 'in_use' | 'ceased';
  validFrom: RegisterDate | null;
  validTo: RegisterDate | null;
}

export interface PersonName {
  /** All given names as registered, separated by spaces. */
  given: string;
  middle: string | null;
  family: string;
  /** The tilltalsnamn (Sweden) resolved from the marker; null where none is registered (always in Norway). */
  preferred: string | null;
  /** Navet Tilltalsnamnsmarkering as delivered (e.g. "20", "23"). */
  preferredMarker: string | null;
  /** The register's shortened form for envelopes (Navet Aviseringsnamn, Freg forkortetNavn). */
  short: string | null;
  validFrom: RegisterDate | null;
  validTo: RegisterDate | null;
  current: boolean;
}

export type StatusCode = 'active' | 'deceased' | 'emigrated' | 'number_replaced' | 'deregistered';

export interface PersonStatus {
  code: StatusCode;
  /** The register's own code: Navet AvregistreringsorsakKod (null while active), Freg personstatus. */
  registerCode: string | null;
  /** Date of death, emigration or deregistration; for an active Freg status the date it began. */
  date: RegisterDate | null;
  /** Emigration: destination country (Freg tilflyttingsland, ISO alpha-3), when given. */
  country: string | null;
  current: boolean;
}

export interface Registration {
  /** Kommunkod (SE: LanKod + KommunKod, 4 digits) / kommunenummer (NO, 4 digits); null if unknown. */
  municipalityCode: string | null;
  /** SE län (first two digits of the kommunkod); null in Norway. */
  countyCode: string | null;
  /** SE Distriktskod / NO skolekrets (the school catchment the register assigns), when delivered. */
  district: string | null;
  /** SE Folkbokforingstyp as delivered (e.g. registered on a property or "på kommunen"). */
  registerType: string | null;
  /** SE Fastighetsbeteckning. */
  property: string | null;
  validFrom: RegisterDate | null;
  validTo: RegisterDate | null;
  current: boolean;
}

export type AddressKind = 'registered' | 'postal' | 'temporary' | 'foreign';

export interface Address {
  kind: AddressKind;
  careOf: string | null;
  /** Delivery lines in the register's order (street and number, unit, box …), without care-of and city. */
  lines: string[];
  /** `lines` joined with ", " — the single street field of person_address. */
  street: string;
  /** SE "NNN NN", NO "NNNN", foreign as delivered. */
  postalCode: string | null;
  city: string | null;
  /** ISO 3166 alpha-2 where known ('SE'/'NO' for domestic addresses, Freg landkode abroad). */
  country: string | null;
  /** Navet Utlandsadress/Land is free text ("NORGE"): kept as delivered. */
  countryName: string | null;
  /** NO kommunenummer of a vegadresse/matrikkeladresse. */
  municipalityCode: string | null;
  /** A key of the dwelling (SE LagenhetsId or AdressplatsId; NO matrikkel address id + bruksenhetsnummer): who shares it. */
  dwelling: string | null;
  /** NO adressegradering of this address (ugradert, klientadresse, fortrolig, strengtFortrolig). */
  grading: string | null;
  validFrom: RegisterDate | null;
  validTo: RegisterDate | null;
  current: boolean;
}

/** Freg deltBosted: the child lives alternately at this second address under a written agreement. */
export interface SharedResidence {
  address: Address | null;
  /** Municipality of the second home (also for ukjentBosted, where there is no address). */
  municipalityCode: string | null;
  from: RegisterDate;
  to: RegisterDate | null;
  current: boolean;
}

export interface Protection {
  level: ProtectionLevel;
  /** SE: 'sekretessmarkering' / 'skyddad_folkbokforing' flags as delivered; NO: the graderingsnivaa. */
  registerCodes: string[];
  from: RegisterDate | null;
  to: RegisterDate | null;
  current: boolean;
}

export type RelationKind =
  /** The other person has custody of this person (SE V; NO foreldreansvar naming `ansvarlig`). */
  | 'custodian'
  /** This person has custody of the other (SE VF; NO foreldreansvar naming `ansvarssubjekt`). */
  | 'custody_of'
  /** NO verge appointed for a minor (e.g. an unaccompanied asylum-seeking child). */
  | 'appointed_guardian'
  | 'mother'
  | 'father'
  | 'co_mother'
  | 'parent'
  | 'child'
  | 'sibling'
  | 'spouse'
  | 'partner';

export type CustodyKind = 'joint' | 'mother' | 'father' | 'co_mother' | 'other' | 'unknown';

export interface RelatedPerson {
  identity: IdentityRef | null;
  /** When the other person has no identity number (Navet FodelsetidNr, Freg …UtenIdentifikator). */
  birthDate: RegisterDate | null;
  name: { given: string; middle: string | null; family: string } | null;
  /** NO ansvarligOrganisasjon (e.g. the child welfare service holds parental responsibility). */
  organisationNumber: string | null;
  /** Navet: the other person's deregistration as delivered with the relation (e.g. AV when a parent died). */
  deregistration: { code: string | null; date: RegisterDate | null } | null;
}

export interface Relation {
  kind: RelationKind;
  /** As delivered: Navet Relationstyp ('V', 'VF', …); Freg 'foreldreansvar:felles', 'familierelasjon:mor', 'verge:mindreaarig'. */
  registerCode: string;
  /** NO foreldreansvar/ansvar; SE custody is not typed. */
  custody: CustodyKind | null;
  other: RelatedPerson;
  validFrom: RegisterDate | null;
  validTo: RegisterDate | null;
  /** Navet Relation/@status (NY new, PB new after a number change, RD corrected, AS ended, AV ended by death, IV, AN annulled). */
  registerStatus: string | null;
  current: boolean;
}

export interface Citizenship {
  country: string;
  codeSystem: 'iso3166-alpha2' | 'iso3166-alpha3';
  from: RegisterDate | null;
  validTo: RegisterDate | null;
  current: boolean;
}

/** The change notice a delta record came with. */
export interface RecordEvent {
  /** Freg feed sekvensnummer (from the Kansli container); null for Navet. */
  sequence: number | null;
  /** Freg dokumentidentifikator; Navet Arendeuppgift/PostId. */
  documentId: string | null;
  /** Freg hendelsestype; Navet Arendetyp. */
  type: string | null;
  /** Freg ajourholdstidspunkt (ISO date-time as delivered); Navet @andringstidpunkt as delivered. */
  recordedAt: string | null;
  /** Freg egenskapshendelse entitet / entitetsendring (registrereNy, korrigere, annullere, korrigereHistorisk). */
  changes: Array<{ entity: string; change: string }>;
}

export type RecordPart =
  | 'identity'
  | 'name'
  | 'birth'
  | 'sex'
  | 'status'
  | 'registration'
  | 'address.registered'
  | 'address.postal'
  | 'address.temporary'
  | 'address.foreign'
  | 'sharedResidence'
  | 'protection'
  | 'relations'
  | 'citizenship'
  | 'immigration'
  /** Telephone numbers and e-mail addresses: only a legacy CSV states them (see ALL_PARTS). */
  | 'contacts';

/**
 * The parts a population register states. 'contacts' is deliberately absent: Navet and Folkeregisteret deliver
 * no telephone numbers or e-mail addresses, so a complete register record says nothing about them (were it
 * listed, a complete record's empty `contacts` would read as "the person has none" and erase what clerks typed).
 */
export const ALL_PARTS: readonly RecordPart[] = [
  'identity', 'name', 'birth', 'sex', 'status', 'registration', 'address.registered', 'address.postal',
  'address.temporary', 'address.foreign', 'sharedResidence', 'protection', 'relations', 'citizenship', 'immigration',
];

/** A telephone number or e-mail address as a legacy file states it (checked against PHONE_RE / EMAIL_RE). */
export interface Contact {
  kind: ContactKind;
  value: string;
}

export interface PopulationRecord {
  format: RegisterFormat;
  /** Where the record starts in the file, and its 1-based position among the file's records. */
  source: { line: number; column: number; index: number };
  completeness: 'complete' | 'partial';
  /**
   * How a partial record's `parts` are to be applied. 'replace_parts' (Navet ändringspost): each listed part
   * holds the register's present state of that group, replacing what is known. 'apply_changes' (a Folkeregisteret
   * event without its person document): a listed part holds only the entries the event carries; apply them as
   * `event.changes` says (registrereNy adds the entry as the current one, korrigere replaces the current one,
   * annullere removes it — the event then carries no entry —, korrigereHistorisk touches history only). Null for
   * complete records.
   */
  partialMode: 'replace_parts' | 'apply_changes' | null;
  /** The parts this record states (all of ALL_PARTS for a complete record). */
  parts: RecordPart[];
  /**
   * The person's identity number. Null only in a 'csv' record of a person the legacy system knew by a reserve
   * number alone (then `reserveNumber` and `birthDate` are set): such a person must be matched by reserve number.
   */
  identity: PersonIdentity | null;
  /**
   * The municipality's reservnummer/reservenummer as a legacy CSV states it (null from the registers). Without an
   * identity number it identifies the person; with one it is the number the person was known by until the
   * identity number was issued (the importer can re-key that person).
   */
  reserveNumber: string | null;
  /** Earlier numbers of the same person, now ceased: the register re-keys the person under `identity`. */
  previousIdentities: PersonIdentity[];
  /** This record is about a ceased number; the person continues under this one (Navet GN/GS + HanvisningsPersonNr). */
  replacedBy: IdentityRef | null;
  falseIdentity: boolean;
  /** Current name first. */
  names: PersonName[];
  birthDate: RegisterDate | null;
  sex: 'F' | 'M' | null;
  sexSource: 'register' | 'identity_number' | null;
  /** Current status first; always at least one entry in a complete record. */
  statuses: PersonStatus[];
  registrations: Registration[];
  addresses: Address[];
  sharedResidences: SharedResidence[];
  /** Current protection first; a complete record always has one current entry (level 'none' if unprotected). */
  protection: Protection[];
  relations: Relation[];
  citizenships: Citizenship[];
  immigrationDate: RegisterDate | null;
  /** Part 'contacts' (a legacy CSV only), in CONTACT_KINDS order. */
  contacts: Contact[];
  event: RecordEvent | null;
}

/** A record that carries an identity number: every Navet and Folkeregisteret record, and a CSV row with a number. */
export type IdentifiedRecord = PopulationRecord & { identity: PersonIdentity };

export function isIdentified(r: PopulationRecord): r is IdentifiedRecord {
  return r.identity !== null;
}

/** Where a file stands in the register's sequence, so the importer can refuse stale or out-of-order files. */
export interface FileOrdering {
  /**
   * 'navet_selection_dates': Navet numbers nothing across orders, but every avisering file states the selection
   * period it covers (Utfil/UtsokningsdatumFromTom, YYYYMMDD-YYYYMMDD) and a full extract its date; `from`/`to`
   * are those dates as YYYYMMDD numbers, `serial` is Utfil/LopNr (the delivery's running number) to order two
   * deliveries of the same day, `part` FilNr of AntalFiler.
   * 'freg_sequence': Folkeregisteret's hendelsesliste numbers every event (sekvensnummer) in one feed; a delta
   * file covers `from`..`to`, a full extract states `to` = the last sekvensnummer it reflects (read from
   * /hendelser/siste/sekvensnummer before the extract), so the feed is read on from `to` + 1.
   */
  basis: 'navet_selection_dates' | 'freg_sequence';
  /** Navet: the recipient (Mediemottagare OrgNr, plus KundNr when given); Freg: the kommunenummer the file is for. */
  stream: string;
  from: number | null;
  to: number;
  serial: number | null;
  part: number;
  parts: number;
}

export interface PopulationFileHeader {
  format: RegisterFormat;
  country: Country;
  /** 'full': the whole population of the extract (persons missing from it have left); 'delta': changes only. */
  kind: 'full' | 'delta';
  /** How `kind` was decided (an option, UtsokningsdatumFromTom, the container's root element …). */
  kindBasis: string;
  /** ISO date or date-time the file was produced (Navet Effektueringsdatum, Freg container `opprettet`). */
  createdAt: string | null;
  ordering: FileOrdering | null;
  producer: string | null;
  recipient: string | null;
  fileName: string | null;
  /** Records the file says it holds (Navet AntalPoster, Freg container antall); checked at the end. */
  declaredRecords: number | null;
}

export type ProblemCode =
  | 'malformed_xml'
  | 'unsupported_encoding'
  | 'wrong_root'
  | 'unknown_element'
  | 'missing_element'
  | 'repeated_element'
  | 'element_order'
  | 'unexpected_text'
  | 'unknown_attribute'
  | 'bad_value'
  | 'bad_date'
  | 'bad_identity_number'
  | 'unknown_code'
  | 'inconsistent'
  | 'record_too_large'
  | 'count_mismatch'
  | 'too_many_problems'
  | 'read_error'
  // Legacy CSV (core/imports/csv.ts): the file …
  | 'malformed_csv'
  | 'no_header'
  | 'wrong_delimiter'
  | 'missing_heading'
  | 'duplicate_heading'
  | 'too_many_columns'
  // … and its rows.
  | 'too_few_columns'
  | 'stray_quote'
  | 'bad_encoding'
  | 'missing_value'
  | 'missing_identity'
  | 'too_long'
  | 'date_in_future'
  | 'birth_date_mismatch'
  | 'sex_mismatch'
  | 'bad_sex'
  | 'bad_postal_code'
  | 'postal_code_zero_lost'
  | 'incomplete_address'
  | 'bad_country'
  | 'bad_email'
  | 'bad_phone'
  | 'bad_protection'
  | 'bad_reserve_number'
  | 'guardian_is_self'
  | 'duplicate_guardian';

export interface ReadProblem {
  /** 1-based line and column of the element (its start tag) the problem is about. */
  line: number;
  column: number;
  /** Element name (local name, with its parent for context where useful). */
  element: string;
  reason: string;
  code: ProblemCode;
  /** 'record': only this record was skipped; 'file': reading stopped and nothing of the file may be applied. */
  severity: 'record' | 'file';
  /** 1-based index of the record in the file, when the problem is inside one. */
  recordIndex: number | null;
  /** The record's identity number as far as it could be read, so a clerk can follow up the skipped person. */
  subject: string | null;
  /**
   * The values `reason` names (the cell, the expected value, the heading …), so that the reason can be given in
   * another language (core/imports/messages.ts). Set by the CSV reader; the XML readers' reasons are English only.
   */
  args?: Record<string, string | number>;
}

export interface ReadSummary {
  records: number;
  skippedRecords: number;
  problems: number;
  bytesRead: number;
  ms: number;
  /** Most items the reader ever held at once (records of one parsed slice): evidence of bounded memory. */
  maxBufferedItems: number;
}

export type PopulationReadItem =
  | { type: 'header'; header: PopulationFileHeader }
  | { type: 'record'; record: PopulationRecord }
  | { type: 'problem'; problem: ReadProblem }
  | { type: 'end'; summary: ReadSummary };

/**
 * Thrown by the readers when the file cannot be read on (malformed XML, unsupported encoding, not a Navet /
 * Folkeregisteret file, wrong record count, too many problems). Records already yielded must be discarded:
 * the importer applies a file only after its 'end' item.
 */
export class PopulationFileError extends Error {
  constructor(
    readonly problem: ReadProblem,
    readonly summary: ReadSummary,
  ) {
    super(`${problem.reason} (line ${problem.line}, column ${problem.column}${problem.element ? `, <${problem.element}>` : ''})`);
    this.name = 'PopulationFileError';
  }
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Called after each chunk with the bytes consumed so far (a progress bar against the file size). */
  onProgress?: (bytesRead: number) => void;
  /** "Today" for identity-number checks and for which Navet relations are current; default the local date. */
  today?: string;
  /** Accept Norwegian synthetic test numbers (month + 80): demo and test data only. */
  allowSynthetic?: boolean;
  /** Stop with a file error after this many problems (default 1000): such a file is probably the wrong one. */
  maxProblems?: number;
  /** Navet: the file's kind when Aviseringsinformation does not settle it (see navet.ts). */
  kind?: 'full' | 'delta';
}

/** The current entries of a history, in order. */
export function currentOf<T extends { current: boolean }>(entries: readonly T[]): T[] {
  return entries.filter((e) => e.current);
}

export type OrderCheck =
  | { ok: true; note: 'baseline' | 'next' | 'overlap'; skipThrough: number | null }
  | { ok: false; code: 'no_ordering' | 'no_baseline' | 'different_stream' | 'different_basis' | 'already_applied' | 'older_than_applied' | 'gap'; message: string };

function ymdNumberToIso(n: number): string {
  const s = String(n).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

function nextPosition(basis: FileOrdering['basis'], to: number): number {
  return basis === 'freg_sequence' ? to + 1 : Number(addDays(ymdNumberToIso(to), 1).replace(/-/g, ''));
}

/**
 * May `next` be applied after `last` (the ordering of the last applied file, null if none)? A full file starts a
 * new baseline unless it is older than what is applied; a delta must continue the same stream without a gap.
 * An overlapping Freg delta is accepted: the importer skips events up to `skipThrough`.
 */
export function checkFileOrder(last: FileOrdering | null, next: PopulationFileHeader): OrderCheck {
  const n = next.ordering;
  if (!n) return { ok: false, code: 'no_ordering', message: 'The file states no position in the register’s sequence; a clerk must decide' };
  if (next.kind === 'full') {
    if (last && last.basis === n.basis && n.to < last.to) {
      return { ok: false, code: 'older_than_applied', message: `This full extract (${n.to}) is older than the last applied file (${last.to})` };
    }
    if (last && last.basis === n.basis && last.stream === n.stream && n.to === last.to && n.serial === last.serial && n.part === last.part) {
      return { ok: false, code: 'already_applied', message: `This file (${n.to}, part ${n.part}) was already applied` };
    }
    return { ok: true, note: 'baseline', skipThrough: null };
  }
  if (!last) return { ok: false, code: 'no_baseline', message: 'A delta can only follow a full file; none has been applied' };
  if (last.basis !== n.basis) return { ok: false, code: 'different_basis', message: 'The delta comes from another register than the applied files' };
  if (last.stream !== n.stream) {
    return { ok: false, code: 'different_stream', message: `The delta is for ${n.stream}, the applied files for ${last.stream}` };
  }
  if (n.to < last.to) return { ok: false, code: 'older_than_applied', message: `The delta ends at ${n.to}, before the last applied file (${last.to})` };
  if (n.to === last.to) {
    const sameDelivery = n.serial === last.serial;
    if (sameDelivery && n.part === last.part) return { ok: false, code: 'already_applied', message: `This file (${n.to}, part ${n.part}) was already applied` };
    if (sameDelivery && n.part === last.part + 1) return { ok: true, note: 'next', skipThrough: null };
    if (!sameDelivery && n.serial !== null && last.serial !== null && n.serial > last.serial) return { ok: true, note: 'next', skipThrough: null };
    if (sameDelivery && n.part > last.part + 1) return { ok: false, code: 'gap', message: `Part ${last.part + 1} of this delivery has not been applied` };
    return { ok: false, code: 'older_than_applied', message: `The delta ends where the last applied file ended (${n.to}) and is not a later delivery` };
  }
  const from = n.from ?? n.to;
  const expected = nextPosition(n.basis, last.to);
  if (from > expected) return { ok: false, code: 'gap', message: `The delta starts at ${from}; ${expected}–${from} has not been applied` };
  return from < expected ? { ok: true, note: 'overlap', skipThrough: last.to } : { ok: true, note: 'next', skipThrough: null };
}
