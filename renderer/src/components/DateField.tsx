/**
 * A typed date field: clerks type dates faster than they pick them. Accepts 2014-03-05, 20140305,
 * 5.3.2014 and 05/03/2014; shows the date in the active locale when the field is not being edited.
 * The value handed back is ISO when it parses, otherwise the raw text (so nothing typed is lost and
 * validation can say what is wrong).
 */
import { TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formatDate, isValidIsoDate, parseDateInput } from '../lib/format';
import { useT } from '../lib/i18n';

export interface DateFieldProps {
  id?: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: ReactNode;
  description?: ReactNode;
  required?: boolean;
  readOnly?: boolean;
  disabled?: boolean;
  w?: number | string;
  testId?: string;
}

export function DateField(props: DateFieldProps) {
  const { t, lang } = useT();
  const [editing, setEditing] = useState<string | null>(null);
  const shown = editing ?? (isValidIsoDate(props.value) ? formatDate(props.value, lang) : props.value);
  return (
    <TextInput
      id={props.id}
      label={props.label}
      value={shown}
      required={props.required}
      readOnly={props.readOnly}
      disabled={props.disabled}
      error={props.error}
      description={props.description ?? t('date.format')}
      inputMode="numeric"
      autoComplete="off"
      w={props.w}
      data-testid={props.testId}
      onFocus={() => setEditing(shown)}
      onChange={(e) => {
        const text = e.currentTarget.value;
        setEditing(text);
        props.onChange(parseDateInput(text) ?? text);
      }}
      onBlur={() => setEditing(null)}
    />
  );
}
