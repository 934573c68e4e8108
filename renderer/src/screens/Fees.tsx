/**
 * Fees (Avgifter): the fee runs, newest first, and a new run. A new run is a month (next month to begin with)
 * and a kind (a regular run, or a credit-note run: a separate run of corrections only); starting it opens
 * the run's own page, which follows the preview job's progress (FeeRun.tsx): the page has an address, so a
 * reload or another window finds the same run.
 */
import { Group, NativeSelect, Radio, Stack, Text } from '@mantine/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { ErrorState, Link, Loading, PageTitle } from '../components/common';
import { DataTable, FormPage, releaseLeaveGuard, useForm, type Column } from '../kit';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import { FEE_RUN_KINDS, type FeeRunKind, type FeeRunView } from '../lib/domain';
import { mapFeeError, newRunDefaults, runMonths, RUNS_PAGE_SIZE, validateNewRun, type NewRunValues } from '../lib/fees';
import { formatDateTime, formatMonth, formatNumber } from '../lib/format';
import { useT } from '../lib/i18n';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { rememberRunStartedHere } from './FeeRun';
import { Money, RunKindTag, RunStateTag, useMoney } from './fees/common';
import { Pager } from './office/common';
import './fees/fees.css';

export function FeesScreen() {
  const { t } = useT();
  const session = useSession();
  const canWrite = session.can('fee.write');
  const [offset, setOffset] = useState(0);
  const q = useQuery('fee.runList', { offset, limit: RUNS_PAGE_SIZE });
  // The last page stays on screen while the next one loads.
  const last = useRef<{ items: FeeRunView[]; total: number } | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  const focusNew = useCallback(() => document.querySelector<HTMLElement>('#fee-run-month')?.focus(), []);
  useScreenAction(useMemo(() => (canWrite ? { id: 'newFeeRun' as const, label: 'fees.new.title' as const, run: focusNew, group: 'create' as const } : null), [canWrite, focusNew]));
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: q.reload }), [q.reload]));

  return (
    <div className="k-page k-page-wide" data-testid="fees-screen">
      <PageTitle>{t('fees.title')}</PageTitle>
      <p className="k-lead">{t('fees.intro')}</p>
      {canWrite && <NewRun />}
      <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="fee-runs-title" aria-busy={q.loading}>
        <Group justify="space-between" mb={8} wrap="nowrap">
          <h2 className="k-section-title" id="fee-runs-title" style={{ margin: 0 }}>
            {t('fees.runs.title')}
          </h2>
          {data && data.total > 0 && <Pager offset={offset} count={data.items.length} total={data.total} pageSize={RUNS_PAGE_SIZE} onOffset={setOffset} testId="fee-runs" />}
        </Group>
        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Loading />
        ) : data.items.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }} data-testid="fee-runs-empty">
            {t('fees.runs.empty')}
          </p>
        ) : (
          <>
            <RunsTable runs={data.items} />
            <Text size="sm" c="dimmed" mt={6}>
              {t('table.keysHint')}
            </Text>
          </>
        )}
      </section>
    </div>
  );
}

