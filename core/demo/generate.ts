/**
 * Synthetic municipality for demos, tests and benchmarks (Swedish or Norwegian profile).
 * Families of guardians and children with a realistic age spread, preschools, schools with classes per
 * grade, upper secondary schools, staff duties, a few percent protected identities, and identity numbers
 * generated with valid check digits by this project (Norwegian demo numbers use the synthetic range,
 * month + 80, which the population register never issues). Deterministic for a given seed.
 * Care data as the clerk records it (domain.md §4–5): every class membership follows an enrolment and every
 * department membership an accepted placement (group_membership.source_id), after-school placements
 * (fritidshem/SFO) without a group, households (some children in shared residence between separated
 * parents, some with a parent's new partner), guardians' invoice shares, a few guardians the child is
 * shielded from, and a preschool queue with some applications already past the placement guarantee.
 * Written with prepared statements in one transaction: a seed either completes or leaves nothing.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ProtectionLevel, SchoolForm } from '../../shared/api/schemas';
import { makeNorwegianFodselsnummer, makeSwedishPersonnummer } from '../../shared/identity';
import { makeOrgNumber } from '../../shared/orgnumber';
import { collationKey } from '../../shared/collation';
import { foldText } from '../../shared/text';
import { addDays, addMonths, ageOn, schoolYearOf } from '../dates';
import { nameTokensOf, searchTextOf, shortIdOf, sortKeyOf } from '../register/persons';
import { recomputeAllShielding } from '../register/shielding';
import { NO, SE } from './names';
import { DEMO_FOI_PENDING } from './foi';

export interface DemoOptions {
  country: 'SE' | 'NO';
  persons: number;
  seed?: number;
  today?: string;
  /**
   * Households' declared incomes for the fee screens (seedDemoIncomes): the demo as `npm start` makes it.
   * Off by default: the tests' registers start with none declared (every household at the cap).
   */
  incomes?: boolean;
  /**
   * FOI requests in every state for the FOI officer's dashboard (core/demo/foi.ts), seeded with the demo
   * accounts (the officer is their assignee). Off by default, like the incomes.
   */
  foiRequests?: boolean;
  /**
   * Every id drawn from the seed's own id stream instead of at random (the tests' registers): a test that
   * picks "the first child by id with …" picks the same child on every run, so a run is reproducible and a
   * fixture's assumption either always holds or always fails. Off for the app's demo (ids as in production).
   */
  deterministicIds?: boolean;
}

export interface DemoResult {
  persons: number;
  units: number;
  groups: number;
  protectedPersons: number;
  enrolments: number;
  placements: number;
  households: number;
  applications: number;
  ms: number;
}

const ACTOR = 'demo-seed';
/** Tables the seed fills (their secondary indexes are rebuilt once at the end). */
const SEEDED_TABLES = [
  'org_unit', 'school_group', 'person', 'person_name', 'person_name_token', 'person_address', 'person_contact', 'group_membership',
  'staff_duty', 'guardianship', 'enrolment', 'placement', 'placement_owner', 'household', 'household_member', 'application', 'application_choice',
];

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

