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
import { childMonthFees, feeConfig, rulesVersion, setFeeConfig } from './facts';
import { diffViews } from '../audit/recorder';
import { ruleViolation } from '../../shared/api/errors';
import type { MethodOutput } from '../../shared/api/contract';
import { lineKey, previewRow, requireNoLockedRegular, type PreviewRow } from './run';
import { computeMonth, configHash, type RunLine } from './month';
import { updateRecord } from '../write/records';
import { gatherExport, writeExport } from './export-run';
import { incomeOn, incomesOf } from './incomes';
import { checksOf, recordCheck } from './income-check';
import { reductionHandlers } from './reductions';

type RunView = MethodOutput<'fee.runGet'>;

/**
 * A preview's state as the user should see it: a preview or lock whose job ended without finishing
 * (failed, cancelled, or gone with a restart) is failed, or back to ready.
 */
type LineExplanationOut = MethodOutput<'fee.runLines'>['items'][number]['explanation'];

/**
 * The explanations of a page of a run's lines: a locked line's and a correction's as stored; a preview's
 * charge computed now for its households (the card's computation: month.ts), and marked `changed` when the
 * register or the rules no longer give the previewed amount (then it is today's explanation, or none when the
 * line would no longer be charged).
 */
function explainPreviewLines(
  ctx: CoreContext,
  p: PreviewRow,
  rows: readonly { month: string; kind: string; child_id: string; placement_id: string; household_id: string; recipient_id: string | null; unit_id: string; share_bp: number; amount: number; explanation: string | null }[],
): (r: (typeof rows)[number]) => { explanation: LineExplanationOut | null; changed: boolean } {
  const open = rows.filter((r) => r.explanation === null);
  const now = new Map<string, RunLine>();
  let rulesChanged = false;
  if (open.length) {
    const config = feeConfig(ctx);
    rulesChanged = p.config_hash !== null && configHash(config) !== p.config_hash;
    for (const month of new Set(open.map((r) => r.month))) {
      const households = [...new Set(open.filter((r) => r.month === month).map((r) => r.household_id))];
      for (const l of computeMonth(ctx, month, { config, households }).lines) now.set(`${l.month}|${lineKey(l)}`, l);
    }
  }
  return (r) => {
    if (r.explanation !== null) return { explanation: JSON.parse(r.explanation) as LineExplanationOut, changed: false };
    const l = now.get(`${r.month}|${lineKey({ childId: r.child_id, placementId: r.placement_id, householdId: r.household_id, recipientId: r.recipient_id })}`);
    if (!l) return { explanation: null, changed: true };
    const same = !rulesChanged && l.amount === r.amount && l.shareBp === r.share_bp && l.unitId === r.unit_id;
    return { explanation: l.explanation as LineExplanationOut, changed: !same };
  };
}

function effectiveRun(ctx: CoreContext, p: PreviewRow): PreviewRow & { locked_at: string | null; posted_at: string | null; run_state: string | null } {
  const jobState = (id: string | null) => (id ? ((ctx.sqlite.prepare('SELECT state, error FROM job WHERE id = ?').get(id) as { state: string; error: string | null } | undefined) ?? null) : null);
  const run = ctx.sqlite.prepare('SELECT state, locked_at, posted_at FROM fee_run WHERE id = ?').get(p.id) as { state: string; locked_at: string; posted_at: string | null } | undefined;
  let state = p.state;
  let error = p.error;
  if (state === 'computing') {
    const j = jobState(p.job_id);
    if (!j || j.state === 'failed' || j.state === 'cancelled') {
      state = 'failed';
      error = j?.error ? (JSON.parse(j.error) as { message?: string }).message ?? j.error : j?.state === 'cancelled' ? 'Cancelled' : 'The preview stopped';
    }
  }
  if (state === 'locking') {
    const j = jobState(p.lock_job_id);
    if (!j || j.state === 'failed' || j.state === 'cancelled') {
      state = 'ready';
      error = j?.error ? (JSON.parse(j.error) as { message?: string }).message ?? j.error : null;
    }
  }
  return { ...p, state, error, locked_at: run?.locked_at ?? null, posted_at: run?.posted_at ?? null, run_state: run?.state ?? null };
}

