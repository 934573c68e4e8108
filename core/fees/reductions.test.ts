/**
 * Norwegian fee reductions (`fee.reductions`, `fee.reductionAdd`, `fee.reductionEnd`, `fee.reductionRemove`)
 * on a real core over a Norwegian demo register: who may, every refusal by name (a short or open-ended
 * illness, an overlap of one kind, an end before the start, a missing child, a Swedish municipality), the
 * national rule's school year, the write path's records and change log, the audit without the note, and
 * the read month.ts uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { reductionsInMonth, schoolYearEnd, spanDays } from './reductions';

let core: TestCore;
let fee: Connection;
let clerk: Connection;
let clerkAll: Connection;
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
type List = MethodOutput<'fee.reductions'>;
type Written = MethodOutput<'fee.reductionAdd'>;

/** Children of the demo (each test takes its own, so the overlap checks of one do not meet another's). */
let children: string[] = [];

beforeAll(() => {
  core = makeTestCore({ persons: 300, country: 'NO' });
  fee = core.connect('fees-reductions');
  data(fee.call('auth.signIn', { username: 'fee', password: DEMO_PASSWORD }));
  clerk = core.connect('fees-reductions-clerk');
  data(clerk.call('auth.signIn', { username: 'clerk', password: DEMO_PASSWORD }));
  clerkAll = core.connect('fees-reductions-clerk-all');
  data(clerkAll.call('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD }));
  children = core.db.sqlite.prepare(`SELECT id FROM person WHERE is_child = 1 AND deleted_at IS NULL ORDER BY id LIMIT 10`).pluck().all() as string[];
  expect(children.length).toBe(10);
});
afterAll(() => core.dispose());

const list = (childId: string) => data<List>(fee.call('fee.reductions', { childId })).items;

describe('dates', () => {
  it('the school year ends on 31 July; a span counts both its days', () => {
    expect(schoolYearEnd('2026-08-01')).toBe('2027-07-31');
    expect(schoolYearEnd('2026-12-31')).toBe('2027-07-31');
    expect(schoolYearEnd('2027-01-15')).toBe('2027-07-31');
    expect(schoolYearEnd('2027-07-31')).toBe('2027-07-31');
    expect(spanDays('2026-09-01', '2026-09-28')).toBe(28);
    expect(spanDays('2026-02-01', '2026-02-28')).toBe(28);
    expect(spanDays('2026-03-28', '2026-03-29')).toBe(2);
  });
});

describe('fee.reductionAdd', () => {
  it('is the fee administrator\'s: a clerk, also one for the whole municipality, is refused reading and writing', () => {
    const child = children[0]!;
    for (const c of [clerk, clerkAll]) {
      expect(c.call('fee.reductions', { childId: child })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(c.call('fee.reductionAdd', { childId: child, kind: 'special_needs', validFrom: '2026-09-01' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(c.call('fee.reductionEnd', { id: crypto.randomUUID(), version: 1, validTo: '2026-12-31' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(c.call('fee.reductionRemove', { id: crypto.randomUUID(), version: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(core.db.sqlite.prepare('SELECT count(*) FROM fee_reduction').pluck().get()).toBe(0);
  });

  it('records an illness of four weeks through the write path, listed with who entered it, audited without the note', () => {
    const child = children[1]!;
    const note = 'Legeerklæring: innlagt på sykehus';
    const r = data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-09-01', validTo: '2026-09-30', note }));
    expect(r.version).toBe(1);
    expect(list(child)).toEqual([
      { id: r.id, childId: child, kind: 'illness', validFrom: '2026-09-01', validTo: '2026-09-30', note, createdAt: expect.any(String), createdByName: 'Frej Avgift (demo)', version: 1 },
    ]);
    // One change record, off the child's card history (no person on it), with the call's mutation id.
    const log = core.db.sqlite.prepare(`SELECT op, person_id, mutation_id FROM change_log WHERE entity = 'fee_reduction' AND entity_id = ?`).all(r.id) as { op: string; person_id: string | null; mutation_id: string | null }[];
    expect(log).toEqual([{ op: 'create', person_id: null, mutation_id: expect.any(String) }]);
    // The audit names the child, the reduction and the dates; never its kind (health data) or the note.
    const entry = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'fee.reductionAdd' AND action = 'write' ORDER BY rowid DESC LIMIT 1`).get() as { person_ids: string; details: string };
    expect(JSON.parse(entry.person_ids)).toEqual([child]);
    expect(JSON.parse(entry.details)).toMatchObject({ reduction: r.id, validFrom: '2026-09-01', validTo: '2026-09-30' });
    expect(entry.details).not.toContain('illness');
    expect(entry.details).not.toContain('sykehus');
    const read = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'fee.reductions' ORDER BY rowid DESC LIMIT 1`).get() as { person_ids: string; details: string };
    expect(JSON.parse(read.person_ids)).toEqual([child]);
    expect(read.details).not.toContain('sykehus');
  });

  it('refuses an illness shorter than four weeks, and one without its last day, at validTo; nothing is stored', () => {
    const child = children[2]!;
    // 27 days: one short.
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-10-01', validTo: '2026-10-27' })).toMatchObject({
      ok: false,
      error: { code: 'rule_violation', rule: 'fee_illness_short', field: 'validTo', details: { days: 27, min: 28 } },
    });
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-10-01' })).toMatchObject({
      ok: false,
      error: { code: 'validation', field: 'validTo', issues: [{ field: 'validTo', code: 'required' }] },
    });
    // Exactly 28 days is four weeks.
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-10-01', validTo: '2026-10-28' }));
    expect(list(child)).toHaveLength(1);
  });

  it('refuses an end before the start, a child that does not exist, and a kind or date the contract does not know', () => {
    const child = children[3]!;
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'special_needs', validFrom: '2026-10-01', validTo: '2026-09-30' })).toMatchObject({
      ok: false,
      error: { code: 'rule_violation', rule: 'end_before_start', field: 'validTo' },
    });
    expect(fee.call('fee.reductionAdd', { childId: crypto.randomUUID(), kind: 'special_needs', validFrom: '2026-10-01' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'childId' } });
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'holiday', validFrom: '2026-10-01' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'kind' } });
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-02-30', validTo: '2026-04-01' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'validFrom' } });
    expect(fee.call('fee.reductions', { childId: crypto.randomUUID() })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'childId' } });
    expect(list(child)).toEqual([]);
  });

  it('refuses two reductions of one kind that overlap, at validFrom; another kind may overlap, and so may the next span', () => {
    const child = children[4]!;
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'special_needs', validFrom: '2026-09-01' }));
    // Open-ended: anything later overlaps it.
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'special_needs', validFrom: '2027-03-01', validTo: '2027-04-30' })).toMatchObject({
      ok: false,
      error: { code: 'rule_violation', rule: 'fee_reduction_overlap', field: 'validFrom', details: { from: '2026-09-01', to: '' } },
    });
    // An earlier open-ended one overlaps it too.
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'special_needs', validFrom: '2026-01-01' })).toMatchObject({ ok: false, error: { rule: 'fee_reduction_overlap' } });
    // Another kind over the same days is fine.
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-11-01', validTo: '2026-12-15' }));
    // Illness: the same last day as another's first day overlaps; the day after does not.
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-12-15', validTo: '2027-01-31' })).toMatchObject({
      ok: false,
      error: { rule: 'fee_reduction_overlap', field: 'validFrom', details: { from: '2026-11-01', to: '2026-12-15' } },
    });
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-10-01', validTo: '2026-11-01' })).toMatchObject({ ok: false, error: { rule: 'fee_reduction_overlap' } });
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-12-16', validTo: '2027-01-31' }));
    expect(list(child).map((r) => [r.kind, r.validFrom, r.validTo])).toEqual([
      ['illness', '2026-12-16', '2027-01-31'],
      ['illness', '2026-11-01', '2026-12-15'],
      ['special_needs', '2026-09-01', null],
    ]);
  });

  it('gives a national rule without a last day the school year that holds its first day', () => {
    const child = children[5]!;
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'national_rule', validFrom: '2026-08-01' }));
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'national_rule', validFrom: '2028-01-10' }));
    // The school year 2026/27 is granted already.
    expect(fee.call('fee.reductionAdd', { childId: child, kind: 'national_rule', validFrom: '2027-03-01' })).toMatchObject({ ok: false, error: { rule: 'fee_reduction_overlap' } });
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'national_rule', validFrom: '2027-08-01', validTo: '2027-12-31' }));
    expect(list(child).map((r) => [r.validFrom, r.validTo])).toEqual([
      ['2028-01-10', '2028-07-31'],
      ['2027-08-01', '2027-12-31'],
      ['2026-08-01', '2027-07-31'],
    ]);
  });
});

