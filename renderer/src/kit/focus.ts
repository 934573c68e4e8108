/**
 * Focus goes back where the clerk was. A dialog remembers the control that opened it; when it closes,
 * that control gets focus again. If the control is gone (the list it sat in was reloaded after the save),
 * the same control in the new list is found by its id or test id, waiting a moment for the reload; then
 * the fallback the form names (a section heading); never the page body. A dialog opened meanwhile (the
 * next one at once) ends that watch and keeps its own focus.
 */
/** A value inside a quoted attribute selector. */
const q = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

function selectorOf(el: HTMLElement): string | null {
  if (el.id) return `[id=${q(el.id)}]`;
  const tid = el.getAttribute('data-testid');
  const row = el.closest<HTMLElement>('[data-row-id]');
  if (tid && row) return `[data-row-id=${q(row.getAttribute('data-row-id')!)}] [data-testid=${q(tid)}]`;
  if (tid) return `[data-testid=${q(tid)}]`;
  return null;
}

export interface FocusMemory {
  restore: (fallbackId?: string) => void;
}

/**
 * The focus return still watching (below), if any. A dialog remembers its opener when it opens, so a new
 * `rememberFocus` means a new dialog (or the lock screen) is opening: the earlier return stops there, or it
 * would pull focus out of the new dialog for the rest of its watch. Tied to the opening, not to which
 * element holds focus: a confirmation reopened at once may be the same element as the one that closed.
 */
let watching: { stop: () => void } | null = null;

/**
 * Ends a focus return still watching: for a dialog that does not remember its opener (the command palette,
 * which hands focus on to what its action opens), opened within the watch's moment after another closed.
 */
export function stopFocusReturn(): void {
  watching?.stop();
  watching = null;
}

/** Remembers the focused element now; `restore` puts focus back there (or its stand-in) later. */
export function rememberFocus(): FocusMemory {
  watching?.stop();
  watching = null;
  const from = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  const selector = from ? selectorOf(from) : null;
  return {
    restore(fallbackId?: string) {
      const started = performance.now();
      let placed: HTMLElement | null = null;
      let stopped = false;
      const mine = { stop: () => void (stopped = true) };
      watching = mine;
      // Watch for a moment: the list the control sat in is often reloaded just after the dialog closes,
      // which replaces the control (and drops focus to the body) a few frames later.
      const attempt = (): void => {
        if (stopped) return;
        const active = document.activeElement;
        const idle = !active || active === document.body || !!active.closest('[role="dialog"]');
        const target = from?.isConnected ? from : selector ? document.querySelector<HTMLElement>(selector) : null;
        // Focus moved on (the user, another control): leave it there. On the opener already: keep watching.
        if (!idle && active !== placed && active !== target) {
          if (watching === mine) watching = null;
          return;
        }
        if (active === target) placed = target;
        if (target && active !== target) {
          target.focus({ preventScroll: true });
          placed = target;
        }
        if (performance.now() - started < 1500) {
          window.setTimeout(attempt, 50);
          return;
        }
        if (watching === mine) watching = null;
        if (!placed?.isConnected && (document.activeElement === document.body || !document.activeElement)) {
          const fallback = (fallbackId && document.getElementById(fallbackId)) || document.querySelector<HTMLElement>('main h1, h1');
          fallback?.focus({ preventScroll: true });
        }
      };
      window.setTimeout(attempt, 0);
    },
  };
}