function runView(ctx: CoreContext, p: PreviewRow): RunView {
  const e = effectiveRun(ctx, p);
  return {
    id: e.id,
    month: e.month,
    kind: e.kind,
    state: e.run_state === 'posted' ? 'posted' : e.state,
    lineCount: e.line_count,
    total: e.total,
    summary: e.summary ? (JSON.parse(e.summary) as RunView['summary']) : null,
    error: e.error,
    jobId: e.job_id,
    lockJobId: e.lock_job_id,
    createdAt: e.created_at,
    createdByName: e.created_by_name,
    lockedAt: e.locked_at,
    postedAt: e.posted_at,
  };
}

const NAME = `trim(coalesce(nullif(pe.preferred_name, ''), pe.given_name) || ' ' || pe.family_name)`;

/** A child's household memberships that have not ended (today or later), oldest first. */
function childMemberships(ctx: CoreContext, childId: string): { id: string; household_id: string; fee_share_bp: number | null; version: number }[] {
  if (!ctx.sqlite.prepare('SELECT 1 FROM person WHERE id = ? AND deleted_at IS NULL').get(childId)) throw new DomainError('not_found', 'No such person', 'childId');
  return ctx.sqlite
    .prepare(
      `SELECT id, household_id, fee_share_bp, version FROM household_member
       WHERE person_id = ? AND role = 'child' AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from, household_id`,
    )
    .all(childId, ctx.clock.today()) as { id: string; household_id: string; fee_share_bp: number | null; version: number }[];
}

