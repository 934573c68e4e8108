/**
 * The fee rules' dialogs (Rules.tsx): a Swedish or Norwegian rule set (new: a copy of the latest from a
 * new first month; edit), the municipality's settings, a local rule, and removing a set or a local rule.
 * Each saves the whole value with fee.rulesUpdate (what it changed, the rest exactly as read) and maps the
 * core's refusal to its field, or names the rule set and field at its top (lib/fee-rules.ts). Money is
 * typed in kronor (stored in öre/øre), percentages in % (basis points), income bands in multiples of G
 * (thousandths of G). Keyboard as in every form dialog: the first field has focus, Ctrl+S saves, Esc
 * cancels (asking first when something was typed).
 */
import { Button, Checkbox, NativeSelect, Radio, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useCallback, useId, useRef, useState, type ReactNode } from 'react';
import { IconPlus } from '../../components/icons';
import { FormDialog, useForm, type FieldErrors, type Form } from '../../kit';
import { useApi } from '../../lib/api';
import {
  addSet,
  bandPath,
  BARNEHAGE_AGES,
  DAY_COUNTS,
  defaultNewMonth,
  emptyLocalRule,
  FEE_FAMILIES,
  GRADES,
  LIMITS,
  LOCAL_EFFECTS,
  localFieldKnown,
  localToValues,
  mapRulesError,
  MONTHS,
  newBandKey,
  newSetFrom,
  noFieldKnown,
  noToValues,
  parseKronor,
  periodText,
  rankInputs,
  removeSet,
  replaceAt,
  ROUNDINGS,
  rulesInput,
  seFieldKnown,
  seToValues,
  setRank,
  typedMonth,
  settingsFieldKnown,
  settingsToValues,
  SHARED_RESIDENCE_MODELS,
  uniqueLocalId,
  uniqueSetId,
  validateLocal,
  validateNo,
  validateSe,
  validateSettings,
  valuesToLocal,
  valuesToNo,
  valuesToSe,
  valuesToSettings,
  type FeeRulesInput,
  type FeeRulesView,
  type LocalEffectKind,
  type LocalRuleValues,
  type NoRuleSet,
  type NoSetValues,
  type RulesTarget,
  type SeRuleSet,
  type SeSetValues,
  type SettingsValues,
} from '../../lib/fee-rules';
import { formatMonth, LOCALES } from '../../lib/format';
import { useT, type TKey, type TVars } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { useMoney } from './common';

/** What the screen says after a save. */
export interface Notice {
  key: TKey;
  vars?: TVars;
}

/** Months of the year in the reader's language ("januari" / "jan."). */
export function useMonthName(): (m: number, style?: 'long' | 'short') => string {
  const { lang } = useT();
  return useCallback((m: number, style: 'long' | 'short' = 'long') => new Intl.DateTimeFormat(LOCALES[lang], { month: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2026, m - 1, 1))), [lang]);
}

interface DialogProps {
  view: FeeRulesView;
  onClose: () => void;
  /** Saved: the value the core answered with, and what the screen says about it. */
  onSaved: (view: FeeRulesView, notice: Notice) => void;
}

/**
 * The form and its save: `build` gives the whole value to write (called only once the form's checks
 * pass); the answer is the value now and what was sent.
 */
function useRulesForm<V extends object>(view: FeeRulesView, initial: V, opts: { validate: (v: V) => FieldErrors; target: RulesTarget; known: (v: V) => (path: string) => boolean }) {
  const { t, lang } = useT();
  const api = useApi();
  const sent = useRef<FeeRulesInput>(rulesInput(view, {}));
  const f = useForm<V>(initial, {
    validate: opts.validate,
    mapError: (e, v) => mapRulesError(e, { target: opts.target, known: opts.known(v), sent: sent.current, t, lang }),
  });
  const save = async (build: (v: V) => FeeRulesInput): Promise<{ view: FeeRulesView; sent: FeeRulesInput } | null> => {
    const r = await f.submit(() => {
      sent.current = build(f.v);
      return api.tryCall('fee.rulesUpdate', sent.current);
    });
    return r ? { view: r, sent: sent.current } : null;
  };
  return { f, save };
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/**
 * A figure typed as text (kronor, %, hours): its unit beside it, the hint under it; an amount in kronor also
 * says what it reads as ("Läses som 65 000,00 kr."), so a misplaced decimal mark shows before saving.
 */
function FigureInput(props: {
  label: string;
  value: string;
  onChange: (s: string) => void;
  field: { name: string; error: ReactNode };
  unit?: string;
  description?: ReactNode;
  w?: number | string;
  required?: boolean;
  testId?: string;
  autoFocus?: boolean;
  ariaLabel?: string;
}) {
  const { t } = useT();
  const money = useMoney();
  const ore = props.unit === 'kr' ? parseKronor(props.value) : null;
  const reads = typeof ore === 'number' ? t('feeRules.reads', { amount: money(ore) }) : null;
  const description =
    reads !== null ? (
      <>
        {props.description && <span style={{ display: 'block' }}>{props.description}</span>}
        <span aria-live="polite" data-testid={props.testId ? `${props.testId}-reads` : undefined}>
          {reads}
        </span>
      </>
    ) : (
      props.description
    );
  return (
    <TextInput
      label={props.label}
      aria-label={props.ariaLabel}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      inputMode="decimal"
      autoComplete="off"
      required={props.required}
      description={description}
      rightSection={props.unit ? <span className="k-fee-rules-unit" aria-hidden="true">{props.unit}</span> : undefined}
      rightSectionWidth={props.unit ? 44 : undefined}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      styles={{ wrapper: { maxWidth: props.w ?? 240 } }}
      data-autofocus={props.autoFocus || undefined}
      data-testid={props.testId}
      {...props.field}
    />
  );
}

/** A month typed as 2027-01 (or 1/2027); the line under it says which month it reads as. */
function MonthInput(props: { label: string; value: string; onChange: (s: string) => void; field: { name: string; error: ReactNode }; hint: string; required?: boolean; autoFocus?: boolean; testId: string }) {
  const { t, lang } = useT();
  const m = typedMonth(props.value);
  const description = m !== null && props.value.trim() !== m ? t('feeRules.month.reads', { month: formatMonth(m, lang) }) : props.hint;
  return (
    <TextInput
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      autoComplete="off"
      required={props.required}
      description={<span aria-live="polite">{description}</span>}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      styles={{ wrapper: { maxWidth: 200 } }}
      data-autofocus={props.autoFocus || undefined}
      data-testid={props.testId}
      {...props.field}
    />
  );
}

/** Percentages by rank ("child 1", "child 2" …): the ones typed and one empty more; errors under the row. */
function RankInputs(props: { legend: string; path: string; list: readonly string[]; onChange: (list: string[], path: string) => void; err: (path: string) => ReactNode; first?: number; hint?: string; testId: string }) {
  const { t } = useT();
  const first = props.first ?? 1;
  const shown = rankInputs(props.list, props.first === 2 ? LIMITS.siblingRanks : LIMITS.ranks);
  const errId = useId();
  const errors = shown.map((_, i) => props.err(`${props.path}.${i}`));
  const anyError = errors.some(Boolean);
  return (
    <fieldset className="k-fee-rules-group" data-testid={props.testId}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <Text size="xs" c="dimmed" mb={4}>
          {props.hint}
        </Text>
      )}
      <div className="k-fee-rules-ranks">
        {shown.map((x, i) => (
          <TextInput
            key={i}
            label={t('feeRules.rank', { n: i + first })}
            value={x}
            onChange={(e) => props.onChange(setRank(props.list, i, e.currentTarget.value), `${props.path}.${i}`)}
            name={`${props.path}.${i}`}
            error={errors[i] ? true : undefined}
            aria-describedby={errors[i] ? errId : undefined}
            inputMode="decimal"
            autoComplete="off"
            rightSection={<span className="k-fee-rules-unit" aria-hidden="true">%</span>}
            rightSectionWidth={28}
            w={96}
            data-testid={`${props.testId}-${i}`}
          />
        ))}
      </div>
      {anyError && (
        <div id={errId} className="k-fee-rules-errors" data-k-error="true">
          {errors.map((e, i) =>
            e ? (
              <Text key={i} size="sm" c="#a61b1b">
                {t('feeRules.rank', { n: i + first })}: {e}
              </Text>
            ) : null,
          )}
        </div>
      )}
    </fieldset>
  );
}

