/**
 * One import run: the read job's progress while the file is read, then the review of the dry run (the count
 * per kind of change as tabs, a paged table of every row, the file's problems with a downloadable report),
 * why it cannot be applied when it cannot, and Apply: a confirmation that states the counts, the apply job's
 * progress with Cancel (nothing changes when cancelled), and the result with the way to the work list.
 *
 * The run is read again whenever a job it waits for ends, so the page is right after a reload, a cancel in
 * another window, or an apply that was refused inside its transaction.
 */
import { Alert, Button, Group, Stack, Tabs, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/api/transport';
import { ErrorState, Link, Loading, PageTitle } from '../components/common';
import { DateText } from '../components/DateText';
import { IconDownload } from '../components/icons';
import { jobEnded, JobProgress, useJob } from '../components/JobProgress';
import { NeutralTag } from '../components/Tags';
import { DataTable, FormDialog, useExportLog, useForm, type Column } from '../kit';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import { downloadName } from '../lib/download';
import { saveExport } from '../lib/files';
import { formatDateTime, formatNumber } from '../lib/format';
import { useT, type TKey } from '../lib/i18n';
import {
  applySummary,
  blockedMsg,
  canApply,
  canDiscard,
  changesInput,
  changeValueText,
  CHANGES_PAGE_SIZE,
  formatBytes,
  hasDryRun,
  kindsIn,
  PROBLEMS_PAGE_SIZE,
  problemElementText,
  problemSubjectText,
  toFieldError,
  totalOf,
  type ImportChange,
  type ImportProblem,
  type ImportRun,
  type ReviewTab,
} from '../lib/imports';
import { generalMsg, msgText, type Msg } from '../lib/office';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { Masked, PersonCell, personText, RunStateTag } from './imports/common';
import { Dash, ErrorBox, hasKey, Pager } from './office/common';

/**
 * Runs started in this window: their page keeps the read job's finished bar above the review, so the clerk
 * sees the file was read to the end instead of a bar that vanishes the moment a small file is done.
 */
const startedHere = new Set<string>();
export const rememberStartedHere = (runId: string): void => {
  startedHere.add(runId);
};

type Result = ReturnType<typeof applySummary>;
type Notice = { msg: Msg; warn?: boolean } | null;

export function ImportRunScreen({ id }: { id: string }) {
  const { t, lang } = useT();
  const api = useApi();
  const q = useQuery('import.get', { id });
  const last = useRef<ImportRun | null>(null);
  if (q.data) last.current = q.data;
  const run = q.data ?? last.current;
  const [applying, setApplying] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  // The read job: followed while it runs, and kept in view for a run started in this window.
  // A cancelled or failed read is said once, in the run's own words below, not also as a half-full bar.
  const readJobId = run && (run.state === 'reading' || (startedHere.has(run.id) && (run.state === 'ready' || run.state === 'failed'))) ? run.readJobId : null;
  const read = useJob(readJobId);
  // An apply that outlived its dialog (closed, or the page reloaded meanwhile) is followed on the page.
  const applyJobId = run && run.state === 'applying' && !applying ? run.applyJobId : null;
  const apply = useJob(applyJobId);
  const reload = q.reload;
  const readEnded = jobEnded(read.job);
  const applyEnded = jobEnded(apply.job);
  useEffect(() => {
    if (readEnded && run?.state === 'reading') reload();
  }, [readEnded, run?.state, reload]);
  useEffect(() => {
    if (applyEnded && run?.state === 'applying') reload();
  }, [applyEnded, run?.state, reload]);

  // The read ends while the focus is on its Cancel button, which then disappears: the focus goes to what
  // the clerk reads next (why the file cannot be applied, or the review), not to the page body.
  const prevState = useRef(run?.state);
  useEffect(() => {
    const was = prevState.current;
    prevState.current = run?.state;
    if (was !== 'reading' || !run || run.state === 'reading') return;
    const active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    window.setTimeout(
      () =>
        (
          document.getElementById('import-blocked') ??
          document.getElementById('import-discarded') ??
          document.getElementById('import-review-title') ??
          document.getElementById('import-actions') ??
          document.querySelector<HTMLElement>('[data-testid="import-run"] h1')
        )?.focus(),
      0,
    );
  }, [run]);

  const runnable = run !== null && canApply(run) && !applying;
  const openApply = useCallback(() => {
    if (runnable) {
      setNotice(null);
      setApplying(true);
    }
  }, [runnable]);
  const discardable = run !== null && canDiscard(run) && !applying;
  const openDiscard = useCallback(() => {
    if (discardable) setDiscarding(true);
  }, [discardable]);
  useScreenAction(useMemo(() => (runnable ? { id: 'applyImport' as const, label: 'imports.apply.button' as const, run: openApply } : null), [runnable, openApply]));
  useScreenAction(useMemo(() => (discardable ? { id: 'discardImport' as const, label: 'imports.discard.button' as const, run: openDiscard } : null), [discardable, openDiscard]));

  const exportProblems = useCallback(async (): Promise<{ ok: true; file: string; rows: number } | { ok: false; error: Msg } | null> => {
    const r = await api.tryCall('import.problemsExport', { id, lang });
    if (!r.ok) return { ok: false, error: generalMsg(r.error, hasKey) };
    const name = downloadName(r.data.file.name, `kansli-problems-${id.slice(0, 8)}`, 'csv');
    const saved = await saveExport({ fileId: r.data.file.fileId, name });
    if (!saved.ok) return { ok: false, error: generalMsg(saved.error, hasKey) };
    return saved.saved ? { ok: true, file: name, rows: r.data.rows } : null;
  }, [api, id, lang]);

  // Back from a dialog: to the button that opened it (Apply, or Discard when Apply is not offered).
  const focusActions = () =>
    window.setTimeout(
      () =>
        (
          document.querySelector<HTMLElement>('[data-testid="import-apply"]:not([disabled])') ??
          document.querySelector<HTMLElement>('[data-testid="import-discard"]') ??
          document.getElementById('import-actions')
        )?.focus(),
      0,
    );

  if (!run) {
    return (
      <div className="k-page k-page-wide" data-testid="import-run">
        <PageTitle>{t('imports.title')}</PageTitle>
        {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : <Loading />}
      </div>
    );
  }

  // A discarded run (cancelled while read, or thrown away) says so below; "cannot be applied" is for a dry run.
  const blocked = run.blocked && (run.state === 'ready' || run.state === 'failed') ? blockedMsg(run.blocked) : null;
  return (
    <div className="k-page k-page-wide" data-testid="import-run" data-state={run.state}>
      <div style={{ marginBottom: 4 }}>
        <Link to={{ name: 'imports' }} testId="import-back">
          {`← ${t('imports.run.back')}`}
        </Link>
      </div>
      <PageTitle extra={<RunStateTag run={run} />}>{t('imports.run.title', { file: run.fileName })}</PageTitle>

      <RunFacts run={run} />

      {readJobId && (
        <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="import-read-title">
          <h2 className="k-section-title" id="import-read-title" style={{ marginTop: 0 }}>
            {t('imports.read.title')}
          </h2>
          <Stack gap="xs">
            <Text size="sm">{run.state === 'reading' ? t('imports.read.running') : t('imports.read.done', { records: formatNumber(run.records, lang), problems: formatNumber(run.problems, lang) })}</Text>
            {read.job && <JobProgress job={read.job} testId="import-read-job" formatCount={(n) => formatBytes(n, lang)} />}
          </Stack>
        </section>
      )}

      {blocked && (
        <Alert
          id="import-blocked"
          tabIndex={-1}
          color="red"
          variant="light"
          role="alert"
          mt="md"
          title={t('imports.blocked.title')}
          data-testid="import-blocked"
          data-code={run.blocked?.code}
          styles={{ title: { color: '#7d1212', fontSize: 16 }, message: { color: '#3b0d0d' }, root: { borderLeft: '4px solid #a61b1b' } }}
        >
          {msgText(blocked, t)}
        </Alert>
      )}

      <div aria-live="polite">
        {notice && (
          <Alert color={notice.warn ? 'orange' : 'green'} variant="light" mt="md" data-testid="import-notice" styles={{ message: { color: notice.warn ? '#3d2400' : '#14301b' } }}>
            {msgText(notice.msg, t)}
          </Alert>
        )}
      </div>
      {result && <ApplyResult result={result} />}

      {run.state === 'applying' && applyJobId && apply.job && (
        <section className="k-section" style={{ marginTop: 16 }} aria-label={t('imports.apply.title')}>
          <Text size="sm" mb="xs">
            {t('imports.apply.running')}
          </Text>
          <JobProgress job={apply.job} testId="import-apply-job-page" />
        </section>
      )}

      {(canApply(run) || canDiscard(run)) && (
        <Group gap="sm" mt="md" id="import-actions" tabIndex={-1} style={{ outline: 'none' }} aria-label={t('imports.review.title')} role="group">
          {run.state === 'ready' && (
            <Button onClick={openApply} disabled={!runnable} data-testid="import-apply">
              {t('imports.apply.button')}
            </Button>
          )}
          {canDiscard(run) && (
            <Button variant="default" onClick={openDiscard} data-testid="import-discard">
              {t('imports.discard.button')}
            </Button>
          )}
        </Group>
      )}

      {hasDryRun(run) ? (
        <Review run={run} exportProblems={exportProblems} />
      ) : (
        (run.state === 'applied' || run.state === 'discarded') && <Summary run={run} />
      )}

      {applying && (
        <ApplyDialog
          run={run}
          onClose={() => {
            setApplying(false);
            reload();
            focusActions();
          }}
          onDone={(r) => {
            setApplying(false);
            setResult(r);
            reload();
          }}
          onEnded={(m) => {
            setApplying(false);
            setNotice(m);
            reload();
            focusActions();
          }}
        />
      )}
      {discarding && (
        <DiscardDialog
          run={run}
          onClose={() => {
            setDiscarding(false);
            focusActions();
          }}
          onDone={() => {
            setDiscarding(false);
            setNotice({ msg: { key: 'imports.discard.done' } });
            reload();
            window.setTimeout(() => document.querySelector<HTMLElement>('[data-testid="import-run"] h1')?.focus(), 0);
          }}
        />
      )}
    </div>
  );
}

function RunFacts({ run }: { run: ImportRun }) {
  const { t, lang } = useT();
  // Until the file is read to the end its counts are unknown, not zero.
  const known = run.state !== 'reading' && run.blocked?.code !== 'cancelled' && run.blocked?.code !== 'internal';
  const n = (x: number) => (known ? formatNumber(x, lang) : '—');
  return (
    <section className="k-section" aria-labelledby="import-facts-title">
      <h2 className="k-section-title" id="import-facts-title" style={{ marginTop: 0 }}>
        {t('imports.run.facts')}
      </h2>
      <dl className="k-facts" data-testid="import-facts">
        <div>
          <dt>{t('imports.fact.format')}</dt>
          <dd>{t(`imports.format.${run.format}`)}</dd>
        </div>
        <div>
          <dt>{t('imports.fact.kind')}</dt>
          <dd>{run.kind ? t(`imports.fileKind.${run.kind}`) : <Dash />}</dd>
        </div>
        <div>
          <dt>{t('imports.fact.covers')}</dt>
          <dd className="k-nowrap">{run.covers ?? <Dash />}</dd>
        </div>
        <div>
          <dt>{t('imports.fact.records')}</dt>
          <dd className="k-num">{n(run.records)}</dd>
        </div>
        <div>
          <dt>{t('imports.fact.problems')}</dt>
          <dd className="k-num">
            {n(run.problems)}
            {known && run.skipped > 0 && ` (${t('imports.fact.skipped').toLocaleLowerCase()}: ${n(run.skipped)})`}
          </dd>
        </div>
        <div>
          <dt>{t('imports.fact.createdAt')}</dt>
          <dd className="k-num">{formatDateTime(run.createdAt, lang)}</dd>
        </div>
        <div>
          <dt>{t('imports.fact.createdBy')}</dt>
          <dd>{run.createdBy}</dd>
        </div>
        {run.appliedAt && (
          <div>
            <dt>{t('imports.fact.appliedAt')}</dt>
            <dd className="k-num">{formatDateTime(run.appliedAt, lang)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/** The counts of a run whose rows are gone (applied or discarded): per kind, with the total. */
function Summary({ run }: { run: ImportRun }) {
  const { t, lang } = useT();
  const kinds = kindsIn(run.counts);
  if (run.state === 'discarded') {
    // A read cancelled half-way has no dry run to speak of: what happened is the whole message.
    return (
      <Alert id="import-discarded" tabIndex={-1} color="gray" variant="light" mt="md" data-testid="import-discarded" styles={{ message: { color: 'var(--k-text)' } }}>
        <p style={{ margin: 0 }}>{run.blocked?.code === 'cancelled' ? t('imports.read.cancelled') : t('imports.discarded.note')}</p>
        {kinds.length > 0 && (
          <div style={{ marginTop: 10 }}>
            <CountsTable counts={run.counts} />
          </div>
        )}
      </Alert>
    );
  }
  return (
    <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="import-summary-title" data-testid="import-summary">
      <h2 className="k-section-title" id="import-summary-title" style={{ marginTop: 0 }}>
        {t('imports.summary.title')}
      </h2>
      <p style={{ marginTop: 0 }}>{t('imports.applied.note', { date: formatDateTime(run.appliedAt, lang) })}</p>
      {kinds.length > 0 && <CountsTable counts={run.counts} />}
    </section>
  );
}

interface CountRow {
  kind: string;
  count: number;
}

/** The rows per kind of change, with the total under the table. */
function CountsTable({ counts, testId = 'import-counts', exportable = true }: { counts: Record<string, number>; testId?: string; exportable?: boolean }) {
  const { t, lang } = useT();
  const rows = useMemo<CountRow[]>(() => kindsIn(counts).map((k) => ({ kind: k, count: counts[k] ?? 0 })), [counts]);
  const columns = useMemo<Column<CountRow>[]>(
    () => [
      { id: 'kind', header: t('imports.col.kindName'), cell: (r) => t(`imports.kind.${r.kind}` as TKey), text: (r) => t(`imports.kind.${r.kind}` as TKey) },
      { id: 'count', header: t('imports.col.count'), kind: 'number', cell: (r) => formatNumber(r.count, lang), text: (r) => r.count },
    ],
    [t, lang],
  );
  return (
    <div style={{ width: 'fit-content', minWidth: 360 }}>
      <DataTable
        id="import-counts"
        caption={t('imports.counts.caption')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.kind}
        testId={testId}
        rowProps={(r) => ({ 'data-kind': r.kind })}
        exportable={exportable}
        dense
        footer={
          <Group justify="space-between" className="k-counts-total" px={8} py={4} data-testid={`${testId}-total`}>
            <Text fw={600} size="sm">
              {t('imports.total')}
            </Text>
            <Text fw={600} size="sm" className="k-num">
              {formatNumber(totalOf(counts), lang)}
            </Text>
          </Group>
        }
      />
    </div>
  );
}

type ExportResult = { ok: true; file: string; rows: number } | { ok: false; error: Msg } | null;

function Review({ run, exportProblems }: { run: ImportRun; exportProblems: () => Promise<ExportResult> }) {
  const { t, lang } = useT();
  const kinds = kindsIn(run.counts);
  const total = totalOf(run.counts);
  // A file that could not be read shows its problems first: that is what the clerk has to act on.
  const [tab, setTab] = useState<ReviewTab>(() => (run.state === 'failed' || (total === 0 && run.problems > 0) ? 'problems' : 'all'));
  const tabs: { value: ReviewTab; label: string; count: number }[] = [
    { value: 'all', label: t('imports.tab.all'), count: total },
    ...kinds.map((k) => ({ value: k as ReviewTab, label: t(`imports.kind.${k}`), count: run.counts[k] ?? 0 })),
    { value: 'problems', label: t('imports.tab.problems'), count: run.problems },
  ];
  const [exp, setExp] = useState<{ busy: boolean; done?: { file: string; rows: number }; error?: Msg }>({ busy: false });
  const runExport = useCallback(async () => {
    setExp({ busy: true });
    const r = await exportProblems();
    setExp(r === null ? { busy: false } : r.ok ? { busy: false, done: { file: r.file, rows: r.rows } } : { busy: false, error: r.error });
  }, [exportProblems]);
  const canExport = run.problems > 0;
  useScreenAction(useMemo(() => (canExport ? { id: 'exportProblems' as const, label: 'imports.problems.export' as const, run: () => void runExport() } : null), [canExport, runExport]));

  return (
    <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="import-review-title" data-testid="import-review">
      <h2 className="k-section-title" id="import-review-title" tabIndex={-1} style={{ marginTop: 0, outline: 'none' }}>
        {t('imports.review.title')}
      </h2>
      <p className="k-lead" style={{ margin: '0 0 10px' }}>
        {t('imports.review.intro')}
      </p>
      <Tabs value={tab} onChange={(v) => v && setTab(v as ReviewTab)} keepMounted={false}>
        <Tabs.List aria-label={t('imports.review.tabs')} data-testid="import-tabs">
          {tabs.map((x) => (
            <Tabs.Tab key={x.value} value={x.value} data-testid={`import-tab-${x.value}`} data-count={x.count}>
              {x.label}{' '}
              <span className="k-tab-count">{formatNumber(x.count, lang)}</span>
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((x) => (
          <Tabs.Panel key={x.value} value={x.value} pt="sm">
            {x.value === 'problems' ? (
              <Stack gap="sm">
                <Group gap="sm" align="center">
                  <Button variant="default" leftSection={<IconDownload size={16} />} disabled={!canExport} loading={exp.busy} onClick={() => void runExport()} data-testid="import-problems-export">
                    {t('imports.problems.export')}
                  </Button>
                  <div aria-live="polite">
                    {exp.done && (
                      <Text size="sm" className="k-ok-line" style={{ margin: 0 }} data-testid="import-problems-exported">
                        {t('imports.problems.exported', { file: exp.done.file, rows: formatNumber(exp.done.rows, lang) })}
                      </Text>
                    )}
                  </div>
                </Group>
                {exp.error && <ErrorBox messages={[exp.error]} testId="import-problems-export-error" />}
                <ProblemsTable runId={run.id} total={run.problems} format={run.format} />
              </Stack>
            ) : total === 0 ? (
              <p className="k-empty" style={{ margin: 0 }} data-testid="import-no-changes">
                {t('imports.noChanges')}
              </p>
            ) : (
              <ChangesTable runId={run.id} tab={x.value} />
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
    </section>
  );
}

function ChangesTable({ runId, tab }: { runId: string; tab: ReviewTab }) {
  const { t, lang } = useT();
  const [offset, setOffset] = useState(0);
  const q = useQuery('import.changes', changesInput(runId, tab, offset));
  const last = useRef<{ items: ImportChange[]; total: number } | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  const onExport = useExportLog<ImportChange>('import.changes', changePersonIds);
  const columns = useMemo<Column<ImportChange>[]>(() => {
    // A value this reader may not see is said ("Skyddad") in the CSV and the print too, never left blank.
    const text = (c: ImportChange, side: 'before' | 'after') => (c.masked ? t('imports.masked') : changeValueText(c, side, t, lang));
    const value = (c: ImportChange, side: 'before' | 'after') => {
      if (c.masked) return <Masked />;
      const v = changeValueText(c, side, t, lang);
      return v === null || v === '' ? <Dash /> : v;
    };
    return [
      { id: 'person', header: t('imports.col.person'), cell: (c) => <PersonCell person={c.person} isNew={c.person.id === null} testId="import-change-person" />, text: (c) => personText(c.person) },
      { id: 'change', header: t('imports.col.change'), cell: (c) => <NeutralTag>{t(`imports.kind.${c.kind}`)}</NeutralTag>, text: (c) => t(`imports.kind.${c.kind}`) },
      { id: 'before', header: t('imports.col.before'), cell: (c) => <span data-testid="import-change-before">{value(c, 'before')}</span>, text: (c) => text(c, 'before') },
      { id: 'after', header: t('imports.col.after'), cell: (c) => <span data-testid="import-change-after">{value(c, 'after')}</span>, text: (c) => text(c, 'after') },
      { id: 'from', header: t('imports.col.from'), kind: 'date', cell: (c) => (c.from ? <DateText value={c.from} /> : <Dash />), text: (c) => c.from },
      { id: 'line', header: t('imports.col.line'), kind: 'number', cell: (c) => formatNumber(c.line, lang), text: (c) => c.line, optional: true },
    ];
  }, [t, lang]);
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!data) return <Loading />;
  return (
    <div aria-busy={q.loading}>
      <DataTable
        id="import-changes"
        caption={t('imports.changes.caption')}
        columns={columns}
        rows={data.items}
        rowKey={(c) => String(c.seq)}
        onExport={onExport}
        testId="import-changes"
        rowTestId="import-change"
        rowProps={(c) => ({ 'data-kind': c.kind, 'data-masked': c.masked ? 'true' : undefined })}
        toolbar={<Pager offset={offset} count={data.items.length} total={data.total} pageSize={CHANGES_PAGE_SIZE} onOffset={setOffset} testId="import-changes" />}
        dense
      />
    </div>
  );
}

const changePersonIds = (c: ImportChange) => [c.person.id];
const noPersons = () => [];

function ProblemsTable({ runId, total, format }: { runId: string; total: number; format: ImportRun['format'] }) {
  const { t, lang } = useT();
  const { today } = useSession();
  const [offset, setOffset] = useState(0);
  const q = useQuery('import.problems', total > 0 ? { id: runId, lang, offset, limit: PROBLEMS_PAGE_SIZE } : null);
  const last = useRef<{ items: ImportProblem[]; total: number } | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  // The records are named by the numbers the file has; printing them is logged like any list of persons.
  const onExport = useExportLog<ImportProblem & { key: string }>('import.problems', noPersons);
  const columns = useMemo<Column<ImportProblem & { key: string }>[]>(
    () => [
      { id: 'line', header: t('imports.problems.col.line'), kind: 'number', cell: (p) => formatNumber(p.line, lang), text: (p) => p.line },
      { id: 'column', header: t('imports.problems.col.column'), kind: 'number', cell: (p) => formatNumber(p.column, lang), text: (p) => p.column },
      {
        id: 'element',
        header: t(format === 'csv' ? 'imports.problems.col.heading' : 'imports.problems.col.element'),
        cell: (p) => <span className={format === 'csv' ? undefined : 'k-mono'}>{problemElementText(p.element, format) ?? <Dash />}</span>,
        text: (p) => problemElementText(p.element, format),
      },
      { id: 'reason', header: t('imports.problems.col.reason'), cell: (p) => p.reason, text: (p) => p.reason },
      {
        id: 'subject',
        header: t('imports.problems.col.subject'),
        kind: 'code',
        cell: (p) => <span className="k-mono">{p.severity === 'file' ? <span className="k-tag k-tag-warn">{t('imports.problems.fileLevel')}</span> : (problemSubjectText(p.subject, today) ?? <Dash />)}</span>,
        text: (p) => (p.severity === 'file' ? t('imports.problems.fileLevel') : problemSubjectText(p.subject, today)),
      },
    ],
    [t, lang, format, today],
  );
  if (total === 0)
    return (
      <p className="k-empty" style={{ margin: 0 }} data-testid="import-problems-none">
        {t('imports.problems.none')}
      </p>
    );
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!data) return <Loading />;
  return (
    <div aria-busy={q.loading}>
      <Text size="sm" c="dimmed" maw={760} mb={6}>
        {t('imports.problems.note')}
      </Text>
      <DataTable
        id="import-problems"
        caption={t('imports.problems.caption')}
        columns={columns}
        rows={data.items.map((p, i) => ({ ...p, key: String(offset + i) }))}
        rowKey={(p) => p.key}
        onExport={onExport}
        testId="import-problems"
        rowTestId="import-problem"
        rowProps={(p) => ({ 'data-severity': p.severity })}
        toolbar={<Pager offset={offset} count={data.items.length} total={data.total} pageSize={PROBLEMS_PAGE_SIZE} onOffset={setOffset} testId="import-problems" />}
        dense
      />
    </div>
  );
}

/**
 * Confirms, then follows the apply job in the dialog (all of the file in one transaction: Cancel leaves the
 * register as it was). A refusal inside the job (another file was applied meanwhile) reads the run again.
 */
function ApplyDialog(props: { run: ImportRun; onClose: () => void; onDone: (r: Result) => void; onEnded: (n: Notice) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  // Nothing to type: the form is the confirmation itself (Enter or Ctrl+S applies, Esc closes).
  const f = useForm({}, { mapError: (e) => ({ fields: {}, top: [toFieldError(applyError(e))] }) });
  const [jobId, setJobId] = useState<string | null>(null);
  const { job } = useJob(jobId);
  const { onDone, onEnded } = props;
  useEffect(() => {
    if (!job || !jobEnded(job)) return;
    if (job.state === 'succeeded') onDone(applySummary(job.result));
    else if (job.state === 'cancelled') onEnded({ msg: { key: 'imports.apply.cancelled' }, warn: true });
    else if (job.error?.rule === 'import_out_of_order' || job.error?.rule === 'import_state') onEnded({ msg: { key: 'imports.apply.failed' }, warn: true });
    else onEnded({ msg: job.error?.code === 'busy' ? { key: 'error.busy' } : { key: 'imports.apply.failed' }, warn: true });
  }, [job, onDone, onEnded]);
  const submit = async () => {
    if (jobId) return;
    const r = await f.submit(() => api.tryCall('import.apply', { id: props.run.id }));
    if (r) setJobId(r.jobId);
  };
  // The action has the focus when the dialog opens (there is no field to start in).
  useFocusOnOpen('[data-testid="import-apply-dialog"] [data-testid="save"]');
  const total = totalOf(props.run.counts);
  return (
    <FormDialog form={f} title={t('imports.apply.title')} size="lg" testId="import-apply-dialog" onSubmit={() => void submit()} onClose={props.onClose} submitLabel={t('imports.apply.submit')} disabled={jobId !== null}>
      <Stack gap="xs" mb="sm">
        <Text>{t('imports.apply.text', { file: props.run.fileName })}</Text>
        {total > 0 ? <CountsTable counts={props.run.counts} testId="import-apply-counts" exportable={false} /> : <Text className="k-empty">{t('imports.noChanges')}</Text>}
        <Text fw={600} data-testid="import-apply-total">
          {t('imports.apply.total', { count: total, formatted: formatNumber(total, lang) })}
        </Text>
        <Text size="sm">{t('imports.apply.workList')}</Text>
        {jobId ? (
          <>
            <Text size="sm">{t('imports.apply.running')}</Text>
            {job && <JobProgress job={job} testId="import-apply-job" />}
          </>
        ) : (
          <Text size="sm" fw={600}>
            {t('imports.apply.cancelNote')}
          </Text>
        )}
      </Stack>
    </FormDialog>
  );
}

/** Puts the focus on `selector` once a dialog's own focus trap has placed it (a dialog without fields). */
function useFocusOnOpen(selector: string) {
  useEffect(() => {
    const timer = window.setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus(), 60);
    return () => window.clearTimeout(timer);
  }, [selector]);
}

function applyError(e: ApiError): Msg {
  if (e.code === 'busy') return { key: 'error.busy' };
  if (e.code === 'rule_violation' && e.rule === 'import_out_of_order') return { key: 'imports.apply.failed' };
  return generalMsg(e, hasKey);
}

function ApplyResult({ result }: { result: Result }) {
  const { t, lang } = useT();
  const f = (count: number) => ({ count, formatted: formatNumber(count, lang) });
  // Focus moves to the result once it is on screen: the dialog that had the focus is gone in the same render.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="green"
      variant="light"
      role="status"
      mt="md"
      title={t('imports.result.title')}
      data-testid="import-result"
      styles={{ title: { color: '#1f4d2b' }, message: { color: '#14301b' } }}
    >
      <p style={{ margin: '0 0 8px' }}>
        {t('imports.result.changes', f(result.changes))} {t('imports.result.persons', f(result.persons))} {t('imports.result.work', f(result.workItems))}
      </p>
      <Button size="sm" onClick={() => navigate({ name: 'worklist' })} data-testid="import-go-worklist">
        {t('imports.result.goWorklist')}
      </Button>
    </Alert>
  );
}

function DiscardDialog(props: { run: ImportRun; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => ({ fields: {}, top: [toFieldError(generalMsg(e, hasKey))] }) });
  const submit = async () => {
    const r = await f.submit(() => api.tryCall('import.discard', { id: props.run.id }));
    if (r) props.onDone();
  };
  // Throwing away is not undone: the focus starts on Cancel.
  useFocusOnOpen('[data-testid="import-discard-dialog"] [data-testid="cancel"]');
  return (
    <FormDialog form={f} title={t('imports.discard.title')} size="md" testId="import-discard-dialog" onSubmit={() => void submit()} onClose={props.onClose} submitLabel={t('imports.discard.submit')} danger>
      <p style={{ marginTop: 0 }}>{t('imports.discard.text', { file: props.run.fileName })}</p>
    </FormDialog>
  );
}
