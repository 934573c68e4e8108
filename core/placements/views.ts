/**
 * Placements and enrolments as the card and the audit log see them (shared/api/care.ts placementView,
 * enrolmentView). Holders are named, never addressed: no address or contact column is read here.
 */
import type { z } from 'zod';
import type { enrolmentView, placementView, scheduleInput } from '../../shared/api/care';
import type { CoreContext } from '../context';
import { stmt } from './checks';
import { placementStatus } from './status';

export type PlacementView = z.infer<typeof placementView>;
export type EnrolmentView = z.infer<typeof enrolmentView>;

interface PlacementViewRow {
  id: string;
  version: number;
  child_id: string;
  unit_id: string;
  unit_name: string;
  group_id: string | null;
  group_name: string | null;
  school_form: PlacementView['schoolForm'];
  valid_from: string;
  valid_to: string | null;
  weekly_hours: number | null;
  schedule: string | null;
  reason: PlacementView['reason'];
  state: PlacementView['state'];
  answer_by: string | null;
  notice_given_on: string | null;
  notice_override_reason: string | null;
  application_id: string | null;
  transferred_from_id: string | null;
}

const PLACEMENT_SELECT = `SELECT p.id, p.version, p.child_id, p.unit_id, u.name AS unit_name, p.group_id, g.name AS group_name, p.school_form, p.valid_from,
  p.valid_to, p.weekly_hours, p.schedule, p.reason, p.state, p.answer_by, p.notice_given_on, p.notice_override_reason, p.application_id, p.transferred_from_id
  FROM placement p JOIN org_unit u ON u.id = p.unit_id LEFT JOIN school_group g ON g.id = p.group_id`;

interface OwnerRow {
  placement_id: string;
  id: string;
  given_name: string;
  family_name: string;
  protection: string;
}

function toView(r: PlacementViewRow, owners: OwnerRow[], date: string): PlacementView {
  return {
    id: r.id,
    version: r.version,
    childId: r.child_id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    groupId: r.group_id,
    groupName: r.group_name,
    schoolForm: r.school_form,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    weeklyHours: r.weekly_hours,
    schedule: r.schedule ? (JSON.parse(r.schedule) as z.infer<typeof scheduleInput>) : null,
    reason: r.reason,
    state: r.state,
    status: placementStatus({ state: r.state, validFrom: r.valid_from, validTo: r.valid_to, noticeGivenOn: r.notice_given_on }, date),
    answerBy: r.answer_by,
    noticeGivenOn: r.notice_given_on,
    noticeOverrideReason: r.notice_override_reason,
    owners: owners.filter((o) => o.placement_id === r.id).map((o) => ({ id: o.id, name: `${o.family_name}, ${o.given_name}`, protected: o.protection !== 'none' })),
    applicationId: r.application_id,
    transferredFromId: r.transferred_from_id,
  };
}

const OWNER_SELECT = `SELECT o.placement_id, p.id, p.given_name, p.family_name, p.protection FROM placement_owner o JOIN person p ON p.id = o.guardian_id`;

/** Every placement of the child (declined ones too: they are the history of offers), newest first. */
export function placementViews(ctx: CoreContext, childId: string, date: string): PlacementView[] {
  const rows = stmt(ctx, `${PLACEMENT_SELECT} WHERE p.child_id = ? AND p.deleted_at IS NULL ORDER BY p.valid_from DESC, p.created_at DESC, p.id`).all(
    childId,
  ) as PlacementViewRow[];
  if (!rows.length) return [];
  const owners = stmt(
    ctx,
    `${OWNER_SELECT} WHERE o.placement_id IN (SELECT id FROM placement WHERE child_id = ? AND deleted_at IS NULL) ORDER BY p.sort_key, p.id`,
  ).all(childId) as OwnerRow[];
  return rows.map((r) => toView(r, owners, date));
}

export function placementViewById(ctx: CoreContext, id: string, date: string): PlacementView | null {
  const r = stmt(ctx, `${PLACEMENT_SELECT} WHERE p.id = ? AND p.deleted_at IS NULL`).get(id) as PlacementViewRow | undefined;
  if (!r) return null;
  const owners = stmt(ctx, `${OWNER_SELECT} WHERE o.placement_id = ? ORDER BY p.sort_key, p.id`).all(id) as OwnerRow[];
  return toView(r, owners, date);
}

interface EnrolmentViewRow {
  id: string;
  version: number;
  pupil_id: string;
  unit_id: string;
  unit_name: string;
  group_id: string | null;
  group_name: string | null;
  school_form: EnrolmentView['schoolForm'];
  grade: number;
  valid_from: string;
  valid_to: string | null;
  end_reason: string | null;
  transferred_from_id: string | null;
}

const ENROLMENT_SELECT = `SELECT e.id, e.version, e.pupil_id, e.unit_id, u.name AS unit_name, e.group_id, g.name AS group_name, e.school_form, e.grade,
  e.valid_from, e.valid_to, e.end_reason, e.transferred_from_id
  FROM enrolment e JOIN org_unit u ON u.id = e.unit_id LEFT JOIN school_group g ON g.id = e.group_id`;

const toEnrolmentView = (r: EnrolmentViewRow): EnrolmentView => ({
  id: r.id,
  version: r.version,
  pupilId: r.pupil_id,
  unitId: r.unit_id,
  unitName: r.unit_name,
  groupId: r.group_id,
  groupName: r.group_name,
  schoolForm: r.school_form,
  grade: r.grade,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  endReason: r.end_reason,
  transferredFromId: r.transferred_from_id,
});

export function enrolmentViews(ctx: CoreContext, pupilId: string): EnrolmentView[] {
  const rows = stmt(ctx, `${ENROLMENT_SELECT} WHERE e.pupil_id = ? AND e.deleted_at IS NULL ORDER BY e.valid_from DESC, e.created_at DESC, e.id`).all(
    pupilId,
  ) as EnrolmentViewRow[];
  return rows.map(toEnrolmentView);
}

export function enrolmentViewById(ctx: CoreContext, id: string): EnrolmentView | null {
  const r = stmt(ctx, `${ENROLMENT_SELECT} WHERE e.id = ? AND e.deleted_at IS NULL`).get(id) as EnrolmentViewRow | undefined;
  return r ? toEnrolmentView(r) : null;
}
