/**
 * The core's handler map: one entry per contract method, each a plain function of (input, call context).
 * `satisfies CoreHandlers` makes a missing or mistyped method a compile error.
 *
 * Each handler enforces the unit scope of its permission (the dispatcher has already checked that the
 * permission is held somewhere) and tells the audit recorder whose data it touched.
 */
import { REVEAL_REASON_MIN } from '../../shared/domain/access';
import type { MethodOutput } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import { protectionChange } from '../../shared/protection';
import { accountById, createAccount, listAccounts, resetPassword, resetTotp, rolesOf, updateAccount, userView } from '../access/accounts';
import { idleMinutes, setIdleMinutes, totpRequiredFor, type Auth } from '../access/auth';
import { canSeeProtected, PersonScope, requireMunicipalityWide, requireUnit, scopeOf } from '../access/scope';
import { exportAuditCsv, queryAudit } from '../audit/query';
import { verifyAuditChain } from '../audit/chain';
import { auditAnchorPath, flushPendingAudit } from '../audit/sink';
import { diffViews } from '../audit/recorder';
import type { CoreContext } from '../context';
import { createImportHandlers } from '../imports/handlers';
import { createJobHandlers } from '../jobs/handlers';
import { createUnit, currentMunicipality, getGroup, getUnit, orgTree, updateUnit } from '../org/org';
import { createPerson, PersonReader, updatePerson } from '../register/persons';
import { OrgSearch, PersonSearch, searchAll } from '../register/search';
import { toSummary } from '../register/summary';
import { writer } from '../write/records';
import { createApplicationsHandlers } from './handlers-applications';
import { createGuardiansHandlers } from './handlers-guardians';
import { createListsHandlers } from './handlers-lists';
import { createPlacementsHandlers } from './handlers-placements';

export type { CallContext, CoreHandlers } from './types';
import type { CoreHandlers } from './types';

/** Parts of a card that are not facts about the person (bookkeeping, the change log itself). */
const CARD_NOISE = ['version', 'history', 'updatedAt', 'updatedBy', 'createdAt'];
/**
 * Addresses and contact details are logged as "changed", never by value: a person who is not protected
 * today may be tomorrow (or a linked child may be), and the auditor must not be able to read the
 * whereabouts from old entries then. The values stay in the register's effective-dated history.
 */
const CARD_REDACT = ['addresses', 'contacts'];

