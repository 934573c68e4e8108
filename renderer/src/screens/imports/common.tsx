/**
 * Building blocks the folkbokföring screens share: a person as a dry run, the work list and the intake name
 * them, a masked value, a run's state, and the keyboard of a table whose rows are selected (Space, Ctrl+A).
 */
import { Checkbox, VisuallyHidden } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { Link } from '../../components/common';
import { IconLock } from '../../components/icons';
import { NeutralTag, ProtectedTag } from '../../components/Tags';
import { useT } from '../../lib/i18n';
import type { ImportRun } from '../../lib/imports';
import { modPressed } from '../../lib/platform';
import { useSession } from '../../lib/session';

/**
 * A person of a row: the name (a link to the card for those who may open it; a person the register does not
 * hold yet has no card), the Protected marker, and the identity number on a second line.
 */
export function PersonCell({ person, isNew, testId }: { person: { id: string | null; name: string; identity: string | null; protected: boolean }; isNew?: boolean; testId?: string }) {
  const { t } = useT();
  const session = useSession();
  return (
    <div data-testid={testId}>
      <span className="k-nowrap">
        {person.id && session.can('register.read') ? (
          <Link to={{ name: 'person', id: person.id }} testId={testId ? `${testId}-link` : undefined}>
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
      {(person.identity || isNew) && (
        <div className="k-sub">
          {person.identity && <span className="k-mono">{person.identity}</span>}
          {isNew && <span>{person.identity ? ' · ' : ''}{t('imports.newInRegister')}</span>}
        </div>
      )}
    </div>
  );
}

/** A value this reader may not see: said, never left blank (a blank cell reads as "nothing changes"). */
export function Masked() {
  const { t } = useT();
  return (
    <span className="k-masked" data-testid="masked-value">
      <IconLock size={12} />
      {t('imports.masked')}
      <VisuallyHidden>{` (${t('imports.maskedLabel')})`}</VisuallyHidden>
    </span>
  );
}

/** A run's state; a dry run that cannot be applied says so instead of "to review". */
export function RunStateTag({ run }: { run: Pick<ImportRun, 'state' | 'blocked'> }) {
  const { t } = useT();
  if (run.state === 'ready' && run.blocked) return <span className="k-tag k-tag-warn">{t('imports.state.blocked')}</span>;
  if (run.state === 'failed') return <span className="k-tag k-tag-warn">{t('imports.state.failed')}</span>;
  if (run.state === 'applied') return <span className="k-tag k-tag-ok">{t('imports.state.applied')}</span>;
  return <NeutralTag>{t(`imports.state.${run.state}`)}</NeutralTag>;
}

const ROW_CONTROLS = 'input[type="checkbox"]:not([disabled]), a[href], button:not([disabled])';

/**
 * The keys of a table whose rows can be selected: ↑/↓ (Home/End) move to the same control in the next row,
 * Space on a row toggles it (on its checkbox Space is the checkbox's own), Ctrl+A selects the page (or clears
 * it when all of it is selected). Rows carry `data-row-id`; rows without a checkbox are passed over.
 */
export function selectionKeys(opts: { onToggle: (id: string) => void; onTogglePage: () => void }) {
  return (e: KeyboardEvent<HTMLElement>): void => {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLTableRowElement>('tr[data-row-id]');
    const body = e.currentTarget;
    if (!row || !body.contains(row)) return;
    if (modPressed(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      opts.onTogglePage();
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (e.key === ' ' && !target.matches('input, button, a')) {
      e.preventDefault();
      if (row.querySelector('input[type="checkbox"]:not([disabled])')) opts.onToggle(row.dataset.rowId!);
      return;
    }
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    const rows = Array.from(body.querySelectorAll<HTMLTableRowElement>(':scope > tr[data-row-id]')).filter((r) => r.querySelector(ROW_CONTROLS));
    const at = rows.indexOf(row);
    if (at < 0) return;
    const next = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'Home' ? 0 : rows.length - 1;
    const to = rows[Math.max(0, Math.min(rows.length - 1, next))];
    e.preventDefault();
    if (!to || to === row) return;
    const col = Array.from(row.querySelectorAll<HTMLElement>(ROW_CONTROLS)).indexOf(target);
    const controls = Array.from(to.querySelectorAll<HTMLElement>(ROW_CONTROLS));
    (controls[Math.max(0, Math.min(controls.length - 1, col))] ?? controls[0])?.focus();
  };
}

/** The header's box: selects the whole page; shows "some" as indeterminate. */
export function SelectPageBox({ state, onToggle, label, testId }: { state: 'none' | 'some' | 'all'; onToggle: () => void; label: string; testId: string }) {
  return <Checkbox aria-label={label} checked={state === 'all'} indeterminate={state === 'some'} onChange={onToggle} data-testid={testId} />;
}
