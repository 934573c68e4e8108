/**
 * Create or edit a person. Keyboard rules shared with every form: Enter in a text field or Ctrl+S
 * saves, Esc cancels (asking first when something changed). A failed save keeps every value; a
 * `conflict` says who-changed-what and lets the user decide, never overwriting silently.
 */
import { Alert, Button, Checkbox, Group, NativeSelect, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { DateField } from '../components/DateField';
import { FormActions } from '../components/FormActions';
import { Dialog } from '../components/Dialog';
import { ErrorState, Link, Loading, PageTitle, ProtectedBlock, Section } from '../components/common';
import { IconPlus } from '../components/icons';
import { useApi, useQuery } from '../lib/api';
import { countryOptions, languageOptions } from '../lib/codes';
import { REVEAL_REASON_MIN } from '../../../shared/domain/access';
import { ADDRESS_KINDS, CONTACT_KINDS, MAALFORMS, PERSON_STATUSES, PROTECTION_BY_COUNTRY, SEXES } from '../../../shared/domain/register';
import type { PersonCard } from '../lib/domain';
import { formatDate, isValidIsoDate } from '../lib/format';
import { useT, type TKey } from '../lib/i18n';
import { modPressed } from '../lib/platform';
import {
  addressesShielded,
  changedFields,
  emptyAddress,
  emptyContact,
  emptyPersonValues,
  isDirty,
  lowersProtection,
  mapIssues,
  parseIdentity,
  personFieldKnown,
  rebasePerson,
  toPersonInput,
  validatePerson,
  valuesFromCard,
  type FieldError,
  type FieldErrors,
  type PersonFormValues,
} from '../lib/personForm';
import { navigate, setLeaveGuard } from '../lib/router';
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

  const [initial, setInitial] = useState<PersonFormValues>(() => (card ? valuesFromCard(card, session.today) : emptyPersonValues(session.today)));
  const [v, setV] = useState<PersonFormValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<FieldError[]>([]);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ latest: PersonCard; changed: string[] } | null>(null);
  const [confirm, setConfirm] = useState<null | (() => void)>(null);
  const [idCheck, setIdCheck] = useState<IdentityCheck>({ state: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  const dirty = isDirty(v, initial);
  const showAddresses = !addressesShielded(v, shielded);
  const lowering = lowersProtection(v, card?.protection);

  const set = <K extends keyof PersonFormValues>(k: K, value: PersonFormValues[K]) => {
    setV((cur) => ({ ...cur, [k]: value }));
    if (errors[k]) setErrors(({ [k]: _, ...rest }) => rest);
  };
  const setItem = <L extends 'addresses' | 'contacts'>(list: L, i: number, patch: Partial<PersonFormValues[L][number]>, path: string) => {
    setV((cur) => ({ ...cur, [list]: (cur[list] as PersonFormValues[L][number][]).map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
    if (errors[path]) setErrors(({ [path]: _, ...rest }) => rest);
  };

  // ---- identity number: parse as you type, fill birth date and sex, ask the core about duplicates
  const parsed = useMemo(() => (v.noIdentityNumber || !v.identityNumber.trim() ? null : parseIdentity(v.identityNumber, ctx)), [v.noIdentityNumber, v.identityNumber, ctx]);
  const parsedOk = parsed?.ok ? parsed : null;
  useEffect(() => {
    if (!parsedOk) return;
    setV((cur) => ({
      ...cur,
      birthDate: parsedOk.birthDate,
      sex: parsedOk.sex ?? cur.sex,
    }));
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

  // The identity error: shown after the field was left once (or on save), then live while typing.
  const identityError: FieldError | undefined = (() => {
    if (v.noIdentityNumber) return undefined;
    if (idCheck.state === 'taken') return { key: 'validation.identity.duplicate', personId: idCheck.personId };
    if (errors.identityNumber && errors.identityNumber.key !== 'validation.identity.duplicate') {
      // keep a server error until the value changes
      if (!parsed || !parsed.ok) return errors.identityNumber;
    }
    if (parsed && !parsed.ok && (touched.identityNumber || parsed.code === 'bad_characters')) return { key: `validation.identity.${parsed.code}` as TKey };
    return undefined;
  })();

  // Start where a clerk starts: the identity number (or the first name when editing one without).
  useEffect(() => {
    const first = document.getElementById(v.noIdentityNumber ? 'f-givenName' : 'f-identityNumber');
    first?.focus();
  }, []);

  // ---- rendering helpers
  const msg = (e: FieldError | undefined): ReactNode => {
    if (!e) return undefined;
    const vars = e.vars && Object.fromEntries(Object.entries(e.vars).map(([k, x]) => [k, typeof x === 'string' && isValidIsoDate(x) ? formatDate(x, lang) : x]));
    if (e.personId) {
      return (
        <span>
          {t(e.key, vars)}{' '}
          <Link to={{ name: 'person', id: e.personId }} testId="duplicate-link">
            {t('validation.identity.openExisting')}
          </Link>
        </span>
      );
    }
    return t(e.key, vars);
  };
  const err = (path: string): ReactNode => msg(errors[path]);

  // ---- leaving: Esc, Cancel, or any navigation asks first when there are unsaved changes
  const cancelTarget = useCallback(() => (card ? navigate({ name: 'person', id: card.id }, { force: true }) : window.history.length > 1 ? window.history.back() : navigate({ name: 'persons' }, { force: true })), [card]);
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
  const cancel = () => {
    if (dirty) setConfirm(() => () => cancelTarget());
    else cancelTarget();
  };

  // ---- saving
  const focusFirstError = () =>
    window.setTimeout(() => {
      const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-k-error="true"]');
      el?.focus();
      el?.scrollIntoView({ block: 'center' });
    }, 0);

  const save = async () => {
    if (saving) return;
    setTouched((cur) => ({ ...cur, identityNumber: true }));
    const clientErrors = validatePerson(v, { ...ctx, editing, shielded, savedProtection: card?.protection });
    if (idCheck.state === 'taken') clientErrors.identityNumber = { key: 'validation.identity.duplicate', personId: idCheck.personId };
    setErrors(clientErrors);
    setFormErrors([]);
    if (Object.keys(clientErrors).length) {
      focusFirstError();
      return;
    }
    setSaving(true);
    const person = toPersonInput(v, { ...ctx, shielded });
    const r = card
      ? await api.tryCall('person.update', {
          id: card.id,
          version: card.version,
          mode: v.mode,
          ...(v.mode === 'change' ? { effectiveFrom: v.effectiveFrom } : {}),
          person,
          ...(lowering ? { protectionReason: v.protectionReason.trim() } : {}),
        })
      : await api.tryCall('person.create', person);
    setSaving(false);
    if (r.ok) {
      setLeaveGuard(null);
      flash.set(card ? 'person.savedChanges' : 'person.created');
      navigate({ name: 'person', id: r.data.id }, { replace: true, force: true });
      return;
    }
    const e = r.error;
    if (e.code === 'conflict' && card) {
      const latest = await api.tryCall('person.get', { id: card.id });
      if (latest.ok) setConflict({ latest: latest.data, changed: changedFields(valuesFromCard(card, session.today), valuesFromCard(latest.data, session.today)) });
      else setFormErrors([{ key: 'error.conflict' }]);
      return;
    }
    if ((e.code === 'validation' || e.code === 'duplicate') && (e.issues?.length || e.field)) {
      const issues = e.issues?.length ? e.issues : [{ field: e.field ?? '', code: e.code, message: e.message }];
      const mapped = mapIssues(issues, (p) => personFieldKnown(p, v));
      setErrors(mapped.fields);
      setFormErrors(mapped.other);
      if (mapped.fields.identityNumber) setTouched((cur) => ({ ...cur, identityNumber: true }));
      focusFirstError();
      return;
    }
    setFormErrors([{ key: e.code === 'forbidden' ? 'error.forbidden' : e.code === 'not_found' ? 'error.not_found' : 'error.saveFailed' }]);
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

  // ---- conflict resolution
  const keepMine = () => {
    if (!conflict || !card) return;
    // Rebase: the latest version plus this user's own changes; they review and save again.
    const theirs = valuesFromCard(conflict.latest, session.today);
    const { values, both } = rebasePerson(valuesFromCard(card, session.today), v, theirs);
    setCard(conflict.latest);
    setInitial(theirs);
    setV(values);
    const marks: FieldErrors = {};
    for (const f of both) {
      const other = theirs[f as keyof PersonFormValues];
      marks[f] = { key: 'personForm.conflict.both', vars: { value: typeof other === 'string' && other ? other : '—' } };
    }
    setErrors(marks);
    setConflict(null);
  };
  const takeTheirs = () => {
    if (!conflict) return;
    const fresh = valuesFromCard(conflict.latest, session.today);
    setCard(conflict.latest);
    setInitial(fresh);
    setV(fresh);
    setErrors({});
    setConflict(null);
  };

  const protectionOptions = PROTECTION_BY_COUNTRY[session.country].includes(v.protection) ? PROTECTION_BY_COUNTRY[session.country] : [...PROTECTION_BY_COUNTRY[session.country], v.protection];
  const showMaalform = session.country === 'NO' || v.maalform !== '';
  const title = card ? t('personForm.editTitle', { name: `${card.givenName} ${card.familyName}` }) : t('personForm.newTitle');
  const errorCount = Object.keys(errors).length + (identityError && !errors.identityNumber ? 1 : 0);

  return (
    <div className="k-page" data-testid="person-form">
      <PageTitle>{title}</PageTitle>
      <form ref={formRef} noValidate onSubmit={(e) => { e.preventDefault(); void save(); }} onKeyDown={onKeyDown} aria-label={title}>
        {conflict && (
          <Alert color="orange" variant="light" role="alert" title={t('personForm.conflict.title')} mb="md" data-testid="conflict-alert" styles={{ title: { color: '#6d3a00' }, message: { color: '#3d2400' } }}>
            <p style={{ marginTop: 0 }}>{t('personForm.conflict.text', { by: conflict.latest.updatedBy })}</p>
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
        )}
        {(formErrors.length > 0 || errorCount > 0) && (
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
                  onBlur={() => setTouched((cur) => ({ ...cur, identityNumber: true }))}
                  disabled={v.noIdentityNumber}
                  required={!v.noIdentityNumber}
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
                    error={err('reserveNumber')}
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
                  error={err('birthDate')}
                  description={!v.noIdentityNumber && parsedOk ? t('personForm.fromIdentity') : undefined}
                  testId="birth-date"
                />
                <NativeSelect
                  label={t('field.sex')}
                  value={v.sex}
                  onChange={(e) => set('sex', e.currentTarget.value as PersonFormValues['sex'])}
                  error={err('sex')}
                  data={[{ value: '', label: t('common.notStated') }, ...SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))]}
                />
                <NativeSelect
                  label={t('field.status')}
                  value={v.status}
                  onChange={(e) => set('status', e.currentTarget.value as PersonFormValues['status'])}
                  error={err('status')}
                  data={PERSON_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
                />
                <NativeSelect
                  label={t('field.protection')}
                  value={v.protection}
                  onChange={(e) => set('protection', e.currentTarget.value as PersonFormValues['protection'])}
                  error={err('protection')}
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
                    error={err('protectionReason')}
                    maxLength={500}
                    data-testid="protection-reason"
                  />
                )}
              </div>
            </Stack>
          </Section>

          <Section title={t('person.section.names')} id="f-names">
            <div className="k-form-grid">
              <TextInput id="f-givenName" label={t('field.givenName')} description={t('personForm.givenNameHint')} value={v.givenName} onChange={(e) => set('givenName', e.currentTarget.value)} required error={err('givenName')} maxLength={200} />
              <TextInput label={t('field.middleName')} description={t('personForm.middleNameHint')} value={v.middleName} onChange={(e) => set('middleName', e.currentTarget.value)} error={err('middleName')} maxLength={200} />
              <TextInput label={t('field.familyName')} value={v.familyName} onChange={(e) => set('familyName', e.currentTarget.value)} required error={err('familyName')} maxLength={200} />
              <TextInput label={t('field.preferredName')} description={t('personForm.preferredNameHint')} value={v.preferredName} onChange={(e) => set('preferredName', e.currentTarget.value)} error={err('preferredName')} maxLength={200} />
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
                error={err('nationality')}
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
                error={err('motherTongue')}
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
                error={err('preferredLanguage')}
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
                  error={err('maalform')}
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
                {errors.addresses && <Text c="#a61b1b" role="alert" data-k-error="true" tabIndex={-1}>{err('addresses')}</Text>}
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
                          error={err(`${p}.kind`)}
                          id={`addr-${a.key}-kind`}
                        />
                        <TextInput label={t('field.careOf')} value={a.careOf} onChange={(e) => setItem('addresses', i, { careOf: e.currentTarget.value }, `${p}.careOf`)} error={err(`${p}.careOf`)} />
                        <TextInput label={t('field.street')} value={a.street} onChange={(e) => setItem('addresses', i, { street: e.currentTarget.value }, `${p}.street`)} required error={err(`${p}.street`)} />
                        <TextInput label={t('field.postalCode')} value={a.postalCode} onChange={(e) => setItem('addresses', i, { postalCode: e.currentTarget.value }, `${p}.postalCode`)} required error={err(`${p}.postalCode`)} inputMode="numeric" />
                        <TextInput label={t('field.city')} value={a.city} onChange={(e) => setItem('addresses', i, { city: e.currentTarget.value }, `${p}.city`)} required error={err(`${p}.city`)} />
                        <Select
                          label={t('field.country')}
                          value={a.country}
                          onChange={(x) => setItem('addresses', i, { country: x ?? '' }, `${p}.country`)}
                          data={countryOptions(lang, a.country)}
                          searchable
                          allowDeselect={false}
                          nothingFoundMessage={t('common.nothingFound')}
                          error={err(`${p}.country`)}
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
                            setV((cur) => ({ ...cur, addresses: cur.addresses.filter((_, j) => j !== i) }));
                            setErrors({});
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
                      setV((cur) => ({ ...cur, addresses: [...cur.addresses, a] }));
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
                {errors.contacts && <Text c="#a61b1b" role="alert" data-k-error="true" tabIndex={-1}>{err('contacts')}</Text>}
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
                        error={err(`${p}.value`)}
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
                          setV((cur) => ({ ...cur, contacts: cur.contacts.filter((_, j) => j !== i) }));
                          setErrors({});
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
                      setV((cur) => ({ ...cur, contacts: [...cur.contacts, c] }));
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
                {v.mode === 'change' && <DateField label={t('field.effectiveFrom')} value={v.effectiveFrom} onChange={(x) => set('effectiveFrom', x)} required error={err('effectiveFrom')} testId="effective-from" />}
              </SimpleGrid>
            </Section>
          )}
        </Stack>

        <FormActions
          saving={saving}
          dirty={dirty}
          onCancel={cancel}
          idle={
            card && (
              <Text size="sm" ml="auto" c="dimmed">
                {t('personForm.version', { date: formatDate(card.updatedAt.slice(0, 10), lang) })}
              </Text>
            )
          }
        />
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

export function DiscardModal({ opened, onStay, onDiscard }: { opened: boolean; onStay: () => void; onDiscard: () => void }) {
  const { t } = useT();
  return (
    <Dialog opened={opened} onClose={onStay} title={t('discard.title')} centered testId="discard-modal">
      <p style={{ marginTop: 0 }}>{t('discard.text')}</p>
      <Group justify="flex-end" gap="sm">
        <Button onClick={onStay} data-autofocus>
          {t('discard.stay')}
        </Button>
        <Button variant="outline" color="red" c="#a61b1b" style={{ borderColor: '#a61b1b' }} onClick={onDiscard} data-testid="discard-confirm">
          {t('discard.discard')}
        </Button>
      </Group>
    </Dialog>
  );
}
