/**
 * The fee run (docs/fees.md "The fee run"): a month's charges for the whole municipality and the
 * corrections of months already invoiced, previewed by a job, locked by another, posted once.
 *
 * - **Preview** (`fee.runStart`): computes the month (month.ts) and the corrections, stores the lines,
 *   warnings and a summary (totals per unit, form and rule; the difference from the previous run) in
 *   `fee_preview*` (working state, no records), with a hash of the lines.
 * - **Lock** (`fee.runLock`): recomputes in its one transaction and refuses when the result is not the one
 *   previewed (`fee_preview_stale`: something changed since; preview again); otherwise writes `fee_run`
 *   and `fee_line` as records through the one write path, with the preview's line ids. A locked run never
 *   changes; posting only marks it handed to finance.
 * - **Corrections**: for each month already invoiced within the municipality's window, the households
 *   whose facts changed since that month was last locked (or every household, when the rules changed) are
 *   computed again and compared, per child, place, household and recipient, with the sum of the month's
 *   locked lines; a difference becomes a correction line that names the lines it corrects. After it is
 *   locked the month sums to what a fresh computation gives, and an unchanged month yields none.
 */
import { createHash } from 'node:crypto';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import type { FeeWarningCode } from '../../shared/api/fees';
import type { CoreContext } from '../context';
import { newId } from '../write/ids';
import { feeConfig } from './facts';
import { cmp } from './order';
import { computeMonth, configHash, isNoLine, type AnyLineExplanation, type RunLine, type RunWarning } from './month';

/** The Norwegian steps a run's totals are given per rule (the band and the maximum price are the rule set's own). */
const NO_RULE_LABELS: Partial<Record<string, string>> = {
  free_month: 'Free month (July)',
  special_needs: 'Special-needs place, free',
  free_hours: 'Free hours a week (SFO/AKS)',
  national_cap: 'National rule: at most 6 % of income',
  sibling: 'Sibling discount (barnehage)',
  income_cap: 'Income cap (barnehage)',
  free_core_hours: 'Free core hours (barnehage)',
  illness: 'Illness of four weeks or more',
};

export type RunKind = 'regular' | 'credit_note';

export interface RunSummary {
  month: string;
  kind: RunKind;
  lines: number;
  total: number;
  charges: { lines: number; amount: number };
  corrections: { lines: number; amount: number; months: string[] };
  byUnit: { unitId: string; name: string; lines: number; amount: number }[];
  byForm: { form: string; lines: number; amount: number }[];
  byRule: { id: string; label: string; lines: number; amount: number }[];
  warnings: { code: FeeWarningCode; count: number }[];
  /** Against the latest locked regular run before this month (per child's charges). */
  previous: { runId: string; month: string; total: number; added: number; ended: number; changed: number; same: number } | null;
}

export interface RunComputation {
  lines: RunLine[];
  warnings: RunWarning[];
  summary: RunSummary;
  /**
   * Each line's explanation as the preview stores it: a correction's (JSON; it names the locked lines it
   * corrects), none for a charge (computed when shown, written when locked: chargeExplanations).
   */
  explanations: (string | null)[];
  /** The sort keys of the month's children, read with their places (nameRanks looks up only the others). */
  sortKeys: ReadonlyMap<string, string>;
  linesHash: string;
  configHash: string;
}

const addMonths = (m: string, n: number): string => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const t = y * 12 + (mo - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
};

/** A regular run for a month that already has a locked one is refused: its changes come as corrections in the next. */
export function requireNoLockedRegular(ctx: CoreContext, month: string, kind: RunKind): void {
  if (kind !== 'regular') return;
  const had = ctx.sqlite.prepare(`SELECT id FROM fee_run WHERE month = ? AND kind = 'regular' AND deleted_at IS NULL`).pluck().get(month) as string | undefined;
  if (had) throw ruleViolation('fee_run_exists', `fee_run_exists: ${month} already has a locked run; changes to it come as corrections in the next month's run or a separate credit-note run`, 'month');
}

