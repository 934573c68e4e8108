/**
 * Migration runner and every shipped migration, on real SQLite files in a temporary folder.
 * Each migration test applies the migrations before it, writes rows shaped like that version's data,
 * applies the migration and checks what it did to schema and data.
 */
import Database from 'better-sqlite3';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is } from 'drizzle-orm';
import { SQLiteTable as SQLiteTableClass } from 'drizzle-orm/sqlite-core';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collationKey, personSortKey } from '../shared/collation';
import { foldText } from '../shared/text';
import { applyPragmas, openDatabase } from './open';
import {
  appliedMigrations,
  checkHistoryIsPrefix,
  defaultMigrationsDir,
  loadShippedMigrations,
  migrate,
  MigrationError,
} from './migrate';
import * as schema from './schema';

const SHIPPED_DIR = defaultMigrationsDir();

let dir: string;
const opened: Database.Database[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-migrate-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

function openFile(name = 'test.sqlite'): { db: Database.Database; path: string } {
  const path = join(dir, name);
  const db = new Database(path);
  applyPragmas(db);
  opened.push(db);
  return { db, path };
}

/** A writable copy of the shipped migrations folder, for fabricating histories and broken migrations. */
function copyMigrations(): string {
  const copy = join(dir, 'migrations');
  cpSync(SHIPPED_DIR, copy, { recursive: true });
  return copy;
}

function readJournal(mdir: string): { version: string; dialect: string; entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] } {
  return JSON.parse(readFileSync(join(mdir, 'meta', '_journal.json'), 'utf8'));
}

/** Appends a migration file and its journal entry to a copied migrations folder. */
function addMigration(mdir: string, tag: string, sql: string): void {
  writeFileSync(join(mdir, `${tag}.sql`), sql);
  const j = readJournal(mdir);
  const last = j.entries[j.entries.length - 1]!;
  j.entries.push({ idx: last.idx + 1, version: last.version, when: last.when + 1000, tag, breakpoints: true });
  writeFileSync(join(mdir, 'meta', '_journal.json'), JSON.stringify(j, null, 2));
}

/** File descriptors of this process open on `path` (Linux /proc). */
function openFdsOn(path: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      // closed between listing and reading
    }
  }
  return n;
}

const tables = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
const indexes = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
const triggers = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

const REC = { version: 1, created_at: '2026-11-23T12:00:00.000Z', created_by: 't', updated_at: '2026-11-23T12:00:00.000Z', updated_by: 't' };

/** Inserts a person row the way version 0000 stores it (search_text: folded names and identity digits). */
function insertPerson(db: Database.Database, p: { id: string; given: string; family: string; search: string; canonical?: string | null; protection?: string }): void {
  db.prepare(
    `INSERT INTO person (id, id_kind, id_canonical, id_short, id_country, birth_date, sex, status, given_name, family_name, sort_key, search_text, protection,
       version, created_at, created_by, updated_at, updated_by)
     VALUES (@id, @kind, @canonical, @short, @country, '2015-08-15', 'F', 'active', @given, @family, @sort, @search, @protection,
       @version, @created_at, @created_by, @updated_at, @updated_by)`,
  ).run({
    id: p.id,
    kind: p.canonical ? 'se_personnummer' : null,
    canonical: p.canonical ?? null,
    short: p.canonical ? p.canonical.slice(2) : null,
    country: p.canonical ? 'SE' : null,
    given: p.given,
    family: p.family,
    sort: `${p.family.toLowerCase()}\u0001${p.given.toLowerCase()}`,
    search: p.search,
    protection: p.protection ?? 'none',
    ...REC,
  });
}

const ftsIds = (db: Database.Database, q: string): string[] =>
  (db.prepare(`SELECT p.id FROM person_fts f JOIN person p ON p.rowid = f.rowid WHERE person_fts MATCH ? ORDER BY p.id`).all(`"${q}"`) as { id: string }[]).map((r) => r.id);

describe('shipped migrations folder and journal', () => {
  const journal = readJournal(SHIPPED_DIR);

  it('journal idx values are 0..n-1 in order', () => {
    expect(journal.entries.map((e) => e.idx)).toEqual(journal.entries.map((_, i) => i));
  });

  it("journal `when` timestamps strictly increase (drizzle's migrator skips an older one silently)", () => {
    for (let i = 1; i < journal.entries.length; i++) {
      expect(journal.entries[i]!.when, `${journal.entries[i]!.tag} must be later than ${journal.entries[i - 1]!.tag}`).toBeGreaterThan(journal.entries[i - 1]!.when);
    }
  });

  it('every .sql file is listed in the journal and every journal entry has its file', () => {
    const files = readdirSync(SHIPPED_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4)).sort();
    expect(files).toEqual(journal.entries.map((e) => e.tag).sort());
  });

  it('tags start with their zero-padded idx, and every migration has a snapshot', () => {
    for (const e of journal.entries) {
      expect(e.tag.startsWith(String(e.idx).padStart(4, '0') + '_'), e.tag).toBe(true);
      expect(existsSync(join(SHIPPED_DIR, 'meta', `${String(e.idx).padStart(4, '0')}_snapshot.json`)), e.tag).toBe(true);
    }
  });

  it('loadShippedMigrations returns them in order with content hashes and non-empty statements', () => {
    const ms = loadShippedMigrations(SHIPPED_DIR);
    expect(ms.map((m) => m.tag)).toEqual(journal.entries.map((e) => e.tag));
    for (const m of ms) {
      expect(m.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(m.statements.length).toBeGreaterThan(0);
      for (const s of m.statements) expect(s.trim()).not.toBe('');
    }
    expect(new Set(ms.map((m) => m.hash)).size).toBe(ms.length);
  });

  it('the migrated schema matches db/schema.ts (every table and column drizzle knows exists)', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR });
    for (const value of Object.values(schema)) {
      if (!is(value, SQLiteTableClass)) continue;
      const cfg = getTableConfig(value as SQLiteTable);
      const cols = (db.prepare(`PRAGMA table_info(${cfg.name})`).all() as { name: string; notnull: number; pk: number }[]).map((c) => c.name).sort();
      expect(cols, cfg.name).toEqual(cfg.columns.map((c) => c.name).sort());
      for (const idx of cfg.indexes) expect(indexes(db), `${cfg.name}.${idx.config.name}`).toContain(idx.config.name);
    }
  });
});

describe('0000_init', () => {
  it('creates every table, index and constraint on an empty database', () => {
    const { db } = openFile();
    const r = migrate(db, { dir: SHIPPED_DIR, upTo: 1 });
    expect(r.applied).toEqual(['0000_init']);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['app_meta', 'change_log', 'group_membership', 'guardianship', 'municipality', 'org_unit', 'person', 'person_address', 'person_contact', 'person_name', 'person_name_token', 'school_group', 'staff_duty', '__kansli_migrations']),
    );
    expect(indexes(db)).toEqual(expect.arrayContaining(['person_id_canonical', 'person_id_short', 'person_sort', 'person_name_token_token', 'org_unit_school_unit_code']));
    expect(appliedMigrations(db).map((m) => m.tag)).toEqual(['0000_init']);

    insertPerson(db, { id: 'a', given: 'Anna', family: 'Berg', search: 'anna berg', canonical: '201508152383' });
    // One live person per identity number…
    expect(() => insertPerson(db, { id: 'b', given: 'Bo', family: 'Berg', search: 'bo berg', canonical: '201508152383' })).toThrow(/UNIQUE/);
    // …but a tombstoned one does not block the number.
    db.prepare(`UPDATE person SET deleted_at = '2026-11-23' WHERE id = 'a'`).run();
    insertPerson(db, { id: 'b', given: 'Bo', family: 'Berg', search: 'bo berg', canonical: '201508152383' });
    // Protection levels are a closed list.
    expect(() => insertPerson(db, { id: 'c', given: 'C', family: 'D', search: 'c d', protection: 'secret' })).toThrow(/CHECK/);
    // Foreign keys are enforced (applyPragmas turns them on).
    expect(() =>
      db.prepare(`INSERT INTO person_address (id, person_id, kind, street, postal_code, city, country, valid_from, version, created_at, created_by, updated_at, updated_by)
        VALUES ('x', 'nobody', 'registered', 's', '1', 'c', 'SE', '2026-01-01', 1, 'n', 'n', 'n', 'n')`).run(),
    ).toThrow(/FOREIGN KEY/);
  });
});

