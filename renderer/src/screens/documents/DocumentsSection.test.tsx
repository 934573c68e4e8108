// @vitest-environment jsdom
/**
 * The card's documents block in a DOM over a fake transport, with the desktop's file bridge (the native
 * dialogs): a reader without register.write may open but not attach, change or remove; Alt+D attaches a
 * file chosen in the native dialog (its name the title) and a joined workstation's `unavailable` is said in
 * plain words, as it is for opening; a protected person's document opens after a reason; a withheld list says so.
 */
import { MantineProvider } from '@mantine/core';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DocumentView } from '../../../../shared/api/documents';
import { sessionInfo, setUpDom } from '../../kit/testing';
import { ApiProvider } from '../../lib/api';
import type { AuthStatus } from '../../lib/auth';
import { AuthProvider } from '../../lib/authContext';
import type { PersonCard } from '../../lib/domain';
import { EventsProvider } from '../../lib/events';
import { fakeEvents, fakeTransport, type FakeHandlers } from '../../lib/fakeTransport';
import { setLang } from '../../lib/i18n';
import { makeSession, SessionProvider } from '../../lib/session';
import { createStore } from '../../lib/store';
import { DocumentsSection } from './DocumentsSection';

beforeAll(() => {
  setUpDom();
  globalThis.CSS ??= { escape: (s: string) => s.replace(/["\\]/g, '\\$&') } as typeof CSS;
  // Mantine's autosizing textarea (the reason) listens for web fonts, which jsdom does not have.
  if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: new EventTarget(), configurable: true });
});
afterEach(() => {
  cleanup();
  delete window.kansliFiles;
});

const PERSON = '00000000-0000-4000-8000-000000000001';
const person = (patch: Partial<PersonCard> = {}) => ({ id: PERSON, givenName: 'Ella', middleName: null, familyName: 'Ali', protection: 'none', shielded: false, ...patch }) as PersonCard;

const letter: DocumentView = {
  id: '00000000-0000-4000-8000-000000000003',
  version: 1,
  personId: PERSON,
  title: 'Brev från vårdnadshavare',
  kind: 'letter',
  documentDate: '2026-11-02',
  classification: 'confidential',
  classificationGround: 'OSL 23:2',
  retentionClass: 'years_3',
  fileName: 'brev.pdf',
  mime: 'application/pdf',
  size: 2048,
  pages: 2,
  createdAt: '2026-11-02T08:00:00Z',
  createdByName: 'Kari',
};

function mount(permissions: string[], handlers: FakeHandlers, p: PersonCard = person()) {
  const t = fakeTransport(handlers);
  setLang('sv');
  const session = makeSession({ ...sessionInfo('SE'), permissions } as Parameters<typeof makeSession>[0]);
  const auth = createStore<AuthStatus | null>({ state: 'signed_in' } as AuthStatus);
  const onChanged = vi.fn();
  const wrap = (ui: ReactNode) => (
    <MantineProvider>
      <SessionProvider session={session}>
        <ApiProvider client={t.client}>
          <EventsProvider source={fakeEvents()}>
            <AuthProvider value={{ status: auth, lock: () => undefined, signOut: () => undefined, setStatus: (s) => auth.set(s), passwordMinLength: 12 }}>{ui}</AuthProvider>
          </EventsProvider>
        </ApiProvider>
      </SessionProvider>
    </MantineProvider>
  );
  render(wrap(<DocumentsSection person={p} revision={0} onChanged={onChanged} />));
  return { ...t, onChanged };
}

/** The desktop's file bridge: the native open dialog "chooses" a file, the save dialog saves. */
function desktopFiles() {
  const files = {
    open: vi.fn(async () => ({ ok: true as const, data: { fileId: 'upload-1', name: 'Beslut om plats.pdf', size: 4096 } })),
    save: vi.fn(async () => ({ ok: true as const, data: { name: 'saved.pdf' } })),
  };
  window.kansliFiles = files;
  return files;
}

describe('the documents block', () => {
  it('a reader without register.write opens a document but may not attach, change or remove; Alt+D does nothing', async () => {
    const files = desktopFiles();
    const t = mount(['register.read'], {
      'document.list': () => ({ items: [letter], withheld: false }),
      'document.open': () => ({ file: { fileId: 'export-1', name: 'brev.pdf', mime: 'application/pdf', size: 2048 } }),
    });
    const block = await screen.findByTestId('documents-section');
    const row = await within(block).findByTestId('document-row');
    expect(row.textContent).toContain('Sekretessmarkerad');
    expect(within(row).getByTestId('document-ground').textContent).toBe('OSL 23:2');
    expect(row.textContent).toContain('Gallras efter 3 år');
    expect(within(block).queryByTestId('documents-attach')).toBeNull();
    expect(within(block).queryByTestId('document-edit')).toBeNull();
    expect(within(block).queryByTestId('document-remove')).toBeNull();
    fireEvent.keyDown(window, { key: 'd', code: 'KeyD', altKey: true });
    expect(screen.queryByTestId('document-dialog')).toBeNull();
    // Enter on the row opens: document.open without a reason, then the save dialog with the file's name.
    row.focus();
    await userEvent.setup().keyboard('{Enter}');
    await waitFor(() => expect(files.save).toHaveBeenCalledWith('export-1'));
    expect(t.callsOf('document.open').map((c) => c.input)).toEqual([{ id: letter.id }]);
    await waitFor(() => expect(within(block).getByTestId('documents-status').textContent).toBe('Dokumentet är hämtat: brev.pdf'));
  });

  it('Alt+D attaches the file the native dialog chose; on a joined workstation the refusal is said plainly and nothing changes', async () => {
    const files = desktopFiles();
    const t = mount(['register.read', 'register.write'], {
      'document.list': () => ({ items: [], withheld: false }),
      'document.add': () => ({ error: { code: 'unavailable', message: 'joined' } }),
    });
    const block = await screen.findByTestId('documents-section');
    await within(block).findByText('Inga dokument.');
    fireEvent.keyDown(window, { key: 'd', code: 'KeyD', altKey: true });
    const dialog = await screen.findByTestId('document-dialog');
    const user = userEvent.setup();
    await user.click(within(dialog).getByTestId('document-file-button'));
    expect(files.open).toHaveBeenCalledWith('document');
    await waitFor(() => expect(within(dialog).getByTestId('document-file-chosen').textContent).toContain('Beslut om plats.pdf'));
    expect((within(dialog).getByTestId('document-title-input') as HTMLInputElement).value).toBe('Beslut om plats');
    await user.selectOptions(within(dialog).getByTestId('document-kind'), 'decision');
    await user.selectOptions(within(dialog).getByTestId('document-retention'), 'permanent');
    await user.click(within(dialog).getByTestId('document-submit'));
    await waitFor(() => expect(dialog.textContent).toContain('Dokument kan inte bifogas här ännu: arbetsstationen är ansluten till en central server'));
    expect(t.callsOf('document.add').map((c) => c.input)).toEqual([
      { personId: PERSON, fileId: 'upload-1', title: 'Beslut om plats', kind: 'decision', documentDate: '2026-11-23', classification: 'open', classificationGround: null, retentionClass: 'permanent' },
    ]);
    expect(screen.getByTestId('document-dialog')).toBeTruthy();
  });

  it('opening on a joined workstation says why it does not open', async () => {
    desktopFiles();
    mount(['register.read'], {
      'document.list': () => ({ items: [letter], withheld: false }),
      'document.open': () => ({ error: { code: 'unavailable', message: 'joined' } }),
    });
    const block = await screen.findByTestId('documents-section');
    await userEvent.setup().click(await within(block).findByTestId('document-open'));
    const alert = await within(block).findByTestId('documents-error');
    expect(alert.textContent).toContain('Dokumentet kan inte öppnas här ännu');
  });

  it('a protected person’s document asks for the reason first and opens with it', async () => {
    const files = desktopFiles();
    const t = mount(
      ['register.read', 'protected.reveal'],
      {
        'document.list': () => ({ items: [letter], withheld: false }),
        'document.open': () => ({ file: { fileId: 'export-2', name: 'brev.pdf', mime: 'application/pdf', size: 2048 } }),
      },
      person({ protection: 'se_skyddad_folkbokforing', shielded: true }),
    );
    const block = await screen.findByTestId('documents-section');
    expect((await within(block).findByTestId('documents-guarded-note')).textContent).toContain('skyddade personuppgifter');
    const user = userEvent.setup();
    await user.click(within(block).getByTestId('document-open'));
    const dialog = await screen.findByTestId('document-reason-dialog');
    expect(dialog.textContent).toContain('”Brev från vårdnadshavare” gäller Ella Ali');
    expect(t.callsOf('document.open')).toHaveLength(0);
    await user.type(within(dialog).getByTestId('document-reason'), 'Ärende 12: skolskjuts{Enter}');
    await waitFor(() => expect(files.save).toHaveBeenCalledWith('export-2'));
    expect(t.callsOf('document.open').map((c) => c.input)).toEqual([{ id: letter.id, reason: 'Ärende 12: skolskjuts' }]);
    await waitFor(() => expect(screen.queryByTestId('document-reason-dialog')).toBeNull());
  });

  it('a withheld list says so, and offers nothing', async () => {
    mount(['register.read', 'register.write'], { 'document.list': () => ({ items: [], withheld: true }) }, person({ protection: 'se_skyddad_folkbokforing', shielded: true }));
    const text = await screen.findByTestId('documents-withheld');
    expect(text.textContent).toMatch(/^Dokument visas inte: personen har skyddade personuppgifter/);
    expect(screen.queryByTestId('documents-attach')).toBeNull();
  });
});
