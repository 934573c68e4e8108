/**
 * Import problems in Swedish, Norwegian (bokmål) and English, for the error report a clerk sends back to whoever
 * produced the file. Kept here and not in the UI catalogs: the report is made by the core (a job may write it
 * with no window open), and it is a document for a third party, not a screen text.
 *
 * The CSV reader gives every problem `args` (the cell, the expected value, the heading …) and builds its English
 * `reason` from the same template as the other languages, so all three say the same thing. The XML readers'
 * reasons are English and precise about the XSD; in another language they get the code's summary with the
 * English detail after it (the file's producer reads the detail; the clerk reads the summary).
 */
import { csvCell } from '../text/csv';
import type { ProblemCode, ReadProblem } from './model';

export type MessageLang = 'sv' | 'nb' | 'en';
type Text = Record<MessageLang, string>;

/** One placeholder-free sentence per problem code. */
export const PROBLEM_SUMMARY: Record<ProblemCode, Text> = {
  malformed_xml: { sv: 'Filen är inte välformad XML', nb: 'Filen er ikke velformet XML', en: 'The file is not well-formed XML' },
  unsupported_encoding: { sv: 'Filens teckenkodning kan inte läsas', nb: 'Filens tegnkoding kan ikke leses', en: 'The file’s character encoding cannot be read' },
  wrong_root: { sv: 'Filen är inte av den förväntade typen', nb: 'Filen er ikke av forventet type', en: 'The file is not of the expected kind' },
  unknown_element: { sv: 'Ett element är inte tillåtet här', nb: 'Et element er ikke tillatt her', en: 'An element is not allowed here' },
  missing_element: { sv: 'Ett obligatoriskt element saknas', nb: 'Et obligatorisk element mangler', en: 'A required element is missing' },
  repeated_element: { sv: 'Ett element förekommer för många gånger', nb: 'Et element forekommer for mange ganger', en: 'An element occurs too many times' },
  element_order: { sv: 'Elementen står i fel ordning', nb: 'Elementene står i feil rekkefølge', en: 'The elements are in the wrong order' },
  unexpected_text: { sv: 'Text som inte är tillåten här', nb: 'Tekst som ikke er tillatt her', en: 'Text that is not allowed here' },
  unknown_attribute: { sv: 'Ett attribut är inte tillåtet här', nb: 'Et attributt er ikke tillatt her', en: 'An attribute is not allowed here' },
  bad_value: { sv: 'Ogiltigt värde', nb: 'Ugyldig verdi', en: 'Invalid value' },
  bad_date: { sv: 'Ogiltigt datum', nb: 'Ugyldig dato', en: 'Invalid date' },
  bad_identity_number: { sv: 'Ogiltigt personnummer', nb: 'Ugyldig fødselsnummer', en: 'Invalid identity number' },
  unknown_code: { sv: 'Okänd kod', nb: 'Ukjent kode', en: 'Unknown code' },
  inconsistent: { sv: 'Uppgifterna motsäger varandra', nb: 'Opplysningene motsier hverandre', en: 'The data contradict each other' },
  record_too_large: { sv: 'Posten är orimligt stor', nb: 'Posten er urimelig stor', en: 'The record is unreasonably large' },
  count_mismatch: { sv: 'Antalet poster stämmer inte med filens uppgift', nb: 'Antall poster stemmer ikke med filens oppgave', en: 'The number of records does not match what the file states' },
  too_many_problems: { sv: 'För många fel: filen läses inte in', nb: 'For mange feil: filen leses ikke inn', en: 'Too many problems: the file is not imported' },
  read_error: { sv: 'Filen kunde inte läsas', nb: 'Filen kunne ikke leses', en: 'The file could not be read' },
  malformed_csv: { sv: 'Ett citattecken stängs aldrig', nb: 'Et anførselstegn lukkes aldri', en: 'A quote is never closed' },
  no_header: { sv: 'Rubrikrad saknas', nb: 'Overskriftslinje mangler', en: 'No header line' },
  wrong_delimiter: { sv: 'Filen använder en annan avgränsare än mappningen', nb: 'Filen bruker et annet skilletegn enn tilordningen', en: 'The file uses another separator than the mapping' },
  missing_heading: { sv: 'En kolumn i mappningen saknas i filen', nb: 'En kolonne i tilordningen mangler i filen', en: 'A column of the mapping is missing from the file' },
  duplicate_heading: { sv: 'En kolumnrubrik förekommer flera gånger', nb: 'En kolonneoverskrift forekommer flere ganger', en: 'A column heading occurs more than once' },
  too_many_columns: { sv: 'Raden har fler kolumner än rubrikraden', nb: 'Linjen har flere kolonner enn overskriftslinjen', en: 'The row has more columns than the header line' },
  too_few_columns: { sv: 'Raden har färre kolumner än rubrikraden', nb: 'Linjen har færre kolonner enn overskriftslinjen', en: 'The row has fewer columns than the header line' },
  stray_quote: { sv: 'Citattecken som inte är dubblerat', nb: 'Anførselstegn som ikke er doblet', en: 'A quote that is not doubled' },
  bad_encoding: { sv: 'Tecken som inte kan läsas', nb: 'Tegn som ikke kan leses', en: 'Characters that cannot be read' },
  missing_value: { sv: 'Obligatoriskt värde saknas', nb: 'Obligatorisk verdi mangler', en: 'Required value missing' },
  missing_identity: { sv: 'Personnummer eller reservnummer saknas', nb: 'Fødselsnummer eller reservenummer mangler', en: 'No identity or reserve number' },
  too_long: { sv: 'Värdet är för långt', nb: 'Verdien er for lang', en: 'The value is too long' },
  date_in_future: { sv: 'Födelsedatum i framtiden', nb: 'Fødselsdato i fremtiden', en: 'Birth date in the future' },
  birth_date_mismatch: { sv: 'Födelsedatum stämmer inte med personnumret', nb: 'Fødselsdato stemmer ikke med fødselsnummeret', en: 'Birth date does not match the identity number' },
  sex_mismatch: { sv: 'Kön stämmer inte med personnumret', nb: 'Kjønn stemmer ikke med fødselsnummeret', en: 'Sex does not match the identity number' },
  bad_sex: { sv: 'Okänd könskod', nb: 'Ukjent kjønnskode', en: 'Unknown sex code' },
  bad_postal_code: { sv: 'Ogiltigt postnummer', nb: 'Ugyldig postnummer', en: 'Invalid postal code' },
  postal_code_zero_lost: { sv: 'Postnumrets inledande nolla saknas', nb: 'Postnummerets innledende null mangler', en: 'The postal code’s leading zero is missing' },
  incomplete_address: { sv: 'Ofullständig adress', nb: 'Ufullstendig adresse', en: 'Incomplete address' },
  bad_country: { sv: 'Okänd landskod', nb: 'Ukjent landkode', en: 'Unknown country code' },
  bad_email: { sv: 'Ogiltig e-postadress', nb: 'Ugyldig e-postadresse', en: 'Invalid e-mail address' },
  bad_phone: { sv: 'Ogiltigt telefonnummer', nb: 'Ugyldig telefonnummer', en: 'Invalid telephone number' },
  bad_protection: { sv: 'Okänd skyddsmarkering', nb: 'Ukjent adressebeskyttelse', en: 'Unknown protection value' },
  bad_reserve_number: { sv: 'Ogiltigt reservnummer', nb: 'Ugyldig reservenummer', en: 'Invalid reserve number' },
  guardian_is_self: { sv: 'Personen är angiven som sin egen vårdnadshavare', nb: 'Personen er oppgitt som sin egen foresatte', en: 'The person is given as their own guardian' },
  duplicate_guardian: { sv: 'Samma vårdnadshavare anges två gånger', nb: 'Samme foresatte er oppgitt to ganger', en: 'The same guardian is given twice' },
};

