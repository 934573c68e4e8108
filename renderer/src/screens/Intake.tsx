/**
 * The annual intake (skolstart / skolestart): the cohort that starts förskoleklass (SE) or first grade (NO) in
 * a school year, from the register, optionally narrowed to one preschool or school. The clerk selects children
 * (Space, Ctrl+A for the page; the selection survives paging), chooses the school for them (or keeps each
 * child's proposed one) and creates the enrolments in one call. Protected children are counted, not listed.
 * The school year and the unit live in the address.
 */
import { Button, Checkbox, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorState, Loading, PageTitle } from '../components/common';
import { NeutralTag } from '../components/Tags';
import { UnitPicker } from '../components/UnitPicker';
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
  pageSelection,
  schoolYearOptions,
  toggleId,
  togglePage,
  type IntakePreview,
  type IntakeRow,
} from '../lib/imports';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { useOrgTree } from './Org';
import { PersonCell, SelectPageBox, selectionKeys } from './imports/common';
import { Dash, ErrorBox, hasKey, HiddenProtected, Pager } from './office/common';

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
  const [unit, setUnit] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<{ created: number; skipped: number; seq: number } | null>(null);

  useEffect(() => {
    setOffset(0);
    setSelected(new Set());
    setDone(null);
    setErrors([]);
  }, [schoolYear, unitId]);

  const unitNames = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of tree.data?.administrations ?? []) for (const u of a.units) m.set(u.id, u.name);
    return m;
  }, [tree.data]);

  const items = useMemo(() => data?.items ?? [], [data]);
  const selectable = useMemo(() => items.filter((r) => r.person.id && !r.enrolled).map((r) => r.person.id!), [items]);
  const years = useMemo(() => {
    const ys = schoolYearOptions(session.today);
    return ys.includes(schoolYear) ? ys : [...ys, schoolYear].sort((a, b) => a - b);
  }, [session.today, schoolYear]);

  const go = (patch: { year?: number; unitId?: string | null }) => {
    const y = patch.year ?? schoolYear;
    const u = patch.unitId === undefined ? unitId : (patch.unitId ?? undefined);
    navigate({ name: 'intake', ...(y !== defaultSchoolYear(session.today) ? { year: y } : {}), ...(u ? { unitId: u } : {}) }, { replace: true });
  };

  const create = useCallback(async () => {
    if (busy) return;
    setDone(null);
    const chosen = [...selected].map((id) => seen.current.get(id)).filter((r): r is IntakeRow => r !== undefined);
    if (chosen.length === 0) {
      setErrors([t('intake.nothingSelected')]);
      return;
    }
    const { rows, sent, missing } = intakeCreateRows(chosen, unit);
    if (missing.length > 0) {
      setErrors([t('intake.missingUnit', { names: missing.map((r) => r.person.name).join('; ') })]);
      document.getElementById('intake-unit')?.focus();
      return;
    }
    if (rows.length === 0) {
      setErrors([t('intake.nothingSelected')]);
      return;
    }
    setErrors([]);
    setBusy(true);
    const r = await api.tryCall('intake.create', { schoolYear, rows });
    setBusy(false);
    if (!r.ok) {
      setErrors(intakeErrorTexts(r.error, sent, t, hasKey));
      return;
    }
    setDone({ ...r.data, seq: Date.now() });
    setSelected(new Set());
    q.reload();
  }, [busy, selected, unit, api, schoolYear, t, q]);

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

        <Group align="flex-end" gap="sm" mb="sm" wrap="wrap">
          <div style={{ width: 340 }}>
            <UnitPicker
              label={t('intake.unit')}
              description={t('intake.unitHint')}
              value={unit}
              onChange={setUnit}
              schoolForm={data?.form as SchoolForm | undefined}
              id="intake-unit"
              testId="intake-unit"
            />
          </div>
          <Stack gap={4} pb={data ? 22 : 0}>
            <Button onClick={() => void create()} loading={busy} disabled={selected.size === 0} data-testid="intake-create">
              {selected.size > 0 ? t('intake.createCount', { count: formatNumber(selected.size, lang) }) : t('intake.create')}
            </Button>
          </Stack>
        </Group>
        <div aria-live="polite">
          {done && <DoneNote key={done.seq} text={t('intake.done', { created: formatNumber(done.created, lang), skipped: formatNumber(done.skipped, lang) })} />}
        </div>
        {errors.length > 0 && (
          <div style={{ marginBottom: 8 }}>
            <ErrorBox messages={errors.map((text) => ({ text }))} testId="intake-errors" />
          </div>
        )}

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
            <CohortTable
              rows={items}
              selected={selected}
              unitNames={unitNames}
              onToggle={(id) => setSelected((cur) => toggleId(cur, id))}
              onTogglePage={() => setSelected((cur) => togglePage(cur, selectable))}
              pageState={pageSelection(selected, selectable)}
            />
            <Text size="sm" c="dimmed" mt={6}>
              {t('worklist.keyboardHint')}
            </Text>
          </>
        )}
      </section>
    </div>
  );
}

