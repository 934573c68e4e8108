/**
 * The facts a month's fee is computed from, read from the register (Sweden; docs/fees.md): the child's
 * household(s) in the month, the adults whose incomes count, the household's children with a fee-bearing
 * place and the days each place runs, and the household's income in force on the month's first day.
 * The rules and settings are the municipality's stored ones (settings `fee.se.rules`, `fee.settings`,
 * which travel to every workstation), or the shipped defaults.
 */
import { FORM_FAMILY, type PlacementForm } from '../../shared/domain/care';
import type { CoreContext } from '../context';
import { incomeOn, incomesOf } from './handlers';
import { daysInMonth, seHouseholdFees, type FeeChild, type FeeHousehold, type FeeLine } from './maxtaxa';
import { DEFAULT_FEE_SETTINGS, DEFAULT_SE_RULE_SETS, feeSettings, overlappingRuleSets, ruleSetFor, seRuleSet, type FeeSettings, type SeRuleSet } from './rules';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { z } from 'zod';

const FEE_FORMS = new Set<string>(['FS', 'PO', 'FTH']);

/** The municipality's Swedish rule sets and settings: stored, or the shipped defaults. A stored value that does not parse is an error, not a silent default. */
export function feeConfig(ctx: CoreContext): { rules: SeRuleSet[]; settings: FeeSettings; defaults: boolean } {
  const get = (key: string) => (ctx.sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  const rulesRaw = get(FEE_RULES_KEY);
  const settingsRaw = get(FEE_SETTINGS_KEY);
  return {
    rules: rulesRaw ? z.array(seRuleSet).parse(JSON.parse(rulesRaw)) : DEFAULT_SE_RULE_SETS,
    settings: settingsRaw ? feeSettings.parse(JSON.parse(settingsRaw)) : DEFAULT_FEE_SETTINGS,
    defaults: !rulesRaw && !settingsRaw,
  };
}

export const FEE_RULES_KEY = 'fee.se.rules';
export const FEE_SETTINGS_KEY = 'fee.settings';

/** Stores the rule sets and settings (inside the caller's transaction); two sets for one month are refused by name. */
export function setFeeConfig(ctx: CoreContext, rules: SeRuleSet[], settings: FeeSettings): void {
  const overlaps = overlappingRuleSets(rules);
  if (overlaps.length) {
    const [a, b] = overlaps[0]!;
    throw ruleViolation('fee_rules_overlap', `fee_rules_overlap: the rule sets ${a} and ${b} both cover a month`, `se.${rules.findIndex((r) => r.id === b)}.validFrom`);
  }
  const ids = new Set<string>();
  rules.forEach((r, n) => {
    if (ids.has(r.id)) throw new DomainError('validation', `Two rule sets are named ${r.id}`, `se.${n}.id`);
    ids.add(r.id);
    if (r.validTo !== null && r.validTo < r.validFrom) throw new DomainError('validation', 'The last month is before the first', `se.${n}.validTo`);
    if (r.incomeFloor > r.ceiling) throw new DomainError('validation', 'The income not counted is above the ceiling', `se.${n}.incomeFloor`);
  });
  const put = ctx.sqlite.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  put.run(FEE_RULES_KEY, JSON.stringify(rules));
  put.run(FEE_SETTINGS_KEY, JSON.stringify(settings));
}

export interface FeeWarning {
  code: 'no_household' | 'no_rule_set' | 'income_not_declared' | 'shared_residence' | 'no_fee_place';
  message: string;
}

export interface ChildMonthFees {
  month: string;
  lines: (FeeLine & { householdId: string; shareBp: number })[];
  warnings: FeeWarning[];
}

interface Membership {
  household_id: string;
  shared: number;
}

/** What `childId` is charged for `month` (YYYY-MM), line by line with their explanations. */
export function childMonthFees(ctx: CoreContext, childId: string, month: string): ChildMonthFees {
  const s = ctx.sqlite;
  const first = `${month}-01`;
  const last = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  const { rules, settings } = feeConfig(ctx);
  const warnings: FeeWarning[] = [];
  const ruleSet = ruleSetFor(rules, month);
  if (!ruleSet) return { month, lines: [], warnings: [{ code: 'no_rule_set', message: `No fee rule set covers ${month}` }] };
  const overlaps = `valid_from <= @last AND (valid_to IS NULL OR valid_to >= @first) AND deleted_at IS NULL`;
  const memberships = s
    .prepare(`SELECT DISTINCT household_id, shared FROM household_member WHERE person_id = @id AND role = 'child' AND ${overlaps} ORDER BY household_id`)
    .all({ id: childId, first, last }) as Membership[];
  if (!memberships.length) return { month, lines: [], warnings: [{ code: 'no_household', message: 'The child belongs to no household in the month: nobody to invoice' }] };
  const shared = memberships.length > 1;
  if (shared && settings.sharedResidence !== 'each_half') {
    warnings.push({ code: 'shared_residence', message: `Shared residence under the setting ${settings.sharedResidence} is not computed yet: each household is shown with half` });
  }
  const placements = s.prepare(
    `SELECT id, school_form, valid_from, valid_to, weekly_hours FROM placement WHERE child_id = @id AND state = 'accepted' AND ${overlaps} ORDER BY valid_from, id`,
  );
  const members = s.prepare(`SELECT DISTINCT person_id, role FROM household_member WHERE household_id = @h AND ${overlaps}`);
  const birth = s.prepare('SELECT birth_date FROM person WHERE id = ?').pluck();
  const lines: ChildMonthFees['lines'] = [];
  for (const m of memberships) {
    const rows = members.all({ h: m.household_id, first, last }) as { person_id: string; role: 'adult' | 'child' }[];
    const children: FeeChild[] = [];
    for (const c of rows.filter((r) => r.role === 'child')) {
      for (const p of placements.all({ id: c.person_id, first, last }) as { id: string; school_form: string; valid_from: string; valid_to: string | null; weekly_hours: number | null }[]) {
        if (!FEE_FORMS.has(p.school_form)) continue;
        children.push({
          personId: c.person_id,
          birthDate: String(birth.get(c.person_id) ?? '1900-01-01'),
          family: FORM_FAMILY[p.school_form as PlacementForm],
          placementId: p.id,
          weeklyHours: p.weekly_hours,
          from: p.valid_from > first ? p.valid_from : first,
          to: p.valid_to !== null && p.valid_to < last ? p.valid_to : last,
          placementStart: p.valid_from,
        });
      }
    }
    const income = incomeOn(incomesOf(ctx, m.household_id), first);
    if (!income || income.monthly_income === null) warnings.push({ code: 'income_not_declared', message: 'No income declared for the month: the maximum fee applies' });
    const h: FeeHousehold = {
      householdId: m.household_id,
      adults: rows.filter((r) => r.role === 'adult').map((r) => r.person_id),
      income: income
        ? { monthly: income.monthly_income, source: income.monthly_income === null ? 'not_declared' : 'declared', from: income.valid_from, declarationId: income.id }
        : { monthly: null, source: 'not_declared', from: null, declarationId: null },
      children,
    };
    const shareBp = shared ? 5_000 : 10_000;
    for (const l of seHouseholdFees(month, h, ruleSet, settings, { shareBp: () => shareBp })) {
      if (l.personId === childId) lines.push({ ...l, householdId: m.household_id, shareBp });
    }
  }
  if (!lines.length) warnings.push({ code: 'no_fee_place', message: 'No fee-bearing place (förskola, pedagogisk omsorg, fritidshem) in the month' });
  return { month, lines, warnings: [...new Map(warnings.map((w) => [w.code, w])).values()] };
}