/** The problems the CSV reader reports, each with a template over its `args`. */
export type CsvProblemCode = Extract<
  ProblemCode,
  | 'malformed_csv'
  | 'record_too_large'
  | 'no_header'
  | 'wrong_delimiter'
  | 'missing_heading'
  | 'duplicate_heading'
  | 'too_many_columns'
  | 'too_few_columns'
  | 'stray_quote'
  | 'bad_encoding'
  | 'unsupported_encoding'
  | 'read_error'
  | 'too_many_problems'
  | 'missing_value'
  | 'missing_identity'
  | 'too_long'
  | 'bad_identity_number'
  | 'bad_reserve_number'
  | 'bad_date'
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
  | 'guardian_is_self'
  | 'duplicate_guardian'
>;

/**
 * Templates; `{name}` is replaced by args[name]. Some arguments are keys that are themselves translated (see
 * TRANSLATED): `why` (why an identity number is refused), `field`/`fields` (CSV fields), `separator`/`found`,
 * `country`, `sex`, `kind`, and `format` (a date format, written with Å for år in Swedish and Norwegian).
 */
export const CSV_TEMPLATES: Record<CsvProblemCode, Text> = {
  malformed_csv: {
    sv: 'Citattecknet som inleder värdet i kolumn {column} stängs aldrig: filen tar slut inuti värdet',
    nb: 'Anførselstegnet som innleder verdien i kolonne {column}, lukkes aldri: filen slutter inne i verdien',
    en: 'The quote that opens the value in column {column} is never closed: the file ends inside it',
  },
  record_too_large: {
    sv: 'Raden är längre än {max} tecken: troligen stängs ett citattecken aldrig',
    nb: 'Linjen er lengre enn {max} tegn: trolig lukkes et anførselstegn aldri',
    en: 'The row is longer than {max} characters: probably a quote is never closed',
  },
  no_header: {
    sv: 'Filen är tom: den har ingen rubrikrad',
    nb: 'Filen er tom: den har ingen overskriftslinje',
    en: 'The file is empty: it has no header line',
  },
  wrong_delimiter: {
    sv: 'Rubrikraden innehåller inget {separator} (mappningens avgränsare) men {found}: filen använder en annan avgränsare',
    nb: 'Overskriftslinjen inneholder ikke {separator} (tilordningens skilletegn), men {found}: filen bruker et annet skilletegn',
    en: 'The header line holds no {separator} (the mapping’s separator) but {found}: the file uses another separator',
  },
  missing_heading: {
    sv: 'Rubrikraden saknar kolumner som mappningen anger: {headings} ({fields})',
    nb: 'Overskriftslinjen mangler kolonner som tilordningen angir: {headings} ({fields})',
    en: 'The header line lacks columns the mapping names: {headings} ({fields})',
  },
  duplicate_heading: {
    sv: 'Kolumnen "{heading}" som mappningen använder förekommer flera gånger på rubrikraden (kolumn {columns})',
    nb: 'Kolonnen «{heading}» som tilordningen bruker, forekommer flere ganger i overskriftslinjen (kolonne {columns})',
    en: 'The column "{heading}" that the mapping uses occurs more than once in the header line (columns {columns})',
  },
  too_many_columns: {
    sv: 'Raden har {count} kolumner men rubrikraden {expected}: ett värde som innehåller avgränsaren saknar citattecken',
    nb: 'Linjen har {count} kolonner, men overskriftslinjen {expected}: en verdi som inneholder skilletegnet, mangler anførselstegn',
    en: 'The row has {count} columns but the header line {expected}: a value holding the separator is not quoted',
  },
  too_few_columns: {
    sv: 'Raden har {count} kolumner men rubrikraden {expected}: en radbrytning i ett värde utan citattecken kan ha delat raden',
    nb: 'Linjen har {count} kolonner, men overskriftslinjen {expected}: et linjeskift i en verdi uten anførselstegn kan ha delt linjen',
    en: 'The row has {count} columns but the header line {expected}: a line break in an unquoted value may have split the row',
  },
  stray_quote: {
    sv: 'Ett citattecken inuti ett citerat värde är inte dubblerat ("")',
    nb: 'Et anførselstegn inne i en sitert verdi er ikke doblet ("")',
    en: 'A quote inside a quoted value is not doubled ("")',
  },
  bad_encoding: {
    sv: 'Värdet innehåller tecken som inte kan läsas (filen blandar teckenkodningar eller innehåller styrtecken)',
    nb: 'Verdien inneholder tegn som ikke kan leses (filen blander tegnkodinger eller inneholder kontrolltegn)',
    en: 'The value holds characters that cannot be read (the file mixes encodings or holds control characters)',
  },
  unsupported_encoding: {
    sv: 'Filen kan inte läsas som text: {kind}',
    nb: 'Filen kan ikke leses som tekst: {kind}',
    en: 'The file cannot be read as text: {kind}',
  },
  read_error: {
    sv: 'Filen kunde inte läsas: {message}',
    nb: 'Filen kunne ikke leses: {message}',
    en: 'The file could not be read: {message}',
  },
  too_many_problems: {
    sv: 'Fler än {max} fel: troligen är det fel fil eller fel mappning, så inget av filen läses in',
    nb: 'Flere enn {max} feil: trolig er det feil fil eller feil tilordning, så ingenting av filen leses inn',
    en: 'More than {max} problems: probably the wrong file or the wrong mapping, so none of it is imported',
  },
  missing_value: {
    sv: 'Obligatoriskt värde saknas: {field}',
    nb: 'Obligatorisk verdi mangler: {field}',
    en: 'Required value missing: {field}',
  },
  missing_identity: {
    sv: 'Raden har varken personnummer eller reservnummer med födelsedatum',
    nb: 'Linjen har verken fødselsnummer eller reservenummer med fødselsdato',
    en: 'The row has neither an identity number nor a reserve number with a birth date',
  },
  too_long: {
    sv: 'Värdet är {length} tecken långt; högst {max} är tillåtna',
    nb: 'Verdien er {length} tegn lang; høyst {max} er tillatt',
    en: 'The value is {length} characters long; at most {max} are allowed',
  },
  bad_identity_number: {
    sv: '"{value}" är inget giltigt personnummer: {why}',
    nb: '«{value}» er ikke et gyldig fødselsnummer: {why}',
    en: '"{value}" is not a valid identity number: {why}',
  },
  bad_reserve_number: {
    sv: '"{value}" är inte ett reservnummer (3–20 bokstäver, siffror och bindestreck)',
    nb: '«{value}» er ikke et reservenummer (3–20 bokstaver, sifre og bindestreker)',
    en: '"{value}" is not a reserve number (3–20 letters, digits and hyphens)',
  },
  bad_date: {
    sv: '"{value}" är inte ett verkligt datum på formen {format}',
    nb: '«{value}» er ikke en virkelig dato på formen {format}',
    en: '"{value}" is not a real date of the form {format}',
  },
  date_in_future: {
    sv: 'Födelsedatumet {value} ligger efter dagens datum',
    nb: 'Fødselsdatoen {value} ligger etter dagens dato',
    en: 'The birth date {value} is after today',
  },
  birth_date_mismatch: {
    sv: 'Födelsedatumet {value} stämmer inte med personnumrets ({expected})',
    nb: 'Fødselsdatoen {value} stemmer ikke med fødselsnummerets ({expected})',
    en: 'The birth date {value} does not match the identity number’s ({expected})',
  },
  sex_mismatch: {
    sv: 'Könet "{value}" stämmer inte med personnumret ({sex})',
    nb: 'Kjønnet «{value}» stemmer ikke med fødselsnummeret ({sex})',
    en: 'The sex "{value}" does not match the identity number ({sex})',
  },
  bad_sex: {
    sv: '"{value}" är ingen könskod (använd K/M, F/M, Kvinna/Man, Kvinne/Mann eller 2/1)',
    nb: '«{value}» er ingen kjønnskode (bruk K/M, F/M, Kvinna/Man, Kvinne/Mann eller 2/1)',
    en: '"{value}" is not a sex code (use K/M, F/M, Kvinna/Man, Kvinne/Mann or 2/1)',
  },
  bad_postal_code: {
    sv: '"{value}" är inte ett postnummer i {country} ({pattern})',
    nb: '«{value}» er ikke et postnummer i {country} ({pattern})',
    en: '"{value}" is not a postal code of {country} ({pattern})',
  },
  postal_code_zero_lost: {
    sv: '"{value}" har tre siffror: ett kalkylprogram har troligen tagit bort den inledande nollan (0{value}); formatera kolumnen som text vid exporten',
    nb: '«{value}» har tre sifre: et regneark har trolig fjernet den innledende nullen (0{value}); formater kolonnen som tekst ved eksporten',
    en: '"{value}" has three digits: a spreadsheet has probably dropped the leading zero (0{value}); format the column as text in the export',
  },
  incomplete_address: {
    sv: 'Ofullständig adress, saknas: {field} (en adress behöver gatuadress, postnummer och ort)',
    nb: 'Ufullstendig adresse, mangler: {field} (en adresse trenger gateadresse, postnummer og poststed)',
    en: 'Incomplete address, missing: {field} (an address needs street, postal code and city)',
  },
  bad_country: {
    sv: '"{value}" är ingen landskod (två bokstäver, t.ex. SE, NO)',
    nb: '«{value}» er ingen landkode (to bokstaver, f.eks. SE, NO)',
    en: '"{value}" is not a country code (two letters, e.g. SE, NO)',
  },
  bad_email: {
    sv: '"{value}" är ingen e-postadress',
    nb: '«{value}» er ingen e-postadresse',
    en: '"{value}" is not an e-mail address',
  },
  bad_phone: {
    sv: '"{value}" är inget telefonnummer (5–20 siffror, mellanslag, bindestreck, parenteser och ett inledande +)',
    nb: '«{value}» er ikke et telefonnummer (5–20 sifre, mellomrom, bindestreker, parenteser og en innledende +)',
    en: '"{value}" is not a telephone number (5–20 digits, spaces, hyphens, brackets and a leading +)',
  },
  bad_protection: {
    sv: '"{value}" är ingen känd skyddsmarkering (t.ex. J/N, sekretessmarkering, skyddad folkbokföring, fortrolig, strengt fortrolig, 6, 7)',
    nb: '«{value}» er ingen kjent adressebeskyttelse (f.eks. J/N, fortrolig, strengt fortrolig, klientadresse, 6, 7, sekretessmarkering)',
    en: '"{value}" is not a known protection value (e.g. J/N, sekretessmarkering, skyddad folkbokföring, fortrolig, strengt fortrolig, 6, 7)',
  },
  guardian_is_self: {
    sv: 'Vårdnadshavaren {value} är personen själv',
    nb: 'Den foresatte {value} er personen selv',
    en: 'The guardian {value} is the person themselves',
  },
  duplicate_guardian: {
    sv: 'Samma vårdnadshavare ({value}) anges två gånger',
    nb: 'Samme foresatte ({value}) er oppgitt to ganger',
    en: 'The same guardian ({value}) is given twice',
  },
};

