/**
 * The fee rules (#/fees/rules; fee.read): the dated rule sets of the municipality's country (Sweden: maxtaxa;
 * Norway: SFO/AKS and barnehage), the municipality's settings and (Sweden) its local rules, as the core has
 * them (fee.rules; "shipped defaults in force" until something is saved). For fee.write: a new rule set (a
 * copy of the latest from a new first month, ending the one before it), edit and remove (asked first; the
 * last set cannot go), the settings and the local rules, each in a dialog (RulesDialogs.tsx) that saves the
 * whole value with fee.rulesUpdate: what the dialog changed and the rest exactly as read. The core's refusal
 * lands on the dialog's field, or is named (rule set and field) at the dialog's top. Everyone else with
 * fee.read sees the same screen without the actions.
 */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ErrorState, Loading, PageTitle } from '../../components/common';
import { IconEdit, IconPlus } from '../../components/icons';
import { DataTable, type Column } from '../../kit';
import { useScreenAction } from '../../lib/actions';
import { useQuery } from '../../lib/api';
import { effectiveEnd, setStatus, type FeeRulesView, type LocalRule, type NoRuleSet, type SeRuleSet, type SetStatus } from '../../lib/fee-rules';
import { formatBasisPoints, formatMonth, formatNumber } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { ToneTag } from '../care/Badges';
import { useMoney } from './common';
import { LocalRuleDialog, NoSetDialog, RemoveDialog, SeSetDialog, SettingsDialog, useMonthName, type Notice } from './RulesDialogs';
import './fees.css';
import './rules.css';

/** What is open: a set's dialog (index null: a new set), the settings, a local rule, a removal. */
type Open =
  | { kind: 'set'; index: number | null }
  | { kind: 'removeSet'; index: number }
  | { kind: 'settings' }
  | { kind: 'local'; index: number | null }
  | { kind: 'removeLocal'; index: number };

export function FeeRulesScreen() {
  const { t } = useT();
  const q = useQuery('fee.rules', {});
  // The answer of the last save is the value now (fee.rulesUpdate answers with what fee.rules would).
  const [saved, setSaved] = useState<FeeRulesView | null>(null);
  // A newer answer of fee.rules (a reload, a change that came from another workstation) replaces it.
  useEffect(() => setSaved(null), [q.data]);
  const { reload } = q;
  const reloadAll = useCallback(() => {
    setSaved(null);
    reload();
  }, [reload]);
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: reloadAll }), [reloadAll]));
  const view = saved ?? q.data;
  if (q.error && !view) {
    return (
      <div className="k-page">
        <PageTitle>{t('feeRules.title')}</PageTitle>
        <ErrorState error={q.error} onRetry={q.reload} />
      </div>
    );
  }
  if (!view) return <Loading />;
  return <Rules view={view} onSaved={setSaved} />;
}

