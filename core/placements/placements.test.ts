/**
 * Placements and enrolments through the real contract on a real SQLite file: every rule by its id, notice,
 * transfer, the group membership that follows, the change log, the audit entry and the unit scope of a
 * signed-in clerk. The organisation is built per test (units through unit.create, groups as rows).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName } from '../../shared/api/contract';
import { makeSwedishPersonnummer } from '../../shared/identity';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import type { Connection } from '../app';
import { DEMO_PASSWORD } from '../access/auth';
import type { Actor } from '../context';
import { computedLastDay, insertPlacement, setPlacementState } from './placements';
import { DEFAULT_PLACEMENT_RULES } from './rules';
import { enrolmentViews, placementViews } from './views';
import { writer } from '../write/records';

interface Fixture {
  core: TestCore;
  admin: string;
  /** FS and FTH. */
  solrosen: string;
  /** FS, FTH, FKLASS and GR. */
  ekbacken: string;
  /** GR only. */
  bjorken: string;
  /** Departments and classes of the school year 2026 (lifetime 2026-08-01–2027-07-31 unless stated). */
  groups: { solFS: string; solFS2: string; solFTH: string; ekFS: string; ek3A: string; ek3B: string; bj3A: string };
  /** Born 2023-03-10: three years old at the autumn start. */
  child: string;
  /** Born 2018-05-01: a pupil of eight. */
  pupil: string;
  mother: string;
  father: string;
}

const START = '2026-08-17';
const SYSTEM: Actor = { id: 'test', name: 'Test', permissions: new Set() };

function group(core: TestCore, unitId: string, name: string, kind: 'class' | 'department', form: string, opts: { year?: number; from?: string | null; to?: string | null; grade?: number | null } = {}): string {
  const id = randomUUID();
  const now = `${TEST_TODAY}T08:00:00.000Z`;
  const year = opts.year ?? 2026;
  core.db.sqlite
    .prepare(
      `INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 'test', ?, 'test')`,
    )
    .run(id, unitId, kind, name, name.toLowerCase(), year, form, opts.grade ?? null, opts.from === undefined ? `${year}-08-01` : opts.from, opts.to === undefined ? `${year + 1}-07-31` : opts.to, now, now);
  return id;
}

function guardian(core: TestCore, childId: string, guardianId: string, opts: { shielded?: boolean; from?: string; to?: string | null } = {}): void {
  const now = `${TEST_TODAY}T08:00:00.000Z`;
  core.db.sqlite
    .prepare(
      `INSERT INTO guardianship (id, child_id, guardian_id, kind, lives_with, invoice_share, shielded, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, 'vardnadshavare', 1, 50, ?, ?, ?, 1, ?, 'test', ?, 'test')`,
    )
    .run(randomUUID(), childId, guardianId, opts.shielded ? 1 : 0, opts.from ?? '2015-01-01', opts.to ?? null, now, now);
}

const person = (core: TestCore, givenName: string, birthDate: string) => core.ok('person.create', { givenName, familyName: 'Lind', birthDate }).id;