/** Why an identity number was refused: shared/identity's error codes and the spreadsheet traps csv.ts recognises. */
export const ID_WHY: Record<string, Text> = {
  empty: { sv: 'tomt', nb: 'tomt', en: 'empty' },
  bad_characters: { sv: 'otillåtna tecken', nb: 'ugyldige tegn', en: 'characters that are not allowed' },
  bad_length: { sv: 'fel antal siffror', nb: 'feil antall sifre', en: 'wrong number of digits' },
  bad_date: { sv: 'datumdelen är inget datum', nb: 'datodelen er ingen dato', en: 'the date part is not a date' },
  bad_checksum: { sv: 'fel kontrollsiffra', nb: 'feil kontrollsiffer', en: 'wrong check digit' },
  bad_individual_number: { sv: 'födelsenumret delas aldrig ut', nb: 'individnummeret tildeles aldri', en: 'the individual number is never issued' },
  missing_separator: { sv: 'skiljetecken saknas', nb: 'skilletegn mangler', en: 'separator missing' },
  h_number_not_allowed: { sv: 'H-nummer tas inte emot', nb: 'H-nummer tas ikke imot', en: 'H-numbers are not accepted' },
  synthetic_not_allowed: { sv: 'syntetiska testnummer tas bara emot i demoläge', nb: 'syntetiske testnummer tas bare imot i demomodus', en: 'synthetic test numbers are only accepted in demo mode' },
  interim_not_allowed: { sv: 'interimsnummer tas inte emot', nb: 'interimsnummer tas ikke imot', en: 'interim numbers are not accepted' },
  future_date: { sv: 'födelsedatumet ligger i framtiden', nb: 'fødselsdatoen ligger i fremtiden', en: 'the birth date is in the future' },
  ambiguous: { sv: 'tvetydigt', nb: 'tvetydig', en: 'ambiguous' },
  leading_zero_lost: {
    sv: 'en inledande nolla saknas (ett kalkylprogram har troligen tagit bort den; formatera kolumnen som text)',
    nb: 'en innledende null mangler (et regneark har trolig fjernet den; formater kolonnen som tekst)',
    en: 'a leading zero is missing (a spreadsheet has probably dropped it; format the column as text)',
  },
  scientific_notation: {
    sv: 'ett kalkylprogram har skrivit numret i exponentform; formatera kolumnen som text',
    nb: 'et regneark har skrevet nummeret i eksponentform; formater kolonnen som tekst',
    en: 'a spreadsheet has written the number in scientific notation; format the column as text',
  },
};

