/**
 * Applying an import as a job: every change of the dry run, through the one write path, in ONE
 * transaction (all of it or nothing: a cancel, a failure or a killed process leaves the register as it
 * was), the work list's new items, the file's place in the register's sequence, and the run's state.
 *
 * The checks that decided the dry run are made again inside the transaction: the file must still follow
 * the last applied one (another import may have been applied meanwhile).
 */
import { ruleViolation } from '../../shared/api/errors';
import { appendAudit } from '../audit/chain';
import type { JobKind } from '../jobs/types';
import { recomputeAllShielding, refreshShielding } from '../register/shielding';
import { insertRecord, writer } from '../write/records';
import { Applier, type StagedRow } from './apply';
import { checkFileOrder, type FileOrdering, type PopulationFileHeader } from './model';
import { dataDirOf, runRow } from './runs';
import { APPLY_ORDER, detachStaging, removeStaging, Staging, stagingPath } from './staging';

/** The schema name the staging file is attached as during an apply. */
const STAGED = 'staged';

/** Persons per audit entry of an apply: a 500 000-person load is logged in parts, not as one 20 MB entry. */
const AUDIT_CHUNK = 5000;
/**
 * From this many new persons the apply builds the register's secondary indexes (and the trigram search index)
 * once at the end from sorted data instead of row by row in the random order of UUIDs — the way the demo seed
 * loads — inside the same transaction, so a rollback restores them as they were. Lookups the apply itself makes
 * (by identity number, by person) keep their indexes.
 */
const BULK_NEW_PERSONS = 50_000;
const BULK_INDEXES = ['person_sort', 'person_list_all', 'person_list_child', 'person_list_guardian', 'person_list_staff', 'person_list_birth', 'person_list_number', 'person_birth', 'person_id_short', 'person_name_token_token'];
/** Above this many persons whose links changed, recomputing every flag set-based is faster than per person. */
const BULK_SHIELDING = 20_000;

