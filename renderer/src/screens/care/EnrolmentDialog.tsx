/**
 * New enrolment in school (unit, form, grade, class, dates) or a correction of one. A pupil has one
 * enrolment per period (enrolment_overlap); moving school is a transfer, not a second enrolment.
 */
import { NativeSelect, Stack, TextInput } from '@mantine/core';
import { ENROLMENT_FORMS_BY_COUNTRY } from '../../../../shared/domain/care';
import { DateField } from '../../components/DateField';
import { GroupPicker } from '../../components/GroupPicker';
import { UnitPicker } from '../../components/UnitPicker';
import { useApi } from '../../lib/api';
import { checkDates, type EnrolmentForm, type EnrolmentView } from '../../lib/care';
import { isValidIsoDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { gradeOptions } from '../../lib/labels';
import type { FieldErrors } from '../../kit';
import { useSession } from '../../lib/session';
import { FormDialog, useForm } from '../../kit';

const GRADES = Array.from({ length: 14 }, (_, i) => i);
const KNOWN = new Set(['schoolForm', 'unitId', 'groupId', 'grade', 'validFrom', 'validTo', 'endReason']);

export function EnrolmentDialog({ pupilId, edit, onClose, onSaved }: { pupilId: string; edit?: EnrolmentView; onClose: () => void; onSaved: () => void }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const forms = ENROLMENT_FORMS_BY_COUNTRY[session.country];
  const f = useForm({
    schoolForm: (edit?.schoolForm ?? forms.find((x) => x === 'GR' || x === 'GSK') ?? forms[0]!) as EnrolmentForm,
    unitId: (edit?.unitId ?? null) as string | null,
    groupId: (edit?.groupId ?? null) as string | null,
    grade: String(edit?.grade ?? 1),
    validFrom: edit?.validFrom ?? session.today,
    validTo: edit?.validTo ?? '',
    endReason: edit?.endReason ?? '',
  }, { validate: () => check(), known: (p) => KNOWN.has(p) });
  const { v, set } = f;

  const check = (): FieldErrors => {
    const e = checkDates(
      [
        { field: 'validFrom', value: v.validFrom, required: true },
        { field: 'validTo', value: v.validTo, required: false },
      ],
      { from: 'validFrom', to: 'validTo' },
    );
    if (!v.unitId) e.unitId = { key: 'validation.required' };
    return e;
  };
  const save = async () => {
    const validTo = v.validTo.trim() || null;
    const grade = Number(v.grade);
    const r = await f.submit(() => {
        if (!edit) {
          return api.tryCall('enrolment.create', { pupilId, unitId: v.unitId ?? '', groupId: v.groupId, schoolForm: v.schoolForm, grade, validFrom: v.validFrom, validTo });
        }
        const endReason = v.endReason.trim() || null;
        return api.tryCall('enrolment.update', {
          id: edit.id,
          version: edit.version,
          ...(v.groupId !== edit.groupId ? { groupId: v.groupId } : {}),
          ...(grade !== edit.grade ? { grade } : {}),
          ...(v.validFrom !== edit.validFrom ? { validFrom: v.validFrom } : {}),
          ...(validTo !== edit.validTo ? { validTo } : {}),
          ...(endReason !== edit.endReason ? { endReason } : {}),
        });
      });
    if (r) onSaved();
  };

  const title = edit ? t('care.enrolment.editTitle', { unit: edit.unitName }) : t('care.enrolment.newTitle');
  return (
    <FormDialog form={f} title={title} testId="enrolment-dialog" onSubmit={() => void save()} onClose={onClose} returnFocusId="sec-placements-title">
      <Stack gap="sm">
        <div className="k-form-grid">
          {edit ? (
            <TextInput label={t('field.schoolForm')} value={t(`schoolForm.${edit.schoolForm}`)} readOnly />
          ) : (
            <NativeSelect
              label={t('field.schoolForm')}
              value={v.schoolForm}
              onChange={(e) => f.setMany({ schoolForm: e.currentTarget.value as EnrolmentForm, unitId: null, groupId: null })}
              data={forms.map((x) => ({ value: x, label: t(`schoolForm.${x}`) }))}
              {...f.field('schoolForm')}
              required
              data-autofocus
              data-testid="enrolment-form"
            />
          )}
          {edit ? (
            <TextInput label={t('field.unit')} value={edit.unitName} readOnly description={t('care.placement.unitByTransfer')} />
          ) : (
            <UnitPicker label={t('field.unit')} value={v.unitId} onChange={(id) => f.setMany({ unitId: id, groupId: null })} schoolForm={v.schoolForm} required {...f.field('unitId')} testId="enrolment-unit" />
          )}
          <NativeSelect label={t('care.enrolment.grade')} value={v.grade} onChange={(e) => set('grade', e.currentTarget.value)} data={gradeOptions(v.schoolForm, GRADES, t)} {...f.field('grade')} data-autofocus={edit ? true : undefined} data-testid="enrolment-grade" />
          <GroupPicker
            label={t('care.enrolment.class')}
            unitId={v.unitId}
            value={v.groupId}
            onChange={(id) => set('groupId', id)}
            date={isValidIsoDate(v.validFrom) ? v.validFrom : undefined}
            schoolForm={v.schoolForm}
            kind="class"
            {...f.field('groupId')}
            testId="enrolment-group"
          />
          <DateField label={t('care.field.validFrom')} value={v.validFrom} onChange={(x) => set('validFrom', x)} required {...f.field('validFrom')} testId="enrolment-from" />
          <DateField label={t('care.field.validTo')} value={v.validTo} onChange={(x) => set('validTo', x)} {...f.field('validTo')} description={t('care.field.validTo.hint')} testId="enrolment-to" />
          {edit && <TextInput label={t('care.enrolment.endReason')} value={v.endReason} onChange={(e) => set('endReason', e.currentTarget.value)} {...f.field('endReason')} maxLength={200} data-testid="enrolment-end-reason" />}
        </div>
      </Stack>
    </FormDialog>
  );
}
