// @vitest-environment jsdom
/**
 * The region editor in a DOM over a fake transport: a page is fetched as it is shown (foi.documentPage), a
 * protected person's document only after a reason (checked before it is sent, then sent with every page) and
 * never to an officer who may not see it; N adds a box, the arrows move it, Alt and the arrows resize it,
 * Delete removes it, each said in the live region; PageDown fetches the next page; Ctrl+S hands the regions
 * back; Esc closes at once when nothing changed and asks first when something did; the review form's messages
 * on a region are shown on it until it changes; read only, the keys change nothing.
 */
import { MantineProvider } from '@mantine/core';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MethodInput } from '../../../../shared/api/contract';
import { DEFAULT_FOI_GROUNDS } from '../../../../shared/domain/foi';
import { sessionInfo, setUpDom } from '../../kit/testing';
import { ApiProvider } from '../../lib/api';
import { fakeTransport } from '../../lib/fakeTransport';
import { setLang } from '../../lib/i18n';
import { makeSession, SessionProvider } from '../../lib/session';
import { RegionEditor, type RegionEditorProps } from './Regions';
import type { RegionDraft } from './regions';
import type { Item } from './review';

beforeAll(() => {
  setUpDom();
  if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: new EventTarget(), configurable: true });
  // jsdom lays nothing out: the stage says it is 900 × 700.
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 700 });
});
afterEach(() => cleanup());

const field = (name: string, value: string | null, withheld = false) => ({ name, value, withheld });
const doc = (patch: Partial<Item> = {}): Item => ({
  id: '00000000-0000-4000-8000-000000000010',
  version: 1,
  category: 'document',
  entity: 'person_document',
  recordId: 'd1',
  person: { id: '00000000-0000-4000-8000-000000000001', name: 'Ali, Ella', protected: false },
  fields: [field('title', 'Utredning'), field('pages', '3')],
  proposal: { outcome: 'withhold', ground: null },
  review: null,
  guarded: false,
  changed: false,
  gone: false,
  ...patch,
});
const shot = (page: number) => ({ page, pages: 3, width: 827, height: 1169, image: `data:image/jpeg;base64,cGFnZS0${page}` });

function mount(props: Partial<RegionEditorProps> & { permissions?: string[] } = {}) {
  const t = fakeTransport({ 'foi.documentPage': (i: MethodInput<'foi.documentPage'>) => shot(i.page) });
  setLang('sv');
  const session = makeSession({ ...sessionInfo('SE'), permissions: props.permissions ?? ['foi.read', 'foi.write'] } as Parameters<typeof makeSession>[0]);
  const onDone = vi.fn();
  const onClose = vi.fn();
  const wrap = (ui: ReactNode) => (
    <MantineProvider>
      <SessionProvider session={session}>
        <ApiProvider client={t.client}>{ui}</ApiProvider>
      </SessionProvider>
    </MantineProvider>
  );
  render(wrap(<RegionEditor item={doc()} grounds={DEFAULT_FOI_GROUNDS} inForce={DEFAULT_FOI_GROUNDS.filter((g) => g.country !== 'NO')} itemGround="" regions={[]} onDone={onDone} onClose={onClose} {...props} />));
  return { ...t, onDone, onClose };
}

const editor = () => screen.getByTestId('foi-regions-editor');
const live = () => (within(editor()).getByTestId('foi-regions-live').textContent ?? '').replace(/\u00a0$/, '');
const boxes = () => within(editor()).queryAllByTestId('foi-regions-box');
const geometry = (el: HTMLElement) => ['x', 'y', 'w', 'h'].map((k) => Number(el.getAttribute(`data-${k}`)));

