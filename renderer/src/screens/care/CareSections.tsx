/**
 * The care part of a person's card (care.card): guardians or children, households, placements and
 * enrolments, applications — and the dialogs that change them. Alt+N on a child's card starts a new
 * placement (elsewhere it still registers a new person: this listener runs first and only claims the
 * key here). Every section is drawn at once with its heading, so nothing jumps when the data arrives.
 */
import { Button, Group, Stack, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ErrorState, Loading, Section } from '../../components/common';
import { IconPlus } from '../../components/icons';
import { useScreenAction } from '../../lib/actions';
import type { QueryState } from '../../lib/api';
import { useAuth } from '../../lib/authContext';
import { isChildCard, type CareCard, type EnrolmentView, type GuardianshipView, type HouseholdMemberView, type HouseholdView, type PlacementView } from '../../lib/care';
import type { PersonCard } from '../../lib/domain';
import { ageOn, fullName } from '../../lib/format';
import { useT, type TKey } from '../../lib/i18n';
import { ALT, modPressed } from '../../lib/platform';
import { useSession } from '../../lib/session';
import { ApplicationTable } from './ApplicationsSection';
import { KeyHint } from './Badges';
import { EnrolmentDialog } from './EnrolmentDialog';
import { AddButton, GuardianshipTable } from './GuardiansSection';
import { GuardianshipDialog } from './GuardianshipDialog';
import { HouseholdAddMemberDialog, HouseholdCreateDialog, HouseholdEndMemberDialog } from './HouseholdDialogs';
import { HouseholdsView } from './HouseholdsSection';
import { NoticeDialog } from './NoticeDialog';
import { PlacementDialog } from './PlacementDialog';
import { EnrolmentTable, PlacementTable } from './PlacementsSection';
import { TransferDialog, type TransferTarget } from './TransferDialog';

type Open =
  | { kind: 'guardianship'; side: 'guardians' | 'children'; edit?: GuardianshipView }
  | { kind: 'householdCreate' }
  | { kind: 'householdAdd'; household: HouseholdView }
  | { kind: 'householdEnd'; member: HouseholdMemberView }
  | { kind: 'placement'; edit?: PlacementView }
  | { kind: 'notice'; placement: PlacementView }
  | { kind: 'transfer'; target: TransferTarget }
  | { kind: 'enrolment'; edit?: EnrolmentView };

const SAVED: Record<Open['kind'], TKey> = {
  guardianship: 'care.saved.guardianship',
  householdCreate: 'care.saved.household',
  householdAdd: 'care.saved.household',
  householdEnd: 'care.saved.household',
  placement: 'care.saved.placement',
  notice: 'care.saved.notice',
  transfer: 'care.saved.transfer',
  enrolment: 'care.saved.enrolment',
};

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

interface Props {
  person: PersonCard;
  care: QueryState<CareCard>;
  /** A save went through: reload the card and its care part. */
  onChanged: () => void;
  /** What the card showed before this part existed, for when care.card fails. */
  fallbackGuardians: ReactNode;
  fallbackChildren: ReactNode;
  /** Shown right after the placements on a child's card (next month's fee, for fee administrators). */
  afterPlacements?: ReactNode;
}

