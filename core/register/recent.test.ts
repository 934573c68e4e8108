/**
 * Recent persons (the search start page) and the place of every person hit (unit, class, status): kept per
 * user and workstation, checked again when read, never a protected person for a user who may not see
 * them, audited; places in one statement per page, withheld for protected persons.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../shared/api/transport';
import type { MethodOutput } from '../../shared/api/contract';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { dataPaths } from '../app';
import { RECENT_CAP } from './recent';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';

let core: TestCore;
beforeAll(() => {
  core = makeTestCore({ persons: 400 });
});
afterAll(() => core.dispose());

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
function signIn(username: string): Connection {
  const conn = core.connect('test-workstation');
  data(conn.call('auth.signIn', { username, password: DEMO_PASSWORD }));
  return conn;
}
const tick = () => new Promise((r) => setImmediate(r));
type Recent = MethodOutput<'search.recent'>;
const recentIds = (conn: Connection) => data<Recent>(conn.call('search.recent', {})).items.map((h) => h.id);
const sql = () => core.ctx.sqlite;
const ids = (where: string, n: number): string[] => sql().prepare(`SELECT id FROM person p WHERE ${where} AND deleted_at IS NULL ORDER BY id LIMIT ?`).pluck().all(n) as string[];
const open = (conn: Connection, id: string) => data(conn.call('person.get', { id }));

describe('recent persons', () => {
  it('lists the cards this user opened, the last first, once each, at most 20; written to the table after the call', async () => {
    const conn = signIn('clerk.all');
    const [a, b, c] = ids(`protection = 'none'`, 3) as [string, string, string];
    for (const id of [a, b, c, a]) open(conn, id);
    expect(recentIds(conn)).toEqual([a, c, b]);
    await tick();
    const ws = sql().prepare(`SELECT value FROM app_meta WHERE key = 'workstation.id'`).pluck().get() as string;
    expect(ws).toMatch(/^[0-9a-f-]{36}$/);
    const rows = sql().prepare(`SELECT person_id FROM recent_person WHERE workstation_id = ? ORDER BY seq DESC`).pluck().all(ws);
    expect(rows).toEqual([a, c, b]);

    const many = ids(`protection = 'none' AND is_child = 1`, RECENT_CAP + 5);
    for (const id of many) open(conn, id);
    await tick();
    expect(recentIds(conn)).toEqual([...many].reverse().slice(0, RECENT_CAP));
    expect(sql().prepare(`SELECT count(*) FROM recent_person WHERE person_id IN (SELECT value FROM json_each(?))`).pluck().get(JSON.stringify(many))).toBe(RECENT_CAP);
    expect(data<Recent>(conn.call('search.recent', { limit: 3 })).items).toHaveLength(3);
  });

  it("is each user's own: another user on the same workstation sees only theirs", () => {
    const other = signIn('fee');
    expect(recentIds(other)).toEqual([]);
    const [p] = ids(`protection = 'none'`, 1) as [string];
    open(other, p);
    expect(recentIds(other)).toEqual([p]);
  });

  it('is audited like every read of persons: the entry names the persons shown', () => {
    const conn = signIn('registrar');
    const [p, q] = ids(`protection = 'none'`, 2) as [string, string];
    open(conn, p);
    open(conn, q);
    recentIds(conn);
    const entry = sql().prepare(`SELECT method, action, person_ids FROM audit_log WHERE method = 'search.recent' ORDER BY seq DESC LIMIT 1`).get() as Record<string, string>;
    expect(entry.action).toBe('read');
    expect([...(JSON.parse(entry.person_ids!) as string[])].sort()).toEqual([p, q].sort());
  });

  it('never shows a protected person to a user without protected.reveal for them, also one who became protected after the card was opened', async () => {
    const clerk = signIn('clerk.all');
    const handler = signIn('protected');
    const [prot] = ids(`protection <> 'none'`, 1) as [string];
    const [later] = ids(`protection = 'none' AND is_child = 1 AND shielded = 0`, 1) as [string];
    for (const conn of [clerk, handler]) {
      open(conn, prot);
      open(conn, later);
    }
    expect(recentIds(clerk)).toContain(later);
    expect(recentIds(clerk)).not.toContain(prot);
    expect(recentIds(handler).slice(0, 2)).toEqual([later, prot]);
    // Protected from now on (as an import would set it): the next read leaves the person out.
    await tick();
    sql().prepare(`UPDATE person SET protection = 'se_sekretessmarkering' WHERE id = ?`).run(later);
    core.ctx.generation.persons++;
    expect(recentIds(clerk)).not.toContain(later);
    expect(recentIds(handler)).toContain(later);
    sql().prepare(`UPDATE person SET protection = 'none' WHERE id = ?`).run(later);
    core.ctx.generation.persons++;
  });

  it('checks the unit scope when read: a person outside the clerk’s units (opened when they were inside) is left out', async () => {
    const clerk = signIn('clerk');
    const unit = sql().prepare(`SELECT r.unit_id FROM role_assignment r JOIN user_account a ON a.id = r.user_id WHERE a.username = 'clerk'`).pluck().get() as string;
    const inside = sql()
      .prepare(
        `SELECT m.person_id FROM group_membership m JOIN school_group g ON g.id = m.group_id JOIN person p ON p.id = m.person_id
         WHERE g.unit_id = ? AND m.deleted_at IS NULL AND (m.valid_to IS NULL OR m.valid_to >= ?) AND p.protection = 'none' LIMIT 1`,
      )
      .pluck()
      .get(unit, TEST_TODAY) as string;
    open(clerk, inside);
    await tick();
    const user = sql().prepare(`SELECT id FROM user_account WHERE username = 'clerk'`).pluck().get() as string;
    const ws = sql().prepare(`SELECT value FROM app_meta WHERE key = 'workstation.id'`).pluck().get() as string;
    const connected = new Set(core.ctx.sqlite.prepare(`SELECT person_id FROM group_membership m JOIN school_group g ON g.id = m.group_id WHERE g.unit_id = ?`).pluck().all(unit) as string[]);
    const outside = (ids(`protection = 'none' AND is_child = 1`, 400) as string[]).find((id) => !connected.has(id) && clerk.call('person.get', { id }).ok === false)!;
    expect(outside).toBeTruthy();
    sql().prepare(`INSERT INTO recent_person (user_id, workstation_id, person_id, opened_at, seq) VALUES (?, ?, ?, ?, 1000)`).run(user, ws, outside, `${TEST_TODAY}T12:00:00.000Z`);
    expect(recentIds(clerk)).toEqual([inside]);
  });

  it('opening a card does not wait while another connection holds the write lock; the opening is written once it is free', async () => {
    const conn = signIn('foi');
    const [p] = ids(`protection = 'none' AND is_staff = 1`, 1) as [string];
    const other = new Database(dataPaths(core.dir).dbPath);
    try {
      other.prepare('BEGIN IMMEDIATE').run();
      const t0 = Date.now();
      open(conn, p);
      expect(Date.now() - t0).toBeLessThan(2000);
      await tick();
      expect(recentIds(conn)[0]).toBe(p);
      expect(sql().prepare(`SELECT count(*) FROM recent_person WHERE person_id = ? AND user_id = (SELECT id FROM user_account WHERE username = 'foi')`).pluck().get(p)).toBe(0);
      other.prepare('COMMIT').run();
    } finally {
      other.close();
    }
    await new Promise((r) => setTimeout(r, 2300));
    expect(sql().prepare(`SELECT count(*) FROM recent_person WHERE person_id = ? AND user_id = (SELECT id FROM user_account WHERE username = 'foi')`).pluck().get(p)).toBe(1);
    expect(recentIds(conn)[0]).toBe(p);
  });
});

describe('places in search results', () => {
  type Hit = Extract<MethodOutput<'search.query'>['items'][number], { type: 'person' }>;
  const hitFor = (conn: Connection, id: string): Hit => {
    const p = sql().prepare('SELECT given_name, family_name, id_canonical FROM person WHERE id = ?').get(id) as { given_name: string; family_name: string; id_canonical: string | null };
    const q = p.id_canonical ?? `${p.given_name} ${p.family_name}`;
    const hit = data<MethodOutput<'search.query'>>(conn.call('search.query', { q, limit: 100, types: ['person'] })).items.find((h) => h.id === id);
    expect(hit, q).toBeTruthy();
    return hit as Hit;
  };

  it('a pupil shows the school and class, a preschool child the unit and department, with the status', () => {
    const conn = signIn('clerk.all');
    const pupil = sql()
      .prepare(
        `SELECT e.pupil_id AS id, u.name AS unit, g.name AS grp FROM enrolment e JOIN org_unit u ON u.id = e.unit_id JOIN school_group g ON g.id = e.group_id JOIN person p ON p.id = e.pupil_id
         WHERE e.deleted_at IS NULL AND e.valid_from <= ? AND (e.valid_to IS NULL OR e.valid_to >= ?) AND p.protection = 'none' LIMIT 1`,
      )
      .get(TEST_TODAY, TEST_TODAY) as { id: string; unit: string; grp: string };
    expect(hitFor(conn, pupil.id).place).toMatchObject({ kind: 'enrolment', unitName: pupil.unit, groupName: pupil.grp, status: 'active' });

    const child = sql()
      .prepare(
        `SELECT pl.child_id AS id, u.name AS unit FROM placement pl JOIN org_unit u ON u.id = pl.unit_id JOIN person p ON p.id = pl.child_id
         WHERE pl.deleted_at IS NULL AND pl.state = 'accepted' AND pl.school_form = 'FS' AND pl.valid_from <= ? AND (pl.valid_to IS NULL OR pl.valid_to >= ?) AND pl.notice_given_on IS NULL AND p.protection = 'none'
           AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = pl.child_id AND e.deleted_at IS NULL) LIMIT 1`,
      )
      .get(TEST_TODAY, TEST_TODAY) as { id: string; unit: string };
    expect(hitFor(conn, child.id).place).toMatchObject({ kind: 'placement', unitName: child.unit, schoolForm: 'FS', status: 'active' });

    const adult = sql().prepare(`SELECT id FROM person WHERE is_guardian = 1 AND is_child = 0 AND is_staff = 0 AND protection = 'none' LIMIT 1`).pluck().get() as string;
    expect(hitFor(conn, adult).place).toBeNull();
  });

  it("withholds a protected child's place from a clerk without protected.reveal, shows it to a handler", () => {
    const prot = sql()
      .prepare(
        `SELECT p.id FROM person p WHERE p.protection <> 'none' AND p.is_child = 1
           AND (EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = p.id AND e.deleted_at IS NULL AND (e.valid_to IS NULL OR e.valid_to >= @t))
             OR EXISTS (SELECT 1 FROM placement pl WHERE pl.child_id = p.id AND pl.deleted_at IS NULL AND pl.state <> 'declined' AND (pl.valid_to IS NULL OR pl.valid_to >= @t))) LIMIT 1`,
      )
      .pluck()
      .get({ t: TEST_TODAY }) as string;
    expect(prot).toBeTruthy();
    expect(hitFor(signIn('clerk.all'), prot).place).toBeNull();
    expect(hitFor(signIn('protected'), prot).place).not.toBeNull();
    // The recent list follows the same rule.
    const handler = signIn('protected');
    open(handler, prot);
    expect(data<Recent>(handler.call('search.recent', {})).items[0]).toMatchObject({ id: prot, place: { unitName: expect.any(String) } });
  });
});
