/**
 * The yearly income check (docs/fees.md "The income check"): once a year's taxation is known, the fee
 * administrator enters each household's taxed income for that year. The check compares taxed / 12 with the
 * declared monthly income in force in each month of the year that had one (their average); beyond the
 * municipality's threshold the check is `corrected` and month.ts charges those months on the checked
 * income instead, so the next fee run (or a credit-note run) corrects them with debit or credit lines that
 * name the check. Within the threshold nothing changes; a year without any declared month has nothing to
 * check (the household paid the cap). A later check of the same year supersedes the earlier one.
 */
import type { MethodOutput } from '../../shared/api/contract';
import { ruleViolation } from '../../shared/api/errors';
import type { Actor, CoreContext } from '../context';
import { insertRecord, writer } from '../write/records';
import { feeConfig } from './facts';
import { incomeOn, incomesOf } from './incomes';

type CheckView = MethodOutput<'income.checks'>['items'][number];

interface CheckRow {
  id: string;
  household_id: string;
  year: number;
  taxed_income: number;
  checked_monthly: number;
  declared_monthly: number | null;
  months_declared: number;
  threshold: number;
  outcome: CheckView['outcome'];
  note: string | null;
  created_at: string;
  created_by: string;
  created_by_name: string | null;
  version: number;
}

/** Half up to the öre (amounts are never negative here). */
const divRound = (a: number, b: number) => Math.floor((a * 2 + b) / (b * 2));

/** The declared monthly income in force on the first day of each month of `year` (null: none, or not declared). */
export function declaredByMonth(ctx: CoreContext, householdId: string, year: number): { month: string; declared: number | null }[] {
  const rows = incomesOf(ctx, householdId);
  return Array.from({ length: 12 }, (_, i) => {
    const month = `${year}-${String(i + 1).padStart(2, '0')}`;
    return { month, declared: incomeOn(rows, `${month}-01`)?.monthly_income ?? null };
  });
}

/** What a check of `taxedIncome` for `year` gives, against the declarations as they stand. */
export function assess(months: readonly { declared: number | null }[], taxedIncome: number, threshold: number) {
  const declared = months.map((m) => m.declared).filter((d): d is number => d !== null);
  const checkedMonthly = divRound(taxedIncome, 12);
  const declaredMonthly = declared.length ? divRound(declared.reduce((a, b) => a + b, 0), declared.length) : null;
  const difference = declaredMonthly === null ? 0 : checkedMonthly - declaredMonthly;
  const outcome: CheckView['outcome'] = declaredMonthly === null ? 'not_declared' : Math.abs(difference) > threshold ? 'corrected' : 'within';
  return { checkedMonthly, declaredMonthly, monthsDeclared: declared.length, difference, outcome };
}

const SELECT = `SELECT c.id, c.household_id, c.year, c.taxed_income, c.checked_monthly, c.declared_monthly, c.months_declared, c.threshold, c.outcome, c.note,
  c.created_at, c.created_by, u.display_name AS created_by_name, c.version
  FROM income_check c LEFT JOIN user_account u ON u.id = c.created_by WHERE c.deleted_at IS NULL`;

function view(ctx: CoreContext, r: CheckRow, current: boolean): CheckView {
  return {
    id: r.id,
    householdId: r.household_id,
    year: r.year,
    taxedIncome: r.taxed_income,
    checkedMonthly: r.checked_monthly,
    declaredMonthly: r.declared_monthly,
    monthsDeclared: r.months_declared,
    difference: r.declared_monthly === null ? 0 : r.checked_monthly - r.declared_monthly,
    threshold: r.threshold,
    outcome: r.outcome,
    current,
    months: declaredByMonth(ctx, r.household_id, r.year),
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    version: r.version,
  };
}

/** A household's checks, newest year first, the one in force of each year first within it. */
export function checksOf(ctx: CoreContext, householdId: string): CheckView[] {
  const rows = ctx.sqlite.prepare(`${SELECT} AND c.household_id = ? ORDER BY c.year DESC, c.created_at DESC, c.rowid DESC`).all(householdId) as CheckRow[];
  const seen = new Set<number>();
  return rows.map((r) => {
    const current = !seen.has(r.year);
    seen.add(r.year);
    return view(ctx, r, current);
  });
}

/** Records a check (the write path); refuses a year whose taxation cannot be known yet. */
export function recordCheck(
  ctx: CoreContext,
  actor: Actor,
  mutationId: string | undefined,
  i: { householdId: string; year: number; taxedIncome: number; note?: string | undefined },
): CheckView {
  const thisYear = Number(ctx.clock.today().slice(0, 4));
  if (i.year >= thisYear) {
    throw ruleViolation('income_check_year_open', `income_check_year_open: ${i.year} is not over; its taxed income is known after the year's tax assessment`, 'year', { year: i.year });
  }
  const threshold = feeConfig(ctx).settings.incomeCheckThreshold;
  const a = assess(declaredByMonth(ctx, i.householdId, i.year), i.taxedIncome, threshold);
  const r = insertRecord(writer(ctx, actor, mutationId), 'income_check', {
    household_id: i.householdId,
    year: i.year,
    taxed_income: i.taxedIncome,
    checked_monthly: a.checkedMonthly,
    declared_monthly: a.declaredMonthly,
    months_declared: a.monthsDeclared,
    threshold,
    outcome: a.outcome,
    note: i.note ?? null,
  });
  const row = ctx.sqlite.prepare(`${SELECT} AND c.id = ?`).get(r.id) as CheckRow;
  return view(ctx, row, true);
}