describe('0001_search_fts', () => {
  it('indexes rows inserted before the migration (rebuild) and follows inserts, updates and deletes (triggers)', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 1 });
    insertPerson(db, { id: 'before-1', given: 'Örjan', family: 'Östlund', search: 'orjan ostlund 201508152383 1508152383', canonical: '201508152383' });
    insertPerson(db, { id: 'before-2', given: 'Kari', family: 'Sørensen', search: 'kari sorensen' });
    expect(tables(db)).not.toContain('person_fts');

    const r = migrate(db, { dir: SHIPPED_DIR, upTo: 2 });
    expect(r.applied).toEqual(['0001_search_fts']);
    expect(tables(db)).toContain('person_fts');
    expect(triggers(db)).toEqual(['person_fts_ad', 'person_fts_ai', 'person_fts_au']);

    // Rebuild: rows from before the migration are found, by infix fragments too.
    expect(ftsIds(db, 'ostlund')).toEqual(['before-1']);
    expect(ftsIds(db, 'tlun')).toEqual(['before-1']);
    expect(ftsIds(db, '2383')).toEqual(['before-1']);
    expect(ftsIds(db, 'rensen')).toEqual(['before-2']);

    // Insert trigger.
    insertPerson(db, { id: 'after-1', given: 'Åsa', family: 'Åberg', search: 'asa aberg' });
    expect(ftsIds(db, 'aberg')).toEqual(['after-1']);

    // Update trigger: the old text is gone, the new text is found.
    db.prepare(`UPDATE person SET search_text = 'kari hagen' WHERE id = 'before-2'`).run();
    expect(ftsIds(db, 'sorensen')).toEqual([]);
    expect(ftsIds(db, 'hagen')).toEqual(['before-2']);
    // An update of another column leaves the index alone (and correct).
    db.prepare(`UPDATE person SET status = 'emigrated' WHERE id = 'before-2'`).run();
    expect(ftsIds(db, 'hagen')).toEqual(['before-2']);

    // Delete trigger.
    db.prepare(`DELETE FROM person WHERE id = 'after-1'`).run();
    expect(ftsIds(db, 'aberg')).toEqual([]);

    // The external-content index agrees with the table.
    expect(() => db.prepare(`INSERT INTO person_fts(person_fts, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
  });

  it('never indexes addresses (only person.search_text is in the index)', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR });
    insertPerson(db, { id: 'p', given: 'Anna', family: 'Berg', search: 'anna berg' });
    db.prepare(`INSERT INTO person_address (id, person_id, kind, street, postal_code, city, country, valid_from, version, created_at, created_by, updated_at, updated_by)
      VALUES ('a', 'p', 'registered', 'Hemliggatan 7', '99999', 'Gömstad', 'SE', '2026-01-01', 1, 'n', 'n', 'n', 'n')`).run();
    expect(ftsIds(db, 'hemlig')).toEqual([]);
    expect(ftsIds(db, 'gomstad')).toEqual([]);
    expect(ftsIds(db, 'Gömstad')).toEqual([]);
    const cols = (db.prepare(`PRAGMA table_info(person_fts)`).all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(['search_text']);
  });
});

describe('0002_group_name_index', () => {
  it('adds the (name_norm, school_year) index that group search range-scans, keeping existing groups', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 2 });
    db.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES ('m', 'M', 'SE', '9901', 1, 'n', 't', 'n', 't')`).run();
    db.prepare(`INSERT INTO org_unit (id, municipality_id, kind, name, name_norm, version, created_at, created_by, updated_at, updated_by) VALUES ('u', 'm', 'school_unit', 'Skolan', 'skolan', 1, 'n', 't', 'n', 't')`).run();
    const g = db.prepare(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, version, created_at, created_by, updated_at, updated_by)
      VALUES (?, 'u', 'class', ?, ?, ?, 'GR', 3, 1, 'n', 't', 'n', 't')`);
    g.run('g1', '3A', '3a', 2026);
    g.run('g2', '3B', '3b', 2025);
    expect(indexes(db)).not.toContain('school_group_name');

    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 3 }).applied).toEqual(['0002_group_name_index']);
    const cols = (db.prepare(`PRAGMA index_info(school_group_name)`).all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(['name_norm', 'school_year']);
    expect(db.prepare(`SELECT id FROM school_group ORDER BY id`).all()).toEqual([{ id: 'g1' }, { id: 'g2' }]);
    // The group-search query shape uses it.
    const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM school_group WHERE name_norm >= ? AND name_norm < ? AND school_year >= ?`).all('3', '3\uffff', 2025) as { detail: string }[])
      .map((p) => p.detail)
      .join(' ');
    expect(plan).toContain('school_group_name');
  });
});

describe('0003_person_list_indexes', () => {
  it('adds partial sort-key indexes per role that the person list uses, skipping tombstones', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 3 });
    insertPerson(db, { id: 'c1', given: 'Cilla', family: 'Berg', search: 'cilla berg' });
    insertPerson(db, { id: 'c2', given: 'Adam', family: 'Berg', search: 'adam berg' });
    insertPerson(db, { id: 'c3', given: 'Gone', family: 'Aaberg', search: 'gone aaberg' });
    insertPerson(db, { id: 's1', given: 'Sara', family: 'Ek', search: 'sara ek' });
    db.prepare(`UPDATE person SET is_child = 1 WHERE id IN ('c1', 'c2', 'c3')`).run();
    db.prepare(`UPDATE person SET is_staff = 1 WHERE id = 's1'`).run();
    db.prepare(`UPDATE person SET deleted_at = '2026-11-01' WHERE id = 'c3'`).run();

    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 4 }).applied).toEqual(['0003_person_list_indexes']);
    for (const name of ['person_list_all', 'person_list_child', 'person_list_guardian', 'person_list_staff']) expect(indexes(db)).toContain(name);
    const list = (role: string) => `SELECT p.id FROM person p WHERE p.deleted_at IS NULL AND p.is_${role} = 1 ORDER BY p.sort_key LIMIT 10 OFFSET 0`;
    const plan = (q: string) => (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((p) => p.detail).join(' | ');
    expect(plan(list('child'))).toContain('person_list_child');
    expect(plan(list('child'))).not.toContain('TEMP B-TREE');
    expect(plan(list('staff'))).toContain('person_list_staff');
    expect(plan(`SELECT p.id FROM person p WHERE p.deleted_at IS NULL ORDER BY p.sort_key LIMIT 10`)).not.toContain('TEMP B-TREE');
    // Same rows as before, in name order, without the tombstone.
    expect(db.prepare(list('child')).all()).toEqual([{ id: 'c2' }, { id: 'c1' }]);
    expect(db.prepare(list('staff')).all()).toEqual([{ id: 's1' }]);
  });
});

describe('0004_reserve_number', () => {
  it('adds a nullable reserve number, unique among live persons, keeping existing rows', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 4 });
    insertPerson(db, { id: 'r1', given: 'Amir', family: 'Haddad', search: 'amir haddad' });
    insertPerson(db, { id: 'r2', given: 'Lina', family: 'Haddad', search: 'lina haddad' });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 5 }).applied).toEqual(['0004_reserve_number']);
    expect(db.prepare(`SELECT id, reserve_number FROM person ORDER BY id`).all()).toEqual([
      { id: 'r1', reserve_number: null },
      { id: 'r2', reserve_number: null },
    ]);
    db.prepare(`UPDATE person SET reserve_number = 'R-1001' WHERE id = 'r1'`).run();
    expect(() => db.prepare(`UPDATE person SET reserve_number = 'R-1001' WHERE id = 'r2'`).run()).toThrow(/UNIQUE/);
    // A tombstone frees its number.
    db.prepare(`UPDATE person SET deleted_at = '2026-11-01' WHERE id = 'r1'`).run();
    db.prepare(`UPDATE person SET reserve_number = 'R-1001' WHERE id = 'r2'`).run();
    expect(indexes(db)).toContain('person_reserve_number');
  });
});

