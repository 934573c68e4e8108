/**
 * The words of the redacted extract (core/foi/extract.ts) in the requester's language: the decision letter's
 * languages, sv, nb and en. Field names the card's history already names come from the shared catalogs
 * (`history.field.*`); the rest are here.
 */
import { catalogs } from '../../shared/i18n';
import type { FoiItemCategory, FoiKind, FoiLanguage } from '../../shared/domain/foi';

interface Words {
  title: Record<FoiKind, string>;
  received: string;
  registryNumber: string;
  asked: string;
  category: Record<FoiItemCategory, string>;
  field: Record<string, string>;
  person: (n: number) => string;
  personHidden: (n: number, citation: string) => string;
  withheldItem: (what: string, citation: string) => string;
  documentPage: (title: string, page: number, pages: number) => string;
  documentWithheld: (title: string, citation: string) => string;
  document: (n: number) => string;
  yes: string;
  no: string;
  log: string;
  logIntro: string;
  logColumns: { n: string; person: string; part: string; action: string; ground: string; reason: string };
  masked: string;
  withheld: string;
  region: (page: number) => string;
  whole: string;
  nothing: string;
  page: (page: number, pages: number) => string;
  made: (date: string, name: string) => string;
  summary: (masked: number, withheld: number) => string;
}

const FIELD_SV: Record<string, string> = {
  id_canonical: 'Personnummer',
  care_of: 'c/o',
  street: 'Gatuadress',
  postal_code: 'Postnummer',
  city: 'Ort',
  country: 'Land',
  value: 'Uppgift',
  month: 'Månad',
  recipient_id: 'Betalningsmottagare',
  share_bp: 'Andel',
  amount: 'Belopp',
  monthly_income: 'Inkomst per månad',
  source: 'Källa',
  title: 'Titel',
  document_date: 'Datum',
  classification: 'Sekretessmarkering',
  classification_ground: 'Sekretessbestämmelse',
  pages: 'Sidor',
  kind: 'Slag',
};
const FIELD_NB: Record<string, string> = {
  id_canonical: 'Fødselsnummer',
  care_of: 'c/o',
  street: 'Gateadresse',
  postal_code: 'Postnummer',
  city: 'Poststed',
  country: 'Land',
  value: 'Opplysning',
  month: 'Måned',
  recipient_id: 'Betaler',
  share_bp: 'Andel',
  amount: 'Beløp',
  monthly_income: 'Inntekt per måned',
  source: 'Kilde',
  title: 'Tittel',
  document_date: 'Dato',
  classification: 'Unntatt offentlighet',
  classification_ground: 'Hjemmel',
  pages: 'Sider',
  kind: 'Type',
};
const FIELD_EN: Record<string, string> = {
  id_canonical: 'Identity number',
  care_of: 'c/o',
  street: 'Street address',
  postal_code: 'Postal code',
  city: 'Town',
  country: 'Country',
  value: 'Detail',
  month: 'Month',
  recipient_id: 'Invoice recipient',
  share_bp: 'Share',
  amount: 'Amount',
  monthly_income: 'Monthly income',
  source: 'Source',
  title: 'Title',
  document_date: 'Date',
  classification: 'Confidentiality mark',
  classification_ground: 'Secrecy provision',
  pages: 'Pages',
  kind: 'Kind',
};