export const importApplyJob: JobKind<{ runId: string }> = {
  permission: 'register.import',
  method: 'import.apply',
  async run(job, input) {
    const { ctx } = job;
    const path = stagingPath(dataDirOf(ctx), input.runId);
    Staging.ensureIndexes(path);
    const staging = new Staging(path, 'read');
    const total = staging.db.prepare('SELECT count(*) FROM change').pluck().get() as number;
    job.progress('apply', 0, total);
    let done = 0;
    let workItems = 0;
    let persons = 0;
    // The staging file, attached to the job's connection for the statements that create the new persons in
    // bulk (ATTACH is not allowed inside the transaction).
    let attached = false;
    try {
      ctx.sqlite.prepare(`ATTACH DATABASE ? AS ${STAGED}`).run(path);
      attached = true;
      job.tx(() => {
        const run = runRow(ctx.sqlite, input.runId);
        if (run.state !== 'ready' && run.state !== 'applying') throw ruleViolation('import_state', `import_state: this import is ${run.state}, not ready to apply`, 'id');
        if (run.blocked_code) throw ruleViolation('import_out_of_order', `import_out_of_order: ${run.blocked_message}`, 'id');
        const ordering = run.ordering ? (JSON.parse(run.ordering) as FileOrdering) : null;
        if (run.format !== 'csv' && run.stream) {
          const last = ctx.sqlite.prepare('SELECT ordering FROM import_stream WHERE stream = ?').pluck().get(run.stream) as string | undefined;
          const header = { kind: run.kind, ordering } as PopulationFileHeader;
          const check = checkFileOrder(last ? (JSON.parse(last) as FileOrdering) : null, header);
          if (!check.ok) throw ruleViolation('import_out_of_order', `import_out_of_order: ${check.message}`, 'id');
        }
        const newPersons = staging.db.prepare(`SELECT count(*) FROM change WHERE kind = 'new_person'`).pluck().get() as number;
        const bulk = newPersons >= BULK_NEW_PERSONS ? suspendIndexes(ctx.sqlite) : null;
        const w = writer(ctx, job.actor, null);
        // Two lookups, each on its partial index (see STAGING_INDEXES), rather than one with OR.
        const addsOf = (column: 'person_id' | 'identity') =>
          staging.db.prepare(`SELECT json_extract(payload, '$.guardian') FROM change WHERE kind = 'custody' AND ${column} = ? AND json_extract(payload, '$.op') = 'add'`).pluck();
        const addsByPerson = addsOf('person_id');
        const addsByIdentity = addsOf('identity');
        const canonicalOf = ctx.sqlite.prepare('SELECT id_canonical FROM person WHERE id = ?').pluck();
        const applier = new Applier(w, {
          today: ctx.clock.today(),
          source: run.format,
          country: (ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() as 'SE' | 'NO') ?? 'SE',
          touchedLimit: BULK_SHIELDING,
          custodianAdded: (childId, guardianId) => {
            const g = canonicalOf.get(guardianId) as string | null;
            if (g === null) return false;
            if ((addsByPerson.all(childId) as string[]).includes(g)) return true;
            const child = canonicalOf.get(childId) as string | null;
            return child !== null && (addsByIdentity.all(child) as string[]).includes(g);
          },
        });
        // Whose data the apply wrote, logged in parts as it goes (bounded memory); the job's own entry, written
        // by job.tx, carries the summary. How many persons in all is counted from those parts at the end, in
        // SQLite: a set of every id here held about 40 MB for a 500 000-person load.
        let part = new Set<string>();
        let parts = 0;
        let firstPart = 0;
        let lastPart = 0;
        const flush = () => {
          if (!part.size) return;
          parts++;
          const { seq } = appendAudit(ctx.sqlite, {
            at: ctx.clock.now(),
            actorId: job.actor.id,
            actorName: job.actor.name,
            workstation: job.workstation,
            method: 'import.apply',
            action: 'import',
            outcome: 'ok',
            personIds: [...part],
            details: { import: input.runId, part: parts },
            reason: null,
          });
          firstPart ||= seq;
          lastPart = seq;
          part = new Set();
        };
        // The new persons first, together (the other changes may link to them), logged in parts as they are made.
        const personIds = ctx.sqlite.prepare('SELECT id FROM person WHERE rowid BETWEEN ? AND ? ORDER BY rowid').pluck();
        done += applier.createPersons(STAGED, (made, firstRowid, lastRowid) => {
          // Read whole (a step's ids): flush writes to the connection an open iterator would hold.
          for (const id of personIds.all(firstRowid, lastRowid) as string[]) {
            part.add(id);
            if (part.size >= AUDIT_CHUNK) flush();
          }
          job.throwIfCancelled();
          job.progress('apply', made, total);
        });
        for (const row of staging.db
          // Every change but the new persons (made above) and the custodies the file adds (made below).
          .prepare(
            `SELECT seq, kind, person_id, identity, line, payload FROM change
             WHERE ord > ${APPLY_ORDER.new_person} AND NOT (kind = 'custody' AND json_extract(payload, '$.op') = 'add') ORDER BY ord, seq`,
          )
          .iterate() as IterableIterator<StagedRow>) {
          for (const id of applier.apply(row)) part.add(id);
          if (part.size >= AUDIT_CHUNK) flush();
          if (++done % 200 === 0) {
            job.throwIfCancelled();
            job.progress('apply', done, total);
          }
        }
        const links = applier.addCustodies(STAGED);
        done += links.count;
        const linked = ctx.sqlite.prepare('SELECT child_id, guardian_id FROM guardianship WHERE rowid BETWEEN ? AND ? ORDER BY rowid').raw();
        for (let from = links.firstRowid; from <= links.lastRowid; from += AUDIT_CHUNK) {
          for (const [child, guardian] of linked.all(from, Math.min(links.lastRowid, from + AUDIT_CHUNK - 1)) as [string, string][]) {
            part.add(child).add(guardian);
            if (part.size >= AUDIT_CHUNK) flush();
          }
        }
        flush();
        persons = firstPart
          ? (ctx.sqlite
              // Only this apply's parts: reads queued meanwhile are merged in between them.
              .prepare(
                `SELECT count(DISTINCT j.value) FROM audit_log l, json_each(l.person_ids) j
                 WHERE l.seq BETWEEN ? AND ? AND l.method = 'import.apply' AND json_extract(l.details, '$.import') = ?`,
              )
              .pluck()
              .get(firstPart, lastPart, input.runId) as number)
          : 0;
        job.progress('apply', done, total);
        if (bulk) {
          job.progress('index', 0, null);
          bulk.restore();
        }
        if (applier.touchedAll) recomputeAllShielding(ctx.sqlite);
        else if (applier.touched.size) refreshShielding(ctx, [...applier.touched]);
        for (const item of applier.work) {
          insertRecord(w, 'work_item', {
            kind: item.kind,
            state: 'open',
            person_id: item.personId,
            import_id: input.runId,
            event_date: item.eventDate,
            detail: JSON.stringify(item.detail),
            proposed_end: item.proposedEnd,
          });
        }
        workItems = applier.work.length;
        if (run.stream && ordering) {
          ctx.sqlite
            .prepare(
              `INSERT INTO import_stream (stream, format, ordering, run_id, applied_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (stream) DO UPDATE SET ordering = excluded.ordering, run_id = excluded.run_id, applied_at = excluded.applied_at`,
            )
            .run(run.stream, run.format, JSON.stringify(ordering), input.runId, ctx.clock.now());
        }
        ctx.sqlite.prepare(`UPDATE import_run SET state = 'applied', applied_at = ? WHERE id = ?`).run(ctx.clock.now(), input.runId);
        job.audit.action = 'import';
        job.audit.detail('import', input.runId).detail('format', run.format).detail('changes', done).detail('persons', persons).detail('parts', parts).detail('workItems', workItems);
      });
    } finally {
      if (attached) detachStaging(ctx.sqlite, STAGED);
      staging.close();
    }
    // The dry run and the upload have served their purpose; the register and its change log keep the facts.
    removeStaging(path);
    try {
      const run = runRow(ctx.sqlite, input.runId);
      job.files.remove(run.file_id);
    } catch {
      // The upload expires on its own.
    }
    return { changes: done, persons, workItems };
  },
};

