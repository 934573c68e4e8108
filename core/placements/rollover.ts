/**
 * The year rollover (läsårsskifte / skoleårsskifte, domain.md §4): on the first day of the new school year
 * every class moves up a grade, the final grade leaves, and the preschool children who start school are
 * listed for the clerk to place.
 *
 * The plan is computed from the register each time (preview and commit alike) and fingerprinted: the
 * commit recomputes it and refuses to apply a plan the clerk has not seen (`rollover_stale`).
 *
 * Which date is a rollover date (`rollover_date`): a day in August, the month a school year starts in both
 * countries (SE skolförordningen 3 kap. 2 §: läsåret börjar i augusti; NO: skoleåret starts in August), so
 * the clerk can give the first school day or simply 1 August. S = schoolYearOf(date) is the new school year,
 * Y = S − 1 the one ending. Refused as well: a date when the units have no classes of year Y (a year off,
 * nothing to move up from), and a date before the start of one of year S's existing classes (the pupils
 * would be enrolled in a class that does not exist yet). Classes the rollover creates live for the school
 * year, 1 August to 31 July, like every other group.
 *
 * Who is moved: a pupil whose latest enrolment is in a class of school year Y in the units, started before
 * the date and reaches the end of year Y (open-ended, or ending on or after the earlier of 31 July and the
 * day before the date). A pupil who already has a later enrolment (moved up by an earlier run, or placed for
 * the new year by hand) is left alone, as is a leaver whose enrolment already ended with a reason: running
 * the rollover twice changes nothing the second time. Enrolments without a class are not rolled over.
 *
 * - Not in the final grade of the form: the old enrolment ends the day before the date; a new one starts on
 *   the date with grade + 1 in next year's class of the same unit, named by moving the leading grade
 *   number up (3A → 4A; Swedish förskoleklass FA → 1A in grundskola), unless a rollover exception of the
 *   unit names another class (and possibly another unit). A missing class is created for school year S.
 *   A planned end beyond the date carries over to the new enrolment.
 * - In the final grade (placement rules' finalGrade): the enrolment ends the day before (end reason
 *   "completed"). Förskoleklass is a form of its own but is followed by grundskola in the same school
 *   (skollagen 9 kap.), so its pupils move up instead of leaving.
 * - Class memberships follow their enrolment (group_membership.source_id).
 * - Every class, enrolment and membership it writes goes through the one write path (core/write/records.ts):
 *   one change record each, so the sync outbox ships the rollover like any other change.
 * - Preschool children (FS, PO, barnehage) born in year(date) − 6 without an enrolment from the date are
 *   listed as starting school (SE förskoleklass, NO first grade); nothing changes for them.
 */
import { collationKey, sortByText, type CollationCountry } from '../../shared/collation';
import { collationCountry } from '../register/persons';
import { createHash } from 'node:crypto';
import { newId } from '../write/ids';
import type Database from 'better-sqlite3';
import { ENROLMENT_FORMS, type EnrolmentForm } from '../../shared/api/care';
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { foldText } from '../../shared/text';
import { canSeeProtected, requireUnit, scopeOf } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { addDays, schoolYearOf } from '../dates';
import { insertRecord, insertRecordsFrom, updateRecordsFrom, writer, type Row } from '../write/records';
import { getPlacementRules } from './rules';

export type RolloverAction = 'promote' | 'leave' | 'start_school';
type PreviewInput = MethodParsedInput<'rollover.preview'>;
type CommitInput = MethodParsedInput<'rollover.commit'>;
type PreviewOutput = MethodOutput<'rollover.preview'>;
type UnitCount = PreviewOutput['units'][number];
export interface RolloverResult {
  promoted: number;
  leavers: number;
  groupsCreated: number;
}

/** A form whose pupils continue in another form of the same school rather than leaving. */
const NEXT_FORM: Partial<Record<string, EnrolmentForm>> = { FKLASS: 'GR' };
const PRESCHOOL_FORMS = ['FS', 'PO', 'BHG'];
const ACTION_ORDER: Record<RolloverAction, number> = { promote: 0, leave: 1, start_school: 2 };

interface UnitInfo {
  id: string;
  name: string;
  kind: string;
}

