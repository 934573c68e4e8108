/**
 * The work list (arbetslista): what an applied import means for children's places. Nothing ends on its own:
 * the clerk selects items (Space, Ctrl+A for the page), confirms them with an end date (the register's date
 * of the event is proposed) and an optional note, or dismisses them with a note; each is one call for the
 * whole selection. Someone else handling an item meanwhile is a conflict: the list is read again and says so.
 * The state and kind filters live in the address, so a reload shows the same list.
 */
import { Alert, Button, Group, NativeSelect, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/api/transport';
import { WORK_KINDS, WORK_STATES, type WorkKind, type WorkState } from '../../../shared/domain/imports';
import { ErrorState, Loading, PageTitle } from '../components/common';
import { DateField } from '../components/DateField';
import { DateText } from '../components/DateText';
import { IconReload } from '../components/icons';
import { NeutralTag } from '../components/Tags';
import { DataTable, FormDialog, useExportLog, useForm, type Column } from '../kit';
import { selectColumn, selectedRowProps, SelectionKeys, selectionState, SelectPageBox, type RowSelection } from '../kit/selection';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import { formatDate, formatDateTime, formatNumber } from '../lib/format';
import { useT, type TKey } from '../lib/i18n';
import {
  confirmDefaults,
  commonProposedEnd,
  endsPlaces,
  NOTE_MAX,
  NOTE_MIN,
  toConfirmInput,
  toDismissInput,
  toFieldErrors,
  toggleId,
  togglePage,
  toMapped,
  validateConfirm,
  validateDismiss,
  workDetailText,
  worklistErrors,
  worklistInput,
  WORKLIST_PAGE_SIZE,
  type ConfirmValues,
  type WorkItem,
  type WorkList,
} from '../lib/imports';
import { clampOffset, msgText, type Msg } from '../lib/office';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { PersonCell, personText } from './imports/common';
import { Dash, hasKey, HiddenProtected, Pager } from './office/common';

type DialogKind = 'confirm' | 'dismiss';
type Notice = { msg: Msg; warn?: boolean } | null;

export function WorklistScreen({ state = 'open', kind }: { state?: WorkState; kind?: WorkKind }) {
  const { t, lang } = useT();
  const [offset, setOffset] = useState(0);
  const q = useQuery('worklist.list', worklistInput(state, kind, offset));
  const last = useRef<WorkList | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const focusFirstRow = useRef(false);

  // Another filter starts on the first page with nothing selected.
  useEffect(() => {
    setOffset(0);
    setSelected(new Set());
  }, [state, kind]);
  // Handled items leave the list: the page steps back when it ran empty, and the selection keeps only what is still there.
  useEffect(() => {
    if (!q.data) return;
    if (q.data.items.length === 0 && offset > 0) setOffset(clampOffset(offset, q.data.total, WORKLIST_PAGE_SIZE));
    const here = new Set(q.data.items.map((i) => i.id));
    setSelected((cur) => {
      const kept = [...cur].filter((id) => here.has(id));
      return kept.length === cur.size ? cur : new Set(kept);
    });
  }, [q.data, offset]);
  // After a confirm or dismiss the rows acted on are gone: the focus goes to the first row now there.
  useEffect(() => {
    if (!focusFirstRow.current || !q.data || q.loading) return;
    focusFirstRow.current = false;
    const first = document.querySelector<HTMLElement>('[data-testid="worklist-table"] tbody > tr[data-row-id]');
    (first ?? document.getElementById('worklist-notice') ?? document.querySelector<HTMLElement>('[data-testid="worklist-screen"] h1'))?.focus();
  }, [q.data, q.loading]);

  const items = useMemo(() => data?.items ?? [], [data]);
  const chosen = useMemo(() => items.filter((i) => selected.has(i.id)), [items, selected]);
  const open = state === 'open';
  const pageIds = useMemo(() => items.map((i) => i.id), [items]);
  const toggle = useCallback((id: string) => setSelected((cur) => toggleId(cur, id)), []);
  const toggleAll = useCallback(() => setSelected((cur) => togglePage(cur, pageIds)), [pageIds]);

  const setFilter = (next: { state?: WorkState; kind?: WorkKind | null }) => {
    const s = next.state ?? state;
    const k = next.kind === undefined ? kind : (next.kind ?? undefined);
    setNotice(null);
    navigate({ name: 'worklist', ...(s !== 'open' ? { state: s } : {}), ...(k ? { kind: k } : {}) }, { replace: true });
  };

  const openDialog = useCallback(
    (d: DialogKind) => {
      if (chosen.length === 0) {
        setNotice({ msg: { key: 'worklist.nothingSelected' }, warn: true });
        return;
      }
      setNotice(null);
      setDialog(d);
    },
    [chosen.length],
  );
  // The dialog puts the focus back on the button that opened it.
  const closeDialog = () => setDialog(null);
  const done = (msg: Msg) => {
    setDialog(null);
    setSelected(new Set());
    setNotice({ msg });
    focusFirstRow.current = true;
    q.reload();
  };
  const conflict = () => {
    setDialog(null);
    setSelected(new Set());
    setNotice({ msg: { key: 'worklist.conflict' }, warn: true });
    focusFirstRow.current = true;
    q.reload();
  };

  const canAct = open && chosen.length > 0;
  useScreenAction(useMemo(() => (canAct ? { id: 'confirmWork' as const, label: 'worklist.confirm.button' as const, run: () => openDialog('confirm') } : null), [canAct, openDialog]));
  useScreenAction(useMemo(() => (canAct ? { id: 'dismissWork' as const, label: 'worklist.dismiss.button' as const, run: () => openDialog('dismiss') } : null), [canAct, openDialog]));
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: q.reload }), [q.reload]));

  const counts = data?.counts ?? {};
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const kindOptions = [
    { value: '', label: t('worklist.kind.option', { label: t('worklist.kind.all'), count: formatNumber(all, lang) }) },
    ...WORK_KINDS.map((k) => ({ value: k, label: t('worklist.kind.option', { label: t(`worklist.kind.${k}`), count: formatNumber(counts[k] ?? 0, lang) }) })),
  ];

  return (
    <div className="k-page k-page-wide" data-testid="worklist-screen">
      <PageTitle>{t('worklist.title')}</PageTitle>
      <p className="k-lead">{t('worklist.intro')}</p>
      <div aria-live="polite">
        {notice &&
          (notice.warn ? (
            <Alert id="worklist-notice" tabIndex={-1} color="orange" variant="light" role="alert" mb="sm" data-testid="worklist-notice" styles={{ message: { color: '#3d2400' } }}>
              {msgText(notice.msg, t)}
            </Alert>
          ) : (
            <div id="worklist-notice" tabIndex={-1} role="status" className="k-flash" data-testid="worklist-notice">
              {msgText(notice.msg, t)}
            </div>
          ))}
      </div>

      <Group gap="md" align="flex-end" mb="sm" wrap="wrap">
        <div>
          <Text fw={500} size="sm" mb={4} id="worklist-state-label">
            {t('worklist.state.label')}
          </Text>
          <SegmentedControl
            role="radiogroup"
            aria-labelledby="worklist-state-label"
            value={state}
            onChange={(x) => setFilter({ state: x as WorkState })}
            data={WORK_STATES.map((s) => ({ value: s, label: t(`worklist.state.${s}`) }))}
            data-testid="worklist-state"
          />
        </div>
        <NativeSelect
          id="worklist-kind"
          label={t('worklist.kind.label')}
          value={kind ?? ''}
          onChange={(e) => setFilter({ kind: (e.currentTarget.value || null) as WorkKind | null })}
          data={kindOptions}
          w={320}
          data-testid="worklist-kind"
        />
        <div style={{ flex: 1 }} />
        <Button variant="default" leftSection={<IconReload size={16} />} onClick={q.reload}>
          {t('common.reload')}
        </Button>
      </Group>

      <section className="k-section" aria-labelledby="worklist-list-title" aria-busy={q.loading}>
        <Group justify="space-between" mb={8} wrap="wrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <h2 className="k-section-title" id="worklist-list-title" style={{ margin: 0 }}>
              {t('worklist.listTitle')}
            </h2>
            {open && (
              <>
                <Button size="xs" onClick={() => openDialog('confirm')} disabled={chosen.length === 0} data-testid="worklist-confirm">
                  {t('worklist.confirm.button')}
                </Button>
                <Button size="xs" variant="default" onClick={() => openDialog('dismiss')} disabled={chosen.length === 0} data-testid="worklist-dismiss">
                  {t('worklist.dismiss.button')}
                </Button>
                <Text size="sm" c="dimmed" aria-live="polite" data-testid="worklist-selected">
                  {chosen.length > 0 ? t('worklist.selected', { count: chosen.length }) : ''}
                </Text>
              </>
            )}
          </Group>
          {data && data.total > 0 && <Pager offset={offset} count={data.items.length} total={data.total} pageSize={WORKLIST_PAGE_SIZE} onOffset={setOffset} testId="worklist" />}
        </Group>
        {data && <HiddenProtected count={data.hiddenProtected} text={t('worklist.hiddenProtected', { count: data.hiddenProtected })} testId="worklist-hidden-protected" />}
        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Loading />
        ) : items.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }} data-testid="worklist-empty">
            {t('worklist.empty')}
          </p>
        ) : (
          <>
            <WorkTable items={items} state={state} selected={selected} onToggle={toggle} onTogglePage={toggleAll} />
            {open && (
              <Text size="sm" c="dimmed" mt={6}>
                {t('worklist.keyboardHint')}
              </Text>
            )}
          </>
        )}
      </section>

      {dialog === 'confirm' && <ConfirmDialog items={chosen} onClose={closeDialog} onDone={done} onConflict={conflict} />}
      {dialog === 'dismiss' && <DismissDialog items={chosen} onClose={closeDialog} onDone={done} onConflict={conflict} />}
    </div>
  );
}

