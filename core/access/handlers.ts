/**
 * The access domain's handlers (contract: shared/api/access.ts): the session, sign-in and lock (the Auth
 * service audits these itself), accounts and the lock policy.
 */
import { diffViews } from '../audit/recorder';
import type { DomainHandlers } from '../api/types';
import type { CoreContext } from '../context';
import { currentMunicipality } from '../org/org';
import { writer } from '../write/records';
import { accountById, createAccount, listAccounts, resetPassword, resetTotp, rolesOf, updateAccount, userView } from './accounts';
import { idleMinutes, setIdleMinutes, totpRequiredFor, type Auth } from './auth';

export function createAccessHandlers(ctx: CoreContext, auth: Auth): DomainHandlers<'access'> {
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
  };
}
