/**
 * The annual intake (skolstart / skolestart): the cohort that starts förskoleklass (SE) or first grade (NO) in
 * a school year, from the register, optionally narrowed to one preschool or school. The clerk selects children
 * (Space, Ctrl+A for the page; the selection survives paging), chooses the school for them (or keeps each
 * child's proposed one) and creates the enrolments in one call. Protected children are counted, not listed.
 * The school year and the unit live in the address.
 */
import { Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorState, Loading, PageTitle } from '../components/common';
import { DateText } from '../components/DateText';
import { NeutralTag } from '../components/Tags';
import { UnitPicker } from '../components/UnitPicker';
import { DataTable, FormBanner, useExportLog, useForm, type Column, type FieldErrors } from '../kit';
import { selectColumn, selectedRowProps, SelectionKeys, selectionState, SelectPageBox, type RowSelection } from '../kit/selection';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import type { SchoolForm } from '../lib/domain';
import { formatDate, formatNumber, schoolYearLabel } from '../lib/format';
import { useT, type TKey } from '../lib/i18n';
import {
  defaultSchoolYear,
  INTAKE_PAGE_SIZE,
  intakeCreateRows,
  intakeErrorTexts,
  intakeInput,
  schoolYearOptions,
  toggleId,
  togglePage,
  type IntakePreview,
  type IntakeRow,
} from '../lib/imports';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { useOrgTree } from './Org';
import { PersonCell, personText } from './imports/common';
import { Dash, hasKey, HiddenProtected, Pager } from './office/common';

