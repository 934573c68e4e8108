/** Create a school unit under an administration, or edit one. Same keyboard rules as the person form. */
import { Alert, Checkbox, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ErrorState, Loading, PageTitle, Section } from '../components/common';
import { FormActions } from '../components/FormActions';
import { useApi, useQuery } from '../lib/api';
import { SCHOOL_FORMS_BY_COUNTRY } from '../../../shared/domain/org';
import type { SchoolForm, UnitCard } from '../lib/domain';
import { useT } from '../lib/i18n';
import { modPressed } from '../lib/platform';
import { mapIssues, type FieldError, type FieldErrors } from '../lib/personForm';
import { navigate, setLeaveGuard } from '../lib/router';
import { useSession } from '../lib/session';
import { emptyUnitValues, toUnitInput, unitDirty, unitFieldKnown, unitValuesFromCard, validateUnit, type UnitFormValues } from '../lib/unitForm';
import { orgTreeVersion, useOrgTree } from './Org';
import { DiscardModal } from './PersonForm';

export function UnitFormScreen({ id, parentId }: { id?: string; parentId?: string }) {
  const q = useQuery('unit.get', id ? { id } : null);
  const tree = useOrgTree();
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (tree.error) return <ErrorState error={tree.error} onRetry={tree.reload} />;
  if ((id && !q.data) || !tree.data) return <Loading />;
  const admins = tree.data.administrations.map((a) => ({ value: a.id, label: a.name }));
  return <UnitForm key={q.data ? `${q.data.id}-${q.data.version}` : 'new'} card={q.data} parentId={parentId ?? admins[0]?.value ?? ''} admins={admins} />;
}