interface CandidateDb {
  id: string;
  version: number;
  pupil_id: string;
  unit_id: string;
  group_id: string;
  school_form: string;
  grade: number;
  valid_from: string;
  valid_to: string | null;
  end_reason: string | null;
  group_name: string;
  group_grade: number | null;
  group_form: string;
  given_name: string;
  family_name: string;
  protection: string;
  sort_key: string;
}

/** The candidates query returns raw rows (50 000 pupils × 17 columns), mapped once, in its column order. */
const candidateOf = (r: unknown[]): CandidateDb => ({
  id: r[0] as string,
  version: r[1] as number,
  pupil_id: r[2] as string,
  unit_id: r[3] as string,
  group_id: r[4] as string,
  school_form: r[5] as string,
  grade: r[6] as number,
  valid_from: r[7] as string,
  valid_to: r[8] as string | null,
  end_reason: r[9] as string | null,
  group_name: r[10] as string,
  group_grade: r[11] as number | null,
  group_form: r[12] as string,
  given_name: r[13] as string,
  family_name: r[14] as string,
  protection: r[15] as string,
  sort_key: r[16] as string,
});

interface StarterDb {
  child_id: string;
  unit_id: string;
  group_name: string | null;
  given_name: string;
  family_name: string;
  protection: string;
  sort_key: string;
}

/** Next year's class a class moves into: an existing group, or one the rollover creates. */
interface Target {
  key: string;
  groupId: string;
  created: boolean;
  unitId: string;
  name: string;
  form: string;
  grade: number;
}

export interface PlanItem {
  action: RolloverAction;
  pupilId: string;
  name: string;
  protected: boolean;
  sortKey: string;
  unitId: string;
  fromGroup: string | null;
  fromGroupGrade: number | null;
  fromGrade: number | null;
  toGrade: number | null;
  target: Target | null;
  /** For promote and leave: the enrolment that ends and how (`validTo`, `storedEndReason`: as it is now). */
  enrolment: { id: string; version: number; groupId: string; validTo: string | null; storedEndReason: string | null; endsOn: string; endReason: string | null; form: string } | null;
  /** For promote: the new enrolment's form and end (a planned end beyond the date carries over). */
  next: { form: string; validTo: string | null } | null;
}

export interface RolloverPlan {
  date: string;
  schoolYear: number;
  unitIds: string[];
  units: Map<string, UnitInfo>;
  items: PlanItem[];
  groups: Target[];
  token: string;
}

/** The name next year: the leading grade number moves up ("3A" → "4A", "FA" → "1A"); other names stay. */
export function nextGroupName(name: string, form: string): string {
  const m = /^(\d+)(.*)$/.exec(name);
  if (m) return `${Number(m[1]) + 1}${m[2]}`;
  if (form === 'FKLASS' && /^F/i.test(name)) return `1${name.slice(1)}`;
  return name;
}

export class Rollover {
  private readonly s: Record<string, Database.Statement>;

