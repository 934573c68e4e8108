/**
 * The data table's rules without React: how a column sorts (names in the municipality's alphabetical
 * order, numbers as numbers, ISO dates as dates, empty cells last either way), which columns a clerk
 * chose to see (kept per table on this workstation), and the CSV of what is shown.
 */
import type { ReactNode } from 'react';
import { compareText, type CollationCountry } from '../../../shared/collation';

export type ColumnKind = 'text' | 'number' | 'date' | 'code';

export interface Column<T> {
  id: string;
  header: string;
  /** What the cell shows. */
  cell: (row: T) => ReactNode;
  /** The cell as plain text: for sorting, CSV and print. Required for sortable and exported columns. */
  text?: (row: T) => string | number | null | undefined;
  /** `number` aligns right; `date` and `code` never break; `text` sorts by the alphabet. */
  kind?: ColumnKind;
  /** Sortable (default: when `text` is given). */
  sortable?: boolean;
  /** The clerk may hide it (column choice). */
  optional?: boolean;
  /** Hidden until the clerk chooses it. */
  hiddenByDefault?: boolean;
  /** Left out of CSV (e.g. a column of row actions). */
  noExport?: boolean;
  width?: string | number;
  /** The cell names its row (a unit in a summary): a row header for screen readers. */
  rowHeader?: boolean;
}

export interface SortState {
  column: string;
  dir: 'asc' | 'desc';
}

type Plain = string | number | null | undefined;
const isEmpty = (v: Plain) => v === null || v === undefined || v === '';

/** Compares two plain cell values of a column kind; empty values sort last in both directions. */
export function compareCells(a: Plain, b: Plain, kind: ColumnKind, country: CollationCountry): number {
  if (kind === 'number') return Number(a) - Number(b);
  if (kind === 'date' || kind === 'code') return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  return compareText(String(a), String(b), country);
}

/** The rows in the sort's order (stable: equal cells keep the order the core gave). */
export function sortRows<T>(rows: readonly T[], columns: readonly Column<T>[], sort: SortState | null, country: CollationCountry): T[] {
  if (!sort) return [...rows];
  const col = columns.find((c) => c.id === sort.column);
  if (!col?.text) return [...rows];
  const text = col.text;
  const kind = col.kind ?? 'text';
  const sign = sort.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: text(row) }))
    .sort((x, y) => {
      const ex = isEmpty(x.v);
      const ey = isEmpty(y.v);
      if (ex || ey) return ex === ey ? x.i - y.i : ex ? 1 : -1;
      return sign * compareCells(x.v, y.v, kind, country) || x.i - y.i;
    })
    .map((x) => x.row);
}

/** The next sort when a column's header is chosen: ascending, then descending, then the core's order. */
export function nextSort(cur: SortState | null, column: string): SortState | null {
  if (!cur || cur.column !== column) return { column, dir: 'asc' };
  if (cur.dir === 'asc') return { column, dir: 'desc' };
  return null;
}

/** A CSV field: quoted when needed, and a leading = + - @ (a formula to a spreadsheet) made text. */
export function csvField(v: Plain): string {
  if (isEmpty(v)) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\r\n,]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The shown rows and columns as CSV (semicolon-separated, as Excel expects in sv/nb locales), CRLF. */
export function tableCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cols = columns.filter((c) => c.text && !c.noExport);
  const lines = [cols.map((c) => csvField(c.header)).join(';'), ...rows.map((r) => cols.map((c) => csvField(c.text!(r))).join(';'))];
  return `${lines.join('\r\n')}\r\n`;
}

const PREFS = 'kansli.table.';

/** The columns a clerk chose for a table on this workstation (null: the table's defaults). */
export function loadColumnChoice(tableId: string): string[] | null {
  try {
    const raw = window.localStorage.getItem(PREFS + tableId);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

export function saveColumnChoice(tableId: string, visible: readonly string[] | null): void {
  try {
    if (visible) window.localStorage.setItem(PREFS + tableId, JSON.stringify(visible));
    else window.localStorage.removeItem(PREFS + tableId);
  } catch {
    // not kept; the choice still holds on this screen
  }
}

/** The visible columns: the clerk's choice where a column is optional, otherwise always shown. */
export function visibleColumns<T>(columns: readonly Column<T>[], chosen: readonly string[] | null): Column<T>[] {
  return columns.filter((c) => !c.optional || (chosen ? chosen.includes(c.id) : !c.hiddenByDefault));
}
