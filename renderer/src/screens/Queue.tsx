/**
 * The preschool queue: open, overdue (past the guarantee) or all applications, optionally for one unit;
 * paged, one compact line per application. The guarantee column shows the date the core computed (Sweden:
 * the placement guarantee; Norway: rett til plass fra, or why the child has no statutory right) with a
 * badge counting the days. Each row offers its next step (offer a place, record the answer) as a button
 * and the rest (withdraw) in a row menu; ↑/↓ move between rows, Enter acts. Protected children are never
 * listed: only their number is shown, as information. The filter and unit live in the address, so a
 * reload shows the same queue.
 */
import { Alert, Button, Group, Menu, SegmentedControl, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { APPLICATION_FILTERS } from '../../../shared/domain/care';
import { ErrorState, Loading, PageTitle } from '../components/common';
import { IconChevron, IconPlus, IconReload } from '../components/icons';
import { NeutralTag } from '../components/Tags';
import { UnitPicker } from '../components/UnitPicker';
import { newApplicationRequested, useScreenAction } from '../lib/actions';
import { useQuery } from '../lib/api';
import { formatDate, formatNumber } from '../lib/format';
import { useT, type TKey } from '../lib/i18n';
import {
  clampOffset,
  guaranteeBadge,
  msgText,
  noRightMsg,
  QUEUE_PAGE_SIZE,
  queueActions,
  queueInput,
  queueWords,
  rankedChoices,
  type ApplicationView,
  type QueueFilter,
} from '../lib/office';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { useStore } from '../lib/store';
import type { MethodOutput } from '../../../shared/api/contract';
import { ApplicationDialog } from './office/ApplicationDialog';
import { Dash, HiddenProtected, Pager, PersonName } from './office/common';
import { DataTable, useExportLog, type Column } from '../kit';
import { AnswerDialog, OfferDialog, WithdrawDialog } from './office/QueueDialogs';
import { ToneTag } from './care/Badges';

type RowDialog = { kind: 'offer' | 'answer' | 'withdraw'; app: ApplicationView };

export function QueueScreen({ filter = 'open', unitId }: { filter?: QueueFilter; unitId?: string }) {
  const { t, lang } = useT();
  const session = useSession();
  const canWrite = session.can('placement.write');
  const words = queueWords(session.country);
  const [offset, setOffset] = useState(0);
  const q = useQuery('application.list', queueInput(filter, unitId, offset));
  // Keep the last page on screen while the next one loads (no flicker when paging or after an action).
  const last = useRef<MethodOutput<'application.list'> | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  const [dialog, setDialog] = useState<RowDialog | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<{ key: TKey; warn?: boolean } | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  // A filter or unit change starts on the first page.
  useEffect(() => setOffset(0), [filter, unitId]);
  // After withdrawing the last row of the last page, step back a page.
  useEffect(() => {
    if (q.data && q.data.items.length === 0 && offset > 0) setOffset(clampOffset(offset, q.data.total, QUEUE_PAGE_SIZE));
  }, [q.data, offset]);

  const requested = useStore(newApplicationRequested);
  useEffect(() => {
    if (!requested) return;
    newApplicationRequested.set(false);
    if (!canWrite) return;
    returnFocus.current = document.querySelector<HTMLElement>('[data-testid="queue-new"]');
    setNotice(null);
    setCreating(true);
  }, [requested, canWrite]);

  const openNew = useCallback(() => {
    returnFocus.current = document.activeElement as HTMLElement | null;
    setNotice(null);
    setCreating(true);
  }, []);
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'queue.reload' as const, run: q.reload }), [q.reload]));

  const setFilter = (next: { filter?: QueueFilter; unitId?: string | null }) => {
    const f = next.filter ?? filter;
    const u = next.unitId === undefined ? unitId : (next.unitId ?? undefined);
    navigate({ name: 'queue', ...(f !== 'open' ? { filter: f } : {}), ...(u ? { unitId: u } : {}) }, { replace: true });
  };

  const openDialog = (kind: RowDialog['kind'], app: ApplicationView, from?: HTMLElement | null) => {
    // From the row menu: the menu item goes away with the menu, so focus returns to the menu's button.
    returnFocus.current = from ?? (document.activeElement as HTMLElement | null);
    setNotice(null);
    setDialog({ kind, app });
  };
  const closeDialogs = () => {
    setDialog(null);
    setCreating(false);
    const el = returnFocus.current;
    window.setTimeout(() => {
      if (el && el.isConnected) el.focus();
      else document.querySelector<HTMLElement>('[data-testid="queue-table"] tbody tr')?.focus();
    }, 0);
  };
  // The row acted on: its buttons change (offer → record answer) or it leaves the list when the queue is
  // read again, and a focused button that disappears drops the focus onto the page body. Once the new
  // page is in, focus goes to that row's next step, or to the row now in its place.
  const focusRow = useRef<{ id: string; index: number } | null>(null);
  useEffect(() => {
    const want = focusRow.current;
    if (!want || !q.data || q.loading) return;
    focusRow.current = null;
    const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>('[data-testid="queue-table"] tbody > tr'));
    const row = rows.find((r) => r.dataset.appId === want.id) ?? rows[Math.min(want.index, rows.length - 1)];
    const target = row?.querySelector<HTMLElement>('button:not([disabled])') ?? row?.querySelector<HTMLElement>('a[href]') ?? document.querySelector<HTMLElement>('[data-testid="queue-new"]');
    target?.focus();
  }, [q.data, q.loading]);

  const exportLog = useExportLog<ApplicationView>('queue', queueExportIds);
  const columns = useQueueColumns(canWrite, openDialog);

  const done = (message: TKey) => {
    setNotice({ key: message });
    if (dialog && data) focusRow.current = { id: dialog.app.id, index: Math.max(0, data.items.findIndex((a) => a.id === dialog.app.id)) };
    q.reload();
    closeDialogs();
  };
  // Someone else changed the application: its row is read again before anyone acts on it.
  const stale = () => {
    setNotice({ key: 'office.conflict', warn: true });
    q.reload();
    closeDialogs();
  };

  return (
    <div className="k-page k-page-wide" data-testid="queue-screen">
      <PageTitle
        extra={
          data &&
          data.overdue > 0 && (
            <ToneTag tone="danger" testId="queue-overdue-count">
              {t(words.overdueCount, { count: data.overdue, formatted: formatNumber(data.overdue, lang) })}
            </ToneTag>
          )
        }
      >
        {t(words.title)}
      </PageTitle>
      <p className="k-lead" data-testid="queue-intro">
        {t(words.intro)}
      </p>
      {notice &&
        (notice.warn ? (
          <Alert color="orange" variant="light" role="alert" mb="sm" data-testid="queue-notice" styles={{ message: { color: '#3d2400' } }}>
            {t(notice.key)}
          </Alert>
        ) : (
          <div role="status" className="k-flash" data-testid="queue-notice">
            {t(notice.key)}
          </div>
        ))}

      <Group gap="md" align="flex-end" mb="sm" wrap="wrap">
        <div>
          <Text fw={500} size="sm" mb={4} id="queue-filter-label">
            {t('queue.filter.label')}
          </Text>
          <SegmentedControl
            role="radiogroup"
            aria-labelledby="queue-filter-label"
            value={filter}
            onChange={(x) => setFilter({ filter: x as QueueFilter })}
            data={APPLICATION_FILTERS.map((f) => ({ value: f, label: t(`queue.filter.${f}`) }))}
            data-testid="queue-filter"
          />
        </div>
        <div style={{ width: 320 }}>
          <UnitPicker label={t('queue.filter.unit')} value={unitId ?? null} onChange={(u) => setFilter({ unitId: u })} id="queue-unit" testId="queue-unit" />
        </div>
        <div style={{ flex: 1 }} />
        <Button variant="default" leftSection={<IconReload size={16} />} onClick={q.reload}>
          {t('common.reload')}
        </Button>
        {canWrite && (
          <Button leftSection={<IconPlus size={16} />} onClick={openNew} data-testid="queue-new">
            {t('queue.new')}
          </Button>
        )}
      </Group>

      <section className="k-section" aria-labelledby="queue-list-title" aria-busy={q.loading}>
        <Group justify="space-between" mb={8} wrap="nowrap">
          <h2 className="k-section-title" id="queue-list-title" style={{ margin: 0 }}>
            {t('queue.listTitle')}
          </h2>
          {data && data.total > 0 && <Pager offset={offset} count={data.items.length} total={data.total} pageSize={QUEUE_PAGE_SIZE} onOffset={setOffset} testId="queue" />}
        </Group>
        {data && <HiddenProtected count={data.hiddenProtected} text={t('queue.hiddenProtected', { count: data.hiddenProtected })} testId="queue-hidden-protected" />}
        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Loading />
        ) : data.items.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }} data-testid="queue-empty">
            {t('queue.empty')}
          </p>
        ) : (
          <>
            <DataTable<ApplicationView>
              id="queue"
              caption={t(words.title)}
              columns={columns}
              rows={data.items}
              rowKey={(a) => a.id}
              testId="queue-table"
              rowTestId="queue-row"
              rowProps={(a) => ({ 'data-app-id': a.id, 'data-status': a.status, 'data-overdue': a.overdue ? 'true' : undefined, 'data-urgency': a.guarantee.urgency ?? undefined })}
              onExport={exportLog}
              dense
            />
            <Text size="sm" c="dimmed" mt={6}>
              {t('queue.keyboardHint')}
            </Text>
          </>
        )}
      </section>

      {creating && (
        <ApplicationDialog
          onClose={closeDialogs}
          onDone={() => {
            setOffset(0);
            done('queue.create.done');
          }}
        />
      )}
      {dialog?.kind === 'offer' && <OfferDialog key={dialog.app.id} app={dialog.app} onClose={closeDialogs} onDone={done} onStale={stale} />}
      {dialog?.kind === 'answer' && <AnswerDialog key={dialog.app.id} app={dialog.app} onClose={closeDialogs} onDone={done} onStale={stale} />}
      {dialog?.kind === 'withdraw' && <WithdrawDialog key={dialog.app.id} app={dialog.app} onClose={closeDialogs} onDone={done} onStale={stale} />}
    </div>
  );
}

