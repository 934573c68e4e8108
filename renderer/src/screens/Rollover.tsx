/**
 * The year rollover (läsårsskifte / skoleårsskifte): on one date every class moves up a year, pupils in
 * the last grade leave, preschool-class pupils start school. The clerk previews first (counts per unit,
 * then every pupil, paged and filterable) and commits with an explicit confirmation. The commit carries
 * the preview's token: if the register changed in between, the core refuses (`rollover_stale`) and the
 * preview is run again for the clerk to check.
 */
import { Alert, Button, Group, MultiSelect, NativeSelect, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ROLLOVER_ACTIONS } from '../../../shared/domain/care';
import { ErrorState, PageTitle } from '../components/common';
import { DateField } from '../components/DateField';
import { jobEnded, JobProgress, useJob } from '../components/JobProgress';
import { useScreenAction } from '../lib/actions';
import { useApi } from '../lib/api';
import { formatDate, formatNumber, isValidIsoDate } from '../lib/format';
import { useT } from '../lib/i18n';
import {
  comingSchoolYearStart,
  isRolloverAction,
  ROLLOVER_PAGE_SIZE,
  rolloverCommitInput,
  rolloverHasChanges,
  rolloverPreviewInput,
  rolloverUnitOptions,
  sameScope,
  serverErrors,
  type Msg,
  type MsgFields,
  type RolloverAction,
  type RolloverPreview,
  type RolloverRow,
  type RolloverScope,
} from '../lib/office';
import { useSession } from '../lib/session';
import { DataTable, FormDialog, useExportLog, useForm, type Column } from '../kit';
import './lists.css';
import type { ApiError } from '../../../shared/api/transport';
import { useOrgTree } from './Org';
import { Dash, hasKey, HiddenProtected, Pager, PersonName, useMsg } from './office/common';

interface RowsFilter {
  unitId: string | null;
  action: RolloverAction | null;
  offset: number;
}
interface Shown {
  scope: RolloverScope;
  rows: RowsFilter;
  data: RolloverPreview;
}
/** The job's result (`rollover.commit` runs as a job; see core/placements/rollover-job.ts). */
type CommitResult = { promoted: number; leavers: number; groupsCreated: number; date: string };

const NO_FILTER: RowsFilter = { unitId: null, action: null, offset: 0 };
const fieldOf = (p: string): string | null => (p === 'date' || p === 'unitIds' ? p : p.startsWith('unitIds.') ? 'unitIds' : null);