function WorkTable(props: { items: WorkItem[]; state: WorkState; selected: ReadonlySet<string>; onToggle: (id: string) => void; onTogglePage: () => void }) {
  const { t, lang } = useT();
  const session = useSession();
  const { items, selected, onToggle, onTogglePage } = props;
  const open = props.state === 'open';
  const confirmed = props.state === 'confirmed';
  const sel = useMemo<RowSelection<WorkItem>>(
    () => ({ selected, idOf: (i) => i.id, onToggle, onTogglePage, label: (i) => t('worklist.selectRow', { name: i.person.name }), testId: 'worklist-select' }),
    [selected, onToggle, onTogglePage, t],
  );
  const onExport = useExportLog<WorkItem>(`worklist.${props.state}`, personIds);
  const columns = useMemo(() => {
    const end = (i: WorkItem) => (i.proposedEnd && endsPlaces(i.kind) ? i.proposedEnd : null);
    const cols: Column<WorkItem>[] = [
      ...(open ? [selectColumn(sel, t('worklist.col.select'))] : []),
      { id: 'person', header: t('worklist.col.person'), cell: (i) => <PersonCell person={i.person} testId="worklist-person" />, text: (i) => personText(i.person) },
      {
        id: 'event',
        header: t('worklist.col.event'),
        cell: (i) => {
          const detail = workDetailText(i, t, lang);
          return (
            <>
              <NeutralTag>{t(`worklist.kind.${i.kind}`)}</NeutralTag>
              {detail && <div className="k-sub">{detail}</div>}
            </>
          );
        },
        text: (i) => [t(`worklist.kind.${i.kind}`), workDetailText(i, t, lang)].filter(Boolean).join(': '),
      },
      { id: 'date', header: t('worklist.col.date'), kind: 'date', cell: (i) => (i.eventDate ? <DateText value={i.eventDate} /> : <Dash />), text: (i) => i.eventDate },
    ];
    if (open) {
      cols.push(
        { id: 'affects', header: t('worklist.col.affects'), cell: (i) => <Affects item={i} />, text: (i) => i.affects.map((a) => `${t(`worklist.affect.${a.type}`)}: ${a.unitName}${a.groupName ? `, ${a.groupName}` : ''}`).join('; '), sortable: false },
        { id: 'proposedEnd', header: t('worklist.col.proposedEnd'), kind: 'date', cell: (i) => (end(i) ? <DateText value={end(i)!} /> : <Dash />), text: end },
      );
    } else {
      // Handled items no longer list their places (they have ended); the end used and who decided do.
      if (confirmed) cols.push({ id: 'endDate', header: t('worklist.col.endDate'), kind: 'date', cell: (i) => (end(i) ? <DateText value={end(i)!} /> : <Dash />), text: end });
      cols.push(
        {
          id: 'handled',
          header: t('worklist.col.handled'),
          cell: (i) => (
            <>
              {i.resolvedBy ?? <Dash />}
              {i.resolvedAt && <div className="k-sub k-nowrap">{formatDateTime(i.resolvedAt, lang)}</div>}
            </>
          ),
          text: (i) => [i.resolvedBy, i.resolvedAt ? formatDateTime(i.resolvedAt, lang) : null].filter(Boolean).join(' '),
        },
        { id: 'note', header: t('worklist.col.note'), cell: (i) => <span style={{ display: 'block', maxWidth: 360 }}>{i.note ?? <Dash />}</span>, text: (i) => i.note, optional: true },
      );
    }
    return cols;
  }, [open, confirmed, sel, t, lang]);
  const table = (
    <DataTable
      id={`worklist-${props.state}`}
      caption={t('worklist.table.caption')}
      columns={columns}
      rows={items}
      rowKey={(i) => i.id}
      onOpen={session.can('register.read') ? (i) => i.person.id && navigate({ name: 'person', id: i.person.id }) : undefined}
      onExport={onExport}
      testId="worklist-table"
      rowTestId="worklist-row"
      rowProps={(i) => ({ 'data-kind': i.kind, ...selectedRowProps(sel)(i) })}
      toolbar={open ? <SelectPageBox state={selectionState(sel, items)} onToggle={onTogglePage} label={t('worklist.selectPage')} testId="worklist-select-page" /> : undefined}
      dense
    />
  );
  return open ? (
    <SelectionKeys selection={sel} rows={items} rowKey={(i) => i.id}>
      {table}
    </SelectionKeys>
  ) : (
    table
  );
}

