/**
 * The parts every form shares: the banner (only after a save attempt), the action bar (one button order
 * everywhere: the form's own action first, then Cancel, then the keyboard hint; the unsaved marker at
 * the far end), and the question before unsaved changes are thrown away.
 */
import { Alert, Button, Group, Text } from '@mantine/core';
import type { ReactNode, RefObject } from 'react';
import { Dialog } from '../components/Dialog';
import { useT } from '../lib/i18n';
import { MOD } from '../lib/platform';
import type { FieldError, FieldErrors } from './errors';
import { useFieldMessage } from './messages';

/** `title` null: no title line (a sign-in screen's "wrong password" is not a form that failed to save). */
export function FormBanner(props: { submitted: boolean; errors: FieldErrors; top: FieldError[]; testId?: string; title?: string | null }) {
  const { t } = useT();
  const msg = useFieldMessage();
  const count = Object.keys(props.errors).length;
  // Before the first save the fields speak for themselves; the banner would only make the page jump.
  if (!props.submitted || (count === 0 && props.top.length === 0)) return null;
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      mb="md"
      tabIndex={-1}
      title={props.title === null ? undefined : (props.title ?? t('form.errors.title'))}
      data-testid={props.testId ?? 'form-errors'}
      styles={{ title: { color: '#7d1212' }, message: { color: '#3b0d0d' } }}
    >
      {count > 0 && <p style={{ margin: 0 }}>{t('form.errors.count', { count })}</p>}
      {props.top.map((fe, i) => (
        <p key={i} style={{ margin: '4px 0 0' }} data-testid="form-error">
          {msg(fe)}
        </p>
      ))}
    </Alert>
  );
}

export interface FormActionsProps {
  saving: boolean;
  dirty: boolean;
  onCancel: () => void;
  /** The form's own action ("Save" unless said otherwise, e.g. "Offer the place"). */
  submitLabel?: string;
  /** A destructive action (the button turns red). */
  danger?: boolean;
  /** Disables the action (e.g. nothing chosen yet). */
  disabled?: boolean;
  /** Shown at the far end when nothing changed (e.g. "version of 3 Dec"). */
  idle?: ReactNode;
  /** Cancel says "Close" when the form only shows (nothing to save). */
  cancelLabel?: string;
  submitRef?: RefObject<HTMLButtonElement | null>;
  /** The action's test id (default "save"). */
  submitTestId?: string;
  /** Cancel takes focus first (a destructive confirmation). */
  focusCancel?: boolean;
  /** The action takes focus first (a confirmation with nothing to fill in, where Enter is the answer). */
  focusSubmit?: boolean;
}

export function FormActions(props: FormActionsProps) {
  const { t } = useT();
  return (
    <div className="k-form-actions">
      <Button
        ref={props.submitRef}
        type="submit"
        loading={props.saving}
        disabled={props.disabled}
        color={props.danger ? 'red.9' : undefined}
        aria-keyshortcuts="Control+S"
        data-testid={props.submitTestId ?? 'save'}
        data-autofocus={props.focusSubmit || undefined}
      >
        {props.submitLabel ?? t('common.save')}
      </Button>
      <Button variant="default" onClick={props.onCancel} aria-keyshortcuts="Escape" data-testid="cancel" data-autofocus={props.focusCancel || undefined}>
        {props.cancelLabel ?? t('common.cancel')}
      </Button>
      <Text size="sm" c="dimmed" ml="sm" data-testid="keys-hint">
        {t('form.keysHint', { mod: MOD })}
      </Text>
      {props.dirty ? (
        <Text size="sm" ml="auto" fw={600} c="#6d4d00" data-testid="unsaved">
          {t('common.unsaved')}
        </Text>
      ) : (
        props.idle
      )}
    </div>
  );
}

/** "Discard your changes?" as its own dialog (page forms; a dialog asks inline, see FormDialog). */
export function DiscardModal({ opened, onStay, onDiscard }: { opened: boolean; onStay: () => void; onDiscard: () => void }) {
  const { t } = useT();
  return (
    <Dialog opened={opened} onClose={onStay} title={t('discard.title')} centered testId="discard-modal">
      <p style={{ marginTop: 0 }}>{t('discard.text')}</p>
      <Group gap="sm">
        <Button onClick={onStay} data-autofocus data-testid="discard-stay">
          {t('discard.stay')}
        </Button>
        <Button variant="outline" color="red" c="#a61b1b" style={{ borderColor: '#a61b1b' }} onClick={onDiscard} data-testid="discard-confirm">
          {t('discard.discard')}
        </Button>
      </Group>
    </Dialog>
  );
}
