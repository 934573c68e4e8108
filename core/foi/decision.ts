/**
 * The decision letter (issue 13, step 7; docs/foi.md "Decision and disclosure"), in the requester's language:
 * the decision (partly granted, or refused), each masked or withheld part with its ground and reason (the
 * extract's own redaction log: one source for both), the decision-maker and the appeal instructions of the
 * request's law. A request granted in full needs no letter: the extract is the answer.
 */
import type { CoreContext } from '../context';
import { ruleViolation } from '../../shared/api/errors';
import type { FoiLanguage } from '../../shared/domain/foi';
import { PdfKit } from '../pdf/kit';
import type { ExtractResult, LogLine } from './extract';
import { EXTRACT_WORDS } from './extract-text';
import type { RequestRow } from './requests';

interface LetterWords {
  title: string;
  to: string;
  anonymous: string;
  decidedOn: string;
  partly: string;
  refused: string;
  parts: string;
  decidedBy: (name: string) => string;
  appealHeading: string;
  appeal: (kind: RequestRow['kind'], country: 'SE' | 'NO') => string[];
}

const LETTER: Record<FoiLanguage, LetterWords> = {
  sv: {
    title: 'Beslut',
    to: 'Till',
    anonymous: 'Den som har begärt handlingarna',
    decidedOn: 'Beslutsdatum',
    partly: 'Begäran bifalls delvis. Uppgifterna lämnas ut med de undantag och maskeringar som anges nedan, på de grunder som anges för varje del.',
    refused: 'Begäran avslås. Uppgifterna lämnas inte ut, på de grunder som anges nedan.',
    parts: 'Det som inte lämnas ut',
    decidedBy: (n) => `Beslutet har fattats av ${n}.`,
    appealHeading: 'Hur man överklagar',
    appeal: (kind, c) =>
      kind === 'gdpr_access'
        ? [
            'Beslutet kan överklagas hos förvaltningsrätten. Skrivelsen ställs till förvaltningsrätten men skickas till kommunen och ska ha kommit in inom tre veckor från den dag du fick del av beslutet.',
            `Du kan också klaga till ${c === 'SE' ? 'Integritetsskyddsmyndigheten (IMY)' : 'Datatilsynet'}.`,
          ]
        : [
            'Beslutet kan överklagas hos kammarrätten. Överklagandet ska vara skriftligt och ska ha kommit in till kommunen inom tre veckor från den dag du fick del av beslutet.',
            'Ange vilket beslut du överklagar och hur du vill att beslutet ska ändras.',
          ],
  },
  nb: {
    title: 'Vedtak',
    to: 'Til',
    anonymous: 'Den som har bedt om innsyn',
    decidedOn: 'Vedtaksdato',
    partly: 'Kravet blir delvis innvilget. Opplysningene utleveres med de unntak og den sladding som står nedenfor, med hjemmel for hver del.',
    refused: 'Kravet blir avslått. Opplysningene utleveres ikke, med hjemmel som står nedenfor.',
    parts: 'Det som ikke utleveres',
    decidedBy: (n) => `Vedtaket er fattet av ${n}.`,
    appealHeading: 'Klageadgang',
    appeal: (kind, c) =>
      kind === 'gdpr_access'
        ? [`Du kan klage til ${c === 'NO' ? 'Datatilsynet' : 'Integritetsskyddsmyndigheten (IMY)'}.`, 'Klagen sendes innen tre uker fra du mottok vedtaket.']
        : [
            'Du kan klage på vedtaket. Klagen sendes til kommunen, som sender den videre til Statsforvalteren dersom vedtaket ikke blir endret. Klagefristen er tre uker fra du mottok vedtaket (offentleglova § 32).',
            'Du kan innen samme frist be om en nærmere grunngiving for avslaget (offentleglova § 31).',
          ],
  },
  en: {
    title: 'Decision',
    to: 'To',
    anonymous: 'The person who asked for the documents',
    decidedOn: 'Date of decision',
    partly: 'The request is granted in part. The data is disclosed with the parts withheld or masked below, each on the ground stated.',
    refused: 'The request is refused. The data is not disclosed, on the grounds stated below.',
    parts: 'What is not disclosed',
    decidedBy: (n) => `The decision was made by ${n}.`,
    appealHeading: 'How to appeal',
    appeal: (kind, c) =>
      kind === 'gdpr_access'
        ? [
            c === 'SE'
              ? 'The decision may be appealed to the administrative court (förvaltningsrätten). Send the appeal to the municipality within three weeks of receiving the decision.'
              : 'You may complain to Datatilsynet within three weeks of receiving the decision.',
            `You may also complain to ${c === 'SE' ? 'the Swedish Authority for Privacy Protection (IMY)' : 'Datatilsynet'}.`,
          ]
        : c === 'SE'
          ? ['The decision may be appealed to the administrative court of appeal (kammarrätten). The appeal must be in writing and reach the municipality within three weeks of the day you received the decision.']
          : [
              'You may appeal. Send the appeal to the municipality, which passes it to Statsforvalteren if the decision is not changed. The time limit is three weeks from receiving the decision (offentleglova § 32).',
              'Within the same time you may ask for fuller reasons for the refusal (offentleglova § 31).',
            ],
  },
};

