/**
 * The one write path. Every insert, update, soft delete and (for corrections of a mistaken row) delete of
 * a register record goes through these functions, inside the caller's transaction. Each one
 * - bumps `version` (optimistic concurrency, sync) and sets `updated_at` / `updated_by`;
 * - appends ONE change record to `change_log` in the same transaction: table, id, new version, operation,
 *   the changed columns with their values before and after (as stored: booleans as 0/1, JSON as text),
 *   the person(s) the record concerns, the actor, the time and the call's mutation id.
 *
 * That change log is the record history (the card's "Ändringar"), and it is shaped to be shipped as the
 * sync outbox as it is: a mutation id groups the records one user action changed, each with its version
 * and its before/after (the central-server issue reads it from `seq` onwards). It therefore holds the
 * values, addresses of protected persons included, exactly like the tables it mirrors: it is register data,
 * never shown raw (the card's history lists field names only) and never copied into the audit log.
 *
 * Users: every domain write (persons and their names, addresses and contacts; guardianships, households;
 * placements, enrolments, group memberships, applications; units; user accounts and role assignments), the
 * year rollover and the imports. A handler passes its call's mutation id in its `Writer`; a job's writes
 * carry none (null): a job is not a client's retryable action (the call that started it, with its
 * mutation id, is on the job row), and its records are shipped one by one.
 *
 * Deliberately not here, and why:
 * - Child collections without identity of their own (placement_owner, application_choice) are written by
 *   their parent's code and logged on the parent's change record as an `extra` change (`owner_ids`,
 *   `choices`: the list before and after), so the outbox ships them with the parent's version.
 * - Derived data is not a record: the search index (person_name_token, person_fts) is rebuilt from the
 *   records, `person.shielded` is recomputed by core/register/shielding.ts, and the role flags
 *   (`person.is_child` / `is_guardian`) only say that a placement or guardianship exists. Each is written
 *   directly, next to the record write it follows from, and can be rebuilt from the records.
 * - Settings are not records: the placement rules and the idle-lock policy live in app_meta.
 * - Sign-in bookkeeping on user_account (failed_attempts, locked_until, last_sign_in_at, totp_last_step)
 *   is operational state of this workstation, not a register fact; a change record per sign-in attempt
 *   would flood the outbox (core/access/accounts.ts).
 * - The demo generator seeds a fresh synthetic database in bulk.
 *
 * The bulk form, `insertRecordsFrom`, writes the same rows and the same change records for every row of a
 * SELECT in two statements: a population-register load of 500 000 persons creates about 1.5 million records,
 * and one JavaScript round trip per record and per change record (binding, JSON) was half of its time.
 */
import { newId } from './ids';
import type Database from 'better-sqlite3';
import { DomainError } from '../../shared/api/errors';
import type { Actor, CoreContext } from '../context';

/** A record table and the column(s) that name the person(s) a change concerns (for the card's history). */
export const RECORD_TABLES = {
  person: { person: 'id', related: null },
  person_name: { person: 'person_id', related: null },
  person_address: { person: 'person_id', related: null },
  person_contact: { person: 'person_id', related: null },
  person_identity: { person: 'person_id', related: null },
  work_item: { person: 'person_id', related: null },
  guardianship: { person: 'child_id', related: 'guardian_id' },
  household: { person: null, related: null },
  household_member: { person: 'person_id', related: null },
  income_declaration: { person: null, related: null },
  income_check: { person: null, related: null },
  // A fee reduction is about a child, but stays off the child's card history like the incomes: whether a
  // child was ill or has a special-needs place is for the fee administrators (the projection's fee branch).
  fee_reduction: { person: null, related: null },
  // Fee runs stay off the card's history (the change log by person): only fee administrators read them.
  fee_run: { person: null, related: null },
  fee_line: { person: null, related: null },
  // FOI requests stay off the card's history of the requester and the persons concerned: that a person
  // asked for, or is named in, a request is for the FOI officers (the projection's foi branch).
  foi_request: { person: null, related: null },
  person_document: { person: 'person_id', related: null },
  foi_request_person: { person: null, related: null },
  foi_item: { person: null, related: null },
  foi_disclosure: { person: null, related: null },
  placement: { person: 'child_id', related: null },
  enrolment: { person: 'pupil_id', related: null },
  application: { person: 'child_id', related: null },
  group_membership: { person: 'person_id', related: null },
  staff_duty: { person: 'person_id', related: null },
  org_unit: { person: null, related: null },
  school_group: { person: null, related: null },
  municipality: { person: null, related: null },
  user_account: { person: null, related: null },
  role_assignment: { person: null, related: null },
} as const satisfies Record<string, { person: string | null; related: string | null }>;
export type RecordTable = keyof typeof RECORD_TABLES;

