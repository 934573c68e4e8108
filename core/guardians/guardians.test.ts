/**
 * Guardianships, households and the care card through the real contract, on a real SQLite file
 * (test/util/core.ts). Every refused write is checked to leave the tables as they were.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/api/contract';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { ROLE_PERMISSIONS, type Permission } from '../../shared/domain/access';
import { DEMO_PASSWORD } from '../access/auth';
import type { Actor } from '../context';

let core: TestCore;
const NOW = `${TEST_TODAY}T12:00:00.000Z`;
const rec = [NOW, 'test', NOW, 'test'] as const;

function setUp(country: 'SE' | 'NO' = 'SE'): TestCore {
  const c = makeTestCore();
  c.db.sqlite
    .prepare('INSERT INTO municipality (id, name, country, code, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?)')
    .run(randomUUID(), 'Ekdala', country, '9999', ...rec);
  return c;
}
beforeEach(() => {
  core = setUp();
});
afterEach(() => core.dispose());

type PersonIn = MethodInput<'person.create'>;
function person(givenName: string, over: Partial<PersonIn> = {}): string {
  return core.ok('person.create', { givenName, familyName: 'Berg', birthDate: '1985-04-01', ...over }).id;
}
const child = (givenName: string, over: Partial<PersonIn> = {}) => person(givenName, { birthDate: '2019-03-10', ...over });

type GIn = MethodInput<'guardianship.create'>;
const guard = (childId: string, guardianId: string, over: Partial<GIn> = {}) =>
  core.ok('guardianship.create', { childId, guardianId, kind: 'vardnadshavare', validFrom: '2019-03-10', ...over });

const count = (table: string) => (core.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const TABLES = ['guardianship', 'household', 'household_member', 'change_log', 'person'];
const counts = () => Object.fromEntries(TABLES.map((t) => [t, count(t)]));
/** The call must fail with this error and write nothing. */
function refused(method: Parameters<TestCore['err']>[0], input: unknown, want: { code: string; rule?: string; field?: string }) {
  const before = counts();
  const e = core.err(method, input);
  expect(e).toMatchObject(want);
  expect(counts()).toEqual(before);
  return e;
}
const lastAudit = (method: string) =>
  core.db.sqlite.prepare('SELECT person_ids, details FROM audit_log WHERE method = ? ORDER BY seq DESC LIMIT 1').get(method) as { person_ids: string; details: string };

