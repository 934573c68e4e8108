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
}