function setup(): Fixture {
  const core = makeTestCore();
  const s = core.db.sqlite;
  const now = `${TEST_TODAY}T08:00:00.000Z`;
  const muni = randomUUID();
  s.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'Ekdala kommun', 'SE', '9901', 1, ?, 'test', ?, 'test')`).run(muni, now, now);
  const admin = randomUUID();
  s.prepare(
    `INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_forms, version, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, NULL, 'administration', 'Barn- och utbildning', 'barn- och utbildning', '[]', 1, ?, 'test', ?, 'test')`,
  ).run(admin, muni, now, now);
  const unit = (name: string, schoolForms: MethodInput<'unit.create'>['schoolForms']) => core.ok('unit.create', { parentId: admin, name, schoolForms }).id;
  const solrosen = unit('Solrosen', ['FS', 'FTH']);
  const ekbacken = unit('Ekbacken', ['FS', 'FTH', 'FKLASS', 'GR']);
  const bjorken = unit('Björken', ['GR']);
  const groups = {
    solFS: group(core, solrosen, 'Humlan', 'department', 'FS'),
    solFS2: group(core, solrosen, 'Myran', 'department', 'FS'),
    solFTH: group(core, solrosen, 'Fritids', 'department', 'FTH'),
    ekFS: group(core, ekbacken, 'Ugglan', 'department', 'FS'),
    ek3A: group(core, ekbacken, '3A', 'class', 'GR', { grade: 3 }),
    ek3B: group(core, ekbacken, '3B', 'class', 'GR', { grade: 3 }),
    bj3A: group(core, bjorken, '3A', 'class', 'GR', { grade: 3 }),
  };
  const child = person(core, 'Alva', '2023-03-10');
  const pupil = person(core, 'Bo', '2018-05-01');
  const mother = person(core, 'Cecilia', '1990-02-02');
  const father = person(core, 'David', '1989-09-09');
  for (const c of [child, pupil]) {
    guardian(core, c, mother);
    guardian(core, c, father);
  }
  return { core, admin, solrosen, ekbacken, bjorken, groups, child, pupil, mother, father };
}

/** The rule id a refused call names (the error's `rule`). */
function ruleOf(core: TestCore, method: MethodName, input: unknown): string | undefined {
  const r = core.call(method, input);
  if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
  expect(r.error.code, r.error.message).toBe('rule_violation');
  expect(r.error.message).toContain((r.error as { rule?: string }).rule);
  return (r.error as { rule?: string }).rule;
}

const TABLES = ['placement', 'placement_owner', 'enrolment', 'group_membership', 'change_log'] as const;
/** Every row of the tables a placement call writes, to prove a refused call changed nothing. */
const snapshot = (core: TestCore) => Object.fromEntries(TABLES.map((t) => [t, core.db.sqlite.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));

const memberships = (core: TestCore, sourceId: string) =>
  core.db.sqlite.prepare(`SELECT group_id, person_id, valid_from, valid_to, deleted_at FROM group_membership WHERE source_id = ? ORDER BY created_at, rowid`).all(sourceId) as {
    group_id: string;
    person_id: string;
    valid_from: string;
    valid_to: string | null;
    deleted_at: string | null;
  }[];
const live = (core: TestCore, sourceId: string) => memberships(core, sourceId).filter((m) => m.deleted_at === null);

let f: Fixture;
let core: TestCore;
beforeEach(() => {
  f = setup();
  core = f.core;
});
afterEach(() => core.dispose());

const place = (over: Partial<MethodInput<'placement.create'>> = {}): MethodInput<'placement.create'> => ({
  childId: f.child,
  unitId: f.solrosen,
  groupId: f.groups.solFS,
  schoolForm: 'FS',
  validFrom: START,
  reason: 'care_need',
  ...over,
});
const enrol = (over: Partial<MethodInput<'enrolment.create'>> = {}): MethodInput<'enrolment.create'> => ({
  pupilId: f.pupil,
  unitId: f.ekbacken,
  groupId: f.groups.ek3A,
  schoolForm: 'GR',
  grade: 3,
  validFrom: START,
  ...over,
});

describe('placement.create', () => {
  it('writes the placement, held by the non-shielded guardians, with its department membership, change log and audit entry', () => {
    const stranger = person(core, 'Erik', '1980-01-01');
    guardian(core, f.child, stranger, { shielded: true });
    const r = core.ok('placement.create', place({ weeklyHours: 30, schedule: { mon: '08:00-16:00', tue: '08:00-16:00', wed: null, thu: '08:00-14:00', fri: '08:00-14:00' } }));
    const [v] = placementViews(core.ctx, f.child, TEST_TODAY);
    expect(v).toMatchObject({ id: r.id, version: 1, unitName: 'Solrosen', groupName: 'Humlan', state: 'accepted', status: 'active', weeklyHours: 30, validTo: null });
    expect(v!.schedule?.wed).toBeNull();
    expect(v!.owners.map((o) => o.id).sort()).toEqual([f.mother, f.father].sort());
    expect(live(core, r.id)).toEqual([{ group_id: f.groups.solFS, person_id: f.child, valid_from: START, valid_to: null, deleted_at: null }]);
    const log = core.db.sqlite.prepare(`SELECT * FROM change_log WHERE entity = 'placement' AND entity_id = ?`).get(r.id) as { person_id: string; op: string; fields: string };
    expect(log).toMatchObject({ person_id: f.child, op: 'create' });
    expect(JSON.parse(log.fields)).toEqual(expect.arrayContaining(['unitId', 'groupId', 'weeklyHours', 'ownerIds']));
    const audit = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'placement.create' ORDER BY seq DESC`).get() as { person_ids: string; details: string };
    expect(JSON.parse(audit.person_ids).sort()).toEqual([f.child, f.mother, f.father].sort());
    expect(JSON.parse(audit.details).changes.unitName).toEqual([null, 'Solrosen']);
  });

  it('named holders must be guardians on the start date, never a shielded one (owner_not_guardian, owner_shielded)', () => {
    const neighbour = person(core, 'Gustav', '1970-01-01');
    const late = person(core, 'Hanna', '1985-01-01');
    guardian(core, f.child, late, { from: '2026-09-01' });
    const shielded = person(core, 'Ivar', '1982-01-01');
    guardian(core, f.child, shielded, { shielded: true });
    const before = snapshot(core);
    expect(ruleOf(core, 'placement.create', place({ ownerIds: [f.mother, neighbour] }))).toBe('owner_not_guardian');
    expect(core.err('placement.create', place({ ownerIds: [f.mother, neighbour] })).field).toBe('ownerIds.1');
    expect(ruleOf(core, 'placement.create', place({ ownerIds: [late] }))).toBe('owner_not_guardian');
    expect(ruleOf(core, 'placement.create', place({ ownerIds: [shielded] }))).toBe('owner_shielded');
    expect(snapshot(core)).toEqual(before);
    const r = core.ok('placement.create', place({ ownerIds: [f.mother, f.mother] }));
    expect(placementViews(core.ctx, f.child, TEST_TODAY).find((p) => p.id === r.id)!.owners.map((o) => o.id)).toEqual([f.mother]);
  });

  it('refuses an end before the start (end_before_start)', () => {
    expect(ruleOf(core, 'placement.create', place({ validTo: '2026-08-16' }))).toBe('end_before_start');
    expect(ruleOf(core, 'enrolment.create', enrol({ validTo: '2026-08-01' }))).toBe('end_before_start');
  });

  it('refuses a second place of the same family over the same days, not one of the other family (placement_overlap)', () => {
    core.ok('placement.create', place({ validTo: '2027-06-30' }));
    expect(ruleOf(core, 'placement.create', place({ unitId: f.ekbacken, groupId: null, validFrom: '2027-06-30' }))).toBe('placement_overlap');
    // Pedagogisk omsorg is the same family as förskola: a child has one daytime place.
    core.db.sqlite.prepare(`UPDATE org_unit SET school_forms = '["FS","PO","FTH"]' WHERE id = ?`).run(f.ekbacken);
    const err = core.err('placement.create', place({ unitId: f.ekbacken, groupId: null, schoolForm: 'PO', validFrom: '2027-01-01' }));
    expect(err.message).toBe('placement_overlap: the child already has a preschool placement (FS) at Solrosen 2026-08-17–2027-06-30');
    // The clerk's message names the placement it clashes with (the form shows unit and dates).
    expect(err.details).toEqual({ unit: 'Solrosen', from: '2026-08-17', to: '2027-06-30' });
    // The day after the end is free (inclusive end dates), and fritidshem is another family.
    core.ok('placement.create', place({ unitId: f.ekbacken, groupId: null, validFrom: '2027-07-01' }));
    core.ok('placement.create', place({ childId: f.child, unitId: f.solrosen, groupId: null, schoolForm: 'FTH', validFrom: '2029-08-13' }));
    expect(ruleOf(core, 'placement.create', place({ unitId: f.solrosen, groupId: null, schoolForm: 'FTH', validFrom: '2030-01-01' }))).toBe('placement_overlap');
  });

  it('a declined offer holds no place: it frees the dates and its membership ends', () => {
    const offered = insertPlacement(writer(core.ctx, SYSTEM), { ...place(), groupId: f.groups.solFS, validTo: null, weeklyHours: null, schedule: null, ownerIds: [], state: 'offered', answerBy: '2026-08-01' });
    expect(placementViews(core.ctx, f.child, TEST_TODAY)[0]).toMatchObject({ state: 'offered', status: 'offered', owners: [], answerBy: '2026-08-01' });
    expect(live(core, offered.id)).toHaveLength(1);
    expect(ruleOf(core, 'placement.create', place({ unitId: f.ekbacken, groupId: null }))).toBe('placement_overlap');
    const declined = setPlacementState(writer(core.ctx, SYSTEM), offered.id, 1, 'declined');
    expect(declined.version).toBe(2);
    expect(live(core, offered.id)).toEqual([]);
    expect(memberships(core, offered.id)).toHaveLength(1);
    core.ok('placement.create', place({ unitId: f.ekbacken, groupId: null }));
    expect(placementViews(core.ctx, f.child, TEST_TODAY).map((p) => p.state).sort()).toEqual(['accepted', 'declined']);
    expect(() => setPlacementState(writer(core.ctx, SYSTEM), offered.id, 2, 'accepted')).toThrow(/answer_state/);
  });

  it('accepting an offer makes the non-shielded guardians its holders unless others are named', () => {
    const shielded = person(core, 'Ivar', '1982-01-01');
    guardian(core, f.child, shielded, { shielded: true });
    const a = insertPlacement(writer(core.ctx, SYSTEM), { ...place(), groupId: null, validTo: null, weeklyHours: null, schedule: null, ownerIds: [], state: 'offered' });
    expect(() => setPlacementState(writer(core.ctx, SYSTEM), a.id, 7, 'accepted')).toThrow(/changed by someone else/);
    expect(() => setPlacementState(writer(core.ctx, SYSTEM), a.id, 1, 'accepted', [shielded])).toThrow(/owner_shielded/);
    setPlacementState(writer(core.ctx, SYSTEM), a.id, 1, 'accepted');
    expect(placementViews(core.ctx, f.child, TEST_TODAY)[0]!.owners.map((o) => o.id).sort()).toEqual([f.mother, f.father].sort());
    const b = insertPlacement(writer(core.ctx, SYSTEM), { ...place(), schoolForm: 'FTH', groupId: null, validFrom: '2029-08-13', validTo: null, weeklyHours: null, schedule: null, ownerIds: [], state: 'offered' });
    setPlacementState(writer(core.ctx, SYSTEM), b.id, 1, 'accepted', [f.father]);
    expect(placementViews(core.ctx, f.child, TEST_TODAY)[0]!.owners.map((o) => o.id)).toEqual([f.father]);
  });

  it('refuses a form the unit does not run, or a unit that is not a school unit (form_not_offered)', () => {
    expect(ruleOf(core, 'placement.create', place({ unitId: f.bjorken, groupId: null }))).toBe('form_not_offered');
    expect(ruleOf(core, 'placement.create', place({ unitId: f.admin, groupId: null }))).toBe('form_not_offered');
    expect(ruleOf(core, 'enrolment.create', enrol({ unitId: f.solrosen, groupId: null }))).toBe('form_not_offered');
  });

  it('refuses a school form that is enrolled in, not placed in (form_not_placement)', () => {
    const d = { ...place(), schoolForm: 'GR' as 'FS', groupId: null, validTo: null, weeklyHours: null, schedule: null, ownerIds: [], state: 'accepted' as const };
    expect(() => insertPlacement(writer(core.ctx, SYSTEM), d)).toThrow(/form_not_placement/);
    expect(core.err('placement.create', place({ schoolForm: 'GR' as 'FS' })).code).toBe('validation');
  });

  it("refuses dates outside the unit's opening and closing days (outside_unit_lifetime)", () => {
    core.db.sqlite.prepare(`UPDATE org_unit SET opened_on = '2026-09-01', closed_on = '2027-06-30' WHERE id = ?`).run(f.ekbacken);
    expect(ruleOf(core, 'placement.create', place({ unitId: f.ekbacken, groupId: null, validTo: '2027-01-01' }))).toBe('outside_unit_lifetime');
    // An open end outlives a unit that closes.
    expect(ruleOf(core, 'placement.create', place({ unitId: f.ekbacken, groupId: null, validFrom: '2026-09-01' }))).toBe('outside_unit_lifetime');
    expect(ruleOf(core, 'enrolment.create', enrol({ validFrom: '2026-09-01', validTo: '2027-07-01' }))).toBe('outside_unit_lifetime');
    core.ok('placement.create', place({ unitId: f.ekbacken, groupId: null, validFrom: '2026-09-01', validTo: '2027-06-30' }));
  });

  it("refuses a start outside the group's lifetime, stored or by default its school year (outside_group_lifetime)", () => {
    expect(ruleOf(core, 'placement.create', place({ validFrom: '2027-08-02' }))).toBe('outside_group_lifetime');
    expect(ruleOf(core, 'placement.create', place({ validFrom: '2026-07-31' }))).toBe('outside_group_lifetime');
    const bare = group(core, f.solrosen, 'Snigeln', 'department', 'FS', { year: 2027, from: null, to: null });
    expect(ruleOf(core, 'placement.create', place({ groupId: bare, validFrom: '2027-07-31' }))).toBe('outside_group_lifetime');
    const short = group(core, f.ekbacken, '3C', 'class', 'GR', { from: '2026-08-01', to: '2026-12-31', grade: 3 });
    expect(ruleOf(core, 'enrolment.create', enrol({ groupId: short, validFrom: '2027-01-07' }))).toBe('outside_group_lifetime');
    // A placement runs on after its group's year (the rollover moves the child): only the start is held to it.
    core.ok('placement.create', place({ groupId: bare, validFrom: '2027-08-01' }));
  });

  it('refuses a group of another unit (group_not_in_unit) or of another form (group_form_mismatch), and an unknown one', () => {
    expect(ruleOf(core, 'placement.create', place({ groupId: f.groups.ekFS }))).toBe('group_not_in_unit');
    expect(ruleOf(core, 'placement.create', place({ groupId: f.groups.solFTH }))).toBe('group_form_mismatch');
    expect(ruleOf(core, 'enrolment.create', enrol({ groupId: f.groups.bj3A }))).toBe('group_not_in_unit');
    expect(core.err('placement.create', place({ groupId: randomUUID() }))).toMatchObject({ code: 'not_found', field: 'groupId' });
    expect(core.err('placement.create', place({ childId: randomUUID() }))).toMatchObject({ code: 'not_found', field: 'childId' });
    expect(core.err('placement.create', place({ unitId: randomUUID() }))).toMatchObject({ code: 'not_found', field: 'unitId' });
  });

  it("refuses a child outside the form's configured ages, from the birth date or else the identity number (age_limit)", () => {
    const baby = person(core, 'Freja', '2026-01-15');
    expect(ruleOf(core, 'placement.create', place({ childId: baby, groupId: null }))).toBe('age_limit');
    expect(core.err('placement.create', place({ childId: baby, groupId: null })).message).toContain('0 years old on 2026-08-17; FS takes ages 1–6');
    expect(ruleOf(core, 'placement.create', place({ childId: f.pupil, groupId: null }))).toBe('age_limit');
    // The limits are configuration: a municipality that takes children from the age of 0.
    core.ok('placementRules.update', { ...DEFAULT_PLACEMENT_RULES, ageLimits: { ...DEFAULT_PLACEMENT_RULES.ageLimits, FS: { min: 0, max: 6 } } });
    core.ok('placement.create', place({ childId: baby, groupId: null }));
    const numbered = core.ok('person.create', { givenName: 'Gry', familyName: 'Lind', identityNumber: makeSwedishPersonnummer('2010-04-04', 123) }).id;
    core.db.sqlite.prepare(`UPDATE person SET birth_date = NULL WHERE id = ?`).run(numbered);
    expect(ruleOf(core, 'placement.create', place({ childId: numbered, groupId: null }))).toBe('age_limit');
    const unknown = person(core, 'Hugo', '2010-04-04');
    core.db.sqlite.prepare(`UPDATE person SET birth_date = NULL WHERE id = ?`).run(unknown);
    core.ok('placement.create', place({ childId: unknown, groupId: null }));
  });
});

