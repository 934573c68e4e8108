/**
 * Households (hushåll): who lives together, effective-dated per member. A person lives in one household at
 * a time. The one exception is a child in shared residence (växelvis boende / delt bosted), who lives
 * alternately in two; each household can then be invoiced for its part (domain.md §5). Both memberships
 * carry `shared`, so an invoice run never has to guess whether two overlapping rows are a mistake.
 */
import { newId } from '../write/ids';
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import type { CoreContext } from '../context';
import { rangesOverlap } from '../dates';
import { refreshShielding, type ShieldingChange } from '../register/shielding';
import { insertRecord, updateRecord, type Writer } from '../write/records';
import { checkDates, period, requirePerson, stmt } from './guardianships';

export interface MemberFacts {
  householdId: string;
  personId: string;
  role: 'adult' | 'child';
  shared: boolean;
  validFrom: string;
  validTo: string | null;
}
export interface MemberRow extends MemberFacts {
  id: string;
  version: number;
}

const MEMBER_SQL = `SELECT id, version, household_id AS householdId, person_id AS personId, role, shared, valid_from AS validFrom, valid_to AS validTo
  FROM household_member`;
const toMember = (r: Record<string, unknown>): MemberRow => ({ ...(r as unknown as MemberRow), shared: r.shared === 1 });

export function memberById(ctx: CoreContext, id: string): MemberRow | null {
  const r = stmt(ctx, `${MEMBER_SQL} WHERE id = ? AND deleted_at IS NULL`).get(id) as Record<string, unknown> | undefined;
  return r ? toMember(r) : null;
}

/** Every membership of a person, newest first. */
export function membershipsOf(ctx: CoreContext, personId: string): MemberRow[] {
  return (stmt(ctx, `${MEMBER_SQL} WHERE person_id = ? AND deleted_at IS NULL ORDER BY valid_from DESC, id`).all(personId) as Record<string, unknown>[]).map(toMember);
}

/** Every person who is or was a member of the household. */
export function personsOfHousehold(ctx: CoreContext, householdId: string): string[] {
  return stmt(ctx, 'SELECT DISTINCT person_id FROM household_member WHERE household_id = ? AND deleted_at IS NULL').pluck().all(householdId) as string[];
}

export function requireHousehold(ctx: CoreContext, id: string, field: string): void {
  if (!stmt(ctx, 'SELECT 1 FROM household WHERE id = ? AND deleted_at IS NULL').get(id)) throw new DomainError('not_found', 'No such household', field);
}

const bothShared = (a: MemberFacts, b: MemberFacts) => a.role === 'child' && b.role === 'child' && a.shared && b.shared;

/** household_overlap for one membership against the person's other memberships (`selfId`: the row being edited). */
function checkOverlap(ctx: CoreContext, m: MemberFacts, selfId: string | null, field: string): void {
  const overlapping = membershipsOf(ctx, m.personId).filter((o) => o.id !== selfId && rangesOverlap(o.validFrom, o.validTo, m.validFrom, m.validTo));
  for (const o of overlapping) {
    if (o.householdId === m.householdId) {
      throw ruleViolation('household_overlap', `household_overlap: the person is already a member of this household ${period(o.validFrom, o.validTo)}`, field);
    }
    if (!bothShared(o, m)) {
      throw ruleViolation(
        'household_overlap',
        `household_overlap: the person is already in another household ${period(o.validFrom, o.validTo)}; only a child in shared residence may be in two, with both memberships marked shared`,
        field,
      );
    }
  }
  // Each existing pair was allowed on its own; a day on which two of them and the new one meet is a third home.
  for (const [i, a] of overlapping.entries()) {
    for (const b of overlapping.slice(i + 1)) {
      const from = a.validFrom > b.validFrom ? a.validFrom : b.validFrom;
      const to = a.validTo === null ? b.validTo : b.validTo === null ? a.validTo : a.validTo < b.validTo ? a.validTo : b.validTo;
      if ((to === null || from <= to) && rangesOverlap(from, to, m.validFrom, m.validTo)) {
        throw ruleViolation('household_overlap', `household_overlap: the child already lives in two households ${period(from, to)}; shared residence is between two homes`, field);
      }
    }
  }
}

function insertMember(w: Writer, m: MemberFacts): string {
  return insertRecord(w, 'household_member', {
    household_id: m.householdId,
    person_id: m.personId,
    role: m.role,
    shared: m.shared,
    valid_from: m.validFrom,
    valid_to: m.validTo,
  }).id;
}

export function createHousehold(w: Writer, input: MethodParsedInput<'household.create'>): MethodOutput<'household.create'> & { members: MemberFacts[]; shielding: ShieldingChange } {
  const { ctx } = w;
  const id = newId();
  const members: MemberFacts[] = input.members.map((m) => ({ householdId: id, personId: m.personId, role: m.role, shared: m.shared, validFrom: input.validFrom, validTo: null }));
  const seen = new Set<string>();
  members.forEach((m, i) => {
    const field = `members.${i}.personId`;
    if (seen.has(m.personId)) {
      throw new DomainError('validation', 'The same person is listed twice', field, [{ field, code: 'duplicate_member', message: 'The same person is listed twice' }]);
    }
    seen.add(m.personId);
    requirePerson(ctx, m.personId, field);
    checkOverlap(ctx, m, null, field);
  });
  // The household has no facts of its own; its members are records of their own, one change record each.
  insertRecord(w, 'household', {}, { id });
  for (const m of members) insertMember(w, m);
  const shielding = refreshShielding(ctx, members.map((m) => m.personId));
  ctx.generation.persons++;
  return { id, version: 1, members, shielding };
}

export function addMember(w: Writer, input: MethodParsedInput<'household.addMember'>): MethodOutput<'household.addMember'> & { member: MemberFacts; shielding: ShieldingChange } {
  const { ctx } = w;
  requireHousehold(ctx, input.householdId, 'householdId');
  requirePerson(ctx, input.personId, 'personId');
  const m: MemberFacts = { householdId: input.householdId, personId: input.personId, role: input.role, shared: input.shared, validFrom: input.validFrom, validTo: input.validTo };
  checkDates(m.validFrom, m.validTo);
  checkOverlap(ctx, m, null, 'personId');
  const id = insertMember(w, m);
  const shielding = refreshShielding(ctx, [m.personId]);
  ctx.generation.persons++;
  return { id, version: 1, member: m, shielding };
}

/** `row` is the stored membership (the caller has checked its scope on it). */
export function endMember(w: Writer, row: MemberRow, input: MethodParsedInput<'household.endMember'>): { result: MethodOutput<'household.endMember'>; shielding: ShieldingChange } {
  const { ctx } = w;
  if (row.version !== input.version) {
    throw new DomainError('conflict', `The membership was changed by someone else (version ${row.version}, your form has ${input.version}); reload to see the change`);
  }
  if (row.validTo === input.validTo) return { result: { id: row.id, version: row.version }, shielding: { shielded: [], cleared: [] } };
  checkDates(row.validFrom, input.validTo);
  // A later end (correcting the date) can run into the next home.
  checkOverlap(ctx, { ...row, validTo: input.validTo }, row.id, 'validTo');
  const { version } = updateRecord(w, 'household_member', row.id, { valid_to: input.validTo }, { expectVersion: row.version });
  const shielding = refreshShielding(ctx, [row.personId]);
  ctx.generation.persons++;
  return { result: { id: row.id, version }, shielding };
}
