/**
 * Records as sync moves them (docs/sync.md): the full stored row of a record table, with the child
 * collections that have no identity of their own folded in (a placement's holders, an application's
 * choices), keyed by entity and id, with the aggregate it belongs to.
 *
 * Both ends use this module: the central server mirrors every row a mutation touched into PostgreSQL and
 * rebuilds its execution replica from there; a workstation applies the feed's rows to its cache. Rows are
 * written exactly as stored (0/1 booleans, JSON as text), so a row read here and written back elsewhere is
 * the same row, and the derived data that is not a record (the search tokens, the full-text index through
 * its triggers) is rebuilt from it here.
 */
import type Database from 'better-sqlite3';
import { nameTokensOf } from '../register/persons';
import { RECORD_TABLES, type RecordTable, type Row } from '../write/records';

export const SYNC_TABLES = Object.keys(RECORD_TABLES) as RecordTable[];
export const isSyncTable = (t: string): t is RecordTable => Object.prototype.hasOwnProperty.call(RECORD_TABLES, t);

/** Child collections written by their parent's code (core/write/records.ts), carried inside the parent's row. */
const CHILDREN = {
  placement: { key: '_owners', sql: 'SELECT guardian_id FROM placement_owner WHERE placement_id = ? ORDER BY rowid', table: 'placement_owner', parent: 'placement_id', cols: ['guardian_id'] },
  application: { key: '_choices', sql: 'SELECT rank, unit_id FROM application_choice WHERE application_id = ? ORDER BY rank', table: 'application_choice', parent: 'application_id', cols: ['rank', 'unit_id'] },
} as const satisfies Partial<Record<RecordTable, { key: string; sql: string; table: string; parent: string; cols: readonly string[] }>>;

/**
 * The aggregate a record belongs to: the unit of conflict detection (docs/sync.md "Aggregates"). A child's
 * placements, enrolments, guardianships, applications and memberships form one (`care:`), a person's
 * identity data another (`person:`), a unit with its groups another (`unit:`).
 */
export function aggregateOf(entity: RecordTable, id: string, row: Row): string {
  const s = (c: string) => String(row[c] ?? '');
  switch (entity) {
    case 'person':
      return `person:${id}`;
    case 'person_name':
    case 'person_address':
    case 'person_contact':
    case 'person_identity':
      return `person:${s('person_id')}`;
    case 'guardianship':
    case 'placement':
    case 'application':
      return `care:${s('child_id')}`;
    case 'enrolment':
      return `care:${s('pupil_id')}`;
    case 'group_membership':
    case 'household_member':
    case 'staff_duty':
    case 'work_item':
      return row.person_id ? `care:${s('person_id')}` : `work:${id}`;
    case 'household':
      return `household:${id}`;
    case 'income_declaration':
    case 'income_check':
      // Its own aggregate: a fee administrator's income entry never conflicts with a clerk's household edit.
      return `income:${s('household_id')}`;
    case 'fee_reduction':
      // The child's fee reductions: the fee administrators' own, never in conflict with a clerk's care edits.
      return `feereduction:${s('child_id')}`;
    case 'fee_run':
      // A locked run and its lines: written once by the lock, posted once; nobody else writes them.
      return `feerun:${id}`;
    case 'fee_line':
      return `feerun:${s('run_id')}`;
    case 'person_document':
      // A person's documents: their own aggregate, so attaching one never conflicts with an edit of the person.
      return `persondoc:${s('person_id')}`;
    case 'foi_request':
      // A request with its persons concerned: the FOI officers' own, never in conflict with a clerk's edits.
      return `foi:${id}`;
    case 'foi_request_person':
    case 'foi_item':
    case 'foi_disclosure':
      return `foi:${s('request_id')}`;
    case 'org_unit':
      return `unit:${id}`;
    case 'school_group':
      return `unit:${s('unit_id')}`;
    case 'municipality':
      return 'municipality';
    case 'user_account':
      return `account:${id}`;
    case 'role_assignment':
      return `account:${s('user_id')}`;
  }
}