export function CareSections({ person, care, onChanged, fallbackGuardians, fallbackChildren, afterPlacements }: Props) {
  const { t } = useT();
  const session = useSession();
  const auth = useAuth();
  const today = session.today;
  const canRegister = session.can('register.write');
  const canPlace = session.can('placement.write');
  const data = care.data;
  const age = ageOn(person.birthDate, today);
  // From the card's own facts, so the same sections show before and after care.card answers.
  const child = isChildCard(person.roles, person.guardians.length, age);
  const showChildren = !child || person.children.length > 0 || (data?.childrenOf.length ?? 0) > 0;
  const showPlaces = child || (data !== null && (data.placements.length > 0 || data.enrolments.length > 0));
  const showApplications = child || (data?.applications.length ?? 0) > 0;

  const [open, setOpen] = useState<Open | null>(null);
  const [announce, setAnnounce] = useState('');
  const close = useCallback(() => setOpen(null), []);
  const saved = useCallback(
    (kind: Open['kind']) => () => {
      setOpen(null);
      setAnnounce(t(SAVED[kind]));
      onChanged();
    },
    [onChanged, t],
  );

  const newPlacement = useCallback(() => setOpen({ kind: 'placement' }), []);
  const newEnrolment = useCallback(() => setOpen({ kind: 'enrolment' }), []);
  const placementsReady = child && canPlace && data !== null;
  // The command palette offers the same two actions while a child's card is open.
  useScreenAction(placementsReady ? { id: 'newPlacement', label: 'care.placement.new', run: newPlacement, group: 'create', hint: `${ALT}+N` } : null);
  useScreenAction(placementsReady ? { id: 'newEnrolment', label: 'care.enrolment.new', run: newEnrolment, group: 'create' } : null);
  useEffect(() => {
    if (!child || !canPlace) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyN' || e.defaultPrevented) return;
      if (auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      // Claimed on a child's card even before its care part has loaded: the clerk meant a placement here.
      e.preventDefault();
      if (placementsReady) newPlacement();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [child, canPlace, placementsReady, newPlacement, auth.status]);

  const body = (content: (d: CareCard) => ReactNode, fallback?: ReactNode): ReactNode => {
    if (care.error) return fallback ?? null;
    if (!data) return <div style={{ minHeight: 56 }}><Loading /></div>;
    return content(data);
  };

  // On a child's card the places come first: what a clerk looks for, visible without scrolling.
  const placementsSection = showPlaces && !care.error && (
    <Section
      title={t('care.section.placements')}
      id="sec-placements"
      testId="placements-section"
      actions={
        canPlace && (
          <Group gap="xs">
            {child && (
              <Tooltip label={`${ALT}+N`} withArrow>
                <Button size="compact-sm" leftSection={<IconPlus size={14} />} rightSection={<KeyHint keys={[ALT, 'N']} />} onClick={newPlacement} disabled={!data} aria-keyshortcuts="Alt+N" data-testid="new-placement">
                  {t('care.placement.new')}
                </Button>
              </Tooltip>
            )}
            <AddButton label={t('care.enrolment.new')} disabled={!data} onClick={newEnrolment} testId="new-enrolment" />
          </Group>
        )
      }
    >
      {body((d) => (
        <Stack gap="md">
          <div>
            <h3 className="k-section-title" style={{ fontSize: 14, margin: '0 0 6px' }}>
              {t('care.placement.heading')}
            </h3>
            <PlacementTable
              rows={d.placements}
              today={today}
              canWrite={canPlace}
              onEdit={(p) => setOpen({ kind: 'placement', edit: p })}
              onNotice={(p) => setOpen({ kind: 'notice', placement: p })}
              onTransfer={(p) => setOpen({ kind: 'transfer', target: { kind: 'placement', row: p } })}
            />
          </div>
          <div>
            <h3 className="k-section-title" style={{ fontSize: 14, margin: '0 0 6px' }}>
              {t('care.enrolment.heading')}
            </h3>
            <EnrolmentTable rows={d.enrolments} today={today} canWrite={canPlace} onEdit={(e) => setOpen({ kind: 'enrolment', edit: e })} onTransfer={(e) => setOpen({ kind: 'transfer', target: { kind: 'enrolment', row: e } })} />
          </div>
        </Stack>
      ))}
    </Section>
  );

  return (
    <>
      <div role="status" className="k-search-label">
        {announce}
      </div>
      {care.error && (
        <Section title={t('care.section.care')} id="sec-care" testId="care-error">
          <ErrorState error={care.error} onRetry={care.reload} />
        </Section>
      )}
      {child && placementsSection}
      {child && afterPlacements}
      {child && (
        <Section
          title={t('person.section.guardians')}
          id="sec-guardians"
          testId="guardians-section"
          actions={canRegister && !care.error && <AddButton label={t('care.guardianship.addGuardian')} disabled={!data} onClick={() => setOpen({ kind: 'guardianship', side: 'guardians' })} testId="add-guardian" />}
        >
          {body(
            (d) => (
              <GuardianshipTable side="guardians" rows={d.guardianships} today={today} cardShielded={person.shielded} canWrite={canRegister} onEdit={(g) => setOpen({ kind: 'guardianship', side: 'guardians', edit: g })} />
            ),
            fallbackGuardians,
          )}
        </Section>
      )}
      {showChildren && (
        <Section
          title={t('person.section.children')}
          id="sec-children"
          testId="children-section"
          actions={canRegister && !care.error && <AddButton label={t('care.guardianship.addChild')} disabled={!data} onClick={() => setOpen({ kind: 'guardianship', side: 'children' })} testId="add-child" />}
        >
          {body(
            (d) => (
              <GuardianshipTable side="children" rows={d.childrenOf} today={today} cardShielded={person.shielded} canWrite={canRegister} onEdit={(g) => setOpen({ kind: 'guardianship', side: 'children', edit: g })} />
            ),
            fallbackChildren,
          )}
        </Section>
      )}
      {!care.error && (
        <Section
          title={t('care.section.households')}
          id="sec-households"
          testId="households-section"
          actions={canRegister && <AddButton label={t('care.household.create')} disabled={!data} onClick={() => setOpen({ kind: 'householdCreate' })} testId="household-create" />}
        >
          {body((d) => (
            <HouseholdsView
              personId={person.id}
              care={d}
              today={today}
              canWrite={canRegister}
              onAddMember={(h) => setOpen({ kind: 'householdAdd', household: h })}
              onEndMember={(m) => setOpen({ kind: 'householdEnd', member: m })}
              onIncomeChanged={onChanged}
            />
          ))}
        </Section>
      )}
      {!child && placementsSection}
      {showApplications && !care.error && (
        <Section title={t('care.section.applications')} id="sec-applications" testId="applications-section">
          {body((d) => (
            <ApplicationTable rows={d.applications} />
          ))}
        </Section>
      )}

      {open && data && <CareDialogs open={open} person={person} care={data} child={child} close={close} saved={saved} />}
    </>
  );
}

function CareDialogs({ open, person, care, child, close, saved }: { open: Open; person: PersonCard; care: CareCard; child: boolean; close: () => void; saved: (k: Open['kind']) => () => void }) {
  const today = useSession().today;
  const exclude = useMemo(
    () => (open.kind === 'guardianship' ? (open.side === 'guardians' ? care.guardianships : care.childrenOf).filter((g) => g.validTo === null || g.validTo >= today).map((g) => (open.side === 'guardians' ? g.guardianId : g.childId)) : []),
    [open, care, today],
  );
  const done = saved(open.kind);
  switch (open.kind) {
    case 'guardianship':
      return <GuardianshipDialog personId={person.id} side={open.side} edit={open.edit} exclude={exclude} onClose={close} onSaved={done} />;
    case 'householdCreate':
      return <HouseholdCreateDialog personId={person.id} personName={fullName(person)} isChild={child} onClose={close} onSaved={done} />;
    case 'householdAdd':
      return <HouseholdAddMemberDialog household={open.household} onClose={close} onSaved={done} />;
    case 'householdEnd':
      return <HouseholdEndMemberDialog member={open.member} onClose={close} onSaved={done} />;
    case 'placement':
      return <PlacementDialog childId={person.id} birthDate={person.birthDate} guardianships={care.guardianships} edit={open.edit} onClose={close} onSaved={done} />;
    case 'notice':
      return <NoticeDialog placement={open.placement} onClose={close} onSaved={done} />;
    case 'transfer':
      return <TransferDialog target={open.target} onClose={close} onSaved={done} />;
    case 'enrolment':
      return <EnrolmentDialog pupilId={person.id} edit={open.edit} onClose={close} onSaved={done} />;
  }
}
