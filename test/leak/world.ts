/**
 * The marker world of the protected-identity leak tests (test/leak/leak.test.ts against the core,
 * test/leak/feed-leak.test.ts against the server's feed): on a seeded demo core, links reshaped so that the
 * shielding rule is exercised through links alone, then every address field and contact value of every
 * shielded person replaced with a unique marker (see leak.test.ts's header).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { addDays } from '../../core/dates';
import { demoRegister, navetFile } from '../../core/demo/population-files';
import type { ProtectionLevel } from '../../shared/api/schemas';
import { isShielded, recomputeAllShielding, refreshShielding } from '../../core/register/shielding';
import { TEST_TODAY, type TestCore } from '../util/core';

/** The marker prefix: unusual enough never to occur by chance, searched case-insensitively. */
export const PREFIX = 'LKM7Q';
export const MARKER_RE = /LKM7Q-[A-Za-z0-9@._-]*/gi;
/** A second prefix for the scenario that runs after the main scans (a person protected later). */
export const LATE_PREFIX = 'LKM8R';
export const LATE_RE = /LKM8R-[A-Za-z0-9@._-]*/gi;

export interface World {
  protectedIds: string[];
  shielded: string[];
  /** Shielded persons plus everyone linked to them by any guardianship (ended ones too). */
  targets: string[];
  markers: Map<string, string[]>;
  units: string[];
  groups: string[];
  administrationId: string;
  firstSchoolUnit: string;
  /** Display form of identity numbers as the UI shows them (filled from person.get as a trusted caller). */
  display: Map<string, string>;
  norolesId: string | null;
  norolesVersion: number;
  protectedUserId: string;
  /** Reveal answers to the protected handler that did not contain all of that person's markers. */
  revealProblems: string[];
  /** Refusals that should have been refusals but were not (reveal to others). */
  refusalProblems: string[];
  /** Protected persons every account tries to lower the protection of (the first is in the unit clerk's scope). */
  lowerTargets: string[];
  /** The population-register delta whose records carry markers (a protected person's new address, a bad record). */
  importFileId: string;
  importRunId: string;
  /** The protected handler's dry-run pages showed the marked address (the control: the markers are in the run). */
  importRevealed: boolean;
  /** A legacy CSV (synthetic, no markers) the registrar uploaded, for the mapping screen's headings. */
  csvFileId: string;
  /** Lowering attempts that were not refused as they should have been. */
  lowerProblems: string[];
}

/**
 * The demo generator protects whole households, so every shielded person would be protected themselves and
 * the link rule of `isShielded` would go untested. Reshape a few links (direct SQL, before anything runs):
 * - one protected household keeps only one child protected: its guardians are shielded as guardians, its
 *   other children as siblings;
 * - an unprotected child gets a protected person of another household as a second guardian: the child is
 *   shielded as that person's child, the child's own guardian as a co-guardian;
 * - another unprotected child has a guardianship with a protected person that ended before that person's
 *   protection began: not shielded.
 * Then, through the contract (so the core's own writes keep the flag), the first child's protection is
 * dated from 2024 and the child gets what the security probe found unshielded: a parent's new partner and
 * the partner's child in the child's household, a guardian whose guardianship ended yesterday and a
 * household member who moved out in 2025 (all shielded), and a guardian whose guardianship ended in 2023,
 * before the protection began (not shielded).
 */
export interface Reshaped {
  mustBeShielded: { id: string; why: string }[];
  mustNotBeShielded: { id: string; why: string }[];
  /** A protected person given a staff duty at the first school unit. */
  protectedStaff?: string;
  /** The protected child whose links are reshaped. */
  kid: string;
}

export const KID_SINCE = '2024-01-01';

/** A person registered through the contract with an address and contacts (replaced by markers if shielded). */
export function registerPerson(core: TestCore, given: string, birthDate: string): string {
  return core.ok('person.create', {
    givenName: given,
    familyName: 'Läcksson',
    birthDate,
    addresses: [{ kind: 'registered', street: `${given}gatan 3`, postalCode: '123 45', city: 'Ekdala', country: 'SE' }],
    contacts: [
      { kind: 'mobile', value: '070-123 45 67' },
      { kind: 'email', value: `${given.toLowerCase()}@example.invalid` },
    ],
  }).id;
}

