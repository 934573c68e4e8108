// @vitest-environment jsdom
/**
 * Focus going back to a dialog's opener (focus.ts): back on the opener after the dialog closes, also when
 * the list reloads it; but a dialog opened meanwhile keeps its focus: opening it (it remembers its own
 * opener) ends the earlier return, also when the new dialog is the very element that just closed (a
 * confirmation reopened at once). Before, focus was pulled back to the opener for 1.5 s.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rememberFocus, stopFocusReturn } from './focus';

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

function dialog(id: string): HTMLElement {
  const d = document.createElement('div');
  d.setAttribute('role', 'dialog');
  d.innerHTML = `<input id="${id}-field">`;
  document.body.append(d);
  return d;
}

describe('rememberFocus', () => {
  it('puts focus back on the opener when the dialog closes', () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<button id="opener">Open</button>';
    document.getElementById('opener')!.focus();
    const memory = rememberFocus();
    const d = dialog('first');
    document.getElementById('first-field')!.focus();
    memory.restore();
    d.remove();
    vi.advanceTimersByTime(100);
    expect(document.activeElement?.id).toBe('opener');
  });

  it('finds the opener again by its id when the list it sat in is reloaded', () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<div id="list"><button id="row-1-edit">Edit</button></div>';
    document.getElementById('row-1-edit')!.focus();
    const memory = rememberFocus();
    memory.restore();
    vi.advanceTimersByTime(10);
    document.getElementById('list')!.innerHTML = '<button id="row-1-edit">Edit</button>';
    vi.advanceTimersByTime(100);
    expect(document.activeElement).toBe(document.getElementById('row-1-edit'));
  });

  it('while the closing dialog still holds focus (fading out), focus goes back to the opener', () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<button id="opener">Open</button>';
    document.getElementById('opener')!.focus();
    const memory = rememberFocus();
    const d = dialog('first');
    document.getElementById('first-field')!.focus();
    memory.restore();
    vi.advanceTimersByTime(10);
    expect(document.activeElement?.id).toBe('opener');
    d.remove();
  });

  it('leaves a dialog opened meanwhile alone (its field keeps the focus)', () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<button id="opener">Open</button>';
    document.getElementById('opener')!.focus();
    const memory = rememberFocus();
    const first = dialog('first');
    document.getElementById('first-field')!.focus();
    memory.restore();
    first.remove();
    vi.advanceTimersByTime(60);
    expect(document.activeElement?.id).toBe('opener');
    // The clerk opens the next dialog at once: it remembers its opener, its field takes the focus.
    const next = rememberFocus();
    dialog('second');
    document.getElementById('second-field')!.focus();
    vi.advanceTimersByTime(1_600);
    expect(document.activeElement?.id).toBe('second-field');
    next.restore();
  });

  it('leaves a confirmation reopened at once alone, although it is the element that just closed', () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<button id="delete">Delete</button>';
    document.getElementById('delete')!.focus();
    const memory = rememberFocus();
    const confirm = dialog('confirm');
    document.getElementById('confirm-field')!.focus();
    // Closed (Esc): focus heads back to the button while the dialog is still in the page.
    memory.restore();
    vi.advanceTimersByTime(10);
    expect(document.activeElement?.id).toBe('delete');
    // Reopened at once, the same element: its field takes the focus and keeps it.
    rememberFocus();
    document.getElementById('confirm-field')!.focus();
    vi.advanceTimersByTime(1_600);
    expect(document.activeElement?.id).toBe('confirm-field');
    confirm.remove();
  });

  it('a palette opened a moment after a dialog closed keeps its focus (it ends the return without remembering an opener)', () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<button id="opener">Open</button>';
    document.getElementById('opener')!.focus();
    const memory = rememberFocus();
    const d = dialog('first');
    document.getElementById('first-field')!.focus();
    memory.restore();
    d.remove();
    vi.advanceTimersByTime(100);
    expect(document.activeElement?.id).toBe('opener');
    const palette = dialog('palette');
    stopFocusReturn();
    document.getElementById('palette-field')!.focus();
    vi.advanceTimersByTime(2000);
    expect(document.activeElement?.id).toBe('palette-field');
    palette.remove();
  });
});
