/**
 * A locked run's exports from a real core: the CSV, the UBL documents in their ZIP and the payment basis
 * reconcile with the run to the öre; every UBL document of the run is valid against the UBL 2.1 XSDs and
 * (a sample) against the EN 16931 rules; a protected recipient's address is withheld; only a locked run can
 * be exported, and only by a fee administrator.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { ublSchemaDir, validateEn16931 } from './export/schematron';
import { explanationSentence } from './export-run';
import { DEFAULT_FEE_SETTINGS, DEFAULT_SE_RULE_SETS } from './rules';

let core: TestCore;
let fee: Connection;
let runId: string;
let total: number;
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
type Export = MethodOutput<'fee.runExport'>;

beforeAll(async () => {
  core = makeTestCore({ persons: 800 });
  fee = core.connect('fees-export');
  data(fee.call('auth.signIn', { username: 'fee', password: DEMO_PASSWORD }));
  data(
    fee.call('fee.rulesUpdate', {
      version: data<{ version: string }>(fee.call('fee.rules', {})).version,
      se: DEFAULT_SE_RULE_SETS,
      settings: { ...DEFAULT_FEE_SETTINGS, invoicing: { street: 'Stadshusgatan 1', postalCode: '111 11', city: 'Demostad', paymentAccount: '5050-1055', iban: null, contactEmail: 'avgifter@demo.example' } },
    }),
  );
  const started = data<{ jobId: string; runId: string }>(await fee.callAsync('fee.runStart', { month: '2026-10' }));
  expect((await core.services.jobs.wait(started.jobId)).state).toBe('succeeded');
  runId = started.runId;
  const lock = data<{ jobId: string }>(await fee.callAsync('fee.runLock', { id: runId }));
  expect((await core.services.jobs.wait(lock.jobId)).state).toBe('succeeded');
  total = data<MethodOutput<'fee.runGet'>>(fee.call('fee.runGet', { id: runId })).total;
}, 120_000);
afterAll(() => core.close());

const fileOf = (e: Export) => readFileSync(join(core.services.files.dir, `${e.file.fileId}.bin`));

function unzip(bytes: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (let at = 0; bytes.readUInt32LE(at) === 0x04034b50; ) {
    const size = bytes.readUInt32LE(at + 18);
    const nameLen = bytes.readUInt16LE(at + 26);
    const start = at + 30 + nameLen + bytes.readUInt16LE(at + 28);
    out.set(bytes.subarray(at + 30, at + 30 + nameLen).toString('utf8'), inflateRawSync(bytes.subarray(start, start + size)).toString('utf8'));
    at = start + size;
  }
  return out;
}

/** The protected recipients of the run (shielded persons who receive an invoice). */
const shieldedRecipients = () =>
  core.db.sqlite.prepare(`SELECT DISTINCT l.recipient_id FROM fee_line l JOIN person p ON p.id = l.recipient_id WHERE l.run_id = ? AND p.shielded = 1`).pluck().all(runId) as string[];
/** The protected recipients' streets that no other recipient of the run lives on (synthetic streets repeat). */
const streetsOf = (ids: string[]) => {
  const others = new Set(
    core.db.sqlite
      .prepare(`SELECT a.street FROM person_address a WHERE a.person_id IN (SELECT recipient_id FROM fee_line WHERE run_id = ?) AND a.person_id NOT IN (SELECT value FROM json_each(?))`)
      .pluck()
      .all(runId, JSON.stringify(ids)) as string[],
  );
  const mine = ids.flatMap((id) => core.db.sqlite.prepare(`SELECT street FROM person_address WHERE person_id = ?`).pluck().all(id) as string[]).filter((x) => !others.has(x));
  expect(mine.length, 'the run has a protected recipient with an address of its own').toBeGreaterThan(0);
  return mine;
};

