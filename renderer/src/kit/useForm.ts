/**
 * The state of every form in Kansli, page or dialog: the values, whether they differ from what the form
 * opened with (dirty), saving, and the errors, shown by one rule:
 *
 * - a field's own check (`validate`) speaks when the clerk leaves the field (blur) and stays live while
 *   they correct it; a field not yet visited says nothing while the clerk is still typing elsewhere;
 * - a save attempt shows every error, and only then the form's banner (count plus messages that belong
 *   to no field), with focus on the first field in error;
 * - the core's answer to a save (rule, validation, duplicate, …) lands on the field it names
 *   (`mapApiError`) and stays until that field is changed.
 *
 * Fields take part by their `name` (the form's blur listener reads it): `{...f.field('validFrom')}` gives
 * an input its name, error and aria attributes.
 */
import { useCallback, useMemo, useRef, useState, type FocusEvent, type ReactNode } from 'react';
import type { ApiError, CallResult } from '../../../shared/api/transport';
import { mapApiError, type FieldError, type FieldErrors, type MappedError } from './errors';
import { useFieldMessage } from './messages';

export interface FormOptions<V> {
  /** The form's own checks over the values (pure; the same function runs on blur and on save). */
  validate?: (v: V) => FieldErrors;
  /** Which field paths the form shows (for mapping the core's answers); by default any key of the values. */
  known?: (field: string) => boolean;
  /** When two value sets mean the same (default: the same JSON), for "dirty". */
  equal?: (a: V, b: V) => boolean;
  /** A form's own mapping of the core's refusal (it should build on mapApiError); instead of `known`. */
  mapError?: (e: ApiError, v: V) => MappedError;
}

export interface Form<V> {
  v: V;
  set: <K extends keyof V>(k: K, value: V[K]) => void;
  setMany: (patch: Partial<V>) => void;
  /** New starting values (after a save that stays on the form, or taking someone else's version). */
  reset: (values: V) => void;
  dirty: boolean;
  saving: boolean;
  /** A save was attempted since the form opened or was reset: the banner may speak. */
  submitted: boolean;
  /** The errors shown now, by field path. */
  errors: FieldErrors;
  /** Messages that belong to no field (shown in the banner). */
  top: FieldError[];
  /** The message of one field, ready for an input's `error` prop. */
  err: (field: string) => ReactNode;
  /** Props for an input: its name (the blur rule), its error. */
  field: (name: string) => { name: string; error: ReactNode };
  /** The form element's blur listener (FormFrame wires it). */
  onBlurCapture: (e: FocusEvent<HTMLElement>) => void;
  /** Marks a field as visited (for inputs whose blur does not reach the form). */
  touch: (name: string) => void;
  /** Answers the core's messages on these field paths (a nested value changed). */
  dropServerErrors: (...paths: string[]) => void;
  /** Errors from outside (e.g. a conflict the form resolves itself), replacing the core's. */
  setServerErrors: (fields: FieldErrors, top?: FieldError[]) => void;
  /**
   * Runs the checks, then the call; maps a refusal onto the fields. Resolves to the answer's data on
   * success, otherwise null. `onError` may take an error for itself (return true), e.g. a conflict.
   */
  submit: <T>(call: () => Promise<CallResult<T>>, opts?: { onError?: (e: ApiError) => boolean | Promise<boolean> }) => Promise<T | null>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The first field in error (in the given container, or the open dialog, or the page) gets focus; without one,
 * the error summary. The errors are state set just before: they are in the page only after React's next
 * commit, which may come after a bare timer. So while neither is there yet it looks again, for about ten
 * frames (without that, a refusal answered after an await could leave the focus on nothing). It stops as soon
 * as something else has taken the focus meanwhile (a screen that moves it on purpose, such as "end it
 * instead" after a refused removal).
 */
export function focusFirstError(container?: HTMLElement | null): void {
  const before = document.activeElement;
  let tries = 0;
  const attempt = () => {
    const now = document.activeElement;
    if (now !== before && now !== null && now !== document.body) return;
    const root: ParentNode = container ?? document.querySelector('[role="dialog"]') ?? document;
    const el = root.querySelector<HTMLElement>('[aria-invalid="true"], [data-k-error="true"] input, [data-k-error="true"]') ?? root.querySelector<HTMLElement>('[data-testid="form-errors"]');
    if (el) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: 'nearest' });
    } else if (++tries < FOCUS_TRIES) window.setTimeout(attempt, 16);
  };
  window.setTimeout(attempt, 0);
}
/** About ten frames. */
const FOCUS_TRIES = 10;