/** Checkboxes for a set of numbers (months, grades, ages); none checked may mean "all" (the hint says). */
function CheckList(props: { legend: string; options: readonly { value: number; label: string }[]; value: readonly number[]; onChange: (v: number[]) => void; name: string; error: ReactNode; hint?: string; testId: string }) {
  const errId = useId();
  return (
    <fieldset className="k-fee-rules-group" data-testid={props.testId}>
      <legend>{props.legend}</legend>
      {props.hint && (
        <Text size="xs" c="dimmed" mb={4}>
          {props.hint}
        </Text>
      )}
      <div className="k-fee-rules-checks">
        {props.options.map((o) => (
          <Checkbox
            key={o.value}
            label={o.label}
            checked={props.value.includes(o.value)}
            onChange={(e) => props.onChange(e.currentTarget.checked ? [...props.value, o.value].sort((a, b) => a - b) : props.value.filter((x) => x !== o.value))}
            name={props.name}
            aria-describedby={props.error ? errId : undefined}
            data-testid={`${props.testId}-${o.value}`}
          />
        ))}
      </div>
      {props.error && (
        <Text id={errId} size="sm" c="#a61b1b" mt={4} data-k-error="true">
          {props.error}
        </Text>
      )}
    </fieldset>
  );
}

function useMonthOptions(): { value: number; label: string }[] {
  const month = useMonthName();
  return MONTHS.map((m) => ({ value: m, label: month(m) }));
}

// ---------------------------------------------------------------------------------------------
// A Swedish rule set
// ---------------------------------------------------------------------------------------------

/**
 * The first month's onChange: a new set's proposed name ("Maxtaxa från januari 2027") follows the first
 * month until the administrator names the set themselves.
 */
function useAutoName<V extends { validFrom: string; name: string }>(f: Form<V>, isNew: boolean, proposed: string, autoName: (month: string) => string): (s: string) => void {
  const auto = useRef(proposed);
  return (s: string) => {
    const now = typedMonth(s);
    if (isNew && now !== null && f.v.name === auto.current) {
      auto.current = autoName(now);
      f.setMany({ validFrom: s, name: auto.current } as Partial<V>);
    } else f.set('validFrom', s as V['validFrom']);
  };
}

/** A new set's notice, or an edited one's. */
function setNotice(name: string, ended: { name: string; validTo: string | null } | null, isNew: boolean, lang: Parameters<typeof formatMonth>[1]): Notice {
  if (!isNew) return { key: 'feeRules.saved.set', vars: { name } };
  return ended?.validTo ? { key: 'feeRules.saved.newSetEnded', vars: { name, ended: ended.name, month: formatMonth(ended.validTo, lang) } } : { key: 'feeRules.saved.newSet', vars: { name } };
}

/** What saving a new set from `from` does to the set before it (said in the dialog before saving). */
function EndsNote<S extends SeRuleSet | NoRuleSet>({ sets, from, probe }: { sets: readonly S[]; from: string; probe: S }) {
  const { t, lang } = useT();
  const m = typedMonth(from);
  if (m === null) return null;
  const { ended } = addSet(sets, { ...probe, validFrom: m });
  return (
    <Text size="sm" className="k-fee-rules-note" data-testid="fee-rule-set-ends-note" aria-live="polite">
      {ended?.validTo ? t('feeRules.set.endsPrevious', { name: ended.name, month: formatMonth(ended.validTo, lang) }) : t('feeRules.set.endsNothing')}
    </Text>
  );
}

