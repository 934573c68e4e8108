/**
 * The frame of every dialog that saves something. Keyboard rules shared with the page forms: the first
 * field has focus, Ctrl+S (or Enter in a text field) saves, Esc cancels — asking first, inside the
 * dialog, when something was typed (a second modal would fight the first over Tab). An open picker
 * list takes Esc for itself. When the dialog closes, focus goes back to the control that opened it.
 */
import { Button, Group, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Dialog } from '../components/Dialog';
import { useT } from '../lib/i18n';
import { modPressed } from '../lib/platform';
import { FormActions, FormBanner } from './FormParts';
import { rememberFocus } from './focus';
import type { Form } from './useForm';

export interface FormDialogProps {
  form: Pick<Form<object>, 'dirty' | 'saving' | 'submitted' | 'errors' | 'top' | 'onBlurCapture'>;
  title: string;
  testId: string;
  onSubmit: () => void;
  /** Closes for good (the dialog has already asked about unsaved changes). */
  onClose: () => void;
  size?: string;
  /** Where focus goes when the dialog closes if the control it came from is gone for good. */
  returnFocusId?: string;
  submitLabel?: string;
  danger?: boolean;
  disabled?: boolean;
  submitTestId?: string;
  focusCancel?: boolean;
  /** The action takes focus first (a confirmation with nothing to fill in). */
  focusSubmit?: boolean;
  centered?: boolean;
  children: ReactNode;
}

export function FormDialog(props: FormDialogProps) {
  const { t } = useT();
  const [confirming, setConfirming] = useState(false);
  const stayRef = useRef<HTMLButtonElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // Where the clerk was when Esc asked the question: "keep editing" goes back there.
  const resumeRef = useRef<HTMLElement | null>(null);
  const { form, onClose, returnFocusId } = props;

  // Taken while rendering, before the dialog's focus trap moves focus inside.
  const [memory] = useState(rememberFocus);
  const fallbackRef = useRef(returnFocusId);
  fallbackRef.current = returnFocusId;
  useEffect(() => () => memory.restore(fallbackRef.current), [memory]);

  const stay = useCallback(() => {
    setConfirming(false);
    window.setTimeout(() => {
      const back = resumeRef.current;
      if (back && back.isConnected && formRef.current?.contains(back)) back.focus();
      else formRef.current?.querySelector<HTMLElement>('input:not([disabled]), select, textarea')?.focus();
    }, 0);
  }, []);
  const requestClose = useCallback(() => {
    if (confirming) stay();
    else if (form.dirty) {
      resumeRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setConfirming(true);
    } else onClose();
  }, [confirming, form.dirty, onClose, stay]);

  useEffect(() => {
    if (confirming) stayRef.current?.focus();
  }, [confirming]);

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (modPressed(e) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      if (!confirming && !props.disabled) props.onSubmit();
    }
  };

  return (
    <Dialog opened onClose={requestClose} title={props.title} size={props.size ?? '45rem'} testId={props.testId} centered={props.centered}>
      <form
        ref={formRef}
        noValidate
        aria-label={props.title}
        onKeyDown={onKeyDown}
        onBlurCapture={form.onBlurCapture}
        onSubmit={(e) => {
          e.preventDefault();
          if (!confirming && !props.disabled) props.onSubmit();
        }}
      >
        <FormBanner submitted={form.submitted} errors={form.errors} top={form.top} />
        {props.children}
        {confirming ? (
          <div className="k-form-actions" role="group" aria-labelledby="k-discard-text" data-testid="discard-modal">
            <Text id="k-discard-text" fw={600} mr="sm">
              {t('discard.text')}
            </Text>
            <Group gap="sm">
              <Button ref={stayRef} onClick={stay} data-testid="discard-stay">
                {t('discard.stay')}
              </Button>
              <Button variant="outline" color="red" c="#a61b1b" style={{ borderColor: '#a61b1b' }} onClick={onClose} data-testid="discard-confirm">
                {t('discard.discard')}
              </Button>
            </Group>
          </div>
        ) : (
          <FormActions
            saving={form.saving}
            dirty={form.dirty}
            onCancel={requestClose}
            submitLabel={props.submitLabel}
            danger={props.danger}
            disabled={props.disabled}
            submitTestId={props.submitTestId}
            focusCancel={props.focusCancel}
            focusSubmit={props.focusSubmit}
          />
        )}
      </form>
    </Dialog>
  );
}
