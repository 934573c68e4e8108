/**
 * The single entry to the core: validate the method name, check the session and the permission (deny by
 * default), validate the input against the contract, run the handler, record the audit entry in the same
 * transaction, and turn every failure into a typed error. Nothing thrown inside the core reaches a
 * transport as a stack trace.
 *
 * Two ways in:
 * - `dispatchSync` answers at once. It serves the trusted in-process callers (tests, the CLI) for the quick
 *   `tx` methods, whose behaviour is exactly what it was before calls could be async.
 * - `dispatch` returns a promise and is what every transport uses. It also runs `async` and `job` methods,
 *   and when the database's write lock is held by a long job on another connection it waits *without
 *   blocking the event loop* (the connection's busy timeout is near zero; the retry is a timer), so the
 *   person card, search and the OS lock stay responsive while an import commits.
 */
import { randomUUID } from 'node:crypto';
import type { SessionState } from '../../shared/domain/access';
import { contract, isMethodName, type MethodName } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import type { ApiError, CallResult } from '../../shared/api/transport';
import { zodIssuesToApiError } from '../../shared/api/validation';
import type { Auth, Session } from '../access/auth';
import { appendAudit, type AuditInput } from '../audit/chain';
import { appendReadAudit, auditCommitted } from '../audit/sink';
import { AuditRecorder } from '../audit/recorder';
import type { Actor, CoreContext } from '../context';
import type { Logger } from '../log';
import type { CoreServices } from '../services';
import { committedMutation, recordMutation, type MutationRegistry } from './mutations';
import { withMutationIds } from '../write/ids';

export interface DispatchOptions {
  /** Check every output against its schema (tests and development; costs time on hot paths). */
  validateOutputs: boolean;
  logger: Logger;
}

export interface DispatchEnv {
  ctx: CoreContext;
  auth: Auth;
  session: Session;
  services: CoreServices;
}

/** What the transport passes beside method and input. */
export interface CallMeta {
  /**
   * The client's id for this call (a UUID made where the user pressed Save). A write stores it with its
   * changes; a retried call with the same id returns the first answer instead of writing twice, and
   * `mutation.status` tells a client whose connection dropped whether the write committed.
   */
  mutationId?: string;
  /** Aborted when the caller goes away; async handlers stop between steps. */
  signal?: AbortSignal;
}

/** The call context every handler receives. */
export interface CallContext {
  actor: Actor;
  session: Session;
  audit: AuditRecorder;
  /** This call's mutation id (client-chosen, or made here for a write without one). */
  mutationId: string | null;
  signal: AbortSignal;
  services: CoreServices;
  /**
   * `async` and `job` methods only: runs `fn` as the call's one write transaction (IMMEDIATE), with the
   * call's audit entry appended inside that same transaction from what `audit` holds when `fn` returns.
   * Waits (asynchronously) while another connection holds the write lock. At most once per call.
   */
  tx<T>(fn: () => T): Promise<T>;
}

export type Handler = (input: unknown, call: CallContext) => unknown;

/** Session methods a session may call before it is fully signed in (the step it is on). */
const STEP_METHODS: Partial<Record<SessionState, ReadonlySet<MethodName>>> = {
  enrol_totp: new Set(['auth.totpBegin', 'auth.totpConfirm']),
  change_password: new Set(['auth.changePassword']),
  locked: new Set(['auth.unlock']),
};

/** Auth methods write their own audit entries (a failed sign-in must be logged although the call fails). */
const selfAudited = (m: MethodName) => m.startsWith('auth.');

const NOBODY: Actor = { id: 'anonymous', name: '', permissions: new Set() };

/** How long a call waits for a long job's write lock before it answers `busy` (the job's commit is ≤ 60 s). */
const BUSY_DEADLINE_MS = 120_000;
const NEVER_ABORTED = new AbortController().signal;

class Prepared {
  constructor(
    readonly method: MethodName,
    readonly actor: Actor,
    readonly input: unknown,
  ) {}
}

