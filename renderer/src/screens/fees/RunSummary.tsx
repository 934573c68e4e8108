/**
 * A fee run's summary: the totals, the panels per unit, form and rule, the warnings by code (each opening its
 * paged list with the children and persons named) and the difference from the previous run.
 */
import { Button, Group, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorState, Link, Loading } from '../../components/common';
import { Dialog } from '../../components/Dialog';
import { DataTable, useExportLog, type Column } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import { FEE_PAGE_MAX, type FeeRunSummary, type FeeRunView, type FeeWarningCode, type FeeWarningRow } from '../../lib/domain';
import { addHouseholdPeople, HOUSEHOLD_LOOKUP_PAGES, ruleTotalLabel, WARNINGS_PAGE_SIZE, type HouseholdPeople, type PersonName } from '../../lib/fees';
import { formatMonth, formatNumber } from '../../lib/format';
import { useT, type TKey } from '../../lib/i18n';
import { ToneTag } from '../care/Badges';
import { Dash, Pager } from '../office/common';
import { Money, useMoney, useWarningText } from './common';
import './fees.css';

// ---------------------------------------------------------------------------------------------
// The summary
// ---------------------------------------------------------------------------------------------

type Tally = { lines: number; amount: number };

export function Summary({ run, summary }: { run: FeeRunView; summary: FeeRunSummary }) {
  const { t, lang } = useT();
  const money = useMoney();
  const warningText = useWarningText();
  const [warnings, setWarnings] = useState<FeeWarningCode | null>(null);
  // Who the households of the warnings are, read from the lines once while this run's summary is shown.
  const people = useRef<PeopleCache>(newPeopleCache());
  const n = (x: number) => formatNumber(x, lang);
  const tallyColumns = <R extends Tally>(name: Column<R>): Column<R>[] => [
    name,
    { id: 'lines', header: t('fees.col.lines'), kind: 'number', cell: (r) => n(r.lines), text: (r) => r.lines },
    { id: 'amount', header: t('fees.col.amount'), kind: 'number', cell: (r) => <Money ore={r.amount} />, text: (r) => money(r.amount) },
  ];
  const foot = (rows: readonly Tally[], label: string) => ({ name: label, lines: n(rows.reduce((a, r) => a + r.lines, 0)), amount: <Money ore={rows.reduce((a, r) => a + r.amount, 0)} /> });
  const p = summary.previous;
  return (
    <>
      <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="fee-summary-title" data-testid="fee-summary">
        <h2 className="k-section-title" id="fee-summary-title" tabIndex={-1} style={{ marginTop: 0, outline: 'none' }}>
          {t('fees.summary.title')}
        </h2>
        <dl className="k-fee-totals" data-testid="fee-totals">
          <div>
            <dt>{t('fees.summary.total')}</dt>
            <dd data-testid="fee-total">
              <Money ore={summary.total} />
            </dd>
          </div>
          <div>
            <dt>{t('fees.summary.charges')}</dt>
            <dd data-testid="fee-total-charges">
              <Money ore={summary.charges.amount} />
              <Text size="sm" c="dimmed" component="span" display="block" fw={400}>
                {t('fees.summary.lineCount', { count: summary.charges.lines, formatted: n(summary.charges.lines) })}
              </Text>
            </dd>
          </div>
          <div>
            <dt>{t('fees.summary.corrections')}</dt>
            <dd data-testid="fee-total-corrections">
              <Money ore={summary.corrections.amount} />
              <Text size="sm" c="dimmed" component="span" display="block" fw={400}>
                {t('fees.summary.lineCount', { count: summary.corrections.lines, formatted: n(summary.corrections.lines) })}
              </Text>
            </dd>
          </div>
          <div>
            <dt>{t('fees.summary.correctedMonths')}</dt>
            <dd data-testid="fee-corrected-months" style={{ fontSize: 14, fontWeight: 500 }}>
              {summary.corrections.months.length ? summary.corrections.months.map((mo) => formatMonth(mo, lang)).join(', ') : t('fees.summary.noCorrections')}
            </dd>
          </div>
        </dl>
      </section>

      <div className="k-fee-panels">
        <section className="k-section" aria-labelledby="fee-by-unit-title" data-testid="fee-by-unit">
          <h2 className="k-section-title" id="fee-by-unit-title" style={{ marginTop: 0 }}>
            {t('fees.summary.byUnit')}
          </h2>
          {summary.byUnit.length === 0 ? (
            <p className="k-empty" style={{ margin: 0 }}>
              {t('fees.summary.none')}
            </p>
          ) : (
            <DataTable
              id="fee-by-unit"
              caption={t('fees.summary.byUnit')}
              columns={tallyColumns<FeeRunSummary['byUnit'][number]>({ id: 'name', header: t('fees.col.unit'), cell: (r) => r.name, text: (r) => r.name, rowHeader: true })}
              rows={summary.byUnit}
              rowKey={(r) => r.unitId}
              foot={foot(summary.byUnit, t('fees.summary.sum'))}
              exportable={false}
              dense
            />
          )}
        </section>
        <section className="k-section" aria-labelledby="fee-by-form-title" data-testid="fee-by-form">
          <h2 className="k-section-title" id="fee-by-form-title" style={{ marginTop: 0 }}>
            {t('fees.summary.byForm')}
          </h2>
          {summary.byForm.length === 0 ? (
            <p className="k-empty" style={{ margin: 0 }}>
              {t('fees.summary.none')}
            </p>
          ) : (
            <DataTable
              id="fee-by-form"
              caption={t('fees.summary.byForm')}
              columns={tallyColumns<FeeRunSummary['byForm'][number]>({ id: 'name', header: t('fees.col.form'), cell: (r) => <FormName form={r.form} />, text: (r) => r.form, rowHeader: true })}
              rows={summary.byForm}
              rowKey={(r) => r.form}
              foot={foot(summary.byForm, t('fees.summary.sum'))}
              exportable={false}
              dense
            />
          )}
        </section>
        <section className="k-section" aria-labelledby="fee-by-rule-title" data-testid="fee-by-rule">
          <h2 className="k-section-title" id="fee-by-rule-title" style={{ marginTop: 0 }}>
            {t('fees.summary.byRule')}
          </h2>
          {summary.byRule.length === 0 ? (
            <p className="k-empty" style={{ margin: 0 }}>
              {t('fees.summary.noRules')}
            </p>
          ) : (
            <DataTable
              id="fee-by-rule"
              caption={t('fees.summary.byRule')}
              columns={tallyColumns<FeeRunSummary['byRule'][number]>({
                id: 'name',
                header: t('fees.col.rule'),
                cell: (r) =>
                  r.id.startsWith('local:') ? (
                    <>
                      {r.label} <ToneTag tone="info">{t('fees.summary.localRule')}</ToneTag>
                    </>
                  ) : (
                    ruleTotalLabel(r, t)
                  ),
                text: (r) => ruleTotalLabel(r, t),
                rowHeader: true,
              })}
              rows={summary.byRule}
              rowKey={(r) => r.id}
              exportable={false}
              dense
            />
          )}
        </section>
        <section className="k-section" aria-labelledby="fee-warnings-title" data-testid="fee-warnings">
          <h2 className="k-section-title" id="fee-warnings-title" style={{ marginTop: 0 }}>
            {t('fees.summary.warnings')}
          </h2>
          {summary.warnings.length === 0 ? (
            <p className="k-empty" style={{ margin: 0 }} data-testid="fee-warnings-none">
              {t('fees.summary.noWarnings')}
            </p>
          ) : (
            <>
              <Text size="sm" c="dimmed" mb={6}>
                {t('fees.summary.warningsHint')}
              </Text>
              <ul className="k-fee-warnings">
                {summary.warnings.map((w) => (
                  <li key={w.code}>
                    <button
                      type="button"
                      className="k-fee-warning-btn"
                      onClick={() => setWarnings(w.code)}
                      aria-haspopup="dialog"
                      data-testid="fee-warning-code"
                      data-code={w.code}
                    >
                      <span>{warningText(w.code)}</span>
                      <span className="k-fee-warning-count">{n(w.count)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section className="k-section" aria-labelledby="fee-previous-title" data-testid="fee-previous">
          <h2 className="k-section-title" id="fee-previous-title" style={{ marginTop: 0 }}>
            {t('fees.summary.previous')}
          </h2>
          {!p ? (
            <p className="k-empty" style={{ margin: 0 }} data-testid="fee-previous-none">
              {t('fees.summary.noPrevious')}
            </p>
          ) : (
            <dl className="k-facts">
              <div>
                <dt>{t('fees.summary.previousRun')}</dt>
                <dd>
                  <Link to={{ name: 'feeRun', id: p.runId }} testId="fee-previous-link">
                    {formatMonth(p.month, lang)}
                  </Link>
                </dd>
              </div>
              <div>
                <dt>{t('fees.summary.previousTotal')}</dt>
                <dd>
                  <Money ore={p.total} />
                </dd>
              </div>
              <div>
                <dt>{t('fees.summary.change')}</dt>
                <dd>
                  <Money ore={summary.total - p.total} />
                </dd>
              </div>
              <div>
                <dt>{t('fees.summary.added')}</dt>
                <dd className="k-num" data-testid="fee-previous-added">
                  {n(p.added)}
                </dd>
              </div>
              <div>
                <dt>{t('fees.summary.ended')}</dt>
                <dd className="k-num">{n(p.ended)}</dd>
              </div>
              <div>
                <dt>{t('fees.summary.changed')}</dt>
                <dd className="k-num">{n(p.changed)}</dd>
              </div>
              <div>
                <dt>{t('fees.summary.same')}</dt>
                <dd className="k-num">{n(p.same)}</dd>
              </div>
            </dl>
          )}
        </section>
      </div>
      {warnings && <WarningsDialog run={run} code={warnings} count={summary.warnings.find((w) => w.code === warnings)?.count ?? 0} cache={people.current} onClose={() => setWarnings(null)} />}
    </>
  );
}

/** A school form's name ("Förskola"), or its code when this build has no name for it. */
export function FormName({ form }: { form: string }) {
  const { t } = useT();
  const key = `schoolForm.${form}` as TKey;
  const name = t(key);
  return <>{name === key ? form : name}</>;
}

/** One warning code's list, a page at a time, with the children and persons named (links to their cards). */
function WarningsDialog({ run, code, count, cache, onClose }: { run: FeeRunView; code: FeeWarningCode; count: number; cache: PeopleCache; onClose: () => void }) {
  const { t, lang } = useT();
  const warningText = useWarningText();
  const [offset, setOffset] = useState(0);
  const q = useQuery('fee.runWarnings', { id: run.id, code, offset, limit: WARNINGS_PAGE_SIZE });
  const last = useRef<{ items: FeeWarningRow[]; total: number } | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  // A household's warning names no child or person: the run's lines say who they are.
  const householdIds = useMemo(() => [...new Set((data?.items ?? []).filter((w) => !w.childId && !w.personId && w.householdId).map((w) => w.householdId!))], [data]);
  const households = useHouseholdPeople(run.id, householdIds, cache);
  const childrenOf = useCallback((w: FeeWarningRow): PersonName[] => (w.childId ? [{ id: w.childId, name: w.childName ?? '' }] : w.householdId && !w.personId ? (households.people.get(w.householdId)?.children ?? []) : []), [households]);
  const personsOf = useCallback((w: FeeWarningRow): PersonName[] => (w.personId ? [{ id: w.personId, name: w.personName ?? '' }] : w.householdId && !w.childId ? (households.people.get(w.householdId)?.recipients ?? []) : []), [households]);
  const onExport = useExportLog<FeeWarningRow>(
    'fee.runWarnings',
    useCallback((w: FeeWarningRow) => [...childrenOf(w), ...personsOf(w)].map((p) => p.id), [childrenOf, personsOf]),
  );
  const columns = useMemo<Column<FeeWarningRow>[]>(() => {
    const cell = (list: PersonName[], w: FeeWarningRow, testId: string) =>
      list.length ? <PersonRefs list={list} testId={testId} /> : w.householdId && households.loading ? <span className="k-empty">{t('common.loading')}</span> : <Dash />;
    const text = (list: PersonName[]) => list.map((p) => p.name).join('; ');
    return [
      { id: 'child', header: t('fees.col.child'), cell: (w) => cell(childrenOf(w), w, 'fee-warning-child'), text: (w) => text(childrenOf(w)) },
      { id: 'person', header: t('fees.col.recipient'), cell: (w) => cell(personsOf(w), w, 'fee-warning-person'), text: (w) => text(personsOf(w)) },
      { id: 'month', header: t('fees.col.month'), kind: 'code', cell: (w) => formatMonth(w.month, lang), text: (w) => w.month },
    ];
  }, [t, lang, childrenOf, personsOf, households.loading]);
  return (
    <Dialog opened onClose={onClose} title={t('fees.warnings.title', { warning: warningText(code) })} size="48rem" testId="fee-warnings-dialog">
      <Stack gap="sm">
        <Text size="sm">{t(`fees.warningHelp.${code}`)}</Text>
        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Loading />
        ) : (
          <div aria-busy={q.loading || households.loading}>
            <DataTable
              id="fee-warnings"
              caption={t('fees.warnings.caption', { warning: warningText(code) })}
              columns={columns}
              rows={data.items}
              rowKey={(w) => `${w.childId ?? ''}|${w.personId ?? ''}|${w.householdId ?? ''}|${w.month}`}
              onExport={onExport}
              testId="fee-warnings-table"
              rowTestId="fee-warning-row"
              sort={null}
              onSortChange={() => undefined}
              toolbar={<Pager offset={offset} count={data.items.length} total={data.total || count} pageSize={WARNINGS_PAGE_SIZE} onOffset={setOffset} testId="fee-warnings" />}
              empty={t('fees.warnings.empty')}
              dense
            />
          </div>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid="fee-warnings-close">
            {t('common.close')}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

/** The households the run's lines named so far, and how far the lines were read (kept by the summary while it is shown). */
export interface PeopleCache {
  people: Map<string, HouseholdPeople>;
  offset: number;
  total: number | null;
}
export const newPeopleCache = (): PeopleCache => ({ people: new Map(), offset: 0, total: null });

/**
 * The children and invoice recipients of these households, from the run's lines: read a page of 500 at a time
 * until every household is named, the lines end, or HOUSEHOLD_LOOKUP_PAGES pages were read.
 */
function useHouseholdPeople(runId: string, ids: readonly string[], cache: PeopleCache): { people: Map<string, HouseholdPeople>; loading: boolean } {
  const api = useApi();
  const missing = ids.filter((id) => !cache.people.has(id));
  const more = cache.total === null || cache.offset < cache.total;
  const [, setTick] = useState(0);
  const [loading, setLoading] = useState(false);
  const key = missing.join(',');
  useEffect(() => {
    if (!key || !more) return;
    let live = true;
    setLoading(true);
    void (async () => {
      const want = key.split(',');
      for (let page = 0; page < HOUSEHOLD_LOOKUP_PAGES; page++) {
        if (cache.total !== null && cache.offset >= cache.total) break;
        const r = await api.tryCall('fee.runLines', { id: runId, offset: cache.offset, limit: FEE_PAGE_MAX });
        if (!r.ok) break;
        addHouseholdPeople(cache.people, r.data.items);
        cache.offset += r.data.items.length;
        cache.total = r.data.total;
        if (r.data.items.length === 0 || want.every((id) => cache.people.has(id))) break;
      }
      if (!live) return;
      setLoading(false);
      setTick((n) => n + 1);
    })();
    return () => {
      live = false;
    };
  }, [api, runId, key, more, cache]);
  return { people: cache.people, loading: loading && more };
}

/** Persons a warning concerns, each a link to their card. */
function PersonRefs({ list, testId }: { list: PersonName[]; testId: string }) {
  return (
    <>
      {list.map((p, i) => (
        <span key={p.id}>
          {i > 0 && ', '}
          <PersonRef id={p.id} name={p.name || null} testId={testId} />
        </span>
      ))}
    </>
  );
}

/** A person a warning names: a link to their card, or a dash when the warning names none (a household's). */
function PersonRef({ id, name, testId }: { id: string | null; name: string | null; testId: string }) {
  const { t } = useT();
  if (!id) return <Dash />;
  return (
    <Link to={{ name: 'person', id }} testId={testId}>
      {name ?? t('fees.warnings.unnamed')}
    </Link>
  );
}
