/**
 * The shielding rule and its stored flag, through the real contract on a real SQLite file.
 *
 * Each link kind is checked on its own, from the side it shields, with the expected flags written out by
 * hand; then the flag is checked after every kind of write against a recomputation from scratch
 * (`shieldingDrift`), in a fixed walk and in a seeded random one, and on a seeded demo municipality.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/api/contract';
import type { ProtectionLevel } from '../../shared/api/schemas';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { isShielded, recomputeAllShielding, refreshShielding, shieldingDrift } from './shielding';

let core: TestCore;
beforeEach(() => {
  core = makeTestCore();
});
afterEach(() => core.dispose());

const REASON = 'Protection ended by the population register';
const SINCE = '2024-01-01';

/** A person with an address and an e-mail that must disappear from the card once shielded. */
function person(name: string, birthDate = '1985-04-01', protection: ProtectionLevel = 'none'): string {
  return core.ok('person.create', {
    givenName: name,
    familyName: 'Lind',
    birthDate,
    protection,
    addresses: [{ kind: 'registered', street: `${name}vägen 1`, postalCode: '123 45', city: 'Ekdala', country: 'SE' }],
    contacts: [{ kind: 'email', value: `${name.toLowerCase()}@example.invalid` }],
  }).id;
}
const kid = (name: string) => person(name, '2018-05-05');

type GIn = MethodInput<'guardianship.create'>;
const guard = (childId: string, guardianId: string, over: Partial<GIn> = {}) =>
  core.ok('guardianship.create', { childId, guardianId, kind: 'vardnadshavare', validFrom: '2018-05-05', ...over });
const household = (members: { personId: string; role: 'adult' | 'child' }[], validFrom = '2020-01-01') => core.ok('household.create', { validFrom, members }).id;
const memberId = (householdId: string, personId: string) =>
  core.db.sqlite.prepare('SELECT id FROM household_member WHERE household_id = ? AND person_id = ?').pluck().get(householdId, personId) as string;
const memberVersion = (id: string) => core.db.sqlite.prepare('SELECT version FROM household_member WHERE id = ?').pluck().get(id) as number;

/** Sets a protection level as a change from `effectiveFrom` (the day it began), as a permitted handler would. */
function protect(id: string, protection: ProtectionLevel, effectiveFrom = SINCE): void {
  const c = core.ok('person.get', { id });
  core.ok('person.update', {
    id,
    version: c.version,
    mode: 'change',
    effectiveFrom,
    person: { givenName: c.givenName, familyName: c.familyName, birthDate: c.birthDate, protection },
    protectionReason: REASON,
  });
}

const flag = (id: string) => core.db.sqlite.prepare('SELECT shielded FROM person WHERE id = ?').pluck().get(id) as number;
const since = (id: string) => core.db.sqlite.prepare('SELECT protected_since FROM person WHERE id = ?').pluck().get(id) as string | null;
/** The card withholds addresses and contacts exactly when the flag is set. */
function expectShielded(id: string, shielded: boolean, why: string): void {
  expect(flag(id), why).toBe(shielded ? 1 : 0);
  expect(isShielded(core.ctx, id), why).toBe(shielded);
  const card = core.ok('person.get', { id });
  expect(card.shielded, why).toBe(shielded);
  expect(card.addresses.length === 0 && card.contacts.length === 0, why).toBe(shielded);
}
const noDrift = () => expect(shieldingDrift(core.db.sqlite)).toEqual([]);