export function createFeesHandlers(ctx: CoreContext): DomainHandlers<'fees'> {
  const rulesView = () => {
    const c = feeConfig(ctx);
    return { se: c.rules, no: c.no, settings: c.settings, defaults: c.defaults, version: rulesVersion(c) };
  };
  return {
    ...reductionHandlers(ctx),
    'fee.rules': (_i, { actor }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fee rules');
      return rulesView();
    },

    'fee.rulesUpdate': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.write', 'Changing the fee rules');
      const before = rulesView();
      if (i.version !== before.version) throw new DomainError('conflict', 'The fee rules were changed by someone else since they were read: read them again and make the change there', 'version');
      setFeeConfig(ctx, i.se, i.settings, i.no);
      const after = rulesView();
      audit.detail('changes', diffViews({ se: before.se, no: before.no, settings: before.settings }, { se: after.se, no: after.no, settings: after.settings }));
      return after;
    },

    'fee.explain': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fees');
      if (!ctx.sqlite.prepare('SELECT 1 FROM person WHERE id = ? AND deleted_at IS NULL').get(i.personId)) throw new DomainError('not_found', 'No such person', 'personId');
      const r = childMonthFees(ctx, i.personId, i.month);
      const persons = new Set([i.personId, ...r.lines.flatMap((l) => [...l.explanation.adults, ...l.explanation.ranked.map((x) => x.personId)])]);
      audit.persons([...persons]).detail('month', i.month).detail('lines', r.lines.length);
      return r;
    },

    'fee.runStart': async (i, call) => {
      requireMunicipalityWide(call.actor, 'fee.write', 'A fee run');
      requireNoLockedRegular(ctx, i.month, i.kind);
      const runId = crypto.randomUUID();
      call.audit.detail('run', runId).detail('month', i.month).detail('kind', i.kind);
      const { jobId } = await call.services.jobs.start(call, 'fee.preview', { runId }, (job) => {
        ctx.sqlite
          .prepare(`INSERT INTO fee_preview (id, month, kind, state, job_id, created_by, created_by_name, created_at) VALUES (?, ?, ?, 'computing', ?, ?, ?, ?)`)
          .run(runId, i.month, i.kind, job, call.actor.id, call.actor.name, ctx.clock.now());
      });
      return { jobId, runId };
    },

    'fee.runList': (i, { actor }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fee runs');
      // The previews here, and the runs locked elsewhere (known as records only).
      const all = `SELECT id, created_at AS at FROM fee_preview WHERE state <> 'discarded'
                   UNION ALL SELECT id, locked_at FROM fee_run r WHERE r.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM fee_preview p WHERE p.id = r.id)`;
      const total = ctx.sqlite.prepare(`SELECT count(*) FROM (${all})`).pluck().get() as number;
      const ids = ctx.sqlite.prepare(`SELECT id FROM (${all}) ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`).pluck().all(i.limit, i.offset) as string[];
      return { items: ids.map((id) => runView(ctx, previewRow(ctx, id))), total };
    },

    'fee.runGet': (i, { actor }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fee runs');
      return runView(ctx, previewRow(ctx, i.id));
    },

    'fee.runLines': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fee runs');
      const p = effectiveRun(ctx, previewRow(ctx, i.id));
      // A locked run's lines are its records; a preview's are its working rows (the same ids).
      const locked = p.run_state !== null;
      const from = locked ? `fee_line l WHERE l.run_id = @id AND l.deleted_at IS NULL` : `fee_preview_line l WHERE l.preview_id = @id`;
      const where = `${i.childId ? 'AND l.child_id = @child' : ''} ${i.householdId ? 'AND l.household_id = @household' : ''} ${i.kind ? 'AND l.kind = @kind' : ''}`;
      const args = { id: i.id, child: i.childId ?? null, household: i.householdId ?? null, kind: i.kind ?? null, limit: i.limit, offset: i.offset };
      const total = ctx.sqlite.prepare(`SELECT count(*) FROM ${from} ${where}`).pluck().get(args) as number;
      const rows = ctx.sqlite
        .prepare(
          `SELECT l.id, l.month, l.kind, l.corrects_line_id, l.child_id, l.placement_id, l.household_id, l.unit_id, l.school_form, l.recipient_id, l.share_bp, l.amount, l.explanation,
             (SELECT ${NAME} FROM person pe WHERE pe.id = l.child_id) AS child_name,
             (SELECT ${NAME} FROM person pe WHERE pe.id = l.recipient_id) AS recipient_name,
             (SELECT name FROM org_unit u WHERE u.id = l.unit_id) AS unit_name
           FROM ${from} ${where} ORDER BY ${locked ? 'l.rowid' : 'l.n'} LIMIT @limit OFFSET @offset`,
        )
        .all(args) as {
        id: string; month: string; kind: 'charge' | 'correction'; corrects_line_id: string | null; child_id: string; placement_id: string; household_id: string; unit_id: string;
        school_form: string; recipient_id: string | null; share_bp: number; amount: number; explanation: string | null; child_name: string | null; recipient_name: string | null; unit_name: string | null;
      }[];
      const explained = explainPreviewLines(ctx, p, rows);
      const persons = new Set<string>();
      for (const r of rows) {
        persons.add(r.child_id);
        if (r.recipient_id) persons.add(r.recipient_id);
      }
      audit.persons([...persons]).detail('run', i.id).detail('lines', rows.length);
      return {
        items: rows.map((r) => ({
          id: r.id,
          month: r.month,
          kind: r.kind,
          correctsLineId: r.corrects_line_id,
          childId: r.child_id,
          childName: r.child_name ?? '',
          placementId: r.placement_id,
          householdId: r.household_id,
          unitId: r.unit_id,
          unitName: r.unit_name ?? '',
          schoolForm: r.school_form,
          recipientId: r.recipient_id,
          recipientName: r.recipient_name,
          shareBp: r.share_bp,
          amount: r.amount,
          ...explained(r),
        })),
        total,
      };
    },

    'fee.runWarnings': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fee runs');
      previewRow(ctx, i.id);
      const where = `w.preview_id = @id ${i.code ? 'AND w.code = @code' : ''}`;
      const args = { id: i.id, code: i.code ?? null, limit: i.limit, offset: i.offset };
      const total = ctx.sqlite.prepare(`SELECT count(*) FROM fee_preview_warning w WHERE ${where}`).pluck().get(args) as number;
      const rows = ctx.sqlite
        .prepare(
          `SELECT w.code, w.month, w.child_id, w.household_id, w.person_id,
             (SELECT ${NAME} FROM person pe WHERE pe.id = w.child_id) AS child_name,
             (SELECT ${NAME} FROM person pe WHERE pe.id = w.person_id) AS person_name
           FROM fee_preview_warning w WHERE ${where} ORDER BY w.rowid LIMIT @limit OFFSET @offset`,
        )
        .all(args) as { code: MethodOutput<'fee.runWarnings'>['items'][number]['code']; month: string; child_id: string | null; household_id: string | null; person_id: string | null; child_name: string | null; person_name: string | null }[];
      const persons = new Set<string>();
      for (const r of rows) for (const x of [r.child_id, r.person_id]) if (x) persons.add(x);
      for (const r of rows) if (r.household_id && !r.child_id && !r.person_id) for (const x of personsOfHousehold(ctx, r.household_id)) persons.add(x);
      audit.persons([...persons]).detail('run', i.id).detail('warnings', rows.length);
      return {
        items: rows.map((r) => ({ code: r.code, month: r.month, childId: r.child_id, childName: r.child_name, householdId: r.household_id, personId: r.person_id, personName: r.person_name })),
        total,
      };
    },

    'fee.runLock': async (i, call) => {
      requireMunicipalityWide(call.actor, 'fee.write', 'Locking a fee run');
      const p = effectiveRun(ctx, previewRow(ctx, i.id));
      if (p.state !== 'ready') throw ruleViolation('fee_run_state', `fee_run_state: this run is ${p.run_state ?? p.state}; only a ready preview can be locked`, 'id');
      requireNoLockedRegular(ctx, p.month, p.kind);
      call.audit.detail('run', i.id);
      const { jobId } = await call.services.jobs.start(call, 'fee.lock', { runId: i.id }, (job) => {
        ctx.sqlite.prepare(`UPDATE fee_preview SET state = 'locking', lock_job_id = ?, error = NULL WHERE id = ?`).run(job, i.id);
      });
      return { jobId };
    },

    'fee.runPost': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'fee.write', 'Posting a fee run');
      const p = previewRow(ctx, i.id);
      const run = ctx.sqlite.prepare('SELECT state FROM fee_run WHERE id = ?').pluck().get(i.id) as string | undefined;
      if (run !== 'locked') throw ruleViolation('fee_run_state', `fee_run_state: only a locked run can be posted (this one is ${run ?? p.state})`, 'id');
      updateRecord(writer(ctx, actor, mutationId), 'fee_run', i.id, { state: 'posted', posted_at: ctx.clock.now(), posted_by: actor.id });
      audit.detail('run', i.id).detail('month', p.month);
      return runView(ctx, previewRow(ctx, i.id));
    },

    'fee.runExport': async (i, { actor, audit, services }) => {
      requireMunicipalityWide(actor, 'fee.write', 'Exporting a fee run');
      const g = gatherExport(ctx, actor, i.id);
      const f = writeExport(ctx, g, i.format, i.layout);
      audit.persons(g.persons).detail('run', i.id).detail('export', i.format).detail('documents', f.documents).detail('withheld', g.withheld);
      const file = await services.files.writeExport(actor.id, f.name, f.mime, typeof f.data === 'string' ? f.data : new Uint8Array(f.data));
      return { file, lines: g.input.lines.length, total: g.input.run.total, documents: f.documents, skipped: f.skipped, withheld: g.withheld };
    },

    'fee.runDiscard': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.write', 'Discarding a fee run');
      const p = effectiveRun(ctx, previewRow(ctx, i.id));
      if (p.state !== 'ready' && p.state !== 'failed') throw ruleViolation('fee_run_state', `fee_run_state: this run is ${p.run_state ?? p.state}; only a preview can be discarded`, 'id');
      ctx.sqlite.prepare(`UPDATE fee_preview SET state = 'discarded' WHERE id = ?`).run(i.id);
      ctx.sqlite.prepare('DELETE FROM fee_preview_line WHERE preview_id = ?').run(i.id);
      ctx.sqlite.prepare('DELETE FROM fee_preview_warning WHERE preview_id = ?').run(i.id);
      audit.detail('run', i.id).detail('discarded', true);
      return runView(ctx, previewRow(ctx, i.id));
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

    'fee.sharedSplitGet': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Fees');
      const rows = childMemberships(ctx, i.childId);
      audit.persons([i.childId]).detail('households', rows.length);
      return { childId: i.childId, shares: rows.map((r) => ({ householdId: r.household_id, memberId: r.id, feeShareBp: r.fee_share_bp, version: r.version })) };
    },

    'fee.sharedSplit': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'fee.write', 'A shared-residence split');
      const rows = childMemberships(ctx, i.childId);
      const current = new Set(rows.map((r) => r.household_id));
      if (current.size < 2) throw ruleViolation('fee_split_not_shared', 'fee_split_not_shared: the child lives in one household; a split is for a child in shared residence', 'childId');
      const named = new Set<string>();
      i.shares.forEach((s, n) => {
        if (named.has(s.householdId)) throw new DomainError('validation', 'Each household once', `shares.${n}.householdId`);
        named.add(s.householdId);
        if (!current.has(s.householdId)) throw ruleViolation('fee_split_household', 'fee_split_household: the child does not live in this household now', `shares.${n}.householdId`);
      });
      const missing = [...current].filter((h) => !named.has(h));
      if (missing.length) throw ruleViolation('fee_split_incomplete', `fee_split_incomplete: every household the child lives in needs its part (${missing.length} missing)`, 'shares', { missing: missing.length });
      const total = i.shares.reduce((a, s) => a + s.feeShareBp, 0);
      if (total !== 10_000) throw ruleViolation('fee_split_total', `fee_split_total: the parts add up to ${total / 100} %, not 100 %`, 'shares', { total });
      const w = writer(ctx, actor, mutationId);
      const bpOf = new Map(i.shares.map((s) => [s.householdId, s.feeShareBp]));
      for (const r of rows) updateRecord(w, 'household_member', r.id, { fee_share_bp: bpOf.get(r.household_id)! });
      const persons = new Set([i.childId, ...[...current].flatMap((h) => personsOfHousehold(ctx, h))]);
      audit.persons([...persons]).detail('households', current.size);
      const after = childMemberships(ctx, i.childId);
      return { childId: i.childId, shares: after.map((r) => ({ householdId: r.household_id, memberId: r.id, feeShareBp: r.fee_share_bp, version: r.version })) };
    },

    'income.checks': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'fee.read', 'Income checks');
      requireHousehold(ctx, i.householdId, 'householdId');
      audit.persons(personsOfHousehold(ctx, i.householdId)).detail('household', i.householdId);
      return { items: checksOf(ctx, i.householdId) };
    },

    'income.check': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'fee.write', 'An income check');
      requireHousehold(ctx, i.householdId, 'householdId');
      const r = recordCheck(ctx, actor, mutationId ?? undefined, i);
      // The amounts stay out of the audit log, as with every income; the outcome says what the check did.
      audit.persons(personsOfHousehold(ctx, i.householdId)).detail('household', i.householdId).detail('year', i.year).detail('outcome', r.outcome);
      return r;
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