/** The CSV fields by name, as the report names them. */
export const FIELD_LABEL: Record<string, Text> = {
  identityNumber: { sv: 'Personnummer', nb: 'Fødselsnummer', en: 'Identity number' },
  reserveNumber: { sv: 'Reservnummer', nb: 'Reservenummer', en: 'Reserve number' },
  birthDate: { sv: 'Födelsedatum', nb: 'Fødselsdato', en: 'Birth date' },
  sex: { sv: 'Kön', nb: 'Kjønn', en: 'Sex' },
  givenName: { sv: 'Förnamn', nb: 'Fornavn', en: 'Given name' },
  middleName: { sv: 'Mellannamn', nb: 'Mellomnavn', en: 'Middle name' },
  familyName: { sv: 'Efternamn', nb: 'Etternavn', en: 'Family name' },
  preferredName: { sv: 'Tilltalsnamn', nb: 'Tiltalsnavn', en: 'Preferred name' },
  street: { sv: 'Gatuadress', nb: 'Gateadresse', en: 'Street' },
  careOf: { sv: 'c/o', nb: 'c/o', en: 'Care of' },
  postalCode: { sv: 'Postnummer', nb: 'Postnummer', en: 'Postal code' },
  city: { sv: 'Ort', nb: 'Poststed', en: 'City' },
  country: { sv: 'Land', nb: 'Land', en: 'Country' },
  phone: { sv: 'Telefon', nb: 'Telefon', en: 'Telephone' },
  mobile: { sv: 'Mobil', nb: 'Mobil', en: 'Mobile' },
  email: { sv: 'E-post', nb: 'E-post', en: 'E-mail' },
  protection: { sv: 'Skyddsmarkering', nb: 'Adressebeskyttelse', en: 'Protection' },
  guardian1IdentityNumber: { sv: 'Vårdnadshavare 1', nb: 'Foresatt 1', en: 'Guardian 1' },
  guardian2IdentityNumber: { sv: 'Vårdnadshavare 2', nb: 'Foresatt 2', en: 'Guardian 2' },
};

