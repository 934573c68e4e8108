/**
 * Screen actions: the current screen registers what "edit" (and the like) means right now, so the
 * global shortcut (E / Ctrl+E) and the command palette both reach it without knowing the screen.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { FoiStatus } from '../../../shared/domain/foi';
import type { TKey } from './i18n';
import { createStore } from './store';

export interface ScreenAction {
  id:
    | 'edit'
    | 'newUnit'
    | 'reload'
    | 'reveal'
    | 'newUser'
    // The office screens: the queue, the lists and the year rollover.
    | 'exportPdf'
    | 'exportCsv'
    | 'preview'
    | 'commit'
    // Registered by the shell for every screen (navigation and "new application" from anywhere).
    | 'goQueue'
    | 'goLists'
    | 'goRollover'
    | 'goPlacementRules'
    | 'goImports'
    | 'goWorklist'
    | 'goIntake'
    | 'goCsvMappings'
    | 'goSync'
    | 'goFees'
    | 'goFeeRules'
    | 'newApplication'
    // The folkbokföring screens: imports and their review, the work list, the intake.
    | 'newImport'
    | 'newCsvMapping'
    | 'saveCsvMapping'
    | 'applyImport'
    | 'discardImport'
    | 'exportProblems'
    | 'confirmWork'
    | 'dismissWork'
    | 'createEnrolments'
    // A child's card: Alt+N and the enrolment dialog.
    | 'newPlacement'
    | 'newEnrolment'
    // Fees: a new run, and a run's actions.
    | 'newFeeRun'
    | 'lockFeeRun'
    | 'postFeeRun'
    | 'exportFeeRun'
    | 'discardFeeRun'
    // Fee rules: a new rule set.
    | 'newFeeRuleSet'
    // FOI requests: the dashboard, a new request, and a request's actions (each status move its own).
    | 'goFoi'
    | 'goFoiSettings'
    | 'newFoiRequest'
    // The FOI settings: a new legal ground.
    | 'newFoiGround'
    | 'extendFoiRequest'
    | 'addFoiPerson'
    | 'addFoiGroup'
    // A request's secrecy review: gather (Alt+G), take the proposals, the extract.
    | 'foiGather'
    | 'foiAccept'
    | 'foiExtract'
    // Once decided: the decision letter, a disclosure recorded.
    | 'foiDecisionLetter'
    | 'foiDisclose'
    | `foiMove.${FoiStatus}`;
  label: TKey;
  run: () => void;
  /** Where the palette lists it (default: this screen). */
  group?: 'navigate' | 'create';
  /** The keys that do the same, shown beside it ("G Q"). */
  hint?: string;
}

let actions: readonly ScreenAction[] = [];
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function useScreenAction(action: ScreenAction | null): void {
  const id = action?.id;
  const label = action?.label;
  const run = action?.run;
  const group = action?.group;
  const hint = action?.hint;
  useEffect(() => {
    if (!id || !label || !run) return;
    const a: ScreenAction = { id, label, run, ...(group ? { group } : {}), ...(hint ? { hint } : {}) };
    actions = [...actions.filter((x) => x.id !== id), a];
    emit();
    return () => {
      actions = actions.filter((x) => x !== a);
      emit();
    };
  }, [id, label, run, group, hint]);
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

/**
 * "New application" asked for from anywhere (palette): the queue screen opens its dialog when it sees
 * this set, and clears it.
 */
export const newApplicationRequested = createStore(false);