/** Everything before the handler runs: method, session, permission, input. A CallResult means "refused". */
function prepare(env: DispatchEnv, method: unknown, input: unknown, opts: DispatchOptions): Prepared | CallResult {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown method: ${typeof method === 'string' ? method.slice(0, 60) : typeof method}` } };
  }
  const def = contract[method];
  const { ctx, auth, session } = env;
  try {
    auth.refresh(session);
    auth.applyIdle(session);
  } catch (e) {
    return isBusy(e) ? busyResult() : internal(opts, e, method);
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
  return new Prepared(method, actor, parsed.data);
}

function auditEntry(env: DispatchEnv, p: Prepared, audit: AuditRecorder): AuditInput {
  const def = contract[p.method];
  return {
    at: env.ctx.clock.now(),
    actorId: p.actor.id,
    actorName: p.actor.name,
    workstation: env.session.workstation,
    method: p.method,
    action: audit.action ?? (def.writes ? 'write' : 'read'),
    outcome: 'ok',
    personIds: [...audit.personIds],
    details: audit.details,
    reason: audit.reason,
  };
}

const audited = (m: MethodName) => (contract[m].personal || contract[m].writes) && !selfAudited(m);

/** One attempt of a quick (`tx`) method: handler, audit entry and mutation record in one transaction. */
function attemptTx(handlers: Record<string, Handler>, env: DispatchEnv, p: Prepared, meta: CallMeta, opts: DispatchOptions): CallResult {
  const def = contract[p.method];
  const { ctx } = env;
  const audit = new AuditRecorder();
  // A write always has a mutation id, made here when the caller sent none (as `dispatch` does): every
  // change record of the call carries it, which is what groups one user action in the history and the
  // sync outbox.
  const mutationId = def.writes ? (meta.mutationId ?? randomUUID()) : null;
  const call: CallContext = {
    actor: p.actor,
    session: env.session,
    audit,
    mutationId,
    signal: meta.signal ?? NEVER_ABORTED,
    services: env.services,
    tx: () => Promise.reject(new Error(`${p.method} is a quick method: the dispatcher owns its transaction`)),
  };
  // Records created by a write get ids derived from its mutation id (core/write/ids.ts): the central
  // server re-runs the mutation and must create the same ids.
  const run = () => withMutationIds(mutationId, () => {
    const data = handlers[p.method]!(p.input, call);
    if (data instanceof Promise) throw new Error(`${p.method} returned a promise: declare it run: 'async' in the contract`);
    if (audited(p.method) && def.writes) appendAudit(ctx.sqlite, auditEntry(env, p, audit));
    if (mutationId) recordMutation(ctx.sqlite, mutationId, p.actor.id, p.method, ctx.clock.now(), data);
    // Joined mode: the outbox entry commits with the write (core/sync/outbox.ts).
    if (mutationId && def.writes) env.services.outbox?.record(ctx.sqlite, mutationId, p.actor.id, p.method, p.input, ctx.clock.now());
    return data;
  });
  try {
    // A write: the change, its audit entry and its mutation record in one IMMEDIATE transaction (a lock
    // conflict shows at BEGIN, before any work is done), committed together or not at all.
    // A read: one deferred transaction for a consistent snapshot, then its audit entry, appended without
    // waiting for a lock a long job may hold (into the chain, or durably into the pending journal:
    // core/audit/sink.ts). It throws rather than let the data out unrecorded.
    let data: unknown;
    if (!audited(p.method)) data = run();
    else if (def.writes) data = ctx.sqlite.transaction(run).immediate();
    else {
      data = ctx.sqlite.transaction(run)();
      // Inside a transaction the caller owns (the central server's engine runs an auditor's read of the
      // central log in one), the entry joins it, like a refusal's (logDenied).
      (ctx.sqlite.inTransaction ? appendAudit : appendReadAudit)(ctx.sqlite, auditEntry(env, p, audit));
    }
    if (mutationId && def.writes) env.services.outbox?.committed();
    return finish(p, data, opts);
  } catch (e) {
    return failure(env, p, e, opts);
  } finally {
    // After the transaction has ended (better-sqlite3 has no commit hook): anchors the committed head of
    // the audit chain outside the database and finishes merges of the pending journal. Never throws.
    auditCommitted(ctx.sqlite);
  }
}

function finish(p: Prepared, data: unknown, opts: DispatchOptions): CallResult {
  if (opts.validateOutputs) {
    const out = contract[p.method].output.safeParse(data);
    if (!out.success) throw new Error(`Output of ${p.method} violates its schema: ${JSON.stringify(out.error.issues.slice(0, 3))}`);
  }
  return { ok: true, data };
}

function failure(env: DispatchEnv, p: Prepared, e: unknown, opts: DispatchOptions): CallResult {
  if (isBusy(e)) return busyResult();
  if (e instanceof DomainError) {
    if (e.code === 'forbidden' && !selfAudited(p.method)) logDenied(env, p.actor, p.method, p.input, e.message, opts);
    return { ok: false, error: domainErrorToApi(e) };
  }
  return internal(opts, e, p.method);
}

export function domainErrorToApi(e: DomainError): ApiError {
  return {
    code: e.code,
    message: e.message,
    ...(e.field ? { field: e.field } : {}),
    ...(e.issues ? { issues: e.issues } : {}),
    ...(e.retryAfterSeconds !== undefined ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
    ...(e.rule ? { rule: e.rule } : {}),
    ...(e.details ? { details: e.details } : {}),
  };
}

/** A write already committed under this mutation id answers with its first result (a retry never writes twice). */
function replay(env: DispatchEnv, p: Prepared, meta: CallMeta): CallResult | null {
  if (!meta.mutationId || !contract[p.method].writes) return null;
  const done = committedMutation(env.ctx.sqlite, meta.mutationId);
  if (!done) return null;
  if (done.actorId !== p.actor.id || done.method !== p.method) {
    return { ok: false, error: { code: 'validation', message: 'This mutation id was used for another call', field: 'mutationId' } };
  }
  return { ok: true, data: done.result };
}

/**
 * Synchronous dispatch for trusted in-process callers and tests: `tx` methods only, no waiting. A busy
 * database answers `busy` at once; the async path waits instead.
 */
export function dispatchSync(
  handlers: Record<string, Handler>,
  env: DispatchEnv,
  method: unknown,
  input: unknown,
  opts: DispatchOptions,
  meta: CallMeta = {},
): CallResult {
  const p = prepare(env, method, input, opts);
  if (!(p instanceof Prepared)) return p;
  if ((contract[p.method].run ?? 'tx') !== 'tx') {
    throw new Error(`${p.method} is a ${contract[p.method].run} method: call it through the async dispatch`);
  }
  const again = replay(env, p, meta);
  if (again) return again;
  return attemptTx(handlers, env, p, meta, opts);
}

export async function dispatch(
  handlers: Record<string, Handler>,
  env: DispatchEnv,
  method: unknown,
  input: unknown,
  opts: DispatchOptions,
  meta: CallMeta = {},
): Promise<CallResult> {
  const p = prepare(env, method, input, opts);
  if (!(p instanceof Prepared)) {
    if (isBusyResult(p)) return retryPrepare(handlers, env, method, input, opts, meta);
    return p;
  }
  const registry = env.services.mutations;
  const mutationId = contract[p.method].writes ? (meta.mutationId ?? randomUUID()) : null;
  if (mutationId) registry.begin(mutationId);
  try {
    const again = replay(env, p, meta);
    if (again) return again;
    const kind = contract[p.method].run ?? 'tx';
    if (kind === 'tx') {
      const deadline = Date.now() + BUSY_DEADLINE_MS;
      for (let attempt = 0; ; attempt++) {
        const r = attemptTx(handlers, env, p, { ...meta, mutationId: mutationId ?? undefined }, opts);
        if (!isBusyResult(r) || Date.now() > deadline || meta.signal?.aborted) return r;
        await backoff(attempt);
      }
    }
    return await runAsync(handlers, env, p, { ...meta, mutationId: mutationId ?? undefined }, opts);
  } finally {
    if (mutationId) registry.end(mutationId);
  }
}

/** prepare() itself can meet a busy database (an idle lock's audit entry); retry it like a call. */
async function retryPrepare(handlers: Record<string, Handler>, env: DispatchEnv, method: unknown, input: unknown, opts: DispatchOptions, meta: CallMeta): Promise<CallResult> {
  const deadline = Date.now() + BUSY_DEADLINE_MS;
  for (let attempt = 0; ; attempt++) {
    await backoff(attempt);
    const p = prepare(env, method, input, opts);
    if (p instanceof Prepared) return dispatch(handlers, env, method, input, opts, meta);
    if (!isBusyResult(p) || Date.now() > deadline) return p;
  }
}

async function runAsync(handlers: Record<string, Handler>, env: DispatchEnv, p: Prepared, meta: CallMeta, opts: DispatchOptions): Promise<CallResult> {
  const { ctx } = env;
  const audit = new AuditRecorder();
  let txUsed = false;
  const mutationId = meta.mutationId ?? null;
  const call: CallContext = {
    actor: p.actor,
    session: env.session,
    audit,
    mutationId,
    signal: meta.signal ?? NEVER_ABORTED,
    services: env.services,
    tx: async <T>(fn: () => T): Promise<T> => {
      if (txUsed) throw new Error(`${p.method} opened a second write transaction; a call has one`);
      txUsed = true;
      const deadline = Date.now() + BUSY_DEADLINE_MS;
      for (let attempt = 0; ; attempt++) {
        try {
          return ctx.sqlite
            .transaction(() => {
              const value = withMutationIds(mutationId, fn);
              if (audited(p.method)) appendAudit(ctx.sqlite, auditEntry(env, p, audit));
              return value;
            })
            .immediate();
        } catch (e) {
          if (!isBusy(e) || Date.now() > deadline) throw e;
        } finally {
          auditCommitted(ctx.sqlite);
        }
        await backoff(attempt);
      }
    },
  };
  try {
    const data = await handlers[p.method]!(p.input, call);
    // A handler that only read still leaves its audit entry (without waiting for a lock); one that wrote
    // left it inside its transaction.
    if (!txUsed && audited(p.method)) {
      if (contract[p.method].writes) await call.tx(() => undefined);
      else if (ctx.sqlite.inTransaction) {
        // The central server runs each call inside its own transaction (server/engine/engine.ts): the
        // entry joins it, and reaches the central chain with it.
        ctx.sqlite.transaction(() => appendAudit(ctx.sqlite, auditEntry(env, p, audit)))();
      } else {
        appendReadAudit(ctx.sqlite, auditEntry(env, p, audit));
        auditCommitted(ctx.sqlite);
      }
    }
    if (mutationId && txUsed && contract[p.method].writes) {
      // Recorded after the handler's own transaction: an async write's result is known only when it returns.
      // A crash in between leaves the write committed without its record; `mutation.status` then answers
      // from the change log, which carries the mutation id (core/write).
      recordMutationSafely(ctx, mutationId, p, data);
    }
    return finish(p, data, opts);
  } catch (e) {
    return failure(env, p, e, opts);
  }
}

function recordMutationSafely(ctx: CoreContext, id: string, p: Prepared, data: unknown): void {
  try {
    ctx.sqlite.transaction(() => recordMutation(ctx.sqlite, id, p.actor.id, p.method, ctx.clock.now(), data)).immediate();
    auditCommitted(ctx.sqlite);
  } catch {
    // Best effort: the write itself committed; see the comment at the call.
  }
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(250, 5 * 2 ** Math.min(attempt, 6));
  return new Promise((ok) => setTimeout(ok, ms));
}

export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

function busyResult(): CallResult {
  return { ok: false, error: { code: 'busy', message: 'The register is being updated by a long-running job; try again in a moment' } };
}

function isBusyResult(r: CallResult): boolean {
  return !r.ok && r.error.code === 'busy';
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
    // A refusal changes nothing, so like a read it must not wait for a lock a long job may hold. Inside a
    // transaction the caller owns (the central server's engine applies a pushed mutation in one), the
    // entry joins that transaction instead.
    const append = env.ctx.sqlite.inTransaction ? appendAudit : appendReadAudit;
    append(env.ctx.sqlite, {
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
    auditCommitted(env.ctx.sqlite);
  } catch (e) {
    opts.logger.error('audit_denied_failed', e, { method });
  }
}

export type { MutationRegistry };