describe('placement.update', () => {
  it('moves the membership with the group and the dates, ends it when the group is removed, and checks what changed', () => {
    const r = core.ok('placement.create', place());
    const u1 = core.ok('placement.update', { id: r.id, version: 1, groupId: f.groups.solFS2, validTo: '2027-06-30', weeklyHours: 25 });
    expect(u1.version).toBe(2);
    expect(live(core, r.id)).toEqual([{ group_id: f.groups.solFS2, person_id: f.child, valid_from: START, valid_to: '2027-06-30', deleted_at: null }]);
    expect(core.err('placement.update', { id: r.id, version: 1, weeklyHours: 20 })).toMatchObject({ code: 'conflict' });
    expect(ruleOf(core, 'placement.update', { id: r.id, version: 2, groupId: f.groups.ekFS })).toBe('group_not_in_unit');
    expect(ruleOf(core, 'placement.update', { id: r.id, version: 2, validTo: '2026-01-01' })).toBe('end_before_start');
    expect(ruleOf(core, 'placement.update', { id: r.id, version: 2, ownerIds: [randomUUID()] })).toBe('owner_not_guardian');
    core.ok('placement.create', place({ unitId: f.ekbacken, groupId: null, validFrom: '2027-07-01' }));
    expect(ruleOf(core, 'placement.update', { id: r.id, version: 2, validTo: null })).toBe('placement_overlap');
    core.ok('placement.update', { id: r.id, version: 2, groupId: null });
    expect(live(core, r.id)).toEqual([]);
    const v = placementViews(core.ctx, f.child, TEST_TODAY).find((p) => p.id === r.id)!;
    expect(v).toMatchObject({ version: 3, groupId: null, weeklyHours: 25, validTo: '2027-06-30' });
    const audit = core.db.sqlite.prepare(`SELECT details FROM audit_log WHERE method = 'placement.update' AND outcome = 'ok' ORDER BY seq DESC`).get() as { details: string };
    expect(JSON.parse(audit.details).changes).toMatchObject({ groupId: [f.groups.solFS2, null], groupName: ['Myran', null] });
  });

  it('an update that changes only hours is not refused by rules on facts it does not touch', () => {
    const r = core.ok('placement.create', place());
    core.ok('placementRules.update', { ...DEFAULT_PLACEMENT_RULES, ageLimits: { ...DEFAULT_PLACEMENT_RULES.ageLimits, FS: { min: 4, max: 6 } } });
    expect(core.ok('placement.update', { id: r.id, version: 1, weeklyHours: 40 }).version).toBe(2);
    expect(ruleOf(core, 'placement.update', { id: r.id, version: 2, validFrom: '2026-08-18' })).toBe('age_limit');
  });
});