describe('fee.reductionEnd and fee.reductionRemove', () => {
  it('ends a reduction earlier or later under the same rules, refusing a stale version', () => {
    const child = children[6]!;
    const sn = data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'special_needs', validFrom: '2026-09-01' }));
    const ill = data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-10-01', validTo: '2026-11-30' }));
    const later = data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2027-01-01', validTo: '2027-02-28' }));

    const ended = data<Written>(fee.call('fee.reductionEnd', { id: sn.id, version: 1, validTo: '2026-12-31' }));
    expect(ended.version).toBe(2);
    expect(list(child).find((r) => r.id === sn.id)).toMatchObject({ validTo: '2026-12-31', version: 2 });
    // The version the form was loaded with: an older one is a conflict.
    expect(fee.call('fee.reductionEnd', { id: sn.id, version: 1, validTo: '2026-11-30' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // The same rules as when it was added.
    expect(fee.call('fee.reductionEnd', { id: ill.id, version: 1, validTo: '2026-10-20' })).toMatchObject({ ok: false, error: { rule: 'fee_illness_short', field: 'validTo' } });
    expect(fee.call('fee.reductionEnd', { id: sn.id, version: 2, validTo: '2026-08-31' })).toMatchObject({ ok: false, error: { rule: 'end_before_start', field: 'validTo' } });
    expect(fee.call('fee.reductionEnd', { id: ill.id, version: 1, validTo: '2027-01-15' })).toMatchObject({
      ok: false,
      error: { rule: 'fee_reduction_overlap', details: { from: '2027-01-01', to: '2027-02-28' } },
    });
    expect(data<Written>(fee.call('fee.reductionEnd', { id: ill.id, version: 1, validTo: '2026-12-31' })).version).toBe(2);
    expect(fee.call('fee.reductionEnd', { id: crypto.randomUUID(), version: 1, validTo: '2026-12-31' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'id' } });
    const entry = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'fee.reductionEnd' AND action = 'write' ORDER BY rowid DESC LIMIT 1`).get() as { person_ids: string; details: string };
    expect(JSON.parse(entry.person_ids)).toEqual([child]);
    expect(JSON.parse(entry.details)).toMatchObject({ reduction: ill.id, validTo: ['2026-11-30', '2026-12-31'] });
    expect(entry.details).not.toContain('illness');
    void later;
  });

  it('removes one recorded by mistake: kept as removed, no longer listed or read, its days free for another', () => {
    const child = children[7]!;
    const r = data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-09-01', validTo: '2026-10-15' }));
    expect(fee.call('fee.reductionRemove', { id: r.id, version: 2 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(data<Written>(fee.call('fee.reductionRemove', { id: r.id, version: 1 })).version).toBe(2);
    expect(list(child)).toEqual([]);
    expect(core.db.sqlite.prepare('SELECT deleted_at IS NOT NULL FROM fee_reduction WHERE id = ?').pluck().get(r.id)).toBe(1);
    expect(core.db.sqlite.prepare(`SELECT group_concat(op) FROM change_log WHERE entity = 'fee_reduction' AND entity_id = ? ORDER BY seq`).pluck().get(r.id)).toBe('create,update');
    // Removed: neither ended nor removed again.
    expect(fee.call('fee.reductionRemove', { id: r.id, version: 2 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(fee.call('fee.reductionEnd', { id: r.id, version: 2, validTo: '2026-12-31' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(reductionsInMonth(core.ctx, '2026-09-01', '2026-09-30', [child])).toEqual([]);
    // The same days may be recorded again.
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-09-01', validTo: '2026-10-15' }));
    const entry = core.db.sqlite.prepare(`SELECT person_ids, details FROM audit_log WHERE method = 'fee.reductionRemove' AND action = 'write' ORDER BY rowid DESC LIMIT 1`).get() as { person_ids: string; details: string };
    expect(JSON.parse(entry.person_ids)).toEqual([child]);
    expect(JSON.parse(entry.details)).toMatchObject({ reduction: r.id, removed: true });
  });
});

describe('reductionsInMonth', () => {
  it('reads the reductions in force on some day of the month, for the children asked for or all', () => {
    const child = children[8]!;
    const other = children[9]!;
    const a = data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2027-02-20', validTo: '2027-03-31' }));
    const b = data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'special_needs', validFrom: '2027-03-31' }));
    const c = data<Written>(fee.call('fee.reductionAdd', { childId: other, kind: 'national_rule', validFrom: '2026-08-01' }));
    data<Written>(fee.call('fee.reductionAdd', { childId: child, kind: 'national_rule', validFrom: '2027-04-01', validTo: '2027-04-30' }));
    expect(reductionsInMonth(core.ctx, '2027-03-01', '2027-03-31', [child])).toEqual([
      { id: a.id, child_id: child, kind: 'illness', valid_from: '2027-02-20', valid_to: '2027-03-31' },
      { id: b.id, child_id: child, kind: 'special_needs', valid_from: '2027-03-31', valid_to: null },
    ]);
    // Both children's (the other's national rule runs to July), by child.
    const both = reductionsInMonth(core.ctx, '2027-03-01', '2027-03-31', [child, other]);
    expect(both.map((r) => r.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(both.map((r) => r.child_id)).toEqual(both.map((r) => r.child_id).sort());
    expect(reductionsInMonth(core.ctx, '2027-03-01', '2027-03-31', [])).toEqual([]);
    const all = reductionsInMonth(core.ctx, '2027-03-01', '2027-03-31', null);
    expect(all.map((r) => r.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    expect(all.every((r) => r.valid_from <= '2027-03-31' && (r.valid_to === null || r.valid_to >= '2027-03-01'))).toBe(true);
    // Before the illness: none of the child's.
    expect(reductionsInMonth(core.ctx, '2027-01-01', '2027-01-31', [child])).toEqual([]);
  });
});

describe('a Swedish municipality', () => {
  it('refuses every reduction as unavailable, with a clear message', () => {
    const se = makeTestCore({ persons: 60, country: 'SE' });
    try {
      const c = se.connect('fees-reductions-se');
      data(c.call('auth.signIn', { username: 'fee', password: DEMO_PASSWORD }));
      const child = se.db.sqlite.prepare('SELECT id FROM person WHERE is_child = 1 LIMIT 1').pluck().get() as string;
      const r = c.call('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-09-01', validTo: '2026-09-30' });
      expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(!r.ok && r.error.message).toMatch(/Norwegian/);
      expect(c.call('fee.reductionEnd', { id: crypto.randomUUID(), version: 1, validTo: '2026-09-30' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(c.call('fee.reductionRemove', { id: crypto.randomUUID(), version: 1 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      // Nothing to list there either.
      expect(data<List>(c.call('fee.reductions', { childId: child })).items).toEqual([]);
      expect(se.db.sqlite.prepare('SELECT count(*) FROM fee_reduction').pluck().get()).toBe(0);
    } finally {
      se.dispose();
    }
  });
});