describe('guardianship.create', () => {
  it('records the guardianship and marks the adult as guardian and the child as child', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    const r = guard(kid, mum, { livesWith: true, invoiceShare: 100 });
    expect(r.version).toBe(1);
    expect(core.ok('person.get', { id: mum }).roles).toContain('guardian');
    expect(core.ok('person.get', { id: kid }).roles).toContain('child');
    expect(core.ok('person.get', { id: kid }).guardians).toMatchObject([{ personId: mum, name: 'Berg, Anna', kind: 'vardnadshavare', validTo: null }]);
    const g = core.ok('care.card', { personId: kid }).guardianships;
    expect(g).toMatchObject([{ id: r.id, guardianId: mum, livesWith: true, invoiceShare: 100, shielded: false, validFrom: '2019-03-10' }]);
    expect(JSON.parse(lastAudit('guardianship.create').person_ids).sort()).toEqual([kid, mum].sort());
  });

  it('refuses a person as their own guardian (guardianship_self)', () => {
    const a = person('Anna');
    refused('guardianship.create', { childId: a, guardianId: a, kind: 'vardnadshavare', validFrom: '2020-01-01' }, { code: 'rule_violation', rule: 'guardianship_self' });
  });

  it('refuses an unknown child or guardian with not_found on the field', () => {
    const a = person('Anna');
    refused('guardianship.create', { childId: randomUUID(), guardianId: a, kind: 'vardnadshavare', validFrom: '2020-01-01' }, { code: 'not_found', field: 'childId' });
    refused('guardianship.create', { childId: a, guardianId: randomUUID(), kind: 'vardnadshavare', validFrom: '2020-01-01' }, { code: 'not_found', field: 'guardianId' });
  });

  it('refuses a Norwegian foreldreansvar kind in a Swedish municipality', () => {
    refused('guardianship.create', { childId: child('Ebba'), guardianId: person('Anna'), kind: 'foreldreansvar_felles', validFrom: '2020-01-01' }, { code: 'validation', field: 'kind' });
  });

  it('in a Norwegian municipality takes foreldreansvar and refuses the Swedish kinds', () => {
    core.dispose();
    core = setUp('NO');
    const kid = child('Ola');
    const mor = person('Kari');
    refused('guardianship.create', { childId: kid, guardianId: mor, kind: 'vardnadshavare', validFrom: '2020-01-01' }, { code: 'validation', field: 'kind' });
    expect(guard(kid, mor, { kind: 'foreldreansvar_felles' }).version).toBe(1);
  });

  it('refuses an end before the start (end_before_start)', () => {
    refused(
      'guardianship.create',
      { childId: child('Ebba'), guardianId: person('Anna'), kind: 'vardnadshavare', validFrom: '2020-01-01', validTo: '2019-12-31' },
      { code: 'rule_violation', rule: 'end_before_start', field: 'validTo' },
    );
  });

  it('refuses the same adult twice over overlapping dates, but not after the first ended (guardianship_overlap)', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    guard(kid, mum, { validFrom: '2019-03-10', validTo: '2022-06-30' });
    refused('guardianship.create', { childId: kid, guardianId: mum, kind: 'annan_ansvarig', validFrom: '2022-06-30' }, { code: 'rule_violation', rule: 'guardianship_overlap' });
    expect(guard(kid, mum, { kind: 'annan_ansvarig', validFrom: '2022-07-01' }).version).toBe(1);
    // Another adult over the same dates is the normal case of two guardians.
    expect(guard(kid, person('Bo')).version).toBe(1);
  });

  it('refuses invoice shares above 100 % on any day, counting only the rows in force that day (invoice_share_total)', () => {
    const kid = child('Ebba');
    guard(kid, person('Anna'), { invoiceShare: 60, validTo: '2025-12-31' });
    const e = refused(
      'guardianship.create',
      { childId: kid, guardianId: person('Bo'), kind: 'vardnadshavare', invoiceShare: 50, validFrom: '2025-06-01' },
      { code: 'rule_violation', rule: 'invoice_share_total', field: 'invoiceShare' },
    );
    expect(e.message).toContain('110 % on 2025-06-01');
    // After the first row ends, the whole invoice may go to the other guardian.
    guard(kid, person('Cecilia'), { invoiceShare: 100, validFrom: '2026-01-01' });
    guard(kid, person('David'), { invoiceShare: 40, validFrom: '2020-01-01', validTo: '2025-12-31' });
    // A row that starts before an existing one is checked on the days the others start too.
    const late = refused(
      'guardianship.create',
      { childId: kid, guardianId: person('Erik'), kind: 'god_man', invoiceShare: 1, validFrom: '2019-06-01', validTo: '2020-06-30' },
      { code: 'rule_violation', rule: 'invoice_share_total' },
    );
    expect(late.message).toContain('101 % on 2020-01-01');
  });
});