  constructor(private readonly ctx: CoreContext) {
    const db = ctx.sqlite;
    this.s = {
      units: db.prepare(`SELECT id, name, kind FROM org_unit WHERE deleted_at IS NULL`),
      country: db.prepare(`SELECT country FROM municipality LIMIT 1`),
      yearStarts: db.prepare(
        `SELECT DISTINCT valid_from FROM school_group WHERE unit_id IN (SELECT value FROM json_each(@units)) AND school_year = @year
         AND kind = 'class' AND deleted_at IS NULL AND valid_from IS NOT NULL ORDER BY valid_from`,
      ),
      hasClasses: db.prepare(
        `SELECT 1 FROM school_group WHERE unit_id IN (SELECT value FROM json_each(@units)) AND school_year = @year AND kind = 'class' AND deleted_at IS NULL LIMIT 1`,
      ),
      // Raw rows (candidateOf): named rows cost more than the query's lookups at 50 000 pupils.
      candidates: db.prepare(
        `SELECT e.id, e.version, e.pupil_id, g.unit_id, e.group_id, e.school_form, e.grade, e.valid_from, e.valid_to, e.end_reason,
           g.name AS group_name, g.grade AS group_grade, g.school_form AS group_form, p.given_name, p.family_name, p.protection, p.sort_key
         FROM school_group g JOIN enrolment e ON e.group_id = g.id JOIN person p ON p.id = e.pupil_id
         WHERE g.unit_id IN (SELECT value FROM json_each(@units)) AND g.school_year = @year AND g.kind = 'class' AND g.deleted_at IS NULL
           AND e.deleted_at IS NULL AND p.deleted_at IS NULL AND e.valid_from <= @prev AND (e.valid_to IS NULL OR e.valid_to >= @reach)
           AND NOT EXISTS (SELECT 1 FROM enrolment n WHERE n.pupil_id = e.pupil_id AND n.deleted_at IS NULL AND n.id <> e.id AND n.valid_from > e.valid_from)
         ORDER BY e.pupil_id, e.valid_from DESC, e.id`,
      ).raw(true),
      nextYearGroups: db.prepare(
        `SELECT id, unit_id, name, school_form, grade FROM school_group
         WHERE unit_id IN (SELECT value FROM json_each(@units)) AND school_year = @year AND kind = 'class' AND deleted_at IS NULL ORDER BY created_at, id`,
      ),
      starters: db.prepare(
        `SELECT pl.child_id, pl.unit_id, g.name AS group_name, p.given_name, p.family_name, p.protection, p.sort_key
         FROM placement pl JOIN person p ON p.id = pl.child_id LEFT JOIN school_group g ON g.id = pl.group_id
         WHERE pl.unit_id IN (SELECT value FROM json_each(@units)) AND pl.school_form IN (SELECT value FROM json_each(@forms))
           AND pl.state = 'accepted' AND pl.deleted_at IS NULL AND p.deleted_at IS NULL
           AND pl.valid_from <= @date AND (pl.valid_to IS NULL OR pl.valid_to >= @reach)
           AND p.birth_date >= @bornFrom AND p.birth_date <= @bornTo
           AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = pl.child_id AND e.deleted_at IS NULL AND (e.valid_to IS NULL OR e.valid_to >= @date))
         ORDER BY pl.child_id, pl.valid_from DESC, pl.id`,
      ),
      // The memberships of the ending enrolments (those reaching past its new end are ended): read whole,
      // so the write path can log them without reading each again. Many enrolments at once (a JSON array of enrolment ids); dates are checked per
      // enrolment by endsBy. One statement per 5 000 pupils instead of one per pupil (measured: 2.3 s of a
      // 50 000-pupil commit went to the per-pupil statement).
      membershipsOf: db.prepare(`SELECT * FROM group_membership WHERE source_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL`),
      // Memberships recorded before source_id existed outside the migration: matched by group and person.
      endingLegacyMemberships: db.prepare(
        `SELECT * FROM group_membership WHERE source_id IS NULL AND group_id = @group AND person_id = @person AND deleted_at IS NULL AND valid_from <= @validTo
           AND (valid_to IS NULL OR valid_to > @validTo)`,
      ),
    };
  }

  /** The units a call covers: the given ones (each in the caller's scope) or every school unit in scope. */
  private unitsFor(actor: Actor, unitIds: string[] | undefined, units: Map<string, UnitInfo>): string[] {
    if (unitIds) {
      const out = [...new Set(unitIds)];
      for (const id of out) {
        requireUnit(actor, 'placement.rollover', id, 'Year rollover');
        if (units.get(id)?.kind !== 'school_unit') throw new DomainError('validation', `No such school unit: ${id}`, 'unitIds');
      }
      return out;
    }
    const scope = scopeOf(actor, 'placement.rollover');
    return [...units.values()].filter((u) => u.kind === 'school_unit' && (scope === 'all' || (scope !== null && scope.has(u.id)))).map((u) => u.id);
  }

  private checkDate(date: string, unitIds: string[], schoolYear: number): void {
    const units = JSON.stringify(unitIds);
    if (date.slice(5, 7) !== '08') {
      throw ruleViolation('rollover_date', `rollover_date: ${date} is not in August, when a school year starts (school year ${schoolYear}/${schoolYear + 1} starts ${schoolYear}-08-01)`, 'date');
    }
    if (!this.s.hasClasses!.get({ units, year: schoolYear - 1 })) {
      throw ruleViolation('rollover_date', `rollover_date: the units have no classes of school year ${schoolYear - 1}/${schoolYear} to move up from on ${date}`, 'date');
    }
    const later = (this.s.yearStarts!.pluck().all({ units, year: schoolYear }) as string[]).filter((d) => d > date);
    if (later.length) {
      throw ruleViolation(
        'rollover_date',
        `rollover_date: classes of school year ${schoolYear}/${schoolYear + 1} start ${later[0]}, after ${date}; roll over on their first day or later`,
        'date',
      );
    }
  }

