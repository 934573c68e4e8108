/**
 * The preschool queue end to end through the dispatcher: applications, offers, answers, withdrawal, the
 * placement guarantee, the queue's order and filters, unit scope and protected children. Real SQLite, a
 * small municipality of our own (no demo data, so every count is known).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, UNIT_SCOPED, type Permission, type Role } from '../../shared/domain/access';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import { makeTestCore, type TestCore } from '../../test/util/core';
import type { Actor } from '../context';
import { applicationsOfChild, guaranteeDateOf } from './applications';
import { DEFAULT_PLACEMENT_RULES, setPlacementRules } from './rules';

const TODAY = '2026-11-23';

interface Org {
  solrosen: string; // FS
  vitsippan: string; // FS, PO
  ekbacken: string; // GR, FTH: no preschool
  solrosenDept: string; // FS department, school year 2026
  vitsippanDept: string;
}

let core: TestCore;
let org: Org;

function setupOrg(c: TestCore): Org {
  const s = c.db.sqlite;
  const now = `${TODAY}T08:00:00.000Z`;
  const municipality = randomUUID();
  const admin = randomUUID();
  s.prepare(
    `INSERT INTO municipality (id, name, country, code, created_at, created_by, updated_at, updated_by) VALUES (?, 'Testkommun', 'SE', '9999', ?, 'test', ?, 'test')`,
  ).run(municipality, now, now);
  s.prepare(
    `INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_forms, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, NULL, 'administration', 'Barn- och utbildning', 'barn- och utbildning', '[]', ?, 'test', ?, 'test')`,
  ).run(admin, municipality, now, now);
  const unit = (name: string, schoolForms: MethodInput<'unit.create'>['schoolForms']) => c.ok('unit.create', { parentId: admin, name, schoolForms }).id;
  const solrosen = unit('Solrosens förskola', ['FS']);
  const vitsippan = unit('Vitsippans förskola', ['FS', 'PO']);
  const ekbacken = unit('Ekbackens skola', ['GR', 'FTH']);
  const dept = (unitId: string, name: string) => {
    const id = randomUUID();
    s.prepare(
      `INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'department', ?, lower(?), 2026, 'FS', NULL, '2026-08-01', '2027-07-31', ?, 'test', ?, 'test')`,
    ).run(id, unitId, name, name, now, now);
    return id;
  };
  return { solrosen, vitsippan, ekbacken, solrosenDept: dept(solrosen, 'Blåklockan'), vitsippanDept: dept(vitsippan, 'Humlan') };
}

function person(givenName: string, familyName: string, birthDate: string, protection: MethodInput<'person.create'>['protection'] = 'none'): string {
  return core.ok('person.create', { givenName, familyName, birthDate, protection }).id;
}

function guardian(childId: string, guardianId: string, extra: Partial<MethodInput<'guardianship.create'>> = {}): void {
  core.ok('guardianship.create', { childId, guardianId, kind: 'vardnadshavare', validFrom: '2024-01-01', ...extra });
}

/** A child with two guardians (a family), returning all three ids. */
function family(given: string, familyName: string, birthDate = '2024-03-15') {
  const child = person(given, familyName, birthDate);
  const mother = person('Anna', familyName, '1990-02-02');
  const father = person('Bo', familyName, '1989-04-04');
  guardian(child, mother);
  guardian(child, father);
  return { child, mother, father };
}

type AppInput = MethodInput<'application.create'>;
function apply(childId: string, extra: Partial<AppInput> = {}): string {
  return core.ok('application.create', { childId, schoolForm: 'FS', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [org.solrosen], ...extra }).id;
}

const list = (input: MethodInput<'application.list'> = {}, actor?: Actor) => call('application.list', input, actor);

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

