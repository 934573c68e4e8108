/** The administrators' command line: runCli in-process, plus one real spawn of bin/kansli.mjs. */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadShippedMigrations, migrate, MigrationError } from '../../db/migrate';
import { openDatabase } from '../../db/open';
import { appendAudit } from '../audit/chain';
import { createCore, dataPaths } from '../app';
import { UsageError } from './args';
import { runCli } from './main';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[]): { code: number; out: string[] } {
  const out: string[] = [];
  const code = runCli(argv, (s) => out.push(s));
  return { code, out };
}

describe('kansli id check', () => {
  it('a valid number: exit 0 and a readable report', () => {
    const { code, out } = run(['id', 'check', '191212121212', '--today', '2026-11-23']);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/valid\s+yes/);
    expect(text).toMatch(/kind\s+personnummer \(SE\)/);
    expect(text).toMatch(/birth date 1912-12-12/);
    expect(text).toMatch(/sex\s+male/);
    expect(text).toMatch(/canonical\s+191212121212/);
    expect(text).toMatch(/display\s+19121212-1212/);
  });

  it('an invalid number: exit 1 and the reason', () => {
    const { code, out } = run(['id', 'check', '191212121213']);
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/valid\s+no/);
    expect(out.join('\n')).toMatch(/reason\s+.*\(bad_checksum\)/);
  });

  it('--json: one JSON line with a stable shape', () => {
    const ok = run(['id', 'check', '121212+1212', '--json', '--today', '2026-11-23']);
    expect(ok.code).toBe(0);
    expect(ok.out).toHaveLength(1);
    expect(JSON.parse(ok.out[0]!)).toEqual({
      valid: true,
      input: '121212+1212',
      kind: 'se_personnummer',
      country: 'SE',
      birthDate: '1912-12-12',
      sex: 'M',
      canonical: '191212121212',
      display: '19121212-1212',
      checkRule: null,
    });
    const no = run(['id', 'check', '13097248022', '--json', '--today', '2026-11-23']);
    expect(JSON.parse(no.out[0]!)).toMatchObject({ valid: true, kind: 'no_fodselsnummer', country: 'NO', sex: 'F', birthDate: '1972-09-13', checkRule: 'classic' });

    const bad = run(['id', 'check', '12345', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out[0]!)).toEqual({ valid: false, input: '12345', code: 'bad_length', message: expect.any(String) });
  });

  it('synthetic Norwegian numbers only with --allow-synthetic', () => {
    const n = '04831551246';
    expect(JSON.parse(run(['id', 'check', n, '--json', '--today', '2026-11-23']).out[0]!)).toMatchObject({ valid: false, code: 'synthetic_not_allowed' });
    const r = run(['id', 'check', n, '--json', '--allow-synthetic', '--today', '2026-11-23']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ valid: true, kind: 'no_synthetic' });
  });

  it('--today fixes the century of 10-digit numbers', () => {
    expect(JSON.parse(run(['id', 'check', '121212-1212', '--json', '--today', '2011-01-01']).out[0]!)).toMatchObject({ birthDate: '1912-12-12' });
    expect(JSON.parse(run(['id', 'check', '121212-1212', '--json', '--today', '2026-11-23']).out[0]!)).toMatchObject({ birthDate: '2012-12-12' });
  });

  it('usage errors throw UsageError (exit code 2 in main)', () => {
    expect(() => run(['id', 'check'])).toThrow(UsageError);
    expect(() => run(['id', 'check', '1', '2'])).toThrow(UsageError);
    expect(() => run(['id', 'check', '191212121212', '--bogus'])).toThrow(/Unknown option --bogus/);
    expect(() => run(['id', 'check', '191212121212', '--today'])).toThrow(/needs a value/);
    expect(() => run(['id', 'check', '191212121212', '--today', 'tomorrow'])).toThrow(UsageError);
    expect(() => run(['id', 'check', '191212121212', '--today', '2026-02-30'])).toThrow(UsageError);
    expect(() => run(['id', 'check', '191212121212', '--today', '0000-00-00'])).toThrow(UsageError);
    expect(() => run(['id', 'check', '191212121212', '--json=yes'])).toThrow(/takes no value/);
    expect(() => run(['id', 'frobnicate'])).toThrow(/Unknown command: id frobnicate/);
    expect(() => run(['nope'])).toThrow(UsageError);
  });

  it('no arguments prints usage with exit 2; --help with exit 0', () => {
    const none = run([]);
    expect(none.code).toBe(2);
    expect(none.out.join('\n')).toContain('Usage:');
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toContain('kansli id check');
  });
});

