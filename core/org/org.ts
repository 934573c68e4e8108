/** Organisation: municipality → administrations → school units → groups per school year, and staff duties. */
import { collationKey, sortByText } from '../../shared/collation';
import { collationCountry } from '../register/persons';
import { and, eq, isNull } from 'drizzle-orm';
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import { SCHOOL_FORMS_BY_COUNTRY, type SchoolForm } from '../../shared/api/schemas';
import { parseOrgNumber } from '../../shared/orgnumber';
import { foldText } from '../../shared/text';
import { municipality, orgUnit } from '../../db/schema';
import type { CoreContext } from '../context';
import { schoolYearOf } from '../dates';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from '../register/summary';
import { insertRecord, readRecord, updateRecord, type Writer } from '../write/records';

export function currentMunicipality(ctx: CoreContext) {
  return ctx.db.select().from(municipality).limit(1).get() ?? null;
}

export function orgTree(ctx: CoreContext): MethodOutput<'org.tree'> {
  const m = currentMunicipality(ctx);
  if (!m) throw new DomainError('not_found', 'No municipality is set up in this database');
  const units = ctx.sqlite
    .prepare(
      `SELECT u.id, u.parent_id, u.kind, u.name, u.school_unit_code, u.gsi_code, u.school_forms,
        (SELECT count(*) FROM school_group g WHERE g.unit_id = u.id AND g.deleted_at IS NULL AND g.school_year = ?) AS group_count
       FROM org_unit u WHERE u.deleted_at IS NULL ORDER BY u.sort_key, u.id`,
    )
    .all(schoolYearOf(ctx.clock.today())) as {
    id: string;
    parent_id: string | null;
    kind: 'administration' | 'school_unit';
    name: string;
    school_unit_code: string | null;
    gsi_code: string | null;
    school_forms: string;
    group_count: number;
  }[];
  // In the country's alphabetical order (Älvdalens förskola after Zetas, not among the A's).
  const sorted = sortByText(units, (u) => u.name, m.country === 'NO' ? 'NO' : 'SE');
  const admins = sorted.filter((u) => u.kind === 'administration');
  return {
    municipality: { id: m.id, name: m.name, country: m.country, code: m.code },
    administrations: admins.map((a) => ({
      id: a.id,
      name: a.name,
      units: sorted
        .filter((u) => u.parent_id === a.id && u.kind === 'school_unit')
        .map((u) => ({
          id: u.id,
          kind: u.kind,
          name: u.name,
          code: u.school_unit_code ?? u.gsi_code,
          schoolForms: JSON.parse(u.school_forms) as SchoolForm[],
          groupCount: u.group_count,
        })),
    })),
  };
}

