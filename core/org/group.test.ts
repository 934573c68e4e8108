/**
 * A group's members are its placements and enrolments: a child with protected identity is not listed to a
 * caller who may not see protected persons in the unit, only counted (domain.md §2; issue 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../../shared/domain/access';
import type { MethodOutput } from '../../shared/api/contract';
import type { Actor } from '../context';
import { makeTestCore, type TestCore } from '../../test/util/core';

let core: TestCore;
beforeAll(() => {
  core = makeTestCore({ persons: 1500, seed: 37 });
}, 120_000);
afterAll(() => core?.dispose());

const actor = (permissions: Permission[]): Actor => ({ id: 'group-test', name: 'Group Test', permissions: new Set(permissions) });

describe('group.get and protected members', () => {
  it('leaves protected children out for a reader without protected.reveal and counts them; shows them to one with it', () => {
    const groupId = core.db.sqlite
      .prepare(
        `SELECT m.group_id FROM group_membership m JOIN person p ON p.id = m.person_id
         WHERE p.protection <> 'none' AND m.deleted_at IS NULL AND m.valid_from <= '2026-11-23' AND (m.valid_to IS NULL OR m.valid_to >= '2026-11-23')
         ORDER BY m.group_id LIMIT 1`,
      )
      .pluck()
      .get() as string | undefined;
    expect(groupId, 'the seeded demo has a group with a protected member').toBeDefined();

    const get = (permissions: Permission[]): MethodOutput<'group.get'> => {
      const r = core.call('group.get', { id: groupId }, actor(permissions));
      if (!r.ok) throw new Error(`group.get failed: ${r.error.message}`);
      return r.data as MethodOutput<'group.get'>;
    };
    const reader = { data: get(['org.read', 'register.read']) };
    const handler = { data: get(['org.read', 'register.read', 'protected.reveal']) };
    const protectedShown = handler.data.members.filter((m) => m.person.protected);
    expect(protectedShown.length).toBeGreaterThan(0);
    expect(handler.data.hiddenProtected).toBe(0);
    expect(reader.data.members.some((m) => m.person.protected)).toBe(false);
    expect(reader.data.hiddenProtected).toBe(protectedShown.length);
    expect(reader.data.members.length + reader.data.hiddenProtected).toBe(handler.data.members.length);
    for (const m of protectedShown) expect(JSON.stringify(reader.data)).not.toContain(m.person.id);
  });
});
