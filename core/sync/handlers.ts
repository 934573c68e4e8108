/**
 * The sync domain's handlers (contract: shared/api/sync.ts). They read the outbox in this workstation's
 * database; the link's live state (online, last sync, last error) comes from the sync client when the
 * workstation is joined to a server. A clerk sees and resolves only their own changes.
 */
import { DomainError } from '../../shared/api/errors';
import { scopeOf } from '../access/scope';
import type { DomainHandlers } from '../api/types';
import type { Actor, CoreContext } from '../context';
import { fieldName } from '../write/records';
import { checkServer, JoinError } from './join';

export interface SyncLinkState {
  server: string;
  online: boolean;
  lastSyncAt: string | null;
  lastError: string | null;
}

/** Set by the sync client in joined mode (core/sync/client.ts). */
export interface SyncLink {
  state(): SyncLinkState;
}

interface OutboxRow {
  mutation_id: string;
  method: string;
  input: string;
  state: 'pending' | 'applied' | 'conflict' | 'rejected' | 'resolved';
  error: string | null;
  theirs: string | null;
  created_at: string;
}

interface ConflictDetail {
  /** The server's current rows of the aggregates concerned. */
  theirs: { entity: string; id: string; data: Record<string, unknown> | null }[];
  /** The write's own change records, kept when its local effect was undone. */
  changes: { entity: string; entity_id: string; changes: string | null }[];
}

/**
 * The host's part of joining from the first-start screen: it restarts the core on the new, encrypted cache
 * (core/sync/join.ts joinServer) once this call has answered. Absent where the host cannot.
 */
export type JoinHook = (server: string) => void;