export function reshapeLinks(core: TestCore): Reshaped {
  const s = core.db.sqlite;
  const now = `${TEST_TODAY}T12:00:00.000Z`;
  const current = `g.deleted_at IS NULL AND (g.valid_to IS NULL OR g.valid_to >= '${TEST_TODAY}')`;
  const guardiansOf = (child: string) => s.prepare(`SELECT guardian_id FROM guardianship g WHERE child_id = ? AND ${current}`).pluck().all(child) as string[];
  const childrenOf = (g: string) => s.prepare(`SELECT child_id FROM guardianship g WHERE guardian_id = ? AND ${current}`).pluck().all(g) as string[];
  // The protected child with the most siblings.
  const kid = s
    .prepare(
      `SELECT p.id FROM person p JOIN guardianship g ON g.child_id = p.id AND ${current} WHERE p.protection <> 'none'
       ORDER BY (SELECT count(*) FROM guardianship g2 WHERE g2.guardian_id = g.guardian_id AND g2.deleted_at IS NULL) DESC, p.id LIMIT 1`,
    )
    .pluck()
    .get() as string;
  const parents = guardiansOf(kid);
  const siblings = [...new Set(parents.flatMap(childrenOf))].filter((c) => c !== kid);
  const unprotect = s.prepare(`UPDATE person SET protection = 'none', protected_since = NULL WHERE id = ?`);
  for (const id of [...parents, ...siblings]) unprotect.run(id);
  // Written behind the core's back: the stored flag is set the way a bulk load sets it.
  recomputeAllShielding(s);
  const household = new Set([kid, ...parents, ...siblings]);
  const otherProtected = (s.prepare(`SELECT id FROM person WHERE protection <> 'none' AND is_guardian = 1 ORDER BY id`).pluck().all() as string[]).filter(
    (id) => !household.has(id),
  );
  // Unprotected children in unprotected households, with a guardian.
  const ordinary = (
    s
      .prepare(
        `SELECT p.id FROM person p WHERE p.is_child = 1 AND p.protection = 'none' AND p.deleted_at IS NULL
         AND EXISTS (SELECT 1 FROM guardianship g WHERE g.child_id = p.id AND ${current}) ORDER BY p.id`,
      )
      .pluck()
      .all() as string[]
  ).filter((id) => !isShielded(core.ctx, id));
  const ins = s.prepare(
    `INSERT INTO guardianship (id, child_id, guardian_id, kind, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
     VALUES (?,?,?,'vardnadshavare',?,?,1,?,'leak-test',?,'leak-test')`,
  );
  const out: Reshaped = {
    mustBeShielded: [
      ...parents.map((id) => ({ id, why: 'guardian of a protected child' })),
      ...siblings.map((id) => ({ id, why: 'sibling of a protected child' })),
    ],
    mustNotBeShielded: [],
    kid,
  };
  const p = otherProtected[0];
  const d = ordinary[0];
  const f = ordinary.find((id) => !guardiansOf(d ?? '').some((g) => guardiansOf(id).includes(g)) && id !== d);
  if (p && d && f) {
    const h = guardiansOf(d)[0]!;
    ins.run(randomUUID(), d, p, '2020-01-01', null, now, now);
    out.mustBeShielded.push({ id: d, why: 'child of a protected guardian' }, { id: h, why: 'co-guardian with a protected guardian' });
    ins.run(randomUUID(), f, p, '2012-01-01', '2019-12-31', now, now);
    // The guardian's family's protection is recorded as beginning in 2021: the guardianship that ended in 2019
    // does not count. (With the start unknown it would: f would share a guardian with p's protected children.)
    const family = [p, ...childrenOf(p), ...childrenOf(p).flatMap(guardiansOf)].filter((id) => s.prepare(`SELECT protection FROM person WHERE id = ?`).pluck().get(id) !== 'none');
    for (const id of new Set(family)) s.prepare(`UPDATE person SET protected_since = '2021-01-01' WHERE id = ?`).run(id);
    refreshShielding(core.ctx, [...family, d, f]);
    out.mustNotBeShielded.push({ id: f, why: 'guardianship with a protected person ended in 2019, before the protection began in 2021' });
  }

  // The probe's findings, on the first child, through the contract.
  s.prepare(`UPDATE person SET protected_since = ? WHERE id = ?`).run(KID_SINCE, kid);
  refreshShielding(core.ctx, [kid]);
  const home = s
    .prepare(`SELECT household_id FROM household_member WHERE person_id = ? AND deleted_at IS NULL AND valid_to IS NULL ORDER BY valid_from DESC, id LIMIT 1`)
    .pluck()
    .get(kid) as string;
  const partner = registerPerson(core, 'Partner', '1986-03-03');
  const bonus = registerPerson(core, 'Bonusbarn', '2016-06-06');
  core.ok('guardianship.create', { childId: bonus, guardianId: partner, kind: 'vardnadshavare', validFrom: '2016-06-06' });
  core.ok('household.addMember', { householdId: home, personId: partner, role: 'adult', validFrom: '2025-02-01' });
  core.ok('household.addMember', { householdId: home, personId: bonus, role: 'child', validFrom: '2025-02-01' });
  const exGuardian = registerPerson(core, 'Exvardnadshavare', '1980-01-01');
  core.ok('guardianship.create', { childId: kid, guardianId: exGuardian, kind: 'vardnadshavare', validFrom: '2019-01-01', validTo: '2026-11-22' });
  const lodger = registerPerson(core, 'Inneboende', '1990-09-09');
  core.ok('household.addMember', { householdId: home, personId: lodger, role: 'adult', validFrom: '2024-06-01', validTo: '2025-09-30' });
  const before = registerPerson(core, 'Tidigare', '1979-07-07');
  core.ok('guardianship.create', { childId: kid, guardianId: before, kind: 'vardnadshavare', validFrom: '2019-01-01', validTo: '2023-06-30' });
  out.mustBeShielded.push(
    { id: partner, why: "a parent's new partner in the protected child's household (no guardian)" },
    { id: bonus, why: "the partner's child in the protected child's household (no sibling)" },
    { id: exGuardian, why: 'guardianship of the protected child ended yesterday, after the protection began' },
    { id: lodger, why: "moved out of the protected child's household in 2025, after the protection began" },
  );
  out.mustNotBeShielded.push({ id: before, why: 'guardianship of the protected child ended in 2023, before the protection began' });
  // A protected guardian who also works at the first school unit (as some guardians do in the demo data):
  // staff lists name them, and the unit-scoped clerk reaches their card.
  const worker = otherProtected[1] ?? otherProtected[0];
  if (worker) {
    const unit = s.prepare(`SELECT id FROM org_unit WHERE kind = 'school_unit' AND deleted_at IS NULL ORDER BY name_norm LIMIT 1`).pluck().get() as string;
    s.prepare(
      `INSERT INTO staff_duty (id, person_id, unit_id, role, percent_hundredths, valid_from, valid_to, created_at, created_by, updated_at, updated_by)
       VALUES (?,?,?,'teacher',5000,'2024-08-01',NULL,?,'leak-test',?,'leak-test')`,
    ).run(randomUUID(), worker, unit, now, now);
    s.prepare(`UPDATE person SET is_staff = 1 WHERE id = ?`).run(worker);
    out.protectedStaff = worker;
  }
  return out;
}

