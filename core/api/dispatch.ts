/**
 * The single entry to the core: validate the method name, check the session and the permission (deny by
 * default), validate the input against the contract, run the handler, record the audit entry in the same
 * transaction, and turn every failure into a typed error. Nothing thrown inside the core reaches a
 * transport as a stack trace.
 */
import { randomUUID } from 'node:crypto';
import type { SessionState } from '../../shared/api/access';
import { contract, isMethodName, type MethodName } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import type { CallResult } from '../../shared/api/transport';
import { zodIssuesToApiError } from '../../shared/api/validation';
import type { Auth, Session } from '../access/auth';
import { appendAudit, type AuditInput } from '../audit/chain';
import { AuditRecorder } from '../audit/recorder';
import { appendReadAudit, auditCommitted } from '../audit/sink';
import type { Actor, CoreContext } from '../context';
import type { Logger } from '../log';
import type { CoreHandlers } from './handlers';

export interface DispatchOptions {
  /** Check every output against its schema (tests and development; costs time on hot paths). */
  validateOutputs: boolean;
  logger: Logger;
}

export interface DispatchEnv {
  ctx: CoreContext;
  auth: Auth;
  session: Session;
}

/** Session methods a session may call before it is fully signed in (the step it is on). */
const STEP_METHODS: Partial<Record<SessionState, ReadonlySet<MethodName>>> = {
  enrol_totp: new Set(['auth.totpBegin', 'auth.totpConfirm']),
  change_password: new Set(['auth.changePassword']),
  locked: new Set(['auth.unlock']),
};

/** Auth methods write their own audit entries (a failed sign-in must be logged although the call fails). */
const selfAudited = (m: MethodName) => m.startsWith('auth.');

const NOBODY: Actor = { id: 'anonymous', name: '', permissions: new Set() };

export function dispatch(handlers: CoreHandlers, env: DispatchEnv, method: unknown, input: unknown, opts: DispatchOptions): CallResult {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown method: ${typeof method === 'string' ? method.slice(0, 60) : typeof method}` } };
  }
  const def = contract[method];
  const { ctx, auth, session } = env;
  try {
    auth.refresh(session);
    auth.applyIdle(session);
  } catch (e) {
    return internal(opts, e, method);
  }
  let actor: Actor = NOBODY;
  if (def.permission !== 'public') {
    if (session.state !== 'signed_in') {
      if (!STEP_METHODS[session.state]?.has(method)) {
        return session.state === 'locked'
          ? { ok: false, error: { code: 'session_locked', message: 'The session is locked; unlock it with your password' } }
          : { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
      }
    } else {
      actor = session.actor ?? NOBODY;
      if (!actor.permissions.has(def.permission)) {
        logDenied(env, actor, method, input, `missing permission ${def.permission}`, opts);
        return { ok: false, error: { code: 'forbidden', message: `Missing permission ${def.permission} for ${method}` } };
      }
      // Only calls that do something count as activity; the UI's status polling does not keep a session open.
      session.lastActivityMs = ctx.clock.epochMs();
    }
  }
  const parsed = def.input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: zodIssuesToApiError(parsed.error.issues) };
  const audit = new AuditRecorder();
  const audited = (def.personal || def.writes) && !selfAudited(method);
  const entry = (): AuditInput => ({
    at: ctx.clock.now(),
    actorId: actor.id,
    actorName: actor.name,
    workstation: session.workstation,
    method,
    action: audit.action ?? (def.writes ? 'write' : 'read'),
    outcome: 'ok',
    personIds: [...audit.personIds],
    details: audit.details,
    reason: audit.reason,
  });
  try {
    const handler = handlers[method] as (i: unknown, c: { actor: Actor; session: Session; audit: AuditRecorder }) => unknown;
    const run = () => {
      const data = handler(parsed.data, { actor, session, audit });
      if (audited && def.writes) appendAudit(ctx.sqlite, entry());
      return data;
    };
    // One transaction: the change (if any) and its audit entry commit together or not at all. A read runs
    // in one transaction too, for a consistent snapshot.
    const data = audited ? ctx.sqlite.transaction(run)() : run();
    // AUDIT HOOK (audit branch): a call that only read records its entry after its read transaction, without
    // waiting for the write lock another connection (a long job) may hold: into the chain, or durably into
    // the pending journal (core/audit/sink.ts). It throws rather than let the data out unrecorded.
    if (audited && !def.writes) appendReadAudit(ctx.sqlite, entry());
    if (opts.validateOutputs) {
      const out = def.output.safeParse(data);
      if (!out.success) throw new Error(`Output of ${method} violates its schema: ${JSON.stringify(out.error.issues.slice(0, 3))}`);
    }
    return { ok: true, data };
  } catch (e) {
    if (e instanceof DomainError) {
      if (e.code === 'forbidden' && !selfAudited(method)) logDenied(env, actor, method, parsed.data, e.message, opts);
      return {
        ok: false,
        error: {
          code: e.code,
          message: e.message,
          ...(e.field ? { field: e.field } : {}),
          ...(e.issues ? { issues: e.issues } : {}),
          ...(e.retryAfterSeconds !== undefined ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
          ...(e.rule ? { rule: e.rule } : {}),
        },
      };
    }
    return internal(opts, e, method);
  } finally {
    // AUDIT HOOK (audit branch): after the transaction has ended, committed or not (better-sqlite3 has no
    // commit hook): anchors the committed head outside the database and finishes merges of the pending
    // journal. Also after auth.* calls, which commit their own entries. Never throws; cheap when idle.
    auditCommitted(ctx.sqlite);
  }
}

function internal(opts: DispatchOptions, e: unknown, method: string): CallResult {
  const ref = randomUUID().slice(0, 8);
  opts.logger.error('internal_error', e, { method, ref });
  return { ok: false, error: { code: 'internal', message: `Internal error (reference ${ref})` } };
}

/** A refused call is itself worth an audit entry: who tried to reach what. */
function logDenied(env: DispatchEnv, actor: Actor, method: string, input: unknown, why: string, opts: DispatchOptions): void {
  const id = input && typeof input === 'object' && 'id' in input && typeof input.id === 'string' && /^[0-9a-f-]{36}$/i.test(input.id) ? input.id : null;
  try {
    // AUDIT HOOK (audit branch): a refusal changes nothing, so like a read it must not wait for the write lock.
    appendReadAudit(env.ctx.sqlite, {
      at: env.ctx.clock.now(),
      actorId: actor.id,
      actorName: actor.name,
      workstation: env.session.workstation,
      method,
      action: 'denied',
      outcome: 'forbidden',
      // An attempt on a person is listed under that person, so the auditor's person filter finds it.
      personIds: id && method.startsWith('person.') ? [id] : [],
      details: { why, ...(id ? { id } : {}) },
      reason: null,
    });
  } catch (e) {
    opts.logger.error('audit_denied_failed', e, { method });
  }
}
