/**
 * The audit log's hash chain: appending entries and verifying the whole log.
 *
 * The triggers of migration 0005 make audit_log and audit_person append-only for the application, but
 * anyone with the database file can drop them. Each entry therefore carries the hash of the previous entry
 * and a hash over its own content, and app_meta `audit.head` records the last entry, so that altering,
 * deleting, reordering or truncating entries is detected by verifyAuditChain (`kansli audit verify`).
 *
 * A forger who deletes the tail and rewrites the head, empties the log, or rewrites an entry together with
 * every later hash and the head, leaves a chain that is consistent in itself. That is caught by anchors
 * (anchor.ts): the head copied outside the database after every commit (the anchor file) and at every
 * export (the CSV's last line). verifyAuditChain compares the log with them when given their files.
 *
 * ## Reads do not wait for the write lock
 *
 * Every read of personal data appends an entry, and appending needs SQLite's write lock. A long job (a
 * population-register import, the rollover) holds that lock on its own connection for many seconds, and
 * better-sqlite3 waits synchronously, freezing the core's event loop. So calls that only read append with
 * appendReadAudit (sink.ts): it tries the write lock without waiting and, when another connection holds
 * it, stores the entry durably in a pending journal beside the database and returns. Pending entries are
 * merged into the chain in their order of arrival, keeping their own `at` (so `at` is not always
 * increasing with seq), by the next append on the connection, by flushPendingAudit, and at core start.
 * A merged entry carries `details.queued` = the UUID it had in the journal, which is what makes the merge
 * safe against crashes (see sink.ts).
 *
 * ## The person index is built behind the log
 *
 * audit_person (person id → entry) answers "who saw this person", which a subject-access request and the
 * audit screen ask. Its index is keyed on random person ids, so every row lands on its own page: a class
 * list of 745 pupils names about 2 000 persons, and inserting them in the call's own transaction dirtied
 * about 2 000 pages, most of the list's time (measured: 58 ms of 100 ms at p50 once the index held a few
 * hundred thousand rows, and growing with it). So appendAudit writes only the entry, whose person_ids the
 * hash covers, and indexAuditPersons copies entries' persons into audit_person later, in seq order, in
 * bounded steps (the core runs them when it is idle, audit/indexer.ts). app_meta `audit.person_index`
 * names the last entry indexed: entries up to it have exactly their persons in audit_person, later ones
 * none. A query by person reads audit_person for the indexed part and scans the person_ids of the short
 * unindexed tail (query.ts), so its answer is complete at any moment. verifyAuditChain checks both parts
 * against the mark, so moving the mark either way is detected as well.
 *
 * ## Hash of an entry (for outside verifiers)
 *
 * hash = lowercase hex of SHA-256 over the UTF-8 bytes of the canonical JSON text of the array
 *
 *   [seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash]
 *
 * where `seq` is a JSON integer, `reason` a string or null, `person_ids` the JSON array parsed from the
 * column (append stores it de-duplicated and sorted), `details` the JSON object parsed from the column,
 * and prev_hash the previous entry's hash (64 × "0" for entry 1). Canonical JSON is RFC 8785 (JCS) for the
 * values that occur here: no whitespace; object members sorted by key, comparing keys as sequences of
 * UTF-16 code units, recursively at every depth; array order kept; strings and numbers written exactly as
 * ECMAScript JSON.stringify writes them. Example for entry 1:
 *
 *   [1,"2026-11-23T12:00:00.000Z","u1","Anna Berg","WS-1","person.get","read","ok",["p1"],{"a":1,"b":[2]},null,"000…000"]
 *
 * The stored `details` text is written in this canonical form, but verifiers must re-serialise it: a
 * mere re-ordering of keys in the column does not change the content and still verifies.
 */
import { hash as digest } from 'node:crypto';
import type Database from 'better-sqlite3';
import { anchorSource, checkAnchors, type AnchorReport, type AnchorSource } from './anchor';