  /**
   * The checks that need no plan (the units and the caller's scope over them, the rollover date), so that
   * starting the commit job refuses at once what the job would refuse.
   */
  precheck(actor: Actor, input: { date: string; unitIds?: string[] }): void {
    const units = new Map((this.s.units!.all() as UnitInfo[]).map((u) => [u.id, u]));
    this.checkDate(input.date, this.unitsFor(actor, input.unitIds, units), schoolYearOf(input.date));
  }

  plan(actor: Actor, input: { date: string; unitIds?: string[] }): RolloverPlan {
    const date = input.date;
    const units = new Map((this.s.units!.all() as UnitInfo[]).map((u) => [u.id, u]));
    const unitIds = this.unitsFor(actor, input.unitIds, units);
    const schoolYear = schoolYearOf(date);
    const year = schoolYear - 1;
    this.checkDate(date, unitIds, schoolYear);
    const rules = getPlacementRules(this.ctx);
    const prev = addDays(date, -1);
    const yearEnd = `${schoolYear}-07-31`;
    const reach = prev < yearEnd ? prev : yearEnd;

    const inScope = new Set(unitIds);
    const exceptions = new Map(
      rules.rolloverExceptions.filter((x) => inScope.has(x.unitId)).map((x) => [`${x.unitId}|${foldText(x.fromName)}`, x] as const),
    );
    const targetUnits = new Set(unitIds);
    for (const x of exceptions.values()) if (x.toUnitId && units.has(x.toUnitId)) targetUnits.add(x.toUnitId);
    const existing = new Map<string, Target>();
    for (const g of this.s.nextYearGroups!.all({ units: JSON.stringify([...targetUnits]), year: schoolYear }) as {
      id: string;
      unit_id: string;
      name: string;
      school_form: string;
      grade: number | null;
    }[]) {
      const key = `${g.unit_id}|${foldText(g.name)}`;
      if (!existing.has(key)) existing.set(key, { key, groupId: g.id, created: false, unitId: g.unit_id, name: g.name, form: g.school_form, grade: g.grade ?? 0 });
    }
    const created = new Map<string, Target>();
    // Per class, not per pupil: every pupil of a class moves to the same class (and folding names is not free).
    const byClass = new Map<string, Target>();
    const targetOf = (c: CandidateDb): Target => {
      let t = byClass.get(c.group_id);
      if (!t) byClass.set(c.group_id, (t = resolveTarget(c)));
      return t;
    };
    const resolveTarget = (c: CandidateDb): Target => {
      const exception = exceptions.get(`${c.unit_id}|${foldText(c.group_name)}`);
      if (exception?.toUnitId && !inScope.has(exception.toUnitId)) {
        const to = units.get(exception.toUnitId);
        if (to?.kind !== 'school_unit') {
          throw new DomainError('validation', `The rollover exception for ${exception.fromName} names a unit that does not exist: ${exception.toUnitId}`, 'unitIds');
        }
        // Its pupils are enrolled there: the caller needs the rollover permission for that unit too.
        requireUnit(actor, 'placement.rollover', to.id, `Year rollover of ${exception.fromName} into ${to.name}`);
      }
      const unitId = exception?.toUnitId ?? c.unit_id;
      const name = exception?.toName ?? nextGroupName(c.group_name, c.group_form);
      const key = `${unitId}|${foldText(name)}`;
      const hit = existing.get(key) ?? created.get(key);
      if (hit) return hit;
      const t: Target = {
        key,
        groupId: newId(),
        created: true,
        unitId,
        name,
        form: NEXT_FORM[c.group_form] ?? c.group_form,
        grade: (c.group_grade ?? c.grade) + 1,
      };
      created.set(key, t);
      return t;
    };

    const items: PlanItem[] = [];
    const seen = new Set<string>();
    for (const c of (this.s.candidates!.all({ units: JSON.stringify(unitIds), year, prev, reach }) as unknown[][]).map(candidateOf)) {
      // Two enrolments of one pupil starting the same day (a data error): one of them moves, not both.
      if (seen.has(c.pupil_id)) continue;
      seen.add(c.pupil_id);
      const base = {
        pupilId: c.pupil_id,
        name: `${c.family_name}, ${c.given_name}`,
        protected: c.protection !== 'none',
        sortKey: c.sort_key,
        unitId: c.unit_id,
        fromGroup: c.group_name,
        fromGroupGrade: c.group_grade,
        fromGrade: c.grade,
      };
      const endsOn = c.valid_to === null || c.valid_to > prev ? prev : c.valid_to;
      const final = rules.finalGrade[c.school_form as EnrolmentForm] as number | undefined;
      if (!NEXT_FORM[c.school_form] && final !== undefined && c.grade >= final) {
        if (c.end_reason !== null && c.valid_to !== null && c.valid_to <= prev) continue;
        items.push({
          ...base,
          action: 'leave',
          toGrade: null,
          target: null,
          enrolment: { id: c.id, version: c.version, groupId: c.group_id, validTo: c.valid_to, storedEndReason: c.end_reason, endsOn, endReason: 'completed', form: c.school_form },
          next: null,
        });
        continue;
      }
      const target = targetOf(c);
      const form = (ENROLMENT_FORMS as readonly string[]).includes(target.form) ? target.form : (NEXT_FORM[c.school_form] ?? c.school_form);
      items.push({
        ...base,
        action: 'promote',
        toGrade: c.grade + 1,
        target,
        enrolment: { id: c.id, version: c.version, groupId: c.group_id, validTo: c.valid_to, storedEndReason: c.end_reason, endsOn, endReason: c.end_reason, form: c.school_form },
        next: { form, validTo: c.valid_to !== null && c.valid_to > prev ? c.valid_to : null },
      });
    }

    const country = (this.s.country!.pluck().get() as string | undefined) ?? 'SE';
    const born = Number(date.slice(0, 4)) - 6;
    for (const s of this.s.starters!.all({
      units: JSON.stringify(unitIds),
      forms: JSON.stringify(PRESCHOOL_FORMS),
      date,
      reach,
      bornFrom: `${born}-01-01`,
      bornTo: `${born}-12-31`,
    }) as StarterDb[]) {
      if (seen.has(s.child_id)) continue;
      seen.add(s.child_id);
      items.push({
        action: 'start_school',
        pupilId: s.child_id,
        name: `${s.family_name}, ${s.given_name}`,
        protected: s.protection !== 'none',
        sortKey: s.sort_key,
        unitId: s.unit_id,
        fromGroup: s.group_name,
        fromGroupGrade: null,
        fromGrade: null,
        // Sweden: förskoleklass (grade 0) the autumn the child turns six; Norway: first grade.
        toGrade: country === 'NO' ? 1 : 0,
        target: null,
        enrolment: null,
        next: null,
      });
    }

    const groups = [...created.values()];
    return { date, schoolYear, unitIds, units, items, groups, token: fingerprint(date, unitIds, items, groups) };
  }

