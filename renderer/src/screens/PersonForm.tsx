/**
 * Create or edit a person. Keyboard rules shared with every form: Enter in a text field or Ctrl+S
 * saves, Esc cancels (asking first when something changed). A failed save keeps every value; a
 * `conflict` says who-changed-what and lets the user decide, never overwriting silently.
 */
import { Alert, Button, Checkbox, Group, NativeSelect, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DateField } from '../components/DateField';
import { ErrorState, Loading, PageTitle, ProtectedBlock, Section } from '../components/common';
import { IconPlus } from '../components/icons';
import { useApi, useQuery } from '../lib/api';
import { countryOptions, languageOptions } from '../lib/codes';
import { REVEAL_REASON_MIN } from '../../../shared/domain/access';
import { ADDRESS_KINDS, CONTACT_KINDS, MAALFORMS, PERSON_STATUSES, PROTECTION_BY_COUNTRY, SEXES } from '../../../shared/domain/register';
import type { PersonCard } from '../lib/domain';
import { formatDate } from '../lib/format';
import { useT } from '../lib/i18n';
import {
  addressesShielded,
  changedFields,
  emptyAddress,
  emptyContact,
  emptyPersonValues,
  isDirty,
  lowersProtection,
  parseIdentity,
  personFieldKnown,
  rebasePerson,
  toPersonInput,
  validatePerson,
  valuesFromCard,
  type PersonFormValues,
} from '../lib/personForm';
import { navigate } from '../lib/router';
import { FormPage, mapApiError, releaseLeaveGuard, useFieldMessage, useForm, type FieldErrors } from '../kit';
import { useSession } from '../lib/session';
import { flash } from '../lib/store';
import { fieldLabel } from './PersonCard';

export function PersonFormScreen({ id }: { id?: string }) {
  const q = useQuery('person.get', id ? { id } : null);
  if (!id) return <PersonForm card={null} />;
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading />;
  return <PersonForm key={`${q.data.id}-${q.data.version}`} card={q.data} />;
}

type IdentityCheck = { state: 'idle' } | { state: 'checking' } | { state: 'free' } | { state: 'taken'; personId: string } | { state: 'failed' };

