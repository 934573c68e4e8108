/**
 * "Show protected details…": asks for the reason (logged with the reader's name), calls person.reveal
 * and hands the details to the card, which keeps them in component state only — never in a cache,
 * a store or localStorage.
 */
import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useRef, useState, type KeyboardEvent } from 'react';
import { REVEAL_REASON_MAX, REVEAL_REASON_MIN } from '../../../shared/domain/access';
import type { MethodOutput } from '../../../shared/api/contract';
import { useApi } from '../lib/api';
import { useT, type TKey } from '../lib/i18n';
import { modPressed } from '../lib/platform';
import { errorKey } from './common';
import { Dialog } from './Dialog';

export type Revealed = MethodOutput<'person.reveal'>;

/** The reason as the core will judge it (trimmed), and whether it is long enough. */
export function reasonOk(reason: string): boolean {
  const n = reason.trim().length;
  return n >= REVEAL_REASON_MIN && n <= REVEAL_REASON_MAX;
}

export function RevealDialog({ opened, personId, name, onClose, onRevealed }: { opened: boolean; personId: string; name: string; onClose: () => void; onRevealed: (r: Revealed) => void }) {
  const { t } = useT();
  const api = useApi();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<TKey | null>(null);
  const [banner, setBanner] = useState<TKey | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  const submit = async () => {
    if (busy) return;
    setBanner(null);
    if (!reasonOk(reason)) {
      setError(reason.trim().length > REVEAL_REASON_MAX ? 'validation.too_long' : 'reveal.reasonTooShort');
      ref.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    const r = await api.tryCall('person.reveal', { id: personId, reason: reason.trim() });
    setBusy(false);
    if (r.ok) {
      setReason('');
      onRevealed(r.data);
      return;
    }
    if (r.error.code === 'validation') {
      setError(r.error.issues?.some((i) => i.code === 'too_long') ? 'validation.too_long' : 'reveal.reasonTooShort');
      ref.current?.focus();
      return;
    }
    setBanner(errorKey(r.error));
  };

  // Enter submits (Shift+Enter starts a new line); Ctrl+S too, as in every form.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.nativeEvent.isComposing) || (modPressed(e) && e.key.toLowerCase() === 's')) {
      e.preventDefault();
      void submit();
    }
  };

  const count = reason.trim().length;
  return (
    <Dialog opened={opened} onClose={onClose} title={t('reveal.title')} size="lg" testId="reveal-dialog">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm" style={{ marginTop: 0 }}>
            {t('reveal.text', { name })}
          </Text>
          {banner && (
            <Alert color="red" variant="light" role="alert" py={8} styles={{ message: { color: '#3b0d0d' } }}>
              {t(banner)}
            </Alert>
          )}
          <Textarea
            ref={ref}
            label={t('reveal.reason')}
            description={t('reveal.reasonHint', { min: REVEAL_REASON_MIN })}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              if (error && reasonOk(e.currentTarget.value)) setError(null);
            }}
            onKeyDown={onKeyDown}
            error={error ? t(error, { min: REVEAL_REASON_MIN }) : undefined}
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
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="reveal-submit">
              {t('reveal.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