/**
 * Drops the secondary indexes of BULK_INDEXES and the trigram index's triggers (inside the caller's
 * transaction); `restore` builds them again and indexes the persons added meanwhile for search.
 */
function suspendIndexes(sqlite: import('better-sqlite3').Database): { restore(): void } {
  const indexes = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(BULK_INDEXES)) as { name: string; sql: string }[];
  // Only the insert trigger: updates of existing persons (a new name, a new number) keep theirs, so the index
  // stays right for them without knowing their old text later.
  const triggers = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name = 'person_fts_ai'`).all() as { name: string; sql: string }[];
  const maxRowid = (sqlite.prepare('SELECT coalesce(max(rowid), 0) FROM person').pluck().get() as number) ?? 0;
  for (const i of indexes) sqlite.exec(`DROP INDEX "${i.name}"`);
  for (const t of triggers) sqlite.exec(`DROP TRIGGER "${t.name}"`);
  return {
    restore() {
      // Each index is built by a sort that takes as much memory as the page cache is large, on top of it: with
      // a smaller cache meanwhile the import's peak stays about 60 MB lower, for about the same time.
      const cache = sqlite.pragma('cache_size', { simple: true }) as number;
      sqlite.pragma(`cache_size = ${Math.max(cache, -16384)}`);
      try {
        for (const i of indexes) sqlite.exec(i.sql);
      } finally {
        sqlite.pragma(`cache_size = ${cache}`);
      }
      // Only the persons added meanwhile need indexing (rowids above the largest before the apply).
      sqlite.prepare(`INSERT INTO person_fts(rowid, search_text) SELECT rowid, search_text FROM person WHERE rowid > ?`).run(maxRowid);
      for (const t of triggers) sqlite.exec(t.sql);
    },
  };
}
