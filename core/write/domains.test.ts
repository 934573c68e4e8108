/**
 * Every domain's writes through the one write path, through the real contract: each call leaves exactly
 * one change record per record it wrote, each with the record's new version, its before/after (matching
 * what is now stored) and the call's mutation id; the card's history shows one entry per user action,
 * a guardianship on both cards, and field names only.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { fixedClock } from '../context';

interface LogRow {
  seq: number;
  entity: string;
  entity_id: string;
  version: number;
  op: string;
  person_id: string | null;
  related_person_id: string | null;
  fields: string[];
  changes: Record<string, [unknown, unknown]>;
  mutation_id: string | null;
  actor: string;
}

const NOW = `${TEST_TODAY}T08:00:00.000Z`;
const START = '2026-08-17';

let core: TestCore;

function readLog(where: string, ...args: unknown[]): LogRow[] {
  return (core.db.sqlite.prepare(`SELECT * FROM change_log WHERE ${where} ORDER BY seq`).all(...args) as (Omit<LogRow, 'fields' | 'changes'> & { fields: string; changes: string })[]).map((r) => ({
    ...r,
    fields: JSON.parse(r.fields) as string[],
    changes: JSON.parse(r.changes) as Record<string, [unknown, unknown]>,
  }));
}

/**
 * Calls a write as a transport does, with a mutation id of its own, and returns its result and its change
 * records, after checking what every write must leave: one record per row, all under the call's id, each
 * at the row's stored version, each `after` equal to the stored value (secrets aside) and every listed
 * field with a before/after pair.
 */
async function act<M extends MethodName>(method: M, input: MethodInput<M>): Promise<{ data: MethodOutput<M>; log: LogRow[]; m: string }> {
  const m = randomUUID();
  const r = await core.callAsync(method, input, undefined, { mutationId: m });
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  const log = readLog('mutation_id = ?', m);
  const keys = log.map((l) => `${l.entity}|${l.entity_id}`);
  expect(new Set(keys).size, `one change record per record: ${keys.join(', ')}`).toBe(keys.length);
  for (const l of log) {
    expect(l.actor).toBe('local-admin');
    expect(Object.keys(l.changes).length).toBe(l.fields.length);
    const row = core.db.sqlite.prepare(`SELECT * FROM ${l.entity} WHERE id = ?`).get(l.entity_id) as Record<string, unknown> | undefined;
    if (l.op === 'delete') {
      expect(row).toBeUndefined();
      continue;
    }
    expect(row, `${l.entity} ${l.entity_id}`).toBeDefined();
    expect(row!.version, `${l.entity} version`).toBe(l.version);
    for (const [col, [, after]] of Object.entries(l.changes)) {
      if (col in row! && after !== '[secret]') expect(row![col], `${l.entity}.${col}`).toEqual(after);
    }
  }
  return { data: r.data as MethodOutput<M>, log, m };
}

/** entity → op, in write order: what a call wrote at a glance. */
const shape = (log: LogRow[]) => log.map((l) => `${l.entity}:${l.op}`);
const one = (log: LogRow[], entity: string, id?: string) => {
  const hits = log.filter((l) => l.entity === entity && (id === undefined || l.entity_id === id));
  expect(hits, `${entity} ${id ?? ''}`).toHaveLength(1);
  return hits[0]!;
};

interface World {
  admin: string;
  solrosen: string;
  ekbacken: string;
  humlan: string;
  ugglan: string;
  ek3A: string;
  child: string;
  pupil: string;
  mother: string;
  father: string;
}
let w: World;

function group(unitId: string, name: string, kind: 'class' | 'department', form: string, grade: number | null = null, year = 2026): string {
  const id = randomUUID();
  core.db.sqlite
    .prepare(
      `INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 'test', ?, 'test')`,
    )
    .run(id, unitId, kind, name, name.toLowerCase(), year, form, grade, `${year}-08-01`, `${year + 1}-07-31`, NOW, NOW);
  return id;
}

