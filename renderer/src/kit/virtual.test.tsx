// @vitest-environment jsdom
/**
 * The data table over a long list the core pages (`virtual`): only the rows in view are in the DOM, rows
 * still on the way say so, the keys move through the whole count (End reaches the last of 250 000), Enter
 * opens, sorting goes to the core, and CSV takes the rows `exportRows` gives (the list as shown).
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataTable, type VirtualRows } from './DataTable';
import type { Column, SortState } from './table';
import { Providers, setUpDom } from './testing';

interface Row {
  id: string;
  name: string;
  born: string;
}
const COUNT = 250_000;
const rowOf = (i: number): Row => ({ id: `p${i}`, name: `Person ${i}`, born: `20${String(10 + (i % 10))}-01-01` });
const COLUMNS: Column<Row>[] = [
  { id: 'name', header: 'Namn', cell: (r) => r.name, text: (r) => r.name, sortable: true },
  { id: 'born', header: 'Född', cell: (r) => r.born, text: (r) => r.born, kind: 'date', sortable: true },
];

beforeAll(() => {
  setUpDom();
  // jsdom has no layout: the scroller is 340 px high and scrolls when told to.
  const proto = HTMLElement.prototype as unknown as Record<string, unknown>;
  const height = function (this: HTMLElement) {
    return this.classList.contains('k-vtable-scroll') ? 340 : 0;
  };
  Object.defineProperty(proto, 'offsetHeight', { configurable: true, get: height });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: height });
  Object.defineProperty(proto, 'offsetWidth', { configurable: true, get: () => 800 });
  Object.defineProperty(proto, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('k-vtable-scroll') ? 34 * (COUNT + 1) : 0;
    },
  });
  Object.defineProperty(proto, 'scrollTop', {
    configurable: true,
    get(this: { _top?: number }) {
      return this._top ?? 0;
    },
    set(this: { _top?: number }, v: number) {
      this._top = v;
    },
  });
  (Element.prototype as unknown as { scrollTo: (o: { top?: number }) => void }).scrollTo = function (this: HTMLElement, o: { top?: number }) {
    this.scrollTop = o.top ?? 0;
    this.dispatchEvent(new Event('scroll'));
  };
});
afterEach(cleanup);

function renderVirtual(over: Partial<VirtualRows<Row>> = {}, props: Record<string, unknown> = {}) {
  const onRange = vi.fn();
  const loaded = (i: number) => i < 200 || i >= COUNT - 200;
  const virtual: VirtualRows<Row> = { count: COUNT, rowAt: (i) => (loaded(i) ? rowOf(i) : undefined), onRange, rowHeight: 34, height: 340, scrollTestId: 'scroller', ...over };
  render(
    <Providers>
      <DataTable<Row> id="vt" caption="Personer" columns={COLUMNS} rows={[]} rowKey={(r) => r.id} virtual={virtual} rowTestId="vrow" {...props} />
    </Providers>,
  );
  return { onRange };
}

describe('DataTable with virtual rows', () => {
  it('renders only the rows in view of 250 000, with the full count for assistive technology, and asks for them', async () => {
    const { onRange } = renderVirtual();
    const rows = screen.getAllByTestId('vrow');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe(String(COUNT + 1));
    expect(rows[0]!.getAttribute('aria-rowindex')).toBe('2');
    await waitFor(() => expect(onRange).toHaveBeenCalled());
    const [first, last] = onRange.mock.calls.at(-1)! as [number, number];
    expect(first).toBe(0);
    expect(last).toBeGreaterThan(5);
    expect(last).toBeLessThan(60);
  });

  it('the keys move through the whole list: End reaches the last row, Enter opens it, Home goes back', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    const onActiveChange = vi.fn();
    renderVirtual({ onActiveChange }, { onOpen });
    const first = screen.getAllByTestId('vrow')[0]!;
    expect(first.tabIndex).toBe(0);
    first.focus();
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe('1'));
    await user.keyboard('{End}');
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe(String(COUNT - 1)));
    expect(screen.getAllByTestId('vrow').length).toBeLessThan(60);
    expect(onActiveChange).toHaveBeenLastCalledWith(COUNT - 1);
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith(rowOf(COUNT - 1));
    await user.keyboard('{PageUp}');
    await waitFor(() => expect(Number(document.activeElement?.getAttribute('data-index'))).toBeLessThan(COUNT - 5));
    await user.keyboard('{Home}');
    await waitFor(() => expect(document.activeElement?.getAttribute('data-index')).toBe('0'));
  });

  it('a row still on the way says so and opens nothing', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn();
    renderVirtual({ rowAt: (i) => (i === 0 ? rowOf(0) : undefined) }, { onOpen });
    expect(screen.getAllByTestId('vrow')[1]!.textContent).toMatch(/Hämtar/);
    screen.getAllByTestId('vrow')[0]!.focus();
    await user.keyboard('{ArrowDown}{Enter}');
    expect(onOpen).not.toHaveBeenCalled();
  });

  it('sorts in the core: the header asks for the order and shows it', async () => {
    const user = userEvent.setup();
    const onSortChange = vi.fn();
    const sort: SortState = { column: 'born', dir: 'desc' };
    renderVirtual({}, { sort, onSortChange });
    const born = screen.getByRole('columnheader', { name: /Född/ });
    expect(born.getAttribute('aria-sort')).toBe('descending');
    await user.click(within(screen.getByRole('columnheader', { name: /Namn/ })).getByRole('button'));
    expect(onSortChange).toHaveBeenCalledWith({ column: 'name', dir: 'asc' });
  });

  it('CSV takes the rows exportRows gives, logged first; null from exportRows stops it', async () => {
    const user = userEvent.setup();
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return 'blob:x';
    });
    URL.revokeObjectURL = vi.fn();
    const all = [rowOf(0), rowOf(1), rowOf(2)];
    const exportRows = vi.fn().mockResolvedValueOnce(null).mockResolvedValue(all);
    const onExport = vi.fn().mockResolvedValue(true);
    renderVirtual({}, { exportRows, onExport });
    await user.click(screen.getByTestId('vt-export'));
    expect(onExport).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('vt-export'));
    await waitFor(() => expect(blobs).toHaveLength(1));
    expect(onExport).toHaveBeenCalledWith(all, 'csv');
    const text = (await blobs[0]!.text()).replace(/^\ufeff/, '');
    expect(text.split('\r\n').slice(0, 4)).toEqual(['Namn;Född', 'Person 0;2010-01-01', 'Person 1;2011-01-01', 'Person 2;2012-01-01']);
  });
});

describe('DataTable foot', () => {
  it('a totals row stays under the rows when they are sorted, its numbers right-aligned', async () => {
    const user = userEvent.setup();
    type Unit = { id: string; name: string; n: number };
    const rows: Unit[] = [
      { id: 'a', name: 'Björk', n: 12 },
      { id: 'b', name: 'Alm', n: 3 },
    ];
    render(
      <Providers>
        <DataTable<Unit>
          id="units"
          caption="Enheter"
          columns={[
            { id: 'name', header: 'Enhet', cell: (r) => r.name, text: (r) => r.name },
            { id: 'n', header: 'Antal', cell: (r) => r.n, text: (r) => r.n, kind: 'number' },
          ]}
          rows={rows}
          rowKey={(r) => r.id}
          foot={{ name: 'Totalt', n: 15 }}
        />
      </Providers>,
    );
    await user.click(within(screen.getByRole('columnheader', { name: /Antal/ })).getByRole('button'));
    const trs = screen.getAllByRole('row');
    expect(trs.map((tr) => tr.textContent)).toEqual(['Enhet↕Antal▲', 'Alm3', 'Björk12', 'Totalt15']);
    expect(trs[3]!.querySelectorAll('td')[1]!.className).toContain('k-num-col');
  });
});
