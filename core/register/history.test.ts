/**
 * The person card's readable history through the real contract on a real SQLite file: users named by their
 * display names (a system actor by an id the UI translates), every field the write path can log named and
 * labelled in all three languages, one user action or one job's action on a person as one entry, and
 * "last changed" following the newest change of the person's data, care records included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../app';
import type { CallResult } from '../../shared/api/transport';
import type { MethodOutput } from '../../shared/api/contract';
import { catalogs, LANGUAGES } from '../../shared/i18n';
import { HISTORY_FIELDS, SYSTEM_ACTORS, historyFieldKey, systemActorKey } from '../../shared/i18n/history-labels';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { fieldName, RECORD_TABLES } from '../write/records';
import { historyEntries, historyField, type HistoryRow } from './persons';
import { PersonScope, scopeOf } from '../access/scope';

let core: TestCore;
let clerk: Connection;
const CLERK_NAME = 'Kari Kanslist (demo)';

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};

beforeAll(() => {
  core = makeTestCore({ persons: 300 });
  clerk = core.connect('history-test');
  data(clerk.call('auth.signIn', { username: 'clerk.all', password: 'kansli-demo-2026' }));
});
afterAll(() => core.dispose());

/** Columns of a record table that its change records can name (bookkeeping and secrets never are). */
function loggedColumns(table: string): string[] {
  const skip = new Set(['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'password_hash', 'totp_secret', 'totp_last_step']);
  return (core.db.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name).filter((c) => !skip.has(c));
}

describe('field names', () => {
  it('every field the write path can log on a person has a history name with a label in sv, nb and en', () => {
    // The changes logged with a record that are not its own columns (records.ts `extra`).
    const extras: Record<string, string[]> = { placement: ['owner_ids'], application: ['choices'] };
    const unnamed: string[] = [];
    const seen = new Set<string>();
    for (const [table, cols] of Object.entries(RECORD_TABLES)) {
      if (cols.person === null && cols.related === null) continue; // never on a person's card
      for (const col of [...loggedColumns(table), ...(extras[table] ?? [])]) {
        const shown = historyField(table, fieldName(col));
        if (shown === null) continue;
        seen.add(shown);
        if (!historyFieldKey(shown)) unnamed.push(`${table}.${col} → ${shown}`);
      }
    }
    expect(unnamed, 'fields without a label').toEqual([]);
    for (const f of HISTORY_FIELDS) {
      for (const l of LANGUAGES) expect((catalogs[l] as Record<string, string>)[`history.field.${f}`], `${l} history.field.${f}`).toBeTruthy();
    }
    // The list has no labels for fields nothing logs (a renamed column would leave one behind).
    expect(HISTORY_FIELDS.filter((f) => !seen.has(f))).toEqual([]);
    expect(seen.has('transferredFromId')).toBe(true);
  });

  it('the card never lists derived columns, the card’s own person or a membership’s link to its source', () => {
    expect(historyField('person', 'sortKey')).toBeNull();
    expect(historyField('person', 'idCanonical')).toBe('identityNumber');
    expect(historyField('placement', 'childId')).toBeNull();
    expect(historyField('enrolment', 'pupilId')).toBeNull();
    expect(historyField('group_membership', 'sourceId')).toBeNull();
    expect(historyField('group_membership', 'personId')).toBeNull();
    expect(historyField('guardianship', 'guardianId')).toBe('guardianId');
    expect(historyField('staff_duty', 'percentHundredths')).toBe('percent');
  });

  it('system actors have labels in every language', () => {
    for (const a of [...SYSTEM_ACTORS, 'something-else']) for (const l of LANGUAGES) expect((catalogs[l] as Record<string, string>)[systemActorKey(a)]).toBeTruthy();
  });
});

describe('one action, one entry', () => {
  const row = (seq: number, entity: string, fields: string[], at: string, mutation: string | null, op: HistoryRow['op'] = 'update'): HistoryRow => ({
    seq,
    entity,
    at,
    actor: 'u1',
    op,
    fields: JSON.stringify(fields),
    mutation_id: mutation,
  });

  it('a job’s records (no mutation id) with one actor and time stamp are one entry; another time is another entry', () => {
    // The rollover ends an enrolment and its class membership, then starts the next year's: newest first.
    const rows = [
      row(4, 'group_membership', ['groupId', 'personId', 'validFrom', 'sourceId'], '2027-08-16T02:00:00.000Z', null, 'create'),
      row(3, 'enrolment', ['pupilId', 'unitId', 'groupId', 'grade', 'validFrom'], '2027-08-16T02:00:00.000Z', null, 'create'),
      row(2, 'group_membership', ['validTo'], '2027-08-16T02:00:00.000Z', null),
      row(1, 'enrolment', ['validTo'], '2027-08-16T02:00:00.000Z', null),
      row(0, 'enrolment', ['validTo'], '2026-08-16T02:00:00.000Z', null),
    ];
    expect(historyEntries(rows)).toEqual([
      { at: '2027-08-16T02:00:00.000Z', actor: 'u1', op: 'update', fields: ['validTo', 'unitId', 'groupId', 'grade', 'validFrom'] },
      { at: '2026-08-16T02:00:00.000Z', actor: 'u1', op: 'update', fields: ['validTo'] },
    ]);
  });

  it('records of two mutations stay two entries even at the same time stamp', () => {
    const at = '2026-11-23T08:00:00.000Z';
    expect(historyEntries([row(2, 'placement', ['validTo'], at, 'm2'), row(1, 'placement', ['weeklyHours'], at, 'm1')])).toHaveLength(2);
  });
});

describe('the card', () => {
  it('a transfer by a clerk: one entry, the clerk’s name, labelled fields; "last changed" is the transfer, not the seed', () => {
    const s = core.db.sqlite;
    const p = s
      .prepare(
        `SELECT p.id, p.child_id, p.version, p.school_form, p.group_id FROM placement p JOIN person c ON c.id = p.child_id
          WHERE p.state = 'accepted' AND p.group_id IS NOT NULL AND p.valid_to IS NULL AND p.valid_from < '2026-11-01' AND c.protection = 'none'
            AND NOT EXISTS (SELECT 1 FROM change_log l WHERE l.person_id = p.child_id) LIMIT 1`,
      )
      .get() as { id: string; child_id: string; version: number; school_form: string; group_id: string };
    const g = s
      .prepare(`SELECT id, unit_id FROM school_group WHERE school_form = ? AND id <> ? AND valid_from <= '2026-12-01' AND (valid_to IS NULL OR valid_to >= '2026-12-01') LIMIT 1`)
      .get(p.school_form, p.group_id) as { id: string; unit_id: string };
    const before = data<MethodOutput<'person.get'>>(clerk.call('person.get', { id: p.child_id }));
    expect(before.history).toEqual([]);
    expect(before).toMatchObject({ updatedBy: 'demo-seed', updatedByName: null });

    data(clerk.call('placement.transfer', { id: p.id, version: p.version, date: '2026-12-01', toUnitId: g.unit_id, toGroupId: g.id }));
    const card = data<MethodOutput<'person.get'>>(clerk.call('person.get', { id: p.child_id }));
    expect(card.history).toHaveLength(1);
    const [entry] = card.history;
    expect(entry).toMatchObject({ actorName: CLERK_NAME, op: 'update' });
    expect(entry!.actor).not.toBe(CLERK_NAME);
    expect(entry!.fields).toEqual(expect.arrayContaining(['validTo', 'unitId', 'groupId', 'transferredFromId']));
    for (const f of ['childId', 'personId', 'sourceId']) expect(entry!.fields).not.toContain(f);
    // The fields once each, even though the old placement and its membership both ended.
    expect(new Set(entry!.fields).size).toBe(entry!.fields.length);
    expect(card).toMatchObject({ updatedAt: entry!.at, updatedBy: entry!.actor, updatedByName: CLERK_NAME });
    // The register's own database: the card's history is the whole register's, and person.history the same.
    expect(card.historyScope).toBe('register');
    expect(data<MethodOutput<'person.history'>>(clerk.call('person.history', { id: p.child_id }))).toEqual({ entries: card.history, scope: 'register' });
    const a = core.db.sqlite.prepare(`SELECT action, person_ids FROM audit_log WHERE method = 'person.history' ORDER BY seq DESC LIMIT 1`).get() as { action: string; person_ids: string };
    expect([a.action, JSON.parse(a.person_ids)]).toEqual(['read', [p.child_id]]);
  });

  it('person.history: refuses an unknown person and a user outside the person\'s units', () => {
    expect(clerk.call('person.history', { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'id' } });
    const unitClerk = core.connect('history-unit');
    data(unitClerk.call('auth.signIn', { username: 'clerk', password: 'kansli-demo-2026' }));
    // A child outside the unit clerk's persons, as the core's own scope computes them.
    const units = scopeOf(unitClerk.session.actor!, 'register.read');
    if (units === null || units === 'all') throw new Error('the demo clerk is scoped to a unit');
    const inScope = new PersonScope(core.ctx).of(units).ids;
    const outside = (core.db.sqlite.prepare(`SELECT id FROM person WHERE is_child = 1 AND deleted_at IS NULL ORDER BY id`).pluck().all() as string[]).find((id) => !inScope.has(id))!;
    expect(outside).toBeDefined();
    expect(unitClerk.call('person.history', { id: outside })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(unitClerk.call('person.get', { id: outside })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
