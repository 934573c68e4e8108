/**
 * The server's connection pool. Every connection carries its limits from the start (PostgreSQL applies
 * `statement_timeout` and `idle_in_transaction_session_timeout` as session settings at connect), so a runaway
 * query or a transaction left open by a bug cannot hold locks for ever, and `application_name` names the
 * server in the DBA's pg_stat_activity.
 */
import pg from 'pg';

export interface PoolOptions {
  applicationName?: string;
  /** Per statement; the longest legitimate statement is a server job's bulk insert. */
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  /** How long a request waits for a free connection before failing (rather than queueing for ever). */
  connectionTimeoutMs?: number;
  max?: number;
  /** Called with the error's code only when an idle connection fails (the database restarted, a network cut). */
  onIdleError?: (code: string) => void;
}

export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    application_name: opts.applicationName ?? 'kansli-server',
    statement_timeout: opts.statementTimeoutMs ?? 60_000,
    idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs ?? 60_000,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000,
    max: opts.max ?? 20,
  });
  // Without a listener an idle client's error (the database restarting) is an uncaught 'error' event and
  // kills the process; the pool drops that client and opens a new one on the next checkout.
  pool.on('error', (e) => opts.onIdleError?.(String((e as { code?: unknown }).code ?? e.name)));
  return pool;
}
