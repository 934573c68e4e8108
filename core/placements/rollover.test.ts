/**
 * The year rollover through the real contract (rollover.preview, rollover.commit) on a real SQLite file:
 * a small register with exact expectations (classes move up, förskoleklass into grundskola, leavers end,
 * exceptions, a second run does nothing, stale tokens, dates, scope, protected rows), and a 50 000-pupil
 * register where every pupil is checked afterwards.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { foldText } from '../../shared/text';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { seedDemoAccounts } from '../demo/accounts';
import { nextGroupName } from './rollover';
import { DEFAULT_PLACEMENT_RULES, setPlacementRules } from './rules';

const DATE = '2027-08-01';
const REC = `1, '2027-01-01T00:00:00.000Z', 'test', '2027-01-01T00:00:00.000Z', 'test'`;
type Preview = MethodOutput<'rollover.preview'>;

/** Direct, prepared inserts: fast enough for 50 000 pupils, and independent of the demo generator. */
class Register {
  readonly db;
  private readonly st;
  constructor(readonly core: TestCore) {
    const db = (this.db = core.db.sqlite);
    this.st = {
      unit: db.prepare(
        `INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_forms, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, '[]', ${REC})`,
      ),
      group: db.prepare(
        `INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${REC})`,
      ),
      person: db.prepare(
        `INSERT INTO person (id, birth_date, status, given_name, family_name, sort_key, search_text, protection, is_child, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, 'active', ?, ?, ?, ?, ?, 1, ${REC})`,
      ),
      enrol: db.prepare(
        `INSERT INTO enrolment (id, pupil_id, unit_id, group_id, school_form, grade, valid_from, valid_to, end_reason, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ${REC})`,
      ),
      member: db.prepare(
        `INSERT INTO group_membership (id, group_id, person_id, valid_from, valid_to, source_id, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ${REC})`,
      ),
      place: db.prepare(
        `INSERT INTO placement (id, child_id, unit_id, group_id, school_form, valid_from, valid_to, reason, state, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'care_need', ?, ${REC})`,
      ),
    };
  }
  private muniId: string | null = null;
  municipality(country: 'SE' | 'NO' = 'SE'): string {
    this.muniId = randomUUID();
    this.db.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'Ekdala', ?, '9999', ${REC})`).run(this.muniId, country);
    return this.muniId;
  }
  unit(name: string, kind: 'administration' | 'school_unit' = 'school_unit', parent: string | null = null): string {
    const id = randomUUID();
    this.st.unit.run(id, this.muniId, parent, kind, name, foldText(name));
    return id;
  }
  group(unit: string, name: string, grade: number | null, o: { form?: string; year?: number; kind?: string; from?: string } = {}): string {
    const id = randomUUID();
    const year = o.year ?? 2026;
    this.st.group.run(id, unit, o.kind ?? 'class', name, foldText(name), year, o.form ?? 'GR', grade, o.from ?? `${year}-08-01`, `${year + 1}-07-31`);
    return id;
  }
  person(given: string, family: string, birth = '2017-05-05', protection = 'none'): string {
    const id = randomUUID();
    this.st.person.run(id, birth, given, family, `${foldText(family)}\u0001${foldText(given)}`, foldText(`${given} ${family}`), protection);
    return id;
  }
  /** An enrolment with the class membership that follows it (source_id), as the core writes them. */
  enrol(pupil: string, unit: string, group: string, grade: number, o: { form?: string; from?: string; to?: string | null; endReason?: string | null } = {}): string {
    const id = randomUUID();
    const from = o.from ?? '2026-08-01';
    this.st.enrol.run(id, pupil, unit, group, o.form ?? 'GR', grade, from, o.to ?? null, o.endReason ?? null);
    this.st.member.run(randomUUID(), group, pupil, from, o.to ?? null, id);
    return id;
  }
  place(child: string, unit: string, group: string | null, form = 'FS', state = 'accepted', from = '2023-08-01'): void {
    this.st.place.run(randomUUID(), child, unit, group, form, from, null, state);
  }
}

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
function signIn(core: TestCore, username: string): Connection {
  const conn = core.connect('rollover-test');
  expect(data<{ state: string }>(conn.call('auth.signIn', { username, password: DEMO_PASSWORD })).state).toBe('signed_in');
  return conn;
}

/** The small register: Alléskolan (F–9), Bergaskolan, and a preschool. */
function small() {
  const core = makeTestCore({ today: '2027-06-15' });
  const r = new Register(core);
  r.municipality();
  const admin = r.unit('Utbildning', 'administration');
  const alle = r.unit('Alléskolan', 'school_unit', admin);
  const berga = r.unit('Bergaskolan', 'school_unit', admin);
  const pre = r.unit('Förskolan Ekorren', 'school_unit', admin);
  const g = {
    fa: r.group(alle, 'FA', 0, { form: 'FKLASS' }),
    a3: r.group(alle, '3A', 3),
    a6: r.group(alle, '6A', 6),
    a9: r.group(alle, '9A', 9),
    // Next year's 4A already made by a clerk: the rollover uses it rather than making a second one.
    a4next: r.group(alle, '4A', 4, { year: 2027 }),
    b3: r.group(berga, '3B', 3),
    ekorren: r.group(pre, 'Ekorren', null, { form: 'FS', kind: 'department' }),
  };
  const p = {
    anna: r.person('Anna', 'Ahl'),
    bo: r.person('Bo', 'Berg', '2017-02-02', 'se_skyddad_folkbokforing'),
    frida: r.person('Frida', 'Fors', '2020-03-03'),
    nils: r.person('Nils', 'Nord', '2011-04-04'),
    sara: r.person('Sara', 'Sjö', '2014-05-05'),
    tim: r.person('Tim', 'Tall'),
    vera: r.person('Vera', 'Vik', '2011-06-06'),
    moved: r.person('Mats', 'Mo'),
    erik: r.person('Erik', 'Ek'),
    done: r.person('Dora', 'Dahl', '2011-07-07'),
    starter: r.person('Stina', 'Start', '2021-03-01'),
    tooYoung: r.person('Ung', 'Unge', '2022-03-01'),
    alreadyPlaced: r.person('Klar', 'Klarsson', '2021-09-09'),
  };
  const e = {
    anna: r.enrol(p.anna, alle, g.a3, 3),
    bo: r.enrol(p.bo, alle, g.a3, 3),
    frida: r.enrol(p.frida, alle, g.fa, 0, { form: 'FKLASS' }),
    nils: r.enrol(p.nils, alle, g.a9, 9),
    sara: r.enrol(p.sara, alle, g.a6, 6),
    // Ends with the school year already: still moves up; the old enrolment keeps its end.
    tim: r.enrol(p.tim, alle, g.a3, 3, { to: '2027-07-31' }),
    vera: r.enrol(p.vera, alle, g.a9, 9, { to: '2027-07-31' }),
    moved: r.enrol(p.moved, alle, g.a3, 3, { to: '2027-03-01', endReason: 'moved' }),
    erik: r.enrol(p.erik, berga, g.b3, 3),
    // Left at the end of last year with a reason: a rollover has nothing to do for her.
    done: r.enrol(p.done, alle, g.a9, 9, { to: '2027-07-31', endReason: 'completed' }),
  };
  r.place(p.starter, pre, g.ekorren);
  r.place(p.tooYoung, pre, g.ekorren);
  r.place(p.alreadyPlaced, pre, g.ekorren);
  const fkNext = r.group(alle, 'FB', 0, { form: 'FKLASS', year: 2027 });
  r.enrol(p.alreadyPlaced, alle, fkNext, 0, { form: 'FKLASS', from: '2027-08-01' });
  setPlacementRules(core.ctx, { ...DEFAULT_PLACEMENT_RULES, rolloverExceptions: [{ unitId: alle, fromName: '6A', toName: '7D', toUnitId: berga }] });
  seedDemoAccounts(core.ctx);
  return { core, r, units: { alle, berga, pre }, g, p, e };
}

const enrolments = (core: TestCore, pupil: string) =>
  core.db.sqlite
    .prepare(
      `SELECT e.*, g.name AS group_name, g.school_year, g.school_form AS group_form, g.grade AS group_grade, g.unit_id AS group_unit, g.valid_from AS group_from, g.valid_to AS group_to
       FROM enrolment e LEFT JOIN school_group g ON g.id = e.group_id WHERE e.pupil_id = ? ORDER BY e.valid_from`,
    )
    .all(pupil) as Record<string, string | number | null>[];
const memberships = (core: TestCore, pupil: string) =>
  core.db.sqlite.prepare(`SELECT * FROM group_membership WHERE person_id = ? ORDER BY valid_from`).all(pupil) as Record<string, string | number | null>[];

describe('nextGroupName', () => {
  it('moves the leading grade number up and turns förskoleklass F into 1; other names stay', () => {
    expect(nextGroupName('3A', 'GR')).toBe('4A');
    expect(nextGroupName('9B', 'GR')).toBe('10B');
    expect(nextGroupName('FA', 'FKLASS')).toBe('1A');
    expect(nextGroupName('Fb', 'FKLASS')).toBe('1b');
    expect(nextGroupName('0A', 'FKLASS')).toBe('1A');
    expect(nextGroupName('NA25A', 'GY')).toBe('NA25A');
    expect(nextGroupName('1STA', 'VGS')).toBe('2STA');
  });
});

describe('rollover: a small register', () => {
  it('preview: counts per unit, every row, groups to create, nothing changed yet', () => {
    const { core, units, p } = small();
    try {
      const before = core.db.sqlite.prepare(`SELECT count(*) FROM enrolment`).pluck().get();
      const v = core.ok('rollover.preview', { date: DATE });
      expect(v.units).toEqual([
        { unitId: units.alle, unitName: 'Alléskolan', promoted: 5, leavers: 2, startingSchool: 0, groupsCreated: 2 },
        { unitId: units.berga, unitName: 'Bergaskolan', promoted: 1, leavers: 0, startingSchool: 0, groupsCreated: 1 },
        { unitId: units.pre, unitName: 'Förskolan Ekorren', promoted: 0, leavers: 0, startingSchool: 1, groupsCreated: 0 },
      ]);
      expect(v.totals).toEqual({ promoted: 6, leavers: 2, startingSchool: 1, groupsCreated: 3 });
      expect(v.token).toMatch(/^r1\.[0-9a-f]{64}$/);
      expect(v.hiddenProtected).toBe(0);
      expect(v.rowsTotal).toBe(9);
      const row = (id: string) => v.rows.find((x) => x.person.id === id);
      expect(v.rows.map((x) => [x.person.name, x.action, x.fromGroup, x.fromGrade, x.toGroup, x.toGrade, x.toUnitName])).toEqual([
        ['Fors, Frida', 'promote', 'FA', 0, '1A', 1, 'Alléskolan'],
        ['Ahl, Anna', 'promote', '3A', 3, '4A', 4, 'Alléskolan'],
        ['Berg, Bo', 'promote', '3A', 3, '4A', 4, 'Alléskolan'],
        ['Tall, Tim', 'promote', '3A', 3, '4A', 4, 'Alléskolan'],
        ['Sjö, Sara', 'promote', '6A', 6, '7D', 7, 'Bergaskolan'],
        ['Nord, Nils', 'leave', '9A', 9, null, null, null],
        ['Vik, Vera', 'leave', '9A', 9, null, null, null],
        ['Ek, Erik', 'promote', '3B', 3, '4B', 4, 'Bergaskolan'],
        ['Start, Stina', 'start_school', 'Ekorren', null, null, 0, null],
      ]);
      expect(row(p.bo)!.person).toEqual({ id: p.bo, name: 'Berg, Bo', protected: true });
      expect(core.db.sqlite.prepare(`SELECT count(*) FROM enrolment`).pluck().get()).toBe(before);
      // The same register gives the same token.
      expect(core.ok('rollover.preview', { date: DATE }).token).toBe(v.token);
    } finally {
      core.dispose();
    }
  });

  it('commit: old enrolments end the day before, new ones start in next year’s class, memberships follow, leavers complete', async () => {
    const { core, units, g, p, e } = small();
    try {
      const gen = core.ctx.generation.persons;
      const { token } = core.ok('rollover.preview', { date: DATE });
      expect(await core.jobOk('rollover.commit', { date: DATE, token })).toEqual({ promoted: 6, leavers: 2, groupsCreated: 3 });
      expect(core.ctx.generation.persons).toBeGreaterThan(gen);

      const [annaOld, annaNew] = enrolments(core, p.anna);
      expect(annaOld).toMatchObject({ id: e.anna, valid_to: '2027-07-31', end_reason: null, version: 2 });
      expect(annaNew).toMatchObject({ unit_id: units.alle, group_id: g.a4next, school_form: 'GR', grade: 4, valid_from: DATE, valid_to: null, version: 1 });
      const annaM = memberships(core, p.anna);
      expect(annaM.map((m) => [m.group_id, m.valid_from, m.valid_to, m.source_id])).toEqual([
        [g.a3, '2026-08-01', '2027-07-31', e.anna],
        [g.a4next, DATE, null, annaNew!.id],
      ]);

      // Förskoleklass FA → 1A in grundskola, a new class for school year 2027.
      const [, fridaNew] = enrolments(core, p.frida);
      expect(fridaNew).toMatchObject({ school_form: 'GR', grade: 1, group_name: '1A', school_year: 2027, group_form: 'GR', group_grade: 1, group_unit: units.alle, group_from: DATE, group_to: '2028-07-31' });
      // The exception: 6A of Alléskolan goes to 7D of Bergaskolan.
      const [saraOld, saraNew] = enrolments(core, p.sara);
      expect(saraOld!.valid_to).toBe('2027-07-31');
      expect(saraNew).toMatchObject({ unit_id: units.berga, group_name: '7D', group_unit: units.berga, grade: 7, school_year: 2027 });
      // Ended with the school year already: the old end stays, the version too; the new one starts.
      const [timOld, timNew] = enrolments(core, p.tim);
      expect(timOld).toMatchObject({ valid_to: '2027-07-31', version: 1 });
      expect(timNew).toMatchObject({ group_id: g.a4next, grade: 4, valid_from: DATE });

      for (const [pupil, id] of [
        [p.nils, e.nils],
        [p.vera, e.vera],
      ] as const) {
        const rows = enrolments(core, pupil);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ id, valid_to: '2027-07-31', end_reason: 'completed', version: 2 });
        expect(memberships(core, pupil).map((m) => m.valid_to)).toEqual(['2027-07-31']);
      }
      // Untouched: a pupil who moved in March, last year's leaver, the child starting school, the one placed by hand.
      expect(enrolments(core, p.moved)).toMatchObject([{ valid_to: '2027-03-01', end_reason: 'moved', version: 1 }]);
      expect(enrolments(core, p.done)).toMatchObject([{ version: 1 }]);
      expect(enrolments(core, p.starter)).toEqual([]);
      expect(enrolments(core, p.alreadyPlaced)).toHaveLength(1);

      // Exactly one 4A for 2027 (the existing one), and the created classes.
      const next = core.db.sqlite.prepare(`SELECT name, unit_id FROM school_group WHERE school_year = 2027 AND kind = 'class' ORDER BY name`).all();
      expect(next).toEqual([
        { name: '1A', unit_id: units.alle },
        { name: '4A', unit_id: units.alle },
        { name: '4B', unit_id: units.berga },
        { name: '7D', unit_id: units.berga },
        { name: 'FB', unit_id: units.alle },
      ]);
      // One change-log row per changed enrolment: 6 created, 5 ended here (Tim's kept its end), 2 leavers.
      const log = core.db.sqlite.prepare(`SELECT op, count(*) AS n FROM change_log WHERE entity = 'enrolment' GROUP BY op ORDER BY op`).all();
      expect(log).toEqual([
        { op: 'create', n: 6 },
        { op: 'update', n: 7 },
      ]);
      // The job is audited when it starts, when it writes (in its own transaction) and when it finishes.
      const entries = core.db.sqlite.prepare(`SELECT action, json_extract(details, '$.event') AS event FROM audit_log WHERE method = 'rollover.commit' ORDER BY seq`).all();
      expect(entries).toEqual([
        { action: 'job', event: 'started' },
        { action: 'write', event: null },
        { action: 'job', event: 'finished' },
      ]);
      const audit = core.db.sqlite.prepare(`SELECT person_ids, details, action FROM audit_log WHERE method = 'rollover.commit' AND action = 'write'`).get() as { person_ids: string; details: string; action: string };
      expect(new Set(JSON.parse(audit.person_ids))).toEqual(new Set([p.anna, p.bo, p.frida, p.tim, p.sara, p.nils, p.vera, p.erik]));
      expect(JSON.parse(audit.details).units).toEqual([
        { unitId: units.alle, unitName: 'Alléskolan', promoted: 5, leavers: 2, groupsCreated: 2 },
        { unitId: units.berga, unitName: 'Bergaskolan', promoted: 1, leavers: 0, groupsCreated: 1 },
        { unitId: units.pre, unitName: 'Förskolan Ekorren', promoted: 0, leavers: 0, groupsCreated: 0 },
      ]);

      // A second run finds nothing left to do (only the child still to be placed in school).
      const again = core.ok('rollover.preview', { date: DATE });
      expect(again.totals).toEqual({ promoted: 0, leavers: 0, startingSchool: 1, groupsCreated: 0 });
      expect(await core.jobOk('rollover.commit', { date: DATE, token: again.token })).toEqual({ promoted: 0, leavers: 0, groupsCreated: 0 });
      const open = core.db.sqlite
        .prepare(`SELECT pupil_id FROM enrolment WHERE deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= ?) GROUP BY pupil_id HAVING count(*) > 1`)
        .all(DATE);
      expect(open).toEqual([]);
    } finally {
      core.dispose();
    }
  });

  it('a stale token is refused and nothing is written', async () => {
    const { core, e } = small();
    try {
      const { token } = core.ok('rollover.preview', { date: DATE });
      // Someone corrects an enrolment after the preview.
      core.db.sqlite.prepare(`UPDATE enrolment SET grade = 4, version = version + 1 WHERE id = ?`).run(e.anna);
      const count = () => core.db.sqlite.prepare(`SELECT (SELECT count(*) FROM enrolment) || '/' || (SELECT count(*) FROM school_group) || '/' || (SELECT count(*) FROM group_membership)`).pluck().get();
      const before = count();
      expect(await core.jobErr('rollover.commit', { date: DATE, token })).toMatchObject({ code: 'rule_violation', rule: 'rollover_stale', field: 'token' });
      expect(await core.jobErr('rollover.commit', { date: DATE, token: 'r1.nonsense' })).toMatchObject({ rule: 'rollover_stale' });
      expect(count()).toBe(before);
    } finally {
      core.dispose();
    }
  });

  it('rollover_date: a day in August with last year’s classes in the units, not before next year’s classes start', async () => {
    const { core, r, units } = small();
    try {
      expect(core.err('rollover.preview', { date: '2027-07-31' })).toMatchObject({ code: 'rule_violation', rule: 'rollover_date', field: 'date' });
      expect(core.err('rollover.preview', { date: '2027-09-01' })).toMatchObject({ rule: 'rollover_date' });
      // 2029: there are no classes of 2028/29 to move up from.
      expect(core.err('rollover.preview', { date: '2029-08-01' })).toMatchObject({ rule: 'rollover_date' });
      expect(await core.jobErr('rollover.commit', { date: '2029-08-01', token: 'x' })).toMatchObject({ rule: 'rollover_date' });
      // The first school day will do as well as 1 August: the same pupils move.
      const firstDay = core.ok('rollover.preview', { date: '2027-08-16' });
      expect(firstDay.totals).toEqual({ promoted: 6, leavers: 2, startingSchool: 1, groupsCreated: 3 });
      // A class of next year that starts on the 18th: rolling over on the 16th would enrol pupils in it before it exists.
      r.group(units.alle, '2A', 2, { year: 2027, from: '2027-08-18' });
      expect(core.err('rollover.preview', { date: '2027-08-16' })).toMatchObject({ rule: 'rollover_date' });
      expect(core.ok('rollover.preview', { date: '2027-08-18' }).totals.promoted).toBe(6);
    } finally {
      core.dispose();
    }
  });

  it('rolling over on the first school day: open enrolments end the day before, those ending with the year keep their end', async () => {
    const { core, p, g } = small();
    try {
      const { token } = core.ok('rollover.preview', { date: '2027-08-16' });
      await core.jobOk('rollover.commit', { date: '2027-08-16', token });
      expect(enrolments(core, p.anna).map((e) => [e.valid_from, e.valid_to, e.grade])).toEqual([
        ['2026-08-01', '2027-08-15', 3],
        ['2027-08-16', null, 4],
      ]);
      expect(enrolments(core, p.tim).map((e) => [e.valid_from, e.valid_to])).toEqual([
        ['2026-08-01', '2027-07-31'],
        ['2027-08-16', null],
      ]);
      expect(enrolments(core, p.nils)).toMatchObject([{ valid_to: '2027-08-15', end_reason: 'completed' }]);
      // The class the rollover made lives for the school year, like every other group.
      const [, frida] = enrolments(core, p.frida);
      expect(frida).toMatchObject({ group_name: '1A', group_from: '2027-08-01', group_to: '2028-07-31', valid_from: '2027-08-16' });
      expect(memberships(core, p.anna).map((m) => [m.group_id, m.valid_from, m.valid_to])).toEqual([
        [g.a3, '2026-08-01', '2027-08-15'],
        [g.a4next, '2027-08-16', null],
      ]);
    } finally {
      core.dispose();
    }
  });

  it('rows are paged and filtered by unit and action', () => {
    const { core, r, units } = small();
    try {
      const page = core.ok('rollover.preview', { date: DATE, offset: 1, limit: 2 });
      expect(page.rowsTotal).toBe(9);
      expect(page.rows.map((x) => x.person.name)).toEqual(['Ahl, Anna', 'Berg, Bo']);
      const leavers = core.ok('rollover.preview', { date: DATE, action: 'leave' });
      expect(leavers.rows.map((x) => x.person.name)).toEqual(['Nord, Nils', 'Vik, Vera']);
      expect(leavers.totals.promoted).toBe(6);
      expect(core.ok('rollover.preview', { date: DATE, rowsUnitId: units.berga }).rows.map((x) => x.person.name)).toEqual(['Ek, Erik']);
      // Named units are counted even with nothing to do; the others are not in the plan at all.
      const empty = r.unit('Tomma skolan');
      const named = core.ok('rollover.preview', { date: DATE, unitIds: [units.berga, empty] });
      expect(named.units.map((u) => [u.unitName, u.promoted, u.leavers, u.startingSchool, u.groupsCreated])).toEqual([
        ['Bergaskolan', 1, 0, 0, 1],
        ['Tomma skolan', 0, 0, 0, 0],
      ]);
      expect(named.rows.map((x) => x.person.name)).toEqual(['Ek, Erik']);
    } finally {
      core.dispose();
    }
  });

  it('scope: a unit clerk rolls over their own unit only, needs scope for an exception’s target unit, and sees protected pupils as a count', async () => {
    const { core, units, p } = small();
    try {
      const conn = signIn(core, 'clerk');
      // Alléskolan's exception sends 6A to Bergaskolan, which is outside this clerk's units.
      expect(conn.call('rollover.preview', { date: DATE })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      setPlacementRules(core.ctx, DEFAULT_PLACEMENT_RULES);
      const v = data<Preview>(conn.call('rollover.preview', { date: DATE }));
      expect(v.units.map((u) => u.unitId)).toEqual([units.alle]);
      expect(v.units[0]).toMatchObject({ promoted: 5, leavers: 2, groupsCreated: 2 });
      expect(v.rows.map((x) => x.person.id)).not.toContain(p.bo);
      expect(v.hiddenProtected).toBe(1);
      expect(v.rows.find((x) => x.person.id === p.sara)).toMatchObject({ toGroup: '7A', toUnitName: 'Alléskolan' });
      expect(conn.call('rollover.preview', { date: DATE, unitIds: [units.berga] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await conn.callAsync('rollover.commit', { date: DATE, unitIds: [units.berga], token: v.token })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(core.err('rollover.preview', { date: DATE, unitIds: [randomUUID()] })).toMatchObject({ code: 'validation', field: 'unitIds' });
      const started = data<MethodOutput<'rollover.commit'>>(await conn.callAsync('rollover.commit', { date: DATE, token: v.token }));
      const done = await core.services.jobs.wait(started.jobId);
      expect(done).toMatchObject({ state: 'succeeded', result: { promoted: 5, leavers: 2, groupsCreated: 2 } });
      // Bergaskolan was not touched.
      expect(enrolments(core, p.erik)).toHaveLength(1);
      // A role without the rollover permission is refused at the door.
      const fee = signIn(core, 'fee');
      expect(fee.call('rollover.preview', { date: DATE })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      core.dispose();
    }
  });

  it('a clerk who may also see protected persons gets the protected pupil’s row', () => {
    const { core, p } = small();
    try {
      const conn = signIn(core, 'protected');
      // clerk (all units) + protected_handler: sees Bo's row.
      const v = data<Preview>(conn.call('rollover.preview', { date: DATE }));
      expect(v.hiddenProtected).toBe(0);
      expect(v.rows.map((x) => x.person.id)).toContain(p.bo);
    } finally {
      core.dispose();
    }
  });
});

describe('rollover: 50 000 pupils', () => {
  it(
    'moves every pupil of a large register up (or out) and keeps enrolments and memberships in step',
    async () => {
      const core = makeTestCore({ today: '2027-06-15' });
      try {
        const r = new Register(core);
        const db = r.db;
        const UNITS = 40;
        const CLASSES = 5;
        const PER_CLASS = 25;
        const letters = 'ABCDE';
        /** pupil → what they were before the rollover. */
        const before = new Map<string, { unit: string; grade: number; group: string; name: string; enrolment: string; endsWithYear: boolean }>();
        const t0 = performance.now();
        db.transaction(() => {
          r.municipality();
          const admin = r.unit('Utbildning', 'administration');
          let n = 0;
          for (let u = 0; u < UNITS; u++) {
            const unit = r.unit(`Skola ${String(u).padStart(2, '0')}`, 'school_unit', admin);
            for (let grade = 0; grade <= 9; grade++) {
              for (let c = 0; c < CLASSES; c++) {
                const name = grade === 0 ? `F${letters[c]}` : `${grade}${letters[c]}`;
                const group = r.group(unit, name, grade, { form: grade === 0 ? 'FKLASS' : 'GR' });
                for (let i = 0; i < PER_CLASS; i++) {
                  const pupil = r.person(`Elev${n}`, `Familj${n % 1000}`, `${2020 - grade}-0${1 + (n % 9)}-1${n % 10}`);
                  // Every tenth enrolment was written to end with the school year; the rest are open-ended.
                  const endsWithYear = n % 10 === 0;
                  const enrolment = r.enrol(pupil, unit, group, grade, { form: grade === 0 ? 'FKLASS' : 'GR', to: endsWithYear ? '2027-07-31' : null });
                  before.set(pupil, { unit, grade, group, name, enrolment, endsWithYear });
                  n++;
                }
              }
            }
          }
        })();
        expect(before.size).toBe(50_000);
        const built = performance.now();

        const preview = core.ok('rollover.preview', { date: DATE });
        const previewed = performance.now();
        expect(preview.totals).toEqual({ promoted: 45_000, leavers: 5_000, startingSchool: 0, groupsCreated: UNITS * 9 * CLASSES });
        const result = await core.jobOk('rollover.commit', { date: DATE, token: preview.token });
        const committed = performance.now();
        expect(result).toEqual({ promoted: 45_000, leavers: 5_000, groupsCreated: UNITS * 9 * CLASSES });
        // A yardstick for the machine the numbers come from (CI runners and loaded laptops differ tenfold).
        const byId = db.prepare(`SELECT id, given_name FROM person WHERE id = ?`);
        const ids = [...before.keys()];
        const tb = performance.now();
        for (const id of ids) byId.get(id);
        const yardstick = performance.now() - tb;
        console.log(
          `rollover of 50 000 pupils: build ${(built - t0).toFixed(0)} ms, preview ${(previewed - built).toFixed(0)} ms, commit (plan + apply + audit) ${(committed - previewed).toFixed(0)} ms; yardstick: 50 000 reads by id ${yardstick.toFixed(0)} ms`,
        );

        // Every pupil, one by one.
        const enrolRows = db
          .prepare(
            `SELECT e.id, e.pupil_id, e.unit_id, e.group_id, e.school_form, e.grade, e.valid_from, e.valid_to, e.end_reason, g.name AS group_name, g.school_year, g.unit_id AS group_unit,
               g.school_form AS group_form, g.grade AS group_grade
             FROM enrolment e JOIN school_group g ON g.id = e.group_id ORDER BY e.pupil_id, e.valid_from`,
          )
          .all() as { id: string; pupil_id: string; unit_id: string; group_id: string; school_form: string; grade: number; valid_from: string; valid_to: string | null; end_reason: string | null; group_name: string; school_year: number; group_unit: string; group_form: string; group_grade: number }[];
        const memberRows = db.prepare(`SELECT person_id, group_id, valid_from, valid_to, source_id FROM group_membership ORDER BY person_id, valid_from`).all() as {
          person_id: string;
          group_id: string;
          valid_from: string;
          valid_to: string | null;
          source_id: string;
        }[];
        const byPupil = <T extends object>(rows: T[], key: keyof T) => {
          const m = new Map<string, T[]>();
          for (const x of rows) {
            const k = x[key] as string;
            let l = m.get(k);
            if (!l) m.set(k, (l = []));
            l.push(x);
          }
          return m;
        };
        const enr = byPupil(enrolRows, 'pupil_id');
        const mem = byPupil(memberRows, 'person_id');
        let checked = 0;
        for (const [pupil, was] of before) {
          const es = enr.get(pupil) ?? [];
          const ms = mem.get(pupil) ?? [];
          const old = es[0]!;
          expect(old.id).toBe(was.enrolment);
          expect(old.valid_to).toBe('2027-07-31');
          expect(ms[0]).toMatchObject({ group_id: was.group, valid_to: '2027-07-31', source_id: was.enrolment });
          if (was.grade === 9) {
            expect(es).toHaveLength(1);
            expect(ms).toHaveLength(1);
            expect(old.end_reason).toBe('completed');
          } else {
            expect(es).toHaveLength(2);
            expect(ms).toHaveLength(2);
            expect(old.end_reason).toBeNull();
            const next = es[1]!;
            const name = was.grade === 0 ? `1${was.name.slice(1)}` : `${was.grade + 1}${was.name.slice(1)}`;
            expect(next).toMatchObject({ unit_id: was.unit, group_unit: was.unit, school_form: 'GR', grade: was.grade + 1, valid_from: DATE, valid_to: null, group_name: name, school_year: 2027, group_form: 'GR', group_grade: was.grade + 1 });
            expect(ms[1]).toEqual({ person_id: pupil, group_id: next.group_id, valid_from: DATE, valid_to: null, source_id: next.id });
          }
          checked++;
        }
        expect(checked).toBe(50_000);
        expect(db.prepare(`SELECT count(*) FROM enrolment`).pluck().get()).toBe(95_000);
        const twoOpen = db.prepare(`SELECT count(*) FROM (SELECT pupil_id FROM enrolment WHERE valid_to IS NULL GROUP BY pupil_id HAVING count(*) > 1)`).pluck().get();
        expect(twoOpen).toBe(0);
        // One class per name per unit for the new year.
        expect(db.prepare(`SELECT count(*) FROM (SELECT unit_id, name FROM school_group WHERE school_year = 2027 GROUP BY unit_id, name HAVING count(*) > 1)`).pluck().get()).toBe(0);
        // One change-log row per changed enrolment: each new one, each old one whose end moved, each leaver.
        const endMoved = [...before.values()].filter((w) => w.grade < 9 && !w.endsWithYear).length;
        expect(db.prepare(`SELECT op, count(*) AS n FROM change_log WHERE entity = 'enrolment' GROUP BY op ORDER BY op`).all()).toEqual([
          { op: 'create', n: 45_000 },
          { op: 'update', n: endMoved + 5_000 },
        ]);
      } finally {
        core.dispose();
      }
    },
    120_000,
  );
});
