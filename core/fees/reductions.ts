/**
 * Norwegian fee reductions (issue 12; docs/fees.md "The Norwegian run"): what the fee administrator records
 * for a child so that month.ts charges SFO/AKS and barnehage as granted:
 * - `national_rule`: the family applied for and was granted the national rule for a school year (SFO/AKS
 *   grades 1–4: at most 6 % of the household's income). Without a last day it covers the school year
 *   (1 August – 31 July) that holds its first day.
 * - `illness`: a documented illness of four weeks or more; the days it covers are not charged. It has a last
 *   day, and covers at least 28 days (`fee_illness_short`).
 * - `special_needs`: a special-needs place the municipality made free; the months it overlaps are free.
 *   Without a last day: until further notice.
 * Two reductions of one kind for one child never overlap (`fee_reduction_overlap`). Only in a Norwegian
 * municipality (a Swedish one: `unavailable`). Records through the one write path, in their own aggregate
 * (`feereduction:<child>`), projected to fee administrators only. The audit names the child, the kind and
 * the dates, never the note (it may describe a diagnosis).
 */
import type { DomainHandlers } from '../api/types';
import { schoolYearOf } from '../dates';
import { daysBetween } from '../placements/guarantee';
import { requireMunicipalityWide } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import type { FeeReductionKind } from '../../shared/api/fees';
import { insertRecord, softDeleteRecord, updateRecord, writer } from '../write/records';

/** The shortest illness that waives the fee: four weeks. */
export const ILLNESS_MIN_DAYS = 28;

/** A reduction as month.ts reads it. */
export interface ReductionSpan {
  id: string;
  child_id: string;
  kind: FeeReductionKind;
  valid_from: string;
  valid_to: string | null;
}

/**
 * The reductions in force on some day of [first, last] (ISO dates, inclusive) that are not removed, for the
 * children named (null: every child), by child, kind and first day.
 */
export function reductionsInMonth(ctx: CoreContext, first: string, last: string, childIds: readonly string[] | null): ReductionSpan[] {
  const base = `SELECT id, child_id, kind, valid_from, valid_to FROM fee_reduction
    WHERE deleted_at IS NULL AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)`;
  if (childIds === null) return ctx.sqlite.prepare(`${base} ORDER BY child_id, kind, valid_from, id`).all(last, first) as ReductionSpan[];
  if (childIds.length === 0) return [];
  return ctx.sqlite.prepare(`${base} AND child_id IN (SELECT value FROM json_each(?)) ORDER BY child_id, kind, valid_from, id`).all(last, first, JSON.stringify(childIds)) as ReductionSpan[];
}

/** The last day of the school year (1 August – 31 July) that holds `date`. */
export function schoolYearEnd(date: string): string {
  return `${schoolYearOf(date) + 1}-07-31`;
}

/** Days from `from` to `to`, both counted. */
export function spanDays(from: string, to: string): number {
  return daysBetween(from, to) + 1;
}

interface Row {
  id: string;
  child_id: string;
  kind: FeeReductionKind;
  valid_from: string;
  valid_to: string | null;
  note: string | null;
  created_at: string;
  created_by_name: string | null;
  version: number;
}

/** A child's reductions that are not removed, the latest start first. */
export function reductionsOf(ctx: CoreContext, childId: string): Row[] {
  return ctx.sqlite
    .prepare(
      `SELECT r.id, r.child_id, r.kind, r.valid_from, r.valid_to, r.note, r.created_at, u.display_name AS created_by_name, r.version
       FROM fee_reduction r LEFT JOIN user_account u ON u.id = r.created_by
       WHERE r.child_id = ? AND r.deleted_at IS NULL ORDER BY r.valid_from DESC, r.created_at DESC, r.rowid DESC`,
    )
    .all(childId) as Row[];
}

function requireNorway(ctx: CoreContext): void {
  const country = ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() as string | undefined;
  if (country !== 'NO') {
    throw new DomainError('unavailable', 'Fee reductions (the national rule, illness, special-needs places) are Norwegian rules: this municipality is not Norwegian');
  }
}

function requireChild(ctx: CoreContext, childId: string): void {
  if (!ctx.sqlite.prepare('SELECT 1 FROM person WHERE id = ? AND deleted_at IS NULL').get(childId)) throw new DomainError('not_found', 'No such person', 'childId');
}

/**
 * The rules a reduction's span must keep, when it is added and when its end changes: an end not before
 * the start, an illness with a last day and at least four weeks, no overlap with another reduction of the
 * same kind for the child (`except`: the reduction itself).
 */