export const GENESIS_HASH = '0'.repeat(64);

const HEAD_KEY = 'audit.head';
/** app_meta key: the last entry whose persons are in audit_person (see "The person index" above). */
export const PERSON_INDEX_KEY = 'audit.person_index';

export interface AuditInput {
  /** UTC timestamp, ISO 8601 (the clock's now()). */
  at: string;
  actorId: string;
  actorName: string;
  workstation: string;
  method: string;
  action: string;
  /** 'ok' or the error code the call ended with. */
  outcome: string;
  personIds: string[];
  details: Record<string, unknown>;
  reason: string | null;
}

export interface AuditVerifyResult {
  /** False when the chain is broken or the log does not match an anchor. */
  ok: boolean;
  /** Number of entries in the log (all of them, also when the chain is broken). */
  entries: number;
  /** The first problem in seq order, from the chain's own checks or from an anchor. */
  firstBroken: { seq: number; problem: string } | null;
  anchors: AnchorReport;
}

/** Canonical JSON (see the header): RFC 8785 key order, otherwise what JSON.stringify writes. */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const withToJson = value as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return canonicalJson(withToJson.toJSON());
    if (Array.isArray(value)) {
      return `[${value.map((v) => (isOmitted(v) ? 'null' : canonicalJson(v))).join(',')}]`;
    }
    const obj = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly RFC 8785's member order.
    const keys = Object.keys(obj).sort();
    const parts: string[] = [];
    for (const k of keys) {
      const v = obj[k];
      if (!isOmitted(v)) parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  // Same omissions as JSON.stringify, so details built with optional fields hash like their stored text.
  return isOmitted(value) ? 'null' : JSON.stringify(value);
}

function isOmitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** SHA-256 hex of entry `seq` as defined in the header comment. */
export function entryHash(seq: number, e: AuditInput & { prevHash: string }): string {
  return hashOf(seq, e, JSON.stringify(e.personIds), canonicalJson(e.details), e.prevHash);
}

/**
 * The same hash from the already serialised person ids (a JSON array of strings, whose canonical form is
 * plain JSON.stringify) and canonical details: append and verify serialise each only once.
 */
function hashOf(seq: number, e: Omit<AuditInput, 'personIds' | 'details'>, personIdsJson: string, detailsJson: string, prevHash: string): string {
  const j = JSON.stringify;
  const text = `[${seq},${j(e.at)},${j(e.actorId)},${j(e.actorName)},${j(e.workstation)},${j(e.method)},${j(e.action)},${j(e.outcome)},${personIdsJson},${detailsJson},${j(e.reason)},${j(prevHash)}]`;
  // One-shot hash(): a Hash object per entry costs more than the hashing itself at this size.
  return digest('sha256', text, 'hex');
}

/**
 * Per connection: work appendAudit does inside its transaction before appending (sink.ts merges the
 * pending journal there, so that queued reads keep their place before the entry being appended). A hook
 * rather than an import, because sink.ts builds on this module.
 */
const beforeAppend = new WeakMap<Database.Database, (sqlite: Database.Database) => void>();

export function setBeforeAppend(sqlite: Database.Database, hook: ((sqlite: Database.Database) => void) | null): void {
  if (hook) beforeAppend.set(sqlite, hook);
  else beforeAppend.delete(sqlite);
}

interface AppendStatements {
  last: Database.Statement<[], { seq: number; hash: string }>;
  insertLog: Database.Statement<unknown[]>;
  writeHead: Database.Statement<[string]>;
}

// Appends happen on every read of personal data, so preparing the statements again per call would
// dominate the cost; a WeakMap lets a closed Database and its statements be collected together.
const appendStatements = new WeakMap<Database.Database, AppendStatements>();

