/**
 * The person list's orders (name, identity number, birth date; ascending and the exact reverse), paged the
 * same way in SQL (the whole municipality) and in memory (a clerk's own unit), and each row's place today
 * (the unit / class column): one statement per page, withheld for a protected person as for search hits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../shared/api/transport';
import type { MethodOutput } from '../../shared/api/contract';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';

type List = MethodOutput<'person.list'>;
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
const sql = () => core.ctx.sqlite;
const keyOf = (id: string) => sql().prepare('SELECT sort_key, id_canonical, reserve_number, birth_date FROM person WHERE id = ?').get(id) as { sort_key: string; id_canonical: string | null; reserve_number: string | null; birth_date: string };
const isSorted = <T>(xs: readonly T[], cmp: (a: T, b: T) => number) => xs.every((x, i) => i === 0 || cmp(xs[i - 1]!, x) <= 0);
const str = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const number = (k: ReturnType<typeof keyOf>) => k.id_canonical ?? k.reserve_number ?? '~';

describe('person.list orders', () => {
  it('sorts by birth date (then name), by number (a reserve number after, none last) and by name; descending is the reverse', () => {
    const all = core.ok('person.list', { limit: 500 });
    const byBirth = core.ok('person.list', { limit: 500, sort: 'birthDate' });
    expect(byBirth.total).toBe(all.total);
    const bk = byBirth.items.map((p) => keyOf(p.id));
    expect(isSorted(bk, (a, b) => str(a.birth_date, b.birth_date) || str(a.sort_key, b.sort_key))).toBe(true);
    expect(new Set(byBirth.items.map((p) => p.id))).toEqual(new Set(all.items.map((p) => p.id)));

    const byNumber = core.ok('person.list', { limit: 500, sort: 'identity' });
    expect(isSorted(byNumber.items.map((p) => keyOf(p.id)), (a, b) => str(number(a), number(b)) || str(a.sort_key, b.sort_key))).toBe(true);

    for (const sort of ['name', 'identity', 'birthDate'] as const) {
      const asc = core.ok('person.list', { limit: 500, sort }).items.map((p) => p.id);
      const desc = core.ok('person.list', { limit: 500, sort, dir: 'desc' }).items.map((p) => p.id);
      expect(desc, sort).toEqual([...asc].reverse());
    }
  });

  it('pages the same order: page by page equals the whole list, with a role filter too', () => {
    for (const sort of ['identity', 'birthDate'] as const) {
      const whole = core.ok('person.list', { limit: 500, sort, dir: 'desc', role: 'child' });
      expect(whole.items.every((p) => p.roles.includes('child'))).toBe(true);
      const paged: string[] = [];
      for (let offset = 0; offset < whole.total; offset += 37) paged.push(...core.ok('person.list', { offset, limit: 37, sort, dir: 'desc', role: 'child' }).items.map((p) => p.id));
      expect(paged).toEqual(whole.items.map((p) => p.id));
    }
  });

  it('refuses an order it does not know with a validation error naming the field', () => {
    const r = core.call('person.list', { sort: 'unit' } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('validation');
      expect(JSON.stringify(r.error)).toContain('sort');
    }
  });

  it("a clerk for one unit gets the unit's persons in the same orders", () => {
    const clerk = signIn('clerk');
    const byName = data<List>(clerk.call('person.list', { limit: 500 }));
    expect(byName.total).toBeGreaterThan(5);
    const byBirth = data<List>(clerk.call('person.list', { limit: 500, sort: 'birthDate', dir: 'desc' }));
    expect(byBirth.total).toBe(byName.total);
    expect(isSorted(byBirth.items.map((p) => keyOf(p.id)), (a, b) => str(b.birth_date, a.birth_date) || str(b.sort_key, a.sort_key))).toBe(true);
    const byNumber = data<List>(clerk.call('person.list', { limit: 500, sort: 'identity' }));
    expect(isSorted(byNumber.items.map((p) => keyOf(p.id)), (a, b) => str(number(a), number(b)) || str(a.sort_key, b.sort_key))).toBe(true);
    const second = data<List>(clerk.call('person.list', { offset: 3, limit: 3, sort: 'identity' }));
    expect(second.items.map((p) => p.id)).toEqual(byNumber.items.slice(3, 6).map((p) => p.id));
  });
});

describe('person.list places (the unit / class column)', () => {
  it("shows a pupil's school and class and a preschool child's unit; a guardian has none", () => {
    const list = core.ok('person.list', { limit: 500 });
    const pupil = sql()
      .prepare(
        `SELECT e.pupil_id AS id, u.name AS unit, g.name AS grp FROM enrolment e JOIN org_unit u ON u.id = e.unit_id JOIN school_group g ON g.id = e.group_id JOIN person p ON p.id = e.pupil_id
         WHERE e.deleted_at IS NULL AND e.valid_from <= ? AND (e.valid_to IS NULL OR e.valid_to >= ?) AND p.protection = 'none' LIMIT 1`,
      )
      .get(TEST_TODAY, TEST_TODAY) as { id: string; unit: string; grp: string };
    expect(list.items.find((p) => p.id === pupil.id)?.place).toMatchObject({ kind: 'enrolment', unitName: pupil.unit, groupName: pupil.grp, status: 'active' });
    const adult = sql().prepare(`SELECT id FROM person WHERE is_guardian = 1 AND is_child = 0 AND is_staff = 0 AND protection = 'none' LIMIT 1`).pluck().get() as string;
    expect(list.items.find((p) => p.id === adult)?.place).toBeNull();
    const placed = list.items.filter((p) => p.place !== null);
    expect(placed.length).toBeGreaterThan(20);
  });

  it("withholds a protected child's place from a clerk without protected.reveal, shows it to a handler", () => {
    const prot = sql()
      .prepare(
        `SELECT p.id FROM person p WHERE p.protection <> 'none' AND p.is_child = 1
           AND EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = p.id AND e.deleted_at IS NULL AND (e.valid_to IS NULL OR e.valid_to >= @t)) LIMIT 1`,
      )
      .pluck()
      .get({ t: TEST_TODAY }) as string;
    expect(prot).toBeTruthy();
    const row = (conn: Connection) => data<List>(conn.call('person.list', { limit: 500 })).items.find((p) => p.id === prot);
    const clerk = row(signIn('clerk.all'));
    expect(clerk).toMatchObject({ protected: true, place: null });
    expect(row(signIn('protected'))?.place).toMatchObject({ kind: 'enrolment', unitName: expect.any(String) });
  });

  it('audits the page read in every order', () => {
    const conn = signIn('registrar');
    const before = sql().prepare(`SELECT max(seq) FROM audit_log`).pluck().get() as number;
    const page = data<List>(conn.call('person.list', { offset: 0, limit: 50, sort: 'birthDate' }));
    const entry = sql().prepare(`SELECT method, person_ids FROM audit_log WHERE seq > ? AND method = 'person.list' ORDER BY seq DESC LIMIT 1`).get(before) as { method: string; person_ids: string };
    expect(JSON.parse(entry.person_ids)).toEqual(expect.arrayContaining(page.items.map((p) => p.id)));
  });
});
