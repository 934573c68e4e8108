/**
 * The audit log (auditor): filter by user, person, dates and event; newest first, paged by the core; the
 * entries are the kit's data table (keyboard rows, fixed columns), each entry's details open in place under
 * it; the core exports the same selection as CSV (audit.export); verify the hash chain.
 */
import { Alert, Button, Group, NativeSelect, Select, TextInput } from '@mantine/core';
import { useMemo, useRef, useState } from 'react';
import { ErrorState, Loading, PageTitle, Section } from '../components/common';
import { DataTable, type Column } from '../kit';
import { DateField } from '../components/DateField';
import { IconCheck, IconChevron, IconDownload } from '../components/icons';
import { useApi, useQuery } from '../lib/api';
import {
  AUDIT_ACTIONS,
  AUDIT_PAGE_SIZE,
  auditFilterInput,
  auditQueryInput,
  collapsePersons,
  detailLines,
  emptyAuditFilter,
  isAuditAction,
  pageRange,
  personNames,
  validateAuditFilter,
  type AuditEntry,
  type AuditFilterValues,
} from '../lib/audit';
import { csvBlob, downloadName, fallbackAuditName, saveBlob } from '../lib/download';
import { formatNumber, LOCALES } from '../lib/format';
import { useT, type TKey } from '../lib/i18n';
import { useSession } from '../lib/session';
import type { MethodOutput } from '../../../shared/api/contract';
import type { ApiError } from '../../../shared/api/transport';
import { auditMethodKey } from '../../../shared/i18n/history-labels';
import './audit.css';

const OUTCOMES = new Set(['ok', 'denied', 'failed', 'error']);

