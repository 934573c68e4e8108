/**
 * One PostgreSQL transaction on a pooled connection: COMMIT when `fn` returns, ROLLBACK when it throws (the
 * error goes on), the connection released either way. `lock` takes a transaction-scoped advisory lock first
 * (the engine's one writer); `settings` are SET LOCAL statements for this transaction only.
 */
import type pg from 'pg';

export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>, opts: { lock?: number; settings?: string[] } = {}): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    for (const s of opts.settings ?? []) await c.query(`SET LOCAL ${s}`);
    if (opts.lock !== undefined) await c.query('SELECT pg_advisory_xact_lock($1)', [opts.lock]);
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}
