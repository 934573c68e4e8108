// @vitest-environment jsdom
/**
 * Rows a clerk selects in a DataTable (kit/selection.tsx): Space on a row, Ctrl+A for the page (and again to
 * clear it), a row that cannot be selected is passed over, the checkboxes are no tab stops of their own, the
 * page box shows none/some/all, and the select column never goes into the CSV.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataTable } from './DataTable';
import { selectColumn, selectedRowProps, SelectionKeys, selectionState, SelectPageBox, type RowSelection } from './selection';
import { tableCsv, type Column } from './table';
import { Providers, setUpDom } from './testing';

beforeAll(setUpDom);
afterEach(cleanup);

interface Row {
  id: string;
  name: string;
  done: boolean;
}
const ROWS: Row[] = [
  { id: 'a', name: 'Lind, Elsa', done: false },
  { id: 'b', name: 'Berg, Ola', done: true },
  { id: 'c', name: 'Åberg, Åke', done: false },
];

function Harness() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selectable = ROWS.filter((r) => !r.done).map((r) => r.id);
  const sel: RowSelection<Row> = {
    selected,
    idOf: (r) => (r.done ? null : r.id),
    onToggle: (id) =>
      setSelected((cur) => {
        const next = new Set(cur);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    onTogglePage: () => setSelected((cur) => (selectable.every((id) => cur.has(id)) ? new Set() : new Set(selectable))),
    label: (r) => `Markera ${r.name}`,
    testId: 'pick',
  };
  const columns: Column<Row>[] = [selectColumn(sel, 'Markera'), { id: 'name', header: 'Namn', cell: (r) => r.name, text: (r) => r.name }];
  return (
    <SelectionKeys selection={sel} rows={ROWS} rowKey={(r) => r.id}>
      <DataTable
        id="sel"
        caption="Barn"
        columns={columns}
        rows={ROWS}
        rowKey={(r) => r.id}
        rowProps={selectedRowProps(sel)}
        toolbar={<SelectPageBox state={selectionState(sel, ROWS)} onToggle={sel.onTogglePage} label="Markera alla på sidan" testId="page-box" />}
      />
    </SelectionKeys>
  );
}

const bodyRows = () => screen.getAllByRole('row').slice(1);
const selectedIds = () => bodyRows().filter((r) => r.getAttribute('data-selected') === 'true').map((r) => r.getAttribute('data-row-id'));

describe('row selection', () => {
  it('Space selects the focused row and again clears it; a row that cannot be selected stays as it is', async () => {
    const user = userEvent.setup();
    render(
      <Providers>
        <Harness />
      </Providers>,
    );
    bodyRows()[0]!.focus();
    await user.keyboard(' ');
    expect(selectedIds()).toEqual(['a']);
    expect((screen.getAllByTestId('pick')[0] as HTMLInputElement).checked).toBe(true);
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(bodyRows()[1]));
    await user.keyboard(' ');
    expect(selectedIds()).toEqual(['a']);
    expect((screen.getAllByTestId('pick')[1] as HTMLInputElement).disabled).toBe(true);
    bodyRows()[0]!.focus();
    await user.keyboard(' ');
    expect(selectedIds()).toEqual([]);
  });

  it('Ctrl+A selects every selectable row of the page, and again clears them; the page box follows', async () => {
    const user = userEvent.setup();
    render(
      <Providers>
        <Harness />
      </Providers>,
    );
    const box = screen.getByTestId('page-box') as HTMLInputElement;
    expect(box.checked).toBe(false);
    bodyRows()[2]!.focus();
    await user.keyboard(' ');
    expect(box.indeterminate || box.getAttribute('data-indeterminate') === 'true').toBe(true);
    await user.keyboard('{Control>}a{/Control}');
    expect(selectedIds()).toEqual(['a', 'c']);
    expect((screen.getByTestId('page-box') as HTMLInputElement).checked).toBe(true);
    await user.keyboard('{Control>}a{/Control}');
    expect(selectedIds()).toEqual([]);
  });

  it('the checkboxes are no tab stops of their own; the select column is not exported', () => {
    render(
      <Providers>
        <Harness />
      </Providers>,
    );
    for (const c of screen.getAllByTestId('pick')) expect((c as HTMLInputElement).tabIndex).toBe(-1);
    // An empty page is never "all": the page box must not show a tick over nothing.
    expect(selectionState({ selected: new Set<string>(), idOf: (r: Row) => r.id }, [])).toBe('none');
    expect(selectionState({ selected: new Set(['a']), idOf: (r: Row) => (r.done ? null : r.id) }, ROWS)).toBe('some');
    const sel = { selected: new Set<string>(), idOf: (r: Row) => r.id, onToggle: () => undefined, onTogglePage: () => undefined, label: (r: Row) => r.name };
    expect(tableCsv(ROWS, [selectColumn(sel, 'Markera'), { id: 'name', header: 'Namn', cell: (r: Row) => r.name, text: (r: Row) => r.name }])).toBe('Namn\r\n"Lind, Elsa"\r\n"Berg, Ola"\r\n"Åberg, Åke"\r\n');
  });
});