describe('each link shields, from the side it reaches', () => {
  it('a guardian of a protected child', () => {
    const k = kid('Kid');
    const mum = person('Mum');
    const other = person('Other');
    guard(k, mum);
    protect(k, 'se_skyddad_folkbokforing');
    expectShielded(k, true, 'the protected child');
    expectShielded(mum, true, 'guardian');
    expectShielded(other, false, 'unrelated');
    noDrift();
  });

  it('the child of a protected guardian', () => {
    const k = kid('Kid');
    const mum = person('Mum');
    guard(k, mum);
    protect(mum, 'no_strengt_fortrolig');
    expectShielded(k, true, 'child');
    noDrift();
  });

  it('a sibling (another child of the same guardian), but not the sibling’s other guardian', () => {
    const k = kid('Kid');
    const mum = person('Mum');
    const sib = kid('Sib');
    const sibDad = person('Sibdad');
    guard(k, mum);
    guard(sib, mum);
    guard(sib, sibDad);
    protect(k, 'se_sekretessmarkering');
    expectShielded(sib, true, 'sibling');
    // Three links away (child – mum – sibling – sibling's father): he has never shared the protected home.
    expectShielded(sibDad, false, 'co-parent of a sibling');
    noDrift();
  });

  it('a co-parent (the other guardian of a protected guardian’s child)', () => {
    const k = kid('Kid');
    const mum = person('Mum');
    const dad = person('Dad');
    guard(k, mum);
    guard(k, dad);
    protect(mum, 'se_skyddad_folkbokforing');
    expectShielded(dad, true, 'co-parent');
    noDrift();
  });

  it('an adult household member who is no guardian (a parent’s new partner)', () => {
    const k = kid('Kid');
    const mum = person('Mum');
    const partner = person('Partner');
    guard(k, mum);
    household([{ personId: k, role: 'child' }, { personId: mum, role: 'adult' }, { personId: partner, role: 'adult' }]);
    protect(k, 'se_skyddad_folkbokforing');
    expectShielded(partner, true, 'household adult');
    noDrift();
  });

  it('a child household member who is no sibling (the partner’s own child)', () => {
    const k = kid('Kid');
    const partner = person('Partner');
    const partnersKid = kid('Bonus');
    guard(partnersKid, partner);
    household([{ personId: k, role: 'child' }, { personId: partner, role: 'adult' }, { personId: partnersKid, role: 'child' }]);
    protect(k, 'se_skyddad_folkbokforing');
    expectShielded(partnersKid, true, 'household child');
    expectShielded(partner, true, 'household adult');
    noDrift();
  });

  it('a member of another household is not shielded by it', () => {
    const k = kid('Kid');
    const neighbour = person('Neighbour');
    household([{ personId: k, role: 'child' }]);
    household([{ personId: neighbour, role: 'adult' }]);
    protect(k, 'se_skyddad_folkbokforing');
    expectShielded(neighbour, false, 'another household');
  });

  it('links that ended after the protection began still shield (also one that ended yesterday, or on the first day)', () => {
    const k = kid('Kid');
    const exDad = person('Exdad');
    const yesterday = person('Yesterday');
    const firstDay = person('Firstday');
    const lodger = person('Lodger');
    guard(k, exDad, { validTo: '2025-06-30' });
    guard(k, yesterday, { validTo: '2026-11-22' });
    guard(k, firstDay, { validTo: SINCE });
    const h = household([{ personId: k, role: 'child' }, { personId: lodger, role: 'adult' }]);
    protect(k, 'se_skyddad_folkbokforing');
    const m = memberId(h, lodger);
    core.ok('household.endMember', { id: m, version: memberVersion(m), validTo: '2025-03-31' });
    for (const [id, why] of [[exDad, 'guardianship ended 2025'], [yesterday, 'guardianship ended yesterday'], [firstDay, 'ended on the day protection began'], [lodger, 'moved out 2025']] as const) {
      expectShielded(id, true, why);
    }
    // The probe's case: the former guardian's contacts are not on the protected child's care card.
    const card = core.ok('care.card', { personId: k });
    expect(card.guardianships.find((g) => g.guardianId === yesterday)).toMatchObject({ validTo: '2026-11-22', contacts: [] });
    expect(JSON.stringify(card)).not.toMatch(/example\.invalid/);
    noDrift();
  });

  it('links that ended before the protection began do not', () => {
    const k = kid('Kid');
    const exDad = person('Exdad');
    const dayBefore = person('Daybefore');
    const lodger = person('Lodger');
    guard(k, exDad, { validTo: '2022-06-30' });
    guard(k, dayBefore, { validTo: '2023-12-31' });
    const h = household([{ personId: k, role: 'child' }, { personId: lodger, role: 'adult' }], '2019-01-01');
    const m = memberId(h, lodger);
    core.ok('household.endMember', { id: m, version: memberVersion(m), validTo: '2021-08-31' });
    protect(k, 'se_skyddad_folkbokforing');
    expect(since(k)).toBe(SINCE);
    for (const [id, why] of [[exDad, 'guardianship ended 2022'], [dayBefore, 'ended the day before'], [lodger, 'moved out 2021']] as const) expectShielded(id, false, why);
    const card = core.ok('care.card', { personId: k });
    expect(card.guardianships.find((g) => g.guardianId === exDad)!.contacts).toEqual([{ kind: 'email', value: 'exdad@example.invalid' }]);
    noDrift();
  });

  it('an unknown protection start (protected before it was recorded) makes every ended link count', () => {
    const k = kid('Kid');
    const exDad = person('Exdad');
    const lodger = person('Lodger');
    guard(k, exDad, { validFrom: '2010-01-01', validTo: '2012-06-30' });
    const h = household([{ personId: k, role: 'child' }, { personId: lodger, role: 'adult' }], '2010-01-01');
    const m = memberId(h, lodger);
    core.ok('household.endMember', { id: m, version: memberVersion(m), validTo: '2011-08-31' });
    protect(k, 'se_skyddad_folkbokforing');
    expectShielded(exDad, false, 'ended before the recorded start');
    // As migration 0007 leaves every person protected before it: the start unknown.
    core.db.sqlite.prepare('UPDATE person SET protected_since = NULL WHERE id = ?').run(k);
    expect(refreshShielding(core.ctx, [k]).shielded.sort()).toEqual([exDad, lodger].sort());
    expectShielded(exDad, true, 'unknown start: former guardian');
    expectShielded(lodger, true, 'unknown start: former household member');
    noDrift();
  });

  it('a link that starts in the future shields at once (nothing waits for a date to pass)', () => {
    const k = kid('Kid');
    const stepDad = person('Stepdad');
    protect(k, 'se_skyddad_folkbokforing');
    guard(k, stepDad, { validFrom: '2027-02-01' });
    expectShielded(stepDad, true, 'future guardian');
  });

  it('on a path of two links both must count', () => {
    const k = kid('Kid');
    const mum = person('Mum');
    const sib = kid('Sib');
    guard(k, mum, { validTo: '2020-12-31' });
    guard(sib, mum);
    protect(k, 'se_skyddad_folkbokforing');
    // Mum's link to the protected child ended before the protection: neither she nor, through her, the sibling.
    expectShielded(mum, false, 'link ended before');
    expectShielded(sib, false, 'sibling only through an uncounted link');
  });

  it('a tombstoned link shields no one, and the refresh reaches its far end', () => {
    const k = kid('Kid');
    const mum = person('Mum');
    const g = guard(k, mum);
    protect(k, 'se_skyddad_folkbokforing');
    expect(flag(mum)).toBe(1);
    // There is no delete method yet; the write path that adds one calls the refresh with the child.
    core.db.sqlite.prepare(`UPDATE guardianship SET deleted_at = ? WHERE id = ?`).run(`${TEST_TODAY}T12:00:00.000Z`, g.id);
    expect(refreshShielding(core.ctx, [k])).toEqual({ shielded: [], cleared: [mum] });
    expectShielded(mum, false, 'tombstoned guardianship');
    noDrift();
  });
});

