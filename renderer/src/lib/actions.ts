/**
 * Screen actions: the current screen registers what "edit" (and the like) means right now, so the
 * global shortcut (E / Ctrl+E) and the command palette both reach it without knowing the screen.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { TKey } from './i18n';

export interface ScreenAction {
  id: 'edit' | 'newUnit' | 'reload' | 'reveal' | 'newUser';
  label: TKey;
  run: () => void;
}

let actions: readonly ScreenAction[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function useScreenAction(action: ScreenAction | null): void {
  const id = action?.id;
  const label = action?.label;
  const run = action?.run;
  useEffect(() => {
    if (!id || !label || !run) return;
    const a: ScreenAction = { id, label, run };
    actions = [...actions.filter((x) => x.id !== id), a];
    emit();
    return () => {
      actions = actions.filter((x) => x !== a);
      emit();
    };
  }, [id, label, run]);
}

export function getScreenAction(id: ScreenAction['id']): ScreenAction | undefined {
  return actions.find((a) => a.id === id);
}

export function useScreenActions(): readonly ScreenAction[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => actions,
  );
}