describe('enrolments', () => {
  it('one enrolment per period, whatever the form (enrolment_overlap); the class membership follows', () => {
    const r = core.ok('enrolment.create', enrol({ validTo: '2027-06-15' }));
    expect(live(core, r.id)).toEqual([{ group_id: f.groups.ek3A, person_id: f.pupil, valid_from: START, valid_to: '2027-06-15', deleted_at: null }]);
    expect(ruleOf(core, 'enrolment.create', enrol({ unitId: f.bjorken, groupId: null, validFrom: '2027-06-15' }))).toBe('enrolment_overlap');
    expect(ruleOf(core, 'enrolment.create', enrol({ groupId: null, schoolForm: 'FKLASS', grade: 0, validFrom: '2027-01-01' }))).toBe('enrolment_overlap');
    core.ok('enrolment.create', enrol({ unitId: f.bjorken, groupId: null, validFrom: '2027-06-16' }));
    const u = core.ok('enrolment.update', { id: r.id, version: 1, groupId: f.groups.ek3B, grade: 4, endReason: 'Flyttar' });
    expect(u.version).toBe(2);
    expect(live(core, r.id)[0]!.group_id).toBe(f.groups.ek3B);
    expect(ruleOf(core, 'enrolment.update', { id: r.id, version: 2, validTo: null })).toBe('enrolment_overlap');
    expect(enrolmentViews(core.ctx, f.pupil).map((e) => [e.unitName, e.groupName, e.grade, e.endReason])).toEqual([
      ['Björken', null, 3, null],
      ['Ekbacken', '3B', 4, 'Flyttar'],
    ]);
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM change_log WHERE entity = 'enrolment' AND person_id = ?`).pluck().get(f.pupil)).toBe(3);
  });
});

describe('notice', () => {
  it('computes the last day from the form’s notice period, month ends and leap years included', () => {
    expect(computedLastDay('2026-03-15', 2)).toBe('2026-05-14');
    expect(computedLastDay('2027-01-31', 1)).toBe('2027-02-27');
    expect(computedLastDay('2028-01-31', 1)).toBe('2028-02-28');
    expect(computedLastDay('2027-12-31', 2)).toBe('2028-02-28');
    expect(computedLastDay('2028-02-29', 1)).toBe('2028-03-28');
    expect(computedLastDay('2026-11-01', 1)).toBe('2026-11-30');
    expect(computedLastDay('2026-11-23', 0)).toBe('2026-11-23');
    const r = core.ok('placement.create', place());
    expect(core.ok('placement.noticePreview', { id: r.id, noticeDate: '2027-01-31' })).toEqual({ computedLastDay: '2027-03-30', noticeMonths: 2 });
    const fth = core.ok('placement.create', place({ schoolForm: 'FTH', groupId: null, childId: f.pupil, unitId: f.ekbacken }));
    expect(core.ok('placement.noticePreview', { id: fth.id, noticeDate: '2028-01-31' })).toEqual({ computedLastDay: '2028-02-28', noticeMonths: 1 });
  });

  it('ends the placement and its membership on the computed day, and logs computed and chosen day', () => {
    const r = core.ok('placement.create', place());
    const n = core.ok('placement.notice', { id: r.id, version: 1, noticeDate: '2026-11-23' });
    expect(n).toEqual({ id: r.id, version: 2, lastDay: '2027-01-22', computedLastDay: '2027-01-22' });
    expect(placementViews(core.ctx, f.child, TEST_TODAY)[0]).toMatchObject({ validTo: '2027-01-22', noticeGivenOn: '2026-11-23', noticeOverrideReason: null, status: 'notice_given' });
    expect(live(core, r.id)[0]!.valid_to).toBe('2027-01-22');
    const audit = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'placement.notice' ORDER BY seq DESC`).get() as { person_ids: string; details: string };
    expect(JSON.parse(audit.details).notice).toEqual({ noticeDate: '2026-11-23', computedLastDay: '2027-01-22', lastDay: '2027-01-22', overrideReason: null });
    expect(JSON.parse(audit.person_ids)).toContain(f.child);
    expect(ruleOf(core, 'placement.notice', { id: r.id, version: 2, noticeDate: '2026-11-24' })).toBe('notice_state');
  });

  it('a later last day is the guardian’s wish; an earlier one needs a reason and never precedes the notice date', () => {
    const r = core.ok('placement.create', place());
    const before = snapshot(core);
    expect(ruleOf(core, 'placement.notice', { id: r.id, version: 1, noticeDate: '2026-11-23', lastDay: '2026-12-31' })).toBe('notice_too_short');
    const reason = 'Familjen flyttar till annan kommun';
    expect(ruleOf(core, 'placement.notice', { id: r.id, version: 1, noticeDate: '2026-11-23', lastDay: '2026-11-22', overrideReason: reason })).toBe('notice_too_short');
    expect(snapshot(core)).toEqual(before);
    const n = core.ok('placement.notice', { id: r.id, version: 1, noticeDate: '2026-11-23', lastDay: '2026-12-31', overrideReason: reason });
    expect(n).toMatchObject({ lastDay: '2026-12-31', computedLastDay: '2027-01-22' });
    expect(placementViews(core.ctx, f.child, TEST_TODAY)[0]).toMatchObject({ validTo: '2026-12-31', noticeOverrideReason: reason });
    const audit = core.db.sqlite.prepare(`SELECT details FROM audit_log WHERE method = 'placement.notice' AND outcome = 'ok'`).get() as { details: string };
    expect(JSON.parse(audit.details).notice).toMatchObject({ computedLastDay: '2027-01-22', lastDay: '2026-12-31', overrideReason: reason });

    const later = core.ok('placement.create', place({ schoolForm: 'FTH', groupId: null, childId: f.pupil, unitId: f.ekbacken }));
    const w = core.ok('placement.notice', { id: later.id, version: 1, noticeDate: '2026-11-23', lastDay: '2027-03-31' });
    expect(w).toMatchObject({ lastDay: '2027-03-31', computedLastDay: '2026-12-22' });
    expect(placementViews(core.ctx, f.pupil, TEST_TODAY)[0]!.noticeOverrideReason).toBeNull();
  });

  it('only an accepted placement that has not ended takes notice, and a notice never extends a fixed end (notice_state)', () => {
    const offered = insertPlacement(writer(core.ctx, SYSTEM), { ...place(), groupId: null, validTo: null, weeklyHours: null, schedule: null, ownerIds: [], state: 'offered' });
    expect(ruleOf(core, 'placement.notice', { id: offered.id, version: 1, noticeDate: TEST_TODAY })).toBe('notice_state');
    setPlacementState(writer(core.ctx, SYSTEM), offered.id, 1, 'declined');
    const fixed = core.ok('placement.create', place({ validFrom: '2027-07-01', validTo: '2027-12-31', groupId: null }));
    expect(ruleOf(core, 'placement.notice', { id: fixed.id, version: 1, noticeDate: '2028-01-01' })).toBe('notice_state');
    expect(ruleOf(core, 'placement.notice', { id: fixed.id, version: 1, noticeDate: '2027-12-01', lastDay: '2028-01-31' })).toBe('notice_state');
    // The placement's own end comes before the notice period's: it stands, and needs no override.
    expect(core.ok('placement.notice', { id: fixed.id, version: 1, noticeDate: '2027-12-01' })).toMatchObject({ lastDay: '2027-12-31', computedLastDay: '2028-01-31' });
  });
});

