/**
 * Who may change a protection level, through the real contract as real accounts (roles per unit), on a real
 * SQLite file. Raising is a clerk's work; lowering or removing a level (shared/protection.ts) needs
 * protected.reveal for the person and a stated reason, and is audited with both levels and the reason.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain/access';
import type { ProtectionLevel } from '../../shared/api/schemas';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { actorFor } from '../access/accounts';
import type { Actor } from '../context';

const REASON = 'Skatteverket ended the sekretessmarkering on 2026-11-20';
const REC = `1, '2026-01-01T00:00:00.000Z', 'test', '2026-01-01T00:00:00.000Z', 'test'`;

let core: TestCore;
const unit: Record<'a' | 'b', string> = { a: '', b: '' };
const actors = new Map<string, Actor>();
const ids: Record<'kidA' | 'mumA' | 'kidB' | 'plain', string> = { kidA: '', mumA: '', kidB: '', plain: '' };

const ACCOUNTS: Record<string, { role: Role; unit: 'a' | null }[]> = {
  clerkA: [{ role: 'clerk', unit: 'a' }],
  clerkAll: [{ role: 'clerk', unit: null }],
  protectedAll: [{ role: 'clerk', unit: null }, { role: 'protected_handler', unit: null }],
  protectedA: [{ role: 'clerk', unit: null }, { role: 'protected_handler', unit: 'a' }],
  handlerOnly: [{ role: 'protected_handler', unit: null }],
  fee: [{ role: 'fee_admin', unit: null }],
  foi: [{ role: 'foi_officer', unit: null }],
  registrar: [{ role: 'registrar', unit: null }],
  auditor: [{ role: 'auditor', unit: null }],
  sysadmin: [{ role: 'sysadmin', unit: null }],
};

function person(name: string, protection: ProtectionLevel, birthDate = '2018-05-05'): string {
  return core.ok('person.create', {
    givenName: name,
    familyName: 'Lind',
    birthDate,
    protection,
    addresses: [{ kind: 'registered', street: `${name}vägen 1`, postalCode: '123 45', city: 'Ekdala', country: 'SE' }],
    contacts: [{ kind: 'email', value: `${name.toLowerCase()}@example.invalid` }],
  }).id;
}

beforeAll(() => {
  core = makeTestCore();
  const s = core.db.sqlite;
  const muni = randomUUID();
  s.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'Ekdala kommun', 'SE', '9999', ${REC})`).run(muni);
  const admin = randomUUID();
  const insUnit = s.prepare(
    `INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_forms, version, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, '["GR"]', ${REC})`,
  );
  insUnit.run(admin, muni, null, 'administration', 'Utbildning', 'utbildning');
  for (const k of ['a', 'b'] as const) {
    unit[k] = randomUUID();
    insUnit.run(unit[k], muni, admin, 'school_unit', `Skola ${k}`, `skola ${k}`);
  }
  ids.kidA = person('Kida', 'se_skyddad_folkbokforing');
  ids.mumA = person('Muma', 'none', '1985-04-01');
  ids.kidB = person('Kidb', 'no_fortrolig');
  ids.plain = person('Plain', 'none');
  core.ok('guardianship.create', { childId: ids.kidA, guardianId: ids.mumA, kind: 'vardnadshavare', validFrom: '2018-05-05' });
  // Class members connect the children (and kidA's mother) to their units for a unit-scoped account.
  for (const [k, pupils] of [['a', [ids.kidA, ids.plain]], ['b', [ids.kidB]]] as const) {
    const g = randomUUID();
    s.prepare(
      `INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'class', '3A', '3a', 2026, 'GR', 3, '2026-08-01', '2027-07-31', ${REC})`,
    ).run(g, unit[k]);
    for (const p of pupils) {
      s.prepare(`INSERT INTO group_membership (id, group_id, person_id, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, '2026-08-17', NULL, ${REC})`).run(
        randomUUID(),
        g,
        p,
      );
    }
  }
  for (const [username, roles] of Object.entries(ACCOUNTS)) {
    const r = core.ok('user.create', {
      username: username.toLowerCase(),
      displayName: username,
      password: 'lantern orbit quiet 7731 moss',
      roles: roles.map((x) => ({ role: x.role, unitId: x.unit ? unit[x.unit] : null })),
    });
    actors.set(username, actorFor(s, { id: r.id, display_name: username }));
  }
}, 60_000);
afterAll(() => core.dispose());

const row = (id: string) =>
  core.db.sqlite.prepare('SELECT protection, protected_since, shielded, version FROM person WHERE id = ?').get(id) as {
    protection: ProtectionLevel;
    protected_since: string | null;
    shielded: number;
    version: number;
  };

/** person.update as `who`, changing the level only (the form as the card shows it). */
function setLevel(who: string, id: string, protection: ProtectionLevel, protectionReason?: string) {
  const c = core.ok('person.get', { id });
  const input = {
    id,
    version: c.version,
    mode: 'change' as const,
    person: { givenName: c.givenName, familyName: c.familyName, birthDate: c.birthDate, protection },
    ...(protectionReason !== undefined ? { protectionReason } : {}),
  };
  return core.call('person.update', input, actors.get(who)!);
}
const lastEntry = (method: string) =>
  core.db.sqlite.prepare('SELECT actor_id, action, outcome, person_ids, details, reason FROM audit_log WHERE method = ? ORDER BY seq DESC LIMIT 1').get(method) as {
    actor_id: string;
    action: string;
    outcome: string;
    person_ids: string;
    details: string;
    reason: string | null;
  };

