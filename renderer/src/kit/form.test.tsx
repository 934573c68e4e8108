// @vitest-environment jsdom
/**
 * The form kit in a DOM: when errors speak (blur, save), where the core's answers land, the dialog's
 * keys and question, focus going back to the opener, and one button order.
 */
import { TextInput } from '@mantine/core';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallResult } from '../../../shared/api/transport';
import { formatDate } from '../lib/format';
import { mapApiError } from './errors';
import { FormDialog } from './FormDialog';
import { Providers, setUpDom } from './testing';
import { focusFirstError, useForm } from './useForm';

beforeAll(setUpDom);
afterEach(cleanup);

type Call = () => Promise<CallResult<{ id: string }>>;

function PlacementLikeDialog(props: { call: Call; onClose: () => void; onSaved?: () => void }) {
  const f = useForm(
    { validFrom: '', hours: '' },
    {
      validate: (v) => ({
        ...(v.validFrom.trim() ? {} : { validFrom: { key: 'validation.required' as const } }),
        ...(v.hours && !/^\d+$/.test(v.hours) ? { hours: { key: 'care.issue.hours_range' as const } } : {}),
      }),
    },
  );
  const save = async () => {
    const r = await f.submit(props.call);
    if (r) props.onSaved?.();
  };
  return (
    <FormDialog form={f} title="Ny placering" testId="dlg" onSubmit={() => void save()} onClose={props.onClose}>
      <TextInput label="Från" value={f.v.validFrom} onChange={(e) => f.set('validFrom', e.currentTarget.value)} {...f.field('validFrom')} data-autofocus />
      <TextInput label="Timmar" value={f.v.hours} onChange={(e) => f.set('hours', e.currentTarget.value)} {...f.field('hours')} />
    </FormDialog>
  );
}

const ok: Call = () => Promise.resolve({ ok: true, data: { id: 'x' } });

describe('form kit: when errors speak', () => {
  it('a field speaks when left, the banner only after a save attempt', async () => {
    const user = userEvent.setup();
    render(
      <Providers>
        <PlacementLikeDialog call={ok} onClose={() => undefined} />
      </Providers>,
    );
    const hours = await screen.findByLabelText('Timmar');
    await user.click(hours);
    await user.type(hours, 'tio');
    // Still typing: no message yet.
    expect(screen.queryByText(/timmar per vecka/i)).toBeNull();
    await user.tab();
    expect(await screen.findByText(/timmar/i, { selector: '[data-testid="field-error"]' })).toBeTruthy();
    // "Från" was never visited: silent, and no banner before any save.
    expect(screen.getAllByTestId('field-error')).toHaveLength(1);
    expect(screen.queryByTestId('form-errors')).toBeNull();

    await user.click(screen.getByTestId('save'));
    const banner = await screen.findByTestId('form-errors');
    expect(banner.textContent).toContain('2 fält behöver rättas');
    expect(screen.getAllByTestId('field-error')).toHaveLength(2);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText(/Från/)));
  });

  it("the core's rule lands on the field it names, with what it clashes with, until that field changes", async () => {
    const user = userEvent.setup();
    const refuse: Call = () =>
      Promise.resolve({ ok: false, error: { code: 'rule_violation', rule: 'placement_overlap', field: 'validFrom', message: 'x', details: { unit: 'Ängsbackens förskola', from: '2026-08-17', to: '…' } } });
    render(
      <Providers>
        <PlacementLikeDialog call={refuse} onClose={() => undefined} />
      </Providers>,
    );
    const from = await screen.findByLabelText(/Från/);
    await user.type(from, '2026-09-01');
    await user.keyboard('{Control>}s{/Control}');
    const msg = await screen.findByText(/Ängsbackens förskola/);
    expect(msg.textContent).toContain(formatDate('2026-08-17', 'sv'));
    expect(msg.textContent).toContain('Ängsbackens förskola');
    await user.type(from, '2');
    expect(screen.queryByText(/Ängsbackens förskola/)).toBeNull();
  });
});

