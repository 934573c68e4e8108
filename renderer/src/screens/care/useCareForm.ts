/**
 * State of one care dialog: the values, their errors (the dialog's own checks and the core's answer),
 * saving, and "dirty" (differs from what the dialog opened with).
 */
import { createElement, useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CallResult } from '../../../../shared/api/transport';
import { mapCareError } from '../../lib/care';
import { formatDate, isValidIsoDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import type { FieldError, FieldErrors } from '../../lib/personForm';

/** A field error in words; ISO dates among its placeholders are written the local way. */
export function useFieldMessage(): (e: FieldError | undefined) => ReactNode {
  const { t, lang } = useT();
  return useCallback(
    (e: FieldError | undefined) => {
      if (!e) return undefined;
      const vars = e.vars && Object.fromEntries(Object.entries(e.vars).map(([k, x]) => [k, typeof x === 'string' && isValidIsoDate(x) ? formatDate(x, lang) : x]));
      return createElement('span', { 'data-testid': 'field-error' }, t(e.key, vars));
    },
    [t, lang],
  );
}

export interface CareForm<V> {
  v: V;
  set: <K extends keyof V>(k: K, value: V[K]) => void;
  setMany: (patch: Partial<V>) => void;
  errors: FieldErrors;
  top: FieldError[];
  saving: boolean;
  dirty: boolean;
  /** The message of one field, ready for a Mantine `error` prop. */
  err: (field: string) => ReactNode;
  /**
   * Runs the dialog's checks, then the call; maps a refusal onto the fields (`known` says which field
   * names the dialog shows). Resolves to the answer's data on success, otherwise null.
   */
  submit: <T>(check: () => FieldErrors, call: () => Promise<CallResult<T>>, known: (f: string) => boolean) => Promise<T | null>;
}

export function useCareForm<V extends object>(initial: V): CareForm<V> {
  const [start] = useState(initial);
  const [v, setV] = useState<V>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [top, setTop] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const msg = useFieldMessage();

  const set = useCallback(<K extends keyof V>(k: K, value: V[K]) => {
    setV((cur) => ({ ...cur, [k]: value }));
    // Typing in a field answers its message; other fields keep theirs until the next save.
    setErrors((cur) => {
      if (!((k as string) in cur)) return cur;
      const { [k as string]: _, ...rest } = cur;
      return rest;
    });
  }, []);
  const setMany = useCallback((patch: Partial<V>) => setV((cur) => ({ ...cur, ...patch })), []);

  const dirty = useMemo(() => JSON.stringify(v) !== JSON.stringify(start), [v, start]);

  const focusFirstError = () =>
    window.setTimeout(() => {
      const el = document.querySelector<HTMLElement>('[role="dialog"] [aria-invalid="true"], [role="dialog"] [data-k-error="true"] input');
      el?.focus();
    }, 0);

  const submit = useCallback(
    async <T>(check: () => FieldErrors, call: () => Promise<CallResult<T>>, known: (f: string) => boolean): Promise<T | null> => {
      if (savingRef.current) return null;
      const local = check();
      setErrors(local);
      setTop([]);
      if (Object.keys(local).length) {
        focusFirstError();
        return null;
      }
      savingRef.current = true;
      setSaving(true);
      const r = await call();
      savingRef.current = false;
      setSaving(false);
      if (r.ok) return r.data;
      const mapped = mapCareError(r.error, known);
      setErrors(mapped.fields);
      setTop(mapped.top);
      focusFirstError();
      return null;
    },
    [],
  );

  const err = useCallback((field: string) => msg(errors[field]), [errors, msg]);
  return { v, set, setMany, errors, top, saving, dirty, err, submit };
}
