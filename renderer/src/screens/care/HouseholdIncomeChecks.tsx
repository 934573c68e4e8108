/**
 * A household's yearly income checks, under its incomes (fee.read): each check's year, taxed income, the
 * monthly income it gives (taxed / 12), the average declared month it was compared with, the difference
 * (signed), the outcome in words, whether it is in force or superseded by a later check of the same year,
 * and who entered it; Enter on a row (or the toggle at its start) opens its 12 months, declared against checked.
 *
 * For fee.write "Check income" (Alt+I, or the button): a finished year (last year to begin with), the
 * household's taxed income in kronor and a note. The core's answer is shown above the table: the outcome,
 * the difference and what the next fee run does with it. A year not yet over is refused at the year.
 */
import { Button, CloseButton, Group, Stack, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { Empty, ErrorState, Loading } from '../../components/common';
import { IconChevron } from '../../components/icons';
import { DataTable, FormDialog, useForm, type Column } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import { useAuth } from '../../lib/authContext';
import type { HouseholdView } from '../../lib/care';
import type { IncomeCheckView } from '../../lib/domain';
import {
  checkConsequence,
  checkInForce,
  checkMonthRows,
  emptyIncomeCheck,
  formatSignedMoney,
  INCOME_CHECK_TONE,
  mapIncomeCheckError,
  parseMoney,
  toIncomeCheckInput,
  validateIncomeCheck,
  type IncomeCheckValues,
} from '../../lib/fees';
import { currencyOf, formatDateTime, formatMonth } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { ALT, modPressed } from '../../lib/platform';
import { useSession } from '../../lib/session';
import { Money, useMoney } from '../fees/common';
import { KeyHint, ToneTag } from './Badges';

/** The households on the page: Alt+I acts on the one the focus is in, else on the first. */
const HOUSEHOLD_SELECTOR = '[data-testid="household-incomes"]';

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

/** Half up to the öre, as the core divides the taxed income by 12. */
const monthlyOf = (taxed: number) => Math.floor((taxed * 2 + 12) / 24);

interface Saved {
  check: IncomeCheckView;
  /** The check of the same year that was in force before this one (it is superseded now). */
  replaced: IncomeCheckView | null;
}

export function HouseholdIncomeChecks({ household, title, revision }: { household: HouseholdView; title: string; revision: number }) {
  const { t, lang } = useT();
  const session = useSession();
  const auth = useAuth();
  const canWrite = session.can('fee.write');
  const money = useMoney();
  const currency = currencyOf(session.country);
  const q = useQuery('income.checks', { householdId: household.id });
  const [checking, setChecking] = useState(false);
  const [saved, setSaved] = useState<Saved | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const rootRef = useRef<HTMLDivElement>(null);
  const headingId = `household-checks-${household.id}`;
  const openerId = `household-check-open-${household.id}`;

  // An income recorded above changes the months a check shows (the declared income in force each month).
  const seenRevision = useRef(revision);
  const reload = q.reload;
  useEffect(() => {
    if (seenRevision.current === revision) return;
    seenRevision.current = revision;
    reload();
  }, [revision, reload]);

  // Opening a row's months draws the row anew (the table puts it and its detail together): the focus
  // goes back to where it was, the row (Enter) or its toggle.
  const refocus = useRef<{ id: string; on: 'row' | 'button' } | null>(null);
  const toggle = useCallback((id: string, on: 'row' | 'button') => {
    refocus.current = { id, on };
    setOpen((cur) => {
      const next = new Set(cur);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  useLayoutEffect(() => {
    const r = refocus.current;
    if (!r) return;
    refocus.current = null;
    const tr = rootRef.current?.querySelector<HTMLElement>(`tbody > tr[data-row-id="${r.id}"]`);
    const el = r.on === 'row' ? tr : tr?.querySelector<HTMLElement>('[data-testid="income-check-months-toggle"]');
    if (el && !el.contains(document.activeElement)) el.focus({ preventScroll: true });
  }, [open]);

  // Alt+I: "Check income" for the household the focus is in (the first one on the card otherwise).
  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyI' || e.defaultPrevented) return;
      if (auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      const root = rootRef.current?.closest(HOUSEHOLD_SELECTOR);
      if (!root) return;
      const active = document.activeElement;
      const focusedHousehold = active instanceof Element ? active.closest('[data-testid="household"]')?.querySelector(HOUSEHOLD_SELECTOR) : null;
      const target = focusedHousehold ?? document.querySelector(HOUSEHOLD_SELECTOR);
      if (target !== root) return;
      e.preventDefault();
      setChecking(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canWrite, auth.status]);

  const columns = useMemo<Column<IncomeCheckView>[]>(
    () => [
      {
        id: 'year',
        header: t('fees.check.col.year'),
        kind: 'code',
        // The months' toggle first (Enter on the row does the same), then the year and whether it is in force.
        cell: (r) => (
          <Group gap={8} wrap="nowrap" align="flex-start">
            <button
              type="button"
              className="k-expand"
              aria-expanded={open.has(r.id)}
              aria-controls={open.has(r.id) ? `income-check-months-${r.id}` : undefined}
              aria-label={t('fees.check.showMonths', { year: r.year })}
              onClick={() => toggle(r.id, 'button')}
              data-testid="income-check-months-toggle"
            >
              <IconChevron open={open.has(r.id)} size={16} />
            </button>
            <Stack gap={3} align="flex-start">
              <span className="k-num">{r.year}</span>
              <ToneTag tone={r.current ? 'ok' : 'neutral'} testId="income-check-status">
                {t(r.current ? 'fees.check.current' : 'fees.check.superseded')}
              </ToneTag>
            </Stack>
          </Group>
        ),
        text: (r) => r.year,
      },
      { id: 'taxed', header: t('fees.check.col.taxed'), kind: 'number', cell: (r) => <Money ore={r.taxedIncome} />, text: (r) => r.taxedIncome, sortable: false },
      { id: 'checked', header: t('fees.check.col.checked'), kind: 'number', cell: (r) => <Money ore={r.checkedMonthly} />, text: (r) => r.checkedMonthly, sortable: false },
      {
        id: 'declared',
        header: t('fees.check.col.declared'),
        kind: 'number',
        cell: (r) =>
          r.declaredMonthly === null ? (
            <span className="k-nowrap">{t('fees.income.notDeclared')}</span>
          ) : (
            <span>
              <Money ore={r.declaredMonthly} />
              <span className="k-sub" style={{ display: 'block' }}>
                {t('fees.check.monthsDeclared', { count: r.monthsDeclared })}
              </span>
            </span>
          ),
        text: (r) => r.declaredMonthly,
        sortable: false,
      },
      {
        id: 'difference',
        header: t('fees.check.col.difference'),
        kind: 'number',
        cell: (r) =>
          r.declaredMonthly === null ? (
            <span>–</span>
          ) : (
            <span className="k-num" data-testid="income-check-difference" data-ore={r.difference}>
              {formatSignedMoney(r.difference, lang, currency)}
            </span>
          ),
        text: (r) => (r.declaredMonthly === null ? null : r.difference),
        sortable: false,
      },
      {
        id: 'outcome',
        header: t('fees.check.col.outcome'),
        cell: (r) => <OutcomeTag outcome={r.outcome} />,
        text: (r) => t(`fees.check.outcome.${r.outcome}`),
      },
      {
        id: 'entered',
        header: t('fees.check.col.entered'),
        cell: (r) => (
          <span>
            {r.createdByName ?? r.createdBy}
            <span className="k-sub" style={{ display: 'block' }}>
              {formatDateTime(r.createdAt, lang)}
            </span>
          </span>
        ),
        text: (r) => `${r.createdByName ?? r.createdBy} ${r.createdAt}`,
        sortable: false,
      },
    ],
    [t, lang, currency, open, toggle],
  );

  return (
    <div ref={rootRef} className="k-household-checks" style={{ marginTop: 14 }} data-testid="income-checks" data-household-id={household.id}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <h4 className="k-section-title" id={headingId} style={{ margin: 0, fontSize: 13 }}>
          {t('fees.check.title')}
        </h4>
        {canWrite && (
          <Tooltip label={`${ALT}+I`} withArrow>
            <Button
              id={openerId}
              size="compact-sm"
              variant="default"
              rightSection={<KeyHint keys={[ALT, 'I']} />}
              onClick={() => setChecking(true)}
              aria-keyshortcuts="Alt+I"
              aria-label={t('fees.check.actionFor', { household: lowerFirst(title, lang) })}
              data-testid="income-check-open"
            >
              {t('fees.check.action')}
            </Button>
          </Tooltip>
        )}
      </Group>
      <div role="status" aria-live="polite">
        {saved && <CheckResult saved={saved} money={money} onClose={() => setSaved(null)} />}
      </div>
      {q.error ? (
        <ErrorState error={q.error} onRetry={q.reload} />
      ) : !q.data ? (
        <Loading />
      ) : q.data.items.length === 0 ? (
        <Empty>{t('fees.check.none')}</Empty>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <DataTable<IncomeCheckView>
            id="household-income-checks"
            caption={t('fees.check.caption', { household: title })}
            columns={columns}
            rows={q.data.items}
            rowKey={(r) => r.id}
            testId="income-checks-table"
            rowTestId="income-check-row"
            rowProps={(r) => ({
              'data-year': String(r.year),
              'data-outcome': r.outcome,
              'data-current': r.current ? 'true' : undefined,
              ...(open.has(r.id) ? { className: 'k-row k-row-open' } : {}),
            })}
            onOpen={(r) => toggle(r.id, 'row')}
            rowDetail={(r) => (open.has(r.id) ? { id: `income-check-months-${r.id}`, content: <CheckMonths check={r} /> } : null)}
            exportable={false}
            dense
          />
        </div>
      )}
      {checking && (
        <IncomeCheckDialog
          household={household}
          title={title}
          checks={q.data?.items ?? []}
          returnFocusId={openerId}
          onClose={() => setChecking(false)}
          onSaved={(s) => {
            setChecking(false);
            setSaved(s);
            setOpen(new Set());
            q.reload();
          }}
        />
      )}
    </div>
  );
}

/** "Hushållet i dag" inside a sentence: "… för hushållet i dag". */
const lowerFirst = (s: string, lang: string) => s.charAt(0).toLocaleLowerCase(lang) + s.slice(1);

function OutcomeTag({ outcome, testId = 'income-check-outcome' }: { outcome: IncomeCheckView['outcome']; testId?: string }) {
  const { t } = useT();
  return (
    <span data-outcome={outcome} data-testid={testId}>
      <ToneTag tone={INCOME_CHECK_TONE[outcome]}>{t(`fees.check.outcome.${outcome}`)}</ToneTag>
    </span>
  );
}

const dl: CSSProperties = { display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: 16, rowGap: 4, margin: '8px 0 0', fontSize: 13 };
const dt: CSSProperties = { color: 'var(--k-text-soft)', fontWeight: 600 };
const dd: CSSProperties = { margin: 0 };

/** The core's answer to a check, above the table until it is closed or the next check is made. */
function CheckResult({ saved, money, onClose }: { saved: Saved; money: (ore: number) => string; onClose: () => void }) {
  const { t, lang } = useT();
  const { country } = useSession();
  const { check: c, replaced } = saved;
  const next = checkConsequence(c, replaced, money);
  const row = (label: string, value: ReactNode, testId: string) => (
    <>
      <dt style={dt}>{label}</dt>
      <dd style={dd} data-testid={testId}>
        {value}
      </dd>
    </>
  );
  return (
    <div className="k-list-item" style={{ marginBottom: 8, background: '#f5f8fb' }} data-testid="income-check-result" data-outcome={c.outcome}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap={8}>
          <Text fw={650} size="sm">
            {t('fees.check.result.saved', { year: c.year })}
          </Text>
          <OutcomeTag outcome={c.outcome} testId="income-check-result-outcome" />
        </Group>
        <CloseButton size="sm" aria-label={t('common.close')} onClick={onClose} data-testid="income-check-result-close" />
      </Group>
      <dl style={dl}>
        {row(t('fees.check.col.taxed'), t('fees.check.result.taxed', { amount: money(c.taxedIncome), monthly: money(c.checkedMonthly) }), 'income-check-result-taxed')}
        {row(
          t('fees.check.col.declared'),
          c.declaredMonthly === null
            ? t('fees.check.result.declaredNone', { year: c.year })
            : t('fees.check.result.declared', { amount: money(c.declaredMonthly), months: t('fees.check.monthsDeclared', { count: c.monthsDeclared }) }),
          'income-check-result-declared',
        )}
        {c.declaredMonthly !== null &&
          row(
            t('fees.check.col.difference'),
            <strong>{t('fees.check.result.difference', { amount: formatSignedMoney(c.difference, lang, currencyOf(country)), threshold: money(c.threshold) })}</strong>,
            'income-check-result-difference',
          )}
        {row(t('fees.check.result.next'), t(next.key, next.vars), 'income-check-result-next')}
      </dl>
    </div>
  );
}

/** A check's 12 months: the declared income in force on each month's first day against the checked one. */
function CheckMonths({ check }: { check: IncomeCheckView }) {
  const { t, lang } = useT();
  const { country } = useSession();
  const money = useMoney();
  const currency = currencyOf(country);
  const rows = checkMonthRows(check);
  return (
    <div style={{ padding: '4px 4px 8px 24px' }} data-testid="income-check-months">
      {!check.current && (
        <Text size="sm" mb={4}>
          {t('fees.check.months.superseded', { year: check.year })}
        </Text>
      )}
      <table className="k-table k-table-dense" style={{ width: 'auto' }}>
        <caption style={{ textAlign: 'left', fontWeight: 600, fontSize: 13, padding: '2px 0 4px' }}>{t('fees.check.months.caption', { year: check.year })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('fees.check.months.col.month')}</th>
            <th scope="col" className="k-num-col">
              {t('fees.check.months.col.declared')}
            </th>
            <th scope="col" className="k-num-col">
              {t('fees.check.months.col.checked')}
            </th>
            <th scope="col" className="k-num-col">
              {t('fees.check.months.col.difference')}
            </th>
            <th scope="col">{t('fees.check.months.col.effect')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m, i) => {
            // Drawn here: the outer table's "no line under its last row" reaches these cells too.
            const line: CSSProperties = { borderBottom: i === rows.length - 1 ? 'none' : '1px solid #eceff2' };
            return (
              <tr key={m.month} data-testid="income-check-month" data-month={m.month} data-effect={m.effect}>
                <th scope="row" style={{ ...line, fontWeight: 400, color: 'inherit' }} className="k-nowrap">
                  {formatMonth(m.month, lang)}
                </th>
                <td className="k-num-col" style={line}>
                  {m.declared === null ? t('fees.income.notDeclared') : money(m.declared)}
                </td>
                <td className="k-num-col" style={line}>
                  {money(m.checked)}
                </td>
                <td className="k-num-col" style={line}>
                  {m.difference === null ? '–' : formatSignedMoney(m.difference, lang, currency)}
                </td>
                <td className="k-nowrap" style={line}>
                  {t(`fees.check.effect.${m.effect}`)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Text size="xs" mt={4} style={{ color: 'var(--k-text-soft)' }}>
        {t('fees.check.months.threshold', { amount: money(check.threshold) })}
        {check.note ? ` ${t('fees.check.months.note', { note: check.note })}` : ''}
      </Text>
    </div>
  );
}

function IncomeCheckDialog({
  household,
  title,
  checks,
  returnFocusId,
  onClose,
  onSaved,
}: {
  household: HouseholdView;
  title: string;
  checks: readonly IncomeCheckView[];
  returnFocusId: string;
  onClose: () => void;
  onSaved: (s: Saved) => void;
}) {
  const { t, lang } = useT();
  const api = useApi();
  const { today } = useSession();
  const money = useMoney();
  const f = useForm<IncomeCheckValues>(emptyIncomeCheck(today), { validate: validateIncomeCheck, mapError: (e, v) => mapIncomeCheckError(e, v) });
  const { v } = f;
  const lastYear = emptyIncomeCheck(today).year;
  // A refusal lands on its field once the form has drawn it: the focus goes there then (the core's answer
  // arrives after the form kit's own focus move has looked for it).
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals) document.querySelector<HTMLElement>('[data-testid="income-check-dialog"] [aria-invalid="true"]')?.focus();
  }, [refusals]);
  const save = async () => {
    const replaced = checkInForce(checks, Number(v.year.trim()));
    let called = false;
    const r = await f.submit(() => {
      called = true;
      return api.tryCall('income.check', toIncomeCheckInput(household.id, v));
    });
    if (r) onSaved({ check: r, replaced });
    else if (called) setRefusals((n) => n + 1);
  };
  const parsed = parseMoney(v.taxed);
  const earlier = /^\d{4}$/.test(v.year.trim()) ? checkInForce(checks, Number(v.year.trim())) : null;
  return (
    <FormDialog form={f} title={t('fees.check.dialogTitle')} testId="income-check-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('fees.check.submit')} returnFocusId={returnFocusId}>
      <Stack gap="sm">
        <Text size="sm">{t('fees.check.dialogText', { household: title, names: household.members.map((m) => m.person.name).join('; ') })}</Text>
        <div className="k-form-grid">
          <TextInput
            label={t('fees.check.year')}
            description={t('fees.check.yearHint', { year: lastYear })}
            value={v.year}
            onChange={(e) => f.set('year', e.currentTarget.value)}
            required
            autoFocus
            data-autofocus
            inputMode="numeric"
            autoComplete="off"
            maxLength={4}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('year')}
            data-testid="income-check-year"
          />
          <TextInput
            label={t('fees.check.taxed')}
            description={t('fees.check.taxedHint')}
            value={v.taxed}
            onChange={(e) => f.set('taxed', e.currentTarget.value)}
            required
            inputMode="decimal"
            autoComplete="off"
            rightSection={
              <span aria-hidden="true" style={{ fontSize: 13, color: 'var(--k-text-soft)' }}>
                kr
              </span>
            }
            rightSectionWidth={36}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('taxed')}
            data-testid="income-check-taxed"
          />
        </div>
        {typeof parsed === 'number' && parsed >= 0 && (
          <Text size="sm" aria-live="polite" data-testid="income-check-taxed-read">
            {t('fees.check.taxedIs', { amount: money(parsed), monthly: money(monthlyOf(parsed)) })}
          </Text>
        )}
        {earlier && (
          <Text size="sm" data-testid="income-check-replaces">
            {t('fees.check.replaces', { year: earlier.year, outcome: t(`fees.check.outcome.${earlier.outcome}`).toLocaleLowerCase(lang), date: formatDateTime(earlier.createdAt, lang) })}
          </Text>
        )}
        <Textarea label={t('fees.check.note')} value={v.note} onChange={(e) => f.set('note', e.currentTarget.value)} autosize minRows={2} maxRows={5} {...f.field('note')} data-testid="income-check-note" />
      </Stack>
    </FormDialog>
  );
}
