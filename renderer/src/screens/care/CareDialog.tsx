/**
 * The frame every care dialog shares, with the keyboard rules of the person form: the first field has
 * focus, Ctrl+S (or Enter in a text field) saves, Esc cancels — asking first when something was typed.
 * The question is asked inside the dialog (not a second modal: two focus traps fight over Tab). An open
 * picker list takes Esc for itself (Mantine marks its input), so Esc there closes only the list.
 * Errors: a summary at the top (with messages that belong to no field), and each field's own message
 * next to it; after a failed save the first field in error gets focus.
 */
import { Alert, Button, Group, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Dialog } from '../../components/Dialog';
import { FormActions } from '../../components/FormActions';
import type { FieldError, FieldErrors } from '../../lib/personForm';
import { modPressed } from '../../lib/platform';
import { useT } from '../../lib/i18n';
import { useFieldMessage } from './useCareForm';

export interface CareDialogProps {
  title: string;
  testId: string;
  dirty: boolean;
  saving: boolean;
  errors: FieldErrors;
  top: FieldError[];
  onSubmit: () => void;
  /** Closes for good (the dialog has already asked about unsaved changes). */
  onClose: () => void;
  size?: string;
  /** Where focus goes when the dialog closes if the element it came from is gone (e.g. a reloaded row). */
  returnFocusId?: string;
  children: ReactNode;
}

export function CareDialog(props: CareDialogProps) {
  const { t } = useT();
  const msg = useFieldMessage();
  const [confirming, setConfirming] = useState(false);
  const stayRef = useRef<HTMLButtonElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // Where the clerk was when Esc asked the question: "keep editing" goes back there.
  const resumeRef = useRef<HTMLElement | null>(null);
  const { dirty, onClose, returnFocusId } = props;

  // Back to where the clerk was: the button that opened the dialog, or the section it belongs to.
  useEffect(() => {
    const from = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      window.setTimeout(() => {
        if (from && from.isConnected && from !== document.body) from.focus({ preventScroll: true });
        else if (returnFocusId) document.getElementById(returnFocusId)?.focus({ preventScroll: true });
      }, 0);
    };
  }, [returnFocusId]);

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
    else if (dirty) {
      resumeRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setConfirming(true);
    } else onClose();
  }, [confirming, dirty, onClose, stay]);

  useEffect(() => {
    if (confirming) stayRef.current?.focus();
  }, [confirming]);

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (modPressed(e) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      if (!confirming) props.onSubmit();
    }
  };

  const errorCount = Object.keys(props.errors).length;
  return (
    <Dialog opened onClose={requestClose} title={props.title} size={props.size ?? '45rem'} testId={props.testId}>
      <form
        ref={formRef}
        noValidate
        aria-label={props.title}
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          if (!confirming) props.onSubmit();
        }}
      >
        {(errorCount > 0 || props.top.length > 0) && (
          <Alert color="red" variant="light" role="alert" mb="md" title={t('personForm.errors.title')} data-testid="care-form-errors" styles={{ title: { color: '#7d1212' }, message: { color: '#3b0d0d' } }}>
            {errorCount > 0 && <p style={{ margin: 0 }}>{t('personForm.errors.count', { count: errorCount })}</p>}
            {props.top.map((fe, i) => (
              <p key={i} style={{ margin: '4px 0 0' }} data-testid="care-form-error">
                {msg(fe)}
              </p>
            ))}
          </Alert>
        )}
        {props.children}
        {confirming ? (
          <div className="k-form-actions" role="group" aria-labelledby="care-discard-text" data-testid="discard-modal">
            <Text id="care-discard-text" fw={600} mr="sm">
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
          <FormActions saving={props.saving} dirty={dirty} onCancel={requestClose} />
        )}
      </form>
    </Dialog>
  );
}
