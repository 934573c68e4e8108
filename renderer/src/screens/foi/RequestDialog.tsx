/**
 * A new request (Alt+N on the dashboard) and a request's edit (Alt+E or E on its page): one form. The kind
 * (only the municipality's country's), the day received (today), the channel, the registry number; the
 * requester: anonymous, named, the data subject or a guardian (the two last chosen in the register, their
 * identity verified and when; a protected requester gets no contact: the reply goes through the register's
 * protected channel); the language of the reply; what is asked for; the officer (the signed-in one when
 * listed); when new, the persons concerned (each picked from the register with a role). The core's refusals
 * land on the field they name, each rule in its own words.
 */
import { Button, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { FoiRequestView } from '../../../../shared/api/foi';
import { FOI_CHANNELS, FOI_LANGUAGES, FOI_LIMITS, FOI_PERSON_ROLES, FOI_VERIFICATIONS, type FoiKind, type FoiPersonRole, type FoiRequesterKind } from '../../../../shared/domain/foi';
import { ErrorState, Loading } from '../../components/common';
import { DateField } from '../../components/DateField';
import { Dialog } from '../../components/Dialog';
import { ProtectedTag } from '../../components/Tags';
import { FormDialog, useForm } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import { listName } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { PersonPicker } from '../care/PersonPicker';
import {
  inRegister,
  kindsFor,
  mapFoiError,
  newRequestValues,
  nextPersonRole,
  requestValuesOf,
  requesterKindsFor,
  toCreateInput,
  toUpdateInput,
  validateRequest,
  withKind,
  withRequesterKind,
  type RequestValues,
} from './logic';

const FIELDS = [
  'kind',
  'receivedOn',
  'channel',
  'registryNumber',
  'requesterKind',
  'requesterName',
  'requesterContact',
  'requesterPersonId',
  'identityVerified',
  'identityVerifiedOn',
  'language',
  'askedFor',
  'assigneeId',
  'persons',
];

interface Props {
  /** The request to edit; none: a new one. */
  edit?: FoiRequestView;
  onClose: () => void;
  /** Saved: the request's id. */
  onSaved: (id: string) => void;
  /** Someone else changed the request meanwhile (edit). */
  onStale?: () => void;
  returnFocusId?: string;
}

/** Waits for the officers (the assignee's list, and whether the signed-in user is one), then opens the form. */
export function RequestDialog(props: Props) {
  const { t } = useT();
  const officers = useQuery('foi.officers', {});
  if (!officers.data) {
    return (
      <Dialog opened onClose={props.onClose} title={t(props.edit ? 'foi.form.editTitle' : 'foi.form.newTitle')} size="45rem" testId="foi-request-dialog">
        {officers.error ? <ErrorState error={officers.error} onRetry={officers.reload} /> : <Loading />}
      </Dialog>
    );
  }
  return <RequestForm {...props} officers={officers.data.items} />;
}

function RequestForm({ edit, onClose, onSaved, onStale, returnFocusId, officers }: Props & { officers: readonly { id: string; name: string }[] }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const { country, today } = session;
  const initial = useMemo<RequestValues>(() => {
    if (edit) return requestValuesOf(edit);
    const me = officers.some((o) => o.id === session.user.id) ? session.user.id : null;
    return newRequestValues(country, today, me);
  }, [edit, officers, session.user.id, country, today]);
  const f = useForm<RequestValues>(initial, {
    validate: (v) => validateRequest(v, today),
    mapError: (e) => mapFoiError(e, FIELDS),
  });
  const { v } = f;
  // The role the next person picked gets (proposed from the kind; the officer may choose another first).
  const [role, setRole] = useState<FoiPersonRole | null>(null);
  const nextRole = role ?? nextPersonRole(v);
  // A new picker after each pick: the search box starts empty for the next person, and keeps the focus.
  const [pickerKey, setPickerKey] = useState(0);

  const save = async () => {
    const r = await f.submit(() => (edit ? api.tryCall('foi.requestUpdate', toUpdateInput(edit.id, edit.version, v)) : api.tryCall('foi.requestCreate', toCreateInput(v))), {
      onError: (e) => {
        if (e.code === 'conflict') onStale?.();
        return false;
      },
    });
    if (r) onSaved(edit ? edit.id : r.id);
  };

  const registered = inRegister(v.requesterKind);
  const pickerLabel = t(v.requesterKind === 'guardian' ? 'foi.form.requesterPerson.guardian' : 'foi.form.requesterPerson.subject');
  const currentName = edit && v.requesterPersonId === edit.requesterPerson?.id ? (edit.requesterPerson.name ?? t('foi.protectedPerson')) : null;
  const requesterKinds = requesterKindsFor(v.kind);
  const subjectRow = v.kind === 'gdpr_access' && v.requesterKind === 'subject' && v.requesterPersonId && !v.persons.some((p) => p.personId === v.requesterPersonId);

  return (
    <FormDialog
      form={f}
      title={t(edit ? 'foi.form.editTitle' : 'foi.form.newTitle')}
      testId="foi-request-dialog"
      onSubmit={() => void save()}
      onClose={onClose}
      submitLabel={t(edit ? 'foi.form.save' : 'foi.form.create')}
      submitTestId="foi-request-submit"
      returnFocusId={returnFocusId}
      size="52rem"
    >
      <Stack gap="sm">
        {edit ? (
          <div>
            <Text size="sm" fw={500}>
              {t('foi.form.kind')}
            </Text>
            <Text data-testid="foi-form-kind-fixed">{t(`foi.kindLong.${edit.kind}`)}</Text>
            <Text size="xs" c="dimmed">
              {t('foi.form.kindFixed')}
            </Text>
          </div>
        ) : (
          <NativeSelect
            label={t('foi.form.kind')}
            description={t(`foi.kindHint.${v.kind}`)}
            value={v.kind}
            onChange={(e) => f.setMany(withKind(v, e.currentTarget.value as FoiKind))}
            data={kindsFor(country).map((k) => ({ value: k, label: t(`foi.kindLong.${k}`) }))}
            required
            autoFocus
            data-autofocus
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('kind')}
            data-testid="foi-form-kind"
          />
        )}
        <div className="k-form-grid">
          <DateField label={t('foi.form.receivedOn')} value={v.receivedOn} onChange={(x) => f.set('receivedOn', x)} required autoFocus={!!edit} {...f.field('receivedOn')} testId="foi-form-received" />
          <NativeSelect
            label={t('foi.form.channel')}
            value={v.channel}
            onChange={(e) => f.set('channel', e.currentTarget.value as RequestValues['channel'])}
            data={FOI_CHANNELS.map((c) => ({ value: c, label: t(`foi.channel.${c}`) }))}
            {...f.field('channel')}
            data-testid="foi-form-channel"
          />
          <TextInput
            label={t('foi.form.registryNumber')}
            description={t('foi.form.registryNumberHint')}
            value={v.registryNumber}
            onChange={(e) => f.set('registryNumber', e.currentTarget.value)}
            maxLength={FOI_LIMITS.registryNumber}
            autoComplete="off"
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('registryNumber')}
            data-testid="foi-form-registry"
          />
        </div>

        <fieldset className="k-fieldset" data-testid="foi-form-requester">
          <legend>{t('foi.form.requester')}</legend>
          <Stack gap="sm">
            <div className="k-form-grid">
              <NativeSelect
                label={t('foi.form.requesterKind')}
                value={v.requesterKind}
                onChange={(e) => f.setMany(withRequesterKind(v, e.currentTarget.value as FoiRequesterKind))}
                data={requesterKinds.map((k) => ({ value: k, label: t(`foi.requesterKind.${k}`) }))}
                {...f.field('requesterKind')}
                data-testid="foi-form-requester-kind"
              />
              {v.requesterKind === 'named' && (
                <TextInput
                  label={t('foi.form.requesterName')}
                  value={v.requesterName}
                  onChange={(e) => f.set('requesterName', e.currentTarget.value)}
                  required
                  maxLength={FOI_LIMITS.name}
                  autoComplete="off"
                  {...f.field('requesterName')}
                  data-testid="foi-form-requester-name"
                />
              )}
            </div>
            {registered && (
              <PersonPicker
                label={pickerLabel}
                value={v.requesterPersonId}
                onChange={(id, hit) =>
                  f.setMany({
                    requesterPersonId: id,
                    requesterProtected: hit?.protected ?? false,
                    requesterPersonName: hit ? listName(hit) : null,
                    ...(hit?.protected ? { requesterContact: '' } : {}),
                  })
                }
                required
                name="requesterPersonId"
                error={f.err('requesterPersonId')}
                description={currentName ? t('foi.form.currentPerson', { name: currentName }) : v.requesterKind === 'guardian' ? t('foi.form.guardianHint') : undefined}
                testId="foi-form-requester-person"
              />
            )}
            {v.requesterProtected ? (
              <div className="k-protected-block" role="note" data-testid="foi-form-protected-contact">
                <ProtectedTag />
                <span>{t('foi.form.protectedContact')}</span>
              </div>
            ) : (
              <TextInput
                label={t('foi.form.requesterContact')}
                description={t('foi.form.requesterContactHint')}
                value={v.requesterContact}
                onChange={(e) => f.set('requesterContact', e.currentTarget.value)}
                maxLength={FOI_LIMITS.contact}
                autoComplete="off"
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                {...f.field('requesterContact')}
                data-testid="foi-form-requester-contact"
              />
            )}
            {registered && (
              <div className="k-form-grid" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))' }}>
                <NativeSelect
                  label={t('foi.form.identityVerified')}
                  description={t('foi.form.identityHint')}
                  value={v.identityVerified}
                  onChange={(e) => {
                    const how = e.currentTarget.value as RequestValues['identityVerified'];
                    // Verified now, most often: the day is today until the officer says otherwise.
                    f.setMany({ identityVerified: how, ...(how && !v.identityVerifiedOn.trim() ? { identityVerifiedOn: today } : {}) });
                  }}
                  data={[{ value: '', label: t('foi.form.identityNotVerified') }, ...FOI_VERIFICATIONS.map((x) => ({ value: x, label: t(`foi.verification.${x}`) }))]}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  {...f.field('identityVerified')}
                  data-testid="foi-form-identity"
                />
                <DateField
                  label={t('foi.form.identityVerifiedOn')}
                  value={v.identityVerifiedOn}
                  onChange={(x) => f.set('identityVerifiedOn', x)}
                  required={v.identityVerified !== ''}
                  {...f.field('identityVerifiedOn')}
                  testId="foi-form-identity-on"
                />
              </div>
            )}
          </Stack>
        </fieldset>

        <Textarea
          label={t('foi.form.askedFor')}
          description={t('foi.form.askedForHint')}
          value={v.askedFor}
          onChange={(e) => f.set('askedFor', e.currentTarget.value)}
          required
          autosize
          minRows={3}
          maxRows={8}
          maxLength={FOI_LIMITS.askedFor}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          {...f.field('askedFor')}
          data-testid="foi-form-asked-for"
        />
        <div className="k-form-grid">
          <NativeSelect
            label={t('foi.form.language')}
            value={v.language}
            onChange={(e) => f.set('language', e.currentTarget.value as RequestValues['language'])}
            data={FOI_LANGUAGES.map((l) => ({ value: l, label: t(`foi.language.${l}`) }))}
            {...f.field('language')}
            data-testid="foi-form-language"
          />
          <NativeSelect
            label={t('foi.form.assignee')}
            value={v.assigneeId}
            onChange={(e) => f.set('assigneeId', e.currentTarget.value)}
            data={[{ value: '', label: t('foi.nobody') }, ...officers.map((o) => ({ value: o.id, label: o.name }))]}
            {...f.field('assigneeId')}
            data-testid="foi-form-assignee"
          />
        </div>

        {!edit && (
          <fieldset className="k-fieldset" data-testid="foi-form-persons">
            <legend>{t('foi.form.persons')}</legend>
            <Text size="xs" c="dimmed" mb={6}>
              {t('foi.form.personsHint')}
            </Text>
            {v.persons.length === 0 && !subjectRow ? (
              <Text size="sm" className="k-empty" mb={6}>
                {t('foi.form.personsNone')}
              </Text>
            ) : (
              <ul className="k-foi-persons-list" style={{ margin: '0 0 8px' }} aria-label={t('foi.form.persons')} data-testid="foi-form-person-list">
                {subjectRow && (
                  <li data-testid="foi-form-person" data-person-id={v.requesterPersonId ?? ''} data-role="subject">
                    <span>{v.requesterPersonName ?? t('foi.protectedPerson')}</span>
                    <span className="k-sub">
                      {t('foi.role.subject')} · {t('foi.form.subjectIsRequester')}
                    </span>
                  </li>
                )}
                {v.persons.map((p) => (
                  <li key={p.personId} data-testid="foi-form-person" data-person-id={p.personId} data-role={p.role}>
                    <span>{p.name ?? t('foi.protectedPerson')}</span>
                    {p.protected && <ProtectedTag />}
                    <span className="k-sub">{t(`foi.role.${p.role}`)}</span>
                    <Button
                      size="compact-xs"
                      variant="default"
                      onClick={() => {
                        f.set('persons', v.persons.filter((x) => x.personId !== p.personId));
                        // The button goes with its row: the focus goes to the picker, to add another.
                        window.setTimeout(() => document.querySelector<HTMLElement>('[data-testid="foi-form-person-picker"]')?.focus(), 0);
                      }}
                      aria-label={t('foi.form.personRemove', { name: p.name ?? t('foi.protectedPerson') })}
                      data-testid="foi-form-person-remove"
                    >
                      {t('foi.persons.remove')}
                    </Button>
                  </li>
                ))}
              </ul>
            )}
            <div className="k-form-grid" style={{ gridTemplateColumns: 'minmax(180px, 1fr) minmax(260px, 2fr)' }}>
              <NativeSelect
                label={t('foi.form.personRole')}
                value={nextRole}
                onChange={(e) => setRole(e.currentTarget.value as FoiPersonRole)}
                data={FOI_PERSON_ROLES.map((r) => ({ value: r, label: t(`foi.role.${r}`) }))}
                data-testid="foi-form-person-role"
              />
              <PersonPicker
                key={pickerKey}
                label={t('foi.form.personPick')}
                value={null}
                onChange={(id, hit) => {
                  if (!id || !hit) return;
                  f.set('persons', [...v.persons, { personId: id, role: nextRole, name: listName(hit), protected: hit.protected }]);
                  setRole(null);
                  setPickerKey((n) => n + 1);
                }}
                exclude={v.persons.map((p) => p.personId)}
                name="persons"
                error={f.err('persons')}
                autoFocus={pickerKey > 0}
                testId="foi-form-person-picker"
              />
            </div>
          </fieldset>
        )}
      </Stack>
    </FormDialog>
  );
}
