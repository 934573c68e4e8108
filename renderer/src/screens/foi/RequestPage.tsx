/**
 * One request (`#/foi/<id>`): its kind, status and deadline state in the header; the deadlines explained in
 * words (the target, the last day in time, from when it is overdue or counts as refused; for GDPR the day an
 * extension must be notified by, or that it was); the requester (a protected requester's reply goes through
 * the register's protected channel: no contact is shown); what is asked for; the persons concerned (add,
 * remove); the handling (officer, who registered and decided it).
 *
 * Actions, as buttons and in the command palette: the status moves the core offers now (a reopening or a
 * withdrawal asks for the reason, a decision for its day), Extend (GDPR, while it can be), Edit (Alt+E, or E),
 * Add person, Add class (a class's or group's members on a day as listed persons, the protected ones counted
 * in the notice and never named), Gather (Alt+G: every record about the persons concerned, the counts in the notice), the
 * extract (PDF, from review on); once decided (or closed) the decision letter (PDF; a request granted in full
 * needs none: the notice says so) and "record a disclosure" (its day and channel), with the disclosure log
 * listed (Disclosures.tsx). Focus comes back to the action's button, or to the first action the new
 * status offers.
 *
 * The secrecy review (Review.tsx): the gathered items as a work list, Enter reviews one, "take the
 * proposals" takes the rest (asked first; what it skipped is counted in the notice and marked in the list).
 * The move to the decision is refused until every item is reviewed, with the counts.
 */
