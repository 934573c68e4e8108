/**
 * One fee run: the preview job's progress while it computes, then the run's state and totals, the summary
 * (per unit, form and local rule; the corrections; the warnings by code, each opening its paged list with
 * the children's and guardians' names; the difference from the previous run), and the lines, a page at a
 * time, with the explanation of the line the focus is on beside them.
 *
 * Actions by the run's state, as buttons and in the palette: Lock (a ready preview; a job that computes the
 * month again and refuses when anything changed since: `fee_preview_stale`, then the reason is shown and the
 * month can be computed again), Discard (a preview), Post (a locked run), Export (a locked run: the CSV in a
 * saved layout, the UBL invoices as a ZIP, the payment basis) → the file downloads.
 */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorState, Link, Loading, PageTitle } from '../components/common';
import { IconDownload } from '../components/icons';
import { jobEnded, JobProgress, useJob } from '../components/JobProgress';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import type { FeeRunView } from '../lib/domain';
import { feeErrorMsg, isStale, runActions, wasCancelled, type Msg } from '../lib/fees';
import { formatDateTime, formatMonth, formatNumber } from '../lib/format';
import { useT } from '../lib/i18n';
import { msgText } from '../lib/office';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { Money, RunKindTag, RunStateTag } from './fees/common';
import { ExportDialog, LockDialog, SimpleActionDialog, type Notice } from './fees/RunDialogs';
import { Lines } from './fees/RunLines';
import { Summary } from './fees/RunSummary';
import { Dash, ErrorBox } from './office/common';
import './fees/fees.css';

/** Runs started in this window keep their preview job's finished bar above the summary (it was computed to the end). */
const startedHere = new Set<string>();
export const rememberRunStartedHere = (runId: string): void => {
  startedHere.add(runId);
};

type Open = 'lock' | 'discard' | 'post' | 'export' | null;

