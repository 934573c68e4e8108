/**
 * Guardianships (vårdnadshavare, annan ansvarig, god man, utsedd behörig; foreldreansvar in Norway) between
 * a child and an adult (domain.md §5). Effective-dated: a change in reality ends the old row and starts a
 * new one, so the history shows who was responsible on any past date; a correction fixes a row in place.
 *
 * Every check runs before the first write, so a refused call leaves the database as it was.
 */
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { GUARDIANSHIP_KINDS } from '../../shared/api/schemas';
import type { CoreContext } from '../context';
import { addDays, rangesOverlap } from '../dates';
import { currentMunicipality } from '../org/org';
import { refreshShielding, type ShieldingChange } from '../register/shielding';
import { checkDates, period, requirePerson, stmt } from '../placements/checks';
import { insertRecord, updateRecord, type Writer } from '../write/records';

type Kind = (typeof GUARDIANSHIP_KINDS)[number];

// Shared with the placement checks: one statement cache and the same date and person checks.
export { checkDates, period, requirePerson, stmt };

/** The facts of a guardianship row: what the rules look at and what the audit log records. */
export interface GuardianshipFacts {
  childId: string;
  guardianId: string;
  kind: Kind;
  livesWith: boolean;
  invoiceShare: number;
  shielded: boolean;
  validFrom: string;
  validTo: string | null;
}
interface GuardianshipRow extends GuardianshipFacts {
  id: string;
  version: number;
}

const ROW_SQL = `SELECT id, version, child_id AS childId, guardian_id AS guardianId, kind, lives_with AS livesWith, invoice_share AS invoiceShare,
  shielded, valid_from AS validFrom, valid_to AS validTo FROM guardianship`;

function toRow(r: Record<string, unknown>): GuardianshipRow {
  return { ...(r as unknown as GuardianshipRow), livesWith: r.livesWith === 1, shielded: r.shielded === 1 };
}

export function guardianshipById(ctx: CoreContext, id: string): GuardianshipRow | null {
  const r = stmt(ctx, `${ROW_SQL} WHERE id = ? AND deleted_at IS NULL`).get(id) as Record<string, unknown> | undefined;
  return r ? toRow(r) : null;
}

function rowsOfChild(ctx: CoreContext, childId: string): GuardianshipRow[] {
  return (stmt(ctx, `${ROW_SQL} WHERE child_id = ? AND deleted_at IS NULL`).all(childId) as Record<string, unknown>[]).map(toRow);
}

/** SS 12000's relation types are Swedish law; foreldreansvar is the Norwegian barneloven's. */
const NORWEGIAN_KINDS: ReadonlySet<Kind> = new Set(['foreldreansvar_felles', 'foreldreansvar_mor', 'foreldreansvar_far', 'foreldreansvar_medmor', 'foreldreansvar_andre']);

function checkKind(ctx: CoreContext, kind: Kind): void {
  // A database not yet set up has no country to hold the kind against (the register can be filled before).
  const country = currentMunicipality(ctx)?.country;
  if (!country) return;
  if ((country === 'NO') !== NORWEGIAN_KINDS.has(kind)) {
    const message = `The guardianship kind ${kind} is not a ${country === 'NO' ? 'Norwegian' : 'Swedish'} relation type`;
    throw new DomainError('validation', message, 'kind', [{ field: 'kind', code: 'kind_country', message }]);
  }
}

/**
 * The rules of the child's guardianships once `proposed` replace the rows with ids in `replaced`:
 * one adult is not twice the same child's guardian on one day, and the invoice shares on any day add up
 * to at most 100 %.
 */
function checkRules(ctx: CoreContext, proposed: GuardianshipFacts[], replaced: readonly string[]): void {
  for (const p of proposed) {
    if (p.childId === p.guardianId) throw ruleViolation('guardianship_self', 'guardianship_self: a person cannot be their own guardian', 'guardianId');
    checkDates(p.validFrom, p.validTo);
    checkKind(ctx, p.kind);
  }
  const childId = proposed[0]!.childId;
  const others = rowsOfChild(ctx, childId).filter((r) => !replaced.includes(r.id));
  for (const p of proposed) {
    const twin = others.find((o) => o.guardianId === p.guardianId && rangesOverlap(o.validFrom, o.validTo, p.validFrom, p.validTo));
    if (twin) {
      throw ruleViolation(
        'guardianship_overlap',
        `guardianship_overlap: the adult is already the child's guardian ${period(twin.validFrom, twin.validTo)}, which overlaps ${period(p.validFrom, p.validTo)}`,
        'validFrom',
      );
    }
  }
  const all: GuardianshipFacts[] = [...others, ...proposed];
  for (const p of proposed) {
    // The total only rises where a row starts: checking each start inside the new row's period finds the maximum.
    const days = new Set([p.validFrom, ...all.filter((o) => o.validFrom > p.validFrom && rangesOverlap(o.validFrom, o.validTo, p.validFrom, p.validTo)).map((o) => o.validFrom)]);
    for (const day of [...days].sort()) {
      const total = all.filter((o) => rangesOverlap(o.validFrom, o.validTo, day, day)).reduce((n, o) => n + o.invoiceShare, 0);
      if (total > 100) {
        throw ruleViolation('invoice_share_total', `invoice_share_total: the invoice shares of the child's guardians add up to ${total} % on ${day} (at most 100 %)`, 'invoiceShare');
      }
    }
  }
}

