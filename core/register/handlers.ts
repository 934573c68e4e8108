/**
 * The register's handlers (contract: shared/api/register.ts): search, the person list and card, identity
 * checks, creating and changing persons, and revealing a protected person's whereabouts.
 *
 * Each handler enforces the unit scope of its permission (the dispatcher has already checked that the
 * permission is held somewhere) and tells the audit recorder whose data it touched.
 */
import { REVEAL_REASON_MIN } from '../../shared/domain/access';
import type { MethodOutput } from '../../shared/api/contract';
import type { SearchHit } from '../../shared/api/schemas';
import { DomainError } from '../../shared/api/errors';
import { protectionChange } from '../../shared/protection';
import { requireMunicipalityWide, scopeOf, type PersonScope } from '../access/scope';
import { diffViews } from '../audit/recorder';
import type { DomainHandlers } from '../api/types';
import type { Actor, CoreContext } from '../context';
import { writer } from '../write/records';
import { compareListRows, createPerson, PersonReader, updatePerson } from './persons';
import { PlaceReader } from './places';
import { RecentPersons } from './recent';
import { OrgSearch, PersonSearch, searchAll } from './search';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './summary';

/** Parts of a card that are not facts about the person (bookkeeping, the change log itself). */
const CARD_NOISE = ['version', 'history', 'updatedAt', 'updatedBy', 'updatedByName', 'createdAt'];
/**
 * Addresses and contact details are logged as "changed", never by value: a person who is not protected
 * today may be tomorrow (or a linked child may be), and the auditor must not be able to read the
 * whereabouts from old entries then. The values stay in the register's effective-dated history.
 */
const CARD_REDACT = ['addresses', 'contacts'];