describe('0005_access', () => {
  it('adds accounts, role assignments and an append-only audit log, keeping existing rows', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 5 });
    insertPerson(db, { id: 'a1', given: 'Amir', family: 'Haddad', search: 'amir haddad' });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 6 }).applied).toEqual(['0005_access']);
    expect(db.prepare(`SELECT count(*) AS n FROM person`).get()).toEqual({ n: 1 });
    const rec = `'2026-11-23T00:00:00Z', 'test', '2026-11-23T00:00:00Z', 'test'`;
    db.exec(`INSERT INTO user_account (id, username, display_name, password_hash, password_changed_at, created_at, created_by, updated_at, updated_by)
             VALUES ('u1', 'anna', 'Anna', '$argon2id$x', '2026-11-23', ${rec})`);
    expect(() => db.exec(`INSERT INTO user_account (id, username, display_name, password_hash, password_changed_at, created_at, created_by, updated_at, updated_by)
             VALUES ('u2', 'anna', 'Anna 2', '$argon2id$x', '2026-11-23', ${rec})`)).toThrow(/UNIQUE/);
    expect(() => db.exec(`INSERT INTO role_assignment (id, user_id, role, created_at, created_by, updated_at, updated_by) VALUES ('r1', 'u1', 'janitor', ${rec})`)).toThrow(/CHECK/);
    db.exec(`INSERT INTO role_assignment (id, user_id, role, created_at, created_by, updated_at, updated_by) VALUES ('r1', 'u1', 'clerk', ${rec})`);
    db.exec(`INSERT INTO audit_log (seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, prev_hash, hash)
             VALUES (1, '2026-11-23T00:00:00Z', 'u1', 'Anna', 'ws', 'person.get', 'read', 'ok', '["a1"]', '{}', 'p', 'h')`);
    db.exec(`INSERT INTO audit_person (person_id, seq) VALUES ('a1', 1)`);
    expect(() => db.exec(`UPDATE audit_log SET actor_id = 'x'`)).toThrow(/append-only/);
    expect(() => db.exec(`DELETE FROM audit_log`)).toThrow(/append-only/);
    expect(() => db.exec(`DELETE FROM audit_person`)).toThrow(/append-only/);
  });
});

describe('0006_placements', () => {
  it('adds the care tables and turns class and department memberships into enrolments and placements', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 6 });
    for (const [id, given] of [['c1', 'Ella'], ['c2', 'Noah'], ['g1', 'Sara'], ['g2', 'Omar'], ['c3', 'Tove']] as const) {
      insertPerson(db, { id, given, family: 'Berg', search: `${given.toLowerCase()} berg` });
    }
    const rec = `1, 'n', 't', 'n', 't'`;
    db.exec(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES ('m', 'M', 'SE', '9901', ${rec})`);
    db.exec(`INSERT INTO org_unit (id, municipality_id, kind, name, name_norm, version, created_at, created_by, updated_at, updated_by) VALUES ('u', 'm', 'school_unit', 'Skolan', 'skolan', ${rec})`);
    db.exec(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, version, created_at, created_by, updated_at, updated_by) VALUES
      ('k3', 'u', 'class', '3A', '3a', 2026, 'GR', 3, ${rec}),
      ('d1', 'u', 'department', 'Solen', 'solen', 2026, 'FS', NULL, ${rec}),
      ('t1', 'u', 'teaching_group', 'Sv-A', 'sv-a', 2026, 'GR', NULL, ${rec})`);
    db.exec(`INSERT INTO group_membership (id, group_id, person_id, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES
      ('m1', 'k3', 'c1', '2026-08-17', NULL, ${rec}),
      ('m2', 'd1', 'c2', '2025-01-07', '2026-06-30', ${rec}),
      ('m3', 't1', 'c1', '2026-08-17', NULL, ${rec})`);
    db.exec(`INSERT INTO guardianship (id, child_id, guardian_id, kind, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES
      ('gs1', 'c1', 'g1', 'vardnadshavare', '2016-01-01', NULL, ${rec}),
      ('gs2', 'c1', 'g2', 'vardnadshavare', '2016-01-01', NULL, ${rec}),
      ('gs3', 'c3', 'g1', 'vardnadshavare', '2018-01-01', NULL, ${rec})`);

    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 7 }).applied).toEqual(['0006_placements']);
    expect(db.prepare(`SELECT id, pupil_id, unit_id, group_id, school_form, grade, valid_from, valid_to FROM enrolment`).all()).toEqual([
      { id: 'm1', pupil_id: 'c1', unit_id: 'u', group_id: 'k3', school_form: 'GR', grade: 3, valid_from: '2026-08-17', valid_to: null },
    ]);
    expect(db.prepare(`SELECT id, child_id, group_id, school_form, state, reason, valid_to FROM placement`).all()).toEqual([
      { id: 'm2', child_id: 'c2', group_id: 'd1', school_form: 'FS', state: 'accepted', reason: 'care_need', valid_to: '2026-06-30' },
    ]);
    // Class and department memberships follow their source; a teaching group's does not have one.
    expect(db.prepare(`SELECT id, source_id FROM group_membership ORDER BY id`).all()).toEqual([
      { id: 'm1', source_id: 'm1' },
      { id: 'm2', source_id: 'm2' },
      { id: 'm3', source_id: null },
    ]);
    expect(db.prepare(`SELECT id, valid_from, valid_to FROM school_group WHERE id = 'k3'`).get()).toEqual({ id: 'k3', valid_from: '2026-08-01', valid_to: '2027-07-31' });
    // Existing guardianships: living with the child, invoice split between the guardians of the time.
    expect(db.prepare(`SELECT id, lives_with, invoice_share, shielded FROM guardianship ORDER BY id`).all()).toEqual([
      { id: 'gs1', lives_with: 1, invoice_share: 50, shielded: 0 },
      { id: 'gs2', lives_with: 1, invoice_share: 50, shielded: 0 },
      { id: 'gs3', lives_with: 1, invoice_share: 100, shielded: 0 },
    ]);
    expect(db.prepare(`SELECT messages_allowed, preferred_language FROM person WHERE id = 'g1'`).get()).toEqual({ messages_allowed: 1, preferred_language: null });
    expect(() => db.exec(`UPDATE placement SET valid_to = '2020-01-01' WHERE id = 'm2'`)).toThrow(/CHECK/);
    expect(indexes(db)).toEqual(expect.arrayContaining(['placement_child', 'enrolment_unit', 'application_choice_unit', 'household_member_person', 'group_membership_source']));
    expect(db.prepare(`PRAGMA foreign_key_check`).all()).toEqual([]);
  });
});

