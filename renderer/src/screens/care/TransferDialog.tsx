/**
 * Transfer a placement or an enrolment to another unit or group in one step: the old row ends the day
 * before the transfer date and the new one starts on it, so there is neither a gap nor an overlap. The
 * dialog says so in words as the date and the unit are chosen.
 */
import { NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { DateField } from '../../components/DateField';
import { GroupPicker } from '../../components/GroupPicker';
import { UnitPicker } from '../../components/UnitPicker';
import { useApi } from '../../lib/api';
import { checkDates, defaultTransferDate, parseHours, transferDays, type EnrolmentView, type PlacementView } from '../../lib/care';
import { formatDate, isValidIsoDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { gradeOptions } from '../../lib/labels';
import type { FieldErrors } from '../../kit';
import { useSession } from '../../lib/session';
import { useOrgTree } from '../Org';
import { FormDialog, useForm } from '../../kit';

export type TransferTarget = { kind: 'placement'; row: PlacementView } | { kind: 'enrolment'; row: EnrolmentView };

const GRADES = Array.from({ length: 14 }, (_, i) => i);
const KNOWN = new Set(['date', 'toUnitId', 'toGroupId', 'weeklyHours', 'grade']);

export function TransferDialog({ target, onClose, onSaved }: { target: TransferTarget; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const tree = useOrgTree();
  const row = target.row;
  const f = useForm({
    date: defaultTransferDate(row, session.today),
    toUnitId: null as string | null,
    toGroupId: null as string | null,
    hours: '',
    grade: target.kind === 'enrolment' ? String(target.row.grade) : '',
  }, { validate: () => check(), known: (p) => KNOWN.has(p) });
  const { v, set } = f;
  const days = transferDays(v.date);
  const toUnitName = v.toUnitId ? (tree.data?.administrations.flatMap((a) => a.units).find((u) => u.id === v.toUnitId)?.name ?? null) : null;

  const check = (): FieldErrors => {
    const e = checkDates([{ field: 'date', value: v.date, required: true }]);
    if (!e.date && (v.date <= row.validFrom || (row.validTo !== null && v.date > row.validTo))) e.date = { key: 'rule.transfer_date' };
    if (!v.toUnitId) e.toUnitId = { key: 'validation.required' };
    if (!e.toUnitId && v.toUnitId === row.unitId && v.toGroupId === row.groupId) e.toUnitId = { key: 'rule.transfer_same_place' };
    if (target.kind === 'placement' && parseHours(v.hours) === 'invalid') e.weeklyHours = { key: 'care.issue.hours_range' };
    return e;
  };
  const save = async () => {
    const hours = parseHours(v.hours);
    const r = await f.submit(() =>
        target.kind === 'placement'
          ? api.tryCall('placement.transfer', {
              id: row.id,
              version: row.version,
              date: v.date,
              toUnitId: v.toUnitId ?? '',
              toGroupId: v.toGroupId,
              ...(typeof hours === 'number' ? { weeklyHours: hours } : {}),
            })
          : api.tryCall('enrolment.transfer', {
              id: row.id,
              version: row.version,
              date: v.date,
              toUnitId: v.toUnitId ?? '',
              toGroupId: v.toGroupId,
              ...(Number(v.grade) !== target.row.grade ? { grade: Number(v.grade) } : {}),
            }));
    if (r) onSaved();
  };

  return (
    <FormDialog form={f} title={t('care.transfer.title', { unit: row.unitName })} testId="transfer-dialog" onSubmit={() => void save()} onClose={onClose} returnFocusId="sec-placements-title">
      <Stack gap="sm">
        <Text size="sm">
          {row.groupName
            ? t('care.transfer.current', { unit: row.unitName, group: row.groupName, from: formatDate(row.validFrom, lang), to: row.validTo ? formatDate(row.validTo, lang) : t('care.openEnded') })
            : t('care.transfer.currentNoGroup', { unit: row.unitName, from: formatDate(row.validFrom, lang), to: row.validTo ? formatDate(row.validTo, lang) : t('care.openEnded') })}
        </Text>
        <div className="k-form-grid">
          <DateField label={t('care.transfer.date')} value={v.date} onChange={(x) => set('date', x)} required {...f.field('date')} autoFocus testId="transfer-date" />
          <UnitPicker label={t('care.transfer.toUnit')} value={v.toUnitId} onChange={(id) => f.setMany({ toUnitId: id, toGroupId: null })} schoolForm={row.schoolForm} required {...f.field('toUnitId')} testId="transfer-unit" />
          <GroupPicker
            label={t(target.kind === 'enrolment' ? 'care.enrolment.class' : 'field.group')}
            unitId={v.toUnitId}
            value={v.toGroupId}
            onChange={(id) => set('toGroupId', id)}
            date={isValidIsoDate(v.date) ? v.date : undefined}
            schoolForm={row.schoolForm}
            kind={target.kind === 'enrolment' ? 'class' : undefined}
            {...f.field('toGroupId')}
            testId="transfer-group"
          />
          {target.kind === 'placement' ? (
            <TextInput
              label={t('care.placement.hours')}
              description={target.row.weeklyHours != null ? t('care.transfer.hoursKept', { hours: target.row.weeklyHours }) : t('care.placement.hours.hint')}
              value={v.hours}
              onChange={(e) => set('hours', e.currentTarget.value)}
              {...f.field('weeklyHours')}
              inputMode="numeric"
              autoComplete="off"
              maxLength={2}
              data-testid="transfer-hours"
            />
          ) : (
            <NativeSelect label={t('care.enrolment.grade')} value={v.grade} onChange={(e) => set('grade', e.currentTarget.value)} data={gradeOptions(row.schoolForm, GRADES, t)} {...f.field('grade')} data-testid="transfer-grade" />
          )}
        </div>
        <div className="k-list-item" aria-live="polite" data-testid="transfer-summary">
          {days ? (
            <Text size="sm">
              {t('care.transfer.summary', {
                from: row.unitName,
                endsOn: formatDate(days.endsOn, lang),
                to: toUnitName ?? t('care.transfer.newUnit'),
                startsOn: formatDate(days.startsOn, lang),
              })}
            </Text>
          ) : (
            <Text size="sm">{t('care.transfer.typeDate')}</Text>
          )}
        </div>
      </Stack>
    </FormDialog>
  );
}
