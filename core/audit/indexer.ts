/**
 * Builds the audit log's person index behind the log (chain.ts, "The person index is built behind the
 * log") on the core's own connection, when the core is idle: a check every `intervalMs` (two primary-key
 * lookups), then steps of at most `maxRows` person rows with the event loop free between them, so a call
 * that arrives meanwhile waits for one step at most (measured on the 500 000-person bench register: about
 * 21 µs a row once the index holds a few hundred thousand, so about 20 ms for the default 1 000). A step
 * never waits for the write lock: while a job holds it (an import, the rollover), the step is skipped and
 * tried again at the next check. A query by person is complete whatever the index's lag (query.ts).
 */
import type Database from 'better-sqlite3';
import { indexAuditPersons, personIndexLag, type PersonIndexStep } from './chain';
import { withoutWaiting, isBusy } from './sink';

export interface AuditIndexerOptions {
  intervalMs?: number;
  maxRows?: number;
  onError?: (event: string, err: unknown) => void;
}

export class AuditIndexer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly intervalMs: number;
  private readonly maxRows: number;
  private readonly step: Database.Transaction<(maxRows: number) => PersonIndexStep>;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly opts: AuditIndexerOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.maxRows = opts.maxRows ?? 1000;
    this.step = sqlite.transaction((maxRows: number) => indexAuditPersons(sqlite, maxRows));
  }

  /** Starts the idle checks. */
  start(): void {
    if (!this.closed && !this.timer) this.schedule(this.intervalMs);
  }

  /**
   * One step now, without waiting for the lock; null when the lock is taken or a transaction is open on
   * the connection (a handler between its awaits).
   */
  runStep(maxRows = this.maxRows): PersonIndexStep | null {
    if (!this.sqlite.open || this.sqlite.inTransaction) return null;
    try {
      return withoutWaiting(this.sqlite, () => this.step.immediate(maxRows));
    } catch (e) {
      if (isBusy(e)) return null;
      throw e;
    }
  }

  /** Entries not indexed yet. */
  lag(): number {
    return personIndexLag(this.sqlite);
  }

  /** Steps until the index has caught up or `budgetMs` has passed (the core's close); the rows indexed. */
  drain(budgetMs = Number.POSITIVE_INFINITY): number {
    const until = performance.now() + budgetMs;
    let rows = 0;
    while (performance.now() < until) {
      const r = this.runStep();
      if (!r) break;
      rows += r.rows;
      if (!r.behind) break;
    }
    return rows;
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = null;
    if (this.closed) return;
    let next = this.intervalMs;
    try {
      if (this.lag() > 0) {
        const r = this.runStep();
        // More to do: the next step after the event loop has had its turn (calls that arrived meanwhile).
        if (r && r.behind > 0) next = 0;
      }
    } catch (e) {
      if (this.opts.onError) this.opts.onError('audit_person_index_failed', e);
      else process.stderr.write(`audit_person_index_failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    if (!this.closed) this.schedule(next);
  }
}