describe('guardianship.update', () => {
  it('a correction edits the row in place (any field, dates included) and logs a correction', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    const g = guard(kid, mum);
    const r = core.ok('guardianship.update', { id: g.id, version: 1, mode: 'correction', validFrom: '2019-04-01', livesWith: true, invoiceShare: 100 });
    expect(r).toEqual({ id: g.id, version: 2 });
    expect(count('guardianship')).toBe(1);
    expect(core.ok('care.card', { personId: kid }).guardianships).toMatchObject([{ id: g.id, version: 2, validFrom: '2019-04-01', livesWith: true, invoiceShare: 100 }]);
    const log = core.db.sqlite.prepare(`SELECT op, fields FROM change_log WHERE entity = 'guardianship' AND entity_id = ? AND version = 2 AND person_id = ?`).get(g.id, kid) as {
      op: string;
      fields: string;
    };
    expect(log.op).toBe('correction');
    expect(JSON.parse(log.fields)).toEqual(['livesWith', 'invoiceShare', 'validFrom']);
  });

  it('a change ends the row the day before and starts a new one with the new facts (history kept)', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    const g = guard(kid, mum, { livesWith: true, invoiceShare: 50 });
    const r = core.ok('guardianship.update', { id: g.id, version: 1, mode: 'change', effectiveFrom: '2026-09-01', livesWith: false, invoiceShare: 100 });
    expect(r.id).not.toBe(g.id);
    expect(r.version).toBe(1);
    const rows = core.ok('care.card', { personId: kid }).guardianships;
    expect(rows.map((x) => [x.id, x.validFrom, x.validTo, x.livesWith, x.invoiceShare])).toEqual([
      [r.id, '2026-09-01', null, false, 100],
      [g.id, '2019-03-10', '2026-08-31', true, 50],
    ]);
    expect(JSON.parse(lastAudit('guardianship.update').details)).toMatchObject({ mode: 'change', ended: g.id, effectiveFrom: '2026-09-01' });
  });

  it('a change needs an effective date after the start and within the row', () => {
    const kid = child('Ebba');
    const g = guard(kid, person('Anna'), { validTo: '2026-12-31' });
    refused('guardianship.update', { id: g.id, version: 1, mode: 'change', livesWith: true }, { code: 'validation', field: 'effectiveFrom' });
    refused('guardianship.update', { id: g.id, version: 1, mode: 'change', effectiveFrom: '2019-03-10', livesWith: true }, { code: 'validation', field: 'effectiveFrom' });
    refused('guardianship.update', { id: g.id, version: 1, mode: 'change', effectiveFrom: '2027-01-01', livesWith: true }, { code: 'validation', field: 'effectiveFrom' });
    refused('guardianship.update', { id: g.id, version: 1, mode: 'correction', effectiveFrom: '2026-01-01', livesWith: true }, { code: 'validation', field: 'effectiveFrom' });
  });

  it('re-checks the rules: shares, overlap and dates', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    const a = guard(kid, mum, { invoiceShare: 50 });
    guard(kid, person('Bo'), { invoiceShare: 50 });
    refused('guardianship.update', { id: a.id, version: 1, mode: 'change', effectiveFrom: '2026-01-01', invoiceShare: 60 }, { code: 'rule_violation', rule: 'invoice_share_total' });
    refused('guardianship.update', { id: a.id, version: 1, mode: 'correction', validTo: '2019-01-01' }, { code: 'rule_violation', rule: 'end_before_start' });
    refused('guardianship.update', { id: a.id, version: 1, mode: 'change', effectiveFrom: '2026-01-01', validTo: '2025-01-01' }, { code: 'rule_violation', rule: 'end_before_start' });
    refused('guardianship.update', { id: a.id, version: 1, mode: 'correction', kind: 'foreldreansvar_mor' }, { code: 'validation', field: 'kind' });
  });

  it('refuses a correction that would make one adult twice the guardian on one day', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    const a = guard(kid, mum, { validTo: '2022-12-31' });
    guard(kid, mum, { kind: 'annan_ansvarig', validFrom: '2023-01-01' });
    refused('guardianship.update', { id: a.id, version: 1, mode: 'correction', validTo: '2023-01-01' }, { code: 'rule_violation', rule: 'guardianship_overlap' });
  });

  it('refuses a stale version (conflict) and an unknown id (not_found)', () => {
    const g = guard(child('Ebba'), person('Anna'));
    core.ok('guardianship.update', { id: g.id, version: 1, mode: 'correction', livesWith: true });
    refused('guardianship.update', { id: g.id, version: 1, mode: 'correction', livesWith: false }, { code: 'conflict' });
    refused('guardianship.update', { id: randomUUID(), version: 1, mode: 'correction', livesWith: false }, { code: 'not_found', field: 'id' });
  });

  it('logs shielding by value and never a contact detail', () => {
    const kid = child('Ebba');
    const dad = person('Bo', { contacts: [{ kind: 'mobile', value: '070-1112233' }] });
    const g = guard(kid, dad);
    core.ok('guardianship.update', { id: g.id, version: 1, mode: 'change', effectiveFrom: '2026-11-01', shielded: true });
    const a = lastAudit('guardianship.update');
    expect(JSON.parse(a.details).changes).toMatchObject({ shielded: [false, true], validFrom: ['2019-03-10', '2026-11-01'] });
    expect(a.details).not.toContain('070-1112233');
  });
});

