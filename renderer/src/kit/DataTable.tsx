/**
 * The one table every list in Kansli is built from.
 *
 * - Keyboard: the rows form one tab stop; ↑/↓, Home/End and PageUp/PageDown move between rows, Enter
 *   opens the row (`onOpen`); links and buttons inside a row stay reachable with Tab.
 * - Sorting: a sortable column's header is a button (ascending, descending, the core's order again);
 *   names sort in the municipality's alphabetical order. A paged list sorts in the core instead
 *   (`sort` + `onSortChange`): then only the columns the core can sort by are sortable.
 * - Numbers align right and dates never break across lines.
 * - Column choice for optional columns, kept per table on this workstation.
 * - CSV of what is shown (the visible columns, the rows in the order shown) and printing with a header
 *   (municipality, title, printed by and at) and page numbers. A table that shows persons passes
 *   `onExport`, which logs the export in the core's audit log first (and may refuse).
 */
import { ActionIcon, Button, Checkbox, Group, Menu, Text, Tooltip } from '@mantine/core';
import { useCallback, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { csvBlob, downloadName, saveBlob } from '../lib/download';
import { formatDateTime } from '../lib/format';
import { useT } from '../lib/i18n';
import { useSession } from '../lib/session';
import './kit.css';
import { loadColumnChoice, nextSort, saveColumnChoice, sortRows, tableCsv, visibleColumns, type Column, type SortState } from './table';

export type { Column, SortState };

export interface DataTableProps<T> {
  /** Names the table: its column choice is kept under it, and it names CSV files. */
  id: string;
  /** The table's accessible name, and the printed title. */
  caption: string;
  /** Show the caption above the table (otherwise it is for screen readers and print only). */
  showCaption?: boolean;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  onOpen?: (row: T) => void;
  /** Sorting done by the core (paged lists): the current sort and how to change it. */
  sort?: SortState | null;
  onSortChange?: (s: SortState | null) => void;
  /** The initial client-side sort. */
  defaultSort?: SortState | null;
  /** Called before CSV or print with the rows going out; false stops it (e.g. the audit log refused). */
  onExport?: (rows: readonly T[], format: 'csv' | 'print') => Promise<boolean>;
  /** Offer CSV and print (default true). */
  exportable?: boolean;
  /** More controls for the toolbar (left of the table's own). */
  toolbar?: ReactNode;
  empty?: ReactNode;
  testId?: string;
  rowTestId?: string;
  /** Extra attributes per row (e.g. a data-state for tests or styling). */
  rowProps?: (row: T) => Record<string, string | undefined>;
  dense?: boolean;
  /** A caption line under the table (e.g. "5 more not shown"). */
  footer?: ReactNode;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { t, lang } = useT();
  const session = useSession();
  const [chosen, setChosen] = useState<string[] | null>(() => loadColumnChoice(props.id));
  const [localSort, setLocalSort] = useState<SortState | null>(props.defaultSort ?? null);
  const [active, setActive] = useState(0);
  const [printing, setPrinting] = useState(false);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const serverSorted = props.onSortChange !== undefined;
  const sort = serverSorted ? (props.sort ?? null) : localSort;

  const cols = useMemo(() => visibleColumns(props.columns, chosen), [props.columns, chosen]);
  const rows = useMemo(() => (serverSorted ? [...props.rows] : sortRows(props.rows, props.columns, sort, session.country)), [serverSorted, props.rows, props.columns, sort, session.country]);
  const current = Math.min(active, Math.max(rows.length - 1, 0));

  const changeSort = (column: string) => {
    const next = nextSort(sort, column);
    if (serverSorted) props.onSortChange?.(next);
    else setLocalSort(next);
  };

  const focusRow = useCallback((i: number) => {
    setActive(i);
    window.requestAnimationFrame(() => bodyRef.current?.querySelectorAll<HTMLElement>(':scope > tr')[i]?.focus());
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const tr = (e.target as HTMLElement).closest('tr');
    // Keys inside a row's own control (a link, a menu) belong to that control, except ↑/↓ from a link.
    const onRow = e.target === tr;
    const last = rows.length - 1;
    const move = (to: number) => {
      e.preventDefault();
      focusRow(Math.max(0, Math.min(last, to)));
    };
    if (!onRow && !['ArrowUp', 'ArrowDown'].includes(e.key)) return;
    if (!onRow && (e.target as HTMLElement).closest('[aria-expanded="true"], input, select, textarea')) return;
    switch (e.key) {
      case 'ArrowDown':
        return move(current + 1);
      case 'ArrowUp':
        return move(current - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(last);
      case 'PageDown':
        return move(current + 10);
      case 'PageUp':
        return move(current - 10);
      case 'Enter':
        if (props.onOpen && rows[current]) {
          e.preventDefault();
          props.onOpen(rows[current]);
        }
    }
  };

  const toggleColumn = (id: string) => {
    const now = visibleColumns(props.columns, chosen).map((c) => c.id);
    const next = now.includes(id) ? now.filter((x) => x !== id) : props.columns.filter((c) => c.id === id || now.includes(c.id)).map((c) => c.id);
    setChosen(next);
    saveColumnChoice(props.id, next);
  };

  const exportCsv = async () => {
    if (props.onExport && !(await props.onExport(rows, 'csv'))) return;
    saveBlob(csvBlob(tableCsv(rows, cols)), downloadName(`${props.caption} ${session.today}`, props.id));
  };
  const print = async () => {
    if (props.onExport && !(await props.onExport(rows, 'print'))) return;
    const wrap = wrapRef.current;
    if (!wrap) return;
    setPrinting(true);
    document.body.classList.add('k-printing-region');
    wrap.classList.add('k-print-target');
    const done = () => {
      document.body.classList.remove('k-printing-region');
      wrap.classList.remove('k-print-target');
      setPrinting(false);
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    // Let the print header render before the print dialog takes its picture.
    window.setTimeout(() => window.print(), 50);
  };

  const optional = props.columns.filter((c) => c.optional);
  const exportable = props.exportable !== false;
  // Stamped when printing starts (the header shows then).
  const printedAt = useMemo(() => (printing ? formatDateTime(new Date().toISOString(), lang) : ''), [printing, lang]);

  return (
    <div className="k-datatable" ref={wrapRef} data-testid={props.testId}>
      {(exportable || optional.length > 0 || props.toolbar || props.showCaption) && (
        <Group justify="space-between" gap="xs" mb={6} className="k-no-print" wrap="nowrap">
          <Group gap="xs">
            {props.showCaption && (
              <Text fw={600} size="sm">
                {props.caption}
              </Text>
            )}
            {props.toolbar}
          </Group>
          <Group gap={4} wrap="nowrap">
            {optional.length > 0 && (
              <Menu closeOnItemClick={false} position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="subtle" size="compact-sm" data-testid={`${props.id}-columns`}>
                    {t('table.columns')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown aria-label={t('table.columnsTitle')}>
                  <Menu.Label>{t('table.columnsTitle')}</Menu.Label>
                  {optional.map((c) => {
                    const on = cols.includes(c);
                    return (
                      <Menu.Item key={c.id} role="menuitemcheckbox" aria-checked={on} onClick={() => toggleColumn(c.id)} leftSection={<Checkbox checked={on} readOnly tabIndex={-1} size="xs" aria-hidden />} data-testid={`column-${c.id}`}>
                        {c.header}
                      </Menu.Item>
                    );
                  })}
                </Menu.Dropdown>
              </Menu>
            )}
            {exportable && (
              <>
                <Tooltip label={t('table.exportHint')} openDelay={400}>
                  <Button variant="subtle" size="compact-sm" onClick={() => void exportCsv()} data-testid={`${props.id}-export`}>
                    {t('table.export')}
                  </Button>
                </Tooltip>
                <Button variant="subtle" size="compact-sm" onClick={() => void print()} data-testid={`${props.id}-print`}>
                  {t('table.print')}
                </Button>
              </>
            )}
          </Group>
        </Group>
      )}
      <div className="k-print-header" aria-hidden={!printing}>
        <div className="k-print-title">{props.caption}</div>
        <div className="k-print-meta">
          {session.municipality?.name ?? ''} · {t('table.printedBy', { at: printedAt, by: session.user.name })} · {t('table.rowCount', { count: rows.length })}
        </div>
      </div>
      <table className={props.dense ? 'k-table k-table-dense' : 'k-table'} aria-label={props.caption}>
        <thead>
          <tr>
            {cols.map((c) => {
              const sortable = (c.sortable ?? c.text !== undefined) && (!serverSorted || c.sortable === true);
              const dir = sort?.column === c.id ? sort.dir : null;
              return (
                <th
                  key={c.id}
                  scope="col"
                  className={c.kind === 'number' ? 'k-num-col' : undefined}
                  style={c.width ? { width: c.width } : undefined}
                  aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : sortable ? 'none' : undefined}
                >
                  {sortable ? (
                    <button type="button" className="k-sort" onClick={() => changeSort(c.id)} data-testid={`sort-${c.id}`}>
                      {c.header}
                      <span className="k-sort-mark" aria-hidden>
                        {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody ref={bodyRef} onKeyDown={onKeyDown}>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={cols.length} className="k-empty">
                {props.empty ?? t('table.empty')}
              </td>
            </tr>
          ) : (
            rows.map((r, i) => {
              const key = props.rowKey(r);
              return (
                <tr
                  key={key}
                  data-row-id={key}
                  tabIndex={i === current ? 0 : -1}
                  onFocus={(e) => {
                    if (e.target === e.currentTarget || i !== current) setActive(i);
                  }}
                  onDoubleClick={props.onOpen ? () => props.onOpen!(r) : undefined}
                  data-testid={props.rowTestId}
                  className="k-row"
                  {...props.rowProps?.(r)}
                >
                  {cols.map((c) => (
                    <td key={c.id} className={c.kind === 'number' ? 'k-num-col' : c.kind === 'date' || c.kind === 'code' ? 'k-nowrap' : undefined}>
                      {c.cell(r)}
                    </td>
                  ))}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
      {props.footer}
    </div>
  );
}

/** An icon button for a row's actions column, with its name as a tooltip. */
export function RowAction(props: { label: string; onClick: () => void; children: ReactNode; testId?: string }) {
  return (
    <Tooltip label={props.label} openDelay={300}>
      <ActionIcon variant="subtle" aria-label={props.label} onClick={props.onClick} data-testid={props.testId}>
        {props.children}
      </ActionIcon>
    </Tooltip>
  );
}