export function createSyncHandlers(ctx: CoreContext, link: () => SyncLink | null, join: JoinHook | null = null): DomainHandlers<'sync'> {
  const s = ctx.sqlite;
  const counts = s.prepare(`SELECT state, count(*) AS n FROM sync_outbox WHERE actor_id = ? AND state IN ('pending', 'conflict', 'rejected') GROUP BY state`);
  const open = s.prepare(`SELECT * FROM sync_outbox WHERE actor_id = ? AND state IN ('pending', 'conflict', 'rejected') ORDER BY ordinal DESC LIMIT 500`);
  const one = s.prepare(`SELECT * FROM sync_outbox WHERE actor_id = ? AND mutation_id = ?`);
  const changesOf = s.prepare(`SELECT entity, entity_id, changes, person_id, related_person_id FROM change_log WHERE mutation_id = ? ORDER BY seq`);
  const personOf = s.prepare(`SELECT id, given_name, family_name, protection FROM person WHERE id = ?`);

  const persons = (actor: Actor, row: OutboxRow) => {
    const ids = new Set<string>();
    const detail = row.theirs ? (JSON.parse(row.theirs) as ConflictDetail) : null;
    const recs = detail ? detail.changes : (changesOf.all(row.mutation_id) as { person_id?: string | null; related_person_id?: string | null }[]);
    for (const c of recs as { person_id?: string | null; related_person_id?: string | null }[]) {
      if (c.person_id) ids.add(c.person_id);
      if (c.related_person_id) ids.add(c.related_person_id);
    }
    const reveal = scopeOf(actor, 'protected.reveal') === 'all';
    return [...ids].flatMap((id) => {
      const p = personOf.get(id) as { id: string; given_name: string; family_name: string; protection: string } | undefined;
      if (!p) return [];
      const hidden = p.protection !== 'none' && !reveal;
      return [{ id, name: hidden ? '' : `${p.family_name}, ${p.given_name}`, protected: p.protection !== 'none' }];
    });
  };
  const view = (actor: Actor, r: OutboxRow) => ({
    mutationId: r.mutation_id,
    method: r.method,
    at: r.created_at,
    state: r.state as 'pending' | 'conflict' | 'rejected',
    error: r.state === 'rejected' && r.error ? (JSON.parse(r.error) as { code: string; message: string; field?: string; rule?: string }) : null,
    persons: persons(actor, r),
  });

  return {
    'sync.status': (_i, { actor }) => {
      const l = link()?.state() ?? null;
      const n = new Map((counts.all(actor.id) as { state: string; n: number }[]).map((r) => [r.state, r.n]));
      return {
        mode: l ? 'joined' : 'standalone',
        server: l?.server ?? null,
        online: l?.online ?? false,
        pending: n.get('pending') ?? 0,
        conflicts: n.get('conflict') ?? 0,
        rejected: n.get('rejected') ?? 0,
        lastSyncAt: l?.lastSyncAt ?? null,
        lastError: l?.lastError ?? null,
      };
    },
    'sync.changes': (_i, { actor, audit }) => {
      const items = (open.all(actor.id) as OutboxRow[]).map((r) => view(actor, r));
      for (const it of items) for (const p of it.persons) audit.personIds.add(p.id);
      return { items };
    },
    'sync.conflict': (i, { actor, audit }) => {
      const r = one.get(actor.id, i.mutationId) as OutboxRow | undefined;
      if (!r || (r.state !== 'conflict' && r.state !== 'rejected')) throw new DomainError('not_found', 'No such conflict of yours', 'mutationId');
      const v = view(actor, r);
      for (const p of v.persons) audit.personIds.add(p.id);
      const detail = r.theirs ? (JSON.parse(r.theirs) as ConflictDetail) : { theirs: [], changes: changesOf.all(r.mutation_id) as ConflictDetail['changes'] };
      const theirsOf = new Map(detail.theirs.map((t) => [`${t.entity}|${t.id}`, t.data]));
      const fields = detail.changes.flatMap((c) => {
        const pairs = c.changes ? (JSON.parse(c.changes) as Record<string, [unknown, unknown]>) : {};
        const theirs = theirsOf.get(`${c.entity}|${c.entity_id}`) ?? null;
        return Object.entries(pairs).map(([col, [base, mine]]) => ({
          entity: c.entity,
          id: c.entity_id,
          field: fieldName(col),
          base,
          theirs: theirs ? (theirs[col] ?? null) : null,
          mine,
        }));
      });
      return { ...v, input: JSON.parse(r.input) as unknown, fields };
    },
    'sync.join': async (i) => {
      if (link()) throw new DomainError('forbidden', 'This workstation is already joined to a server', 'server');
      // Only a new workstation: once an account exists here, its register is moved with kansli server import
      // and the workstation joined with kansli server join --replace-local (which keeps the file aside).
      if ((s.prepare('SELECT count(*) FROM user_account').pluck().get() as number) > 0) {
        throw new DomainError('forbidden', 'Only a new workstation, before its first account, joins a server from here', 'server');
      }
      if (!join) throw new DomainError('unavailable', 'This installation joins a server with the command kansli server join', 'server');
      let server: string;
      try {
        server = (await checkServer(i.server)).server;
      } catch (e) {
        if (!(e instanceof JoinError)) throw e;
        if (e.problem === 'unreachable') throw new DomainError('offline', e.message, 'server');
        throw new DomainError('validation', e.message, 'server');
      }
      join(server);
      return { server, joined: true as const };
    },
    'sync.resolve': (i, { actor, audit }) => {
      const r = one.get(actor.id, i.mutationId) as OutboxRow | undefined;
      if (!r || (r.state !== 'conflict' && r.state !== 'rejected')) throw new DomainError('not_found', 'No such conflict of yours', 'mutationId');
      if (i.action === 'replaced' && !i.replacedBy) throw new DomainError('validation', 'Name the change that replaces it', 'replacedBy');
      s.prepare(`UPDATE sync_outbox SET state = 'resolved', answered_at = ? WHERE mutation_id = ?`).run(ctx.clock.now(), r.mutation_id);
      audit.details = { mutationId: r.mutation_id, method: r.method, was: r.state, action: i.action, ...(i.replacedBy ? { replacedBy: i.replacedBy } : {}) };
      return { resolved: true as const };
    },
  };
}
