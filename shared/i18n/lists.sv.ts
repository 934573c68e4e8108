/**
 * Swedish messages of the lists moved onto the data table in issue 10 (the person register, the rollover,
 * the organisation), merged into sv.ts; the source of truth for lists.nb.ts and lists.en.ts.
 */
export const listsSv = {
  // ---- the person register
  'persons.col.place': 'Enhet / klass i dag',
  'persons.exportTooMany': 'Listan har {{formatted}} personer. Export och utskrift tar högst {{max}} åt gången – välj en roll eller status först.',
  'persons.exportFailed': 'Listan kunde inte hämtas för export. Försök igen.',
  'persons.sortHint': 'Sortera med kolumnrubrikerna (namn, personnummer, födelsedatum).',
  // ---- the rollover's kinds of change
  'rollover.kind.new': 'Ny',
  'rollover.kind.moved': 'Flyttas',
  'rollover.kind.ended': 'Slutar',
  'rollover.kind.unchanged': 'Oförändrad',
  'rollover.table.summary': 'Läsårsskiftet per enhet',
  'rollover.table.rows': 'Elever i läsårsskiftet',
  // ---- the organisation
  'org.table.administrations': 'Förvaltningar',
  'org.table.units': 'Enheter',
  'org.table.groups': 'Grupper',
  'org.table.staff': 'Personal',
  'org.treeSkip': 'Organisationsträdet',
  // ---- the group card and the person card's tables
  'group.table.members': 'Medlemmar',
  'care.household.historyTitle': 'Hushållshistorik',
  'lists.table.rows': 'Listans rader',
} as const;