describe('kansli demo seed', () => {
  it('seeds a fresh data folder, prints the counts, and refuses a non-empty database', () => {
    const r = run(['demo', 'seed', '--data-dir', dir, '--persons', '150', '--country', 'no', '--seed', '7']);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/^Seeded 150 persons \(\d+ protected\), \d+ units, \d+ groups in [\d.]+ s into /);
    const { dbPath } = dataPaths(dir);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n).toBe(150);
      expect((db.prepare('SELECT country FROM municipality').get() as { country: string }).country).toBe('NO');
    } finally {
      db.close();
    }
    const again = run(['demo', 'seed', '--data-dir', dir, '--persons', '150']);
    expect(again.code).toBe(1);
    expect(again.out.join('\n')).toMatch(/already holds a municipality/);
    const db2 = new Database(dbPath, { readonly: true });
    try {
      expect((db2.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n).toBe(150);
    } finally {
      db2.close();
    }
  });

  it('with an explicit --seed gives the same database every time, ids included; without it, new ids', () => {
    const ids = (extra: string[]) => {
      const d = mkdtempSync(join(tmpdir(), 'kansli-cli-seed-'));
      try {
        expect(run(['demo', 'seed', '--data-dir', d, '--persons', '40', '--no-foi', ...extra]).code).toBe(0);
        const db = new Database(dataPaths(d).dbPath, { readonly: true });
        try {
          return db.prepare('SELECT id FROM person ORDER BY sort_key, id').pluck().all() as string[];
        } finally {
          db.close();
        }
      } finally {
        rmSync(d, { recursive: true, force: true });
      }
    };
    const a = ids(['--seed', '5']);
    expect(ids(['--seed', '5'])).toEqual(a);
    const random = ids([]);
    expect(random).toHaveLength(a.length);
    expect(random.filter((id) => a.includes(id))).toEqual([]);
  });

  it('validates its flags', () => {
    expect(() => run(['demo', 'seed', '--data-dir', dir, '--persons', '5'])).toThrow(/--persons must be an integer from 20/);
    expect(() => run(['demo', 'seed', '--data-dir', dir, '--persons', '1e3'])).toThrow(UsageError);
    expect(() => run(['demo', 'seed', '--data-dir', dir, '--country', 'dk'])).toThrow(/--country must be se or no/);
    expect(() => run(['demo', 'seed', '--data-dir', dir, '--json'])).toThrow(UsageError);
  });
});