/** The letter and the disclosure follow the decision. */
export function requireDecided(r: Pick<RequestRow, 'status' | 'decided_on'>): void {
  if (!r.decided_on || (r.status !== 'decided' && r.status !== 'closed')) throw ruleViolation('foi_move', 'foi_move: this follows the decision: decide the request first', 'requestId');
}

/** Whether the request needs a letter: anything masked or withheld. */
export const needsLetter = (extract: Pick<ExtractResult, 'masked' | 'withheld'>) => extract.masked + extract.withheld > 0;

export async function buildDecisionLetter(
  ctx: CoreContext,
  r: Pick<RequestRow, 'kind' | 'language' | 'received_on' | 'registry_number' | 'asked_for' | 'requester_kind' | 'requester_name' | 'decided_on' | 'decided_by_name' | 'status'>,
  requesterName: string | null,
  extract: Pick<ExtractResult, 'masked' | 'withheld' | 'log' | 'shown'>,
  printedBy: string,
): Promise<{ bytes: Uint8Array; pages: number }> {
  requireDecided(r);
  if (!needsLetter(extract)) throw ruleViolation('foi_granted_in_full', 'foi_granted_in_full: the request is granted in full: the extract is the answer, no decision letter is needed', 'requestId');
  const lang = r.language;
  const l = LETTER[lang];
  const words = EXTRACT_WORDS[lang];
  const country = ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() === 'NO' ? 'NO' : 'SE';
  const municipality = (ctx.sqlite.prepare('SELECT name FROM municipality LIMIT 1').pluck().get() as string | undefined) ?? null;
  const now = ctx.clock.now();
  const kit = await PdfKit.create({
    title: `${l.title} ${r.decided_on}`,
    createdAt: now,
    lang,
    header: { municipality, lines: [`${l.decidedOn}: ${r.decided_on}${r.registry_number ? ` · ${words.registryNumber}: ${r.registry_number}` : ''}`] },
    footer: { printed: words.made(now.slice(0, 10), printedBy), pageLabel: words.page },
  });
  kit.text(`${l.to}: ${r.requester_kind === 'anonymous' || !requesterName ? l.anonymous : requesterName}`);
  kit.text(`${words.received}: ${r.received_on}`);
  kit.text(`${words.asked}: ${r.asked_for}`, { muted: true });
  kit.heading(words.title[r.kind], 12);
  kit.text(extract.shown === 0 ? l.refused : l.partly);
  kit.heading(l.parts, 10.5);
  kit.table(
    [
      { heading: words.logColumns.person, width: 20, cell: (p: LogLine) => p.person },
      { heading: words.logColumns.part, width: 28, cell: (p) => p.part },
      { heading: words.logColumns.action, width: 12, cell: (p) => (p.action === 'masked' ? words.masked : words.withheld) },
      { heading: words.logColumns.ground, width: 16, cell: (p) => p.citation },
      { heading: words.logColumns.reason, width: 24, cell: (p) => p.reason },
    ],
    extract.log,
  );
  kit.text(l.decidedBy(r.decided_by_name ?? printedBy));
  kit.heading(l.appealHeading, 10.5);
  for (const line of l.appeal(r.kind, country)) kit.text(line);
  const out = await kit.save();
  return { bytes: out.bytes, pages: out.pages };
}