/** An actor holding `roles`, each limited to `units` (the way core/access builds a unit-scoped user). */
function scopedActor(name: string, roles: Role[], units: string[]): Actor {
  const permissions = new Set<Permission>(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
  const unitScope = new Map<Permission, ReadonlySet<string>>();
  for (const p of permissions) if (UNIT_SCOPED.has(p)) unitScope.set(p, new Set(units));
  return { id: `test-${name}`, name, permissions, unitScope };
}

const version = (id: string) => core.db.sqlite.prepare(`SELECT version FROM application WHERE id = ?`).pluck().get(id) as number;
const placementOf = (applicationId: string) =>
  core.db.sqlite.prepare(`SELECT * FROM placement WHERE application_id = ? ORDER BY created_at DESC, rowid DESC`).all(applicationId) as {
    id: string;
    state: string;
    unit_id: string;
    group_id: string | null;
    valid_from: string;
    valid_to: string | null;
    answer_by: string | null;
    reason: string;
    weekly_hours: number | null;
  }[];
const ownersOf = (placementId: string) =>
  core.db.sqlite.prepare(`SELECT guardian_id FROM placement_owner WHERE placement_id = ? ORDER BY guardian_id`).pluck().all(placementId) as string[];
const lastAudit = (method: string) =>
  core.db.sqlite.prepare(`SELECT person_ids, details, outcome FROM audit_log WHERE method = ? ORDER BY seq DESC LIMIT 1`).get(method) as {
    person_ids: string;
    details: string;
    outcome: string;
  };

function offer(id: string, extra: Partial<MethodInput<'application.offer'>> = {}, actor?: Actor) {
  return call('application.offer', { id, version: version(id), unitId: org.solrosen, groupId: org.solrosenDept, start: '2027-01-11', answerBy: '2026-12-15', ...extra }, actor);
}

beforeEach(() => {
  core = makeTestCore({ today: TODAY });
  org = setupOrg(core);
});
afterEach(() => core.dispose());

describe('application.create', () => {
  it('stores the application with its ranked choices, logs the change and audits the child', () => {
    const { child } = family('Elsa', 'Ek');
    const id = apply(child, { unitIds: [org.vitsippan, org.solrosen], weeklyHours: 30, note: 'Syskon på Vitsippan' });
    const row = core.db.sqlite.prepare(`SELECT * FROM application WHERE id = ?`).get(id) as Record<string, unknown>;
    expect(row).toMatchObject({ child_id: child, school_form: 'FS', status: 'queued', version: 1, weekly_hours: 30, note: 'Syskon på Vitsippan', created_by: 'local-admin' });
    expect(core.db.sqlite.prepare(`SELECT rank, unit_id FROM application_choice WHERE application_id = ? ORDER BY rank`).all(id)).toEqual([
      { rank: 1, unit_id: org.vitsippan },
      { rank: 2, unit_id: org.solrosen },
    ]);
    const log = core.db.sqlite.prepare(`SELECT entity, person_id, version, op FROM change_log WHERE entity_id = ?`).all(id);
    expect(log).toEqual([{ entity: 'application', person_id: child, version: 1, op: 'create' }]);
    const audit = lastAudit('application.create');
    expect(JSON.parse(audit.person_ids)).toEqual([child]);
    expect(JSON.parse(audit.details).changes).toMatchObject({ status: [null, 'queued'], wishedStart: [null, '2027-01-11'], 'choices.0': [null, org.vitsippan] });
  });

  it('refuses forms that are not queued for, units that do not run the form, and a start before the application', () => {
    const { child } = family('Elsa', 'Ek');
    expect(refusal('application.create', { childId: child, schoolForm: 'FTH', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [org.ekbacken] })).toMatchObject({
      code: 'rule_violation',
      rule: 'form_not_placement',
      field: 'schoolForm',
    });
    const notOffered = refusal('application.create', { childId: child, schoolForm: 'FS', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [org.solrosen, org.ekbacken] });
    expect(notOffered).toMatchObject({ code: 'rule_violation', rule: 'form_not_offered', field: 'unitIds.1' });
    expect(notOffered.message).toMatch(/^form_not_offered: Ekbackens skola does not run FS/);
    expect(refusal('application.create', { childId: child, schoolForm: 'PO', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [org.solrosen] })).toMatchObject({
      rule: 'form_not_offered',
      field: 'unitIds.0',
    });
    expect(refusal('application.create', { childId: child, schoolForm: 'FS', appliedOn: '2026-10-01', wishedStart: '2026-09-30', unitIds: [org.solrosen] })).toMatchObject({
      rule: 'end_before_start',
      field: 'wishedStart',
    });
    expect(refusal('application.create', { childId: child, schoolForm: 'FS', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [org.solrosen, org.solrosen] })).toMatchObject({
      code: 'validation',
      field: 'unitIds.1',
    });
    expect(refusal('application.create', { childId: randomUUID(), schoolForm: 'FS', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [org.solrosen] })).toMatchObject({
      code: 'not_found',
      field: 'childId',
    });
    expect(refusal('application.create', { childId: child, schoolForm: 'FS', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [randomUUID()] })).toMatchObject({
      code: 'not_found',
      field: 'unitIds.0',
    });
    expect(refusal('application.create', { childId: child, schoolForm: 'FS', appliedOn: '2026-11-24', wishedStart: '2027-01-11', unitIds: [org.solrosen] })).toMatchObject({
      code: 'validation',
      field: 'appliedOn',
    });
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM application`).pluck().get()).toBe(0);
  });

  it('refuses a second open application of the preschool family, but not after the first is withdrawn', () => {
    const { child } = family('Elsa', 'Ek');
    const first = apply(child);
    // Pedagogisk omsorg is the same family of daytime care as förskola.
    const again = refusal('application.create', { childId: child, schoolForm: 'PO', appliedOn: '2026-10-05', wishedStart: '2027-01-11', unitIds: [org.vitsippan] });
    expect(again).toMatchObject({ code: 'rule_violation', rule: 'application_open' });
    call('application.withdraw', { id: first, version: 1 });
    const second = apply(child, { schoolForm: 'PO', unitIds: [org.vitsippan] });
    expect(second).not.toBe(first);
    expect(core.db.sqlite.prepare(`SELECT status, school_form FROM application WHERE id = ?`).get(second)).toEqual({ status: 'queued', school_form: 'PO' });
  });

  it('refuses an application for a child already placed in preschool at the wished start', () => {
    const { child } = family('Elsa', 'Ek');
    const id = apply(child);
    offer(id);
    call('application.answer', { id, version: version(id), accept: true });
    const r = refusal('application.create', { childId: child, schoolForm: 'FS', appliedOn: '2026-11-01', wishedStart: '2027-03-01', unitIds: [org.vitsippan] });
    expect(r).toMatchObject({ code: 'rule_violation', rule: 'placed_child_application', field: 'wishedStart' });
    expect(r.message).toMatch(/Solrosens förskola/);
  });
});

describe('offer and answer', () => {
  it('queue → offer → accept: the offered placement becomes accepted, held by the guardians, and the application is placed', () => {
    const { child, mother, father } = family('Elsa', 'Ek');
    const id = apply(child, { weeklyHours: 35 });
    const o = offer(id);
    expect(o.version).toBe(2);
    const [offered] = placementOf(id);
    expect(offered).toMatchObject({ id: o.placementId, state: 'offered', unit_id: org.solrosen, group_id: org.solrosenDept, valid_from: '2027-01-11', valid_to: null, answer_by: '2026-12-15', reason: 'care_need', weekly_hours: 35 });
    const queued = list().items.find((a) => a.id === id)!;
    expect(queued.status).toBe('offered');
    expect(queued.offer).toEqual({ placementId: o.placementId, unitId: org.solrosen, unitName: 'Solrosens förskola', groupName: 'Blåklockan', start: '2027-01-11', answerBy: '2026-12-15' });

    const a = call('application.answer', { id, version: o.version, accept: true });
    expect(a).toEqual({ id, version: 3, placementId: o.placementId });
    const [placed] = placementOf(id);
    expect(placed!.state).toBe('accepted');
    expect(ownersOf(placed!.id)).toEqual([mother, father].sort());
    expect(core.db.sqlite.prepare(`SELECT status FROM application WHERE id = ?`).pluck().get(id)).toBe('placed');
    expect(list().items.map((x) => x.id)).not.toContain(id);
    expect(list({ filter: 'all' }).items.find((x) => x.id === id)).toMatchObject({ status: 'placed', offer: null, overdue: false });
    const audit = lastAudit('application.answer');
    expect(JSON.parse(audit.person_ids)).toEqual(expect.arrayContaining([child, mother, father]));
    expect(JSON.parse(audit.details)).toMatchObject({ answer: 'accept', changes: { status: ['offered', 'placed'] } });
  });

  it('accepting with named holders: only those hold the place, and a shielded guardian is refused', () => {
    const { child, mother, father } = family('Elsa', 'Ek');
    const other = person('Cecilia', 'Ek', '1970-01-01');
    guardian(child, other, { kind: 'annan_ansvarig', shielded: true });
    const id = apply(child);
    const o = offer(id);
    expect(refusal('application.answer', { id, version: o.version, accept: true, ownerIds: [mother, other] })).toMatchObject({ rule: 'owner_shielded', field: 'ownerIds.1' });
    call('application.answer', { id, version: o.version, accept: true, ownerIds: [mother] });
    expect(ownersOf(o.placementId)).toEqual([mother]);
    expect(ownersOf(o.placementId)).not.toContain(father);
  });

  it('a declined offer sends the application back to the queue, and it can be offered again elsewhere', () => {
    const { child } = family('Elsa', 'Ek');
    const id = apply(child, { unitIds: [org.solrosen, org.vitsippan] });
    const first = offer(id);
    const d = call('application.answer', { id, version: first.version, accept: false });
    expect(d).toEqual({ id, version: 3, placementId: null });
    expect(placementOf(id)[0]!.state).toBe('declined');
    const back = list().items.find((x) => x.id === id)!;
    expect(back).toMatchObject({ status: 'queued', offer: null });
    const second = offer(id, { unitId: org.vitsippan, groupId: org.vitsippanDept });
    expect(placementOf(id).map((p) => p.state)).toEqual(['offered', 'declined']);
    expect(second.placementId).not.toBe(first.placementId);
  });

  it('a decline without keeping the place in the queue withdraws the application', () => {
    const { child } = family('Elsa', 'Ek');
    const id = apply(child);
    const o = offer(id);
    call('application.answer', { id, version: o.version, accept: false, keepInQueue: false });
    expect(core.db.sqlite.prepare(`SELECT status FROM application WHERE id = ?`).pluck().get(id)).toBe('withdrawn');
    expect(list().total).toBe(0);
  });

  it('refuses an offer on an application that is not queued, and an answer without an open offer', () => {
    const { child } = family('Elsa', 'Ek');
    const id = apply(child);
    expect(refusal('application.answer', { id, version: 1, accept: true })).toMatchObject({ rule: 'answer_state' });
    offer(id);
    expect(refusal('application.offer', { id, version: version(id), unitId: org.solrosen, start: '2027-01-11', answerBy: '2026-12-15' })).toMatchObject({
      code: 'rule_violation',
      rule: 'offer_state',
    });
    expect(placementOf(id)).toHaveLength(1);
  });

  it('checks the answer date against today and the start, and the version against the stored one', () => {
    const { child } = family('Elsa', 'Ek');
    const id = apply(child);
    expect(refusal('application.offer', { id, version: 1, unitId: org.solrosen, start: '2027-01-11', answerBy: '2026-11-22' })).toMatchObject({ code: 'validation', field: 'answerBy' });
    expect(refusal('application.offer', { id, version: 1, unitId: org.solrosen, start: '2027-01-11', answerBy: '2027-01-12' })).toMatchObject({ code: 'validation', field: 'answerBy' });
    expect(refusal('application.offer', { id, version: 2, unitId: org.solrosen, start: '2027-01-11', answerBy: '2026-12-15' })).toMatchObject({ code: 'conflict' });
    // The last day to answer may be today, and may be the start itself.
    expect(call('application.offer', { id, version: 1, unitId: org.solrosen, start: TODAY, answerBy: TODAY }).version).toBe(2);
  });

  it('passes the placement rules through, naming the offer\'s own fields', () => {
    const baby = person('Lilla', 'Ek', '2026-06-01');
    const id = apply(baby);
    expect(refusal('application.offer', { id, version: 1, unitId: org.solrosen, start: '2027-01-11', answerBy: '2026-12-15' })).toMatchObject({
      rule: 'age_limit',
      field: 'start',
    });
    expect(refusal('application.offer', { id, version: 1, unitId: org.ekbacken, start: '2027-08-02', answerBy: '2026-12-15' })).toMatchObject({
      rule: 'form_not_offered',
      field: 'unitId',
    });
    expect(refusal('application.offer', { id, version: 1, unitId: org.solrosen, groupId: org.vitsippanDept, start: '2027-07-01', answerBy: '2026-12-15' })).toMatchObject({
      rule: 'group_not_in_unit',
      field: 'groupId',
    });
    expect(version(id)).toBe(1);
    expect(placementOf(id)).toHaveLength(0);
  });

  it('an offer outside the wishes is allowed and recorded as such in the audit log', () => {
    const { child } = family('Elsa', 'Ek');
    const inside = apply(child);
    offer(inside);
    expect(JSON.parse(lastAudit('application.offer').details).outsideWishes).toBeUndefined();
    const { child: other } = family('Olle', 'Ros');
    const outside = apply(other, { unitIds: [org.solrosen] });
    offer(outside, { unitId: org.vitsippan, groupId: null });
    const details = JSON.parse(lastAudit('application.offer').details);
    expect(details.outsideWishes).toBe(true);
    expect(details.changes).toMatchObject({ status: ['queued', 'offered'], 'offer.unitId': [null, org.vitsippan] });
  });
});

describe('application.withdraw', () => {
  it('withdraws a queued application, and declines the open offer of an offered one', () => {
    const { child } = family('Elsa', 'Ek');
    const queued = apply(child);
    expect(call('application.withdraw', { id: queued, version: 1 })).toEqual({ id: queued, version: 2 });
    const { child: other } = family('Olle', 'Ros');
    const offered = apply(other);
    const o = offer(offered);
    call('application.withdraw', { id: offered, version: o.version });
    expect(placementOf(offered)[0]!.state).toBe('declined');
    expect(core.db.sqlite.prepare(`SELECT status FROM application WHERE id IN (?, ?)`).pluck().all(queued, offered)).toEqual(['withdrawn', 'withdrawn']);
    expect(refusal('application.withdraw', { id: queued, version: 2 })).toMatchObject({ code: 'rule_violation', rule: 'withdraw_state' });
    const log = core.db.sqlite.prepare(`SELECT version, op, fields FROM change_log WHERE entity = 'application' AND entity_id = ? ORDER BY seq`).all(offered);
    expect(log).toEqual([
      { version: 1, op: 'create', fields: expect.any(String) },
      { version: 2, op: 'update', fields: '["status"]' },
      { version: 3, op: 'update', fields: '["status"]' },
    ]);
  });
});

describe('the placement guarantee and the queue', () => {
  it('guarantee date: four months after the application, or the wished start when later', () => {
    expect(guaranteeDateOf('2026-06-01', '2026-07-01', 4)).toBe('2026-10-01');
    expect(guaranteeDateOf('2026-06-01', '2027-01-11', 4)).toBe('2027-01-11');
    // A day the month lacks: 31 October + 4 months is the last day of February.
    expect(guaranteeDateOf('2026-10-31', '2026-11-01', 4)).toBe('2027-02-28');
  });

  /** Four applications with known guarantee dates at today 2026-11-23. */
  function queue() {
    const a = apply(family('Alma', 'A').child, { appliedOn: '2026-06-01', wishedStart: '2026-08-01' }); // guarantee 2026-10-01: overdue
    const b = apply(family('Bror', 'B').child, { appliedOn: '2026-07-20', wishedStart: '2026-08-01', unitIds: [org.vitsippan] }); // 2026-11-20: overdue
    const c = apply(family('Cleo', 'C').child, { appliedOn: '2026-05-01', wishedStart: '2027-03-01' }); // 2027-03-01
    const d = apply(family('Dan', 'D').child, { appliedOn: '2026-09-15', wishedStart: '2026-10-01', unitIds: [org.vitsippan, org.solrosen] }); // 2027-01-15
    return { a, b, c, d };
  }

  it('lists the most urgent first, with overdue flags and counts', () => {
    const { a, b, c, d } = queue();
    const r = list();
    expect(r.items.map((x) => x.id)).toEqual([a, b, d, c]);
    expect(r.items.map((x) => [x.guaranteeDate, x.overdue])).toEqual([
      ['2026-10-01', true],
      ['2026-11-20', true],
      ['2027-01-15', false],
      ['2027-03-01', false],
    ]);
    expect(r).toMatchObject({ total: 4, overdue: 2, hiddenProtected: 0 });
    expect(r.items[3]!.choices).toEqual([{ rank: 1, unitId: org.solrosen, unitName: 'Solrosens förskola' }]);
    // The list reads every child it returns.
    expect(JSON.parse(lastAudit('application.list').person_ids).sort()).toEqual(r.items.map((x) => x.child.id).sort());
    expect(list({ filter: 'overdue' }).items.map((x) => x.id)).toEqual([a, b]);
  });

  it('ties on the guarantee date go to the earlier application', () => {
    const late = apply(family('Ture', 'T').child, { appliedOn: '2026-09-01', wishedStart: '2027-02-01' });
    const early = apply(family('Stina', 'S').child, { appliedOn: '2026-08-01', wishedStart: '2027-01-01' }); // guarantee 2027-01-01
    const same = apply(family('Rut', 'R').child, { appliedOn: '2026-07-01', wishedStart: '2027-01-01' }); // guarantee 2027-01-01, applied earlier
    expect(list().items.map((x) => x.id)).toEqual([same, early, late]);
  });

  it('pages the queue, filters by unit and by status', () => {
    const { a, b, c, d } = queue();
    expect(list({ offset: 1, limit: 2 })).toMatchObject({ total: 4, overdue: 2 });
    expect(list({ offset: 1, limit: 2 }).items.map((x) => x.id)).toEqual([b, d]);
    expect(list({ offset: 4 }).items).toEqual([]);
    expect(list({ unitId: org.vitsippan }).items.map((x) => x.id)).toEqual([b, d]);
    // An offer at a unit outside the choices puts the application in that unit's queue too.
    offer(c, { unitId: org.vitsippan, groupId: org.vitsippanDept, start: '2027-03-01', answerBy: '2027-02-01' });
    expect(list({ unitId: org.vitsippan }).items.map((x) => x.id)).toEqual([b, d, c]);
    call('application.withdraw', { id: a, version: version(a) });
    expect(list().items.map((x) => x.id)).toEqual([b, d, c]);
    const all = list({ filter: 'all' });
    expect(all.items.map((x) => x.id)).toEqual([a, b, d, c]);
    // A withdrawn application is never overdue: the guarantee no longer applies.
    expect(all).toMatchObject({ total: 4, overdue: 1 });
  });

  it('overdue follows the clock and the configured guarantee period', () => {
    const { child } = family('Elsa', 'Ek');
    const id = apply(child, { appliedOn: '2026-07-01', wishedStart: '2026-08-01' }); // 2026-11-01 with four months
    expect(list({ filter: 'overdue' }).items.map((x) => x.id)).toEqual([id]);
    setPlacementRules(core.ctx, { ...DEFAULT_PLACEMENT_RULES, guaranteeMonths: 6 });
    const six = list().items[0]!;
    expect(six).toMatchObject({ guaranteeDate: '2027-01-01', overdue: false });
    expect(list({ filter: 'overdue' }).total).toBe(0);
    // The same database on a later day: overdue again, without any write.
    expect(applicationsOfChild(core.ctx, child, '2027-01-02')[0]).toMatchObject({ guaranteeDate: '2027-01-01', overdue: true });
    expect(applicationsOfChild(core.ctx, child, '2027-01-01')[0]!.overdue).toBe(false);
  });

  it("the card lists a child's applications newest first", () => {
    const { child } = family('Elsa', 'Ek');
    const old = apply(child, { appliedOn: '2026-03-01', wishedStart: '2026-08-01' });
    call('application.withdraw', { id: old, version: 1 });
    const current = apply(child, { appliedOn: '2026-10-01' });
    expect(applicationsOfChild(core.ctx, child, TODAY).map((a) => [a.id, a.status])).toEqual([
      [current, 'queued'],
      [old, 'withdrawn'],
    ]);
  });
});

describe('siblings', () => {
  function placeAt(child: string, unitId: string, groupId: string) {
    const id = apply(child, { unitIds: [unitId], appliedOn: '2026-01-10', wishedStart: '2026-08-03' });
    call('application.offer', { id, version: 1, unitId, groupId, start: TODAY, answerBy: TODAY });
    call('application.answer', { id, version: 2, accept: true });
  }

  it("shows the guardians' other children who hold a place, and where", () => {
    const { child, mother, father } = family('Elsa', 'Ek');
    const brother = person('Erik', 'Ek', '2022-02-02');
    guardian(brother, mother);
    guardian(brother, father);
    placeAt(brother, org.vitsippan, org.vitsippanDept);
    const halfSister = person('Ebba', 'Ek', '2023-03-03');
    guardian(halfSister, father);
    // A sibling without a place is not listed: the list is about where the family already is.
    const unplaced = person('Ella', 'Ek', '2025-01-01');
    guardian(unplaced, mother);
    const id = apply(child);
    const view = list().items.find((x) => x.id === id)!;
    expect(view.siblings).toEqual([{ person: { id: brother, name: 'Ek, Erik', protected: false }, unitId: org.vitsippan, unitName: 'Vitsippans förskola' }]);
    expect(JSON.parse(lastAudit('application.list').person_ids)).toEqual(expect.arrayContaining([child, brother]));
  });

  it('a protected sibling is named only to a caller who may see protected persons at its unit', () => {
    const { child, mother } = family('Elsa', 'Ek');
    const hidden = person('Hemlig', 'Ek', '2022-02-02', 'se_skyddad_folkbokforing');
    guardian(hidden, mother);
    placeAt(hidden, org.vitsippan, org.vitsippanDept);
    const id = apply(child);
    const clerk = scopedActor('clerk', ['clerk'], [org.solrosen]);
    const view = list({}, clerk).items.find((x) => x.id === id)!;
    expect(view.siblings).toEqual([]);
    expect(JSON.stringify(view)).not.toContain('Vitsippan');
    const permitted = scopedActor('handler', ['clerk', 'protected_handler'], [org.solrosen, org.vitsippan]);
    expect(list({}, permitted).items.find((x) => x.id === id)!.siblings).toEqual([
      { person: { id: hidden, name: 'Ek, Hemlig', protected: true }, unitId: org.vitsippan, unitName: 'Vitsippans förskola' },
    ]);
    // The card without a known caller never names a protected sibling.
    expect(applicationsOfChild(core.ctx, child, TODAY)[0]!.siblings).toEqual([]);
  });
});

describe('scope and protected children', () => {
  it('a unit clerk sees only applications that involve their unit, and cannot offer places at another unit', () => {
    const { child } = family('Elsa', 'Ek');
    const atSolrosen = apply(child);
    const { child: other } = family('Olle', 'Ros');
    const atVitsippan = apply(other, { unitIds: [org.vitsippan] });
    const vitsippanClerk = scopedActor('vclerk', ['clerk'], [org.vitsippan]);
    expect(list({}, vitsippanClerk).items.map((x) => x.id)).toEqual([atVitsippan]);
    expect(refusal('application.offer', { id: atSolrosen, version: 1, unitId: org.solrosen, start: '2027-01-11', answerBy: '2026-12-15' }, vitsippanClerk)).toMatchObject({
      code: 'forbidden',
    });
    expect(refusal('application.list', { unitId: org.solrosen }, vitsippanClerk)).toMatchObject({ code: 'forbidden' });
    expect(refusal('application.withdraw', { id: atSolrosen, version: 1 }, vitsippanClerk)).toMatchObject({ code: 'forbidden' });
    expect(refusal('application.create', { childId: child, schoolForm: 'PO', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [org.solrosen] }, vitsippanClerk)).toMatchObject({
      code: 'forbidden',
    });
    expect(version(atSolrosen)).toBe(1);
    // Their own unit's application they handle in full.
    const o = call('application.offer', { id: atVitsippan, version: 1, unitId: org.vitsippan, start: '2027-01-11', answerBy: '2026-12-15' }, vitsippanClerk);
    call('application.answer', { id: atVitsippan, version: o.version, accept: true }, vitsippanClerk);
    // A clerk of Solrosen cannot answer an offer made at Vitsippan, even for a child who chose Solrosen.
    const { child: third } = family('Tova', 'Tall');
    const both = apply(third, { unitIds: [org.solrosen, org.vitsippan] });
    const o2 = offer(both, { unitId: org.vitsippan, groupId: null });
    const solrosenClerk = scopedActor('sclerk', ['clerk'], [org.solrosen]);
    expect(refusal('application.answer', { id: both, version: o2.version, accept: true }, solrosenClerk)).toMatchObject({ code: 'forbidden' });
    // Registering for a mix of units needs only one of them.
    expect(call('application.create', { childId: family('Vera', 'V').child, schoolForm: 'FS', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [org.solrosen, org.vitsippan] }, vitsippanClerk).version).toBe(1);
  });

  it('a protected child is left out of the queue for a clerk without protected.reveal there, and counted', () => {
    const open = apply(family('Elsa', 'Ek').child, { appliedOn: '2026-06-01', wishedStart: '2026-08-01' });
    const secret = person('Sara', 'Skydd', '2024-04-04', 'se_sekretessmarkering');
    const hidden = apply(secret, { appliedOn: '2026-06-02', wishedStart: '2026-08-01' });
    const clerk = scopedActor('clerk', ['clerk'], [org.solrosen]);
    const r = list({}, clerk);
    expect(r.items.map((x) => x.id)).toEqual([open]);
    expect(r).toMatchObject({ total: 1, overdue: 1, hiddenProtected: 1 });
    expect(JSON.stringify(r)).not.toContain('Skydd');
    expect(JSON.parse(lastAudit('application.list').person_ids)).not.toContain(secret);
    // A municipality-wide clerk without the permission does not see the child either.
    const wide = scopedActor('wide', ['clerk'], []);
    wide.unitScope = new Map();
    expect(list({ filter: 'overdue' }, wide)).toMatchObject({ total: 1, hiddenProtected: 1 });
    // protected.reveal for another unit is not enough; for the child's unit it is.
    expect(list({}, scopedActor('elsewhere', ['clerk', 'protected_handler'], [org.vitsippan])).hiddenProtected).toBe(0);
    expect(list({}, scopedActor('elsewhere', ['clerk', 'protected_handler'], [org.vitsippan])).total).toBe(0);
    const handler = scopedActor('handler', ['clerk', 'protected_handler'], [org.solrosen]);
    const seen = list({}, handler);
    expect(seen.items.map((x) => x.id)).toEqual([open, hidden]);
    expect(seen.items[1]!.child).toEqual({ id: secret, name: 'Skydd, Sara', protected: true });
    expect(seen.hiddenProtected).toBe(0);
  });
});