interface LockedLine {
  id: string;
  month: string;
  kind: 'charge' | 'correction';
  child_id: string;
  placement_id: string;
  household_id: string;
  unit_id: string;
  school_form: string;
  recipient_id: string | null;
  share_bp: number;
  amount: number;
  explanation: string;
}


/** Households whose facts may have changed since `since` (an over-approximation: a change anywhere in the child's records counts). */
function changedSince(ctx: CoreContext, since: string): { at: string; household: string }[] {
  const s = ctx.sqlite;
  return s
    .prepare(
      `WITH hm AS (SELECT DISTINCT household_id, person_id FROM household_member)
       SELECT updated_at AS at, household_id AS household FROM household_member WHERE updated_at >= @t
       UNION ALL SELECT updated_at, household_id FROM income_declaration WHERE updated_at >= @t
       UNION ALL SELECT updated_at, household_id FROM income_check WHERE updated_at >= @t
       UNION ALL SELECT p.updated_at, hm.household_id FROM placement p JOIN hm ON hm.person_id = p.child_id WHERE p.updated_at >= @t
       UNION ALL SELECT g.updated_at, hm.household_id FROM guardianship g JOIN hm ON hm.person_id = g.child_id WHERE g.updated_at >= @t
       UNION ALL SELECT g.updated_at, hm.household_id FROM guardianship g JOIN hm ON hm.person_id = g.guardian_id WHERE g.updated_at >= @t
       UNION ALL SELECT pe.updated_at, hm.household_id FROM person pe JOIN hm ON hm.person_id = pe.id WHERE pe.updated_at >= @t`,
    )
    .all({ t: since }) as { at: string; household: string }[];
}

/** Appends in a loop: `push(...xs)` passes every element as an argument, and 180 000 lines overflow the stack. */
function append<T>(to: T[], xs: readonly T[]): void {
  for (const x of xs) to.push(x);
}