export function RolloverScreen() {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const msg = useMsg();
  const tree = useOrgTree();
  const unitOptions = useMemo(() => rolloverUnitOptions(tree.data, session.roles), [tree.data, session.roles]);

  const [date, setDate] = useState(() => comingSchoolYearStart(session.today));
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<MsgFields>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<Msg | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<CommitResult | null>(null);
  const seq = useRef(0);

  const scope: RolloverScope = { date, unitIds };
  const outdated = shown !== null && !sameScope(shown.scope, scope);

  const preview = useCallback(
    async (sc: RolloverScope, rows: RowsFilter): Promise<boolean> => {
      const mine = ++seq.current;
      setBusy(true);
      setFailure(null);
      const r = await api.tryCall('rollover.preview', rolloverPreviewInput(sc, rows));
      if (mine !== seq.current) return false;
      setBusy(false);
      if (r.ok) {
        setErrors({});
        setShown({ scope: sc, rows, data: r.data });
        return true;
      }
      const mapped = serverErrors(r.error, fieldOf, hasKey);
      setErrors(mapped.fields);
      if (Object.keys(mapped.fields).length === 0) setFailure(r.error);
      return false;
    },
    [api],
  );

  const runPreview = useCallback(() => {
    if (!isValidIsoDate(date)) {
      setErrors({ date: { key: date ? 'validation.date_invalid' : 'validation.required' } });
      document.getElementById('rollover-date')?.focus();
      return;
    }
    setNotice(null);
    setResult(null);
    void preview({ date, unitIds: [...unitIds] }, NO_FILTER);
  }, [date, unitIds, preview]);

  const canCommit = shown !== null && !outdated && !busy && rolloverHasChanges(shown.data) && session.can('placement.rollover');
  const openConfirm = useCallback(() => {
    if (canCommit) setConfirming(true);
  }, [canCommit]);

  useScreenAction(useMemo(() => ({ id: 'preview' as const, label: 'rollover.preview' as const, run: runPreview }), [runPreview]));
  useScreenAction(useMemo(() => (canCommit ? { id: 'commit' as const, label: 'rollover.commit' as const, run: openConfirm } : null), [canCommit, openConfirm]));

  const setRows = (patch: Partial<RowsFilter>) => {
    if (!shown) return;
    void preview(shown.scope, { ...shown.rows, offset: 0, ...patch });
  };

  const onCommitted = (r: CommitResult) => {
    setConfirming(false);
    setShown(null);
    setResult(r);
  };
  const onStale = async () => {
    if (!shown) return;
    setConfirming(false);
    setNotice({ key: 'rollover.stale' });
    await preview(shown.scope, { ...shown.rows, offset: 0 });
  };
  const onJobFailed = (e: ApiError) => {
    setConfirming(false);
    if (e.code === 'cancelled') setNotice({ key: 'job.cancelled' });
    else setFailure(e);
  };

  const data = shown?.data;
  return (
    <div className="k-page k-page-wide" data-testid="rollover-screen">
      <PageTitle>{t('rollover.title')}</PageTitle>
      <p className="k-lead">{t('rollover.intro')}</p>

      <section className="k-section" aria-labelledby="rollover-scope-title">
        <h2 className="k-section-title" id="rollover-scope-title" style={{ marginTop: 0 }}>
          {t('rollover.scope')}
        </h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            runPreview();
          }}
        >
          <div className="k-form-grid" style={{ alignItems: 'start' }}>
            <DateField
              id="rollover-date"
              label={t('rollover.date')}
              value={date}
              onChange={(x) => {
                setDate(x);
                setErrors(({ date: _, ...rest }) => rest);
              }}
              error={msg(errors.date)}
              required
              testId="rollover-date"
            />
            <MultiSelect
              id="rollover-units"
              label={t('rollover.units')}
              description={t('rollover.unitsHint')}
              placeholder={unitIds.length ? undefined : t('rollover.allUnits')}
              data={unitOptions}
              value={unitIds}
              onChange={(v) => {
                setUnitIds(v);
                setErrors(({ unitIds: _, ...rest }) => rest);
              }}
              searchable
              clearable
              hidePickedOptions
              nothingFoundMessage={t('common.nothingFound')}
              error={msg(errors.unitIds)}
              comboboxProps={{ withinPortal: true }}
              maxDropdownHeight={320}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              data-testid="rollover-units"
            />
          </div>
          <Group gap="sm" mt="md">
            <Button type="submit" loading={busy && !shown} data-testid="rollover-preview">
              {t('rollover.preview')}
            </Button>
            <Button variant="outline" color="red" c={canCommit ? '#a61b1b' : undefined} style={canCommit ? { borderColor: '#a61b1b' } : undefined} disabled={!canCommit} onClick={openConfirm} data-testid="rollover-commit">
              {t('rollover.commit')}
            </Button>
            {outdated && (
              <Text size="sm" fw={600} c="#6d4d00" data-testid="rollover-outdated">
                {t('rollover.outdated')}
              </Text>
            )}
          </Group>
        </form>
      </section>

      <div aria-live="polite">
        {notice && (
          <Alert color="orange" variant="light" mt="md" title={t('rollover.staleTitle')} data-testid="rollover-stale" styles={{ title: { color: '#6d3a00' }, message: { color: '#3d2400' } }}>
            {msg(notice)}
          </Alert>
        )}
      </div>
      {failure && (
        <div style={{ marginTop: 16 }}>
          <ErrorState error={failure} onRetry={runPreview} />
        </div>
      )}
      {result && <CommitResultView result={result} />}

      {data && shown && (
        <>
          <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="rollover-summary-title" aria-busy={busy}>
            <h2 className="k-section-title" id="rollover-summary-title" style={{ marginTop: 0 }}>
              {t('rollover.summary', { date: formatDate(data.date, lang) })}
            </h2>
            {!rolloverHasChanges(data) ? (
              <p className="k-empty" style={{ margin: 0 }} data-testid="rollover-nothing">
                {t('rollover.nothing')}
              </p>
            ) : (
              <SummaryTable data={data} />
            )}
          </section>

          <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="rollover-rows-title" aria-busy={busy}>
            <Group justify="space-between" mb={8} wrap="nowrap">
              <h2 className="k-section-title" id="rollover-rows-title" style={{ margin: 0 }}>
                {t('rollover.rows')}
              </h2>
              <ChangeLegend />
              {data.rowsTotal > 0 && <Pager offset={shown.rows.offset} count={data.rows.length} total={data.rowsTotal} pageSize={ROLLOVER_PAGE_SIZE} onOffset={(offset) => setRows({ offset })} testId="rollover" />}
            </Group>
            <Group gap="md" mb="sm" align="flex-end">
              <NativeSelect
                label={t('rollover.filter.unit')}
                value={shown.rows.unitId ?? ''}
                onChange={(e) => setRows({ unitId: e.currentTarget.value || null })}
                data={[{ value: '', label: t('rollover.filter.anyUnit') }, ...data.units.map((u) => ({ value: u.unitId, label: u.unitName }))]}
                w={260}
                data-testid="rollover-rows-unit"
              />
              <NativeSelect
                label={t('rollover.filter.action')}
                value={shown.rows.action ?? ''}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setRows({ action: isRolloverAction(v) ? v : null });
                }}
                data={[{ value: '', label: t('rollover.filter.anyAction') }, ...ROLLOVER_ACTIONS.map((a) => ({ value: a, label: t(`rollover.action.${a}`) }))]}
                w={220}
                data-testid="rollover-rows-action"
              />
            </Group>
            <HiddenProtected count={data.hiddenProtected} text={t('rollover.hiddenProtected', { count: data.hiddenProtected })} testId="rollover-hidden-protected" />
            {data.rows.length === 0 ? (
              <p className="k-empty" style={{ margin: 0 }}>
                {t('rollover.noRows')}
              </p>
            ) : (
              <RowsTable rows={data.rows} />
            )}
          </section>
        </>
      )}

      {confirming && shown && (
        <ConfirmDialog
          scope={shown.scope}
          totals={shown.data.totals}
          token={shown.data.token}
          onClose={() => {
            setConfirming(false);
            window.setTimeout(() => document.querySelector<HTMLElement>('[data-testid="rollover-commit"]')?.focus(), 0);
          }}
          onDone={onCommitted}
          onStale={() => void onStale()}
          onFailed={onJobFailed}
        />
      )}
    </div>
  );
}

