/**
 * A month's fees for the whole municipality, or for some households, read from the register in a few
 * statements and computed in one pass (docs/fees.md "The fee run"). The child card's explanation, the fee
 * run's preview, its lock and the corrections of earlier months all use this one function, so a line
 * means the same wherever it is shown.
 *
 * Per household: the adults counted and their income in force on the month's first day, its children with
 * a fee-bearing place (the days each place runs while the child belongs to the household), the Swedish
 * maxtaxa (maxtaxa.ts); then shared residence by the municipality's setting, the rounding, and the split of
 * each child's fee between the guardians who hold the place, by their invoice shares. A shielded guardian
 * never receives anything about the child.
 */
import { createHash } from 'node:crypto';
import type { FeeWarningCode, NoFeeExplanationView, NoRuleSet } from '../../shared/api/fees';
import { FORM_FAMILY, type PlacementForm } from '../../shared/domain/care';
import type { CoreContext } from '../context';
import { feeConfig, type FeeConfig } from './facts';
import { daysInMonth, seHouseholdFees, type FeeChild, type FeeExplanation, type FeeHousehold, type FeeIncome } from './maxtaxa';
import { reductionsInMonth } from './reductions';
import { DEFAULT_NO_RULE_SETS, noHouseholdFees, type NoChild, type NoExplanation } from './norway';
import { ruleSetFor, type FeeSettings, type SeRuleSet } from './rules';
import { cmp } from './order';

/** The fee-bearing forms per country: förskola, pedagogisk omsorg, fritidshem; barnehage, SFO/AKS. */
export const FEE_FORMS = ['FS', 'PO', 'FTH'] as const;
export const NO_FEE_FORMS = ['BHG', 'SFO'] as const;

/** How shared residence changed a child's fee in this household. */
export interface SharedExplanation {
  mode: FeeSettings['sharedResidence'];
  /** The households the child lives in this month. */
  households: number;
  /** This household's part of its own computed fee (basis points). */
  shareBp: number;
  /** The fee before shared residence (after days). */
  before: number;
  /** Both households together at most this (each_capped_together), else null. */
  limit: number | null;
}

export interface SplitExplanation {
  /** Whole percent this recipient's guardianship has of the child's invoices. */
  invoiceShare: number;
  /** The shares of all who receive the child's invoices from this household. */
  sharesTotal: number;
  /** The household's fee for the child before the split. */
  before: number;
}

export interface CorrectionExplanation {
  /** The month corrected. */
  month: string;
  /** What the month's lines for this child, place, household and recipient came to so far. */
  was: number;
  /** What the rules give now. */
  now: number;
  /** The earlier lines (charges and corrections) this corrects. */
  lines: string[];
}

export interface LineExplanation extends FeeExplanation {
  householdId: string;
  shared: SharedExplanation | null;
  split: SplitExplanation | null;
  correction?: CorrectionExplanation;
}

/** A Norwegian line's explanation (shared/api/fees.ts noFeeExplanation). */
export type NoLineExplanation = NoFeeExplanationView;
/** Any line's explanation: Swedish (no `country`) or Norwegian. */
export type AnyLineExplanation = LineExplanation | NoLineExplanation;
export const isNoLine = (e: AnyLineExplanation): e is NoLineExplanation => 'country' in e && e.country === 'NO';

export interface RunLine {
  month: string;
  kind: 'charge' | 'correction';
  correctsLineId: string | null;
  childId: string;
  placementId: string;
  householdId: string;
  unitId: string;
  schoolForm: string;
  recipientId: string | null;
  shareBp: number;
  amount: number;
  explanation: AnyLineExplanation;
}


export interface RunWarning {
  code: FeeWarningCode;
  month: string;
  childId: string | null;
  householdId: string | null;
  personId: string | null;
}

