/**
 * Esc closes the topmost open dialog, and only that one. Mantine's modals each listen for Esc on the window,
 * so a dialog opened over another (the region editor over the review, "discard?" over a form) closed both.
 * Every Kansli dialog turns Mantine's own Esc off and registers here instead: one window listener (capture
 * phase, as Mantine's) hands Esc to the dialog opened last. The same filters as Mantine's apply: an IME
 * composition, an event already handled, and a focused element marked `data-mantine-stop-propagation` (an
 * open menu) leave the dialogs alone; so does an open combobox (a unit picker's list): Esc closes its list
 * first, as on a page form (kit/FormPage.tsx).
 */
import { useEffect, useRef } from 'react';

interface Entry {
  close: () => void;
}

const stack: Entry[] = [];

function onKeyDown(e: KeyboardEvent) {
  if (e.key !== 'Escape' || e.isComposing || e.defaultPrevented) return;
  const top = stack[stack.length - 1];
  if (!top) return;
  if (e.target instanceof Element && ownsEscape(e.target)) return;
  e.preventDefault();
  top.close();
}

function ownsEscape(el: Element): boolean {
  if (el.getAttribute('data-mantine-stop-propagation') === 'true') return true;
  const listOpen = el.getAttribute('aria-expanded') === 'true' && (el.getAttribute('role') === 'combobox' || el.getAttribute('aria-haspopup') === 'listbox');
  return listOpen;
}

function push(entry: Entry) {
  if (stack.length === 0) window.addEventListener('keydown', onKeyDown, { capture: true });
  stack.push(entry);
}

function remove(entry: Entry) {
  const at = stack.indexOf(entry);
  if (at >= 0) stack.splice(at, 1);
  if (stack.length === 0) window.removeEventListener('keydown', onKeyDown, { capture: true });
}

/** While `opened`, Esc calls `onClose` when this dialog is the topmost one (the one opened last). */
export function useDialogEscape(opened: boolean, onClose: () => void): void {
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    if (!opened) return;
    const entry: Entry = { close: () => closeRef.current() };
    push(entry);
    return () => remove(entry);
  }, [opened]);
}

/** How many dialogs are open (for tests). */
export const openDialogs = (): number => stack.length;
