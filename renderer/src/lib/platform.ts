/** Key names as the user's keyboard shows them (⌘ on a Mac, Ctrl elsewhere). */
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
export const MOD = isMac ? '⌘' : 'Ctrl';
export const ALT = isMac ? '⌥' : 'Alt';

/** Ctrl on Windows/Linux, Cmd on macOS. */
export const modPressed = (e: KeyboardEvent | ReactKeyboardEvent): boolean => (isMac ? e.metaKey : e.ctrlKey);

/** True when the key press belongs to a text field (shortcuts made of plain letters must not fire). */
export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return el.getAttribute('role') === 'combobox' || el.getAttribute('role') === 'textbox';
}
