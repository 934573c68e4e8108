/** The synthetic municipality: sizes, valid and consistent identity numbers, protection share, determinism, structure. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate';
import { applyPragmas } from '../../db/open';
import { parseIdentityNumber } from '../../shared/identity';
import { addMonths, ageOn, schoolYearOf } from '../dates';
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

    it('every class and department membership follows one enrolment or placement, with the same dates', () => {
      expect(count(db, `SELECT count(*) AS n FROM group_membership WHERE source_id IS NULL`)).toBe(0);
      for (const [table, person] of [['enrolment', 'pupil_id'], ['placement', 'child_id']] as const) {
        expect(count(db, `SELECT count(*) AS n FROM ${table}`), table).toBeGreaterThan(50);
        const unfollowed = count(
          db,
          `SELECT count(*) AS n FROM ${table} s WHERE s.group_id IS NOT NULL AND (
             SELECT count(*) FROM group_membership m WHERE m.source_id = s.id AND m.group_id = s.group_id AND m.person_id = s.${person}
               AND m.valid_from = s.valid_from AND m.valid_to IS s.valid_to) <> 1`,
        );
        expect(unfollowed, table).toBe(0);
        expect(count(db, `SELECT count(*) AS n FROM ${table} s WHERE (SELECT count(*) FROM group_membership m WHERE m.source_id = s.id) <> (s.group_id IS NOT NULL)`), table).toBe(0);
      }
      const orphans = count(db, `SELECT count(*) AS n FROM group_membership m WHERE NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.id = m.source_id) AND NOT EXISTS (SELECT 1 FROM placement p WHERE p.id = m.source_id)`);
      expect(orphans).toBe(0);
      // Classes are enrolled in, departments placed in.
      expect(count(db, `SELECT count(*) AS n FROM enrolment e JOIN school_group g ON g.id = e.group_id WHERE g.kind <> 'class' OR g.unit_id <> e.unit_id OR g.school_form <> e.school_form OR g.grade <> e.grade`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM placement p JOIN school_group g ON g.id = p.group_id WHERE g.kind <> 'department' OR g.unit_id <> p.unit_id OR g.school_form <> p.school_form`)).toBe(0);
    });

    it('no pupil has overlapping enrolments, and no child overlapping placements of one family of care', () => {
      const overlap = (table: string, person: string, same: string) =>
        count(
          db,
          `SELECT count(*) AS n FROM ${table} a JOIN ${table} b ON b.${person} = a.${person} AND b.id > a.id AND ${same}
           WHERE a.valid_from <= coalesce(b.valid_to, '9999-12-31') AND b.valid_from <= coalesce(a.valid_to, '9999-12-31')`,
        );
      expect(overlap('enrolment', 'pupil_id', '1')).toBe(0);
      const family = (t: string) => `(CASE WHEN ${t}.school_form IN ('FS', 'PO', 'BHG') THEN 'preschool' ELSE 'afterschool' END)`;
      expect(overlap('placement', 'child_id', `${family('a')} = ${family('b')}`)).toBe(0);
      // Last year's class ends with its school year and this year's starts after it.
      expect(count(db, `SELECT count(*) AS n FROM enrolment WHERE valid_to IS NOT NULL AND valid_to <> ?`, `${SY}-07-31`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM enrolment WHERE valid_to IS NOT NULL`)).toBeGreaterThan(50);
    });

    it('groups live for their school year, units opened years ago, and every enrolment and placement fits both', () => {
      expect(count(db, `SELECT count(*) AS n FROM school_group WHERE valid_from IS NOT (school_year || '-08-01') OR valid_to IS NOT ((school_year + 1) || '-07-31')`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM org_unit WHERE kind = 'school_unit' AND (opened_on IS NULL OR opened_on > ? OR closed_on IS NOT NULL)`, `${SY - 12}-08-01`)).toBe(0);
      for (const table of ['enrolment', 'placement']) {
        const outside = count(
          db,
          `SELECT count(*) AS n FROM ${table} s JOIN school_group g ON g.id = s.group_id
           WHERE s.valid_from < g.valid_from OR s.valid_from > g.valid_to OR (s.valid_to IS NOT NULL AND s.valid_to > g.valid_to)`,
        );
        expect(outside, table).toBe(0);
        expect(count(db, `SELECT count(*) AS n FROM ${table} s JOIN org_unit u ON u.id = s.unit_id WHERE s.valid_from < u.opened_on OR NOT EXISTS (SELECT 1 FROM json_each(u.school_forms) f WHERE f.value = s.school_form)`), table).toBe(0);
      }
    });

    it('many young pupils have after-school care at their own school, without a group', () => {
      const [form, from, to] = country === 'SE' ? ['FTH', 0, 3] : ['SFO', 1, 4];
      const eligible = count(db, `SELECT count(*) AS n FROM enrolment WHERE valid_to IS NULL AND grade BETWEEN ? AND ? AND school_form IN ('FKLASS', 'GR', 'GSK')`, from, to);
      const cared = db.prepare(
        `SELECT p.group_id, p.weekly_hours, e.unit_id AS school, p.unit_id, e.grade FROM placement p
         LEFT JOIN enrolment e ON e.pupil_id = p.child_id AND e.valid_to IS NULL
         WHERE p.school_form = ?`,
      ).all(form) as { group_id: string | null; weekly_hours: number; school: string | null; unit_id: string; grade: number | null }[];
      expect(cared.length).toBeGreaterThan(eligible * 0.5);
      expect(cared.length).toBeLessThan(eligible * 0.95);
      for (const c of cared) {
        expect(c.group_id).toBeNull();
        expect(c.unit_id).toBe(c.school);
        expect(c.grade).toBeGreaterThanOrEqual(from);
        expect(c.grade).toBeLessThanOrEqual(to);
      }
      expect(count(db, `SELECT count(*) AS n FROM placement WHERE school_form NOT IN (?, ?)`, form, country === 'SE' ? 'FS' : 'BHG')).toBe(0);
    });

    it('placements are accepted, for a care need, within the hours, held by the child’s guardians the child is not shielded from', () => {
      expect(count(db, `SELECT count(*) AS n FROM placement WHERE state <> 'accepted' OR reason <> 'care_need' OR weekly_hours IS NULL`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM placement WHERE school_form IN ('FS', 'BHG') AND weekly_hours NOT BETWEEN 25 AND 45`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM placement p WHERE NOT EXISTS (SELECT 1 FROM placement_owner o WHERE o.placement_id = p.id)`)).toBe(0);
      const wrongOwner = count(
        db,
        `SELECT count(*) AS n FROM placement_owner o JOIN placement p ON p.id = o.placement_id
         WHERE NOT EXISTS (SELECT 1 FROM guardianship g WHERE g.child_id = p.child_id AND g.guardian_id = o.guardian_id AND g.shielded = 0
           AND g.valid_from <= p.valid_from AND (g.valid_to IS NULL OR g.valid_to >= p.valid_from))`,
      );
      expect(wrongOwner).toBe(0);
    });

    it('invoice shares of a child’s guardians at today add up to 100; guardians living together share 50/50', () => {
      const totals = db.prepare(
        `SELECT child_id, sum(invoice_share) AS total, count(*) AS n, sum(lives_with) AS living FROM guardianship
         WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) GROUP BY child_id`,
      ).all(TODAY, TODAY) as { child_id: string; total: number; n: number; living: number }[];
      expect(totals.length).toBeGreaterThan(500);
      for (const t of totals) expect(t.total, t.child_id).toBe(100);
      expect(count(db, `SELECT count(*) AS n FROM guardianship WHERE invoice_share NOT IN (0, 50, 100) OR (shielded = 1 AND (invoice_share <> 0 OR lives_with = 1))`)).toBe(0);
      // One guardian alone receives the whole invoice.
      expect(totals.filter((t) => t.n === 1).length).toBeGreaterThan(50);
    });

    it('every child lives in a household; a person is in two households at once only as a child in shared residence', () => {
      const current = `valid_from <= '${TODAY}' AND (valid_to IS NULL OR valid_to >= '${TODAY}')`;
      expect(count(db, `SELECT count(*) AS n FROM person p WHERE p.is_child = 1 AND NOT EXISTS (SELECT 1 FROM household_member m WHERE m.person_id = p.id AND ${current})`)).toBe(0);
      const several = db.prepare(
        `SELECT person_id, count(*) AS n, sum(shared) AS shared, min(role) AS role FROM household_member WHERE ${current} GROUP BY person_id HAVING count(*) > 1`,
      ).all() as { person_id: string; n: number; shared: number; role: string }[];
      for (const s of several) expect(s, s.person_id).toMatchObject({ n: 2, shared: 2, role: 'child' });
      expect(count(db, `SELECT count(*) AS n FROM household_member WHERE shared = 1 AND role <> 'child'`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM household h WHERE NOT EXISTS (SELECT 1 FROM household_member m WHERE m.household_id = h.id AND m.role = 'adult')`)).toBe(0);
      expect(count(db, `SELECT count(*) AS n FROM household_member WHERE valid_to IS NOT NULL AND valid_to < valid_from`)).toBe(0);
    });

    it('a child in shared residence is in exactly two households, both marked shared, one per parent, each parent invoiced half', () => {
      const current = (a: string) => `${a}.valid_from <= '${TODAY}' AND (${a}.valid_to IS NULL OR ${a}.valid_to >= '${TODAY}')`;
      const sharedChildren = db.prepare(`SELECT DISTINCT person_id FROM household_member m WHERE m.shared = 1 AND ${current('m')}`).pluck().all() as string[];
      expect(sharedChildren.length).toBeGreaterThan(5);
      for (const c of sharedChildren) {
        const homes = db.prepare(`SELECT household_id, shared FROM household_member m WHERE person_id = ? AND ${current('m')}`).all(c) as { household_id: string; shared: number }[];
        expect(homes.map((h) => h.shared)).toEqual([1, 1]);
        const adults = homes.map(
          (h) => db.prepare(`SELECT m.person_id FROM household_member m JOIN guardianship g ON g.guardian_id = m.person_id AND g.child_id = ? WHERE m.household_id = ? AND m.role = 'adult' AND ${current('m')}`).pluck().all(c, h.household_id) as string[],
        );
        expect(adults.map((a) => a.length)).toEqual([1, 1]);
        expect(adults[0]![0]).not.toBe(adults[1]![0]);
        const shares = db.prepare(`SELECT invoice_share, lives_with FROM guardianship WHERE child_id = ? ORDER BY guardian_id`).all(c);
        expect(shares).toEqual([{ invoice_share: 50, lives_with: 1 }, { invoice_share: 50, lives_with: 1 }]);
      }
    });

    it('members of one household share their protection (one reveals the other)', () => {
      const mixed = count(
        db,
        `SELECT count(*) AS n FROM (SELECT m.household_id FROM household_member m JOIN person p ON p.id = m.person_id
           GROUP BY m.household_id HAVING min(p.protection = 'none') <> max(p.protection = 'none'))`,
      );
      expect(mixed).toBe(0);
    });

    it('guardians have a preferred language (the country’s or their mother tongue) and may mostly be messaged', () => {
      const rows = db.prepare(`SELECT preferred_language AS lang, mother_tongue AS mother, maalform, messages_allowed AS ok FROM person WHERE is_guardian = 1`).all() as {
        lang: string | null;
        mother: string;
        maalform: string | null;
        ok: number;
      }[];
      const own = country === 'SE' ? 'sv' : null;
      for (const r of rows) expect([own ?? r.maalform, r.mother]).toContain(r.lang);
      const foreign = rows.filter((r) => r.lang !== (own ?? r.maalform));
      expect(foreign.length).toBeGreaterThan(rows.length * 0.02);
      expect(foreign.length).toBeLessThan(rows.length * 0.3);
      const blocked = rows.filter((r) => r.ok === 0).length;
      expect(blocked).toBeGreaterThan(0);
      expect(blocked).toBeLessThan(rows.length * 0.08);
      expect(count(db, `SELECT count(*) AS n FROM person WHERE is_guardian = 0 AND (preferred_language IS NOT NULL OR messages_allowed <> 1)`)).toBe(0);
    });
  });
}

describe('care data at a larger scale (12 000 persons): rates and the preschool queue', () => {
  let db: Database.Database;
  let r: DemoResult;
  beforeAll(() => {
    ({ db, r } = seeded({ country: 'SE', persons: 12_000, seed: 7 }));
  }, 60_000);

  it('reports its care counts truthfully', () => {
    expect(r.enrolments).toBe(count(db, `SELECT count(*) AS n FROM enrolment`));
    expect(r.placements).toBe(count(db, `SELECT count(*) AS n FROM placement`));
    expect(r.households).toBe(count(db, `SELECT count(*) AS n FROM household`));
    expect(r.applications).toBe(count(db, `SELECT count(*) AS n FROM application`));
  });

  it('about 8 % of families are separated parents sharing the children, some with a new partner who is no guardian', () => {
    const families = count(db, `SELECT count(DISTINCT guardian_id) AS n FROM guardianship g JOIN person p ON p.id = g.guardian_id WHERE p.sex = 'F' OR NOT EXISTS (SELECT 1 FROM guardianship o WHERE o.child_id = g.child_id AND o.guardian_id <> g.guardian_id)`);
    const separated = count(db, `SELECT count(*) AS n FROM household h WHERE EXISTS (SELECT 1 FROM household_member m WHERE m.household_id = h.id AND m.shared = 1)`) / 2;
    expect(separated / families).toBeGreaterThan(0.05);
    expect(separated / families).toBeLessThan(0.11);
    const partners = count(
      db,
      `SELECT count(*) AS n FROM household_member m JOIN person p ON p.id = m.person_id
       WHERE m.role = 'adult' AND p.is_guardian = 0 AND p.is_child = 0 AND NOT EXISTS (SELECT 1 FROM guardianship g WHERE g.guardian_id = p.id)`,
    );
    expect(partners / separated).toBeGreaterThan(0.07);
    expect(partners / separated).toBeLessThan(0.25);
  });

  it('about 0.3 % of guardianships shield the child; that guardian lives elsewhere, is invoiced nothing and holds no placement', () => {
    const shielded = db.prepare(`SELECT guardian_id, child_id, lives_with, invoice_share FROM guardianship WHERE shielded = 1`).all() as {
      guardian_id: string;
      child_id: string;
      lives_with: number;
      invoice_share: number;
    }[];
    const all = count(db, `SELECT count(*) AS n FROM guardianship`);
    expect(shielded.length / all).toBeGreaterThan(0.001);
    expect(shielded.length / all).toBeLessThan(0.006);
    for (const s of shielded) {
      expect(s).toMatchObject({ lives_with: 0, invoice_share: 0 });
      expect(count(db, `SELECT count(*) AS n FROM placement_owner o JOIN placement p ON p.id = o.placement_id WHERE o.guardian_id = ? AND p.child_id = ?`, s.guardian_id, s.child_id)).toBe(0);
      const together = count(
        db,
        `SELECT count(*) AS n FROM household_member a JOIN household_member b ON b.household_id = a.household_id WHERE a.person_id = ? AND b.person_id = ?`,
        s.guardian_id,
        s.child_id,
      );
      expect(together).toBe(0);
      const sameAddress = count(
        db,
        `SELECT count(*) AS n FROM person_address a JOIN person_address b ON b.street = a.street AND b.postal_code = a.postal_code WHERE a.person_id = ? AND b.person_id = ?`,
        s.guardian_id,
        s.child_id,
      );
      expect(sameAddress).toBe(0);
    }
  });

  it('about 60 % of children up to one year old without a place are in the preschool queue, with 1–3 preschool choices', () => {
    const young = db.prepare(
      `SELECT p.id, p.birth_date, EXISTS (SELECT 1 FROM application a WHERE a.child_id = p.id) AS queued FROM person p
       WHERE p.is_child = 1 AND NOT EXISTS (SELECT 1 FROM placement x WHERE x.child_id = p.id)`,
    ).all() as { id: string; birth_date: string; queued: number }[];
    const eligible = young.filter((c) => ageOn(c.birth_date, TODAY) <= 1);
    const share = eligible.filter((c) => c.queued).length / eligible.length;
    expect(eligible.length).toBeGreaterThan(50);
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.75);
    // Only those: nobody with a place, nobody older.
    expect(young.filter((c) => c.queued && ageOn(c.birth_date, TODAY) > 1)).toEqual([]);
    expect(count(db, `SELECT count(*) AS n FROM application a WHERE EXISTS (SELECT 1 FROM placement x WHERE x.child_id = a.child_id)`)).toBe(0);
    expect(count(db, `SELECT count(*) AS n FROM (SELECT child_id FROM application GROUP BY child_id HAVING count(*) > 1)`)).toBe(0);

    const choices = db.prepare(
      `SELECT a.id, count(*) AS n, count(DISTINCT c.unit_id) AS units, min(c.rank) AS lo, max(c.rank) AS hi,
         sum(EXISTS (SELECT 1 FROM json_each(u.school_forms) f WHERE f.value = 'FS')) AS preschools
       FROM application a JOIN application_choice c ON c.application_id = a.id JOIN org_unit u ON u.id = c.unit_id GROUP BY a.id`,
    ).all() as { id: string; n: number; units: number; lo: number; hi: number; preschools: number }[];
    expect(choices.length).toBe(r.applications);
    for (const c of choices) {
      expect(c.n).toBeGreaterThanOrEqual(1);
      expect(c.n).toBeLessThanOrEqual(3);
      expect(c).toMatchObject({ units: c.n, lo: 1, hi: c.n, preschools: c.n });
    }
  });

  it('applications are queued within the last six months, wish a start 2–6 months later, and a few are past the guarantee', () => {
    const apps = db.prepare(`SELECT a.applied_on, a.wished_start, a.status, a.school_form, p.birth_date FROM application a JOIN person p ON p.id = a.child_id`).all() as {
      applied_on: string;
      wished_start: string;
      status: string;
      school_form: string;
      birth_date: string;
    }[];
    for (const a of apps) {
      expect(a).toMatchObject({ status: 'queued', school_form: 'FS' });
      expect(a.applied_on >= addMonths(TODAY, -6) && a.applied_on <= TODAY, a.applied_on).toBe(true);
      expect(a.applied_on >= a.birth_date).toBe(true);
      expect(a.wished_start >= addMonths(a.applied_on, 2) && a.wished_start <= addMonths(a.applied_on, 6), `${a.applied_on} → ${a.wished_start}`).toBe(true);
    }
    // The guarantee: a place within four months of the application, or from the wished start if later.
    const overdue = apps.filter((a) => [addMonths(a.applied_on, 4), a.wished_start].sort()[1]! < TODAY).length;
    expect(overdue).toBeGreaterThan(0);
    expect(overdue / apps.length).toBeLessThan(0.1);
  });
});

describe('determinism and limits', () => {
  const snapshot = (db: Database.Database) => ({
    persons: db.prepare('SELECT given_name, middle_name, family_name, birth_date, sex, id_canonical, protection FROM person ORDER BY rowid').all(),
    units: db.prepare('SELECT name, school_unit_code FROM org_unit ORDER BY rowid').all(),
    groups: db.prepare('SELECT name, school_year, grade FROM school_group ORDER BY rowid').all(),
    enrolments: db.prepare('SELECT school_form, grade, valid_from, valid_to FROM enrolment ORDER BY rowid').all(),
    placements: db.prepare('SELECT school_form, valid_from, weekly_hours, (SELECT count(*) FROM placement_owner o WHERE o.placement_id = p.id) AS owners FROM placement p ORDER BY rowid').all(),
    guardianships: db.prepare('SELECT lives_with, invoice_share, shielded FROM guardianship ORDER BY rowid').all(),
    households: db.prepare('SELECT role, shared, valid_from, valid_to FROM household_member ORDER BY rowid').all(),
    applications: db.prepare('SELECT applied_on, wished_start, (SELECT count(*) FROM application_choice c WHERE c.application_id = a.id) AS choices FROM application a ORDER BY rowid').all(),
    languages: db.prepare('SELECT preferred_language, messages_allowed FROM person ORDER BY rowid').all(),
  });

  it('the same seed gives the same municipality (ids aside); another seed a different one', () => {
    const a = seeded({ country: 'SE', persons: 500, seed: 9 });
    const b = seeded({ country: 'SE', persons: 500, seed: 9 });
    const c = seeded({ country: 'SE', persons: 500, seed: 10 });
    expect(snapshot(b.db)).toEqual(snapshot(a.db));
    expect({ ...b.r, ms: 0 }).toEqual({ ...a.r, ms: 0 });
    expect(a.r.enrolments + a.r.placements + a.r.households).toBeGreaterThan(100);
    expect(snapshot(c.db).persons).not.toEqual(snapshot(a.db).persons);
    const ids = (db: Database.Database) => (db.prepare('SELECT id FROM person ORDER BY rowid LIMIT 5').all() as { id: string }[]).map((x) => x.id);
    expect(ids(a.db)).not.toEqual(ids(b.db));
  });

  it("declares households' incomes when asked (the app's demo): about four in five declared, one in twenty not, the register itself the same", () => {
    const plain = seeded({ country: 'SE', persons: 800, seed: 9 });
    const withIncomes = seeded({ country: 'SE', persons: 800, seed: 9, incomes: true });
    expect(count(plain.db, 'SELECT count(*) AS n FROM income_declaration')).toBe(0);
    // The incomes draw from their own stream: the people, places and households are the seed's as before.
    expect(snapshot(withIncomes.db)).toEqual(snapshot(plain.db));
    const households = count(withIncomes.db, 'SELECT count(*) AS n FROM household');
    const rows = withIncomes.db.prepare('SELECT household_id, valid_from, monthly_income, source FROM income_declaration').all() as {
      household_id: string;
      valid_from: string;
      monthly_income: number | null;
      source: string;
    }[];
    const declared = rows.filter((r) => r.source === 'declared');
    const refused = rows.filter((r) => r.source === 'not_declared');
    expect(declared.length / households).toBeGreaterThan(0.7);
    expect(declared.length / households).toBeLessThan(0.9);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.monthly_income === null)).toBe(true);
    // Whole kronor from 12 000 to 80 000 a month, from 1 January; one declaration per household at most.
    for (const r of declared) {
      expect(r.monthly_income! % 100).toBe(0);
      expect(r.monthly_income).toBeGreaterThanOrEqual(1_200_000);
      expect(r.monthly_income).toBeLessThanOrEqual(8_000_000);
    }
    expect(new Set(rows.map((r) => r.valid_from))).toEqual(new Set([`${TODAY.slice(0, 4)}-01-01`]));
    expect(new Set(rows.map((r) => r.household_id)).size).toBe(rows.length);
    // Some above the 2026 ceiling (61 560 kr), most below: the fee screens show the whole range.
    expect(declared.some((r) => r.monthly_income! > 6_156_000)).toBe(true);
    expect(declared.filter((r) => r.monthly_income! < 6_156_000).length).toBeGreaterThan(declared.length / 2);
  });

  it('leaves the schema as the migrations made it: every index and trigger it set aside for the bulk load is back', () => {
    const fresh = new Database(join(dir, 'schema-fresh.sqlite'));
    dbs.push(fresh);
    migrate(fresh);
    const schema = (db: Database.Database) => db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'table') AND name NOT LIKE 'sqlite_stat%' ORDER BY type, name`).all();
    const { db } = seeded({ country: 'NO', persons: 300, seed: 5 });
    expect(schema(db)).toEqual(schema(fresh));
    expect(() => db.prepare(`SELECT * FROM enrolment INDEXED BY enrolment_pupil WHERE pupil_id = 'x'`).all()).not.toThrow();
  });

  it('gives exactly N persons for small and odd sizes', () => {
    for (const persons of [20, 21, 57, 333]) {
      const { db, r } = seeded({ country: persons % 2 ? 'NO' : 'SE', persons, seed: persons });
      expect(count(db, 'SELECT count(*) AS n FROM person'), String(persons)).toBe(persons);
      expect(r.persons).toBe(persons);
    }
  });

  it('draws its ids from the seed when asked (the tests), at random otherwise; UUIDs either way, none repeated', () => {
    const ids = (o: Partial<DemoOptions>) => {
      const { db } = seeded({ country: 'SE', persons: 120, seed: 7, ...o });
      return db.prepare('SELECT id FROM person UNION ALL SELECT id FROM guardianship UNION ALL SELECT id FROM person_address ORDER BY 1').pluck().all() as string[];
    };
    const a = ids({ deterministicIds: true });
    const b = ids({ deterministicIds: true });
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
    for (const id of a) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids({ deterministicIds: true, seed: 8 })).not.toEqual(a);
    const c = ids({});
    expect(c).toHaveLength(a.length);
    expect(c.filter((id) => a.includes(id))).toEqual([]);
  });

  it('refuses fewer than 20 persons or a non-integer, and writes nothing', () => {
    const db = new Database(join(dir, 'refused.sqlite'));
    dbs.push(db);
    migrate(db);
    // The migrations' own settings (the audit person index's mark) are there before the seed.
    const meta = db.prepare('SELECT key, value FROM app_meta ORDER BY key').all();
    expect(() => seedDemo(db, { country: 'SE', persons: 19 })).toThrow(/at least 20/);
    expect(() => seedDemo(db, { country: 'SE', persons: 20.5 })).toThrow(/integer/);
    expect(count(db, 'SELECT count(*) AS n FROM person')).toBe(0);
    expect(db.prepare('SELECT key, value FROM app_meta ORDER BY key').all()).toEqual(meta);
  });
});
