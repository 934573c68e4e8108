/**
 * The annual intake (skolstart): the children who start school in a school year, from the register. In
 * Sweden förskoleklass begins the autumn a child turns six (skollagen 7 kap. 10 §); in Norway first grade
 * the year the child turns six (opplæringslova § 2-1). The clerk chooses the unit (the register's catchment
 * and the child's preschool help) and turns the children into pending enrolments that start on the first
 * day of the school year.
 */
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import { formatIdentityNumber } from '../../shared/identity';
import type { Actor, CoreContext } from '../context';
import { insertEnrolment } from '../placements/enrolments';
import { writer } from '../write/records';

export interface IntakeSpec {
  form: 'FKLASS' | 'GSK';
  grade: number;
  startDate: string;
  bornIn: number;
}

export function intakeSpec(ctx: CoreContext, schoolYear: number): IntakeSpec {
  const country = ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() as 'SE' | 'NO' | undefined;
  if (!country) throw new DomainError('not_found', 'No municipality is set up in this database');
  // Both countries' school years begin in August; the clerk may move the start of an enrolment afterwards.
  const startDate = `${schoolYear}-08-01`;
  return country === 'SE' ? { form: 'FKLASS', grade: 0, startDate, bornIn: schoolYear - 6 } : { form: 'GSK', grade: 1, startDate, bornIn: schoolYear - 6 };
}

interface CohortRow {
  id: string;
  family_name: string;
  given_name: string;
  id_canonical: string | null;
  birth_date: string | null;
  registered_district: string | null;
  protection: string;
  shielded: number;
  current_unit: string | null;
  current_unit_id: string | null;
  current_unit_forms: string | null;
  enrolled: number;
  sibling_unit_id: string | null;
}

function cohort(ctx: CoreContext, spec: IntakeSpec): CohortRow[] {
  const code = ctx.sqlite.prepare('SELECT code FROM municipality LIMIT 1').pluck().get() as string;
  return ctx.sqlite
    .prepare(
      `SELECT p.id, p.family_name, p.given_name, p.id_canonical, p.birth_date, p.registered_district, p.protection, p.shielded,
              (SELECT u.name FROM placement pl JOIN org_unit u ON u.id = pl.unit_id WHERE pl.child_id = p.id AND pl.deleted_at IS NULL AND pl.state = 'accepted'
                 AND pl.valid_from <= @start AND (pl.valid_to IS NULL OR pl.valid_to >= @today) ORDER BY pl.valid_from DESC LIMIT 1) AS current_unit,
              (SELECT u.id FROM placement pl JOIN org_unit u ON u.id = pl.unit_id WHERE pl.child_id = p.id AND pl.deleted_at IS NULL AND pl.state = 'accepted'
                 AND pl.valid_from <= @start AND (pl.valid_to IS NULL OR pl.valid_to >= @today) ORDER BY pl.valid_from DESC LIMIT 1) AS current_unit_id,
              (SELECT u.school_forms FROM placement pl JOIN org_unit u ON u.id = pl.unit_id WHERE pl.child_id = p.id AND pl.deleted_at IS NULL AND pl.state = 'accepted'
                 AND pl.valid_from <= @start AND (pl.valid_to IS NULL OR pl.valid_to >= @today) ORDER BY pl.valid_from DESC LIMIT 1) AS current_unit_forms,
              EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = p.id AND e.deleted_at IS NULL AND (e.valid_to IS NULL OR e.valid_to >= @start)) AS enrolled,
              -- A school a sibling (a child of the same guardian) attends on the first day: where parents usually want them.
              (SELECT e.unit_id FROM guardianship g1 JOIN guardianship g2 ON g2.guardian_id = g1.guardian_id AND g2.child_id <> g1.child_id AND g2.deleted_at IS NULL
                 JOIN enrolment e ON e.pupil_id = g2.child_id AND e.deleted_at IS NULL AND e.valid_from <= @start AND (e.valid_to IS NULL OR e.valid_to >= @start)
                 JOIN org_unit u ON u.id = e.unit_id AND EXISTS (SELECT 1 FROM json_each(u.school_forms) f WHERE f.value = @form)
               WHERE g1.child_id = p.id AND g1.deleted_at IS NULL AND (g1.valid_to IS NULL OR g1.valid_to >= @today) ORDER BY e.valid_from DESC LIMIT 1) AS sibling_unit_id
         FROM person p
        WHERE p.deleted_at IS NULL AND p.status = 'active' AND p.birth_date >= @from AND p.birth_date <= @to
          AND (p.registered_municipality IS NULL OR p.registered_municipality = @code)
        ORDER BY p.sort_key`,
    )
    .all({ from: `${spec.bornIn}-01-01`, to: `${spec.bornIn}-12-31`, start: spec.startDate, today: ctx.clock.today(), code, form: spec.form }) as CohortRow[];
}

