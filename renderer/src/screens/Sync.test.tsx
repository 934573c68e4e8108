// @vitest-environment jsdom
/**
 * The sync screen and the conflict view in a DOM, over a fake transport typed by the contract: the list
 * (method labels, a withheld name masked, the refusal in words, Enter opens a conflict but not a pending
 * change), the choice per field by keyboard and the person.update it makes (the input as sent, the chosen
 * values, the current card's version) named in sync.resolve by its mutation id, keeping the server's
 * version, a refusal, a failed save that resolves nothing, and Esc.
 */
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MethodInput } from '../../../shared/api/contract';
import { Providers, setUpDom } from '../kit/testing';
import { ApiProvider } from '../lib/api';
import { EventsProvider } from '../lib/events';
import { fakeEvents, fakeTransport, type FakeHandlers } from '../lib/fakeTransport';
import { cardNow, changes, CONFLICT_ID, joinedStatus, PERSON_ID, personConflict, placementConflict, PLACEMENT_CONFLICT_ID, rejectedConflict, REJECTED_ID } from '../lib/sync.fixtures';
import { ConflictDialog, SyncScreen } from './Sync';

beforeAll(() => {
  setUpDom();
  // jsdom has no CSS.escape; user-event walks a radio group with it.
  globalThis.CSS ??= { escape: (s: string) => s.replace(/["\\]/g, '\\$&') } as typeof CSS;
});
afterEach(cleanup);

const byId: Record<string, typeof personConflict> = { [CONFLICT_ID]: personConflict, [REJECTED_ID]: rejectedConflict, [PLACEMENT_CONFLICT_ID]: placementConflict };

function handlers(over: FakeHandlers = {}): FakeHandlers {
  return {
    'sync.status': () => joinedStatus(),
    'sync.changes': () => changes,
    'sync.conflict': (i) => byId[i.mutationId] ?? { error: { code: 'not_found', message: 'no', field: 'mutationId' } },
    'sync.resolve': () => ({ resolved: true as const }),
    'person.get': () => cardNow,
    'person.update': () => ({ id: PERSON_ID, version: 5 }),
    'audit.exportShown': () => ({ logged: true as const }),
    ...over,
  };
}

function mount(ui: ReactNode, h: FakeHandlers) {
  const t = fakeTransport(h);
  render(
    <Providers>
      <ApiProvider client={t.client}>
        <EventsProvider source={fakeEvents()}>{ui}</EventsProvider>
      </ApiProvider>
    </Providers>,
  );
  return t;
}

const row = (key: string) => screen.getByTestId(`conflict-field-${key}`);
const checked = (key: string) => row(key).dataset.side;

describe('the conflict view: a person update, chosen field by field', () => {
  it('shows base, theirs and mine per field under the history labels, with the server’s side chosen where it changed', async () => {
    mount(<ConflictDialog change={changes.items[1]!} onClose={() => undefined} />, handlers());
    await screen.findByTestId('conflict-field-givenName');
    expect(within(row('givenName')).getByRole('rowheader').textContent).toBe('Förnamn');
    expect(within(row('givenName')).getByTestId('conflict-base').textContent).toBe('Ada');
    expect(within(row('givenName')).getByTestId('conflict-theirs').textContent).toBe('Adela');
    expect(within(row('givenName')).getByTestId('conflict-mine').textContent).toBe('Adeline');
    expect(within(row('messagesAllowed')).getByTestId('conflict-mine').textContent).toBe('Nej');
    expect(within(row('addresses')).getByTestId('conflict-theirs').textContent).toBe('Provgatan 5');
    expect(screen.queryByTestId('conflict-field-sortKey')).toBeNull();
    expect([checked('givenName'), checked('familyName'), checked('messagesAllowed'), checked('addresses')]).toEqual(['theirs', 'mine', 'mine', 'theirs']);
    // One button order: the action, the other way out, open the record, close, the hint.
    const dialog = screen.getByTestId('sync-conflict');
    expect(within(dialog).getAllByRole('button').map((b) => b.dataset.testid).filter(Boolean)).toEqual(['conflict-save-choice', 'conflict-keep-theirs', 'conflict-open-record', 'cancel']);
  });

  it('by keyboard only: arrows choose per row, Tab moves on, Enter on "Spara mitt val" updates on the current version and resolves with that update’s id', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const t = mount(<ConflictDialog change={changes.items[1]!} onClose={onClose} />, handlers());
    await screen.findByTestId('conflict-field-givenName');
    // The first row's chosen side has focus when the view opens.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('conflict-field-givenName-theirs')));
    await user.keyboard('{ArrowDown}');
    expect(checked('givenName')).toBe('mine');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('conflict-field-familyName-mine'));
    await user.keyboard('{ArrowUp}');
    expect(checked('familyName')).toBe('theirs');
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('conflict-field-addresses-theirs'));
    await user.keyboard('{ArrowDown}{ArrowUp}');
    expect(checked('addresses')).toBe('theirs');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('conflict-save-choice'));
    await user.keyboard('{Enter}');

    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    const [update] = t.callsOf('person.update');
    const input = update!.input as MethodInput<'person.update'>;
    expect(input.version).toBe(4);
    expect(input.effectiveFrom).toBe('2026-11-23');
    expect(input.person.givenName).toBe('Adeline');
    expect(input.person.familyName).toBe('Testsson');
    expect(input.person.messagesAllowed).toBe(false);
    expect(input.person.addresses?.[0]?.street).toBe('Provgatan 5');
    const [resolve] = t.callsOf('sync.resolve');
    expect(resolve!.input).toEqual({ mutationId: CONFLICT_ID, action: 'replaced', replacedBy: update!.mutationId });
    expect(update!.mutationId).toMatch(/^[0-9a-f-]{36}$/);
    // The card was read for its version before the update.
    expect(t.calls.map((c) => c.method).filter((m) => m !== 'sync.conflict')).toEqual(['person.get', 'person.update', 'sync.resolve']);
  });

  it('a refused update is shown and resolves nothing; the next attempt after a lost resolve does not update twice', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    let refuse = true;
    let resolveFails = true;
    const t = mount(
      <ConflictDialog change={changes.items[1]!} onClose={onClose} />,
      handlers({
        'person.update': () => (refuse ? { error: { code: 'conflict', message: 'changed' } } : { id: PERSON_ID, version: 5 }),
        'sync.resolve': () => (resolveFails ? { error: { code: 'busy', message: 'busy' } } : { resolved: true as const }),
      }),
    );
    const save = await screen.findByTestId('conflict-save-choice');
    await user.click(save);
    expect((await screen.findByTestId('form-error')).textContent).toMatch(/^Posten har ändrats igen/);
    expect(t.callsOf('sync.resolve')).toHaveLength(0);
    refuse = false;
    await user.click(save);
    await waitFor(() => expect(t.callsOf('sync.resolve')).toHaveLength(1));
    expect((await screen.findByTestId('form-error')).textContent).toMatch(/längre jobb/);
    resolveFails = false;
    await user.click(save);
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    expect(t.callsOf('person.update')).toHaveLength(2);
    const sent = t.callsOf('person.update')[1]!.mutationId;
    expect(t.callsOf('sync.resolve').map((c) => (c.input as { replacedBy?: string }).replacedBy)).toEqual([sent, sent]);
  });

  it('"Behåll serverns version" discards the edit', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const t = mount(<ConflictDialog change={changes.items[1]!} onClose={onClose} />, handlers());
    await user.click(await screen.findByTestId('conflict-keep-theirs'));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    expect(t.callsOf('sync.resolve').map((c) => c.input)).toEqual([{ mutationId: CONFLICT_ID, action: 'discard' }]);
    expect(t.callsOf('person.update')).toHaveLength(0);
  });

  it('Esc closes without resolving', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const t = mount(<ConflictDialog change={changes.items[1]!} onClose={onClose} />, handlers());
    await screen.findByTestId('conflict-field-givenName');
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledWith(false);
    expect(t.callsOf('sync.resolve')).toHaveLength(0);
  });
});