describe('the stored flag after every kind of write', () => {
  it('person create and update, guardianship create and change, household create, add and end', () => {
    // person.create: protected or not.
    const k = kid('Kid');
    const mum = person('Mum');
    const dad = person('Dad');
    const born = person('Born', '2019-02-02', 'se_sekretessmarkering');
    expect([flag(k), flag(born), since(born)]).toEqual([0, 1, TEST_TODAY]);
    noDrift();
    // guardianship.create on an unprotected family: nothing to shield.
    guard(k, mum);
    guard(k, dad);
    expect([flag(mum), flag(dad)]).toEqual([0, 0]);
    // person.update raising the child's level: the child, both guardians.
    protect(k, 'se_sekretessmarkering');
    expect([flag(k), flag(mum), flag(dad), since(k)]).toEqual([1, 1, 1, SINCE]);
    noDrift();
    // A raise within the scale keeps the start: the protection did not begin again.
    protect(k, 'se_skyddad_folkbokforing', TEST_TODAY);
    expect(since(k)).toBe(SINCE);
    // household.create, addMember: the new partner and her child.
    const partner = person('Partner');
    const bonus = kid('Bonus');
    const h = household([{ personId: k, role: 'child' }, { personId: mum, role: 'adult' }]);
    expect(flag(partner)).toBe(0);
    core.ok('household.addMember', { householdId: h, personId: partner, role: 'adult', validFrom: '2025-05-01' });
    core.ok('household.addMember', { householdId: h, personId: bonus, role: 'child', validFrom: '2025-05-01' });
    expect([flag(partner), flag(bonus)]).toEqual([1, 1]);
    noDrift();
    // household.endMember after the protection began: still shielded.
    const m = memberId(h, partner);
    core.ok('household.endMember', { id: m, version: memberVersion(m), validTo: '2026-10-31' });
    expect(flag(partner)).toBe(1);
    noDrift();
    // guardianship.update, a change (the father moves out): the pair stays linked.
    const gDad = core.db.sqlite.prepare('SELECT id, version FROM guardianship WHERE child_id = ? AND guardian_id = ?').get(k, dad) as { id: string; version: number };
    core.ok('guardianship.update', { id: gDad.id, version: gDad.version, mode: 'change', effectiveFrom: '2026-09-01', livesWith: false });
    expect(flag(dad)).toBe(1);
    noDrift();
    // person.update lowering to none (the handler, with a reason): the start is cleared, and so is everyone
    // whose only link was to this child.
    protect(k, 'none', TEST_TODAY);
    expect([flag(k), flag(mum), flag(dad), flag(partner), flag(bonus), since(k)]).toEqual([0, 0, 0, 0, 0, null]);
    noDrift();
    // Protected again: the start is the new day, so the partner's membership (ended 2026-10-31) no longer counts.
    protect(k, 'se_sekretessmarkering', TEST_TODAY);
    expect([flag(mum), flag(dad), flag(partner), flag(bonus), since(k)]).toEqual([1, 1, 0, 1, TEST_TODAY]);
    noDrift();
  });

  it('a seeded random walk of writes keeps the flag equal to a recomputation from scratch after every step', () => {
    let seed = 20261123;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const adults = Array.from({ length: 8 }, (_, i) => person(`Adult${i}`));
    const children = Array.from({ length: 8 }, (_, i) => kid(`Child${i}`));
    const households: string[] = [];
    const dates = ['2016-01-01', '2019-06-30', '2022-03-31', '2024-12-31', '2026-11-22', null];
    const levels: ProtectionLevel[] = ['none', 'se_sekretessmarkering', 'se_skyddad_folkbokforing', 'no_klientadresse', 'no_strengt_fortrolig'];
    let writes = 0;
    for (let step = 0; step < 160; step++) {
      const what = Math.floor(rnd() * 6);
      let r;
      if (what === 0) {
        const level = pick(levels);
        const id = pick([...adults, ...children]);
        const c = core.ok('person.get', { id });
        r = core.call('person.update', {
          id,
          version: c.version,
          mode: 'change',
          effectiveFrom: pick(['2015-01-01', '2021-01-01', '2025-01-01', TEST_TODAY]),
          person: { givenName: c.givenName, familyName: c.familyName, birthDate: c.birthDate, protection: level },
          protectionReason: REASON,
        });
      } else if (what === 1) {
        r = core.call('guardianship.create', { childId: pick(children), guardianId: pick(adults), kind: 'vardnadshavare', validFrom: '2015-01-01', validTo: pick(dates) });
      } else if (what === 2) {
        const g = core.db.sqlite.prepare('SELECT id, version FROM guardianship ORDER BY id').all() as { id: string; version: number }[];
        if (!g.length) continue;
        const row = pick(g);
        r = core.call('guardianship.update', { id: row.id, version: row.version, mode: 'correction', validTo: pick(dates) });
      } else if (what === 3) {
        r = core.call('household.create', { validFrom: '2015-01-01', members: [{ personId: pick(adults), role: 'adult' }, { personId: pick(children), role: 'child' }] });
        if (r.ok) households.push((r.data as { id: string }).id);
      } else if (what === 4) {
        if (!households.length) continue;
        r = core.call('household.addMember', { householdId: pick(households), personId: pick([...adults, ...children]), role: pick(['adult', 'child'] as const), validFrom: '2015-01-01', validTo: pick(dates) });
      } else {
        const ms = core.db.sqlite.prepare('SELECT id, version FROM household_member ORDER BY id').all() as { id: string; version: number }[];
        if (!ms.length) continue;
        const row = pick(ms);
        r = core.call('household.endMember', { id: row.id, version: row.version, validTo: pick(dates.filter((d): d is string => d !== null)) });
      }
      if (r.ok) writes++;
      expect(shieldingDrift(core.db.sqlite), `after step ${step}`).toEqual([]);
    }
    // Enough of the walk got past the domain rules (overlaps, dates) to mean something.
    expect(writes).toBeGreaterThan(60);
    expect((core.db.sqlite.prepare('SELECT count(*) FROM person WHERE shielded = 1').pluck().get() as number)).toBeGreaterThan(3);
  });
});