describe('households', () => {
  const household = (validFrom: string, members: MethodInput<'household.create'>['members']) => core.ok('household.create', { validFrom, members });

  it('creates a household and shows it, with every member valid at the date, on each member card', () => {
    const mum = person('Anna');
    const dad = person('Bo');
    const kid = child('Ebba');
    const h = household('2020-01-01', [
      { personId: mum, role: 'adult' },
      { personId: dad, role: 'adult' },
      { personId: kid, role: 'child' },
    ]);
    const card = core.ok('care.card', { personId: kid });
    expect(card.households).toHaveLength(1);
    expect(card.households[0]!.id).toBe(h.id);
    expect(card.households[0]!.members.map((m) => [m.person.name, m.role])).toEqual([
      ['Berg, Anna', 'adult'],
      ['Berg, Bo', 'adult'],
      ['Berg, Ebba', 'child'],
    ]);
    expect(JSON.parse(lastAudit('care.card').person_ids).sort()).toEqual([mum, dad, kid].sort());
  });

  it('refuses an adult in two households at once, and allows the move once the first membership ends', () => {
    const dad = person('Bo');
    household('2020-01-01', [{ personId: dad, role: 'adult' }]);
    const first = core.ok('care.card', { personId: dad }).householdHistory[0]!;
    refused('household.create', { validFrom: '2026-01-01', members: [{ personId: dad, role: 'adult' }] }, { code: 'rule_violation', rule: 'household_overlap', field: 'members.0.personId' });
    // Even marked shared: only children live in two homes.
    refused('household.create', { validFrom: '2026-01-01', members: [{ personId: dad, role: 'adult', shared: true }] }, { code: 'rule_violation', rule: 'household_overlap' });
    core.ok('household.endMember', { id: first.id, version: first.version, validTo: '2025-12-31' });
    household('2026-01-01', [{ personId: dad, role: 'adult' }]);
    expect(core.ok('care.card', { personId: dad }).householdHistory.map((m) => [m.validFrom, m.validTo])).toEqual([
      ['2026-01-01', null],
      ['2020-01-01', '2025-12-31'],
    ]);
  });

  it('lets a child in shared residence be in two households when both memberships are shared, never in a third', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    const dad = person('Bo');
    const a = household('2022-01-01', [
      { personId: mum, role: 'adult' },
      { personId: kid, role: 'child', shared: true },
    ]);
    // The other home without the shared mark is refused: an unmarked overlap looks like a data error.
    refused(
      'household.create',
      { validFrom: '2022-01-01', members: [{ personId: dad, role: 'adult' }, { personId: kid, role: 'child' }] },
      { code: 'rule_violation', rule: 'household_overlap', field: 'members.1.personId' },
    );
    const b = household('2022-01-01', [
      { personId: dad, role: 'adult' },
      { personId: kid, role: 'child', shared: true },
    ]);
    const card = core.ok('care.card', { personId: kid });
    expect(card.households.map((h) => h.id).sort()).toEqual([a.id, b.id].sort());
    expect(card.householdHistory.every((m) => m.shared)).toBe(true);
    const gran = person('Gun');
    refused(
      'household.create',
      { validFrom: '2024-01-01', members: [{ personId: gran, role: 'adult' }, { personId: kid, role: 'child', shared: true }] },
      { code: 'rule_violation', rule: 'household_overlap' },
    );
    // Nor twice in the same household.
    refused('household.addMember', { householdId: a.id, personId: kid, role: 'child', shared: true, validFrom: '2023-01-01' }, { code: 'rule_violation', rule: 'household_overlap', field: 'personId' });
  });

  it('shows the households at a past date and the whole history, newest first', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    const old = household('2019-03-10', [
      { personId: mum, role: 'adult' },
      { personId: kid, role: 'child' },
    ]);
    const history = core.ok('care.card', { personId: kid }).householdHistory;
    core.ok('household.endMember', { id: history[0]!.id, version: 1, validTo: '2023-07-31' });
    const nu = household('2023-08-01', [{ personId: person('Bo'), role: 'adult' }]);
    core.ok('household.addMember', { householdId: nu.id, personId: kid, role: 'child', validFrom: '2023-08-01' });

    const past = core.ok('care.card', { personId: kid, date: '2021-05-05' });
    expect(past.households.map((h) => [h.id, h.members.map((m) => m.person.id)])).toEqual([[old.id, [mum, kid]]]);
    const today = core.ok('care.card', { personId: kid });
    expect(today.households.map((h) => h.id)).toEqual([nu.id]);
    expect(today.householdHistory.map((m) => [m.householdId, m.validFrom, m.validTo])).toEqual([
      [nu.id, '2023-08-01', null],
      [old.id, '2019-03-10', '2023-07-31'],
    ]);
  });

  it('endMember checks dates, version and the next home', () => {
    const dad = person('Bo');
    household('2020-01-01', [{ personId: dad, role: 'adult' }]);
    const m = core.ok('care.card', { personId: dad }).householdHistory[0]!;
    refused('household.endMember', { id: m.id, version: 1, validTo: '2019-12-31' }, { code: 'rule_violation', rule: 'end_before_start', field: 'validTo' });
    expect(core.ok('household.endMember', { id: m.id, version: 1, validTo: '2024-12-31' }).version).toBe(2);
    refused('household.endMember', { id: m.id, version: 1, validTo: '2024-06-30' }, { code: 'conflict' });
    household('2025-01-01', [{ personId: dad, role: 'adult' }]);
    // Moving the end later would put him in both homes.
    refused('household.endMember', { id: m.id, version: 2, validTo: '2025-01-31' }, { code: 'rule_violation', rule: 'household_overlap', field: 'validTo' });
    refused('household.endMember', { id: randomUUID(), version: 1, validTo: '2025-01-31' }, { code: 'not_found' });
  });

  it('refuses unknown persons and households and a person listed twice', () => {
    refused('household.create', { validFrom: '2020-01-01', members: [{ personId: randomUUID(), role: 'adult' }] }, { code: 'not_found', field: 'members.0.personId' });
    const a = person('Anna');
    refused('household.create', { validFrom: '2020-01-01', members: [{ personId: a, role: 'adult' }, { personId: a, role: 'adult' }] }, { code: 'validation', field: 'members.1.personId' });
    refused('household.addMember', { householdId: randomUUID(), personId: a, role: 'adult', validFrom: '2020-01-01' }, { code: 'not_found', field: 'householdId' });
  });
});

