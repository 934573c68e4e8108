/**
 * The FOI settings (`#/foi/settings`, foi.read; changed with foi.write): two tabs, the address naming the
 * second (`?tab=grounds`).
 *
 * - **Deadline rules**: the figures of the municipality's country's kinds (Sweden: a public document's target
 *   and "overdue after"; Norway: an innsynskrav's target and "counts as refused after"; both: GDPR's months
 *   and extension), where they come from, and the office's calendar (its own closed days, added and removed;
 *   Sweden's closed eves). A page form: Ctrl+S (or Enter in a field) saves the whole rules with the version
 *   read, Esc puts back what is stored (and leaves when nothing changed); a mistake is named at its field, by
 *   the form's own checks and by the core's answer; someone else's change in between (`conflict`) is said
 *   with "Reload". A line says whether the law's defaults are in force, or which figures differ from them.
 * - **Legal grounds**: the dated table the secrecy review names its grounds from, in the kit's DataTable
 *   (one tab stop, arrows, Enter edits): citation, title in the reader's language, country, merinnsyn, first
 *   and last day, in force today; the other country's grounds on request. Alt+N (or the button, or the
 *   palette) adds a ground; a row's buttons change, end (a last day) or remove it, each in a dialog that sends
 *   the whole table with its version. The core refuses removing a ground a review uses
 *   (`foi_ground_in_use`): the dialog says so and offers to end it instead.
 *
 * Without foi.write the same screen shows the values read-only, without the actions.
 */
import { Alert, Button, Checkbox, Group, NativeSelect, NumberInput, Stack, Switch, Tabs, Text, Textarea, TextInput, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ApiError } from '../../../../shared/api/transport';
import type { FoiGround } from '../../../../shared/domain/foi';
import { ErrorState, Loading, PageTitle } from '../../components/common';
import { DateField } from '../../components/DateField';
import { IconEdit, IconPlus, IconReload } from '../../components/icons';
import { DataTable, FormDialog, FormPage, useFieldMessage, useForm, type Column, type Form } from '../../kit';
import { stopFocusReturn } from '../../kit/focus';
import { useScreenAction } from '../../lib/actions';
import { useApi, useQuery } from '../../lib/api';
import { useAuth } from '../../lib/authContext';
import { formatDate, formatWeekday } from '../../lib/format';
import { useT, type TKey } from '../../lib/i18n';
import { ALT, modPressed } from '../../lib/platform';
import { navigate, type FoiSettingsTab } from '../../lib/router';
import { useSession } from '../../lib/session';
import { KeyHint, ToneTag } from '../care/Badges';
import {
  addClosedDay,
  endGround,
  FIGURE_BOUNDS,
  figureOf,
  formHasLawFigures,
  GROUND_COUNTRY_KEY,
  GROUND_FIELDS,
  GROUND_LIMITS,
  GROUND_STATE_KEY,
  groundApplies,
  groundInUse,
  groundRows,
  groundState,
  groundToValues,
  isWeekend,
  figuresFor,
  kindsWithFigures,
  LAW_RULES,
  parseFigure,
  mapGroundsError,
  mapRulesError,
  newGroundValues,
  otherCountryCount,
  putGround,
  removeGround,
  rulesState,
  rulesToValues,
  SOURCE_MAX,
  toRulesInput,
  validateEnd,
  validateGround,
  validateRules,
  valuesToGround,
  withLawFigures,
  type GroundRow,
  type GroundsView,
  type GroundState,
  type GroundValues,
  type Msg,
  type RuleFigure,
  type RulesValues,
  type RulesView,
} from './settings';
import './foi.css';
import './settings.css';

export function FoiSettingsScreen({ tab }: { tab: FoiSettingsTab }) {
  const { t } = useT();
  const session = useSession();
  const canWrite = session.can('foi.write');
  const choose = (x: string | null) => {
    if (!x || x === tab) return;
    // The address keeps the tab; a rules form with changes asks first (the router's leave guard).
    navigate(x === 'grounds' ? { name: 'foiSettings', tab: 'grounds' } : { name: 'foiSettings' }, { replace: true });
  };
  return (
    <div className="k-page k-page-wide" data-testid="foi-settings" data-tab={tab}>
      <PageTitle>{t('foi.settings.title')}</PageTitle>
      <p className="k-lead">{t('foi.settings.intro')}</p>
      {!canWrite && (
        <Alert color="blue" variant="light" mb="md" role="note" data-testid="foi-settings-read-only" styles={{ message: { color: '#1c2f4a' } }}>
          {t('foi.settings.readOnly')}
        </Alert>
      )}
      <Tabs value={tab} onChange={choose} keepMounted={false}>
        <Tabs.List aria-label={t('foi.settings.tabs.label')} mb="md">
          <Tabs.Tab value="rules" data-testid="foi-settings-tab-rules">
            {t('foi.settings.tab.rules')}
          </Tabs.Tab>
          <Tabs.Tab value="grounds" data-testid="foi-settings-tab-grounds">
            {t('foi.settings.tab.grounds')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rules">{tab === 'rules' && <RulesTab canWrite={canWrite} />}</Tabs.Panel>
        <Tabs.Panel value="grounds">{tab === 'grounds' && <GroundsTab canWrite={canWrite} />}</Tabs.Panel>
      </Tabs>
    </div>
  );
}

const focusLater = (id: string) => window.setTimeout(() => document.getElementById(id)?.focus(), 0);

/** A notice after a save or a reload (role=status, read out once). */
function Notice({ msg, testId }: { msg: Msg | null; testId: string }) {
  const text = useFieldMessage();
  return (
    <div role="status" aria-live="polite" data-testid={`${testId}-status`}>
      {msg && (
        <div className="k-flash" data-testid={testId}>
          {text(msg)}
        </div>
      )}
    </div>
  );
}

/** "Someone else changed it": the message and Reload (which takes the other version). */
function ConflictAlert({ text, reloadLabel, onReload, testId }: { text: string; reloadLabel: string; onReload: () => void; testId: string }) {
  return (
    <Alert color="orange" variant="light" mb="md" role="alert" data-testid={testId} styles={{ message: { color: '#4a2500' } }}>
      <Text size="sm" mb="xs">
        {text}
      </Text>
      <Button size="xs" variant="default" leftSection={<IconReload size={14} />} onClick={onReload} data-testid={`${testId}-reload`} id={`${testId}-reload`}>
        {reloadLabel}
      </Button>
    </Alert>
  );
}

// =============================================================================================
// The deadline rules
// =============================================================================================

function RulesTab({ canWrite }: { canWrite: boolean }) {
  const q = useQuery('foi.rules', {});
  // The answer of the last save is the value now (foi.rulesUpdate answers with what foi.rules would).
  const [saved, setSaved] = useState<RulesView | null>(null);
  useEffect(() => setSaved(null), [q.data]);
  // A reload keeps the value in view until the new one is here (then the effect above lets it go).
  const { reload } = q;
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: reload }), [reload]));
  const view = saved ?? q.data;
  if (q.error && !view) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!view) return <Loading />;
  return <RulesForm view={view} canWrite={canWrite} onSaved={setSaved} onReload={reload} />;
}

