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
 * - A long list paged by the core (`virtual`): only the rows in view exist in the DOM (@tanstack/react-virtual);
 *   rows arrive as the view reaches them (`onRange`), the header stays in view, the keys move through the
 *   whole count, and CSV and print take the rows from `exportRows` (the list as filtered and sorted).
 */
import { ActionIcon, Button, Checkbox, Group, Menu, Text, Tooltip } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { csvBlob, downloadName, saveBlob } from '../lib/download';
import { formatDateTime } from '../lib/format';
import { useT } from '../lib/i18n';
import { useSession } from '../lib/session';
import './kit.css';
import { loadColumnChoice, nextSort, saveColumnChoice, sortRows, tableCsv, visibleColumns, type Column, type SortState } from './table';

export type { Column, SortState };

/** A long list the core pages: only the rows in view are rendered. */
export interface VirtualRows<T> {
  /** Every row of the list (not just the loaded ones). */
  count: number;
  /** The row at an index, or undefined while its page is on the way. */
  rowAt: (index: number) => T | undefined;
  /** The rows in view (with some to spare) changed: fetch what is missing. */
  onRange?: (first: number, last: number) => void;
  /** Each row's height in pixels (one line; cells do not wrap). */
  rowHeight: number;
  /** The scroller's height (the table scrolls inside it). */
  height: string | number;
  /** Where to start when coming back to the list: the active row and the scroll position. */
  initialIndex?: number;
  initialScrollTop?: number;
  onActiveChange?: (index: number) => void;
  onScrollTop?: (top: number) => void;
  /** Focus the active row when the table appears (the list is the screen). */
  autoFocus?: boolean;
  scrollTestId?: string;
}

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
  /** A totals row under the rows (not sorted with them), by column id; the first column may hold its label. */
  foot?: Partial<Record<string, ReactNode>>;
  footTestId?: string;
  /** A long list the core pages (`rows` is then unused): see VirtualRows. */
  virtual?: VirtualRows<T>;
  /** The rows CSV and print take, when they are not the rows given (a virtual list); null stops it. */
  exportRows?: () => Promise<readonly T[] | null>;
  /**
   * A row's details shown under it across every column (e.g. an audit entry opened in place); null: none.
   * The detail row is not a row of its own for the keyboard (↑/↓ skip it). Not for virtual lists.
   */
  rowDetail?: (row: T) => { id?: string; className?: string; content: ReactNode } | null;
  /** The focus came to a row (the arrow keys, Tab, a click): e.g. to show the row's details beside the table. */
  onRowFocus?: (row: T) => void;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { t, lang } = useT();
  const session = useSession();
  const [chosen, setChosen] = useState<string[] | null>(() => loadColumnChoice(props.id));
  const [localSort, setLocalSort] = useState<SortState | null>(props.defaultSort ?? null);
  const [active, setActive] = useState(() => props.virtual?.initialIndex ?? 0);
  const [printing, setPrinting] = useState(false);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const virtual = props.virtual;
  const serverSorted = props.onSortChange !== undefined || virtual !== undefined;
  const sort = serverSorted ? (props.sort ?? null) : localSort;

  const cols = useMemo(() => visibleColumns(props.columns, chosen), [props.columns, chosen]);
  const rows = useMemo(() => (serverSorted ? [...props.rows] : sortRows(props.rows, props.columns, sort, session.country)), [serverSorted, props.rows, props.columns, sort, session.country]);
  const count = virtual ? virtual.count : rows.length;
  const rowAt = (i: number): T | undefined => (virtual ? virtual.rowAt(i) : rows[i]);
  const current = Math.min(active, Math.max(count - 1, 0));

  const changeSort = (column: string) => {
    const next = nextSort(sort, column);
    if (serverSorted) props.onSortChange?.(next);
    else setLocalSort(next);
  };

  // A virtual list: the scroller, the rows in view, and the header's height (the sticky header covers the
  // top of the scroller, so a row scrolled "into view" must clear it).
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  const [headHeight, setHeadHeight] = useState(0);
  useLayoutEffect(() => {
    if (virtual && headRef.current) setHeadHeight(headRef.current.offsetHeight);
  }, [virtual !== undefined, cols.length]);
  const virtualizer = useVirtualizer({
    count: virtual?.count ?? 0,
    getScrollElement: () => (virtual ? scrollRef.current : null),
    estimateSize: () => virtual?.rowHeight ?? 34,
    overscan: 12,
    scrollPaddingEnd: headHeight,
  });
  const items = virtual ? virtualizer.getVirtualItems() : [];
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items[items.length - 1]?.index ?? -1;
  const onRange = virtual?.onRange;
  useEffect(() => {
    if (onRange && lastShown >= 0) onRange(firstShown, lastShown);
  }, [onRange, firstShown, lastShown]);
  // Back at the list: the scroll position it had, once there are rows to scroll.
  const hasRows = count > 0;
  useEffect(() => {
    if (virtual && hasRows && virtual.initialScrollTop && scrollRef.current) scrollRef.current.scrollTop = virtual.initialScrollTop;
  }, [hasRows]);
  useEffect(() => {
    if (virtual?.autoFocus) scrollRef.current?.querySelector<HTMLElement>('tbody > tr[tabindex="0"]')?.focus({ preventScroll: true });
  }, [hasRows]);

  const onActiveChange = virtual?.onActiveChange;
  const isVirtual = virtual !== undefined;
  const focusRow = useCallback(
    (i: number) => {
      setActive(i);
      onActiveChange?.(i);
      if (isVirtual) virtualizer.scrollToIndex(i, { align: 'auto' });
      // A virtual row exists only once the list has scrolled to it: try for a few frames.
      let tries = 0;
      const attempt = () => {
        const tr = bodyRef.current?.querySelector<HTMLElement>(`:scope > tr[data-index="${i}"]`);
        if (tr) tr.focus({ preventScroll: isVirtual });
        else if (tries++ < 20) window.requestAnimationFrame(attempt);
      };
      window.requestAnimationFrame(attempt);
    },
    [isVirtual, virtualizer, onActiveChange],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const tr = (e.target as HTMLElement).closest('tr');
    // Keys inside a row's own control (a link, a menu) belong to that control, except ↑/↓ from a link.
    const onRow = e.target === tr;
    const last = count - 1;
    // A page is what the scroller shows (a virtual list), else ten rows.
    const page = virtual ? Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 0) - headHeight) / virtual.rowHeight) - 1) : 10;
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
        return move(current + page);
      case 'PageUp':
        return move(current - page);
      case 'Enter': {
        const row = rowAt(current);
        if (props.onOpen && row !== undefined && onRow) {
          e.preventDefault();
          props.onOpen(row);
        }
      }
    }
  };

  const toggleColumn = (id: string) => {
    const now = visibleColumns(props.columns, chosen).map((c) => c.id);
    const next = now.includes(id) ? now.filter((x) => x !== id) : props.columns.filter((c) => c.id === id || now.includes(c.id)).map((c) => c.id);
    setChosen(next);
    saveColumnChoice(props.id, next);
  };

  const [printRows, setPrintRows] = useState<readonly T[] | null>(null);
  const exportCsv = async () => {
    const out = props.exportRows ? await props.exportRows() : rows;
    if (!out) return;
    if (props.onExport && !(await props.onExport(out, 'csv'))) return;
    saveBlob(csvBlob(tableCsv(out, cols)), downloadName(`${props.caption} ${session.today}`, props.id));
  };
  const print = async () => {
    const out = props.exportRows ? await props.exportRows() : rows;
    if (!out) return;
    if (props.onExport && !(await props.onExport(out, 'print'))) return;
    const wrap = wrapRef.current;
    if (!wrap) return;
    // A virtual list prints every row it exports, from a table that only print shows.
    if (virtual) setPrintRows(out);
    setPrinting(true);
    document.body.classList.add('k-printing-region');
    wrap.classList.add('k-print-target');
    const done = () => {
      document.body.classList.remove('k-printing-region');
      wrap.classList.remove('k-print-target');
      setPrinting(false);
      setPrintRows(null);
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

  const emptyRow = (
    <tr>
      <td colSpan={cols.length} className="k-empty">
        {props.empty ?? t('table.empty')}
      </td>
    </tr>
  );
  // One row; in a virtual list a row whose page is still on the way says so (and stays a place to move to).
  const renderRow = (r: T | undefined, i: number, key: string, height?: number) => (
    <tr
      key={key}
      data-row-id={r === undefined ? undefined : props.rowKey(r)}
      data-index={i}
      aria-rowindex={virtual ? i + 2 : undefined}
      tabIndex={i === current ? 0 : -1}
      onFocus={(e) => {
        if (e.target === e.currentTarget || i !== current) {
          setActive(i);
          virtual?.onActiveChange?.(i);
        }
        if (r !== undefined) props.onRowFocus?.(r);
      }}
      onDoubleClick={props.onOpen && r !== undefined ? () => props.onOpen!(r) : undefined}
      data-testid={props.rowTestId}
      className={r === undefined ? 'k-row k-row-loading' : 'k-row'}
      style={height ? { height } : undefined}
      {...(r === undefined ? {} : props.rowProps?.(r))}
    >
      {r === undefined ? (
        <td colSpan={cols.length} className="k-empty">
          {t('common.loading')}
        </td>
      ) : (
        cols.map((c) =>
          c.rowHeader ? (
            <th key={c.id} scope="row" className={cellClass(c) ?? 'k-row-head'}>
              {c.cell(r)}
            </th>
          ) : (
            <td key={c.id} className={cellClass(c)}>
              {c.cell(r)}
            </td>
          ),
        )
      )}
    </tr>
  );

  // One header for both layouts (virtual rows and plain rows).
  const head = (
    <thead ref={headRef}>
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
  );

  return (
    <div className={virtual ? 'k-datatable k-datatable-virtual' : 'k-datatable'} ref={wrapRef} data-testid={props.testId}>
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
          {session.municipality?.name ?? ''} · {t('table.printedBy', { at: printedAt, by: session.user.name })} · {t('table.rowCount', { count: printRows?.length ?? count })}
        </div>
      </div>
      {virtual ? (
        <div
          ref={scrollRef}
          className="k-vtable-scroll"
          style={{ height: virtual.height }}
          onScroll={virtual.onScrollTop ? (e) => virtual.onScrollTop!(e.currentTarget.scrollTop) : undefined}
          data-testid={virtual.scrollTestId}
        >
          <table className={props.dense ? 'k-table k-table-dense k-table-virtual' : 'k-table k-table-virtual'} aria-label={props.caption} aria-rowcount={count + 1}>
            {head}
            <tbody ref={bodyRef} onKeyDown={onKeyDown}>
              {count === 0 ? (
                emptyRow
              ) : (
                <>
                  {items[0] && items[0].start > 0 && <Pad height={items[0].start} span={cols.length} />}
                  {items.map((it) => renderRow(virtual.rowAt(it.index), it.index, `v${it.index}`, virtual.rowHeight))}
                  {items.length > 0 && <Pad height={virtualizer.getTotalSize() - items[items.length - 1]!.end} span={cols.length} />}
                </>
              )}
            </tbody>
          </table>
        </div>
      ) : (
        <table className={props.dense ? 'k-table k-table-dense' : 'k-table'} aria-label={props.caption}>
          {head}
          <tbody ref={bodyRef} onKeyDown={onKeyDown}>
            {rows.length === 0
              ? emptyRow
              : rows.map((r, i) => {
                  const key = props.rowKey(r);
                  const detail = props.rowDetail?.(r);
                  if (!detail) return renderRow(r, i, key);
                  return (
                    <Fragment key={key}>
                      {renderRow(r, i, key)}
                      <tr id={detail.id} className={detail.className ? `k-row-detail ${detail.className}` : 'k-row-detail'} data-detail-of={key}>
                        <td colSpan={cols.length}>{detail.content}</td>
                      </tr>
                    </Fragment>
                  );
                })}
          </tbody>
          {props.foot && (
            <tfoot className="k-table-foot">
              <tr data-testid={props.footTestId}>
                {cols.map((c) =>
                  c.rowHeader ? (
                    <th key={c.id} scope="row" className={cellClass(c) ?? 'k-row-head'}>
                      {props.foot![c.id] ?? ''}
                    </th>
                  ) : (
                    <td key={c.id} className={cellClass(c)}>
                      {props.foot![c.id] ?? ''}
                    </td>
                  ),
                )}
              </tr>
            </tfoot>
          )}
        </table>
      )}
      {printRows && (
        <table className="k-table k-print-rows" aria-hidden="true">
          <thead>
            <tr>
              {cols.map((c) => (
                <th key={c.id} className={c.kind === 'number' ? 'k-num-col' : undefined}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {printRows.map((r, i) => (
              <tr key={i}>
                {cols.map((c) => (
                  <td key={c.id} className={cellClass(c)}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.footer}
    </div>
  );
}

/** The room above and below a virtual list's rows in view (one cell, so the row keeps its height). */
function Pad({ height, span }: { height: number; span: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" className="k-vpad">
      <td colSpan={span} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}

function cellClass<T>(c: Column<T>): string | undefined {
  return c.kind === 'number' ? 'k-num-col' : c.kind === 'date' || c.kind === 'code' ? 'k-nowrap' : undefined;
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