export function IntakeScreen({ year, unitId }: { year?: number; unitId?: string }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const tree = useOrgTree();
  const schoolYear = year ?? defaultSchoolYear(session.today);
  const [offset, setOffset] = useState(0);
  const q = useQuery('intake.preview', intakeInput(schoolYear, unitId, offset));
  const last = useRef<IntakePreview | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  // Rows seen on any page, so a selection made on page 1 still knows its children on page 2.
  const seen = useRef(new Map<string, IntakeRow>());
  for (const r of data?.items ?? []) if (r.person.id) seen.current.set(r.person.id, r);
  const [done, setDone] = useState<{ created: number; skipped: number; seq: number } | null>(null);

  useEffect(() => {
    setOffset(0);
    setSelected(new Set());
    setDone(null);
  }, [schoolYear, unitId]);

  const unitNames = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of tree.data?.administrations ?? []) for (const u of a.units) m.set(u.id, u.name);
    return m;
  }, [tree.data]);

  const items = useMemo(() => data?.items ?? [], [data]);
  const selectable = useMemo(() => items.filter((r) => r.person.id && !r.enrolled).map((r) => r.person.id!), [items]);
  const toggle = useCallback((id: string) => setSelected((cur) => toggleId(cur, id)), []);
  const toggleAll = useCallback(() => setSelected((cur) => togglePage(cur, selectable)), [selectable]);
  const years = useMemo(() => {
    const ys = schoolYearOptions(session.today);
    return ys.includes(schoolYear) ? ys : [...ys, schoolYear].sort((a, b) => a - b);
  }, [session.today, schoolYear]);

  const go = (patch: { year?: number; unitId?: string | null }) => {
    const y = patch.year ?? schoolYear;
    const u = patch.unitId === undefined ? unitId : (patch.unitId ?? undefined);
    navigate({ name: 'intake', ...(y !== defaultSchoolYear(session.today) ? { year: y } : {}), ...(u ? { unitId: u } : {}) }, { replace: true });
  };

  // The school for the selection is the form: its own check (a child without a proposed school needs one) on the
  // picker, the core's refusal of a row named with the child's name in the banner.
  const sentRef = useRef<IntakeRow[]>([]);
  const chosenRows = useCallback(() => [...selected].map((id) => seen.current.get(id)).filter((r): r is IntakeRow => r !== undefined), [selected]);
  const f = useForm(
    { unit: null as string | null },
    {
      validate: (x): FieldErrors => {
        const { missing } = intakeCreateRows(chosenRows(), x.unit);
        return missing.length ? { unit: { key: 'intake.missingUnit', vars: { names: missing.map((r) => r.person.name).join('; ') } } } : {};
      },
      mapError: (e) => ({ fields: {}, top: intakeErrorTexts(e, sentRef.current, t, hasKey).map((text) => ({ key: 'imports.message.text', vars: { text } })) }),
    },
  );
  const unit = f.v.unit;
  const busy = f.saving;

  const create = useCallback(async () => {
    if (busy) return;
    setDone(null);
    const { rows, sent } = intakeCreateRows(chosenRows(), unit);
    sentRef.current = sent;
    const r = await f.submit(() => (rows.length === 0 ? Promise.resolve({ ok: true as const, data: null }) : api.tryCall('intake.create', { schoolYear, rows })));
    if (!r) return;
    setDone({ ...r, seq: Date.now() });
    setSelected(new Set());
    q.reload();
  }, [busy, chosenRows, unit, f, api, schoolYear, q]);

  const canCreate = selected.size > 0 && !busy;
  useScreenAction(useMemo(() => (canCreate ? { id: 'createEnrolments' as const, label: 'intake.create' as const, run: () => void create() } : null), [canCreate, create]));
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: q.reload }), [q.reload]));

  const formKey = data ? (`schoolForm.${data.form}` as TKey) : null;
  return (
    <div className="k-page k-page-wide" data-testid="intake-screen">
      <PageTitle>{t('intake.title')}</PageTitle>
      <p className="k-lead">{t('intake.intro')}</p>

      <section className="k-section" aria-labelledby="intake-params-title">
        <h2 className="k-section-title" id="intake-params-title" style={{ marginTop: 0 }}>
          {t('intake.params')}
        </h2>
        <div className="k-form-grid" style={{ alignItems: 'start' }}>
          <NativeSelect
            id="intake-year"
            label={t('intake.year')}
            value={String(schoolYear)}
            onChange={(e) => go({ year: Number(e.currentTarget.value) })}
            data={years.map((y) => ({ value: String(y), label: schoolYearLabel(y) }))}
            data-testid="intake-year"
          />
          <UnitPicker label={t('intake.unitFilter')} description={t('intake.unitFilterHint')} value={unitId ?? null} onChange={(u) => go({ unitId: u })} id="intake-filter-unit" testId="intake-filter-unit" />
        </div>
        {data && formKey && (
          <Text size="sm" mt="sm" data-testid="intake-summary">
            {t('intake.summary', { form: hasKey(formKey) ? t(formKey) : data.form, date: formatDate(data.startDate, lang) })}
          </Text>
        )}
      </section>

      <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="intake-list-title" aria-busy={q.loading}>
        <Group justify="space-between" mb={8} wrap="wrap" gap="sm">
          <h2 className="k-section-title" id="intake-list-title" style={{ margin: 0 }}>
            {t('intake.listTitle')}
          </h2>
          {data && data.total > 0 && <Pager offset={offset} count={data.items.length} total={data.total} pageSize={INTAKE_PAGE_SIZE} onOffset={setOffset} testId="intake" />}
        </Group>
        {data && <HiddenProtected count={data.hiddenProtected} text={t('intake.hiddenProtected', { count: data.hiddenProtected })} testId="intake-hidden-protected" />}

        {/* Not a <form>: Enter in the picker picks a school; the button (or the palette) creates. */}
        <div onBlurCapture={f.onBlurCapture} role="group" aria-label={t('intake.create')}>
        <FormBanner submitted={f.submitted} errors={f.errors} top={f.top} />
        <Group align="flex-end" gap="sm" mb="sm" wrap="wrap">
          <div style={{ width: 340 }}>
            <UnitPicker
              label={t('intake.unit')}
              description={t('intake.unitHint')}
              value={unit}
              onChange={(u) => f.set('unit', u)}
              schoolForm={data?.form as SchoolForm | undefined}
              id="intake-unit"
              testId="intake-unit"
              {...f.field('unit')}
            />
          </div>
          <Stack gap={4} pb={data ? 22 : 0}>
            <Button onClick={() => void create()} loading={busy} disabled={selected.size === 0} data-testid="intake-create">
              {selected.size > 0 ? t('intake.createCount', { count: formatNumber(selected.size, lang) }) : t('intake.create')}
            </Button>
          </Stack>
        </Group>
        </div>
        <div aria-live="polite">
          {done && <DoneNote key={done.seq} text={t('intake.done', { created: formatNumber(done.created, lang), skipped: formatNumber(done.skipped, lang) })} />}
        </div>

        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Loading />
        ) : items.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }} data-testid="intake-empty">
            {t('intake.empty')}
          </p>
        ) : (
          <>
            <CohortTable rows={items} selected={selected} unitNames={unitNames} onToggle={toggle} onTogglePage={toggleAll} />
            <Text size="sm" c="dimmed" mt={6}>
              {t('worklist.keyboardHint')}
            </Text>
          </>
        )}
      </section>
    </div>
  );
}

