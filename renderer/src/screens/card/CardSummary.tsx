/**
 * The person card at a glance: a summary header (identity number, age, where the person is today and with
 * which status, guardians with their markers and registered address), the bar of section keys (1–9 and 0 jump to
 * a section; plain digits because Alt+digit switches tabs in Linux browsers and Firefox) and the print
 * line. What the summary says comes from the core (care.card `summary`): the renderer never decides whose
 * address may be shown.
 */
import { Button, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useLayoutEffect, useState, type SVGProps } from 'react';
import { Link, ProtectedBlock } from '../../components/common';
import { IconLock } from '../../components/icons';
import { ProtectedTag } from '../../components/Tags';
import { useAuth } from '../../lib/authContext';
import { inForce, type CareCard } from '../../lib/care';
import type { PersonCard } from '../../lib/domain';
import { ageOn, countryName, formatDate } from '../../lib/format';
import { useT, type TKey } from '../../lib/i18n';
import { isTypingTarget, MOD, modPressed } from '../../lib/platform';
import { useSession } from '../../lib/session';
import { PlacementStatusTag, ToneTag } from '../care/Badges';

type Summary = CareCard['summary'];

/** The card's sections by their key: the same digit always leads to the same kind of section. */
export const CARD_SECTIONS: readonly { key: string; ids: readonly string[]; title: TKey }[] = [
  { key: '1', ids: ['sec-placements'], title: 'card.nav.placements' },
  { key: '2', ids: ['sec-guardians', 'sec-children'], title: 'card.nav.guardians' },
  { key: '3', ids: ['sec-households'], title: 'card.nav.households' },
  { key: '4', ids: ['sec-applications'], title: 'card.nav.applications' },
  { key: '5', ids: ['sec-identity'], title: 'card.nav.identity' },
  { key: '6', ids: ['sec-addresses'], title: 'card.nav.address' },
  { key: '7', ids: ['sec-memberships'], title: 'card.nav.groups' },
  { key: '8', ids: ['sec-namehistory'], title: 'card.nav.nameHistory' },
  { key: '9', ids: ['sec-history'], title: 'card.nav.history' },
  // Next month's fee, on a child's card for fee administrators.
  { key: '0', ids: ['sec-fee'], title: 'fees.card.nav' },
];

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

/** Moves to a section: its heading takes focus (screen readers read it) and the section scrolls to the top. */
function jumpTo(id: string): void {
  const heading = document.getElementById(`${id}-title`);
  if (!heading) return;
  heading.focus({ preventScroll: true });
  (heading.closest('section') ?? heading).scrollIntoView({ block: 'start' });
}

/**
 * The section bar and its keys, and Ctrl+P (⌘P) for printing. Keys act only outside text fields and
 * dialogs, like every single-key shortcut of Kansli.
 */
