/**
 * Placements in preschool, pedagogisk omsorg, fritidshem and SFO/AKS (domain.md §4): create, accept or
 * decline an offer, correct, give notice, transfer. Every rule is checked before the first write, so a
 * refused call leaves nothing behind even outside the dispatcher's transaction; every write goes through
 * the one write path (version, change record with before/after) and keeps the group membership in step.
 * The holders (placement_owner) have no identity of their own: they are logged on the placement's change
 * record as `owner_ids` (field `ownerIds`, as the API and the card's history name them), the guardian ids
 * before and after.
 */
import type { z } from 'zod';
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import type { PLACEMENT_REASONS, PlacementForm, scheduleInput } from '../../shared/api/care';
import type { CoreContext } from '../context';
import { addDays, addMonths } from '../dates';
import { insertRecord, updateRecord, type Row, type Writer } from '../write/records';
import {
  checkAge,
  checkDates,
  checkGroup,
  checkOwners,
  checkPlacementForm,
  checkPlacementOverlap,
  checkUnit,
  defaultOwners,
  period,
  requirePerson,
  requireUnitRow,
  requireVersion,
  stmt,
} from './checks';
import { syncMembership } from './membership';
import { getPlacementRules } from './rules';

type Schedule = z.infer<typeof scheduleInput>;
type Reason = (typeof PLACEMENT_REASONS)[number];

export interface PlacementDraft {
  childId: string;
  unitId: string;
  groupId: string | null;
  schoolForm: PlacementForm;
  validFrom: string;
  validTo: string | null;
  weeklyHours: number | null;
  schedule: Schedule | null;
  reason: Reason;
  ownerIds: string[];
  state: 'offered' | 'accepted';
  answerBy?: string | null;
  applicationId?: string | null;
  transferredFromId?: string | null;
}

export interface PlacementRow {
  id: string;
  child_id: string;
  unit_id: string;
  group_id: string | null;
  school_form: PlacementForm;
  valid_from: string;
  valid_to: string | null;
  weekly_hours: number | null;
  schedule: string | null;
  reason: Reason;
  state: 'offered' | 'accepted' | 'declined';
  answer_by: string | null;
  application_id: string | null;
  notice_given_on: string | null;
  notice_override_reason: string | null;
  transferred_from_id: string | null;
  version: number;
}

export function loadPlacement(ctx: CoreContext, id: string, field = 'id'): PlacementRow {
  const r = stmt(ctx, `SELECT * FROM placement WHERE id = ? AND deleted_at IS NULL`).get(id) as PlacementRow | undefined;
  if (!r) throw new DomainError('not_found', 'No such placement', field);
  return r;
}

export function placementOwners(ctx: CoreContext, id: string): string[] {
  return stmt(ctx, `SELECT guardian_id FROM placement_owner WHERE placement_id = ? ORDER BY guardian_id`).pluck().all(id) as string[];
}

const unique = (ids: readonly string[]): string[] => [...new Set(ids)];

/** Every rule a new placement row must meet; `exclude` names rows the overlap check ignores (a transfer's old row). */
function checkDraft(ctx: CoreContext, d: PlacementDraft, owners: readonly string[], exclude: readonly string[], unitField = 'unitId'): void {
  checkPlacementForm(d.schoolForm);
  checkDates(d.validFrom, d.validTo);
  const child = requirePerson(ctx, d.childId, 'childId');
  const unit = requireUnitRow(ctx, d.unitId, unitField);
  checkUnit(unit, d.schoolForm, d.validFrom, d.validTo, unitField);
  if (d.groupId !== null) checkGroup(ctx, d.groupId, unit, d.schoolForm, d.validFrom, unitField === 'unitId' ? 'groupId' : 'toGroupId');
  checkAge(ctx, child, d.schoolForm, d.validFrom);
  checkOwners(ctx, d.childId, owners, d.validFrom);
  checkPlacementOverlap(ctx, d.childId, d.schoolForm, d.validFrom, d.validTo, exclude);
}

interface NoticeCarry {
  noticeGivenOn: string | null;
  noticeOverrideReason: string | null;
}

