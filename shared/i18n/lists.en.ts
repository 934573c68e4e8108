/** English messages of the lists moved onto the data table in issue 10 (source: lists.sv.ts). */
import type { listsSv } from './lists.sv';

export const listsEn: Record<keyof typeof listsSv, string> = {
  'persons.col.place': 'Unit / class today',
  'persons.exportTooMany': 'The list has {{formatted}} persons. Export and print take at most {{max}} at a time – choose a role or status first.',
  'persons.exportFailed': 'The list could not be fetched for export. Try again.',
  'persons.sortHint': 'Sort with the column headers (name, identity number, birth date).',
  'rollover.kind.new': 'New',
  'rollover.kind.moved': 'Moves',
  'rollover.kind.ended': 'Ends',
  'rollover.kind.unchanged': 'Unchanged',
  'rollover.table.summary': 'The rollover per unit',
  'rollover.table.rows': 'Pupils in the rollover',
  'org.table.administrations': 'Administrations',
  'org.table.units': 'Units',
  'org.table.groups': 'Groups',
  'org.table.staff': 'Staff',
  'org.treeSkip': 'The organisation tree',
  'group.table.members': 'Members',
  'care.household.historyTitle': 'Household history',
  'lists.table.rows': 'The list’s rows',
};
