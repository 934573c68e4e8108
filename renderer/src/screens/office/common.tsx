/** Building blocks the three office screens share: paging bar, protected-count note, error box, row keys. */
import { Alert, Button, Group } from '@mantine/core';
import { useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { catalogs } from '../../../../shared/i18n';
import { Link } from '../../components/common';
import { IconLock } from '../../components/icons';
import { ProtectedTag } from '../../components/Tags';
import { formatNumber } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { msgText, pageRange, type Msg } from '../../lib/office';
import { useSession } from '../../lib/session';

/** Whether the catalogs have a message id (rule messages are looked up by the rule's id). */
export const hasKey = (k: string): boolean => Object.prototype.hasOwnProperty.call(catalogs.sv, k);

export function useMsg(): (m: Msg | undefined) => string | undefined {
  const { t } = useT();
  return useCallback((m: Msg | undefined) => (m ? msgText(m, t) : undefined), [t]);
}

/**
 * "51–100 of 1 234" with Previous / Next. Reaching the last (or first) page disables the button that got
 * there, and a disabled button drops the keyboard focus onto the page body: focus moves to the other
 * button instead, so Enter keeps paging back.
 */
export function Pager(props: { offset: number; count: number; total: number; pageSize: number; onOffset: (o: number) => void; testId: string }) {
  const { t, lang } = useT();
  const r = pageRange(props.offset, props.count, props.total);
  const prev = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  const pressed = useRef<'prev' | 'next' | null>(null);
  useEffect(() => {
    const from = pressed.current === 'next' ? next.current : pressed.current === 'prev' ? prev.current : null;
    const to = pressed.current === 'next' ? prev.current : next.current;
    if (!from || !from.disabled) return;
    pressed.current = null;
    const active = document.activeElement;
    if ((active === from || active === null || active === document.body) && to && !to.disabled) to.focus();
  }, [r.hasPrev, r.hasNext]);
  return (
    <Group gap="sm" wrap="nowrap">
      <span className="k-num" aria-live="polite" data-testid={`${props.testId}-range`}>
        {t('office.range', { first: formatNumber(r.first, lang), last: formatNumber(r.last, lang), total: formatNumber(props.total, lang) })}
      </span>
      <Button
        ref={prev}
        size="xs"
        variant="default"
        disabled={!r.hasPrev}
        onClick={() => {
          pressed.current = 'prev';
          props.onOffset(Math.max(0, props.offset - props.pageSize));
        }}
        data-testid={`${props.testId}-prev`}
      >
        {t('office.prev')}
      </Button>
      <Button
        ref={next}
        size="xs"
        variant="default"
        disabled={!r.hasNext}
        onClick={() => {
          pressed.current = 'next';
          props.onOffset(props.offset + props.pageSize);
        }}
        data-testid={`${props.testId}-next`}
      >
        {t('office.next')}
      </Button>
    </Group>
  );
}

/**
 * The count of protected persons a list leaves out (never who they are). Information, not an error:
 * nothing went wrong, the list is complete for this reader.
 */
export function HiddenProtected({ count, text, testId }: { count: number; text: string; testId: string }) {
  if (count <= 0) return null;
  return (
    <p
      role="note"
      data-testid={testId}
      style={{ display: 'flex', gap: 8, alignItems: 'center', margin: '8px 0', padding: '6px 12px', background: '#e7f0fb', color: '#174a7c', border: '1px solid #bcd3ee', borderRadius: 6, fontSize: 14 }}
    >
      <IconLock size={14} aria-hidden="true" />
      {text}
    </p>
  );
}

/** The error box at the top of a dialog or form. */
export function ErrorBox({ messages, testId = 'form-errors', title }: { messages: Msg[]; testId?: string; title?: string }) {
  const { t } = useT();
  if (messages.length === 0) return null;
  return (
    <Alert color="red" variant="light" role="alert" title={title ?? t('error.title')} data-testid={testId} styles={{ title: { color: '#7d1212' }, message: { color: '#3b0d0d' } }}>
      {messages.map((m, i) => (
        <p key={i} style={{ margin: i ? '4px 0 0' : 0 }}>
          {msgText(m, t)}
        </p>
      ))}
    </Alert>
  );
}

/** A person in a list: the name (a link to the card for those who may open it) and the protected marker. */
export function PersonName({ person, testId }: { person: { id: string; name: string; protected: boolean }; testId?: string }) {
  const session = useSession();
  return (
    <span className="k-nowrap" data-testid={testId}>
      {session.can('register.read') ? (
        <Link to={{ name: 'person', id: person.id }} className="k-link" testId={testId ? `${testId}-link` : undefined}>
          {person.name}
        </Link>
      ) : (
        person.name
      )}
      {person.protected && (
        <>
          {' '}
          <ProtectedTag />
        </>
      )}
    </span>
  );
}

const ROW_FOCUSABLE = 'a[href], button:not([disabled])';

/**
 * Arrow keys between the rows of a table: ↑/↓ move to the same control (link or button) in the row above
 * or below, Home/End to the first or last row; Enter then acts through the control itself.
 */
export function rowArrowKeys(e: KeyboardEvent<HTMLElement>): void {
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const target = e.target as HTMLElement;
  const row = target.closest('tr');
  const body = e.currentTarget;
  if (!row || !body.contains(row)) return;
  const rows = Array.from(body.querySelectorAll<HTMLTableRowElement>(':scope > tr')).filter((r) => r.querySelector(ROW_FOCUSABLE));
  const at = rows.indexOf(row);
  if (at < 0) return;
  const next = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'Home' ? 0 : rows.length - 1;
  const to = rows[Math.max(0, Math.min(rows.length - 1, next))];
  if (!to) return;
  e.preventDefault();
  if (to === row) return;
  const col = Array.from(row.querySelectorAll<HTMLElement>(ROW_FOCUSABLE)).indexOf(target);
  const controls = Array.from(to.querySelectorAll<HTMLElement>(ROW_FOCUSABLE));
  (controls[Math.max(0, Math.min(controls.length - 1, col))] ?? controls[0])?.focus();
}

/** Cancel and submit, right-aligned, for the dialogs. */
export function DialogButtons(props: { onCancel: () => void; submitLabel: string; busy: boolean; danger?: boolean; testId?: string; focus?: 'cancel' | 'submit' }) {
  const { onCancel, submitLabel, busy, danger, testId } = props;
  const { t } = useT();
  return (
    <Group justify="flex-end" gap="sm" mt="md">
      <Button variant="default" onClick={onCancel} aria-keyshortcuts="Escape" data-testid="dialog-cancel" data-autofocus={props.focus === 'cancel' ? true : undefined}>
        {t('common.cancel')}
      </Button>
      <Button
        type="submit"
        loading={busy}
        aria-keyshortcuts="Control+S"
        data-testid={testId ?? 'dialog-submit'}
        data-autofocus={props.focus === 'submit' ? true : undefined}
        {...(danger ? { variant: 'outline', color: 'red', c: '#a61b1b', style: { borderColor: '#a61b1b' } } : {})}
      >
        {submitLabel}
      </Button>
    </Group>
  );
}

export function Dash() {
  const { t } = useT();
  return (
    <span className="k-empty" aria-label={t('common.notStated')}>
      —
    </span>
  );
}
