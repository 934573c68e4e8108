/**
 * Where the persons of a result page are today, for search hits and the recent persons: the current unit,
 * class or department and status, in ONE statement for the whole page (a page is 10 to 100 persons; one
 * statement per row cost a round trip each).
 *
 * Per person the first of, in this order: a place that holds today (an enrolment before a placement, so a
 * pupil shows the class and not the after-school club), then an upcoming one (the earliest), then a queued
 * application (its first choice), then a staff duty. Declined offers and ended places are not places.
 *
 * A protected person's place is withheld (null) unless the caller may see protected persons in that unit
 * (`protected.reveal` for it, core/access/scope.ts canSeeProtected): which school a child attends says
 * where the child is, and the class lists leave such a child out for the same callers.
 */
import type Database from 'better-sqlite3';
import type { PersonPlace } from '../../shared/api/schemas';
import { canSeeProtected } from '../access/scope';
import type { Actor } from '../context';
import { placementStatus } from '../placements/status';

interface PlaceRow {
  pid: string;
  kind: PersonPlace['kind'];
  unit_id: string;
  unit_name: string;
  group_name: string | null;
  school_form: PersonPlace['schoolForm'];
  valid_from: string | null;
  valid_to: string | null;
  state: string;
  notice: string | null;
}

const PLACES_SQL = `
WITH ids(id) AS (SELECT DISTINCT value FROM json_each(@ids)),
c AS (
  SELECT e.pupil_id AS pid, 'enrolment' AS kind, e.unit_id, e.group_id, e.school_form, e.valid_from, e.valid_to, 'accepted' AS state, NULL AS notice, 0 AS pri
  FROM ids CROSS JOIN enrolment e ON e.pupil_id = ids.id
  WHERE e.deleted_at IS NULL AND (e.valid_to IS NULL OR e.valid_to >= @today)
  UNION ALL
  SELECT p.child_id, 'placement', p.unit_id, p.group_id, p.school_form, p.valid_from, p.valid_to, p.state, p.notice_given_on, 1
  FROM ids CROSS JOIN placement p ON p.child_id = ids.id
  WHERE p.deleted_at IS NULL AND p.state <> 'declined' AND (p.valid_to IS NULL OR p.valid_to >= @today)
  UNION ALL
  SELECT a.child_id, 'application', ch.unit_id, NULL, a.school_form, a.wished_start, NULL, a.status, NULL, 2
  FROM ids CROSS JOIN application a ON a.child_id = ids.id JOIN application_choice ch ON ch.application_id = a.id AND ch.rank = 1
  WHERE a.deleted_at IS NULL AND a.status = 'queued'
  UNION ALL
  SELECT d.person_id, 'staff', d.unit_id, NULL, NULL, d.valid_from, d.valid_to, 'accepted', NULL, 3
  FROM ids CROSS JOIN staff_duty d ON d.person_id = ids.id
  WHERE d.deleted_at IS NULL AND (d.valid_to IS NULL OR d.valid_to >= @today)
),
r AS (
  SELECT c.*, row_number() OVER (PARTITION BY pid ORDER BY kind = 'application' OR kind = 'staff', valid_from > @today, pri, valid_from, unit_id) AS rn FROM c
)
SELECT r.pid, r.kind, r.unit_id, u.name AS unit_name, g.name AS group_name, r.school_form, r.valid_from, r.valid_to, r.state, r.notice
FROM r JOIN org_unit u ON u.id = r.unit_id LEFT JOIN school_group g ON g.id = r.group_id
WHERE r.rn = 1`;

export class PlaceReader {
  private readonly stmt: Database.Statement;
  constructor(sqlite: Database.Database) {
    this.stmt = sqlite.prepare(PLACES_SQL);
  }

  /** Each person's place today (absent: none); `protectedIds` are withheld where the actor may not see them. */
  of(actor: Actor, ids: readonly string[], protectedIds: ReadonlySet<string>, today: string): Map<string, PersonPlace> {
    const out = new Map<string, PersonPlace>();
    if (ids.length === 0) return out;
    for (const r of this.stmt.all({ ids: JSON.stringify(ids), today }) as PlaceRow[]) {
      if (protectedIds.has(r.pid) && !canSeeProtected(actor, r.unit_id)) continue;
      out.set(r.pid, toPlace(r, today));
    }
    return out;
  }
}

function toPlace(r: PlaceRow, today: string): PersonPlace {
  let status: PersonPlace['status'];
  if (r.kind === 'application') status = 'queued';
  else if (r.kind === 'placement') {
    const s = placementStatus({ state: r.state as 'offered' | 'accepted', validFrom: r.valid_from!, validTo: r.valid_to, noticeGivenOn: r.notice }, today);
    status = s === 'offered' ? 'offered' : s === 'notice_given' ? 'notice_given' : s === 'accepted' ? 'upcoming' : 'active';
  } else status = r.valid_from !== null && r.valid_from > today ? 'upcoming' : 'active';
  return {
    kind: r.kind,
    unitId: r.unit_id,
    unitName: r.unit_name,
    groupName: r.group_name,
    schoolForm: r.school_form,
    status,
    from: r.valid_from,
    to: r.valid_to,
  };
}