function statementsFor(sqlite: Database.Database): AppendStatements {
  let s = appendStatements.get(sqlite);
  if (!s) {
    s = {
      last: sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
      insertLog: sqlite.prepare(
        `INSERT INTO audit_log (seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      writeHead: sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES ('${HEAD_KEY}', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
    };
    appendStatements.set(sqlite, s);
  }
  return s;
}

/**
 * Appends one entry to the chain.
 *
 * Runs inside the caller's transaction, never its own: the entry must commit or roll back together with
 * the action it records (a write without its audit entry, or an entry for a write that never happened,
 * would both be false records). The caller's transaction should be IMMEDIATE (better-sqlite3
 * `.immediate()`), so that reading the last entry and inserting the next one cannot interleave with another
 * process appending; a deferred one fails with SQLITE_BUSY rather than forking the chain, because seq is
 * the primary key. Called outside a transaction it throws, since its three writes would not be atomic.
 *
 * On a connection with an audit sink (sink.ts), entries waiting in the pending journal are merged first, in
 * the same transaction, so the chain keeps them in their order of arrival. The entry's persons go into
 * audit_person later (indexAuditPersons).
 */
export function appendAudit(sqlite: Database.Database, e: AuditInput): { seq: number; hash: string } {
  if (!sqlite.inTransaction) throw new Error('appendAudit must run inside the transaction of the action it records');
  beforeAppend.get(sqlite)?.(sqlite);
  const s = statementsFor(sqlite);
  const last = s.last.get();
  const seq = last ? last.seq + 1 : 1;
  const prevHash = last ? last.hash : GENESIS_HASH;
  const personIds = [...new Set(e.personIds)].sort();
  const personIdsJson = JSON.stringify(personIds);
  const detailsJson = canonicalJson(e.details);
  const hash = hashOf(seq, e, personIdsJson, detailsJson, prevHash);
  s.insertLog.run(seq, e.at, e.actorId, e.actorName, e.workstation, e.method, e.action, e.outcome, personIdsJson, detailsJson, e.reason, prevHash, hash);
  s.writeHead.run(`${seq}:${hash}`);
  return { seq, hash };
}

interface IndexStatements {
  mark: Database.Statement<[], { value: string }>;
  sizes: Database.Statement<[number, number], { seq: number; n: number }>;
  insertPersons: Database.Statement<[number, number]>;
  setMark: Database.Statement<[string]>;
  last: Database.Statement<[], { seq: number }>;
}

const indexStatements = new WeakMap<Database.Database, IndexStatements>();

/** An entry's person_ids (column `col`) as json_each may read it: an array, or none for a tampered value. */
const personArray = (col: string) => `CASE WHEN json_valid(${col}) AND json_type(${col}) = 'array' THEN ${col} ELSE '[]' END`;

function indexStatementsFor(sqlite: Database.Database): IndexStatements {
  let s = indexStatements.get(sqlite);
  if (!s) {
    s = {
      mark: sqlite.prepare(`SELECT value FROM app_meta WHERE key = '${PERSON_INDEX_KEY}'`),
      // Sizes only: the ids stay in SQLite (an import's entry names 5 000 persons, 200 KB of text).
      sizes: sqlite.prepare(`SELECT seq, json_array_length(${personArray('person_ids')}) AS n FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`),
      // In seq order, each entry's ids in their stored order; only text values are ids (verify reports others).
      insertPersons: sqlite.prepare(
        `INSERT INTO audit_person (person_id, seq)
         SELECT j.value, l.seq FROM audit_log l, json_each(${personArray('l.person_ids')}) j
         WHERE l.seq > ? AND l.seq <= ? AND j.type = 'text' ORDER BY l.seq, j.key`,
      ),
      setMark: sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES ('${PERSON_INDEX_KEY}', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
      last: sqlite.prepare('SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1'),
    };
    indexStatements.set(sqlite, s);
  }
  return s;
}

/** The last entry whose persons are in audit_person; 0 before the first. */
export function personIndexMark(sqlite: Database.Database): number {
  const v = indexStatementsFor(sqlite).mark.get()?.value;
  const n = v === undefined ? 0 : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** Entries not in the person index yet. */
export function personIndexLag(sqlite: Database.Database): number {
  return Math.max(0, (indexStatementsFor(sqlite).last.get()?.seq ?? 0) - personIndexMark(sqlite));
}

export interface PersonIndexStep {
  /** Entries indexed by this step, and their person rows. */
  entries: number;
  rows: number;
  /** The mark after the step. */
  upTo: number;
  /** Entries still waiting after it. */
  behind: number;
}

/**
 * One step of building the person index: copies the persons of the entries after the mark into
 * audit_person, in seq order (which keeps audit_person in the log's order, as verify reads it), whole
 * entries only, until about `maxRows` rows (an entry larger than that goes alone), and moves the mark.
 * Runs inside the caller's write transaction, like appendAudit. The ids never leave SQLite: reading an
 * import's entries into JavaScript cost the core ~150 MB of garbage while a 500 000-person apply ran. An
 * entry whose person_ids is not a JSON array of ids (a tampered row) gets no rows for what is not an id:
 * the step must not stop on it, and verify reports it.
 */
export function indexAuditPersons(sqlite: Database.Database, maxRows = 5000): PersonIndexStep {
  if (!sqlite.inTransaction) throw new Error('indexAuditPersons must run inside a write transaction');
  const s = indexStatementsFor(sqlite);
  const from = personIndexMark(sqlite);
  let upTo = from;
  let rows = 0;
  let entries = 0;
  for (let full = false; !full; ) {
    const batch = s.sizes.all(upTo, 256);
    if (!batch.length) break;
    for (const e of batch) {
      if (entries && rows + e.n > maxRows) {
        full = true;
        break;
      }
      rows += e.n;
      entries++;
      upTo = e.seq;
    }
    if (rows >= maxRows) full = true;
  }
  if (upTo !== from) {
    s.insertPersons.run(from, upTo);
    s.setMark.run(String(upTo));
  }
  return { entries, rows, upTo, behind: personIndexLag(sqlite) };
}

/** Columns aliased to AuditInput's names, so a row can be hashed as it comes. */
interface LogRow {
  seq: number;
  at: string;
  actorId: string;
  actorName: string;
  workstation: string;
  method: string;
  action: string;
  outcome: string;
  personIdsJson: string;
  detailsJson: string;
  reason: string | null;
  prevHash: string;
  hash: string;
}

/** rowid, seq, person_id. */
type PersonRow = [number, number, string];

function parsePersonIds(text: string): string[] | null {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  } catch {
    return null;
  }
}

function parseDetails(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  // Both lists are normally in the same (sorted) order already; sort only when they are not.
  if (a.every((v, i) => v === b[i])) return true;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

export interface VerifyOptions {
  /**
   * Anchor files and audit exports to compare the log with (anchor.ts); a path that does not exist is
   * skipped, since a new installation has no anchor file yet.
   */
  anchorFiles?: readonly string[];
}

/**
 * Verifies the whole log in one read snapshot and reports the first problem in seq order.
 *
 * Call it outside a transaction: the anchor files are measured before the snapshot begins, so that an
 * anchor another connection writes meanwhile (for an entry newer than the snapshot) is not read.
 *
 * Memory stays constant however long the log grows: the log is streamed in seq order and, beside it,
 * audit_person in rowid order. indexAuditPersons inserts person rows in seq order, so both streams advance
 * together (a merge join); audit_person has no index on seq, so looking rows up per entry would scan the
 * table each time. A forged person row appended later for an earlier seq shows up as an unconsumed row,
 * and is reported at its own seq if that comes first.
 */
export function verifyAuditChain(sqlite: Database.Database, opts: VerifyOptions = {}): AuditVerifyResult {
  const sources = (opts.anchorFiles ?? []).map(anchorSource).filter((s): s is AnchorSource => s !== null);
  // One snapshot for the log, the person rows, the head and the anchors, so a concurrent append cannot
  // look like a truncated tail.
  return sqlite.transaction((): AuditVerifyResult => {
    const mark = personIndexMark(sqlite);
    const logRows = sqlite
      .prepare<[], LogRow>(
        `SELECT seq, at, actor_id AS actorId, actor_name AS actorName, workstation, method, action, outcome,
                person_ids AS personIdsJson, details AS detailsJson, reason, prev_hash AS prevHash, hash
         FROM audit_log ORDER BY seq`,
      )
      .iterate();
    // Raw rows (arrays): this stream is as long as the log or longer, and named rows cost an object each.
    const personRows = sqlite.prepare<[], PersonRow>('SELECT rowid AS r, seq, person_id FROM audit_person ORDER BY rowid').raw(true).iterate();
    const nextPerson = (): PersonRow | undefined => {
      const n = personRows.next();
      return n.done ? undefined : n.value;
    };
    let peek = nextPerson();
    let lastConsumedRowid = 0;
    const advance = (): void => {
      if (peek) lastConsumedRowid = peek[0];
      peek = nextPerson();
    };

    let prevSeq = 0;
    let prevHash = GENESIS_HASH;
    let entries = 0;
    let broken: { seq: number; problem: string } | null = null;
    try {
      for (const row of logRows) {
        const checked = checkRow(row, prevSeq, prevHash);
        if ('problem' in checked) broken = checked;
        else {
          const ids = checked.personIds;
          // A person row left behind for an entry already passed is a forgery at that earlier entry.
          if (peek && peek[1] < row.seq) {
            broken = { seq: peek[1], problem: strayPersonProblem(peek[1]) };
          } else {
            const got: string[] = [];
            while (peek && peek[1] === row.seq) {
              got.push(peek[2]);
              advance();
            }
            // Entries after the mark are not indexed yet: they must have no rows at all.
            if (row.seq > mark) {
              if (got.length) {
                broken = {
                  seq: row.seq,
                  problem: `Entry ${row.seq}: the person index (audit_person) has rows for it, but its mark (app_meta ${PERSON_INDEX_KEY} = ${mark}) says it is not indexed yet (rows were added or the mark was moved back)`,
                };
              }
            } else if (!sameSet(got, ids)) {
              broken = {
                seq: row.seq,
                problem: `Entry ${row.seq}: its rows in the person index (audit_person) do not match its person_ids (rows were deleted, added or altered, or the mark app_meta ${PERSON_INDEX_KEY} was moved forward)`,
              };
            }
          }
        }
        if (broken) break;
        entries++;
        prevSeq = row.seq;
        prevHash = row.hash;
      }
    } finally {
      // Both iterators must be closed before the connection runs another statement below.
      logRows.return?.();
      personRows.return?.();
    }

    if (!broken) broken = checkHead(sqlite, prevSeq, prevHash);
    // Unconsumed person rows: a forged row for an earlier seq than the problem found (or any at all when
    // the log checked out) comes first.
    const limit = broken ? broken.seq : Number.MAX_SAFE_INTEGER;
    const stray = sqlite
      .prepare<[number, number], { seq: number | null }>('SELECT min(seq) AS seq FROM audit_person WHERE rowid > ? AND seq < ?')
      .get(lastConsumedRowid, limit);
    if (stray && stray.seq !== null) {
      broken = {
        seq: stray.seq,
        problem: stray.seq > prevSeq && !broken ? `The person index (audit_person) has rows for entry ${stray.seq}, which is not in the log` : strayPersonProblem(stray.seq),
      };
    }
    const anchors = checkAnchors(sqlite, sources);
    const p = anchors.problem;
    if (p && p.seq !== null && (!broken || p.seq < broken.seq)) broken = { seq: p.seq, problem: p.message };
    // Last: a truncated tail is better named by the head or an anchor when they see it.
    if (!broken && !p && mark > prevSeq) {
      broken = {
        seq: prevSeq + 1,
        problem: `The person index's mark (app_meta ${PERSON_INDEX_KEY}) names entry ${mark}, but the log ends at entry ${prevSeq}: entries from ${prevSeq + 1} on were deleted, or the mark was moved forward`,
      };
    }
    if (broken || p) {
      entries = (sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
      return { ok: false, entries, firstBroken: broken, anchors };
    }
    return { ok: true, entries, firstBroken: null, anchors };
  })();
}