function RunsTable({ runs }: { runs: readonly FeeRunView[] }) {
  const { t, lang } = useT();
  const money = useMoney();
  const columns = useMemo<Column<FeeRunView>[]>(
    () => [
      {
        id: 'month',
        header: t('fees.col.month'),
        cell: (r) => (
          <span className="k-nowrap">
            <Link to={{ name: 'feeRun', id: r.id }} testId="fee-run-open">
              {formatMonth(r.month, lang)}
            </Link>
          </span>
        ),
        text: (r) => r.month,
        rowHeader: true,
      },
      { id: 'kind', header: t('fees.col.kind'), cell: (r) => <RunKindTag kind={r.kind} />, text: (r) => t(`fees.kind.${r.kind}`) },
      { id: 'state', header: t('fees.col.state'), cell: (r) => <RunStateTag state={r.state} />, text: (r) => t(`fees.state.${r.state}`) },
      { id: 'lines', header: t('fees.col.lines'), kind: 'number', cell: (r) => formatNumber(r.lineCount, lang), text: (r) => r.lineCount },
      { id: 'total', header: t('fees.col.total'), kind: 'number', cell: (r) => <Money ore={r.total} />, text: (r) => money(r.total) },
      { id: 'createdBy', header: t('fees.col.createdBy'), cell: (r) => r.createdByName, text: (r) => r.createdByName },
      { id: 'createdAt', header: t('fees.col.createdAt'), kind: 'date', cell: (r) => formatDateTime(r.createdAt, lang), text: (r) => r.createdAt },
      { id: 'lockedAt', header: t('fees.col.lockedAt'), kind: 'date', cell: (r) => formatDateTime(r.lockedAt, lang), text: (r) => r.lockedAt, optional: true, hiddenByDefault: true },
      { id: 'postedAt', header: t('fees.col.postedAt'), kind: 'date', cell: (r) => formatDateTime(r.postedAt, lang), text: (r) => r.postedAt, optional: true, hiddenByDefault: true },
    ],
    [t, lang, money],
  );
  return (
    <DataTable
      id="fee-runs"
      caption={t('fees.runs.caption')}
      columns={columns}
      rows={runs}
      rowKey={(r) => r.id}
      onOpen={(r) => navigate({ name: 'feeRun', id: r.id })}
      testId="fee-runs-table"
      rowTestId="fee-run-row"
      rowProps={(r) => ({ 'data-state': r.state, 'data-run-id': r.id, 'data-month': r.month })}
      // The core's order (newest first) is the one that matters; sorting a page would only mislead.
      sort={null}
      onSortChange={() => undefined}
      dense
    />
  );
}

/** A new run: the month (a list of months, next month chosen) and the kind; Enter or Ctrl+S starts it. */
function NewRun() {
  const { t, lang } = useT();
  const api = useApi();
  const { today } = useSession();
  const initial = useMemo(() => newRunDefaults(today), [today]);
  const months = useMemo(() => runMonths(today), [today]);
  const f = useForm<NewRunValues>(initial, {
    validate: validateNewRun,
    mapError: (e) => mapFeeError(e, (p) => (p === 'month' || p === 'kind' ? p : null)),
  });
  const { v } = f;
  const start = async () => {
    const r = await f.submit(() => api.tryCall('fee.runStart', { month: v.month, kind: v.kind }));
    if (!r) return;
    rememberRunStartedHere(r.runId);
    releaseLeaveGuard();
    navigate({ name: 'feeRun', id: r.runId });
  };
  return (
    <section className="k-section" aria-labelledby="fee-new-title" data-testid="fee-new">
      <h2 className="k-section-title" id="fee-new-title" style={{ marginTop: 0 }}>
        {t('fees.new.title')}
      </h2>
      <FormPage
        // Choosing a month is no unsaved work worth a question when leaving.
        form={{ ...f, dirty: false }}
        label={t('fees.new.title')}
        onSubmit={() => void start()}
        onLeave={() => f.reset(initial)}
        actions={{ submitLabel: t('fees.new.start') }}
      >
        <Group align="flex-start" gap="xl" wrap="wrap">
          <NativeSelect
            id="fee-run-month"
            label={t('fees.new.month')}
            description={t('fees.new.monthHint')}
            value={v.month}
            onChange={(e) => f.set('month', e.currentTarget.value)}
            data={months.map((m) => ({ value: m, label: formatMonth(m, lang) }))}
            w={240}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('month')}
            data-testid="fee-run-month"
          />
          <Radio.Group label={t('fees.new.kind')} value={v.kind} onChange={(x) => f.set('kind', x as FeeRunKind)} {...f.field('kind')} data-testid="fee-run-kind">
            <Stack gap={6} mt={6}>
              {FEE_RUN_KINDS.map((k) => (
                <Radio key={k} value={k} label={t(`fees.kind.${k}`)} description={t(`fees.kindHint.${k}`)} data-testid={`fee-run-kind-${k}`} />
              ))}
            </Stack>
          </Radio.Group>
        </Group>
      </FormPage>
    </section>
  );
}