describe('care.card', () => {
  it("a child's card lists the guardians with their current contacts, language and message consent", () => {
    const kid = child('Ebba');
    const mum = person('Anna', { contacts: [{ kind: 'mobile', value: '070-1112233' }, { kind: 'email', value: 'anna@example.se' }], preferredLanguage: 'ar', messagesAllowed: false });
    const dad = person('Bo');
    guard(kid, mum, { livesWith: true, invoiceShare: 50 });
    guard(kid, dad, { kind: 'annan_ansvarig', invoiceShare: 50, validFrom: '2020-01-01' });
    const card = core.ok('care.card', { personId: kid });
    const byName = Object.fromEntries(card.guardianships.map((g) => [g.name, g]));
    expect(byName['Berg, Anna']).toMatchObject({
      guardianId: mum,
      childId: kid,
      protected: false,
      preferredLanguage: 'ar',
      messagesAllowed: false,
      contacts: [
        { kind: 'email', value: 'anna@example.se' },
        { kind: 'mobile', value: '070-1112233' },
      ],
    });
    expect(byName['Berg, Bo']).toMatchObject({ kind: 'annan_ansvarig', preferredLanguage: null, messagesAllowed: true, contacts: [] });
    expect(card.childrenOf).toEqual([]);
    expect(card).toMatchObject({ placements: [], enrolments: [], applications: [] });
    // Contacts are those valid at the card's date: before Anna's number was registered there is none.
    expect(core.ok('care.card', { personId: kid, date: '2020-01-01' }).guardianships.find((g) => g.guardianId === mum)!.contacts).toEqual([]);
  });

  it("an adult's card lists the children, named, and is audited with them", () => {
    const mum = person('Anna');
    const a = child('Ebba');
    const b = child('Frans', { birthDate: '2021-05-01' });
    guard(a, mum);
    guard(b, mum, { validFrom: '2021-05-01' });
    const card = core.ok('care.card', { personId: mum });
    expect(card.childrenOf.map((g) => [g.name, g.childId, g.guardianId])).toEqual([
      ['Berg, Frans', b, mum],
      ['Berg, Ebba', a, mum],
    ]);
    expect(card.guardianships).toEqual([]);
    expect(JSON.parse(lastAudit('care.card').person_ids).sort()).toEqual([mum, a, b].sort());
  });

  it("hides a guardian's contacts when the child is protected, and still names the protected child on the adult's card", () => {
    const kid = child('Ebba', { protection: 'se_skyddad_folkbokforing' });
    const mum = person('Anna', { contacts: [{ kind: 'mobile', value: '070-1112233' }] });
    guard(kid, mum);
    expect(core.ok('care.card', { personId: kid }).guardianships[0]!.contacts).toEqual([]);
    expect(core.ok('care.card', { personId: mum }).childrenOf).toMatchObject([{ name: 'Berg, Ebba', protected: true, contacts: [] }]);
    const wire = JSON.stringify(core.ok('care.card', { personId: kid }));
    expect(wire).not.toContain('070-1112233');
  });

  it('hides the contacts of a guardian from whom the child is shielded', () => {
    const kid = child('Ebba');
    const dad = person('Bo', { contacts: [{ kind: 'mobile', value: '070-9998877' }] });
    guard(kid, dad, { shielded: true });
    expect(core.ok('care.card', { personId: kid }).guardianships).toMatchObject([{ name: 'Berg, Bo', shielded: true, contacts: [] }]);
  });

  it('hides them on the older, unshielded row too when the shielding starts from a date', () => {
    const kid = child('Ebba');
    const dad = person('Bo', { contacts: [{ kind: 'mobile', value: '070-9998877' }] });
    const g = guard(kid, dad);
    core.ok('guardianship.update', { id: g.id, version: g.version, mode: 'change', effectiveFrom: '2026-11-01', shielded: true });
    const rows = core.ok('care.card', { personId: kid }).guardianships;
    expect(rows.map((r) => r.shielded).sort()).toEqual([false, true]);
    expect(JSON.stringify(rows)).not.toContain('070-9998877');
  });

  it("shows the child's placements with their holders, and audits the holders too", () => {
    const kid = child('Ebba');
    // Stored directly and without a guardianship, so only the placement puts the holder on the card.
    const mum = person('Anna');
    const s = core.db.sqlite;
    const unit = randomUUID();
    const placement = randomUUID();
    s.prepare(`INSERT INTO org_unit (id, municipality_id, kind, name, name_norm, school_forms, created_at, created_by, updated_at, updated_by)
      VALUES (?, (SELECT id FROM municipality), 'school_unit', 'Solrosen', 'solrosen', '["FS"]', ?,?,?,?)`).run(unit, ...rec);
    s.prepare(`INSERT INTO placement (id, child_id, unit_id, school_form, valid_from, reason, state, created_at, created_by, updated_at, updated_by)
      VALUES (?,?,?,'FS','2020-08-01','care_need','accepted',?,?,?,?)`).run(placement, kid, unit, ...rec);
    s.prepare('INSERT INTO placement_owner (placement_id, guardian_id) VALUES (?,?)').run(placement, mum);
    const card = core.ok('care.card', { personId: kid });
    expect(card.placements).toMatchObject([{ id: placement, unitName: 'Solrosen', status: 'active', owners: [{ id: mum, name: 'Berg, Anna' }] }]);
    expect(JSON.parse(lastAudit('care.card').person_ids).sort()).toEqual([kid, mum].sort());
  });

  it('answers not_found for an unknown person', () => {
    expect(core.err('care.card', { personId: randomUUID() })).toMatchObject({ code: 'not_found' });
  });
});