function SummaryTable({ data }: { data: RolloverPreview }) {
  const { t, lang } = useT();
  const n = (x: number) => formatNumber(x, lang);
  type Unit = RolloverPreview['units'][number];
  const count = (id: 'promoted' | 'leavers' | 'startingSchool' | 'groupsCreated', header: string): Column<Unit> => ({ id, header, cell: (u) => n(u[id]), text: (u) => u[id], kind: 'number' });
  return (
    <DataTable<Unit>
      id="rollover-summary"
      caption={t('rollover.table.summary')}
      columns={[
        { id: 'unit', header: t('rollover.col.unit'), cell: (u) => u.unitName, text: (u) => u.unitName, rowHeader: true },
        count('promoted', t('rollover.col.promoted')),
        count('leavers', t('rollover.col.leavers')),
        count('startingSchool', t('rollover.col.startingSchool')),
        count('groupsCreated', t('rollover.col.groupsCreated')),
      ]}
      rows={data.units}
      rowKey={(u) => u.unitId}
      rowTestId="rollover-summary-row"
      testId="rollover-summary"
      foot={{ unit: t('rollover.total'), promoted: n(data.totals.promoted), leavers: n(data.totals.leavers), startingSchool: n(data.totals.startingSchool), groupsCreated: n(data.totals.groupsCreated) }}
      footTestId="rollover-totals"
      dense
    />
  );
}

