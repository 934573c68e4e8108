/**
 * The group membership that follows a placement or an enrolment (group_membership.source_id). The org
 * browser, class lists and the unit scope read memberships, so the core keeps exactly one live row per
 * source with the source's person, group and dates, written in the same call as the source. A membership is
 * never hard-deleted: when the source loses its group or is declined, the row gets a tombstone.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, CoreContext } from '../context';
import { logChange } from '../register/persons';
import { stmt } from './checks';

export interface MembershipSource {
  /** The placement's or enrolment's id. */
  id: string;
  personId: string;
  groupId: string | null;
  validFrom: string;
  validTo: string | null;
  /** False for a declined placement: it holds no place, so it has no member row either. */
  live: boolean;
}

interface MembershipRow {
  id: string;
  group_id: string;
  person_id: string;
  valid_from: string;
  valid_to: string | null;
  version: number;
}

export function syncMembership(ctx: CoreContext, actor: Actor, src: MembershipSource): void {
  const now = ctx.clock.now();
  const rows = stmt(ctx, `SELECT id, group_id, person_id, valid_from, valid_to, version FROM group_membership WHERE source_id = ? AND deleted_at IS NULL ORDER BY created_at, id`).all(
    src.id,
  ) as MembershipRow[];
  const wanted = src.live && src.groupId !== null;
  const [keep, ...extra] = wanted ? rows : [];
  // Anything beyond the one row we keep (or every row when none is wanted) is ended with a tombstone.
  for (const r of wanted ? extra : rows) {
    stmt(ctx, `UPDATE group_membership SET deleted_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`).run(now, now, actor.id, r.id);
    logChange(ctx, actor, { entity: 'group_membership', entityId: r.id, personId: r.person_id, version: r.version + 1, op: 'delete', fields: ['deletedAt'] });
  }
  if (!wanted) return;
  if (!keep) {
    const id = randomUUID();
    stmt(
      ctx,
      `INSERT INTO group_membership (id, group_id, person_id, valid_from, valid_to, source_id, version, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
    ).run(id, src.groupId, src.personId, src.validFrom, src.validTo, src.id, now, actor.id, now, actor.id);
    logChange(ctx, actor, { entity: 'group_membership', entityId: id, personId: src.personId, version: 1, op: 'create', fields: ['groupId', 'personId', 'validFrom', 'validTo', 'sourceId'] });
    return;
  }
  const fields: string[] = [];
  if (keep.group_id !== src.groupId) fields.push('groupId');
  if (keep.person_id !== src.personId) fields.push('personId');
  if (keep.valid_from !== src.validFrom) fields.push('validFrom');
  if (keep.valid_to !== src.validTo) fields.push('validTo');
  if (!fields.length) return;
  stmt(
    ctx,
    `UPDATE group_membership SET group_id = ?, person_id = ?, valid_from = ?, valid_to = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`,
  ).run(src.groupId, src.personId, src.validFrom, src.validTo, now, actor.id, keep.id);
  logChange(ctx, actor, { entity: 'group_membership', entityId: keep.id, personId: src.personId, version: keep.version + 1, op: 'update', fields });
}
