/** The one write path on a real database: versions, bookkeeping, one change record per write with before/after. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { deleteRecord, insertRecord, insertRecordsFrom, readRecord, softDeleteRecord, updateRecord, updateRecordsFrom, writer } from './records';

let core: TestCore;
beforeAll(() => {
  core = makeTestCore({ persons: 40 });
});
afterAll(() => core.dispose());

const log = (id: string) =>
  core.db.sqlite.prepare(`SELECT entity, version, op, fields, changes, person_id, related_person_id, mutation_id, actor FROM change_log WHERE entity_id = ? ORDER BY seq`).all(id) as {
    entity: string;
    version: number;
    op: string;
    fields: string;
    changes: string;
    person_id: string | null;
    related_person_id: string | null;
    mutation_id: string | null;
    actor: string;
  }[];

describe('the one write path', () => {
  it('insert: version 1, bookkeeping, one change record with the values and the person it concerns', () => {
    const w = writer(core.ctx, { id: 'u1' }, 'm-1');
    const person = core.db.sqlite.prepare('SELECT id FROM person LIMIT 1').pluck().get() as string;
    const r = core.db.sqlite.transaction(() => insertRecord(w, 'person_contact', { person_id: person, kind: 'email', value: 'a@example.se', valid_from: '2026-01-01', valid_to: null }))();
    expect(r.version).toBe(1);
    const row = readRecord(w, 'person_contact', r.id)!;
    expect(row).toMatchObject({ version: 1, created_by: 'u1', updated_by: 'u1', created_at: w.now, updated_at: w.now, value: 'a@example.se' });
    expect(log(r.id)).toEqual([
      {
        entity: 'person_contact',
        version: 1,
        op: 'create',
        fields: JSON.stringify(['personId', 'kind', 'value', 'validFrom']),
        changes: JSON.stringify({ person_id: [null, person], kind: [null, 'email'], value: [null, 'a@example.se'], valid_from: [null, '2026-01-01'] }),
        person_id: person,
        related_person_id: null,
        mutation_id: 'm-1',
        actor: 'u1',
      },
    ]);
  });

  it('update: only what differs, one version up, before/after; nothing differs → nothing written; a stale version is a conflict', () => {
    const w = writer(core.ctx, { id: 'u2' }, 'm-2');
    const person = core.db.sqlite.prepare('SELECT id FROM person LIMIT 1').pluck().get() as string;
    const { id } = core.db.sqlite.transaction(() => insertRecord(w, 'person_contact', { person_id: person, kind: 'phone', value: '070-1', valid_from: '2026-01-01' }))();
    const r = core.db.sqlite.transaction(() => updateRecord(w, 'person_contact', id, { kind: 'phone', value: '070-2' }, { expectVersion: 1, op: 'correction' }))();
    expect(r).toEqual({ id, version: 2, changed: ['value'] });
    expect(log(id).at(-1)).toMatchObject({ version: 2, op: 'correction', fields: '["value"]', changes: JSON.stringify({ value: ['070-1', '070-2'] }) });
    expect(core.db.sqlite.transaction(() => updateRecord(w, 'person_contact', id, { value: '070-2' }))()).toEqual({ id, version: 2, changed: [] });
    expect(log(id)).toHaveLength(2);
    expect(() => core.db.sqlite.transaction(() => updateRecord(w, 'person_contact', id, { value: '070-3' }, { expectVersion: 1 }))()).toThrow(/changed by someone else/);
    expect(() => updateRecord(w, 'person_contact', randomUUID(), { value: 'x' })).toThrow(/No such person contact/);
  });

  it('soft delete keeps a tombstone; delete removes a mistaken row and logs what it held', () => {
    const w = writer(core.ctx, { id: 'u3' });
    const person = core.db.sqlite.prepare('SELECT id FROM person LIMIT 1').pluck().get() as string;
    const [child, adult] = core.db.sqlite.prepare('SELECT id FROM person LIMIT 2').pluck().all() as [string, string];
    const a = core.db.sqlite.transaction(() => insertRecord(w, 'guardianship', { child_id: child, guardian_id: adult, kind: 'god_man', valid_from: '2026-01-01' }))();
    core.db.sqlite.transaction(() => softDeleteRecord(w, 'guardianship', a.id))();
    expect(readRecord(w, 'guardianship', a.id)).toMatchObject({ deleted_at: w.now, version: 2 });
    expect(log(a.id).at(-1)).toMatchObject({ op: 'update', changes: JSON.stringify({ deleted_at: [null, w.now] }) });
    const b = core.db.sqlite.transaction(() => insertRecord(w, 'person_contact', { person_id: person, kind: 'email', value: 'wrong@example.se', valid_from: '2026-01-01' }))();
    core.db.sqlite.transaction(() => deleteRecord(w, 'person_contact', b.id))();
    expect(readRecord(w, 'person_contact', b.id)).toBeUndefined();
    expect(log(b.id).at(-1)).toMatchObject({ op: 'delete', version: 2, changes: expect.stringContaining('"value":["wrong@example.se",null]') });
  });

  it('a link lists both persons; secrets never enter the log', () => {
    const w = writer(core.ctx, { id: 'u4' });
    const [child, adult] = core.db.sqlite.prepare('SELECT id FROM person LIMIT 2').pluck().all() as [string, string];
    const g = core.db.sqlite.transaction(() => insertRecord(w, 'guardianship', { child_id: child, guardian_id: adult, kind: 'annan_ansvarig', valid_from: '2026-01-01' }))();
    expect(log(g.id)[0]).toMatchObject({ person_id: child, related_person_id: adult });
    const account = core.db.sqlite.prepare('SELECT id FROM user_account LIMIT 1').pluck().get() as string;
    core.db.sqlite.transaction(() => updateRecord(w, 'user_account', account, { password_hash: '$argon2id$v=19$secret', must_change_password: 1 }))();
    const entry = log(account).at(-1)!;
    expect(entry.changes).not.toContain('argon2');
    expect(JSON.parse(entry.changes)).toMatchObject({ password_hash: ['[secret]', '[secret]'] });
  });

  it('refuses tables that are not records and column names that are not identifiers', () => {
    const w = writer(core.ctx, { id: 'u5' });
    expect(() => insertRecord(w, 'audit_log' as never, { x: 1 })).toThrow(/not a record table/);
    expect(() => insertRecord(w, 'person_contact', { 'value = 1; --': 1 })).toThrow(/bad column/);
  });

  it('the bulk form writes the records and change records insertRecord writes for the same values', () => {
    const w = writer(core.ctx, { id: 'u6' }, 'm-6');
    const persons = core.db.sqlite.prepare('SELECT id FROM person LIMIT 3').pluck().all() as string[];
    // Nulls (left out of the log), quotes, backslashes, control characters (a sort key's \u0001), other scripts.
    const rows = [
      { person_id: persons[0], kind: 'registered', care_of: null, street: 'Ågatan "7" \\ 2', postal_code: '123 45', city: 'Öster\u0001sund', country: 'SE', valid_from: '2026-01-01' },
      { person_id: persons[1], kind: 'postal', care_of: 'c/o Nguyễn', street: 'Łąkowa\n3', postal_code: '0150', city: 'Ахмедов', country: 'NO', valid_from: '2025-12-31' },
      { person_id: persons[2], kind: 'temporary', care_of: null, street: 'Tab\there', postal_code: '1', city: 'x', country: 'SE', valid_from: '2026-02-01' },
    ];
    const cols = Object.keys(rows[0]!);
    const one = core.db.sqlite.transaction(() => rows.map((r) => insertRecord(w, 'person_address', r).id))();
    const bulk = core.db.sqlite.transaction(() =>
      insertRecordsFrom(
        w,
        'person_address',
        cols,
        `SELECT lower(hex(randomblob(16))), ${cols.map((c) => `json_extract(j.value, '$.${c}')`).join(', ')} FROM json_each(?) j ORDER BY j.key`,
        [JSON.stringify(rows)],
      ),
    )();
    expect(bulk.count).toBe(3);
    const ids = core.db.sqlite.prepare('SELECT id FROM person_address WHERE rowid BETWEEN ? AND ? ORDER BY rowid').pluck().all(bulk.firstRowid, bulk.lastRowid) as string[];
    expect(ids).toHaveLength(3);
    const strip = (r: Record<string, unknown>) => {
      const { id: _id, ...rest } = r;
      return rest;
    };
    ids.forEach((id, i) => {
      expect(strip(readRecord(w, 'person_address', id)!)).toEqual(strip(readRecord(w, 'person_address', one[i]!)!));
      expect(log(id)).toEqual(log(one[i]!));
    });
    expect(JSON.parse(log(ids[0]!)[0]!.changes)).toMatchObject({ street: [null, 'Ågatan "7" \\ 2'], city: [null, 'Öster\u0001sund'] });
    expect(log(ids[0]!)[0]!.fields).not.toContain('careOf');
    expect(() => insertRecordsFrom(w, 'user_account', ['username'], 'SELECT 1, 2')).toThrow(/secret columns/);
    expect(() => insertRecordsFrom(w, 'person_contact', ['version'], 'SELECT 1, 2')).toThrow(/bookkeeping/);
  });

  it('the bulk update changes and logs what updateRecord changes and logs for the same patches; what does not differ is left alone', () => {
    const w = writer(core.ctx, { id: 'u7' }, 'm-7');
    const persons = core.db.sqlite.prepare('SELECT id FROM person LIMIT 4').pluck().all() as string[];
    const make = () =>
      core.db.sqlite.transaction(() =>
        [
          { person_id: persons[0], kind: 'registered', care_of: null, street: 'Ågatan 1', postal_code: '111 11', city: 'A', country: 'SE', valid_from: '2026-01-01' },
          { person_id: persons[1], kind: 'postal', care_of: 'c/o "Ω"', street: 'B 2', postal_code: '222 22', city: 'B', country: 'SE', valid_from: '2026-01-01' },
          { person_id: persons[2], kind: 'temporary', care_of: null, street: 'C 3', postal_code: '333 33', city: 'C', country: 'SE', valid_from: '2026-01-01' },
          { person_id: persons[3], kind: 'registered', care_of: 'x', street: 'D 4', postal_code: '444 44', city: 'D', country: 'NO', valid_from: '2026-01-01' },
        ].map((r) => insertRecord(w, 'person_address', r).id),
      )();
    // Both columns differ; one differs (null → value); nothing differs; value → null.
    const patches = [
      { valid_to: '2026-06-30', care_of: 'c/o Nguyễn\u0001' },
      { valid_to: '2026-06-30', care_of: 'c/o "Ω"' },
      { valid_to: null, care_of: null },
      { valid_to: null, care_of: null },
    ];
    const one = make();
    const bulk = make();
    core.db.sqlite.transaction(() => one.forEach((id, i) => updateRecord(w, 'person_address', id, patches[i]!)))();
    const r = core.db.sqlite.transaction(() =>
      updateRecordsFrom(
        w,
        'person_address',
        ['valid_to', 'care_of'],
        `SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)`,
        [JSON.stringify(bulk.map((id, i) => [id, patches[i]!.valid_to, patches[i]!.care_of]))],
      ),
    )();
    expect(r.count).toBe(3);
    const strip = (row: Record<string, unknown>) => {
      const { id: _id, ...rest } = row;
      return rest;
    };
    bulk.forEach((id, i) => {
      expect(strip(readRecord(w, 'person_address', id)!)).toEqual(strip(readRecord(w, 'person_address', one[i]!)!));
      expect(log(id)).toEqual(log(one[i]!));
    });
    expect(log(bulk[2]!)).toHaveLength(1);
    expect(log(bulk[0]!)[1]).toMatchObject({ version: 2, op: 'update', fields: '["validTo","careOf"]' });
    expect(() => updateRecordsFrom(w, 'person_address', ['version'], 'SELECT 1, 2')).toThrow(/bookkeeping/);
    const twice = JSON.stringify([[bulk[0], '2026-07-31', null], [bulk[0], '2026-08-31', null]]);
    expect(() =>
      core.db.sqlite.transaction(() => updateRecordsFrom(w, 'person_address', ['valid_to', 'care_of'], `SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)`, [twice]))(),
    ).toThrow(/named more than once/);
    expect(readRecord(w, 'person_address', bulk[0]!)).toMatchObject({ valid_to: '2026-06-30', version: 2 });
  });
});
