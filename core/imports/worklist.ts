/**
 * The work list: what an import means for placements and enrolments, for a clerk to decide. A child who
 * moved away, emigrated or died keeps their places until a clerk confirms; confirming ends each place
 * on the chosen day (the register's date is proposed), with the item as the recorded reason. A place not
 * yet begun by then is withdrawn (tombstone) rather than given an end before its start. Custody changes
 * and new protected identities are confirmed as reviewed (the clerk checks holders, lists, contacts).
 */
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import { formatIdentityNumber } from '../../shared/identity';
import type { WorkKind } from '../../shared/domain/imports';
import type { Actor, CoreContext } from '../context';
import { loadEnrolment, saveEnrolment } from '../placements/enrolments';
import { syncMembership } from '../placements/membership';
import { loadPlacement, savePlacement } from '../placements/placements';
import { readRecord, updateRecord, writer } from '../write/records';

interface ItemRow {
  id: string;
  version: number;
  kind: WorkKind;
  state: 'open' | 'confirmed' | 'dismissed';
  person_id: string;
  import_id: string | null;
  event_date: string | null;
  detail: string | null;
  proposed_end: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  note: string | null;
  created_at: string;
  family_name: string;
  given_name: string;
  id_canonical: string | null;
  shielded: number;
}

interface AffectedRow {
  type: 'placement' | 'enrolment';
  id: string;
  unit_name: string;
  group_name: string | null;
  form: string;
  valid_from: string;
  valid_to: string | null;
}

/** The places a work item concerns: the person's placements and enrolments still running on the day it happened. */
function affected(ctx: CoreContext, personId: string, on: string): AffectedRow[] {
  return ctx.sqlite
    .prepare(
      `SELECT 'placement' AS type, p.id, u.name AS unit_name, g.name AS group_name, p.school_form AS form, p.valid_from, p.valid_to
         FROM placement p JOIN org_unit u ON u.id = p.unit_id LEFT JOIN school_group g ON g.id = p.group_id
        WHERE p.child_id = @id AND p.deleted_at IS NULL AND p.state <> 'declined' AND (p.valid_to IS NULL OR p.valid_to >= @on)
       UNION ALL
       SELECT 'enrolment', e.id, u.name, g.name, e.school_form, e.valid_from, e.valid_to
         FROM enrolment e JOIN org_unit u ON u.id = e.unit_id LEFT JOIN school_group g ON g.id = e.group_id
        WHERE e.pupil_id = @id AND e.deleted_at IS NULL AND (e.valid_to IS NULL OR e.valid_to >= @on)
       ORDER BY 6`,
    )
    .all({ id: personId, on }) as AffectedRow[];
}

/** The item's detail as a stable code (the UI words it in the reader's language). */
function describe(kind: WorkKind, detail: Record<string, string | null>): string | null {
  if (kind === 'moved_out') return detail.municipality ?? null;
  if (kind === 'emigrated') return detail.country ?? null;
  if (kind === 'custody') return detail.change ?? null;
  if (kind === 'protection_added') return detail.level ?? null;
  return null;
}

export function listWork(ctx: CoreContext, q: MethodParsedInput<'worklist.list'>, seeProtected: boolean): { out: MethodOutput<'worklist.list'>; personIds: string[] } {
  const where = ['w.state = @state', ...(q.kind ? ['w.kind = @kind'] : [])];
  // A protected child is listed by name like everywhere else for those who may see them; others see a count only.
  if (!seeProtected) where.push(`p.protection = 'none'`);
  const args = { state: q.state, kind: q.kind ?? null, limit: q.limit, offset: q.offset };
  const from = `FROM work_item w JOIN person p ON p.id = w.person_id WHERE ${where.join(' AND ')}`;
  const total = ctx.sqlite.prepare(`SELECT count(*) ${from}`).pluck().get(args) as number;
  const rows = ctx.sqlite
    .prepare(
      `SELECT w.*, p.family_name, p.given_name, p.id_canonical, p.shielded ${from} ORDER BY w.event_date IS NULL, w.event_date, w.created_at, w.id LIMIT @limit OFFSET @offset`,
    )
    .all(args) as ItemRow[];
  const hiddenProtected = seeProtected
    ? 0
    : (ctx.sqlite.prepare(`SELECT count(*) FROM work_item w JOIN person p ON p.id = w.person_id WHERE w.state = @state${q.kind ? ' AND w.kind = @kind' : ''} AND p.protection <> 'none'`).pluck().get(args) as number);
  const countRows = ctx.sqlite
    .prepare(`SELECT w.kind, count(*) AS n FROM work_item w JOIN person p ON p.id = w.person_id WHERE w.state = @state${seeProtected ? '' : ` AND p.protection = 'none'`} GROUP BY w.kind`)
    .all({ state: q.state }) as { kind: string; n: number }[];
  const today = ctx.clock.today();
  const items = rows.map((r) => {
    const detail = (r.detail ? JSON.parse(r.detail) : {}) as Record<string, string | null>;
    return {
      id: r.id,
      version: r.version,
      kind: r.kind,
      state: r.state,
      person: { id: r.person_id, name: `${r.family_name}, ${r.given_name}`, identity: r.id_canonical ? formatIdentityNumber(r.id_canonical, { today }) : null, protected: r.shielded === 1 },
      eventDate: r.event_date,
      detail: describe(r.kind, detail),
      affects: (r.state === 'open' ? affected(ctx, r.person_id, r.proposed_end ?? r.event_date ?? today) : []).map((a) => ({
        type: a.type,
        id: a.id,
        unitName: a.unit_name,
        groupName: a.group_name,
        form: a.form,
        validFrom: a.valid_from,
        validTo: a.valid_to,
      })),
      proposedEnd: r.proposed_end,
      importId: r.import_id,
      createdAt: r.created_at,
      resolvedBy: r.resolved_by,
      resolvedAt: r.resolved_at,
      note: r.note,
    };
  });
  return { out: { items, total, counts: Object.fromEntries(countRows.map((c) => [c.kind, c.n])), hiddenProtected }, personIds: rows.map((r) => r.person_id) };
}