/** The person a record is about (for the feed's scope check), or null for units, accounts and the like. */
export function personOf(entity: RecordTable, id: string, row: Row): string | null {
  if (entity === 'person') return id;
  const col = RECORD_TABLES[entity].person;
  return col ? ((row[col] as string | null | undefined) ?? null) : null;
}

interface Stmts {
  read: Map<string, Database.Statement>;
  children: Map<string, Database.Statement>;
}
const cache = new WeakMap<Database.Database, Stmts>();
function stmts(sqlite: Database.Database): Stmts {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = { read: new Map(), children: new Map() }));
  return s;
}

function prepared(sqlite: Database.Database, map: Map<string, Database.Statement>, key: string, sql: () => string): Database.Statement {
  let st = map.get(key);
  if (!st) map.set(key, (st = sqlite.prepare(sql())));
  return st;
}

/** The stored row with its child collections, or null when the record does not exist (a correction deleted it). */
export function readRecord(sqlite: Database.Database, entity: RecordTable, id: string): Row | null {
  const s = stmts(sqlite);
  const row = prepared(sqlite, s.read, entity, () => `SELECT * FROM ${entity} WHERE id = ?`).get(id) as Row | undefined;
  if (!row) return null;
  const child = (CHILDREN as Partial<Record<RecordTable, (typeof CHILDREN)[keyof typeof CHILDREN]>>)[entity];
  if (child) row[child.key] = prepared(sqlite, s.children, entity, () => child.sql).all(id);
  return row;
}

const columnsOf = new WeakMap<Database.Database, Map<string, string[]>>();
function columns(sqlite: Database.Database, table: string): string[] {
  let m = columnsOf.get(sqlite);
  if (!m) columnsOf.set(sqlite, (m = new Map()));
  let c = m.get(table);
  if (!c) m.set(table, (c = sqlite.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]));
  return c;
}

/**
 * Writes `row` as the record's stored state (insert or replace), its child collections and its derived
 * search tokens. Columns the row lacks are left at their defaults (a row from an older client schema);
 * keys the table lacks are ignored (a row from a newer one). Inside the caller's transaction.
 */
