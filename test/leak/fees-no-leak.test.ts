/**
 * Leak test of the Norwegian fee paths (foreldrebetaling for barnehage and SFO/AKS) for protected identities
 * (strengt fortrolig adresse / fortrolig adresse).
 *
 * A Norwegian register is seeded and every address field and contact value of every shielded person is
 * replaced with a unique marker (world.ts). Then the fee administrator does a month's work through
 * `core.connect()` — the path a transport uses — aimed at the shielded children with a barnehage or SFO
 * place and their households: declares incomes, records the Norwegian reductions (the national rule, an
 * illness with a note, a special-needs place), asks for the explanations, computes the month's preview (a
 * job), reads every page of its lines and warnings, locks it (a job), exports it for finance (CSV, UBL in a
 * ZIP, the payment basis: the files are read back and scanned like answers), posts it, ends and removes
 * reductions. No answer, job view, event or exported file may contain a marker. Every other demo account
 * asks the same read methods about the same children: refused, or no marker.
 * Afterwards no row of any table other than the address and contact tables (the audit log and the change
 * log included) and no file of the data folder other than the database (the logs) may contain a marker,
 * and the reduction methods' audit entries name the reduction and its dates but never its kind or note (an
 * illness is health data).
 *
 * The test asserts positively as well, so it cannot pass by having nothing to look at: the shielded
 * children have lines, their reductions reached the lines' explanations, their protected recipients are
 * warnings naming the person (never an address), the run is in NOK, and the export withheld the
 * protected recipients' addresses while it printed an unshielded recipient's (the scan reads addresses).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type MethodName, type MethodOutput } from '../../shared/api/contract';
import { isNoExplanation } from '../../shared/api/fees';
import type { CallResult } from '../../shared/api/transport';
import type { Connection } from '../../core/app';
import { DEMO_PASSWORD } from '../../core/access/auth';
import { base32Decode, totpAt } from '../../core/access/totp';
import { DEMO_ACCOUNTS } from '../../core/demo/accounts';
import { flushPendingAudit } from '../../core/audit/sink';
import { addDays } from '../../core/dates';
import { makeTestCore, TEST_TODAY, type TestCore } from '../util/core';
import { MARKER_RE, plantMarkers, type World } from './world';
import { dumpTable as dumpRows, filesUnder, isDatabaseFile, NEEDLES, unzipText } from './scan';

/**
 * Seed 6: 24 protected persons in 400, seven of them children with a fee-bearing place in December 2026
 * (four SFO pupils in grades 1 and 3, three in barnehage), their places held by eight protected guardians
 * with an invoice share.
 */
const SEED = Number(process.env.FEE_LEAK_SEED ?? 6);
/** The month after TEST_TODAY (2026-12): the next invoice run, as a fee administrator would compute it. */
const MONTH = addDays(`${TEST_TODAY.slice(0, 7)}-01`, 31).slice(0, 7);
const FIRST = `${MONTH}-01`;
const LAST = `${MONTH}-31`;
/** An illness note such as a fee administrator types: health data that must stay in the record. */
const NOTE = 'Leak test: hospitalised with pneumonia, doctor note 2026-11-20';
const PW_A = 'lantern orbit quiet 7731 moss';
const PW_B = 'harbour violet tram 4408 fern';

let core: TestCore;
let world: World;

/** The shielded children with an accepted barnehage or SFO place overlapping the month. */
interface FeeChild {
  childId: string;
  placementId: string;
  form: 'BHG' | 'SFO';
  grade: number | null;
  households: string[];
}
let feeChildren: FeeChild[] = [];
/** Shielded guardians who hold a fee child's place with an invoice share (the invoice recipients). */
let shieldedRecipients: string[] = [];

// ---------------------------------------------------------------------------------------------------------
// Calls: every answer, job view and event is scanned for markers
// ---------------------------------------------------------------------------------------------------------

interface Sess {
  username: string;
  password: string;
  conn: Connection;
  totpKey?: Buffer;
}

interface Leak {
  where: string;
  detail: string;
  markers: string[];
}

