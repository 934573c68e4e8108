// @vitest-environment jsdom
/**
 * Stacked dialogs (./dialogStack.ts): Esc closes the topmost dialog only, then the one under it; a focused
 * element that owns its Esc (marked `data-mantine-stop-propagation`, as Mantine's open menus are) leaves both
 * open; a dialog closed by its own button hands Esc back to the one under it.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Providers, setUpDom } from '../kit/testing';
import { Dialog } from './Dialog';
import { openDialogs } from './dialogStack';

beforeAll(setUpDom);
afterEach(cleanup);

function Stacked() {
  const [outer, setOuter] = useState(true);
  const [inner, setInner] = useState(false);
  return (
    <Dialog opened={outer} onClose={() => setOuter(false)} title="Granskning" testId="outer">
      <button type="button" onClick={() => setInner(true)}>
        Rita
      </button>
      <Dialog opened={inner} onClose={() => setInner(false)} title="Områden" testId="inner">
        <input aria-label="Fält" />
        <input aria-label="Meny" data-mantine-stop-propagation="true" />
        <input aria-label="Enhet" role="combobox" aria-expanded="true" aria-controls="k-units" onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.setAttribute('aria-expanded', 'false')} />
        <ul id="k-units" />
        <button type="button" onClick={() => setInner(false)}>
          Klar
        </button>
      </Dialog>
    </Dialog>
  );
}

/** Both dialogs open, the focus in the upper one's field named `field`. */
async function openBoth(field: string) {
  const user = userEvent.setup();
  render(
    <Providers>
      <Stacked />
    </Providers>,
  );
  await user.click(await screen.findByRole('button', { name: 'Rita' }));
  await user.click(await screen.findByLabelText(field));
  return user;
}

describe('stacked dialogs', () => {
  it('Esc closes the topmost dialog only, then the one under it', async () => {
    const user = await openBoth('Fält');
    expect(openDialogs()).toBe(2);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('inner')).toBeNull());
    expect(screen.getByTestId('outer')).toBeTruthy();
    expect(openDialogs()).toBe(1);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('outer')).toBeNull());
    expect(openDialogs()).toBe(0);
  });

  it('Esc in an open combobox closes its list first, the dialogs stay; the next Esc closes the upper dialog', async () => {
    const user = await openBoth('Enhet');
    await user.keyboard('{Escape}');
    expect(screen.getByRole('combobox', { name: 'Enhet' }).getAttribute('aria-expanded')).toBe('false');
    expect(openDialogs()).toBe(2);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('inner')).toBeNull());
    expect(screen.getByTestId('outer')).toBeTruthy();
  });

  it('a focused element that owns its Esc keeps both open; closed by its button, Esc goes to the one under it', async () => {
    const user = await openBoth('Meny');
    await user.keyboard('{Escape}');
    expect(screen.getByTestId('inner')).toBeTruthy();
    expect(screen.getByTestId('outer')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Klar' }));
    await waitFor(() => expect(screen.queryByTestId('inner')).toBeNull());
    expect(openDialogs()).toBe(1);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('outer')).toBeNull());
  });
});