const SEPARATOR: Record<string, Text> = {
  comma: { sv: 'kommatecken (,)', nb: 'komma (,)', en: 'comma (,)' },
  semicolon: { sv: 'semikolon (;)', nb: 'semikolon (;)', en: 'semicolon (;)' },
  tab: { sv: 'tabbtecken', nb: 'tabulator', en: 'tab' },
};
const COUNTRY_NAME: Record<string, Text> = {
  SE: { sv: 'Sverige', nb: 'Sverige', en: 'Sweden' },
  NO: { sv: 'Norge', nb: 'Norge', en: 'Norway' },
};
const SEX_NAME: Record<string, Text> = {
  F: { sv: 'kvinna', nb: 'kvinne', en: 'female' },
  M: { sv: 'man', nb: 'mann', en: 'male' },
};
const FILE_KIND: Record<string, Text> = {
  xlsx: { sv: 'det är en Excel-arbetsbok (.xlsx); spara den som CSV', nb: 'det er en Excel-arbeidsbok (.xlsx); lagre den som CSV', en: 'it is an Excel workbook (.xlsx); save it as CSV' },
  xls: { sv: 'det är en äldre Excel-arbetsbok (.xls); spara den som CSV', nb: 'det er en eldre Excel-arbeidsbok (.xls); lagre den som CSV', en: 'it is an old Excel workbook (.xls); save it as CSV' },
  binary: {
    sv: 'den innehåller nollbytes (en binärfil, eller UTF-16 utan byte order mark)',
    nb: 'den inneholder nullbyte (en binærfil, eller UTF-16 uten byte order mark)',
    en: 'it holds zero bytes (a binary file, or UTF-16 without a byte-order mark)',
  },
};