describe('form dialog: keys, question, focus', () => {
  it('Esc with changes asks inside the dialog; "keep editing" goes back to the field', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(
      <Providers>
        <PlacementLikeDialog call={ok} onClose={onClose} />
      </Providers>,
    );
    const hours = await screen.findByLabelText('Timmar');
    await user.type(hours, '12');
    await user.keyboard('{Escape}');
    expect(await screen.findByTestId('discard-modal')).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('discard-stay'));
    await waitFor(() => expect(document.activeElement).toBe(hours));
    await user.keyboard('{Escape}');
    await user.click(await screen.findByTestId('discard-confirm'));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('one button order: the action, Cancel, the keyboard hint', async () => {
    render(
      <Providers>
        <PlacementLikeDialog call={ok} onClose={() => undefined} />
      </Providers>,
    );
    const save = await screen.findByTestId('save');
    const bar = save.parentElement!;
    const order = [...bar.children].map((c) => c.getAttribute('data-testid'));
    expect(order.slice(0, 3)).toEqual(['save', 'cancel', 'keys-hint']);
    expect(save.getAttribute('aria-keyshortcuts')).toBe('Control+S');
  });

  it('after a save, focus returns to the button that opened the dialog, even when its list was re-rendered', async () => {
    const user = userEvent.setup();
    function Screen() {
      const [open, setOpen] = useState(false);
      const [generation, setGeneration] = useState(0);
      return (
        <div>
          {/* The list re-renders with new elements after the save (a reload), as the care card does. */}
          <ul key={generation}>
            <li data-row-id="p1">
              <button type="button" data-testid="edit" onClick={() => setOpen(true)}>
                Ändra
              </button>
            </li>
          </ul>
          {open && (
            <PlacementLikeDialog
              call={ok}
              onClose={() => setOpen(false)}
              onSaved={() => {
                setOpen(false);
                setTimeout(() => setGeneration((g) => g + 1), 100);
              }}
            />
          )}
        </div>
      );
    }
    render(
      <Providers>
        <Screen />
      </Providers>,
    );
    const opener = screen.getByTestId('edit');
    opener.focus();
    await user.keyboard('{Enter}');
    const from = await screen.findByLabelText(/Från/);
    await user.type(from, '2026-09-01');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByTestId('dlg')).toBeNull());
    await act(() => new Promise((r) => setTimeout(r, 300)));
    await waitFor(() => expect(screen.getByTestId('edit')).not.toBe(opener));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('edit')), { timeout: 1400 });
  });
});

describe('mapApiError', () => {
  const known = (f: string) => ['validFrom', 'ownerIds', 'identityNumber'].includes(f);
  it('puts a rule on the nearest field the form shows, the rest at the top', () => {
    expect(mapApiError({ code: 'rule_violation', rule: 'owner_not_guardian', field: 'ownerIds.1', message: '' }, known)).toEqual({ fields: { ownerIds: { key: 'rule.owner_not_guardian' } }, top: [] });
    expect(mapApiError({ code: 'rule_violation', rule: 'no_such_rule', message: '' }, known).top).toEqual([{ key: 'care.error.rule', vars: undefined }]);
    expect(mapApiError({ code: 'busy', message: '' }, known)).toEqual({ fields: {}, top: [{ key: 'error.busy' }] });
    expect(mapApiError({ code: 'internal', message: '' }, known).top).toEqual([{ key: 'error.saveFailed' }]);
  });
  it('validation issues by code, a duplicate number links to its holder', () => {
    const r = mapApiError(
      {
        code: 'validation',
        message: '',
        issues: [
          { field: 'identityNumber', code: 'identity.duplicate', message: 'p-9' },
          { field: 'validFrom', code: 'date_invalid', message: '' },
          { field: 'elsewhere', code: 'hours_range', message: '' },
        ],
      },
      known,
    );
    expect(r.fields.identityNumber).toEqual({ key: 'validation.identity.duplicate', personId: 'p-9' });
    expect(r.fields.validFrom).toEqual({ key: 'validation.date_invalid' });
    expect(r.top).toEqual([{ key: 'care.issue.hours_range' }]);
  });
  it('an overlap with details gets the message that names the placement', () => {
    const r = mapApiError({ code: 'rule_violation', rule: 'placement_overlap', field: 'validFrom', message: '', details: { unit: 'U', from: '2026-01-01', to: '…' } }, known);
    expect(r.fields.validFrom!.key).toBe('rule.placement_overlap.details');
  });
});

describe('focusFirstError', () => {
  it('waits for an error React commits late, and leaves the focus to whoever took it meanwhile', async () => {
    const box = document.createElement('div');
    document.body.append(box);
    box.innerHTML = '<button id="save">Spara</button><button id="other">Avsluta i stället</button><input id="field" />';
    const save = box.querySelector<HTMLButtonElement>('#save')!;
    const field = box.querySelector<HTMLInputElement>('#field')!;
    // The error is drawn 50 ms after the call (a commit after the timer): the field still gets the focus.
    save.focus();
    focusFirstError(box);
    setTimeout(() => field.setAttribute('aria-invalid', 'true'), 50);
    await waitFor(() => expect(document.activeElement).toBe(field));
    // Another call, but the screen moves the focus on purpose before the error is drawn: it stays there.
    field.removeAttribute('aria-invalid');
    save.focus();
    focusFirstError(box);
    box.querySelector<HTMLButtonElement>('#other')!.focus();
    setTimeout(() => field.setAttribute('aria-invalid', 'true'), 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(document.activeElement?.id).toBe('other');
    box.remove();
  });
});