function writePlacement(w: Writer, d: PlacementDraft, owners: readonly string[], notice: NoticeCarry): { id: string; version: number } {
  const held = [...owners].sort();
  const { id } = insertRecord(
    w,
    'placement',
    {
      child_id: d.childId,
      unit_id: d.unitId,
      group_id: d.groupId,
      school_form: d.schoolForm,
      valid_from: d.validFrom,
      valid_to: d.validTo,
      weekly_hours: d.weeklyHours,
      schedule: d.schedule ? JSON.stringify(d.schedule) : null,
      reason: d.reason,
      state: d.state,
      answer_by: d.answerBy ?? null,
      application_id: d.applicationId ?? null,
      notice_given_on: notice.noticeGivenOn,
      notice_override_reason: notice.noticeOverrideReason,
      transferred_from_id: d.transferredFromId ?? null,
    },
    held.length ? { extra: { owner_ids: [[], held] } } : {},
  );
  writeOwners(w.ctx, id, held);
  markChild(w.ctx, d.childId);
  syncMembership(w, { id, personId: d.childId, groupId: d.groupId, validFrom: d.validFrom, validTo: d.validTo, live: true });
  w.ctx.generation.persons++;
  return { id, version: 1 };
}

function writeOwners(ctx: CoreContext, placementId: string, owners: readonly string[]): void {
  stmt(ctx, `DELETE FROM placement_owner WHERE placement_id = ?`).run(placementId);
  for (const g of owners) stmt(ctx, `INSERT INTO placement_owner (placement_id, guardian_id) VALUES (?, ?)`).run(placementId, g);
}

/** A placed or enrolled person is a child in the register's role filter (a derived flag, not a fact with history). */
export function markChild(ctx: CoreContext, personId: string): void {
  stmt(ctx, `UPDATE person SET is_child = 1 WHERE id = ? AND is_child = 0`).run(personId);
}

/**
 * Checks every rule, then writes the placement, its holders and its group membership. An accepted placement
 * without named holders is held by the child's guardians on the start date from whom the child is not shielded.
 */
export function insertPlacement(w: Writer, d: PlacementDraft): { id: string; version: number } {
  const owners = d.state === 'accepted' && d.ownerIds.length === 0 ? defaultOwners(w.ctx, d.childId, d.validFrom) : unique(d.ownerIds);
  checkDraft(w.ctx, d, owners, []);
  return writePlacement(w, d, owners, { noticeGivenOn: null, noticeOverrideReason: null });
}

/**
 * Writes what differs between the stored row `cur` and `next` (one version up, one change record), the
 * holders when `owners` is given and differs, and the group membership. `cur` is the row as loaded
 * (every column): the write path compares against it instead of reading it again.
 */
export function savePlacement(w: Writer, cur: PlacementRow, next: PlacementRow, owners?: readonly string[]): { id: string; version: number } {
  let extra: Record<string, [unknown, unknown]> | undefined;
  if (owners) {
    const before = placementOwners(w.ctx, cur.id);
    const after = [...owners].sort();
    if (!sameSet(before, after)) {
      writeOwners(w.ctx, cur.id, after);
      extra = { owner_ids: [before, after] };
    }
  }
  const r = updateRecord(
    w,
    'placement',
    cur.id,
    {
      group_id: next.group_id,
      valid_from: next.valid_from,
      valid_to: next.valid_to,
      weekly_hours: next.weekly_hours,
      schedule: next.schedule,
      reason: next.reason,
      state: next.state,
      notice_given_on: next.notice_given_on,
      notice_override_reason: next.notice_override_reason,
    },
    { current: cur as unknown as Row, expectVersion: cur.version, extra },
  );
  syncMembership(w, { id: cur.id, personId: cur.child_id, groupId: next.group_id, validFrom: next.valid_from, validTo: next.valid_to, live: next.state !== 'declined' });
  if (r.version !== cur.version) w.ctx.generation.persons++;
  return { id: cur.id, version: r.version };
}

/**
 * Answers an offer: accepted (held by `ownerIds`, or by default by the child's non-shielded guardians on the
 * start date) or declined. A declined placement frees the place: it never counts for overlap again and its
 * group membership is ended; the row stays as history.
 */
