/**
 * Synthetic municipality for demos, tests and benchmarks (Swedish or Norwegian profile).
 * Households of guardians and children with a realistic age spread, preschools, schools with classes per
 * grade, upper secondary schools, staff duties, a few percent protected identities, and identity numbers
 * generated with valid check digits by this project (Norwegian demo numbers use the synthetic range,
 * month + 80, which the population register never issues). Deterministic for a given seed.
 * Written with prepared statements in one transaction: a seed either completes or leaves nothing.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ProtectionLevel, SchoolForm } from '../../shared/api/schemas';
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from '../../shared/identity';
import { makeOrgNumber } from '../../shared/orgnumber';
import { foldText } from '../../shared/text';
import { addDays, schoolYearOf } from '../dates';
import { nameTokensOf, searchTextOf, shortIdOf, sortKeyOf } from '../register/persons';
import { NO, SE } from './names';

export interface DemoOptions {
  country: 'SE' | 'NO';
  persons: number;
  seed?: number;
  today?: string;
}

export interface DemoResult {
  persons: number;
  units: number;
  groups: number;
  protectedPersons: number;
  ms: number;
}

const ACTOR = 'demo-seed';

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function isDemoDatabase(sqlite: Database.Database): boolean {
  const r = sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'demo'`).get() as { value: string } | undefined;
  return r?.value === '1';
}

interface Unit {
  id: string;
  name: string;
  forms: SchoolForm[];
  kind: 'preschool' | 'school' | 'upper';
  /** grade → current-year groups (classes) with fill counters. */
  groups: Map<number, { id: string; count: number; prevId: string | null }[]>;
  children: number;
}