describe('shielding through households and ended links (care card, link writes)', () => {
  const SINCE = '2024-01-01';
  const clerk: Actor = { id: 'clerk-test', name: 'Clerk', permissions: new Set<Permission>(['session', ...ROLE_PERMISSIONS.clerk]) };
  const handler: Actor = { id: 'handler-test', name: 'Handler', permissions: new Set<Permission>(['session', ...ROLE_PERMISSIONS.clerk, ...ROLE_PERMISSIONS.protected_handler]) };
  /** Protected from SINCE, as a handler records a protection that began then. */
  function protect(id: string): void {
    const c = core.ok('person.get', { id });
    core.ok('person.update', {
      id,
      version: c.version,
      mode: 'change',
      effectiveFrom: SINCE,
      person: { givenName: c.givenName, familyName: c.familyName, birthDate: c.birthDate, protection: 'se_skyddad_folkbokforing' },
    });
  }
  const memberOf = (householdId: string, personId: string) =>
    core.db.sqlite.prepare('SELECT id, version FROM household_member WHERE household_id = ? AND person_id = ?').get(householdId, personId) as { id: string; version: number };

  it("hides a guardian's contacts on an unprotected child's card when the guardian lives with a protected partner", () => {
    const kid = child('Ebba');
    const mum = person('Anna', { contacts: [{ kind: 'mobile', value: '070-1112233' }, { kind: 'email', value: 'anna@example.invalid' }] });
    const partner = person('Pia');
    guard(kid, mum);
    expect(core.ok('care.card', { personId: kid }).guardianships[0]!.contacts).toHaveLength(2);
    const h = core.ok('household.create', { validFrom: '2025-01-01', members: [{ personId: mum, role: 'adult' }, { personId: partner, role: 'adult' }] });
    protect(partner);
    const card = core.ok('care.card', { personId: kid });
    expect(card.guardianships[0]!.contacts).toEqual([]);
    expect(JSON.stringify(card)).not.toMatch(/070-1112233|anna@example/);
    expect(core.ok('person.get', { id: mum })).toMatchObject({ shielded: true, addresses: [], contacts: [] });
    // The household shows on the mother's card by name, the protected partner marked.
    expect(core.ok('care.card', { personId: mum }).households).toMatchObject([{ id: h.id, members: expect.arrayContaining([expect.objectContaining({ person: expect.objectContaining({ id: partner, protected: true }) })]) }]);
  });

  it("hides a former guardian's contacts on the protected child's card (the guardianship ended yesterday)", () => {
    const kid = child('Ebba');
    const exDad = person('Bo', { contacts: [{ kind: 'mobile', value: '070-9998877' }] });
    const g = guard(kid, exDad);
    protect(kid);
    core.ok('guardianship.update', { id: g.id, version: g.version, mode: 'correction', validTo: '2026-11-22' });
    const rows = core.ok('care.card', { personId: kid }).guardianships;
    expect(rows).toMatchObject([{ guardianId: exDad, validTo: '2026-11-22', contacts: [] }]);
    // On the card dated while he was still guardian too.
    expect(core.ok('care.card', { personId: kid, date: '2026-06-01' }).guardianships[0]!.contacts).toEqual([]);
  });

  it("ending a link before the protection began would lift the shielding: refused to a clerk, allowed to a handler and audited", () => {
    const kid = child('Ebba', { protection: 'none' });
    const lodger = person('Lo', { contacts: [{ kind: 'email', value: 'lo@example.invalid' }] });
    const exDad = person('Bo');
    const gd = guard(kid, exDad);
    const h = core.ok('household.create', { validFrom: '2020-01-01', members: [{ personId: kid, role: 'child' }, { personId: lodger, role: 'adult' }] });
    protect(kid);
    const audit = JSON.parse(lastAudit('person.update').details) as Record<string, unknown>;
    expect(audit.protection).toEqual({ change: 'raise', before: 'none', after: 'se_skyddad_folkbokforing' });
    const m = memberOf(h.id, lodger);
    const before = counts();
    // Moving the lodger's end to before the protection: he would no longer count as sharing the home.
    const e1 = core.call('household.endMember', { id: m.id, version: m.version, validTo: '2023-06-30' }, clerk);
    expect(e1.ok ? null : e1.error).toMatchObject({ code: 'forbidden', field: 'validTo' });
    const e2 = core.call('guardianship.update', { id: gd.id, version: gd.version, mode: 'correction', validTo: '2023-06-30' }, clerk);
    expect(e2.ok ? null : e2.error).toMatchObject({ code: 'forbidden', field: 'validTo' });
    expect(counts()).toEqual(before);
    expect(core.ok('person.get', { id: lodger }).shielded).toBe(true);
    // An end after the protection began changes no one's shielding: the clerk's ordinary work.
    expect(core.call('household.endMember', { id: m.id, version: m.version, validTo: '2026-10-31' }, clerk).ok).toBe(true);
    expect(core.ok('person.get', { id: lodger }).shielded).toBe(true);
    // The handler may correct it (the lodger really left before), and the log says whom it unshielded.
    const m2 = memberOf(h.id, lodger);
    expect(core.call('household.endMember', { id: m2.id, version: m2.version, validTo: '2023-06-30' }, handler).ok).toBe(true);
    expect(JSON.parse(lastAudit('household.endMember').details).shielding).toEqual({ shielded: [], cleared: [lodger] });
    expect(core.ok('person.get', { id: lodger })).toMatchObject({ shielded: false, contacts: [{ value: 'lo@example.invalid' }] });
  });

  it('a link write that shields someone says so in its audit entry', () => {
    const kid = child('Ebba', { protection: 'se_sekretessmarkering' });
    const partner = person('Pia');
    const h = core.ok('household.create', { validFrom: '2025-01-01', members: [{ personId: kid, role: 'child' }] });
    core.ok('household.addMember', { householdId: h.id, personId: partner, role: 'adult', validFrom: '2025-05-01' });
    expect(JSON.parse(lastAudit('household.addMember').details).shielding).toEqual({ shielded: [partner], cleared: [] });
    const stepDad = person('Sten');
    guard(kid, stepDad);
    expect(JSON.parse(lastAudit('guardianship.create').details).shielding).toEqual({ shielded: [stepDad], cleared: [] });
  });
});