export function setPlacementState(w: Writer, id: string, version: number, state: 'accepted' | 'declined', ownerIds?: string[]): { id: string; version: number } {
  const { ctx } = w;
  const cur = loadPlacement(ctx, id);
  requireVersion('placement', cur.version, version);
  if (cur.state !== 'offered') throw ruleViolation('answer_state', `answer_state: the placement is ${cur.state}, not offered`, 'id');
  if (state === 'declined') return savePlacement(w, cur, { ...cur, state });
  const owners = ownerIds && ownerIds.length ? unique(ownerIds) : defaultOwners(ctx, cur.child_id, cur.valid_from);
  checkOwners(ctx, cur.child_id, owners, cur.valid_from);
  return savePlacement(w, cur, { ...cur, state }, owners);
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * A correction of the placement's facts. Only the rules the changed facts can break are checked again: a
 * change of hours must not be refused because, say, the age limits were configured differently since.
 */
export function updatePlacement(w: Writer, i: MethodParsedInput<'placement.update'>): MethodOutput<'placement.update'> {
  const { ctx } = w;
  const cur = loadPlacement(ctx, i.id);
  requireVersion('placement', cur.version, i.version);
  if (cur.state === 'declined') {
    throw new DomainError('validation', 'A declined placement is history and cannot be changed', 'id', [{ field: 'id', code: 'declined', message: 'declined' }]);
  }
  const next: PlacementRow = {
    ...cur,
    group_id: i.groupId !== undefined ? i.groupId : cur.group_id,
    valid_from: i.validFrom ?? cur.valid_from,
    valid_to: i.validTo !== undefined ? i.validTo : cur.valid_to,
    weekly_hours: i.weeklyHours !== undefined ? i.weeklyHours : cur.weekly_hours,
    schedule: i.schedule !== undefined ? (i.schedule ? JSON.stringify(i.schedule) : null) : cur.schedule,
    reason: i.reason ?? cur.reason,
  };
  const curOwners = placementOwners(ctx, cur.id);
  const owners = i.ownerIds !== undefined ? unique(i.ownerIds) : curOwners;
  const fields = (
    [
      ['groupId', cur.group_id !== next.group_id],
      ['validFrom', cur.valid_from !== next.valid_from],
      ['validTo', cur.valid_to !== next.valid_to],
      ['weeklyHours', cur.weekly_hours !== next.weekly_hours],
      ['schedule', cur.schedule !== next.schedule],
      ['reason', cur.reason !== next.reason],
      ['ownerIds', !sameSet(curOwners, owners)],
    ] as const
  )
    .filter(([, changed]) => changed)
    .map(([f]) => f as string);
  if (!fields.length) return { id: cur.id, version: cur.version };
  const has = (f: string) => fields.includes(f);
  const datesChanged = has('validFrom') || has('validTo');
  checkDates(next.valid_from, next.valid_to);
  const unit = requireUnitRow(ctx, cur.unit_id, 'id');
  if (datesChanged) checkUnit(unit, cur.school_form, next.valid_from, next.valid_to, 'validFrom');
  if (next.group_id !== null && (has('groupId') || has('validFrom'))) checkGroup(ctx, next.group_id, unit, cur.school_form, next.valid_from);
  if (has('validFrom')) checkAge(ctx, requirePerson(ctx, cur.child_id, 'id'), cur.school_form, next.valid_from);
  if (has('ownerIds') || has('validFrom')) checkOwners(ctx, cur.child_id, owners, next.valid_from);
  if (datesChanged) checkPlacementOverlap(ctx, cur.child_id, cur.school_form, next.valid_from, next.valid_to, [cur.id]);
  return savePlacement(w, cur, next, has('ownerIds') ? owners : undefined);
}

/**
 * The last day a notice given on `noticeDate` leads to: the day before the same date `noticeMonths` later
 * (notice on 15 March with two months: last day 14 May; 31 January + 1 month: 27 or 28 February, because
 * the month is counted to the last day February has). A form without a notice period ends on the notice date.
 */
export function computedLastDay(noticeDate: string, months: number): string {
  const d = addDays(addMonths(noticeDate, months), -1);
  return d < noticeDate ? noticeDate : d;
}

export function noticePreview(ctx: CoreContext, p: PlacementRow, noticeDate: string): MethodOutput<'placement.noticePreview'> {
  const noticeMonths = getPlacementRules(ctx).noticeMonths[p.school_form] ?? 0;
  return { computedLastDay: computedLastDay(noticeDate, noticeMonths), noticeMonths };
}

/**
 * Notice of termination. The placement ends on the computed last day, on a later day the guardian asks for,
 * or — with a reason — on an earlier day, but never before the notice date (no retroactive ending: the
 * place was held and charged until then) and never before the placement starts (one not yet started is
 * declined or corrected instead). A notice never extends a placement that already ends earlier.
 */
export function givePlacementNotice(w: Writer, i: MethodParsedInput<'placement.notice'>): MethodOutput<'placement.notice'> & { overridden: boolean } {
  const { ctx } = w;
  const cur = loadPlacement(ctx, i.id);
  requireVersion('placement', cur.version, i.version);
  if (cur.state !== 'accepted') throw ruleViolation('notice_state', `notice_state: notice is given on an accepted placement; this one is ${cur.state}`, 'id');
  if (cur.notice_given_on !== null) throw ruleViolation('notice_state', `notice_state: notice was already given on ${cur.notice_given_on}`, 'id');
  if (cur.valid_to !== null && cur.valid_to < i.noticeDate) {
    throw ruleViolation('notice_state', `notice_state: the placement already ended on ${cur.valid_to}, before the notice date ${i.noticeDate}`, 'noticeDate');
  }
  const { computedLastDay: computed } = noticePreview(ctx, cur, i.noticeDate);
  // Where the placement ends before the notice period would, that end stands: it is what the notice allows.
  const allowed = cur.valid_to !== null && cur.valid_to < computed ? cur.valid_to : computed;
  const lastDay = i.lastDay ?? allowed;
  if (cur.valid_to !== null && lastDay > cur.valid_to) {
    throw ruleViolation('notice_state', `notice_state: the placement already ends on ${cur.valid_to}; a notice cannot extend it to ${lastDay}`, 'lastDay');
  }
  const overridden = lastDay < allowed;
  if (overridden && !i.overrideReason) {
    throw ruleViolation('notice_too_short', `notice_too_short: the last day ${lastDay} is before ${allowed}, the last day the notice period gives; state a reason to override`, 'lastDay');
  }
  if (lastDay < i.noticeDate) throw ruleViolation('notice_too_short', `notice_too_short: the last day ${lastDay} is before the notice date ${i.noticeDate}`, 'lastDay');
  if (lastDay < cur.valid_from) {
    throw ruleViolation('end_before_start', `end_before_start: the last day ${lastDay} is before the placement starts on ${cur.valid_from}; a placement that never starts is corrected or declined, not given notice`, 'lastDay');
  }
  const r = savePlacement(w, cur, { ...cur, valid_to: lastDay, notice_given_on: i.noticeDate, notice_override_reason: overridden ? i.overrideReason! : null });
  return { ...r, lastDay, computedLastDay: computed, overridden };
}

/** `date` lies inside the row and after its first day, so both halves keep at least one day. */
export function checkTransferDate(from: string, to: string | null, date: string): void {
  if (date <= from || date > (to ?? '9999-12-31')) {
    throw ruleViolation('transfer_date', `transfer_date: a transfer on ${date} must fall after the first day and within ${period(from, to)}`, 'date');
  }
}

/**
 * End here and start there: the old row ends the day before `date`, the new one starts on `date` with the
 * old end, form, holders, reason, schedule and any running notice. The new row is checked against every
 * rule with the old row already shortened, so a transfer can leave neither a gap nor an overlap.
 */
export function transferPlacement(w: Writer, i: MethodParsedInput<'placement.transfer'>): MethodOutput<'placement.transfer'> {
  const { ctx } = w;
  const cur = loadPlacement(ctx, i.id);
  requireVersion('placement', cur.version, i.version);
  if (cur.state !== 'accepted') throw ruleViolation('transfer_state', `transfer_state: only an accepted placement is transferred; this one is ${cur.state}`, 'id');
  checkTransferDate(cur.valid_from, cur.valid_to, i.date);
  if (i.toUnitId === cur.unit_id && i.toGroupId === cur.group_id) {
    throw ruleViolation('transfer_same_place', 'transfer_same_place: the placement is already at this unit and group', 'toUnitId');
  }
  const owners = placementOwners(ctx, cur.id);
  const draft: PlacementDraft = {
    childId: cur.child_id,
    unitId: i.toUnitId,
    groupId: i.toGroupId,
    schoolForm: cur.school_form,
    validFrom: i.date,
    validTo: cur.valid_to,
    weeklyHours: i.weeklyHours ?? cur.weekly_hours,
    schedule: cur.schedule ? (JSON.parse(cur.schedule) as Schedule) : null,
    reason: cur.reason,
    ownerIds: owners,
    state: 'accepted',
    transferredFromId: cur.id,
  };
  checkDraft(ctx, draft, owners, [cur.id], 'toUnitId');
  savePlacement(w, cur, { ...cur, valid_to: addDays(i.date, -1) });
  const created = writePlacement(w, draft, owners, { noticeGivenOn: cur.notice_given_on, noticeOverrideReason: cur.notice_override_reason });
  return { endedId: cur.id, newId: created.id };
}