function openItem(ctx: CoreContext, id: string, version: number, field: string): ItemRow {
  const r = ctx.sqlite.prepare(`SELECT w.*, p.family_name, p.given_name, p.id_canonical, p.shielded FROM work_item w JOIN person p ON p.id = w.person_id WHERE w.id = ?`).get(id) as ItemRow | undefined;
  if (!r) throw new DomainError('not_found', 'No such work item', field);
  if (r.version !== version) throw new DomainError('conflict', 'The work item was handled by someone else meanwhile; reload the list', field);
  if (r.state !== 'open') throw new DomainError('conflict', `The work item is already ${r.state}`, field);
  return r;
}

const END_REASON: Record<WorkKind, string> = {
  moved_out: 'moved_out',
  emigrated: 'emigrated',
  deceased: 'deceased',
  custody: 'custody',
  protection_added: 'protection',
};

/** Confirms items in one transaction (the caller's): their places end, each item is closed with who and when. */
export function confirmWork(ctx: CoreContext, actor: Actor, mutationId: string | null, i: MethodParsedInput<'worklist.confirm'>): { confirmed: number; ended: number; personIds: string[]; ends: { item: string; type: string; id: string; end: string | null }[] } {
  const w = writer(ctx, actor, mutationId);
  const today = ctx.clock.today();
  let ended = 0;
  const personIds: string[] = [];
  const ends: { item: string; type: string; id: string; end: string | null }[] = [];
  i.items.forEach((ref, n) => {
    const item = openItem(ctx, ref.id, ref.version, `items.${n}.id`);
    personIds.push(item.person_id);
    const endsPlaces = item.kind === 'moved_out' || item.kind === 'emigrated' || item.kind === 'deceased';
    if (endsPlaces) {
      const end = i.endDate ?? item.proposed_end ?? item.event_date ?? today;
      for (const a of affected(ctx, item.person_id, end)) {
        if (a.type === 'placement') {
          const cur = loadPlacement(ctx, a.id);
          if (cur.valid_from > end) {
            // Never begun: withdrawn, not ended before its start.
            updateRecord(w, 'placement', cur.id, { deleted_at: w.now }, { current: readRecord(w, 'placement', cur.id) });
            syncMembership(w, { id: cur.id, personId: cur.child_id, groupId: cur.group_id, validFrom: cur.valid_from, validTo: cur.valid_to, live: false });
            ends.push({ item: item.id, type: 'placement', id: cur.id, end: null });
          } else {
            savePlacement(w, cur, { ...cur, valid_to: end, notice_given_on: cur.notice_given_on ?? today, notice_override_reason: `work list: ${item.kind}` });
            ends.push({ item: item.id, type: 'placement', id: cur.id, end });
          }
        } else {
          const cur = loadEnrolment(ctx, a.id);
          if (cur.valid_from > end) {
            updateRecord(w, 'enrolment', cur.id, { deleted_at: w.now }, { current: readRecord(w, 'enrolment', cur.id) });
            syncMembership(w, { id: cur.id, personId: cur.pupil_id, groupId: cur.group_id, validFrom: cur.valid_from, validTo: cur.valid_to, live: false });
            ends.push({ item: item.id, type: 'enrolment', id: cur.id, end: null });
          } else {
            saveEnrolment(w, cur, { ...cur, valid_to: end, end_reason: END_REASON[item.kind] });
            ends.push({ item: item.id, type: 'enrolment', id: cur.id, end });
          }
        }
        ended++;
      }
    }
    updateRecord(w, 'work_item', item.id, { state: 'confirmed', resolved_by: actor.name, resolved_at: w.now, note: i.note ?? null, proposed_end: endsPlaces ? (i.endDate ?? item.proposed_end) : item.proposed_end });
  });
  if (ended) ctx.generation.persons++;
  return { confirmed: i.items.length, ended, personIds, ends };
}

export function dismissWork(ctx: CoreContext, actor: Actor, mutationId: string | null, i: MethodParsedInput<'worklist.dismiss'>): { dismissed: number; personIds: string[] } {
  const w = writer(ctx, actor, mutationId);
  const personIds: string[] = [];
  i.items.forEach((ref, n) => {
    const item = openItem(ctx, ref.id, ref.version, `items.${n}.id`);
    personIds.push(item.person_id);
    updateRecord(w, 'work_item', item.id, { state: 'dismissed', resolved_by: actor.name, resolved_at: w.now, note: i.note });
  });
  return { dismissed: i.items.length, personIds };
}