const queueExportIds = (a: ApplicationView) => [a.child.id];

/**
 * The queue's columns. The queue is paged in the core in the order that matters (the day each child's
 * place is due), so no column re-sorts a page of it; CSV and print take the page as shown.
 */
function useQueueColumns(canWrite: boolean, onAction: (kind: RowDialog['kind'], app: ApplicationView, from?: HTMLElement | null) => void): Column<ApplicationView>[] {
  const { t, lang } = useT();
  const session = useSession();
  const words = queueWords(session.country);
  return useMemo(() => {
    const day = (iso: string) => formatDate(iso, lang);
    const cols: Column<ApplicationView>[] = [
      {
        id: 'child',
        header: t('queue.col.child'),
        sortable: false,
        text: (a) => a.child.name,
        cell: (a) => (
          <>
            <PersonName person={a.child} testId="queue-child" />
            <div className="k-sub">
              {t(`schoolForm.${a.schoolForm}.short`)}
              {a.birthDate && (
                <>
                  {' · '}
                  <span className="k-nowrap">{t('queue.born', { date: day(a.birthDate) })}</span>
                </>
              )}
            </div>
          </>
        ),
      },
      { id: 'appliedOn', header: t('queue.col.appliedOn'), kind: 'date', sortable: false, text: (a) => a.appliedOn, cell: (a) => day(a.appliedOn) },
      {
        id: 'wishedStart',
        header: t('queue.col.wishedStart'),
        kind: 'date',
        sortable: false,
        text: (a) => a.wishedStart,
        cell: (a) => (
          <>
            {day(a.wishedStart)}
            {a.weeklyHours !== null && <div className="k-sub">{t('queue.hoursShort', { hours: a.weeklyHours })}</div>}
          </>
        ),
      },
      {
        id: 'guarantee',
        header: t(words.guaranteeCol),
        sortable: false,
        text: (a) => {
          const badge = guaranteeBadge(a, day);
          return [a.guaranteeDate ?? '', badge ? msgText(badge.msg, t) : ''].filter(Boolean).join(' · ');
        },
        cell: (a) => {
          const badge = guaranteeBadge(a, day);
          const why = noRightMsg(a, day);
          return (
            <div data-testid="queue-guarantee">
              {a.guaranteeDate ? <div className="k-num k-nowrap">{day(a.guaranteeDate)}</div> : !badge && <Dash />}
              {badge && (
                <ToneTag tone={badge.tone} testId="queue-badge">
                  {msgText(badge.msg, t)}
                </ToneTag>
              )}
              {why && (
                <div className="k-sub" data-testid="queue-no-right">
                  {msgText(why, t)}
                </div>
              )}
            </div>
          );
        },
      },
      {
        id: 'choices',
        header: t('queue.col.choices'),
        sortable: false,
        text: (a) => rankedChoices(a).map((c) => `${c.rank}. ${c.unitName}`).join(', '),
        cell: (a) => (
          <ol className="k-sub" style={{ margin: 0, padding: 0, listStyle: 'none', color: 'inherit', fontSize: 13 }}>
            {rankedChoices(a).map((c) => (
              <li key={c.rank} style={{ display: 'inline' }}>
                {c.rank > 1 && ', '}
                <span aria-hidden="true">{c.rank}. </span>
                <span data-testid="queue-choice">{c.unitName}</span>
              </li>
            ))}
          </ol>
        ),
      },
      {
        id: 'siblings',
        header: t('queue.col.siblings'),
        sortable: false,
        optional: true,
        text: (a) => a.siblings.map((x) => t('queue.sibling', { name: x.person.name, unit: x.unitName })).join('; '),
        cell: (a) => <div className="k-sub">{a.siblings.length === 0 ? <Dash /> : a.siblings.map((x) => <div key={x.person.id}>{t('queue.sibling', { name: x.person.name, unit: x.unitName })}</div>)}</div>,
      },
      {
        id: 'status',
        header: t('queue.col.status'),
        sortable: false,
        text: (a) => t(`queue.status.${a.status}`),
        cell: (a) => (
          <>
            <NeutralTag>{t(`queue.status.${a.status}`)}</NeutralTag>
            {a.offer && (
              <div className="k-sub" data-testid="queue-offer">
                {t('queue.offerLine', { unit: a.offer.unitName, start: day(a.offer.start) })}
                {a.offer.groupName ? ` (${a.offer.groupName})` : ''}
                {a.offer.answerBy && <span className="k-nowrap">{` · ${t('queue.offer.answerByShort', { date: day(a.offer.answerBy) })}`}</span>}
              </div>
            )}
            {a.note && <div className="k-sub">{a.note}</div>}
          </>
        ),
      },
    ];
    if (canWrite) cols.push({ id: 'actions', header: t('queue.col.actions'), sortable: false, noExport: true, cell: (a) => <QueueActions app={a} onAction={onAction} /> });
    return cols;
  }, [t, lang, words, canWrite, onAction]);
}