const columnsOf = (f: GuardianshipFacts) => ({
  kind: f.kind,
  lives_with: f.livesWith,
  invoice_share: f.invoiceShare,
  shielded: f.shielded,
  valid_from: f.validFrom,
  valid_to: f.validTo,
});

/** One change record naming both the child and the adult (RECORD_TABLES): it shows on both cards. */
function insertRow(w: Writer, f: GuardianshipFacts): string {
  const { id } = insertRecord(w, 'guardianship', { child_id: f.childId, guardian_id: f.guardianId, ...columnsOf(f) });
  // The role flags drive the register's role filters; they say "has been", so ending a guardianship keeps
  // them. Derived from the guardianship, so written directly (core/write/records.ts).
  stmt(w.ctx, 'UPDATE person SET is_guardian = 1 WHERE id = ? AND is_guardian = 0').run(f.guardianId);
  stmt(w.ctx, 'UPDATE person SET is_child = 1 WHERE id = ? AND is_child = 0').run(f.childId);
  return id;
}

function updateRow(w: Writer, row: GuardianshipRow, f: GuardianshipFacts, op: 'update' | 'correction'): number {
  return updateRecord(w, 'guardianship', row.id, columnsOf(f), { expectVersion: row.version, op }).version;
}

export function facts(r: GuardianshipFacts): GuardianshipFacts {
  const { childId, guardianId, kind, livesWith, invoiceShare, shielded, validFrom, validTo } = r;
  return { childId, guardianId, kind, livesWith, invoiceShare, shielded, validFrom, validTo };
}

const NO_CHANGE: ShieldingChange = { shielded: [], cleared: [] };

export function createGuardianship(w: Writer, input: MethodParsedInput<'guardianship.create'>): MethodOutput<'guardianship.create'> & { shielding: ShieldingChange } {
  const { ctx } = w;
  requirePerson(ctx, input.childId, 'childId');
  requirePerson(ctx, input.guardianId, 'guardianId');
  const f = facts(input);
  checkRules(ctx, [f], []);
  const id = insertRow(w, f);
  const shielding = refreshShielding(ctx, [f.childId, f.guardianId]);
  ctx.generation.persons++;
  return { id, version: 1, shielding };
}

export interface GuardianshipUpdate {
  result: MethodOutput<'guardianship.update'>;
  before: GuardianshipFacts;
  /** The facts from the change on (a change) or the corrected row (a correction). */
  after: GuardianshipFacts;
  /** The row a change ended (the day before it takes effect). */
  endedId: string | null;
  /** Whose shielding flag the change turned on or off. */
  shielding: ShieldingChange;
}

const EDITABLE = ['kind', 'livesWith', 'invoiceShare', 'shielded', 'validFrom', 'validTo'] as const;

/** `row` is the stored row (the caller has checked its scope on it). */
export function updateGuardianship(w: Writer, row: GuardianshipRow, input: MethodParsedInput<'guardianship.update'>): GuardianshipUpdate {
  const { ctx } = w;
  if (row.version !== input.version) {
    throw new DomainError('conflict', `The guardianship was changed by someone else (version ${row.version}, your form has ${input.version}); reload to see the change`);
  }
  const before = facts(row);
  const next: GuardianshipFacts = { ...before };
  for (const k of EDITABLE) if (input[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = input[k];
  if (input.mode === 'correction') {
    if (input.effectiveFrom !== undefined) throw invalid('effectiveFrom', 'not_with_correction', 'A correction fixes the row as it is; it has no effective date');
    const fields = EDITABLE.filter((k) => next[k] !== before[k]);
    if (fields.length === 0) return { result: { id: row.id, version: row.version }, before, after: before, endedId: null, shielding: NO_CHANGE };
    checkRules(ctx, [next], [row.id]);
    const version = updateRow(w, row, next, 'correction');
    const shielding = refreshShielding(ctx, [row.childId, row.guardianId]);
    ctx.generation.persons++;
    return { result: { id: row.id, version }, before, after: next, endedId: null, shielding };
  }
  const from = input.effectiveFrom;
  if (from === undefined) throw invalid('effectiveFrom', 'required', 'A change needs the date it takes effect');
  if (input.validFrom !== undefined) throw invalid('validFrom', 'not_with_change', 'A change starts on its effective date; correct the row to move its start');
  if (from <= row.validFrom || (row.validTo !== null && from > row.validTo)) {
    throw invalid('effectiveFrom', 'effective_outside', `A change must take effect after ${row.validFrom}${row.validTo ? ` and no later than ${row.validTo}` : ''}`);
  }
  next.validFrom = from;
  if (input.validTo === undefined) next.validTo = row.validTo;
  const fields = EDITABLE.filter((k) => k !== 'validFrom' && next[k] !== before[k]);
  if (fields.length === 0) return { result: { id: row.id, version: row.version }, before, after: before, endedId: null, shielding: NO_CHANGE };
  const ended: GuardianshipFacts = { ...before, validTo: addDays(from, -1) };
  checkRules(ctx, [ended, next], [row.id]);
  updateRow(w, row, ended, 'update');
  const id = insertRow(w, next);
  const shielding = refreshShielding(ctx, [row.childId, row.guardianId]);
  ctx.generation.persons++;
  return { result: { id, version: 1 }, before, after: next, endedId: row.id, shielding };
}

function invalid(field: string, code: string, message: string): DomainError {
  return new DomainError('validation', message, field, [{ field, code, message }]);
}