/** What a row's change is, for its colour: new in school, moved on, ended, or staying as it is. */
export function changeKind(r: Pick<RolloverRow, 'action' | 'fromGroup' | 'toGroup' | 'fromGrade' | 'toGrade' | 'unitName' | 'toUnitName'>): 'new' | 'moved' | 'ended' | 'unchanged' {
  if (r.action === 'leave') return 'ended';
  if (r.action === 'start_school') return 'new';
  const sameUnit = !r.toUnitName || r.toUnitName === r.unitName;
  return sameUnit && r.toGroup === r.fromGroup && r.toGrade === r.fromGrade ? 'unchanged' : 'moved';
}

function ChangeBadge({ row }: { row: RolloverRow }) {
  const { t } = useT();
  const kind = changeKind(row);
  return (
    <span className={`k-change k-change-${kind}`} data-kind={kind} title={t(`rollover.kind.${kind}`)}>
      {t(`rollover.action.${row.action}`)}
    </span>
  );
}

function RowsTable({ rows }: { rows: RolloverRow[] }) {
  const { t } = useT();
  const place = (group: string | null, grade: number | null) =>
    group === null && grade === null ? '' : grade === null ? (group ?? '') : group === null ? t('rollover.gradeOnly', { grade }) : t('rollover.groupGrade', { group, grade });
  const onExport = useExportLog<RolloverRow>(
    'rollover',
    useCallback((r: RolloverRow) => [r.person.id], []),
  );
  const toText = (r: RolloverRow) => (r.action === 'leave' ? t('rollover.leaves') : place(r.toGroup, r.toGrade));
  return (
    <DataTable<RolloverRow>
      id="rollover-rows"
      caption={t('rollover.table.rows')}
      columns={[
        { id: 'name', header: t('rollover.col.name'), cell: (r) => <PersonName person={r.person} />, text: (r) => r.person.name },
        { id: 'action', header: t('rollover.col.action'), cell: (r) => <ChangeBadge row={r} />, text: (r) => t(`rollover.action.${r.action}`) },
        { id: 'unit', header: t('rollover.col.unit'), cell: (r) => r.unitName, text: (r) => r.unitName },
        { id: 'from', header: t('rollover.col.from'), cell: (r) => <span className="k-nowrap">{place(r.fromGroup, r.fromGrade) || <Dash />}</span>, text: (r) => place(r.fromGroup, r.fromGrade) },
        {
          id: 'to',
          header: t('rollover.col.to'),
          cell: (r) => (
            <span className="k-nowrap">
              {toText(r) || <Dash />}
              {r.toUnitName && r.toUnitName !== r.unitName && <div style={{ fontSize: 12 }}>{t('rollover.toUnit', { unit: r.toUnitName })}</div>}
            </span>
          ),
          text: (r) => toText(r),
        },
      ]}
      rows={rows}
      rowKey={(r) => `${r.person.id}-${r.action}-${r.fromGroup ?? ''}`}
      rowTestId="rollover-row"
      rowProps={(r) => ({ 'data-action': r.action })}
      testId="rollover-rows"
      // The core pages the pupils (100 at a time): the order is the core's, not sortable on one page.
      sort={null}
      onSortChange={() => undefined}
      onExport={onExport}
      dense
    />
  );
}

/** The colours of the changes, named (the badges carry the action's own words). */
function ChangeLegend() {
  const { t } = useT();
  return (
    <Group gap={6} aria-hidden="true" data-testid="rollover-legend">
      {(['new', 'moved', 'ended', 'unchanged'] as const).map((k) => (
        <span key={k} className={`k-change k-change-${k}`}>
          {t(`rollover.kind.${k}`)}
        </span>
      ))}
    </Group>
  );
}

