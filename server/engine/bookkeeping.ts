/**
 * The replica's own bookkeeping kept in PostgreSQL as well (migration 0007): the population-register
 * imports' runs and each delivery stream's last applied file. They are no register records (the feed does
 * not carry them, workstations ask the server for them), but they must outlive the replica, which is
 * derived and may be rebuilt: without the stream's last file a rebuilt server would take a delta out of
 * order. Saved in the transaction that changed them; put back when the replica opens.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';

const TABLES = { import_run: 'id', import_stream: 'stream' } as const;
type Table = keyof typeof TABLES;

/** Calls that change the bookkeeping: an import's start, its apply and its discard. */
export const changesBookkeeping = (method: string): boolean => method === 'import.start' || method === 'import.apply' || method === 'import.discard';

/** Writes the bookkeeping tables of `sqlite` to PostgreSQL in `c`'s transaction (a few thousand rows at most). */
export async function saveBookkeeping(c: pg.PoolClient, sqlite: Database.Database): Promise<void> {
  for (const [tbl, key] of Object.entries(TABLES) as [Table, string][]) {
    const rows = sqlite.prepare(`SELECT * FROM ${tbl}`).all() as Record<string, unknown>[];
    if (!rows.length) continue;
    await c.query(
      `INSERT INTO replica_row (tbl, id, data) SELECT $1, x.id, x.data FROM jsonb_to_recordset($2::jsonb) AS x(id text, data jsonb)
       ON CONFLICT (tbl, id) DO UPDATE SET data = excluded.data WHERE replica_row.data IS DISTINCT FROM excluded.data`,
      [tbl, JSON.stringify(rows.map((r) => ({ id: String(r[key]), data: r })))],
    );
  }
}

/**
 * Puts PostgreSQL's bookkeeping into the replica (which commits after PostgreSQL: PostgreSQL's copy is never
 * older). A run that was reading or applying when the server stopped has no job left to finish it: a read
 * ends failed, an apply goes back to ready (its work never committed).
 */
export async function restoreBookkeeping(pool: pg.Pool, sqlite: Database.Database): Promise<number> {
  const rows = (await pool.query<{ tbl: string; data: Record<string, unknown> }>('SELECT tbl, data FROM replica_row')).rows;
  const columns = new Map<string, Set<string>>();
  for (const tbl of Object.keys(TABLES)) columns.set(tbl, new Set((sqlite.pragma(`table_info(${tbl})`) as { name: string }[]).map((c) => c.name)));
  const hasJob = sqlite.prepare(`SELECT 1 FROM job WHERE id = ? AND state IN ('queued', 'running')`).pluck();
  let n = 0;
  sqlite.transaction(() => {
    for (const r of rows) {
      const cols = columns.get(r.tbl);
      if (!cols) continue;
      const data = { ...r.data };
      if (r.tbl === 'import_run') {
        if (data.state === 'reading' && !hasJob.get(data.read_job_id ?? '')) data.state = 'failed';
        if (data.state === 'applying' && !hasJob.get(data.apply_job_id ?? '')) data.state = 'ready';
      }
      const keys = Object.keys(data).filter((k) => cols.has(k));
      sqlite.prepare(`INSERT OR REPLACE INTO ${r.tbl} (${keys.join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`).run(...keys.map((k) => data[k] ?? null));
      n++;
    }
  })();
  return n;
}
