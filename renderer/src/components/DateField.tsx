/**
 * A typed date field: clerks type dates faster than they pick them. Accepts 2026-08-17, 20260817,
 * 17.8.2026, 17/8/2026, 17.8 and 17/8 (this year), +14 and -3 (days from today); dotted and slashed
 * dates follow the language's day/month order (DATE_ORDER in lib/format). "Today" is the core's date
 * from session.info, never the machine clock. While typing, the line under the field shows the date
 * the text resolves to ("→ 2026-12-07, måndag"); otherwise the format hint. The line is always there,
 * so the form does not jump as it changes.
 * The value handed back is ISO when it parses, otherwise the raw text (so nothing typed is lost and
 * validation can say what is wrong).
 */
import { TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formatDate, formatWeekday, isValidIsoDate, parseDateInput } from '../lib/format';
import { useT } from '../lib/i18n';
import { useSession } from '../lib/session';

export interface DateFieldProps {
  id?: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: ReactNode;
  /** The form field it stands for (the form kit's blur rule reads it). */
  name?: string;
  description?: ReactNode;
  required?: boolean;
  readOnly?: boolean;
  disabled?: boolean;
  autoFocus?: boolean;
  w?: number | string;
  testId?: string;
}

export function DateField(props: DateFieldProps) {
  const { t, lang } = useT();
  const { today } = useSession();
  const [editing, setEditing] = useState<string | null>(null);
  const shown = editing ?? (isValidIsoDate(props.value) ? formatDate(props.value, lang) : props.value);
  const resolved = editing !== null && editing.trim() !== '' ? parseDateInput(editing, { today, lang }) : null;
  // Only worth saying when the text is not already the date written out (e.g. "+14", "17/8").
  const showResolved = resolved !== null && editing?.trim() !== formatDate(resolved, lang);
  const description = showResolved ? (
    <span aria-live="polite" data-testid={props.testId ? `${props.testId}-resolved` : undefined}>
      {t('care.date.resolved', { date: formatDate(resolved, lang), weekday: formatWeekday(resolved, lang) })}
    </span>
  ) : (
    (props.description ?? t('care.date.hint', { format: t('date.format') }))
  );
  return (
    <TextInput
      id={props.id}
      label={props.label}
      value={shown}
      required={props.required}
      readOnly={props.readOnly}
      disabled={props.disabled}
      autoFocus={props.autoFocus}
      data-autofocus={props.autoFocus ? true : undefined}
      error={props.error}
      name={props.name}
      description={description}
      autoComplete="off"
      spellCheck={false}
      w={props.w}
      data-testid={props.testId}
      onFocus={() => setEditing(shown)}
      onChange={(e) => {
        const text = e.currentTarget.value;
        setEditing(text);
        props.onChange(parseDateInput(text, { today, lang }) ?? text);
      }}
      onBlur={() => setEditing(null)}
    />
  );
}