export function createRegisterHandlers(ctx: CoreContext, scope: PersonScope): DomainHandlers<'register'> {
  const people = new PersonSearch(ctx.sqlite);
  const org = new OrgSearch(ctx.sqlite);
  const reader = new PersonReader(ctx);
  const places = new PlaceReader(ctx.sqlite);
  const recent = new RecentPersons(ctx.sqlite);
  const summaries = ctx.sqlite.prepare(`SELECT ${SUMMARY_COLUMNS} FROM person p WHERE p.id IN (SELECT value FROM json_each(?)) AND p.deleted_at IS NULL`);

  /** Person hits with their place today: one statement for the page. */
  const withPlaces = <T extends SearchHit>(actor: Actor, items: T[]): T[] => {
    const persons = items.filter((h): h is T & { type: 'person' } => h.type === 'person');
    const found = places.of(actor, persons.map((h) => h.id), new Set(persons.filter((h) => h.protected).map((h) => h.id)), ctx.clock.today());
    return items.map((h) => (h.type === 'person' ? { ...h, place: found.get(h.id) ?? null } : h));
  };

  return {
    'search.query': (i, { actor, audit }) => {
      const s = scopeOf(actor, 'register.search');
      const within = s === 'all' || s === null ? undefined : scope.of(s).rows;
      const r = searchAll(ctx, people, org, i, within);
      audit.persons(r.items.filter((h) => h.type === 'person').map((h) => h.id));
      return { items: withPlaces(actor, r.items), more: r.more };
    },

    'search.recent': (i, { actor, audit }) => {
      const ids = recent.list(actor.id);
      const today = ctx.clock.today();
      const rows = new Map((summaries.all(JSON.stringify(ids)) as SummaryRow[]).map((r) => [r.id, r]));
      // Checked now, not when the card was opened: the user may have lost the unit, the person may have
      // become protected (then only a protected-identity handler for them sees the name here) or be gone.
      const shown = ids
        .map((id) => rows.get(id))
        .filter((r): r is SummaryRow => !!r && scope.allows(actor, 'register.read', r.id) && (r.protection === 'none' || scope.allows(actor, 'protected.reveal', r.id)))
        .slice(0, i.limit)
        .map((r) => ({ type: 'person' as const, ...toSummary(r, today) }));
      audit.persons(shown.map((h) => h.id));
      return { items: withPlaces(actor, shown) };
    },

    'person.list': (i, { actor, audit }) => {
      const s = scopeOf(actor, 'register.read');
      let r: MethodOutput<'person.list'>;
      if (s === 'all' || s === null) r = reader.list(i);
      else {
        const today = ctx.clock.today();
        const rows = scope.of(s).rows.filter((p) => (!i.role || p[`is_${i.role}`] === 1) && (!i.status || p.status === i.status));
        // The unit's set is in name order already; another order sorts it by the same keys as the SQL.
        const ordered = i.sort === 'name' && i.dir === 'asc' ? rows : [...rows].sort(compareListRows(i.sort, i.dir));
        r = { items: ordered.slice(i.offset, i.offset + i.limit).map((p) => ({ ...toSummary(p, today), place: null })), total: rows.length };
      }
      audit.persons(r.items.map((p) => p.id)).detail('offset', i.offset);
      // Where each is today (the unit / class column): one statement for the page, withheld for a protected
      // person unless the caller may see protected persons in that unit, as for search hits.
      const found = places.of(actor, r.items.map((p) => p.id), new Set(r.items.filter((p) => p.protected).map((p) => p.id)), ctx.clock.today());
      return { ...r, items: r.items.map((p) => ({ ...p, place: found.get(p.id) ?? null })) };
    },

    'person.get': (i, { actor, audit }) => {
      scope.require(actor, 'register.read', i.id);
      audit.persons([i.id]);
      const card = reader.card(i.id);
      recent.opened(actor.id, i.id, ctx.clock.now());
      return card;
    },

    'person.history': (i, { actor, audit }) => {
      if (!reader.exists(i.id)) throw new DomainError('not_found', 'No such person', 'id');
      scope.require(actor, 'register.read', i.id);
      audit.persons([i.id]);
      return { entries: reader.history(i.id), scope: reader.historyScope() };
    },

    'person.checkIdentity': (i, { audit }) => {
      const r = reader.checkIdentity(i);
      if (r.valid && r.existingPersonId) audit.persons([r.existingPersonId]);
      return r;
    },

    'person.create': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'register.write', 'Registering a new person');
      const r = createPerson(writer(ctx, actor, mutationId), i);
      audit.persons([r.id]).detail('changes', diffViews({}, reader.card(r.id), CARD_NOISE, CARD_REDACT));
      return r;
    },

    'person.update': (i, { actor, audit, mutationId }) => {
      scope.require(actor, 'register.write', i.id);
      const before = reader.card(i.id);
      // Judged against the stored level, not the form's: a stale form must not make a lowering look like a raise.
      const change = protectionChange(before.protection, i.person.protection);
      // A stale form (the level was raised since it was loaded) gets updatePerson's `conflict`, which refuses
      // before writing anything, rather than a `forbidden` for a lowering the clerk never chose.
      if (change === 'lower' && before.version === i.version) {
        // Lowering a level lifts the shielding of the person and their household: a clerk who could do it
        // could then read the address they may not see (probe finding). Only a protected-identity handler
        // for this person may, and must say why, as for a reveal.
        if (!scope.allows(actor, 'protected.reveal', i.id)) {
          throw new DomainError('forbidden', 'Lowering or removing a protection level needs protected.reveal for this person', 'protection');
        }
        if (!i.protectionReason) {
          const message = `Lowering or removing a protection level needs a reason of at least ${REVEAL_REASON_MIN} characters`;
          throw new DomainError('validation', message, 'protectionReason', [{ field: 'protectionReason', code: 'required', message }]);
        }
      }
      const r = updatePerson(writer(ctx, actor, mutationId), i);
      audit
        .persons([i.id])
        .detail('mode', i.mode)
        .detail('changes', diffViews(before, reader.card(i.id), CARD_NOISE, CARD_REDACT));
      if (change !== 'same') {
        audit.detail('protection', { change, before: before.protection, after: i.person.protection });
        if (i.protectionReason) audit.reason = i.protectionReason;
      }
      return r;
    },

    'person.reveal': (i, { actor, audit }) => {
      scope.require(actor, 'protected.reveal', i.id);
      if (!reader.exists(i.id)) throw new DomainError('not_found', 'No such person', 'id');
      audit.action = 'reveal';
      audit.reason = i.reason;
      audit.persons([i.id]);
      // The values themselves are never copied into the log: it records that they were opened, and why.
      return { addresses: reader.addresses(i.id), contacts: reader.contacts(i.id) };
    },
  };
}
