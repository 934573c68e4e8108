/**
 * Swedish messages of search and the command palette added in issue 10 (merged into sv.ts); the source of
 * truth for search.nb.ts and search.en.ts.
 */
export const searchSv = {
  // ---- the search screen's start page: the persons this user opened last on this workstation
  'search.recent.title': 'Senast öppnade personer',
  'search.recent.hint': 'Personer du har öppnat på den här datorn, den senaste först. Pil ned väljer, Enter öppnar.',
  'search.recent.empty': 'Du har inte öppnat någon person på den här datorn ännu.',
  'search.recent.failed': 'Listan över senast öppnade personer kunde inte hämtas.',
  // ---- a person hit's place today
  'search.place.enrolled': 'Inskriven',
  'search.place.placed': 'Placerad',
  'search.place.upcoming': 'Börjar {{date}}',
  'search.place.notice_given': 'Uppsagd, sista dag {{date}}',
  'search.place.offered': 'Erbjuden plats',
  'search.place.queued': 'I kö',
  // ---- the palette's person hits
  'palette.group.persons': 'Personer',
  'palette.persons.loading': 'Söker personer …',
  'palette.persons.failed': 'Personsökningen misslyckades.',
} as const;