describe('the conflict view: other changes and refusals', () => {
  it('another method: no choice, "Öppna posten" first and focused, then keep the server’s version', async () => {
    mount(<ConflictDialog change={changes.items[3]!} onClose={() => undefined} />, handlers());
    await screen.findByTestId('conflict-field-weeklyHours');
    expect(screen.queryByRole('radiogroup')).toBeNull();
    expect(screen.queryByTestId('conflict-save-choice')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('conflict-open-record')));
    expect(within(row('weeklyHours')).getByTestId('conflict-theirs').textContent).toBe('35');
  });

  it('a refusal names the rule and the field in words, and offers removing the change and opening the record', async () => {
    const user = userEvent.setup();
    const t = mount(<ConflictDialog change={changes.items[2]!} onClose={() => undefined} />, handlers());
    const refusal = await screen.findByTestId('conflict-refusal');
    expect(refusal.textContent).toContain('Servern tog inte emot ändringen.');
    expect(refusal.textContent).toMatch(/samma slags placering|överlappar|redan en placering/i);
    expect(refusal.textContent).toContain('Gäller uppgiften: Från');
    expect(screen.getByTestId('conflict-keep-theirs').textContent).toBe('Ta bort ändringen');
    await user.click(screen.getByTestId('conflict-open-record'));
    expect(window.location.hash).toMatch(/^#\/person\/0190a000-0000-7000-8000-000000000002$/);
    expect(t.callsOf('sync.resolve')).toHaveLength(0);
  });
});

describe('the sync screen', () => {
  it('lists the changes newest first with readable labels, a withheld name masked, and the refusal in words', async () => {
    mount(<SyncScreen />, handlers());
    const table = await screen.findByTestId('sync-changes');
    const rows = within(table).getAllByTestId('sync-change-row');
    expect(rows.map((r) => r.dataset.state)).toEqual(['pending', 'conflict', 'rejected', 'conflict']);
    expect(rows[1]!.textContent).toContain('Ändring av person');
    expect(rows[1]!.textContent).toContain('Testsson, Ada');
    expect(within(rows[2]!).getByTestId('masked-value')).toBeTruthy();
    expect(within(rows[2]!).queryByTestId('protected-badge')).toBeNull();
    expect(rows[2]!.textContent).toContain('Avvisad');
    expect(screen.getByTestId('sync-meta').textContent).toContain('https://kansli.exempel.se');
  });

  it('Enter on a pending change does nothing; on a conflict it opens the view, and Esc returns focus to the row', async () => {
    const user = userEvent.setup();
    mount(<SyncScreen />, handlers());
    const table = await screen.findByTestId('sync-changes');
    const rows = within(table).getAllByTestId('sync-change-row');
    act(() => rows[0]!.focus());
    await user.keyboard('{Enter}');
    expect(screen.queryByTestId('sync-conflict')).toBeNull();
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(rows[1]));
    await user.keyboard('{Enter}');
    await screen.findByTestId('conflict-field-givenName');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('sync-conflict')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(within(table).getAllByTestId('sync-change-row')[1]));
  });

  it('standalone: says there is nothing to sync and reads no changes', async () => {
    const t = mount(<SyncScreen />, handlers({ 'sync.status': () => ({ ...joinedStatus(), mode: 'standalone', server: null }) }));
    expect((await screen.findByTestId('sync-standalone')).textContent).toMatch(/fristående/);
    expect(t.callsOf('sync.changes')).toHaveLength(0);
  });
});