describe('kansli db', () => {
  it('check finds a search index out of step with the person table; reindex repairs it', () => {
    expect(run(['demo', 'seed', '--persons', '60', '--data-dir', dir]).code).toBe(0);
    expect(run(['db', 'check', '--data-dir', dir])).toEqual({ code: 0, out: [`${dataPaths(dir).dbPath}: ok`] });
    // Simulate what a VACUUM renumbering rowids would do: the index no longer matches the table.
    const db = new Database(dataPaths(dir).dbPath);
    db.exec(`DROP TRIGGER person_fts_au; UPDATE person SET search_text = 'zzzz qqqq' WHERE rowid = (SELECT min(rowid) FROM person)`);
    db.close();
    const bad = run(['db', 'check', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.out.join('\n')).toMatch(/search index does not match/);
    expect(run(['db', 'reindex', '--data-dir', dir]).code).toBe(0);
    expect(run(['db', 'check', '--data-dir', dir]).code).toBe(0);
  });

  it('check finds a shielding flag out of step with the rule; reindex recomputes it', () => {
    expect(run(['demo', 'seed', '--persons', '60', '--data-dir', dir]).code).toBe(0);
    const db = new Database(dataPaths(dir).dbPath);
    // A write behind the core's back: a guardian of a protected child loses the flag.
    const guardian = db
      .prepare(`SELECT g.guardian_id FROM guardianship g JOIN person c ON c.id = g.child_id WHERE c.protection <> 'none' LIMIT 1`)
      .pluck()
      .get() as string | undefined;
    const victim = guardian ?? (db.prepare(`SELECT id FROM person WHERE protection <> 'none' LIMIT 1`).pluck().get() as string);
    expect(victim).toBeTruthy();
    db.prepare(`UPDATE person SET shielded = 0 WHERE id = ?`).run(victim);
    db.close();
    const bad = run(['db', 'check', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.out.join('\n')).toContain(`1 person(s) have a shielding flag that disagrees with the protection rule (first: ${victim})`);
    expect(run(['db', 'reindex', '--data-dir', dir]).out.join('\n')).toMatch(/1 shielding flag\(s\) corrected/);
    expect(run(['db', 'check', '--data-dir', dir]).code).toBe(0);
  });

  it('check of a missing database exits 1', () => {
    expect(run(['db', 'check', '--data-dir', dir]).code).toBe(1);
  });

  it('status of a missing database, migrate, then status again', () => {
    const shipped = loadShippedMigrations();
    const { dbPath } = dataPaths(dir);
    const s0 = run(['db', 'status', '--data-dir', dir]);
    expect(s0.code).toBe(0);
    expect(s0.out.join('\n')).toContain(`does not exist; ${shipped.length} migrations would be applied`);
    expect(existsSync(dbPath)).toBe(false);

    const m = run(['db', 'migrate', '--data-dir', dir]);
    expect(m.code).toBe(0);
    expect(m.out.join('\n')).toBe(`Applied ${shipped.map((x) => x.tag).join(', ')} to ${dbPath}`);

    const s1 = run(['db', 'status', '--data-dir', dir]);
    expect(s1.out[0]).toBe(`${dbPath}: ${shipped.length} of ${shipped.length} migrations applied`);
    for (const x of shipped) expect(s1.out).toContain(`  applied  ${x.tag}`);

    const m2 = run(['db', 'migrate', '--data-dir', dir]);
    expect(m2.out.join('\n')).toBe(`${dbPath} is up to date`);
  });

  it('status lists pending migrations; migrate of a database with data names its backup', () => {
    const { dbPath } = dataPaths(dir);
    const db = new Database(dbPath);
    migrate(db, { upTo: 1 });
    db.close();
    const s = run(['db', 'status', '--data-dir', dir]);
    expect(s.out[0]).toMatch(/: 1 of \d+ migrations applied$/);
    expect(s.out).toContain('  pending  0001_search_fts');
    const m = run(['db', 'migrate', '--data-dir', dir]);
    expect(m.out.join('\n')).toMatch(/^Applied 0001_search_fts.* \(backup: .*\.bak\)$/);
  });

  it('status does not create or change a database file', () => {
    const { dbPath } = dataPaths(dir);
    run(['db', 'status', '--data-dir', dir]);
    expect(existsSync(dbPath)).toBe(false);
    // An empty SQLite file (not a Kansli database yet) stays without tables.
    new Database(dbPath).close();
    const s = run(['db', 'status', '--data-dir', dir]);
    expect(s.code).toBe(0);
    expect(s.out[0]).toMatch(/: 0 of \d+ migrations applied$/);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('status of a database from a newer Kansli says so and exits 1; migrate refuses it', () => {
    const { dbPath } = dataPaths(dir);
    const db = new Database(dbPath);
    migrate(db);
    db.prepare(`INSERT INTO __kansli_migrations (idx, tag, hash, applied_at) VALUES (99, '0099_future', 'f', 'x')`).run();
    db.close();
    const s = run(['db', 'status', '--data-dir', dir]);
    expect(s.code).toBe(1);
    expect(s.out.join('\n')).toMatch(/refused.*newer Kansli.*0099_future/);
    expect(() => run(['db', 'migrate', '--data-dir', dir])).toThrow(MigrationError);
  });
});

describe('bin/kansli.mjs', () => {
  it('runs for real: id check --json prints one JSON line and exits 0; a usage error exits 2', () => {
    const bin = join(repo, 'bin', 'kansli.mjs');
    const ok = spawnSync(process.execPath, [bin, 'id', 'check', '191212121212', '--json'], { cwd: repo, encoding: 'utf8', timeout: 30_000 });
    expect(ok.status, ok.stderr).toBe(0);
    const line = ok.stdout.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ valid: true, input: '191212121212', kind: 'se_personnummer', canonical: '191212121212', birthDate: '1912-12-12', sex: 'M' });

    const usage = spawnSync(process.execPath, [bin, 'id', 'check'], { cwd: repo, encoding: 'utf8', timeout: 30_000 });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^kansli: /);
  });
});

describe('kansli audit verify', () => {
  function appendEntries(n: number): void {
    const opened = openDatabase(dataPaths(dir).dbPath);
    try {
      opened.sqlite.transaction(() => {
        for (let i = 1; i <= n; i++) {
          appendAudit(opened.sqlite, {
            at: `2026-11-23T12:00:0${i % 10}.000Z`,
            actorId: 'u1',
            actorName: 'Anna Berg',
            workstation: 'WS-1',
            method: 'person.get',
            action: 'read',
            outcome: 'ok',
            personIds: [`p${i}`],
            details: { i },
            reason: null,
          });
        }
      })();
    } finally {
      opened.close();
    }
  }

  it('an intact log: exit 0 and the number of entries', () => {
    expect(run(['db', 'migrate', '--data-dir', dir]).code).toBe(0);
    expect(run(['audit', 'verify', '--data-dir', dir])).toEqual({ code: 0, out: ['Audit log intact: 0 entries (no anchors to compare with)'] });
    appendEntries(5);
    expect(run(['audit', 'verify', '--data-dir', dir])).toEqual({ code: 0, out: ['Audit log intact: 5 entries (no anchors to compare with)'] });
    const json = run(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(json.code).toBe(0);
    expect(json.out).toHaveLength(1);
    expect(JSON.parse(json.out[0]!)).toEqual({ ok: true, entries: 5, firstBroken: null, anchors: { checked: 0, lastAnchoredSeq: null, problem: null } });
  });

  it('a tampered log: exit 1 naming the first broken entry, also as JSON', () => {
    appendEntries(5);
    // What someone with the file can do: drop the append-only trigger and edit a row.
    const db = new Database(dataPaths(dir).dbPath);
    db.exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_name = 'Someone Else' WHERE seq = 3`);
    db.close();
    const text = run(['audit', 'verify', '--data-dir', dir]);
    expect(text.code).toBe(1);
    expect(text.out).toHaveLength(1);
    expect(text.out[0]).toMatch(/^Audit log BROKEN at entry 3: Entry 3 was altered/);
    const json = run(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out[0]!)).toEqual({
      ok: false,
      entries: 5,
      firstBroken: { seq: 3, problem: expect.stringMatching(/^Entry 3 was altered/) },
      anchors: { checked: 0, lastAnchoredSeq: null, problem: null },
    });
  });

  it('a truncated log: the head record gives it away', () => {
    appendEntries(4);
    const db = new Database(dataPaths(dir).dbPath);
    db.exec(`DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_person_no_delete; DELETE FROM audit_person WHERE seq = 4; DELETE FROM audit_log WHERE seq = 4`);
    db.close();
    const r = run(['audit', 'verify', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/^Audit log BROKEN at entry 4: .*truncated/);
  });

  it('a missing database exits 1; usage errors throw', () => {
    expect(run(['audit', 'verify', '--data-dir', dir])).toEqual({ code: 1, out: [`${dataPaths(dir).dbPath} does not exist`] });
    expect(existsSync(dataPaths(dir).dbPath)).toBe(false);
    expect(() => run(['audit', 'verify', 'extra', '--data-dir', dir])).toThrow(UsageError);
    expect(() => run(['audit', 'verify', '--data-dir', dir, '--json=yes'])).toThrow(/takes no value/);
    expect(() => run(['audit', 'verify', '--data-dir'])).toThrow(/needs a value/);
    expect(() => run(['audit', 'frobnicate'])).toThrow(/Unknown command: audit frobnicate/);
    expect(run(['--help']).out.join('\n')).toContain('kansli audit verify [--data-dir DIR] [--anchor FILE ...] [--json]');
    expect(() => run(['audit', 'verify', '--data-dir', dir, '--anchor', join(dir, 'nope.csv')])).toThrow(/--anchor .*nope\.csv: no such file/);
    expect(() => run(['audit', 'verify', '--data-dir', dir, '--anchor', dir])).toThrow(/is not a file/);
  });

  describe('with anchors', () => {
    /** A core on the data folder makes a few audited calls (each anchored after its commit) and exports the log. */
    function useCore(): { csv: string; entries: number } {
      const core = createCore({ dbPath: dataPaths(dir).dbPath, logDir: null });
      try {
        // Each audited call is a committed transaction and so an anchor line.
        for (let i = 0; i < 3; i++) expect(core.call('audit.query', {}).ok).toBe(true);
        const ex = core.call('audit.export', {});
        if (!ex.ok) throw new Error(ex.error.message);
        const csv = join(dir, 'export.csv');
        writeFileSync(csv, (ex.data as { csv: string }).csv);
        const entries = (core.ctx.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
        return { csv, entries };
      } finally {
        core.close();
      }
    }

    function tamper(sql: string): void {
      const db = new Database(dataPaths(dir).dbPath);
      db.exec(`DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_person_no_delete; ${sql}`);
      db.close();
    }

    it('an intact log matches the anchor file beside the database and an export given with --anchor', () => {
      const { csv, entries } = useCore();
      const { anchorPath } = dataPaths(dir);
      expect(existsSync(anchorPath)).toBe(true);
      const r = run(['audit', 'verify', '--data-dir', dir, '--anchor', csv]);
      const lines = readFileSync(anchorPath, 'utf8').trim().split('\n').length;
      expect(r).toEqual({ code: 0, out: [`Audit log intact: ${entries} entries, matching ${lines + 1} anchors (the latest for entry ${entries})`] });
    });

    it('a truncated tail with a rewritten head: exit 1, found by the anchor file', () => {
      const { entries } = useCore();
      tamper(`DELETE FROM audit_person WHERE seq = ${entries}; DELETE FROM audit_log WHERE seq = ${entries};
              UPDATE app_meta SET value = (SELECT seq || ':' || hash FROM audit_log ORDER BY seq DESC LIMIT 1) WHERE key = 'audit.head';
              UPDATE app_meta SET value = min(CAST(value AS INTEGER), ${entries - 1}) WHERE key = 'audit.person_index'`);
      const r = run(['audit', 'verify', '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.out[0]).toMatch(new RegExp(`^Audit log BROKEN at entry ${entries}: Entry ${entries} is missing: the log ends at entry ${entries - 1}, but kansli\\.audit-anchor line \\d+ .* \\(the tail was deleted\\)$`));
      const json = JSON.parse(run(['audit', 'verify', '--data-dir', dir, '--json']).out[0]!) as { anchors: { problem: { kind: string } } };
      expect(json.anchors.problem.kind).toBe('truncation');
    });

    it('a wiped log and anchor file: exit 1 only with the export named by --anchor', () => {
      const { csv } = useCore();
      tamper(`DELETE FROM audit_person; DELETE FROM audit_log; DELETE FROM app_meta WHERE key IN ('audit.head', 'audit.person_index')`);
      rmSync(dataPaths(dir).anchorPath);
      expect(run(['audit', 'verify', '--data-dir', dir])).toEqual({ code: 0, out: ['Audit log intact: 0 entries (no anchors to compare with)'] });
      const r = run(['audit', 'verify', '--data-dir', dir, '--anchor', csv]);
      expect(r.code).toBe(1);
      expect(r.out[0]).toMatch(/^Audit log BROKEN at entry 1: The log is empty, but the export export\.csv .* the log was wiped$/);
    });

    it('says how many read audits wait in the pending journal, without merging them', () => {
      useCore();
      const { dbPath, pendingPath } = dataPaths(dir);
      const core = createCore({ dbPath, logDir: null });
      const lock = new Database(dbPath);
      try {
        lock.exec('BEGIN IMMEDIATE');
        expect(core.call('audit.query', {}).ok).toBe(true);
        lock.exec('COMMIT');
      } finally {
        lock.close();
        core.close();
      }
      // createCore's start-up merge would have taken it; this pending row was queued during the lock and the
      // core closed before any later append, so it is still there.
      const r = run(['audit', 'verify', '--data-dir', dir]);
      expect(r.code).toBe(0);
      expect(r.out[1]).toBe(`1 entry waits in the pending journal ${pendingPath}; Kansli merges them into the log`);
      expect(JSON.parse(run(['audit', 'verify', '--data-dir', dir, '--json']).out[0]!)).toMatchObject({ ok: true, pending: 1 });
      createCore({ dbPath, logDir: null }).close();
      expect(run(['audit', 'verify', '--data-dir', dir]).out).toHaveLength(1);
    });
  });
});

describe('kansli user', () => {
  it('lists accounts and resets a password (and TOTP) for recovery, through the audited core', () => {
    expect(run(['demo', 'seed', '--persons', '40', '--data-dir', dir]).code).toBe(0);
    const core = createCore({ dbPath: dataPaths(dir).dbPath, logDir: null });
    core.close(); // opening a demo database creates its demo accounts
    const list = run(['user', 'list', '--data-dir', dir]);
    expect(list.code).toBe(0);
    expect(list.out.join('\n')).toMatch(/^admin\s+Alva Admin \(demo\)\s+sysadmin/m);
    const reset = run(['user', 'reset', 'clerk', '--totp', '--data-dir', dir]);
    expect(reset.code).toBe(0);
    const pw = /One-time password for clerk: (\S+)/.exec(reset.out.join('\n'))![1]!;
    const c = createCore({ dbPath: dataPaths(dir).dbPath, logDir: null });
    try {
      const st = c.connect('ws').call('auth.signIn', { username: 'clerk', password: pw });
      expect(st).toMatchObject({ ok: true, data: { state: 'change_password' } });
      const entries = c.ctx.sqlite.prepare(`SELECT actor_id, method, workstation FROM audit_log WHERE actor_id = 'cli'`).all();
      expect(entries).toEqual([
        expect.objectContaining({ method: 'user.resetPassword', workstation: expect.stringMatching(/\(command line\)$/) }),
        expect.objectContaining({ method: 'user.resetTotp' }),
      ]);
    } finally {
      c.close();
    }
    expect(run(['user', 'reset', 'nobody', '--data-dir', dir]).code).toBe(1);
    expect(() => run(['user', 'reset', '--data-dir', dir])).toThrow(/exactly one user name/);
  });
});

describe('kansli fees explain', () => {
  it('prints a child\'s month line by line with its reasons, or JSON; audited; usage errors name the flag', () => {
    // Without the demo's incomes: the child's household has declared none (the cap applies).
    expect(run(['demo', 'seed', '--data-dir', dir, '--persons', '400', '--country', 'se', '--seed', '5', '--no-incomes']).code).toBe(0);
    const { dbPath } = dataPaths(dir);
    const db = new Database(dbPath, { readonly: true });
    const child = db
      .prepare(`SELECT p.child_id FROM placement p WHERE p.school_form = 'FS' AND p.state = 'accepted' AND p.deleted_at IS NULL
        AND p.valid_from <= date('now', 'start of month') AND (p.valid_to IS NULL OR p.valid_to >= date('now', 'start of month', '+1 month', '-1 day'))
        AND EXISTS (SELECT 1 FROM household_member m WHERE m.person_id = p.child_id AND m.role = 'child' AND m.deleted_at IS NULL AND m.valid_from <= date('now', 'start of month') AND m.valid_to IS NULL)
        ORDER BY p.child_id LIMIT 1`)
      .pluck()
      .get() as string;
    db.close();
    const month = new Date().toISOString().slice(0, 7);
    const r = run(['fees', 'explain', '--person', child, '--month', month, '--data-dir', dir]);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/rule set Maxtaxa/);
    expect(text).toMatch(/child \d of \d \(youngest first\), preschool: \d %/);
    expect(text).toMatch(/income not declared \(the cap applies\)/);
    expect(text).toMatch(/warning: No income declared for the month/);
    const json = run(['fees', 'explain', '--person', child, '--month', month, '--data-dir', dir, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out[0]!)).toMatchObject({ month, lines: expect.any(Array), warnings: expect.any(Array) });
    const audited = new Database(dbPath, { readonly: true });
    try {
      expect(audited.prepare(`SELECT count(*) FROM audit_log WHERE method = 'fee.explain' AND actor_id = 'cli'`).pluck().get()).toBe(2);
    } finally {
      audited.close();
    }
    expect(() => run(['fees', 'explain', '--person', child, '--data-dir', dir])).toThrow(/--month YYYY-MM/);
    expect(() => run(['fees', 'explain', '--month', month, '--data-dir', dir])).toThrow(/--person ID/);
    const missing = run(['fees', 'explain', '--person', '00000000-0000-4000-8000-000000000000', '--month', month, '--data-dir', dir]);
    expect(missing).toMatchObject({ code: 1, out: ['personId: No such person'] });
  });
});