describe('bulk loads', () => {
  it('the demo municipality leaves every flag right, and the per-write refresh agrees with the bulk form', () => {
    const demo = makeTestCore({ persons: 400, seed: 37 });
    try {
      const s = demo.db.sqlite;
      expect(shieldingDrift(s)).toEqual([]);
      expect(s.prepare(`SELECT count(*) FROM person WHERE protection <> 'none' AND shielded = 0`).pluck().get()).toBe(0);
      // The generator protects whole families; unprotected adults of those families are shielded by the links
      // alone (guardians, new partners).
      const adults = s.prepare(`SELECT id FROM person WHERE protection <> 'none' AND is_child = 0`).pluck().all() as string[];
      expect(adults.length).toBeGreaterThan(3);
      s.prepare(`UPDATE person SET protection = 'none' WHERE protection <> 'none' AND is_child = 0`).run();
      expect(recomputeAllShielding(s)).toBe(0);
      expect(s.prepare(`SELECT count(*) FROM person WHERE shielded = 1 AND id IN (SELECT value FROM json_each(?))`).pluck().get(JSON.stringify(adults))).toBe(adults.length);
      const shielded = s.prepare(`SELECT count(*) FROM person WHERE shielded = 1`).pluck().get() as number;
      expect(shielded).toBeGreaterThan(s.prepare(`SELECT count(*) FROM person WHERE protection <> 'none'`).pluck().get() as number);
      const all = s.prepare(`SELECT id FROM person`).pluck().all() as string[];
      expect(refreshShielding(demo.ctx, all)).toEqual({ shielded: [], cleared: [] });
      // Cleared by hand, then recomputed in bulk: every flag comes back.
      s.prepare(`UPDATE person SET shielded = 0`).run();
      expect(recomputeAllShielding(s)).toBe(shielded);
      expect(shieldingDrift(s)).toEqual([]);
    } finally {
      demo.dispose();
    }
  });
});