export const EXTRACT_WORDS: Record<FoiLanguage, Words> = {
  sv: {
    title: { se_public_document: 'Utlämnande av allmän handling', no_innsyn: 'Innsyn i dokument', gdpr_access: 'Registerutdrag' },
    received: 'Begäran inkom',
    registryNumber: 'Diarienummer',
    asked: 'Begäran gäller',
    category: {
      identity: 'Identitet',
      name: 'Namn',
      address: 'Adress',
      contact: 'Kontaktuppgift',
      guardianship: 'Vårdnad',
      household: 'Hushåll',
      placement: 'Placering',
      enrolment: 'Skolplacering',
      application: 'Ansökan',
      membership: 'Gruppmedlemskap',
      fee_line: 'Avgift',
      income: 'Inkomst',
      document: 'Dokument',
    },
    field: FIELD_SV,
    person: (n) => `Person ${n}`,
    personHidden: (n, c) => `Person ${n} (identiteten undantagen enligt ${c})`,
    withheldItem: (what, c) => `${what}: undantagen enligt ${c}`,
    documentPage: (t, p, n) => `${t}, sida ${p} av ${n}`,
    documentWithheld: (t, c) => `Dokumentet ${t} är undantaget enligt ${c}`,
    document: (n) => `Dokument ${n}`,
    yes: 'ja',
    no: 'nej',
    log: 'Redaktionslogg',
    logIntro: 'Varje maskerad eller undantagen del av utdraget, med lagrum och motivering.',
    logColumns: { n: 'Nr', person: 'Person', part: 'Uppgift', action: 'Åtgärd', ground: 'Lagrum', reason: 'Motivering' },
    masked: 'Maskerad',
    withheld: 'Undantagen',
    region: (p) => `område på sida ${p}`,
    whole: 'hela uppgiften',
    nothing: 'Inga uppgifter har maskerats eller undantagits.',
    page: (p, n) => `Sida ${p} av ${n}`,
    made: (d, who) => `Framställt ${d} av ${who}`,
    summary: (m, w) => `${m} maskerade delar, ${w} undantagna uppgifter`,
  },
  nb: {
    title: { se_public_document: 'Utlevering av allmenn handling', no_innsyn: 'Innsyn i dokument', gdpr_access: 'Innsyn i personopplysninger' },
    received: 'Kravet kom inn',
    registryNumber: 'Saksnummer',
    asked: 'Kravet gjelder',
    category: {
      identity: 'Identitet',
      name: 'Navn',
      address: 'Adresse',
      contact: 'Kontaktinformasjon',
      guardianship: 'Foreldreansvar',
      household: 'Husholdning',
      placement: 'Plass',
      enrolment: 'Skoleplass',
      application: 'Søknad',
      membership: 'Gruppe',
      fee_line: 'Foreldrebetaling',
      income: 'Inntekt',
      document: 'Dokument',
    },
    field: FIELD_NB,
    person: (n) => `Person ${n}`,
    personHidden: (n, c) => `Person ${n} (identiteten unntatt etter ${c})`,
    withheldItem: (what, c) => `${what}: unntatt etter ${c}`,
    documentPage: (t, p, n) => `${t}, side ${p} av ${n}`,
    documentWithheld: (t, c) => `Dokumentet ${t} er unntatt etter ${c}`,
    document: (n) => `Dokument ${n}`,
    yes: 'ja',
    no: 'nei',
    log: 'Sladdelogg',
    logIntro: 'Hver sladdet eller unntatt del av utskriften, med hjemmel og begrunnelse.',
    logColumns: { n: 'Nr', person: 'Person', part: 'Opplysning', action: 'Tiltak', ground: 'Hjemmel', reason: 'Begrunnelse' },
    masked: 'Sladdet',
    withheld: 'Unntatt',
    region: (p) => `område på side ${p}`,
    whole: 'hele opplysningen',
    nothing: 'Ingen opplysninger er sladdet eller unntatt.',
    page: (p, n) => `Side ${p} av ${n}`,
    made: (d, who) => `Laget ${d} av ${who}`,
    summary: (m, w) => `${m} sladdede deler, ${w} unntatte opplysninger`,
  },
  en: {
    title: { se_public_document: 'Disclosure of an official document', no_innsyn: 'Access to documents', gdpr_access: 'Subject access extract' },
    received: 'Request received',
    registryNumber: 'Reference',
    asked: 'The request concerns',
    category: {
      identity: 'Identity',
      name: 'Name',
      address: 'Address',
      contact: 'Contact detail',
      guardianship: 'Custody',
      household: 'Household',
      placement: 'Placement',
      enrolment: 'School enrolment',
      application: 'Application',
      membership: 'Group',
      fee_line: 'Fee',
      income: 'Income',
      document: 'Document',
    },
    field: FIELD_EN,
    person: (n) => `Person ${n}`,
    personHidden: (n, c) => `Person ${n} (identity withheld under ${c})`,
    withheldItem: (what, c) => `${what}: withheld under ${c}`,
    documentPage: (t, p, n) => `${t}, page ${p} of ${n}`,
    documentWithheld: (t, c) => `The document ${t} is withheld under ${c}`,
    document: (n) => `Document ${n}`,
    yes: 'yes',
    no: 'no',
    log: 'Redaction log',
    logIntro: 'Every masked or withheld part of the extract, with its legal ground and reason.',
    logColumns: { n: 'No.', person: 'Person', part: 'Detail', action: 'Action', ground: 'Ground', reason: 'Reason' },
    masked: 'Masked',
    withheld: 'Withheld',
    region: (p) => `area on page ${p}`,
    whole: 'the whole item',
    nothing: 'Nothing was masked or withheld.',
    page: (p, n) => `Page ${p} of ${n}`,
    made: (d, who) => `Made ${d} by ${who}`,
    summary: (m, w) => `${m} masked parts, ${w} withheld items`,
  },
};

/** A record column's name in the language: the card history's word where it has one. */
export function fieldLabel(lang: FoiLanguage, column: string): string {
  const own = EXTRACT_WORDS[lang].field[column];
  if (own) return own;
  const camel = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const catalog = catalogs[lang] as Record<string, string>;
  return catalog[`history.field.${camel}`] ?? column;
}
