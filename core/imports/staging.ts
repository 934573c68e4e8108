/**
 * The dry run of one import, in a SQLite file of its own beside the database (`imports/<run>.sqlite`):
 * every change the file would make (with what apply needs to make it), every problem, and who the file
 * named. The reading job fills it without ever taking the register's write lock; the review screens page
 * through it; the apply job reads it in order; it is removed when the run is applied or discarded.
 *
 * It holds the file's data (addresses of protected persons included) like the upload it came from: it
 * lives in the data folder and is only ever read through the import methods, which mask what a reader
 * may not see.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChangeKind } from '../../shared/domain/imports';
import type { ReadProblem } from './model';

export interface StagedChange {
  kind: ChangeKind;
  personId: string | null;
  /** The identity number the row is about (canonical). */
  identity: string | null;
  /** "Family, Given" as the register or the file names the person. */
  name: string;
  /** The person is shielded (protected, or linked to a protected person), by the register or by the file. */
  shielded: boolean;
  /** `before`/`after` hold an address or contact value (masked for readers without protected.reveal). */
  sensitive: boolean;
  before: string | null;
  after: string | null;
  from: string | null;
  line: number;
  /** What apply needs (see apply.ts), as JSON. */
  payload: unknown;
}

/** Order in which apply makes the changes: persons exist before links to them, identities before updates. */
export const APPLY_ORDER: Record<ChangeKind, number> = {
  new_person: 0,
  identity: 1,
  name: 2,
  details: 3,
  address: 4,
  contact: 4,
  protection_added: 5,
  protection_removed: 6,
  moved_out: 7,
  emigrated: 8,
  deceased: 9,
  custody: 10,
};

/**
 * What the review pages by (kind), what the apply reads in (order), and the custody rows of a child,
 * which the apply looks up for every custody that ends (by the child's id or, for a child new to the
 * register, its identity number): without the last two, each such lookup read the whole file, and a full
 * file with 8 000 ended custodies on a populated register ran for over 20 minutes instead of two.
 */
const STAGING_INDEXES = `
  CREATE INDEX IF NOT EXISTS change_kind ON change (kind, seq);
  CREATE INDEX IF NOT EXISTS change_order ON change (ord, seq);
  CREATE INDEX IF NOT EXISTS change_custody_person ON change (person_id) WHERE kind = 'custody';
  CREATE INDEX IF NOT EXISTS change_custody_identity ON change (identity) WHERE kind = 'custody';`;

export function stagingPath(dataDir: string, runId: string): string {
  return join(dataDir, 'imports', `${runId}.sqlite`);
}

export class Staging {
  readonly db: Database.Database;
  private readonly ins;
  private readonly insProblem;
  private readonly insSeen;
  private pending = 0;

  constructor(
    readonly path: string,
    mode: 'create' | 'read',
  ) {
    if (mode === 'create') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      rmSync(path, { force: true });
    }
    this.db = new Database(path, { readonly: mode === 'read', fileMustExist: mode === 'read' });
    this.db.pragma('temp_store = FILE');
    this.db.pragma('cache_size = -16384');
    if (mode === 'create') {
      // A scratch file rebuilt from the upload if lost: no WAL, no fsync per batch.
      this.db.pragma('journal_mode = OFF');
      this.db.pragma('synchronous = OFF');
      this.db.exec(`
        CREATE TABLE change (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, ord INTEGER NOT NULL, person_id TEXT, identity TEXT, name TEXT NOT NULL,
          shielded INTEGER NOT NULL, sensitive INTEGER NOT NULL, before TEXT, after TEXT, from_date TEXT, line INTEGER NOT NULL, payload TEXT NOT NULL);
        CREATE TABLE problem (seq INTEGER PRIMARY KEY, line INTEGER, col INTEGER, element TEXT, reason TEXT, code TEXT, severity TEXT, subject TEXT, args TEXT);
        CREATE TABLE seen (person_id TEXT PRIMARY KEY) WITHOUT ROWID;`);
    }
    this.ins =
      mode === 'create'
        ? this.db.prepare(
            `INSERT INTO change (kind, ord, person_id, identity, name, shielded, sensitive, before, after, from_date, line, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
          )
        : null;
    this.insProblem = mode === 'create' ? this.db.prepare(`INSERT INTO problem (line, col, element, reason, code, severity, subject, args) VALUES (?,?,?,?,?,?,?,?)`) : null;
    this.insSeen = mode === 'create' ? this.db.prepare(`INSERT OR IGNORE INTO seen (person_id) VALUES (?)`) : null;
    if (mode === 'create') this.db.exec('BEGIN');
  }

  /** Batched: one transaction per few thousand rows keeps a 500 000-row dry run at disk speed. */
  private tick(): void {
    if (++this.pending >= 5000) {
      this.db.exec('COMMIT; BEGIN');
      this.pending = 0;
    }
  }

  add(c: StagedChange): void {
    this.ins!.run(c.kind, APPLY_ORDER[c.kind], c.personId, c.identity, c.name, c.shielded ? 1 : 0, c.sensitive ? 1 : 0, c.before, c.after, c.from, c.line, JSON.stringify(c.payload));
    this.tick();
  }

  problem(p: ReadProblem): void {
    this.insProblem!.run(p.line, p.column, p.element, p.reason, p.code, p.severity, p.subject, p.args ? JSON.stringify(p.args) : null);
    this.tick();
  }

  /** Every person the file named (after finish()). */
  seenIds(): Set<string> {
    return new Set(this.db.prepare('SELECT person_id FROM seen').pluck().all() as string[]);
  }

  seen(personId: string): void {
    this.insSeen!.run(personId);
    this.tick();
  }

  finish(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  /** Opens a new batch after finish() (more rows to add, e.g. a full file's absentees). */
  begin(): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN');
    this.pending = 0;
  }

  /**
   * After the last row: the indexes the review pages (per kind) and the apply (in order) read by, built once
   * from the finished table instead of row by row while the file is read.
   */
  seal(): void {
    this.finish();
    this.db.exec(STAGING_INDEXES);
  }

  /**
   * The indexes of seal(), on a dry run written before one of them existed (a run read, then the app
   * updated, then applied). A scratch file: opened for writing just for this.
   */
  static ensureIndexes(path: string): void {
    const db = new Database(path, { fileMustExist: true });
    try {
      db.exec(STAGING_INDEXES);
    } finally {
      db.close();
    }
  }

  counts(): Record<string, number> {
    const rows = this.db.prepare('SELECT kind, count(*) AS n FROM change GROUP BY kind').all() as { kind: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  }

  close(): void {
    if (this.db.open) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.close();
    }
  }
}

export function removeStaging(path: string): void {
  rmSync(path, { force: true });
}

/**
 * Detaches a staging file from the register's connection, unless a transaction is open around the job:
 * the central server runs a job inside its own transaction (server/engine/engine.ts), and SQLite detaches
 * a database it has read only outside one; the server detaches it when its transaction has ended.
 */
export function detachStaging(sqlite: Database.Database, schema: string): void {
  if (!sqlite.inTransaction) sqlite.exec(`DETACH DATABASE ${schema}`);
}
