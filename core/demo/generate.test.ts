/** The synthetic municipality: sizes, valid and consistent identity numbers, protection share, determinism, structure. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { applyPragmas } from '../../db/open';
import { parseIdentityNumber } from '../../shared/identity';
import { ageOn, schoolYearOf } from '../dates';
import { isDemoDatabase, seedDemo, type DemoOptions, type DemoResult } from './generate';
import { NO, SE } from './names';

const TODAY = '2026-11-23';
const SY = schoolYearOf(TODAY);

let dir: string;
const dbs: Database.Database[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-demo-'));
});
afterAll(() => {
  for (const d of dbs) d.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function seeded(opts: Partial<DemoOptions> & Pick<DemoOptions, 'country' | 'persons'>): { db: Database.Database; r: DemoResult } {
  const db = new Database(join(dir, `demo-${n++}.sqlite`));
  applyPragmas(db);
  migrate(db);
  dbs.push(db);
  const r = seedDemo(db, { today: TODAY, ...opts });
  return { db, r };
}

const count = (db: Database.Database, sql: string, ...args: unknown[]): number => (db.prepare(sql).get(...args) as { n: number }).n;

for (const country of ['SE', 'NO'] as const) {
  describe(`${country} municipality of 2000 persons`, () => {
    let db: Database.Database;
    let r: DemoResult;
    beforeAll(() => {
      ({ db, r } = seeded({ country, persons: 2000, seed: 42 }));
    });

    it('has exactly the requested number of persons, and reports its counts truthfully', () => {
      expect(count(db, 'SELECT count(*) AS n FROM person')).toBe(2000);
      expect(r.persons).toBe(2000);
      expect(r.units).toBe(count(db, `SELECT count(*) AS n FROM org_unit WHERE kind = 'school_unit'`));
      expect(r.groups).toBe(count(db, 'SELECT count(*) AS n FROM school_group'));
      expect(r.protectedPersons).toBe(count(db, `SELECT count(*) AS n FROM person WHERE protection <> 'none'`));
      expect(isDemoDatabase(db)).toBe(true);
      expect(db.prepare('SELECT country FROM municipality').all()).toEqual([{ country }]);
    });

    it('persons without an identity number have a unique reserve number, and only they do', () => {
      expect(count(db, 'SELECT count(*) AS n FROM person WHERE id_canonical IS NULL AND reserve_number IS NULL')).toBe(0);
      expect(count(db, 'SELECT count(*) AS n FROM person WHERE id_canonical IS NOT NULL AND reserve_number IS NOT NULL')).toBe(0);
      expect(count(db, 'SELECT count(DISTINCT reserve_number) AS n FROM person')).toBe(count(db, 'SELECT count(reserve_number) AS n FROM person'));
    });

    it('given names agree with the sex (and so with the identity number)', () => {
      const L = country === 'SE' ? SE : NO;
      const female = new Set(L.female);
      const male = new Set(L.male);
      const rows = db.prepare('SELECT given_name, preferred_name, sex FROM person').all() as { given_name: string; preferred_name: string | null; sex: string }[];
      const wrong = rows.filter((r) =>
        r.given_name.split(' ').some((g) => (r.sex === 'F' ? !female.has(g) : !male.has(g)) && !(female.has(g) && male.has(g))),
      );
      expect(wrong.slice(0, 5)).toEqual([]);
      // A tilltalsnamn is one of the person's own given names.
      const badPreferred = rows.filter((r) => r.preferred_name && !r.given_name.split(' ').includes(r.preferred_name));
      expect(badPreferred.slice(0, 5)).toEqual([]);
      expect(rows.some((r) => r.preferred_name)).toBe(true);
    });

    it('every identity number re-parses as valid and agrees with the stored kind, birth date and sex', () => {
      const rows = db.prepare('SELECT id_kind, id_canonical, id_short, id_country, birth_date, sex FROM person WHERE id_canonical IS NOT NULL').all() as {
        id_kind: string;
        id_canonical: string;
        id_short: string;
        id_country: string;
        birth_date: string;
        sex: string;
      }[];
      expect(rows.length).toBeGreaterThan(1900);
      const problems: string[] = [];
      for (const p of rows) {
        const parsed = parseIdentityNumber(p.id_canonical, { today: TODAY, allowSynthetic: true, country });
        if (!parsed.ok) {
          problems.push(`${p.id_canonical}: ${parsed.code}`);
          continue;
        }
        if (parsed.canonical !== p.id_canonical) problems.push(`${p.id_canonical}: canonical ${parsed.canonical}`);
        if (parsed.birthDate !== p.birth_date) problems.push(`${p.id_canonical}: birth ${parsed.birthDate} ≠ ${p.birth_date}`);
        if (parsed.sex !== p.sex) problems.push(`${p.id_canonical}: sex ${parsed.sex} ≠ ${p.sex}`);
        if (parsed.kind !== p.id_kind) problems.push(`${p.id_canonical}: kind ${parsed.kind} ≠ ${p.id_kind}`);
        if (p.id_country !== country) problems.push(`${p.id_canonical}: country ${p.id_country}`);
        // The short form clerks type is what search indexes.
        if (p.id_short !== (country === 'SE' ? p.id_canonical.slice(2) : p.id_canonical)) problems.push(`${p.id_canonical}: short ${p.id_short}`);
      }
      expect(problems).toEqual([]);
    });

    it('Norwegian numbers are all synthetic (never a real person’s number)', () => {
      const kinds = (db.prepare('SELECT DISTINCT id_kind AS k FROM person WHERE id_kind IS NOT NULL').all() as { k: string }[]).map((x) => x.k);
      if (country === 'NO') {
        for (const k of kinds) expect(['no_synthetic']).toContain(k);
        const months = db.prepare(`SELECT id_canonical FROM person WHERE id_canonical IS NOT NULL`).all() as { id_canonical: string }[];
        for (const m of months) expect(Number(m.id_canonical.slice(2, 4))).toBeGreaterThan(80);
      } else {
        expect(kinds).toContain('se_personnummer');
      }
    });

    it('has no duplicate identity numbers (and no duplicate ids)', () => {
      expect(count(db, 'SELECT count(*) AS n FROM (SELECT id_canonical FROM person WHERE id_canonical IS NOT NULL GROUP BY id_canonical HAVING count(*) > 1)')).toBe(0);
      expect(count(db, 'SELECT count(DISTINCT id) AS n FROM person')).toBe(2000);
    });

    it('protects between 1 % and 5 % of persons, with the country’s levels', () => {
      const share = r.protectedPersons / 2000;
      expect(share).toBeGreaterThanOrEqual(0.01);
      expect(share).toBeLessThanOrEqual(0.05);
      const levels = (db.prepare(`SELECT DISTINCT protection AS p FROM person WHERE protection <> 'none'`).all() as { p: string }[]).map((x) => x.p);
      for (const l of levels) expect(l.startsWith(country.toLowerCase() + '_')).toBe(true);
    });

    it('a protected child’s guardians are protected too (one household)', () => {
      const bad = count(
        db,
        `SELECT count(*) AS n FROM guardianship g JOIN person c ON c.id = g.child_id JOIN person a ON a.id = g.guardian_id
         WHERE (c.protection = 'none') <> (a.protection = 'none')`,
      );
      expect(bad).toBe(0);
    });

    it('every child has a guardian, and guardianships point from child to adult', () => {
      expect(count(db, `SELECT count(*) AS n FROM person p WHERE p.is_child = 1 AND NOT EXISTS (SELECT 1 FROM guardianship g WHERE g.child_id = p.id)`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM guardianship g JOIN person a ON a.id = g.guardian_id WHERE a.is_guardian = 0`)).toBe(0);
      const ages = db.prepare(`SELECT c.birth_date AS c, a.birth_date AS a FROM guardianship g JOIN person c ON c.id = g.child_id JOIN person a ON a.id = g.guardian_id`).all() as { c: string; a: string }[];
      for (const x of ages) expect(ageOn(x.a, x.c), `guardian born ${x.a}, child ${x.c}`).toBeGreaterThanOrEqual(15);
      for (const x of ages) expect(ageOn(x.c, TODAY)).toBeLessThanOrEqual(18);
    });

    it('school-age children have a class in the current school year', () => {
      const firstGrade = country === 'SE' ? 6 : 6; // SE förskoleklass at 6, NO trinn 1 at 6 (by calendar year)
      const children = db.prepare(`SELECT id, birth_date FROM person WHERE is_child = 1`).all() as { id: string; birth_date: string }[];
      const inClass = db.prepare(
        `SELECT count(*) AS n FROM group_membership m JOIN school_group g ON g.id = m.group_id
         WHERE m.person_id = ? AND g.kind = 'class' AND g.school_year = ? AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)`,
      );
      let school = 0;
      for (const c of children) {
        const yearsInSy = SY - Number(c.birth_date.slice(0, 4));
        if (yearsInSy < firstGrade) continue;
        school++;
        expect((inClass.get(c.id, SY, TODAY, TODAY) as { n: number }).n, `${c.birth_date}`).toBe(1);
      }
      expect(school).toBeGreaterThan(100);
    });

    it('last year’s classes are plausible: no grade 0 in Norway, no upper-secondary class before year 1, förskoleklass is FKLASS', () => {
      const prev = db.prepare(`SELECT g.name, g.grade, g.school_form, u.school_forms FROM school_group g JOIN org_unit u ON u.id = g.unit_id WHERE g.school_year = ? AND g.kind = 'class'`).all(SY - 1) as {
        name: string;
        grade: number;
        school_form: string;
        school_forms: string;
      }[];
      for (const g of prev) {
        const forms = JSON.parse(g.school_forms) as string[];
        if (forms.includes('GY') || forms.includes('VGS')) expect(g.grade, g.name).toBeGreaterThanOrEqual(1);
        if (country === 'NO') expect(g.grade, g.name).toBeGreaterThanOrEqual(1);
        if (country === 'SE' && g.grade === 0 && forms.includes('FKLASS')) expect(g.school_form, g.name).toBe('FKLASS');
      }
    });

    it('group memberships never start after they end, and current classes are in the current school year', () => {
      expect(count(db, `SELECT count(*) AS n FROM group_membership WHERE valid_to IS NOT NULL AND valid_to < valid_from`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM group_membership m JOIN school_group g ON g.id = m.group_id WHERE m.valid_to IS NULL AND g.kind = 'class' AND g.school_year <> ?`, SY)).toBe(0);
    });

    it('staff have duties at school units, and every unit has a principal', () => {
      expect(count(db, `SELECT count(*) AS n FROM person WHERE is_staff = 1`)).toBeGreaterThan(20);
      expect(count(db, `SELECT count(*) AS n FROM person p WHERE p.is_staff = 1 AND NOT EXISTS (SELECT 1 FROM staff_duty d WHERE d.person_id = p.id)`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM staff_duty d JOIN person p ON p.id = d.person_id WHERE p.is_staff = 0`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM staff_duty d JOIN org_unit u ON u.id = d.unit_id WHERE u.kind <> 'school_unit'`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM org_unit u WHERE u.kind = 'school_unit' AND NOT EXISTS (SELECT 1 FROM staff_duty d WHERE d.unit_id = u.id AND d.role = 'principal')`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM staff_duty WHERE percent_hundredths <= 0 OR percent_hundredths > 10000 OR valid_from > ?`, TODAY)).toBe(0);
    });

    it('every e-mail address is on the reserved .invalid top-level domain', () => {
      const emails = db.prepare(`SELECT value FROM person_contact WHERE kind = 'email'`).all() as { value: string }[];
      expect(emails.length).toBeGreaterThan(100);
      for (const e of emails) expect(e.value).toMatch(/^[^\s@]+@[a-z0-9.-]+\.invalid$/);
    });

    it('birth dates are real dates in the past; every person has a current name row', () => {
      expect(count(db, `SELECT count(*) AS n FROM person WHERE birth_date IS NULL OR birth_date > ? OR date(birth_date) IS NOT birth_date`, TODAY)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM person p WHERE (SELECT count(*) FROM person_name n WHERE n.person_id = p.id AND n.valid_to IS NULL) <> 1`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM person p WHERE NOT EXISTS (SELECT 1 FROM person_name_token t WHERE t.person_id = p.id)`)).toBe(0);
    });

    it('the search index covers every person', () => {
      expect(count(db, `SELECT count(*) AS n FROM person_fts`)).toBe(2000);
      expect(() => db.prepare(`INSERT INTO person_fts(person_fts, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
    });

    it('units use the country’s school forms and valid codes', () => {
      const units = db.prepare(`SELECT school_unit_code, gsi_code, org_number, school_forms FROM org_unit WHERE kind = 'school_unit'`).all() as {
        school_unit_code: string | null;
        gsi_code: string | null;
        org_number: string;
        school_forms: string;
      }[];
      const allowed = country === 'SE' ? ['FS', 'FTH', 'OPPFTH', 'FKLASS', 'GR', 'GRS', 'GY', 'GYS', 'VUX'] : ['BHG', 'GSK', 'SFO', 'VGS'];
      for (const u of units) {
        for (const f of JSON.parse(u.school_forms) as string[]) expect(allowed).toContain(f);
        if (country === 'SE') {
          expect(u.school_unit_code).toMatch(/^\d{8}$/);
          expect(u.gsi_code).toBeNull();
        } else {
          expect(u.gsi_code).toMatch(/^\d{4,9}$/);
          expect(u.school_unit_code).toBeNull();
        }
      }
      expect(new Set(units.map((u) => u.school_unit_code ?? u.gsi_code)).size).toBe(units.length);
    });
  });
}

describe('determinism and limits', () => {
  const snapshot = (db: Database.Database) => ({
    persons: db.prepare('SELECT given_name, middle_name, family_name, birth_date, sex, id_canonical, protection FROM person ORDER BY rowid').all(),
    units: db.prepare('SELECT name, school_unit_code FROM org_unit ORDER BY rowid').all(),
    groups: db.prepare('SELECT name, school_year, grade FROM school_group ORDER BY rowid').all(),
  });

  it('the same seed gives the same municipality (ids aside); another seed a different one', () => {
    const a = seeded({ country: 'SE', persons: 500, seed: 9 });
    const b = seeded({ country: 'SE', persons: 500, seed: 9 });
    const c = seeded({ country: 'SE', persons: 500, seed: 10 });
    expect(snapshot(b.db)).toEqual(snapshot(a.db));
    expect({ ...b.r, ms: 0 }).toEqual({ ...a.r, ms: 0 });
    expect(snapshot(c.db).persons).not.toEqual(snapshot(a.db).persons);
    const ids = (db: Database.Database) => (db.prepare('SELECT id FROM person ORDER BY rowid LIMIT 5').all() as { id: string }[]).map((x) => x.id);
    expect(ids(a.db)).not.toEqual(ids(b.db));
  });

  it('gives exactly N persons for small and odd sizes', () => {
    for (const persons of [20, 21, 57, 333]) {
      const { db, r } = seeded({ country: persons % 2 ? 'NO' : 'SE', persons, seed: persons });
      expect(count(db, 'SELECT count(*) AS n FROM person'), String(persons)).toBe(persons);
      expect(r.persons).toBe(persons);
    }
  });

  it('refuses fewer than 20 persons or a non-integer, and writes nothing', () => {
    const db = new Database(join(dir, 'refused.sqlite'));
    dbs.push(db);
    migrate(db);
    expect(() => seedDemo(db, { country: 'SE', persons: 19 })).toThrow(/at least 20/);
    expect(() => seedDemo(db, { country: 'SE', persons: 20.5 })).toThrow(/integer/);
    expect(count(db, 'SELECT count(*) AS n FROM person')).toBe(0);
    expect(count(db, 'SELECT count(*) AS n FROM app_meta')).toBe(0);
  });
});