/** Computes a run of `kind` for `month`: charges (regular runs) and corrections of earlier months. */
export function computeRun(ctx: CoreContext, month: string, kind: RunKind, progress: (phase: string, done: number, total: number | null) => void = () => {}): RunComputation {
  const s = ctx.sqlite;
  const config = feeConfig(ctx);
  const cHash = configHash(config);
  const lines: RunLine[] = [];
  const warnings: RunWarning[] = [];
  let sortKeys = new Map<string, string>();
  progress('charges', 0, null);
  if (kind === 'regular') {
    const r = computeMonth(ctx, month, { config });
    append(lines, r.lines);
    append(warnings, r.warnings);
    sortKeys = r.sortKeys;
  }
  // Corrections: the months already invoiced within the window.
  const from = addMonths(month, -config.settings.correctionMonths);
  const months = s
    .prepare(
      `SELECT l.month, max(r.locked_at) AS locked_at, (SELECT r2.config_hash FROM fee_run r2 JOIN fee_line l2 ON l2.run_id = r2.id WHERE l2.month = l.month AND r2.deleted_at IS NULL ORDER BY r2.locked_at DESC LIMIT 1) AS config_hash
       FROM fee_line l JOIN fee_run r ON r.id = l.run_id AND r.deleted_at IS NULL
       WHERE l.month >= @from AND (l.month < @month OR (@kind = 'credit_note' AND l.month = @month)) GROUP BY l.month ORDER BY l.month`,
    )
    .all({ from, month, kind }) as { month: string; locked_at: string; config_hash: string }[];
  const oldest = months.reduce<string | null>((a, m) => (a === null || m.locked_at < a ? m.locked_at : a), null);
  const changes = oldest ? changedSince(ctx, oldest) : [];
  const corrections: RunLine[] = [];
  months.forEach((m, i) => {
    progress('corrections', i, months.length);
    const all = m.config_hash !== cHash;
    const dirty = all ? null : [...new Set(changes.filter((c) => c.at >= m.locked_at).map((c) => c.household))];
    // Lines whose place or membership is gone altogether (a row corrected away) are looked at too.
    const gone = s
      .prepare(
        `SELECT DISTINCT household_id FROM fee_line l WHERE l.month = ? AND (NOT EXISTS (SELECT 1 FROM placement p WHERE p.id = l.placement_id)
           OR NOT EXISTS (SELECT 1 FROM household_member x WHERE x.household_id = l.household_id AND x.person_id = l.child_id))`,
      )
      .pluck()
      .all(m.month) as string[];
    if (dirty && !dirty.length && !gone.length) return;
    const now = computeMonth(ctx, m.month, { config, ...(dirty ? { households: [...new Set([...dirty, ...gone])] } : {}) });
    const scope = now.households ? new Set(now.households) : null;
    const locked = (
      s
        .prepare(
          `SELECT l.id, l.month, l.kind, l.child_id, l.placement_id, l.household_id, l.unit_id, l.school_form, l.recipient_id, l.share_bp, l.amount, l.explanation
           FROM fee_line l JOIN fee_run r ON r.id = l.run_id AND r.deleted_at IS NULL WHERE l.month = ? ORDER BY r.locked_at, l.rowid`,
        )
        .all(m.month) as LockedLine[]
    ).filter((l) => !scope || scope.has(l.household_id));
    const was = new Map<string, { sum: number; ids: string[]; last: LockedLine; charge: string | null }>();
    for (const l of locked) {
      const k = lineKey({ childId: l.child_id, placementId: l.placement_id, householdId: l.household_id, recipientId: l.recipient_id });
      const w = was.get(k);
      if (!w) was.set(k, { sum: l.amount, ids: [l.id], last: l, charge: l.kind === 'charge' ? l.id : null });
      else {
        w.sum += l.amount;
        w.ids.push(l.id);
        w.last = l;
        if (l.kind === 'charge') w.charge = l.id;
      }
    }
    const seen = new Set<string>();
    for (const l of now.lines) {
      const k = lineKey(l);
      seen.add(k);
      const w = was.get(k);
      const before = w?.sum ?? 0;
      if (l.amount === before) continue;
      corrections.push({
        ...l,
        kind: 'correction',
        correctsLineId: w?.charge ?? w?.ids[0] ?? null,
        amount: l.amount - before,
        explanation: { ...l.explanation, correction: { month: m.month, was: before, now: l.amount, lines: w?.ids ?? [] } },
      });
    }
    for (const [k, w] of was) {
      if (seen.has(k) || w.sum === 0) continue;
      const l = w.last;
      const old = JSON.parse(l.explanation) as AnyLineExplanation;
      corrections.push({
        month: m.month,
        kind: 'correction',
        correctsLineId: w.charge ?? w.ids[0] ?? null,
        childId: l.child_id,
        placementId: l.placement_id,
        householdId: l.household_id,
        unitId: l.unit_id,
        schoolForm: l.school_form,
        recipientId: l.recipient_id,
        shareBp: l.share_bp,
        amount: -w.sum,
        explanation: { ...old, amount: 0, correction: { month: m.month, was: w.sum, now: 0, lines: w.ids } },
      });
    }
    // Warnings of a corrected month only where they concern a correction.
    const touched = new Set(corrections.filter((c) => c.month === m.month).map((c) => c.householdId));
    append(warnings, now.warnings.filter((w) => w.householdId !== null && touched.has(w.householdId)));
  });
  append(lines, corrections);
  progress('summary', months.length, months.length);
  const summary = summarise(ctx, month, kind, lines, warnings);
  progress('hash', 0, lines.length);
  const explanations = lines.map((l) => (l.kind === 'correction' ? JSON.stringify(l.explanation) : null));
  return { lines, warnings, summary, explanations, sortKeys, linesHash: hashLines(lines, explanations), configHash: cHash };
}

