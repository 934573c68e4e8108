/** Create a school unit under an administration, or edit one. Same keyboard rules as the person form. */
import { Checkbox, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useEffect } from 'react';
import { ErrorState, Loading, PageTitle, Section } from '../components/common';
import { useApi, useQuery } from '../lib/api';
import { SCHOOL_FORMS_BY_COUNTRY } from '../../../shared/domain/org';
import type { SchoolForm, UnitCard } from '../lib/domain';
import { useT } from '../lib/i18n';
import { FormPage, mapApiError, releaseLeaveGuard, useForm } from '../kit';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { emptyUnitValues, toUnitInput, unitDirty, unitFieldKnown, unitValuesFromCard, validateUnit, type UnitFormValues } from '../lib/unitForm';
import { orgTreeVersion, useOrgTree } from './Org';

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
  const f = useForm<UnitFormValues>(card ? unitValuesFromCard(card, session.country) : emptyUnitValues(parentId), {
    validate: (x) => validateUnit(x, country),
    known: unitFieldKnown,
    equal: (a, b) => !unitDirty(a, b),
    mapError: (e) =>
      // A duplicate code names the unit that has it; say so in words, the id means nothing to a clerk.
      e.code === 'conflict'
        ? { fields: {}, top: [{ key: 'unitForm.conflict' }] }
        : mapApiError(e, unitFieldKnown, { issue: (i) => (i.code === 'duplicate' ? { key: 'validation.duplicate_code' } : undefined) }),
  });
  const { v, set } = f;

  useEffect(() => {
    document.getElementById('f-unit-name')?.focus();
  }, []);

  const back = () => navigate(card ? { name: 'unit', id: card.id } : v.parentId ? { name: 'unit', id: v.parentId } : { name: 'org' }, { force: true });

  const save = async () => {
    const unit = toUnitInput(v, country);
    const r = await f.submit(() => (card ? api.tryCall('unit.update', { id: card.id, version: card.version, unit }) : api.tryCall('unit.create', unit)));
    if (r) {
      releaseLeaveGuard();
      orgTreeVersion.set(orgTreeVersion.get() + 1);
      navigate({ name: 'unit', id: r.id }, { replace: true, force: true });
    }
  };

  const forms = SCHOOL_FORMS_BY_COUNTRY[country];
  const title = card ? t('unitForm.editTitle', { name: card.name }) : t('unitForm.newTitle');

  return (
    <div data-testid="unit-form">
      <PageTitle>{title}</PageTitle>
      <FormPage form={f} label={title} onSubmit={() => void save()} onLeave={back}>
        <Stack gap="md">
          <Section title={t('unit.section.facts')} id="f-unit">
            <div className="k-form-grid">
              <TextInput id="f-unit-name" label={t('field.unitName')} value={v.name} onChange={(e) => set('name', e.currentTarget.value)} required {...f.field('name')} maxLength={240} />
              <NativeSelect label={t('field.administration')} value={v.parentId} onChange={(e) => set('parentId', e.currentTarget.value)} data={admins} required {...f.field('parentId')} />
              {country === 'SE' && (
                <TextInput
                  label={t('field.schoolUnitCode')}
                  description={t('unitForm.schoolUnitCodeHint')}
                  value={v.schoolUnitCode}
                  onChange={(e) => set('schoolUnitCode', e.currentTarget.value)}
                  {...f.field('schoolUnitCode')}
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
                  {...f.field('gsiCode')}
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
                {...f.field('orgNumber')}
                classNames={{ input: 'k-mono' }}
                maxLength={20}
              />
              <TextInput label={t('field.visitingAddress')} value={v.visitingAddress} onChange={(e) => set('visitingAddress', e.currentTarget.value)} {...f.field('visitingAddress')} maxLength={400} />
            </div>
          </Section>
          <Section title={t('field.schoolForms')} id="f-forms">
            <div data-k-error={f.errors.schoolForms ? 'true' : undefined}>
              <Checkbox.Group
                label={t('unitForm.schoolFormsLabel')}
                description={t('unitForm.schoolFormsHint', { country: t(`country.${country}`) })}
                value={v.schoolForms}
                onChange={(x) => set('schoolForms', x as SchoolForm[])}
                {...f.field('schoolForms')}
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
      </FormPage>
    </div>
  );
}
