/**
 * The status a clerk sees for a placement at a date, derived from the stored workflow state, the dates and
 * the notice: nothing stored can drift from the calendar.
 */
import type { PlacementStatus } from '../../shared/api/care';

export interface StatusFacts {
  state: 'offered' | 'accepted' | 'declined';
  validFrom: string;
  validTo: string | null;
  noticeGivenOn: string | null;
}

export function placementStatus(p: StatusFacts, date: string): PlacementStatus {
  if (p.state === 'declined') return 'declined';
  if (p.state === 'offered') return 'offered';
  if (p.validTo !== null && p.validTo < date) return 'ended';
  if (p.noticeGivenOn !== null) return 'notice_given';
  return p.validFrom > date ? 'accepted' : 'active';
}

/** Whether a placement still holds a place (counts for the overlap rule and for lists). */
export const holdsPlace = (state: StatusFacts['state']): boolean => state !== 'declined';