const leaks: Leak[] = [];
const outcomes = new Map<string, Map<string, number>>();
let calls = 0;
let bytesScanned = 0;
let eventsSeen = 0;
/** Exported files read back, by file id (each is read once; its text is what finance gets). */
const exported = new Map<string, string>();
let exportedBytes = 0;
let shieldedLines = 0;

const found = (text: string): string[] => [...new Set(text.match(MARKER_RE) ?? [])];

/**
 * A file the core hands out by id hides its text from a scan of the JSON answer: it is read from the core's
 * file store, a CSV as text and the UBL ZIP with every entry inflated (as in leak.test.ts's exportedText).
 */
function exportedText(data: unknown): string {
  const file = data && typeof data === 'object' && 'file' in data ? (data.file as { fileId?: unknown; mime?: unknown } | null) : null;
  if (!file || typeof file.fileId !== 'string') return '';
  const known = exported.get(file.fileId);
  if (known !== undefined) return known;
  const bytes = readFileSync(join(core.services.files.dir, `${file.fileId}.bin`));
  exportedBytes += bytes.length;
  const text = file.mime === 'application/zip' || (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) ? unzipText(bytes) : bytes.toString('utf8');
  exported.set(file.fileId, text);
  return text;
}

function record(s: Sess, method: MethodName, input: unknown, r: CallResult, extra = ''): CallResult {
  const file = r.ok ? exportedText(r.data) : '';
  const text = JSON.stringify(r) + extra + file;
  calls++;
  bytesScanned += text.length;
  let o = outcomes.get(s.username);
  if (!o) outcomes.set(s.username, (o = new Map()));
  const key = `${method} ${r.ok ? 'ok' : r.error.code}`;
  o.set(key, (o.get(key) ?? 0) + 1);
  const hits = found(text);
  if (hits.length) leaks.push({ where: `${method} as ${s.username}`, detail: `input ${JSON.stringify(input).slice(0, 160)}`, markers: hits.slice(0, 6) });
  return r;
}

/** Through the async dispatch, the path every transport takes; a job is followed to its end and its view scanned with the answer. */
async function callAny(s: Sess, method: MethodName, input: unknown): Promise<CallResult> {
  const r = await s.conn.callAsync(method, input);
  let extra = '';
  if (r.ok && contract[method].run === 'job') {
    const job = await core.services.jobs.wait((r.data as { jobId: string }).jobId);
    extra = JSON.stringify(job);
    if (job.state !== 'succeeded') throw new Error(`${method} as ${s.username}: the job ${job.state}: ${JSON.stringify(job.error)}`);
  }
  return record(s, method, input, r, extra);
}

function data<M extends MethodName>(_m: M, r: CallResult): MethodOutput<M> {
  if (!r.ok) throw new Error(`${_m}: ${JSON.stringify(r.error)}`);
  return r.data as MethodOutput<M>;
}

const stateOf = (r: CallResult) => (r.ok ? (r.data as { state: string }).state : `error:${r.error.code}`);

/** Signs in through a fresh connection, taking whatever steps the account's state asks for (TOTP enrolment, a new password). */
function signIn(username: string): Sess {
  const s: Sess = { username, password: DEMO_PASSWORD, conn: core.connect(`fee-leak-${username}`) };
  // Every event the core sends this session (job progress of the run and the lock) is scanned like an answer.
  s.conn.onEvent((e) => {
    const text = JSON.stringify(e);
    eventsSeen++;
    bytesScanned += text.length;
    const hits = found(text);
    if (hits.length) leaks.push({ where: `event to ${username}`, detail: text.slice(0, 160), markers: hits.slice(0, 6) });
  });
  const call = (method: MethodName, input: unknown) => record(s, method, input, s.conn.call(method, input));
  let state = stateOf(call('auth.signIn', { username, password: s.password }));
  for (let guard = 0; state !== 'signed_in' && guard < 4; guard++) {
    if (state === 'enrol_totp') {
      const { secret } = data('auth.totpBegin', call('auth.totpBegin', {}));
      s.totpKey = base32Decode(secret);
      state = stateOf(call('auth.totpConfirm', { code: totpAt(s.totpKey, Date.now()) }));
    } else if (state === 'totp') {
      if (!s.totpKey) throw new Error(`${username}: TOTP asked but no key known`);
      state = stateOf(call('auth.verifyTotp', { code: totpAt(s.totpKey, Date.now() + 30_000) }));
    } else if (state === 'change_password') {
      const next = s.password === PW_A ? PW_B : PW_A;
      state = stateOf(call('auth.changePassword', { currentPassword: s.password, newPassword: next }));
      s.password = next;
    } else break;
  }
  if (state !== 'signed_in') throw new Error(`${username} could not sign in: ${state}`);
  return s;
}

