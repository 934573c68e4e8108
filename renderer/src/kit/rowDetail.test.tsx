// @vitest-environment jsdom
/**
 * A row's details under it (the audit entry opened in place): one cell across every column, toggled by a
 * control in the row, and not a stop for the rows' keyboard (↓ from the opened row goes to the next row).
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataTable } from './DataTable';
import type { Column } from './table';
import { Providers, setUpDom } from './testing';

beforeAll(setUpDom);
afterEach(cleanup);

interface Entry {
  seq: number;
  method: string;
  details: string;
}
const ENTRIES: Entry[] = [
  { seq: 3, method: 'person.get', details: 'id: 7' },
  { seq: 2, method: 'person.list', details: 'limit: 100' },
  { seq: 1, method: 'auth.signIn', details: '' },
];

function Log() {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (seq: number) => setOpen((cur) => (cur.has(seq) ? new Set([...cur].filter((x) => x !== seq)) : new Set([...cur, seq])));
  const columns: Column<Entry>[] = [
    { id: 'seq', header: 'Nr', cell: (e) => e.seq, kind: 'number', sortable: false },
    { id: 'method', header: 'Anrop', cell: (e) => e.method, sortable: false },
    {
      id: 'more',
      header: 'Detaljer',
      cell: (e) => (
        <button type="button" aria-expanded={open.has(e.seq)} aria-controls={`d-${e.seq}`} onClick={() => toggle(e.seq)}>
          {`Visa ${e.seq}`}
        </button>
      ),
    },
  ];
  return (
    <DataTable
      id="log"
      caption="Logg"
      columns={columns}
      rows={ENTRIES}
      rowKey={(e) => String(e.seq)}
      exportable={false}
      rowTestId="log-row"
      rowDetail={(e) => (open.has(e.seq) ? { id: `d-${e.seq}`, className: 'log-details', content: <span data-testid="details">{e.details || '–'}</span> } : null)}
    />
  );
}

describe('row details', () => {
  it('opens under its row across every column, and ↓ skips it', async () => {
    const user = userEvent.setup();
    render(
      <Providers>
        <Log />
      </Providers>,
    );
    expect(screen.queryByTestId('details')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Visa 3' }));
    const details = await screen.findByTestId('details');
    const tr = details.closest('tr')!;
    expect(tr.id).toBe('d-3');
    expect(tr.className).toBe('k-row-detail log-details');
    expect(tr.querySelector('td')!.colSpan).toBe(3);
    // Right under its row, and the button's aria-controls names it.
    const rows = screen.getAllByTestId('log-row');
    expect(rows[0]!.nextElementSibling).toBe(tr);
    expect(screen.getByRole('button', { name: 'Visa 3' }).getAttribute('aria-expanded')).toBe('true');

    rows[0]!.focus();
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getAllByTestId('log-row')[1]));
    await user.keyboard('{ArrowUp}');
    await waitFor(() => expect(document.activeElement).toBe(screen.getAllByTestId('log-row')[0]));

    await user.click(screen.getByRole('button', { name: 'Visa 3' }));
    expect(screen.queryByTestId('details')).toBeNull();
  });
});