export function FeeRunScreen({ id }: { id: string }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const canWrite = session.can('fee.write');
  const q = useQuery('fee.runGet', { id });
  const last = useRef<FeeRunView | null>(null);
  if (q.data) last.current = q.data;
  const run = q.data ?? last.current;
  const reload = q.reload;
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [recomputing, setRecomputing] = useState<{ busy: boolean; error?: Msg }>({ busy: false });

  // The preview job: followed while it runs, and kept in view for a run started in this window.
  const previewJobId = run && (run.state === 'computing' || (startedHere.has(run.id) && (run.state === 'ready' || run.state === 'failed'))) ? run.jobId : null;
  const preview = useJob(previewJobId);
  // A lock that outlived its dialog (the page was reloaded meanwhile) is followed on the page.
  const lockJobId = run && run.state === 'locking' && open !== 'lock' ? run.lockJobId : null;
  const lock = useJob(lockJobId);
  const previewEnded = jobEnded(preview.job);
  const lockEnded = jobEnded(lock.job);
  useEffect(() => {
    if (previewEnded && run?.state === 'computing') reload();
  }, [previewEnded, run?.state, reload]);
  useEffect(() => {
    if (lockEnded && run?.state === 'locking') reload();
  }, [lockEnded, run?.state, reload]);

  // The preview ends while the focus is on its Cancel button, which then disappears: the focus goes to the
  // run's summary (or why it stopped), not to the page body.
  const prevState = useRef(run?.state);
  useEffect(() => {
    const was = prevState.current;
    prevState.current = run?.state;
    if (was !== 'computing' || !run || run.state === 'computing') return;
    const active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    window.setTimeout(() => (document.getElementById('fee-run-failed') ?? document.getElementById('fee-summary-title') ?? document.querySelector<HTMLElement>('[data-testid="fee-run"] h1'))?.focus(), 0);
  }, [run]);

  // The lock came back refused as stale: the reason (with "compute again") takes the focus.
  const staleNow = run ? isStale(run) : false;
  const wasStale = useRef(staleNow);
  useEffect(() => {
    if (staleNow && !wasStale.current) window.setTimeout(() => document.getElementById('fee-run-stale')?.focus(), 0);
    wasStale.current = staleNow;
  }, [staleNow]);

  const actions = run ? runActions(run, canWrite) : { lock: false, discard: false, post: false, export: false, recompute: false };
  // A dialog opens only when its action fits the run's state (the palette and the buttons alike).
  const opener = useCallback(
    (which: Exclude<Open, null>, allowed: boolean) => () => {
      if (!allowed) return;
      if (which === 'lock' || which === 'post') setNotice(null);
      setOpen(which);
    },
    [],
  );
  const openLock = useMemo(() => opener('lock', actions.lock), [opener, actions.lock]);
  const openDiscard = useMemo(() => opener('discard', actions.discard), [opener, actions.discard]);
  const openPost = useMemo(() => opener('post', actions.post), [opener, actions.post]);
  const openExport = useMemo(() => opener('export', actions.export), [opener, actions.export]);
  useScreenAction(useMemo(() => (actions.lock ? { id: 'lockFeeRun' as const, label: 'fees.lock.button' as const, run: openLock } : null), [actions.lock, openLock]));
  useScreenAction(useMemo(() => (actions.post ? { id: 'postFeeRun' as const, label: 'fees.post.button' as const, run: openPost } : null), [actions.post, openPost]));
  useScreenAction(useMemo(() => (actions.export ? { id: 'exportFeeRun' as const, label: 'fees.export.button' as const, run: openExport } : null), [actions.export, openExport]));
  useScreenAction(useMemo(() => (actions.discard ? { id: 'discardFeeRun' as const, label: 'fees.discard.button' as const, run: openDiscard } : null), [actions.discard, openDiscard]));

  /** The month computed again: this preview (which can no longer be locked) is discarded, a new one starts. */
  const recompute = useCallback(async () => {
    if (!run) return;
    setRecomputing({ busy: true });
    const d = await api.tryCall('fee.runDiscard', { id: run.id });
    if (!d.ok && !(d.error.code === 'rule_violation' && d.error.rule === 'fee_run_state')) {
      setRecomputing({ busy: false, error: feeErrorMsg(d.error) });
      return;
    }
    const r = await api.tryCall('fee.runStart', { month: run.month, kind: run.kind });
    if (!r.ok) {
      setRecomputing({ busy: false, error: feeErrorMsg(r.error) });
      reload();
      return;
    }
    setRecomputing({ busy: false });
    rememberRunStartedHere(r.data.runId);
    navigate({ name: 'feeRun', id: r.data.runId });
  }, [api, run, reload]);

  // Back from a dialog: to the button that opened it, or the first action there is.
  const focusActions = (testId?: string) =>
    window.setTimeout(
      () =>
        (
          (testId ? document.querySelector<HTMLElement>(`[data-testid="${testId}"]:not([disabled])`) : null) ??
          document.querySelector<HTMLElement>('#fee-run-actions button:not([disabled])') ??
          document.querySelector<HTMLElement>('[data-testid="fee-run"] h1')
        )?.focus(),
      0,
    );

  if (!run) {
    return (
      <div className="k-page k-page-wide" data-testid="fee-run">
        <PageTitle>{t('fees.title')}</PageTitle>
        {q.error ? <ErrorState error={q.error} onRetry={q.reload} /> : <Loading />}
      </div>
    );
  }

  const stale = isStale(run);
  const shownActions = actions.lock || actions.post || actions.export || actions.discard;
  return (
    <div className="k-page k-page-wide" data-testid="fee-run" data-state={run.state} data-run-id={run.id}>
      <div style={{ marginBottom: 4 }}>
        <Link to={{ name: 'fees' }} testId="fee-run-back">
          {`← ${t('fees.run.back')}`}
        </Link>
      </div>
      <PageTitle
        extra={
          <Group gap={6}>
            <RunStateTag state={run.state} />
            <RunKindTag kind={run.kind} />
          </Group>
        }
      >
        {t(run.kind === 'credit_note' ? 'fees.run.titleCredit' : 'fees.run.title', { month: formatMonth(run.month, lang) })}
      </PageTitle>

      <RunFacts run={run} />

      {previewJobId && (
        <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="fee-compute-title" data-testid="fee-compute">
          <h2 className="k-section-title" id="fee-compute-title" style={{ marginTop: 0 }}>
            {t('fees.compute.title')}
          </h2>
          <Stack gap="xs">
            <Text size="sm">{run.state === 'computing' ? t('fees.compute.running') : t('fees.compute.done', { lines: formatNumber(run.lineCount, lang) })}</Text>
            {preview.job ? <JobProgress job={preview.job} testId="fee-preview-job" /> : <Loading />}
          </Stack>
        </section>
      )}
      {run.state === 'locking' && lockJobId && (
        <section className="k-section" style={{ marginTop: 16 }} aria-label={t('fees.lock.title')}>
          <Text size="sm" mb="xs">
            {t('fees.lock.running')}
          </Text>
          {lock.job ? <JobProgress job={lock.job} testId="fee-lock-job-page" /> : <Loading />}
        </section>
      )}

      {run.state === 'failed' && (
        <Alert
          id="fee-run-failed"
          tabIndex={-1}
          color="red"
          variant="light"
          role="alert"
          mt="md"
          title={t(wasCancelled(run) ? 'fees.failed.cancelledTitle' : 'fees.failed.title')}
          data-testid="fee-run-failed"
          styles={{ title: { color: '#7d1212' }, message: { color: '#3b0d0d' } }}
        >
          <p style={{ margin: 0 }}>{t(wasCancelled(run) ? 'fees.failed.cancelled' : 'fees.failed.text')}</p>
          {actions.recompute && (
            <Button mt="sm" variant="default" loading={recomputing.busy} onClick={() => void recompute()} data-testid="fee-recompute">
              {t('fees.recompute')}
            </Button>
          )}
        </Alert>
      )}
      {stale && (
        <Alert
          id="fee-run-stale"
          tabIndex={-1}
          color="orange"
          variant="light"
          role="alert"
          mt="md"
          title={t('fees.stale.title')}
          data-testid="fee-run-stale"
          styles={{ title: { color: '#6d3a00' }, message: { color: '#3d2400' } }}
        >
          <p style={{ margin: 0 }}>{t('fees.stale.text')}</p>
          {actions.recompute && (
            <Button mt="sm" loading={recomputing.busy} onClick={() => void recompute()} data-testid="fee-recompute">
              {t('fees.recompute')}
            </Button>
          )}
        </Alert>
      )}
      {recomputing.error && (
        <div style={{ marginTop: 12 }}>
          <ErrorBox messages={[recomputing.error]} testId="fee-recompute-error" />
        </div>
      )}
      <div aria-live="polite">
        {notice && (
          <Alert color={notice.tone === 'ok' ? 'green' : 'orange'} variant="light" mt="md" data-testid="fee-run-notice" styles={{ message: { color: notice.tone === 'ok' ? '#14301b' : '#3d2400' } }}>
            {msgText(notice.msg, t)}
          </Alert>
        )}
      </div>

      {shownActions && (
        <Group gap="sm" mt="md" id="fee-run-actions" role="group" aria-label={t('fees.run.actions')}>
          {actions.lock && (
            <Button onClick={openLock} disabled={stale} data-testid="fee-lock">
              {t('fees.lock.button')}
            </Button>
          )}
          {actions.post && (
            <Button onClick={openPost} data-testid="fee-post">
              {t('fees.post.button')}
            </Button>
          )}
          {actions.export && (
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={openExport} data-testid="fee-export">
              {t('fees.export.button')}
            </Button>
          )}
          {actions.discard && (
            <Button variant="outline" color="red" c="#a61b1b" style={{ borderColor: '#a61b1b' }} onClick={openDiscard} data-testid="fee-discard">
              {t('fees.discard.button')}
            </Button>
          )}
        </Group>
      )}

      {run.summary && run.state !== 'discarded' && <Summary run={run} summary={run.summary} />}
      {run.state !== 'computing' && run.state !== 'failed' && run.state !== 'discarded' && run.lineCount > 0 && <Lines run={run} stale={staleNow} />}
      {run.summary && run.lineCount === 0 && run.state !== 'discarded' && (
        <p className="k-empty" style={{ marginTop: 16 }} data-testid="fee-no-lines">
          {t('fees.lines.none')}
        </p>
      )}

      {open === 'lock' && (
        <LockDialog
          run={run}
          onClose={() => {
            setOpen(null);
            reload();
            focusActions('fee-lock');
          }}
          onEnded={(n) => {
            setOpen(null);
            setNotice(n);
            reload();
            focusActions();
          }}
        />
      )}
      {open === 'discard' && (
        <SimpleActionDialog
          kind="discard"
          run={run}
          onClose={() => {
            setOpen(null);
            focusActions('fee-discard');
          }}
          onDone={() => {
            setOpen(null);
            setNotice({ msg: { key: 'fees.discard.done' }, tone: 'ok' });
            reload();
            window.setTimeout(() => document.querySelector<HTMLElement>('[data-testid="fee-run"] h1')?.focus(), 0);
          }}
        />
      )}
      {open === 'post' && (
        <SimpleActionDialog
          kind="post"
          run={run}
          onClose={() => {
            setOpen(null);
            focusActions('fee-post');
          }}
          onDone={() => {
            setOpen(null);
            setNotice({ msg: { key: 'fees.post.done' }, tone: 'ok' });
            reload();
            focusActions('fee-export');
          }}
        />
      )}
      {open === 'export' && (
        <ExportDialog
          run={run}
          onClose={() => {
            setOpen(null);
            focusActions('fee-export');
          }}
          onDone={(n) => {
            setOpen(null);
            setNotice(n);
            focusActions('fee-export');
          }}
        />
      )}
    </div>
  );
}