/** Every page of a paged fee view (FEE_PAGE_MAX 500). */
async function allPages<M extends 'fee.runLines' | 'fee.runWarnings'>(s: Sess, method: M, input: Record<string, unknown>): Promise<MethodOutput<M>['items']> {
  const items: unknown[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = data(method, await callAny(s, method, { ...input, offset, limit: 500 }));
    items.push(...page.items);
    if (offset + 500 >= page.total) return items as MethodOutput<M>['items'];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Scans outside the answers
// ---------------------------------------------------------------------------------------------------------

const dumpTable = (table: string): string => dumpRows(core.db.sqlite, table);

// ---------------------------------------------------------------------------------------------------------

/** What the fee administrator's work produced, for the assertions after it. */
interface Work {
  runId: string;
  lines: MethodOutput<'fee.runLines'>['items'];
  warnings: MethodOutput<'fee.runWarnings'>['items'];
  reductions: { id: string; childId: string; kind: 'national_rule' | 'illness' | 'special_needs' }[];
  households: string[];
  exports: Record<'csv' | 'ubl' | 'payment', { text: string; answer: MethodOutput<'fee.runExport'> }>;
  runState: string;
}
let work: Work | null = null;

const q = <T>(sql: string, ...args: unknown[]) => core.db.sqlite.prepare(sql).all(...args) as T[];

beforeAll(() => {
  core = makeTestCore({ persons: 400, country: 'NO', seed: SEED });
  // The Swedish link reshaping is not needed: the fee paths read the stored flag (person.shielded) and the
  // guardianship's own shielding, both as the generator made them.
  world = plantMarkers(core, { mustBeShielded: [], mustNotBeShielded: [], kid: '' });
  const shielded = JSON.stringify(world.shielded);
  const places = q<{ child_id: string; id: string; school_form: 'BHG' | 'SFO' }>(
    `SELECT pl.child_id, pl.id, pl.school_form FROM placement pl
     WHERE pl.state = 'accepted' AND pl.school_form IN ('BHG', 'SFO') AND pl.deleted_at IS NULL AND pl.valid_from <= ? AND (pl.valid_to IS NULL OR pl.valid_to >= ?)
       AND pl.child_id IN (SELECT value FROM json_each(?)) ORDER BY pl.school_form DESC, pl.child_id, pl.id`,
    LAST,
    FIRST,
    shielded,
  );
  feeChildren = places.map((p) => ({
    childId: p.child_id,
    placementId: p.id,
    form: p.school_form,
    grade:
      (core.db.sqlite
        .prepare(`SELECT grade FROM enrolment WHERE pupil_id = ? AND deleted_at IS NULL AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from DESC LIMIT 1`)
        .pluck()
        .get(p.child_id, LAST, FIRST) as number | undefined) ?? null,
    households: core.db.sqlite
      .prepare(
        `SELECT DISTINCT household_id FROM household_member WHERE person_id = ? AND role = 'child' AND deleted_at IS NULL AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY household_id`,
      )
      .pluck()
      .all(p.child_id, LAST, FIRST) as string[],
  }));
  shieldedRecipients = q<{ guardian_id: string }>(
    `SELECT DISTINCT po.guardian_id FROM placement_owner po
     JOIN placement pl ON pl.id = po.placement_id
     JOIN guardianship g ON g.child_id = pl.child_id AND g.guardian_id = po.guardian_id AND g.deleted_at IS NULL AND g.valid_from <= ? AND (g.valid_to IS NULL OR g.valid_to >= ?)
     WHERE po.placement_id IN (SELECT value FROM json_each(?)) AND g.invoice_share > 0 AND g.shielded = 0
       AND po.guardian_id IN (SELECT value FROM json_each(?)) ORDER BY po.guardian_id`,
    LAST,
    FIRST,
    JSON.stringify(feeChildren.map((c) => c.placementId)),
    shielded,
  ).map((r) => r.guardian_id);
});

afterAll(() => {
  const per = [...outcomes.entries()].map(([u, o]) => `  ${u.padEnd(10)} ${[...o.entries()].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  console.log(
    `[fee-leak] seed ${SEED}, month ${MONTH}: ${world?.protectedIds.length ?? 0} protected, ${world?.shielded.length ?? 0} shielded, ` +
      `${feeChildren.length} shielded children with a fee-bearing place, ${shieldedRecipients.length} shielded recipients\n` +
      `  ${calls} calls, ${eventsSeen} events, ${(bytesScanned / 1024).toFixed(0)} KiB scanned (answers, jobs, events, files, tables); ` +
      `${exported.size} exported files read (${(exportedBytes / 1024).toFixed(1)} KiB); ${shieldedLines} run lines of shielded children; ${leaks.length} leaking answers\n${per.join('\n')}`,
  );
  core?.dispose();
});

describe('the Norwegian fee paths leak no protected address or contact', () => {
  it('has something to protect: protected persons, shielded children with a barnehage or SFO place in the month, a shielded invoice recipient', () => {
    expect(core.db.sqlite.prepare('SELECT country FROM municipality').pluck().get()).toBe('NO');
    expect(world.protectedIds.length).toBeGreaterThanOrEqual(3);
    // At least two shielded children are charged this month, in a barnehage or an SFO, so the lines, the
    // explanations and the export are about them.
    expect(new Set(feeChildren.map((c) => c.childId)).size).toBeGreaterThanOrEqual(2);
    for (const c of feeChildren) expect(c.households.length, `child ${c.childId} lives in a household`).toBeGreaterThan(0);
    // A shielded guardian holds a place with an invoice share: the run makes them a recipient, so the
    // recipient path (warnings, the export's address lookup) meets a marked address.
    expect(shieldedRecipients.length).toBeGreaterThanOrEqual(1);
    // An SFO pupil in grades 1–4 (the national rule's grades) and two barnehage children: the seed was
    // picked for them, so each kind of reduction meets a child it applies to.
    expect(feeChildren.some((c) => c.form === 'SFO' && c.grade !== null && c.grade >= 1 && c.grade <= 4)).toBe(true);
    expect(feeChildren.filter((c) => c.form === 'BHG').length).toBeGreaterThanOrEqual(2);
    // The markers are really there: each shielded recipient has a marked registered or postal address in
    // force today, the one the export would print if it did not withhold it.
    for (const id of shieldedRecipients) {
      const street = core.db.sqlite
        .prepare(`SELECT street FROM person_address WHERE person_id = ? AND kind IN ('postal', 'registered') AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) LIMIT 1`)
        .pluck()
        .get(id, TEST_TODAY, TEST_TODAY) as string | undefined;
      expect(street, `recipient ${id} has a marked address`).toMatch(MARKER_RE);
    }
    expect(world.markers.size).toBe(world.shielded.length);
  });

  it('the fee administrator works the month for the shielded children (incomes, reductions, explanations, preview, lock, exports, post) and no answer carries a marker', async () => {
    const fee = signIn('fee');
    const s = core.db.sqlite;
    const households = [...new Set(feeChildren.flatMap((c) => c.households))];
    const sfo = feeChildren.find((c) => c.form === 'SFO' && c.grade !== null && c.grade >= 1 && c.grade <= 4);
    const bhg = feeChildren.filter((c) => c.form === 'BHG');
    // Incomes: a low one for the SFO pupil's household (the national rule applies below its income limit),
    // an ordinary one for the others, "not declared" for one.
    for (const [i, householdId] of households.entries()) {
      const low = sfo?.households.includes(householdId);
      const input =
        i === households.length - 1 && !low
          ? { householdId, validFrom: `${TEST_TODAY.slice(0, 7)}-01`, monthlyIncome: null, source: 'not_declared', note: 'Leak test: no declaration received' }
          : { householdId, validFrom: `${TEST_TODAY.slice(0, 7)}-01`, monthlyIncome: low ? 2_000_000 : 5_500_000, source: 'declared' };
      data('income.declare', await callAny(fee, 'income.declare', input));
    }
    // A yearly income check of last year for the first household (it answers with the months declared).
    await callAny(fee, 'income.check', { householdId: households[0]!, year: Number(TEST_TODAY.slice(0, 4)) - 1, taxedIncome: 60_000_000, note: 'Leak test' });
    for (const householdId of households) {
      data('income.list', await callAny(fee, 'income.list', { householdId }));
      await callAny(fee, 'income.checks', { householdId });
    }

    // Reductions (Norwegian only): the national rule for an SFO pupil in grades 1–4, a documented illness
    // covering the month with a note, a free special-needs place in barnehage.
    const reductions: Work['reductions'] = [];
    const add = async (childId: string, kind: Work['reductions'][number]['kind'], input: Record<string, unknown>) => {
      const r = data('fee.reductionAdd', await callAny(fee, 'fee.reductionAdd', { childId, kind, ...input }));
      reductions.push({ id: r.id, childId, kind });
    };
    if (sfo) await add(sfo.childId, 'national_rule', { validFrom: '2026-08-01' });
    const ill = bhg[0] ?? feeChildren.find((c) => c !== sfo)!;
    await add(ill.childId, 'illness', { validFrom: addDays(FIRST, -10), validTo: addDays(FIRST, 30), note: NOTE });
    const special = bhg[1] ?? feeChildren.find((c) => c !== sfo && c !== ill);
    if (special) await add(special.childId, 'special_needs', { validFrom: FIRST, note: NOTE });
    for (const c of feeChildren) {
      const list = data('fee.reductions', await callAny(fee, 'fee.reductions', { childId: c.childId }));
      expect(list.items.map((x) => x.id).sort()).toEqual(reductions.filter((x) => x.childId === c.childId).map((x) => x.id).sort());
      await callAny(fee, 'fee.sharedSplitGet', { childId: c.childId });
      // The month's explanation: names the household's adults and children by id, never an address.
      const ex = data('fee.explain', await callAny(fee, 'fee.explain', { personId: c.childId, month: MONTH }));
      expect(ex.lines.length, `fee.explain has a line for ${c.childId}`).toBeGreaterThan(0);
      // The current month too (the run's corrections look back to months already invoiced).
      await callAny(fee, 'fee.explain', { personId: c.childId, month: TEST_TODAY.slice(0, 7) });
    }

    // The preview (a job, followed to its end), every page of its lines and warnings, one child's lines.
    const started = data('fee.runStart', await callAny(fee, 'fee.runStart', { month: MONTH }));
    const runId = started.runId;
    expect(data('fee.runGet', await callAny(fee, 'fee.runGet', { id: runId })).state).toBe('ready');
    const preview = await allPages(fee, 'fee.runLines', { id: runId });
    const warnings = await allPages(fee, 'fee.runWarnings', { id: runId });
    for (const c of feeChildren) await callAny(fee, 'fee.runLines', { id: runId, childId: c.childId, limit: 500 });
    for (const h of households) await callAny(fee, 'fee.runLines', { id: runId, householdId: h, limit: 500 });
    await callAny(fee, 'fee.runWarnings', { id: runId, code: 'protected_recipient', limit: 500 });
    await callAny(fee, 'fee.runList', { limit: 100 });

    // The lock (a job: recomputes and writes the run), the locked run's lines, the three exports, posting.
    await callAny(fee, 'fee.runLock', { id: runId });
    const locked = data('fee.runGet', await callAny(fee, 'fee.runGet', { id: runId }));
    expect(locked.state).toBe('locked');
    const lines = await allPages(fee, 'fee.runLines', { id: runId });
    expect(lines.length).toBe(preview.length);
    await allPages(fee, 'fee.runWarnings', { id: runId });
    const exports = {} as Work['exports'];
    for (const format of ['csv', 'ubl', 'payment'] as const) {
      const r = await callAny(fee, 'fee.runExport', { id: runId, format });
      exports[format] = { answer: data('fee.runExport', r), text: exportedText(r.ok ? r.data : null) };
    }
    await callAny(fee, 'fee.runExport', { id: runId, format: 'csv', layout: 'generic' });
    const posted = data('fee.runPost', await callAny(fee, 'fee.runPost', { id: runId }));
    expect(posted.state).toBe('posted');
    await callAny(fee, 'fee.runList', { limit: 100 });

    // After the run: one reduction's end moved, one added by mistake and removed, and the lists again.
    const last = reductions.find((r) => r.kind === 'special_needs') ?? reductions[0]!;
    const v = (id: string) => s.prepare('SELECT version FROM fee_reduction WHERE id = ?').pluck().get(id) as number;
    data('fee.reductionEnd', await callAny(fee, 'fee.reductionEnd', { id: last.id, version: v(last.id), validTo: addDays(FIRST, 120) }));
    const mistake = data(
      'fee.reductionAdd',
      await callAny(fee, 'fee.reductionAdd', { childId: feeChildren[feeChildren.length - 1]!.childId, kind: 'illness', validFrom: '2027-02-01', validTo: '2027-03-15', note: NOTE }),
    );
    data('fee.reductionRemove', await callAny(fee, 'fee.reductionRemove', { id: mistake.id, version: mistake.version }));
    for (const c of feeChildren) await callAny(fee, 'fee.reductions', { childId: c.childId });

    work = { runId, lines, warnings, reductions, households, exports, runState: posted.state };
    expect(leaks, 'markers in the fee administrator’s answers, jobs, events and exported files').toEqual([]);
    expect(eventsSeen, 'the run and lock jobs sent progress events, and they were scanned').toBeGreaterThan(0);
  });

  it('the run is about the shielded children: their lines, their reductions in the explanations, NOK', () => {
    const w = work!;
    expect(w, 'the fee administrator’s work ran').not.toBeNull();
    const mine = w.lines.filter((l) => feeChildren.some((c) => c.childId === l.childId));
    shieldedLines = mine.length;
    // Every shielded child with a place in the month has a line (a free special-needs month included).
    for (const c of feeChildren) expect(mine.some((l) => l.childId === c.childId && l.placementId === c.placementId), `a line for ${c.form} child ${c.childId}`).toBe(true);
    for (const l of mine) {
      expect(l.explanation && isNoExplanation(l.explanation), `line ${l.id} is explained by the Norwegian rules`).toBe(true);
      expect(['BHG', 'SFO']).toContain(l.schoolForm);
    }
    // The reductions reached the lines: each one is in its child's explanation for the month.
    for (const r of w.reductions) {
      const line = mine.find((l) => l.childId === r.childId)!;
      const e = line.explanation!;
      expect(isNoExplanation(e) && e.reductions.map((x) => x.id), `reduction ${r.kind} in the explanation`).toContain(r.id);
      if (r.kind === 'illness' && isNoExplanation(e)) expect(e.days.illness).toBeGreaterThan(0);
      if (r.kind === 'special_needs' && isNoExplanation(e)) expect(e.steps.map((x) => x.rule)).toContain('special_needs');
      if (r.kind === 'national_rule' && isNoExplanation(e)) expect(e.steps.map((x) => x.rule)).toContain('national_cap');
    }
    // NOK: the run's currency, and the UBL documents' and the payment basis' currency.
    expect(core.db.sqlite.prepare('SELECT currency FROM fee_run WHERE id = ?').pluck().get(w.runId)).toBe('NOK');
    expect(w.exports.ubl.text).toContain('<cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>');
    expect(w.exports.ubl.text).not.toMatch(/currencyID="SEK"|>SEK</);
    // The payment basis has no currency column: NOK chooses its Norwegian headings (amounts in øre and kroner).
    expect(w.exports.payment.text).toContain('Beløp (øre)');
    expect(w.exports.ubl.answer.documents).toBeGreaterThan(0);
    for (const f of ['csv', 'ubl', 'payment'] as const) expect(w.exports[f].answer.lines, `${f} export has the run's lines`).toBe(w.lines.length);
  });

  it('a protected recipient is a warning that names the person, and the export withholds the address (no address of theirs, the flag instead)', () => {
    const w = work!;
    const recipients = [...new Set(w.lines.filter((l) => l.recipientId && world.shielded.includes(l.recipientId)).map((l) => l.recipientId!))];
    // The shielded guardians with an invoice share are recipients in the run.
    for (const id of shieldedRecipients) expect(recipients, `shielded guardian ${id} is a recipient`).toContain(id);
    const warned = w.warnings.filter((x) => x.code === 'protected_recipient');
    for (const id of recipients) {
      const hit = warned.find((x) => x.personId === id);
      expect(hit, `protected_recipient warning for ${id}`).toBeDefined();
      expect(hit!.personName, 'the warning names the recipient').toBeTruthy();
    }
    // The fee administrator may not see protected details: every shielded recipient's address is withheld.
    for (const f of ['csv', 'ubl', 'payment'] as const) expect(w.exports[f].answer.withheld, `${f}: addresses withheld`).toBeGreaterThanOrEqual(recipients.length);
    // The control: an unshielded recipient's address is printed in the UBL invoices, so the scan of the
    // inflated ZIP does read addresses (a marker would have been found the same way).
    const open = w.lines.find((l) => l.recipientId && !world.shielded.includes(l.recipientId));
    expect(open, 'the run has an unshielded recipient too').toBeDefined();
    const street = core.db.sqlite
      .prepare(
        `SELECT street FROM person_address WHERE person_id = ? AND kind IN ('postal', 'registered') AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
         ORDER BY CASE kind WHEN 'postal' THEN 0 ELSE 1 END, valid_from DESC LIMIT 1`,
      )
      .pluck()
      .get(open!.recipientId, TEST_TODAY, TEST_TODAY) as string;
    expect(street).toBeTruthy();
    expect(w.exports.ubl.text).toContain(street.replace(/&/g, '&amp;'));
  });

  it('every other account asking about the shielded children, their households and the run is refused or gets no marker; a clerk is refused fee data', async () => {
    const w = work!;
    const before = leaks.length;
    for (const a of DEMO_ACCOUNTS) {
      if (a.username === 'fee') continue;
      const s = signIn(a.username);
      const asked: CallResult[] = [];
      for (const c of feeChildren) {
        asked.push(await callAny(s, 'fee.explain', { personId: c.childId, month: MONTH }));
        asked.push(await callAny(s, 'fee.runLines', { id: w.runId, childId: c.childId, limit: 500 }));
        asked.push(await callAny(s, 'fee.reductions', { childId: c.childId }));
      }
      asked.push(await callAny(s, 'fee.runLines', { id: w.runId, limit: 500 }));
      asked.push(await callAny(s, 'fee.runWarnings', { id: w.runId, limit: 500 }));
      for (const householdId of w.households) asked.push(await callAny(s, 'income.list', { householdId }));
      // A write of health data by someone who may not: refused, and (below) its audit row holds no note either.
      asked.push(await callAny(s, 'fee.reductionAdd', { childId: feeChildren[0]!.childId, kind: 'illness', validFrom: FIRST, validTo: addDays(FIRST, 40), note: NOTE }));
      if (a.username === 'clerk') {
        // A clerk works with the register, not with fees: a refusal by permission, not an empty answer.
        const lines = await callAny(s, 'fee.runLines', { id: w.runId, limit: 500 });
        const red = await callAny(s, 'fee.reductions', { childId: feeChildren[0]!.childId });
        expect(lines.ok ? 'ok' : lines.error.code, 'clerk: fee.runLines').toBe('forbidden');
        expect(red.ok ? 'ok' : red.error.code, 'clerk: fee.reductions').toBe('forbidden');
      }
      // Fee data are the fee administrators' only: no other role reads a line, a reduction or an income.
      expect(asked.filter((r) => r.ok).length, `${a.username}: answered fee calls`).toBe(0);
      s.conn.call('auth.signOut', {});
    }
    expect(leaks.slice(before), 'markers in other accounts’ answers').toEqual([]);
  });

  it('no marker in any table but the address and contact tables (the audit log and the change log included)', () => {
    flushPendingAudit(core.db.sqlite);
    const tables = core.db.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
    for (const t of ['audit_log', 'change_log', 'fee_line', 'fee_preview_line', 'fee_preview_warning', 'fee_reduction', 'income_declaration']) expect(tables).toContain(t);
    const hits: string[] = [];
    for (const t of tables) {
      if (t === 'person_address' || t === 'person_contact') continue;
      const text = dumpTable(t);
      bytesScanned += text.length;
      const h = found(text);
      if (h.length) hits.push(`${t}: ${h.slice(0, 5).join(', ')}`);
    }
    // The tables were full: the run's lines and the audit of everything above are in them.
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM fee_line WHERE run_id = ?`).pluck().get(work!.runId)).toBeGreaterThan(0);
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE method LIKE 'fee.%' OR method LIKE 'income.%'`).pluck().get()).toBeGreaterThan(50);
    expect(hits).toEqual([]);
  });

  it('no marker in any file of the data folder except the database (logs, exports, the audit journal and anchor)', () => {
    const scanned: string[] = [];
    const hits: string[] = [];
    for (const f of filesUnder(core.dir)) {
      if (isDatabaseFile(f)) continue;
      const buf = readFileSync(f);
      bytesScanned += buf.length;
      scanned.push(`${relative(core.dir, f)} (${buf.length} B)`);
      // A ZIP (the UBL export) is inflated: the raw bytes would hide a marker.
      const texts = [buf, ...(buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50 ? [Buffer.from(unzipText(buf), 'utf8')] : [])];
      for (const b of texts) {
        for (const n of NEEDLES) {
          const at = b.indexOf(n);
          if (at >= 0) hits.push(`${relative(core.dir, f)} @${at}: ${b.subarray(Math.max(0, at - 40), at + 60).toString('utf8').replace(/\s+/g, ' ')}`);
        }
      }
    }
    console.log(`[fee-leak] files scanned in the data folder:\n  ${scanned.join('\n  ')}`);
    expect(scanned.some((f) => f.startsWith(join('logs', 'kansli.log'))), 'the log file exists and was scanned').toBe(true);
    expect(scanned.filter((f) => f.startsWith('files')).length, 'the exports are in the file store and were scanned').toBeGreaterThanOrEqual(4);
    expect(hits).toEqual([]);
  });

  it("the reduction methods' audit entries name the reduction and its dates, never its kind or note (an illness is health data)", () => {
    flushPendingAudit(core.db.sqlite);
    const rows = core.db.sqlite
      .prepare(`SELECT seq, method, outcome, actor_name, details, reason FROM audit_log WHERE method IN ('fee.reductionAdd', 'fee.reductionEnd', 'fee.reductionRemove') ORDER BY seq`)
      .all() as { seq: number; method: string; outcome: string; actor_name: string; details: string; reason: string | null }[];
    // The fee administrator's writes (three or four added, one end, one removal) and every other account's refused attempt.
    expect(rows.filter((r) => r.outcome === 'ok').length).toBe(work!.reductions.length + 3);
    expect(rows.filter((r) => r.outcome !== 'ok').length).toBe(DEMO_ACCOUNTS.length - 1);
    const ids = [...work!.reductions.map((r) => r.id)];
    const adds = rows.filter((r) => r.method === 'fee.reductionAdd' && r.outcome === 'ok');
    // Named: the reduction's id and its dates.
    for (const id of ids) expect(adds.some((r) => r.details.includes(id)), `the audit names reduction ${id}`).toBe(true);
    expect(adds.every((r) => r.details.includes('validFrom'))).toBe(true);
    const bad = rows
      .filter((r) => {
        const text = `${r.details} ${r.reason ?? ''}`;
        return /illness|national_rule|special_needs/i.test(text) || text.includes(NOTE) || text.includes('pneumonia');
      })
      .map((r) => `seq ${r.seq} ${r.method} (${r.outcome}) by ${r.actor_name}: ${r.details.slice(0, 300)}`);
    expect(bad).toEqual([]);
    // The control: the kind and the note are in the record itself (only fee administrators read it), so
    // their absence above is the audit's choice, not an empty write.
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM fee_reduction WHERE kind = 'illness' AND note = ?`).pluck().get(NOTE)).toBeGreaterThanOrEqual(2);
  });
});
