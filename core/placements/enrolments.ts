/**
 * Enrolments of pupils in school (SS 12000 Enrolment): one enrolment per period, whatever the form.
 * Same discipline as placements: every rule before the first write, then the one write path (version,
 * change record) and the membership.
 */
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import type { EnrolmentForm } from '../../shared/api/care';
import type { CoreContext } from '../context';
import { addDays } from '../dates';
import { insertRecord, updateRecord, type Row, type Writer } from '../write/records';
import { checkDates, checkEnrolmentForm, checkEnrolmentOverlap, checkGroup, checkUnit, requirePerson, requireUnitRow, requireVersion, stmt } from './checks';
import { syncMembership } from './membership';
import { checkTransferDate, markChild } from './placements';

export interface EnrolmentDraft {
  pupilId: string;
  unitId: string;
  groupId: string | null;
  schoolForm: EnrolmentForm;
  grade: number;
  validFrom: string;
  validTo: string | null;
  endReason?: string | null;
  transferredFromId?: string | null;
}

export interface EnrolmentRow {
  id: string;
  pupil_id: string;
  unit_id: string;
  group_id: string | null;
  school_form: EnrolmentForm;
  grade: number;
  valid_from: string;
  valid_to: string | null;
  end_reason: string | null;
  transferred_from_id: string | null;
  version: number;
}

export function loadEnrolment(ctx: CoreContext, id: string, field = 'id'): EnrolmentRow {
  const r = stmt(ctx, `SELECT * FROM enrolment WHERE id = ? AND deleted_at IS NULL`).get(id) as EnrolmentRow | undefined;
  if (!r) throw new DomainError('not_found', 'No such enrolment', field);
  return r;
}

function checkDraft(ctx: CoreContext, d: EnrolmentDraft, exclude: readonly string[], unitField = 'unitId'): void {
  checkEnrolmentForm(d.schoolForm);
  checkDates(d.validFrom, d.validTo);
  requirePerson(ctx, d.pupilId, 'pupilId');
  const unit = requireUnitRow(ctx, d.unitId, unitField);
  checkUnit(unit, d.schoolForm, d.validFrom, d.validTo, unitField);
  if (d.groupId !== null) checkGroup(ctx, d.groupId, unit, d.schoolForm, d.validFrom, unitField === 'unitId' ? 'groupId' : 'toGroupId');
  checkEnrolmentOverlap(ctx, d.pupilId, d.validFrom, d.validTo, exclude);
}

function writeEnrolment(w: Writer, d: EnrolmentDraft): { id: string; version: number } {
  const { id } = insertRecord(w, 'enrolment', {
    pupil_id: d.pupilId,
    unit_id: d.unitId,
    group_id: d.groupId,
    school_form: d.schoolForm,
    grade: d.grade,
    valid_from: d.validFrom,
    valid_to: d.validTo,
    end_reason: d.endReason ?? null,
    transferred_from_id: d.transferredFromId ?? null,
  });
  markChild(w.ctx, d.pupilId);
  syncMembership(w, { id, personId: d.pupilId, groupId: d.groupId, validFrom: d.validFrom, validTo: d.validTo, live: true });
  w.ctx.generation.persons++;
  return { id, version: 1 };
}

/** Checks every rule, then writes the enrolment and its class membership. */
export function insertEnrolment(w: Writer, d: EnrolmentDraft): { id: string; version: number } {
  checkDraft(w.ctx, d, []);
  return writeEnrolment(w, d);
}

/** Writes what differs between the stored row `cur` (every column, as loaded) and `next`, and the membership. */
export function saveEnrolment(w: Writer, cur: EnrolmentRow, next: EnrolmentRow): { id: string; version: number } {
  const r = updateRecord(
    w,
    'enrolment',
    cur.id,
    { group_id: next.group_id, grade: next.grade, valid_from: next.valid_from, valid_to: next.valid_to, end_reason: next.end_reason },
    { current: cur as unknown as Row, expectVersion: cur.version },
  );
  syncMembership(w, { id: cur.id, personId: cur.pupil_id, groupId: next.group_id, validFrom: next.valid_from, validTo: next.valid_to, live: true });
  if (r.version !== cur.version) w.ctx.generation.persons++;
  return { id: cur.id, version: r.version };
}

/** A correction (class, grade, dates, end reason); only the rules the changed facts can break are checked. */
export function updateEnrolment(w: Writer, i: MethodParsedInput<'enrolment.update'>): MethodOutput<'enrolment.update'> {
  const { ctx } = w;
  const cur = loadEnrolment(ctx, i.id);
  requireVersion('enrolment', cur.version, i.version);
  const next: EnrolmentRow = {
    ...cur,
    group_id: i.groupId !== undefined ? i.groupId : cur.group_id,
    grade: i.grade ?? cur.grade,
    valid_from: i.validFrom ?? cur.valid_from,
    valid_to: i.validTo !== undefined ? i.validTo : cur.valid_to,
  };
  // `endReason` left out of the input arrives as null (the schema's transform), so only a given one changes it;
  // an enrolment made open-ended again has no end and so no end reason.
  next.end_reason = i.endReason ?? (next.valid_to === null ? null : cur.end_reason);
  const fields = (
    [
      ['groupId', cur.group_id !== next.group_id],
      ['grade', cur.grade !== next.grade],
      ['validFrom', cur.valid_from !== next.valid_from],
      ['validTo', cur.valid_to !== next.valid_to],
      ['endReason', cur.end_reason !== next.end_reason],
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
  if (datesChanged) checkEnrolmentOverlap(ctx, cur.pupil_id, next.valid_from, next.valid_to, [cur.id]);
  return saveEnrolment(w, cur, next);
}

/** Change of school: the old enrolment ends the day before `date`, the new one starts on it (same form, grade kept unless given). */
export function transferEnrolment(w: Writer, i: MethodParsedInput<'enrolment.transfer'>): MethodOutput<'enrolment.transfer'> {
  const { ctx } = w;
  const cur = loadEnrolment(ctx, i.id);
  requireVersion('enrolment', cur.version, i.version);
  checkTransferDate(cur.valid_from, cur.valid_to, i.date);
  if (i.toUnitId === cur.unit_id && i.toGroupId === cur.group_id) {
    throw ruleViolation('transfer_same_place', 'transfer_same_place: the pupil is already enrolled at this unit and group', 'toUnitId');
  }
  const draft: EnrolmentDraft = {
    pupilId: cur.pupil_id,
    unitId: i.toUnitId,
    groupId: i.toGroupId,
    schoolForm: cur.school_form,
    grade: i.grade ?? cur.grade,
    validFrom: i.date,
    validTo: cur.valid_to,
    endReason: cur.end_reason,
    transferredFromId: cur.id,
  };
  checkDraft(ctx, draft, [cur.id], 'toUnitId');
  saveEnrolment(w, cur, { ...cur, valid_to: addDays(i.date, -1) });
  const created = writeEnrolment(w, draft);
  return { endedId: cur.id, newId: created.id };
}
