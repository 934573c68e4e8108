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
  /** A household as the extract refers to it: numbered in the order it first appears (its id means nothing to the reader). */
  household: (n: number) => string;
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
    household: (n) => `Hushåll ${n}`,
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
    household: (n) => `Husholdning ${n}`,
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
    household: (n) => `Household ${n}`,
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

interface GdprWords {
  heading: string;
  parts: (country: 'SE' | 'NO') => [string, string][];
  disclosures: string;
  noDisclosures: string;
  recipient: (kind: string, recipientKind: string) => string;
}

/** GDPR art. 15's plain-language parts of a subject-access extract. */
export const GDPR_TEXT: Record<FoiLanguage, GdprWords> = {
  sv: {
    heading: 'Om behandlingen av personuppgifterna',
    parts: (c) => [
      ['Ändamål', 'Kommunen behandlar uppgifterna för att placera barn i förskola, fritidshem och skola, ta ut avgifter för förskola och fritidshem, föra elevregister och besvara begäran om allmän handling.'],
      ['Kategorier av uppgifter', 'Identitet (namn, personnummer), adress och kontaktuppgifter, vårdnadshavare och hushåll, placeringar, skolplaceringar och ansökningar, avgifter och hushållets inkomst, samt handlingar som rör personen.'],
      ['Mottagare', 'Kommunens förskolor och skolor, kommunens ekonomifunktion för fakturering, statistikmyndigheter enligt lag, och den som begär ut allmänna handlingar när uppgifterna inte omfattas av sekretess.'],
      ['Hur länge uppgifterna sparas', 'Enligt kommunens dokumenthanteringsplan: uppgifterna sparas medan de behövs för ändamålen och gallras eller arkiveras sedan enligt arkivlagen.'],
      ['Varifrån uppgifterna kommer', c === 'SE' ? 'Från folkbokföringen (Skatteverkets Navet) och från vårdnadshavarna själva.' : 'Från folkeregisteret och från vårdnadshavarna själva.'],
      ['Dina rättigheter', `Du har rätt att begära rättelse av felaktiga uppgifter, begränsning av behandlingen och i vissa fall radering. Du kan klaga till ${c === 'SE' ? 'Integritetsskyddsmyndigheten (IMY)' : 'Datatilsynet'}.`],
    ],
    disclosures: 'Utlämnanden av uppgifterna',
    noDisclosures: 'Kansli har inte loggat att uppgifterna lämnats ut till någon.',
    recipient: (kind, who) => (kind === 'gdpr_access' ? (who === 'guardian' ? 'till en vårdnadshavare (registerutdrag)' : 'till den registrerade själv (registerutdrag)') : who === 'anonymous' ? 'till allmänheten (begäran om allmän handling)' : 'till en enskild (begäran om allmän handling)'),
  },
  nb: {
    heading: 'Om behandlingen av personopplysningene',
    parts: (c) => [
      ['Formål', 'Kommunen behandler opplysningene for å gi plass i barnehage, SFO/AKS og skole, beregne foreldrebetaling, føre elevregister og svare på innsynskrav.'],
      ['Kategorier av opplysninger', 'Identitet (navn, fødselsnummer), adresse og kontaktinformasjon, foresatte og husholdning, plasser, skoleplasser og søknader, foreldrebetaling og husholdningens inntekt, og dokumenter om personen.'],
      ['Mottakere', 'Kommunens barnehager og skoler, kommunens økonomifunksjon for fakturering, statistikkmyndigheter etter lov, og den som krever innsyn når opplysningene ikke er unntatt.'],
      ['Hvor lenge opplysningene lagres', 'Etter kommunens arkivplan: opplysningene lagres så lenge de trengs for formålene og kasseres eller arkiveres deretter etter arkivloven.'],
      ['Hvor opplysningene kommer fra', c === 'NO' ? 'Fra folkeregisteret (Skatteetaten) og fra de foresatte selv.' : 'Fra folkbokføringen og fra de foresatte selv.'],
      ['Dine rettigheter', `Du kan kreve retting av uriktige opplysninger, begrensning av behandlingen og i noen tilfeller sletting. Du kan klage til ${c === 'NO' ? 'Datatilsynet' : 'Integritetsskyddsmyndigheten (IMY)'}.`],
    ],
    disclosures: 'Utleveringer av opplysningene',
    noDisclosures: 'Kansli har ikke logget at opplysningene er utlevert til noen.',
    recipient: (kind, who) => (kind === 'gdpr_access' ? (who === 'guardian' ? 'til en foresatt (innsyn)' : 'til den registrerte selv (innsyn)') : who === 'anonymous' ? 'til allmennheten (innsynskrav)' : 'til en privatperson (innsynskrav)'),
  },
  en: {
    heading: 'About the processing of the personal data',
    parts: (c) => [
      ['Purposes', 'The municipality processes the data to place children in preschool, after-school care and school, charge fees for them, keep the pupil register and answer requests for official documents.'],
      ['Categories of data', 'Identity (name, identity number), address and contact details, guardians and household, placements, school enrolments and applications, fees and household income, and documents about the person.'],
      ['Recipients', 'The municipality\'s preschools and schools, its finance office for invoicing, statistics authorities as the law requires, and anyone who asks for official documents where the data is not secret.'],
      ['How long the data is kept', 'As the municipality\'s records management plan says: kept while needed for the purposes, then weeded or archived under the archives act.'],
      ['Where the data comes from', c === 'SE' ? 'The Swedish population register (Navet) and the guardians themselves.' : 'The Norwegian population register (Folkeregisteret) and the guardians themselves.'],
      ['Your rights', `You may ask for wrong data to be corrected, for processing to be restricted and in some cases for erasure. You may complain to ${c === 'SE' ? 'the Swedish Authority for Privacy Protection (IMY)' : 'Datatilsynet'}.`],
    ],
    disclosures: 'Disclosures of the data',
    noDisclosures: 'Kansli has logged no disclosure of the data to anyone.',
    recipient: (kind, who) => (kind === 'gdpr_access' ? (who === 'guardian' ? 'to a guardian (subject access)' : 'to the data subject (subject access)') : who === 'anonymous' ? 'to the public (request for official documents)' : 'to a private person (request for official documents)'),
  },
};