/**
 * The lines' hash: what the lock compares with the preview (ids are not part of a line's content): every
 * line's child, place, household, unit, form, recipient, share and amount, and a correction's explanation.
 * A charge's explanation is not in it (the preview does not write it out): with the same amounts and
 * recipients the lock writes the explanation of the register as it is then.
 */
export function hashLines(lines: readonly RunLine[], explanations: readonly (string | null)[]): string {
  const h = createHash('sha256');
  lines.forEach((l, i) => {
    h.update(`${l.month}|${l.kind}|${l.correctsLineId ?? ''}|${l.childId}|${l.placementId}|${l.householdId}|${l.unitId}|${l.schoolForm}|${l.recipientId ?? ''}|${l.shareBp}|${l.amount}|`);
    h.update(explanations[i] ?? '').update('\n');
  });
  return h.digest('hex');
}

/** A line's key within its month and kind: child, place, household, recipient (one charge each). */
export const lineKey = (l: { childId: string; placementId: string; householdId: string; recipientId: string | null }) => `${l.childId}|${l.placementId}|${l.householdId}|${l.recipientId ?? ''}`;

function summarise(ctx: CoreContext, month: string, kind: RunKind, lines: readonly RunLine[], warnings: readonly RunWarning[]): RunSummary {
  const s = ctx.sqlite;
  const add = <K>(m: Map<K, { lines: number; amount: number }>, k: K, amount: number) => {
    const e = m.get(k) ?? { lines: 0, amount: 0 };
    e.lines++;
    e.amount += amount;
    m.set(k, e);
  };
  const units = new Map<string, { lines: number; amount: number }>();
  const forms = new Map<string, { lines: number; amount: number }>();
  const rules = new Map<string, { lines: number; amount: number; label: string }>();
  let total = 0;
  const charges = { lines: 0, amount: 0 };
  const corr = { lines: 0, amount: 0, months: new Set<string>() };
  for (const l of lines) {
    total += l.amount;
    add(units, l.unitId, l.amount);
    add(forms, l.schoolForm, l.amount);
    const e = l.explanation;
    const ruleKeys: [string, string][] = [[e.ruleSet.id, e.ruleSet.name]];
    if (isNoLine(e)) {
      // Norway: the reductions that changed the amount (the national rule, free hours, siblings, the income cap …) and the reductions granted.
      for (const st of e.steps) if (NO_RULE_LABELS[st.rule]) ruleKeys.push([`no:${st.rule}`, NO_RULE_LABELS[st.rule]!]);
      if (e.days.illness > 0) ruleKeys.push(['no:illness', NO_RULE_LABELS.illness!]);
    } else for (const r of e.local) ruleKeys.push([`local:${r.id}`, r.label]);
    for (const [id, label] of ruleKeys) {
      const e = rules.get(id) ?? { lines: 0, amount: 0, label };
      e.lines++;
      e.amount += l.amount;
      rules.set(id, e);
    }
    if (l.kind === 'charge') {
      charges.lines++;
      charges.amount += l.amount;
    } else {
      corr.lines++;
      corr.amount += l.amount;
      corr.months.add(l.month);
    }
  }
  const unitName = s.prepare('SELECT name FROM org_unit WHERE id = ?').pluck();
  const counts = new Map<FeeWarningCode, number>();
  for (const w of warnings) counts.set(w.code, (counts.get(w.code) ?? 0) + 1);
  // The previous regular run: per child, what its charges came to.
  const prev = s
    .prepare(`SELECT id, month, total FROM fee_run WHERE kind = 'regular' AND month < ? AND deleted_at IS NULL ORDER BY month DESC, locked_at DESC LIMIT 1`)
    .get(month) as { id: string; month: string; total: number } | undefined;
  let previous: RunSummary['previous'] = null;
  if (prev && kind === 'regular') {
    const before = new Map(
      (s.prepare(`SELECT child_id, sum(amount) AS a FROM fee_line WHERE run_id = ? AND kind = 'charge' GROUP BY child_id`).all(prev.id) as { child_id: string; a: number }[]).map((r) => [r.child_id, r.a]),
    );
    const now = new Map<string, number>();
    for (const l of lines) if (l.kind === 'charge') now.set(l.childId, (now.get(l.childId) ?? 0) + l.amount);
    let added = 0;
    let changed = 0;
    let same = 0;
    for (const [c, a] of now) {
      const b = before.get(c);
      if (b === undefined) added++;
      else if (b === a) same++;
      else changed++;
    }
    const ended = [...before.keys()].filter((c) => !now.has(c)).length;
    previous = { runId: prev.id, month: prev.month, total: prev.total, added, ended, changed, same };
  }
  const byAmount = (a: { amount: number }, b: { amount: number }) => b.amount - a.amount;
  return {
    month,
    kind,
    lines: lines.length,
    total,
    charges,
    corrections: { lines: corr.lines, amount: corr.amount, months: [...corr.months].sort() },
    byUnit: [...units].map(([unitId, v]) => ({ unitId, name: String(unitName.get(unitId) ?? unitId), ...v })).sort(byAmount),
    byForm: [...forms].map(([form, v]) => ({ form, ...v })).sort(byAmount),
    byRule: [...rules].map(([id, v]) => ({ id, label: v.label, lines: v.lines, amount: v.amount })).sort(byAmount),
    warnings: [...counts].map(([code, count]) => ({ code, count })),
    previous,
  };
}