function strayPersonProblem(seq: number): string {
  return `Entry ${seq}: the person index (audit_person) has a row for it that its person_ids do not list (a row was added)`;
}

function checkRow(row: LogRow, prevSeq: number, prevHash: string): { seq: number; problem: string } | { personIds: string[] } {
  const expected = prevSeq + 1;
  if (row.seq !== expected) {
    const what = row.seq === expected + 1 ? `Entry ${expected} is missing` : `Entries ${expected} to ${row.seq - 1} are missing`;
    return { seq: expected, problem: `${what}: the log jumps from entry ${prevSeq} to entry ${row.seq} (entries were deleted)` };
  }
  if (row.prevHash !== prevHash) {
    return {
      seq: row.seq,
      problem:
        prevSeq === 0
          ? `Entry ${row.seq} is the first entry but does not start the chain (its prev_hash is not the genesis hash)`
          : `Entry ${row.seq} does not follow entry ${prevSeq}: its prev_hash is not that entry's hash (entries were deleted, inserted or reordered)`,
    };
  }
  const personIds = parsePersonIds(row.personIdsJson);
  if (!personIds) return { seq: row.seq, problem: `Entry ${row.seq}: person_ids is not a JSON array of ids (the entry was altered)` };
  // Fast path: append stores the canonical texts, so hashing them as stored matches for every untouched
  // entry and spares re-serialising details. Only on a mismatch is the content canonicalised, so that a
  // mere re-ordering of keys in the column still verifies.
  if (hashOf(row.seq, row, row.personIdsJson, row.detailsJson, row.prevHash) === row.hash) return { personIds };
  const details = parseDetails(row.detailsJson);
  if (!details) return { seq: row.seq, problem: `Entry ${row.seq}: details is not a JSON object (the entry was altered)` };
  const hash = hashOf(row.seq, row, JSON.stringify(personIds), canonicalJson(details), row.prevHash);
  if (hash !== row.hash) return { seq: row.seq, problem: `Entry ${row.seq} was altered: its content does not match its hash` };
  return { personIds };
}