describe('0007_shielding', () => {
  it('adds protected_since and the shielding flag, and sets the flag for everyone linked to a protected person', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 7 });
    const people = ['kid', 'mum', 'dad', 'exdad', 'sib', 'half', 'halfmum', 'partner', 'pkid', 'lodger', 'gone', 'stranger', 'tomb', 'protdad', 'pchild'];
    for (const id of people) insertPerson(db, { id, given: id, family: 'Berg', search: id });
    db.prepare(`UPDATE person SET protection = 'se_skyddad_folkbokforing' WHERE id = 'kid'`).run();
    db.prepare(`UPDATE person SET protection = 'no_fortrolig' WHERE id = 'protdad'`).run();
    const rec = `1, 'n', 't', 'n', 't'`;
    const g = db.prepare(`INSERT INTO guardianship (id, child_id, guardian_id, kind, valid_from, valid_to, deleted_at, version, created_at, created_by, updated_at, updated_by)
      VALUES (?, ?, ?, 'vardnadshavare', '2015-08-15', ?, ?, ${rec})`);
    g.run('g1', 'kid', 'mum', null, null);
    g.run('g2', 'kid', 'dad', null, null);
    // Ended years ago: when the protection began is unknown, so it counts.
    g.run('g3', 'kid', 'exdad', '2016-12-31', null);
    g.run('g4', 'sib', 'mum', null, null);
    g.run('g5', 'half', 'dad', null, null);
    g.run('g6', 'half', 'halfmum', null, null);
    g.run('g7', 'kid', 'tomb', null, '2026-01-01');
    g.run('g8', 'pchild', 'protdad', null, null);
    db.exec(`INSERT INTO household (id, version, created_at, created_by, updated_at, updated_by) VALUES ('h1', ${rec}), ('h2', ${rec})`);
    const m = db.prepare(`INSERT INTO household_member (id, household_id, person_id, role, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
      VALUES (?, ?, ?, ?, '2020-01-01', ?, ${rec})`);
    m.run('m1', 'h1', 'kid', 'child', null);
    m.run('m2', 'h1', 'mum', 'adult', null);
    m.run('m3', 'h1', 'partner', 'adult', null);
    m.run('m4', 'h1', 'pkid', 'child', null);
    m.run('m5', 'h1', 'lodger', 'adult', '2021-06-30');
    m.run('m6', 'h2', 'gone', 'adult', null);
    m.run('m7', 'h2', 'stranger', 'adult', null);

    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 8 }).applied).toEqual(['0007_shielding']);
    const flags = Object.fromEntries((db.prepare(`SELECT id, shielded FROM person`).all() as { id: string; shielded: number }[]).map((r) => [r.id, r.shielded]));
    expect(flags).toEqual({
      kid: 1, // protected
      mum: 1, // guardian
      dad: 1, // guardian
      exdad: 1, // former guardian, protection start unknown
      sib: 1, // sibling through mum
      half: 1, // sibling through dad
      halfmum: 0, // co-parent of a sibling, not of the protected child
      partner: 1, // household adult who is no guardian
      pkid: 1, // household child who is no sibling
      lodger: 1, // former household member, protection start unknown
      gone: 0, // another household
      stranger: 0,
      tomb: 0, // a deleted guardianship is no link
      protdad: 1, // protected
      pchild: 1, // child of a protected guardian
    });
    expect(db.prepare(`SELECT count(*) AS n FROM person WHERE protected_since IS NOT NULL`).get()).toEqual({ n: 0 });
    // New rows start unshielded; the core's writes keep the flag from here.
    insertPerson(db, { id: 'new', given: 'Ny', family: 'Berg', search: 'ny berg' });
    expect(db.prepare(`SELECT shielded, protected_since FROM person WHERE id = 'new'`).get()).toEqual({ shielded: 0, protected_since: null });
  });
});

describe('0008_jobs_mutations_change_log', () => {
  it('adds the job and mutation tables; the change log keeps its rows and gains before/after, the related person and the mutation id', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 8 });
    insertPerson(db, { id: 'p1', given: 'Ella', family: 'Berg', search: 'ella berg' });
    db.exec(`INSERT INTO change_log (entity, entity_id, person_id, version, op, fields, actor, at) VALUES ('person', 'p1', 'p1', 1, 'create', '["givenName"]', 'u', '2026-01-01')`);
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 9 }).applied).toEqual(['0008_jobs_mutations_change_log']);
    expect(db.prepare(`SELECT entity, fields, changes, related_person_id, mutation_id FROM change_log`).all()).toEqual([
      { entity: 'person', fields: '["givenName"]', changes: null, related_person_id: null, mutation_id: null },
    ]);
    db.exec(`INSERT INTO job (id, kind, state, input, created_by, created_by_name, workstation, created_at) VALUES ('j', 'rollover.commit', 'queued', '{}', 'u', 'U', 'ws', '2026-01-01')`);
    expect(db.prepare(`SELECT phase, done, total FROM job`).get()).toEqual({ phase: '', done: 0, total: null });
    db.exec(`INSERT INTO mutation (id, actor_id, method, at, result) VALUES ('m', 'u', 'person.create', '2026-01-01', '{"id":"p1"}')`);
    expect(() => db.exec(`INSERT INTO mutation (id, actor_id, method, at) VALUES ('m', 'u', 'person.create', '2026-01-01')`)).toThrow(/UNIQUE/);
  });
});

describe('0009_imports', () => {
  it('adds the import runs, the register streams, the work list and former identity numbers; persons gain where the register has them', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 9 });
    insertPerson(db, { id: 'p1', given: 'Ella', family: 'Berg', search: 'ella berg' });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 10 }).applied).toEqual(['0009_imports']);
    expect(db.prepare(`SELECT registered_municipality, registered_district, register_source FROM person`).get()).toEqual({ registered_municipality: null, registered_district: null, register_source: null });
    const rec = `1, 'n', 't', 'n', 't'`;
    db.exec(`INSERT INTO person_identity (id, person_id, canonical, kind, country, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES ('i1', 'p1', '198001010002', 'se_samordningsnummer', 'SE', '2026-01-01', ${rec})`);
    db.exec(`INSERT INTO work_item (id, kind, state, person_id, version, created_at, created_by, updated_at, updated_by) VALUES ('w1', 'moved_out', 'open', 'p1', ${rec})`);
    expect(() => db.exec(`INSERT INTO work_item (id, kind, state, person_id, version, created_at, created_by, updated_at, updated_by) VALUES ('w2', 'moved_out', 'open', 'nobody', ${rec})`)).toThrow(/FOREIGN KEY/);
    db.exec(`INSERT INTO import_run (id, format, file_id, file_name, state, created_by, created_by_name, created_at) VALUES ('r1', 'navet', 'f', 'navet.xml', 'reading', 'u', 'U', 'n')`);
    expect(db.prepare(`SELECT counts, records, problems, skipped FROM import_run`).get()).toEqual({ counts: '{}', records: 0, problems: 0, skipped: 0 });
  });
});

describe('0010_audit_person_index_list_indexes', () => {
  it('starts the person index mark at the last entry (all were indexed as appended), at 0 on an empty log; widens the class list indexes', () => {
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 10 });
    for (const seq of [1, 2, 3]) {
      db.prepare(
        `INSERT INTO audit_log (seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash, hash)
         VALUES (?, 't', 'u', 'U', 'w', 'person.get', 'read', 'ok', '[]', '{}', NULL, 'p', 'h')`,
      ).run(seq);
    }
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 11 }).applied).toEqual(['0010_audit_person_index_list_indexes']);
    expect(db.prepare(`SELECT value FROM app_meta WHERE key = 'audit.person_index'`).get()).toEqual({ value: '3' });
    // The class list's indexes now cover its questions.
    const cols = (name: string) => (db.prepare(`SELECT name FROM pragma_index_info(?)`).all(name) as { name: string }[]).map((c) => c.name);
    expect(cols('guardianship_child')).toEqual(['child_id', 'guardian_id', 'valid_from', 'valid_to', 'shielded', 'deleted_at']);
    expect(cols('person_contact_person')).toEqual(['person_id', 'valid_from', 'valid_to', 'kind', 'value']);
    expect(cols('enrolment_unit').slice(0, 2)).toEqual(['unit_id', 'valid_from']);
    const empty = openFile('empty.sqlite').db;
    migrate(empty, { dir: SHIPPED_DIR, upTo: 11 });
    expect(empty.prepare(`SELECT value FROM app_meta WHERE key = 'audit.person_index'`).get()).toEqual({ value: '0' });
  });
});