export function intakePreview(
  ctx: CoreContext,
  i: MethodParsedInput<'intake.preview'>,
  seeProtected: boolean,
): { out: MethodOutput<'intake.preview'>; personIds: string[] } {
  const spec = intakeSpec(ctx, i.schoolYear);
  if (i.unitId && !ctx.sqlite.prepare('SELECT 1 FROM org_unit WHERE id = ? AND deleted_at IS NULL').get(i.unitId)) throw new DomainError('not_found', 'No such unit', 'unitId');
  const all = cohort(ctx, spec);
  const proposed = (r: CohortRow) => (r.current_unit_id && (JSON.parse(r.current_unit_forms ?? '[]') as string[]).includes(spec.form) ? r.current_unit_id : r.sibling_unit_id);
  const inUnit = i.unitId ? all.filter((r) => proposed(r) === i.unitId || r.current_unit_id === i.unitId) : all;
  // Protected children are counted, not listed, for a reader who may not see them (as on every list).
  const visible = inUnit.filter((r) => seeProtected || r.protection === 'none');
  const page = visible.slice(i.offset, i.offset + i.limit);
  const today = ctx.clock.today();
  return {
    out: {
      items: page.map((r) => ({
        person: { id: r.id, name: `${r.family_name}, ${r.given_name}`, identity: r.id_canonical ? formatIdentityNumber(r.id_canonical, { today }) : null, protected: r.shielded === 1 },
        birthDate: r.birth_date,
        district: r.registered_district,
        currentUnit: r.current_unit,
        proposedUnitId: proposed(r),
        enrolled: r.enrolled === 1,
      })),
      total: visible.length,
      hiddenProtected: inUnit.length - visible.length,
      startDate: spec.startDate,
      grade: spec.grade,
      form: spec.form,
    },
    personIds: page.map((r) => r.id),
  };
}

/** Creates the enrolments (through the enrolment rules: unit runs the form, group, no overlap); already enrolled children are skipped. */
export function intakeCreate(ctx: CoreContext, actor: Actor, mutationId: string | null, i: MethodParsedInput<'intake.create'>): { created: number; skipped: number; personIds: string[] } {
  const w = writer(ctx, actor, mutationId);
  const spec = intakeSpec(ctx, i.schoolYear);
  const enrolled = ctx.sqlite.prepare(`SELECT 1 FROM enrolment WHERE pupil_id = ? AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= ?)`);
  let created = 0;
  let skipped = 0;
  const personIds: string[] = [];
  i.rows.forEach((r, n) => {
    personIds.push(r.personId);
    if (enrolled.get(r.personId, spec.startDate)) {
      skipped++;
      return;
    }
    try {
      insertEnrolment(w, { pupilId: r.personId, unitId: r.unitId, groupId: r.groupId ?? null, schoolForm: spec.form, grade: spec.grade, validFrom: spec.startDate, validTo: null });
    } catch (e) {
      // The enrolment rules name their own field; the clerk needs the row as well.
      if (e instanceof DomainError) throw new DomainError(e.code, `Row ${n + 1}: ${e.message}`, `rows.${n}.${e.field === 'pupilId' ? 'personId' : (e.field ?? 'unitId')}`, e.issues, undefined, e.rule);
      throw e;
    }
    created++;
  });
  return { created, skipped, personIds };
}