/** Columns whose values never enter the change log: secrets (a password hash, a sealed TOTP secret). */
const SECRET_COLUMNS: Partial<Record<RecordTable, ReadonlySet<string>>> = {
  user_account: new Set(['password_hash', 'totp_secret', 'totp_last_step']),
};
const BOOKKEEPING = new Set(['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by']);

export type Op = 'create' | 'update' | 'correction' | 'delete';
export type Row = Record<string, unknown>;

/** Who writes, and under which mutation (the client's id for the user action; a job's own otherwise). */
export interface Writer {
  ctx: CoreContext;
  actor: Pick<Actor, 'id'>;
  mutationId: string | null;
  /** The time stamp of the whole action (every record of one call gets the same). */
  now: string;
}

export function writer(ctx: CoreContext, actor: Pick<Actor, 'id'>, mutationId: string | null = null): Writer {
  return { ctx, actor, mutationId, now: ctx.clock.now() };
}

interface Stmts {
  cache: Map<string, Database.Statement>;
  log: Database.Statement;
}
const stmts = new WeakMap<Database.Database, Stmts>();

function of(sqlite: Database.Database): Stmts {
  let s = stmts.get(sqlite);
  if (!s) {
    s = {
      cache: new Map(),
      log: sqlite.prepare(
        `INSERT INTO change_log (entity, entity_id, person_id, related_person_id, version, op, fields, changes, mutation_id, actor, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    stmts.set(sqlite, s);
  }
  return s;
}

/**
 * The statement for `key` (which names the table and the columns), prepared once per column set. The
 * table and column names are checked when it is prepared: they are interpolated into the SQL, and a
 * cached key was checked before (the bulk paths, a rollover of 50 000 pupils, pay for that once).
 */
function stmt(sqlite: Database.Database, key: string, table: string, cols: readonly string[], sql: () => string): Database.Statement {
  const s = of(sqlite);
  let st = s.cache.get(key);
  if (!st) {
    checkColumns(table, cols);
    s.cache.set(key, (st = sqlite.prepare(sql())));
  }
  return st;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
function checkColumns(table: string, cols: readonly string[]): void {
  if (!(table in RECORD_TABLES)) throw new Error(`${table} is not a record table`);
  for (const c of cols) if (!IDENT.test(c)) throw new Error(`bad column name ${c}`);
}

const fieldNames = new Map<string, string>();
/** snake_case column → camelCase field name, as the change log's `fields` list names them. */
export const fieldName = (col: string): string => {
  let f = fieldNames.get(col);
  if (f === undefined) fieldNames.set(col, (f = col.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())));
  return f;
};

function loggable(table: RecordTable, col: string, v: unknown): unknown {
  if (SECRET_COLUMNS[table]?.has(col)) return v === null || v === undefined ? null : '[secret]';
  return v === undefined ? null : v;
}

function append(
  w: Writer,
  table: RecordTable,
  id: string,
  version: number,
  op: Op,
  changes: Record<string, [unknown, unknown]>,
  persons: { person: string | null; related: string | null },
  extra?: Record<string, [unknown, unknown]>,
): void {
  const all = extra ? { ...changes, ...extra } : changes;
  const fields = Object.keys(all).map(fieldName);
  of(w.ctx.sqlite).log.run(table, id, persons.person, persons.related, version, op, JSON.stringify(fields), JSON.stringify(all), w.mutationId, w.actor.id, w.now);
}

/** The person(s) a change concerns: `override`, else the table's person columns of `patch`, else of `row`. */
function personsOf(table: RecordTable, row: Row, patch: Row | null, override?: { person?: string | null; related?: string | null }) {
  const t = RECORD_TABLES[table];
  const col = (c: string | null) => (c === null ? null : (((patch && patch[c] !== undefined ? patch[c] : row[c]) as string | null | undefined) ?? null));
  return {
    person: override?.person !== undefined ? override.person : col(t.person),
    related: override?.related !== undefined ? override.related : col(t.related),
  };
}

export interface WriteOptions {
  /** Override the person(s) the change is listed under (default: the table's person columns). */
  persons?: { person?: string | null; related?: string | null };
  /** Changes logged with the record that are not its own columns (e.g. a placement's holders). */
  extra?: Record<string, [unknown, unknown]>;
}

export interface UpdateOptions extends WriteOptions {
  /** The version the user's form was loaded with; another one is a `conflict`. */
  expectVersion?: number;
  op?: 'update' | 'correction';
  /**
   * The stored row, when the caller has just read it (saves a read on bulk paths). It needs at least the
   * patched columns, `version` and the table's person columns.
   */
  current?: Row;
  /**
   * Bump the version and log even when none of the record's own columns changed: the record is the root
   * of what the user edited (a person whose address changed), and a form loaded before must now conflict.
   */
  touch?: boolean;
}

/** Inserts a new record (version 1) and logs it. `values` are column → value, without bookkeeping columns. */
export function insertRecord(w: Writer, table: RecordTable, values: Row, opts: WriteOptions & { id?: string } = {}): { id: string; version: number } {
  const id = opts.id ?? (values.id as string | undefined) ?? newId();
  const cols = Object.keys(values).filter((c) => !BOOKKEEPING.has(c) && values[c] !== undefined);
  const stored = cols.map((c) => sqlValue(values[c]));
  const key = `ins|${table}|${cols.join(',')}`;
  stmt(w.ctx.sqlite, key, table, cols, () => {
    const all = ['id', ...cols, 'version', 'created_at', 'created_by', 'updated_at', 'updated_by'];
    return `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`;
  }).run(id, ...stored, 1, w.now, w.actor.id, w.now, w.actor.id);
  // Logged as stored, so that the outbox replays exactly the columns a reader of the table would see.
  const changes: Record<string, [unknown, unknown]> = {};
  cols.forEach((c, i) => {
    if (stored[i] !== null) changes[c] = [null, loggable(table, c, stored[i])];
  });
  append(w, table, id, 1, 'create', changes, personsOf(table, values, { id }, opts.persons), opts.extra);
  return { id, version: 1 };
}

/** SQLite's JSON text of one stored value, as `JSON.stringify` writes it for the same value read back. */
const jsonOf = (col: string) => `json_quote(${col})`;


/**
 * The bulk form of insertRecord: inserts every row `select` yields as a new record (version 1, the
 * bookkeeping of `w`) and appends each one's change record, exactly as insertRecord would for the same
 * values (the columns that are not null, in the order of `cols`, before null and after as stored), in two
 * statements inside the caller's transaction. `select`'s result columns are the new record's `id` and then
 * `cols`, in that order; its rows are inserted in the order it yields them (give it an ORDER BY), and the
 * change records follow the same order. Returns how many records it wrote and the rowid range they have,
 * for a caller that goes on from them (their ids for the audit log, say).
 *
 * Not for tables with secret columns (their values must not reach the log as they are) and not for values
 * that need converting (booleans, objects): `select` yields them as they are stored.
 */
export function insertRecordsFrom(
  w: Writer,
  table: RecordTable,
  cols: readonly string[],
  select: string,
  params: readonly unknown[] = [],
): { count: number; firstRowid: number; lastRowid: number } {
  if (SECRET_COLUMNS[table]) throw new Error(`${table} has secret columns; write it row by row`);
  const sqlite = w.ctx.sqlite;
  for (const c of cols) if (BOOKKEEPING.has(c)) throw new Error(`${c} is bookkeeping, not a column to insert`);
  checkColumns(table, cols);
  const before = (stmt(sqlite, `max|${table}`, table, [], () => `SELECT coalesce(max(rowid), 0) FROM ${table}`).pluck().get() as number) ?? 0;
  const all = ['id', ...cols, 'version', 'created_at', 'created_by', 'updated_at', 'updated_by'];
  const inserted = sqlite
    .prepare(`INSERT INTO ${table} (${all.join(', ')}) SELECT s.*, 1, ?, ?, ?, ? FROM (${select}) s`)
    .run(w.now, w.actor.id, w.now, w.actor.id, ...params); // the bookkeeping's ? come first in the text
  const count = inserted.changes;
  if (count === 0) return { count, firstRowid: before + 1, lastRowid: before };
  // The change record's two JSON texts, built by concatenation in column order: the same text
  // JSON.stringify makes of insertRecord's objects (each non-null column as "col":[null,value]).
  const part = (c: string, text: string) => `CASE WHEN t.${c} IS NULL THEN '' ELSE ${text} END`;
  const changes = `'{' || substr(${cols.map((c) => part(c, `',"${c}":[null,' || ${jsonOf(`t.${c}`)} || ']'`)).join(' || ')}, 2) || '}'`;
  const fields = `'[' || substr(${cols.map((c) => part(c, `',"${fieldName(c)}"'`)).join(' || ')}, 2) || ']'`;
  const t = RECORD_TABLES[table];
  const personCol = (c: string | null) => (c === null ? 'NULL' : `t.${c}`);
  sqlite
    .prepare(
      `INSERT INTO change_log (entity, entity_id, person_id, related_person_id, version, op, fields, changes, mutation_id, actor, at)
       SELECT '${table}', t.id, ${personCol(t.person)}, ${personCol(t.related)}, 1, 'create', ${fields}, ${changes}, ?, ?, ?
       FROM ${table} t WHERE t.rowid > ? ORDER BY t.rowid`,
    )
    .run(w.mutationId, w.actor.id, w.now, before);
  return { count, firstRowid: before + 1, lastRowid: before + count };
}

/**
 * The bulk form of updateRecord: `select` yields a record's `id` and then new values for `cols`, in that
 * order, per record to update. For each record where a value differs from the stored one, the columns are
 * set, the version goes one up with the bookkeeping of `w`, and its change record lists the columns that
 * differ with before and after, exactly as updateRecord would for the same patch (op 'update'). A record
 * where nothing differs is left alone. `select` names each record once (twice is an error: which values
 * would win?). Records are updated, and logged, in the order they are stored. In the caller's transaction;
 * returns how many records changed. The same limits as insertRecordsFrom.
 */
export function updateRecordsFrom(w: Writer, table: RecordTable, cols: readonly string[], select: string, params: readonly unknown[] = []): { count: number } {
  if (SECRET_COLUMNS[table]) throw new Error(`${table} has secret columns; write it row by row`);
  if (cols.length === 0) throw new Error('nothing to update');
  for (const c of cols) if (BOOKKEEPING.has(c)) throw new Error(`${c} is bookkeeping, not a column to update`);
  checkColumns(table, cols);
  const sqlite = w.ctx.sqlite;
  const b = (c: string) => `b_${c}`;
  const n = (c: string) => `n_${c}`;
  // The records that change, with their values before and after, in storage order.
  sqlite.exec(`DROP TABLE IF EXISTS temp.bulk_update;
    CREATE TEMP TABLE bulk_update (rid INTEGER PRIMARY KEY, id TEXT NOT NULL, version INTEGER NOT NULL, ${cols.map((c) => `${b(c)}, ${n(c)}`).join(', ')})`);
  const collect = sqlite.prepare(
    `WITH s(id, ${cols.join(', ')}) AS (${select})
     INSERT INTO temp.bulk_update (rid, id, version, ${cols.map((c) => `${b(c)}, ${n(c)}`).join(', ')})
     SELECT t.rowid, t.id, t.version, ${cols.map((c) => `t.${c}, s.${c}`).join(', ')}
     FROM s JOIN ${table} t ON t.id = s.id
     WHERE ${cols.map((c) => `t.${c} IS NOT s.${c}`).join(' OR ')}
     ORDER BY t.rowid`,
  );
  let count: number;
  try {
    count = collect.run(...params).changes;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new Error(`updateRecordsFrom: a ${table} record is named more than once`, { cause: e });
    throw e;
  }
  if (count > 0) {
    sqlite
      .prepare(
        `UPDATE ${table} SET ${cols.map((c) => `${c} = u.${n(c)}`).join(', ')}, version = u.version + 1, updated_at = ?, updated_by = ?
         FROM temp.bulk_update u WHERE ${table}.rowid = u.rid`,
      )
      .run(w.now, w.actor.id);
    const differs = (c: string) => `u.${b(c)} IS NOT u.${n(c)}`;
    const changes = `'{' || substr(${cols.map((c) => `CASE WHEN ${differs(c)} THEN ',"${c}":[' || ${jsonOf(`u.${b(c)}`)} || ',' || ${jsonOf(`u.${n(c)}`)} || ']' ELSE '' END`).join(' || ')}, 2) || '}'`;
    const fields = `'[' || substr(${cols.map((c) => `CASE WHEN ${differs(c)} THEN ',"${fieldName(c)}"' ELSE '' END`).join(' || ')}, 2) || ']'`;
    const t = RECORD_TABLES[table];
    const personCol = (c: string | null) => (c === null ? 'NULL' : `t.${c}`);
    sqlite
      .prepare(
        `INSERT INTO change_log (entity, entity_id, person_id, related_person_id, version, op, fields, changes, mutation_id, actor, at)
         SELECT '${table}', u.id, ${personCol(t.person)}, ${personCol(t.related)}, u.version + 1, 'update', ${fields}, ${changes}, ?, ?, ?
         FROM temp.bulk_update u JOIN ${table} t ON t.rowid = u.rid ORDER BY u.rid`,
      )
      .run(w.mutationId, w.actor.id, w.now);
  }
  sqlite.exec('DROP TABLE temp.bulk_update');
  return { count };
}

/** The current row of a record (every column), or undefined. */
export function readRecord(w: Pick<Writer, 'ctx'>, table: RecordTable, id: string): Row | undefined {
  return stmt(w.ctx.sqlite, `get|${table}`, table, [], () => `SELECT * FROM ${table} WHERE id = ?`).get(id) as Row | undefined;
}

/**
 * Updates the columns of `patch` that differ from the stored row: one version up, one change record with
 * before and after. Nothing differs (and no `extra`, no `touch`): nothing is written, the version stays
 * (and `changed` is empty).
 */
export function updateRecord(w: Writer, table: RecordTable, id: string, patch: Row, opts: UpdateOptions = {}): { id: string; version: number; changed: string[] } {
  const cur = opts.current ?? readRecord(w, table, id);
  if (!cur) throw new DomainError('not_found', `No such ${table.replace(/_/g, ' ')}`, 'id');
  const version = cur.version as number;
  if (opts.expectVersion !== undefined && opts.expectVersion !== version) {
    throw new DomainError('conflict', `The ${table.replace(/_/g, ' ')} was changed by someone else (version ${version}, yours ${opts.expectVersion}); reload to see the change`);
  }
  const changed: string[] = [];
  const values: unknown[] = [];
  for (const c of Object.keys(patch)) {
    if (BOOKKEEPING.has(c) || patch[c] === undefined) continue;
    const v = sqlValue(patch[c]);
    if (same(cur[c], v)) continue;
    changed.push(c);
    values.push(v);
  }
  if (changed.length === 0 && !opts.extra && !opts.touch) return { id, version, changed: [] };
  const next = version + 1;
  const key = `upd|${table}|${changed.join(',')}`;
  const r = stmt(
    w.ctx.sqlite,
    key,
    table,
    changed,
    () => `UPDATE ${table} SET ${changed.map((c) => `${c} = ?`).join(', ')}${changed.length ? ', ' : ''}version = ?, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?`,
  ).run(...values, next, w.now, w.actor.id, id, version);
  if (r.changes !== 1) throw new DomainError('conflict', `The ${table.replace(/_/g, ' ')} changed while it was being saved; reload and try again`);
  const changes: Record<string, [unknown, unknown]> = {};
  changed.forEach((c, i) => (changes[c] = [loggable(table, c, cur[c]), loggable(table, c, values[i])]));
  append(w, table, id, next, opts.op ?? 'update', changes, personsOf(table, cur, patch, opts.persons), opts.extra);
  return { id, version: next, changed };
}

/** Marks a record deleted (tombstone: sync and the archive need it). */
export function softDeleteRecord(w: Writer, table: RecordTable, id: string, opts: Omit<UpdateOptions, 'op' | 'touch'> = {}): { id: string; version: number } {
  const r = updateRecord(w, table, id, { deleted_at: w.now }, { ...opts, op: 'update' });
  return { id: r.id, version: r.version };
}

/**
 * Removes a row that never was a fact (a correction of a mistaken address, say). The change record keeps
 * what was removed, so the history still shows it.
 */
export function deleteRecord(w: Writer, table: RecordTable, id: string, opts: WriteOptions = {}): void {
  const cur = readRecord(w, table, id);
  if (!cur) return;
  stmt(w.ctx.sqlite, `del|${table}`, table, [], () => `DELETE FROM ${table} WHERE id = ?`).run(id);
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [c, v] of Object.entries(cur)) if (!BOOKKEEPING.has(c) && v !== null) changes[c] = [loggable(table, c, v), null];
  append(w, table, id, (cur.version as number) + 1, 'delete', changes, personsOf(table, cur, null, opts.persons), opts.extra);
}

function sqlValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

function same(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}
