/**
 * The municipality's placement rules (notice periods, age limits, final grades, rollover exceptions, the
 * placement guarantee): everyone who works with placements reads them; saving needs org.write over the
 * whole municipality, so everyone else gets the same screen with its inputs disabled and a note saying why.
 * Keyboard rules as in the unit form: Ctrl+S saves, Esc cancels (asking first when something changed).
 */
import { Alert, Button, Group, NumberInput, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ENROLMENT_FORMS_BY_COUNTRY, PLACEMENT_FORMS_BY_COUNTRY, PLACEMENT_RULE_LIMITS } from '../../../shared/domain/care';
import { ErrorState, Loading, PageTitle, Section } from '../components/common';
import { IconPlus } from '../components/icons';
import { UnitPicker } from '../components/UnitPicker';
import { useApi, useQuery } from '../lib/api';
import type { PlacementForm } from '../lib/care';
import { useT, type TKey } from '../lib/i18n';
import {
  agePath,
  canEditRules,
  emptyException,
  exceptionPath,
  gradePath,
  mapRulesError,
  noticePath,
  rulesFieldKnown,
  rulesToValues,
  savedValues,
  shiftExceptionErrors,
  validateRules,
  valuesToRules,
  type ExceptionValues,
  type PlacementRules,
  type RulesFormValues,
} from '../lib/placementRules';
import { homeRoute, navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { FormPage, useForm } from '../kit';

export function PlacementRulesScreen() {
  const q = useQuery('placementRules.get', {});
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading />;
  return <RulesForm stored={q.data} />;
}

type Bounds = { min: number; max: number };

function RulesForm({ stored }: { stored: PlacementRules }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const country = session.country;
  const editable = canEditRules(session.roles);
  const [base, setBase] = useState(stored);
  const [saved, setSaved] = useState(false);
  const rf = useForm<RulesFormValues>(rulesToValues(stored, country), { validate: (x) => validateRules(x, country), mapError: (e, x) => mapRulesError(e, rulesFieldKnown(x, country)) });
  const { v, err, dirty } = rf;

  useEffect(() => {
    if (dirty) setSaved(false);
  }, [dirty]);

  const setNumber = (group: 'noticeMonths' | 'ageMin' | 'ageMax' | 'finalGrade', form: string, value: string, path: string) => {
    rf.set(group, { ...v[group], [form]: value });
    // Either end of an age range answers the "max below min" message, which sits on the max.
    rf.dropServerErrors(path, ...(group === 'ageMin' || group === 'ageMax' ? [agePath(form as PlacementForm, 'max')] : []));
  };
  const setException = (i: number, patch: Partial<ExceptionValues>) => {
    rf.set(
      'exceptions',
      v.exceptions.map((x, n) => (n === i ? { ...x, ...patch } : x)),
    );
    rf.dropServerErrors(...Object.keys(patch).map((k) => exceptionPath(i, k as 'unitId')), 'rolloverExceptions');
  };
  const focusLater = (id: string) => window.setTimeout(() => document.getElementById(id)?.focus(), 0);
  const addException = () => {
    const row = emptyException();
    rf.set('exceptions', [...v.exceptions, row]);
    focusLater(`rule-x-${row.key}-unit`);
  };
  const removeException = (i: number) => {
    const next = v.exceptions[i + 1] ?? v.exceptions[i - 1];
    rf.set(
      'exceptions',
      v.exceptions.filter((_, n) => n !== i),
    );
    rf.setServerErrors(shiftExceptionErrors(rf.errors, i), rf.top);
    // Focus stays in the list: on the row that moved up (or the one above), else on "add".
    focusLater(next ? `rule-x-${next.key}-remove` : 'rule-x-add');
  };

  // Cancel on this screen means: back to what is stored (it is a settings page, not a record to leave).
  const initialValues = useMemo(() => rulesToValues(base, country), [base, country]);
  const revert = () => rf.reset(savedValues(base, country, initialValues));

  const save = async () => {
    if (!editable) return;
    const r = await rf.submit(() => api.tryCall('placementRules.update', valuesToRules(v, base, country)));
    if (r) {
      setBase(r);
      rf.reset(savedValues(r, country, v));
      setSaved(true);
    }
  };

  const num = (path: string, label: string, value: string | undefined, bounds: Bounds, onChange: (s: string) => void, visibleLabel?: string, description?: string) => (
    <NumberInput
      id={`rule-${path.replace(/\./g, '-')}`}
      label={visibleLabel}
      aria-label={visibleLabel ? undefined : label}
      description={description}
      value={value ?? ''}
      onChange={(x) => onChange(String(x))}
      min={bounds.min}
      max={bounds.max}
      step={1}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="none"
      disabled={!editable}
      hideControls={!editable}
      styles={editable ? undefined : readOnlyInput}
      name={path}
      error={err(path)}
      w={visibleLabel ? 260 : 150}
      data-testid={`rule-${path}`}
    />
  );

  const placementForms = PLACEMENT_FORMS_BY_COUNTRY[country];
  const enrolmentForms = ENROLMENT_FORMS_BY_COUNTRY[country];
  const formName = (f: string) => t(`schoolForm.${f}` as TKey);
  const title = t('rules.title');
  return (
    <div className="k-page" data-testid="placement-rules">
      <PageTitle>{title}</PageTitle>
      <Text mb="md" maw={760}>
        {t('rules.intro')}
      </Text>
      {!editable && (
        <Alert color="blue" variant="light" mb="md" data-testid="rules-read-only" styles={{ message: { color: '#1c2f4a' } }}>
          {t('rules.readOnly')}
        </Alert>
      )}
      <FormPage
        form={rf}
        label={title}
        onSubmit={() => void save()}
        onLeave={() => (rf.dirty ? revert() : navigate(homeRoute(session.can)))}
        withActions={editable}
      >
        <Stack gap="md">
          <Section title={t('rules.section.placement')} id="rules-placement">
            <Text size="sm" mb="xs">
              {t('rules.ageHint')}
            </Text>
            <div className="k-table-scroll">
              <table className="k-table k-table-dense" style={{ width: 'auto' }} data-testid="rules-placement-table">
                <caption>
                  <VisuallyHidden>{t('rules.placementCaption')}</VisuallyHidden>
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('rules.col.form')}</th>
                    <th scope="col">{t('rules.col.notice')}</th>
                    <th scope="col">{t('rules.col.ageMin')}</th>
                    <th scope="col">{t('rules.col.ageMax')}</th>
                  </tr>
                </thead>
                <tbody>
                  {placementForms.map((f) => (
                    <tr key={f}>
                      <th scope="row" style={rowHeader}>
                        {formName(f)}
                      </th>
                      <td style={numberCell}>{num(noticePath(f), t('rules.aria.notice', { form: formName(f) }), v.noticeMonths[f], PLACEMENT_RULE_LIMITS.noticeMonths, (s) => setNumber('noticeMonths', f, s, noticePath(f)))}</td>
                      <td style={numberCell}>{num(agePath(f, 'min'), t('rules.aria.ageMin', { form: formName(f) }), v.ageMin[f], PLACEMENT_RULE_LIMITS.age, (s) => setNumber('ageMin', f, s, agePath(f, 'min')))}</td>
                      <td style={numberCell}>{num(agePath(f, 'max'), t('rules.aria.ageMax', { form: formName(f) }), v.ageMax[f], PLACEMENT_RULE_LIMITS.age, (s) => setNumber('ageMax', f, s, agePath(f, 'max')))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>

          <Section title={t('rules.section.guarantee')} id="rules-guarantee">
            {num('guaranteeMonths', t('rules.guaranteeMonths'), v.guaranteeMonths, PLACEMENT_RULE_LIMITS.guaranteeMonths, (s) => {
              rf.set('guaranteeMonths', s);
            }, t('rules.guaranteeMonths'), t('rules.guaranteeHint'))}
          </Section>

          <Section title={t('rules.section.finalGrade')} id="rules-final">
            <Text size="sm" mb="xs">
              {t('rules.finalGradeHint')}
            </Text>
            <div className="k-table-scroll">
              <table className="k-table k-table-dense" style={{ width: 'auto' }} data-testid="rules-final-table">
                <caption>
                  <VisuallyHidden>{t('rules.finalGradeCaption')}</VisuallyHidden>
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('rules.col.schoolForm')}</th>
                    <th scope="col">{t('rules.col.finalGrade')}</th>
                  </tr>
                </thead>
                <tbody>
                  {enrolmentForms.map((f) => (
                    <tr key={f}>
                      <th scope="row" style={rowHeader}>
                        {formName(f)}
                      </th>
                      <td style={numberCell}>{num(gradePath(f), t('rules.aria.finalGrade', { form: formName(f) }), v.finalGrade[f], PLACEMENT_RULE_LIMITS.finalGrade, (s) => setNumber('finalGrade', f, s, gradePath(f)))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>

          <Section title={t('rules.section.exceptions')} id="rules-exceptions" testId="rules-exceptions">
            <Text size="sm" mb="xs">
              {t('rules.exceptionsHint')}
            </Text>
            {rf.errors.rolloverExceptions && (
              <Text c="#a61b1b" size="sm" mb="xs" data-k-error="true">
                {err('rolloverExceptions')}
              </Text>
            )}
            {v.exceptions.length === 0 ? (
              <p className="k-empty" style={{ margin: '0 0 8px' }} data-testid="rules-exceptions-empty">
                {t('rules.exceptions.empty')}
              </p>
            ) : (
              <Stack gap="sm" mb="sm">
                {v.exceptions.map((x, i) => (
                  <ExceptionRow key={x.key} row={x} index={i} editable={editable} err={err} onChange={(patch) => setException(i, patch)} onRemove={() => removeException(i)} />
                ))}
              </Stack>
            )}
            {editable && (
              <Button id="rule-x-add" variant="default" leftSection={<IconPlus size={16} />} onClick={addException} disabled={v.exceptions.length >= PLACEMENT_RULE_LIMITS.rolloverExceptions} data-testid="rules-add-exception">
                {t('rules.exception.add')}
              </Button>
            )}
          </Section>
        </Stack>
        <div role="status" aria-live="polite" data-testid="rules-saved-status">
          {saved && !dirty && (
            <div className="k-flash" style={{ marginTop: 12, marginBottom: 0 }} data-testid="rules-saved">
              {t('rules.saved')}
            </div>
          )}
        </div>
      </FormPage>
    </div>
  );
}

// The form's name lines up with the inputs beside it; a cell leaves room for its error message.
const rowHeader = { fontWeight: 500, color: 'inherit', verticalAlign: 'top', paddingTop: 12, paddingRight: 24 } as const;
const numberCell = { minWidth: 166 } as const;
// Disabled inputs are the read-only view: their values must stay readable, not greyed out.
const readOnlyInput = { input: { opacity: 1, color: '#343a40' } } as const;

function ExceptionRow(props: { row: ExceptionValues; index: number; editable: boolean; err: (path: string) => ReactNode; onChange: (patch: Partial<ExceptionValues>) => void; onRemove: () => void }) {
  const { t } = useT();
  const { row, index: i, editable, err } = props;
  const n = i + 1;
  const id = (part: string) => `rule-x-${row.key}-${part}`;
  return (
    <fieldset className="k-section" style={{ margin: 0, padding: '8px 12px 12px' }} data-testid={`rules-exception-${i}`}>
      <legend style={{ fontWeight: 600, padding: '0 4px' }}>{t('rules.exception.legend', { n })}</legend>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <div style={{ width: 240 }}>
          <UnitPicker id={id('unit')} label={t('rules.exception.unit')} value={row.unitId} onChange={(u) => props.onChange({ unitId: u })} required disabled={!editable} error={err(exceptionPath(i, 'unitId'))} testId={`rules-exception-${i}-unit`} />
        </div>
        <TextInput
          id={id('from')}
          label={t('rules.exception.fromName')}
          value={row.fromName}
          onChange={(e) => props.onChange({ fromName: e.currentTarget.value })}
          required
          disabled={!editable}
          styles={editable ? undefined : readOnlyInput}
          maxLength={PLACEMENT_RULE_LIMITS.className}
          error={err(exceptionPath(i, 'fromName'))}
          w={130}
          data-testid={`rules-exception-${i}-from`}
        />
        <TextInput
          id={id('to')}
          label={t('rules.exception.toName')}
          value={row.toName}
          onChange={(e) => props.onChange({ toName: e.currentTarget.value })}
          required
          disabled={!editable}
          styles={editable ? undefined : readOnlyInput}
          maxLength={PLACEMENT_RULE_LIMITS.className}
          error={err(exceptionPath(i, 'toName'))}
          w={150}
          data-testid={`rules-exception-${i}-to`}
        />
        <div style={{ width: 240 }}>
          <UnitPicker
            id={id('to-unit')}
            label={t('rules.exception.toUnit')}
            description={t('rules.exception.toUnitHint')}
            value={row.toUnitId}
            onChange={(u) => props.onChange({ toUnitId: u })}
            disabled={!editable}
            error={err(exceptionPath(i, 'toUnitId'))}
            testId={`rules-exception-${i}-to-unit`}
          />
        </div>
        {editable && (
          <Button id={id('remove')} variant="outline" color="red" c="#a61b1b" style={{ borderColor: '#a61b1b', marginTop: 25 }} onClick={props.onRemove} aria-label={t('rules.exception.remove', { n })} data-testid={`rules-exception-${i}-remove`}>
            {t('rules.exception.removeShort')}
          </Button>
        )}
      </Group>
    </fieldset>
  );
}