function CohortTable(props: {
  rows: IntakeRow[];
  selected: ReadonlySet<string>;
  unitNames: ReadonlyMap<string, string>;
  onToggle: (id: string) => void;
  onTogglePage: () => void;
  pageState: 'none' | 'some' | 'all';
}) {
  const { t, lang } = useT();
  const keys = useMemo(() => selectionKeys({ onToggle: props.onToggle, onTogglePage: props.onTogglePage }), [props.onToggle, props.onTogglePage]);
  return (
    <div className="k-table-scroll">
      <table className="k-table k-table-dense" data-testid="intake-table">
        <thead>
          <tr>
            <th scope="col" style={{ width: 36 }}>
              <SelectPageBox state={props.pageState} onToggle={props.onTogglePage} label={t('worklist.selectPage')} testId="intake-select-page" />
            </th>
            <th scope="col">{t('intake.col.name')}</th>
            <th scope="col">{t('intake.col.birthDate')}</th>
            <th scope="col">{t('intake.col.district')}</th>
            <th scope="col">{t('intake.col.currentUnit')}</th>
            <th scope="col">{t('intake.col.proposedUnit')}</th>
            <th scope="col">{t('intake.col.enrolled')}</th>
          </tr>
        </thead>
        <tbody onKeyDown={keys}>
          {props.rows.map((r) => {
            const id = r.person.id ?? '';
            const on = props.selected.has(id);
            return (
              <tr key={id || r.person.name} data-row-id={id} data-testid="intake-row" data-enrolled={r.enrolled || undefined} className={on ? 'k-row-selected' : undefined}>
                <td>
                  <CheckCell id={id} name={r.person.name} on={on} disabled={r.enrolled || !id} onToggle={props.onToggle} />
                </td>
                <td>
                  <PersonCell person={r.person} testId="intake-person" />
                </td>
                <td className="k-num">{r.birthDate ? formatDate(r.birthDate, lang) : <Dash />}</td>
                <td>{r.district ?? <Dash />}</td>
                <td>{r.currentUnit ?? <Dash />}</td>
                <td>{r.proposedUnitId ? (props.unitNames.get(r.proposedUnitId) ?? <Dash />) : <Dash />}</td>
                <td>{r.enrolled ? <NeutralTag>{t('intake.enrolled')}</NeutralTag> : <Dash />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function CheckCell({ id, name, on, disabled, onToggle }: { id: string; name: string; on: boolean; disabled: boolean; onToggle: (id: string) => void }) {
  const { t } = useT();
  return <Checkbox aria-label={t('worklist.selectRow', { name })} checked={on} disabled={disabled} onChange={() => onToggle(id)} data-testid="intake-select" />;
}

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
