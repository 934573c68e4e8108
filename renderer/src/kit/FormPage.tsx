/**
 * The frame of every page form (person, unit, user, placement rules, CSV mapping): Enter in a text field
 * or Ctrl+S saves, Esc cancels, and leaving with unsaved changes — Esc, Cancel, a link, the Back button,
 * the palette — asks first (the router's leave guard).
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { setLeaveGuard } from '../lib/router';
import { modPressed } from '../lib/platform';
import { DiscardModal, FormActions, FormBanner, type FormActionsProps } from './FormParts';
import type { Form } from './useForm';

export interface FormPageProps {
  form: Pick<Form<object>, 'dirty' | 'saving' | 'submitted' | 'errors' | 'top' | 'onBlurCapture'>;
  /** The form's accessible name. */
  label: string;
  onSubmit: () => void;
  /** Leaves the form (already confirmed when there were changes). */
  onLeave: () => void;
  /** Above the banner: e.g. the conflict question. */
  header?: ReactNode;
  actions?: Pick<FormActionsProps, 'submitLabel' | 'idle' | 'disabled' | 'danger'>;
  /** Render the action bar (default true). */
  withActions?: boolean;
  testId?: string;
  children: ReactNode;
}

/** The leave guard of a form with unsaved changes; returns `confirm` state for a DiscardModal. */
export function useLeaveGuard(dirty: boolean): { confirm: (() => void) | null; ask: (go: () => void) => void; stay: () => void; discard: () => void } {
  const [confirm, setConfirm] = useState<null | (() => void)>(null);
  useEffect(() => {
    if (!dirty) {
      setLeaveGuard(null);
      return;
    }
    setLeaveGuard((proceed) => {
      setConfirm(() => proceed);
      return true;
    });
    return () => setLeaveGuard(null);
  }, [dirty]);
  const ask = useCallback((go: () => void) => (dirty ? setConfirm(() => go) : go()), [dirty]);
  const stay = useCallback(() => setConfirm(null), []);
  const discard = useCallback(() => {
    const go = confirm;
    setConfirm(null);
    setLeaveGuard(null);
    go?.();
  }, [confirm]);
  return { confirm, ask, stay, discard };
}

export function FormPage(props: FormPageProps) {
  const { form, onLeave } = props;
  const formRef = useRef<HTMLFormElement>(null);
  const guard = useLeaveGuard(form.dirty);
  const cancel = () => guard.ask(onLeave);

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (modPressed(e) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      if (!props.actions?.disabled) props.onSubmit();
    } else if (e.key === 'Escape' && !e.defaultPrevented && (e.target as HTMLElement).getAttribute('aria-expanded') !== 'true') {
      e.preventDefault();
      cancel();
    }
  };

  return (
    <>
      <form
        ref={formRef}
        noValidate
        aria-label={props.label}
        data-testid={props.testId}
        onKeyDown={onKeyDown}
        onBlurCapture={form.onBlurCapture}
        onSubmit={(e) => {
          e.preventDefault();
          if (!props.actions?.disabled) props.onSubmit();
        }}
      >
        {props.header}
        <FormBanner submitted={form.submitted} errors={form.errors} top={form.top} />
        {props.children}
        {props.withActions !== false && <FormActions saving={form.saving} dirty={form.dirty} onCancel={cancel} {...props.actions} />}
      </form>
      <DiscardModal opened={guard.confirm !== null} onStay={guard.stay} onDiscard={guard.discard} />
    </>
  );
}

/** Leaving after a successful save: no question any more. */
export function releaseLeaveGuard(): void {
  setLeaveGuard(null);
}