describe('person: preferred language and message consent', () => {
  const form = (over: Partial<PersonIn> = {}): PersonIn => ({ givenName: 'Anna', familyName: 'Berg', birthDate: '1985-04-01', ...over });

  it('round-trips through create, get and update; omitted means unchanged, null clears', () => {
    const id = core.ok('person.create', form({ preferredLanguage: 'so', messagesAllowed: false })).id;
    expect(core.ok('person.get', { id })).toMatchObject({ preferredLanguage: 'so', messagesAllowed: false });
    const v2 = core.ok('person.update', { id, version: 1, mode: 'correction', person: form({ givenName: 'Annie' }) });
    expect(core.ok('person.get', { id })).toMatchObject({ givenName: 'Annie', preferredLanguage: 'so', messagesAllowed: false });
    core.ok('person.update', { id, version: v2.version, mode: 'correction', person: form({ givenName: 'Annie', preferredLanguage: null, messagesAllowed: true }) });
    const card = core.ok('person.get', { id });
    expect(card).toMatchObject({ preferredLanguage: null, messagesAllowed: true, version: 3 });
    expect(card.history[0]!.fields.sort()).toEqual(['messagesAllowed', 'preferredLanguage']);
  });

  it('defaults to no preferred language and messages allowed, and refuses a malformed language code', () => {
    const id = core.ok('person.create', form()).id;
    expect(core.ok('person.get', { id })).toMatchObject({ preferredLanguage: null, messagesAllowed: true });
    expect(core.err('person.create', form({ preferredLanguage: 'Arabic' }))).toMatchObject({ code: 'validation', field: 'preferredLanguage' });
  });
});