const personIds = (i: WorkItem) => [i.person.id];

function Affects({ item }: { item: WorkItem }) {
  const { t, lang } = useT();
  if (item.affects.length === 0) return <span className="k-empty">{item.state === 'open' ? t('worklist.affects.none') : '—'}</span>;
  return (
    <ul className="k-affects" data-testid="worklist-affects">
      {item.affects.map((a) => {
        const formKey = `schoolForm.${a.form}.short`;
        return (
          <li key={a.id} data-type={a.type}>
            <div>
              {t(`worklist.affect.${a.type}`)}: {a.unitName}
              {a.groupName ? `, ${a.groupName}` : ''}
            </div>
            <div className="k-sub">
              {hasKey(formKey) ? t(formKey as TKey) : a.form}
              {' · '}
              {/* A period never breaks inside a date ("2026-08-" / "18"). */}
              <span className="k-nowrap">
                {a.validTo ? t('worklist.affect.period', { from: formatDate(a.validFrom, lang), to: formatDate(a.validTo, lang) }) : t('worklist.affect.from', { date: formatDate(a.validFrom, lang) })}
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

interface ItemsDialogProps {
  items: WorkItem[];
  onClose: () => void;
  onDone: (m: Msg) => void;
  onConflict: () => void;
}

/** The selection in a dialog, one line per item, so the clerk sees whom they are about to confirm. */
function ItemsLines({ items }: { items: WorkItem[] }) {
  const { t, lang } = useT();
  return (
    <ul style={{ margin: 0, paddingLeft: 20, maxHeight: 160, overflowY: 'auto' }} data-testid="worklist-dialog-items">
      {items.map((i) => (
        <li key={i.id}>
          {i.person.name} – {t(`worklist.kind.${i.kind}`)}
          {i.eventDate ? ` ${formatDate(i.eventDate, lang)}` : ''}
        </li>
      ))}
    </ul>
  );
}

/** A conflict (someone else handled an item) closes the dialog and reads the list again. */
const isConflict = (e: ApiError) => worklistErrors(e, hasKey).conflict;
const mapWorklistError = (e: ApiError) => toMapped(worklistErrors(e, hasKey));

function ConfirmDialog({ items, onClose, onDone, onConflict }: ItemsDialogProps) {
  const { t } = useT();
  const api = useApi();
  const f = useForm<ConfirmValues>(confirmDefaults(items), { validate: (x) => toFieldErrors(validateConfirm(x, items)), mapError: mapWorklistError });
  const ends = items.some((i) => endsPlaces(i.kind));
  const mixed = ends && commonProposedEnd(items) === null;

  const submit = async () => {
    const r = await f.submit(() => api.tryCall('worklist.confirm', toConfirmInput(f.v, items)), {
      onError: (e) => {
        if (!isConflict(e)) return false;
        onConflict();
        return true;
      },
    });
    if (r) onDone({ key: 'worklist.confirm.done', vars: { confirmed: r.confirmed, ended: r.ended } });
  };

  return (
    <FormDialog form={f} title={t('worklist.confirm.title', { count: items.length })} size="lg" testId="worklist-confirm-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('worklist.confirm.submit')}>
      <Stack gap="sm">
        <ItemsLines items={items} />
        {ends ? (
          <DateField
            label={t('worklist.confirm.endDate')}
            value={f.v.endDate}
            onChange={(x) => f.set('endDate', x)}
            description={mixed ? t('worklist.confirm.endHintMixed') : t('worklist.confirm.endHint')}
            {...f.field('endDate')}
            required
            autoFocus
            w={260}
            testId="worklist-end-date"
          />
        ) : (
          <Text size="sm">{t('worklist.confirm.noEnd')}</Text>
        )}
        <Textarea
          label={t('worklist.confirm.note')}
          value={f.v.note}
          onChange={(e) => f.set('note', e.currentTarget.value)}
          {...f.field('note')}
          maxLength={NOTE_MAX}
          autosize
          minRows={2}
          data-autofocus={ends ? undefined : true}
          data-testid="worklist-confirm-note"
        />
      </Stack>
    </FormDialog>
  );
}

function DismissDialog({ items, onClose, onDone, onConflict }: ItemsDialogProps) {
  const { t } = useT();
  const api = useApi();
  const f = useForm({ note: '' }, { validate: (x) => toFieldErrors(validateDismiss(x.note)), mapError: mapWorklistError });

  const submit = async () => {
    const r = await f.submit(() => api.tryCall('worklist.dismiss', toDismissInput(f.v.note, items)), {
      onError: (e) => {
        if (!isConflict(e)) return false;
        onConflict();
        return true;
      },
    });
    if (r) onDone({ key: 'worklist.dismiss.done', vars: { dismissed: r.dismissed } });
  };

  return (
    <FormDialog form={f} title={t('worklist.dismiss.title', { count: items.length })} size="lg" testId="worklist-dismiss-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('worklist.dismiss.submit')} danger>
      <Stack gap="sm">
        <ItemsLines items={items} />
        <Text size="sm">{t('worklist.dismiss.text')}</Text>
        <Textarea
          label={t('worklist.dismiss.note')}
          description={t('worklist.dismiss.count', { count: f.v.note.trim().length, min: NOTE_MIN })}
          value={f.v.note}
          onChange={(e) => f.set('note', e.currentTarget.value)}
          {...f.field('note')}
          required
          maxLength={NOTE_MAX}
          autosize
          minRows={3}
          data-autofocus
          data-testid="worklist-dismiss-note"
        />
      </Stack>
    </FormDialog>
  );
}