function QueueActions({ app: a, onAction }: { app: ApplicationView; onAction: (kind: RowDialog['kind'], app: ApplicationView, from?: HTMLElement | null) => void }) {
  const { t } = useT();
  const can = queueActions(a);
  const name = a.child.name;
  const more = useRef<HTMLButtonElement>(null);
  return (
    <Group gap={4} wrap="nowrap">
      {can.offer && (
        <Button size="compact-sm" onClick={() => onAction('offer', a)} aria-label={t('queue.action.offerFor', { name })} data-testid="queue-offer-btn">
          {t('queue.action.offer')}
        </Button>
      )}
      {can.answer && (
        <Button size="compact-sm" onClick={() => onAction('answer', a)} aria-label={t('queue.action.answerFor', { name })} data-testid="queue-answer-btn">
          {t('queue.action.answer')}
        </Button>
      )}
      {can.withdraw && (
        // In the table (inside the main landmark), without Mantine's focus placeholder (a focusable
        // "presentation" child of the menu that axe rightly refuses): the one item takes the focus.
        <Menu position="bottom-end" withinPortal={false} withInitialFocusPlaceholder={false}>
          <Menu.Target>
            <Button ref={more} size="compact-sm" variant="default" rightSection={<IconChevron size={14} open />} aria-label={t('queue.action.moreFor', { name })} data-testid="queue-more-btn">
              {t('queue.action.more')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown aria-label={t('queue.action.moreFor', { name })}>
            <Menu.Item c="#a61b1b" data-autofocus onClick={() => onAction('withdraw', a, more.current)} data-testid="queue-withdraw-btn">
              {t('queue.action.withdrawFor', { name })}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      )}
    </Group>
  );
}
