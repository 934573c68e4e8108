// @vitest-environment jsdom
/**
 * The header's sync status in a DOM, over a fake transport typed by the contract: standalone says only that
 * (no button, no palette entry); joined shows the link and the counts, follows the sync event, polls every
 * 10 s (not while locked), and its live region speaks once per new conflict, not on every poll.
 */
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Providers, setUpDom } from '../kit/testing';
import { getScreenAction } from '../lib/actions';
import { ApiProvider } from '../lib/api';
import type { AuthStatus } from '../lib/auth';
import { AuthProvider } from '../lib/authContext';
import { EventsProvider } from '../lib/events';
import { fakeEvents, fakeTransport, type FakeHandlers } from '../lib/fakeTransport';
import { createStore } from '../lib/store';
import { joinedStatus, standaloneStatus } from '../lib/sync.fixtures';
import { SYNC_POLL_MS, SyncStatusIndicator } from './SyncStatus';

beforeAll(setUpDom);
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function mount(handlers: FakeHandlers) {
  const t = fakeTransport(handlers);
  const events = fakeEvents();
  const auth = createStore<AuthStatus | null>({ state: 'signed_in' } as AuthStatus);
  const wrap = (children: ReactNode) => (
    <Providers>
      <ApiProvider client={t.client}>
        <EventsProvider source={events}>
          <AuthProvider value={{ status: auth, lock: () => undefined, signOut: () => undefined, setStatus: (s) => auth.set(s), passwordMinLength: 12 }}>{children}</AuthProvider>
        </EventsProvider>
      </ApiProvider>
    </Providers>
  );
  render(wrap(<SyncStatusIndicator />));
  return { ...t, events, auth };
}

/** Every text the live region has had, in order (a screen reader reads each change once). */
function spoken(): string[] {
  const region = screen.getByTestId('sync-announce');
  const said: string[] = [];
  if (region.textContent) said.push(region.textContent);
  new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
  return said;
}

describe('sync status in the header', () => {
  it('standalone: a quiet "Fristående", no button and no palette entry', async () => {
    mount({ 'sync.status': () => standaloneStatus });
    const s = await screen.findByTestId('sync-status');
    expect(s.textContent).toBe('Fristående');
    expect(s.dataset.mode).toBe('standalone');
    expect(s.tagName).toBe('SPAN');
    expect(screen.queryByRole('link')).toBeNull();
    expect(getScreenAction('goSync')).toBeUndefined();
    expect(screen.getByTestId('sync-announce').textContent).toBe('');
  });

  it('joined: the link and what waits, one link to the sync screen with the whole state in its name, and the palette entry', async () => {
    mount({ 'sync.status': () => joinedStatus() });
    const s = await screen.findByTestId('sync-status');
    expect(s.tagName).toBe('A');
    expect(s.getAttribute('href')).toBe('#/sync');
    expect(s.textContent).toBe('Ansluten1 väntar2 konflikter1 avvisad');
    expect(s.getAttribute('aria-label')).toBe('Synkronisering: Ansluten, 1 väntar, 2 konflikter, 1 avvisad. Öppna synkroniseringen');
    await waitFor(() => expect(getScreenAction('goSync')?.label).toBe('sync.palette.go'));
    act(() => getScreenAction('goSync')!.run());
    expect(window.location.hash).toBe('#/sync');
  });

  it('offline since the last sync; nothing waiting shows no counts', async () => {
    mount({ 'sync.status': () => joinedStatus({ online: false, pending: 0, conflicts: 0, rejected: 0, lastSyncAt: '2026-11-23T09:15:00' }) });
    const s = await screen.findByTestId('sync-status');
    expect(s.textContent).toBe('Offline');
    expect(s.getAttribute('aria-label')).toBe('Synkronisering: Offline sedan 09:15. Öppna synkroniseringen');
    expect(s.getAttribute('title')).toBe('Offline sedan 09:15');
    expect(s.dataset.online).toBe('false');
    expect(screen.getByTestId('sync-announce').textContent).toBe('');
  });

  it('follows the sync event at once', async () => {
    const { events } = mount({ 'sync.status': () => joinedStatus({ pending: 0, conflicts: 0, rejected: 0 }) });
    const s = await screen.findByTestId('sync-status');
    expect(s.textContent).toBe('Ansluten');
    act(() => events.emit({ type: 'sync', online: false, pending: 3, conflicts: 0, rejected: 0 }));
    expect(s.dataset.pending).toBe('3');
    expect(s.textContent).toMatch(/^Offline.*3 väntar$/);
  });

  it('a new conflict is announced once: not again on the next polls or events with the same counts; a further one is', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let conflicts = 1;
    const { callsOf, events } = mount({ 'sync.status': () => joinedStatus({ conflicts, rejected: 0 }) });
    await screen.findByTestId('sync-status');
    await waitFor(() => expect(screen.getByTestId('sync-announce').textContent).toMatch(/^En av dina ändringar krockar/));
    const said = spoken();
    for (let i = 0; i < 3; i++) {
      await act(async () => void vi.advanceTimersByTime(SYNC_POLL_MS));
    }
    act(() => events.emit({ type: 'sync', online: true, pending: 1, conflicts: 1, rejected: 0 }));
    await waitFor(() => expect(callsOf('sync.status').length).toBe(4));
    expect(said).toEqual([expect.stringMatching(/^En av dina/)]);

    conflicts = 2;
    await act(async () => void vi.advanceTimersByTime(SYNC_POLL_MS));
    await waitFor(() => expect(said.at(-1)).toMatch(/^2 av dina ändringar krockar/));
    expect(said).toHaveLength(2);
  });

  it('does not poll while Kansli is locked', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { callsOf, auth } = mount({ 'sync.status': () => joinedStatus() });
    await screen.findByTestId('sync-status');
    expect(callsOf('sync.status')).toHaveLength(1);
    auth.set({ state: 'locked' } as AuthStatus);
    await act(async () => void vi.advanceTimersByTime(SYNC_POLL_MS * 3));
    expect(callsOf('sync.status')).toHaveLength(1);
    auth.set({ state: 'signed_in' } as AuthStatus);
    await act(async () => void vi.advanceTimersByTime(SYNC_POLL_MS));
    await waitFor(() => expect(callsOf('sync.status')).toHaveLength(2));
  });
});
