/**
 * The facts a month's fee is computed from, read from the register (Sweden; docs/fees.md): the child's
 * household(s) in the month, the adults whose incomes count, the household's children with a fee-bearing
 * place and the days each place runs, and the household's income in force on the month's first day.
 * The rules and settings are the municipality's stored ones (settings `fee.se.rules`, `fee.settings`,
 * which travel to every workstation), or the shipped defaults.
 */
import { createHash } from 'node:crypto';
import type { CoreContext } from '../context';
import { daysInMonth } from './maxtaxa';
import { computeMonth, type AnyLineExplanation } from './month';
import type { FeeWarningCode } from '../../shared/api/fees';
import { DEFAULT_FEE_SETTINGS, DEFAULT_SE_RULE_SETS, feeSettings, overlappingRuleSets, seRuleSet, type FeeSettings, type SeRuleSet } from './rules';
import { DEFAULT_NO_RULE_SETS, noRuleSet, type NoRuleSet } from './norway';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { z } from 'zod';

/** The municipality's fee configuration: its country, the Swedish and Norwegian rule sets and the settings. */
export interface FeeConfig {
  country: 'SE' | 'NO';
  rules: SeRuleSet[];
  no: NoRuleSet[];
  settings: FeeSettings;
  /** True while nothing is stored: the shipped defaults are in force. */
  defaults: boolean;
}