function RunFacts({ run }: { run: FeeRunView }) {
  const { t, lang } = useT();
  const known = run.state !== 'computing' && run.state !== 'failed';
  return (
    <section className="k-section" aria-labelledby="fee-facts-title">
      <h2 className="k-section-title" id="fee-facts-title" style={{ marginTop: 0 }}>
        {t('fees.run.facts')}
      </h2>
      <dl className="k-facts" data-testid="fee-facts">
        <div>
          <dt>{t('fees.col.month')}</dt>
          <dd>{formatMonth(run.month, lang)}</dd>
        </div>
        <div>
          <dt>{t('fees.col.kind')}</dt>
          <dd>{t(`fees.kind.${run.kind}`)}</dd>
        </div>
        <div>
          <dt>{t('fees.col.state')}</dt>
          <dd data-testid="fee-facts-state">{t(`fees.state.${run.state}`)}</dd>
        </div>
        <div>
          <dt>{t('fees.col.lines')}</dt>
          <dd className="k-num" data-testid="fee-facts-lines">
            {known ? formatNumber(run.lineCount, lang) : <Dash />}
          </dd>
        </div>
        <div>
          <dt>{t('fees.col.total')}</dt>
          <dd data-testid="fee-facts-total">{known ? <Money ore={run.total} strong /> : <Dash />}</dd>
        </div>
        <div>
          <dt>{t('fees.col.createdBy')}</dt>
          <dd>{run.createdByName}</dd>
        </div>
        <div>
          <dt>{t('fees.col.createdAt')}</dt>
          <dd className="k-num">{formatDateTime(run.createdAt, lang)}</dd>
        </div>
        {run.lockedAt && (
          <div>
            <dt>{t('fees.col.lockedAt')}</dt>
            <dd className="k-num">{formatDateTime(run.lockedAt, lang)}</dd>
          </div>
        )}
        {run.postedAt && (
          <div>
            <dt>{t('fees.col.postedAt')}</dt>
            <dd className="k-num">{formatDateTime(run.postedAt, lang)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