export interface MonthResult {
  month: string;
  ruleSet: SeRuleSet | NoRuleSet | null;
  lines: RunLine[];
  warnings: RunWarning[];
  /** The households computed when asked for some (with their children's other households); null: all. */
  households: string[] | null;
  /** The children's sort keys (the register's name order), read with their places: the fee run stores its lines in that order. */
  sortKeys: Map<string, string>;
}

interface MemberRow {
  household_id: string;
  person_id: string;
  role: 'adult' | 'child';
  shared: number;
  fee_share_bp: number | null;
  valid_from: string;
  valid_to: string | null;
}
interface PlacementRow {
  id: string;
  child_id: string;
  unit_id: string;
  school_form: string;
  valid_from: string;
  valid_to: string | null;
  weekly_hours: number | null;
  birth_date: string | null;
  sort_key: string | null;
}
interface IncomeRow {
  id: string;
  household_id: string;
  valid_from: string;
  monthly_income: number | null;
}
interface CheckRow {
  id: string;
  household_id: string;
  year: number;
  taxed_income: number;
  checked_monthly: number;
}
interface GuardianRow {
  child_id: string;
  guardian_id: string;
  invoice_share: number;
  shielded: number;
}

const roundKrona = (ore: number) => Math.floor((ore + 50) / 100) * 100;
const max = (a: string, b: string) => (a > b ? a : b);
const min = (a: string, b: string) => (a < b ? a : b);

/**
 * Splits `amount` by `weights` so the parts sum to it exactly: each part floored, the remainder one unit at
 * a time to the largest weights first (then the first listed). `unit` is 100 to split whole kronor.
 */
export function splitAmount(amount: number, weights: readonly number[], unit = 1): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return weights.map(() => 0);
  const units = Math.trunc(amount / unit);
  const rest = amount - units * unit;
  const parts = weights.map((w) => Math.floor((units * w) / total));
  let left = units - parts.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => ({ w, i })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]! += 1;
  const out = parts.map((p) => p * unit);
  out[order[0]!.i]! += rest;
  return out;
}

/** A stable hash of the rules in force for the country and the settings (a change makes earlier months worth recomputing). */
export function configHash(config: Pick<FeeConfig, 'country' | 'rules' | 'no' | 'settings'>): string {
  // Only what changes an amount: a new CSV layout, the seller's address or the income check's threshold
  // (its outcome is stored with the check) does not make every locked month worth recomputing.
  const { dayCount, freeStartDays, rounding, sharedResidence, local } = config.settings;
  const rules = config.country === 'NO' ? { country: 'NO', rules: config.no } : { rules: config.rules };
  return createHash('sha256').update(JSON.stringify({ ...rules, settings: { dayCount, freeStartDays, rounding, sharedResidence, local } })).digest('hex');
}

export interface MonthOptions {
  /** Only these households (the child card; a correction's changed households). Default: all. */
  households?: readonly string[];
  /** Rules and settings to use (the caller read them once; left out: the country's from the register, the shipped Norwegian sets). */
  config?: Pick<FeeConfig, 'rules' | 'settings'> & Partial<Pick<FeeConfig, 'country' | 'no'>>;
}

/**
 * The income a household's month is charged on: the declaration in force on the month's first day, unless
 * the year's income check found the declared income off by more than the threshold; then the checked
 * income (taxed / 12) replaces it. A month without a declared income stays at the cap: the check corrects
 * what was declared, it does not declare for the household.
 */
export function incomeInForce(income: IncomeRow | undefined, check: (CheckRow & { outcome: string }) | undefined): FeeIncome {
  if (!income || income.monthly_income === null) return { monthly: null, source: 'not_declared', from: income?.valid_from ?? null, declarationId: income?.id ?? null };
  if (check && check.outcome === 'corrected') {
    return {
      monthly: check.checked_monthly,
      source: 'income_check',
      from: `${check.year}-01-01`,
      declarationId: check.id,
      check: { year: check.year, declared: income.monthly_income, taxed: check.taxed_income },
    };
  }
  return { monthly: income.monthly_income, source: 'declared', from: income.valid_from, declarationId: income.id };
}

