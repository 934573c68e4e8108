/**
 * The care benchmarks (issue 4), used by bench.ts: a child's card with ten years of history, a class list
 * with guardians' contacts for a unit of over 500 pupils, and the year rollover of 50 000 pupils.
 *
 * The ten-year child is recorded through the core API as the trusted administrator, the way a clerk would
 * build the history (placements, transfers, enrolments, guardianship changes, shared residence), so
 * its card holds what the handlers themselves wrote. The rollover runs on copies of the benchmark database:
 * once through the core (preview, then commit) and once as the equivalent set-based SQL on bare
 * better-sqlite3 (the floor), which must touch the same rows.
 */
import { closeSync, copyFileSync, fsyncSync, openSync, readSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { createCore, type Core } from '../../core/app';
import { auditSidecarFiles } from '../../core/audit/sink';
import { fixedClock } from '../../core/context';
import { addDays, schoolYearOf } from '../../core/dates';
import { applyPragmas } from '../../db/open';
import { makeSwedishPersonnummer } from '../../shared/identity';

type Row = Record<string, unknown>;

/** A successful call's data, or an error naming the method and the core's message. */
export function must<T = Row>(core: Core, method: string, input: unknown): T {
  const r = core.call(method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}${r.error.field ? ` (${r.error.field})` : ''}`);
  return r.data as T;
}

/**
 * Records a child with ten years of history in the benchmark database and returns its id. Born 2012;
 * preschool from 2013 (moved to another preschool in 2015), förskoleklass and fritidshem from 2018, a move
 * to another school in January 2021 (enrolment and fritidshem transferred), now in grade 8 with a class;
 * the father moved out in 2016, shared residence from 2019, his new partner in his household from 2020.
 */
export function tenYearChild(core: Core, log: (s: string) => void): string {
  const sqlite = core.ctx.sqlite;
  const t0 = performance.now();
  const version = (table: 'placement' | 'enrolment' | 'household_member', id: string) =>
    sqlite.prepare(`SELECT version FROM ${table} WHERE id = ?`).pluck().get(id) as number;
  const hasForm = (form: string) => `EXISTS (SELECT 1 FROM json_each(u.school_forms) f WHERE f.value = '${form}')`;
  const preschools = sqlite.prepare(`SELECT u.id FROM org_unit u WHERE u.kind = 'school_unit' AND ${hasForm('FS')} ORDER BY u.name_norm LIMIT 2`).pluck().all() as string[];
  // The school the child is in now needs last year's grade 7 and this year's grade 8 classes.
  const classOf = sqlite.prepare(`SELECT id FROM school_group WHERE unit_id = ? AND school_year = ? AND grade = ? AND kind = 'class' AND school_form = 'GR' ORDER BY name LIMIT 1`).pluck();
  const schools = sqlite.prepare(`SELECT u.id FROM org_unit u WHERE u.kind = 'school_unit' AND ${hasForm('GR')} AND ${hasForm('FTH')} ORDER BY u.name_norm LIMIT 40`).pluck().all() as string[];
  const s2 = schools.find((u) => classOf.get(u, 2025, 7) && classOf.get(u, 2026, 8));
  const s1 = schools.find((u) => u !== s2);
  if (preschools.length < 2 || !s1 || !s2) throw new Error('the benchmark database lacks two preschools and two schools with grade 7 and 8 classes');
  const [p1, p2] = preschools as [string, string];

  const usedId = sqlite.prepare(`SELECT 1 FROM person WHERE id_canonical = ?`).pluck();
  let serial = 101;
  const personnummer = (birth: string) => {
    for (; serial < 999; serial++) {
      const c = makeSwedishPersonnummer(birth, serial);
      if (!usedId.get(c)) return c;
    }
    throw new Error(`no free personnummer for ${birth}`);
  };
  const person = (given: string, family: string, birth: string, adult: boolean) =>
    must<{ id: string }>(core, 'person.create', {
      identityNumber: personnummer(birth),
      givenName: given,
      familyName: family,
      ...(adult
        ? {
            addresses: [{ kind: 'registered', street: 'Benchvägen 10', postalCode: '123 45', city: 'Ekdala', country: 'SE' }],
            contacts: [
              { kind: 'mobile', value: '070-123 45 67' },
              { kind: 'email', value: `${given.toLowerCase()}.bench@demo.invalid` },
            ],
          }
        : {}),
    }).id;
  const mother = person('Tindra', 'Tiohall', '1984-05-02', true);
  const father = person('Tor', 'Tiohall', '1982-09-20', true);
  const partner = person('Tilde', 'Åkerlund', '1986-01-11', true);
  const child = person('Tea', 'Tiohall', '2012-03-14', false);

  // Guardians: both from birth, invoiced half each; the father moves out in September 2016 (the mother
  // takes the whole invoice), shared residence from 2019 (half each again). Shares are lowered before they
  // are raised, so the child's total never passes 100 %.
  const g = (guardianId: string) =>
    must<{ id: string; version: number }>(core, 'guardianship.create', { childId: child, guardianId, kind: 'vardnadshavare', livesWith: true, invoiceShare: 50, validFrom: '2012-03-14' });
  let gm = g(mother);
  let gf = g(father);
  const change = (row: { id: string; version: number }, effectiveFrom: string, facts: { livesWith: boolean; invoiceShare: number }) =>
    must<{ id: string; version: number }>(core, 'guardianship.update', { id: row.id, version: row.version, mode: 'change', effectiveFrom, ...facts });
  gf = change(gf, '2016-09-01', { livesWith: false, invoiceShare: 0 });
  gm = change(gm, '2016-09-01', { livesWith: true, invoiceShare: 100 });
  change(gm, '2019-01-01', { livesWith: true, invoiceShare: 50 });
  change(gf, '2019-01-01', { livesWith: true, invoiceShare: 50 });

  // Households: the family's, the father's own from the move, the child in both from 2019, his partner later.
  const memberOf = (household: string, personId: string) =>
    sqlite.prepare(`SELECT id FROM household_member WHERE household_id = ? AND person_id = ? AND valid_to IS NULL`).pluck().get(household, personId) as string;
  const h1 = must<{ id: string }>(core, 'household.create', {
    validFrom: '2012-03-14',
    members: [
      { personId: mother, role: 'adult' },
      { personId: father, role: 'adult' },
      { personId: child, role: 'child' },
    ],
  }).id;
  const endMember = (household: string, personId: string, validTo: string) => {
    const id = memberOf(household, personId);
    must(core, 'household.endMember', { id, version: version('household_member', id), validTo });
  };
  endMember(h1, father, '2016-08-31');
  const h2 = must<{ id: string }>(core, 'household.create', { validFrom: '2016-09-01', members: [{ personId: father, role: 'adult' }] }).id;
  endMember(h1, child, '2018-12-31');
  must(core, 'household.addMember', { householdId: h1, personId: child, role: 'child', shared: true, validFrom: '2019-01-01' });
  must(core, 'household.addMember', { householdId: h2, personId: child, role: 'child', shared: true, validFrom: '2019-01-01' });
  must(core, 'household.addMember', { householdId: h2, personId: partner, role: 'adult', validFrom: '2020-05-01' });

  // Preschool from 2013 (an offer's answer date cannot lie in the past, so the history is recorded as the
  // placement itself), moved to another preschool in 2015, ended when school starts.
  const fs1 = must<{ id: string }>(core, 'placement.create', {
    childId: child,
    unitId: p1,
    schoolForm: 'FS',
    validFrom: '2013-08-19',
    weeklyHours: 40,
    reason: 'care_need',
    ownerIds: [mother, father],
  }).id;
  const fs2 = must<{ newId: string }>(core, 'placement.transfer', { id: fs1, version: version('placement', fs1), date: '2015-08-17', toUnitId: p2, weeklyHours: 35 }).newId;
  must(core, 'placement.update', { id: fs2, version: version('placement', fs2), validTo: '2018-07-31' });

  // Fritidshem from förskoleklass, moved with the pupil in January 2021, ended after grade 3.
  const fth = must<{ id: string }>(core, 'placement.create', {
    childId: child,
    unitId: s1,
    schoolForm: 'FTH',
    validFrom: '2018-08-20',
    weeklyHours: 20,
    reason: 'care_need',
    ownerIds: [mother, father],
  }).id;
  const fth2 = must<{ newId: string }>(core, 'placement.transfer', { id: fth, version: version('placement', fth), date: '2021-01-11', toUnitId: s2 }).newId;
  must(core, 'placement.update', { id: fth2, version: version('placement', fth2), validTo: '2022-07-31' });

  // School: one enrolment per school year, a transfer mid-year, classes for the last two years.
  const enrol = (unitId: string, schoolForm: string, grade: number, validFrom: string, validTo: string | null, groupId: string | null = null) =>
    must<{ id: string }>(core, 'enrolment.create', { pupilId: child, unitId, groupId, schoolForm, grade, validFrom, validTo }).id;
  enrol(s1, 'FKLASS', 0, '2018-08-20', '2019-07-31');
  enrol(s1, 'GR', 1, '2019-08-19', '2020-07-31');
  const second = enrol(s1, 'GR', 2, '2020-08-17', null);
  const moved = must<{ newId: string }>(core, 'enrolment.transfer', { id: second, version: version('enrolment', second), date: '2021-01-11', toUnitId: s2 }).newId;
  must(core, 'enrolment.update', { id: moved, version: version('enrolment', moved), validTo: '2021-07-31' });
  const starts = ['2021-08-16', '2022-08-15', '2023-08-21', '2024-08-19', '2025-08-18', '2026-08-18'];
  starts.forEach((from, i) => {
    const grade = 3 + i;
    const year = 2021 + i;
    const group = year >= 2025 ? (classOf.get(s2, year, grade) as string) : null;
    enrol(s2, 'GR', grade, from, year === 2026 ? null : `${year + 1}-07-31`, group);
  });

  log(`  recorded the ten-year child through the core API in ${Math.round(performance.now() - t0)} ms`);
  return child;
}

/** The compulsory school (grundskola / grunnskole) with the most pupils in a class at `date`. */
export function largestUnit(sqlite: Database.Database, date: string): { id: string; name: string; pupils: number } {
  return sqlite
    .prepare(
      `SELECT u.id, u.name, count(*) AS pupils FROM enrolment e JOIN org_unit u ON u.id = e.unit_id
       WHERE e.deleted_at IS NULL AND e.valid_from <= ? AND (e.valid_to IS NULL OR e.valid_to >= ?) AND e.group_id IS NOT NULL
         AND EXISTS (SELECT 1 FROM json_each(u.school_forms) f WHERE f.value IN ('GR', 'GSK'))
       GROUP BY u.id ORDER BY pupils DESC LIMIT 1`,
    )
    .get(date, date) as { id: string; name: string; pupils: number };
}

export interface RolloverRun {
  units: number;
  pupils: number;
  previewMs: number;
  commitMs: number;
  floorMs: number;
  core: { promoted: number; leavers: number; groupsCreated: number };
  floor: { promoted: number; leavers: number; groupsCreated: number };
  /** Person-card latencies (ms) through the async dispatch while the commit job ran. */
  cardDuring: number[];
}

/** School units in name order until their pupils in this year's classes reach `atLeast`. */
function rolloverUnits(sqlite: Database.Database, year: number, atLeast: number): { ids: string[]; pupils: number } {
  const rows = sqlite
    .prepare(
      `SELECT g.unit_id AS id, count(*) AS n FROM school_group g JOIN enrolment e ON e.group_id = g.id JOIN org_unit u ON u.id = g.unit_id
       WHERE g.school_year = ? AND g.kind = 'class' AND e.valid_to IS NULL AND e.deleted_at IS NULL GROUP BY g.unit_id ORDER BY u.name_norm, u.id`,
    )
    .all(year) as { id: string; n: number }[];
  const ids: string[] = [];
  let pupils = 0;
  for (const r of rows) {
    if (pupils >= atLeast) break;
    ids.push(r.id);
    pupils += r.n;
  }
  return { ids, pupils };
}

const SQL_UUID = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

/**
 * The rollover as set-based SQL: the same candidates as the core (this year's classes in the units, open
 * through the year end, no later enrolment), the final grades leave, everyone else moves to next year's
 * class (created), with a change record for every write (classes, enrolments and group memberships, with
 * their values, as the core's write path keeps them), in one transaction. No audit entry.
 */
function rolloverFloor(file: string, unitIds: string[], date: string, now: string): { ms: number; promoted: number; leavers: number; groupsCreated: number } {
  const db = new Database(file);
  applyPragmas(db);
  const S = schoolYearOf(date);
  const prev = addDays(date, -1);
  const reach = prev < `${S}-07-31` ? prev : `${S}-07-31`;
  const units = JSON.stringify(unitIds).replace(/'/g, "''");
  const actor = 'bench-floor';
  const script = `
    CREATE TEMP TABLE roll_e AS
      SELECT e.id, e.version, e.pupil_id, e.grade, e.school_form, e.group_id, g.unit_id, g.name, g.school_form AS gform, g.grade AS ggrade,
        (e.school_form <> 'FKLASS' AND e.grade >= CASE e.school_form WHEN 'GR' THEN 9 WHEN 'GRS' THEN 9 WHEN 'GSK' THEN 10 WHEN 'GY' THEN 3 WHEN 'VGS' THEN 3 WHEN 'GYS' THEN 4 ELSE 99 END) AS leaves
      FROM school_group g JOIN enrolment e ON e.group_id = g.id JOIN person p ON p.id = e.pupil_id
      WHERE g.unit_id IN (SELECT value FROM json_each('${units}')) AND g.school_year = ${S - 1} AND g.kind = 'class' AND g.deleted_at IS NULL
        AND e.deleted_at IS NULL AND p.deleted_at IS NULL AND e.valid_from <= '${prev}' AND (e.valid_to IS NULL OR e.valid_to >= '${reach}')
        AND NOT EXISTS (SELECT 1 FROM enrolment n WHERE n.pupil_id = e.pupil_id AND n.deleted_at IS NULL AND n.id <> e.id AND n.valid_from > e.valid_from);
    CREATE TEMP TABLE roll_g AS
      SELECT old_id, unit_id, name, form, grade, ${SQL_UUID} AS new_id FROM (
        SELECT DISTINCT group_id AS old_id, unit_id,
          CASE WHEN name GLOB '[0-9]*' THEN (CAST(substr(name, 1, length(name) - length(ltrim(name, '0123456789'))) AS INTEGER) + 1) || ltrim(name, '0123456789')
               WHEN gform = 'FKLASS' AND name GLOB 'F*' THEN '1' || substr(name, 2) ELSE name END AS name,
          CASE gform WHEN 'FKLASS' THEN 'GR' ELSE gform END AS form, coalesce(ggrade, grade) + 1 AS grade
        FROM roll_e WHERE NOT leaves);
    INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
      SELECT new_id, unit_id, 'class', name, lower(name), ${S}, form, grade, '${date}', '${S + 1}-07-31', 1, '${now}', '${actor}', '${now}', '${actor}' FROM roll_g;
    INSERT INTO change_log (entity, entity_id, person_id, version, op, fields, changes, actor, at)
      SELECT 'school_group', new_id, NULL, 1, 'create', '["name","schoolYear","schoolForm","grade","validFrom","validTo"]',
        json_object('name', json_array(NULL, name), 'schoolYear', json_array(NULL, ${S}), 'schoolForm', json_array(NULL, form), 'grade', json_array(NULL, grade), 'validFrom', json_array(NULL, '${date}'), 'validTo', json_array(NULL, '${S + 1}-07-31')),
        '${actor}', '${now}' FROM roll_g;
    UPDATE enrolment SET valid_to = '${prev}', end_reason = CASE WHEN roll_e.leaves THEN 'completed' ELSE enrolment.end_reason END,
      version = enrolment.version + 1, updated_at = '${now}', updated_by = '${actor}'
      FROM roll_e WHERE roll_e.id = enrolment.id;
    INSERT INTO change_log (entity, entity_id, person_id, version, op, fields, changes, actor, at)
      SELECT 'enrolment', id, pupil_id, version + 1, 'update', CASE WHEN leaves THEN '["validTo","endReason"]' ELSE '["validTo"]' END,
        json_object('validTo', json_array(NULL, '${prev}')), '${actor}', '${now}' FROM roll_e;
    CREATE TEMP TABLE roll_m AS SELECT id, person_id, version FROM group_membership
      WHERE source_id IN (SELECT id FROM roll_e) AND deleted_at IS NULL AND valid_from <= '${prev}' AND (valid_to IS NULL OR valid_to > '${prev}');
    UPDATE group_membership SET valid_to = '${prev}', version = version + 1, updated_at = '${now}', updated_by = '${actor}'
      WHERE id IN (SELECT id FROM roll_m);
    INSERT INTO change_log (entity, entity_id, person_id, version, op, fields, changes, actor, at)
      SELECT 'group_membership', id, person_id, version + 1, 'update', '["validTo"]', json_object('validTo', json_array(NULL, '${prev}')), '${actor}', '${now}' FROM roll_m;
    CREATE TEMP TABLE roll_n AS
      SELECT ${SQL_UUID} AS id, e.pupil_id, g.unit_id, g.new_id AS group_id, CASE e.school_form WHEN 'FKLASS' THEN 'GR' ELSE e.school_form END AS form, e.grade + 1 AS grade
      FROM roll_e e JOIN roll_g g ON g.old_id = e.group_id;
    INSERT INTO enrolment (id, pupil_id, unit_id, group_id, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
      SELECT id, pupil_id, unit_id, group_id, form, grade, '${date}', NULL, 1, '${now}', '${actor}', '${now}', '${actor}' FROM roll_n;
    INSERT INTO change_log (entity, entity_id, person_id, version, op, fields, changes, actor, at)
      SELECT 'enrolment', id, pupil_id, 1, 'create', '["unitId","groupId","schoolForm","grade","validFrom","validTo"]',
        json_object('unitId', json_array(NULL, unit_id), 'groupId', json_array(NULL, group_id), 'schoolForm', json_array(NULL, form), 'grade', json_array(NULL, grade), 'validFrom', json_array(NULL, '${date}')),
        '${actor}', '${now}' FROM roll_n;
    CREATE TEMP TABLE roll_nm AS SELECT ${SQL_UUID} AS id, group_id, pupil_id, id AS source_id FROM roll_n;
    INSERT INTO group_membership (id, group_id, person_id, valid_from, valid_to, source_id, version, created_at, created_by, updated_at, updated_by)
      SELECT id, group_id, pupil_id, '${date}', NULL, source_id, 1, '${now}', '${actor}', '${now}', '${actor}' FROM roll_nm;
    INSERT INTO change_log (entity, entity_id, person_id, version, op, fields, changes, actor, at)
      SELECT 'group_membership', id, pupil_id, 1, 'create', '["groupId","personId","validFrom","sourceId"]',
        json_object('groupId', json_array(NULL, group_id), 'personId', json_array(NULL, pupil_id), 'validFrom', json_array(NULL, '${date}'), 'sourceId', json_array(NULL, source_id)),
        '${actor}', '${now}' FROM roll_nm;
  `;
  try {
    const t0 = process.hrtime.bigint();
    db.transaction(() => db.exec(script))();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const n = (sql: string) => db.prepare(sql).pluck().get() as number;
    return { ms, promoted: n(`SELECT count(*) FROM temp.roll_n`), leavers: n(`SELECT count(*) FROM temp.roll_e WHERE leaves`), groupsCreated: n(`SELECT count(*) FROM temp.roll_g`) };
  } finally {
    db.close();
  }
}

/**
 * Copies a closed, checkpointed database file (the WAL is empty, so the main file is the whole database),
 * then reads the copy once: the kernel may copy without the page cache, and a cold copy would measure the
 * disk instead of the rollover (the benchmark database itself is warm from the measurements before). And
 * flushes it to disk: otherwise the kernel writes the copy's 1.7 GB back while the next measurement runs,
 * which made the rollover vary by several seconds from run to run (10.0–15.7 s, floors 6.3–8.4 s).
 */
export function copyDatabase(from: string, to: string): void {
  const db = new Database(from);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  removeDatabase(to);
  copyFileSync(from, to);
  const fd = openSync(to, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 24);
    while (readSync(fd, buf, 0, buf.length, null) > 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function removeDatabase(file: string): void {
  for (const ext of ['', '-wal', '-shm']) rmSync(file + ext, { force: true });
  // Its audit anchor file and pending journal too: stale anchors would not match the next copy's log.
  const { anchorPath, pendingPath } = auditSidecarFiles(file);
  for (const f of [anchorPath, pendingPath, `${pendingPath}-wal`, `${pendingPath}-shm`]) rmSync(f, { force: true });
}

/**
 * One rollover of at least `pupils` pupils: preview and commit through the core on one copy, the floor on
 * another. The database file must be closed. The commit runs as a job (a worker thread); while it runs, the
 * person card is asked for again and again through the async dispatch, as a clerk's screen would, and
 * its latencies are returned: the core must keep answering.
 */
export async function rolloverOnce(file: string, today: string, pupils: number): Promise<RolloverRun> {
  const date = `${schoolYearOf(today) + 1}-08-01`;
  const viaCore = `${file}.rollover-core`;
  const viaSql = `${file}.rollover-floor`;
  copyDatabase(file, viaCore);
  copyDatabase(file, viaSql);
  try {
    const core = createCore({ dbPath: viaCore, clock: fixedClock(today), validateOutputs: false, backupBeforeMigrate: false });
    let run: Omit<RolloverRun, 'floorMs' | 'floor'>;
    let unitIds: string[];
    try {
      const chosen = rolloverUnits(core.ctx.sqlite, schoolYearOf(today), pupils);
      unitIds = chosen.ids;
      const cardIds = core.ctx.sqlite.prepare(`SELECT id FROM person WHERE rowid % 991 = 7 LIMIT 200`).pluck().all() as string[];
      const t0 = process.hrtime.bigint();
      const preview = must<{ token: string }>(core, 'rollover.preview', { date, unitIds, limit: 100 });
      const t1 = process.hrtime.bigint();
      const started = await core.callAsync('rollover.commit', { date, unitIds, token: preview.token });
      if (!started.ok) throw new Error(`rollover.commit failed: ${started.error.message}`);
      const jobId = (started.data as { jobId: string }).jobId;
      let finished = false;
      const ended = core.services.jobs.wait(jobId).then((j) => {
        finished = true;
        return j;
      });
      const during: number[] = [];
      for (let i = 0; !finished; i++) {
        const c0 = process.hrtime.bigint();
        const r = await core.callAsync('person.get', { id: cardIds[i % cardIds.length]! });
        if (!r.ok) throw new Error(`person.get during the rollover failed: ${r.error.message}`);
        during.push(Number(process.hrtime.bigint() - c0) / 1e6);
        await new Promise((ok) => setTimeout(ok, 5));
      }
      const job = await ended;
      const t2 = process.hrtime.bigint();
      if (job.state !== 'succeeded') throw new Error(`the rollover job ${job.state}: ${job.error?.message ?? ''}`);
      run = { units: unitIds.length, pupils: chosen.pupils, previewMs: Number(t1 - t0) / 1e6, commitMs: Number(t2 - t1) / 1e6, core: job.result as RolloverRun['core'], cardDuring: during };
    } finally {
      core.close();
    }
    const floor = rolloverFloor(viaSql, unitIds, date, new Date().toISOString());
    return { ...run, floorMs: floor.ms, floor: { promoted: floor.promoted, leavers: floor.leavers, groupsCreated: floor.groupsCreated } };
  } finally {
    removeDatabase(viaCore);
    removeDatabase(viaSql);
  }
}