function CohortTable(props: { rows: IntakeRow[]; selected: ReadonlySet<string>; unitNames: ReadonlyMap<string, string>; onToggle: (id: string) => void; onTogglePage: () => void }) {
  const { t } = useT();
  const session = useSession();
  const { rows, selected, unitNames, onToggle, onTogglePage } = props;
  const sel = useMemo<RowSelection<IntakeRow>>(
    () => ({ selected, idOf: (r) => (r.person.id && !r.enrolled ? r.person.id : null), onToggle, onTogglePage, label: (r) => t('worklist.selectRow', { name: r.person.name }), testId: 'intake-select' }),
    [selected, onToggle, onTogglePage, t],
  );
  const onExport = useExportLog<IntakeRow>('intake', personIds);
  const columns = useMemo<Column<IntakeRow>[]>(
    () => [
      selectColumn(sel, t('worklist.col.select')),
      { id: 'name', header: t('intake.col.name'), cell: (r) => <PersonCell person={r.person} testId="intake-person" />, text: (r) => personText(r.person) },
      { id: 'birthDate', header: t('intake.col.birthDate'), kind: 'date', cell: (r) => (r.birthDate ? <DateText value={r.birthDate} /> : <Dash />), text: (r) => r.birthDate },
      { id: 'district', header: t('intake.col.district'), cell: (r) => r.district ?? <Dash />, text: (r) => r.district, optional: true },
      { id: 'currentUnit', header: t('intake.col.currentUnit'), cell: (r) => r.currentUnit ?? <Dash />, text: (r) => r.currentUnit },
      { id: 'proposedUnit', header: t('intake.col.proposedUnit'), cell: (r) => (r.proposedUnitId ? (unitNames.get(r.proposedUnitId) ?? <Dash />) : <Dash />), text: (r) => (r.proposedUnitId ? unitNames.get(r.proposedUnitId) : null) },
      { id: 'enrolled', header: t('intake.col.enrolled'), cell: (r) => (r.enrolled ? <NeutralTag>{t('intake.enrolled')}</NeutralTag> : <Dash />), text: (r) => (r.enrolled ? t('intake.enrolled') : '') },
    ],
    [sel, t, unitNames],
  );
  return (
    <SelectionKeys selection={sel} rows={rows} rowKey={rowKey}>
      <DataTable
        id="intake"
        caption={t('intake.table.caption')}
        columns={columns}
        rows={rows}
        rowKey={rowKey}
        onOpen={session.can('register.read') ? (r) => r.person.id && navigate({ name: 'person', id: r.person.id }) : undefined}
        onExport={onExport}
        testId="intake-table"
        rowTestId="intake-row"
        rowProps={(r) => ({ 'data-enrolled': r.enrolled ? 'true' : undefined, ...selectedRowProps(sel)(r) })}
        toolbar={<SelectPageBox state={selectionState(sel, rows)} onToggle={onTogglePage} label={t('worklist.selectPage')} testId="intake-select-page" />}
        dense
      />
    </SelectionKeys>
  );
}

const rowKey = (r: IntakeRow) => r.person.id ?? r.person.name;
const personIds = (r: IntakeRow) => [r.person.id];

/**
 * The outcome of "create": it takes the focus when it appears, because the button that was pressed is
 * disabled now (nothing is selected any more) and a disabled button drops the focus onto the page body.
 */
function DoneNote({ text }: { text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} id="intake-done" tabIndex={-1} role="status" className="k-flash" data-testid="intake-done">
      {text}
    </div>
  );
}
