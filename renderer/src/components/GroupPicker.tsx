/**
 * Pick a group (class or department) of one unit, by typing part of its name. The groups come from
 * unit.get; with `date`, only groups alive on that date are offered (a group lives for its school year),
 * and with `schoolForm` / `kind` only groups of that form and kind. A change of unit clears the choice,
 * since a group belongs to exactly one unit. Keyboard as in UnitPicker.
 */
import { Select, type ComboboxItem, type OptionsFilter } from '@mantine/core';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useQuery } from '../lib/api';
import { groupAliveOn, matchesQuery } from '../lib/care';
import type { SchoolForm } from '../lib/domain';
import { schoolYearLabel } from '../lib/format';
import { useT } from '../lib/i18n';
import { groupDetail } from '../lib/labels';

export interface GroupPickerProps {
  label: string;
  unitId: string | null;
  value: string | null;
  onChange: (groupId: string | null) => void;
  /** ISO date: only groups alive on this date. */
  date?: string;
  schoolForm?: SchoolForm;
  kind?: 'class' | 'department';
  error?: ReactNode;
  /** The form field it stands for (the form kit's blur rule reads it). */
  name?: string;
  description?: ReactNode;
  required?: boolean;
  autoFocus?: boolean;
  disabled?: boolean;
  id?: string;
  testId?: string;
}

export function GroupPicker(props: GroupPickerProps) {
  const { t } = useT();
  const { unitId, value, onChange } = props;
  const q = useQuery('unit.get', unitId ? { id: unitId, ...(props.date && /^\d{4}-\d{2}-\d{2}$/.test(props.date) ? { date: props.date } : {}) } : null);

  // A group belongs to one unit: choosing another unit drops the group chosen in the old one.
  const lastUnit = useRef(unitId);
  useEffect(() => {
    if (lastUnit.current === unitId) return;
    lastUnit.current = unitId;
    if (value !== null) onChange(null);
  }, [unitId, value, onChange]);

  const groups = useMemo(() => {
    const all = unitId && q.data && q.data.id === unitId ? q.data.groups : [];
    return all.filter(
      (g) =>
        g.id === value ||
        ((!props.kind || g.kind === props.kind) && (!props.schoolForm || g.schoolForm === props.schoolForm) && (!props.date || groupAliveOn(g.schoolYear, props.date))),
    );
  }, [q.data, unitId, value, props.kind, props.schoolForm, props.date]);

  const byId = useMemo(() => new Map(groups.map((g) => [g.id, g])), [groups]);
  const data = useMemo<ComboboxItem[]>(() => groups.map((g) => ({ value: g.id, label: g.name })), [groups]);
  const filter = useMemo<OptionsFilter>(() => ({ options, search }) => (options as ComboboxItem[]).filter((o) => matchesQuery([o.label], search)), []);

  const placeholder = !unitId ? t('care.picker.group.chooseUnit') : q.loading ? t('common.loading') : data.length === 0 ? t('care.picker.group.none') : t('care.picker.group.placeholder');
  return (
    <Select
      id={props.id}
      label={props.label}
      value={value}
      onChange={(v) => onChange(v)}
      data={data}
      filter={filter}
      searchable
      // Tabbing through a form must not open every list and cover the fields below; typing or ↓ opens it.
      openOnFocus={false}
      clearable={!props.required}
      allowDeselect={false}
      required={props.required}
      disabled={props.disabled || !unitId}
      autoFocus={props.autoFocus}
      data-autofocus={props.autoFocus ? true : undefined}
      error={props.error ?? (q.error ? t('care.picker.loadFailed') : undefined)}
      data-field={props.name}
      description={props.description}
      placeholder={placeholder}
      nothingFoundMessage={t('care.picker.nothing')}
      maxDropdownHeight={320}
      comboboxProps={{ withinPortal: true }}
      data-testid={props.testId}
      renderOption={({ option }) => {
        const g = byId.get(option.value);
        return (
          <div>
            <div>{option.label}</div>
            {g && <div style={{ fontSize: 12 }}>{groupDetail(g, t, schoolYearLabel)}</div>}
          </div>
        );
      }}
    />
  );
}
