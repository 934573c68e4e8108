/** The pool's connections carry their limits and name from the first statement, on a real PostgreSQL. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../testing/pg';
import { createPool } from './pool';

let pgc: TestPostgres;
beforeAll(async () => {
  pgc = await startTestPostgres();
});
afterAll(async () => {
  await pgc.stop();
});

it('sets statement_timeout, idle_in_transaction_session_timeout and application_name on every connection', async () => {
  const pool = createPool(await pgc.database('pool'), { statementTimeoutMs: 250, idleInTransactionTimeoutMs: 4000, applicationName: 'kansli-test' });
  try {
    const r = await pool.query<{ st: string; idle: string; app: string }>(
      `SELECT current_setting('statement_timeout') AS st, current_setting('idle_in_transaction_session_timeout') AS idle,
              (SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()) AS app`,
    );
    expect(r.rows[0]).toEqual({ st: '250ms', idle: '4s', app: 'kansli-test' });
    // The limit is real: a longer statement is cancelled by PostgreSQL.
    await expect(pool.query('SELECT pg_sleep(1)')).rejects.toMatchObject({ code: '57014' });
  } finally {
    await pool.end();
  }
});

it('defaults: one minute per statement, named kansli-server', async () => {
  const pool = createPool(await pgc.database('pool'));
  try {
    const r = await pool.query<{ st: string; app: string }>(`SELECT current_setting('statement_timeout') AS st, current_setting('application_name') AS app`);
    expect(r.rows[0]).toEqual({ st: '1min', app: 'kansli-server' });
  } finally {
    await pool.end();
  }
});
