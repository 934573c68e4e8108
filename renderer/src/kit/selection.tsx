/**
 * Rows a clerk selects in a DataTable (the work list, the intake): a checkbox column, Space on a row to
 * select it, Ctrl+A (⌘A) for the whole page (or to clear it when all of it is selected), and a "select the
 * page" box for the table's toolbar. The table's own keys (↑/↓, Home/End, Enter) are unchanged; the
 * checkboxes are not tab stops of their own (the row is), so Tab leaves the table as in every other list.
 *
 * ```tsx
 * const sel: RowSelection<Item> = { selected, idOf: (r) => r.id, onToggle, onTogglePage, label: (r) => r.name };
 * <SelectionKeys selection={sel} rows={items}>
 *   <DataTable columns={[selectColumn(sel, t('…')), ...columns]} rowProps={selectedRowProps(sel)} toolbar={<SelectPageBox … />} … />
 * </SelectionKeys>
 * ```
 */
import { Checkbox } from '@mantine/core';
import type { KeyboardEvent, ReactNode } from 'react';
import { modPressed } from '../lib/platform';
import './selection.css';
import type { Column } from './table';

export interface RowSelection<T> {
  selected: ReadonlySet<string>;
  /** The row's selection id; null when the row cannot be selected (already handled, no card). */
  idOf: (row: T) => string | null;
  onToggle: (id: string) => void;
  onTogglePage: () => void;
  /** The checkbox's accessible name ("Select Lind, Elsa"). */
  label: (row: T) => string;
  /** The checkboxes' test id. */
  testId?: string;
}

/** Whether none, some or all of the selectable rows are selected. */
export function selectionState<T>(sel: Pick<RowSelection<T>, 'selected' | 'idOf'>, rows: readonly T[]): 'none' | 'some' | 'all' {
  const ids = rows.map(sel.idOf).filter((id): id is string => id !== null);
  const n = ids.filter((id) => sel.selected.has(id)).length;
  return n === 0 ? 'none' : n === ids.length ? 'all' : 'some';
}

/** The checkbox column (first in the table): not sorted, not exported, never hidden. */
export function selectColumn<T>(sel: RowSelection<T>, header: string): Column<T> {
  return {
    id: 'select',
    header,
    width: 44,
    sortable: false,
    noExport: true,
    cell: (r) => {
      const id = sel.idOf(r);
      return (
        <Checkbox
          aria-label={sel.label(r)}
          checked={id !== null && sel.selected.has(id)}
          disabled={id === null}
          onChange={() => id !== null && sel.onToggle(id)}
          tabIndex={-1}
          data-testid={sel.testId}
        />
      );
    },
  };
}

/** A row's attributes: `data-selected` (styled, and read by tests). */
export function selectedRowProps<T>(sel: Pick<RowSelection<T>, 'selected' | 'idOf'>): (row: T) => Record<string, string | undefined> {
  return (r) => {
    const id = sel.idOf(r);
    return { 'data-selected': id !== null && sel.selected.has(id) ? 'true' : undefined };
  };
}

/** Space and Ctrl+A inside the table's rows; wraps the DataTable. */
export function SelectionKeys<T>({ selection, rows, rowKey, children }: { selection: RowSelection<T>; rows: readonly T[]; rowKey: (row: T) => string; children: ReactNode }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const tr = target.closest<HTMLTableRowElement>('tbody > tr[data-row-id]');
    if (!tr || !e.currentTarget.contains(tr)) return;
    if (modPressed(e) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      selection.onTogglePage();
      return;
    }
    if (e.key !== ' ' || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    // On a checkbox, a link or a button Space is that control's own.
    if (target !== tr) return;
    e.preventDefault();
    const row = rows.find((r) => rowKey(r) === tr.dataset.rowId);
    const id = row ? selection.idOf(row) : null;
    if (id !== null) selection.onToggle(id);
  };
  return (
    <div className="k-selection" onKeyDown={onKeyDown}>
      {children}
    </div>
  );
}

/** The toolbar's box: selects the page's selectable rows; "some" shows as indeterminate. */
export function SelectPageBox({ state, onToggle, label, testId, hint }: { state: 'none' | 'some' | 'all'; onToggle: () => void; label: string; testId?: string; hint?: string }) {
  return <Checkbox label={label} aria-keyshortcuts="Control+A" description={hint} checked={state === 'all'} indeterminate={state === 'some'} onChange={onToggle} size="sm" data-testid={testId} />;
}
