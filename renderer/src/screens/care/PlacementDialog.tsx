/**
 * New placement (Alt+N on a child's card) or a correction of one. The unit list follows the chosen form,
 * the group list the unit, form and start date. The holders are the child's guardians on the start date,
 * never one the child is shielded from (owner_shielded); all of them are ticked to begin with.
 */
import { Checkbox, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { PLACEMENT_FORMS_BY_COUNTRY, PLACEMENT_REASONS } from '../../../../shared/domain/care';
import { DateField } from '../../components/DateField';
import { GroupPicker } from '../../components/GroupPicker';
import { ProtectedTag } from '../../components/Tags';
import { UnitPicker } from '../../components/UnitPicker';
import { useApi } from '../../lib/api';
import {
  checkDates,
  defaultPlacementForm,
  holderCandidates,
  parseHours,
  type GuardianshipView,
  type PlacementForm,
  type PlacementReason,
  type PlacementView,
} from '../../lib/care';
import { isValidIsoDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import type { FieldErrors } from '../../kit';
import { useSession } from '../../lib/session';
import { FormDialog, useForm } from '../../kit';

interface Values {
  schoolForm: PlacementForm;
  unitId: string | null;
  groupId: string | null;
  validFrom: string;
  validTo: string;
  hours: string;
  reason: PlacementReason;
  ownerIds: string[];
}

const KNOWN = new Set(['schoolForm', 'unitId', 'groupId', 'validFrom', 'validTo', 'weeklyHours', 'reason', 'ownerIds']);

export function PlacementDialog({
  childId,
  birthDate,
  guardianships,
  edit,
  onClose,
  onSaved,
}: {
  childId: string;
  birthDate: string | null;
  guardianships: readonly GuardianshipView[];
  edit?: PlacementView;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const forms = PLACEMENT_FORMS_BY_COUNTRY[session.country];
  const startFrom = edit?.validFrom ?? session.today;
  const f = useForm<Values>({
    schoolForm: edit?.schoolForm ?? defaultPlacementForm(session.country, birthDate, session.today),
    unitId: edit?.unitId ?? null,
    groupId: edit?.groupId ?? null,
    validFrom: startFrom,
    validTo: edit?.validTo ?? '',
    hours: edit?.weeklyHours != null ? String(edit.weeklyHours) : '',
    reason: edit?.reason ?? 'care_need',
    ownerIds: edit ? edit.owners.map((o) => o.id) : holderCandidates(guardianships, startFrom).map((c) => c.guardianId),
  }, { validate: () => check(), known: (p) => KNOWN.has(p) });
  const { v, set, err } = f;
  const on = isValidIsoDate(v.validFrom) ? v.validFrom : startFrom;
  const candidates = useMemo(() => {
    const list = holderCandidates(guardianships, on);
    // An existing holder stays visible (unticking is how a correction removes them), even off the list.
    const extra = (edit?.owners ?? []).filter((o) => !list.some((c) => c.guardianId === o.id)).map((o) => ({ guardianId: o.id, name: o.name, protected: o.protected }));
    return [...list, ...extra];
  }, [guardianships, on, edit]);

  const check = (): FieldErrors => {
    const e = checkDates(
      [
        { field: 'validFrom', value: v.validFrom, required: true },
        { field: 'validTo', value: v.validTo, required: false },
      ],
      { from: 'validFrom', to: 'validTo' },
    );
    if (!v.unitId) e.unitId = { key: 'validation.required' };
    if (parseHours(v.hours) === 'invalid') e.weeklyHours = { key: 'care.issue.hours_range' };
    return e;
  };

  const save = async () => {
    const hours = parseHours(v.hours);
    const weeklyHours = hours === 'invalid' ? null : hours;
    const validTo = v.validTo.trim() || null;
    const ownerIds = v.ownerIds.filter((id) => candidates.some((c) => c.guardianId === id));
    const r = await f.submit(() => {
        if (!edit) {
          return api.tryCall('placement.create', {
            childId,
            unitId: v.unitId ?? '',
            groupId: v.groupId,
            schoolForm: v.schoolForm,
            validFrom: v.validFrom,
            validTo,
            weeklyHours,
            reason: v.reason,
            ownerIds,
          });
        }
        const sameOwners = ownerIds.length === edit.owners.length && edit.owners.every((o) => ownerIds.includes(o.id));
        return api.tryCall('placement.update', {
          id: edit.id,
          version: edit.version,
          ...(v.groupId !== edit.groupId ? { groupId: v.groupId } : {}),
          ...(v.validFrom !== edit.validFrom ? { validFrom: v.validFrom } : {}),
          ...(validTo !== edit.validTo ? { validTo } : {}),
          ...(weeklyHours !== edit.weeklyHours ? { weeklyHours } : {}),
          ...(v.reason !== edit.reason ? { reason: v.reason } : {}),
          ...(sameOwners ? {} : { ownerIds }),
        });
      });
    if (r) onSaved();
  };

  const title = edit ? t('care.placement.editTitle', { unit: edit.unitName }) : t('care.placement.newTitle');
  return (
    <FormDialog form={f} title={title} testId="placement-dialog" onSubmit={() => void save()} onClose={onClose} returnFocusId="sec-placements-title">
      <Stack gap="sm">
        <div className="k-form-grid">
          {edit ? (
            <TextInput label={t('field.schoolForm')} value={t(`schoolForm.${edit.schoolForm}`)} readOnly />
          ) : (
            <NativeSelect
              label={t('field.schoolForm')}
              value={v.schoolForm}
              // Another form may not be run by the chosen unit: the unit list changes, so the choice starts again.
              onChange={(e) => f.setMany({ schoolForm: e.currentTarget.value as PlacementForm, unitId: null, groupId: null })}
              data={forms.map((x) => ({ value: x, label: t(`schoolForm.${x}`) }))}
              {...f.field('schoolForm')}
              required
              data-autofocus
              data-testid="placement-form"
            />
          )}
          {edit ? (
            <TextInput label={t('field.unit')} value={edit.unitName} readOnly description={t('care.placement.unitByTransfer')} />
          ) : (
            <UnitPicker label={t('field.unit')} value={v.unitId} onChange={(id) => f.setMany({ unitId: id, groupId: null })} schoolForm={v.schoolForm} required {...f.field('unitId')} testId="placement-unit" />
          )}
          <GroupPicker
            label={t('field.group')}
            unitId={v.unitId}
            value={v.groupId}
            onChange={(id) => set('groupId', id)}
            date={on}
            schoolForm={v.schoolForm}
            {...f.field('groupId')}
            autoFocus={!!edit}
            testId="placement-group"
          />
          <DateField label={t('care.field.validFrom')} value={v.validFrom} onChange={(x) => set('validFrom', x)} required {...f.field('validFrom')} testId="placement-from" />
          <DateField label={t('care.field.validTo')} value={v.validTo} onChange={(x) => set('validTo', x)} {...f.field('validTo')} description={t('care.field.validTo.hint')} testId="placement-to" />
          <TextInput
            label={t('care.placement.hours')}
            description={t('care.placement.hours.hint')}
            value={v.hours}
            onChange={(e) => set('hours', e.currentTarget.value)}
            {...f.field('weeklyHours')}
            inputMode="numeric"
            autoComplete="off"
            maxLength={2}
            data-testid="placement-hours"
          />
          <NativeSelect
            label={t('care.placement.reason')}
            value={v.reason}
            onChange={(e) => set('reason', e.currentTarget.value as PlacementReason)}
            data={PLACEMENT_REASONS.map((r) => ({ value: r, label: t(`care.reason.${r}`) }))}
            {...f.field('reason')}
            data-testid="placement-reason"
          />
        </div>
        <div data-k-error={err('ownerIds') ? 'true' : undefined}>
          <Checkbox.Group label={t('care.placement.holders')} description={t('care.placement.holders.hint')} value={v.ownerIds} onChange={(ids) => set('ownerIds', ids)} {...f.field('ownerIds')}>
            <Stack gap={6} mt={6}>
              {candidates.length === 0 && <Text className="k-empty">{t('care.placement.noHolders')}</Text>}
              {candidates.map((c) => (
                <Checkbox
                  key={c.guardianId}
                  value={c.guardianId}
                  label={
                    <span>
                      {c.name} {c.protected && <ProtectedTag />}
                    </span>
                  }
                  data-testid="placement-holder"
                />
              ))}
            </Stack>
          </Checkbox.Group>
        </div>
      </Stack>
    </FormDialog>
  );
}