function world(): World {
  const s = core.db.sqlite;
  const muni = randomUUID();
  s.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'Ekdala kommun', 'SE', '9901', 1, ?, 'test', ?, 'test')`).run(muni, NOW, NOW);
  const admin = randomUUID();
  s.prepare(
    `INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_forms, version, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, NULL, 'administration', 'Barn- och utbildning', 'barn- och utbildning', '[]', 1, ?, 'test', ?, 'test')`,
  ).run(admin, muni, NOW, NOW);
  const solrosen = core.ok('unit.create', { parentId: admin, name: 'Solrosen', schoolForms: ['FS', 'FTH'] }).id;
  const ekbacken = core.ok('unit.create', { parentId: admin, name: 'Ekbacken', schoolForms: ['FS', 'FTH', 'FKLASS', 'GR'] }).id;
  const person = (givenName: string, birthDate: string) => core.ok('person.create', { givenName, familyName: 'Lind', birthDate }).id;
  const child = person('Alva', '2023-03-10');
  const pupil = person('Bo', '2018-05-01');
  const mother = person('Cecilia', '1990-02-02');
  const father = person('David', '1989-09-09');
  for (const c of [child, pupil]) {
    for (const g of [mother, father]) core.ok('guardianship.create', { childId: c, guardianId: g, kind: 'vardnadshavare', livesWith: true, invoiceShare: 50, validFrom: '2015-01-01' });
  }
  return {
    admin,
    solrosen,
    ekbacken,
    humlan: group(solrosen, 'Humlan', 'department', 'FS'),
    ugglan: group(ekbacken, 'Ugglan', 'department', 'FS'),
    ek3A: group(ekbacken, '3A', 'class', 'GR', 3),
    child,
    pupil,
    mother,
    father,
  };
}

beforeEach(() => {
  core = makeTestCore();
  w = world();
});
afterEach(() => core.dispose());

describe('persons', () => {
  const address = { kind: 'registered' as const, street: 'Storgatan 1', postalCode: '123 45', city: 'Ekdala', country: 'SE' };

  it('create: the person, its name, each address and contact, one create record each, under one mutation', async () => {
    const { data, log, m } = await act('person.create', {
      identityNumber: '201508152384',
      givenName: 'Anna',
      familyName: 'Berg',
      addresses: [address],
      contacts: [{ kind: 'email', value: 'anna@example.invalid' }],
    });
    expect(shape(log)).toEqual(['person:create', 'person_name:create', 'person_address:create', 'person_contact:create']);
    expect(log.every((l) => l.version === 1 && l.person_id === data.id && l.mutation_id === m)).toBe(true);
    expect(one(log, 'person').changes).toMatchObject({ id_canonical: [null, '201508152384'], given_name: [null, 'Anna'], messages_allowed: [null, 1] });
    expect(one(log, 'person_address').changes).toMatchObject({ street: [null, 'Storgatan 1'], valid_from: [null, TEST_TODAY] });
  });

  const form = { givenName: 'Anna', middleName: null, familyName: 'Berg', preferredName: null, identityNumber: '201508152384', reserveNumber: null, birthDate: null, sex: null, status: 'active' as const, nationality: null, motherTongue: null, maalform: null, protection: 'none' as const };

  it('a correction of addresses: each address row and the person (its new version), all with the call’s mutation id', async () => {
    const { id } = core.ok('person.create', { identityNumber: '201508152384', givenName: 'Anna', familyName: 'Berg', addresses: [address] });
    const old = core.ok('person.get', { id }).addresses[0]!;
    const { log, m } = await act('person.update', {
      id,
      version: 1,
      mode: 'correction',
      person: { ...form, motherTongue: 'sv', addresses: [{ ...address, id: old.id, street: 'Storgatan 11' }, { ...address, kind: 'postal', street: 'Box 7' }] },
    });
    expect(shape(log)).toEqual(['person_address:correction', 'person_address:create', 'person:correction']);
    expect(log.every((l) => l.mutation_id === m && l.person_id === id)).toBe(true);
    expect(one(log, 'person_address', old.id)).toMatchObject({ version: 2, fields: ['street'], changes: { street: ['Storgatan 1', 'Storgatan 11'] } });
    expect(one(log, 'person')).toMatchObject({ version: 2, fields: ['motherTongue'], changes: { mother_tongue: [null, 'sv'] } });
    expect(core.ok('person.get', { id }).history[0]).toEqual({ at: expect.any(String), actor: 'local-admin', actorName: null, op: 'correction', fields: ['addresses', 'motherTongue'] });
  });

  it('a change ends the old address the day before and starts the new one; the person row takes a new version with no column changed', async () => {
    const { id } = core.ok('person.create', { identityNumber: '201508152384', givenName: 'Anna', familyName: 'Berg', addresses: [address] });
    const old = core.ok('person.get', { id }).addresses[0]!;
    core.ctx.clock = fixedClock('2026-12-10');
    const { log, m } = await act('person.update', { id, version: 1, mode: 'change', effectiveFrom: '2026-12-01', person: { ...form, addresses: [{ ...address, id: old.id, street: 'Nygatan 5' }] } });
    expect(shape(log)).toEqual(['person_address:update', 'person_address:create', 'person:update']);
    expect(log.every((l) => l.mutation_id === m)).toBe(true);
    expect(one(log, 'person_address', old.id)).toMatchObject({ version: 2, fields: ['validTo'], changes: { valid_to: [null, '2026-11-30'] } });
    expect(one(log, 'person')).toMatchObject({ version: 2, fields: [], changes: {} });
    expect(core.ok('person.get', { id }).history[0]).toEqual({ at: expect.any(String), actor: 'local-admin', actorName: null, op: 'update', fields: ['addresses'] });
  });

  it('a name change: the old name ends, the new one starts, the person carries the name; the history names the name field only', async () => {
    const { id } = core.ok('person.create', { identityNumber: '201508152384', givenName: 'Anna', familyName: 'Berg' });
    const { log } = await act('person.update', { id, version: 1, mode: 'change', effectiveFrom: TEST_TODAY, person: { ...form, familyName: 'Åberg' } });
    expect(shape(log)).toEqual(['person_name:update', 'person_name:create', 'person:update']);
    expect(one(log, 'person').changes).toMatchObject({ family_name: ['Berg', 'Åberg'] });
    expect(core.ok('person.get', { id }).history[0]).toMatchObject({ op: 'update', fields: ['familyName'] });
  });
});

describe('guardianships and households', () => {
  it('a guardianship is one record naming the child and the guardian; ending it is one record; both cards show both', async () => {
    const adult = core.ok('person.create', { givenName: 'Eva', familyName: 'Ek', birthDate: '1985-05-05' }).id;
    const created = await act('guardianship.create', { childId: w.child, guardianId: adult, kind: 'annan_ansvarig', validFrom: '2024-01-01' });
    expect(shape(created.log)).toEqual(['guardianship:create']);
    expect(created.log[0]).toMatchObject({ person_id: w.child, related_person_id: adult, version: 1, changes: { kind: [null, 'annan_ansvarig'], lives_with: [null, 0] } });
    const ended = await act('guardianship.update', { id: created.data.id, version: 1, mode: 'correction', validTo: '2026-06-30' });
    expect(shape(ended.log)).toEqual(['guardianship:correction']);
    expect(ended.log[0]).toMatchObject({ version: 2, fields: ['validTo'], changes: { valid_to: [null, '2026-06-30'] }, person_id: w.child, related_person_id: adult });
    for (const id of [w.child, adult]) {
      const history = core.ok('person.get', { id }).history;
      expect(history.slice(0, 2)).toEqual([
        { at: expect.any(String), actor: 'local-admin', actorName: null, op: 'correction', fields: ['validTo'] },
        { at: expect.any(String), actor: 'local-admin', actorName: null, op: 'create', fields: expect.arrayContaining(['childId', 'guardianId', 'kind', 'validFrom']) },
      ]);
    }
  });

  it('a change of a guardianship (end and start) is one action: two records, one history entry', async () => {
    const g = core.db.sqlite.prepare(`SELECT id, version FROM guardianship WHERE child_id = ? AND guardian_id = ?`).get(w.child, w.mother) as { id: string; version: number };
    const { log, data } = await act('guardianship.update', { id: g.id, version: g.version, mode: 'change', effectiveFrom: '2026-01-01', livesWith: false });
    expect(shape(log)).toEqual(['guardianship:update', 'guardianship:create']);
    expect(one(log, 'guardianship', g.id)).toMatchObject({ fields: ['validTo'], changes: { valid_to: [null, '2025-12-31'] } });
    expect(one(log, 'guardianship', data.id).changes).toMatchObject({ lives_with: [null, 0], valid_from: [null, '2026-01-01'] });
    expect(core.ok('person.get', { id: w.mother }).history[0]).toEqual({ at: expect.any(String), actor: 'local-admin', actorName: null, op: 'update', fields: expect.arrayContaining(['validTo', 'livesWith']) });
  });

  it('household: the household and each member one record; adding and ending a member one record each', async () => {
    const created = await act('household.create', { validFrom: '2024-01-01', members: [{ personId: w.mother, role: 'adult' }, { personId: w.child, role: 'child' }] });
    expect(shape(created.log)).toEqual(['household:create', 'household_member:create', 'household_member:create']);
    expect(created.log.filter((l) => l.entity === 'household_member').map((l) => l.person_id)).toEqual([w.mother, w.child]);
    const added = await act('household.addMember', { householdId: created.data.id, personId: w.father, role: 'adult', validFrom: '2025-01-01' });
    expect(shape(added.log)).toEqual(['household_member:create']);
    expect(added.log[0]).toMatchObject({ person_id: w.father, changes: { household_id: [null, created.data.id], role: [null, 'adult'], shared: [null, 0] } });
    const ended = await act('household.endMember', { id: added.data.id, version: 1, validTo: '2026-06-30' });
    expect(shape(ended.log)).toEqual(['household_member:update']);
    expect(ended.log[0]).toMatchObject({ version: 2, changes: { valid_to: [null, '2026-06-30'] } });
  });
});

describe('placements, enrolments and the queue', () => {
  it('placement create: the placement with its holders (owner_ids) and its membership; notice, holders and transfer one record per row', async () => {
    const created = await act('placement.create', { childId: w.child, unitId: w.solrosen, groupId: w.humlan, schoolForm: 'FS', validFrom: START, reason: 'care_need' });
    expect(shape(created.log)).toEqual(['placement:create', 'group_membership:create']);
    const holders = [w.mother, w.father].sort();
    expect(one(created.log, 'placement')).toMatchObject({ person_id: w.child, changes: { owner_ids: [[], holders], state: [null, 'accepted'] } });
    expect(one(created.log, 'placement').fields).toContain('ownerIds');

    const held = await act('placement.update', { id: created.data.id, version: 1, ownerIds: [w.mother] });
    expect(shape(held.log)).toEqual(['placement:update']);
    expect(held.log[0]).toMatchObject({ version: 2, fields: ['ownerIds'], changes: { owner_ids: [holders, [w.mother]] } });

    const notice = await act('placement.notice', { id: created.data.id, version: 2, noticeDate: TEST_TODAY });
    expect(shape(notice.log)).toEqual(['placement:update', 'group_membership:update']);
    expect(one(notice.log, 'placement').changes).toEqual({ valid_to: [null, notice.data.lastDay], notice_given_on: [null, TEST_TODAY] });
    expect(one(notice.log, 'group_membership').changes).toEqual({ valid_to: [null, notice.data.lastDay] });

    const transfer = await act('placement.transfer', { id: created.data.id, version: 3, date: '2026-12-01', toUnitId: w.ekbacken, toGroupId: w.ugglan });
    expect(shape(transfer.log)).toEqual(['placement:update', 'group_membership:update', 'placement:create', 'group_membership:create']);
    expect(one(transfer.log, 'placement', transfer.data.endedId).changes).toEqual({ valid_to: [notice.data.lastDay, '2026-11-30'] });
    expect(one(transfer.log, 'placement', transfer.data.newId).changes).toMatchObject({ unit_id: [null, w.ekbacken], owner_ids: [[], [w.mother]], transferred_from_id: [null, created.data.id] });
    // One user action, one history entry on the child's card.
    expect(core.ok('person.get', { id: w.child }).history[0]).toMatchObject({ op: 'update', fields: expect.arrayContaining(['validTo', 'unitId', 'ownerIds']) });
  });

  it('enrolment: the enrolment and its class membership; a correction of the grade writes the enrolment only', async () => {
    const created = await act('enrolment.create', { pupilId: w.pupil, unitId: w.ekbacken, groupId: w.ek3A, schoolForm: 'GR', grade: 3, validFrom: START });
    expect(shape(created.log)).toEqual(['enrolment:create', 'group_membership:create']);
    expect(one(created.log, 'group_membership').changes).toMatchObject({ source_id: [null, created.data.id], group_id: [null, w.ek3A] });
    const corrected = await act('enrolment.update', { id: created.data.id, version: 1, grade: 4 });
    expect(shape(corrected.log)).toEqual(['enrolment:update']);
    expect(corrected.log[0]).toMatchObject({ version: 2, person_id: w.pupil, changes: { grade: [3, 4] } });
  });

  it('application: created with its choices; an offer writes the placement, its membership and the status; the answer the holders and the status', async () => {
    const created = await act('application.create', { childId: w.child, schoolForm: 'FS', appliedOn: '2026-10-01', wishedStart: '2027-01-11', unitIds: [w.ekbacken, w.solrosen] });
    expect(shape(created.log)).toEqual(['application:create']);
    expect(created.log[0]).toMatchObject({ person_id: w.child, changes: { choices: [[], [w.ekbacken, w.solrosen]], status: [null, 'queued'] } });
    expect(created.log[0]!.fields).toContain('choices');

    const offered = await act('application.offer', { id: created.data.id, version: 1, unitId: w.solrosen, groupId: w.humlan, start: '2027-01-11', answerBy: '2026-12-15' });
    expect(shape(offered.log)).toEqual(['placement:create', 'group_membership:create', 'application:update']);
    expect(one(offered.log, 'placement').changes).toMatchObject({ state: [null, 'offered'], application_id: [null, created.data.id] });
    expect(one(offered.log, 'placement').changes).not.toHaveProperty('owner_ids');
    expect(one(offered.log, 'application')).toMatchObject({ version: 2, changes: { status: ['queued', 'offered'] } });

    const answered = await act('application.answer', { id: created.data.id, version: 2, accept: true });
    expect(shape(answered.log)).toEqual(['placement:update', 'application:update']);
    expect(one(answered.log, 'placement')).toMatchObject({ version: 2, changes: { state: ['offered', 'accepted'], owner_ids: [[], [w.mother, w.father].sort()] } });
    expect(one(answered.log, 'application')).toMatchObject({ version: 3, changes: { status: ['offered', 'placed'] } });
  });
});

describe('units and accounts', () => {
  it('unit create and update: one org_unit record each, only what changed', async () => {
    const created = await act('unit.create', { parentId: w.admin, name: 'Vitsippan', schoolForms: ['FS'] });
    expect(shape(created.log)).toEqual(['org_unit:create']);
    expect(created.log[0]).toMatchObject({ person_id: null, changes: { name: [null, 'Vitsippan'], school_forms: [null, '["FS"]'], kind: [null, 'school_unit'] } });
    const updated = await act('unit.update', { id: created.data.id, version: 1, unit: { parentId: w.admin, name: 'Vitsippans förskola', schoolForms: ['FS'], schoolUnitCode: null, orgNumber: null, gsiCode: null, visitingAddress: null } });
    expect(shape(updated.log)).toEqual(['org_unit:update']);
    expect(updated.log[0]).toMatchObject({ version: 2, fields: ['name', 'nameNorm', 'sortKey'], changes: { name: ['Vitsippan', 'Vitsippans förskola'] } });
  });

  it('accounts and roles are records (secrets masked); a change of roles moves the account’s version; sign-in bookkeeping writes no change record', async () => {
    const password = 'Rätt-lösenord-2026!';
    // Someone must stay able to manage accounts (assertAdminRemains).
    core.ok('user.create', { username: 'chef', displayName: 'Chef', password: 'Tre-blå-ballonger-1', roles: [{ role: 'sysadmin', unitId: null }] });
    const created = await act('user.create', { username: 'kerstin', displayName: 'Kerstin Ek', password, roles: [{ role: 'clerk', unitId: w.solrosen }] });
    expect(shape(created.log)).toEqual(['user_account:create', 'role_assignment:create']);
    expect(one(created.log, 'user_account').changes).toMatchObject({ username: [null, 'kerstin'], password_hash: [null, '[secret]'] });
    expect(JSON.stringify(created.log)).not.toContain('argon2');

    const role = one(created.log, 'role_assignment').entity_id;
    const updated = await act('user.update', { id: created.data.id, version: 1, displayName: 'Kerstin Ek', disabled: false, roles: [{ role: 'clerk', unitId: w.ekbacken }] });
    expect(shape(updated.log)).toEqual(['role_assignment:update', 'role_assignment:create', 'user_account:update']);
    expect(one(updated.log, 'role_assignment', role).changes).toEqual({ deleted_at: [null, expect.any(String)] });
    expect(one(updated.log, 'user_account')).toMatchObject({ version: 2, fields: [] });
    // Roles unchanged: the kept assignment is not written again.
    const same = await act('user.update', { id: created.data.id, version: 2, displayName: 'Kerstin Eklund', disabled: false, roles: [{ role: 'clerk', unitId: w.ekbacken }] });
    expect(shape(same.log)).toEqual(['user_account:update']);

    const before = core.db.sqlite.prepare('SELECT count(*) FROM change_log').pluck().get();
    const conn = core.connect('test-ws');
    expect((await conn.callAsync('auth.signIn', { username: 'kerstin', password: 'fel' })).ok).toBe(false);
    expect(await conn.callAsync('auth.signIn', { username: 'kerstin', password })).toMatchObject({ ok: true, data: { state: 'change_password' } });
    expect(core.db.sqlite.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(before);
    expect(core.db.sqlite.prepare('SELECT version, failed_attempts FROM user_account WHERE id = ?').get(created.data.id)).toEqual({ version: 3, failed_attempts: 0 });

    // The user's own password change is a record change, made by the user, masked.
    const m = randomUUID();
    expect(await conn.callAsync('auth.changePassword', { currentPassword: password, newPassword: 'Ett-helt-nytt-lösenord-9' }, { mutationId: m })).toMatchObject({ ok: true });
    expect(readLog('mutation_id = ?', m)).toEqual([
      expect.objectContaining({ entity: 'user_account', version: 4, actor: created.data.id, changes: expect.objectContaining({ password_hash: ['[secret]', '[secret]'], must_change_password: [1, 0] }) }),
    ]);
  });
});

describe('mutation ids and the history', () => {
  it('a trusted synchronous write without a mutation id still gets one: its records stay one action', () => {
    const before = core.db.sqlite.prepare('SELECT max(seq) FROM change_log').pluck().get() as number;
    core.ok('person.create', { givenName: 'Frida', familyName: 'Falk', birthDate: '2019-01-01', contacts: [{ kind: 'email', value: 'f@example.invalid' }] });
    const ids = core.db.sqlite.prepare('SELECT DISTINCT mutation_id FROM change_log WHERE seq > ?').pluck().all(before);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toEqual(expect.any(String));
  });

  it('the history lists field names only, never values, and hides the derived columns', () => {
    const { id } = core.ok('person.create', { identityNumber: '201508152384', givenName: 'Anna', familyName: 'Berg', addresses: [{ kind: 'registered', street: 'Hemliga gatan 3', postalCode: '111 11', city: 'Ekdala', country: 'SE' }] });
    const [entry] = core.ok('person.get', { id }).history;
    expect(entry!.fields).toEqual(expect.arrayContaining(['identityNumber', 'givenName', 'familyName', 'addresses']));
    for (const hidden of ['sortKey', 'searchText', 'idShort', 'idKind', 'idCountry', 'idCanonical', 'personId', 'street']) expect(entry!.fields).not.toContain(hidden);
    expect(JSON.stringify(core.ok('person.get', { id }).history)).not.toMatch(/Hemliga|111 11|Anna|201508152384/);
  });
});

describe('the year rollover', () => {
  it('one change record per class, enrolment and membership it writes; none for what it leaves alone', async () => {
    const c = makeTestCore({ today: '2027-06-15' });
    const saved = core;
    core = c;
    try {
      const s = core.db.sqlite;
      const muni = randomUUID();
      s.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'Ekdala', 'SE', '9901', 1, ?, 't', ?, 't')`).run(muni, NOW, NOW);
      const admin = randomUUID();
      s.prepare(
        `INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_forms, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, NULL, 'administration', 'Utbildning', 'utbildning', '[]', 1, ?, 't', ?, 't')`,
      ).run(admin, muni, NOW, NOW);
      const school = core.ok('unit.create', { parentId: admin, name: 'Ekbacken', schoolForms: ['GR'] }).id;
      const three = group(school, '3A', 'class', 'GR', 3);
      const nine = group(school, '9A', 'class', 'GR', 9);
      const pupil = (name: string, born: string, groupId: string, grade: number, validTo: string | null = null) => {
        const id = core.ok('person.create', { givenName: name, familyName: 'Ek', birthDate: born }).id;
        return { id, enrolment: core.ok('enrolment.create', { pupilId: id, unitId: school, groupId, schoolForm: 'GR', grade, validFrom: START, validTo }).id };
      };
      const open = pupil('Ada', '2017-02-02', three, 3);
      const ending = pupil('Ben', '2017-03-03', three, 3, '2027-07-31');
      const leaver = pupil('Cai', '2011-04-04', nine, 9);
      const before = s.prepare('SELECT max(seq) FROM change_log').pluck().get() as number;
      const preview = core.ok('rollover.preview', { date: '2027-08-01' });
      expect(preview.totals).toMatchObject({ promoted: 2, leavers: 1, groupsCreated: 1 });
      await core.jobOk('rollover.commit', { date: '2027-08-01', token: preview.token });
      const log = readLog('seq > ?', before);
      expect(log.every((l) => l.mutation_id === null && l.actor === 'local-admin')).toBe(true);
      const keys = log.map((l) => `${l.entity}|${l.entity_id}`);
      expect(new Set(keys).size).toBe(keys.length);
      const byEntity = (e: string, op: string) => log.filter((l) => l.entity === e && l.op === op).length;
      expect({
        groups: byEntity('school_group', 'create'),
        enrolmentsCreated: byEntity('enrolment', 'create'),
        enrolmentsEnded: byEntity('enrolment', 'update'),
        membershipsCreated: byEntity('group_membership', 'create'),
        membershipsEnded: byEntity('group_membership', 'update'),
      }).toEqual({ groups: 1, enrolmentsCreated: 2, enrolmentsEnded: 2, membershipsCreated: 2, membershipsEnded: 2 });
      // Ben's enrolment already ends with the year: nothing to write for it or its membership.
      expect(log.filter((l) => l.entity_id === ending.enrolment)).toEqual([]);
      expect(one(log, 'enrolment', open.enrolment)).toMatchObject({ version: 2, changes: { valid_to: [null, '2027-07-31'] } });
      expect(one(log, 'enrolment', leaver.enrolment)).toMatchObject({ version: 2, changes: { valid_to: [null, '2027-07-31'], end_reason: [null, 'completed'] } });
      for (const l of log) {
        const row = s.prepare(`SELECT * FROM ${l.entity} WHERE id = ?`).get(l.entity_id) as Record<string, unknown>;
        expect(row.version).toBe(l.version);
        for (const [col, [, after]] of Object.entries(l.changes)) expect(row[col], `${l.entity}.${col}`).toEqual(after);
      }
      expect(log.filter((l) => l.entity === 'enrolment' && l.op === 'create').map((l) => l.person_id).sort()).toEqual([open.id, ending.id].sort());
    } finally {
      core = saved;
      c.dispose();
    }
  });
});
