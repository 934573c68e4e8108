/**
 * Units and groups are ordered in SQL by their stored collation key (org_unit.sort_key, school_group.sort_key,
 * shared/collation.ts): Swedish … Z Å Ä Ö, Norwegian … Z Æ Ø Å. Every writer of a name writes its key: the
 * unit form, the rollover's new classes, the demo generator (the migration computes the keys of older rows:
 * db/migrate.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collationKey } from '../../shared/collation';
import { foldText } from '../../shared/text';
import { makeTestCore, type TestCore } from '../../test/util/core';

const UNIT_NAMES = ['Ängsbackens skola', 'Björkhagens skola', 'Älvdalens skola', 'Zetas skola', 'Åkerns skola', 'Ørnens skola', 'Aspens skola'];
const EXPECTED_UNITS = {
  SE: ['Aspens skola', 'Björkhagens skola', 'Zetas skola', 'Åkerns skola', 'Älvdalens skola', 'Ängsbackens skola', 'Ørnens skola'],
  NO: ['Aspens skola', 'Björkhagens skola', 'Zetas skola', 'Älvdalens skola', 'Ängsbackens skola', 'Ørnens skola', 'Åkerns skola'],
};
const GROUP_NAMES = ['Åsen', 'Ärlan', 'Ørnen', 'Blåbäret', 'Zebran', 'Æblet'];
const EXPECTED_GROUPS = {
  SE: ['Blåbäret', 'Zebran', 'Åsen', 'Æblet', 'Ärlan', 'Ørnen'],
  NO: ['Blåbäret', 'Zebran', 'Æblet', 'Ärlan', 'Ørnen', 'Åsen'],
};

describe.each(['SE', 'NO'] as const)('%s', (country) => {
  let core: TestCore;
  const units: Record<string, string> = {};
  beforeAll(() => {
    core = makeTestCore({ persons: 60, country });
    const admin = core.ok('org.tree', {}).administrations[0]!;
    for (const name of UNIT_NAMES) units[name] = core.ok('unit.create', { parentId: admin.id, name, schoolForms: [country === 'SE' ? 'GR' : 'GSK'] }).id;
  });
  afterAll(() => core.dispose());

  it('the unit form writes the key with the name, and again when the name changes', () => {
    const key = (id: string) => core.ctx.sqlite.prepare('SELECT sort_key FROM org_unit WHERE id = ?').pluck().get(id);
    expect(key(units['Åkerns skola']!)).toBe(collationKey('Åkerns skola', country));
    const u = core.ok('unit.get', { id: units['Zetas skola']! });
    core.ok('unit.update', { id: u.id, version: u.version, unit: { parentId: u.parentId!, name: 'Zetas skola', schoolForms: u.schoolForms } });
    expect(key(u.id)).toBe(collationKey('Zetas skola', country));
  });

  it('the demo generator writes keys for every unit and group', () => {
    const missing = core.ctx.sqlite
      .prepare(`SELECT count(*) FROM (SELECT name, sort_key FROM org_unit UNION ALL SELECT name, sort_key FROM school_group) WHERE sort_key = ''`)
      .pluck()
      .get();
    expect(missing).toBe(0);
    const g = core.ctx.sqlite.prepare('SELECT name, sort_key FROM school_group LIMIT 1').get() as { name: string; sort_key: string };
    expect(g.sort_key).toBe(collationKey(g.name, country));
  });

  it('search lists units in alphabetical order', () => {
    const names = core
      .ok('search.query', { q: 'skola', limit: 100, types: ['unit'] })
      .items.map((h) => (h.type === 'unit' ? h.name : ''))
      .filter((n) => UNIT_NAMES.includes(n));
    expect(names).toEqual(EXPECTED_UNITS[country]);
  });

  it('search, a unit card and the placement list order groups alphabetically', () => {
    // Departments of one preschool renamed to names that start with the last letters (name and key as the
    // write path stores them); the demo's children in them stay.
    const s = core.ctx.sqlite;
    const unitId = s
      .prepare(
        `SELECT g.unit_id FROM school_group g JOIN placement p ON p.group_id = g.id AND p.deleted_at IS NULL
         WHERE g.kind = 'department' AND g.deleted_at IS NULL GROUP BY g.unit_id HAVING count(DISTINCT g.id) >= ? LIMIT 1`,
      )
      .pluck()
      .get(2) as string;
    const year = s.prepare(`SELECT max(school_year) FROM school_group WHERE unit_id = ? AND kind = 'department'`).pluck().get(unitId) as number;
    const groups = s.prepare(`SELECT id FROM school_group WHERE unit_id = ? AND kind = 'department' AND school_year = ? ORDER BY id`).pluck().all(unitId, year) as string[];
    const used = GROUP_NAMES.slice(0, Math.min(groups.length, GROUP_NAMES.length));
    const rename = s.prepare('UPDATE school_group SET name = ?, name_norm = ?, sort_key = ? WHERE id = ?');
    used.forEach((name, i) => rename.run(`${name} ${country}`, foldText(`${name} ${country}`), collationKey(`${name} ${country}`, country), groups[i]));
    const expected = EXPECTED_GROUPS[country].filter((n) => used.includes(n)).map((n) => `${n} ${country}`);

    const unit = core.ok('unit.get', { id: unitId });
    expect(unit.groups.filter((g) => g.schoolYear === year && g.name.endsWith(` ${country}`)).map((g) => g.name)).toEqual(expected);

    const list = core.ok('list.get', { unitId, date: `${year}-11-23`, kind: 'placements' });
    const order: string[] = [];
    for (const r of list.rows) if (r.groupName && r.groupName.endsWith(` ${country}`) && order.at(-1) !== r.groupName) order.push(r.groupName);
    expect(order).toEqual(expected.filter((n) => order.includes(n)));
    expect(order.length).toBeGreaterThan(1);

    // Search by group name prefix: every group of the unit's year whose name starts with the letter.
    const first = expected[0]!;
    const hits = core.ok('search.query', { q: first.slice(0, 3), limit: 100, types: ['group'] }).items.map((h) => (h.type === 'group' ? h.name : ''));
    expect(hits).toContain(first);
  });

  it('groups of several units come by unit in alphabetical order in search', () => {
    const s = core.ctx.sqlite;
    const year = s.prepare('SELECT max(school_year) FROM school_group').pluck().get() as number;
    const insert = s.prepare(
      `INSERT INTO school_group (id, unit_id, kind, name, name_norm, sort_key, school_year, school_form, version, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'class', ?, ?, ?, ?, 'GR', 1, 'n', 't', 'n', 't')`,
    );
    let n = 0;
    for (const unit of UNIT_NAMES) {
      const name = `Qx ${country}`;
      insert.run(`00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, units[unit], name, foldText(name), collationKey(name, country), year);
    }
    const hits = core.ok('search.query', { q: 'qx', limit: 100, types: ['group'] }).items.flatMap((h) => (h.type === 'group' ? [h.unitName] : []));
    expect(hits).toEqual(EXPECTED_UNITS[country]);
  });
});