export function plantMarkers(core: TestCore, reshaped: Reshaped): World {
  const s = core.db.sqlite;
  const today = TEST_TODAY;
  const all = s.prepare(`SELECT id, protection FROM person WHERE deleted_at IS NULL ORDER BY id`).all() as { id: string; protection: ProtectionLevel }[];
  const protectedIds = all.filter((p) => p.protection !== 'none').map((p) => p.id);
  // The core's flag, and whom this test expects shielded whatever the flag says: a person the rule misses
  // then carries markers too, and the walk finds them.
  const shielded = [...new Set([...all.filter((p) => isShielded(core.ctx, p.id)).map((p) => p.id), ...reshaped.mustBeShielded.map((m) => m.id)])];
  const markers = new Map<string, string[]>();
  const now = `${today}T12:00:00.000Z`;
  const addrRows = s.prepare(`SELECT id FROM person_address WHERE person_id = ? ORDER BY valid_from`).pluck();
  const contactRows = s.prepare(`SELECT id, kind FROM person_contact WHERE person_id = ? ORDER BY valid_from`);
  const setAddr = s.prepare(`UPDATE person_address SET street = ?, care_of = ?, city = ?, postal_code = ? WHERE id = ?`);
  const setContact = s.prepare(`UPDATE person_contact SET value = ? WHERE id = ?`);
  const insAddr = s.prepare(
    `INSERT INTO person_address (id, person_id, kind, care_of, street, postal_code, city, country, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
     VALUES (?,?,?,?,?,?,?,?,?,?,1,?,'leak-test',?,'leak-test')`,
  );
  const insContact = s.prepare(
    `INSERT INTO person_contact (id, person_id, kind, value, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
     VALUES (?,?,?,?,?,?,1,?,'leak-test',?,'leak-test')`,
  );
  s.transaction(() => {
    shielded.forEach((id, n) => {
      const list: string[] = [];
      // Every shielded person gets a past address and a contact of each kind too, so that history and
      // children's (normally absent) contacts are covered as well.
      insAddr.run(randomUUID(), id, 'postal', null, 'x', 'x', 'x', 'SE', '2019-01-01', '2020-12-31', now, now);
      insAddr.run(randomUUID(), id, 'temporary', null, 'x', 'x', 'x', 'SE', '2025-01-01', null, now, now);
      const kinds = new Set((contactRows.all(id) as { kind: string }[]).map((c) => c.kind));
      for (const k of ['phone', 'mobile', 'email']) if (!kinds.has(k)) insContact.run(randomUUID(), id, k, 'x', '2024-01-01', null, now, now);
      insContact.run(randomUUID(), id, 'phone', 'x', '2018-01-01', '2019-06-30', now, now);
      (addrRows.all(id) as string[]).forEach((rowId, i) => {
        const m = (f: string) => `${PREFIX}-${n}-${i}-${f}`;
        setAddr.run(m('street'), m('careof'), m('city'), m('postal'), rowId);
        list.push(m('street'), m('careof'), m('city'), m('postal'));
      });
      (contactRows.all(id) as { id: string; kind: string }[]).forEach((c, i) => {
        const v = c.kind === 'email' ? `${PREFIX}-${n}-${i}-email@example.invalid` : `${PREFIX}-${n}-${i}-${c.kind}`;
        setContact.run(v, c.id);
        list.push(v);
      });
      markers.set(id, list);
    });
  })();

  const inList = JSON.stringify(shielded);
  const relatives = s
    .prepare(
      `SELECT guardian_id FROM guardianship WHERE child_id IN (SELECT value FROM json_each(@ids)) AND deleted_at IS NULL
       UNION SELECT child_id FROM guardianship WHERE guardian_id IN (SELECT value FROM json_each(@ids)) AND deleted_at IS NULL
       UNION SELECT y.person_id FROM household_member x JOIN household_member y ON y.household_id = x.household_id AND y.deleted_at IS NULL
         WHERE x.person_id IN (SELECT value FROM json_each(@ids)) AND x.deleted_at IS NULL`,
    )
    .pluck()
    .all({ ids: inList }) as string[];
  const targets = [...new Set([...shielded, ...relatives])];
  const tList = JSON.stringify(targets);
  const memberships = s
    .prepare(
      `SELECT DISTINCT g.id AS group_id, g.unit_id FROM group_membership m JOIN school_group g ON g.id = m.group_id
       WHERE m.person_id IN (SELECT value FROM json_each(?)) AND m.deleted_at IS NULL AND g.deleted_at IS NULL`,
    )
    .all(tList) as { group_id: string; unit_id: string }[];
  const dutyUnits = s
    .prepare(`SELECT DISTINCT unit_id FROM staff_duty WHERE person_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL`)
    .pluck()
    .all(tList) as string[];
  const allUnits = s.prepare(`SELECT id FROM org_unit WHERE deleted_at IS NULL ORDER BY name_norm`).pluck().all() as string[];
  const units = [...new Set([...memberships.map((m) => m.unit_id), ...dutyUnits, ...allUnits])];
  const display = new Map<string, string>();
  for (const id of targets) {
    const card = core.ok('person.get', { id });
    if (card.identity) display.set(id, card.identity.display);
  }
  return {
    protectedIds,
    shielded,
    targets,
    markers,
    units,
    groups: [...new Set(memberships.map((m) => m.group_id))],
    administrationId: s.prepare(`SELECT id FROM org_unit WHERE kind = 'administration' AND deleted_at IS NULL ORDER BY name_norm LIMIT 1`).pluck().get() as string,
    firstSchoolUnit: s.prepare(`SELECT id FROM org_unit WHERE kind = 'school_unit' AND deleted_at IS NULL ORDER BY name_norm LIMIT 1`).pluck().get() as string,
    display,
    norolesId: null,
    norolesVersion: 1,
    protectedUserId: s.prepare(`SELECT id FROM user_account WHERE username = 'protected'`).pluck().get() as string,
    revealProblems: [],
    refusalProblems: [],
    lowerTargets: [reshaped.protectedStaff, reshaped.kid].filter((x): x is string => x !== undefined),
    lowerProblems: [],
    // Set once the marked import has been read (startMarkedImport).
    importFileId: '',
    importRunId: '',
    importRevealed: false,
    csvFileId: '',
  };
}