export function seedDemo(sqlite: Database.Database, opts: DemoOptions): DemoResult {
  if (!Number.isInteger(opts.persons) || opts.persons < 20) throw new Error('--persons must be an integer of at least 20');
  const t0 = performance.now();
  const rnd = mulberry32(opts.seed ?? 20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const L = opts.country === 'SE' ? SE : NO;
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const now = new Date().toISOString();
  const sy = schoolYearOf(today);
  const syStart = opts.country === 'SE' ? `${sy}-08-18` : `${sy}-08-19`;
  const prevStart = opts.country === 'SE' ? `${sy - 1}-08-18` : `${sy - 1}-08-19`;
  const todayYear = Number(today.slice(0, 4));
  const rec = [1, now, ACTOR, now, ACTOR];

  const S = {
    meta: sqlite.prepare(`INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)`),
    muni: sqlite.prepare(`INSERT INTO municipality (id, name, country, code, org_number, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?)`),
    unit: sqlite.prepare(`INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_unit_code, org_number, gsi_code, school_forms, visiting_address, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    group: sqlite.prepare(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    person: sqlite.prepare(`INSERT INTO person (id, id_kind, id_canonical, id_short, id_country, reserve_number, birth_date, sex, status, given_name, middle_name, family_name, preferred_name, sort_key, search_text, nationality, mother_tongue, maalform, protection, is_child, is_guardian, is_staff, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    name: sqlite.prepare(`INSERT INTO person_name (id, person_id, given_name, middle_name, family_name, preferred_name, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    token: sqlite.prepare(`INSERT INTO person_name_token (token, sort_key, person_id) VALUES (?,?,?)`),
    address: sqlite.prepare(`INSERT INTO person_address (id, person_id, kind, care_of, street, postal_code, city, country, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    contact: sqlite.prepare(`INSERT INTO person_contact (id, person_id, kind, value, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)`),
    member: sqlite.prepare(`INSERT INTO group_membership (id, group_id, person_id, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?)`),
    duty: sqlite.prepare(`INSERT INTO staff_duty (id, person_id, unit_id, role, percent_hundredths, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`),
    guardian: sqlite.prepare(`INSERT INTO guardianship (id, child_id, guardian_id, kind, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)`),
    staffFlag: sqlite.prepare(`UPDATE person SET is_staff = 1 WHERE id = ?`),
  };

  const usedIds = new Set<string>();
  function identity(birthDate: string, variant: 'normal' | 'coordination' | 'none', sex: 'F' | 'M'): { kind: string | null; canonical: string | null; sex: 'F' | 'M' } {
    const wantFemale = sex === 'F';
    if (variant === 'none') return { kind: null, canonical: null, sex: wantFemale ? 'F' : 'M' };
    for (let attempt = 0; attempt < 200; attempt++) {
      if (opts.country === 'SE') {
        // Birth number's last digit decides sex: odd male, even female.
        let serial = 1 + Math.floor(rnd() * 998);
        if ((serial % 2 === 0) !== wantFemale) serial = serial === 999 ? 998 : serial + 1;
        const c = makeSwedishPersonnummer(birthDate, serial, { samordning: variant === 'coordination' });
        if (usedIds.has(c)) continue;
        usedIds.add(c);
        return { kind: variant === 'coordination' ? 'se_samordningsnummer' : 'se_personnummer', canonical: c, sex: wantFemale ? 'F' : 'M' };
      }
      const y = Number(birthDate.slice(0, 4));
      const base = y >= 2000 ? 500 : 0;
      let individ = base + Math.floor(rnd() * 499);
      if ((individ % 2 === 0) !== wantFemale) individ += 1;
      const c = makeNorwegianFodselsnummer(birthDate, individ, { synthetic: true, dNumber: variant === 'coordination' });
      if (!c || usedIds.has(c)) continue;
      usedIds.add(c);
      // A synthetic D-nummer is still a synthetic number: the parser (and so every later update) calls it
      // no_synthetic, and the stored kind must agree with it.
      return { kind: 'no_synthetic', canonical: c, sex: wantFemale ? 'F' : 'M' };
    }
    throw new Error(`Could not generate a free identity number for ${birthDate}`);
  }

  function birthDateForAge(age: number): string {
    const d = addDays(`${todayYear - age}-01-01`, Math.floor(rnd() * 365));
    return d > today ? addDays(today, -1) : d;
  }

  let personCount = 0;
  let reserveSerial = 0;
  let protectedCount = 0;
  function insertPerson(p: {
    birthDate: string;
    given: string;
    family: string;
    middle?: string | null;
    preferred?: string | null;
    idVariant: 'normal' | 'coordination' | 'none';
    protection: ProtectionLevel;
    child: boolean;
    guardian: boolean;
    staff: boolean;
    /** Decides the given name list and the identity number's sex digit, so the two agree. */
    sex: 'F' | 'M';
  }): { id: string; sex: 'F' | 'M' } {
    const id = randomUUID();
    const ident = identity(p.birthDate, p.idVariant, p.sex);
    const names = { givenName: p.given, middleName: p.middle ?? null, familyName: p.family, preferredName: p.preferred ?? null };
    const sortKey = sortKeyOf(names);
    const short = shortIdOf(ident.canonical, opts.country);
    S.person.run(
      // Newly arrived children without a number get the municipality's reserve number.
      id, ident.kind, ident.canonical, short, ident.canonical ? opts.country : null, ident.canonical ? null : `R-${todayYear}-${String(++reserveSerial).padStart(4, '0')}`, p.birthDate, ident.sex, 'active',
      p.given, names.middleName, p.family, names.preferredName, sortKey,
      searchTextOf({ ...names, idCanonical: ident.canonical, idShort: short }),
      rnd() < 0.9 ? opts.country : pick(L.nationality), pick(L.mother),
      opts.country === 'NO' ? (rnd() < 0.12 ? 'nn' : 'nb') : null,
      p.protection, p.child ? 1 : 0, p.guardian ? 1 : 0, p.staff ? 1 : 0, ...rec,
    );
    for (const t of nameTokensOf(names)) S.token.run(t, sortKey, id);
    S.name.run(randomUUID(), id, p.given, names.middleName, p.family, names.preferredName, p.birthDate, null, ...rec);
    personCount++;
    if (p.protection !== 'none') protectedCount++;
    return { id, sex: ident.sex };
  }

  function givenFor(sex: 'F' | 'M'): string {
    return pick(sex === 'F' ? L.female : L.male);
  }

  // Bulk load: a large page cache keeps the growing indexes in memory instead of spilling pages to the WAL
  // mid-transaction, and the trigram index is rebuilt once at the end instead of row by row (both measured:
  // together several times faster at 500 000 persons). The triggers are restored from their own SQL.
  const cacheBefore = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -2000000');
  const result = sqlite.transaction((): DemoResult => {
    const ftsTriggers = sqlite
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'person' AND name LIKE 'person_fts_%'`)
      .all() as { name: string; sql: string }[];
    for (const t of ftsTriggers) sqlite.exec(`DROP TRIGGER "${t.name}"`);
    S.meta.run('demo', '1');
    S.meta.run('demo_country', opts.country);
    const muniId = randomUUID();
    S.muni.run(muniId, L.municipality.name, opts.country, L.municipality.code, makeOrgNumber(opts.country, 1), ...rec);
    const adminIds = L.administrations.map((name) => {
      const id = randomUUID();
      S.unit.run(id, muniId, null, 'administration', name, foldText(name), null, null, null, '[]', null, ...rec);
      return id;
    });
    const adminFor = (kind: Unit['kind']) => (kind === 'preschool' ? adminIds[0]! : kind === 'school' ? adminIds[1]! : adminIds[adminIds.length - 1]!);

    // Size the organisation from the expected number of children (about 46 % of the register).
    const children = opts.persons * 0.46;
    const perAge = children / 18;
    const nPre = Math.max(1, Math.round((perAge * 5 * 0.85) / 90));
    const nSchool = Math.max(1, Math.round((perAge * 10) / 450));
    const nUpper = Math.max(1, Math.round((perAge * 3) / 800));
    const units: Unit[] = [];
    let unitSerial = 0;
    let groupCount = 0;
    const makeUnit = (kind: Unit['kind'], i: number): Unit => {
      unitSerial++;
      const prefix = L.unitPrefixes[i % L.unitPrefixes.length]!;
      const suffix = i >= L.unitPrefixes.length ? ` ${Math.floor(i / L.unitPrefixes.length) + 1}` : '';
      const label =
        opts.country === 'SE'
          ? { preschool: `${prefix}s förskola`, school: `${prefix}skolan`, upper: `${prefix}gymnasiet` }[kind]
          : { preschool: `${prefix} barnehage`, school: `${prefix} skole`, upper: `${prefix} videregående skole` }[kind];
      const forms: SchoolForm[] =
        opts.country === 'SE'
          ? { preschool: ['FS'] as SchoolForm[], school: ['FKLASS', 'GR', 'FTH'] as SchoolForm[], upper: ['GY'] as SchoolForm[] }[kind]
          : { preschool: ['BHG'] as SchoolForm[], school: ['GSK', 'SFO'] as SchoolForm[], upper: ['VGS'] as SchoolForm[] }[kind];
      const id = randomUUID();
      const name = `${label}${suffix}`;
      S.unit.run(
        id, muniId, adminFor(kind), 'school_unit', name, foldText(name),
        opts.country === 'SE' ? String(10000000 + unitSerial * 7919).slice(0, 8) : null,
        makeOrgNumber(opts.country, 1000 + unitSerial),
        opts.country === 'NO' ? String(100000 + unitSerial) : null,
        JSON.stringify(forms), `${pick(L.streets)} ${1 + Math.floor(rnd() * 60)}, ${L.city}`, ...rec,
      );
      return { id, name, forms, kind, groups: new Map(), children: 0 };
    };
    for (let i = 0; i < nPre; i++) units.push(makeUnit('preschool', i));
    for (let i = 0; i < nSchool; i++) units.push(makeUnit('school', i));
    for (let i = 0; i < nUpper; i++) units.push(makeUnit('upper', i));
    const byKind = (k: Unit['kind']) => units.filter((u) => u.kind === k);
    const pre = byKind('preschool');
    const schools = byKind('school');
    const uppers = byKind('upper');

    /** Grade of a child this school year: SE förskoleklass = 0 at 6, NO trinn 1 at 6. -1 = preschool. */
    const gradeOf = (birthDate: string): number => sy - Number(birthDate.slice(0, 4)) - 6 + (opts.country === 'NO' ? 1 : 0);
    const programs = opts.country === 'SE' ? ['NA', 'SA', 'TE', 'EK', 'ES', 'BF', 'EE', 'HU'] : ['ST', 'ST', 'ST', 'IM', 'EL', 'HS', 'BA', 'ID'];
    const letters = 'ABCDEFGHJK';

    function groupFor(u: Unit, grade: number, form: SchoolForm, kind: 'class' | 'department', cap: number) {
      let list = u.groups.get(grade);
      if (!list) u.groups.set(grade, (list = []));
      let g = list.find((x) => x.count < cap);
      if (!g) {
        const i = list.length;
        let name: string;
        if (kind === 'department') name = `${L.departments[(grade * 3 + i) % L.departments.length]!}${i >= L.departments.length ? ` ${i + 1}` : ''}`;
        else if (u.kind === 'upper') name = opts.country === 'SE' ? `${programs[i % programs.length]}${String(sy - grade + 1).slice(2)}${letters[Math.floor(i / programs.length)] ?? i}` : `${grade}${programs[i % programs.length]}${letters[Math.floor(i / programs.length)] ?? i}`;
        else name = grade === 0 && opts.country === 'SE' ? `F${letters[i] ?? i}` : `${grade}${letters[i] ?? i}`;
        const id = randomUUID();
        S.group.run(id, u.id, kind, name, foldText(name), sy, form, kind === 'department' ? null : grade, ...rec);
        groupCount++;
        // Last year's class for the same pupils (grade − 1), so cards show a history of memberships. Only where
        // last year was at the same unit: a first-year upper-secondary pupil came from another school, and a
        // Norwegian first grader from barnehage (there is no grade 0). Swedish grade 0 is förskoleklass.
        let prevId: string | null = null;
        const firstGradeHere = u.kind === 'upper' ? 1 : opts.country === 'SE' ? 0 : 1;
        if (kind === 'class' && grade - 1 >= firstGradeHere) {
          const prevName = u.kind === 'upper' ? name : name.replace(/^\d+/, String(grade - 1)).replace(/^0/, 'F');
          const prevForm: SchoolForm = u.kind === 'school' && opts.country === 'SE' && grade - 1 === 0 ? 'FKLASS' : form;
          prevId = randomUUID();
          S.group.run(prevId, u.id, kind, prevName, foldText(prevName), sy - 1, prevForm, grade - 1, ...rec);
          groupCount++;
        }
        g = { id, count: 0, prevId };
        list.push(g);
      }
      g.count++;
      return g;
    }

    function placeChild(childId: string, birthDate: string) {
      const grade = gradeOf(birthDate);
      const age = sy - Number(birthDate.slice(0, 4));
      if (age < 1) return;
      if (grade < (opts.country === 'SE' ? 0 : 1)) {
        if (rnd() > 0.85) return; // not every small child has a preschool place
        const u = pick(pre);
        u.children++;
        const g = groupFor(u, Math.min(age, 5) >= 3 ? 1 : 0, opts.country === 'SE' ? 'FS' : 'BHG', 'department', 18);
        S.member.run(randomUUID(), g.id, childId, birthDate > addDays(syStart, -365) ? addDays(birthDate, 400) : syStart, null, ...rec);
        return;
      }
      const maxSchoolGrade = opts.country === 'SE' ? 9 : 10;
      const upperGrade = grade - maxSchoolGrade;
      if (grade <= maxSchoolGrade) {
        const u = schools[Math.floor(rnd() * schools.length)]!;
        u.children++;
        const form: SchoolForm = opts.country === 'SE' ? (grade === 0 ? 'FKLASS' : 'GR') : 'GSK';
        const g = groupFor(u, grade, form, 'class', 25);
        S.member.run(randomUUID(), g.id, childId, syStart, null, ...rec);
        if (g.prevId) S.member.run(randomUUID(), g.prevId, childId, prevStart, addDays(syStart, -1), ...rec);
      } else if (upperGrade <= 3) {
        const u = pick(uppers);
        u.children++;
        const g = groupFor(u, upperGrade, opts.country === 'SE' ? 'GY' : 'VGS', 'class', 30);
        S.member.run(randomUUID(), g.id, childId, syStart, null, ...rec);
        if (g.prevId) S.member.run(randomUUID(), g.prevId, childId, prevStart, addDays(syStart, -1), ...rec);
      }
    }

    const protectionLevels: ProtectionLevel[] =
      opts.country === 'SE'
        ? ['se_sekretessmarkering', 'se_sekretessmarkering', 'se_sekretessmarkering', 'se_skyddad_folkbokforing']
        : ['no_fortrolig', 'no_fortrolig', 'no_strengt_fortrolig', 'no_klientadresse'];
    let childTotal = 0;
    const staffNeeded = () => Math.max(units.length * 2, Math.round(childTotal / 9));
    const guardianPool: string[] = [];
    let household = 0;
    while (personCount + staffNeeded() + 5 < opts.persons) {
      household++;
      const protection: ProtectionLevel = rnd() < 0.03 ? pick(protectionLevels) : 'none';
      const family = pick(L.family);
      const street = `${pick(L.streets)} ${1 + Math.floor(rnd() * 120)}${rnd() < 0.3 ? ` lgh ${1000 + Math.floor(rnd() * 300)}` : ''}`;
      const postal = L.postal(household);
      const nGuardians = rnd() < 0.25 ? 1 : 2;
      const guardianAge = 27 + Math.floor(rnd() * 22);
      const guardians: string[] = [];
      for (let g = 0; g < nGuardians; g++) {
        const birth = birthDateForAge(guardianAge + Math.floor(rnd() * 5) - 2);
        const sex: 'F' | 'M' = g === 0 ? 'F' : rnd() < 0.92 ? 'M' : 'F';
        const gp = insertPerson({
          birthDate: birth, given: givenFor(sex), family: g === 1 && rnd() < 0.35 ? pick(L.family) : family,
          idVariant: rnd() < 0.006 ? 'coordination' : 'normal', protection, child: false, guardian: true, staff: false, sex,
        });
        guardians.push(gp.id);
        guardianPool.push(gp.id);
        S.address.run(randomUUID(), gp.id, 'registered', null, street, postal, L.city, opts.country, addDays(birth, 18 * 365), null, ...rec);
        S.contact.run(randomUUID(), gp.id, 'mobile', opts.country === 'SE' ? `07${Math.floor(rnd() * 10)}-${100 + Math.floor(rnd() * 900)} ${10 + Math.floor(rnd() * 90)} ${10 + Math.floor(rnd() * 90)}` : `9${Math.floor(rnd() * 10)}${Math.floor(rnd() * 10)} ${10 + Math.floor(rnd() * 90)} ${100 + Math.floor(rnd() * 900)}`, addDays(today, -400), null, ...rec);
        S.contact.run(randomUUID(), gp.id, 'email', `${foldText(family).replace(/\s/g, '')}.${household}.${g}@demo.invalid`, addDays(today, -400), null, ...rec);
      }
      const nChildren = 1 + Math.floor(rnd() * rnd() * 4);
      for (let c = 0; c < nChildren; c++) {
        const age = Math.min(18, Math.max(1, guardianAge - 20 - Math.floor(rnd() * (guardianAge - 20))));
        const birth = birthDateForAge(Math.max(1, Math.min(18, age)));
        const sex: 'F' | 'M' = rnd() < 0.5 ? 'F' : 'M';
        const given = givenFor(sex);
        // A tilltalsnamn is one of the person's given names: here the second one, for some of those who have one.
        const second = rnd() < 0.12 ? givenFor(sex) : null;
        const ch = insertPerson({
          birthDate: birth, given: second ? `${given} ${second}` : given, family, middle: null,
          preferred: second && rnd() < 0.4 ? second : null,
          idVariant: rnd() < 0.004 ? 'none' : 'normal', protection, child: true, guardian: false, staff: false, sex,
        });
        childTotal++;
        S.address.run(randomUUID(), ch.id, 'registered', null, street, postal, L.city, opts.country, birth, null, ...rec);
        const kind = opts.country === 'SE' ? 'vardnadshavare' : guardians.length === 2 ? 'foreldreansvar_felles' : 'foreldreansvar_mor';
        for (const gid of guardians) S.guardian.run(randomUUID(), ch.id, gid, kind, birth, null, ...rec);
        placeChild(ch.id, birth);
      }
    }

    // Staff: principal per unit, then teachers/childminders in proportion to children; a few are also guardians.
    const staffTotal = Math.max(0, opts.persons - personCount);
    const weight = units.reduce((s, u) => s + u.children + 1, 0);
    const roles = { preschool: ['preschool_teacher', 'childminder', 'childminder'], school: ['teacher', 'teacher', 'teacher', 'leisure_teacher', 'special_needs_teacher', 'assistant'], upper: ['teacher', 'teacher', 'counsellor'] } as const;
    let made = 0;
    units.forEach((u, idx) => {
      const share = idx === units.length - 1 ? staffTotal - made : Math.min(staffTotal - made, Math.max(1, Math.round((staffTotal * (u.children + 1)) / weight)));
      let created = 0;
      let duties = 0;
      while (created < share) {
        let pid: string;
        if (guardianPool.length && rnd() < 0.03) {
          // One person can be several things: a guardian who also works at a unit.
          pid = guardianPool[Math.floor(rnd() * guardianPool.length)]!;
          S.staffFlag.run(pid);
        } else {
          const sex: 'F' | 'M' = rnd() < 0.75 ? 'F' : 'M';
          const birth = birthDateForAge(24 + Math.floor(rnd() * 40));
          pid = insertPerson({ birthDate: birth, given: givenFor(sex), family: pick(L.family), idVariant: 'normal', protection: 'none', child: false, guardian: false, staff: true, sex }).id;
          S.contact.run(randomUUID(), pid, 'email', `staff.${personCount}@demo.invalid`, addDays(today, -300), null, ...rec);
          S.address.run(randomUUID(), pid, 'registered', null, `${pick(L.streets)} ${1 + Math.floor(rnd() * 90)}`, L.postal(personCount), L.city, opts.country, addDays(birth, 20 * 365), null, ...rec);
          created++;
          made++;
        }
        const role = duties === 0 ? 'principal' : pick(roles[u.kind]);
        const percent = rnd() < 0.7 ? 10000 : pick([5000, 7500, 8000, 9000]);
        S.duty.run(randomUUID(), pid, u.id, role, percent, addDays(today, -Math.floor(rnd() * 3000)), null, ...rec);
        duties++;
      }
    });
    for (const t of ftsTriggers) sqlite.exec(t.sql);
    sqlite.exec(`INSERT INTO person_fts(person_fts) VALUES ('rebuild')`);
    return { persons: personCount, units: units.length, groups: groupCount, protectedPersons: protectedCount, ms: 0 };
  })();
  sqlite.pragma(`cache_size = ${cacheBefore}`);
  sqlite.pragma('optimize');
  return { ...result, ms: Math.round(performance.now() - t0) };
}
