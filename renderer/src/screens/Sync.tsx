/**
 * The sync screen (issue 11): the clerk's own changes the central server has not accepted yet, or could not
 * accept, newest first; Enter on a conflict or a refusal opens it. In standalone mode it only says that there
 * is nothing to sync (the shell offers no way here then; an old bookmark still lands somewhere sensible).
 */
import '../components/sync.css';
import { Alert, Button, Radio, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/api/transport';
import { auditMethodKey } from '../../../shared/i18n/history-labels';
import { errorKey, ErrorState, Loading, PageTitle } from '../components/common';
import { Dialog } from '../components/Dialog';
import { ProtectedTag } from '../components/Tags';
import { DataTable, mapApiError, useExportLog, useFieldMessage, type Column, type FieldError } from '../kit';
import { useApi, useQuery } from '../lib/api';
import { useCoreEvents } from '../lib/events';
import { formatDateTime } from '../lib/format';
import { useT, type TFn } from '../lib/i18n';
import { withMutationId } from '../lib/mutationId';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { canChoose, conflictRows, defaultSide, recordOf, resolvedUpdate, valueText, type ConflictRow, type Side, type SyncChange, type SyncStatus } from '../lib/sync';
import { fieldLabel } from './card/HistorySection';
import { Masked } from './imports/common';

export function SyncScreen() {
  const { t } = useT();
  const status = useQuery('sync.status', {});
  return (
    <div className="k-page" data-testid="sync-screen">
      <PageTitle>{t('sync.title')}</PageTitle>
      {status.error ? (
        <ErrorState error={status.error} onRetry={status.reload} />
      ) : !status.data ? (
        <Loading />
      ) : status.data.mode === 'standalone' ? (
        <p data-testid="sync-standalone">{t('sync.standalone.text')}</p>
      ) : (
        <SyncChanges status={status.data} reloadStatus={status.reload} />
      )}
    </div>
  );
}

/** What a change is, as the audit log names its method. */
export function methodLabel(method: string, t: TFn): string {
  const key = auditMethodKey(method);
  return key ? t(key) : method;
}

/** The refusal of a rejected change in the clerk's words, through the form kit's mapping of the same errors. */
export function refusalMessage(e: NonNullable<SyncChange['error']>): FieldError {
  if (e.code === 'rule_violation' || e.code === 'validation' || e.code === 'duplicate') {
    const m = mapApiError(e as ApiError, () => false);
    return m.top[0] ?? { key: 'validation.invalid' };
  }
  return { key: errorKey(e as ApiError) };
}

function SyncChanges({ status, reloadStatus }: { status: SyncStatus; reloadStatus: () => void }) {
  const { t, lang } = useT();
  const msg = useFieldMessage();
  const changes = useQuery('sync.changes', {});
  const [open, setOpen] = useState<SyncChange | null>(null);
  const [done, setDone] = useState(false);
  const counts = useRef({ pending: status.pending, conflicts: status.conflicts, rejected: status.rejected });

  // The list is read again only when the counts moved: each read of it is logged (it names persons).
  useCoreEvents((e) => {
    if (e.type !== 'sync') return;
    const c = counts.current;
    if (c.pending === e.pending && c.conflicts === e.conflicts && c.rejected === e.rejected) return;
    counts.current = { pending: e.pending, conflicts: e.conflicts, rejected: e.rejected };
    changes.reload();
    reloadStatus();
  });

  const columns = useMemo<Column<SyncChange>[]>(
    () => [
      { id: 'at', header: t('sync.col.at'), cell: (c) => <span className="k-num">{formatDateTime(c.at, lang)}</span>, text: (c) => c.at, kind: 'date', width: '11em' },
      { id: 'what', header: t('sync.col.what'), cell: (c) => methodLabel(c.method, t), text: (c) => methodLabel(c.method, t) },
      {
        id: 'persons',
        header: t('sync.col.persons'),
        cell: (c) => (
          <span>
            {c.persons.map((p, i) => (
              <span key={p.id} className="k-nowrap">
                {i > 0 && '; '}
                {p.name === '' ? <Masked /> : p.name}
                {p.protected && p.name !== '' && (
                  <>
                    {' '}
                    <ProtectedTag />
                  </>
                )}
              </span>
            ))}
          </span>
        ),
        text: (c) => c.persons.map((p) => (p.name === '' ? t('imports.masked') : p.name)).join('; '),
      },
      {
        id: 'state',
        header: t('sync.col.state'),
        cell: (c) => (
          <span className="k-sync-state" data-state={c.state}>
            {t(`sync.state.${c.state}`)}
          </span>
        ),
        text: (c) => t(`sync.state.${c.state}`),
        width: '8em',
      },
      { id: 'reason', header: t('sync.col.reason'), cell: (c) => (c.error ? msg(refusalMessage(c.error)) : ''), text: (c) => (c.error ? t(refusalMessage(c.error).key, refusalMessage(c.error).vars) : '') },
    ],
    [t, lang, msg],
  );
  const onExport = useExportLog('sync', personIds);

  const openRow = (c: SyncChange) => {
    if (c.state === 'pending') return;
    setDone(false);
    setOpen(c);
  };
  const closed = (resolved: boolean) => {
    const id = open?.mutationId;
    setOpen(null);
    // The dialog unmounts at once, before Mantine's modal could hand focus back: the row takes it here.
    returnFocus(id);
    if (!resolved) return;
    setDone(true);
    changes.reload();
    reloadStatus();
  };

  return (
    <>
      <p style={{ marginTop: 0 }}>{t('sync.intro')}</p>
      <dl className="k-sync-meta" data-testid="sync-meta">
        <dt>{t('sync.server')}</dt>
        <dd className="k-mono">{status.server}</dd>
        <dt>{t('sync.lastSync')}</dt>
        <dd>{status.lastSyncAt ? formatDateTime(status.lastSyncAt, lang) : t('sync.never')}</dd>
        {status.lastError && (
          <>
            <dt>{t('sync.lastError')}</dt>
            <dd data-testid="sync-last-error">{t(status.lastError === 'offline' ? 'sync.lastError.offline' : status.lastError === 'unauthenticated' ? 'sync.lastError.unauthenticated' : 'sync.lastError.other')}</dd>
          </>
        )}
      </dl>
      <Text size="sm" role="status" aria-live="polite" mb={done ? 'sm' : 0} data-testid="sync-resolved">
        {done ? t('sync.resolved') : ''}
      </Text>
      {changes.error ? (
        <ErrorState error={changes.error} onRetry={changes.reload} />
      ) : !changes.data ? (
        <Loading />
      ) : (
        <DataTable
          id="sync-changes"
          testId="sync-changes"
          rowTestId="sync-change-row"
          caption={t('sync.caption')}
          showCaption
          columns={columns}
          rows={changes.data.items}
          rowKey={(c) => c.mutationId}
          rowProps={(c) => ({ 'data-state': c.state })}
          onOpen={openRow}
          onExport={onExport}
          empty={t('sync.empty')}
        />
      )}
      {open && <ConflictDialog change={open} onClose={closed} />}
    </>
  );
}

const personIds = (c: SyncChange) => c.persons.map((p) => p.id);

function returnFocus(mutationId: string | undefined): void {
  const started = performance.now();
  let placed = false;
  const attempt = () => {
    // The page (or a test's document) is gone: nothing to focus.
    if (typeof document === 'undefined') return;
    const table = document.querySelector('[data-testid="sync-changes"]');
    const active = document.activeElement;
    // Once the row had it, focus is only put back when the reload dropped it to the body: a clerk who has
    // moved on (another row, another control) keeps where they are.
    const lost = !active || active === document.body;
    // A resolved change's row is gone after the reload: then the list's current row, else the heading.
    const row = (mutationId && table?.querySelector<HTMLElement>(`tbody tr[data-row-id="${mutationId}"]`)) || table?.querySelector<HTMLElement>('tbody tr[tabindex="0"][data-row-id]');
    if (row && active !== row && (!placed || lost)) row.focus();
    else if (!row && lost && performance.now() - started > 1500) document.querySelector<HTMLElement>('main h1')?.focus();
    if (row) placed = true;
    // The reload replaces the rows a few frames later: keep watching for a moment.
    if (performance.now() - started < 1500) window.setTimeout(attempt, 50);
  };
  window.setTimeout(attempt, 0);
}

/**
 * One conflict or refusal, side by side: per field the value before the clerk's edit, the server's now and
 * the clerk's. A person's update is resolved field by field (a radio pair per row) into a new `person.update`
 * on the current card; anything else opens the record or keeps the server's version. Esc closes, and focus
 * goes back to the row (Mantine's modal returns it to the control that had it).
 */
export function ConflictDialog({ change, onClose }: { change: SyncChange; onClose: (resolved: boolean) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const msg = useFieldMessage();
  const q = useQuery('sync.conflict', { mutationId: change.mutationId });
  const [sides, setSides] = useState<Record<string, Side>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FieldError[] | null>(null);
  // A new update that went through but whose resolve did not: the next attempt only resolves.
  const replacedBy = useRef<string | null>(null);

  const c = q.data;
  const rows = useMemo(() => (c ? conflictRows(c) : []), [c]);
  const choosing = c ? canChoose(c, rows) : false;
  const record = c ? recordOf(c) : recordOf(change);
  const what = methodLabel(change.method, t);
  const title = t(change.state === 'rejected' ? 'sync.rejected.title' : 'sync.conflict.title', { what });

  const fail = useCallback((e: ApiError) => {
    setError(mapApiError(e, () => false, { top: { conflict: 'sync.conflict.changedAgain' } }).top);
    setBusy(false);
  }, []);

  const resolve = async (action: 'discard' | 'replaced', by?: string) => {
    const r = await api.tryCall('sync.resolve', { mutationId: change.mutationId, action, ...(by ? { replacedBy: by } : {}) });
    if (!r.ok) return fail(r.error);
    onClose(true);
  };
  const discard = async () => {
    setBusy(true);
    setError(null);
    await resolve('discard');
  };
  const saveChoice = async () => {
    if (!c) return;
    setBusy(true);
    setError(null);
    if (!replacedBy.current) {
      const personId = (c.input as { id: string }).id;
      const card = await api.tryCall('person.get', { id: personId });
      if (!card.ok) return fail(card.error);
      const input = resolvedUpdate(c, rows, sides, card.data, { today: session.today, demo: session.demo });
      const id = globalThis.crypto.randomUUID();
      const r = await withMutationId(id, () => api.tryCall('person.update', input));
      if (!r.ok) return fail(r.error);
      replacedBy.current = id;
    }
    await resolve('replaced', replacedBy.current);
  };
  const openRecord = () => {
    if (record) navigate({ name: 'person', id: record });
  };

  // The view's content arrives after the modal opened (and its focus trap chose the close button): the
  // control marked for it takes focus once it is there.
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (c) body.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [c]);

  const sideOf = (r: ConflictRow): Side => sides[r.key] ?? defaultSide(r);
  const firstChoice = rows.find((r) => r.choice !== null);

  return (
    <Dialog opened onClose={() => onClose(false)} title={title} size="64rem" testId="sync-conflict">
      {q.error ? (
        <ErrorState error={q.error} onRetry={q.reload} />
      ) : !c ? (
        <Loading />
      ) : (
        <div ref={body}>
          {c.state === 'rejected' && c.error ? (
            <Alert color="red" variant="light" mb="sm" data-testid="conflict-refusal" styles={{ message: { color: '#3b0d0d' } }}>
              <p style={{ margin: 0 }}>{t('sync.rejected.text')}</p>
              <p style={{ margin: '4px 0 0', fontWeight: 600 }}>{msg(refusalMessage(c.error))}</p>
              {c.error.field && <p style={{ margin: '4px 0 0' }}>{t('sync.rejected.field', { field: fieldLabel(c.error.field.split('.').pop() ?? c.error.field, t) })}</p>}
              <p style={{ margin: '4px 0 0' }}>{t('sync.rejected.hint')}</p>
            </Alert>
          ) : (
            <p style={{ marginTop: 0 }}>
              {t('sync.conflict.text')} {t(choosing ? 'sync.conflict.choose' : 'sync.conflict.other')}
            </p>
          )}
          {error && (
            <Alert color="red" variant="light" role="alert" mb="sm" data-testid="form-errors" styles={{ message: { color: '#3b0d0d' } }}>
              {error.map((e, i) => (
                <p key={i} style={{ margin: i ? '4px 0 0' : 0 }} data-testid="form-error">
                  {msg(e)}
                </p>
              ))}
            </Alert>
          )}
          {rows.length === 0 ? (
            <p>{t('sync.conflict.noFields')}</p>
          ) : (
            <table className="k-conflict-table" data-testid="conflict-fields">
              <caption>{t('sync.conflict.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('sync.conflict.col.field')}</th>
                  <th scope="col">{t('sync.conflict.col.base')}</th>
                  <th scope="col">{t('sync.conflict.col.theirs')}</th>
                  <th scope="col">{t('sync.conflict.col.mine')}</th>
                  {choosing && <th scope="col">{t('sync.conflict.col.choice')}</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const label = fieldLabel(r.field, t);
                  const side = sideOf(r);
                  const chosen = choosing && r.choice !== null;
                  return (
                    <tr key={r.key} data-testid={`conflict-field-${r.key}`} data-side={chosen ? side : undefined}>
                      <th scope="row">{label}</th>
                      <td data-testid="conflict-base">{valueText(r.base, t, lang, r.field)}</td>
                      <td data-testid="conflict-theirs" className={chosen && side === 'theirs' ? 'k-conflict-chosen' : undefined}>
                        {valueText(r.theirs, t, lang, r.field)}
                      </td>
                      <td data-testid="conflict-mine" className={chosen && side === 'mine' ? 'k-conflict-chosen' : undefined}>
                        {valueText(r.mine, t, lang, r.field)}
                      </td>
                      {choosing && (
                        <td>
                          {r.choice !== null && (
                            <div role="radiogroup" aria-label={t('sync.conflict.pickLabel', { field: label })} className="k-conflict-pick">
                              {(['theirs', 'mine'] as const).map((s) => (
                                <Radio
                                  key={s}
                                  name={`conflict-${r.key}`}
                                  value={s}
                                  label={t(`sync.conflict.pick.${s}`)}
                                  checked={side === s}
                                  onChange={() => setSides((cur) => ({ ...cur, [r.key]: s }))}
                                  data-testid={`conflict-field-${r.key}-${s}`}
                                  data-autofocus={r === firstChoice && side === s ? true : undefined}
                                />
                              ))}
                            </div>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <div className="k-form-actions">
            {choosing ? (
              <Button onClick={() => void saveChoice()} loading={busy} data-testid="conflict-save-choice">
                {t('sync.conflict.saveChoice')}
              </Button>
            ) : (
              record && (
                <Button onClick={openRecord} disabled={busy} data-testid="conflict-open-record" data-autofocus>
                  {t('sync.conflict.openRecord')}
                </Button>
              )
            )}
            <Button variant="default" onClick={() => void discard()} loading={busy && !choosing} disabled={busy && choosing} data-testid="conflict-keep-theirs">
              {t(c.state === 'rejected' ? 'sync.rejected.discard' : 'sync.conflict.keepTheirs')}
            </Button>
            {choosing && record && (
              <Button variant="default" onClick={openRecord} disabled={busy} data-testid="conflict-open-record">
                {t('sync.conflict.openRecord')}
              </Button>
            )}
            <Button variant="default" onClick={() => onClose(false)} aria-keyshortcuts="Escape" data-testid="cancel">
              {t('common.close')}
            </Button>
            <Text size="sm" c="dimmed" ml="sm" data-testid="keys-hint">
              {t('sync.conflict.keysHint')}
            </Text>
          </div>
        </div>
      )}
    </Dialog>
  );
}
