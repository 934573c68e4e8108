/**
 * The barnehage queue of a Norwegian municipality through the dispatcher: the right to a place
 * (barnehageloven § 16) instead of the Swedish guarantee, its order, the main admission as dated
 * configuration, and the places per department the offer dialog shows. Real SQLite, a small municipality
 * of our own.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, UNIT_SCOPED, type Permission, type Role } from '../../shared/domain/access';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import { makeTestCore, type TestCore } from '../../test/util/core';
import type { Actor, Clock } from '../context';
import { DEFAULT_PLACEMENT_RULES } from './rules';

const TODAY = '2026-08-20';

let core: TestCore;
let today = TODAY;
/** A clock the test moves: the same database read on a later day. */
const clock: Clock = { fixedToday: TODAY, now: () => `${today}T12:00:00.000Z`, today: () => today, epochMs: () => Date.now() };
let sol: string; // BHG
let maur: string; // BHG
let skole: string; // GSK, SFO
let blå: string; // department at sol, barnehage year 2026
let grønn: string;

function call<M extends MethodName>(method: M, input: MethodInput<M>, actor?: Actor): MethodOutput<M> {
  const r = core.call(method, input, actor);
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.data as MethodOutput<M>;
}
function refusal(method: MethodName, input: unknown, actor?: Actor) {
  const r = core.call(method, input, actor);
  if (r.ok) throw new Error(`${method} unexpectedly succeeded`);
  return r.error;
}
function scopedActor(name: string, roles: Role[], units: string[]): Actor {
  const permissions = new Set<Permission>(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
  const unitScope = new Map<Permission, ReadonlySet<string>>();
  for (const p of permissions) if (UNIT_SCOPED.has(p)) unitScope.set(p, new Set(units));
  return { id: `test-${name}`, name, permissions, unitScope };
}

beforeEach(() => {
  today = TODAY;
  core = makeTestCore({ clock });
  const s = core.db.sqlite;
  const now = `${TODAY}T08:00:00.000Z`;
  const municipality = randomUUID();
  const admin = randomUUID();
  s.prepare(
    `INSERT INTO municipality (id, name, country, code, created_at, created_by, updated_at, updated_by) VALUES (?, 'Testkommune', 'NO', '0301', ?, 'test', ?, 'test')`,
  ).run(municipality, now, now);
  s.prepare(
    `INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_forms, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, NULL, 'administration', 'Oppvekst', 'oppvekst', '[]', ?, 'test', ?, 'test')`,
  ).run(admin, municipality, now, now);
  const unit = (name: string, schoolForms: MethodInput<'unit.create'>['schoolForms']) => core.ok('unit.create', { parentId: admin, name, schoolForms }).id;
  sol = unit('Solsikken barnehage', ['BHG']);
  maur = unit('Maurtua barnehage', ['BHG']);
  skole = unit('Bakken skole', ['GSK', 'SFO']);
  const dept = (unitId: string, name: string, year = 2026) => {
    const id = randomUUID();
    s.prepare(
      `INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'department', ?, lower(?), ?, 'BHG', NULL, ?, ?, ?, 'test', ?, 'test')`,
    ).run(id, unitId, name, name, year, `${year}-08-01`, `${year + 1}-07-31`, now, now);
    return id;
  };
  // Created out of order: the answer is in Norwegian alphabetical order (Ø after Å is wrong: Æ Ø Å).
  grønn = dept(sol, 'Grønn');
  blå = dept(sol, 'Blå');
  dept(sol, 'Åker');
  dept(sol, 'Ørnen');
  dept(sol, 'Gammel', 2025); // last barnehage year: not alive on the dates asked
});
afterEach(() => core.dispose());

const child = (given: string, birthDate: string, protection: MethodInput<'person.create'>['protection'] = 'none') =>
  core.ok('person.create', { givenName: given, familyName: 'Hansen', birthDate, protection }).id;
const apply = (childId: string, appliedOn: string, wishedStart: string, unitIds = [sol]) =>
  call('application.create', { childId, schoolForm: 'BHG', appliedOn, wishedStart, unitIds }).id;
const list = (input: MethodInput<'application.list'> = {}, actor?: Actor) => call('application.list', input, actor);
const version = (id: string) => core.db.sqlite.prepare(`SELECT version FROM application WHERE id = ?`).pluck().get(id) as number;

describe('the Norwegian queue: the right to a place, not the Swedish four months', () => {
  it('shows the right’s date, days to it and why a child has none; the most urgent first, no right last', () => {
    const august = apply(child('Aksel', '2024-04-02'), '2026-02-10', '2026-08-03'); // right from 2026-08-03, due 2026-08-31
    const october = apply(child('Oda', '2025-10-14'), '2026-02-28', '2026-08-10'); // turns one in October: right from 2026-10-01
    const late = apply(child('Lars', '2024-06-01'), '2026-03-02', '2026-08-01'); // the day after the deadline: no right
    const december = apply(child('Dina', '2025-12-05'), '2026-01-20', '2026-08-01'); // turns one in December: no right this year
    const overdue = apply(child('Oskar', '2023-09-09'), '2026-01-05', '2026-06-01'); // barnehage year 2025: applied after its deadline
    const r = list();
    // With a right by the last day the place may start; without one by application date.
    expect(r.items.map((a) => a.id)).toEqual([august, october, overdue, december, late]);
    const by = new Map(r.items.map((a) => [a.id, a]));
    expect(by.get(august)).toMatchObject({
      guaranteeDate: '2026-08-03',
      overdue: false,
      guarantee: { rule: 'no_right_to_place', daysLeft: -17, dueBy: '2026-08-31', urgency: 'soon', noRight: null, admission: { year: 2026, deadline: '2026-03-01', placesFrom: '2026-08-01' } },
    });
    expect(by.get(october)).toMatchObject({ guaranteeDate: '2026-10-01', guarantee: { daysLeft: 42, dueBy: '2026-10-31', urgency: 'ok' } });
    expect(by.get(late)).toMatchObject({ guaranteeDate: null, overdue: false, guarantee: { noRight: 'after_deadline', daysLeft: null, urgency: null } });
    expect(by.get(december)).toMatchObject({ guaranteeDate: null, guarantee: { noRight: 'born_after_cutoff' } });
    expect(by.get(overdue)!.guarantee).toMatchObject({ noRight: 'after_deadline', admission: { year: 2025, deadline: '2025-03-01' } });
    // None is overdue: the four months from January would have passed in May, but that is Swedish law.
    expect(r.overdue).toBe(0);
    expect(list({ filter: 'overdue' }).total).toBe(0);

  });

  it('overdue the day after the month the right applies in, until a place from then is offered', () => {
    const id = apply(child('Aksel', '2024-04-02'), '2026-02-10', '2026-08-03');
    expect(list().items[0]!.overdue).toBe(false);
    today = '2026-09-01';
    expect(list()).toMatchObject({ overdue: 1, items: [{ id, overdue: true, guarantee: { urgency: 'overdue', daysOverdue: 1 } }] });
    // An offer made in time, for a place from the last day of August, keeps the promise while the family answers.
    const other = apply(child('Oda', '2024-03-03'), '2026-02-11', '2026-08-03');
    today = '2026-08-25';
    call('application.offer', { id: other, version: version(other), unitId: sol, groupId: blå, start: '2026-08-31', answerBy: '2026-08-28' });
    today = '2026-09-02';
    expect(list().items.map((a) => [a.id, a.status, a.overdue, a.guarantee.urgency])).toEqual([
      [id, 'queued', true, 'overdue'],
      [other, 'offered', false, 'met'],
    ]);
    expect(list().overdue).toBe(1);
  });

  it('the main admission’s deadline is dated configuration; a rules form that does not send it keeps it', () => {
    const id = apply(child('Lars', '2024-06-01'), '2026-03-10', '2026-08-01');
    expect(list().items[0]!.guarantee.noRight).toBe('after_deadline');
    const rules = call('placementRules.get', {});
    expect(rules.mainAdmission).toEqual(DEFAULT_PLACEMENT_RULES.mainAdmission);
    call('placementRules.update', { ...rules, mainAdmission: { ...rules.mainAdmission!, years: [{ year: 2026, deadline: '2026-03-15' }] } });
    expect(list().items[0]).toMatchObject({ id, guaranteeDate: '2026-08-01', guarantee: { noRight: null, admission: { deadline: '2026-03-15' } } });
    // The placement-rules screen sends the rules without the main admission: it stays as stored.
    const { mainAdmission: _, ...withoutAdmission } = call('placementRules.get', {});
    call('placementRules.update', { ...withoutAdmission, guaranteeMonths: 3 });
    expect(call('placementRules.get', {})).toMatchObject({ guaranteeMonths: 3, mainAdmission: { years: [{ year: 2026, deadline: '2026-03-15' }] } });
    // A deadline outside its year is refused with the field.
    const bad = refusal('placementRules.update', { ...rules, mainAdmission: { ...rules.mainAdmission!, years: [{ year: 2026, deadline: '2026-09-01' }] } });
    expect(bad).toMatchObject({ code: 'validation' });
    expect(JSON.stringify(bad)).toContain('mainAdmission.years.0.deadline');
  });

  it('a protected child without a right is still only counted for a clerk who may not see it', () => {
    apply(child('Aksel', '2024-04-02'), '2026-02-10', '2026-08-03');
    apply(child('Skjult', '2024-04-02', 'no_strengt_fortrolig'), '2026-04-10', '2026-08-03', [maur]);
    const clerk = scopedActor('clerk', ['clerk'], [sol, maur]);
    const r = list({}, clerk);
    expect(r).toMatchObject({ total: 1, hiddenProtected: 1 });
    expect(JSON.stringify(r)).not.toContain('Skjult');
  });
});

describe('application.places: how full the departments are on a date', () => {
  function place(childId: string, groupId: string | null, validFrom: string, validTo: string | null, unitId = sol) {
    return call('placement.create', { childId, unitId, groupId, schoolForm: 'BHG', validFrom, validTo, reason: 'care_need' }).id;
  }

  it('counts accepted and offered places per department alive on the date, in Norwegian order, and the rest', () => {
    place(child('A', '2023-01-01'), blå, '2026-08-01', null);
    place(child('B', '2023-01-01'), blå, '2026-08-01', '2026-08-31'); // ended before the date
    place(child('C', '2023-01-01'), grønn, '2026-08-15', null);
    place(child('D', '2023-01-01'), null, '2026-08-01', null);
    place(child('E', '2023-01-01'), null, '2026-08-01', null, maur); // another unit
    const offered = apply(child('F', '2024-04-02'), '2026-02-10', '2026-09-01');
    call('application.offer', { id: offered, version: version(offered), unitId: sol, groupId: grønn, start: '2026-09-01', answerBy: '2026-08-25' });

    const r = call('application.places', { unitId: sol, date: '2026-09-01', schoolForm: 'BHG' });
    expect(r.departments.map((d) => d.name)).toEqual(['Blå', 'Grønn', 'Ørnen', 'Åker']);
    expect(r.departments.slice(0, 2)).toEqual([
      { groupId: blå, name: 'Blå', accepted: 1, offered: 0, capacity: null, free: null },
      { groupId: grønn, name: 'Grønn', accepted: 1, offered: 1, capacity: null, free: null },
    ]);
    expect(r).toMatchObject({ date: '2026-09-01', withoutDepartment: { accepted: 1, offered: 0 }, capacityKnown: false });
    // Before the barnehage year: last year's department is the one alive, and nothing is placed yet.
    const july = call('application.places', { unitId: sol, date: '2026-07-15', schoolForm: 'BHG' });
    expect(july.departments.map((d) => [d.name, d.accepted])).toEqual([['Gammel', 0]]);
  });

  it('refuses a unit outside the caller’s scope and a unit that is not a school unit', () => {
    const clerk = scopedActor('clerk', ['clerk'], [maur]);
    expect(refusal('application.places', { unitId: sol, date: '2026-09-01', schoolForm: 'BHG' }, clerk)).toMatchObject({ code: 'forbidden' });
    expect(call('application.places', { unitId: maur, date: '2026-09-01', schoolForm: 'BHG' }, clerk).departments).toEqual([]);
    expect(refusal('application.places', { unitId: randomUUID(), date: '2026-09-01', schoolForm: 'BHG' })).toMatchObject({ code: 'not_found', field: 'unitId' });
    expect(refusal('application.places', { unitId: sol, date: '2026-02-30', schoolForm: 'BHG' })).toMatchObject({ code: 'validation' });
    expect(skole).toBeTruthy();
  });
});