describe('lowering or removing a protection level', () => {
  it('is refused to a clerk (unit or municipality), for every kind of lowering, with or without a reason, and changes nothing', () => {
    const cases: [string, string, ProtectionLevel][] = [
      ['clerkA', ids.kidA, 'none'],
      ['clerkA', ids.kidA, 'se_sekretessmarkering'],
      ['clerkA', ids.kidA, 'no_strengt_fortrolig'],
      ['clerkAll', ids.kidA, 'none'],
      ['clerkAll', ids.kidB, 'no_klientadresse'],
      ['clerkAll', ids.kidB, 'se_skyddad_folkbokforing'],
    ];
    for (const [who, id, to] of cases) {
      const before = row(id);
      for (const reason of [undefined, REASON]) {
        const r = setLevel(who, id, to, reason);
        expect(r.ok, `${who} → ${to}`).toBe(false);
        // Refused for the protection rule itself (field `protection`), not for being outside the clerk's units.
        if (!r.ok) expect(r.error, `${who} → ${to}`).toMatchObject({ code: 'forbidden', field: 'protection' });
        expect(row(id), `${who} → ${to}`).toEqual(before);
        expect(lastEntry('person.update'), `${who} → ${to}`).toMatchObject({ actor_id: actors.get(who)!.id, action: 'denied', outcome: 'forbidden', person_ids: JSON.stringify([id]) });
      }
      // Nothing was revealed: the card is still shielded for the clerk.
      const card = core.call('person.get', { id }, actors.get(who)!);
      expect(card.ok && card.data).toMatchObject({ shielded: true, addresses: [], contacts: [] });
    }
  });

  it('is refused to every role without register.write, before anything else is looked at', () => {
    for (const who of ['handlerOnly', 'fee', 'foi', 'registrar', 'auditor', 'sysadmin']) {
      const r = setLevel(who, ids.kidB, 'none', REASON);
      expect(r.ok ? null : r.error, who).toMatchObject({ code: 'forbidden', message: 'Missing permission register.write for person.update' });
    }
    expect(row(ids.kidB).protection).toBe('no_fortrolig');
  });

  it('a protected-identity handler must state a reason (field protectionReason)', () => {
    const missing = setLevel('protectedAll', ids.kidA, 'none');
    expect(missing.ok ? null : missing.error).toMatchObject({ code: 'validation', field: 'protectionReason', issues: [{ field: 'protectionReason', code: 'required' }] });
    const short = setLevel('protectedAll', ids.kidA, 'none', 'because');
    expect(short.ok ? null : short.error).toMatchObject({ code: 'validation', field: 'protectionReason', issues: [{ field: 'protectionReason', code: 'reason_too_short' }] });
    expect(row(ids.kidA).protection).toBe('se_skyddad_folkbokforing');
  });

  it('a handler for one unit may not lower a person outside it', () => {
    const r = setLevel('protectedA', ids.kidB, 'none', REASON);
    expect(r.ok ? null : r.error).toMatchObject({ code: 'forbidden', field: 'protection' });
    expect(row(ids.kidB).protection).toBe('no_fortrolig');
  });

  it('a handler in scope, with a reason, lowers it: logged with both levels and the reason; the start date and the shielding go', () => {
    expect(row(ids.mumA).shielded).toBe(1);
    const r = setLevel('protectedA', ids.kidA, 'se_sekretessmarkering', REASON);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    let e = lastEntry('person.update');
    expect(e).toMatchObject({ actor_id: actors.get('protectedA')!.id, action: 'write', outcome: 'ok', reason: REASON });
    expect(JSON.parse(e.details)).toMatchObject({
      protection: { change: 'lower', before: 'se_skyddad_folkbokforing', after: 'se_sekretessmarkering' },
      changes: { protection: ['se_skyddad_folkbokforing', 'se_sekretessmarkering'] },
    });
    // Still protected: still shielded, the start kept.
    expect(row(ids.kidA)).toMatchObject({ protection: 'se_sekretessmarkering', shielded: 1, protected_since: TEST_TODAY });

    expect(setLevel('protectedA', ids.kidA, 'none', REASON).ok).toBe(true);
    e = lastEntry('person.update');
    expect(e.reason).toBe(REASON);
    expect(JSON.parse(e.details).protection).toEqual({ change: 'lower', before: 'se_sekretessmarkering', after: 'none' });
    // The address values themselves never enter the log, although the card now shows them.
    expect(e.details).not.toContain('Kidavägen');
    expect(row(ids.kidA)).toMatchObject({ protection: 'none', shielded: 0, protected_since: null });
    expect(row(ids.mumA).shielded).toBe(0);
    expect(core.ok('person.get', { id: ids.kidA }).addresses).toMatchObject([{ street: 'Kidavägen 1' }]);
  });
});