function checkSpan(ctx: CoreContext, childId: string, kind: FeeReductionKind, from: string, to: string | null, except: string | null): void {
  if (to !== null && to < from) throw ruleViolation('end_before_start', `end_before_start: the last day ${to} is before the first day ${from}`, 'validTo');
  if (kind === 'illness') {
    if (to === null) {
      throw new DomainError('validation', 'An illness needs its last day (documented, four weeks or more)', 'validTo', [{ field: 'validTo', code: 'required', message: 'An illness needs its last day' }]);
    }
    const days = spanDays(from, to);
    if (days < ILLNESS_MIN_DAYS) {
      throw ruleViolation('fee_illness_short', `fee_illness_short: an illness waives the fee from four weeks (${ILLNESS_MIN_DAYS} days); ${from} to ${to} is ${days} days`, 'validTo', { days, min: ILLNESS_MIN_DAYS });
    }
  }
  const clash = ctx.sqlite
    .prepare(
      `SELECT valid_from, valid_to FROM fee_reduction
       WHERE child_id = ? AND kind = ? AND deleted_at IS NULL AND id IS NOT ? AND (? IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?)
       ORDER BY valid_from LIMIT 1`,
    )
    .get(childId, kind, except, to, to, from) as { valid_from: string; valid_to: string | null } | undefined;
  if (clash) {
    throw ruleViolation(
      'fee_reduction_overlap',
      `fee_reduction_overlap: the child already has a reduction of this kind from ${clash.valid_from} ${clash.valid_to ? `to ${clash.valid_to}` : 'until further notice'}`,
      'validFrom',
      { from: clash.valid_from, to: clash.valid_to ?? '' },
    );
  }
}

/** A reduction that exists and is not removed, for the end and the removal. */
function liveReduction(ctx: CoreContext, id: string): Row {
  const r = ctx.sqlite
    .prepare(`SELECT id, child_id, kind, valid_from, valid_to, note, created_at, NULL AS created_by_name, version FROM fee_reduction WHERE id = ? AND deleted_at IS NULL`)
    .get(id) as Row | undefined;
  if (!r) throw new DomainError('not_found', 'No such fee reduction', 'id');
  return r;
}

type ReductionMethods = 'fee.reductions' | 'fee.reductionAdd' | 'fee.reductionEnd' | 'fee.reductionRemove';

export function reductionHandlers(ctx: CoreContext): Pick<DomainHandlers<'fees'>, ReductionMethods> {
  const w = (actor: Actor, mutationId: string | null) => writer(ctx, actor, mutationId);
  return {
    'fee.reductions': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fee reductions');
      requireChild(ctx, i.childId);
      const rows = reductionsOf(ctx, i.childId);
      audit.persons([i.childId]).detail('reductions', rows.length);
      return {
        items: rows.map((r) => ({
          id: r.id,
          childId: r.child_id,
          kind: r.kind,
          validFrom: r.valid_from,
          validTo: r.valid_to,
          note: r.note,
          createdAt: r.created_at,
          createdByName: r.created_by_name,
          version: r.version,
        })),
      };
    },

    'fee.reductionAdd': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'fee.write', 'A fee reduction');
      requireNorway(ctx);
      requireChild(ctx, i.childId);
      const to = i.validTo ?? (i.kind === 'national_rule' ? schoolYearEnd(i.validFrom) : null);
      checkSpan(ctx, i.childId, i.kind, i.validFrom, to, null);
      const note = i.note?.trim() ? i.note.trim() : null;
      const r = insertRecord(w(actor, mutationId), 'fee_reduction', { child_id: i.childId, kind: i.kind, valid_from: i.validFrom, valid_to: to, note });
      // The reduction and its dates; not its kind (an illness is health data) nor the note (it may name a
      // diagnosis): both stay in the record, which only fee administrators read.
      audit.persons([i.childId]).detail('reduction', r.id).detail('validFrom', i.validFrom).detail('validTo', to);
      return r;
    },

    'fee.reductionEnd': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'fee.write', 'Ending a fee reduction');
      requireNorway(ctx);
      const cur = liveReduction(ctx, i.id);
      if (cur.version !== i.version) throw new DomainError('conflict', `The fee reduction was changed by someone else (version ${cur.version}, yours ${i.version}); reload to see the change`);
      checkSpan(ctx, cur.child_id, cur.kind, cur.valid_from, i.validTo, cur.id);
      const r = updateRecord(w(actor, mutationId), 'fee_reduction', cur.id, { valid_to: i.validTo }, { expectVersion: i.version });
      audit.persons([cur.child_id]).detail('reduction', cur.id).detail('validTo', [cur.valid_to, i.validTo]);
      return { id: r.id, version: r.version };
    },

    'fee.reductionRemove': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'fee.write', 'Removing a fee reduction');
      requireNorway(ctx);
      const cur = liveReduction(ctx, i.id);
      const r = softDeleteRecord(w(actor, mutationId), 'fee_reduction', cur.id, { expectVersion: i.version });
      audit.persons([cur.child_id]).detail('reduction', cur.id).detail('removed', true);
      return r;
    },
  };
}
