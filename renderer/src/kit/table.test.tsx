// @vitest-environment jsdom
/**
 * The data table in a DOM: alphabetical sorting by country, numbers right-aligned, keyboard through the
 * rows, column choice kept per table, CSV of what is shown (and only after the export was logged).
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Country } from '../lib/domain';
import { DataTable } from './DataTable';
import { csvField, sortRows, tableCsv, type Column } from './table';
import { Providers, setUpDom } from './testing';

beforeAll(setUpDom);
afterEach(cleanup);
beforeEach(() => window.localStorage.clear());

interface Row {
  id: string;
  name: string;
  born: string;
  hours: number | null;
  note: string;
}
const ROWS: Row[] = [
  { id: '1', name: 'Öberg, Ola', born: '2020-03-01', hours: 40, note: '=SUM(A1)' },
  { id: '2', name: 'Åberg, Åke', born: '2019-01-15', hours: 5, note: 'a;b' },
  { id: '3', name: 'Lind, Alexander', born: '2021-07-30', hours: null, note: 'vanlig' },
  { id: '4', name: 'Ærø, Bjørg', born: '2018-12-24', hours: 120, note: '"citat"' },
  { id: '5', name: 'Zetterberg, Zack', born: '2020-05-05', hours: 30, note: '' },
  { id: '6', name: 'Lind, Åsa', born: '2020-06-06', hours: 25, note: '' },
];
const COLUMNS: Column<Row>[] = [
  { id: 'name', header: 'Namn', cell: (r) => r.name, text: (r) => r.name },
  { id: 'born', header: 'Född', cell: (r) => r.born, text: (r) => r.born, kind: 'date' },
  { id: 'hours', header: 'Timmar', cell: (r) => r.hours ?? '', text: (r) => r.hours, kind: 'number' },
  { id: 'note', header: 'Anteckning', cell: (r) => r.note, text: (r) => r.note, optional: true, hiddenByDefault: true },
];

const names = (country: Country, column = 'name', dir: 'asc' | 'desc' = 'asc') => sortRows(ROWS, COLUMNS, { column, dir }, country).map((r) => r.name);

describe('sorting', () => {
  it('Swedish order: … Z Å Ä Ö, Æ with Ä; Åsa after Alexander', () => {
    expect(names('SE')).toEqual(['Lind, Alexander', 'Lind, Åsa', 'Zetterberg, Zack', 'Åberg, Åke', 'Ærø, Bjørg', 'Öberg, Ola']);
  });
  it('Norwegian order: … Z Æ Ø Å, Ö with Ø', () => {
    expect(names('NO')).toEqual(['Lind, Alexander', 'Lind, Åsa', 'Zetterberg, Zack', 'Ærø, Bjørg', 'Öberg, Ola', 'Åberg, Åke']);
  });
  it('numbers as numbers, empty last in both directions', () => {
    expect(sortRows(ROWS, COLUMNS, { column: 'hours', dir: 'asc' }, 'SE').map((r) => r.hours)).toEqual([5, 25, 30, 40, 120, null]);
    expect(sortRows(ROWS, COLUMNS, { column: 'hours', dir: 'desc' }, 'SE').map((r) => r.hours)).toEqual([120, 40, 30, 25, 5, null]);
  });
});

describe('CSV', () => {
  it('quotes what needs it and makes formulas text', () => {
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('"citat"')).toBe('"""citat"""');
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });
  it('the shown columns, rows in the shown order', () => {
    const csv = tableCsv(sortRows(ROWS, COLUMNS, { column: 'born', dir: 'asc' }, 'SE').slice(0, 2), COLUMNS.slice(0, 3));
    expect(csv).toBe('Namn;Född;Timmar\r\n"Ærø, Bjørg";2018-12-24;120\r\n"Åberg, Åke";2019-01-15;5\r\n');
  });
});

function renderTable(props: Partial<Parameters<typeof DataTable<Row>>[0]> = {}, country: Country = 'SE') {
  return render(
    <Providers country={country}>
      <DataTable<Row> id="test" caption="Barn" columns={COLUMNS} rows={ROWS} rowKey={(r) => r.id} {...props} />
    </Providers>,
  );
}
const shownNames = () => screen.getAllByRole('row').slice(1).map((tr) => tr.querySelector('td')!.textContent);

describe('DataTable', () => {
  it('sorts by a header: ascending, descending, then the order the core gave; aria-sort says which', async () => {
    const user = userEvent.setup();
    renderTable();
    expect(shownNames()[0]).toBe('Öberg, Ola');
    const th = screen.getByRole('columnheader', { name: /Namn/ });
    expect(th.getAttribute('aria-sort')).toBe('none');
    await user.click(within(th).getByRole('button'));
    expect(th.getAttribute('aria-sort')).toBe('ascending');
    expect(shownNames()).toEqual(names('SE'));
    await user.click(within(th).getByRole('button'));
    expect(shownNames()).toEqual(names('SE', 'name', 'desc'));
    await user.click(within(th).getByRole('button'));
    expect(shownNames()).toEqual(ROWS.map((r) => r.name));
  });

  it('numbers align right, dates do not break', () => {
    renderTable();
    const cells = screen.getAllByRole('row')[1]!.querySelectorAll('td');
    expect(cells[1]!.className).toContain('k-nowrap');
    expect(cells[2]!.className).toContain('k-num-col');
    expect(screen.getByRole('columnheader', { name: /Timmar/ }).className).toContain('k-num-col');
  });

  it('one tab stop for the rows; arrows, Home/End move; Enter opens the row', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    renderTable({ onOpen });
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.tabIndex)).toEqual([0, -1, -1, -1, -1, -1]);
    rows[0]!.focus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getAllByRole('row')[3]));
    await user.keyboard('{End}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getAllByRole('row')[6]));
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith(ROWS[5]);
    await user.keyboard('{Home}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getAllByRole('row')[1]));
  });

  it('column choice shows an optional column and is kept for the next time', async () => {
    const user = userEvent.setup();
    renderTable();
    expect(screen.queryByRole('columnheader', { name: /Anteckning/ })).toBeNull();
    await user.click(screen.getByTestId('test-columns'));
    await user.click(await screen.findByTestId('column-note'));
    expect(screen.getByRole('columnheader', { name: /Anteckning/ })).toBeTruthy();
    cleanup();
    renderTable();
    expect(screen.getByRole('columnheader', { name: /Anteckning/ })).toBeTruthy();
  });

  it('exports what is shown, only after the export was logged', async () => {
    const user = userEvent.setup();
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:x';
    });
    URL.revokeObjectURL = vi.fn();
    const onExport = vi.fn().mockResolvedValueOnce(false).mockResolvedValue(true);
    renderTable({ onExport });
    await user.click(within(screen.getByRole('columnheader', { name: /Född/ })).getByRole('button'));
    await user.click(screen.getByTestId('test-export'));
    expect(onExport).toHaveBeenCalledTimes(1);
    expect(blobs).toHaveLength(0);
    await user.click(screen.getByTestId('test-export'));
    await waitFor(() => expect(blobs).toHaveLength(1));
    const [rowsOut, format] = onExport.mock.calls[1]!;
    expect(format).toBe('csv');
    expect((rowsOut as Row[]).map((r) => r.id)).toEqual(['4', '2', '1', '5', '6', '3']);
    const text = await blobs[0]!.text();
    expect(text.replace(/^\ufeff/, '').split('\r\n')[1]).toBe('"Ærø, Bjørg";2018-12-24;120');
  });
});