/**
 * Where a rule set's dialog starts: the set edited, or a new one from the month after the latest (named after
 * its first month until the administrator names it); the index it is saved at.
 */
function useSetStart<S extends SeRuleSet | NoRuleSet>(country: 'SE' | 'NO', sets: readonly S[], index: number | null): { base: S; isNew: boolean; targetIndex: number; autoName: (from: string) => string } {
  const { t, lang } = useT();
  const { today } = useSession();
  const autoName = (from: string) => t(country === 'SE' ? 'feeRules.newName.se' : 'feeRules.newName.no', { month: formatMonth(from, lang) });
  const [base] = useState<S>(() => {
    if (index !== null) return sets[index]!;
    const from = defaultNewMonth(country, today, sets);
    return newSetFrom(sets, from, autoName(from));
  });
  return { base, isNew: index === null, targetIndex: index ?? sets.length, autoName };
}

export function SeSetDialog({ view, index, onClose, onSaved }: DialogProps & { index: number | null }) {
  const { t, lang } = useT();
  const { base, isNew, targetIndex, autoName } = useSetStart('SE', view.se, index);
  const { f, save } = useRulesForm<SeSetValues>(view, seToValues(base, lang), {
    validate: validateSe,
    target: { part: 'se', index: targetIndex },
    known: () => seFieldKnown,
  });
  const { v } = f;
  const build = (x: SeSetValues): FeeRulesInput => {
    const typed = valuesToSe(x, base);
    // A new set is named by the month it starts in, as saved.
    const set = isNew ? { ...typed, id: uniqueSetId('se', typed.validFrom, view.se) } : typed;
    return rulesInput(view, { se: isNew ? addSet(view.se, set).sets : replaceAt(view.se, targetIndex, set) });
  };
  const submit = async () => {
    const r = await save(build);
    if (!r) return;
    const set = r.sent.se[targetIndex]!;
    onSaved(r.view, setNotice(set.name, isNew ? addSet(view.se, set).ended : null, isNew, lang));
  };
  const setFrom = useAutoName(f, isNew, base.name, autoName);
  const setPercent = (family: 'preschool' | 'afterschool', list: string[], path: string) => {
    f.set('percent', { ...v.percent, [family]: list });
    f.dropServerErrors(path);
  };
  const latest = view.se.reduce((a, b) => (b.validFrom > a.validFrom ? b : a));
  const title = isNew ? t('feeRules.set.newTitle') : t('feeRules.set.editTitle', { name: base.name });
  return (
    <FormDialog form={f} title={title} testId="fee-rule-set-dialog" size="48rem" onSubmit={() => void submit()} onClose={onClose} returnFocusId="fee-rules-new-set">
      <Stack gap="sm">
        {isNew && (
          <Text size="sm" data-testid="fee-rule-set-copy-note">
            {t('feeRules.set.newIntro', { name: latest.name })}
          </Text>
        )}
        <div className="k-fee-rules-grid">
          <MonthInput label={t('feeRules.field.validFrom')} value={v.validFrom} onChange={setFrom} field={f.field('validFrom')} hint={t('feeRules.month.hint')} required autoFocus testId="fee-rule-set-from" />
          <MonthInput label={t('feeRules.field.validTo')} value={v.validTo} onChange={(s) => f.set('validTo', s)} field={f.field('validTo')} hint={t('feeRules.month.openHint')} testId="fee-rule-set-to" />
        </div>
        {isNew && <EndsNote sets={view.se} from={v.validFrom} probe={base} />}
        <TextInput label={t('feeRules.field.name')} value={v.name} onChange={(e) => f.set('name', e.currentTarget.value)} required maxLength={LIMITS.name + 20} {...f.field('name')} data-testid="fee-rule-set-name" />
        <div className="k-fee-rules-grid">
          <FigureInput label={t('feeRules.field.ceiling')} description={t('feeRules.hint.ceiling')} unit="kr" value={v.ceiling} onChange={(s) => f.set('ceiling', s)} field={f.field('ceiling')} required w={230} testId="fee-rule-set-ceiling" />
          <FigureInput label={t('feeRules.field.incomeFloor')} description={t('feeRules.hint.incomeFloor')} unit="kr" value={v.incomeFloor} onChange={(s) => f.set('incomeFloor', s)} field={f.field('incomeFloor')} required w={230} testId="fee-rule-set-floor" />
        </div>
        <RankInputs legend={t('feeRules.field.percent.preschool')} hint={t('feeRules.hint.ranks')} path="percent.preschool" list={v.percent.preschool} onChange={(l, p) => setPercent('preschool', l, p)} err={f.err} testId="fee-rule-set-preschool" />
        <RankInputs legend={t('feeRules.field.percent.afterschool')} path="percent.afterschool" list={v.percent.afterschool} onChange={(l, p) => setPercent('afterschool', l, p)} err={f.err} testId="fee-rule-set-afterschool" />
        <TextInput label={t('feeRules.field.source')} description={t('feeRules.hint.source')} value={v.source} onChange={(e) => f.set('source', e.currentTarget.value)} maxLength={LIMITS.source + 20} inputWrapperOrder={['label', 'input', 'description', 'error']} {...f.field('source')} data-testid="fee-rule-set-source" />
      </Stack>
    </FormDialog>
  );
}

// ---------------------------------------------------------------------------------------------
// A Norwegian rule set
// ---------------------------------------------------------------------------------------------