/** Everything charged for `month` (YYYY-MM), line per child, place, household and recipient. */
export function computeMonth(ctx: CoreContext, month: string, opts: MonthOptions = {}): MonthResult {
  const s = ctx.sqlite;
  const config = opts.config ?? feeConfig(ctx);
  const { settings } = config;
  const norway = (config.country ?? (s.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() === 'NO' ? 'NO' : 'SE')) === 'NO';
  const seRules = norway ? null : ruleSetFor(config.rules, month);
  const noRules = norway ? ruleSetFor(config.no ?? DEFAULT_NO_RULE_SETS, month) : null;
  const ruleSet = seRules ?? noRules;
  const forms = (norway ? NO_FEE_FORMS : FEE_FORMS).map((x) => `'${x}'`).join(', ');
  const first = `${month}-01`;
  const last = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
  const warnings: RunWarning[] = [];
  const warn = (code: FeeWarningCode, childId: string | null, householdId: string | null, personId: string | null = null) =>
    warnings.push({ code, month, childId, householdId, personId });
  if (!ruleSet) {
    warn('no_rule_set', null, null);
    return { month, ruleSet, lines: [], warnings, households: opts.households ? [...opts.households] : null, sortKeys: new Map() };
  }
  const overlaps = (t: string) => `${t}.valid_from <= @last AND (${t}.valid_to IS NULL OR ${t}.valid_to >= @first) AND ${t}.deleted_at IS NULL`;
  // Asked for some households: with them every other household of their children this month, since a child
  // in shared residence is charged by both together.
  const households = opts.households
    ? (s
        .prepare(
          `SELECT value FROM json_each(@hh) UNION SELECT o.household_id FROM household_member m JOIN household_member o ON o.person_id = m.person_id AND o.role = 'child' AND ${overlaps('o')}
           WHERE m.role = 'child' AND ${overlaps('m')} AND m.household_id IN (SELECT value FROM json_each(@hh))`,
        )
        .pluck()
        .all({ hh: JSON.stringify(opts.households), first, last }) as string[])
    : null;
  const filter = households ? JSON.stringify(households) : null;
  const p = { first, last, filter };

  // The children with a fee-bearing place this month: only their guardianships are read.
  const feeChildren = `SELECT f.child_id FROM placement f WHERE f.state = 'accepted' AND f.school_form IN (${forms}) AND ${overlaps('f')}`;
  const members = s
    .prepare(
      `SELECT m.household_id, m.person_id, m.role, m.shared, m.fee_share_bp, m.valid_from, m.valid_to FROM household_member m
       WHERE ${overlaps('m')} AND m.household_id IN (${
         filter
           ? 'SELECT value FROM json_each(@filter)'
           : // Only the households with a child with a fee-bearing place this month (two in five of them).
             `SELECT c.household_id FROM household_member c WHERE c.role = 'child' AND ${overlaps('c')} AND c.person_id IN (${feeChildren.replace('FROM placement f', 'FROM placement f NOT INDEXED')})`
       })`,
    )
    .all(p) as MemberRow[];
  const placements = s
    .prepare(
      `SELECT pl.id, pl.child_id, pl.unit_id, pl.school_form, pl.valid_from, pl.valid_to, pl.weekly_hours, pe.birth_date, pe.sort_key
       FROM placement pl ${filter ? '' : 'NOT INDEXED'} JOIN person pe ON pe.id = pl.child_id
       WHERE pl.state = 'accepted' AND pl.school_form IN (${forms}) AND ${overlaps('pl')}
       ${filter ? `AND pl.child_id IN (SELECT m.person_id FROM household_member m WHERE m.role = 'child' AND ${overlaps('m')} AND m.household_id IN (SELECT value FROM json_each(@filter)))` : ''}
       ORDER BY pl.child_id, pl.valid_from, pl.id`,
    )
    .all(p) as PlacementRow[];
  const incomes = s
    .prepare(
      `SELECT d.id, d.household_id, d.valid_from, d.monthly_income FROM income_declaration d
       WHERE d.deleted_at IS NULL AND d.valid_from <= @first ${filter ? 'AND d.household_id IN (SELECT value FROM json_each(@filter))' : ''}
       ORDER BY d.household_id, d.valid_from DESC, d.created_at DESC, d.rowid DESC`,
    )
    .all({ first, filter }) as IncomeRow[];
  // The year's income checks that replace a declared income (the latest check per household wins).
  const checks = s
    .prepare(
      `SELECT c.id, c.household_id, c.year, c.taxed_income, c.checked_monthly, c.outcome FROM income_check c
       WHERE c.deleted_at IS NULL AND c.year = @year ${filter ? 'AND c.household_id IN (SELECT value FROM json_each(@filter))' : ''}
       ORDER BY c.household_id, c.created_at DESC, c.rowid DESC`,
    )
    .all({ year: Number(month.slice(0, 4)), filter }) as (CheckRow & { outcome: string })[];
  const childIds = filter ? JSON.stringify([...new Set(placements.map((x) => x.child_id))]) : null;
  const guardians = s
    .prepare(
      `SELECT g.child_id, g.guardian_id, g.invoice_share, g.shielded FROM guardianship g
       WHERE ${overlaps('g')} AND g.child_id IN (${childIds ? 'SELECT value FROM json_each(@children)' : feeChildren})`,
    )
    .all({ first, last, children: childIds }) as GuardianRow[];
  // The holders of the places: for the whole municipality one scan of the narrow table is cheaper than a
  // lookup per place (the places read above pick theirs out).
  const owners = (
    childIds
      ? s
          .prepare(
            `SELECT po.placement_id, po.guardian_id FROM placement_owner po JOIN placement pl ON pl.id = po.placement_id
             WHERE pl.state = 'accepted' AND ${overlaps('pl')} AND pl.child_id IN (SELECT value FROM json_each(@children)) ORDER BY po.rowid`,
          )
          .all({ first, last, children: childIds })
      : s.prepare('SELECT placement_id, guardian_id FROM placement_owner ORDER BY rowid').all()
  ) as { placement_id: string; guardian_id: string }[];

  // Norway: the pupil's grade (the enrolment overlapping the month, the latest started: August's new grade)
  // and the reductions granted (national rule, illness, special needs) overlapping the month.
  const gradeOf = new Map<string, number>();
  const reductionsOf = new Map<string, NoChild['reductions']>();
  if (norway) {
    const sfoChildren = JSON.stringify([...new Set(placements.filter((x) => x.school_form === 'SFO').map((x) => x.child_id))]);
    const grades = s
      .prepare(
        `SELECT e.pupil_id, e.grade FROM enrolment e WHERE ${overlaps('e')} AND e.pupil_id IN (SELECT value FROM json_each(@children))
         ORDER BY e.pupil_id, e.valid_from, e.id`,
      )
      .all({ first, last, children: sfoChildren }) as { pupil_id: string; grade: number }[];
    for (const g of grades) gradeOf.set(g.pupil_id, g.grade);
    const reductions = reductionsInMonth(ctx, first, last, [...new Set(placements.map((x) => x.child_id))]);
    for (const r of reductions) {
      let l = reductionsOf.get(r.child_id);
      if (!l) reductionsOf.set(r.child_id, (l = []));
      l.push({ id: r.id, kind: r.kind, from: r.valid_from, to: r.valid_to });
    }
  }

  // Indexes.
  const byHousehold = new Map<string, MemberRow[]>();
  const householdsOfChild = new Map<string, MemberRow[]>();
  for (const m of members) {
    let l = byHousehold.get(m.household_id);
    if (!l) byHousehold.set(m.household_id, (l = []));
    l.push(m);
    if (m.role === 'child') {
      let c = householdsOfChild.get(m.person_id);
      if (!c) householdsOfChild.set(m.person_id, (c = []));
      c.push(m);
    }
  }
  const placementsOf = new Map<string, PlacementRow[]>();
  for (const pl of placements) {
    let l = placementsOf.get(pl.child_id);
    if (!l) placementsOf.set(pl.child_id, (l = []));
    l.push(pl);
  }
  const incomeOf = new Map<string, IncomeRow>();
  for (const d of incomes) if (!incomeOf.has(d.household_id)) incomeOf.set(d.household_id, d);
  const checkOf = new Map<string, CheckRow & { outcome: string }>();
  for (const c of checks) if (!checkOf.has(c.household_id)) checkOf.set(c.household_id, c);
  // Per child, its guardians' rows (a child has a few: a small array beats a string key per lookup).
  const guardiansOf = new Map<string, GuardianRow[]>();
  for (const g of guardians) {
    let l = guardiansOf.get(g.child_id);
    if (!l) guardiansOf.set(g.child_id, (l = []));
    const i = l.findIndex((x) => x.guardian_id === g.guardian_id);
    // Two rows for one pair in a month (a change of share mid-month): a shielding in either wins, else the later row.
    if (i < 0) l.push(g);
    else l[i] = { ...g, shielded: l[i]!.shielded || g.shielded ? 1 : 0 };
  }
  const guardianOf = (childId: string, guardianId: string): GuardianRow | undefined => guardiansOf.get(childId)?.find((x) => x.guardian_id === guardianId);
  const ownersOf = new Map<string, string[]>();
  const placed = new Set(placements.map((x) => x.id));
  for (const o of owners) {
    if (!placed.has(o.placement_id)) continue;
    let l = ownersOf.get(o.placement_id);
    if (!l) ownersOf.set(o.placement_id, (l = []));
    if (!l.includes(o.guardian_id)) l.push(o.guardian_id);
  }
  const placementById = new Map(placements.map((x) => [x.id, x]));

  // Children with a fee-bearing place and no household: nobody to invoice.
  if (!filter) for (const c of placementsOf.keys()) if (!householdsOfChild.has(c)) warn('no_household', c, null);

  // Which children live in two households this month (shared residence): found once, not per line.
  const sharedChildren = new Set<string>();
  for (const [childId, rows] of householdsOfChild) {
    if (rows.length < 2 || !rows.some((r) => r.shared)) continue;
    if (rows.some((r) => r.household_id !== rows[0]!.household_id)) sharedChildren.add(childId);
  }

  interface Pending {
    line: { personId: string; placementId: string; amount: number; explanation: FeeExplanation | NoExplanation };
    householdId: string;
    membership: MemberRow;
    /** The amount after shared residence (before rounding), and how shared residence changed it. */
    amount: number;
    shared: SharedExplanation | null;
  }
  const pending: Pending[] = [];
  const hhIds = [...byHousehold.keys()].sort();
  const oreSettings: FeeSettings = { ...settings, rounding: 'ore' };
  for (const h of hhIds) {
    const rows = byHousehold.get(h)!;
    const children: FeeChild[] = [];
    const adults: string[] = [];
    for (const m of rows) {
      if (m.role !== 'child') {
        if (!adults.includes(m.person_id)) adults.push(m.person_id);
        continue;
      }
      for (const pl of placementsOf.get(m.person_id) ?? []) {
        const from = max(max(pl.valid_from, m.valid_from), first);
        const to = min(min(pl.valid_to ?? last, m.valid_to ?? last), last);
        if (from > to) continue;
        children.push({
          personId: m.person_id,
          birthDate: pl.birth_date ?? '1900-01-01',
          family: FORM_FAMILY[pl.school_form as PlacementForm] as 'preschool' | 'afterschool',
          placementId: pl.id,
          weeklyHours: pl.weekly_hours,
          from,
          to,
          placementStart: pl.valid_from,
        });
      }
    }
    if (!children.length) continue;
    const income = incomeOf.get(h);
    if (!income || income.monthly_income === null) warn('income_not_declared', null, h);
    const household: FeeHousehold = {
      householdId: h,
      adults: adults.length > 1 ? adults.sort() : adults,
      income: incomeInForce(income, checkOf.get(h)),
      children,
    };
    const computed = noRules
      ? noHouseholdFees(
          month,
          {
            ...household,
            children: children.map((c) => ({
              ...c,
              grade: c.family === 'afterschool' ? (gradeOf.get(c.personId) ?? null) : null,
              reductions: reductionsOf.get(c.personId) ?? [],
            })),
          },
          noRules,
          oreSettings,
        )
      : seHouseholdFees(month, household, seRules!, oreSettings);
    for (const line of computed) {
      // The child's membership here (a child is in a household's rows once per period; the last one is the one in force).
      let membership: MemberRow | undefined;
      for (const m of rows) if (m.role === 'child' && m.person_id === line.personId) membership = m;
      pending.push({ line, householdId: h, membership: membership!, amount: line.amount, shared: null });
    }
  }

  // Shared residence, by the municipality's setting.
  const groups = new Map<string, Pending[]>();
  for (const x of pending) {
    if (!sharedChildren.has(x.line.personId)) continue;
    const k = `${x.line.personId}|${x.line.placementId}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(x);
  }
  const registeredHousehold = settings.sharedResidence === 'registered_only' ? registeredHouseholds(ctx, [...groups.keys()].map((k) => k.split('|')[0]!), householdsOfChild, byHousehold) : null;
  for (const g of groups.values()) {
    const childId = g[0]!.line.personId;
    const hs = new Set((householdsOfChild.get(childId) ?? []).map((r) => r.household_id)).size;
    const put = (x: Pending, shareBp: number, after: number, limit: number | null) => {
      x.shared = { mode: settings.sharedResidence, households: hs, shareBp, before: x.line.amount, limit };
      x.amount = after;
    };
    switch (settings.sharedResidence) {
      case 'each_half':
        for (const x of g) put(x, 5_000, Math.floor((x.line.amount * 5_000 + 5_000) / 10_000), null);
        break;
      case 'declared_split':
        for (const x of g) {
          const bp = x.membership.fee_share_bp;
          if (bp === null) warn('shared_split_missing', childId, x.householdId);
          const share = bp ?? 5_000;
          put(x, share, Math.floor((x.line.amount * share + 5_000) / 10_000), null);
        }
        break;
      case 'registered_only': {
        const reg = registeredHousehold!.get(childId);
        if (!reg) warn('shared_registered_unknown', childId, null);
        const payer = reg ?? [...g].sort((a, b) => cmp(a.membership.valid_from, b.membership.valid_from) || cmp(a.householdId, b.householdId))[0]!.householdId;
        for (const x of g) put(x, x.householdId === payer ? 10_000 : 0, x.householdId === payer ? x.line.amount : 0, null);
        break;
      }
      case 'each_capped_together': {
        // Each pays on its own income; both together at most the larger of the two caps for these days.
        // Norway has no cap: the month's fee before the days stands in for it.
        const capFor = (x: Pending) => {
          const e = x.line.explanation;
          const d = e.days;
          const cap = 'country' in e ? e.full : e.cap;
          return d.charged >= d.ofMonth ? cap : Math.floor((cap * d.charged + Math.floor(d.ofMonth / 2)) / d.ofMonth);
        };
        const limit = Math.max(...g.map(capFor));
        const sum = g.reduce((a, x) => a + x.line.amount, 0);
        if (sum <= limit) for (const x of g) put(x, 10_000, x.line.amount, limit);
        else {
          const parts = splitAmount(limit, g.map((x) => x.line.amount));
          g.forEach((x, i) => put(x, x.line.amount ? Math.round((parts[i]! * 10_000) / x.line.amount) : 0, parts[i]!, limit));
        }
        break;
      }
    }
  }

  // Rounding, then the split between the guardians who hold the place.
  const lines: RunLine[] = [];
  const recipientChecks = new Set<string>();
  for (const x of pending) {
    const pl = placementById.get(x.line.placementId)!;
    let amount = x.amount;
    if (settings.rounding === 'krona') amount = roundKrona(amount);
    const shared = x.shared;
    if (shared && shared.shareBp === 0 && amount === 0) continue; // registered_only: the other household pays nothing, no line
    // The holders who may receive: a guardianship in the month, not shielded, with an invoice share.
    let eligible: { gid: string; share: number }[] = [];
    for (const gid of ownersOf.get(pl.id) ?? []) {
      const g = guardianOf(pl.child_id, gid);
      if (g && !g.shielded && g.invoice_share > 0) eligible.push({ gid, share: g.invoice_share });
    }
    // Shared residence: each household's part goes to its own adults among the holders.
    if (shared) {
      const own = eligible.filter((r) => x.line.explanation.adults.includes(r.gid));
      if (own.length) eligible = own;
    }
    if (!eligible.length) {
      if (amount !== 0) warn('no_recipient', x.line.personId, x.householdId);
      lines.push(chargeLine(month, x, pl, null, 10_000, amount, lineExplanation(x.line.explanation, settings.rounding, amount, x.householdId, shared, null)));
      continue;
    }
    if (eligible.length === 1) {
      const r = eligible[0]!;
      recipientChecks.add(r.gid);
      const split = { invoiceShare: r.share, sharesTotal: r.share, before: amount };
      lines.push(chargeLine(month, x, pl, r.gid, 10_000, amount, lineExplanation(x.line.explanation, settings.rounding, amount, x.householdId, shared, split)));
      continue;
    }
    const weights = eligible.map((r) => r.share);
    const sharesTotal = weights.reduce((a, b) => a + b, 0);
    const parts = splitAmount(amount, weights, settings.rounding === 'krona' ? 100 : 1);
    for (let i = 0; i < eligible.length; i++) {
      const r = eligible[i]!;
      recipientChecks.add(r.gid);
      const split = { invoiceShare: weights[i]!, sharesTotal, before: amount };
      lines.push(chargeLine(month, x, pl, r.gid, Math.round((weights[i]! * 10_000) / sharesTotal), parts[i]!, lineExplanation(x.line.explanation, settings.rounding, parts[i]!, x.householdId, shared, split)));
    }
  }

  // Recipients to look at: a protected one (its address stays in the core), one without an address.
  if (recipientChecks.size) {
    const ids = JSON.stringify([...recipientChecks]);
    // The shielded recipients: for the whole municipality every shielded person from the partial index alone
    // (a few thousand entries; a protected person is always shielded), for a few households by id. The
    // addresses in force from the address index alone (person, from, to): no table lookup per recipient.
    const shielded = new Set(
      (filter
        ? s.prepare(`SELECT id FROM person WHERE id IN (SELECT value FROM json_each(@ids)) AND shielded = 1`).pluck().all({ ids })
        : s.prepare(`SELECT id FROM person WHERE (protection <> 'none' or shielded = 1) and deleted_at is null`).pluck().all()) as string[],
    );
    const housed = new Set(
      s
        .prepare(
          `SELECT DISTINCT a.person_id FROM person_address a WHERE a.person_id IN (SELECT value FROM json_each(@ids)) AND a.valid_from <= @last AND (a.valid_to IS NULL OR a.valid_to >= @first)`,
        )
        .pluck()
        .all({ ids, first, last }) as string[],
    );
    for (const id of recipientChecks) {
      if (shielded.has(id)) warn('protected_recipient', null, null, id);
      else if (!housed.has(id)) warn('no_address', null, null, id);
    }
  }
  lines.sort((a, b) => cmp(a.childId, b.childId) || cmp(a.placementId, b.placementId) || cmp(a.householdId, b.householdId) || cmp(a.recipientId ?? '', b.recipientId ?? ''));
  const sortKeys = new Map<string, string>();
  for (const pl of placements) if (pl.sort_key !== null) sortKeys.set(pl.child_id, pl.sort_key);
  return { month, ruleSet, lines, warnings, households, sortKeys };
}

/**
 * For children in shared residence, the household where the child is registered (folkbokförd): the one
 * whose adult has the child's registered address. Unknown when none or both do.
 */
function registeredHouseholds(ctx: CoreContext, childIds: string[], householdsOfChild: Map<string, MemberRow[]>, byHousehold: Map<string, MemberRow[]>): Map<string, string> {
  const out = new Map<string, string>();
  const addr = ctx.sqlite.prepare(
    `SELECT lower(street) || '|' || replace(postal_code, ' ', '') FROM person_address WHERE person_id = ? AND kind = 'registered' AND valid_to IS NULL ORDER BY valid_from DESC LIMIT 1`,
  ).pluck();
  for (const c of new Set(childIds)) {
    const mine = addr.get(c) as string | undefined;
    if (!mine) continue;
    const hits = new Set<string>();
    for (const m of householdsOfChild.get(c) ?? []) {
      for (const a of byHousehold.get(m.household_id) ?? []) if (a.role === 'adult' && addr.get(a.person_id) === mine) hits.add(m.household_id);
    }
    if (hits.size === 1) out.set(c, [...hits][0]!);
  }
  return out;
}

/** A Norwegian line's explanation with its household, shared-residence and split parts (written out, as the Swedish one). */
function noExplanation(e: NoExplanation, rounding: FeeSettings['rounding'], amount: number, householdId: string, shared: SharedExplanation | null, split: SplitExplanation | null): NoLineExplanation {
  return {
    country: 'NO',
    ruleSet: e.ruleSet,
    income: e.income,
    adults: e.adults,
    family: e.family,
    grade: e.grade,
    weeklyHours: e.weeklyHours,
    rank: e.rank,
    ranked: e.ranked,
    reductions: e.reductions,
    steps: e.steps,
    full: e.full,
    days: e.days,
    rounding,
    amount,
    householdId,
    shared,
    split,
  };
}

/** A charge line of the month (written out: the same shape for every line). */
function chargeLine(
  month: string,
  x: { line: { personId: string }; householdId: string },
  pl: { id: string; unit_id: string; school_form: string },
  recipientId: string | null,
  shareBp: number,
  amount: number,
  explanation: AnyLineExplanation,
): RunLine {
  return {
    month,
    kind: 'charge',
    correctsLineId: null,
    childId: x.line.personId,
    placementId: pl.id,
    householdId: x.householdId,
    unitId: pl.unit_id,
    schoolForm: pl.school_form,
    recipientId,
    shareBp,
    amount,
    explanation,
  };
}

/**
 * A line's explanation: the household's computation with the line's amount, household, shared residence and
 * split. Written out, not spread: a spread that overrides keys takes V8's slow path (seconds over 100 000 lines).
 */
function lineExplanation(e: FeeExplanation | NoExplanation, rounding: FeeSettings['rounding'], amount: number, householdId: string, shared: SharedExplanation | null, split: SplitExplanation | null): AnyLineExplanation {
  if ('country' in e) return noExplanation(e, rounding, amount, householdId, shared, split);
  return {
    ruleSet: e.ruleSet,
    income: e.income,
    adults: e.adults,
    rank: e.rank,
    ranked: e.ranked,
    family: e.family,
    percentBp: e.percentBp,
    ceiling: e.ceiling,
    incomeFloor: e.incomeFloor,
    feeBase: e.feeBase,
    cap: e.cap,
    full: e.full,
    local: e.local,
    days: e.days,
    rounding,
    amount,
    householdId,
    shared,
    split,
  };
}
