/** Small parts the FOI screens share: the status and deadline tags, a person concerned, the deadline cell, a review's outcome. */
import type { FoiRequestSummary } from '../../../../shared/api/foi';
import type { FoiGround, FoiOutcome, FoiStatus } from '../../../../shared/domain/foi';
import { Link } from '../../components/common';
import { ProtectedTag } from '../../components/Tags';
import { formatDate } from '../../lib/format';
import { useT, type TFn } from '../../lib/i18n';
import type { Lang } from '../../../../shared/i18n';
import { useSession } from '../../lib/session';
import { ToneTag } from '../care/Badges';
import { deadlineCell, personText, STATUS_TONE, type PersonRef, type Tone } from './logic';
import { citationOf } from './review';
import './foi.css';

export function StatusTag({ status, testId = 'foi-status' }: { status: FoiStatus; testId?: string }) {
  const { t } = useT();
  return (
    <ToneTag tone={STATUS_TONE[status]} testId={testId}>
      {t(`foi.status.${status}`)}
    </ToneTag>
  );
}

/** The deadline's state as a tag, with the one date that matters under it (or "no deadline running"). */
export function DeadlineTag({ request, withDate = true, testId = 'foi-deadline' }: { request: Pick<FoiRequestSummary, 'status' | 'decidedOn' | 'deadlines'>; withDate?: boolean; testId?: string }) {
  const { t, lang } = useT();
  const cell = deadlineCell(request);
  if (!cell) {
    return (
      <span className="k-sub" data-testid={testId} data-state="none">
        {t('foi.stateFinished')}
      </span>
    );
  }
  return (
    <span className="k-foi-deadline" data-testid={testId} data-state={cell.state}>
      <ToneTag tone={cell.tone}>{t(`foi.state.${cell.state}`)}</ToneTag>
      {withDate && cell.line && <span className="k-sub k-nowrap">{t(cell.line.key, { date: formatDate(cell.line.date, lang) })}</span>}
    </span>
  );
}

/** The deadline cell as plain text (sorting is the core's; this is for CSV and print). */
export function deadlineText(request: Pick<FoiRequestSummary, 'status' | 'decidedOn' | 'deadlines'>, t: TFn, lang: Lang): string {
  const cell = deadlineCell(request);
  if (!cell) return t('foi.stateFinished');
  return [t(`foi.state.${cell.state}`), cell.line ? t(cell.line.key, { date: formatDate(cell.line.date, lang) }) : ''].filter(Boolean).join(' · ');
}

/** A person concerned: a link to their card (for those who may open it), or the protected label when the name is withheld. */
export function FoiPerson({ person, testId }: { person: PersonRef; testId?: string }) {
  const { t } = useT();
  const session = useSession();
  const text = personText(person, t);
  return (
    <span className="k-nowrap" data-testid={testId} data-person-id={person.id}>
      {person.name !== null && session.can('register.read') ? (
        <Link to={{ name: 'person', id: person.id }} testId={testId ? `${testId}-link` : undefined}>
          {text}
        </Link>
      ) : (
        <span className={person.name === null ? 'k-foi-withheld' : undefined}>{text}</span>
      )}
      {person.protected && (
        <>
          {' '}
          <ProtectedTag />
        </>
      )}
    </span>
  );
}

const OUTCOME_TONE: Record<FoiOutcome, Tone> = { disclose: 'ok', mask: 'warn', withhold: 'danger' };

/** A review's outcome with its ground's citation: "Maskeras · OSL 21:3" (the list and the review dialog). */
export function Outcome({ outcome, ground, grounds, testId }: { outcome: FoiOutcome; ground: string | null; grounds: readonly FoiGround[]; testId?: string }) {
  const { t } = useT();
  const citation = citationOf(ground, grounds);
  return (
    <span className="k-foi-outcome" data-testid={testId} data-outcome={outcome} data-ground={ground ?? ''}>
      <ToneTag tone={OUTCOME_TONE[outcome]}>{t(`foi.outcome.${outcome}`)}</ToneTag>
      {citation && <span className="k-foi-citation">{citation}</span>}
    </span>
  );
}