describe('a stale form', () => {
  it('whose level was raised meanwhile gets conflict, not a refusal for a lowering it never chose', () => {
    const id = person('Stale', 'none');
    const loaded = core.ok('person.get', { id });
    expect(setLevel('protectedAll', id, 'se_skyddad_folkbokforing').ok).toBe(true);
    const r = core.call(
      'person.update',
      { id, version: loaded.version, mode: 'change', person: { givenName: loaded.givenName, familyName: loaded.familyName, birthDate: loaded.birthDate, protection: 'none', motherTongue: 'fi' } },
      actors.get('clerkAll')!,
    );
    expect(r.ok ? null : r.error.code).toBe('conflict');
    expect(row(id).protection).toBe('se_skyddad_folkbokforing');
  });
});

describe('raising a protection level', () => {
  it('stays open to a clerk, in scope, without a reason; the start is recorded and the relatives are shielded', () => {
    const dad = person('Plaindad', 'none', '1984-02-02');
    core.ok('guardianship.create', { childId: ids.plain, guardianId: dad, kind: 'vardnadshavare', validFrom: '2018-05-05' });
    expect(row(ids.plain)).toMatchObject({ protection: 'none', shielded: 0 });
    const r = setLevel('clerkA', ids.plain, 'se_sekretessmarkering');
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(row(ids.plain)).toMatchObject({ protection: 'se_sekretessmarkering', shielded: 1, protected_since: TEST_TODAY });
    expect(row(dad).shielded).toBe(1);
    expect(JSON.parse(lastEntry('person.update').details).protection).toEqual({ change: 'raise', before: 'none', after: 'se_sekretessmarkering' });
    // Within the scale, up: still a clerk's.
    expect(setLevel('clerkA', ids.plain, 'se_skyddad_folkbokforing').ok).toBe(true);
    expect(setLevel('clerkAll', ids.kidB, 'no_strengt_fortrolig').ok).toBe(true);
    expect(row(ids.kidB)).toMatchObject({ protection: 'no_strengt_fortrolig', shielded: 1 });
    // Outside the clerk's unit: the ordinary scope refusal.
    expect(setLevel('clerkA', ids.kidB, 'none').ok).toBe(false);
  });
});