describe('0011_collation_sort_keys', () => {
  it('recomputes every sort key, and the copies the search tokens keep, in the alphabetical order of the municipality country', () => {
    for (const country of ['SE', 'NO'] as const) {
      const { db } = openFile(`collation-${country}.sqlite`);
      migrate(db, { dir: SHIPPED_DIR, upTo: 11 });
      db.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES ('m', 'M', ?, '9901', 1, 'n', 't', 'n', 't')`).run(country);
      const names = [
        ['a', 'Åke', 'Lind'],
        ['b', 'Alexander', 'Lind'],
        ['c', 'Ödegård', 'Öberg'],
        ['d', 'Olle', 'Olofsson'],
        ['e', 'Ærlig', 'Ærø'],
        ['f', 'Per', 'Åsen'],
      ] as const;
      for (const [id, given, family] of names) {
        // Keys as version 0010 wrote them: every accent folded away.
        const old = `${foldText(family)}\u0001${foldText(given)}`;
        insertPerson(db, { id, given, family, search: foldText(`${given} ${family}`) });
        db.prepare('UPDATE person SET sort_key = ? WHERE id = ?').run(old, id);
        db.prepare('INSERT INTO person_name_token (token, sort_key, person_id) VALUES (?, ?, ?)').run(foldText(given), old, id);
      }
      expect(migrate(db, { dir: SHIPPED_DIR, upTo: 12 }).applied).toEqual(['0011_collation_sort_keys']);
      for (const [id, given, family] of names) {
        const key = personSortKey({ familyName: family, givenName: given }, country);
        expect(db.prepare('SELECT sort_key FROM person WHERE id = ?').pluck().get(id)).toBe(key);
        expect(db.prepare('SELECT sort_key FROM person_name_token WHERE person_id = ?').pluck().get(id)).toBe(key);
      }
      const order = db.prepare('SELECT id FROM person ORDER BY sort_key').pluck().all();
      // Sweden: … O … Z Å Ä Ö (Æ with Ä); Norway: … O … Z Æ Ø Å (Ö with Ø).
      expect(order).toEqual(country === 'SE' ? ['b', 'a', 'd', 'f', 'e', 'c'] : ['b', 'a', 'd', 'e', 'c', 'f']);
      expect(db.prepare(`SELECT given_name FROM person WHERE family_name = 'Lind' ORDER BY sort_key`).pluck().all()).toEqual(['Alexander', 'Åke']);
    }
  });
});

describe('0012_unit_group_sort_keys_recent_persons', () => {
  it('gives every unit and group its collation key in the municipality country, and adds the recent persons table', () => {
    for (const country of ['SE', 'NO'] as const) {
      const { db } = openFile(`unit-collation-${country}.sqlite`);
      migrate(db, { dir: SHIPPED_DIR, upTo: 12 });
      db.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES ('m', 'M', ?, '9901', 1, 'n', 't', 'n', 't')`).run(country);
      const rec = `1, 'n', 't', 'n', 't'`;
      const units = [['a', 'Åkerns skola'], ['b', 'Ängens skola'], ['c', 'Ørnens skola'], ['d', 'Zetas skola'], ['e', 'Alby skola']] as const;
      for (const [id, name] of units) {
        db.prepare(`INSERT INTO org_unit (id, municipality_id, kind, name, name_norm, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'm', 'school_unit', ?, ?, ${rec})`).run(id, name, foldText(name));
      }
      for (const [id, name] of [['g1', 'Åsen'], ['g2', 'Ärlan'], ['g3', 'Ørnen'], ['g4', 'Blåbäret']] as const) {
        db.prepare(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'a', 'department', ?, ?, 2026, 'FS', ${rec})`).run(id, name, foldText(name));
      }
      expect(migrate(db, { dir: SHIPPED_DIR, upTo: 13 }).applied).toEqual(['0012_unit_group_sort_keys_recent_persons']);
      for (const [id, name] of units) expect(db.prepare('SELECT sort_key FROM org_unit WHERE id = ?').pluck().get(id)).toBe(collationKey(name, country));
      // Sweden: … Z Å Ä Ö; Norway: … Z Æ Ø Å (Ä with Æ).
      expect(db.prepare('SELECT id FROM org_unit ORDER BY sort_key').pluck().all()).toEqual(country === 'SE' ? ['e', 'd', 'a', 'b', 'c'] : ['e', 'd', 'b', 'c', 'a']);
      expect(db.prepare('SELECT id FROM school_group ORDER BY sort_key').pluck().all()).toEqual(country === 'SE' ? ['g4', 'g1', 'g2', 'g3'] : ['g4', 'g2', 'g3', 'g1']);
      expect(tables(db)).toContain('recent_person');
    }
  });
});

describe('0013_person_list_sort_indexes', () => {
  it('adds the birth-date and number orders of the person list, which the planner uses for a page deep in the list', () => {
    const { db } = openFile('list-sort.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 13 });
    insertPerson(db, { id: 'a', given: 'Ada', family: 'Berg', search: 'ada berg', canonical: '201508150002' });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 14 }).applied).toEqual(['0013_person_list_sort_indexes']);
    expect(indexes(db)).toEqual(expect.arrayContaining(['person_list_birth', 'person_list_number']));
    const plan = (q: string) => (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan(`SELECT id FROM person p WHERE p.deleted_at IS NULL AND p.is_child = 1 ORDER BY p.birth_date DESC, p.sort_key DESC LIMIT 5 OFFSET 5`)).toMatch(/USING INDEX person_list_birth/);
    expect(plan(`SELECT id FROM person p WHERE p.deleted_at IS NULL ORDER BY coalesce(p.id_canonical, p.reserve_number, '~'), p.sort_key LIMIT 5 OFFSET 5`)).toMatch(/USING INDEX person_list_number/);
    expect(plan(`SELECT id FROM person p WHERE p.deleted_at IS NULL ORDER BY coalesce(p.id_canonical, p.reserve_number, '~'), p.sort_key LIMIT 5`)).not.toMatch(/TEMP B-TREE/);
  });
});

describe('0014_sync_client', () => {
  it('adds the outbox and the aggregate versions of joined mode, empty, without touching the register', () => {
    const { db } = openFile('sync-client.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 14 });
    insertPerson(db, { id: 'a', given: 'Ada', family: 'Berg', search: 'ada berg', canonical: '201508150002' });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 15 }).applied).toEqual(['0014_sync_client']);
    expect(db.prepare('SELECT count(*) AS n FROM sync_outbox').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 1 });
    expect(indexes(db)).toEqual(expect.arrayContaining(['sync_outbox_ordinal', 'sync_outbox_state']));
    const row = (n: number) => db.prepare(`INSERT INTO sync_outbox (mutation_id, ordinal, actor_id, method, input, base, state, created_at) VALUES (?, ?, 'u', 'person.update', '{}', '{}', 'pending', 'now')`).run(`m${n}`, 1);
    row(1);
    // One push order: two writes never share a place in it.
    expect(() => row(2)).toThrow(/UNIQUE/);
  });
});

describe('0015_withheld_person_index', () => {
  it('indexes the protected and shielded persons, and the feed\'s query of them reads that index alone', () => {
    const { db } = openFile('withheld.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 15 });
    insertPerson(db, { id: 'a', given: 'Ada', family: 'Berg', search: 'ada berg', canonical: '201508150002' });
    insertPerson(db, { id: 'b', given: 'Bo', family: 'Ek', search: 'bo ek', protection: 'se_skyddad_folkbokforing' });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 16 }).applied).toEqual(['0015_withheld_person_index']);
    expect(indexes(db)).toContain('person_withheld');
    // The query as server/engine/projection.ts writes it.
    const q = `SELECT id FROM person WHERE (protection <> 'none' or shielded = 1) and deleted_at is null`;
    expect((db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ')).toMatch(/USING INDEX person_withheld/);
    expect(db.prepare(q).pluck().all()).toEqual(['b']);
    db.prepare(`UPDATE person SET shielded = 1 WHERE id = 'a'`).run();
    expect(db.prepare(q).pluck().all().sort()).toEqual(['a', 'b']);
  });
});

describe('0016_income_declaration', () => {
  it('holds a household\'s incomes by date; an amount goes with a declaration and none with "not declared"', () => {
    const { db } = openFile('income.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 16 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 17 }).applied).toEqual(['0016_income_declaration']);
    const at = '2026-12-01T00:00:00.000Z';
    db.prepare(`INSERT INTO household (id, created_at, created_by, updated_at, updated_by) VALUES ('h', ?, 'x', ?, 'x')`).run(at, at);
    const ins = db.prepare(
      `INSERT INTO income_declaration (id, household_id, valid_from, monthly_income, source, created_at, created_by, updated_at, updated_by) VALUES (?, 'h', ?, ?, ?, '${at}', 'x', '${at}', 'x')`,
    );
    ins.run('d1', '2026-01-01', 4_500_000, 'declared');
    ins.run('d2', '2026-07-01', null, 'not_declared');
    expect(() => ins.run('d3', '2026-08-01', null, 'declared')).toThrow(/CHECK constraint failed: income_declaration_amount/);
    expect(() => ins.run('d4', '2026-08-01', 100, 'not_declared')).toThrow(/CHECK constraint failed/);
    expect(() => ins.run('d5', '2026-08-01', -1, 'income_check')).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare(`INSERT INTO income_declaration (id, household_id, valid_from, monthly_income, source, created_at, created_by, updated_at, updated_by) VALUES ('d6', 'nope', '2026-01-01', 1, 'declared', 'a', 'x', 'a', 'x')`).run()).toThrow(/FOREIGN KEY/);
    expect(indexes(db)).toContain('income_declaration_household');
  });
});

describe('0017_fee_run', () => {
  it('holds locked runs with their lines, previews apart, and a household\'s declared part of a shared child\'s fee', () => {
    const { db } = openFile('feerun.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 17 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 18 }).applied).toEqual(['0017_fee_run']);
    const at = '2026-12-01T00:00:00.000Z';
    const rec = `'${at}', 'x', '${at}', 'x'`;
    db.prepare(`INSERT INTO fee_run (id, month, kind, state, currency, line_count, total, summary, config_hash, lines_hash, locked_at, locked_by, created_at, created_by, updated_at, updated_by) VALUES ('r', '2026-11', 'regular', 'locked', 'SEK', 1, 154700, '{}', 'c', 'l', '${at}', 'x', ${rec})`).run();
    const line = db.prepare(
      `INSERT INTO fee_line (id, run_id, month, kind, child_id, placement_id, household_id, unit_id, school_form, recipient_id, share_bp, amount, explanation, created_at, created_by, updated_at, updated_by) VALUES (?, ?, '2026-11', 'charge', 'c', 'p', 'h', 'u', 'FS', 'g', 10000, 154700, '{}', ${rec})`,
    );
    line.run('l1', 'r');
    expect(() => line.run('l2', 'nope')).toThrow(/FOREIGN KEY/);
    db.prepare(`INSERT INTO fee_preview (id, month, kind, state, created_by, created_by_name, created_at) VALUES ('p', '2026-12', 'regular', 'computing', 'x', 'X', '${at}')`).run();
    const pl = db.prepare(`INSERT INTO fee_preview_line (preview_id, n, id, month, kind, child_id, placement_id, household_id, unit_id, school_form, share_bp, amount, explanation) VALUES ('p', ?, 'l', '2026-12', 'charge', 'c', 'p', 'h', 'u', 'FS', 10000, 1, '{}')`);
    pl.run(1);
    expect(() => pl.run(1)).toThrow(/UNIQUE/);
    expect(db.prepare(`SELECT fee_share_bp FROM household_member`).all()).toEqual([]);
    expect(indexes(db)).toEqual(expect.arrayContaining(['fee_line_run', 'fee_line_child', 'fee_line_month', 'fee_run_month', 'fee_preview_warning_preview']));
  });
});

describe('0018_income_check', () => {
  it('holds a household\'s yearly income checks with their outcome; amounts are never negative', () => {
    const { db } = openFile('incomecheck.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 18 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 19 }).applied).toEqual(['0018_income_check']);
    const at = '2026-12-01T00:00:00.000Z';
    db.prepare(`INSERT INTO household (id, created_at, created_by, updated_at, updated_by) VALUES ('h', ?, 'x', ?, 'x')`).run(at, at);
    const ins = db.prepare(
      `INSERT INTO income_check (id, household_id, year, taxed_income, checked_monthly, declared_monthly, months_declared, threshold, outcome, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 2026, ?, 500000, 400000, ?, 100000, ?, '${at}', 'x', '${at}', 'x')`,
    );
    ins.run('c1', 'h', 6_000_000, 12, 'corrected');
    expect(() => ins.run('c2', 'h', -1, 12, 'corrected')).toThrow(/CHECK constraint failed: income_check_amounts/);
    expect(() => ins.run('c3', 'h', 1, 13, 'within')).toThrow(/CHECK constraint failed/);
    expect(() => ins.run('c4', 'nope', 1, 12, 'within')).toThrow(/FOREIGN KEY/);
    expect(indexes(db)).toContain('income_check_household');
  });
});

describe('0019_fee_read_indexes', () => {
  it('makes the guardianship child index and the address index cover the fee run\'s reads', () => {
    const { db } = openFile('feeindexes.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 19 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 20 }).applied).toEqual(['0019_fee_read_indexes']);
    const cols = (name: string) => (db.prepare(`SELECT name FROM pragma_index_info(?)`).pluck().all(name) as string[]);
    expect(cols('guardianship_child')).toEqual(['child_id', 'guardian_id', 'valid_from', 'valid_to', 'shielded', 'deleted_at', 'invoice_share']);
    expect(cols('person_address_person')).toEqual(['person_id', 'valid_from', 'valid_to']);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan(`SELECT person_id FROM person_address WHERE person_id = 'x' AND valid_from <= '2026-12-31' AND (valid_to IS NULL OR valid_to >= '2026-12-01')`)).toContain('COVERING INDEX person_address_person');
  });
});

describe('0020_fee_reduction', () => {
  it('adds the Norwegian fee reductions with their dates checked', () => {
    const { db } = openFile('feereduction.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 20 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 21 }).applied).toEqual(['0020_fee_reduction']);
    const cols = db.prepare(`SELECT name FROM pragma_table_info('fee_reduction')`).pluck().all() as string[];
    expect(cols).toEqual(expect.arrayContaining(['child_id', 'kind', 'valid_from', 'valid_to', 'note', 'deleted_at', 'version']));
    db.pragma('foreign_keys = OFF');
    const ins = db.prepare(`INSERT INTO fee_reduction (id, child_id, kind, valid_from, valid_to, created_at, created_by, updated_at, updated_by) VALUES (?, 'c', 'illness', ?, ?, 'x', 'x', 'x', 'x')`);
    ins.run('a', '2026-09-01', '2026-09-30');
    expect(() => ins.run('b', '2026-09-30', '2026-09-01')).toThrow(/CHECK constraint failed: fee_reduction_dates/);
  });
});

describe('0021_fee_preview_no_child_index', () => {
  it('drops the preview lines\' child index (the preview stores faster; no screen filters a preview by child)', () => {
    const { db } = openFile('feepreviewindex.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 21 });
    const indexes = () => db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fee_preview_line'`).pluck().all() as string[];
    expect(indexes()).toContain('fee_preview_line_child');
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 22 }).applied).toEqual(['0021_fee_preview_no_child_index']);
    expect(indexes()).not.toContain('fee_preview_line_child');
  });
});