describe('unit scope', () => {
  /** Two school units, a pupil in each (class membership and enrolment), and a clerk for the first unit. */
  function twoUnits() {
    const s = core.db.sqlite;
    const mun = s.prepare('SELECT id FROM municipality').pluck().get() as string;
    const pupil = (unitName: string) => {
      const unit = randomUUID();
      const group = randomUUID();
      const m = randomUUID();
      s.prepare(`INSERT INTO org_unit (id, municipality_id, kind, name, name_norm, school_forms, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?)`).run(
        unit,
        mun,
        'school_unit',
        unitName,
        unitName.toLowerCase(),
        '["GR"]',
        ...rec,
      );
      s.prepare(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, created_at, created_by, updated_at, updated_by)
        VALUES (?,?,'class','2A','2a',2026,'GR',2,'2026-08-01','2027-07-31',?,?,?,?)`).run(group, unit, ...rec);
      const kid = child(`Elev ${unitName}`);
      s.prepare(`INSERT INTO group_membership (id, group_id, person_id, valid_from, source_id, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?)`).run(
        m,
        group,
        kid,
        '2026-08-17',
        m,
        ...rec,
      );
      s.prepare(`INSERT INTO enrolment (id, pupil_id, unit_id, group_id, school_form, grade, valid_from, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,'GR',2,?,?,?,?,?)`).run(
        m,
        kid,
        unit,
        group,
        '2026-08-17',
        ...rec,
      );
      return { unit, kid };
    };
    const mine = pupil('Ekskolan');
    const theirs = pupil('Björkskolan');
    core.ok('user.create', { username: 'unit.clerk', displayName: 'Unit Clerk', password: DEMO_PASSWORD, roles: [{ role: 'clerk', unitId: mine.unit }] });
    const conn = core.connect('ws');
    conn.call('auth.signIn', { username: 'unit.clerk', password: DEMO_PASSWORD });
    conn.call('auth.changePassword', { currentPassword: DEMO_PASSWORD, newPassword: 'ett annat långt lösenord' });
    return { conn, mine: mine.kid, theirs: theirs.kid };
  }

  it("a unit clerk writes guardianships and households for their own unit's pupils only, and opens only their cards", () => {
    const { conn, mine, theirs } = twoUnits();
    const mum = person('Anna');
    const before = counts();
    const out = conn.call('guardianship.create', { childId: theirs, guardianId: mum, kind: 'vardnadshavare', validFrom: '2020-01-01' });
    expect(out).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(conn.call('household.create', { validFrom: '2020-01-01', members: [{ personId: theirs, role: 'child' }] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(conn.call('care.card', { personId: theirs })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(counts()).toEqual(before);

    const ok = conn.call('guardianship.create', { childId: mine, guardianId: mum, kind: 'vardnadshavare', validFrom: '2020-01-01' });
    expect(ok.ok).toBe(true);
    expect(conn.call('care.card', { personId: mine })).toMatchObject({ ok: true, data: { enrolments: [{ pupilId: mine, unitName: 'Ekskolan', groupName: '2A', grade: 2 }] } });
    // The new guardian is now connected to the unit (the scope cache follows the write).
    expect(conn.call('care.card', { personId: mum })).toMatchObject({ ok: true });
    expect(conn.call('household.create', { validFrom: '2020-01-01', members: [{ personId: mum, role: 'adult' }, { personId: mine, role: 'child' }] }).ok).toBe(true);
  });
});
