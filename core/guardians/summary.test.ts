/**
 * The person card's summary header (care.card `summary`), through the real contract on a real SQLite file:
 * the places held now or later with their status, class or department, and the guardians with their
 * registered address only where the card may show it (never for a protected guardian, one the child is
 * shielded from, or one linked to a protected person), for every caller.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/api/contract';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';

let core: TestCore;
const NOW = `${TEST_TODAY}T12:00:00.000Z`;
const rec = [NOW, 'test', NOW, 'test'] as const;
let unit: string;
let dept: string;
let klass: string;

beforeEach(() => {
  core = makeTestCore();
  const s = core.db.sqlite;
  const mun = randomUUID();
  s.prepare('INSERT INTO municipality (id, name, country, code, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?)').run(mun, 'Ekdala', 'SE', '9999', ...rec);
  unit = randomUUID();
  dept = randomUUID();
  klass = randomUUID();
  s.prepare(`INSERT INTO org_unit (id, municipality_id, kind, name, name_norm, school_forms, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?)`).run(
    unit,
    mun,
    'school_unit',
    'Solrosen',
    'solrosen',
    '["FS","FTH","GR"]',
    ...rec,
  );
  s.prepare(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, created_at, created_by, updated_at, updated_by)
    VALUES (?,?,'department','Ekorren','ekorren',2026,'FTH',NULL,'2026-08-01',NULL,?,?,?,?)`).run(dept, unit, ...rec);
  s.prepare(`INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, created_at, created_by, updated_at, updated_by)
    VALUES (?,?,'class','2A','2a',2026,'GR',2,'2026-08-01','2027-07-31',?,?,?,?)`).run(klass, unit, ...rec);
});
afterEach(() => core.dispose());

type PersonIn = MethodInput<'person.create'>;
const address = (street: string) => ({ kind: 'registered' as const, street, postalCode: '123 45', city: 'Ekdala', country: 'SE' });
function person(givenName: string, over: Partial<PersonIn> = {}): string {
  return core.ok('person.create', { givenName, familyName: 'Berg', birthDate: '1985-04-01', ...over }).id;
}
const child = (givenName: string, over: Partial<PersonIn> = {}) => person(givenName, { birthDate: '2018-03-10', ...over });
const guard = (childId: string, guardianId: string, over: Partial<MethodInput<'guardianship.create'>> = {}) =>
  core.ok('guardianship.create', { childId, guardianId, kind: 'vardnadshavare', validFrom: '2018-03-10', ...over });

function place(kid: string, form: 'FTH' | 'FS', from: string, to: string | null, state: 'accepted' | 'offered' | 'declined', group: string | null = null, hours: number | null = null): string {
  const id = randomUUID();
  core.db.sqlite
    .prepare(
      `INSERT INTO placement (id, child_id, unit_id, group_id, school_form, valid_from, valid_to, weekly_hours, reason, state, created_at, created_by, updated_at, updated_by)
       VALUES (?,?,?,?,?,?,?,?,'care_need',?,?,?,?,?)`,
    )
    .run(id, kid, unit, group, form, from, to, hours, state, ...rec);
  return id;
}
function enrol(kid: string, from: string, to: string | null, grade: number, group: string | null): string {
  const id = randomUUID();
  core.db.sqlite
    .prepare(`INSERT INTO enrolment (id, pupil_id, unit_id, group_id, school_form, grade, valid_from, valid_to, created_at, created_by, updated_at, updated_by) VALUES (?,?,?,?,'GR',?,?,?,?,?,?,?)`)
    .run(id, kid, unit, group, grade, from, to, ...rec);
  return id;
}

describe('care.card summary', () => {
  it('lists the places held now or later, soonest first, with status, class or department and hours; history stays out', () => {
    const kid = child('Ebba');
    place(kid, 'FS', '2019-08-01', '2024-07-31', 'accepted');
    place(kid, 'FTH', '2025-08-01', null, 'declined');
    const fth = place(kid, 'FTH', '2026-08-17', null, 'accepted', dept, 25);
    enrol(kid, '2025-08-18', '2026-07-31', 1, null);
    const gr = enrol(kid, '2026-08-17', null, 2, klass);
    const next = place(kid, 'FTH', '2027-01-10', null, 'offered');
    const { summary } = core.ok('care.card', { personId: kid });
    expect(summary.places).toEqual([
      expect.objectContaining({ kind: 'placement', id: fth, unitName: 'Solrosen', groupName: 'Ekorren', groupKind: 'department', schoolForm: 'FTH', weeklyHours: 25, status: 'active', grade: null }),
      expect.objectContaining({ kind: 'enrolment', id: gr, groupName: '2A', groupKind: 'class', schoolForm: 'GR', grade: 2, status: null }),
      expect.objectContaining({ kind: 'placement', id: next, status: 'offered', groupKind: null }),
    ]);
  });

  it("gives a guardian's registered address, marks one the child is shielded from and withholds theirs", () => {
    const kid = child('Ebba');
    const mum = person('Anna', { addresses: [address('Parkvägen 8')], contacts: [{ kind: 'mobile', value: '070-1112233' }] });
    const dad = person('Bo', { addresses: [address('Hemliga vägen 1')] });
    guard(kid, mum, { livesWith: true });
    guard(kid, dad, { shielded: true });
    const { summary } = core.ok('care.card', { personId: kid });
    expect(summary.guardians).toHaveLength(2);
    expect(summary.guardians.find((x) => x.guardianId === mum)).toMatchObject({
      name: 'Berg, Anna',
      shieldedFrom: false,
      protected: false,
      livesWith: true,
      addressWithheld: false,
      address: { careOf: null, street: 'Parkvägen 8', postalCode: '123 45', city: 'Ekdala', country: 'SE' },
    });
    expect(summary.guardians.find((x) => x.guardianId === dad)).toMatchObject({ name: 'Berg, Bo', shieldedFrom: true, address: null, addressWithheld: true });
    expect(JSON.stringify(summary)).not.toContain('Hemliga');
  });

  it('withholds every guardian address of a protected child, and a protected guardian’s (no permission lifts it here)', () => {
    const kid = child('Ebba', { protection: 'se_skyddad_folkbokforing' });
    const mum = person('Anna', { addresses: [address('Skyddsgatan 2')] });
    guard(kid, mum);
    const other = child('Frans');
    const secret = person('Gun', { protection: 'se_sekretessmarkering' });
    guard(other, secret);
    // The core withheld it at the write already (a protected person's address lives only behind the reveal).
    core.db.sqlite
      .prepare(`INSERT INTO person_address (id, person_id, kind, street, postal_code, city, country, valid_from, created_at, created_by, updated_at, updated_by) VALUES (?,?,'registered','Dolda vägen 3','111 11','Ekdala','SE','2000-01-01',?,?,?,?)`)
      .run(randomUUID(), secret, ...rec);
    for (const [k, g, leak] of [
      [kid, mum, 'Skyddsgatan'],
      [other, secret, 'Dolda'],
    ] as const) {
      const { summary } = core.ok('care.card', { personId: k });
      expect(summary.guardians).toEqual([expect.objectContaining({ guardianId: g, address: null, addressWithheld: true })]);
      expect(JSON.stringify(summary)).not.toContain(leak);
    }
    expect(core.ok('care.card', { personId: other }).summary.guardians[0]!.protected).toBe(true);
  });

  it('leaves out guardianships that ended or have not begun, and names a guardian once', () => {
    const kid = child('Ebba');
    const mum = person('Anna');
    const old = person('Olle');
    const g = guard(kid, mum);
    core.ok('guardianship.update', { id: g.id, version: g.version, mode: 'change', effectiveFrom: '2026-11-01', livesWith: true });
    guard(kid, old, { validTo: '2020-01-01' });
    expect(core.ok('care.card', { personId: kid }).summary.guardians.map((x) => x.guardianId)).toEqual([mum]);
  });
});
