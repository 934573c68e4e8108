/**
 * Norwegian bokmål messages of the documents block on the person card (merged into nb.ts); same ids and
 * placeholders as documents.sv.ts. Terms: "unntatt offentlighet" with its hjemmel, "bevaring og kassasjon"
 * after the arkivplan ("oppbevares varig" or "kasseres etter").
 */
import type { documentsSv } from './documents.sv';

export const documentsNb: Record<keyof typeof documentsSv, string> = {
  'documents.title': 'Dokumenter',
  'documents.caption': 'Dokumenter om personen',
  'documents.none': 'Ingen dokumenter.',
  'documents.withheld': 'Dokumenter vises ikke: personen har adressebeskyttelse, og dokumentene vises bare for ansatte med tilgang til dem (se advarselen øverst).',
  'documents.guardedNote': 'Personen har adressebeskyttelse. Når du åpner et dokument, oppgir du hvorfor; begrunnelsen lagres i revisjonsloggen.',
  'documents.keyboardHint': 'Piltastene flytter mellom dokumentene, Enter åpner det markerte.',
  'documents.attach': 'Legg ved dokument',
  'documents.shortcut.attach': 'Legg ved et dokument (på personkortet)',

  'documents.col.date': 'Dato',
  'documents.col.title': 'Tittel',
  'documents.col.kind': 'Type',
  'documents.col.classification': 'Offentlighet',
  'documents.col.retention': 'Bevaring og kassasjon',
  'documents.col.pages': 'Sider',
  'documents.col.size': 'Størrelse',

  'documents.kind.decision': 'Vedtak',
  'documents.kind.letter': 'Brev',
  'documents.kind.application': 'Søknad',
  'documents.kind.certificate': 'Attest eller erklæring',
  'documents.kind.report': 'Utredning eller rapport',
  'documents.kind.other': 'Annet',

  'documents.classification.open': 'Offentlig',
  'documents.classification.confidential': 'Unntatt offentlighet',
  'documents.classification.withGround': 'Unntatt offentlighet ({{ground}})',

  'documents.retention.permanent': 'Oppbevares varig',
  'documents.retention.years_1': 'Kasseres etter 1 år',
  'documents.retention.years_3': 'Kasseres etter 3 år',
  'documents.retention.years_5': 'Kasseres etter 5 år',
  'documents.retention.years_10': 'Kasseres etter 10 år',
  'documents.retention.when_obsolete': 'Kasseres når det ikke lenger trengs',

  'documents.open': 'Åpne',
  'documents.openOf': 'Åpne {{title}}',
  'documents.edit': 'Endre',
  'documents.editOf': 'Endre opplysningene om {{title}}',
  'documents.remove': 'Fjern',
  'documents.removeOf': 'Fjern {{title}}',
  'documents.opening': 'Henter dokumentet …',
  'documents.opened': 'Dokumentet er hentet: {{file}}',
  'documents.saved.add': 'Dokumentet er lagt ved.',
  'documents.saved.edit': 'Opplysningene om dokumentet er lagret.',
  'documents.saved.remove': 'Dokumentet er fjernet.',

  'documents.dialog.addTitle': 'Legg ved dokument',
  'documents.dialog.editTitle': 'Endre opplysningene om dokumentet',
  'documents.dialog.addSubmit': 'Legg ved',
  'documents.dialog.editSubmit': 'Lagre',
  'documents.dialog.editFile': 'Filen {{name}} ({{size}}, {{pages}} s.) endres ikke, bare opplysningene om den.',

  'documents.field.file': 'Fil',
  'documents.file.choose': 'Velg fil …',
  'documents.file.none': 'Ingen fil valgt',
  'documents.file.chosen': '{{name}} ({{size}})',
  'documents.file.hint': 'PDF, PNG eller JPEG, høyst {{max}}. Innholdet lagres i registeret og endres aldri.',
  'documents.file.required': 'Velg en fil.',
  'documents.file.type': 'Velg en PDF-, PNG- eller JPEG-fil.',
  'documents.file.tooLarge': 'Filen er større enn {{max}}.',
  'documents.file.empty': 'Filen er tom.',
  'documents.upload.progress': 'Sender filen: {{sent}} av {{total}}',

  'documents.field.title': 'Tittel',
  'documents.field.titleHint': 'Hva dokumentet er, f.eks. «Vedtak om barnehageplass».',
  'documents.field.kind': 'Dokumenttype',
  'documents.field.kindChoose': 'Velg type …',
  'documents.field.date': 'Dokumentets dato',
  'documents.field.dateHint': 'Datoen dokumentet har (vedtaksdato, brevets dato).',
  'documents.field.classification': 'Offentlighet',
  'documents.field.classificationOpen': 'Offentlig',
  'documents.field.classificationConfidential': 'Unntatt offentlighet',
  'documents.field.classificationHint': 'Merkingen er en påminnelse før innsynsvurderingen, ikke selve vurderingen.',
  'documents.field.ground': 'Hjemmel',
  'documents.field.groundHint': 'Hjemmelen for unntaket, f.eks. offl. § 13 jf. fvl. § 13.',
  'documents.field.groundRequired': 'Oppgi hjemmelen for unntaket.',
  'documents.field.retention': 'Bevaring og kassasjon',
  'documents.field.retentionChoose': 'Velg …',
  'documents.field.retentionHint': 'Etter arkivplanen: oppbevares varig, eller når det kasseres.',

  'documents.remove.title': 'Fjern dokument',
  'documents.remove.text': '«{{title}}» ({{date}}) fjernes fra personkortet. Fjern bare et dokument som ble lagt ved ved en feil; det blir liggende i historikken og for arkivet.',
  'documents.remove.submit': 'Fjern dokumentet',

  'documents.reason.title': 'Åpne dokument om beskyttet person',
  'documents.reason.text': '«{{title}}» gjelder {{name}}, som har adressebeskyttelse. Oppgi hvorfor du trenger å åpne dokumentet. Begrunnelsen lagres i revisjonsloggen sammen med navnet ditt.',
  'documents.reason.submit': 'Åpne dokumentet',

  'documents.unavailable.add': 'Dokumenter kan ikke legges ved her ennå: arbeidsstasjonen er koblet til en sentral server, og dokumenter følger ennå ikke med synkroniseringen.',
  'documents.unavailable.open': 'Dokumentet kan ikke åpnes her ennå: arbeidsstasjonen er koblet til en sentral server, og innholdet i dokumentene følger ennå ikke med synkroniseringen.',

  'documents.rule.document_type': 'Filen er ikke en PDF-, PNG- eller JPEG-fil. Det avgjøres av innholdet i filen, ikke av navnet.',
  'documents.rule.document_encrypted': 'PDF-filen er passordbeskyttet. Legg ved en kopi uten passord.',
  'documents.rule.document_damaged': 'Filen er skadet og kan ikke leses.',
  'documents.rule.document_pages': 'PDF-filen har {{pages}} sider. Høyst {{max}} sider kan legges ved.',
  'documents.rule.document_pixels': 'Bildet er {{width}} × {{height}} piksler. Det kan være høyst {{max}} piksler på den lengste siden.',
  'documents.rule.document_date': 'Dokumentets dato kan ikke være senere enn i dag.',
};
