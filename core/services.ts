/** The core's long-lived services, handed to every call through its context. */
import type { MutationRegistry } from './api/mutations';
import type { AuditIndexer } from './audit/indexer';
import type { EventHub } from './events';
import type { FileStore } from './files/store';
import type { JobRunner } from './jobs/runner';

export interface CoreServices {
  jobs: JobRunner;
  files: FileStore;
  events: EventHub;
  mutations: MutationRegistry;
  /** Builds the audit log's person index when the core is idle (audit/indexer.ts). */
  auditIndex: AuditIndexer;
  /** After every commit on the core's own connection: the audit chain's anchor, caches. */
  afterCommit(): void;
  /**
   * Joined mode only (core/sync/client.ts): records a write in the outbox, inside the write's transaction,
   * and learns that a write committed (to push it soon). Absent in standalone mode and on the server.
   */
  outbox?: {
    record(sqlite: import('better-sqlite3').Database, mutationId: string, actorId: string, method: string, input: unknown, at: string): void;
    committed(): void;
  };
}