/** The totals as sentences (pluralised), for the confirmation and the result. */
function TotalsLines({ promoted, leavers, startingSchool, groupsCreated, past }: { promoted: number; leavers: number; startingSchool?: number; groupsCreated: number; past?: boolean }) {
  const { t, lang } = useT();
  const f = (count: number) => ({ count, formatted: formatNumber(count, lang) });
  return (
    <ul style={{ margin: '0 0 8px', paddingLeft: 20 }}>
      <li>{t(past ? 'rollover.result.promoted' : 'rollover.confirm.promoted', f(promoted))}</li>
      <li>{t(past ? 'rollover.result.leavers' : 'rollover.confirm.leavers', f(leavers))}</li>
      {startingSchool !== undefined && <li>{t('rollover.confirm.startingSchool', f(startingSchool))}</li>}
      <li>{t(past ? 'rollover.result.groups' : 'rollover.confirm.groups', f(groupsCreated))}</li>
    </ul>
  );
}

/**
 * Confirms, then follows the commit job: 50 000 pupils take seconds, so the dialog shows the job's
 * progress (and Cancel, which leaves the register as it was) until it ends.
 */
function ConfirmDialog(props: {
  scope: RolloverScope;
  totals: RolloverPreview['totals'];
  token: string;
  onClose: () => void;
  onDone: (r: CommitResult) => void;
  onStale: () => void;
  onFailed: (e: ApiError) => void;
}) {
  const { t, lang } = useT();
  const api = useApi();
  // Nothing to fill in: the form is the confirmation itself (Enter or Ctrl+S commits, Esc cancels).
  const f = useForm({});
  const [jobId, setJobId] = useState<string | null>(null);
  const { job } = useJob(jobId);
  const { onDone, onStale, onFailed } = props;
  const date = props.scope.date;
  useEffect(() => {
    if (!job || !jobEnded(job)) return;
    if (job.state === 'succeeded' && job.result) {
      const r = job.result;
      onDone({ promoted: Number(r.promoted ?? 0), leavers: Number(r.leavers ?? 0), groupsCreated: Number(r.groupsCreated ?? 0), date });
    } else if (job.error?.rule === 'rollover_stale') onStale();
    else if (job.state === 'cancelled') onFailed({ code: 'cancelled', message: job.error?.message ?? '' });
    else onFailed({ code: 'internal', message: '', ...job.error } as ApiError);
  }, [job, onDone, onStale, onFailed, date]);
  const submit = async () => {
    if (jobId) return;
    const r = await f.submit(() => api.tryCall('rollover.commit', rolloverCommitInput(props.scope, props.token)), {
      onError: (e) => {
        if (e.code !== 'rule_violation' || e.rule !== 'rollover_stale') return false;
        props.onStale();
        return true;
      },
    });
    if (r) setJobId(r.jobId);
  };
  return (
    <FormDialog
      form={f}
      title={t('rollover.confirm.title')}
      testId="rollover-confirm"
      onSubmit={() => void submit()}
      onClose={props.onClose}
      submitLabel={t('rollover.confirm.submit')}
      submitTestId="rollover-confirm-submit"
      danger
      disabled={jobId !== null}
      focusSubmit
      centered
      returnFocusId="rollover-commit"
    >
      <Stack gap="xs" mb="sm">
        <Text>{t('rollover.confirm.date', { date: formatDate(props.scope.date, lang) })}</Text>
        <TotalsLines {...props.totals} />
        {jobId ? (
          <>
            <Text size="sm">{t('job.running')}</Text>
            {job && <JobProgress job={job} testId="rollover-job" />}
          </>
        ) : (
          <Text fw={600}>{t('rollover.confirm.warning')}</Text>
        )}
      </Stack>
    </FormDialog>
  );
}

function CommitResultView({ result }: { result: CommitResult }) {
  const { t, lang } = useT();
  // Focus moves to the result once it is on screen: the confirmation dialog that had the focus is gone in
  // the same render, and a timer set before that render can fire before the result exists.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <Alert
      ref={ref}
      id="rollover-result"
      tabIndex={-1}
      color="green"
      variant="light"
      role="status"
      mt="md"
      title={t('rollover.result.title', { date: formatDate(result.date, lang) })}
      data-testid="rollover-result"
      styles={{ title: { color: '#1f4d2b' }, message: { color: '#14301b' } }}
    >
      <TotalsLines promoted={result.promoted} leavers={result.leavers} groupsCreated={result.groupsCreated} past />
    </Alert>
  );
}