export function createHandlers(ctx: CoreContext, auth: Auth): CoreHandlers {
  const people = new PersonSearch(ctx.sqlite);
  const org = new OrgSearch(ctx.sqlite);
  const reader = new PersonReader(ctx);
  const scope = new PersonScope(ctx);

  const unitView = (id: string) => {
    const { groups: _g, staff: _s, ...rest } = getUnit(ctx, { id });
    return rest;
  };

  return {
    'session.info': (_i, { actor }) => {
      const m = currentMunicipality(ctx);
      const account = accountById(ctx.sqlite, actor.id);
      return {
        user: { id: actor.id, name: actor.name, username: account?.username ?? actor.id },
        permissions: [...actor.permissions],
        roles: account ? rolesOf(ctx.sqlite, actor.id) : [],
        idleMinutes: idleMinutes(ctx),
        totpEnabled: account?.totp_enabled_at != null,
        totpRequired: account ? totpRequiredFor(ctx, account.id) : false,
        municipality: m ? { name: m.name, country: m.country } : null,
        today: ctx.clock.today(),
        demo: ctx.demo,
      };
    },

    'search.query': (i, { actor, audit }) => {
      const s = scopeOf(actor, 'register.search');
      const within = s === 'all' || s === null ? undefined : scope.of(s).rows;
      const r = searchAll(ctx, people, org, i, within);
      audit.persons(r.items.filter((h) => h.type === 'person').map((h) => h.id));
      return r;
    },

    'person.list': (i, { actor, audit }) => {
      const s = scopeOf(actor, 'register.read');
      let r: MethodOutput<'person.list'>;
      if (s === 'all' || s === null) r = reader.list(i);
      else {
        const today = ctx.clock.today();
        const rows = scope.of(s).rows.filter((p) => (!i.role || p[`is_${i.role}`] === 1) && (!i.status || p.status === i.status));
        r = { items: rows.slice(i.offset, i.offset + i.limit).map((p) => toSummary(p, today)), total: rows.length };
      }
      audit.persons(r.items.map((p) => p.id)).detail('offset', i.offset);
      return r;
    },

    'person.get': (i, { actor, audit }) => {
      scope.require(actor, 'register.read', i.id);
      audit.persons([i.id]);
      return reader.card(i.id);
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

    'org.tree': () => orgTree(ctx),

    'unit.get': (i, { actor, audit }) => {
      const card = getUnit(ctx, i);
      const s = scopeOf(actor, 'register.read');
      // Staff lists are personal data: a unit-scoped user sees only staff connected to their own units.
      const staff = s === 'all' ? card.staff : s === null ? [] : card.staff.filter((x) => scope.of(s).ids.has(x.personId));
      audit.persons(staff.map((x) => x.personId));
      return { ...card, staff };
    },

    'unit.create': (i, { actor, audit, mutationId }) => {
      if (i.parentId) requireUnit(actor, 'org.write', i.parentId, 'Creating a unit');
      else requireMunicipalityWide(actor, 'org.write', 'Creating a top-level unit');
      const r = createUnit(writer(ctx, actor, mutationId), i);
      audit.detail('unit', r.id).detail('changes', diffViews({}, unitView(r.id), ['version']));
      return r;
    },

    'unit.update': (i, { actor, audit, mutationId }) => {
      requireUnit(actor, 'org.write', i.id, 'Changing a unit');
      const before = unitView(i.id);
      const r = updateUnit(writer(ctx, actor, mutationId), i);
      audit.detail('unit', i.id).detail('changes', diffViews(before, unitView(i.id), ['version']));
      return r;
    },

    'group.get': (i, { actor, audit }) => {
      const card = getGroup(ctx, i);
      const s = scopeOf(actor, 'register.read');
      const inScope = s === 'all' ? card.members : s === null ? [] : card.members.filter((m) => scope.of(s).ids.has(m.person.id));
      // A group's members are its placements and enrolments: a protected child is not listed for a caller
      // who may not see protected persons in this unit (domain.md §2), only counted.
      const seeProtected = canSeeProtected(actor, card.unitId);
      const members = inScope.filter((m) => seeProtected || !m.person.protected);
      audit.persons(members.map((m) => m.person.id));
      return { ...card, members, hiddenProtected: inScope.length - members.length };
    },

    // ---- sign-in (the Auth service audits these itself)
    'auth.status': (_i, { session }) => auth.status(session),
    'auth.setup': (i, { session, mutationId }) => auth.setup(session, i, mutationId),
    'auth.signIn': (i, { session }) => auth.signIn(session, i),
    'auth.verifyTotp': (i, { session }) => auth.verifyTotp(session, i),
    'auth.signOut': (_i, { session }) => auth.signOut(session),
    'auth.lock': (_i, { session }) => auth.lock(session),
    // The dispatcher has already counted the call as activity; nothing else to do.
    'auth.activity': () => ({ idleMinutes: idleMinutes(ctx) }),
    'auth.unlock': (i, { session }) => auth.unlock(session, i),
    'auth.changePassword': (i, { session, mutationId }) => auth.changePassword(session, i, mutationId),
    'auth.totpBegin': (_i, { session }) => auth.totpBegin(session),
    'auth.totpConfirm': (i, { session, mutationId }) => auth.totpConfirm(session, i, mutationId),
    'auth.totpDisable': (i, { session, mutationId }) => auth.totpDisable(session, i, mutationId),

    // ---- accounts
    'user.list': () => ({ items: listAccounts(ctx.sqlite) }),
    'user.create': (i, { actor, audit, mutationId }) => {
      const r = createAccount(writer(ctx, actor, mutationId), { ...i, mustChangePassword: true });
      audit.action = 'account';
      audit.detail('user', i.username).detail('changes', diffViews({}, userView(ctx.sqlite, accountById(ctx.sqlite, r.id)!), ['version']));
      return r;
    },
    'user.update': (i, { actor, audit, mutationId }) => {
      const before = accountById(ctx.sqlite, i.id);
      const beforeView = before ? userView(ctx.sqlite, before) : null;
      const r = updateAccount(writer(ctx, actor, mutationId), i);
      audit.action = 'account';
      audit.detail('user', beforeView?.username).detail('changes', diffViews(beforeView, userView(ctx.sqlite, accountById(ctx.sqlite, i.id)!), ['version']));
      return r;
    },
    'user.resetPassword': (i, { actor, audit, mutationId }) => {
      const r = resetPassword(writer(ctx, actor, mutationId), i);
      audit.action = 'account';
      audit.detail('user', accountById(ctx.sqlite, i.id)?.username).detail('password', 'reset');
      return r;
    },
    'user.resetTotp': (i, { actor, audit, mutationId }) => {
      const r = resetTotp(writer(ctx, actor, mutationId), i.id);
      audit.action = 'account';
      audit.detail('user', accountById(ctx.sqlite, i.id)?.username).detail('totp', 'reset');
      return r;
    },
    'policy.update': (i, { audit }) => {
      const before = idleMinutes(ctx);
      setIdleMinutes(ctx, i.idleMinutes);
      audit.action = 'account';
      audit.detail('changes', { idleMinutes: [before, i.idleMinutes] });
      return { idleMinutes: i.idleMinutes };
    },

    // ---- audit log
    // Reads of the log first merge what waits in the pending journal (without waiting for the write lock),
    // so the auditor sees every entry, or is told how many are still waiting.
    'audit.query': (i, { audit }) => {
      audit.action = 'audit';
      const { offset, limit, ...filter } = i;
      audit.detail('filter', filter);
      const { pending } = flushPendingAudit(ctx.sqlite);
      const r = queryAudit(ctx.sqlite, filter, offset, limit, { today: ctx.clock.today(), demo: ctx.demo });
      return pending ? { ...r, pending } : r;
    },
    'audit.export': (i, { audit }) => {
      audit.action = 'audit';
      audit.detail('filter', i).detail('export', 'csv');
      flushPendingAudit(ctx.sqlite);
      return exportAuditCsv(ctx.sqlite, i, { today: ctx.clock.today(), demo: ctx.demo, now: ctx.clock.now() });
    },
    'audit.verify': () => {
      const { pending } = flushPendingAudit(ctx.sqlite);
      const anchor = auditAnchorPath(ctx.sqlite);
      const r = verifyAuditChain(ctx.sqlite, { anchorFiles: anchor ? [anchor] : [] });
      return pending ? { ...r, pending } : r;
    },

    // ---- the clerk's daily work: guardians and households, placements and enrolments, lists and rollover
    ...createGuardiansHandlers(ctx, scope),
    ...createPlacementsHandlers(ctx, scope),
    ...createApplicationsHandlers(ctx, scope),
    ...createListsHandlers(ctx, scope),
    ...createJobHandlers(ctx),
    ...createImportHandlers(ctx),
  } satisfies CoreHandlers;
}
