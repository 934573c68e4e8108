/**
 * The persons a user opened last on this workstation (the search screen's start page).
 *
 * - Written when a card is opened (`person.get`), per user and workstation, at most RECENT_CAP per pair:
 *   opening a person again moves them to the top.
 * - The workstation is the data folder: its id is made once and kept in app_meta (`workstation.id`). The
 *   desktop app and the browser host each keep their database in their own data folder, so one id per
 *   data folder is one id per workstation.
 * - Nothing here decides who may see whom: the reader checks every id again when the list is read
 *   (core/register/handlers.ts), because a person may have become protected, or the user may have lost
 *   the unit, since the card was opened.
 * - Opening a card is a read and must not wait for the write lock a long job (an import, the rollover)
 *   holds for tens of seconds: the opening is kept in memory and written after the call's transaction,
 *   trying the lock without waiting (as the audit sink does, core/audit/sink.ts); while the lock is taken
 *   it stays in memory and is written on a later try. The list read merges both.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

export const RECENT_CAP = 20;
const WORKSTATION_KEY = 'workstation.id';

interface Opening {
  userId: string;
  personId: string;
  openedAt: string;
}

const isBusy = (e: unknown) => typeof e === 'object' && e !== null && 'code' in e && String((e as { code: unknown }).code).startsWith('SQLITE_BUSY');

export class RecentPersons {
  private pending: Opening[] = [];
  private scheduled = false;
  private workstation: string | null = null;
  private readonly s: Record<'getWs' | 'setWs' | 'upsert' | 'prune' | 'list', Database.Statement>;

  constructor(private readonly sqlite: Database.Database) {
    this.s = {
      getWs: sqlite.prepare(`SELECT value FROM app_meta WHERE key = '${WORKSTATION_KEY}'`).pluck(),
      setWs: sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES ('${WORKSTATION_KEY}', ?) ON CONFLICT(key) DO NOTHING`),
      upsert: sqlite.prepare(
        `INSERT INTO recent_person (user_id, workstation_id, person_id, opened_at, seq)
         VALUES (@user, @ws, @person, @at, (SELECT coalesce(max(seq), 0) + 1 FROM recent_person WHERE user_id = @user AND workstation_id = @ws))
         ON CONFLICT (user_id, workstation_id, person_id) DO UPDATE SET opened_at = excluded.opened_at, seq = excluded.seq`,
      ),
      prune: sqlite.prepare(
        `DELETE FROM recent_person WHERE user_id = @user AND workstation_id = @ws AND seq <= coalesce(
           (SELECT seq FROM recent_person WHERE user_id = @user AND workstation_id = @ws ORDER BY seq DESC LIMIT 1 OFFSET ${RECENT_CAP}), -1)`,
      ),
      list: sqlite.prepare(`SELECT person_id FROM recent_person WHERE user_id = ? AND workstation_id = ? ORDER BY seq DESC LIMIT ${RECENT_CAP}`).pluck(),
    };
  }

  /** This workstation's id, or null while none has been written (nothing was opened here yet). */
  private workstationId(): string | null {
    this.workstation ??= (this.s.getWs.get() as string | undefined) ?? null;
    return this.workstation;
  }

  /** Records that the user opened the person's card; written after the current call (see the header). */
  opened(userId: string, personId: string, openedAt: string): void {
    this.pending.push({ userId, personId, openedAt });
    if (this.pending.length > 1000) this.pending.splice(0, this.pending.length - 1000);
    this.schedule(false);
  }

  /** A try after the current call (setImmediate), or a retry in a few seconds while the lock was taken. */
  private schedule(later: boolean): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      let done = true;
      try {
        done = this.flush();
      } catch {
        // Best effort: a list of recently opened persons is no reason to fail or stop anything; the
        // openings stay in memory (bounded) and are tried again with the next one.
      }
      if (!done && this.sqlite.open) this.schedule(true);
    };
    if (later) setTimeout(run, 2000).unref();
    else setImmediate(run);
  }

  /** Writes what is pending if the lock is free now; returns whether nothing is left pending. */
  flush(): boolean {
    if (this.pending.length === 0) return true;
    if (!this.sqlite.open || this.sqlite.inTransaction) return false;
    const timeout = this.sqlite.pragma('busy_timeout', { simple: true }) as number;
    this.sqlite.pragma('busy_timeout = 0');
    try {
      const batch = this.pending;
      this.sqlite
        .transaction(() => {
          if (!this.workstationId()) {
            this.s.setWs.run(randomUUID());
            this.workstation = this.s.getWs.get() as string;
          }
          const ws = this.workstation!;
          const users = new Set<string>();
          for (const o of batch) {
            this.s.upsert.run({ user: o.userId, ws, person: o.personId, at: o.openedAt });
            users.add(o.userId);
          }
          for (const user of users) this.s.prune.run({ user, ws });
        })
        .immediate();
      this.pending = this.pending.slice(batch.length);
      return this.pending.length === 0;
    } catch (e) {
      if (isBusy(e)) return false;
      throw e;
    } finally {
      this.sqlite.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /** The user's persons on this workstation, the last opened first, at most RECENT_CAP, not yet checked. */
  list(userId: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const o = this.pending[i]!;
      if (o.userId === userId && !seen.has(o.personId)) {
        seen.add(o.personId);
        out.push(o.personId);
      }
    }
    const ws = this.workstationId();
    if (ws) {
      for (const id of this.s.list.all(userId, ws) as string[]) {
        if (!seen.has(id)) {
          seen.add(id);
          out.push(id);
        }
      }
    }
    return out.slice(0, RECENT_CAP);
  }
}
