/**
 * The request page's dialogs: a status move that asks first (a reopening or a withdrawal: the reason; a
 * decision: its day, today to begin with), the GDPR extension (the day the requester was told, the reason),
 * a person concerned added (picked from the register, with a role) or removed (asked first), a class (or
 * group) added: its members on a day as listed persons (a journalist's class list). Each saves with the
 * request's version; the core's refusals land on the field they name.
 */
import { NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import type { FoiRequestView } from '../../../../shared/api/foi';
import { FOI_LIMITS, FOI_PERSON_ROLES, type FoiPersonRole, type FoiStatus } from '../../../../shared/domain/foi';
import type { ApiError } from '../../../../shared/api/transport';
import { DateField } from '../../components/DateField';
import { GroupPicker } from '../../components/GroupPicker';
import { ProtectedTag } from '../../components/Tags';
import { UnitPicker } from '../../components/UnitPicker';
import { FormDialog, useForm, type FieldErrors } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import { formatDate, isValidIsoDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { PersonPicker } from '../care/PersonPicker';
import { groupAddValues, mapFoiError, moveQuestion, personText, validateGroupAdd, type GroupAdded, type GroupAddValues, type MoveQuestion } from './logic';

type Link = FoiRequestView['links'][number];

interface Common {
  request: FoiRequestView;
  onClose: () => void;
  onDone: () => void;
  /** Someone else changed the request meanwhile: the page reads it again. */
  onStale: () => void;
  returnFocusId?: string;
}

const staleOn = (onStale: () => void) => (e: ApiError) => {
  if (e.code === 'conflict') onStale();
  return false;
};

/** A move that asks first: the reason (reopen, withdraw) or the decision's day (decide). */
export function MoveDialog({ request, to, onClose, onDone, onStale, returnFocusId }: Common & { to: FoiStatus }) {
  const { t } = useT();
  const api = useApi();
  const { today } = useSession();
  const question: MoveQuestion = moveQuestion(request.status, to);
  const f = useForm(
    { reason: '', decidedOn: today },
    {
      validate: (v): FieldErrors => {
        const e: FieldErrors = {};
        if (question === 'reopen' && !v.reason.trim()) e.reason = { key: 'foi.rule.foi_reason_required' };
        if (v.reason.trim().length > FOI_LIMITS.reason) e.reason = { key: 'validation.too_long' };
        if (question === 'decide') {
          if (!v.decidedOn.trim()) e.decidedOn = { key: 'validation.required' };
          else if (!isValidIsoDate(v.decidedOn)) e.decidedOn = { key: 'validation.date_invalid' };
          else if (v.decidedOn > today || v.decidedOn < request.receivedOn) e.decidedOn = { key: 'foi.rule.foi_decided_on' };
        }
        return e;
      },
      mapError: (e) => mapFoiError(e, question === 'decide' ? ['decidedOn'] : ['reason']),
    },
  );
  const save = async () => {
    const r = await f.submit(
      () =>
        api.tryCall('foi.requestMove', {
          id: request.id,
          version: request.version,
          to,
          ...(question === 'decide' ? { decidedOn: f.v.decidedOn } : { reason: f.v.reason.trim() || null }),
        }),
      { onError: staleOn(onStale) },
    );
    if (r) onDone();
  };
  const title = t(question === 'decide' ? 'foi.move.decideTitle' : question === 'withdraw' ? 'foi.move.withdrawTitle' : 'foi.move.reopenTitle');
  const submit = t(question === 'decide' ? 'foi.move.decideSubmit' : question === 'withdraw' ? 'foi.move.withdrawSubmit' : 'foi.move.reopenSubmit');
  return (
    <FormDialog form={f} title={title} testId="foi-move-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={submit} submitTestId="foi-move-submit" returnFocusId={returnFocusId} centered>
      <Stack gap="sm">
        {question === 'decide' ? (
          <>
            <Text size="sm">{t('foi.move.decideText')}</Text>
            <DateField label={t('foi.move.decidedOn')} value={f.v.decidedOn} onChange={(x) => f.set('decidedOn', x)} required autoFocus {...f.field('decidedOn')} testId="foi-move-decided-on" />
          </>
        ) : (
          <Textarea
            label={t('foi.move.reason')}
            description={t(question === 'withdraw' ? 'foi.move.reasonHint.withdraw' : 'foi.move.reasonHint.reopen')}
            value={f.v.reason}
            onChange={(e) => f.set('reason', e.currentTarget.value)}
            required={question === 'reopen'}
            autosize
            minRows={2}
            maxRows={6}
            maxLength={FOI_LIMITS.reason}
            autoFocus
            data-autofocus
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('reason')}
            data-testid="foi-move-reason"
          />
        )}
      </Stack>
    </FormDialog>
  );
}

/** GDPR art. 12(3): the extension, with the day the requester was told (today to begin with) and why. */
export function ExtendDialog({ request, onClose, onDone, onStale, returnFocusId }: Common) {
  const { t, lang } = useT();
  const api = useApi();
  const { today } = useSession();
  const by = request.deadlines.extensionNoticeBy;
  const f = useForm(
    { noticeOn: today, reason: '' },
    {
      validate: (v): FieldErrors => {
        const e: FieldErrors = {};
        if (!v.noticeOn.trim()) e.noticeOn = { key: 'validation.required' };
        else if (!isValidIsoDate(v.noticeOn)) e.noticeOn = { key: 'validation.date_invalid' };
        else if (by && v.noticeOn > by) e.noticeOn = { key: 'foi.rule.foi_extension_late' };
        if (!v.reason.trim()) e.reason = { key: 'validation.required' };
        else if (v.reason.trim().length > FOI_LIMITS.reason) e.reason = { key: 'validation.too_long' };
        return e;
      },
      mapError: (e) => mapFoiError(e, ['noticeOn', 'reason']),
    },
  );
  const save = async () => {
    const r = await f.submit(() => api.tryCall('foi.requestExtend', { id: request.id, version: request.version, noticeOn: f.v.noticeOn, reason: f.v.reason.trim() }), { onError: staleOn(onStale) });
    if (r) onDone();
  };
  return (
    <FormDialog form={f} title={t('foi.extend.title')} testId="foi-extend-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('foi.extend.submit')} submitTestId="foi-extend-submit" returnFocusId={returnFocusId} centered>
      <Stack gap="sm">
        {by && <Text size="sm">{t('foi.extend.text', { date: formatDate(by, lang) })}</Text>}
        <DateField label={t('foi.extend.noticeOn')} value={f.v.noticeOn} onChange={(x) => f.set('noticeOn', x)} required autoFocus {...f.field('noticeOn')} testId="foi-extend-notice-on" />
        <Textarea
          label={t('foi.extend.reason')}
          description={t('foi.extend.reasonHint')}
          value={f.v.reason}
          onChange={(e) => f.set('reason', e.currentTarget.value)}
          required
          autosize
          minRows={2}
          maxRows={6}
          maxLength={FOI_LIMITS.reason}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          {...f.field('reason')}
          data-testid="foi-extend-reason"
        />
      </Stack>
    </FormDialog>
  );
}

/** A person concerned added: picked from the register (those already listed are not offered), with a role. */
export function AddPersonDialog({ request, onClose, onDone, onStale, returnFocusId }: Common) {
  const { t } = useT();
  const api = useApi();
  const defaultRole: FoiPersonRole = request.kind === 'gdpr_access' ? (request.links.some((l) => l.role === 'subject') ? 'other' : 'subject') : 'listed';
  const f = useForm<{ personId: string | null; role: FoiPersonRole }>(
    { personId: null, role: defaultRole },
    {
      validate: (v): FieldErrors => (v.personId ? {} : { personId: { key: 'foi.form.personRequired' } }),
      mapError: (e) => mapFoiError(e, ['personId', 'role']),
    },
  );
  const listed = useMemo(() => request.links.map((l) => l.person.id), [request.links]);
  const save = async () => {
    const r = await f.submit(() => api.tryCall('foi.requestPersonAdd', { requestId: request.id, personId: f.v.personId ?? '', role: f.v.role }), { onError: staleOn(onStale) });
    if (r) onDone();
  };
  return (
    <FormDialog form={f} title={t('foi.persons.addTitle')} testId="foi-person-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('foi.persons.addSubmit')} submitTestId="foi-person-submit" returnFocusId={returnFocusId}>
      <Stack gap="sm">
        <PersonPicker label={t('foi.persons.person')} value={f.v.personId} onChange={(id) => f.set('personId', id)} exclude={listed} required autoFocus name="personId" error={f.err('personId')} testId="foi-person-picker" />
        <NativeSelect
          label={t('foi.persons.role')}
          value={f.v.role}
          onChange={(e) => f.set('role', e.currentTarget.value as FoiPersonRole)}
          data={FOI_PERSON_ROLES.map((r) => ({ value: r, label: t(`foi.role.${r}`) }))}
          {...f.field('role')}
          data-testid="foi-person-role"
          w={280}
        />
      </Stack>
    </FormDialog>
  );
}

/**
 * A class (or group) added: the unit, then one of its groups alive on the day (the request's received day to
 * begin with), its members counted under the pickers (protected members counted, never named), then the
 * core adds them as listed persons in one go. `onDone` gets the counts and the group's name for the notice.
 */
export function AddGroupDialog({ request, onClose, onDone, onStale, returnFocusId }: Omit<Common, 'onDone'> & { onDone: (r: GroupAdded, group: string, on: string) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const f = useForm<GroupAddValues>(groupAddValues(request.receivedOn), {
    validate: (v): FieldErrors => validateGroupAdd(v, members),
    mapError: (e) => mapFoiError(e, ['unitId', 'groupId', 'on']),
  });
  const day = isValidIsoDate(f.v.on) ? f.v.on : null;
  // Who is in the group that day: counted for the officer to see it is the right class (names are not shown).
  const preview = useQuery('group.get', f.v.groupId && day ? { id: f.v.groupId, date: day } : null);
  const card = preview.data && preview.data.id === f.v.groupId ? preview.data : null;
  const protectedCount = card ? card.members.filter((m) => m.person.protected).length + card.hiddenProtected : 0;
  const members: number | null = card ? card.members.length + card.hiddenProtected : null;
  const { set } = f;
  const setGroup = useCallback((id: string | null) => set('groupId', id), [set]);
  const save = async () => {
    const r = await f.submit(() => api.tryCall('foi.requestGroupAdd', { requestId: request.id, groupId: f.v.groupId ?? '', on: f.v.on }), {
      onError: (e) => {
        // A request changed or finished meanwhile: the page reads it again (the dialog closes).
        if (e.code === 'conflict') onStale();
        return e.code === 'conflict';
      },
    });
    // Saved before the count came back (or it failed): "the class" stands for its name in the notice.
    if (r) onDone(r, card?.name ?? t('foi.persons.theGroup'), f.v.on);
  };
  return (
    <FormDialog form={f} title={t('foi.persons.addGroupTitle')} testId="foi-group-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('foi.persons.addGroupSubmit')} submitTestId="foi-group-submit" returnFocusId={returnFocusId}>
      <Stack gap="sm">
        <Text size="sm">{t('foi.persons.addGroupText')}</Text>
        <div className="k-form-grid">
          <UnitPicker label={t('foi.persons.unit')} value={f.v.unitId} onChange={(id) => f.setMany({ unitId: id, groupId: null })} required autoFocus {...f.field('unitId')} id="foi-group-unit" testId="foi-group-unit" />
          <GroupPicker label={t('foi.persons.group')} unitId={f.v.unitId} value={f.v.groupId} onChange={setGroup} date={day ?? undefined} required {...f.field('groupId')} id="foi-group-group" testId="foi-group-group" />
          <DateField
            label={t('foi.persons.groupOn')}
            value={f.v.on}
            onChange={(x) => f.set('on', x)}
            required
            description={t('foi.persons.groupOnHint', { format: t('date.format') })}
            {...f.field('on')}
            id="foi-group-on"
            testId="foi-group-on"
          />
        </div>
        <div aria-live="polite" data-testid="foi-group-preview" data-members={members ?? undefined} data-protected={card ? protectedCount : undefined}>
          {card && day && (
            <Text size="sm">
              <strong>{card.name}</strong>
              {`: ${t('foi.persons.groupPreview', { count: members ?? 0, date: formatDate(day, lang) })}`}
            </Text>
          )}
          {card && protectedCount > 0 && (
            <div className="k-protected-block" role="note" style={{ marginTop: 8 }} data-testid="foi-group-protected-note">
              <ProtectedTag />
              <span>{t('foi.persons.groupPreviewProtected', { count: protectedCount })}</span>
            </div>
          )}
        </div>
      </Stack>
    </FormDialog>
  );
}

/** A person concerned removed, asked first (the focus starts on Cancel). */
export function RemovePersonDialog({ link, onClose, onDone, onStale, returnFocusId }: Omit<Common, 'request'> & { link: Link }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => mapFoiError(e, []) });
  const submit = async () => {
    const r = await f.submit(() => api.tryCall('foi.requestPersonRemove', { id: link.id, version: link.version }), {
      onError: (e) => {
        if (e.code === 'conflict' || e.code === 'not_found') onStale();
        return false;
      },
    });
    if (r) onDone();
  };
  return (
    <FormDialog
      form={f}
      title={t('foi.persons.removeTitle')}
      testId="foi-person-remove-dialog"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('foi.persons.removeSubmit')}
      submitTestId="foi-person-remove-submit"
      returnFocusId={returnFocusId}
      danger
      focusCancel
      centered
    >
      <Text mb="sm">{t('foi.persons.removeText', { name: personText(link.person, t), role: t(`foi.role.${link.role}`) })}</Text>
    </FormDialog>
  );
}
