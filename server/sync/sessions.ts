/**
 * Workstation sessions on the server: a bearer token per signed-in workstation, bound to a server-side
 * core connection (its account, roles and unit scopes, re-read from the server's own records on every
 * call: nothing a workstation says about permissions is trusted).
 *
 * The token is 256 random bits, kept here only as its SHA-256 (a heap dump does not hand out sessions).
 * The human's idle lock is the workstation's: while the user is away, the workstation keeps syncing so the
 * screen is current when they unlock. The server session therefore counts push, pull and the event
 * stream as activity, and ends on its own after `maxAgeMs` (12 h: a working day) or `idleMs` without any
 * of them (the workstation is gone); the workstation then signs in again.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from '../../core/app';

export interface SyncSession {
  readonly conn: Connection;
  /** Keeps the session alive and its core session from idling into `locked`. */
  touch(): void;
  onClose(fn: () => void): void;
}

interface Entry extends SyncSession {
  hash: string;
  opened: number;
  last: number;
  closers: (() => void)[];
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class Sessions {
  private readonly byHash = new Map<string, Entry>();

  constructor(
    private readonly opts: { maxAgeMs?: number; idleMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  open(conn: Connection): string {
    const token = randomBytes(32).toString('base64url');
    const hash = hashOf(token);
    const now = this.now();
    const e: Entry = {
      conn,
      hash,
      opened: now,
      last: now,
      closers: [],
      touch: () => {
        e.last = this.now();
        conn.session.lastActivityMs = e.last;
      },
      onClose: (fn) => void e.closers.push(fn),
    };
    this.byHash.set(hash, e);
    return token;
  }

  get(token: string): SyncSession | null {
    const e = this.byHash.get(hashOf(token));
    if (!e) return null;
    const now = this.now();
    if (now - e.opened > (this.opts.maxAgeMs ?? 12 * 3600_000) || now - e.last > (this.opts.idleMs ?? 3600_000) || e.conn.session.state === 'signed_out') {
      this.close(e);
      return null;
    }
    return e;
  }

  close(s: SyncSession): void {
    const e = s as Entry;
    if (!this.byHash.delete(e.hash)) return;
    for (const fn of e.closers.splice(0)) {
      try {
        fn();
      } catch {
        // A stream already gone.
      }
    }
  }

  closeAll(): void {
    for (const e of [...this.byHash.values()]) this.close(e);
  }
}