/** "1, 2, 3, 4" → "1–4"; "2, 4" → "2, 4". */
export function rangesText(xs: readonly number[]): string {
  const s = [...new Set(xs)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(j - i >= 2 ? `${s[i]}–${s[j]}` : s.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return out.join(', ');
}

function Rules({ view, onSaved }: { view: FeeRulesView; onSaved: (v: FeeRulesView) => void }) {
  const { t } = useT();
  const session = useSession();
  const canWrite = session.can('fee.write');
  const country = session.country;
  const [open, setOpen] = useState<Open | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const done = (next: FeeRulesView, n: Notice) => {
    onSaved(next);
    setOpen(null);
    setNotice(n);
  };
  const newSet = useCallback(() => {
    setNotice(null);
    setOpen({ kind: 'set', index: null });
  }, []);
  useScreenAction(useMemo(() => (canWrite ? { id: 'newFeeRuleSet' as const, label: 'feeRules.sets.new' as const, run: newSet, group: 'create' as const } : null), [canWrite, newSet]));
  const start = (o: Open) => {
    setNotice(null);
    setOpen(o);
  };
  const sets = country === 'NO' ? view.no : view.se;

  return (
    <div className="k-page k-page-wide" data-testid="fee-rules-screen" data-country={country}>
      <PageTitle>{t('feeRules.title')}</PageTitle>
      <p className="k-lead">{t(country === 'NO' ? 'feeRules.intro.no' : 'feeRules.intro.se')}</p>
      {view.defaults && (
        <Alert color="yellow" variant="light" mb="md" title={t('feeRules.defaults.title')} data-testid="fee-rules-defaults" styles={{ title: { color: '#5c3d00' }, message: { color: '#3d2a00' } }}>
          {t('feeRules.defaults.text')}
        </Alert>
      )}
      {!canWrite && (
        <Alert color="blue" variant="light" mb="md" data-testid="fee-rules-read-only" styles={{ message: { color: '#1c2f4a' } }}>
          {t('feeRules.readOnly')}
        </Alert>
      )}
      <div role="status" aria-live="polite" data-testid="fee-rules-status">
        {notice && (
          <div className="k-flash" data-testid="fee-rules-notice">
            {t(notice.key, notice.vars)}
          </div>
        )}
      </div>
      <Stack gap="md">
        <section className="k-section" aria-labelledby="fee-rules-sets-title" data-testid="fee-rules-sets">
          <Group justify="space-between" align="center" mb={8} wrap="wrap">
            <h2 className="k-section-title" id="fee-rules-sets-title" style={{ margin: 0 }}>
              {t(country === 'NO' ? 'feeRules.sets.title.no' : 'feeRules.sets.title.se')}
            </h2>
            {canWrite && (
              <Button id="fee-rules-new-set" leftSection={<IconPlus size={16} />} onClick={newSet} data-testid="fee-rules-new-set">
                {t('feeRules.sets.new')}
              </Button>
            )}
          </Group>
          <Text size="sm" mb="xs" c="dimmed">
            {t('feeRules.sets.hint')}
            {country === 'SE' && ` ${t('feeRules.sets.hintRanks')}`}
          </Text>
          {country === 'NO' ? (
            <NoSetsTable sets={view.no} canWrite={canWrite} onEdit={(index) => start({ kind: 'set', index })} onRemove={(index) => start({ kind: 'removeSet', index })} />
          ) : (
            <SeSetsTable sets={view.se} canWrite={canWrite} onEdit={(index) => start({ kind: 'set', index })} onRemove={(index) => start({ kind: 'removeSet', index })} />
          )}
        </section>

        <SettingsSection view={view} canWrite={canWrite} onEdit={() => start({ kind: 'settings' })} />

        {country === 'SE' && <LocalRulesSection rules={view.settings.local} canWrite={canWrite} onAdd={() => start({ kind: 'local', index: null })} onEdit={(index) => start({ kind: 'local', index })} onRemove={(index) => start({ kind: 'removeLocal', index })} />}
      </Stack>

      {open?.kind === 'set' && country === 'SE' && <SeSetDialog view={view} index={open.index} onClose={close} onSaved={done} />}
      {open?.kind === 'set' && country === 'NO' && <NoSetDialog view={view} index={open.index} onClose={close} onSaved={done} />}
      {open?.kind === 'removeSet' && sets[open.index] && <RemoveDialog view={view} what={{ part: country === 'NO' ? 'no' : 'se', index: open.index }} onClose={close} onSaved={done} />}
      {open?.kind === 'settings' && <SettingsDialog view={view} onClose={close} onSaved={done} />}
      {open?.kind === 'local' && <LocalRuleDialog view={view} index={open.index} onClose={close} onSaved={done} />}
      {open?.kind === 'removeLocal' && view.settings.local[open.index] && <RemoveDialog view={view} what={{ part: 'local', index: open.index }} onClose={close} onSaved={done} />}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The rule sets
// ---------------------------------------------------------------------------------------------

const STATUS_TONE: Record<SetStatus, 'ok' | 'info' | 'neutral'> = { current: 'ok', future: 'info', past: 'neutral' };

function StatusTag({ status }: { status: SetStatus }) {
  const { t } = useT();
  return (
    <span data-testid="fee-rule-set-status" data-status={status}>
      <ToneTag tone={STATUS_TONE[status]}>{t(`feeRules.status.${status}`)}</ToneTag>
    </span>
  );
}

/** "januari 2026", "juni 2026"; "juli 2026", "tills vidare" (and, for an open set a later one ends, the month before it starts). */
function usePeriod(): (sets: readonly { id: string; validFrom: string; validTo: string | null }[], s: { id: string; validFrom: string; validTo: string | null }) => { from: string; to: string } {
  const { t, lang } = useT();
  return useCallback(
    (sets, s) => {
      const end = effectiveEnd(sets, s);
      return { from: formatMonth(s.validFrom, lang), to: end ? formatMonth(end, lang) : t('feeRules.period.open') };
    },
    [t, lang],
  );
}

/** The months a set covers: each month unbroken, the line may break after the dash. */
function PeriodText({ from, to }: { from: string; to: string }) {
  return (
    <span style={{ display: 'block' }} data-testid="fee-rule-set-period">
      <span className="k-nowrap">{from} –</span> <span className="k-nowrap">{to}</span>
    </span>
  );
}

type Row<S> = { set: S; index: number };

/** The columns every set has: months, status, name; then the country's figures; then source and the row's actions. */
function useSetColumns<S extends SeRuleSet | NoRuleSet>(sets: readonly S[], figures: Column<Row<S>>[], canWrite: boolean, onEdit: (i: number) => void, onRemove: (i: number) => void): Column<Row<S>>[] {
  const { t } = useT();
  const { today } = useSession();
  const period = usePeriod();
  return useMemo<Column<Row<S>>[]>(
    () => [
      {
        id: 'period',
        header: t('feeRules.col.period'),
        // The months, and under them whether the set is in force now, upcoming or over.
        cell: (r) => (
          <>
            <PeriodText {...period(sets, r.set)} />
            <StatusTag status={setStatus(sets, r.set, today)} />
          </>
        ),
        text: (r) => r.set.validFrom,
      },
      { id: 'status', header: t('feeRules.col.status'), cell: (r) => t(`feeRules.status.${setStatus(sets, r.set, today)}`), text: (r) => t(`feeRules.status.${setStatus(sets, r.set, today)}`), optional: true, hiddenByDefault: true },
      { id: 'name', header: t('feeRules.col.name'), cell: (r) => <span className="k-fee-rules-name">{r.set.name}</span>, text: (r) => r.set.name, rowHeader: true },
      ...figures,
      {
        id: 'source',
        header: t('feeRules.col.source'),
        cell: (r) => (r.set.source ? <span className="k-fee-rules-source">{r.set.source}</span> : <span className="k-empty">{t('feeRules.source.none')}</span>),
        text: (r) => r.set.source,
        optional: true,
      },
      ...(canWrite
        ? [
            {
              id: 'actions',
              header: t('feeRules.col.actions'),
              sortable: false,
              noExport: true,
              cell: (r: Row<S>) => <RowButtons name={r.set.name} index={r.index} kind="set" onEdit={onEdit} onRemove={sets.length > 1 ? onRemove : null} />,
            },
          ]
        : []),
    ],
    [t, period, sets, today, figures, canWrite, onEdit, onRemove],
  );
}

/** Edit and Remove in a row (Remove left out when it cannot be done: the last rule set). */
function RowButtons({ name, index, kind, onEdit, onRemove }: { name: string; index: number; kind: 'set' | 'local'; onEdit: (i: number) => void; onRemove: ((i: number) => void) | null }) {
  const { t } = useT();
  // One above the other: the figures get the row's width.
  return (
    <Stack gap={4} align="stretch" className="k-fee-rules-row-actions">
      <Button size="xs" variant="default" leftSection={<IconEdit size={14} />} onClick={() => onEdit(index)} aria-label={t(kind === 'set' ? 'feeRules.sets.editAria' : 'feeRules.local.editAria', { name })} data-testid={`fee-rule-${kind}-edit`}>
        {t('feeRules.edit')}
      </Button>
      {onRemove && (
        <Button
          size="xs"
          variant="outline"
          color="red"
          c="#a61b1b"
          style={{ borderColor: '#a61b1b' }}
          onClick={() => onRemove(index)}
          aria-label={t(kind === 'set' ? 'feeRules.sets.removeAria' : 'feeRules.local.removeAria', { name })}
          data-testid={`fee-rule-${kind}-remove`}
        >
          {t('feeRules.remove')}
        </Button>
      )}
    </Stack>
  );
}

const newestFirst = <S extends { validFrom: string }>(sets: readonly S[]): Row<S>[] => sets.map((set, index) => ({ set, index })).sort((a, b) => b.set.validFrom.localeCompare(a.set.validFrom));

/** A country's rule sets, newest first: the figures the country's table adds, then the period and the row's buttons. */
function SetsTable<S extends SeRuleSet | NoRuleSet>(props: {
  country: 'se' | 'no';
  sets: readonly S[];
  figures: Column<Row<S>>[];
  canWrite: boolean;
  onEdit: (i: number) => void;
  onRemove: (i: number) => void;
}) {
  const { t } = useT();
  const { country, sets, canWrite, onEdit } = props;
  const columns = useSetColumns(sets, props.figures, canWrite, onEdit, props.onRemove);
  const rows = useMemo(() => newestFirst(sets), [sets]);
  return (
    <div className="k-table-scroll">
      <DataTable
        id={`fee-rule-sets-${country}`}
        caption={t(country === 'se' ? 'feeRules.sets.caption.se' : 'feeRules.sets.caption.no')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.set.id}
        onOpen={canWrite ? (r) => onEdit(r.index) : undefined}
        testId="fee-rule-sets-table"
        rowTestId="fee-rule-set-row"
        rowProps={(r) => ({ 'data-id': r.set.id, 'data-from': r.set.validFrom, 'data-to': r.set.validTo ?? '' })}
        dense
      />
    </div>
  );
}

function SeSetsTable({ sets, canWrite, onEdit, onRemove }: { sets: readonly SeRuleSet[]; canWrite: boolean; onEdit: (i: number) => void; onRemove: (i: number) => void }) {
  const { t, lang } = useT();
  const money = useMoney();
  const pct = useCallback((xs: readonly number[]) => xs.map((bp) => formatBasisPoints(bp, lang)).join(' · '), [lang]);
  const figures = useMemo<Column<Row<SeRuleSet>>[]>(
    () => [
      { id: 'ceiling', header: t('feeRules.col.ceiling'), kind: 'number', cell: (r) => <span data-testid="fee-rule-set-ceiling" data-ore={r.set.ceiling}>{money(r.set.ceiling)}</span>, text: (r) => r.set.ceiling / 100 },
      { id: 'incomeFloor', header: t('feeRules.col.incomeFloor'), kind: 'number', cell: (r) => money(r.set.incomeFloor), text: (r) => r.set.incomeFloor / 100 },
      { id: 'preschool', header: t('feeRules.col.preschool'), cell: (r) => <span className="k-nowrap">{pct(r.set.percent.preschool)}</span>, text: (r) => pct(r.set.percent.preschool), sortable: false },
      { id: 'afterschool', header: t('feeRules.col.afterschool'), cell: (r) => <span className="k-nowrap">{pct(r.set.percent.afterschool)}</span>, text: (r) => pct(r.set.percent.afterschool), sortable: false },
    ],
    [t, money, pct],
  );
  return <SetsTable country="se" sets={sets} figures={figures} canWrite={canWrite} onEdit={onEdit} onRemove={onRemove} />;
}

/** Figures with their names, one a line, in one cell. */
function lines(xs: [string, string][]): ReactNode {
  return (
    <div className="k-fee-rules-figs">
      {xs.map(([label, value], i) => (
        <div key={i} className="k-fee-rules-fig">
          <span className="k-fee-rules-fig-label">{label}</span> <span className="k-fee-rules-fig-value">{value}</span>
        </div>
      ))}
    </div>
  );
}

function NoSetsTable({ sets, canWrite, onEdit, onRemove }: { sets: readonly NoRuleSet[]; canWrite: boolean; onEdit: (i: number) => void; onRemove: (i: number) => void }) {
  const { t, lang } = useT();
  const money = useMoney();
  const pct = useCallback((bp: number) => formatBasisPoints(bp, lang), [lang]);
  const g = useCallback((th: number) => `${formatNumber(th / 1000, lang, { maximumFractionDigits: 3 })} G`, [lang]);
  const sfoLines = useCallback(
    (s: NoRuleSet): [string, string][] => [
      [t('feeRules.fig.g'), money(s.g)],
      ...s.sfo.bands.map((b, i): [string, string] => [
        b.upToGThousandths === null ? t('feeRules.fig.bandRest') : t('feeRules.fig.bandUpTo', { g: g(b.upToGThousandths) }),
        t('feeRules.fig.bandFees', { full: money(b.full), part: money(b.part), n: i + 1 }),
      ]),
      [t('feeRules.fig.national'), t('feeRules.fig.nationalText', { percent: pct(s.sfo.national.capBp), grades: rangesText(s.sfo.national.grades), income: money(s.sfo.national.incomeBelow) })],
      [t('feeRules.fig.freeHours'), t('feeRules.fig.freeHoursText', { hours: s.sfo.freeHours.hours, grades: rangesText(s.sfo.freeHours.grades), amount: money(s.sfo.freeHours.reduction) })],
    ],
    [t, money, pct, g],
  );
  const bhgLines = useCallback(
    (s: NoRuleSet): [string, string][] => [
      [t('feeRules.fig.maxPrice'), money(s.barnehage.maxPrice)],
      [t('feeRules.fig.siblings'), s.barnehage.siblingDiscountBp.length ? s.barnehage.siblingDiscountBp.map((bp, i) => t('feeRules.fig.siblingRank', { n: i + 2, percent: pct(bp) })).join(' · ') : t('feeRules.fig.none')],
      [t('feeRules.fig.incomeCap'), pct(s.barnehage.incomeCapBp)],
      [
        t('feeRules.fig.freeCore'),
        t('feeRules.fig.freeCoreText', { hours: s.barnehage.freeCore.hoursPerWeek, full: s.barnehage.freeCore.fullWeekHours, ages: rangesText(s.barnehage.freeCore.ages), income: money(s.barnehage.freeCore.incomeBelow) }),
      ],
    ],
    [t, money, pct],
  );
  const figures = useMemo<Column<Row<NoRuleSet>>[]>(
    () => [
      { id: 'sfo', header: t('feeRules.col.sfo'), cell: (r) => lines(sfoLines(r.set)), text: (r) => sfoLines(r.set).map(([a, b]) => `${a} ${b}`).join('; '), sortable: false },
      { id: 'barnehage', header: t('feeRules.col.barnehage'), cell: (r) => lines(bhgLines(r.set)), text: (r) => bhgLines(r.set).map(([a, b]) => `${a} ${b}`).join('; '), sortable: false },
    ],
    [t, sfoLines, bhgLines],
  );
  return <SetsTable country="no" sets={sets} figures={figures} canWrite={canWrite} onEdit={onEdit} onRemove={onRemove} />;
}

// ---------------------------------------------------------------------------------------------
// The municipality's settings
// ---------------------------------------------------------------------------------------------

function SettingsSection({ view, canWrite, onEdit }: { view: FeeRulesView; canWrite: boolean; onEdit: () => void }) {
  const { t } = useT();
  const money = useMoney();
  const s = view.settings;
  const items: [string, string, ReactNode, string?][] = [
    ['dayCount', t('feeRules.field.dayCount'), t(`feeRules.dayCount.${s.dayCount}`)],
    ['freeStartDays', t('feeRules.field.freeStartDays'), t('feeRules.days', { count: s.freeStartDays })],
    ['rounding', t('feeRules.field.rounding'), t(`feeRules.rounding.${s.rounding}`)],
    ['sharedResidence', t('feeRules.field.sharedResidence'), t(`feeRules.shared.${s.sharedResidence}`), t(`feeRules.sharedHint.${s.sharedResidence}`)],
    ['incomeCheckThreshold', t('feeRules.settings.incomeCheck'), t('feeRules.perMonth', { amount: money(s.incomeCheckThreshold) })],
    ['correctionMonths', t('feeRules.field.correctionMonths'), t('feeRules.months', { count: s.correctionMonths })],
    ['paymentTermsDays', t('feeRules.field.paymentTermsDays'), t('feeRules.days', { count: s.paymentTermsDays })],
  ];
  return (
    <section className="k-section" aria-labelledby="fee-rules-settings-title" data-testid="fee-rules-settings">
      <Group justify="space-between" align="center" mb={8} wrap="wrap">
        <h2 className="k-section-title" id="fee-rules-settings-title" style={{ margin: 0 }}>
          {t('feeRules.settings.title')}
        </h2>
        {canWrite && (
          <Button id="fee-rules-edit-settings" variant="default" leftSection={<IconEdit size={16} />} onClick={onEdit} data-testid="fee-rules-edit-settings">
            {t('feeRules.settings.edit')}
          </Button>
        )}
      </Group>
      <dl className="k-fee-rules-settings">
        {items.map(([id, label, value, hint]) => (
          <div key={id} className="k-fee-rules-setting" data-testid={`fee-setting-${id}`}>
            <dt>{label}</dt>
            <dd>
              {value}
              {hint && <span className="k-fee-rules-hint">{hint}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Local rules (Sweden: the maxtaxa calculation applies them)
// ---------------------------------------------------------------------------------------------

/** A local rule's conditions and effect in words. */
export function useLocalRuleText(): { conditions: (r: LocalRule) => string[]; effect: (r: LocalRule) => string } {
  const { t, lang } = useT();
  const money = useMoney();
  const month = useMonthName();
  return useMemo(
    () => ({
      conditions: (r: LocalRule) => {
        const w = r.when;
        const out: string[] = [];
        if (w.family) out.push(t(`feeRules.family.${w.family}`));
        if (w.incomeBelow !== undefined) out.push(t('feeRules.when.incomeBelow', { amount: money(w.incomeBelow) }));
        if (w.ageFrom !== undefined && w.ageTo !== undefined) out.push(t('feeRules.when.ageBetween', { from: w.ageFrom, to: w.ageTo }));
        else if (w.ageFrom !== undefined) out.push(t('feeRules.when.ageFrom', { from: w.ageFrom }));
        else if (w.ageTo !== undefined) out.push(t('feeRules.when.ageTo', { to: w.ageTo }));
        if (w.fromAutumnOfYearTurning !== undefined) out.push(t('feeRules.when.autumn', { age: w.fromAutumnOfYearTurning }));
        if (w.months?.length) out.push(t('feeRules.when.months', { months: w.months.map((m) => month(m, 'short')).join(', ') }));
        if (w.weeklyHoursAtMost !== undefined) out.push(t('feeRules.when.weeklyHours', { hours: w.weeklyHoursAtMost }));
        return out;
      },
      effect: (r: LocalRule) => {
        const e = r.effect;
        if (e.kind === 'free') return t('feeRules.effect.text.free');
        if (e.kind === 'reduce') return t('feeRules.effect.text.reduce', { percent: formatBasisPoints(e.bp, lang) });
        if (e.kind === 'percent') return t('feeRules.effect.text.percent', { percents: e.byRank.map((bp) => formatBasisPoints(bp, lang)).join(' · ') });
        return t('feeRules.effect.text.free_hours', { hours: e.hours, full: e.fullWeekHours });
      },
    }),
    [t, lang, money, month],
  );
}

type LocalRow = { rule: LocalRule; index: number };

function LocalRulesSection({ rules, canWrite, onAdd, onEdit, onRemove }: { rules: readonly LocalRule[]; canWrite: boolean; onAdd: () => void; onEdit: (i: number) => void; onRemove: (i: number) => void }) {
  const { t } = useT();
  const text = useLocalRuleText();
  const rows = useMemo(() => rules.map((rule, index) => ({ rule, index })), [rules]);
  const columns = useMemo<Column<LocalRow>[]>(
    () => [
      { id: 'label', header: t('feeRules.local.col.label'), cell: (r) => r.rule.label, text: (r) => r.rule.label, rowHeader: true },
      {
        id: 'when',
        header: t('feeRules.local.col.when'),
        cell: (r) => {
          const c = text.conditions(r.rule);
          return c.length ? (
            <ul className="k-fee-rules-conditions">
              {c.map((x, i) => (
                <li key={i}>{x}</li>
              ))}
            </ul>
          ) : (
            <span className="k-empty">{t('feeRules.when.always')}</span>
          );
        },
        text: (r) => text.conditions(r.rule).join('; ') || t('feeRules.when.always'),
        sortable: false,
      },
      { id: 'effect', header: t('feeRules.local.col.effect'), cell: (r) => <span data-testid="fee-local-rule-effect" data-kind={r.rule.effect.kind}>{text.effect(r.rule)}</span>, text: (r) => text.effect(r.rule) },
      ...(canWrite
        ? [{ id: 'actions', header: t('feeRules.col.actions'), sortable: false, noExport: true, cell: (r: LocalRow) => <RowButtons name={r.rule.label} index={r.index} kind="local" onEdit={onEdit} onRemove={onRemove} /> }]
        : []),
    ],
    [t, text, canWrite, onEdit, onRemove],
  );
  return (
    <section className="k-section" aria-labelledby="fee-rules-local-title" data-testid="fee-rules-local">
      <Group justify="space-between" align="center" mb={8} wrap="wrap">
        <h2 className="k-section-title" id="fee-rules-local-title" style={{ margin: 0 }}>
          {t('feeRules.local.title')}
        </h2>
        {canWrite && (
          <Button id="fee-rules-new-local" variant="default" leftSection={<IconPlus size={16} />} onClick={onAdd} disabled={rules.length >= 50} data-testid="fee-rules-new-local">
            {t('feeRules.local.new')}
          </Button>
        )}
      </Group>
      <Text size="sm" mb="xs" c="dimmed">
        {t('feeRules.local.hint')}
      </Text>
      {rows.length === 0 ? (
        <p className="k-empty" style={{ margin: 0 }} data-testid="fee-rules-local-empty">
          {t('feeRules.local.empty')}
        </p>
      ) : (
        <DataTable
          id="fee-local-rules"
          caption={t('feeRules.local.caption')}
          columns={columns}
          rows={rows}
          rowKey={(r) => r.rule.id}
          onOpen={canWrite ? (r) => onEdit(r.index) : undefined}
          testId="fee-local-rules-table"
          rowTestId="fee-local-rule-row"
          rowProps={(r) => ({ 'data-id': r.rule.id })}
          dense
        />
      )}
    </section>
  );
}