/** The municipality's rule sets and settings: stored, or the shipped defaults. A stored value that does not parse is an error, not a silent default. */
export function feeConfig(ctx: CoreContext): FeeConfig {
  const get = (key: string) => (ctx.sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  const rulesRaw = get(FEE_RULES_KEY);
  const noRaw = get(FEE_NO_RULES_KEY);
  const settingsRaw = get(FEE_SETTINGS_KEY);
  const country = ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() === 'NO' ? 'NO' : 'SE';
  return {
    country,
    rules: rulesRaw ? z.array(seRuleSet).parse(JSON.parse(rulesRaw)) : DEFAULT_SE_RULE_SETS,
    no: noRaw ? z.array(noRuleSet).parse(JSON.parse(noRaw)) : DEFAULT_NO_RULE_SETS,
    settings: settingsRaw ? feeSettings.parse(JSON.parse(settingsRaw)) : DEFAULT_FEE_SETTINGS,
    defaults: !rulesRaw && !noRaw && !settingsRaw,
  };
}

/** The version of the rules as read (fee.rules / fee.rulesUpdate): a hash of the values in force, the same on every workstation and the server. */
export function rulesVersion(c: Pick<FeeConfig, 'rules' | 'no' | 'settings' | 'defaults'>): string {
  return createHash('sha256').update(JSON.stringify({ se: c.rules, no: c.no, settings: c.settings, defaults: c.defaults })).digest('hex').slice(0, 32);
}

export const FEE_RULES_KEY = 'fee.se.rules';
export const FEE_NO_RULES_KEY = 'fee.no.rules';
export const FEE_SETTINGS_KEY = 'fee.settings';

function checkRuleSets(sets: readonly { id: string; validFrom: string; validTo: string | null }[], field: 'se' | 'no'): void {
  const overlaps = overlappingRuleSets(sets);
  if (overlaps.length) {
    const [a, b] = overlaps[0]!;
    throw ruleViolation('fee_rules_overlap', `fee_rules_overlap: the rule sets ${a} and ${b} both cover a month`, `${field}.${sets.findIndex((r) => r.id === b)}.validFrom`);
  }
  const ids = new Set<string>();
  sets.forEach((r, n) => {
    if (ids.has(r.id)) throw new DomainError('validation', `Two rule sets are named ${r.id}`, `${field}.${n}.id`);
    ids.add(r.id);
    if (r.validTo !== null && r.validTo < r.validFrom) throw new DomainError('validation', 'The last month is before the first', `${field}.${n}.validTo`);
  });
}

/**
 * Stores the rule sets and settings (inside the caller's transaction); two sets for one month are refused by
 * name. `no` left out keeps the Norwegian sets as they are.
 */
export function setFeeConfig(ctx: CoreContext, rules: SeRuleSet[], settings: FeeSettings, no?: NoRuleSet[]): void {
  checkRuleSets(rules, 'se');
  rules.forEach((r, n) => {
    if (r.incomeFloor > r.ceiling) throw new DomainError('validation', 'The income not counted is above the ceiling', `se.${n}.incomeFloor`);
  });
  if (no) {
    checkRuleSets(no, 'no');
    no.forEach((r, n) => {
      r.sfo.bands.forEach((b, k) => {
        const prev = r.sfo.bands[k - 1];
        if (k < r.sfo.bands.length - 1 && b.upToGThousandths === null) throw new DomainError('validation', 'Only the last income band may be open-ended', `no.${n}.sfo.bands.${k}.upToGThousandths`);
        if (prev && prev.upToGThousandths !== null && b.upToGThousandths !== null && b.upToGThousandths <= prev.upToGThousandths)
          throw new DomainError('validation', 'The income bands must rise', `no.${n}.sfo.bands.${k}.upToGThousandths`);
      });
      if (r.g <= 0) throw new DomainError('validation', 'The grunnbeløp must be above zero', `no.${n}.g`);
    });
  }
  const put = ctx.sqlite.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  put.run(FEE_RULES_KEY, JSON.stringify(rules));
  if (no) put.run(FEE_NO_RULES_KEY, JSON.stringify(no));
  put.run(FEE_SETTINGS_KEY, JSON.stringify(settings));
}

export type ExplainWarningCode = FeeWarningCode | 'no_fee_place';

export interface ChildMonthFees {
  month: string;
  /** Per place and household: the child's fee there, and how it is split between the recipients. */
  lines: {
    personId: string;
    placementId: string;
    householdId: string;
    /** The household's part under shared residence (10 000 when the child lives in one household). */
    shareBp: number;
    amount: number;
    recipients: { personId: string | null; amount: number; shareBp: number }[];
    explanation: AnyLineExplanation;
  }[];
  warnings: { code: ExplainWarningCode; message: string }[];
}

const MESSAGES: Record<ExplainWarningCode, string> = {
  no_rule_set: 'No fee rule set covers the month',
  no_household: 'The child belongs to no household in the month: nobody to invoice',
  income_not_declared: 'No income declared for the month: the maximum fee applies',
  no_recipient: 'No guardian who holds the place may receive its invoices (no invoice share, or shielded)',
  no_address: 'A recipient has no address',
  protected_recipient: 'A recipient has a protected identity: the address stays in Kansli',
  shared_split_missing: 'Shared residence with a declared split, but no split is declared: half each',
  shared_registered_unknown: 'Shared residence where only the registered household pays, but which household that is cannot be told from the addresses',
  no_fee_place: 'No fee-bearing place (förskola, pedagogisk omsorg, fritidshem; barnehage, SFO/AKS) in the month',
};

/** What `childId` is charged for `month` (YYYY-MM), line by line with their explanations (the same computation as the fee run's). */
export function childMonthFees(ctx: CoreContext, childId: string, month: string): ChildMonthFees {
  const first = `${month}-01`;
  const last = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  const households = ctx.sqlite
    .prepare(
      `SELECT DISTINCT household_id FROM household_member WHERE person_id = @id AND role = 'child' AND valid_from <= @last AND (valid_to IS NULL OR valid_to >= @first) AND deleted_at IS NULL ORDER BY household_id`,
    )
    .pluck()
    .all({ id: childId, first, last }) as string[];
  const r = computeMonth(ctx, month, { households });
  const codes = new Set<ExplainWarningCode>();
  if (!r.ruleSet) codes.add('no_rule_set');
  else if (!households.length) codes.add('no_household');
  const mine = r.lines.filter((l) => l.childId === childId);
  const recipients = new Set(mine.map((l) => l.recipientId));
  for (const w of r.warnings) {
    if (w.childId === childId || (w.householdId !== null && w.childId === null && mine.some((l) => l.householdId === w.householdId)) || (w.personId !== null && recipients.has(w.personId))) codes.add(w.code);
  }
  const grouped = new Map<string, ChildMonthFees['lines'][number]>();
  for (const l of mine) {
    const k = `${l.placementId}|${l.householdId}`;
    let g = grouped.get(k);
    if (!g) {
      const explanation: AnyLineExplanation = { ...l.explanation, split: null, amount: l.explanation.split?.before ?? l.amount };
      g = { personId: l.childId, placementId: l.placementId, householdId: l.householdId, shareBp: l.explanation.shared?.shareBp ?? 10_000, amount: 0, recipients: [], explanation };
      grouped.set(k, g);
    }
    g.amount += l.amount;
    g.recipients.push({ personId: l.recipientId, amount: l.amount, shareBp: l.shareBp });
  }
  if (r.ruleSet && households.length && !grouped.size) codes.add('no_fee_place');
  return { month, lines: [...grouped.values()], warnings: [...codes].map((code) => ({ code, message: MESSAGES[code] })) };
}