describe('0022_fee_preview_explained_when_shown', () => {
  it('lets a preview line go without an explanation (a charge is explained when shown) and keeps the lines it had', () => {
    const { db } = openFile('feepreviewexplained.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 22 });
    const notNull = () => (db.prepare(`SELECT "notnull" FROM pragma_table_info('fee_preview_line') WHERE name = 'explanation'`).pluck().get() as number);
    expect(notNull()).toBe(1);
    db.prepare(
      `INSERT INTO fee_preview_line (preview_id, n, id, month, kind, child_id, placement_id, household_id, unit_id, school_form, share_bp, amount, explanation)
       VALUES ('p', 1, 'l1', '2026-12', 'charge', 'c', 'pl', 'h', 'u', 'FS', 10000, 154700, '{"amount":154700}')`,
    ).run();
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 23 }).applied).toEqual(['0022_fee_preview_explained_when_shown']);
    expect(notNull()).toBe(0);
    expect(db.prepare('SELECT id, amount, explanation FROM fee_preview_line').all()).toEqual([{ id: 'l1', amount: 154700, explanation: '{"amount":154700}' }]);
    db.prepare(
      `INSERT INTO fee_preview_line (preview_id, n, id, month, kind, child_id, placement_id, household_id, unit_id, school_form, share_bp, amount)
       VALUES ('p', 2, 'l2', '2026-12', 'charge', 'c', 'pl', 'h', 'u', 'FS', 10000, 154700)`,
    ).run();
  });
});

