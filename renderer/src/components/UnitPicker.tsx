/**
 * Pick a school unit by typing part of its name, its administration or its code (diacritics ignored).
 * Keyboard: type to filter, ↑/↓ to move, Enter to pick; Esc closes the list only (an open list marks
 * its input so the surrounding dialog does not take the Esc as "cancel").
 * Units come from org.tree: school units only, each with its administration as a second line.
 */
import { sortByText } from '../../../shared/collation';
import { Select, type ComboboxItem, type OptionsFilter } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import type { SchoolForm } from '../lib/domain';
import { matchesQuery } from '../lib/care';
import { useT } from '../lib/i18n';
import { useOrgTree } from '../screens/Org';

export interface UnitPickerProps {
  label: string;
  value: string | null;
  onChange: (unitId: string | null) => void;
  /** Only units that run this school form. */
  schoolForm?: SchoolForm;
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

interface UnitOption {
  id: string;
  name: string;
  administration: string;
  code: string | null;
}

export function UnitPicker(props: UnitPickerProps) {
  const { t } = useT();
  const tree = useOrgTree();
  const units = useMemo(() => {
    const out = new Map<string, UnitOption>();
    for (const a of tree.data?.administrations ?? []) {
      for (const u of a.units) {
        if (u.kind !== 'school_unit') continue;
        // The chosen unit stays listed even if it no longer runs the form (an old placement being edited).
        if (props.schoolForm && !u.schoolForms.includes(props.schoolForm) && u.id !== props.value) continue;
        out.set(u.id, { id: u.id, name: u.name, administration: a.name, code: u.code });
      }
    }
    return out;
  }, [tree.data, props.schoolForm, props.value]);

  const data = useMemo<ComboboxItem[]>(
    () => sortByText([...units.values()], (u) => u.name, tree.data?.municipality.country === 'NO' ? 'NO' : 'SE').map((u) => ({ value: u.id, label: u.name })),
    [units, tree.data],
  );
  const filter = useMemo<OptionsFilter>(
    () =>
      ({ options, search }) =>
        (options as ComboboxItem[]).filter((o) => {
          const u = units.get(o.value);
          return matchesQuery([o.label, u?.administration, u?.code], search);
        }),
    [units],
  );

  return (
    <Select
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={(v) => props.onChange(v)}
      data={data}
      filter={filter}
      searchable
      // Tabbing through a form must not open every list and cover the fields below; typing or ↓ opens it.
      openOnFocus={false}
      clearable={!props.required}
      allowDeselect={false}
      required={props.required}
      disabled={props.disabled}
      autoFocus={props.autoFocus}
      data-autofocus={props.autoFocus ? true : undefined}
      error={props.error ?? (tree.error ? t('care.picker.loadFailed') : undefined)}
      data-field={props.name}
      description={props.description}
      placeholder={tree.data ? t('care.picker.unit.placeholder') : t('common.loading')}
      nothingFoundMessage={t('care.picker.nothing')}
      maxDropdownHeight={320}
      comboboxProps={{ withinPortal: true }}
      data-testid={props.testId}
      renderOption={({ option }) => {
        const u = units.get(option.value);
        return (
          <div>
            <div>{option.label}</div>
            {u && (
              <div style={{ fontSize: 12 }}>
                {u.administration}
                {u.code ? ` · ${u.code}` : ''}
              </div>
            )}
          </div>
        );
      }}
    />
  );
}
