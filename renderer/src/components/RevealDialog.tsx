/**
 * "Show protected details…": asks for the reason (logged with the reader's name), calls person.reveal
 * and hands the details to the card, which keeps them in component state only — never in a cache,
 * a store or localStorage. A kit FormDialog: Enter or Ctrl+S asks, Esc cancels, focus returns to the opener.
 */
import { Stack, Text, Textarea } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { REVEAL_REASON_MAX, REVEAL_REASON_MIN } from '../../../shared/domain/access';
import type { MethodOutput } from '../../../shared/api/contract';
import { FormDialog, mapApiError, useForm, type FieldError, type FieldErrors } from '../kit';
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

const tooShort: FieldError = { key: 'reveal.reasonTooShort', vars: { min: REVEAL_REASON_MIN } };
const tooLong: FieldError = { key: 'validation.too_long' };

function RevealForm({ personId, name, onClose, onRevealed }: { personId: string; name: string; onClose: () => void; onRevealed: (r: Revealed) => void }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm(
    { reason: '' },
    {
      validate: (v): FieldErrors => (reasonOk(v.reason) ? {} : { reason: v.reason.trim().length > REVEAL_REASON_MAX ? tooLong : tooShort }),
      mapError: (e) => mapApiError(e, (p) => p === 'reason', { issue: (i) => (i.code === 'too_long' ? tooLong : tooShort) }),
    },
  );

  const submit = async () => {
    const r = await f.submit(() => api.tryCall('person.reveal', { id: personId, reason: f.v.reason.trim() }));
    if (r) onRevealed(r);
  };

  // Enter submits (Shift+Enter starts a new line); Ctrl+S is the dialog's.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !modPressed(e) && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  const count = f.v.reason.trim().length;
  return (
    <FormDialog form={f} title={t('reveal.title')} testId="reveal-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('reveal.submit')} submitTestId="reveal-submit" returnFocusId="sec-addresses-title">
      <Stack gap="sm" mb="md">
        <Text size="sm" style={{ marginTop: 0 }}>
          {t('reveal.text', { name })}
        </Text>
        <Textarea
          label={t('reveal.reason')}
          description={t('reveal.reasonHint', { min: REVEAL_REASON_MIN })}
          value={f.v.reason}
          onChange={(e) => f.set('reason', e.currentTarget.value)}
          {...f.field('reason')}
          onKeyDown={onKeyDown}
          required
          autosize
          minRows={2}
          maxRows={6}
          maxLength={REVEAL_REASON_MAX + 20}
          data-autofocus
          data-testid="reveal-reason"
          inputWrapperOrder={['label', 'input', 'description', 'error']}
        />
        <Text size="xs" c="dimmed" aria-live="polite" className="k-num">
          {t('reveal.count', { count, min: REVEAL_REASON_MIN })}
        </Text>
      </Stack>
    </FormDialog>
  );
}