/** The lines' children ranked in the register's name order (the person's sort key, then id): 0, 1, 2 … */
export function nameRanks(ctx: CoreContext, lines: readonly { childId: string }[], sortKeys: ReadonlyMap<string, string> = new Map()): Map<string, number> {
  const children = [...new Set(lines.map((l) => l.childId))];
  const keyed: { id: string; sort_key: string }[] = [];
  const unknown: string[] = [];
  for (const id of children) {
    const k = sortKeys.get(id);
    if (k === undefined) unknown.push(id);
    else keyed.push({ id, sort_key: k });
  }
  // Children not read with the month's places (a correction's): looked up.
  if (unknown.length) {
    const read = ctx.sqlite.prepare('SELECT id, sort_key FROM person WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(unknown)) as { id: string; sort_key: string }[];
    const known = new Set(read.map((r) => r.id));
    append(keyed, read);
    for (const id of unknown) if (!known.has(id)) keyed.push({ id, sort_key: '' });
  }
  keyed.sort((a, b) => cmp(a.sort_key, b.sort_key) || cmp(a.id, b.id));
  return new Map(keyed.map((r, i) => [r.id, i]));
}

/**
 * The lock: the charges' explanations written into the preview's lines before they become records (found by
 * their key, not their place in the order, which a renamed child could change without changing a line).
 */
export function writeChargeExplanations(ctx: CoreContext, previewId: string, c: RunComputation): void {
  const s = ctx.sqlite;
  const byKey = new Map<string, RunLine>();
  for (const l of c.lines) if (l.kind === 'charge') byKey.set(lineKey(l), l);
  const rows = s
    .prepare(`SELECT n, child_id AS childId, placement_id AS placementId, household_id AS householdId, recipient_id AS recipientId FROM fee_preview_line WHERE preview_id = ? AND explanation IS NULL`)
    .all(previewId) as { n: number; childId: string; placementId: string; householdId: string; recipientId: string | null }[];
  const put = s.prepare('UPDATE fee_preview_line SET explanation = ? WHERE preview_id = ? AND n = ?');
  for (const r of rows) {
    const l = byKey.get(lineKey(r));
    if (!l) throw new Error(`the lock's computation has no line for the preview's line ${r.n}, although their hashes agree`);
    put.run(JSON.stringify(l.explanation), previewId, r.n);
  }
}

/** Stores a computed preview's lines and warnings (in the caller's transaction); each line gets the id it keeps once locked. */
export function storePreview(ctx: CoreContext, previewId: string, c: RunComputation): void {
  const s = ctx.sqlite;
  s.prepare('DELETE FROM fee_preview_line WHERE preview_id = ?').run(previewId);
  s.prepare('DELETE FROM fee_preview_warning WHERE preview_id = ?').run(previewId);
  const ins = s.prepare(
    `INSERT INTO fee_preview_line (preview_id, n, id, month, kind, corrects_line_id, child_id, placement_id, household_id, unit_id, school_form, recipient_id, share_bp, amount, explanation)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Stored in the register's name order (the person's sort key, as the person list sorts), then month and
  // kind, so a page of the run reads like a list of children; the lock keeps this order. The children are
  // ranked once by name; the lines are then ordered by their child's rank (a number), month and kind.
  const rankOf = nameRanks(ctx, c.lines, c.sortKeys);
  const rank = Int32Array.from(c.lines, (l) => rankOf.get(l.childId)!);
  const order = c.lines.map((_, i) => i);
  order.sort((a, b) => {
    if (rank[a] !== rank[b]) return rank[a]! - rank[b]!;
    const x = c.lines[a]!;
    const y = c.lines[b]!;
    return cmp(x.month, y.month) || (x.kind === y.kind ? 0 : x.kind === 'charge' ? -1 : 1) || a - b;
  });
  for (let n = 0; n < order.length; n++) {
    const i = order[n]!;
    const l = c.lines[i]!;
    ins.run(previewId, n + 1, newId(), l.month, l.kind, l.correctsLineId, l.childId, l.placementId, l.householdId, l.unitId, l.schoolForm, l.recipientId, l.shareBp, l.amount, c.explanations[i] ?? null);
  }
  const w = s.prepare('INSERT INTO fee_preview_warning (preview_id, code, child_id, household_id, person_id, month) VALUES (?, ?, ?, ?, ?, ?)');
  for (const x of c.warnings) w.run(previewId, x.code, x.childId, x.householdId, x.personId, x.month);
  s.prepare(`UPDATE fee_preview SET state = 'ready', line_count = ?, total = ?, summary = ?, config_hash = ?, lines_hash = ? WHERE id = ?`).run(
    c.lines.length,
    c.summary.total,
    JSON.stringify(c.summary),
    c.configHash,
    c.linesHash,
    previewId,
  );
}

export interface PreviewRow {
  id: string;
  month: string;
  kind: RunKind;
  state: 'computing' | 'ready' | 'failed' | 'locking' | 'locked' | 'discarded';
  line_count: number;
  total: number;
  summary: string | null;
  config_hash: string | null;
  lines_hash: string | null;
  job_id: string | null;
  lock_job_id: string | null;
  error: string | null;
  created_by: string;
  created_by_name: string;
  created_at: string;
}

/**
 * A run's working row, or for a locked run known only as records (locked on the server or another
 * workstation, or a rebuilt replica) the same shape made from its record.
 */
export function previewRow(ctx: CoreContext, id: string): PreviewRow {
  const r = ctx.sqlite.prepare('SELECT * FROM fee_preview WHERE id = ?').get(id) as PreviewRow | undefined;
  if (r) return r;
  const run = ctx.sqlite
    .prepare(
      `SELECT r.id, r.month, r.kind, 'locked' AS state, r.line_count, r.total, r.summary, r.config_hash, r.lines_hash, NULL AS job_id, NULL AS lock_job_id, NULL AS error,
         r.locked_by AS created_by, coalesce(u.display_name, '') AS created_by_name, r.locked_at AS created_at
       FROM fee_run r LEFT JOIN user_account u ON u.id = r.locked_by WHERE r.id = ? AND r.deleted_at IS NULL`,
    )
    .get(id) as PreviewRow | undefined;
  if (!run) throw new DomainError('not_found', 'No such fee run', 'id');
  return run;
}

export function currencyOf(ctx: CoreContext): 'SEK' | 'NOK' {
  return (ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() as string | undefined) === 'NO' ? 'NOK' : 'SEK';
}
