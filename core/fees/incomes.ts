/** A household's income declarations as the fee administrator and the income check read them. */
import type { CoreContext } from '../context';

export interface Row {
  id: string;
  household_id: string;
  valid_from: string;
  monthly_income: number | null;
  source: 'declared' | 'not_declared' | 'income_check' | 'administrator';
  note: string | null;
  created_at: string;
  created_by: string;
  created_by_name: string | null;
  version: number;
}

/** A household's declarations, newest first (by the date they apply from, then by when they were entered). */
export function incomesOf(ctx: CoreContext, householdId: string): Row[] {
  return ctx.sqlite
    .prepare(
      `SELECT d.id, d.household_id, d.valid_from, d.monthly_income, d.source, d.note, d.created_at, d.created_by, u.display_name AS created_by_name, d.version
       FROM income_declaration d LEFT JOIN user_account u ON u.id = d.created_by
       WHERE d.household_id = ? AND d.deleted_at IS NULL ORDER BY d.valid_from DESC, d.created_at DESC, d.rowid DESC`,
    )
    .all(householdId) as Row[];
}

/** The declaration in force on `date`: the latest applying from then or before (a later entry for the same date corrects an earlier one). */
export function incomeOn(rows: readonly Row[], date: string): Row | null {
  return rows.find((r) => r.valid_from <= date) ?? null;
}

