/**
 * "Show protected details…": asks for the reason (logged with the reader's name), calls person.reveal
 * and hands the details to the card, which keeps them in component state only — never in a cache,
 * a store or localStorage. A kit FormDialog: Enter or Ctrl+S asks, Esc cancels, focus returns to the opener.
 */
import { Stack, Text, Textarea } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { REVEAL_REASON_MAX, REVEAL_REASON_MIN } from '../../../shared/domain/access';
import type { MethodOutput } from '../../../shared/api/contract';
import { FormDialog, mapApiError, useForm, type FieldError, type FieldErrors, type Form } from '../kit';
import { useApi } from '../lib/api';
import { useT } from '../lib/i18n';
import { modPressed } from '../lib/platform';

export type Revealed = MethodOutput<'person.reveal'>;

/** The reason as the core will judge it (trimmed), and whether it is long enough. */
export function reasonOk(reason: string): boolean {
  const n = reason.trim().length;
  return n >= REVEAL_REASON_MIN && n <= REVEAL_REASON_MAX;
}

export function RevealDialog(props: { opened: boolean; personId: string; name: string; onClose: () => void; onRevealed: (r: Revealed) => void }) {
  return props.opened ? <RevealForm {...props} /> : null;
}

export const reasonTooShort: FieldError = { key: 'reveal.reasonTooShort', vars: { min: REVEAL_REASON_MIN } };
export const reasonTooLong: FieldError = { key: 'validation.too_long' };
const tooShort = reasonTooShort;
const tooLong = reasonTooLong;

/** The reason check a form with a `reason` field runs before asking the core. */
export const checkReason = (reason: string): FieldErrors => (reasonOk(reason) ? {} : { reason: reason.trim().length > REVEAL_REASON_MAX ? tooLong : tooShort });

/**
 * The stated reason for opening protected details (a reveal, a protected person's document): the textarea
 * with its hint and a live count; Enter submits (Shift+Enter starts a new line), Ctrl+S is the dialog's.
 */
export function RevealReasonField({ form, onSubmit, testId }: { form: Form<{ reason: string }>; onSubmit: () => void; testId: string }) {
  const { t } = useT();
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !modPressed(e) && !e.nativeEvent.isComposing) {
      e.preventDefault();
      onSubmit();
    }
  };
  const count = form.v.reason.trim().length;
  return (
    <>
      <Textarea
        label={t('reveal.reason')}
        description={t('reveal.reasonHint', { min: REVEAL_REASON_MIN })}
        value={form.v.reason}
        onChange={(e) => form.set('reason', e.currentTarget.value)}
        {...form.field('reason')}
        onKeyDown={onKeyDown}
        required
        autosize
        minRows={2}
        maxRows={6}
        maxLength={REVEAL_REASON_MAX + 20}
        data-autofocus
        data-testid={testId}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
      />
      <Text size="xs" c="dimmed" aria-live="polite" className="k-num">
        {t('reveal.count', { count, min: REVEAL_REASON_MIN })}
      </Text>
    </>
  );
}

function RevealForm({ personId, name, onClose, onRevealed }: { personId: string; name: string; onClose: () => void; onRevealed: (r: Revealed) => void }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm(
    { reason: '' },
    {
      validate: (v) => checkReason(v.reason),
      mapError: (e) => mapApiError(e, (p) => p === 'reason', { issue: (i) => (i.code === 'too_long' ? tooLong : tooShort) }),
    },
  );

  const submit = async () => {
    const r = await f.submit(() => api.tryCall('person.reveal', { id: personId, reason: f.v.reason.trim() }));
    if (r) onRevealed(r);
  };

  return (
    <FormDialog form={f} title={t('reveal.title')} testId="reveal-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('reveal.submit')} submitTestId="reveal-submit" returnFocusId="sec-addresses-title">
      <Stack gap="sm" mb="md">
        <Text size="sm" style={{ marginTop: 0 }}>
          {t('reveal.text', { name })}
        </Text>
        <RevealReasonField form={f} onSubmit={() => void submit()} testId="reveal-reason" />
      </Stack>
    </FormDialog>
  );
}