export function NoSetDialog({ view, index, onClose, onSaved }: DialogProps & { index: number | null }) {
  const { t, lang } = useT();
  const { base, isNew, targetIndex, autoName } = useSetStart('NO', view.no, index);
  const { f, save } = useRulesForm<NoSetValues>(view, noToValues(base, lang), {
    validate: validateNo,
    target: { part: 'no', index: targetIndex },
    known: (x) => noFieldKnown(x.sfo.bands.length, rankInputs(x.barnehage.siblingDiscountBp, LIMITS.siblingRanks).length),
  });
  const { v } = f;
  const build = (x: NoSetValues): FeeRulesInput => {
    const typed = valuesToNo(x, base);
    const set = isNew ? { ...typed, id: uniqueSetId('no', typed.validFrom, view.no) } : typed;
    return rulesInput(view, { no: isNew ? addSet(view.no, set).sets : replaceAt(view.no, targetIndex, set) });
  };
  const submit = async () => {
    const r = await save(build);
    if (!r) return;
    const set = r.sent.no![targetIndex]!;
    onSaved(r.view, setNotice(set.name, isNew ? addSet(view.no, set).ended : null, isNew, lang));
  };
  const setFrom = useAutoName(f, isNew, base.name, autoName);
  const sfo = (patch: Partial<NoSetValues['sfo']>, ...paths: string[]) => {
    f.set('sfo', { ...v.sfo, ...patch });
    f.dropServerErrors(...paths);
  };
  const bhg = (patch: Partial<NoSetValues['barnehage']>, ...paths: string[]) => {
    f.set('barnehage', { ...v.barnehage, ...patch });
    f.dropServerErrors(...paths);
  };
  const setBand = (i: number, patch: Partial<NoSetValues['sfo']['bands'][number]>, path: string) => sfo({ bands: v.sfo.bands.map((b, n) => (n === i ? { ...b, ...patch } : b)) }, path, 'sfo.bands');
  const focusLater = (id: string) => window.setTimeout(() => document.getElementById(id)?.focus(), 0);
  const addBand = () => {
    const key = newBandKey();
    // A new band goes before the open last one ("the rest"), which stays last.
    const bands = [...v.sfo.bands];
    bands.splice(Math.max(bands.length - 1, 0), 0, { key, upTo: '', full: '', part: '' });
    sfo({ bands }, 'sfo.bands');
    focusLater(`fee-band-${key}-upTo`);
  };
  const removeBand = (i: number) => {
    const next = v.sfo.bands[i + 1] ?? v.sfo.bands[i - 1];
    sfo({ bands: v.sfo.bands.filter((_, n) => n !== i) }, 'sfo.bands');
    focusLater(next && v.sfo.bands.length > 2 ? `fee-band-${next.key}-remove` : 'fee-band-add');
  };
  const months = useMonthOptions();
  const bandErrId = useId();
  // The bands' messages under their table (a message inside a narrow cell would break the rows apart).
  const bandFields = [
    ['upToGThousandths', t('feeRules.field.sfo.bands.upToGThousandths')],
    ['full', t('feeRules.field.sfo.bands.full')],
    ['part', t('feeRules.field.sfo.bands.part')],
  ] as const;
  const bandErrors: [string, string, number | null][] = [
    ...(f.errors['sfo.bands'] ? [['sfo.bands', '', null] as [string, string, null]] : []),
    ...v.sfo.bands.flatMap((_, i) => bandFields.filter(([field]) => f.errors[bandPath(i, field)]).map(([field, label]): [string, string, number] => [bandPath(i, field), label, i])),
  ];
  const grades = GRADES.map((g) => ({ value: g, label: String(g) }));
  const ages = BARNEHAGE_AGES.map((a) => ({ value: a, label: String(a) }));
  const latest = view.no.reduce((a, b) => (b.validFrom > a.validFrom ? b : a));
  const title = isNew ? t('feeRules.set.newTitle') : t('feeRules.set.editTitle', { name: base.name });
  const n = (path: string) => f.field(path);
  return (
    <FormDialog form={f} title={title} testId="fee-rule-set-dialog" size="60rem" onSubmit={() => void submit()} onClose={onClose} returnFocusId="fee-rules-new-set">
      <Stack gap="sm">
        {isNew && (
          <Text size="sm" data-testid="fee-rule-set-copy-note">
            {t('feeRules.set.newIntro', { name: latest.name })}
          </Text>
        )}
        <div className="k-fee-rules-grid">
          <MonthInput label={t('feeRules.field.validFrom')} value={v.validFrom} onChange={setFrom} field={n('validFrom')} hint={t('feeRules.month.hint')} required autoFocus testId="fee-rule-set-from" />
          <MonthInput label={t('feeRules.field.validTo')} value={v.validTo} onChange={(s) => f.set('validTo', s)} field={n('validTo')} hint={t('feeRules.month.openHint')} testId="fee-rule-set-to" />
        </div>
        {isNew && <EndsNote sets={view.no} from={v.validFrom} probe={base} />}
        <TextInput label={t('feeRules.field.name')} value={v.name} onChange={(e) => f.set('name', e.currentTarget.value)} required maxLength={LIMITS.name + 20} {...n('name')} data-testid="fee-rule-set-name" />
        <div className="k-fee-rules-grid">
          <FigureInput label={t('feeRules.field.g')} description={t('feeRules.hint.g')} unit="kr" value={v.g} onChange={(s) => f.set('g', s)} field={n('g')} required w={220} testId="fee-rule-set-g" />
          <FigureInput label={t('feeRules.field.payingMonths')} description={t('feeRules.hint.payingMonths')} value={v.payingMonths} onChange={(s) => f.set('payingMonths', s)} field={n('payingMonths')} required w={220} testId="fee-rule-set-paying-months" />
        </div>
        <CheckList legend={t('feeRules.field.freeMonths')} hint={t('feeRules.hint.freeMonths')} options={months} value={v.freeMonths} onChange={(x) => f.set('freeMonths', x)} name="freeMonths" error={f.err('freeMonths')} testId="fee-rule-set-free-months" />

        <h3 className="k-fee-rules-subtitle">{t('feeRules.col.sfo')}</h3>
        <FigureInput label={t('feeRules.field.sfo.partTimeHoursAtMost')} unit={t('feeRules.unit.hours')} value={v.sfo.partTimeHoursAtMost} onChange={(s) => sfo({ partTimeHoursAtMost: s }, 'sfo.partTimeHoursAtMost')} field={n('sfo.partTimeHoursAtMost')} required w={300} testId="fee-rule-set-part-time" />
        <fieldset className="k-fee-rules-group" data-testid="fee-rule-set-bands">
          <legend>{t('feeRules.field.sfo.bands')}</legend>
          <Text size="xs" c="dimmed" mb={4}>
            {t('feeRules.hint.bands')}
          </Text>
          <table className="k-table k-table-dense k-fee-rules-bands">
            <caption>
              <VisuallyHidden>{t('feeRules.field.sfo.bands')}</VisuallyHidden>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('feeRules.band.col')}</th>
                <th scope="col">{t('feeRules.field.sfo.bands.upToGThousandths')}</th>
                <th scope="col">{t('feeRules.field.sfo.bands.full')}</th>
                <th scope="col">{t('feeRules.field.sfo.bands.part')}</th>
                <th scope="col">
                  <VisuallyHidden>{t('feeRules.col.actions')}</VisuallyHidden>
                </th>
              </tr>
            </thead>
            <tbody>
              {v.sfo.bands.map((b, i) => {
                const last = i === v.sfo.bands.length - 1;
                const cell = (field: 'upToGThousandths' | 'full' | 'part', key: 'upTo' | 'full' | 'part', unit: string, label: string) => {
                  const path = bandPath(i, field);
                  return (
                    <td>
                      <TextInput
                        id={`fee-band-${b.key}-${key}`}
                        aria-label={t('feeRules.band.aria', { n: i + 1, field: label })}
                        value={b[key]}
                        placeholder={field === 'upToGThousandths' && last ? t('feeRules.band.rest') : undefined}
                        onChange={(e) => setBand(i, { [key]: e.currentTarget.value }, path)}
                        inputMode="decimal"
                        autoComplete="off"
                        rightSection={<span className="k-fee-rules-unit" aria-hidden="true">{unit}</span>}
                        rightSectionWidth={32}
                        w={150}
                        name={path}
                        error={f.errors[path] ? true : undefined}
                        aria-describedby={f.errors[path] ? bandErrId : undefined}
                        data-testid={`fee-band-${i}-${key}`}
                      />
                    </td>
                  );
                };
                return (
                  <tr key={b.key} data-testid="fee-band-row">
                    <th scope="row">{i + 1}</th>
                    {cell('upToGThousandths', 'upTo', 'G', t('feeRules.field.sfo.bands.upToGThousandths'))}
                    {cell('full', 'full', 'kr', t('feeRules.field.sfo.bands.full'))}
                    {cell('part', 'part', 'kr', t('feeRules.field.sfo.bands.part'))}
                    <td>
                      {v.sfo.bands.length > 1 && (
                        <Button id={`fee-band-${b.key}-remove`} size="xs" variant="subtle" color="red" c="#a61b1b" onClick={() => removeBand(i)} aria-label={t('feeRules.band.removeAria', { n: i + 1 })} data-testid={`fee-band-${i}-remove`}>
                          {t('feeRules.remove')}
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {bandErrors.length > 0 && (
            <div id={bandErrId} className="k-fee-rules-errors" data-k-error="true">
              {bandErrors.map(([path, label, i]) => (
                <Text key={path} size="sm" c="#a61b1b">
                  {i === null ? f.err(path) : `${t('feeRules.band.aria', { n: i + 1, field: label })}: `}
                  {i !== null && f.err(path)}
                </Text>
              ))}
            </div>
          )}
          <Button id="fee-band-add" mt={6} size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={addBand} disabled={v.sfo.bands.length >= LIMITS.bands} data-testid="fee-band-add">
            {t('feeRules.band.add')}
          </Button>
        </fieldset>
        <fieldset className="k-fee-rules-group">
          <legend>{t('feeRules.fig.national')}</legend>
          <div className="k-fee-rules-grid">
            <FigureInput label={t('feeRules.field.sfo.national.capBp')} unit="%" value={v.sfo.national.capBp} onChange={(s) => sfo({ national: { ...v.sfo.national, capBp: s } }, 'sfo.national.capBp')} field={n('sfo.national.capBp')} required w={200} testId="fee-rule-set-national-cap" />
            <FigureInput label={t('feeRules.field.sfo.national.incomeBelow')} unit="kr" value={v.sfo.national.incomeBelow} onChange={(s) => sfo({ national: { ...v.sfo.national, incomeBelow: s } }, 'sfo.national.incomeBelow')} field={n('sfo.national.incomeBelow')} required w={260} testId="fee-rule-set-national-income" />
          </div>
          <CheckList legend={t('feeRules.field.sfo.national.grades')} options={grades} value={v.sfo.national.grades} onChange={(x) => sfo({ national: { ...v.sfo.national, grades: x } }, 'sfo.national.grades')} name="sfo.national.grades" error={f.err('sfo.national.grades')} testId="fee-rule-set-national-grades" />
        </fieldset>
        <fieldset className="k-fee-rules-group">
          <legend>{t('feeRules.fig.freeHours')}</legend>
          <div className="k-fee-rules-grid">
            <FigureInput label={t('feeRules.field.sfo.freeHours.hours')} unit={t('feeRules.unit.hours')} value={v.sfo.freeHours.hours} onChange={(s) => sfo({ freeHours: { ...v.sfo.freeHours, hours: s } }, 'sfo.freeHours.hours')} field={n('sfo.freeHours.hours')} required w={200} testId="fee-rule-set-free-hours" />
            <FigureInput label={t('feeRules.field.sfo.freeHours.reduction')} unit="kr" value={v.sfo.freeHours.reduction} onChange={(s) => sfo({ freeHours: { ...v.sfo.freeHours, reduction: s } }, 'sfo.freeHours.reduction')} field={n('sfo.freeHours.reduction')} required w={260} testId="fee-rule-set-free-hours-reduction" />
          </div>
          <CheckList legend={t('feeRules.field.sfo.freeHours.grades')} options={grades} value={v.sfo.freeHours.grades} onChange={(x) => sfo({ freeHours: { ...v.sfo.freeHours, grades: x } }, 'sfo.freeHours.grades')} name="sfo.freeHours.grades" error={f.err('sfo.freeHours.grades')} testId="fee-rule-set-free-hours-grades" />
        </fieldset>

        <h3 className="k-fee-rules-subtitle">{t('feeRules.col.barnehage')}</h3>
        <div className="k-fee-rules-grid">
          <FigureInput label={t('feeRules.field.barnehage.maxPrice')} unit="kr" value={v.barnehage.maxPrice} onChange={(s) => bhg({ maxPrice: s }, 'barnehage.maxPrice')} field={n('barnehage.maxPrice')} required w={220} testId="fee-rule-set-max-price" />
          <FigureInput label={t('feeRules.field.barnehage.incomeCapBp')} unit="%" value={v.barnehage.incomeCapBp} onChange={(s) => bhg({ incomeCapBp: s }, 'barnehage.incomeCapBp')} field={n('barnehage.incomeCapBp')} required w={220} testId="fee-rule-set-income-cap" />
        </div>
        <RankInputs
          legend={t('feeRules.field.barnehage.siblingDiscountBp')}
          hint={t('feeRules.hint.siblings')}
          path="barnehage.siblingDiscountBp"
          list={v.barnehage.siblingDiscountBp}
          first={2}
          onChange={(l, p) => bhg({ siblingDiscountBp: l }, p)}
          err={f.err}
          testId="fee-rule-set-siblings"
        />
        <fieldset className="k-fee-rules-group">
          <legend>{t('feeRules.fig.freeCore')}</legend>
          <div className="k-fee-rules-grid">
            <FigureInput label={t('feeRules.field.barnehage.freeCore.hoursPerWeek')} unit={t('feeRules.unit.hours')} value={v.barnehage.freeCore.hoursPerWeek} onChange={(s) => bhg({ freeCore: { ...v.barnehage.freeCore, hoursPerWeek: s } }, 'barnehage.freeCore.hoursPerWeek')} field={n('barnehage.freeCore.hoursPerWeek')} required w={200} testId="fee-rule-set-core-hours" />
            <FigureInput label={t('feeRules.field.barnehage.freeCore.fullWeekHours')} unit={t('feeRules.unit.hours')} value={v.barnehage.freeCore.fullWeekHours} onChange={(s) => bhg({ freeCore: { ...v.barnehage.freeCore, fullWeekHours: s } }, 'barnehage.freeCore.fullWeekHours')} field={n('barnehage.freeCore.fullWeekHours')} required w={200} testId="fee-rule-set-core-full-week" />
            <FigureInput label={t('feeRules.field.barnehage.freeCore.incomeBelow')} unit="kr" value={v.barnehage.freeCore.incomeBelow} onChange={(s) => bhg({ freeCore: { ...v.barnehage.freeCore, incomeBelow: s } }, 'barnehage.freeCore.incomeBelow')} field={n('barnehage.freeCore.incomeBelow')} required w={260} testId="fee-rule-set-core-income" />
          </div>
          <CheckList legend={t('feeRules.field.barnehage.freeCore.ages')} options={ages} value={v.barnehage.freeCore.ages} onChange={(x) => bhg({ freeCore: { ...v.barnehage.freeCore, ages: x } }, 'barnehage.freeCore.ages')} name="barnehage.freeCore.ages" error={f.err('barnehage.freeCore.ages')} testId="fee-rule-set-core-ages" />
        </fieldset>
        <TextInput label={t('feeRules.field.source')} description={t('feeRules.hint.source')} value={v.source} onChange={(e) => f.set('source', e.currentTarget.value)} maxLength={LIMITS.source + 20} inputWrapperOrder={['label', 'input', 'description', 'error']} {...n('source')} data-testid="fee-rule-set-source" />
      </Stack>
    </FormDialog>
  );
}

// ---------------------------------------------------------------------------------------------
// The municipality's settings
// ---------------------------------------------------------------------------------------------

export function SettingsDialog({ view, onClose, onSaved }: DialogProps) {
  const { t, lang } = useT();
  const { f, save } = useRulesForm<SettingsValues>(view, settingsToValues(view.settings, lang), {
    validate: validateSettings,
    target: { part: 'settings' },
    known: () => settingsFieldKnown,
  });
  const { v } = f;
  const submit = async () => {
    const r = await save((x) => rulesInput(view, { settings: valuesToSettings(x, view.settings) }));
    if (r) onSaved(r.view, { key: 'feeRules.saved.settings' });
  };
  return (
    <FormDialog form={f} title={t('feeRules.settings.title')} testId="fee-settings-dialog" size="48rem" onSubmit={() => void submit()} onClose={onClose} returnFocusId="fee-rules-edit-settings">
      <Stack gap="md">
        <Radio.Group label={t('feeRules.field.dayCount')} value={v.dayCount} onChange={(x) => f.set('dayCount', x as SettingsValues['dayCount'])} {...f.field('dayCount')} data-testid="fee-setting-day-count">
          <Stack gap={6} mt={6}>
            {DAY_COUNTS.map((d) => (
              <Radio key={d} value={d} label={t(`feeRules.dayCount.${d}`)} description={t(`feeRules.dayCountHint.${d}`)} data-autofocus={v.dayCount === d || undefined} data-testid={`fee-setting-day-count-${d}`} />
            ))}
          </Stack>
        </Radio.Group>
        <div className="k-fee-rules-grid">
          <FigureInput label={t('feeRules.field.freeStartDays')} description={t('feeRules.hint.freeStartDays')} unit={t('feeRules.unit.days')} value={v.freeStartDays} onChange={(s) => f.set('freeStartDays', s)} field={f.field('freeStartDays')} required w={230} testId="fee-setting-free-start-days" />
          <FigureInput label={t('feeRules.field.paymentTermsDays')} description={t('feeRules.hint.paymentTermsDays')} unit={t('feeRules.unit.days')} value={v.paymentTermsDays} onChange={(s) => f.set('paymentTermsDays', s)} field={f.field('paymentTermsDays')} required w={230} testId="fee-setting-payment-terms" />
        </div>
        <Radio.Group label={t('feeRules.field.rounding')} value={v.rounding} onChange={(x) => f.set('rounding', x as SettingsValues['rounding'])} {...f.field('rounding')} data-testid="fee-setting-rounding">
          <Stack gap={6} mt={6}>
            {ROUNDINGS.map((r) => (
              <Radio key={r} value={r} label={t(`feeRules.rounding.${r}`)} data-testid={`fee-setting-rounding-${r}`} />
            ))}
          </Stack>
        </Radio.Group>
        <Radio.Group label={t('feeRules.field.sharedResidence')} description={t('feeRules.hint.sharedResidence')} value={v.sharedResidence} onChange={(x) => f.set('sharedResidence', x as SettingsValues['sharedResidence'])} {...f.field('sharedResidence')} data-testid="fee-setting-shared">
          <Stack gap={6} mt={6}>
            {SHARED_RESIDENCE_MODELS.map((m) => (
              <Radio key={m} value={m} label={t(`feeRules.shared.${m}`)} description={t(`feeRules.sharedHint.${m}`)} data-testid={`fee-setting-shared-${m}`} />
            ))}
          </Stack>
        </Radio.Group>
        <div className="k-fee-rules-grid">
          <FigureInput label={t('feeRules.field.incomeCheckThreshold')} description={t('feeRules.hint.incomeCheckThreshold')} unit="kr" value={v.incomeCheckThreshold} onChange={(s) => f.set('incomeCheckThreshold', s)} field={f.field('incomeCheckThreshold')} required w={260} testId="fee-setting-income-check" />
          <FigureInput label={t('feeRules.field.correctionMonths')} description={t('feeRules.hint.correctionMonths')} unit={t('feeRules.unit.months')} value={v.correctionMonths} onChange={(s) => f.set('correctionMonths', s)} field={f.field('correctionMonths')} required w={260} testId="fee-setting-correction-months" />
        </div>
      </Stack>
    </FormDialog>
  );
}

// ---------------------------------------------------------------------------------------------
// A local rule
// ---------------------------------------------------------------------------------------------

export function LocalRuleDialog({ view, index, onClose, onSaved }: DialogProps & { index: number | null }) {
  const { t, lang } = useT();
  const rules = view.settings.local;
  const existing = index === null ? null : rules[index]!;
  const [id] = useState(() => existing?.id ?? uniqueLocalId(rules));
  const targetIndex = index ?? rules.length;
  const { f, save } = useRulesForm<LocalRuleValues>(view, existing ? localToValues(existing, lang) : emptyLocalRule(), {
    validate: validateLocal,
    target: { part: 'local', index: targetIndex },
    known: (x) => localFieldKnown(x.effect.kind),
  });
  const { v } = f;
  const months = useMonthOptions();
  const when = (patch: Partial<LocalRuleValues['when']>, path: string) => {
    f.set('when', { ...v.when, ...patch });
    f.dropServerErrors(path, ...(path === 'when.ageFrom' ? ['when.ageTo'] : []));
  };
  const effect = (patch: Partial<LocalRuleValues['effect']>, ...paths: string[]) => {
    f.set('effect', { ...v.effect, ...patch });
    f.dropServerErrors(...paths);
  };
  const submit = async () => {
    const r = await save((x) => {
      const rule = valuesToLocal(x, id);
      const local = index === null ? [...rules, rule] : replaceAt(rules, index, rule);
      return rulesInput(view, { settings: { ...view.settings, local } });
    });
    if (r) onSaved(r.view, { key: index === null ? 'feeRules.saved.newLocal' : 'feeRules.saved.local', vars: { name: v.label.trim() } });
  };
  const title = existing ? t('feeRules.local.editTitle', { name: existing.label }) : t('feeRules.local.newTitle');
  const w = (path: string) => f.field(path);
  return (
    <FormDialog form={f} title={title} testId="fee-local-rule-dialog" size="52rem" onSubmit={() => void submit()} onClose={onClose} returnFocusId="fee-rules-new-local">
      <Stack gap="sm">
        <TextInput label={t('feeRules.field.label')} description={t('feeRules.hint.label')} value={v.label} onChange={(e) => f.set('label', e.currentTarget.value)} required maxLength={LIMITS.localLabel + 20} inputWrapperOrder={['label', 'input', 'description', 'error']} data-autofocus {...w('label')} data-testid="fee-local-label" />
        <fieldset className="k-fee-rules-group" data-testid="fee-local-when">
          <legend>{t('feeRules.local.when')}</legend>
          <Text size="xs" c="dimmed" mb={6}>
            {t('feeRules.local.whenHint')}
          </Text>
          <div className="k-fee-rules-grid">
            <NativeSelect
              label={t('feeRules.field.when.family')}
              value={v.when.family}
              onChange={(e) => when({ family: e.currentTarget.value as LocalRuleValues['when']['family'] }, 'when.family')}
              data={[{ value: '', label: t('feeRules.family.any') }, ...FEE_FAMILIES.map((x) => ({ value: x, label: t(`feeRules.family.${x}`) }))]}
              {...w('when.family')}
              data-testid="fee-local-family"
            />
            <FigureInput label={t('feeRules.field.when.incomeBelow')} unit="kr" value={v.when.incomeBelow} onChange={(s) => when({ incomeBelow: s }, 'when.incomeBelow')} field={w('when.incomeBelow')} testId="fee-local-income-below" />
            <FigureInput label={t('feeRules.field.when.ageFrom')} unit={t('feeRules.unit.years')} value={v.when.ageFrom} onChange={(s) => when({ ageFrom: s }, 'when.ageFrom')} field={w('when.ageFrom')} testId="fee-local-age-from" />
            <FigureInput label={t('feeRules.field.when.ageTo')} unit={t('feeRules.unit.years')} value={v.when.ageTo} onChange={(s) => when({ ageTo: s }, 'when.ageTo')} field={w('when.ageTo')} testId="fee-local-age-to" />
            <FigureInput
              label={t('feeRules.field.when.fromAutumnOfYearTurning')}
              description={t('feeRules.hint.autumn')}
              unit={t('feeRules.unit.years')}
              value={v.when.fromAutumnOfYearTurning}
              onChange={(s) => when({ fromAutumnOfYearTurning: s }, 'when.fromAutumnOfYearTurning')}
              field={w('when.fromAutumnOfYearTurning')}
              testId="fee-local-autumn"
            />
            <FigureInput label={t('feeRules.field.when.weeklyHoursAtMost')} unit={t('feeRules.unit.hours')} value={v.when.weeklyHoursAtMost} onChange={(s) => when({ weeklyHoursAtMost: s }, 'when.weeklyHoursAtMost')} field={w('when.weeklyHoursAtMost')} testId="fee-local-weekly-hours" />
          </div>
          <CheckList legend={t('feeRules.field.when.months')} hint={t('feeRules.hint.months')} options={months} value={v.when.months} onChange={(x) => when({ months: x }, 'when.months')} name="when.months" error={f.err('when.months')} testId="fee-local-months" />
        </fieldset>
        <fieldset className="k-fee-rules-group" data-testid="fee-local-effect">
          <legend>{t('feeRules.local.effect')}</legend>
          <Radio.Group label={t('feeRules.field.effect.kind')} value={v.effect.kind} onChange={(x) => effect({ kind: x as LocalEffectKind }, 'effect.kind')} {...w('effect.kind')} data-testid="fee-local-effect-kind">
            <Stack gap={6} mt={6}>
              {LOCAL_EFFECTS.map((k) => (
                <Radio key={k} value={k} label={t(`feeRules.effect.${k}`)} description={t(`feeRules.effectHint.${k}`)} data-testid={`fee-local-effect-${k}`} />
              ))}
            </Stack>
          </Radio.Group>
          {v.effect.kind === 'reduce' && (
            <FigureInput label={t('feeRules.field.effect.bp')} unit="%" value={v.effect.bp} onChange={(s) => effect({ bp: s }, 'effect.bp')} field={w('effect.bp')} required w={220} testId="fee-local-reduce" />
          )}
          {v.effect.kind === 'percent' && (
            <RankInputs legend={t('feeRules.field.effect.byRank')} hint={t('feeRules.hint.ranks')} path="effect.byRank" list={v.effect.byRank} onChange={(l, p) => effect({ byRank: l }, p)} err={f.err} testId="fee-local-by-rank" />
          )}
          {v.effect.kind === 'free_hours' && (
            <div className="k-fee-rules-grid" style={{ marginTop: 8 }}>
              <FigureInput label={t('feeRules.field.effect.hours')} unit={t('feeRules.unit.hours')} value={v.effect.hours} onChange={(s) => effect({ hours: s }, 'effect.hours')} field={w('effect.hours')} required w={240} testId="fee-local-free-hours" />
              <FigureInput
                label={t('feeRules.field.effect.fullWeekHours')}
                description={t('feeRules.hint.fullWeekHours')}
                unit={t('feeRules.unit.hours')}
                value={v.effect.fullWeekHours}
                onChange={(s) => effect({ fullWeekHours: s }, 'effect.fullWeekHours')}
                field={w('effect.fullWeekHours')}
                required
                w={300}
                testId="fee-local-full-week"
              />
            </div>
          )}
        </fieldset>
      </Stack>
    </FormDialog>
  );
}

// ---------------------------------------------------------------------------------------------
// Removing a rule set or a local rule
// ---------------------------------------------------------------------------------------------

export function RemoveDialog({ view, what, onClose, onSaved }: DialogProps & { what: { part: 'se' | 'no' | 'local'; index: number } }) {
  const { t, lang } = useT();
  const { f, save } = useRulesForm<Record<string, never>>(view, {}, { validate: () => ({}), target: { part: 'none' }, known: () => () => false });
  const isSet = what.part !== 'local';
  const sets = what.part === 'no' ? view.no : view.se;
  const set = isSet ? sets[what.index] : undefined;
  const rule = isSet ? undefined : view.settings.local[what.index];
  const removal = isSet ? removeSet<SeRuleSet | NoRuleSet>(sets, what.index) : null;
  const name = set?.name ?? rule?.label ?? '';
  const submit = async () => {
    const r = await save(() =>
      what.part === 'local'
        ? rulesInput(view, { settings: { ...view.settings, local: view.settings.local.filter((_, i) => i !== what.index) } })
        : rulesInput(view, what.part === 'no' ? { no: removal!.sets as NoRuleSet[] } : { se: removal!.sets as SeRuleSet[] }),
    );
    if (r) onSaved(r.view, { key: isSet ? 'feeRules.saved.removedSet' : 'feeRules.saved.removedLocal', vars: { name } });
  };
  return (
    <FormDialog
      form={f}
      title={t(isSet ? 'feeRules.sets.removeTitle' : 'feeRules.local.removeTitle')}
      testId="fee-rules-remove-dialog"
      size="34rem"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('feeRules.remove')}
      submitTestId="fee-rules-remove-confirm"
      danger
      focusCancel
      returnFocusId={isSet ? 'fee-rules-new-set' : 'fee-rules-new-local'}
    >
      <Stack gap="xs" mb="sm">
        <Text>{isSet && set ? t('feeRules.sets.removeText', { name, period: periodText(set, lang, t('feeRules.period.open')) }) : t('feeRules.local.removeText', { name })}</Text>
        {removal?.reopened && <Text size="sm">{t('feeRules.sets.removeReopens', { name: removal.reopened.name })}</Text>}
        {isSet && <Text size="sm" c="dimmed">{t('feeRules.sets.removeNote')}</Text>}
      </Stack>
    </FormDialog>
  );
}

