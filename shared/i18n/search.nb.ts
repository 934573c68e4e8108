/** Norwegian bokmål messages of search and the command palette added in issue 10 (merged into nb.ts). */
import type { searchSv } from './search.sv';

export const searchNb: Record<keyof typeof searchSv, string> = {
  'search.recent.title': 'Sist åpnede personer',
  'search.recent.hint': 'Personer du har åpnet på denne datamaskinen, den siste først. Pil ned velger, Enter åpner.',
  'search.recent.empty': 'Du har ikke åpnet noen person på denne datamaskinen ennå.',
  'search.recent.failed': 'Listen over sist åpnede personer kunne ikke hentes.',
  'search.place.enrolled': 'Innskrevet',
  'search.place.placed': 'Har plass',
  'search.place.upcoming': 'Starter {{date}}',
  'search.place.notice_given': 'Oppsagt, siste dag {{date}}',
  'search.place.offered': 'Tilbudt plass',
  'search.place.queued': 'I kø',
  'palette.group.persons': 'Personer',
  'palette.persons.loading': 'Søker etter personer …',
  'palette.persons.failed': 'Personsøket mislyktes.',
};