/** Ids for the seed's records: random, or from their own stream of the seed (DemoOptions.deterministicIds). */
function idMaker(seed: number | null): () => string {
  if (seed === null) return randomUUID;
  const r = mulberry32(seed ^ 0x1d5eed1d);
  const word = () => (Math.floor(r() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  return () => {
    const h = word() + word() + word() + word();
    // A version 4 layout, like randomUUID's.
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

export function isDemoDatabase(sqlite: Database.Database): boolean {
  const r = sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'demo'`).get() as { value: string } | undefined;
  return r?.value === '1';
}

interface Group {
  id: string;
  count: number;
  prevId: string | null;
  prevForm: SchoolForm;
}

interface Unit {
  id: string;
  name: string;
  forms: SchoolForm[];
  kind: 'preschool' | 'school' | 'upper';
  /** grade → current-year groups (classes) with fill counters, and last year's class of the same pupils. */
  groups: Map<number, Group[]>;
  children: number;
}

export function seedDemo(sqlite: Database.Database, opts: DemoOptions): DemoResult {
  if (!Number.isInteger(opts.persons) || opts.persons < 20) throw new Error('--persons must be an integer of at least 20');
  const t0 = performance.now();
  const rnd = mulberry32(opts.seed ?? 20261123);
  const newId = idMaker(opts.deterministicIds ? (opts.seed ?? 20261123) : null);
  // The care data draws from its own stream, so adding to it leaves the persons, units and classes of a seed
  // as they were (tests and benchmark samples keep finding the same people).
  const care = mulberry32((opts.seed ?? 20261123) ^ 0x5bd1e995);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const pickCare = <T>(xs: readonly T[]): T => xs[Math.floor(care() * xs.length)]!;
  const chance = (p: number) => care() < p;
  const between = (lo: number, hi: number) => lo + Math.floor(care() * (hi - lo + 1));
  const L = opts.country === 'SE' ? SE : NO;
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const now = new Date().toISOString();
  const sy = schoolYearOf(today);
  const syStart = opts.country === 'SE' ? `${sy}-08-18` : `${sy}-08-19`;
  const prevStart = opts.country === 'SE' ? `${sy - 1}-08-18` : `${sy - 1}-08-19`;
  const todayYear = Number(today.slice(0, 4));
  const rec = [1, now, ACTOR, now, ACTOR];
  // Last year's classes end with their school year (a group's lifetime is 1 August to 31 July).
  const prevEnd = `${sy}-07-31`;
  const native = opts.country === 'SE' ? ['sv'] : ['nb', 'nn'];

  const S = {
    meta: sqlite.prepare(`INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)`),
    muni: sqlite.prepare(`INSERT INTO municipality (id, name, country, code, org_number, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?)`),
    unit: sqlite.prepare(`INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, sort_key, school_unit_code, org_number, gsi_code, school_forms, visiting_address, opened_on, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    group: sqlite.prepare(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, sort_key, school_year, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    person: sqlite.prepare(`INSERT INTO person (id, id_kind, id_canonical, id_short, id_country, reserve_number, birth_date, sex, status, given_name, middle_name, family_name, preferred_name, sort_key, search_text, nationality, mother_tongue, maalform, preferred_language, messages_allowed, protection, is_child, is_guardian, is_staff, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    name: sqlite.prepare(`INSERT INTO person_name (id, person_id, given_name, middle_name, family_name, preferred_name, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    token: sqlite.prepare(`INSERT INTO person_name_token (token, sort_key, person_id) VALUES (?,?,?)`),
    address: sqlite.prepare(`INSERT INTO person_address (id, person_id, kind, care_of, street, postal_code, city, country, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    contact: sqlite.prepare(`INSERT INTO person_contact (id, person_id, kind, value, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)`),
    member: sqlite.prepare(`INSERT INTO group_membership (id, group_id, person_id, valid_from, valid_to, source_id, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)`),
    duty: sqlite.prepare(`INSERT INTO staff_duty (id, person_id, unit_id, role, percent_hundredths, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`),
    guardian: sqlite.prepare(`INSERT INTO guardianship (id, child_id, guardian_id, kind, lives_with, invoice_share, shielded, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    enrolment: sqlite.prepare(`INSERT INTO enrolment (id, pupil_id, unit_id, group_id, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    placement: sqlite.prepare(`INSERT INTO placement (id, child_id, unit_id, group_id, school_form, valid_from, valid_to, weekly_hours, reason, state, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,'care_need','accepted',?,?,?,?,?)`),
    owner: sqlite.prepare(`INSERT INTO placement_owner (placement_id, guardian_id) VALUES (?,?)`),
    household: sqlite.prepare(`INSERT INTO household (id, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?)`),
    householdMember: sqlite.prepare(`INSERT INTO household_member (id, household_id, person_id, role, shared, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`),
    application: sqlite.prepare(`INSERT INTO application (id, child_id, school_form, applied_on, wished_start, weekly_hours, status, version, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,'queued',?,?,?,?,?)`),
    choice: sqlite.prepare(`INSERT INTO application_choice (application_id, rank, unit_id) VALUES (?,?,?)`),
    staffFlag: sqlite.prepare(`UPDATE person SET is_staff = 1 WHERE id = ?`),
  };

  const usedIds = new Set<string>();
  function identity(birthDate: string, variant: 'normal' | 'coordination' | 'none', sex: 'F' | 'M', r: () => number): { kind: string | null; canonical: string | null; sex: 'F' | 'M' } {
    const wantFemale = sex === 'F';
    if (variant === 'none') return { kind: null, canonical: null, sex: wantFemale ? 'F' : 'M' };
    for (let attempt = 0; attempt < 200; attempt++) {
      if (opts.country === 'SE') {
        // Birth number's last digit decides sex: odd male, even female.
        let serial = 1 + Math.floor(r() * 998);
        if ((serial % 2 === 0) !== wantFemale) serial = serial === 999 ? 998 : serial + 1;
        const c = makeSwedishPersonnummer(birthDate, serial, { samordning: variant === 'coordination' });
        if (usedIds.has(c)) continue;
        usedIds.add(c);
        return { kind: variant === 'coordination' ? 'se_samordningsnummer' : 'se_personnummer', canonical: c, sex: wantFemale ? 'F' : 'M' };
      }
      const y = Number(birthDate.slice(0, 4));
      const base = y >= 2000 ? 500 : 0;
      let individ = base + Math.floor(r() * 499);
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
    /** Random stream (a person added for the care data draws from the care stream). */
    rng?: () => number;
  }): { id: string; sex: 'F' | 'M' } {
    const r = p.rng ?? rnd;
    const id = newId();
    const ident = identity(p.birthDate, p.idVariant, p.sex, r);
    const names = { givenName: p.given, middleName: p.middle ?? null, familyName: p.family, preferredName: p.preferred ?? null };
    const sortKey = sortKeyOf(names, opts.country);
    const short = shortIdOf(ident.canonical, opts.country);
    const nationality = r() < 0.9 ? opts.country : L.nationality[Math.floor(r() * L.nationality.length)]!;
    const mother = L.mother[Math.floor(r() * L.mother.length)]!;
    const maalform = opts.country === 'NO' ? (r() < 0.12 ? 'nn' : 'nb') : null;
    // Guardians choose the language of letters and messages: the country's own (the Norwegian målform), or
    // for some whose mother tongue is another, that language.
    const language = p.guardian ? (!native.includes(mother) && chance(0.45) ? mother : (maalform ?? 'sv')) : null;
    S.person.run(
      // Newly arrived children without a number get the municipality's reserve number.
      id, ident.kind, ident.canonical, short, ident.canonical ? opts.country : null, ident.canonical ? null : `R-${todayYear}-${String(++reserveSerial).padStart(4, '0')}`, p.birthDate, ident.sex, 'active',
      p.given, names.middleName, p.family, names.preferredName, sortKey,
      searchTextOf({ ...names, idCanonical: ident.canonical, idShort: short }),
      nationality, mother, maalform, language, p.guardian && chance(0.03) ? 0 : 1,
      p.protection, p.child ? 1 : 0, p.guardian ? 1 : 0, p.staff ? 1 : 0, ...rec,
    );
    for (const t of nameTokensOf(names)) S.token.run(t, sortKey, id);
    S.name.run(newId(), id, p.given, names.middleName, p.family, names.preferredName, p.birthDate, null, ...rec);
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
    // Secondary indexes are built once from sorted data at the end rather than row by row in random order
    // (measured at 500 000 persons: 194 s of CPU with the care tables indexed row by row, 92 s this way, 113 s
    // before the care tables existed). Unique indexes stay, so a duplicate still fails on its row.
    const indexes = sqlite
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
         AND tbl_name IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(SEEDED_TABLES)) as { name: string; sql: string }[];
    for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name}"`);
    S.meta.run('demo', '1');
    S.meta.run('demo_country', opts.country);
    const muniId = newId();
    S.muni.run(muniId, L.municipality.name, opts.country, L.municipality.code, makeOrgNumber(opts.country, 1), ...rec);
    const adminIds = L.administrations.map((name) => {
      const id = newId();
      S.unit.run(id, muniId, null, 'administration', name, foldText(name), collationKey(name, opts.country), null, null, null, '[]', null, null, ...rec);
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
      const id = newId();
      const name = `${label}${suffix}`;
      S.unit.run(
        id, muniId, adminFor(kind), 'school_unit', name, foldText(name), collationKey(name, opts.country),
        opts.country === 'SE' ? String(10000000 + unitSerial * 7919).slice(0, 8) : null,
        makeOrgNumber(opts.country, 1000 + unitSerial),
        opts.country === 'NO' ? String(100000 + unitSerial) : null,
        JSON.stringify(forms), `${pick(L.streets)} ${1 + Math.floor(rnd() * 60)}, ${L.city}`,
        // Opened long enough ago for every history the demo (and the benchmark's ten-year child) puts there.
        `${sy - between(15, 50)}-08-01`, ...rec,
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
    // Every tenth school (the first among them) is a large one, drawing twice the pupils: municipalities have
    // a few schools of 700–900 pupils, and the benchmark's class list needs one over 500.
    const schoolSlots = schools.flatMap((u, i) => (i % 10 === 0 ? [u, u] : [u]));

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
        const id = newId();
        S.group.run(id, u.id, kind, name, foldText(name), collationKey(name, opts.country), sy, form, kind === 'department' ? null : grade, `${sy}-08-01`, `${sy + 1}-07-31`, ...rec);
        groupCount++;
        // Last year's class for the same pupils (grade − 1), so cards show a history of memberships. Only where
        // last year was at the same unit: a first-year upper-secondary pupil came from another school, and a
        // Norwegian first grader from barnehage (there is no grade 0). Swedish grade 0 is förskoleklass.
        let prevId: string | null = null;
        const firstGradeHere = u.kind === 'upper' ? 1 : opts.country === 'SE' ? 0 : 1;
        const prevForm: SchoolForm = u.kind === 'school' && opts.country === 'SE' && grade - 1 === 0 ? 'FKLASS' : form;
        if (kind === 'class' && grade - 1 >= firstGradeHere) {
          const prevName = u.kind === 'upper' ? name : name.replace(/^\d+/, String(grade - 1)).replace(/^0/, 'F');
          prevId = newId();
          S.group.run(prevId, u.id, kind, prevName, foldText(prevName), collationKey(prevName, opts.country), sy - 1, prevForm, grade - 1, `${sy - 1}-08-01`, `${sy}-07-31`, ...rec);
          groupCount++;
        }
        g = { id, count: 0, prevId, prevForm };
        list.push(g);
      }
      g.count++;
      return g;
    }

    let enrolments = 0;
    let placements = 0;
    let households = 0;
    let applications = 0;
    /** A class membership follows its enrolment: same dates, source_id = the enrolment. */
    function enrol(pupilId: string, unitId: string, groupId: string, form: SchoolForm, grade: number, from: string, to: string | null) {
      const id = newId();
      S.enrolment.run(id, pupilId, unitId, groupId, form, grade, from, to, ...rec);
      S.member.run(newId(), groupId, pupilId, from, to, id, ...rec);
      enrolments++;
    }
    /** An accepted placement held by the child's guardians; a department membership follows it. */
    function place(childId: string, unitId: string, groupId: string | null, form: SchoolForm, from: string, hours: number, owners: readonly string[]) {
      const id = newId();
      S.placement.run(id, childId, unitId, groupId, form, from, null, hours, ...rec);
      for (const o of owners) S.owner.run(id, o);
      if (groupId) S.member.run(newId(), groupId, childId, from, null, id, ...rec);
      placements++;
    }

    /** Places a child by age; false when a preschool-age child has no place (so may be in the queue). */
    function placeChild(childId: string, birthDate: string, owners: readonly string[]): boolean {
      const grade = gradeOf(birthDate);
      const age = sy - Number(birthDate.slice(0, 4));
      if (age < 1) return false;
      if (grade < (opts.country === 'SE' ? 0 : 1)) {
        if (rnd() > 0.85) return false; // not every small child has a preschool place
        const u = pick(pre);
        // The youngest are still waiting for a place more often than not: they make the preschool queue.
        if (ageOn(birthDate, today) <= 1 && chance(0.35)) return false;
        u.children++;
        const g = groupFor(u, Math.min(age, 5) >= 3 ? 1 : 0, opts.country === 'SE' ? 'FS' : 'BHG', 'department', 18);
        const from = birthDate > addDays(syStart, -365) ? addDays(birthDate, 400) : syStart;
        place(childId, u.id, g.id, opts.country === 'SE' ? 'FS' : 'BHG', from, between(25, 45), owners);
        return true;
      }
      const maxSchoolGrade = opts.country === 'SE' ? 9 : 10;
      const upperGrade = grade - maxSchoolGrade;
      if (grade <= maxSchoolGrade) {
        const u = schoolSlots[Math.floor(rnd() * schoolSlots.length)]!;
        u.children++;
        const form: SchoolForm = opts.country === 'SE' ? (grade === 0 ? 'FKLASS' : 'GR') : 'GSK';
        const g = groupFor(u, grade, form, 'class', 25);
        enrol(childId, u.id, g.id, form, grade, syStart, null);
        if (g.prevId) enrol(childId, u.id, g.prevId, g.prevForm, grade - 1, prevStart, prevEnd);
        // Fritidshem (SE, förskoleklass to grade 3) and SFO (NO, grades 1–4) at the pupil's own school.
        const [fromGrade, toGrade, share, afterForm]: [number, number, number, SchoolForm] = opts.country === 'SE' ? [0, 3, 0.8, 'FTH'] : [1, 4, 0.65, 'SFO'];
        if (grade >= fromGrade && grade <= toGrade && chance(share)) {
          place(childId, u.id, null, afterForm, g.prevId && chance(0.85) ? prevStart : syStart, between(10, 25), owners);
        }
      } else if (upperGrade <= 3) {
        const u = pick(uppers);
        u.children++;
        const form: SchoolForm = opts.country === 'SE' ? 'GY' : 'VGS';
        const g = groupFor(u, upperGrade, form, 'class', 30);
        enrol(childId, u.id, g.id, form, upperGrade, syStart, null);
        if (g.prevId) enrol(childId, u.id, g.prevId, g.prevForm, upperGrade - 1, prevStart, prevEnd);
      }
      return true;
    }

    /** A queued preschool application; a few have waited past the placement guarantee (four months). */
    function apply(childId: string, birthDate: string) {
      const overdue = chance(0.04);
      let appliedOn = overdue ? addDays(today, -between(137, 182)) : addDays(today, -between(0, 120));
      if (appliedOn < birthDate) appliedOn = birthDate;
      const wishedStart = addMonths(appliedOn, overdue ? between(2, 3) : between(2, 6));
      const id = newId();
      S.application.run(id, childId, opts.country === 'SE' ? 'FS' : 'BHG', appliedOn, wishedStart, between(25, 45), ...rec);
      const choices = new Set<Unit>();
      for (let n = between(1, 3); choices.size < Math.min(n, pre.length); ) choices.add(pre[Math.floor(care() * pre.length)]!);
      [...choices].forEach((u, i) => S.choice.run(id, i + 1, u.id));
      applications++;
    }

    function household(members: { id: string; role: 'adult' | 'child'; shared?: boolean; from: string; to?: string | null }[]) {
      const id = newId();
      S.household.run(id, ...rec);
      for (const m of members) S.householdMember.run(newId(), id, m.id, m.role, m.shared ? 1 : 0, m.from, m.to ?? null, ...rec);
      households++;
    }

    const protectionLevels: ProtectionLevel[] =
      opts.country === 'SE'
        ? ['se_sekretessmarkering', 'se_sekretessmarkering', 'se_sekretessmarkering', 'se_skyddad_folkbokforing']
        : ['no_fortrolig', 'no_fortrolig', 'no_strengt_fortrolig', 'no_klientadresse'];
    const mobile = () =>
      opts.country === 'SE'
        ? `07${Math.floor(rnd() * 10)}-${100 + Math.floor(rnd() * 900)} ${10 + Math.floor(rnd() * 90)} ${10 + Math.floor(rnd() * 90)}`
        : `9${Math.floor(rnd() * 10)}${Math.floor(rnd() * 10)} ${10 + Math.floor(rnd() * 90)} ${100 + Math.floor(rnd() * 900)}`;
    let childTotal = 0;
    const staffNeeded = () => Math.max(units.length * 2, Math.round(childTotal / 9));
    const guardianPool: string[] = [];
    let family = 0;
    while (personCount + staffNeeded() + 5 < opts.persons) {
      family++;
      const protection: ProtectionLevel = rnd() < 0.03 ? pick(protectionLevels) : 'none';
      const familyName = pick(L.family);
      const street = `${pick(L.streets)} ${1 + Math.floor(rnd() * 120)}${rnd() < 0.3 ? ` lgh ${1000 + Math.floor(rnd() * 300)}` : ''}`;
      const postal = L.postal(family);
      const nGuardians = rnd() < 0.25 ? 1 : 2;
      // Of all families about 8 % are separated parents sharing the children's residence, and about 0.3 % of
      // guardianships are ones the child is shielded from (a court decision): that guardian lives elsewhere.
      const situation = nGuardians === 1 ? 'single' : chance(0.08 / 0.75) ? 'separated' : chance(0.0075 / 0.75) ? 'shielded' : 'together';
      const elsewhere = { street: `${pickCare(L.streets)} ${between(1, 150)}`, postal: L.postal(family + 7919) };
      const guardianAge = 27 + Math.floor(rnd() * 22);
      const guardians: { id: string; birth: string }[] = [];
      for (let g = 0; g < nGuardians; g++) {
        const birth = birthDateForAge(guardianAge + Math.floor(rnd() * 5) - 2);
        const sex: 'F' | 'M' = g === 0 ? 'F' : rnd() < 0.92 ? 'M' : 'F';
        const gp = insertPerson({
          birthDate: birth, given: givenFor(sex), family: g === 1 && rnd() < 0.35 ? pick(L.family) : familyName,
          idVariant: rnd() < 0.006 ? 'coordination' : 'normal', protection, child: false, guardian: true, staff: false, sex,
        });
        guardians.push({ id: gp.id, birth });
        guardianPool.push(gp.id);
        const away = g === 1 && situation !== 'together';
        S.address.run(newId(), gp.id, 'registered', null, away ? elsewhere.street : street, away ? elsewhere.postal : postal, L.city, opts.country, addDays(birth, 18 * 365), null, ...rec);
        S.contact.run(newId(), gp.id, 'mobile', mobile(), addDays(today, -400), null, ...rec);
        S.contact.run(newId(), gp.id, 'email', `${foldText(familyName).replace(/\s/g, '')}.${family}.${g}@demo.invalid`, addDays(today, -400), null, ...rec);
      }
      const shieldedFrom = situation === 'shielded' ? guardians[1]!.id : null;
      const owners = guardians.filter((g) => g.id !== shieldedFrom).map((g) => g.id);
      const share = situation === 'separated' || situation === 'together' ? 50 : 100;
      const kind = opts.country === 'SE' ? 'vardnadshavare' : guardians.length === 2 ? 'foreldreansvar_felles' : 'foreldreansvar_mor';
      const nChildren = 1 + Math.floor(rnd() * rnd() * 4);
      const children: { id: string; birth: string }[] = [];
      for (let c = 0; c < nChildren; c++) {
        const age = Math.min(18, Math.max(1, guardianAge - 20 - Math.floor(rnd() * (guardianAge - 20))));
        const birth = birthDateForAge(Math.max(1, Math.min(18, age)));
        const sex: 'F' | 'M' = rnd() < 0.5 ? 'F' : 'M';
        const given = givenFor(sex);
        // A tilltalsnamn is one of the person's given names: here the second one, for some of those who have one.
        const second = rnd() < 0.12 ? givenFor(sex) : null;
        const ch = insertPerson({
          birthDate: birth, given: second ? `${given} ${second}` : given, family: familyName, middle: null,
          preferred: second && rnd() < 0.4 ? second : null,
          idVariant: rnd() < 0.004 ? 'none' : 'normal', protection, child: true, guardian: false, staff: false, sex,
        });
        childTotal++;
        children.push({ id: ch.id, birth });
        S.address.run(newId(), ch.id, 'registered', null, street, postal, L.city, opts.country, birth, null, ...rec);
        for (const g of guardians) {
          const shielded = g.id === shieldedFrom;
          S.guardian.run(newId(), ch.id, g.id, kind, shielded ? 0 : 1, shielded ? 0 : share, shielded ? 1 : 0, birth, null, ...rec);
        }
        if (!placeChild(ch.id, birth, owners) && ageOn(birth, today) <= 1 && chance(0.6)) apply(ch.id, birth);
      }
      writeHouseholds(situation, guardians, children, protection, elsewhere);
    }

    function writeHouseholds(
      situation: 'single' | 'together' | 'separated' | 'shielded',
      guardians: { id: string; birth: string }[],
      children: { id: string; birth: string }[],
      protection: ProtectionLevel,
      elsewhere: { street: string; postal: string },
    ) {
      const births = children.map((c) => c.birth).sort();
      const oldest = births[0]!;
      const youngest = births[births.length - 1]!;
      const kids = (from: string | null, to: string | null, shared: boolean) =>
        children.map((c) => ({ id: c.id, role: 'child' as const, shared, from: from !== null && from > c.birth ? from : c.birth, to }));
      if (situation !== 'separated') {
        const adults = situation === 'together' ? guardians : guardians.slice(0, 1);
        household([...adults.map((g) => ({ id: g.id, role: 'adult' as const, from: oldest })), ...kids(null, null, false)]);
        return;
      }
      // Separated after the youngest was born: the family's first household ends the day before, then the
      // children live alternately with each parent (shared residence: a member of both, marked shared).
      const span = Math.max(1, Math.round((Date.parse(today) - Date.parse(youngest)) / 86_400_000) - 1);
      const split = addDays(youngest, 1 + Math.floor(care() * span));
      const ended = addDays(split, -1);
      household([...guardians.map((g) => ({ id: g.id, role: 'adult' as const, from: oldest, to: ended })), ...kids(null, ended, false)]);
      household([{ id: guardians[0]!.id, role: 'adult', from: split }, ...kids(split, null, true)]);
      const second: Parameters<typeof household>[0] = [{ id: guardians[1]!.id, role: 'adult', from: split }, ...kids(split, null, true)];
      if (chance(0.15)) {
        // A new partner moves in with the second parent: an adult of the household who is no guardian.
        const sex: 'F' | 'M' = chance(0.8) ? 'F' : 'M';
        const birth = addDays(guardians[1]!.birth, between(-2500, 2500));
        const partner = insertPerson({
          birthDate: birth, given: pickCare(sex === 'F' ? L.female : L.male), family: pickCare(L.family), idVariant: 'normal',
          protection, child: false, guardian: false, staff: false, sex, rng: care,
        });
        S.address.run(newId(), partner.id, 'registered', null, elsewhere.street, elsewhere.postal, L.city, opts.country, addDays(birth, 18 * 365), null, ...rec);
        const movedIn = addDays(split, Math.floor(care() * Math.max(1, Math.round((Date.parse(today) - Date.parse(split)) / 86_400_000))));
        second.push({ id: partner.id, role: 'adult', from: movedIn });
      }
      household(second);
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
          S.contact.run(newId(), pid, 'email', `staff.${personCount}@demo.invalid`, addDays(today, -300), null, ...rec);
          S.address.run(newId(), pid, 'registered', null, `${pick(L.streets)} ${1 + Math.floor(rnd() * 90)}`, L.postal(personCount), L.city, opts.country, addDays(birth, 20 * 365), null, ...rec);
          created++;
          made++;
        }
        const role = duties === 0 ? 'principal' : pick(roles[u.kind]);
        const percent = rnd() < 0.7 ? 10000 : pick([5000, 7500, 8000, 9000]);
        S.duty.run(newId(), pid, u.id, role, percent, addDays(today, -Math.floor(rnd() * 3000)), null, ...rec);
        duties++;
      }
    });
    for (const i of indexes) sqlite.exec(i.sql);
    // The rows above went in without the core's writes, so nothing kept the shielding flag: set it once, from
    // the protected persons outwards, with the link indexes back in place (their walk needs them).
    recomputeAllShielding(sqlite);
    // The demo register is kept from the population register like a real one: everyone with an identity
    // number was described by it, as living in the municipality (so a demo delta applies on it).
    sqlite
      .prepare(`UPDATE person SET registered_municipality = ?, register_source = ? WHERE id_canonical IS NOT NULL AND status = 'active'`)
      .run(L.municipality.code, opts.country === 'SE' ? 'navet' : 'freg');
    for (const t of ftsTriggers) sqlite.exec(t.sql);
    sqlite.exec(`INSERT INTO person_fts(person_fts) VALUES ('rebuild')`);
    if (opts.incomes) seedDemoIncomes(sqlite, { country: opts.country, seed: opts.seed ?? 20261123, today, now, newId });
    if (opts.foiRequests) sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES (?, 'pending')`).run(DEMO_FOI_PENDING);
    return { persons: personCount, units: units.length, groups: groupCount, protectedPersons: protectedCount, enrolments, placements, households, applications, ms: 0 };
  })();
  sqlite.pragma(`cache_size = ${cacheBefore}`);
  sqlite.pragma('optimize');
  return { ...result, ms: Math.round(performance.now() - t0) };
}

/**
 * The demo households' incomes, so that a fee administrator trying the demo sees the whole range of fees
 * rather than every household at the cap: about four households in five declared a gross monthly income
 * from 1 January (Sweden 12 000 – 80 000 kr, some above the ceiling; Norway 20 000 – 110 000 kr, across the
 * SFO/AKS bands and the barnehage income cap; whole kronor), one in twenty said it will not declare (charged
 * at the cap), the rest have nothing yet (the run warns about them). Synthetic, from its own random stream
 * (the register's people stay as the seed makes them).
 */
export function seedDemoIncomes(sqlite: Database.Database, opts: { country: 'SE' | 'NO'; seed: number; today: string; now: string; newId?: () => string }): number {
  const newId = opts.newId ?? randomUUID;
  const rnd = mulberry32(opts.seed ^ 0x1c0e5eed);
  const [lo, hi] = opts.country === 'SE' ? [12_000, 80_000] : [20_000, 110_000];
  const from = `${opts.today.slice(0, 4)}-01-01`;
  const ins = sqlite.prepare(
    `INSERT INTO income_declaration (id, household_id, valid_from, monthly_income, source, note, version, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, NULL, 1, ?, ?, ?, ?)`,
  );
  let n = 0;
  for (const household of sqlite.prepare('SELECT id FROM household ORDER BY rowid').pluck().all() as string[]) {
    const r = rnd();
    const amount = (lo + Math.floor(rnd() * (hi - lo + 1))) * 100;
    if (r < 0.8) ins.run(newId(), household, from, amount, 'declared', opts.now, ACTOR, opts.now, ACTOR);
    else if (r < 0.85) ins.run(newId(), household, from, null, 'not_declared', opts.now, ACTOR, opts.now, ACTOR);
    else continue;
    n++;
  }
  return n;
}
