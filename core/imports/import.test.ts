/**
 * Population-register imports through the real contract on a real SQLite file, with real worker threads:
 * the demo municipality's delta (moves, deaths, emigrations, a new protected identity, custody changes,
 * a name change, a replaced identity number, newborns) is read, reviewed, applied in one transaction, and
 * its consequences are confirmed on the work list. Sweden (Navet) and Norway (Folkeregisteret).
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import type { PopulationFiles } from '../demo/population-files';
import { nameTokensOf, searchTextOf, shortIdOf, sortKeyOf } from '../register/persons';
import Database from 'better-sqlite3';
import { isChildOn } from './apply';
import { dataDirOf } from './runs';
import { stagingPath } from './staging';
import { seedDemoPopulationFiles } from './demo';

type Run = MethodOutput<'import.get'>;

function data<T>(r: CallResult): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
}

function signIn(core: TestCore, username: string): Connection {
  const conn = core.connect(`import-test ${username}`);
  const r = conn.call('auth.signIn', { username, password: DEMO_PASSWORD });
  if (!r.ok || conn.session.state !== 'signed_in') throw new Error(`${username} cannot sign in`);
  return conn;
}

async function upload(core: TestCore, conn: Connection, path: string, kind: 'navet' | 'freg'): Promise<string> {
  const f = await core.services.files.receive({ kind, ownerId: conn.session.actor!.id, name: path.split('/').pop()!, source: createReadStream(path) });
  return f.id;
}

async function readFile(core: TestCore, conn: Connection, path: string, format: 'navet' | 'freg'): Promise<Run> {
  const fileId = await upload(core, conn, path, format);
  const started = data<{ jobId: string; runId: string }>(await conn.callAsync('import.start', { fileId, format }));
  const job = await core.services.jobs.wait(started.jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  return data<Run>(await conn.callAsync('import.get', { id: started.runId }));
}

async function apply(core: TestCore, conn: Connection, runId: string) {
  const r = data<{ jobId: string }>(await conn.callAsync('import.apply', { id: runId }));
  return core.services.jobs.wait(r.jobId);
}

const counts = (core: TestCore) =>
  core.db.sqlite
    .prepare(
      `SELECT (SELECT count(*) FROM person) AS persons, (SELECT count(*) FROM person_address) AS addresses, (SELECT count(*) FROM person_name) AS names,
              (SELECT count(*) FROM guardianship) AS guardianships, (SELECT count(*) FROM work_item) AS work, (SELECT count(*) FROM change_log) AS changes,
              (SELECT group_concat(status) FROM (SELECT status FROM person ORDER BY id)) AS statuses`,
    )
    .get();

describe('Sweden: a Navet delta', () => {
  let core: TestCore;
  let files: PopulationFiles;
  let registrar: Connection;
  let run: Run;
  beforeAll(async () => {
    core = makeTestCore({ persons: 3000 });
    files = await seedDemoPopulationFiles(core.db.sqlite, { dataDir: core.dir, today: TEST_TODAY });
    registrar = signIn(core, 'registrar');
    run = await readFile(core, registrar, files.delta, 'navet');
  }, 120_000);
  afterAll(() => core?.dispose());

  it('the dry run counts every kind of change the delta carries and changes nothing yet', () => {
    expect(run).toMatchObject({ state: 'ready', format: 'navet', kind: 'delta', blocked: null });
    const kinds = new Set(files.changes.map((c) => c.change));
    const expectKind: Record<string, string> = {
      move_out: 'moved_out',
      emigrated: 'emigrated',
      deceased: 'deceased',
      protection_added: 'protection_added',
      protection_lifted: 'protection_removed',
      custody_changed: 'custody',
      name_changed: 'name',
      number_replaced: 'identity',
      born: 'new_person',
      moved_in: 'new_person',
    };
    for (const k of kinds) if (expectKind[k]) expect(run.counts[expectKind[k]!], `${k} → ${expectKind[k]}`).toBeGreaterThan(0);
    // A replaced number is one identity change (the ceased number's record and its successor's describe one
    // person), and a renumbered guardian stays the children's custodian (no end-and-add of the same person).
    expect(run.counts.identity ?? 0).toBe(files.changes.filter((c) => c.change === 'number_replaced').length);
    expect(run.problems).toBe(0);
    expect(core.db.sqlite.prepare('SELECT count(*) FROM work_item').pluck().get()).toBe(0);
  });

  it('a reader without protected.reveal never sees a shielded person’s address in the dry run', async () => {
    const page = data<MethodOutput<'import.changes'>>(await registrar.callAsync('import.changes', { id: run.id, limit: 500 }));
    expect(page.total).toBe(Object.values(run.counts).reduce((a, b) => a + b, 0));
    const shieldedSensitive = page.items.filter((r) => r.person.protected && (r.kind === 'address' || r.kind === 'new_person'));
    for (const r of shieldedSensitive) expect(r).toMatchObject({ masked: true, before: null, after: null });
    const plain = page.items.find((r) => r.kind === 'address' && !r.person.protected);
    if (plain) expect(plain.after).not.toBeNull();
    // The protected-identity handler (a clerk with protected.reveal for the whole municipality) sees them.
    const handler = signIn(core, 'protected');
    const open = data<MethodOutput<'import.changes'>>(await handler.callAsync('import.changes', { id: run.id, limit: 500 }));
    for (const r of open.items) expect(r.masked).toBe(false);
    if (shieldedSensitive.length) expect(open.items.find((r) => r.seq === shieldedSensitive[0]!.seq)!.after).not.toBeNull();
    // A renumbered guardian is not ended and re-added as custodian of the same child.
    const custody = data<MethodOutput<'import.changes'>>(await registrar.callAsync('import.changes', { id: run.id, kind: 'custody', limit: 500 }));
    for (const c of custody.items) expect(c.before === null || c.after !== `− ${c.before}` || !custody.items.some((x) => x.person.id === c.person.id && x.after === `+ ${c.before}`)).toBe(true);
    // A fee administrator has no import permission at all.
    expect(await signIn(core, 'fee').callAsync('import.changes', { id: run.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // A unit clerk's grant does not open imports either.
    const unitClerk = signIn(core, 'clerk');
    expect(await unitClerk.callAsync('import.get', { id: run.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('applying makes every change in one transaction; history is kept; consequences land on the work list', async () => {
    const deceased = files.changes.find((c) => c.change === 'deceased')!;
    const moved = files.changes.find((c) => c.change === 'move_out')!;
    const renumbered = files.changes.find((c) => c.change === 'number_replaced');
    const born = files.changes.find((c) => c.change === 'born');
    // The custodies the dry run adds: each child (by id, or by number when new) and custodian (by number).
    const staged = new Database(stagingPath(dataDirOf(core.ctx), run.id), { readonly: true });
    const adds = staged
      .prepare(`SELECT person_id, identity, json_extract(payload, '$.guardian') AS guardian, json_extract(payload, '$.from') AS "from" FROM change WHERE kind = 'custody' AND json_extract(payload, '$.op') = 'add'`)
      .all() as { person_id: string | null; identity: string; guardian: string; from: string | null }[];
    staged.close();
    expect(adds.length).toBeGreaterThan(0);
    const job = await apply(core, registrar, run.id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ changes: Object.values(run.counts).reduce((a, b) => a + b, 0) });
    const person = (canonical: string) => core.db.sqlite.prepare('SELECT * FROM person WHERE id_canonical = ?').get(canonical) as Record<string, unknown> | undefined;
    expect(person(deceased.subject)).toMatchObject({ status: 'deceased' });
    expect(person(moved.subject)!.registered_municipality).not.toBe(core.db.sqlite.prepare('SELECT code FROM municipality').pluck().get());
    if (renumbered) {
      const p = person(renumbered.subject)!;
      expect(p).toBeDefined();
      expect(core.db.sqlite.prepare('SELECT canonical FROM person_identity WHERE person_id = ?').pluck().all(p.id)).toContain(renumbered.previous);
    }
    if (born) expect(person(born.subject)).toMatchObject({ register_source: 'navet', status: 'active' });
    // Every custody the file adds is a live link with its change record; the custodian is marked a guardian; a
    // child with a running place or enrolment has a work-list item about it.
    const careOn = core.db.sqlite.prepare(
      `SELECT EXISTS (SELECT 1 FROM placement WHERE child_id = @id AND deleted_at IS NULL AND state <> 'declined' AND (valid_to IS NULL OR valid_to >= @on))
           OR EXISTS (SELECT 1 FROM enrolment WHERE pupil_id = @id AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= @on))`,
    ).pluck();
    for (const a of adds) {
      const child = a.person_id ?? (person(a.identity)?.id as string | undefined);
      const guardian = person(a.guardian);
      if (!child || !guardian) continue; // A custodian the register does not know is not linked yet.
      const links = core.db.sqlite.prepare(`SELECT * FROM guardianship WHERE child_id = ? AND guardian_id = ? AND deleted_at IS NULL AND valid_to IS NULL`).all(child, guardian.id) as Record<string, unknown>[];
      expect(links, `custody ${a.guardian} of ${child}`).toHaveLength(1);
      expect(guardian.is_guardian).toBe(1);
      expect(core.db.sqlite.prepare(`SELECT op FROM change_log WHERE entity = 'guardianship' AND entity_id = ?`).pluck().all(links[0]!.id)).toContain('create');
      const items = core.db.sqlite.prepare(`SELECT event_date FROM work_item WHERE kind = 'custody' AND person_id = ? AND import_id = ? AND json_extract(detail, '$.change') = 'added'`).pluck().all(child, run.id);
      if (careOn.get({ id: child, on: TEST_TODAY })) expect(items).toContain(a.from);
      else expect(items).toEqual([]);
    }
    expect(data<Run>(await registrar.callAsync('import.get', { id: run.id }))).toMatchObject({ state: 'applied' });
    // Every record written went through the write path: with its change record, under the import's job.
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM change_log WHERE changes IS NOT NULL AND at = (SELECT applied_at FROM import_run WHERE id = ?)`).pluck().get(run.id)).toBeGreaterThan(0);
    expect(core.ok('audit.verify', {})).toMatchObject({ ok: true });
    const list = data<MethodOutput<'worklist.list'>>(await registrar.callAsync('worklist.list', { limit: 500 }));
    expect(list.total).toBeGreaterThan(0);
    // Items about protected children are counted for a reader who may not see them; the handler sees them all.
    const all = data<MethodOutput<'worklist.list'>>(await signIn(core, 'protected').callAsync('worklist.list', { limit: 500 }));
    expect(all.hiddenProtected).toBe(0);
    expect(list.total + list.hiddenProtected).toBe(all.total);
    for (const item of list.items) if (item.kind !== 'custody' && item.kind !== 'protection_added') expect(item.affects.length).toBeGreaterThan(0);
  });

  it('the persons new to the register are written as the write path writes any record: derived columns, search tokens, one change record each', () => {
    const sqlite = core.db.sqlite;
    const registrarId = registrar.session.actor!.id;
    const created = sqlite
      .prepare(`SELECT p.* FROM person p JOIN change_log l ON l.entity = 'person' AND l.entity_id = p.id AND l.op = 'create' WHERE l.actor = ? ORDER BY p.rowid`)
      .all(registrarId) as Record<string, unknown>[];
    const born = files.changes.find((c) => c.change === 'born');
    expect(created.length).toBeGreaterThan(0);
    if (born) expect(created.map((p) => p.id_canonical)).toContain(born.subject);
    const bookkeeping = new Set(['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by']);
    // Not the record's own values: flags derived afterwards, and a column the table's default fills.
    const DERIVED_FLAGS = new Set(['shielded', 'is_guardian', 'is_staff', 'messages_allowed']);
    const logOf = (table: string, id: string) =>
      sqlite.prepare(`SELECT op, version, fields, changes, person_id FROM change_log WHERE entity = ? AND entity_id = ? ORDER BY seq`).all(table, id) as {
        op: string;
        version: number;
        fields: string;
        changes: string;
        person_id: string;
      }[];
    const expectCreateLog = (table: string, row: Record<string, unknown>, personId: string) => {
      const cols = Object.keys(row).filter((c) => !bookkeeping.has(c) && row[c] !== null);
      const [first] = logOf(table, row.id as string);
      expect(first, `${table} ${String(row.id)}`).toMatchObject({ op: 'create', version: 1, person_id: personId });
      const changes = JSON.parse(first!.changes) as Record<string, [unknown, unknown]>;
      // Every value as created (the records are still at version 1).
      for (const [c, v] of Object.entries(changes)) expect(v, `${table}.${c}`).toEqual([null, row[c]]);
      expect(Object.keys(changes).sort()).toEqual(cols.filter((c) => !DERIVED_FLAGS.has(c)).sort());
      expect(JSON.parse(first!.fields)).toEqual(Object.keys(changes).map((c) => c.replace(/_([a-z])/g, (_m, x: string) => x.toUpperCase())));
    };
    for (const p of created) {
      const names = { givenName: p.given_name as string, middleName: p.middle_name as string | null, familyName: p.family_name as string, preferredName: p.preferred_name as string | null };
      expect(p).toMatchObject({
        version: 1,
        sort_key: sortKeyOf(names, 'SE'),
        id_short: shortIdOf(p.id_canonical as string, p.id_country as string),
        search_text: searchTextOf({ ...names, idCanonical: p.id_canonical as string, idShort: shortIdOf(p.id_canonical as string, p.id_country as string) }),
        is_child: isChildOn(p.birth_date as string, TEST_TODAY) ? 1 : 0,
        register_source: 'navet',
      });
      expect(p.protected_since === null).toBe(p.protection === 'none');
      expect((sqlite.prepare('SELECT token FROM person_name_token WHERE person_id = ? AND sort_key = ?').pluck().all(p.id, p.sort_key) as string[]).sort()).toEqual(nameTokensOf(names).sort());
      expectCreateLog('person', p, p.id as string);
      const name = sqlite.prepare('SELECT * FROM person_name WHERE person_id = ?').all(p.id) as Record<string, unknown>[];
      expect(name).toHaveLength(1);
      expect(name[0]).toMatchObject({ given_name: p.given_name, family_name: p.family_name, valid_to: null });
      for (const table of ['person_name', 'person_address', 'person_contact']) {
        for (const row of sqlite.prepare(`SELECT * FROM ${table} WHERE person_id = ?`).all(p.id) as Record<string, unknown>[]) {
          expectCreateLog(table, row, p.id as string);
          if (table === 'person_address') expect(row.valid_from! <= TEST_TODAY).toBe(true);
        }
      }
    }
    // Found by search like anyone else, and logged in the apply's audit entries.
    const sample = created.find((p) => p.protection === 'none')!;
    const hits = data<MethodOutput<'search.query'>>(signIn(core, 'registrar').call('search.query', { q: `${sample.given_name as string} ${sample.family_name as string}`, limit: 100 }));
    expect(hits.items.map((h) => h.id)).toContain(sample.id);
    const logged = sqlite.prepare(`SELECT count(*) FROM audit_log l, json_each(l.person_ids) j WHERE l.method = 'import.apply' AND j.value = ?`).pluck();
    for (const p of created) expect(logged.get(p.id), `audit entry for ${String(p.id)}`).toBeGreaterThan(0);
  });

  it('confirming a move-out on the work list ends the child’s places on the chosen day, in one step, audited', async () => {
    const list = data<MethodOutput<'worklist.list'>>(await registrar.callAsync('worklist.list', { kind: 'moved_out', limit: 100 }));
    const item = list.items.find((i) => i.affects.some((a) => a.validFrom <= TEST_TODAY));
    expect(item, 'a moved-out child with a running place').toBeDefined();
    const end = TEST_TODAY;
    const r = data<{ confirmed: number; ended: number }>(await registrar.callAsync('worklist.confirm', { items: [{ id: item!.id, version: item!.version }], endDate: end, note: 'Flyttat enligt Navet' }));
    expect(r).toMatchObject({ confirmed: 1, ended: item!.affects.length });
    for (const a of item!.affects) {
      const row = core.db.sqlite.prepare(`SELECT valid_to, deleted_at FROM ${a.type} WHERE id = ?`).get(a.id) as { valid_to: string | null; deleted_at: string | null };
      if (a.validFrom <= end) expect(row.valid_to).toBe(end);
      else expect(row.deleted_at).not.toBeNull();
    }
    // Handled once: a second confirmation with the old version is a conflict.
    expect(await registrar.callAsync('worklist.confirm', { items: [{ id: item!.id, version: item!.version }] })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const audit = core.db.sqlite.prepare(`SELECT person_ids, reason FROM audit_log WHERE method = 'worklist.confirm'`).get() as { person_ids: string; reason: string };
    expect(JSON.parse(audit.person_ids)).toEqual([item!.person.id]);
    expect(audit.reason).toBe('Flyttat enligt Navet');
  });

  it('the same delta again is refused as already applied, with a clear message, and changes nothing', async () => {
    const before = counts(core);
    const again = await readFile(core, registrar, files.delta, 'navet');
    expect(again.blocked).toMatchObject({ code: 'already_applied' });
    expect(await registrar.callAsync('import.apply', { id: again.id })).toMatchObject({ ok: false, error: { code: 'rule_violation', rule: 'import_out_of_order' } });
    expect(counts(core)).toEqual(before);
  });

  it('an older delta is refused; a malformed file fails with its line and changes nothing', async () => {
    const before = counts(core);
    const bad = join(core.dir, 'broken.xml');
    writeFileSync(bad, '<?xml version="1.0"?>\n<Navetavisering>\n  <Folkbokforingsposter>\n    <Folkbokforingspost>\n  </Navetavisering>\n');
    const fileId = await upload(core, registrar, bad, 'navet');
    const started = data<{ jobId: string; runId: string }>(await registrar.callAsync('import.start', { fileId, format: 'navet' }));
    const job = await core.services.jobs.wait(started.jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.message).toMatch(/line 5/);
    const run2 = data<Run>(await registrar.callAsync('import.get', { id: started.runId }));
    expect(run2).toMatchObject({ state: 'failed', blocked: { code: 'file_unreadable' } });
    const problems = data<MethodOutput<'import.problems'>>(await registrar.callAsync('import.problems', { id: started.runId }));
    expect(problems.items[0]).toMatchObject({ line: 5, severity: 'file' });
    expect(counts(core)).toEqual(before);
  });
});

describe('applying is all or nothing', () => {
  it('a cancelled apply leaves the register exactly as it was', async () => {
    const core = makeTestCore({ persons: 3000 });
    try {
      const files = await seedDemoPopulationFiles(core.db.sqlite, { dataDir: core.dir, today: TEST_TODAY });
      const registrar = signIn(core, 'registrar');
      const run = await readFile(core, registrar, files.delta, 'navet');
      const before = counts(core);
      const started = data<{ jobId: string }>(await registrar.callAsync('import.apply', { id: run.id }));
      core.services.jobs.cancel(registrar.session.actor!, started.jobId);
      const job = await core.services.jobs.wait(started.jobId);
      expect(job.state).toBe('cancelled');
      expect(counts(core)).toEqual(before);
      // The dry run stands: it can be applied after all.
      expect(data<Run>(await registrar.callAsync('import.get', { id: run.id }))).toMatchObject({ state: 'ready' });
      expect((await apply(core, registrar, run.id)).state).toBe('succeeded');
    } finally {
      core.dispose();
    }
  }, 120_000);
});

describe('Norway: a Folkeregisteret event file', () => {
  it('reads, applies and lists the consequences', async () => {
    const core = makeTestCore({ persons: 2500, country: 'NO' });
    try {
      const files = await seedDemoPopulationFiles(core.db.sqlite, { dataDir: core.dir, today: TEST_TODAY });
      const registrar = signIn(core, 'registrar');
      const run = await readFile(core, registrar, files.delta, 'freg');
      expect(run).toMatchObject({ state: 'ready', format: 'freg', kind: 'delta', blocked: null, problems: 0 });
      expect(Object.values(run.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      const job = await apply(core, registrar, run.id);
      expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
      const deceased = files.changes.find((c) => c.change === 'deceased');
      if (deceased) expect(core.db.sqlite.prepare('SELECT status FROM person WHERE id_canonical = ?').pluck().get(deceased.subject)).toBe('deceased');
      expect(core.ok('audit.verify', {})).toMatchObject({ ok: true });
    } finally {
      core.dispose();
    }
  }, 120_000);
});