export function getUnit(ctx: CoreContext, input: MethodParsedInput<'unit.get'>): MethodOutput<'unit.get'> {
  const date = input.date ?? ctx.clock.today();
  const u = ctx.sqlite
    .prepare(
      `SELECT u.*, p.name AS parent_name FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id WHERE u.id = ? AND u.deleted_at IS NULL`,
    )
    .get(input.id) as Record<string, string | number | null> | undefined;
  if (!u) throw new DomainError('not_found', 'No such unit', 'id');
  const groups = ctx.sqlite
    .prepare(
      `SELECT g.id, g.name, g.kind, g.school_year, g.school_form, g.grade,
        (SELECT count(*) FROM group_membership m WHERE m.group_id = g.id AND m.deleted_at IS NULL AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)) AS member_count
       FROM school_group g WHERE g.unit_id = ? AND g.deleted_at IS NULL ORDER BY g.school_year DESC, g.grade, g.sort_key, g.id`,
    )
    .all(date, date, input.id) as Record<string, string | number | null>[];
  // Newest school year first, then by grade (none first, as SQL orders NULL), then by name in the country's
  // alphabetical order.
  const country = collationCountry(ctx.sqlite);
  const keyed = groups.map((g) => ({ g, key: collationKey(g.name as string, country) }));
  keyed.sort((a, b) => (b.g.school_year as number) - (a.g.school_year as number) || ((a.g.grade as number | null) ?? -1) - ((b.g.grade as number | null) ?? -1) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  groups.splice(0, groups.length, ...keyed.map((k) => k.g));
  const staff = ctx.sqlite
    .prepare(
      `SELECT d.id, d.person_id, p.given_name, p.family_name, d.role, d.percent_hundredths, d.valid_from, d.valid_to
       FROM staff_duty d JOIN person p ON p.id = d.person_id
       WHERE d.unit_id = ? AND d.deleted_at IS NULL AND d.valid_from <= ? AND (d.valid_to IS NULL OR d.valid_to >= ?)
       ORDER BY p.sort_key`,
    )
    .all(input.id, date, date) as Record<string, string | number | null>[];
  return {
    id: u.id as string,
    version: u.version as number,
    kind: u.kind as 'school_unit',
    parentId: (u.parent_id as string | null) ?? null,
    parentName: (u.parent_name as string | null) ?? null,
    name: u.name as string,
    schoolUnitCode: (u.school_unit_code as string | null) ?? null,
    orgNumber: (u.org_number as string | null) ?? null,
    gsiCode: (u.gsi_code as string | null) ?? null,
    schoolForms: JSON.parse(u.school_forms as string) as SchoolForm[],
    visitingAddress: (u.visiting_address as string | null) ?? null,
    groups: groups.map((g) => ({
      id: g.id as string,
      name: g.name as string,
      kind: g.kind as 'class',
      schoolYear: g.school_year as number,
      schoolForm: g.school_form as SchoolForm,
      grade: (g.grade as number | null) ?? null,
      memberCount: g.member_count as number,
    })),
    staff: staff.map((s) => ({
      dutyId: s.id as string,
      personId: s.person_id as string,
      name: `${s.family_name as string}, ${s.given_name as string}`,
      role: s.role as 'teacher',
      percent: (s.percent_hundredths as number) / 100,
      validFrom: s.valid_from as string,
      validTo: (s.valid_to as string | null) ?? null,
    })),
  };
}

export function getGroup(ctx: CoreContext, input: MethodParsedInput<'group.get'>): MethodOutput<'group.get'> {
  const date = input.date ?? ctx.clock.today();
  const g = ctx.sqlite
    .prepare(`SELECT g.*, u.name AS unit_name FROM school_group g JOIN org_unit u ON u.id = g.unit_id WHERE g.id = ? AND g.deleted_at IS NULL`)
    .get(input.id) as Record<string, string | number | null> | undefined;
  if (!g) throw new DomainError('not_found', 'No such group', 'id');
  const rows = ctx.sqlite
    .prepare(
      `SELECT ${SUMMARY_COLUMNS}, m.id AS membership_id, m.valid_from AS m_from, m.valid_to AS m_to
       FROM group_membership m JOIN person p ON p.id = m.person_id
       WHERE m.group_id = ? AND m.deleted_at IS NULL AND p.deleted_at IS NULL AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)
       ORDER BY p.sort_key`,
    )
    .all(input.id, date, date) as (SummaryRow & { membership_id: string; m_from: string; m_to: string | null })[];
  const today = ctx.clock.today();
  return {
    id: g.id as string,
    unitId: g.unit_id as string,
    unitName: g.unit_name as string,
    name: g.name as string,
    kind: g.kind as 'class',
    schoolYear: g.school_year as number,
    schoolForm: g.school_form as SchoolForm,
    grade: (g.grade as number | null) ?? null,
    date,
    members: rows.map((r) => ({ membershipId: r.membership_id, person: toSummary(r, today), validFrom: r.m_from, validTo: r.m_to })),
    hiddenProtected: 0,
  };
}

type UnitIn = MethodParsedInput<'unit.create'>;

function checkUnit(ctx: CoreContext, input: UnitIn, selfId: string | null): { orgNumber: string | null; municipalityId: string } {
  const m = currentMunicipality(ctx);
  if (!m) throw new DomainError('not_found', 'No municipality is set up in this database');
  const issues: { field: string; code: string; message: string }[] = [];
  const parent = ctx.db.select().from(orgUnit).where(and(eq(orgUnit.id, input.parentId), isNull(orgUnit.deletedAt))).get();
  if (!parent) issues.push({ field: 'parentId', code: 'not_found', message: 'No such administration' });
  else if (parent.kind !== 'administration') issues.push({ field: 'parentId', code: 'parent_not_administration', message: 'A school unit belongs to an administration' });
  const allowed = SCHOOL_FORMS_BY_COUNTRY[m.country];
  input.schoolForms.forEach((f, i) => {
    if (!allowed.includes(f)) issues.push({ field: `schoolForms.${i}`, code: 'school_form_country', message: `${f} is not a school form in ${m.country}` });
  });
  if (m.country === 'NO' && input.schoolUnitCode) issues.push({ field: 'schoolUnitCode', code: 'not_in_country', message: 'Skolenhetskod is Swedish' });
  if (m.country === 'SE' && input.gsiCode) issues.push({ field: 'gsiCode', code: 'not_in_country', message: 'GSI codes are Norwegian' });
  let orgNumber: string | null = null;
  if (input.orgNumber) {
    const r = parseOrgNumber(input.orgNumber, m.country);
    if (!r.ok) issues.push({ field: 'orgNumber', code: `org_number.${r.code}`, message: r.message });
    else orgNumber = r.canonical;
  }
  const dupCheck = (col: 'school_unit_code' | 'gsi_code', value: string | null, field: string) => {
    if (!value) return;
    const d = ctx.sqlite.prepare(`SELECT id FROM org_unit WHERE ${col} = ? AND deleted_at IS NULL`).get(value) as { id: string } | undefined;
    if (d && d.id !== selfId) throw new DomainError('duplicate', `Another unit already has this code`, field, [{ field, code: 'duplicate', message: d.id }]);
  };
  if (issues.length) throw new DomainError('validation', issues[0]!.message, issues[0]!.field, issues);
  dupCheck('school_unit_code', input.schoolUnitCode, 'schoolUnitCode');
  dupCheck('gsi_code', input.gsiCode, 'gsiCode');
  return { orgNumber, municipalityId: m.id };
}

/** The stored columns of a unit's editable facts (name_norm and sort_key follow the name, for search and ordering). */
const unitColumns = (ctx: CoreContext, input: UnitIn, orgNumber: string | null) => ({
  parent_id: input.parentId,
  name: input.name,
  name_norm: foldText(input.name),
  sort_key: collationKey(input.name, collationCountry(ctx.sqlite)),
  school_unit_code: input.schoolUnitCode,
  org_number: orgNumber,
  gsi_code: input.gsiCode,
  school_forms: JSON.stringify(input.schoolForms),
  visiting_address: input.visitingAddress,
});

export function createUnit(w: Writer, input: UnitIn): MethodOutput<'unit.create'> {
  const { ctx } = w;
  return ctx.sqlite.transaction(() => {
    const { orgNumber, municipalityId } = checkUnit(ctx, input, null);
    const { id } = insertRecord(w, 'org_unit', { municipality_id: municipalityId, kind: 'school_unit', ...unitColumns(ctx, input, orgNumber) });
    return { id, version: 1 };
  })();
}

export function updateUnit(w: Writer, input: MethodParsedInput<'unit.update'>): MethodOutput<'unit.update'> {
  const { ctx } = w;
  return ctx.sqlite.transaction(() => {
    const cur = readRecord(w, 'org_unit', input.id);
    if (!cur || cur.deleted_at !== null) throw new DomainError('not_found', 'No such unit', 'id');
    if (cur.kind !== 'school_unit') throw new DomainError('validation', 'Only school units are edited here', 'id');
    if (cur.version !== input.version) throw new DomainError('conflict', `The unit was changed by someone else (version ${cur.version as number}); reload`);
    const { orgNumber } = checkUnit(ctx, input.unit, cur.id as string);
    const r = updateRecord(w, 'org_unit', cur.id as string, unitColumns(ctx, input.unit, orgNumber), { current: cur });
    return { id: r.id, version: r.version };
  })();
}