/**
 * A Navet delta whose records carry markers: a protected child moves to a marked address within the
 * municipality, and another protected person's record has a marked address and a bad birth date (it is
 * skipped and becomes a problem). Written outside the data folder, like a file a registrar downloads.
 */
export function writeMarkedDelta(sqlite: Database.Database): string {
  const reg = demoRegister(sqlite, { today: TEST_TODAY });
  const last = JSON.parse(sqlite.prepare('SELECT ordering FROM import_stream').pluck().get() as string) as { to: number };
  const lastDay = `${String(last.to).slice(0, 4)}-${String(last.to).slice(4, 6)}-${String(last.to).slice(6, 8)}`;
  // Two protected persons whose register record carries an address: a person with skyddad folkbokföring has
  // none in Navet (only the municipality), so a marker could not travel in theirs. In identity-number order,
  // so that the same seed always picks the same two.
  const candidates = (sqlite.prepare(`SELECT id FROM person WHERE protection <> 'none' AND id_canonical IS NOT NULL ORDER BY id_canonical`).pluck().all() as string[])
    .filter((id) => reg.recordOf(id)?.addresses.some((a) => a.kind === 'registered' && a.current))
    .slice(0, 2);
  if (candidates.length < 2) throw new Error('the seed has fewer than two protected persons with a registered address');
  const records = candidates.map((id, n) => {
    const r = reg.recordOf(id)!;
    const registered = r.addresses.find((a) => a.kind === 'registered' && a.current)!;
    const street = `${PREFIX}-IMPORT-${n === 0 ? 'STREET' : 'BAD'} 1`;
    return { ...r, addresses: r.addresses.map((a) => (a === registered ? { ...a, street, lines: [street] } : a)) };
  });
  const path = join(tmpdir(), `kansli-leak-delta-${randomUUID()}.xml`);
  let xml = [
    ...navetFile(
      { kind: 'delta', from: addDays(lastDay, 1), to: addDays(lastDay, 1), lopNr: 9, count: records.length, recipientOrgNr: reg.municipality.orgNumber, recipientName: reg.municipality.name },
      records,
    ),
  ].join('');
  // The second record gets an impossible birth date: skipped, reported with its line, its address unread.
  const posts = [...xml.matchAll(/<Folkbokforingspost[ >]/g)].map((m) => m.index);
  const second = posts[1]!;
  xml = xml.slice(0, second) + xml.slice(second).replace(/<Fodelsedatum>\d{8}<\/Fodelsedatum>/, '<Fodelsedatum>20191345</Fodelsedatum>');
  writeFileSync(path, xml);
  return path;
}
