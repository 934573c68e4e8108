/**
 * The group membership that follows a placement or an enrolment (group_membership.source_id). The org
 * browser, class lists and the unit scope read memberships, so the core keeps exactly one live row per
 * source with the source's person, group and dates, written in the same call as the source. A membership is
 * never hard-deleted: when the source loses its group or is declined, the row gets a tombstone.
 */
import { insertRecord, softDeleteRecord, updateRecord, type Row, type Writer } from '../write/records';
import { stmt } from './checks';

export interface MembershipSource {
  /** The placement's or enrolment's id. */
  id: string;
  personId: string;
  groupId: string | null;
  validFrom: string;
  validTo: string | null;
  /** False for a declined placement: it holds no place, so it has no member row either. */
  live: boolean;
}

/** Each membership row is a record: its creation, every change and its tombstone are one change record each. */
export function syncMembership(w: Writer, src: MembershipSource): void {
  const rows = stmt(w.ctx, `SELECT * FROM group_membership WHERE source_id = ? AND deleted_at IS NULL ORDER BY created_at, id`).all(src.id) as Row[];
  const wanted = src.live && src.groupId !== null;
  const [keep, ...extra] = wanted ? rows : [];
  // Anything beyond the one row we keep (or every row when none is wanted) is ended with a tombstone.
  for (const r of wanted ? extra : rows) softDeleteRecord(w, 'group_membership', r.id as string, { current: r });
  if (!wanted) return;
  if (!keep) {
    insertRecord(w, 'group_membership', { group_id: src.groupId, person_id: src.personId, valid_from: src.validFrom, valid_to: src.validTo, source_id: src.id });
    return;
  }
  updateRecord(w, 'group_membership', keep.id as string, { group_id: src.groupId, person_id: src.personId, valid_from: src.validFrom, valid_to: src.validTo }, { current: keep });
}