import { Alert, Button, Group, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract';
import type { FoiRequestView } from '../../../../shared/api/foi';
import { FOI_FINISHED, type FoiStatus } from '../../../../shared/domain/foi';
import { ErrorState, Link, Loading, PageTitle, Section } from '../../components/common';
import { IconDownload, IconEdit, IconPlus } from '../../components/icons';
import { ProtectedTag } from '../../components/Tags';
import { DataTable, type Column } from '../../kit';
import { useScreenAction } from '../../lib/actions';
import { useApi, useQuery } from '../../lib/api';
import { useAuth } from '../../lib/authContext';
import { downloadName } from '../../lib/download';
import { saveExport } from '../../lib/files';
import { formatDate, formatDateTime } from '../../lib/format';
import { useT, type TKey } from '../../lib/i18n';
import { ALT, modPressed } from '../../lib/platform';
import { useSession } from '../../lib/session';
import { KeyHint } from '../care/Badges';
import { Dash, ErrorBox } from '../office/common';
import { DeadlineTag, FoiPerson, StatusTag } from './common';
import { AddGroupDialog, AddPersonDialog, ExtendDialog, MoveDialog, RemovePersonDialog } from './Dialogs';
import { canAddGroup, canExtend, explainDeadlines, foiErrorMsg, groupAddNotice, inRegister, moveLabel, moveQuestion, orderedMoves, personText, type GroupAdded, type Msg } from './logic';
import { RequestDialog } from './RequestDialog';
import { ReviewSection, useReviewItems } from './Review';
import { canDisclose, letterRefusal } from './disclosure';
import { DiscloseDialog, DisclosuresSection } from './Disclosures';
import { AcceptDialog } from './ReviewDialog';
import { acceptNotice, canExtract, canGather, canReview, gatherNotice, type ListFilter, type SkipWhy } from './review';

type LinkRow = FoiRequestView['links'][number];
type Open = { kind: 'edit' } | { kind: 'move'; to: FoiStatus } | { kind: 'extend' } | { kind: 'addPerson' } | { kind: 'addGroup' } | { kind: 'removePerson'; link: LinkRow } | { kind: 'accept'; count: number } | { kind: 'disclose' } | null;
/** The page's notice: a sentence, and (after "take the proposals") the skipped items counted by why. */
type Notice = { msg: Msg; tone: 'ok' | 'warn'; lines?: Msg[] } | null;
/** An action the core refused (a move, gathering, the extract), with the action's own title. */
type Failure = { title: TKey; msg: Msg; testId: string } | null;
type Busy = FoiStatus | 'gather' | 'extract' | 'letter' | null;

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

export function FoiRequestScreen({ id }: { id: string }) {
  const { t, lang } = useT();
  const api = useApi();
  const auth = useAuth();
  const session = useSession();
  const canWrite = session.can('foi.write');
  const q = useQuery('foi.request', { id });
  const last = useRef<FoiRequestView | null>(null);
  if (q.data) last.current = q.data;
  const r = q.data ?? last.current;
  const reload = q.reload;
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [failure, setFailure] = useState<Failure>(null);
  const [busy, setBusy] = useState<Busy>(null);
    const items = useReviewItems(id);
  const groundsQ = useQuery('foi.grounds', {});
  const grounds = useMemo(() => groundsQ.data?.grounds ?? [], [groundsQ.data]);
  const [filter, setFilter] = useState<ListFilter>({ category: 'all', unreviewedOnly: false });
  const [skipped, setSkipped] = useState<Record<string, SkipWhy>>({});
  const decided = r ? canDisclose(r.status) : false;
  const disclosures = useQuery('foi.disclosures', decided ? { requestId: id } : null);

  // After a move the buttons change: once the request is read again, the first action the new status offers takes the focus.
  const focusActions = useRef(false);
  useEffect(() => {
    if (!focusActions.current || !q.data || q.loading) return;
    focusActions.current = false;
    window.setTimeout(() => (document.querySelector<HTMLElement>('#foi-actions button:not([disabled])') ?? document.querySelector<HTMLElement>('[data-testid="foi-request"] h1'))?.focus(), 0);
  }, [q.data, q.loading]);

  const reloadItems = items.reload;
  const stale = useCallback(() => {
    setOpen(null);
    setNotice({ msg: { key: 'foi.request.conflict' }, tone: 'warn' });
    reload();
    reloadItems();
  }, [reload, reloadItems]);

  const moved = useCallback(
    (to: FoiStatus) => {
      setOpen(null);
      setFailure(null);
      setNotice({ msg: { key: 'foi.move.done', vars: { status: t(`foi.status.${to}`) } }, tone: 'ok' });
      focusActions.current = true;
      reload();
    },
    [reload, t],
  );

  const startMove = useCallback(
    async (to: FoiStatus) => {
      if (!r || !r.moves.includes(to)) return;
      setNotice(null);
      setFailure(null);
      if (moveQuestion(r.status, to)) {
        setOpen({ kind: 'move', to });
        return;
      }
      setBusy(to);
      const res = await api.tryCall('foi.requestMove', { id: r.id, version: r.version, to });
      setBusy(null);
      if (res.ok) moved(to);
      else if (res.error.code === 'conflict') stale();
      else setFailure({ title: 'foi.move.failed', msg: foiErrorMsg(res.error), testId: 'foi-move-error' });
    },
    [api, r, moved, stale],
  );

  // ---- Gathering (Alt+G): every record about the persons concerned, again; the counts in the notice.
  const gatherable = r ? canWrite && canGather(r.status) : false;
  const gather = useCallback(async () => {
    if (!gatherable || busy) return;
    setNotice(null);
    setFailure(null);
    setBusy('gather');
    const res = await api.tryCall('foi.gather', { requestId: id });
    setBusy(null);
    if (!res.ok) {
      setFailure({ title: 'foi.gather.failed', msg: foiErrorMsg(res.error), testId: 'foi-action-error' });
      return;
    }
    setNotice({ msg: gatherNotice(res.data), tone: 'ok' });
    reload();
    reloadItems();
  }, [api, id, gatherable, busy, reload, reloadItems]);

  // ---- The extract (PDF), saved as an export.
  const extractable = r ? canExtract(r.status) : false;
  const extract = useCallback(async () => {
    if (!extractable || busy || !r) return;
    setNotice(null);
    setFailure(null);
    setBusy('extract');
    const res = await api.tryCall('foi.extract', { requestId: id });
    if (!res.ok) {
      setBusy(null);
      setFailure({ title: 'foi.extract.failed', msg: foiErrorMsg(res.error), testId: 'foi-action-error' });
      return;
    }
    const file = downloadName(res.data.file.name, `foi-${r.registryNumber ?? r.receivedOn}`, 'pdf');
    const saved = await saveExport({ fileId: res.data.file.fileId, name: file });
    setBusy(null);
    if (!saved.ok) setFailure({ title: 'foi.extract.failed', msg: foiErrorMsg(saved.error), testId: 'foi-action-error' });
    else if (saved.saved) setNotice({ msg: { key: 'foi.extract.done', vars: { file, count: res.data.pages, masked: res.data.masked, withheld: res.data.withheld } }, tone: 'ok' });
  }, [api, id, r, extractable, busy]);

  // ---- The decision letter (PDF), saved as an export; granted in full, the notice says none is needed.
  const letter = useCallback(async () => {
    if (!decided || busy || !r) return;
    setNotice(null);
    setFailure(null);
    setBusy('letter');
    const res = await api.tryCall('foi.decisionLetter', { requestId: id });
    if (!res.ok) {
      setBusy(null);
      const why = letterRefusal(res.error);
      if (why.kind === 'notice') setNotice({ msg: why.msg, tone: 'ok' });
      else setFailure({ title: 'foi.letter.failed', msg: why.msg, testId: 'foi-action-error' });
      return;
    }
    const file = downloadName(res.data.file.name, `beslut-${r.registryNumber ?? r.decidedOn ?? r.receivedOn}`, 'pdf');
    const saved = await saveExport({ fileId: res.data.file.fileId, name: file });
    setBusy(null);
    if (!saved.ok) setFailure({ title: 'foi.letter.failed', msg: foiErrorMsg(saved.error), testId: 'foi-action-error' });
    else if (saved.saved) setNotice({ msg: { key: 'foi.letter.done', vars: { file, count: res.data.pages } }, tone: 'ok' });
  }, [api, id, r, decided, busy]);

  // ---- A disclosure recorded (its day and channel); the log is read again.
  const disclosable = decided && canWrite;
  const openDisclose = useCallback(() => {
    if (!disclosable) return;
    setNotice(null);
    setFailure(null);
    setOpen({ kind: 'disclose' });
  }, [disclosable]);

  // ---- Take the proposals: asked first; the skipped items are counted and marked, and the list shows what is left.
  const acceptable = r ? canWrite && canReview(r.status) : false;
  const openAccept = useCallback(
    (count: number) => {
      if (!acceptable) return;
      setNotice(null);
      setFailure(null);
      setOpen({ kind: 'accept', count });
    },
    [acceptable],
  );
  const accepted = useCallback(
    (res: MethodOutput<'foi.reviewAccept'>) => {
      setOpen(null);
      const n = acceptNotice(res);
      setNotice({ msg: n.msg, lines: n.lines, tone: res.skipped.length ? 'warn' : 'ok' });
      setSkipped(Object.fromEntries(res.skipped.map((x) => [x.id, x.why])));
      if (res.skipped.length) setFilter((f) => ({ ...f, unreviewedOnly: true }));
      reloadItems();
    },
    [reloadItems],
  );
  const reviewSaved = useCallback(() => {
    setNotice({ msg: { key: 'foi.review.saved' }, tone: 'ok' });
    reloadItems();
  }, [reloadItems]);
  const reviewStale = useCallback(() => {
    setNotice({ msg: { key: 'foi.review.conflict' }, tone: 'warn' });
    reloadItems();
  }, [reloadItems]);
  const acceptCount = useMemo(() => (items.data ? items.data.items.filter((i) => !i.gone && i.review === null).length : 0), [items.data]);

  const openEdit = useCallback(() => {
    if (!canWrite || !last.current) return;
    setNotice(null);
    setOpen({ kind: 'edit' });
  }, [canWrite]);
  const extendable = r ? canWrite && canExtend(r) : false;
  const openExtend = useCallback(() => {
    if (!extendable) return;
    setNotice(null);
    setOpen({ kind: 'extend' });
  }, [extendable]);
  // The persons concerned change only while the request is open (the core refuses a finished one: foi_finished).
  const personsOpen = r ? canWrite && !FOI_FINISHED.has(r.status) : false;
  const openAddPerson = useCallback(() => {
    if (!personsOpen) return;
    setNotice(null);
    setOpen({ kind: 'addPerson' });
  }, [personsOpen]);
  const groupsOpen = r ? personsOpen && canAddGroup(r.kind) : false;
  const openAddGroup = useCallback(() => {
    if (!groupsOpen) return;
    setNotice(null);
    setOpen({ kind: 'addGroup' });
  }, [groupsOpen]);
  const groupAdded = useCallback(
    (res: GroupAdded, group: string, on: string) => {
      setOpen(null);
      const n = groupAddNotice(res, group, formatDate(on, lang));
      setNotice({ msg: n.msg, lines: n.lines, tone: n.tone });
      reload();
    },
    [reload, lang],
  );
  const ready = r !== null;
  useScreenAction(useMemo(() => (canWrite && ready ? { id: 'edit' as const, label: 'foi.request.edit' as const, run: openEdit, hint: `${ALT}+E` } : null), [canWrite, ready, openEdit]));
  useScreenAction(useMemo(() => (extendable ? { id: 'extendFoiRequest' as const, label: 'foi.extend.button' as const, run: openExtend } : null), [extendable, openExtend]));
  useScreenAction(useMemo(() => (personsOpen ? { id: 'addFoiPerson' as const, label: 'foi.persons.add' as const, run: openAddPerson } : null), [personsOpen, openAddPerson]));
  useScreenAction(useMemo(() => (groupsOpen ? { id: 'addFoiGroup' as const, label: 'foi.persons.addGroup' as const, run: openAddGroup } : null), [groupsOpen, openAddGroup]));
  useScreenAction(useMemo(() => (gatherable ? { id: 'foiGather' as const, label: 'foi.gather.button' as const, run: () => void gather(), hint: `${ALT}+G` } : null), [gatherable, gather]));
  useScreenAction(useMemo(() => (acceptable && acceptCount > 0 ? { id: 'foiAccept' as const, label: 'foi.accept.button' as const, run: () => openAccept(acceptCount) } : null), [acceptable, acceptCount, openAccept]));
  useScreenAction(useMemo(() => (extractable ? { id: 'foiExtract' as const, label: 'foi.extract.palette' as const, run: () => void extract() } : null), [extractable, extract]));
  useScreenAction(useMemo(() => (decided ? { id: 'foiDecisionLetter' as const, label: 'foi.letter.palette' as const, run: () => void letter() } : null), [decided, letter]));
  useScreenAction(useMemo(() => (disclosable ? { id: 'foiDisclose' as const, label: 'foi.disclose.button' as const, run: openDisclose } : null), [disclosable, openDisclose]));
  const reloadDisclosures = disclosures.reload;
  const reloadAll = useCallback(() => {
    reload();
    reloadItems();
    if (decided) reloadDisclosures();
  }, [reload, reloadItems, reloadDisclosures, decided]);
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: reloadAll }), [reloadAll]));

  // Alt+G: gather (again).
  useEffect(() => {
    if (!gatherable) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyG' || e.defaultPrevented) return;
      if (auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      e.preventDefault();
      void gather();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [gatherable, auth.status, gather]);

  // Alt+E: edit the request (E and Ctrl+E do the same, through the shell's "edit").
  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyE' || e.defaultPrevented) return;
      if (auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      e.preventDefault();
      openEdit();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [canWrite, auth.status, openEdit]);

  if (!r) {
    return (
      <div className="k-page k-page-wide" data-testid="foi-request">
        <PageTitle>{t('foi.title')}</PageTitle>
        {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : <Loading />}
      </div>
    );
  }

  // The moves the core offers this user: a decision-maker without foi.write gets "Beslut fattat" and "back to
  // review" on a request waiting for its decision, and the extract and the letter to read; nothing else.
  const moves = orderedMoves(r.moves);
  const hasActions = canWrite || moves.length > 0 || extractable || decided;
  return (
    <div className="k-page k-page-wide" data-testid="foi-request" data-request-id={r.id} data-status={r.status} data-kind={r.kind} data-state={r.deadlines.state}>
      <div style={{ marginBottom: 4 }}>
        <Link to={{ name: 'foi' }} testId="foi-request-back">
          {`← ${t('foi.request.back')}`}
        </Link>
      </div>
      <PageTitle
        extra={
          <Group gap={8} align="center">
            <StatusTag status={r.status} testId="foi-request-status" />
            <DeadlineTag request={r} withDate={false} testId="foi-request-deadline" />
          </Group>
        }
      >
        {t(`foi.kindLong.${r.kind}`)}
      </PageTitle>
      <Text size="sm" c="dimmed" mt={2} data-testid="foi-request-sub">
        {[r.registryNumber ? t('foi.request.registryNumber', { number: r.registryNumber }) : null, `${t('foi.deadline.received')} ${formatDate(r.receivedOn, lang)}`].filter(Boolean).join(' · ')}
      </Text>
      {moves.map((to) => (
        <PaletteMove key={to} from={r.status} to={to} run={startMove} />
      ))}

      <div aria-live="polite">
        {notice &&
          (notice.tone === 'warn' ? (
            <Alert color="orange" variant="light" role="alert" mt="md" data-testid="foi-request-notice" styles={{ message: { color: '#3d2400' } }}>
              {t(notice.msg.key, notice.msg.vars)}
              <NoticeLines lines={notice.lines} />
            </Alert>
          ) : (
            <div role="status" className="k-flash" style={{ marginTop: 12 }} data-testid="foi-request-notice">
              {t(notice.msg.key, notice.msg.vars)}
              <NoticeLines lines={notice.lines} />
            </div>
          ))}
      </div>
      {failure && (
        <div style={{ marginTop: 12 }}>
          <ErrorBox messages={[failure.msg]} title={t(failure.title)} testId={failure.testId} />
        </div>
      )}

      {hasActions && (
        <Group gap="sm" mt="md" id="foi-actions" role="group" aria-label={t('foi.request.actions')} data-testid="foi-actions">
          {moves.map((to) => (
            <Button
              key={to}
              // Forward moves are the page's main actions; a step back (review → gathering, decision → review), a reopening or a finish are not.
              variant={
                to === 'withdrawn'
                  ? 'outline'
                  : FOI_FINISHED.has(to) || moveQuestion(r.status, to) === 'reopen' || (r.status === 'review' && to === 'gathering') || (r.status === 'decision' && to === 'review')
                    ? 'default'
                    : 'filled'
              }
              loading={busy === to}
              onClick={() => void startMove(to)}
              data-testid={`foi-move-${to}`}
            >
              {t(moveLabel(r.status, to))}
            </Button>
          ))}
          {gatherable && (
            <Button
              variant="default"
              loading={busy === 'gather'}
              rightSection={<KeyHint keys={[ALT, 'G']} />}
              onClick={() => void gather()}
              aria-keyshortcuts="Alt+G"
              aria-label={t('foi.gather.button')}
              data-testid="foi-gather"
            >
              {t('foi.gather.button')}
            </Button>
          )}
          {extractable && (
            <Button variant="default" leftSection={<IconDownload size={16} />} loading={busy === 'extract'} onClick={() => void extract()} data-testid="foi-extract">
              {t('foi.extract.button')}
            </Button>
          )}
          {decided && (
            <Button variant="default" leftSection={<IconDownload size={16} />} loading={busy === 'letter'} onClick={() => void letter()} data-testid="foi-letter">
              {t('foi.letter.button')}
            </Button>
          )}
          {disclosable && (
            <Button id="foi-disclose" variant="default" onClick={openDisclose} data-testid="foi-disclose">
              {t('foi.disclose.button')}
            </Button>
          )}
          {extendable && (
            <Button variant="default" onClick={openExtend} data-testid="foi-extend">
              {t('foi.extend.button')}
            </Button>
          )}
          {canWrite && (
            <Button
              variant="default"
              leftSection={<IconEdit size={16} />}
              rightSection={<KeyHint keys={[ALT, 'E']} />}
              onClick={openEdit}
              aria-keyshortcuts="Alt+E"
              aria-label={t('foi.request.edit')}
              data-testid="foi-edit"
            >
              {t('foi.request.editShort')}
            </Button>
          )}
        </Group>
      )}

      <div className="k-foi-sections">
        <Deadlines r={r} />
        <Requester r={r} />
        <Section title={t('foi.request.askedFor')} id="sec-foi-asked" testId="foi-asked-for">
          <p className="k-foi-text" data-testid="foi-asked-for-text">
            {r.askedFor}
          </p>
        </Section>
        <Persons r={r} canWrite={personsOpen} onAdd={openAddPerson} onAddGroup={groupsOpen ? openAddGroup : null} onRemove={(link) => setOpen({ kind: 'removePerson', link })} />
        {/* Once decided, what was handed out is the current work: above the (long) review list. */}
        {decided && <DisclosuresSection q={disclosures} />}
        <ReviewSection
          request={r}
          items={items}
          grounds={grounds}
          canWrite={canWrite}
          filter={filter}
          onFilter={setFilter}
          skipped={skipped}
          onAccept={acceptable ? openAccept : null}
          onSaved={reviewSaved}
          onStale={reviewStale}
        />
        <Handling r={r} />
      </div>

      {open?.kind === 'edit' && (
        <RequestDialog
          edit={r}
          onClose={() => setOpen(null)}
          onStale={stale}
          onSaved={() => {
            setOpen(null);
            setNotice({ msg: { key: 'foi.request.saved' }, tone: 'ok' });
            reload();
          }}
        />
      )}
      {open?.kind === 'accept' && <AcceptDialog requestId={r.id} count={open.count} onClose={() => setOpen(null)} onDone={accepted} />}
      {open?.kind === 'move' && <MoveDialog request={r} to={open.to} onClose={() => setOpen(null)} onDone={() => moved(open.to)} onStale={stale} />}
      {open?.kind === 'disclose' && (
        <DiscloseDialog
          request={r}
          returnFocusId="foi-disclose"
          onClose={() => setOpen(null)}
          onStale={stale}
          onDone={() => {
            setOpen(null);
            setNotice({ msg: { key: 'foi.disclose.done' }, tone: 'ok' });
            reload();
            reloadDisclosures();
          }}
        />
      )}
      {open?.kind === 'extend' && (
        <ExtendDialog
          request={r}
          onClose={() => setOpen(null)}
          onStale={stale}
          onDone={() => {
            setOpen(null);
            setNotice({ msg: { key: 'foi.extend.done' }, tone: 'ok' });
            focusActions.current = true;
            reload();
          }}
        />
      )}
      {open?.kind === 'addPerson' && (
        <AddPersonDialog
          request={r}
          returnFocusId="foi-person-add"
          onClose={() => setOpen(null)}
          onStale={stale}
          onDone={() => {
            setOpen(null);
            setNotice({ msg: { key: 'foi.persons.added' }, tone: 'ok' });
            reload();
          }}
        />
      )}
      {open?.kind === 'addGroup' && <AddGroupDialog request={r} returnFocusId="foi-group-add" onClose={() => setOpen(null)} onStale={stale} onDone={groupAdded} />}
      {open?.kind === 'removePerson' && (
        <RemovePersonDialog
          link={open.link}
          returnFocusId="foi-person-add"
          onClose={() => setOpen(null)}
          onStale={stale}
          onDone={() => {
            setOpen(null);
            setNotice({ msg: { key: 'foi.persons.removed' }, tone: 'ok' });
            reload();
          }}
        />
      )}
    </div>
  );
}

function NoticeLines({ lines }: { lines?: Msg[] }) {
  const { t } = useT();
  if (!lines?.length) return null;
  return (
    <ul className="k-foi-notice-lines" data-testid="foi-request-notice-lines">
      {lines.map((m, i) => (
        <li key={i}>{t(m.key, m.vars)}</li>
      ))}
    </ul>
  );
}

/** One status move in the command palette (a component, so each move registers its own action). */
function PaletteMove({ from, to, run }: { from: FoiStatus; to: FoiStatus; run: (to: FoiStatus) => Promise<void> }) {
  const go = useCallback(() => void run(to), [run, to]);
  useScreenAction(useMemo(() => ({ id: `foiMove.${to}` as const, label: moveLabel(from, to), run: go }), [from, to, go]));
  return null;
}

function Deadlines({ r }: { r: FoiRequestView }) {
  const { t, lang } = useT();
  const day = (iso: string | null) => (iso ? formatDate(iso, lang) : null);
  const d = r.deadlines;
  const finished = FOI_FINISHED.has(r.status);
  // In a sentence a date never breaks at its hyphens (2026-\n11-23).
  const sentences = explainDeadlines(r, (iso) => formatDate(iso, lang).replace(/-/g, '\u2011'), (s) => t(`foi.status.${s}`));
  return (
    <Section title={t('foi.request.deadlines')} id="sec-foi-deadlines" testId="foi-deadlines">
      <dl className="k-facts">
        <div>
          <dt>{t('foi.deadline.received')}</dt>
          <dd className="k-num">{day(r.receivedOn)}</dd>
        </div>
        <div>
          <dt>{t('foi.deadline.target')}</dt>
          <dd className="k-num" data-testid="foi-deadline-target">
            {day(d.target)}
          </dd>
        </div>
        <div>
          <dt>{t('foi.deadline.final')}</dt>
          <dd className="k-num" data-testid="foi-deadline-final">
            {day(d.final)}
          </dd>
        </div>
        {d.overdueFrom && (
          <div>
            <dt>{t('foi.deadline.overdueFrom')}</dt>
            <dd className="k-num" data-testid="foi-deadline-overdue">
              {day(d.overdueFrom)}
            </dd>
          </div>
        )}
        {d.deemedRefusedOn && (
          <div>
            <dt>{t('foi.deadline.deemedRefusedOn')}</dt>
            <dd className="k-num" data-testid="foi-deadline-refused">
              {day(d.deemedRefusedOn)}
            </dd>
          </div>
        )}
        {d.extended ? (
          <div>
            <dt>{t('foi.deadline.extended')}</dt>
            <dd data-testid="foi-deadline-extended">{r.extensionNoticeOn ? t('foi.deadline.extendedOn', { date: formatDate(r.extensionNoticeOn, lang) }) : <Dash />}</dd>
          </div>
        ) : (
          d.extensionNoticeBy &&
          !finished && (
            <div>
              <dt>{t('foi.deadline.extensionNoticeBy')}</dt>
              <dd className="k-num" data-testid="foi-deadline-notice-by">
                {day(d.extensionNoticeBy)}
              </dd>
            </div>
          )
        )}
        {r.decidedOn && (
          <div>
            <dt>{t('foi.deadline.decidedOn')}</dt>
            <dd className="k-num">{day(r.decidedOn)}</dd>
          </div>
        )}
        <div>
          <dt>{t('foi.deadline.state')}</dt>
          <dd>
            <DeadlineTag request={r} withDate={false} testId="foi-deadline-state" />
          </dd>
        </div>
      </dl>
      <div data-testid="foi-deadline-explain">
        {sentences.map((m, i) => (
          <p key={i} className="k-foi-explain">
            {t(m.key, m.vars)}
          </p>
        ))}
        {d.extended && r.extensionReason && (
          <p className="k-foi-explain k-sub" data-testid="foi-extension-reason">
            {`${t('foi.extend.reason')}: ${r.extensionReason}`}
          </p>
        )}
      </div>
    </Section>
  );
}

function Requester({ r }: { r: FoiRequestView }) {
  const { t, lang } = useT();
  const registered = inRegister(r.requesterKind);
  const protectedRequester = r.requesterPerson?.protected === true;
  const name = r.requesterName ?? (r.requesterKind === 'anonymous' ? t('foi.anonymous') : t('foi.protectedPerson'));
  return (
    <Section title={t('foi.request.requester')} id="sec-foi-requester" testId="foi-requester">
      <dl className="k-dl">
        <dt>{t('foi.requester.kind')}</dt>
        <dd data-testid="foi-requester-kind">{t(`foi.requesterKind.${r.requesterKind}`)}</dd>
        {r.requesterKind !== 'anonymous' && !r.requesterPerson && (
          <>
            <dt>{t('foi.requester.name')}</dt>
            <dd data-testid="foi-requester-name" className={r.requesterName === null ? 'k-foi-withheld' : undefined}>
              {name}
            </dd>
          </>
        )}
        {r.requesterPerson && (
          <>
            <dt>{t('foi.requester.person')}</dt>
            <dd>
              <FoiPerson person={r.requesterPerson} testId="foi-requester-person" />
            </dd>
          </>
        )}
        {!protectedRequester && (
          <>
            <dt>{t('foi.requester.contact')}</dt>
            <dd data-testid="foi-requester-contact">{r.requesterContact ?? <Dash />}</dd>
          </>
        )}
        {registered && (
          <>
            <dt>{t('foi.requester.identity')}</dt>
            <dd data-testid="foi-requester-identity">
              {r.identityVerified
                ? t('foi.requester.identityOn', { how: t(`foi.verification.${r.identityVerified}`), date: r.identityVerifiedOn ? formatDate(r.identityVerifiedOn, lang) : '' })
                : t('foi.requester.identityNot')}
            </dd>
          </>
        )}
        <dt>{t('foi.requester.channel')}</dt>
        <dd>{t(`foi.channel.${r.channel}`)}</dd>
        <dt>{t('foi.requester.language')}</dt>
        <dd>{t(`foi.language.${r.language}`)}</dd>
      </dl>
      {protectedRequester && (
        <div className="k-protected-block" role="note" style={{ marginTop: 10 }} data-testid="foi-requester-protected">
          <ProtectedTag />
          <span>{t('foi.requester.protected')}</span>
        </div>
      )}
      {r.requesterKind === 'anonymous' && (
        <Text size="sm" c="dimmed" mt={8}>
          {t('foi.requester.anonymousNote')}
        </Text>
      )}
    </Section>
  );
}

function Persons({ r, canWrite, onAdd, onAddGroup, onRemove }: { r: FoiRequestView; canWrite: boolean; onAdd: () => void; onAddGroup: (() => void) | null; onRemove: (l: LinkRow) => void }) {
  const { t } = useT();
  const columns = useMemo<Column<LinkRow>[]>(
    () => [
      { id: 'name', header: t('foi.persons.col.name'), cell: (l) => <FoiPerson person={l.person} testId="foi-link-person" />, text: (l) => personText(l.person, t), rowHeader: true },
      { id: 'role', header: t('foi.persons.col.role'), cell: (l) => <span data-testid="foi-link-role">{t(`foi.role.${l.role}`)}</span>, text: (l) => t(`foi.role.${l.role}`) },
      ...(canWrite
        ? [
            {
              id: 'actions',
              header: t('care.actions'),
              sortable: false,
              noExport: true,
              cell: (l: LinkRow) => (
                <Button size="compact-sm" variant="default" onClick={() => onRemove(l)} aria-label={t('foi.persons.removeOf', { name: personText(l.person, t) })} data-testid="foi-link-remove">
                  {t('foi.persons.remove')}
                </Button>
              ),
            } satisfies Column<LinkRow>,
          ]
        : []),
    ],
    [t, canWrite, onRemove],
  );
  return (
    <Section
      title={t('foi.persons.title')}
      id="sec-foi-persons"
      testId="foi-persons"
      actions={
        canWrite && (
          <Group gap={8}>
            <Button id="foi-person-add" size="compact-sm" variant="default" leftSection={<IconPlus size={14} />} onClick={onAdd} data-testid="foi-person-add">
              {t('foi.persons.add')}
            </Button>
            {onAddGroup && (
              <Button id="foi-group-add" size="compact-sm" variant="default" leftSection={<IconPlus size={14} />} onClick={onAddGroup} data-testid="foi-group-add">
                {t('foi.persons.addGroup')}
              </Button>
            )}
          </Group>
        )
      }
    >
      {r.links.length === 0 ? (
        <p className="k-empty" style={{ margin: 0 }} data-testid="foi-persons-none">
          {t('foi.persons.none')}
        </p>
      ) : (
        <DataTable<LinkRow>
          id="foi-request-persons"
          caption={t('foi.persons.caption')}
          columns={columns}
          rows={r.links}
          rowKey={(l) => l.id}
          rowTestId="foi-link-row"
          rowProps={(l) => ({ 'data-person-id': l.person.id, 'data-role': l.role })}
          testId="foi-persons-table"
          exportable={false}
          dense
        />
      )}
    </Section>
  );
}

function Handling({ r }: { r: FoiRequestView }) {
  const { t, lang } = useT();
  return (
    <Section title={t('foi.request.handling')} id="sec-foi-handling" testId="foi-handling">
      <dl className="k-facts">
        <div>
          <dt>{t('foi.handling.assignee')}</dt>
          <dd data-testid="foi-assignee">{r.assigneeName ?? t('foi.nobody')}</dd>
        </div>
        <div>
          <dt>{t('foi.handling.status')}</dt>
          <dd>{t(`foi.status.${r.status}`)}</dd>
        </div>
        <div>
          <dt>{t('foi.handling.createdBy')}</dt>
          <dd>{r.createdByName ?? <Dash />}</dd>
        </div>
        <div>
          <dt>{t('foi.handling.createdAt')}</dt>
          <dd className="k-num">{formatDateTime(r.createdAt, lang)}</dd>
        </div>
        {r.decidedByName && (
          <div>
            <dt>{t('foi.handling.decidedBy')}</dt>
            <dd data-testid="foi-decided-by">{r.decidedByName}</dd>
          </div>
        )}
        {r.closedOn && (
          <div>
            <dt>{t('foi.handling.closedOn')}</dt>
            <dd className="k-num">{formatDate(r.closedOn, lang)}</dd>
          </div>
        )}
      </dl>
      {r.statusReason && (
        <Text size="sm" mt={10} data-testid="foi-status-reason">
          {`${t('foi.handling.statusReason')}: ${r.statusReason}`}
        </Text>
      )}
    </Section>
  );
}
