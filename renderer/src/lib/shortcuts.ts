/**
 * Every keyboard shortcut, in one table: the help overlay lists these, the handlers implement them.
 * Chosen not to collide with the browser or Electron: no Ctrl+N/T/W/Tab, no Alt+digit (Firefox and
 * Linux Chrome switch tabs with it). Ctrl+L (the browser's address bar) is taken on purpose: "lock"
 * is the shortcut every office desktop knows, and the page may claim it. Single letters act only
 * when focus is not in a text field.
 */
import type { TKey } from './i18n';
import { ALT, MOD } from './platform';

export interface Shortcut {
  keys: string[][]; // alternatives, each a sequence of key caps
  label: TKey;
}
export interface ShortcutGroup {
  title: TKey;
  items: Shortcut[];
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'shortcuts.group.general',
    items: [
      { keys: [[MOD, 'K']], label: 'shortcuts.palette' },
      { keys: [['/'], [MOD, 'F']], label: 'shortcuts.search' },
      { keys: [['?']], label: 'shortcuts.help' },
      { keys: [['Esc']], label: 'shortcuts.escape' },
      { keys: [[MOD, 'L']], label: 'shortcuts.lock' },
    ],
  },
  {
    title: 'shortcuts.group.navigation',
    items: [
      { keys: [['G', 'S']], label: 'shortcuts.goSearch' },
      { keys: [['G', 'P']], label: 'shortcuts.goPersons' },
      { keys: [['G', 'O']], label: 'shortcuts.goOrg' },
      { keys: [['G', 'Q']], label: 'office.shortcut.goQueue' },
      { keys: [['G', 'L']], label: 'office.shortcut.goLists' },
      { keys: [['G', 'I']], label: 'imports.shortcut.go' },
      { keys: [['G', 'W']], label: 'worklist.shortcut.go' },
      { keys: [['G', 'A']], label: 'fees.shortcut.go' },
      { keys: [['G', 'F']], label: 'foi.shortcut.go' },
      { keys: [[MOD, 'K']], label: 'intake.shortcut.palette' },
      { keys: [[ALT, 'N']], label: 'shortcuts.newPerson' },
      { keys: [[ALT, '←']], label: 'shortcuts.back' },
    ],
  },
  {
    title: 'shortcuts.group.records',
    items: [
      { keys: [['E'], [MOD, 'E']], label: 'shortcuts.edit' },
      { keys: [['R']], label: 'shortcuts.reveal' },
      { keys: [[ALT, 'N']], label: 'care.shortcut.newPlacement' },
      { keys: [[ALT, 'I']], label: 'fees.shortcut.incomeCheck' },
      { keys: [[ALT, 'R']], label: 'fees.shortcut.reduction' },
      { keys: [[ALT, 'D']], label: 'documents.shortcut.attach' },
      { keys: [[ALT, 'N']], label: 'foi.shortcut.new' },
      { keys: [[ALT, 'E']], label: 'foi.shortcut.edit' },
      { keys: [[ALT, 'G']], label: 'foi.shortcut.gather' },
      { keys: [['1 … 9']], label: 'card.shortcut.sections' },
      { keys: [[MOD, 'P']], label: 'card.shortcut.print' },
    ],
  },
  {
    title: 'shortcuts.group.forms',
    items: [
      { keys: [[MOD, 'S']], label: 'shortcuts.save' },
      { keys: [['Enter']], label: 'shortcuts.saveEnter' },
      { keys: [['Esc']], label: 'shortcuts.cancel' },
      { keys: [['Tab'], ['Shift', 'Tab']], label: 'shortcuts.nextField' },
    ],
  },
  {
    title: 'shortcuts.group.lists',
    items: [
      { keys: [['↑'], ['↓']], label: 'shortcuts.listMove' },
      { keys: [['PgUp'], ['PgDn']], label: 'shortcuts.listPage' },
      { keys: [['Home'], ['End']], label: 'shortcuts.listEnds' },
      { keys: [['Enter']], label: 'shortcuts.listOpen' },
      { keys: [['→'], ['←']], label: 'shortcuts.treeExpand' },
      { keys: [['Space']], label: 'worklist.shortcut.toggle' },
      { keys: [[MOD, 'A']], label: 'worklist.shortcut.selectPage' },
    ],
  },
];