/** The head names the last entry ever appended; a shorter log lost its tail. */
function checkHead(sqlite: Database.Database, lastSeq: number, lastHash: string): { seq: number; problem: string } | null {
  const head = sqlite.prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?').get(HEAD_KEY);
  if (!head) {
    return lastSeq === 0
      ? null
      : { seq: lastSeq, problem: `The head record (app_meta ${HEAD_KEY}) is missing, so entry ${lastSeq} cannot be confirmed as the last entry` };
  }
  const m = /^(\d+):([0-9a-f]{64})$/.exec(head.value);
  if (!m) return { seq: lastSeq + 1, problem: `The head record (app_meta ${HEAD_KEY}) is not in the form seq:hash, so the end of the log cannot be confirmed` };
  const headSeq = Number(m[1]);
  if (headSeq > lastSeq) {
    const what = headSeq === lastSeq + 1 ? `Entry ${headSeq} is missing` : `Entries ${lastSeq + 1} to ${headSeq} are missing`;
    return { seq: lastSeq + 1, problem: `${what}: the head record says the log ends at entry ${headSeq} (the tail was truncated)` };
  }
  if (headSeq < lastSeq) {
    return {
      seq: headSeq + 1,
      problem: `Entry ${headSeq + 1} was not appended by Kansli: the head record says the log ends at entry ${headSeq}, but it continues to entry ${lastSeq}`,
    };
  }
  if (m[2] !== lastHash) {
    return { seq: lastSeq, problem: `Entry ${lastSeq} is not the entry the head record names (its hash differs): the last entry was replaced` };
  }
  return null;
}