describe('0023_foi_request', () => {
  it('adds the request register with its rules as constraints: no anonymous subject access, a subject or guardian named in the register, an extension only for GDPR, a decision with its decider and not before receipt', () => {
    const { db } = openFile('foirequest.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 23 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 24 }).applied).toEqual(['0023_foi_request']);
    db.pragma('foreign_keys = OFF');
    const ins = (id: string, cols: Record<string, unknown>) => {
      const row = { id, kind: 'se_public_document', received_on: '2026-12-01', channel: 'email', requester_kind: 'anonymous', language: 'sv', asked_for: 'Klasslista 3B', status: 'registered', created_at: 'x', created_by: 'u', updated_at: 'x', updated_by: 'u', ...cols };
      const keys = Object.keys(row);
      db.prepare(`INSERT INTO foi_request (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`).run(...Object.values(row));
    };
    ins('ok', {});
    expect(() => ins('anon-gdpr', { kind: 'gdpr_access' })).toThrow(/foi_request_anonymous/);
    expect(() => ins('subject-no-person', { kind: 'gdpr_access', requester_kind: 'subject' })).toThrow(/foi_request_requester_person/);
    expect(() => ins('extended-se', { extension_notice_on: '2026-12-02' })).toThrow(/foi_request_extension/);
    expect(() => ins('decided-alone', { decided_on: '2026-12-02' })).toThrow(/foi_request_decided/);
    expect(() => ins('decided-early', { decided_on: '2026-11-30', decided_by: 'u' })).toThrow(/foi_request_decided/);
    ins('decided', { decided_on: '2026-12-01', decided_by: 'u' });
    const link = db.prepare(`INSERT INTO foi_request_person (id, request_id, person_id, role, deleted_at, created_at, created_by, updated_at, updated_by) VALUES (?, 'ok', 'p1', 'listed', ?, 'x', 'u', 'x', 'u')`);
    link.run('l1', null);
    expect(() => link.run('l2', null)).toThrow(/UNIQUE/);
    link.run('l3', '2026-12-02');
    expect(db.prepare('SELECT count(*) FROM foi_request_person').pluck().get()).toBe(2);
  });
});

describe('0024_person_document', () => {
  it('adds documents about persons with their content by hash, a secrecy ground only on a confidential document, and the months a request\'s extension gave', () => {
    const { db } = openFile('persondocument.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 24 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 25 }).applied).toEqual(['0024_person_document']);
    db.pragma('foreign_keys = OFF');
    const cols = db.prepare(`SELECT name FROM pragma_table_info('foi_request')`).pluck().all() as string[];
    expect(cols).toContain('extension_months');
    db.prepare(`INSERT INTO document_content (sha256, mime, size, bytes, created_at) VALUES ('h', 'application/pdf', 3, x'255044', 'x')`).run();
    expect(db.prepare(`SELECT hex(bytes) FROM document_content`).pluck().get()).toBe('255044');
    const ins = db.prepare(
      `INSERT INTO person_document (id, person_id, title, kind, document_date, classification, classification_ground, retention_class, file_name, mime, size, pages, content_sha256, created_at, created_by, updated_at, updated_by)
       VALUES (?, 'p', 'Beslut', 'decision', '2026-01-01', ?, ?, 'years_5', 'b.pdf', 'application/pdf', ?, 1, 'h', 'x', 'u', 'x', 'u')`,
    );
    ins.run('d1', 'confidential', 'OSL 23:1', 3);
    ins.run('d2', 'open', null, 3);
    expect(() => ins.run('d3', 'open', 'OSL 23:1', 3)).toThrow(/person_document_ground/);
    expect(() => ins.run('d4', 'open', null, 0)).toThrow(/person_document_size/);
  });
});

describe('0025_foi_item', () => {
  it('adds the gathered items of a request: a reference to a record per person, gathered once', () => {
    const { db } = openFile('foiitem.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 25 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 26 }).applied).toEqual(['0025_foi_item']);
    db.pragma('foreign_keys = OFF');
    const ins = db.prepare(
      `INSERT INTO foi_item (id, request_id, person_id, category, entity, record_id, content_hash, proposal, created_at, created_by, updated_at, updated_by)
       VALUES (?, 'r', 'p', 'address', 'person_address', 'a1', 'h', '{"outcome":"mask","ground":"se_osl_21_3"}', 'x', 'u', 'x', 'u')`,
    );
    ins.run('i1');
    expect(() => ins.run('i2')).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT gone_at, version FROM foi_item').get()).toEqual({ gone_at: null, version: 1 });
  });
});

describe('0026_foi_review', () => {
  it('adds the review to gathered items by adding columns (no table rebuild: the rows gathered before stay as they are)', () => {
    const { db } = openFile('foireview.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 26 });
    const rootpage = () => db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'foi_item'`).pluck().get();
    const before = rootpage();
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 27 }).applied).toEqual(['0026_foi_review']);
    expect(rootpage()).toBe(before);
    const cols = db.prepare(`SELECT name FROM pragma_table_info('foi_item')`).pluck().all() as string[];
    expect(cols).toEqual(expect.arrayContaining(['outcome', 'ground', 'field_review', 'reason', 'merinnsyn', 'reviewed_by', 'reviewed_at', 'reviewed_hash']));
  });
});

describe('0027_foi_disclosure', () => {
  it('adds the disclosure log with its counts checked', () => {
    const { db } = openFile('foidisclosure.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 27 });
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 28 }).applied).toEqual(['0027_foi_disclosure']);
    db.pragma('foreign_keys = OFF');
    const ins = db.prepare(
      `INSERT INTO foi_disclosure (id, request_id, disclosed_on, channel, recipient_kind, persons, extract_sha256, pages, masked, withheld, decided_on, created_at, created_by, updated_at, updated_by)
       VALUES (?, 'r', '2026-11-23', 'email', 'guardian', '["p"]', 'h', ?, 0, 0, '2026-11-23', 'x', 'u', 'x', 'u')`,
    );
    ins.run('d1', 2);
    expect(() => ins.run('d2', 0)).toThrow(/foi_disclosure_counts/);
  });
});

describe('0028_foi_decider', () => {
  it('rebuilds role_assignment to allow the FOI decision-maker role, keeping every assignment and its index', () => {
    const { db } = openFile('foidecider.sqlite');
    migrate(db, { dir: SHIPPED_DIR, upTo: 28 });
    db.exec(`INSERT INTO user_account (id, username, display_name, password_hash, password_changed_at, created_at, created_by, updated_at, updated_by)
             VALUES ('u', 'fia', 'Fia', 'h', 'x', 'x', 'c', 'x', 'c')`);
    const ins = db.prepare(
      `INSERT INTO role_assignment (id, user_id, role, unit_id, deleted_at, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'u', ?, NULL, NULL, 2, 'x', 'c', 'y', 'c')`,
    );
    ins.run('a1', 'foi_officer');
    ins.run('a2', 'clerk');
    expect(() => ins.run('a3', 'foi_decider')).toThrow(/role_assignment_role/);
    expect(migrate(db, { dir: SHIPPED_DIR, upTo: 29 }).applied).toEqual(['0028_foi_decider']);
    expect(db.prepare('SELECT id, role, version, created_at, updated_at FROM role_assignment ORDER BY id').all()).toEqual([
      { id: 'a1', role: 'foi_officer', version: 2, created_at: 'x', updated_at: 'y' },
      { id: 'a2', role: 'clerk', version: 2, created_at: 'x', updated_at: 'y' },
    ]);
    ins.run('a3', 'foi_decider');
    expect(() => ins.run('a4', 'dictator')).toThrow(/role_assignment_role/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'role_assignment' AND name NOT LIKE 'sqlite_%'`).pluck().all()).toEqual(['role_assignment_user']);
  });
});

describe('every shipped migration has its own test here', () => {
  it('lists a describe block per tag', () => {
    const self = readFileSync(new URL(import.meta.url), 'utf8');
    for (const m of loadShippedMigrations(SHIPPED_DIR)) expect(self, `add a test for ${m.tag}`).toContain(`describe('${m.tag}'`);
  });
});

describe('runner', () => {
  it('applies everything once; a second run is a no-op', () => {
    const { db, path } = openFile();
    const first = migrate(db, { dir: SHIPPED_DIR, dbPath: path });
    expect(first.applied).toEqual(loadShippedMigrations(SHIPPED_DIR).map((m) => m.tag));
    const second = migrate(db, { dir: SHIPPED_DIR, dbPath: path });
    expect(second).toEqual({ applied: [], backupPath: null });
    expect(appliedMigrations(db)).toHaveLength(first.applied.length);
  });

  it('applies all pending migrations in one transaction: a failing one leaves none of them applied', () => {
    const mdir = copyMigrations();
    addMigration(mdir, '0002_broken', 'CREATE TABLE half_done (x integer);\n--> statement-breakpoint\nINSERT INTO no_such_table VALUES (1);');
    const { db } = openFile();
    migrate(db, { dir: SHIPPED_DIR, upTo: 1 });
    expect(() => migrate(db, { dir: mdir })).toThrow(/no_such_table/);
    expect(tables(db)).not.toContain('half_done');
    // The database is exactly as before the attempt: the earlier pending migrations rolled back too.
    expect(appliedMigrations(db).map((m) => m.tag)).toEqual(['0000_init']);
    expect(tables(db)).not.toContain('person_fts');
    // Foreign keys are back on after the failed attempt.
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  describe('refuses a database whose history is not a prefix of the shipped list', () => {
    it('unknown extra migration (a newer Kansli migrated it)', () => {
      const mdir = copyMigrations();
      addMigration(mdir, '0002_future', 'CREATE TABLE future_thing (x integer);');
      const { db } = openFile();
      migrate(db, { dir: mdir });
      expect(() => migrate(db, { dir: SHIPPED_DIR })).toThrow(MigrationError);
      expect(() => migrate(db, { dir: SHIPPED_DIR })).toThrow(/newer Kansli.*0002_future/);
    });

    it('a different tag at a position (a branch)', () => {
      const { db } = openFile();
      migrate(db, { dir: SHIPPED_DIR, upTo: 1 });
      db.prepare(`INSERT INTO __kansli_migrations (idx, tag, hash, applied_at) VALUES (1, '0001_other_branch', 'abc', 'x')`).run();
      expect(() => migrate(db, { dir: SHIPPED_DIR })).toThrow(/differs at position 1: database has 0001_other_branch, this version ships 0001_search_fts/);
      // Nothing was applied.
      expect(tables(db)).not.toContain('person_fts');
    });

    it('the same tag with different content (an edited migration)', () => {
      const mdir = copyMigrations();
      const { db } = openFile();
      migrate(db, { dir: SHIPPED_DIR });
      writeFileSync(join(mdir, '0001_search_fts.sql'), readFileSync(join(mdir, '0001_search_fts.sql'), 'utf8') + '\n-- edited after release\n');
      expect(() => migrate(db, { dir: mdir })).toThrow(/0001_search_fts was applied with different content/);
    });

    it('checkHistoryIsPrefix accepts every prefix, including the empty one', () => {
      const shipped = loadShippedMigrations(SHIPPED_DIR);
      for (let n = 0; n <= shipped.length; n++) {
        expect(() => checkHistoryIsPrefix(shipped.slice(0, n).map(({ idx, tag, hash }) => ({ idx, tag, hash })), shipped)).not.toThrow();
      }
    });

    it('openDatabase refuses too, and does not leave the file open', () => {
      const mdir = copyMigrations();
      addMigration(mdir, '0002_future', 'CREATE TABLE future_thing (x integer);');
      const path = join(dir, 'kansli.sqlite');
      openDatabase(path, { migrationsDir: mdir }).close();
      expect(() => openDatabase(path, { migrationsDir: SHIPPED_DIR })).toThrow(MigrationError);
      // The refused handle was closed (Linux: no file descriptor on the database is left).
      if (existsSync('/proc/self/fd')) expect(openFdsOn(path)).toBe(0);
    });
  });

  describe('loadShippedMigrations refuses a broken folder', () => {
    it('a .sql file the journal does not list', () => {
      const mdir = copyMigrations();
      writeFileSync(join(mdir, '0002_unlisted.sql'), 'SELECT 1;');
      expect(() => loadShippedMigrations(mdir)).toThrow(MigrationError);
    });

    it('a journal entry without its file (and a stray file making the count match)', () => {
      const mdir = copyMigrations();
      addMigration(mdir, '0002_listed', 'SELECT 1;');
      rmSync(join(mdir, '0002_listed.sql'));
      writeFileSync(join(mdir, '0002_stray.sql'), 'SELECT 1;');
      expect(() => loadShippedMigrations(mdir)).toThrow(MigrationError);
      expect(() => loadShippedMigrations(mdir)).toThrow(/0002_listed/);
    });

    it('idx gaps', () => {
      const mdir = copyMigrations();
      const j = readJournal(mdir);
      j.entries[1]!.idx = 99;
      writeFileSync(join(mdir, 'meta', '_journal.json'), JSON.stringify(j));
      expect(() => loadShippedMigrations(mdir)).toThrow(/has idx \d+, expected \d+/);
    });
  });

  describe('backup before migrating', () => {
    it('takes a VACUUM INTO copy of a database that already has data, and the copy opens with the old data', () => {
      const { db, path } = openFile('kansli.sqlite');
      migrate(db, { dir: SHIPPED_DIR, dbPath: path, upTo: 1 });
      insertPerson(db, { id: 'old', given: 'Märta', family: 'Öberg', search: 'marta oberg' });
      const r = migrate(db, { dir: SHIPPED_DIR, dbPath: path });
      expect(r.applied).toEqual(loadShippedMigrations(SHIPPED_DIR).slice(1).map((m) => m.tag));
      expect(r.backupPath).not.toBeNull();
      expect(r.backupPath!.startsWith(dir)).toBe(true);
      expect(r.backupPath).toMatch(/kansli\.sqlite\.before-0001_search_fts\..*\.bak$/);
      expect(existsSync(r.backupPath!)).toBe(true);

      const backup = new Database(r.backupPath!, { readonly: true });
      opened.push(backup);
      expect(backup.prepare(`SELECT given_name, family_name FROM person WHERE id = 'old'`).get()).toEqual({ given_name: 'Märta', family_name: 'Öberg' });
      // The copy is the database as it was before the migration.
      expect((backup.prepare('SELECT tag FROM __kansli_migrations').all() as { tag: string }[]).map((m) => m.tag)).toEqual(['0000_init']);
      expect(tables(backup)).not.toContain('person_fts');
      expect(backup.pragma('integrity_check', { simple: true })).toBe('ok');
    });

    it('takes no backup of a fresh database', () => {
      const { db, path } = openFile('kansli.sqlite');
      const r = migrate(db, { dir: SHIPPED_DIR, dbPath: path });
      expect(r.backupPath).toBeNull();
      expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([]);
    });

    it('takes no backup of an in-memory database', () => {
      const db = new Database(':memory:');
      opened.push(db);
      migrate(db, { dir: SHIPPED_DIR, upTo: 1 });
      expect(migrate(db, { dir: SHIPPED_DIR, dbPath: ':memory:' }).backupPath).toBeNull();
    });

    it('keeps only the newest backups', () => {
      const mdir = copyMigrations();
      for (let i = 2; i <= 6; i++) addMigration(mdir, `000${i}_step`, `CREATE TABLE step_${i} (x integer);`);
      const { db, path } = openFile('kansli.sqlite');
      migrate(db, { dir: mdir, dbPath: path, upTo: 2 });
      const made: string[] = [];
      for (let n = 3; n <= 7; n++) made.push(migrate(db, { dir: mdir, dbPath: path, upTo: n, keepBackups: 3 }).backupPath!);
      const left = readdirSync(dir).filter((f) => f.endsWith('.bak')).sort();
      expect(left).toHaveLength(3);
      // The three newest survive (the one just taken is always kept).
      expect(left.map((f) => join(dir, f)).sort()).toEqual(made.slice(-3).sort());
    });
  });
});