describe('exports of a locked fee run', () => {
  it('the CSV (both shipped layouts) sums to the run total to the öre; a protected recipient\'s address is withheld', async () => {
    const e = data<Export>(await fee.callAsync('fee.runExport', { id: runId, format: 'csv', layout: 'generic' }));
    expect(e.total).toBe(total);
    const rows = fileOf(e).toString('utf8').trim().split('\r\n');
    const head = rows[0]!.split(',');
    const amount = head.indexOf('amount');
    // The generic layout's amounts are whole öre; explanations may hold commas, so read the last-but-one cell from the end.
    const sum = rows.slice(1).reduce((a, r) => a + Number(r.match(/,(-?\d+),(?:"[^"]*(?:""[^"]*)*"|[^,]*)$/)![1]), 0);
    expect(amount).toBe(head.length - 2);
    expect(sum).toBe(total);
    expect(rows.length - 1).toBe(e.lines);
    const protectedOnes = shieldedRecipients();
    expect(e.withheld).toBe(protectedOnes.length);
    const text = fileOf(e).toString('utf8');
    for (const street of streetsOf(protectedOnes)) expect(text).not.toContain(street);
    const se = data<Export>(await fee.callAsync('fee.runExport', { id: runId, format: 'csv' }));
    expect(fileOf(se).toString('utf8')).toMatch(/^\uFEFFKundnummer|^\uFEFF/);
    expect(fileOf(se).toString('utf8')).toContain('Maxtaxa');
  });

  it('the UBL ZIP holds one valid document per recipient (XSD for all, EN 16931 for a sample); with the payment basis they reconcile', async () => {
    const e = data<Export>(await fee.callAsync('fee.runExport', { id: runId, format: 'ubl' }));
    expect(e.file.mime).toBe('application/zip');
    const docs = unzip(fileOf(e));
    expect(docs.size).toBe(e.documents);
    expect(docs.size).toBeGreaterThan(5);
    const dir = join(core.dir, 'ubl');
    mkdirSync(dir, { recursive: true });
    const files = [...docs].map(([name, xml]) => {
      const f = join(dir, name);
      writeFileSync(f, xml);
      return { f, xml };
    });
    const invoices = files.filter((x) => x.xml.includes('<Invoice '));
    execFileSync('xmllint', ['--noout', '--nonet', '--schema', join(ublSchemaDir(), 'xsdrt', 'maindoc', 'UBL-Invoice-2.1.xsd'), ...invoices.map((x) => x.f)], { stdio: ['ignore', 'ignore', 'pipe'] });
    for (const x of files.slice(0, 3)) expect((await validateEn16931(x.xml)).fatal).toEqual([]);
    // Signed document totals: invoices positive, credit notes negative.
    const payable = (xml: string) => {
      const m = xml.match(/<cbc:PayableAmount currencyID="SEK">([\d.]+)<\/cbc:PayableAmount>/)!;
      return Math.round(Number(m[1]) * 100) * (xml.includes('<CreditNote ') ? -1 : 1);
    };
    const docsTotal = files.reduce((a, x) => a + payable(x.xml), 0);
    const basis = data<Export>(await fee.callAsync('fee.runExport', { id: runId, format: 'payment' }));
    expect(basis.documents).toBe(e.documents);
    const basisText = fileOf(basis).toString('utf8');
    expect(basisText).toContain(String(total));
    // Documents plus what made no document (lines without a recipient) equal the run.
    const unbilled = core.db.sqlite.prepare('SELECT coalesce(sum(amount), 0) FROM fee_line WHERE run_id = ? AND recipient_id IS NULL').pluck().get(runId) as number;
    expect(docsTotal + unbilled).toBe(total);
    const all = [...docs.values()].join('\n');
    for (const street of streetsOf(shieldedRecipients())) expect(all).not.toContain(street);
  }, 180_000);

  it('only a locked run, and only a fee administrator', async () => {
    const started = data<{ jobId: string; runId: string }>(await fee.callAsync('fee.runStart', { month: '2026-11' }));
    await core.services.jobs.wait(started.jobId);
    expect(await fee.callAsync('fee.runExport', { id: started.runId, format: 'csv' })).toMatchObject({ ok: false, error: { rule: 'fee_run_state' } });
    expect(await fee.callAsync('fee.runExport', { id: runId, format: 'csv', layout: 'nope' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'layout' } });
    const clerk = core.connect('fees-export-clerk');
    data(clerk.call('auth.signIn', { username: 'clerk', password: DEMO_PASSWORD }));
    expect(await clerk.callAsync('fee.runExport', { id: runId, format: 'csv' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE method = 'fee.runExport' AND outcome = 'ok'`).pluck().get()).toBe(4);
  });

  it('a line explains itself in one sentence, corrections saying what they correct', () => {
    const l = core.db.sqlite.prepare('SELECT explanation FROM fee_line WHERE run_id = ? AND recipient_id IS NOT NULL LIMIT 1').pluck().get(runId) as string;
    const e = JSON.parse(l) as Parameters<typeof explanationSentence>[0];
    const sv = explanationSentence(e, 'sv');
    expect(sv).toMatch(/^Maxtaxa från 1 juli 2026 \(inkomstgolv 10 000 kr\) \(2026-07–\); inkomst ej anmäld \(maxavgift\); avgiftsgrund 51 560,00 kr; barn \d av \d, (förskola|fritidshem) \d %, tak [\d ]+,00 kr; 30 av 30 dagar/);
    const c = explanationSentence({ ...e, correction: { month: '2026-09', was: 154_700, now: 90_000, lines: ['x'] } }, 'sv');
    expect(c).toMatch(/^Rättelse av 2026-09: debiterat 1 547,00 kr, ska vara 900,00 kr\. Maxtaxa/);
    expect(explanationSentence(e, 'nb')).toMatch(/inntekt ikke oppgitt/);
  });
});