  preview(actor: Actor, input: PreviewInput): { output: PreviewOutput; personIds: string[] } {
    const plan = this.plan(actor, input);
    const counts = countsOf(plan, input.unitIds ?? [], collationCountry(this.ctx.sqlite));
    const unitName = (id: string) => plan.units.get(id)?.name ?? '';
    const filtered = plan.items.filter((i) => (!input.rowsUnitId || i.unitId === input.rowsUnitId) && (!input.action || i.action === input.action));
    const visible = filtered.filter((i) => !i.protected || canSeeProtected(actor, i.unitId));
    // Unit, action, class (grade, then name), pupil: one string key per row, so tens of thousands of rows
    // sort with plain comparisons. \u0000 separates the parts (no part contains it; sort keys use \u0001).
    const keyed = visible.map((i) => ({
      i,
      key: [unitName(i.unitId), ACTION_ORDER[i.action], String(i.fromGroupGrade ?? 99).padStart(2, '0'), i.fromGroup ?? '', i.sortKey, i.pupilId].join('\u0000'),
    }));
    keyed.sort((a, b) => cmp(a.key, b.key));
    const page = keyed.slice(input.offset, input.offset + input.limit).map((k) => k.i);
    const totals = { promoted: 0, leavers: 0, startingSchool: 0, groupsCreated: 0 };
    for (const c of counts) {
      totals.promoted += c.promoted;
      totals.leavers += c.leavers;
      totals.startingSchool += c.startingSchool;
      totals.groupsCreated += c.groupsCreated;
    }
    return {
      output: {
        date: plan.date,
        token: plan.token,
        units: counts,
        totals,
        rows: page.map((i) => ({
          person: { id: i.pupilId, name: i.name, protected: i.protected },
          action: i.action,
          unitId: i.unitId,
          unitName: unitName(i.unitId),
          fromGroup: i.fromGroup,
          fromGrade: i.fromGrade,
          toGroup: i.target?.name ?? null,
          toGrade: i.toGrade,
          toUnitName: i.target ? unitName(i.target.unitId) : null,
        })),
        rowsTotal: visible.length,
        hiddenProtected: filtered.length - visible.length,
      },
      personIds: page.map((i) => i.pupilId),
    };
  }

