/**
 * Handlers of the fees domain (shared/api/fees.ts). Incomes need fee.read / fee.write for the whole
 * municipality (the role that holds them is the fee administrators'). An income read is audited with the
 * household's members; the amounts stay out of the audit log (an auditor reads the log, not incomes).
 */
import { requireMunicipalityWide } from '../access/scope';
import type { DomainHandlers } from '../api/types';
import type { CoreContext } from '../context';
import { personsOfHousehold, requireHousehold } from '../guardians/households';
import { insertRecord, writer } from '../write/records';
import { DomainError } from '../../shared/api/errors';
import { childMonthFees, feeConfig, setFeeConfig } from './facts';
import { diffViews } from '../audit/recorder';

interface Row {
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

export function createFeesHandlers(ctx: CoreContext): DomainHandlers<'fees'> {
  const rulesView = () => {
    const c = feeConfig(ctx);
    return { se: c.rules, settings: c.settings, defaults: c.defaults };
  };
  return {
    'fee.rules': (_i, { actor }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fee rules');
      return rulesView();
    },

    'fee.rulesUpdate': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.write', 'Changing the fee rules');
      const before = rulesView();
      setFeeConfig(ctx, i.se, i.settings);
      const after = rulesView();
      audit.detail('changes', diffViews({ se: before.se, settings: before.settings }, { se: after.se, settings: after.settings }));
      return after;
    },

    'fee.explain': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fees');
      if (!ctx.sqlite.prepare('SELECT 1 FROM person WHERE id = ? AND deleted_at IS NULL').get(i.personId)) throw new DomainError('not_found', 'No such person', 'personId');
      const country = ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() as string | undefined;
      if (country !== 'SE') throw new DomainError('unavailable', 'Fees are explained for Swedish municipalities first; the Norwegian rules are computed but not yet read from the register', 'personId');
      const r = childMonthFees(ctx, i.personId, i.month);
      const persons = new Set([i.personId, ...r.lines.flatMap((l) => [...l.explanation.adults, ...l.explanation.ranked.map((x) => x.personId)])]);
      audit.persons([...persons]).detail('month', i.month).detail('lines', r.lines.length);
      return r;
    },

    'income.list': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Incomes');
      requireHousehold(ctx, i.householdId, 'householdId');
      const rows = incomesOf(ctx, i.householdId);
      const current = incomeOn(rows, i.date ?? ctx.clock.today());
      audit.persons(personsOfHousehold(ctx, i.householdId)).detail('household', i.householdId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          householdId: r.household_id,
          validFrom: r.valid_from,
          monthlyIncome: r.monthly_income,
          source: r.source,
          note: r.note,
          current: r.id === current?.id,
          createdAt: r.created_at,
          createdBy: r.created_by,
          createdByName: r.created_by_name,
          version: r.version,
        })),
      };
    },

    'income.declare': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'fee.write', 'Recording an income');
      requireHousehold(ctx, i.householdId, 'householdId');
      const r = insertRecord(writer(ctx, actor, mutationId), 'income_declaration', {
        household_id: i.householdId,
        valid_from: i.validFrom,
        monthly_income: i.monthlyIncome,
        source: i.source,
        note: i.note ?? null,
      });
      audit.persons(personsOfHousehold(ctx, i.householdId)).detail('household', i.householdId).detail('validFrom', i.validFrom).detail('source', i.source);
      return { id: r.id, version: r.version };
    },
  };
}