describe('transfer', () => {
  it('ends the placement the day before and starts the new one on the date with the same facts; memberships follow', () => {
    const r = core.ok('placement.create', place({ weeklyHours: 30, ownerIds: [f.mother] }));
    core.ok('placement.update', { id: r.id, version: 1, validTo: '2027-06-30' });
    const t = core.ok('placement.transfer', { id: r.id, version: 2, date: '2027-01-11', toUnitId: f.ekbacken, toGroupId: f.groups.ekFS });
    expect(t.endedId).toBe(r.id);
    const [now, old] = placementViews(core.ctx, f.child, '2027-02-01');
    expect(old).toMatchObject({ id: r.id, validFrom: START, validTo: '2027-01-10', status: 'ended', version: 3 });
    expect(now).toMatchObject({ id: t.newId, unitId: f.ekbacken, groupName: 'Ugglan', schoolForm: 'FS', validFrom: '2027-01-11', validTo: '2027-06-30', weeklyHours: 30, transferredFromId: r.id, status: 'active' });
    expect(now!.owners.map((o) => o.id)).toEqual([f.mother]);
    expect(live(core, r.id)).toEqual([{ group_id: f.groups.solFS, person_id: f.child, valid_from: START, valid_to: '2027-01-10', deleted_at: null }]);
    expect(live(core, t.newId)).toEqual([{ group_id: f.groups.ekFS, person_id: f.child, valid_from: '2027-01-11', valid_to: '2027-06-30', deleted_at: null }]);
    const audit = core.db.sqlite.prepare(`SELECT details FROM audit_log WHERE method = 'placement.transfer'`).get() as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ ended: { validTo: ['2027-06-30', '2027-01-10'] }, changes: { unitName: [null, 'Ekbacken'] } });
  });

  it('within the same unit to another department, with new hours', () => {
    const r = core.ok('placement.create', place({ weeklyHours: 30 }));
    const t = core.ok('placement.transfer', { id: r.id, version: 1, date: '2027-01-11', toUnitId: f.solrosen, toGroupId: f.groups.solFS2, weeklyHours: 40 });
    expect(placementViews(core.ctx, f.child, TEST_TODAY).find((p) => p.id === t.newId)).toMatchObject({ groupName: 'Myran', weeklyHours: 40, validTo: null });
  });

  it('refuses a date outside the placement or on its first day (transfer_date) and the same place (transfer_same_place)', () => {
    const r = core.ok('placement.create', place({ validTo: '2027-06-30' }));
    const before = snapshot(core);
    const t = (date: string, toUnitId = f.ekbacken, toGroupId: string | null = null) => ruleOf(core, 'placement.transfer', { id: r.id, version: 1, date, toUnitId, toGroupId });
    expect(t(START)).toBe('transfer_date');
    expect(t('2026-08-01')).toBe('transfer_date');
    expect(t('2027-07-01')).toBe('transfer_date');
    expect(t('2027-01-11', f.solrosen, f.groups.solFS)).toBe('transfer_same_place');
    // The new row is checked like any placement: here, a unit that does not run FS.
    expect(t('2027-01-11', f.bjorken)).toBe('form_not_offered');
    expect(snapshot(core)).toEqual(before);
    expect(core.ok('placement.transfer', { id: r.id, version: 1, date: '2027-06-30', toUnitId: f.ekbacken }).endedId).toBe(r.id);
  });

  it('moves a pupil to another school, keeping the grade unless a new one is given', () => {
    const r = core.ok('enrolment.create', enrol());
    expect(ruleOf(core, 'enrolment.transfer', { id: r.id, version: 1, date: START, toUnitId: f.bjorken })).toBe('transfer_date');
    expect(ruleOf(core, 'enrolment.transfer', { id: r.id, version: 1, date: '2027-01-11', toUnitId: f.ekbacken, toGroupId: f.groups.ek3A })).toBe('transfer_same_place');
    const t = core.ok('enrolment.transfer', { id: r.id, version: 1, date: '2027-01-11', toUnitId: f.bjorken, toGroupId: f.groups.bj3A });
    const [now, old] = enrolmentViews(core.ctx, f.pupil);
    expect(old).toMatchObject({ id: r.id, validTo: '2027-01-10', version: 2 });
    expect(now).toMatchObject({ id: t.newId, unitName: 'Björken', groupName: '3A', grade: 3, validFrom: '2027-01-11', validTo: null, transferredFromId: r.id });
    expect(live(core, r.id)[0]).toMatchObject({ group_id: f.groups.ek3A, valid_to: '2027-01-10' });
    expect(live(core, t.newId)[0]).toMatchObject({ group_id: f.groups.bj3A, valid_from: '2027-01-11', valid_to: null });
    const t2 = core.ok('enrolment.transfer', { id: t.newId, version: 1, date: '2027-02-01', toUnitId: f.ekbacken, toGroupId: f.groups.ek3B, grade: 4 });
    expect(enrolmentViews(core.ctx, f.pupil)[0]).toMatchObject({ id: t2.newId, grade: 4 });
  });
});

