/**
 * The audit log's person index built behind the log, on a real core over a real SQLite file: when idle,
 * in bounded steps, never waiting for a write lock another connection holds, and complete at close.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { personIndexMark, verifyAuditChain } from './chain';
import { AuditIndexer } from './indexer';

let core: TestCore;
const persons: string[] = [];

beforeEach(() => {
  core = makeTestCore();
  core.services.auditIndex.stop(); // this file drives its own indexers
  persons.length = 0;
  for (let i = 0; i < 12; i++) persons.push(core.ok('person.create', { givenName: `Namn${i}`, familyName: 'Berg', birthDate: '2016-01-01' }).id);
  core.ok('person.list', { limit: 50 }); // one entry naming all twelve
});

afterEach(() => core.dispose());

const indexedRows = () => core.db.sqlite.prepare('SELECT count(*) FROM audit_person').pluck().get() as number;

describe('AuditIndexer', () => {
  it('indexes in steps of whole entries and leaves a chain that verifies', () => {
    const ix = new AuditIndexer(core.db.sqlite, { maxRows: 5 });
    const lag = ix.lag();
    expect(lag).toBeGreaterThan(12);
    let steps = 0;
    while (ix.lag()) {
      const r = ix.runStep();
      expect(r).not.toBeNull();
      steps++;
    }
    expect(steps).toBeGreaterThan(2);
    expect(personIndexMark(core.db.sqlite)).toBe(core.db.sqlite.prepare('SELECT max(seq) FROM audit_log').pluck().get());
    expect(indexedRows()).toBe(core.db.sqlite.prepare('SELECT sum(json_array_length(person_ids)) FROM audit_log').pluck().get());
    expect(verifyAuditChain(core.db.sqlite).ok).toBe(true);
  });

  it('does not wait while another connection holds the write lock, and goes on once it is released', () => {
    const ix = new AuditIndexer(core.db.sqlite);
    const other = new Database(core.db.sqlite.name);
    try {
      other.exec('BEGIN IMMEDIATE');
      // Had the step waited for the lock with the connection's own timeout, the test would time out.
      core.db.sqlite.pragma('busy_timeout = 600000');
      expect(ix.runStep()).toBeNull();
      expect(ix.drain()).toBe(0);
      expect(Number(core.db.sqlite.pragma('busy_timeout', { simple: true }))).toBe(600000);
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect(ix.drain()).toBeGreaterThan(0);
    expect(ix.lag()).toBe(0);
  });

  it('skips a step while a transaction is open on its own connection', () => {
    const ix = new AuditIndexer(core.db.sqlite);
    core.db.sqlite.exec('BEGIN');
    try {
      expect(ix.runStep()).toBeNull();
    } finally {
      core.db.sqlite.exec('ROLLBACK');
    }
    expect(ix.runStep()).not.toBeNull();
  });

  it('catches up on its own when started, and stops', async () => {
    const ix = new AuditIndexer(core.db.sqlite, { intervalMs: 5, maxRows: 3 });
    ix.start();
    await vi.waitFor(() => expect(ix.lag()).toBe(0), { timeout: 5000, interval: 10 });
    ix.stop();
    core.ok('person.list', { limit: 50 });
    await new Promise((ok) => setTimeout(ok, 50));
    expect(ix.lag()).toBe(1);
  });

  it('the core indexes what is left when it closes', () => {
    const path = core.db.sqlite.name;
    expect(core.services.auditIndex.lag()).toBeGreaterThan(0);
    core.close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare(`SELECT CAST(value AS INTEGER) FROM app_meta WHERE key = 'audit.person_index'`).pluck().get()).toBe(
        db.prepare('SELECT max(seq) FROM audit_log').pluck().get(),
      );
    } finally {
      db.close();
    }
  });
});
