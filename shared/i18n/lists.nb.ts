/** Norwegian bokmål messages of the lists moved onto the data table in issue 10 (source: lists.sv.ts). */
import type { listsSv } from './lists.sv';

export const listsNb: Record<keyof typeof listsSv, string> = {
  'persons.col.place': 'Enhet / klasse i dag',
  'persons.exportTooMany': 'Listen har {{formatted}} personer. Eksport og utskrift tar høyst {{max}} om gangen – velg en rolle eller status først.',
  'persons.exportFailed': 'Listen kunne ikke hentes for eksport. Prøv igjen.',
  'persons.sortHint': 'Sorter med kolonneoverskriftene (navn, fødselsnummer, fødselsdato).',
  'rollover.kind.new': 'Ny',
  'rollover.kind.moved': 'Flyttes',
  'rollover.kind.ended': 'Slutter',
  'rollover.kind.unchanged': 'Uendret',
  'rollover.table.summary': 'Skoleårsskiftet per enhet',
  'rollover.table.rows': 'Elever i skoleårsskiftet',
  'org.table.administrations': 'Forvaltninger',
  'org.table.units': 'Enheter',
  'org.table.groups': 'Grupper',
  'org.table.staff': 'Ansatte',
  'org.treeSkip': 'Organisasjonstreet',
  'group.table.members': 'Medlemmer',
  'care.household.historyTitle': 'Husstandshistorikk',
  'lists.table.rows': 'Listens rader',
};
