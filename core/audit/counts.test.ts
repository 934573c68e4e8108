/**
 * What the audit screen's two numbers count (the "47 entries checked" beside "1–46 of 46" a tester saw):
 * a search of the log is logged after its answer is read, so the check of the chain, which is not logged,
 * counts that search's own entry too; the screen reads the list again after a check, and then both agree.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from '../app';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { makeTestCore, type TestCore } from '../../test/util/core';

let core: TestCore;
let auditor: Connection;
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};

beforeAll(() => {
  core = makeTestCore({ persons: 50 });
  auditor = core.connect('counts-test');
  data(auditor.call('auth.signIn', { username: 'auditor', password: 'kansli-demo-2026' }));
});
afterAll(() => core.dispose());

it('the chain check counts the last search’s own entry; the list read after the check shows the same number', () => {
  const first = data<MethodOutput<'audit.query'>>(auditor.call('audit.query', { offset: 0, limit: 50 }));
  const verified = data<MethodOutput<'audit.verify'>>(auditor.call('audit.verify', {}));
  expect(verified.ok).toBe(true);
  expect(verified.entries).toBe(first.total + 1);
  const newest = core.db.sqlite.prepare(`SELECT method, action FROM audit_log ORDER BY seq DESC LIMIT 1`).get();
  expect(newest).toEqual({ method: 'audit.query', action: 'audit' });
  // The check itself is not logged: the list read again holds exactly what was checked.
  const again = data<MethodOutput<'audit.query'>>(auditor.call('audit.query', { offset: 0, limit: 50 }));
  expect(again.total).toBe(verified.entries);
  expect(again.items[0]!.seq).toBe(verified.entries);
});