export function useForm<V extends object>(initial: V, opts: FormOptions<V> = {}): Form<V> {
  const [start, setStart] = useState(initial);
  const [v, setV] = useState<V>(initial);
  const [server, setServer] = useState<FieldErrors>({});
  const [top, setTop] = useState<FieldError[]>([]);
  const [touched, setTouched] = useState<Record<string, true>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const valuesRef = useRef({ v, start });
  valuesRef.current = { v, start };
  const msg = useFieldMessage();

  const set = useCallback(<K extends keyof V>(k: K, value: V[K]) => {
    setV((cur) => ({ ...cur, [k]: value }));
    // Changing a field answers the core's message about it; other fields keep theirs until the next save.
    setServer((cur) => {
      if (!((k as string) in cur)) return cur;
      const { [k as string]: _, ...rest } = cur;
      return rest;
    });
  }, []);
  const setMany = useCallback((patch: Partial<V>) => {
    setV((cur) => ({ ...cur, ...patch }));
    setServer((cur) => {
      const keys = Object.keys(patch);
      if (!keys.some((k) => k in cur)) return cur;
      return Object.fromEntries(Object.entries(cur).filter(([k]) => !keys.includes(k)));
    });
  }, []);
  const reset = useCallback((values: V) => {
    setStart(values);
    setV(values);
    setServer({});
    setTop([]);
    setTouched({});
    setSubmitted(false);
  }, []);

  const equal = opts.equal;
  const dirty = useMemo(() => !(equal ? equal(v, start) : same(v, start)), [v, start, equal]);

  // The form's own checks run when something asks for an error (not while the hook runs), so `validate`
  // may use whatever the component defines after calling useForm; once per render at most.
  const shownRef = useRef<FieldErrors | null>(null);
  shownRef.current = null;
  const shown = (): FieldErrors => {
    if (shownRef.current) return shownRef.current;
    const local = optsRef.current.validate?.(v) ?? {};
    const out: FieldErrors = {};
    for (const [k, e] of Object.entries(local)) if (submitted || touched[k] || touched[k.split('.')[0]!]) out[k] = e;
    for (const [k, e] of Object.entries(server)) if (!out[k]) out[k] = e;
    shownRef.current = out;
    return out;
  };

  const touch = useCallback((name: string) => setTouched((cur) => (cur[name] ? cur : { ...cur, [name]: true })), []);
  const onBlurCapture = useCallback(
    (e: FocusEvent<HTMLElement>) => {
      const name = (e.target as HTMLInputElement).name || e.target.getAttribute('data-field') || '';
      if (!name) return;
      // Leaving for a list that belongs to the field (a picker's options) is not leaving the field.
      const to = e.relatedTarget as HTMLElement | null;
      if (to && (to.getAttribute('name') === name || to.closest('[data-field]')?.getAttribute('data-field') === name)) return;
      // Passing through a field without changing it is not a mistake (yet): a required field left empty
      // speaks at the save.
      const top = name.split('.')[0]!;
      const { v: now, start: was } = valuesRef.current;
      if (same((now as Record<string, unknown>)[top], (was as Record<string, unknown>)[top])) return;
      touch(name);
    },
    [touch],
  );

  const err = (f: string) => msg(shown()[f]);
  const field = (name: string) => ({ name, error: msg(shown()[name]) });
  const dropServerErrors = useCallback((...paths: string[]) => {
    setServer((cur) => (paths.some((p) => p in cur) ? Object.fromEntries(Object.entries(cur).filter(([k]) => !paths.includes(k))) : cur));
  }, []);
  const setServerErrors = useCallback((fields: FieldErrors, t: FieldError[] = []) => {
    setServer(fields);
    setTop(t);
  }, []);

  const submit = useCallback(
    async <T>(call: () => Promise<CallResult<T>>, sopts: { onError?: (e: ApiError) => boolean | Promise<boolean> } = {}): Promise<T | null> => {
      if (savingRef.current) return null;
      setSubmitted(true);
      setTop([]);
      setServer({});
      const { validate, known, mapError } = optsRef.current;
      const found = validate?.(v) ?? {};
      if (Object.keys(found).length) {
        focusFirstError();
        return null;
      }
      savingRef.current = true;
      setSaving(true);
      let r: CallResult<T>;
      try {
        r = await call();
      } finally {
        savingRef.current = false;
        setSaving(false);
      }
      if (r.ok) return r.data;
      if (sopts.onError && (await sopts.onError(r.error))) return null;
      const mapped = mapError ? mapError(r.error, v) : mapApiError(r.error, known ?? ((f) => f in (v as object)));
      setServer(mapped.fields);
      setTop(mapped.top);
      focusFirstError();
      return null;
    },
    [v],
  );

  return {
    v,
    set,
    setMany,
    reset,
    dirty,
    saving,
    submitted,
    get errors() {
      return shown();
    },
    top,
    err,
    field,
    onBlurCapture,
    touch,
    dropServerErrors,
    setServerErrors,
    submit,
  };
}

export type { FieldError, FieldErrors };