export function writeRecord(sqlite: Database.Database, entity: RecordTable, row: Row): void {
  const cols = columns(sqlite, entity).filter((c) => row[c] !== undefined);
  const s = stmts(sqlite);
  const key = `w|${entity}|${cols.join(',')}`;
  prepared(sqlite, s.read, key, () => {
    const updates = cols.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`);
    return `INSERT INTO ${entity} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
            ON CONFLICT(id) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`;
  }).run(...cols.map((c) => row[c] as unknown));
  const child = (CHILDREN as Partial<Record<RecordTable, (typeof CHILDREN)[keyof typeof CHILDREN]>>)[entity];
  if (child) {
    const id = row.id as string;
    prepared(sqlite, s.children, `d|${entity}`, () => `DELETE FROM ${child.table} WHERE ${child.parent} = ?`).run(id);
    const ins = prepared(sqlite, s.children, `i|${entity}`, () => `INSERT INTO ${child.table} (${child.parent}, ${child.cols.join(', ')}) VALUES (?, ${child.cols.map(() => '?').join(', ')})`);
    for (const c of (row[child.key] as Row[] | undefined) ?? []) ins.run(id, ...child.cols.map((k) => c[k] as unknown));
  }
  if (entity === 'person') writeTokens(sqlite, row);
}

/** Removes a record (and what hangs on it) from this database. */
export function removeRecord(sqlite: Database.Database, entity: RecordTable, id: string): void {
  const s = stmts(sqlite);
  const child = (CHILDREN as Partial<Record<RecordTable, (typeof CHILDREN)[keyof typeof CHILDREN]>>)[entity];
  if (child) prepared(sqlite, s.children, `d|${entity}`, () => `DELETE FROM ${child.table} WHERE ${child.parent} = ?`).run(id);
  if (entity === 'person') prepared(sqlite, s.read, 'tokens-del', () => 'DELETE FROM person_name_token WHERE person_id = ?').run(id);
  prepared(sqlite, s.read, `del|${entity}`, () => `DELETE FROM ${entity} WHERE id = ?`).run(id);
}

function writeTokens(sqlite: Database.Database, row: Row): void {
  const s = stmts(sqlite);
  const id = row.id as string;
  prepared(sqlite, s.read, 'tokens-del', () => 'DELETE FROM person_name_token WHERE person_id = ?').run(id);
  if (row.deleted_at) return;
  const ins = prepared(sqlite, s.read, 'tokens-ins', () => 'INSERT INTO person_name_token (token, sort_key, person_id) VALUES (?, ?, ?)');
  const tokens = nameTokensOf({
    givenName: String(row.given_name ?? ''),
    middleName: (row.middle_name as string | null) ?? null,
    familyName: String(row.family_name ?? ''),
    preferredName: (row.preferred_name as string | null) ?? null,
  });
  for (const t of tokens) ins.run(t, row.sort_key, id);
}

/**
 * Collects which records a piece of work touched, including writes that bypass the change log on purpose
 * (derived flags such as `person.shielded`, a placement's holders, sign-in bookkeeping): temporary triggers
 * on this connection only, so the shared schema is untouched. The server mirrors exactly these rows.
 */
export class TouchTracker {
  constructor(private readonly sqlite: Database.Database) {
    sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS sync_touched (entity TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (entity, id)) WITHOUT ROWID');
    // Not INSERT OR IGNORE: inside a trigger the outer statement's conflict policy wins (an upsert's
    // REPLACE or ABORT), so a second touch of the same record would fail the user's write.
    const trig = (name: string, table: string, when: string, entity: string, idExpr: string) =>
      `CREATE TEMP TRIGGER IF NOT EXISTS ${name} AFTER ${when} ON main.${table} BEGIN
         INSERT INTO sync_touched (entity, id) SELECT '${entity}', ${idExpr}
         WHERE NOT EXISTS (SELECT 1 FROM sync_touched WHERE entity = '${entity}' AND id = ${idExpr}); END;`;
    for (const t of SYNC_TABLES) {
      sqlite.exec(trig(`sync_${t}_i`, t, 'INSERT', t, 'NEW.id'));
      sqlite.exec(trig(`sync_${t}_u`, t, 'UPDATE', t, 'NEW.id'));
      sqlite.exec(trig(`sync_${t}_d`, t, 'DELETE', t, 'OLD.id'));
    }
    for (const [parent, c] of Object.entries(CHILDREN)) {
      for (const [when, rec] of [['INSERT', 'NEW'], ['UPDATE', 'NEW'], ['DELETE', 'OLD']] as const) {
        sqlite.exec(trig(`sync_${c.table}_${when[0]!.toLowerCase()}`, c.table, when, parent, `${rec}.${c.parent}`));
      }
    }
    sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS sync_touched_setting (key TEXT PRIMARY KEY) WITHOUT ROWID`);
    for (const [when, rec] of [['INSERT', 'NEW'], ['UPDATE', 'NEW'], ['DELETE', 'OLD']] as const) {
      sqlite.exec(`CREATE TEMP TRIGGER IF NOT EXISTS sync_app_meta_${when[0]!.toLowerCase()} AFTER ${when} ON main.app_meta BEGIN
         INSERT INTO sync_touched_setting (key) SELECT ${rec}.key WHERE NOT EXISTS (SELECT 1 FROM sync_touched_setting WHERE key = ${rec}.key); END;`);
    }
  }

  /** Forgets what was collected (at the start of a piece of work). */
  reset(): void {
    this.sqlite.exec('DELETE FROM sync_touched; DELETE FROM sync_touched_setting');
  }

  touched(): { entity: RecordTable; id: string }[] {
    return this.sqlite.prepare('SELECT entity, id FROM sync_touched').all() as { entity: RecordTable; id: string }[];
  }

  settings(): string[] {
    return this.sqlite.prepare('SELECT key FROM sync_touched_setting').pluck().all() as string[];
  }
}

/**
 * app_meta keys that are municipal settings (the placement rules, the idle-lock policy, whether the register
 * is a synthetic demo) and therefore travel like records; the rest (audit head, workstation id, person-index
 * mark, sync state) belong to one database.
 */
export const isSetting = (key: string): boolean => key === 'demo' || key.startsWith('policy.') || key.startsWith('placement.') || key.startsWith('csv_mapping:') || key.startsWith('fee.') || key.startsWith('foi.');