describe('placementRules', () => {
  it('reads the defaults, stores a change, and refuses an exception naming an unknown unit', () => {
    expect(core.ok('placementRules.get', {})).toEqual(DEFAULT_PLACEMENT_RULES);
    const next = { ...DEFAULT_PLACEMENT_RULES, noticeMonths: { ...DEFAULT_PLACEMENT_RULES.noticeMonths, FS: 1 }, rolloverExceptions: [{ unitId: f.ekbacken, fromName: '6A', toName: '7D', toUnitId: f.bjorken }] };
    expect(core.ok('placementRules.update', next)).toEqual(next);
    expect(core.ok('placementRules.get', {})).toEqual(next);
    expect(core.err('placementRules.update', { ...next, rolloverExceptions: [{ unitId: f.ekbacken, fromName: '6A', toName: '7D', toUnitId: randomUUID() }] })).toMatchObject({
      code: 'not_found',
      field: 'rolloverExceptions.0.toUnitId',
    });
    const r = core.ok('placement.create', place());
    expect(core.ok('placement.noticePreview', { id: r.id, noticeDate: '2026-11-23' }).noticeMonths).toBe(1);
    const scoped: Actor = { id: 'area-admin', name: 'Area', permissions: new Set(['org.write', 'placement.read']), unitScope: new Map([['org.write', new Set([f.ekbacken])]]) };
    const denied = core.call('placementRules.update', next, scoped);
    expect(denied).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('unit scope', () => {
  const PASSWORD = 'ett långt lösenord för kontot';
  /** A clerk who holds only Solrosen, signed in on a real connection. */
  function clerk(): Connection {
    core.ok('user.create', { username: 'sol.clerk', displayName: 'Sol Clerk', password: DEMO_PASSWORD, roles: [{ role: 'clerk', unitId: f.solrosen }] });
    const conn = core.connect('ws');
    expect(conn.call('auth.signIn', { username: 'sol.clerk', password: DEMO_PASSWORD }).ok).toBe(true);
    expect(conn.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: PASSWORD }).ok).toBe(true);
    return conn;
  }
  const code = (r: ReturnType<Connection['call']>) => (r.ok ? 'ok' : r.error.code);

  it('places in their own unit (which connects the child), never in another, and changes only what their unit holds', () => {
    const conn = clerk();
    expect(code(conn.call('person.get', { id: f.child }))).toBe('forbidden');
    expect(code(conn.call('placement.create', place({ unitId: f.ekbacken, groupId: f.groups.ekFS })))).toBe('forbidden');
    const r = conn.call('placement.create', place());
    expect(code(r)).toBe('ok');
    const id = (r as { data: { id: string } }).data.id;
    // Placing connected the child and the guardians to the clerk's unit.
    expect(code(conn.call('person.get', { id: f.child }))).toBe('ok');
    expect(code(conn.call('person.get', { id: f.mother }))).toBe('ok');
    expect(code(conn.call('placement.update', { id, version: 1, weeklyHours: 35 }))).toBe('ok');
    expect(code(conn.call('placement.noticePreview', { id, noticeDate: TEST_TODAY }))).toBe('ok');
    // Out of the unit into one the clerk does not hold: refused as a whole.
    const before = snapshot(core);
    expect(code(conn.call('placement.transfer', { id, version: 2, date: '2027-01-11', toUnitId: f.ekbacken, toGroupId: f.groups.ekFS }))).toBe('forbidden');
    expect(snapshot(core)).toEqual(before);
    expect(code(conn.call('placement.transfer', { id, version: 2, date: '2027-01-11', toUnitId: f.solrosen, toGroupId: f.groups.solFS2 }))).toBe('ok');
    expect(code(conn.call('placementRules.get', {}))).toBe('ok');
    expect(code(conn.call('placementRules.update', DEFAULT_PLACEMENT_RULES))).toBe('forbidden');
  });

  it("cannot touch or transfer a child of another unit, even into their own", () => {
    const theirs = core.ok('placement.create', place({ unitId: f.ekbacken, groupId: f.groups.ekFS }));
    const pupil = core.ok('enrolment.create', enrol());
    const conn = clerk();
    expect(code(conn.call('placement.update', { id: theirs.id, version: 1, weeklyHours: 10 }))).toBe('forbidden');
    expect(code(conn.call('placement.notice', { id: theirs.id, version: 1, noticeDate: TEST_TODAY }))).toBe('forbidden');
    expect(code(conn.call('placement.noticePreview', { id: theirs.id, noticeDate: TEST_TODAY }))).toBe('forbidden');
    expect(code(conn.call('placement.transfer', { id: theirs.id, version: 1, date: '2027-01-11', toUnitId: f.solrosen, toGroupId: f.groups.solFS }))).toBe('forbidden');
    expect(code(conn.call('enrolment.update', { id: pupil.id, version: 1, grade: 4 }))).toBe('forbidden');
    expect(code(conn.call('enrolment.transfer', { id: pupil.id, version: 1, date: '2027-01-11', toUnitId: f.bjorken }))).toBe('forbidden');
    expect(code(conn.call('enrolment.create', enrol()))).toBe('forbidden');
    const denied = core.db.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'denied' AND method LIKE 'placement.%'`).pluck().get() as number;
    expect(denied).toBeGreaterThanOrEqual(4);
  });

  it('sees the children queued for their unit and their guardians, and children placed there without a group', () => {
    const conn = clerk();
    const queued = person(core, 'Jonna', '2025-01-01');
    guardian(core, queued, f.father);
    const now = `${TEST_TODAY}T08:00:00.000Z`;
    const app = randomUUID();
    core.db.sqlite
      .prepare(
        `INSERT INTO application (id, child_id, school_form, applied_on, wished_start, status, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, 'FS', '2026-10-01', '2027-02-01', 'queued', 1, ?, 'test', ?, 'test')`,
      )
      .run(app, queued, now, now);
    core.db.sqlite.prepare(`INSERT INTO application_choice (application_id, rank, unit_id) VALUES (?, 1, ?)`).run(app, f.solrosen);
    core.ctx.generation.persons++;
    expect(code(conn.call('person.get', { id: queued }))).toBe('ok');
    expect(code(conn.call('person.get', { id: f.father }))).toBe('ok');
    core.db.sqlite.prepare(`UPDATE application SET status = 'withdrawn' WHERE id = ?`).run(app);
    core.ctx.generation.persons++;
    expect(code(conn.call('person.get', { id: queued }))).toBe('forbidden');
    // A placement without a group (no membership) still connects the child; a declined one does not.
    const p = core.ok('placement.create', place({ childId: f.pupil, schoolForm: 'FTH', groupId: null }));
    expect(code(conn.call('person.get', { id: f.pupil }))).toBe('ok');
    core.ok('placement.update', { id: p.id, version: 1, validTo: '2026-11-22' });
    expect(code(conn.call('person.get', { id: f.pupil }))).toBe('forbidden');
  });
});

describe('placement rules document', () => {
  it('refuses an age limit whose minimum is above its maximum, naming the field', () => {
    const core = makeTestCore();
    try {
      const rules = core.ok('placementRules.get', {});
      const e = core.err('placementRules.update', { ...rules, ageLimits: { ...rules.ageLimits, FS: { min: 7, max: 3 } } });
      expect(e).toMatchObject({ code: 'validation', field: 'ageLimits.FS.max' });
      expect(core.ok('placementRules.get', {}).ageLimits.FS).toEqual(rules.ageLimits.FS);
    } finally {
      core.dispose();
    }
  });
});