function PersonForm({ card: initialCard }: { card: PersonCard | null }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const [card, setCard] = useState(initialCard);
  const editing = card !== null;
  const shielded = card?.shielded ?? false;
  const ctx = useMemo(() => ({ today: session.today, demo: session.demo }), [session.today, session.demo]);

  const [conflict, setConflict] = useState<{ latest: PersonCard; changed: string[] } | null>(null);
  const [idCheck, setIdCheck] = useState<IdentityCheck>({ state: 'idle' });
  const validate = (x: PersonFormValues): FieldErrors => {
    const e = validatePerson(x, { ...ctx, editing, shielded, savedProtection: card?.protection });
    if (!x.noIdentityNumber && idCheck.state === 'taken') e.identityNumber = { key: 'validation.identity.duplicate', personId: idCheck.personId };
    return e;
  };
  const f = useForm<PersonFormValues>(card ? valuesFromCard(card, session.today) : emptyPersonValues(session.today), {
    validate: (x) => validate(x),
    equal: (a, b) => !isDirty(a, b),
    mapError: (e, x) => mapApiError(e, (path) => personFieldKnown(path, x)),
  });
  const { v, set, err } = f;
  const msg = useFieldMessage();
  const showAddresses = !addressesShielded(v, shielded);
  const lowering = lowersProtection(v, card?.protection);

  const setItem = <L extends 'addresses' | 'contacts'>(list: L, i: number, patch: Partial<PersonFormValues[L][number]>, path: string) => {
    set(list, (v[list] as PersonFormValues[L][number][]).map((x, j) => (j === i ? { ...x, ...patch } : x)) as PersonFormValues[L]);
    f.dropServerErrors(path);
  };

  // ---- identity number: parse as you type, fill birth date and sex, ask the core about duplicates
  const parsed = useMemo(() => (v.noIdentityNumber || !v.identityNumber.trim() ? null : parseIdentity(v.identityNumber, ctx)), [v.noIdentityNumber, v.identityNumber, ctx]);
  const parsedOk = parsed?.ok ? parsed : null;
  useEffect(() => {
    if (!parsedOk) return;
    f.setMany({ birthDate: parsedOk.birthDate, ...(parsedOk.sex ? { sex: parsedOk.sex } : {}) });
  }, [parsedOk?.canonical]);

  const checkSeq = useRef(0);
  useEffect(() => {
    const mine = ++checkSeq.current;
    if (!parsedOk) {
      setIdCheck({ state: 'idle' });
      return;
    }
    setIdCheck({ state: 'checking' });
    const timer = window.setTimeout(() => {
      api.tryCall('person.checkIdentity', { identityNumber: parsedOk.canonical, ...(card ? { excludePersonId: card.id } : {}) }).then((r) => {
        if (mine !== checkSeq.current) return;
        if (!r.ok) setIdCheck({ state: 'failed' });
        else if (r.data.valid && r.data.existingPersonId) setIdCheck({ state: 'taken', personId: r.data.existingPersonId });
        else setIdCheck({ state: 'free' });
      });
    }, 250);
    return () => window.clearTimeout(timer);
  }, [api, parsedOk?.canonical, card]);

  // A character that can never be part of a number, or a number someone else holds, is said at once;
  // the rest of the number's checks speak when the field is left (the kit's rule).
  // (Only a letter or sign: a separator typed before the last digits are in is the number half-typed.)
  const badCharacters = !v.noIdentityNumber && /[^\d\s+-]/.test(v.identityNumber);
  useEffect(() => {
    if (idCheck.state === 'taken') f.touch('identityNumber');
  }, [idCheck.state]);
  const identityError = f.errors.identityNumber ?? (badCharacters ? { key: 'validation.identity.bad_characters' as const } : undefined);

  // Start where a clerk starts: the identity number (or the first name when editing one without).
  useEffect(() => {
    const first = document.getElementById(v.noIdentityNumber ? 'f-givenName' : 'f-identityNumber');
    first?.focus();
  }, []);

  const cancelTarget = () => (card ? navigate({ name: 'person', id: card.id }, { force: true }) : window.history.length > 1 ? window.history.back() : navigate({ name: 'persons' }, { force: true }));

  // ---- saving
  const save = async () => {
    const person = toPersonInput(v, { ...ctx, shielded });
    const r = await f.submit(
      () =>
        card
          ? api.tryCall('person.update', {
              id: card.id,
              version: card.version,
              mode: v.mode,
              ...(v.mode === 'change' ? { effectiveFrom: v.effectiveFrom } : {}),
              person,
              ...(lowering ? { protectionReason: v.protectionReason.trim() } : {}),
            })
          : api.tryCall('person.create', person),
      {
        onError: async (e) => {
          if (e.code !== 'conflict' || !card) return false;
          // Someone saved this person meanwhile: say who changed what and let the clerk decide.
          const latest = await api.tryCall('person.get', { id: card.id });
          if (!latest.ok) return false;
          setConflict({ latest: latest.data, changed: changedFields(valuesFromCard(card, session.today), valuesFromCard(latest.data, session.today)) });
          return true;
        },
      },
    );
    if (r) {
      releaseLeaveGuard();
      flash.set(card ? 'person.savedChanges' : 'person.created');
      navigate({ name: 'person', id: r.id }, { replace: true, force: true });
    }
  };

  // ---- conflict resolution
  const keepMine = () => {
    if (!conflict || !card) return;
    // Rebase: the latest version plus this user's own changes; they review and save again.
    const theirs = valuesFromCard(conflict.latest, session.today);
    const { values, both } = rebasePerson(valuesFromCard(card, session.today), v, theirs);
    setCard(conflict.latest);
    f.reset(theirs);
    f.setMany(values);
    const marks: FieldErrors = {};
    for (const field of both) {
      const other = theirs[field as keyof PersonFormValues];
      marks[field] = { key: 'personForm.conflict.both', vars: { value: typeof other === 'string' && other ? other : '—' } };
    }
    f.setServerErrors(marks);
    setConflict(null);
  };
  const takeTheirs = () => {
    if (!conflict) return;
    setCard(conflict.latest);
    f.reset(valuesFromCard(conflict.latest, session.today));
    setConflict(null);
  };

  const protectionOptions = PROTECTION_BY_COUNTRY[session.country].includes(v.protection) ? PROTECTION_BY_COUNTRY[session.country] : [...PROTECTION_BY_COUNTRY[session.country], v.protection];
  const showMaalform = session.country === 'NO' || v.maalform !== '';
  const title = card ? t('personForm.editTitle', { name: `${card.givenName} ${card.familyName}` }) : t('personForm.newTitle');

  return (
    <div className="k-page" data-testid="person-form">
      <PageTitle>{title}</PageTitle>
      <FormPage
        form={f}
        label={title}
        testId="person-form-element"
        onSubmit={() => void save()}
        onLeave={cancelTarget}
        header={
          conflict && (
              <Alert color="orange" variant="light" role="alert" title={t('personForm.conflict.title')} mb="md" data-testid="conflict-alert" styles={{ title: { color: '#6d3a00' }, message: { color: '#3d2400' } }}>
                <p style={{ marginTop: 0 }}>{t('personForm.conflict.text', { by: conflict.latest.updatedByName ?? conflict.latest.updatedBy })}</p>
                {conflict.changed.length > 0 && <p>{t('personForm.conflict.fields', { fields: conflict.changed.map((f) => fieldLabel(f, t)).join(', ') })}</p>}
                <Group gap="sm">
                  <Button onClick={keepMine} data-autofocus>
                    {t('personForm.conflict.keepMine')}
                  </Button>
                  <Button variant="default" onClick={takeTheirs}>
                    {t('personForm.conflict.takeTheirs')}
                  </Button>
                </Group>
              </Alert>
          )
        }
        actions={{
          idle: card && (
            <Text size="sm" ml="auto" c="dimmed">
              {t('personForm.version', { date: formatDate(card.updatedAt.slice(0, 10), lang) })}
            </Text>
          ),
        }}
      >
        <Stack gap="md">
          <Section title={t('person.section.identity')} id="f-identity">
            <Stack gap="sm">
              <Checkbox
                label={t('personForm.noIdentityNumber')}
                description={t('personForm.noIdentityNumber.hint')}
                checked={v.noIdentityNumber}
                onChange={(e) => set('noIdentityNumber', e.currentTarget.checked)}
                data-testid="no-identity-number"
              />
              <div className="k-form-grid">
                <TextInput
                  label={t('field.identityNumber')}
                  value={v.identityNumber}
                  onChange={(e) => set('identityNumber', e.currentTarget.value)}
                  disabled={v.noIdentityNumber}
                  required={!v.noIdentityNumber}
                  name="identityNumber"
                  error={msg(identityError)}
                  description={
                    parsedOk && idCheck.state !== 'taken'
                      ? t('personForm.identityValid', { kind: t(`idKind.${parsedOk.kind}`), display: parsedOk.display }) + (idCheck.state === 'checking' ? ` · ${t('personForm.identityChecking')}` : '')
                      : t('personForm.identityHint')
                  }
                  autoComplete="off"
                  spellCheck={false}
                  classNames={{ input: 'k-mono' }}
                  maxLength={40}
                  data-testid="identity-number"
                  id="f-identityNumber"
                />
                {v.noIdentityNumber && (
                  <TextInput
                    label={t('field.reserveNumber')}
                    description={t('personForm.reserveNumberHint')}
                    value={v.reserveNumber}
                    onChange={(e) => set('reserveNumber', e.currentTarget.value.toUpperCase())}
                    {...f.field('reserveNumber')}
                    autoComplete="off"
                    spellCheck={false}
                    classNames={{ input: 'k-mono' }}
                    maxLength={20}
                    data-testid="reserve-number"
                  />
                )}
                <DateField
                  label={t('field.birthDate')}
                  value={v.birthDate}
                  onChange={(x) => set('birthDate', x)}
                  readOnly={!v.noIdentityNumber && parsedOk !== null}
                  required={v.noIdentityNumber}
                  {...f.field('birthDate')}
                  description={!v.noIdentityNumber && parsedOk ? t('personForm.fromIdentity') : undefined}
                  testId="birth-date"
                />
                <NativeSelect
                  label={t('field.sex')}
                  value={v.sex}
                  onChange={(e) => set('sex', e.currentTarget.value as PersonFormValues['sex'])}
                  {...f.field('sex')}
                  data={[{ value: '', label: t('common.notStated') }, ...SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))]}
                />
                <NativeSelect
                  label={t('field.status')}
                  value={v.status}
                  onChange={(e) => set('status', e.currentTarget.value as PersonFormValues['status'])}
                  {...f.field('status')}
                  data={PERSON_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
                />
                <NativeSelect
                  label={t('field.protection')}
                  value={v.protection}
                  onChange={(e) => set('protection', e.currentTarget.value as PersonFormValues['protection'])}
                  {...f.field('protection')}
                  data={protectionOptions.map((p) => ({ value: p, label: t(`protection.${p}`) }))}
                  data-testid="protection"
                />
                {lowering && (
                  <TextInput
                    label={t('personForm.protectionReason')}
                    description={t('personForm.protectionReasonHint', { min: REVEAL_REASON_MIN })}
                    value={v.protectionReason}
                    onChange={(e) => set('protectionReason', e.currentTarget.value)}
                    required
                    {...f.field('protectionReason')}
                    maxLength={500}
                    data-testid="protection-reason"
                  />
                )}
              </div>
            </Stack>
          </Section>

          <Section title={t('person.section.names')} id="f-names">
            <div className="k-form-grid">
              <TextInput id="f-givenName" label={t('field.givenName')} description={t('personForm.givenNameHint')} value={v.givenName} onChange={(e) => set('givenName', e.currentTarget.value)} required {...f.field('givenName')} maxLength={200} />
              <TextInput label={t('field.middleName')} description={t('personForm.middleNameHint')} value={v.middleName} onChange={(e) => set('middleName', e.currentTarget.value)} {...f.field('middleName')} maxLength={200} />
              <TextInput label={t('field.familyName')} value={v.familyName} onChange={(e) => set('familyName', e.currentTarget.value)} required {...f.field('familyName')} maxLength={200} />
              <TextInput label={t('field.preferredName')} description={t('personForm.preferredNameHint')} value={v.preferredName} onChange={(e) => set('preferredName', e.currentTarget.value)} {...f.field('preferredName')} maxLength={200} />
            </div>
          </Section>

          <Section title={t('person.section.other')} id="f-other">
            <div className="k-form-grid">
              <Select
                label={t('field.nationality')}
                value={v.nationality || null}
                onChange={(x) => set('nationality', x ?? '')}
                data={countryOptions(lang, v.nationality)}
                searchable
                clearable
                nothingFoundMessage={t('common.nothingFound')}
                {...f.field('nationality')}
                comboboxProps={{ withinPortal: true }}
              />
              <Select
                label={t('field.motherTongue')}
                value={v.motherTongue || null}
                onChange={(x) => set('motherTongue', x ?? '')}
                data={languageOptions(lang, v.motherTongue)}
                searchable
                clearable
                nothingFoundMessage={t('common.nothingFound')}
                {...f.field('motherTongue')}
                comboboxProps={{ withinPortal: true }}
              />
              <Select
                label={t('field.preferredLanguage')}
                description={t('field.preferredLanguage.hint')}
                value={v.preferredLanguage || null}
                onChange={(x) => set('preferredLanguage', x ?? '')}
                data={languageOptions(lang, v.preferredLanguage)}
                searchable
                clearable
                nothingFoundMessage={t('common.nothingFound')}
                {...f.field('preferredLanguage')}
                comboboxProps={{ withinPortal: true }}
              />
              <Checkbox
                label={t('field.messagesAllowed')}
                checked={v.messagesAllowed}
                onChange={(e) => set('messagesAllowed', e.currentTarget.checked)}
                mt="lg"
              />
              {showMaalform && (
                <NativeSelect
                  label={t('field.maalform')}
                  value={v.maalform}
                  onChange={(e) => set('maalform', e.currentTarget.value as PersonFormValues['maalform'])}
                  {...f.field('maalform')}
                  data={[{ value: '', label: t('common.notStated') }, ...MAALFORMS.map((m) => ({ value: m, label: t(`maalform.${m}`) }))]}
                />
              )}
            </div>
          </Section>

          <Section title={t('person.section.addresses')} id="f-addresses" testId="addresses-form">
            {!showAddresses ? (
              <ProtectedBlock />
            ) : (
              <Stack gap="sm">
                {f.errors.addresses && <Text c="#a61b1b" role="alert" data-k-error="true" tabIndex={-1}>{err('addresses')}</Text>}
                {v.addresses.length === 0 && <Text className="k-empty">{t('person.noAddresses')}</Text>}
                {v.addresses.map((a, i) => {
                  const p = `addresses.${i}`;
                  const n = i + 1;
                  return (
                    <fieldset key={a.key} className="k-list-item" style={{ margin: 0 }} data-testid="address-row">
                      <legend style={{ fontWeight: 600, padding: '0 4px' }}>{t('personForm.addressN', { n })}</legend>
                      <div className="k-form-grid">
                        <NativeSelect
                          label={t('field.addressKind')}
                          value={a.kind}
                          onChange={(e) => setItem('addresses', i, { kind: e.currentTarget.value as typeof a.kind }, `${p}.kind`)}
                          data={ADDRESS_KINDS.map((k) => ({ value: k, label: t(`addressKind.${k}`) }))}
                          {...f.field(`${p}.kind`)}
                          id={`addr-${a.key}-kind`}
                        />
                        <TextInput label={t('field.careOf')} value={a.careOf} onChange={(e) => setItem('addresses', i, { careOf: e.currentTarget.value }, `${p}.careOf`)} {...f.field(`${p}.careOf`)} />
                        <TextInput label={t('field.street')} value={a.street} onChange={(e) => setItem('addresses', i, { street: e.currentTarget.value }, `${p}.street`)} required {...f.field(`${p}.street`)} />
                        <TextInput label={t('field.postalCode')} value={a.postalCode} onChange={(e) => setItem('addresses', i, { postalCode: e.currentTarget.value }, `${p}.postalCode`)} required {...f.field(`${p}.postalCode`)} inputMode="numeric" />
                        <TextInput label={t('field.city')} value={a.city} onChange={(e) => setItem('addresses', i, { city: e.currentTarget.value }, `${p}.city`)} required {...f.field(`${p}.city`)} />
                        <Select
                          label={t('field.country')}
                          value={a.country}
                          onChange={(x) => setItem('addresses', i, { country: x ?? '' }, `${p}.country`)}
                          data={countryOptions(lang, a.country)}
                          searchable
                          allowDeselect={false}
                          nothingFoundMessage={t('common.nothingFound')}
                          {...f.field(`${p}.country`)}
                          comboboxProps={{ withinPortal: true }}
                        />
                      </div>
                      <Group justify="flex-end" mt="xs">
                        <Button
                          variant="subtle"
                          color="red"
                          c="#a61b1b"
                          size="xs"
                          onClick={() => {
                            set('addresses', v.addresses.filter((_, j) => j !== i));
                            // The rows below move up: the core's messages (by position) no longer fit.
                            f.setServerErrors({});
                            window.setTimeout(() => document.getElementById('add-address')?.focus(), 0);
                          }}
                        >
                          {t('personForm.removeAddress', { n })}
                        </Button>
                      </Group>
                    </fieldset>
                  );
                })}
                <div>
                  <Button
                    id="add-address"
                    variant="default"
                    leftSection={<IconPlus size={16} />}
                    disabled={v.addresses.length >= 10}
                    onClick={() => {
                      const a = emptyAddress(session.country);
                      set('addresses', [...v.addresses, a]);
                      window.setTimeout(() => document.getElementById(`addr-${a.key}-kind`)?.focus(), 0);
                    }}
                  >
                    {t('personForm.addAddress')}
                  </Button>
                </div>
              </Stack>
            )}
          </Section>

          <Section title={t('person.section.contacts')} id="f-contacts" testId="contacts-form">
            {!showAddresses ? (
              <ProtectedBlock testId="protected-block-contacts" />
            ) : (
              <Stack gap="sm">
                {f.errors.contacts && <Text c="#a61b1b" role="alert" data-k-error="true" tabIndex={-1}>{err('contacts')}</Text>}
                {v.contacts.length === 0 && <Text className="k-empty">{t('person.noContacts')}</Text>}
                {v.contacts.map((c, i) => {
                  const p = `contacts.${i}`;
                  const n = i + 1;
                  return (
                    <Group key={c.key} align="flex-start" gap="sm" wrap="nowrap" data-testid="contact-row">
                      <NativeSelect
                        label={t('personForm.contactKindN', { n })}
                        value={c.kind}
                        onChange={(e) => setItem('contacts', i, { kind: e.currentTarget.value as typeof c.kind }, `${p}.value`)}
                        data={CONTACT_KINDS.map((k) => ({ value: k, label: t(`contactKind.${k}`) }))}
                        w={180}
                        id={`contact-${c.key}-kind`}
                      />
                      <TextInput
                        label={t('personForm.contactValueN', { n })}
                        value={c.value}
                        onChange={(e) => setItem('contacts', i, { value: e.currentTarget.value }, `${p}.value`)}
                        required
                        {...f.field(`${p}.value`)}
                        type={c.kind === 'email' ? 'email' : 'tel'}
                        style={{ flex: 1 }}
                      />
                      <Button
                        variant="subtle"
                        color="red"
                        c="#a61b1b"
                        size="xs"
                        mt={26}
                        onClick={() => {
                          set('contacts', v.contacts.filter((_, j) => j !== i));
                          f.setServerErrors({});
                          window.setTimeout(() => document.getElementById('add-contact')?.focus(), 0);
                        }}
                      >
                        {t('personForm.removeContact', { n })}
                      </Button>
                    </Group>
                  );
                })}
                <div>
                  <Button
                    id="add-contact"
                    variant="default"
                    leftSection={<IconPlus size={16} />}
                    disabled={v.contacts.length >= 20}
                    onClick={() => {
                      const c = emptyContact();
                      set('contacts', [...v.contacts, c]);
                      window.setTimeout(() => document.getElementById(`contact-${c.key}-kind`)?.focus(), 0);
                    }}
                  >
                    {t('personForm.addContact')}
                  </Button>
                </div>
              </Stack>
            )}
          </Section>

          {editing && (
            <Section title={t('personForm.section.change')} id="f-change">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Radio.Group label={t('personForm.mode')} value={v.mode} onChange={(x) => set('mode', x as PersonFormValues['mode'])}>
                  <Stack gap={6} mt={6}>
                    <Radio value="change" label={t('personForm.mode.change')} description={t('personForm.mode.change.hint')} />
                    <Radio value="correction" label={t('personForm.mode.correction')} description={t('personForm.mode.correction.hint')} />
                  </Stack>
                </Radio.Group>
                {v.mode === 'change' && <DateField label={t('field.effectiveFrom')} value={v.effectiveFrom} onChange={(x) => set('effectiveFrom', x)} required {...f.field('effectiveFrom')} testId="effective-from" />}
              </SimpleGrid>
            </Section>
          )}
        </Stack>

      </FormPage>
    </div>
  );
}