export function CardSectionBar({ revision }: { revision: unknown }) {
  const { t } = useT();
  const auth = useAuth();
  // Which sections this card has (a child's card has placements, an adult's may not): read from the page
  // after each render, so the bar never offers a key that leads nowhere.
  const [present, setPresent] = useState<Record<string, string>>({});
  useLayoutEffect(() => {
    const next: Record<string, string> = {};
    for (const s of CARD_SECTIONS) {
      const id = s.ids.find((x) => document.getElementById(`${x}-title`));
      if (id) next[s.key] = id;
    }
    setPresent((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
  }, [revision]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      if (modPressed(e) && !e.altKey && !e.shiftKey && e.code === 'KeyP') {
        e.preventDefault();
        window.print();
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || isTypingTarget(e.target)) return;
      const id = /^Digit[0-9]$/.test(e.code) ? present[e.code.slice(5)] : undefined;
      if (!id) return;
      e.preventDefault();
      jumpTo(id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [present, auth.status]);

  const sections = CARD_SECTIONS.filter((s) => present[s.key]);
  if (sections.length === 0) return null;
  return (
    <nav className="k-card-sections k-no-print" aria-label={t('card.sections.label')} data-testid="card-sections">
      {sections.map((s) => {
        const id = present[s.key]!;
        const title = id === 'sec-children' ? t('card.nav.children') : t(s.title);
        return (
          <button
            key={s.key}
            type="button"
            className="k-card-section-btn"
            onClick={() => jumpTo(id)}
            aria-keyshortcuts={s.key}
            title={t('card.sections.jump', { section: title, key: s.key })}
            data-testid={`card-section-${s.key}`}
          >
            <kbd aria-hidden="true">{s.key}</kbd>
            {title}
          </button>
        );
      })}
    </nav>
  );
}

const IconPrinter = ({ size = 16, ...rest }: SVGProps<SVGSVGElement> & { size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...rest}>
    <path d="M7 9V3h10v6" />
    <rect x="3" y="9" width="18" height="8" rx="2" />
    <path d="M7 14h10v7H7z" />
  </svg>
);

export function PrintButton() {
  const { t } = useT();
  const print = useCallback(() => window.print(), []);
  return (
    <Tooltip label={`${MOD}+P`} withArrow>
      <Button variant="default" leftSection={<IconPrinter />} onClick={print} aria-keyshortcuts="Control+P" data-testid="print-card">
        {t('card.print')}
      </Button>
    </Tooltip>
  );
}

/** Printed above the card only: the municipality, who printed it and when (the time the print began). */
export function PrintLine() {
  const { t, lang } = useT();
  const session = useSession();
  const stamp = () => new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { dateStyle: 'short', timeStyle: 'short' }).format(new Date());
  const [at, setAt] = useState(stamp);
  useEffect(() => {
    const before = () => setAt(stamp());
    window.addEventListener('beforeprint', before);
    return () => window.removeEventListener('beforeprint', before);
  });
  return (
    <div className="k-print-only k-print-line" data-testid="card-print-line">
      {session.municipality && <strong>{session.municipality.name}</strong>}
      <span>{t('card.print.printedBy', { who: session.user.name, at })}</span>
    </div>
  );
}

interface SummaryProps {
  p: PersonCard;
  care: CareCard | null;
  today: string;
  /** The card's own addresses and contacts are withheld: the one protection warning of the card goes here. */
  hiddenShielded: boolean;
}

export function CardSummary({ p, care, today, hiddenShielded }: SummaryProps) {
  const { t, lang } = useT();
  const age = ageOn(p.birthDate, today);
  const summary = care?.summary ?? null;
  const children = care ? care.childrenOf.filter((g) => inForce(g, today)) : [];
  const showGuardians = summary !== null && (summary.guardians.length > 0 || children.length === 0);
  return (
    <section className="k-section k-card-summary" aria-label={t('card.summary.label')} data-testid="card-summary">
      <dl className="k-card-summary-grid">
        <div>
          <dt>{t('field.identityNumber')}</dt>
          <dd className="k-mono" data-testid="summary-identity">
            {p.identity ? p.identity.display : (p.reserveNumber ?? t('identity.none'))}
          </dd>
          <dt>{t('card.summary.age')}</dt>
          <dd data-testid="summary-age">
            {age !== null ? t('person.age', { count: age }) : '—'}
            {p.birthDate && <span className="k-sub k-num"> ({formatDate(p.birthDate, lang)})</span>}
          </dd>
        </div>
        <div>
          <dt>
            {t('card.summary.place')} · {t('card.summary.status')}
          </dt>
          <dd data-testid="summary-places">{summary ? <Places places={summary.places} today={today} /> : '—'}</dd>
        </div>
        <div>
          <dt>{showGuardians || !care ? t('person.section.guardians') : t('person.section.children')}</dt>
          <dd data-testid="summary-guardians">
            {!summary ? (
              '—'
            ) : showGuardians ? (
              <Guardians guardians={summary.guardians} />
            ) : (
              <ul className="k-card-summary-list">
                {children.map((c) => (
                  <li key={c.id}>
                    <Link to={{ name: 'person', id: c.childId }}>{c.name}</Link> {c.protected && <ProtectedTag />}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {hiddenShielded && (
        <div style={{ marginTop: 10 }}>
          <ProtectedBlock />
        </div>
      )}
    </section>
  );
}

function Places({ places, today }: { places: Summary['places']; today: string }) {
  const { t, lang } = useT();
  if (places.length === 0) return <span className="k-empty">{t('card.summary.noPlace')}</span>;
  return (
    <ul className="k-card-summary-list">
      {places.map((x) => (
        <li key={x.id} data-testid="summary-place">
          <span className="k-card-place-status">
            {x.status ? <PlacementStatusTag status={x.status} /> : <ToneTag tone="info">{t('card.summary.enrolled')}</ToneTag>}
          </span>
          <span>
            <Link to={{ name: 'unit', id: x.unitId }}>{x.unitName}</Link>
            {x.groupId && x.groupName && (
              <>
                {' · '}
                <Link to={{ name: 'group', id: x.groupId }}>{x.groupName}</Link>
                {x.groupKind && <span className="k-sub"> ({t(`groupKind.${x.groupKind}`).toLowerCase()})</span>}
              </>
            )}
            <span className="k-sub" style={{ display: 'block' }}>
              {t(`schoolForm.${x.schoolForm}.short`)}
              {x.grade !== null && `, ${t('care.grade', { grade: x.grade })}`}
              {x.weeklyHours !== null && `, ${t('card.summary.hours', { hours: x.weeklyHours })}`}
              {x.validFrom > today ? `, ${t('card.summary.from', { date: formatDate(x.validFrom, lang) })}` : ''}
              {x.validTo ? `, ${t('card.summary.until', { date: formatDate(x.validTo, lang) })}` : ''}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}

function Guardians({ guardians }: { guardians: Summary['guardians'] }) {
  const { t, lang } = useT();
  if (guardians.length === 0) return <span className="k-empty">{t('card.summary.noGuardians')}</span>;
  return (
    <ul className="k-card-summary-list">
      {guardians.map((g) => (
        <li key={g.guardianId} data-testid="summary-guardian">
          <span>
            <Link to={{ name: 'person', id: g.guardianId }}>{g.name}</Link> <span className="k-sub">({t(`guardianship.${g.kind}`).toLowerCase()})</span>{' '}
            {g.protected && <ProtectedTag />}{' '}
            {g.shieldedFrom && (
              <span className="k-tag k-tag-shield" title={t('care.guardian.shielded')} data-testid="summary-shield">
                <IconLock size={12} />
                <span aria-hidden="true">{t('card.summary.shieldedFrom')}</span>
                <span className="k-search-label">{t('care.guardian.shielded')}</span>
              </span>
            )}
            <span className="k-sub" style={{ display: 'block' }} data-testid="summary-guardian-address">
              {g.address ? (
                <>
                  {g.address.careOf && `${t('address.careOf')} ${g.address.careOf}, `}
                  {g.address.street}, {g.address.postalCode} {g.address.city}
                  {g.address.country !== 'SE' && g.address.country !== 'NO' ? `, ${countryName(g.address.country, lang)}` : ''}
                  {g.livesWith && ` · ${t('care.guardian.livesWith')}`}
                </>
              ) : g.addressWithheld ? (
                <span className="k-masked">
                  <IconLock size={11} />
                  {t('card.summary.addressWithheld')}
                </span>
              ) : (
                t('card.summary.noAddress')
              )}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