/** Each figure's unit. */
const FIGURE_UNIT: Record<RuleFigure, 'days' | 'months'> = { seTarget: 'days', seOverdue: 'days', noTarget: 'days', noRefused: 'days', gdprMonths: 'months', gdprExtension: 'months' };

const FIGURE_HINT: Record<RuleFigure, TKey> = {
  seTarget: 'foi.settings.fig.seTarget.hint',
  seOverdue: 'foi.settings.fig.seOverdue.hint',
  noTarget: 'foi.settings.fig.noTarget.hint',
  noRefused: 'foi.settings.fig.noRefused.hint',
  gdprMonths: 'foi.settings.fig.gdprMonths.hint',
  gdprExtension: 'foi.settings.fig.gdprExtension.hint',
};

function RulesForm({ view, canWrite, onSaved, onReload }: { view: RulesView; canWrite: boolean; onSaved: (v: RulesView) => void; onReload: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const { country, today } = session;
  const rf = useForm<RulesValues>(rulesToValues(view), { validate: (x) => validateRules(x, country), mapError: (e, x) => mapRulesError(e, x, country) });
  const { v, reset } = rf;
  const [conflict, setConflict] = useState(false);
  const [notice, setNotice] = useState<Msg | null>(null);
  // What "Add" (or Enter in the new day's field) refused, or a day typed and not added at the save.
  const [addError, setAddError] = useState<Msg | null>(null);
  // A fresh field after each day added (the date field keeps what is typed while it has focus).
  const [addKey, setAddKey] = useState(0);
  const reloading = useRef(false);
  const text = useFieldMessage();

  // A new value read or saved: the form starts from it.
  useEffect(() => {
    reset(rulesToValues(view));
    setConflict(false);
    setAddError(null);
    if (reloading.current) {
      reloading.current = false;
      setNotice({ key: 'foi.settings.reloaded.rules' });
      // Reload is gone with the question: the clerk goes on from the first figure.
      focusLater(`foi-rule-${figuresFor(country)[0]}`);
    }
  }, [view, reset, country]);
  useEffect(() => {
    if (rf.dirty) setNotice(null);
  }, [rf.dirty]);
  // The question's way on (Reload) takes the focus once it is there.
  useEffect(() => {
    if (conflict) document.getElementById('foi-rules-conflict-reload')?.focus();
  }, [conflict]);

  const reloadTheirs = () => {
    reloading.current = true;
    onReload();
  };

  const save = async () => {
    if (!canWrite) return;
    if (v.newDay.trim()) {
      setAddError({ key: 'foi.settings.calendar.notAdded' });
      focusLater('foi-rules-new-day');
      return;
    }
    setNotice(null);
    const r = await rf.submit(() => api.tryCall('foi.rulesUpdate', toRulesInput(v, view, country)), {
      onError: (e) => {
        if (e.code !== 'conflict') return false;
        setConflict(true);
        return true;
      },
    });
    if (r) {
      setNotice({ key: 'foi.settings.saved.rules' });
      onSaved(r);
    }
  };

  const addDay = () => {
    const r = addClosedDay(v.closedDays, v.newDay);
    if ('error' in r) {
      setAddError(r.error);
      return;
    }
    rf.setMany({ closedDays: r.days, newDay: '' });
    rf.dropServerErrors('closedDays');
    setAddError(null);
    setAddKey((k) => k + 1);
    focusLater('foi-rules-new-day');
  };
  const removeDay = (day: string) => {
    const i = v.closedDays.indexOf(day);
    const next = v.closedDays[i + 1] ?? v.closedDays[i - 1];
    rf.set(
      'closedDays',
      v.closedDays.filter((d) => d !== day),
    );
    // Focus stays in the list: on the day that took its place (or the one before), else on the new day's field.
    focusLater(next ? `foi-closed-${next}` : 'foi-rules-new-day');
  };
  const onAddKey = (e: KeyboardEvent<HTMLDivElement>) => {
    // Enter in the new day's field adds the day (the form's Enter would save).
    if (e.key === 'Enter' && !modPressed(e) && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      addDay();
    }
  };

  const state = rulesState(view, country);
  const hasLaw = formHasLawFigures(v, country);
  const law = (f: RuleFigure) => String(figureOf(LAW_RULES, f));
  const dayText = (d: string) => t('foi.settings.calendar.day', { weekday: formatWeekday(d, lang), date: formatDate(d, lang) });

  // A figure on one line: its name, the number with its unit, the hint; a mistake under the number.
  const figureInput = (f: RuleFigure) => {
    const days = FIGURE_UNIT[f] === 'days';
    const n = parseFigure(v[f]) ?? 2;
    return (
      <NumberInput
        key={f}
        id={`foi-rule-${f}`}
        label={
          <>
            {t(`foi.settings.fig.${f}`)}
            <VisuallyHidden> ({t(days ? 'foi.settings.unit.days' : 'foi.settings.unit.months')})</VisuallyHidden>
          </>
        }
        description={t(FIGURE_HINT[f], { law: law(f) })}
        inputContainer={(children) => (
          <div className="k-foi-figure-input">
            {children}
            <span className="k-foi-figure-unit" aria-hidden="true">
              {t(days ? 'foi.settings.unit.daysCount' : 'foi.settings.unit.monthsCount', { count: n })}
            </span>
          </div>
        )}
        classNames={{ root: 'k-foi-figure', label: 'k-foi-figure-label', description: 'k-foi-figure-hint', error: 'k-foi-figure-error', wrapper: 'k-foi-figure-box' }}
        value={v[f]}
        onChange={(x) => {
          rf.set(f, String(x));
          // The two figures of a kind answer each other's "target after the last day".
          if (f === 'seOverdue') rf.dropServerErrors('seTarget');
          if (f === 'noRefused') rf.dropServerErrors('noTarget');
        }}
        min={FIGURE_BOUNDS[f].min}
        max={FIGURE_BOUNDS[f].max}
        step={1}
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="none"
        readOnly={!canWrite}
        hideControls={!canWrite}
        required={canWrite}
        data-testid={`foi-rule-${f}`}
        {...rf.field(f)}
      />
    );
  };

  return (
    <FormPage
      form={rf}
      label={t('foi.settings.tab.rules')}
      onSubmit={() => void save()}
      onLeave={() => (rf.dirty ? reset(rulesToValues(view)) : navigate({ name: 'foi' }))}
      withActions={canWrite}
      // The notice sits in the action bar, which stays in view wherever the clerk saved from.
      // Until the other version is read, saving would only be refused again.
      actions={{ idle: <SavedNote msg={notice} />, disabled: conflict }}
      testId="foi-rules-form"
      header={
        conflict && <ConflictAlert text={t('foi.settings.conflict.rules')} reloadLabel={t('common.reload')} onReload={reloadTheirs} testId="foi-rules-conflict" />
      }
    >
      <Stack gap="md">
        <RulesStateNote state={state} view={view} />
        <section className="k-section" aria-labelledby="foi-rules-deadlines-title" data-testid="foi-rules-deadlines">
          <Group justify="space-between" align="center" mb={6} wrap="wrap">
            <h2 className="k-section-title" id="foi-rules-deadlines-title" style={{ margin: 0 }}>
              {t('foi.settings.rules.section')}
            </h2>
            {canWrite && (
              <Button
                variant="default"
                size="xs"
                onClick={() => {
                  rf.setMany(withLawFigures());
                  rf.dropServerErrors('seTarget', 'seOverdue', 'noTarget', 'noRefused', 'gdprMonths', 'gdprExtension', 'source');
                }}
                disabled={hasLaw}
                data-testid="foi-rules-law"
              >
                {t('foi.settings.rules.law')}
              </Button>
            )}
          </Group>
          <Text size="sm" c="dimmed" mb="sm" maw={820}>
            {t('foi.settings.rules.hint')}
          </Text>
          <div className="k-foi-rules-kinds">
            {kindsWithFigures(country).map(({ kind, figures }) => (
              <fieldset key={kind} className="k-fieldset k-foi-rules-kind" data-testid={`foi-rules-${kind}`}>
                <legend>{t(`foi.kindLong.${kind}`)}</legend>
                <Stack gap={10}>{figures.map(figureInput)}</Stack>
              </fieldset>
            ))}
          </div>
          <Textarea
            id="foi-rule-source"
            label={t('foi.settings.source')}
            description={t('foi.settings.source.hint', { max: SOURCE_MAX })}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            value={v.source}
            onChange={(e) => rf.set('source', e.currentTarget.value)}
            autosize
            minRows={2}
            maxRows={5}
            readOnly={!canWrite}
            mt="md"
            maw={820}
            data-testid="foi-rule-source"
            {...rf.field('source')}
          />
        </section>

        <section className="k-section" aria-labelledby="foi-rules-calendar-title" data-testid="foi-rules-calendar">
          <h2 className="k-section-title" id="foi-rules-calendar-title" style={{ margin: '0 0 6px' }}>
            {t('foi.settings.calendar.title')}
          </h2>
          <Text size="sm" c="dimmed" mb="sm" maw={820}>
            {t(country === 'NO' ? 'foi.settings.calendar.hint.no' : 'foi.settings.calendar.hint.se')}
          </Text>
          {country === 'SE' && (
            <Checkbox
              id="foi-rule-closed-eves"
              label={t('foi.settings.calendar.closedEves')}
              description={t('foi.settings.calendar.closedEves.hint')}
              checked={v.closedEves}
              onChange={(e) => rf.set('closedEves', e.currentTarget.checked)}
              disabled={!canWrite}
              mb="md"
              data-testid="foi-rule-closed-eves"
              {...rf.field('closedEves')}
            />
          )}
          <h3 className="k-foi-rules-subtitle" id="foi-closed-days-title">
            {t('foi.settings.calendar.days')} <span className="k-tab-count">{v.closedDays.length}</span>
          </h3>
          {rf.errors.closedDays && (
            <Text c="#a61b1b" size="sm" mb="xs" data-k-error="true" tabIndex={-1} data-testid="foi-closed-days-error">
              {rf.err('closedDays')}
            </Text>
          )}
          {v.closedDays.length === 0 ? (
            <p className="k-empty" style={{ margin: '0 0 8px' }} data-testid="foi-closed-days-empty">
              {t('foi.settings.calendar.empty')}
            </p>
          ) : (
            <ul className="k-foi-closed-days" aria-labelledby="foi-closed-days-title" data-testid="foi-closed-days">
              {v.closedDays.map((d) => (
                <li key={d} data-day={d} data-testid="foi-closed-day" data-past={d < today ? 'true' : undefined}>
                  <span className="k-foi-closed-day-text">
                    <span className="k-nowrap">{dayText(d)}</span>
                    {(d < today || isWeekend(d)) && (
                      <span className="k-sub">{[d < today ? t('foi.settings.calendar.past') : '', isWeekend(d) ? t('foi.settings.calendar.weekend') : ''].filter(Boolean).join(' · ')}</span>
                    )}
                  </span>
                  {canWrite && (
                    <Button
                      id={`foi-closed-${d}`}
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      c="#a61b1b"
                      onClick={() => removeDay(d)}
                      aria-label={t('foi.settings.calendar.remove', { day: dayText(d) })}
                      data-testid="foi-closed-day-remove"
                    >
                      {t('foi.settings.calendar.removeShort')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {canWrite && (
            <Group align="flex-start" gap="sm" mt="sm" wrap="nowrap">
              <div onKeyDown={onAddKey} style={{ width: 320 }}>
                <DateField
                  key={addKey}
                  id="foi-rules-new-day"
                  name="newDay"
                  label={t('foi.settings.calendar.addLabel')}
                  value={v.newDay}
                  onChange={(x) => {
                    rf.set('newDay', x);
                    setAddError(null);
                  }}
                  error={text(addError ?? undefined)}
                  testId="foi-rules-new-day"
                />
              </div>
              <Button variant="default" leftSection={<IconPlus size={16} />} onClick={addDay} style={{ marginTop: 25 }} aria-keyshortcuts="Enter" data-testid="foi-rules-add-day">
                {t('foi.settings.calendar.add')}
              </Button>
            </Group>
          )}
        </section>
      </Stack>
      <VisuallyHidden role="status" aria-live="polite" data-testid="foi-rules-notice-status">
        {notice ? text(notice) : null}
      </VisuallyHidden>
    </FormPage>
  );
}

/** What a save or a reload did, at the action bar's far end (read out by the live region beside the form). */
function SavedNote({ msg }: { msg: Msg | null }) {
  const text = useFieldMessage();
  if (!msg) return null;
  return (
    <Text size="sm" ml="auto" fw={600} c="#1e6b34" aria-hidden="true" data-testid="foi-rules-notice">
      {text(msg)}
    </Text>
  );
}

/** Whether the law's defaults are in force, or which figures are the municipality's own. */
function RulesStateNote({ state, view }: { state: ReturnType<typeof rulesState>; view: RulesView }) {
  const { t } = useT();
  if (state.kind === 'own') {
    const list = state.differs.map((f) => t('foi.settings.rules.differs', { figure: t(`foi.settings.figShort.${f}`), value: figureOf(view.rules, f), law: figureOf(LAW_RULES, f) }));
    return (
      <Alert color="blue" variant="light" role="note" data-testid="foi-rules-state" data-state="own" styles={{ message: { color: '#1c2f4a' } }}>
        <Text size="sm" fw={600}>
          {t('foi.settings.rules.state.own')}
        </Text>
        <ul className="k-foi-rules-differs">
          {list.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ul>
      </Alert>
    );
  }
  return (
    <Alert color={state.kind === 'defaults' ? 'yellow' : 'green'} variant="light" role="note" data-testid="foi-rules-state" data-state={state.kind} styles={{ message: { color: state.kind === 'defaults' ? '#3d2a00' : '#0f3b1c' } }}>
      {t(state.kind === 'defaults' ? 'foi.settings.rules.state.defaults' : 'foi.settings.rules.state.law')}
    </Alert>
  );
}

// =============================================================================================
// The legal grounds
// =============================================================================================

/** What is open: a ground's dialog (code null: a new one), ending one, removing one. */
type Open = { kind: 'edit'; code: string | null } | { kind: 'end'; code: string } | { kind: 'remove'; code: string };

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

function GroundsTab({ canWrite }: { canWrite: boolean }) {
  const auth = useAuth();
  const q = useQuery('foi.grounds', {});
  const [saved, setSaved] = useState<GroundsView | null>(null);
  useEffect(() => setSaved(null), [q.data]);
  // A reload keeps the table in view until the new one is here (then the effect above lets it go).
  const { reload } = q;
  const [open, setOpen] = useState<Open | null>(null);
  const [notice, setNotice] = useState<Msg | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const start = useCallback((o: Open) => {
    setNotice(null);
    setOpen(o);
  }, []);
  const openNew = useCallback(() => start({ kind: 'edit', code: null }), [start]);
  // From the removal to ending the ground: the removal closes first, then the end dialog opens and keeps the
  // focus (the closed dialog's focus return to its opener stops there; the end dialog returns to the row).
  const endInstead = (code: string) => {
    setOpen(null);
    window.setTimeout(() => {
      stopFocusReturn();
      start({ kind: 'end', code });
    }, 0);
  };
  const done = (next: GroundsView, msg: Msg) => {
    setSaved(next);
    setOpen(null);
    setNotice(msg);
  };
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: reload }), [reload]));
  useScreenAction(useMemo(() => (canWrite ? { id: 'newFoiGround' as const, label: 'foi.settings.palette.newGround' as const, run: openNew, group: 'create' as const, hint: `${ALT}+N` } : null), [canWrite, openNew]));

  // Alt+N: a new ground (the shell's Alt+N, a new person, is not this screen's).
  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyN' || e.defaultPrevented) return;
      if (auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      e.preventDefault();
      openNew();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [canWrite, auth.status, openNew]);

  const view = saved ?? q.data;
  if (q.error && !view) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!view) return <Loading />;
  const byCode = (code: string) => view.grounds.find((g) => g.code === code);
  const endOf = open?.kind === 'end' ? byCode(open.code) : undefined;
  const removeOf = open?.kind === 'remove' ? byCode(open.code) : undefined;
  const editOf = open?.kind === 'edit' && open.code !== null ? byCode(open.code) : undefined;
  const dialogProps = { view, onClose: close, onSaved: done, onReload: reload };

  return (
    <>
      <Notice msg={notice} testId="foi-grounds-notice" />
      <GroundsTable view={view} canWrite={canWrite} onNew={openNew} onOpen={start} />
      {open?.kind === 'edit' && (open.code === null || editOf) && <GroundDialog {...dialogProps} original={editOf ?? null} />}
      {endOf && <EndDialog {...dialogProps} ground={endOf} />}
      {removeOf && <RemoveDialog {...dialogProps} ground={removeOf} onEndInstead={() => endInstead(removeOf.code)} />}
    </>
  );
}

const STATE_TONE: Record<GroundState, 'ok' | 'info' | 'neutral'> = { in_force: 'ok', upcoming: 'info', ended: 'neutral' };

function GroundsTable({ view, canWrite, onNew, onOpen }: { view: GroundsView; canWrite: boolean; onNew: () => void; onOpen: (o: Open) => void }) {
  const { t, lang } = useT();
  const { country, today } = useSession();
  const [withOther, setWithOther] = useState(false);
  const rows = useMemo(() => groundRows(view.grounds, country, withOther), [view.grounds, country, withOther]);
  const others = otherCountryCount(view.grounds, country);
  const last = view.grounds.length <= 1;
  const columns = useMemo<Column<GroundRow>[]>(() => {
    const countryText = (g: FoiGround) => t(GROUND_COUNTRY_KEY[g.country ?? 'both']);
    const stateText = (g: FoiGround) => t(GROUND_STATE_KEY[groundState(g, today)]);
    const titleCol = (l: 'sv' | 'nb' | 'en'): Column<GroundRow> => ({
      id: `title_${l}`,
      header: t(`foi.settings.col.title_${l}`),
      cell: (r) => r.ground.title[l],
      text: (r) => r.ground.title[l],
      optional: true,
      hiddenByDefault: true,
    });
    return [
      { id: 'citation', header: t('foi.settings.col.citation'), cell: (r) => <span className="k-foi-ground-citation">{r.ground.citation}</span>, text: (r) => r.ground.citation, rowHeader: true },
      { id: 'title', header: t('foi.settings.col.title'), cell: (r) => <span className="k-foi-ground-title">{r.ground.title[lang]}</span>, text: (r) => r.ground.title[lang] },
      { id: 'country', header: t('foi.settings.col.country'), cell: (r) => <span className="k-nowrap">{countryText(r.ground)}</span>, text: (r) => countryText(r.ground) },
      {
        id: 'optional',
        header: t('foi.settings.col.optional'),
        cell: (r) => t(r.ground.optional ? 'foi.settings.optional.yes' : 'foi.settings.optional.no'),
        text: (r) => t(r.ground.optional ? 'foi.settings.optional.yes' : 'foi.settings.optional.no'),
        optional: true,
        // Merinnsyn is Norway's (offentleglova § 11): a Swedish office chooses to see it.
        hiddenByDefault: country === 'SE',
      },
      { id: 'validFrom', header: t('foi.settings.col.validFrom'), kind: 'date', cell: (r) => formatDate(r.ground.validFrom, lang), text: (r) => r.ground.validFrom },
      {
        id: 'validTo',
        header: t('foi.settings.col.validTo'),
        kind: 'date',
        cell: (r) => (r.ground.validTo ? formatDate(r.ground.validTo, lang) : <span className="k-sub">{t('foi.settings.validTo.open')}</span>),
        text: (r) => r.ground.validTo ?? '',
      },
      {
        id: 'state',
        header: t('foi.settings.col.state'),
        cell: (r) => (
          <span data-testid="foi-ground-state" data-state={groundState(r.ground, today)}>
            <ToneTag tone={STATE_TONE[groundState(r.ground, today)]}>{stateText(r.ground)}</ToneTag>
          </span>
        ),
        text: (r) => stateText(r.ground),
      },
      // The code is the system's name for the ground (the dialog shows it): a column to choose.
      { id: 'code', header: t('foi.settings.col.code'), kind: 'code', cell: (r) => <span className="k-mono">{r.ground.code}</span>, text: (r) => r.ground.code, optional: true, hiddenByDefault: true },
      titleCol('sv'),
      titleCol('nb'),
      titleCol('en'),
      ...(canWrite
        ? [
            {
              id: 'actions',
              header: t('foi.settings.col.actions'),
              sortable: false,
              noExport: true,
              cell: (r: GroundRow) => <RowButtons ground={r.ground} today={today} last={last} onOpen={onOpen} />,
            },
          ]
        : []),
    ];
  }, [t, lang, today, country, canWrite, last, onOpen]);

  return (
    <section className="k-section" aria-labelledby="foi-grounds-title" data-testid="foi-grounds">
      <Group justify="space-between" align="center" mb={6} wrap="wrap">
        <h2 className="k-section-title" id="foi-grounds-title" style={{ margin: 0 }}>
          {t('foi.settings.grounds.title')}
        </h2>
        <Group gap="md" align="center">
          {others > 0 && (
            <Switch
              label={t(`foi.settings.grounds.showOther.${country}`, { n: others })}
              checked={withOther}
              onChange={(e) => setWithOther(e.currentTarget.checked)}
              data-testid="foi-grounds-other"
            />
          )}
          {canWrite && (
            <Button
              id="foi-grounds-new"
              leftSection={<IconPlus size={16} />}
              rightSection={<KeyHint keys={[ALT, 'N']} />}
              onClick={onNew}
              disabled={view.grounds.length >= GROUND_LIMITS.table}
              aria-keyshortcuts="Alt+N"
              aria-label={t('foi.settings.grounds.new')}
              data-testid="foi-grounds-new"
            >
              {t('foi.settings.grounds.new')}
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="sm" maw={900}>
        {t('foi.settings.grounds.hint')}
      </Text>
      {view.defaults && (
        <Alert color="yellow" variant="light" mb="sm" role="note" data-testid="foi-grounds-defaults" styles={{ message: { color: '#3d2a00' } }}>
          {t('foi.settings.grounds.defaults')}
        </Alert>
      )}
      <div className="k-table-scroll">
        <DataTable<GroundRow>
          id="foi-grounds"
          caption={t('foi.settings.grounds.caption')}
          columns={columns}
          rows={rows}
          rowKey={(r) => r.ground.code}
          onOpen={canWrite ? (r) => onOpen({ kind: 'edit', code: r.ground.code }) : undefined}
          testId="foi-grounds-table"
          rowTestId="foi-ground-row"
          rowProps={(r) => ({ 'data-code': r.ground.code, 'data-state': groundState(r.ground, today), 'data-applies': groundApplies(r.ground, country) ? 'true' : 'false' })}
          empty={<p className="k-empty">{t('foi.settings.grounds.empty')}</p>}
          dense
        />
      </div>
      <Text size="sm" c="dimmed" mt={6}>
        {canWrite ? t('foi.settings.grounds.keys', { alt: ALT }) : t('foi.settings.grounds.keysReadOnly')}
      </Text>
    </section>
  );
}

/** A row's button by the ground's code ("edit" is always there: where the focus goes back to after a dialog). */
const rowButtonId = (code: string, part: 'edit' | 'end' | 'remove' = 'edit') => `foi-ground-${code}-${part}`;

/** A row's Change, End (while it has not ended) and Remove (not the table's last ground). */
function RowButtons({ ground, today, last, onOpen }: { ground: FoiGround; today: string; last: boolean; onOpen: (o: Open) => void }) {
  const { t } = useT();
  const citation = ground.citation;
  const ended = groundState(ground, today) === 'ended';
  const id = (part: 'edit' | 'end' | 'remove') => rowButtonId(ground.code, part);
  return (
    <Group gap={4} wrap="nowrap" className="k-foi-ground-actions">
      <Button id={id('edit')} size="compact-sm" variant="default" leftSection={<IconEdit size={14} />} onClick={() => onOpen({ kind: 'edit', code: ground.code })} aria-label={t('foi.settings.ground.editAria', { citation })} data-testid="foi-ground-edit">
        {t('foi.settings.ground.edit')}
      </Button>
      {!ended && (
        <Button id={id('end')} size="compact-sm" variant="default" onClick={() => onOpen({ kind: 'end', code: ground.code })} aria-label={t('foi.settings.ground.endAria', { citation })} data-testid="foi-ground-end">
          {t('foi.settings.ground.end')}
        </Button>
      )}
      {!last && (
        <Button
          id={id('remove')}
          size="compact-sm"
          variant="outline"
          color="red"
          c="#a61b1b"
          style={{ borderColor: '#a61b1b' }}
          onClick={() => onOpen({ kind: 'remove', code: ground.code })}
          aria-label={t('foi.settings.ground.removeAria', { citation })}
          data-testid="foi-ground-remove"
        >
          {t('foi.settings.ground.remove')}
        </Button>
      )}
    </Group>
  );
}

interface DialogProps {
  view: GroundsView;
  onClose: () => void;
  /** Saved: the table the core answered with, and what the screen says about it. */
  onSaved: (view: GroundsView, notice: Msg) => void;
  /** Reads the table again (after someone else's change). */
  onReload: () => void;
}

/**
 * A dialog's save of the whole table, with someone else's change in between said in the dialog: Reload reads
 * the table again and keeps what is typed; the next save goes on top of their version.
 */
function useGroundsSave<V extends object>(view: GroundsView, f: Form<V>, onReload: () => void, testId: string) {
  const { t } = useT();
  const api = useApi();
  const [stale, setStale] = useState<'conflict' | 'reloaded' | null>(null);
  const version = useRef(view.version);
  useEffect(() => {
    if (view.version === version.current) return;
    version.current = view.version;
    setStale((s) => (s === 'conflict' ? 'reloaded' : s));
  }, [view.version]);
  useEffect(() => {
    // The question's way on (Reload) takes the focus once it is there.
    if (stale === 'conflict') document.getElementById(`${testId}-conflict-reload`)?.focus();
    if (stale !== 'reloaded') return;
    // Reload is gone with the question: the focus goes to the dialog's first field (else its action).
    window.setTimeout(() => {
      const d = document.querySelector(`[data-testid="${testId}"]`);
      d?.querySelector<HTMLElement>('input:not([disabled]):not([readonly]), select, textarea, button[type="submit"]:not([disabled])')?.focus();
    }, 0);
  }, [stale, testId]);
  const save = (grounds: () => FoiGround[], onRefused?: (e: ApiError) => void) =>
    f.submit(() => api.tryCall('foi.groundsUpdate', { grounds: grounds(), version: view.version }), {
      onError: (e) => {
        if (e.code === 'conflict') {
          setStale('conflict');
          return true;
        }
        setStale(null);
        onRefused?.(e);
        return false;
      },
    });
  const header =
    stale === 'conflict' ? (
      <ConflictAlert text={t('foi.settings.conflict.grounds')} reloadLabel={t('foi.settings.conflict.reloadTable')} onReload={onReload} testId={`${testId}-conflict`} />
    ) : stale === 'reloaded' ? (
      <Alert color="blue" variant="light" mb="md" role="status" data-testid={`${testId}-reloaded`} styles={{ message: { color: '#1c2f4a' } }}>
        {t('foi.settings.reloaded.grounds')}
      </Alert>
    ) : null;
  return { save, header, conflict: stale === 'conflict' };
}

/** A new ground, or a ground changed (its code stays: reviews name it). */
function GroundDialog({ view, original, onClose, onSaved, onReload }: DialogProps & { original: FoiGround | null }) {
  const { t } = useT();
  const { country, today } = useSession();
  const isNew = original === null;
  const others = useMemo(() => view.grounds.filter((g) => g.code !== original?.code), [view.grounds, original]);
  const sent = useRef<FoiGround[]>(view.grounds);
  const f = useForm<GroundValues>(original ? groundToValues(original) : newGroundValues(country, today), {
    validate: (x) => validateGround(x, others),
    mapError: (e, x) => mapGroundsError(e, { sent: sent.current, read: view.grounds, code: valuesToGround(x).code, fields: GROUND_FIELDS }),
  });
  const { v } = f;
  const { save, header, conflict } = useGroundsSave(view, f, onReload, 'foi-ground-dialog');
  const submit = async () => {
    const ground = valuesToGround(v);
    const r = await save(() => {
      sent.current = putGround(view.grounds, original?.code ?? null, ground);
      return sent.current;
    });
    if (r) onSaved(r, { key: isNew ? 'foi.settings.saved.added' : 'foi.settings.saved.changed', vars: { citation: ground.citation } });
  };
  const title = isNew ? t('foi.settings.ground.newTitle') : t('foi.settings.ground.editTitle', { citation: original.citation });
  const text = (name: 'citation' | 'titleSv' | 'titleNb' | 'titleEn', label: string, max: number, extra: { description?: ReactNode; autoFocus?: boolean } = {}) => (
    <TextInput
      id={`foi-ground-${name}`}
      label={label}
      description={extra.description}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      value={v[name]}
      onChange={(e) => f.set(name, e.currentTarget.value)}
      required
      maxLength={max + 20}
      autoComplete="off"
      data-autofocus={extra.autoFocus || undefined}
      data-testid={`foi-ground-${name}`}
      {...f.field(name)}
    />
  );
  return (
    <FormDialog
      form={f}
      title={title}
      testId="foi-ground-dialog"
      size="48rem"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t(isNew ? 'foi.settings.ground.create' : 'foi.settings.ground.save')}
      submitTestId="foi-ground-submit"
      disabled={conflict}
      returnFocusId={original ? rowButtonId(original.code) : 'foi-grounds-new'}
    >
      {header}
      <Stack gap="sm">
        <Group align="flex-start" gap="md" grow>
          {isNew ? (
            <TextInput
              id="foi-ground-code"
              label={t('foi.settings.ground.code')}
              description={t('foi.settings.ground.code.hint')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              value={v.code}
              onChange={(e) => f.set('code', e.currentTarget.value)}
              required
              autoComplete="off"
              spellCheck={false}
              data-autofocus
              data-testid="foi-ground-code"
              {...f.field('code')}
            />
          ) : (
            <TextInput
              id="foi-ground-code"
              label={t('foi.settings.ground.code')}
              description={t('foi.settings.ground.code.fixed')}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              value={v.code}
              readOnly
              data-testid="foi-ground-code"
              {...f.field('code')}
            />
          )}
          <NativeSelect
            id="foi-ground-country"
            label={t('foi.settings.ground.country')}
            description={t('foi.settings.ground.country.hint')}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            value={v.country}
            onChange={(e) => f.set('country', e.currentTarget.value as GroundValues['country'])}
            data={(['SE', 'NO', 'both'] as const).map((c) => ({ value: c, label: t(GROUND_COUNTRY_KEY[c]) }))}
            data-testid="foi-ground-country"
            {...f.field('country')}
          />
        </Group>
        {text('citation', t('foi.settings.ground.citation'), GROUND_LIMITS.citation, { description: t('foi.settings.ground.citation.hint'), autoFocus: !isNew })}
        <fieldset className="k-fieldset">
          <legend>{t('foi.settings.ground.titles')}</legend>
          <Text size="xs" c="dimmed" mb={6}>
            {t('foi.settings.ground.titles.hint')}
          </Text>
          <Stack gap="xs">
            {text('titleSv', t('foi.settings.ground.titleSv'), GROUND_LIMITS.title)}
            {text('titleNb', t('foi.settings.ground.titleNb'), GROUND_LIMITS.title)}
            {text('titleEn', t('foi.settings.ground.titleEn'), GROUND_LIMITS.title)}
          </Stack>
        </fieldset>
        <Checkbox
          id="foi-ground-optional"
          label={t('foi.settings.ground.optional')}
          description={t('foi.settings.ground.optional.hint')}
          checked={v.optional}
          onChange={(e) => f.set('optional', e.currentTarget.checked)}
          data-testid="foi-ground-optional"
          {...f.field('optional')}
        />
        <Group align="flex-start" gap="md" grow>
          <DateField
            id="foi-ground-valid-from"
            name="validFrom"
            label={t('foi.settings.ground.validFrom')}
            value={v.validFrom}
            onChange={(x) => {
              f.set('validFrom', x);
              f.dropServerErrors('validTo');
            }}
            error={f.err('validFrom')}
            required
            testId="foi-ground-valid-from"
          />
          <DateField
            id="foi-ground-valid-to"
            name="validTo"
            label={t('foi.settings.ground.validTo')}
            description={t('foi.settings.ground.validTo.hint')}
            value={v.validTo}
            onChange={(x) => f.set('validTo', x)}
            error={f.err('validTo')}
            testId="foi-ground-valid-to"
          />
        </Group>
      </Stack>
    </FormDialog>
  );
}

/** A ground's last day set (it stays in the table for the reviews that name it; new ones cannot choose it after it). */
function EndDialog({ view, ground, onClose, onSaved, onReload }: DialogProps & { ground: FoiGround }) {
  const { t, lang } = useT();
  const { today } = useSession();
  const sent = useRef<FoiGround[]>(view.grounds);
  const f = useForm<{ validTo: string }>(
    { validTo: ground.validTo ?? (ground.validFrom > today ? ground.validFrom : today) },
    {
      validate: (x) => validateEnd(x.validTo, ground.validFrom, true),
      mapError: (e) => mapGroundsError(e, { sent: sent.current, read: view.grounds, code: ground.code, fields: ['validTo'] }),
    },
  );
  const { save, header, conflict } = useGroundsSave(view, f, onReload, 'foi-ground-end-dialog');
  const submit = async () => {
    const day = f.v.validTo.trim();
    const r = await save(() => {
      sent.current = endGround(view.grounds, ground.code, day);
      return sent.current;
    });
    if (r) onSaved(r, { key: 'foi.settings.saved.ended', vars: { citation: ground.citation, date: day } });
  };
  return (
    <FormDialog
      form={f}
      title={t('foi.settings.end.title', { citation: ground.citation })}
      testId="foi-ground-end-dialog"
      size="44rem"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('foi.settings.end.submit')}
      submitTestId="foi-ground-end-submit"
      disabled={conflict}
      returnFocusId={rowButtonId(ground.code)}
    >
      {header}
      <Stack gap="sm">
        <Text>{t('foi.settings.end.text', { title: ground.title[lang], from: formatDate(ground.validFrom, lang) })}</Text>
        <Text size="sm" c="dimmed">
          {t('foi.settings.end.hint')}
        </Text>
        <DateField
          id="foi-ground-end-valid-to"
          name="validTo"
          label={t('foi.settings.end.validTo')}
          value={f.v.validTo}
          onChange={(x) => f.set('validTo', x)}
          error={f.err('validTo')}
          required
          autoFocus
          w={280}
          testId="foi-ground-end-valid-to"
        />
      </Stack>
    </FormDialog>
  );
}

/** A ground removed (asked first); one a review uses is refused by the core, and ending it is offered instead. */
function RemoveDialog({ view, ground, onClose, onSaved, onReload, onEndInstead }: DialogProps & { ground: FoiGround; onEndInstead: () => void }) {
  const { t, lang } = useT();
  const sent = useRef<FoiGround[]>(view.grounds);
  const f = useForm<Record<string, never>>({}, { mapError: (e) => mapGroundsError(e, { sent: sent.current, read: view.grounds, code: null, fields: [] }) });
  const [inUse, setInUse] = useState(false);
  const { save, header, conflict } = useGroundsSave(view, f, onReload, 'foi-ground-remove-dialog');
  useEffect(() => {
    // After the refusal (its message in the banner), the way on: end the ground instead.
    if (inUse) focusLater('foi-ground-end-instead');
  }, [inUse]);
  const submit = async () => {
    const r = await save(
      () => {
        sent.current = removeGround(view.grounds, ground.code);
        return sent.current;
      },
      (e) => setInUse(groundInUse(e) === ground.code),
    );
    if (r) onSaved(r, { key: 'foi.settings.saved.removed', vars: { citation: ground.citation } });
  };
  return (
    <FormDialog
      form={f}
      title={t('foi.settings.remove.title', { citation: ground.citation })}
      testId="foi-ground-remove-dialog"
      size="44rem"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('foi.settings.remove.submit')}
      submitTestId="foi-ground-remove-submit"
      danger
      focusCancel
      disabled={inUse || conflict}
      returnFocusId={rowButtonId(ground.code)}
    >
      {header}
      <Stack gap="xs" mb="sm">
        <Text>{t('foi.settings.remove.text', { title: ground.title[lang], code: ground.code })}</Text>
        {inUse ? (
          <Group gap="sm" align="center" data-testid="foi-ground-in-use">
            <Button id="foi-ground-end-instead" variant="default" onClick={onEndInstead} data-testid="foi-ground-end-instead">
              {t('foi.settings.remove.endInstead')}
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('foi.settings.remove.note')}
          </Text>
        )}
      </Stack>
    </FormDialog>
  );
}