function UnitForm({ card, parentId, admins }: { card: UnitCard | null; parentId: string; admins: { value: string; label: string }[] }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const country = session.country;
  const [initial] = useState<UnitFormValues>(() => (card ? unitValuesFromCard(card, session.country) : emptyUnitValues(parentId)));
  const [v, setV] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [confirm, setConfirm] = useState<null | (() => void)>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const dirty = unitDirty(v, initial);

  const set = <K extends keyof UnitFormValues>(k: K, value: UnitFormValues[K]) => {
    setV((cur) => ({ ...cur, [k]: value }));
    if (errors[k]) setErrors(({ [k]: _, ...rest }) => rest);
  };
  const msg = (e: FieldError | undefined): ReactNode => (e ? t(e.key, e.vars) : undefined);

  useEffect(() => {
    document.getElementById('f-unit-name')?.focus();
  }, []);

  const back = useCallback(() => navigate(card ? { name: 'unit', id: card.id } : v.parentId ? { name: 'unit', id: v.parentId } : { name: 'org' }, { force: true }), [card, v.parentId]);
  useEffect(() => {
    if (!dirty) {
      setLeaveGuard(null);
      return;
    }
    setLeaveGuard((proceed) => {
      setConfirm(() => proceed);
      return true;
    });
    return () => setLeaveGuard(null);
  }, [dirty]);
  const cancel = () => (dirty ? setConfirm(() => back) : back());

  const focusFirstError = () =>
    window.setTimeout(() => {
      const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-k-error="true"] input');
      el?.focus();
    }, 0);

  const save = async () => {
    if (saving) return;
    const e = validateUnit(v, country);
    setErrors(e);
    setFormErrors([]);
    if (Object.keys(e).length) {
      focusFirstError();
      return;
    }
    setSaving(true);
    const unit = toUnitInput(v, country);
    const r = card ? await api.tryCall('unit.update', { id: card.id, version: card.version, unit }) : await api.tryCall('unit.create', unit);
    setSaving(false);
    if (r.ok) {
      setLeaveGuard(null);
      orgTreeVersion.set(orgTreeVersion.get() + 1);
      navigate({ name: 'unit', id: r.data.id }, { replace: true, force: true });
      return;
    }
    const err = r.error;
    if (err.code === 'conflict') {
      setFormErrors([{ key: 'unitForm.conflict' }]);
      return;
    }
    if ((err.code === 'validation' || err.code === 'duplicate') && (err.issues?.length || err.field)) {
      const issues = err.issues?.length ? err.issues : [{ field: err.field ?? '', code: err.code, message: err.message }];
      // A duplicate code names the unit that has it; say so in words, the id means nothing to a clerk.
      const mapped = mapIssues(
        issues.map((i) => (i.code === 'duplicate' ? { ...i, code: 'duplicate_code' } : i)),
        unitFieldKnown,
      );
      setErrors(mapped.fields);
      setFormErrors(mapped.other);
      focusFirstError();
      return;
    }
    setFormErrors([{ key: err.code === 'forbidden' ? 'error.forbidden' : err.code === 'not_found' ? 'error.not_found' : 'error.saveFailed' }]);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (modPressed(e) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape' && !e.defaultPrevented && (e.target as HTMLElement).getAttribute('aria-expanded') !== 'true') {
      e.preventDefault();
      cancel();
    }
  };

  const forms = SCHOOL_FORMS_BY_COUNTRY[country];
  const title = card ? t('unitForm.editTitle', { name: card.name }) : t('unitForm.newTitle');
  const errorCount = Object.keys(errors).length;
  return (
    <div data-testid="unit-form">
      <PageTitle>{title}</PageTitle>
      <form ref={formRef} noValidate aria-label={title} onKeyDown={onKeyDown} onSubmit={(e) => { e.preventDefault(); void save(); }}>
        {(errorCount > 0 || formErrors.length > 0) && (
          <Alert color="red" variant="light" role="alert" mb="md" title={t('personForm.errors.title')} data-testid="form-errors" styles={{ title: { color: '#7d1212' }, message: { color: '#3b0d0d' } }}>
            {errorCount > 0 && <p style={{ margin: 0 }}>{t('personForm.errors.count', { count: errorCount })}</p>}
            {formErrors.map((fe, i) => (
              <p key={i} style={{ margin: '4px 0 0' }}>
                {msg(fe)}
              </p>
            ))}
          </Alert>
        )}
        <Stack gap="md">
          <Section title={t('unit.section.facts')} id="f-unit">
            <div className="k-form-grid">
              <TextInput id="f-unit-name" label={t('field.unitName')} value={v.name} onChange={(e) => set('name', e.currentTarget.value)} required error={msg(errors.name)} maxLength={240} />
              <NativeSelect label={t('field.administration')} value={v.parentId} onChange={(e) => set('parentId', e.currentTarget.value)} data={admins} required error={msg(errors.parentId)} />
              {country === 'SE' && (
                <TextInput
                  label={t('field.schoolUnitCode')}
                  description={t('unitForm.schoolUnitCodeHint')}
                  value={v.schoolUnitCode}
                  onChange={(e) => set('schoolUnitCode', e.currentTarget.value)}
                  error={msg(errors.schoolUnitCode)}
                  inputMode="numeric"
                  classNames={{ input: 'k-mono' }}
                  maxLength={8}
                />
              )}
              {country === 'NO' && (
                <TextInput
                  label={t('field.gsiCode')}
                  description={t('unitForm.gsiCodeHint')}
                  value={v.gsiCode}
                  onChange={(e) => set('gsiCode', e.currentTarget.value)}
                  error={msg(errors.gsiCode)}
                  inputMode="numeric"
                  classNames={{ input: 'k-mono' }}
                  maxLength={9}
                />
              )}
              <TextInput
                label={t('field.orgNumber')}
                description={t(country === 'SE' ? 'unitForm.orgNumberHintSE' : 'unitForm.orgNumberHintNO')}
                value={v.orgNumber}
                onChange={(e) => set('orgNumber', e.currentTarget.value)}
                error={msg(errors.orgNumber)}
                classNames={{ input: 'k-mono' }}
                maxLength={20}
              />
              <TextInput label={t('field.visitingAddress')} value={v.visitingAddress} onChange={(e) => set('visitingAddress', e.currentTarget.value)} error={msg(errors.visitingAddress)} maxLength={400} />
            </div>
          </Section>
          <Section title={t('field.schoolForms')} id="f-forms">
            <div data-k-error={errors.schoolForms ? 'true' : undefined}>
              <Checkbox.Group
                label={t('unitForm.schoolFormsLabel')}
                description={t('unitForm.schoolFormsHint', { country: t(`country.${country}`) })}
                value={v.schoolForms}
                onChange={(x) => set('schoolForms', x as SchoolForm[])}
                error={msg(errors.schoolForms)}
                required
              >
                <Group mt="xs" gap="lg">
                  {forms.map((f) => (
                    <Checkbox key={f} value={f} label={`${t(`schoolForm.${f}`)} (${f})`} />
                  ))}
                </Group>
              </Checkbox.Group>
            </div>
          </Section>
        </Stack>
        <FormActions saving={saving} dirty={dirty} onCancel={cancel} />
      </form>
      <DiscardModal
        opened={confirm !== null}
        onStay={() => setConfirm(null)}
        onDiscard={() => {
          const go = confirm;
          setConfirm(null);
          setLeaveGuard(null);
          go?.();
        }}
      />
    </div>
  );
}
