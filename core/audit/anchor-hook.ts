/**
 * Called after every commit on a connection that may have appended audit entries (the core's and each
 * job worker's). The audit chain's anchor (a checkpoint outside the database) is written here once the
 * entries are really committed.
 */
import type Database from 'better-sqlite3';

const hooks: ((sqlite: Database.Database) => void)[] = [];

export function onAuditCommit(hook: (sqlite: Database.Database) => void): void {
  hooks.push(hook);
}

export function anchorAfterCommit(sqlite: Database.Database): void {
  for (const h of hooks) h(sqlite);
}
