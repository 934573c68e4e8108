/** English messages of search and the command palette added in issue 10 (merged into en.ts). */
import type { searchSv } from './search.sv';

export const searchEn: Record<keyof typeof searchSv, string> = {
  'search.recent.title': 'Recently opened persons',
  'search.recent.hint': 'Persons you opened on this computer, the latest first. Arrow down chooses, Enter opens.',
  'search.recent.empty': 'You have not opened any person on this computer yet.',
  'search.recent.failed': 'The list of recently opened persons could not be loaded.',
  'search.place.enrolled': 'Enrolled',
  'search.place.placed': 'Placed',
  'search.place.upcoming': 'Starts {{date}}',
  'search.place.notice_given': 'Notice given, last day {{date}}',
  'search.place.offered': 'Place offered',
  'search.place.queued': 'In the queue',
  'palette.group.persons': 'Persons',
  'palette.persons.loading': 'Searching for persons …',
  'palette.persons.failed': 'The person search failed.',
};