/** Arguments whose value is a key (or a comma-separated list of keys) to translate. */
const TRANSLATED: Record<string, Record<string, Text>> = {
  why: ID_WHY,
  field: FIELD_LABEL,
  fields: FIELD_LABEL,
  separator: SEPARATOR,
  found: SEPARATOR,
  country: COUNTRY_NAME,
  sex: SEX_NAME,
  kind: FILE_KIND,
};

function argText(name: string, value: string | number, lang: MessageLang): string {
  const table = TRANSLATED[name];
  if (table) {
    return String(value)
      .split(',')
      .map((k) => table[k.trim()]?.[lang] ?? k.trim())
      .join(', ');
  }
  // Swedish and Norwegian write the year of a date format with Å (år): ÅÅÅÅ-MM-DD, DD.MM.ÅÅÅÅ.
  if (name === 'format' && lang !== 'en') return String(value).replace(/Y/g, 'Å');
  return String(value);
}

/** The template of `code` in `lang` with its arguments filled in. */
export function csvMessage(code: CsvProblemCode, lang: MessageLang, args: Record<string, string | number>): string {
  return CSV_TEMPLATES[code][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in args ? argText(name, args[name]!, lang) : whole));
}

/** A problem's reason in `lang` (see the module comment). */
export function problemReason(p: Pick<ReadProblem, 'code' | 'reason' | 'args'>, lang: MessageLang): string {
  if (p.args && p.code in CSV_TEMPLATES) return csvMessage(p.code as CsvProblemCode, lang, p.args);
  if (lang === 'en') return p.reason;
  return `${PROBLEM_SUMMARY[p.code][lang]} (${p.reason})`;
}

const REPORT_HEADINGS: Record<MessageLang, [string, string, string, string, string]> = {
  sv: ['Rad', 'Kolumn', 'Fält', 'Orsak', 'Person'],
  nb: ['Linje', 'Kolonne', 'Felt', 'Årsak', 'Person'],
  en: ['Line', 'Column', 'Field', 'Reason', 'Subject'],
};

/**
 * The error report: one row per problem (line, column, field, reason in `lang`, the person's number as far as it
 * was read). Written like the class-list CSV (core/lists/csv.ts): UTF-8 with a byte-order mark so that Excel reads
 * å, ä, ö, ø right, CRLF, and every cell through csvCell — the reasons quote the file's cells, and a cell such as
 * `=HYPERLINK(…)` from a hostile or broken file must stay text when the report is opened in a spreadsheet.
 */
export function problemsCsv(problems: Iterable<ReadProblem>, lang: MessageLang): string {
  const lines = [REPORT_HEADINGS[lang].map(csvCell).join(',')];
  for (const p of problems) {
    lines.push([p.line, p.column, p.element, problemReason(p, lang), p.subject].map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