describe('the region editor', () => {
  it('fetches the page shown; N adds a box, the arrows move it, Alt resizes it, Delete removes it, each said; Ctrl+S hands them back', async () => {
    const user = userEvent.setup();
    const t = mount();
    await screen.findByTestId('foi-regions-image');
    expect(t.callsOf('foi.documentPage').map((c) => c.input)).toEqual([{ itemId: doc().id, page: 1 }]);
    expect(within(editor()).getByTestId('foi-regions-pageof').textContent).toBe('Sida 1 av 3');
    await waitFor(() => expect(document.activeElement).toBe(within(editor()).getByTestId('foi-regions-new')));

    await user.keyboard('n');
    await waitFor(() => expect(boxes()).toHaveLength(1));
    await waitFor(() => expect(document.activeElement).toBe(boxes()[0]));
    expect(live()).toBe('Område 1 tillagt på sida 1: x 35 %, y 45 %, 30 × 10 %');
    await user.keyboard('{ArrowRight}{Shift>}{ArrowDown}{/Shift}');
    expect(geometry(boxes()[0]!)).toEqual([0.36, 0.55, 0.3, 0.1]);
    expect(live()).toBe('Område 1: x 36 %, y 55 %, 30 × 10 %');
    await user.keyboard('{Alt>}{ArrowLeft}{ArrowLeft}{ArrowUp}{/Alt}');
    expect(geometry(boxes()[0]!)).toEqual([0.36, 0.55, 0.28, 0.09]);
    expect(live()).toBe('Område 1: x 36 %, y 55 %, 28 × 9 %');

    // PageDown: the next page is fetched; the box stays on its page.
    await user.keyboard('{PageDown}');
    await waitFor(() => expect(within(editor()).getByTestId('foi-regions-pageof').textContent).toBe('Sida 2 av 3'));
    await waitFor(() => expect(within(editor()).getByTestId('foi-regions-image').getAttribute('src')).toBe(shot(2).image));
    expect(boxes()).toHaveLength(0);
    expect(t.callsOf('foi.documentPage').map((c) => (c.input as { page: number }).page)).toEqual([1, 2]);
    await user.keyboard('n');
    await waitFor(() => expect(boxes()).toHaveLength(1));
    expect(live()).toBe('Område 2 tillagt på sida 2: x 35 %, y 45 %, 30 × 10 %');
    await waitFor(() => expect(document.activeElement).toBe(boxes()[0]));
    await user.keyboard('{Delete}');
    await waitFor(() => expect(boxes()).toHaveLength(0));
    expect(live()).toBe('Område 2 borttaget. 1 område kvar.');
    // Back to page 1: the page is not fetched again.
    await user.keyboard('{PageUp}');
    await waitFor(() => expect(boxes()).toHaveLength(1));
    expect(t.callsOf('foi.documentPage')).toHaveLength(2);

    fireEvent.keyDown(editor().querySelector('[data-testid="foi-regions-page"]')!, { key: 's', ctrlKey: true });
    expect(t.onDone).toHaveBeenCalledTimes(1);
    const out = t.onDone.mock.calls[0]![0] as RegionDraft[];
    expect(out.map((r) => [r.page, r.x, r.y, r.w, r.h, r.ground])).toEqual([[1, 0.36, 0.55, 0.28, 0.09, '']]);
  });

  it('Esc closes at once when nothing changed; after a change it asks, and "Fortsätt redigera" keeps the regions', async () => {
    const user = userEvent.setup();
    const t = mount();
    await screen.findByTestId('foi-regions-image');
    await waitFor(() => expect(document.activeElement).toBe(within(editor()).getByTestId('foi-regions-new')));
    await user.keyboard('{Escape}');
    expect(t.onClose).toHaveBeenCalledTimes(1);
    cleanup();

    const u = mount();
    await screen.findByTestId('foi-regions-image');
    await waitFor(() => expect(document.activeElement).toBe(within(editor()).getByTestId('foi-regions-new')));
    await user.keyboard('n');
    await waitFor(() => expect(boxes()).toHaveLength(1));
    await user.keyboard('{Escape}');
    expect(u.onClose).not.toHaveBeenCalled();
    const stay = await within(editor()).findByTestId('foi-regions-discard-stay');
    await waitFor(() => expect(document.activeElement).toBe(stay));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(editor()).queryByTestId('foi-regions-discard')).toBeNull());
    expect(boxes()).toHaveLength(1);
    await user.keyboard('{Escape}');
    await user.click(await within(editor()).findByTestId('foi-regions-discard-confirm'));
    expect(u.onClose).toHaveBeenCalledTimes(1);
    expect(u.onDone).not.toHaveBeenCalled();
  });

  it('a protected person\'s document: the reason first (checked here, then sent with every page), never to an officer without the permission', async () => {
    const user = userEvent.setup();
    const guarded = doc({ guarded: true, person: { id: doc().person.id, name: null, protected: true }, fields: [field('title', null, true), field('pages', null, true)] });
    const t = mount({ item: guarded, permissions: ['foi.read', 'foi.write', 'protected.reveal'] });
    const reason = await within(editor()).findByTestId('foi-regions-reason');
    expect(t.callsOf('foi.documentPage')).toHaveLength(0);
    expect((within(editor()).getByTestId('foi-regions-new') as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(reason));
    await user.keyboard('kort{Enter}');
    expect(t.callsOf('foi.documentPage')).toHaveLength(0);
    expect(within(editor()).getByText('Skriv ett skäl med minst 10 tecken.')).toBeTruthy();
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    await user.keyboard(' men nu tillräckligt långt{Enter}');
    await screen.findByTestId('foi-regions-image');
    // The keys work at once: the focus is on "Nytt område", now enabled.
    await waitFor(() => expect(document.activeElement).toBe(within(editor()).getByTestId('foi-regions-new')));
    expect(t.callsOf('foi.documentPage').map((c) => c.input)).toEqual([{ itemId: guarded.id, page: 1, reason: 'kort men nu tillräckligt långt' }]);
    // The title is withheld: "dokumentet"; the pages come from the answer.
    expect(within(editor()).getByTestId('foi-regions-pageof').textContent).toBe('Sida 1 av 3');
    await user.click(within(editor()).getByTestId('foi-regions-next'));
    await waitFor(() => expect(t.callsOf('foi.documentPage')).toHaveLength(2));
    expect(t.callsOf('foi.documentPage')[1]!.input).toEqual({ itemId: guarded.id, page: 2, reason: 'kort men nu tillräckligt långt' });
    cleanup();

    const u = mount({ item: guarded, permissions: ['foi.read', 'foi.write'] });
    expect(await within(editor()).findByTestId('foi-regions-forbidden')).toBeTruthy();
    expect(within(editor()).queryByTestId('foi-regions-reason')).toBeNull();
    expect(u.callsOf('foi.documentPage')).toHaveLength(0);
  });

  it('opens on the first region with a message of the review form, selected; shows the message until the region changes', async () => {
    const user = userEvent.setup();
    const regions: RegionDraft[] = [
      { id: 'r0', page: 1, x: 0.1, y: 0.1, w: 0.2, h: 0.05, ground: 'se_osl_23_1' },
      { id: 'r1', page: 2, x: 0.1, y: 0.2, w: 0.3, h: 0.05, ground: '' },
    ];
    mount({ regions, errors: { r1: { ground: { key: 'foi.rule.foi_ground_required' } } } });
    await screen.findByTestId('foi-regions-image');
    expect(within(editor()).getByTestId('foi-regions-pageof').textContent).toBe('Sida 2 av 3');
    expect(boxes()[0]!.getAttribute('data-selected')).toBe('true');
    const ground = within(editor()).getByTestId('foi-regions-ground');
    expect(ground.getAttribute('aria-invalid')).toBe('true');
    expect(within(editor()).getByTestId('foi-regions-row-error').textContent).toBe('Ange grunden (lagrummet) för det som maskeras eller undantas.');
    // The options: the item's ground (none chosen here) first, then the grounds in force.
    expect((ground as HTMLSelectElement).options[0]!.textContent).toBe('Postens grund (ingen vald)');
    await user.selectOptions(ground, 'se_osl_23_2');
    expect(ground.getAttribute('aria-invalid')).not.toBe('true');
    expect(within(editor()).queryByTestId('foi-regions-row-error')).toBeNull();
    expect(live()).toBe('Område 2: OSL 23:2');
  });

  it('Delete on a row of the list removes its region; the focus goes to the next row, its page shown', async () => {
    const user = userEvent.setup();
    const regions: RegionDraft[] = [
      { id: 'r1', page: 1, x: 0.1, y: 0.2, w: 0.3, h: 0.05, ground: '' },
      { id: 'r2', page: 3, x: 0.5, y: 0.5, w: 0.2, h: 0.1, ground: 'se_osl_23_1' },
    ];
    const t = mount({ regions });
    await screen.findByTestId('foi-regions-image');
    const rows = () => within(editor()).queryAllByTestId('foi-regions-row');
    expect(rows().map((r) => r.getAttribute('data-region-id'))).toEqual(['r1', 'r2']);
    rows()[0]!.focus();
    await user.keyboard('{Delete}');
    await waitFor(() => expect(rows().map((r) => r.getAttribute('data-region-id'))).toEqual(['r2']));
    await waitFor(() => expect(document.activeElement).toBe(rows()[0]));
    await waitFor(() => expect(within(editor()).getByTestId('foi-regions-pageof').textContent).toBe('Sida 3 av 3'));
    expect(live()).toBe('Område 1 borttaget. 1 område kvar.');
    expect(within(editor()).getByTestId('foi-regions-selected').getAttribute('data-region-id')).toBe('r2');
    fireEvent.keyDown(rows()[0]!, { key: 's', ctrlKey: true });
    expect((t.onDone.mock.calls[0]![0] as RegionDraft[]).map((r) => r.id)).toEqual(['r2']);
  });

  it('read only: the boxes take the focus, not the keys; no new region, no ground to choose', async () => {
    const user = userEvent.setup();
    const regions: RegionDraft[] = [{ id: 'r1', page: 1, x: 0.1, y: 0.2, w: 0.3, h: 0.05, ground: 'se_osl_23_2' }];
    const t = mount({ regions, readOnly: true, itemGround: 'se_osl_23_1' });
    await screen.findByTestId('foi-regions-image');
    expect(within(editor()).queryByTestId('foi-regions-new')).toBeNull();
    expect(within(editor()).queryByTestId('foi-regions-ground')).toBeNull();
    boxes()[0]!.focus();
    await user.keyboard('{ArrowRight}{Delete}n');
    expect(boxes()).toHaveLength(1);
    expect(geometry(boxes()[0]!)).toEqual([0.1, 0.2, 0.3, 0.05]);
    expect(within(editor()).getByTestId('foi-regions-selected').textContent).toContain('grund: OSL 23:2');
    await user.keyboard('{Escape}');
    expect(t.onClose).toHaveBeenCalledTimes(1);
  });
});