  /**
   * Recomputes the plan, checks the token and applies it. The dispatcher runs the call in one
   * transaction: the whole rollover commits or none of it does.
   */
  commit(actor: Actor, input: CommitInput, onProgress?: (done: number, total: number) => void): { output: RolloverResult; personIds: string[]; units: UnitCount[] } {
    const plan = this.plan(actor, input);
    if (plan.token !== input.token) {
      throw ruleViolation('rollover_stale', 'rollover_stale: the register changed since the preview; preview the rollover again', 'token');
    }
    // A job's writes carry no client mutation id (core/write/records.ts); each record gets its change record.
    const w = writer(this.ctx, actor, null);
    const yearStart = `${plan.schoolYear}-08-01`;
    const nextYearEnd = `${plan.schoolYear + 1}-07-31`;
    const s = this.s;
    const country = collationCountry(this.ctx.sqlite);
    for (const g of plan.groups) {
      insertRecord(
        w,
        'school_group',
        { unit_id: g.unitId, kind: 'class', name: g.name, name_norm: foldText(g.name), sort_key: collationKey(g.name, country), school_year: plan.schoolYear, school_form: g.form, grade: g.grade, valid_from: yearStart, valid_to: nextYearEnd },
        { id: g.groupId },
      );
    }
    const personIds: string[] = [];
    let promoted = 0;
    let leavers = 0;
    const total = plan.items.length;
    const bySource = new Map<string, Row[]>();
    const enrolmentIds = plan.items.flatMap((i) => (i.enrolment ? [i.enrolment.id] : []));
    for (let k = 0; k < enrolmentIds.length; k += 5000) {
      for (const m of s.membershipsOf!.all(JSON.stringify(enrolmentIds.slice(k, k + 5000))) as Row[]) {
        const list = bySource.get(m.source_id as string);
        if (list) list.push(m);
        else bySource.set(m.source_id as string, [m]);
      }
    }
    // A membership still open after the enrolment's new end (it started on or before it).
    const endsBy = (m: Row, validTo: string) => (m.valid_from as string) <= validTo && (m.valid_to === null || (m.valid_to as string) > validTo);
    // What to write, collected first, then written set-wise by the write path's bulk form: the enrolments and
    // memberships that end (a record where nothing differs, a class that already ends with the year, is left
    // alone), then the new enrolments and their memberships. Four statements and four for their change
    // records instead of about 200 000 calls for 50 000 pupils.
    const ends: [string, string, string | null][] = [];
    const membershipEnds: [string, string][] = [];
    const enrolments: [string, string, string, string, string, number | null, string, string | null][] = [];
    const memberships: [string, string, string, string, string | null, string][] = [];
    for (const i of plan.items) {
      const e = i.enrolment;
      if (!e) continue;
      personIds.push(i.pupilId);
      ends.push([e.id, e.endsOn, e.endReason]);
      let ending = (bySource.get(e.id) ?? []).filter((m) => endsBy(m, e.endsOn));
      if (ending.length === 0) ending = s.endingLegacyMemberships!.all({ group: e.groupId, person: i.pupilId, validTo: e.endsOn }) as Row[];
      for (const m of ending) membershipEnds.push([m.id as string, e.endsOn]);
      if (i.action === 'leave') {
        leavers++;
        continue;
      }
      const t = i.target!;
      const id = newId();
      enrolments.push([id, i.pupilId, t.unitId, t.groupId, i.next!.form, i.toGrade, plan.date, i.next!.validTo]);
      memberships.push([newId(), t.groupId, i.pupilId, plan.date, i.next!.validTo, id]);
      promoted++;
    }
    const rows = (n: number) => `SELECT ${Array.from({ length: n }, (_, k) => `json_extract(value, '$[${k}]')`).join(', ')} FROM json_each(?) ORDER BY key`;
    const step = (n: number) => onProgress?.(Math.round((total * n) / 4), total);
    step(0);
    updateRecordsFrom(w, 'enrolment', ['valid_to', 'end_reason'], rows(3), [JSON.stringify(ends)]);
    step(1);
    updateRecordsFrom(w, 'group_membership', ['valid_to'], rows(2), [JSON.stringify(membershipEnds)]);
    step(2);
    insertRecordsFrom(w, 'enrolment', ['pupil_id', 'unit_id', 'group_id', 'school_form', 'grade', 'valid_from', 'valid_to'], rows(8), [JSON.stringify(enrolments)]);
    step(3);
    insertRecordsFrom(w, 'group_membership', ['group_id', 'person_id', 'valid_from', 'valid_to', 'source_id'], rows(6), [JSON.stringify(memberships)]);
    step(4);
    if (personIds.length || plan.groups.length) this.ctx.generation.persons++;
    return { output: { promoted, leavers, groupsCreated: plan.groups.length }, personIds, units: countsOf(plan, input.unitIds ?? [], collationCountry(this.ctx.sqlite)) };
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Counts per unit of the rollover (the unit the pupils come from), in unit-name order: every unit with
 * something to do, and every unit the caller named (with zeros, so "nothing to do" is visible as such).
 */
function countsOf(plan: RolloverPlan, named: readonly string[], country: CollationCountry): UnitCount[] {
  const by = new Map<string, UnitCount>();
  const of = (unitId: string) => {
    let c = by.get(unitId);
    if (!c) by.set(unitId, (c = { unitId, unitName: plan.units.get(unitId)?.name ?? '', promoted: 0, leavers: 0, startingSchool: 0, groupsCreated: 0 }));
    return c;
  };
  for (const id of named) of(id);
  for (const i of plan.items) {
    const c = of(i.unitId);
    if (i.action === 'promote') c.promoted++;
    else if (i.action === 'leave') c.leavers++;
    else c.startingSchool++;
  }
  // A class created in another unit (a rollover exception) is counted where its pupils come from.
  const createdFrom = new Map<string, string>();
  for (const i of plan.items) if (i.target?.created && !createdFrom.has(i.target.key)) createdFrom.set(i.target.key, i.unitId);
  for (const unitId of createdFrom.values()) of(unitId).groupsCreated++;
  // In the municipality country's alphabetical order (shared/collation.ts); the id breaks ties.
  return sortByText([...by.values()], (c) => `${c.unitName}\u0001${c.unitId}`, country);
}

/**
 * The plan's fingerprint: date, units, and per pupil the enrolment (with its version, so any edit since the
 * preview counts), the action and the target class. Children starting school are left out: the commit does
 * not touch them, so a new preschool child need not make the clerk preview again.
 */
function fingerprint(date: string, unitIds: string[], items: PlanItem[], groups: Target[]): string {
  const h = createHash('sha256');
  h.update(`kansli-rollover-1\n${date}\n${[...unitIds].sort().join(',')}\n`);
  const lines = items
    .filter((i) => i.enrolment)
    .map((i) => {
      const e = i.enrolment!;
      const t = i.target;
      return `${i.pupilId}|${e.id}|${e.version}|${i.action}|${e.endsOn}|${t ? `${t.unitId}|${t.created ? 'new' : t.groupId}|${t.name}|${i.toGrade}|${i.next!.form}` : ''}`;
    })
    .sort();
  for (const l of lines) h.update(`${l}\n`);
  for (const g of [...groups].sort((a, b) => cmp(a.key, b.key))) h.update(`group|${g.key}|${g.form}|${g.grade}\n`);
  return `r1.${h.digest('hex')}`;
}