export function AuditScreen() {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const [draft, setDraft] = useState<AuditFilterValues>(emptyAuditFilter);
  const [applied, setApplied] = useState<AuditFilterValues>(emptyAuditFilter);
  const [offset, setOffset] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const q = useQuery('audit.query', auditQueryInput(applied, offset));
  // Keep the last page on screen while the next one loads (no flicker when paging).
  const last = useRef<MethodOutput<'audit.query'> | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  // The user list comes with every answer; keep the widest one seen for the filter.
  const users = useRef<{ id: string; name: string }[]>([]);
  if (q.data && q.data.users.length >= users.current.length) users.current = q.data.users;

  const [exportState, setExportState] = useState<{ busy: boolean; done?: { rows: number; file: string }; error?: ApiError }>({ busy: false });
  const [verify, setVerify] = useState<{ busy: boolean; result?: MethodOutput<'audit.verify'>; error?: ApiError }>({ busy: false });
  const filterErrors = validateAuditFilter(draft);

  const apply = () => {
    if (Object.keys(filterErrors).length) return;
    setApplied(draft);
    setOffset(0);
    setExpanded(new Set());
    setExportState({ busy: false });
  };
  const clear = () => {
    const e = emptyAuditFilter();
    setDraft(e);
    setApplied(e);
    setOffset(0);
    setExpanded(new Set());
    setExportState({ busy: false });
  };
  const exportCsv = async () => {
    setExportState({ busy: true });
    const r = await api.tryCall('audit.export', auditFilterInput(applied));
    if (!r.ok) return setExportState({ busy: false, error: r.error });
    const file = downloadName(r.data.filename, fallbackAuditName(session.today));
    saveBlob(csvBlob(r.data.csv), file);
    setExportState({ busy: false, done: { rows: r.data.rows, file } });
  };
  const runVerify = async () => {
    setVerify({ busy: true });
    const r = await api.tryCall('audit.verify', {});
    setVerify(r.ok ? { busy: false, result: r.data } : { busy: false, error: r.error });
    // The list is read again, so it shows the log the check saw: the entry of the last search (written
    // after that search's answer) is counted by the check and now listed too.
    if (r.ok) q.reload();
  };

  const timeFormat = useMemo(() => new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'short', timeStyle: 'medium' }), [lang]);
  const fmtTime = (ts: string) => {
    const d = new Date(ts);
    return Number.isNaN(d.getTime()) ? ts : timeFormat.format(d);
  };
  const range = data ? pageRange(offset, data.items.length, data.total) : null;
  const toggle = (seq: number) =>
    setExpanded((cur) => {
      const next = new Set(cur);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  // Newest first as the core pages them: no column sorts a page of its own (it would look like the log's order).
  const persons = data?.persons ?? {};
  const columns: Column<AuditEntry>[] = [
    { id: 'at', header: t('audit.col.at'), cell: (e) => <span className="k-num">{fmtTime(e.at)}</span>, kind: 'date', width: '12.5em' },
    { id: 'user', header: t('audit.col.user'), cell: (e) => e.actorName, width: '10em' },
    { id: 'ws', header: t('audit.col.workstation'), cell: (e) => <span className="k-audit-ws">{e.workstation}</span>, width: '8.5em' },
    {
      id: 'call',
      header: t('audit.col.call'),
      cell: (e) => {
        const key = auditMethodKey(e.method);
        return (
          <span data-testid="audit-method" data-method={e.method}>
            {key ? t(key) : <span className="k-mono">{e.method}</span>}
          </span>
        );
      },
      width: '11em',
    },
    { id: 'action', header: t('audit.col.action'), cell: (e) => (isAuditAction(e.action) ? t(`audit.action.${e.action}`) : e.action), width: '8.5em' },
    {
      id: 'outcome',
      header: t('audit.col.outcome'),
      cell: (e) => <span className={e.outcome === 'ok' ? undefined : 'k-audit-bad'}>{OUTCOMES.has(e.outcome) ? t(`audit.outcome.${e.outcome}` as TKey) : e.outcome}</span>,
      width: '6.5em',
    },
    { id: 'persons', header: t('audit.col.persons'), cell: (e) => <PersonsCell seq={e.seq} names={personNames(e, persons)} />, width: '20%' },
    { id: 'reason', header: t('audit.col.reason'), cell: (e) => <span className="k-audit-reason">{e.reason}</span> },
    {
      id: 'details',
      header: t('audit.col.details'),
      cell: (e) => (
        <button type="button" className="k-expand" aria-expanded={expanded.has(e.seq)} aria-controls={`audit-details-${e.seq}`} aria-label={t('audit.details.show', { seq: e.seq })} onClick={() => toggle(e.seq)}>
          <IconChevron open={expanded.has(e.seq)} size={16} />
        </button>
      ),
      // Room for the header's word: the column no longer hides it.
      width: '5.5em',
    },
  ];
  const userOptions = users.current.map((u) => ({ value: u.id, label: u.name }));

  return (
    <div className="k-page k-page-wide" data-testid="audit-screen">
      <PageTitle>{t('audit.title')}</PageTitle>
      <p className="k-lead">{t('audit.intro')}</p>

      <Section title={t('audit.filters')} id="sec-audit-filter" testId="audit-filter">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
        >
          <div className="k-audit-filter">
            <Select
              label={t('audit.filter.user')}
              placeholder={t('audit.filter.anyUser')}
              value={draft.userId || null}
              onChange={(x) => setDraft((d) => ({ ...d, userId: x ?? '' }))}
              data={userOptions}
              searchable
              clearable
              nothingFoundMessage={t('common.nothingFound')}
              comboboxProps={{ withinPortal: true }}
              data-testid="audit-user"
            />
            <TextInput
              label={t('audit.filter.person')}
              description={t('audit.filter.personHint')}
              value={draft.person}
              onChange={(e) => {
                const person = e.currentTarget.value;
                setDraft((d) => ({ ...d, person }));
              }}
              autoComplete="off"
              spellCheck={false}
              maxLength={40}
              classNames={{ input: 'k-mono' }}
              data-testid="audit-person"
            />
            <DateField label={t('audit.filter.from')} value={draft.from} onChange={(x) => setDraft((d) => ({ ...d, from: x }))} error={filterErrors.from && t(filterErrors.from)} testId="audit-from" />
            <DateField label={t('audit.filter.to')} value={draft.to} onChange={(x) => setDraft((d) => ({ ...d, to: x }))} error={filterErrors.to && t(filterErrors.to)} testId="audit-to" />
            <NativeSelect
              label={t('audit.filter.action')}
              value={draft.action}
              onChange={(e) => {
                const action = e.currentTarget.value as AuditFilterValues['action'];
                setDraft((d) => ({ ...d, action }));
              }}
              data={[{ value: '', label: t('audit.filter.anyAction') }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit.action.${a}`) }))]}
              data-testid="audit-action"
            />
          </div>
          <Group gap="sm" mt="sm">
            <Button type="submit" data-testid="audit-apply">
              {t('audit.filter.apply')}
            </Button>
            <Button variant="default" onClick={clear}>
              {t('audit.filter.clear')}
            </Button>
            <div style={{ flex: 1 }} />
            <Button variant="default" leftSection={<IconDownload size={16} />} loading={exportState.busy} onClick={() => void exportCsv()} data-testid="audit-export">
              {t('audit.export')}
            </Button>
            <Button variant="default" leftSection={<IconCheck size={16} />} loading={verify.busy} onClick={() => void runVerify()} data-testid="audit-verify">
              {t('audit.verify')}
            </Button>
          </Group>
        </form>
        <div aria-live="polite">
          {exportState.done && (
            <p className="k-ok-line" data-testid="audit-exported">
              {t('audit.exported', { rows: formatNumber(exportState.done.rows, lang), file: exportState.done.file })}
            </p>
          )}
          {verify.result?.ok && (
            <p className="k-ok-line" data-testid="audit-verify-result">
              {t('audit.verify.chainOk', { count: formatNumber(verify.result.entries, lang) })} <AnchorsLine result={verify.result} />
            </p>
          )}
          {verify.result?.ok && (
            <p className="k-lead" style={{ margin: '6px 0 0' }} data-testid="audit-verify-note">
              {t('audit.verify.countsNote')}
            </p>
          )}
          {verify.result?.pending ? (
            <p className="k-lead" style={{ margin: '6px 0 0' }} data-testid="audit-verify-pending">
              {t('audit.verify.pending', { count: formatNumber(verify.result.pending, lang) })}
            </p>
          ) : null}
        </div>
        {exportState.error && (
          <div style={{ marginTop: 8 }}>
            <ErrorState error={exportState.error} />
          </div>
        )}
        {verify.error && (
          <div style={{ marginTop: 8 }}>
            <ErrorState error={verify.error} />
          </div>
        )}
        {verify.result && !verify.result.ok && (
          <Alert color="red" variant="light" role="alert" mt="sm" title={t('audit.verify.brokenTitle')} data-testid="audit-verify-result" styles={{ title: { color: '#7d1212' }, message: { color: '#3b0d0d' } }}>
            {verify.result.anchors.problem && <p style={{ margin: '0 0 4px' }}>{t(`audit.verify.anchor.${verify.result.anchors.problem.kind}`)}</p>}
            {verify.result.firstBroken
              ? t('audit.verify.broken', { seq: verify.result.firstBroken.seq, problem: verify.result.firstBroken.problem })
              : verify.result.anchors.problem?.message}
          </Alert>
        )}
      </Section>

      <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="audit-entries-title" aria-busy={q.loading}>
        <Group justify="space-between" mb={8} wrap="nowrap">
          <h2 className="k-section-title" id="audit-entries-title" style={{ margin: 0 }}>
            {t('audit.entries')}
          </h2>
          {range && data && (
            <Group gap="sm" wrap="nowrap">
              <span className="k-num" aria-live="polite" data-testid="audit-range">
                {t('audit.range.of', { first: formatNumber(range.first, lang), last: formatNumber(range.last, lang), total: formatNumber(data.total, lang) })}
              </span>
              <Button size="xs" variant="default" disabled={!range.hasPrev} onClick={() => setOffset(Math.max(0, offset - AUDIT_PAGE_SIZE))} data-testid="audit-prev">
                {t('audit.prev')}
              </Button>
              <Button size="xs" variant="default" disabled={!range.hasNext} onClick={() => setOffset(offset + AUDIT_PAGE_SIZE)} data-testid="audit-next">
                {t('audit.next')}
              </Button>
            </Group>
          )}
        </Group>
        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Loading />
        ) : data.items.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }}>
            {t('audit.empty')}
          </p>
        ) : (
          <div className="k-audit-table">
            <DataTable
              id="audit"
              caption={t('audit.entries')}
              columns={columns}
              rows={data.items}
              rowKey={(e) => String(e.seq)}
              // The core's own export (audit.export) writes the whole selection, not this page.
              exportable={false}
              dense
              testId="audit-table"
              rowTestId="audit-row"
              rowProps={(e) => ({ 'data-action': e.action, ...(expanded.has(e.seq) ? { className: 'k-row k-row-open' } : {}) })}
              rowDetail={(e) => (expanded.has(e.seq) ? { id: `audit-details-${e.seq}`, className: 'k-audit-details', content: <AuditDetails e={e} /> } : null)}
            />
          </div>
        )}
      </section>
    </div>
  );
}

/** What the log was compared with outside the database (anchor file, see core/audit/anchor.ts). */
function AnchorsLine({ result }: { result: MethodOutput<'audit.verify'> }) {
  const { t, lang } = useT();
  const a = result.anchors;
  return a.checked && a.lastAnchoredSeq !== null ? (
    <>{t('audit.verify.anchors', { count: formatNumber(a.checked, lang), seq: formatNumber(a.lastAnchoredSeq, lang) })}</>
  ) : (
    <>{t('audit.verify.noAnchors')}</>
  );
}

/** An entry opened in place: its number, its call and every detail the core logged. */
function AuditDetails({ e }: { e: AuditEntry }) {
  const { t } = useT();
  const lines = detailLines(e.details);
  return (
    <>
      <span className="k-num">#{e.seq}</span> <span className="k-mono">{e.method}</span>
      {lines.length === 0 ? (
        <span className="k-empty"> {t('audit.details.none')}</span>
      ) : (
        <ul>
          {lines.map((l, i) => (
            <li key={i} className="k-mono">
              {l}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * The persons an entry concerns: up to PERSONS_SHOWN names, then "Lind, Elsa and 98 more" with a button
 * that shows them all in place (and hides them again); a list read for a screen can name hundreds.
 */
function PersonsCell({ seq, names }: { seq: number; names: string[] }) {
  const { t, lang } = useT();
  const [all, setAll] = useState(false);
  const listId = `audit-persons-${seq}`;
  const c = collapsePersons(names);
  if (c.more === 0) {
    return (
      <>
        {names.map((n, i) => (
          <span key={i} style={{ display: 'block' }}>
            {n}
          </span>
        ))}
      </>
    );
  }
  return (
    <div data-testid="audit-persons">
      {all ? (
        <p id={listId} className="k-audit-persons-all" tabIndex={0} role="region" aria-label={t('audit.col.persons')}>
          {names.join('; ')}
        </p>
      ) : (
        <span id={listId}>{t('audit.persons.more', { name: c.shown.join('; '), count: formatNumber(c.more, lang) })}</span>
      )}{' '}
      <Button variant="subtle" size="compact-xs" aria-expanded={all} aria-controls={listId} onClick={() => setAll((x) => !x)} data-testid="audit-persons-toggle">
        {all ? t('audit.persons.showFewer') : t('audit.persons.showAll', { count: formatNumber(names.length, lang) })}
      </Button>
    </div>
  );
}
