/**
 * Sign-in and sessions. A session belongs to one transport connection (a browser-host cookie, an Electron
 * window) and walks: signed_out → (password) → totp | enrol_totp | change_password → signed_in ⇄ locked.
 * Only `signed_in` reaches the register; the dispatcher asks `gate()` before every call.
 *
 * Failed attempts count per account and lock it with a doubling back-off; an unknown user name costs the
 * same Argon2 time as a known one and gets the same answer, so the sign-in form tells nobody which
 * accounts exist. Every sign-in event is written to the audit log in the same transaction as its effect.
 * The attempt counters, lockout, last sign-in and TOTP replay step are operational state, written with
 * `setSignInState` outside the one write path; a change of password or second factor is a record change
 * (core/access/accounts.ts says why the two differ).
 */
import { DEFAULT_IDLE_MINUTES, PASSWORD_MIN_LENGTH, ROLES_REQUIRING_TOTP, type SessionState } from '../../shared/domain/access';
import { DomainError } from '../../shared/api/errors';
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { appendAudit } from '../audit/chain';
import { appendReadAudit, auditCommitted } from '../audit/sink';
import type { Actor, CoreContext } from '../context';
import { updateRecord, writer } from '../write/records';
import { accountById, accountByUsername, accountCount, actorFor, createAccount, lockoutSeconds, passwordProblem, rolesOf, setSignInState, type AccountRow } from './accounts';
import { burnVerify, hashPassword, verifyPassword } from './password';
import { open as openSealed, seal } from './secretbox';
import { base32Encode, generateTotpSecret, otpauthUri, verifyTotp } from './totp';

export interface Session {
  key: string;
  /** A trusted in-process caller (CLI, tests): no idle lock, no account to re-read. */
  trusted: boolean;
  workstation: string;
  state: Exclude<SessionState, 'setup'>;
  account: { id: string; username: string; name: string; version: number } | null;
  actor: Actor | null;
  lastActivityMs: number;
  /** A TOTP secret offered by totpBegin, stored only once a code from it is confirmed. */
  pendingTotp: Buffer | null;
}

export function newSession(key: string, workstation: string, nowMs: number): Session {
  return { key, trusted: false, workstation, state: 'signed_out', account: null, actor: null, lastActivityMs: nowMs, pendingTotp: null };
}

/** A session for trusted in-process callers (CLI, tests, demo seeding): already signed in as `actor`. */
export function trustedSession(actor: Actor, workstation: string, nowMs: number): Session {
  return {
    key: `trusted:${actor.id}`,
    trusted: true,
    workstation,
    state: 'signed_in',
    account: { id: actor.id, username: actor.id, name: actor.name, version: 0 },
    actor,
    lastActivityMs: nowMs,
    pendingTotp: null,
  };
}

const IDLE_KEY = 'policy.idle_minutes';

/** The policy is read on every call (idle check): kept per database, refreshed when it is set. */
const idleCache = new WeakMap<object, number>();

export function idleMinutes(ctx: CoreContext): number {
  const cached = idleCache.get(ctx.sqlite);
  if (cached !== undefined) return cached;
  const v = ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = ?`).pluck().get(IDLE_KEY) as string | undefined;
  const n = v === undefined ? NaN : Number(v);
  const minutes = Number.isInteger(n) && n >= 1 && n <= 60 ? n : DEFAULT_IDLE_MINUTES;
  idleCache.set(ctx.sqlite, minutes);
  return minutes;
}

export function setIdleMinutes(ctx: CoreContext, minutes: number): void {
  ctx.sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(IDLE_KEY, String(minutes));
  // Cleared rather than set: if the surrounding transaction rolls back, the next read sees the stored value.
  idleCache.delete(ctx.sqlite);
}

export const DEMO_PASSWORD = 'kansli-demo-2026';

/** The municipality's country, or null before one is set up (auth.status carries it to the sign-in screen). */
function municipalityCountry(ctx: CoreContext): 'SE' | 'NO' | null {
  const c = ctx.sqlite.prepare(`SELECT country FROM municipality LIMIT 1`).pluck().get() as string | undefined;
  return c === 'SE' || c === 'NO' ? c : null;
}

type AuthStatusOutput = MethodOutput<'auth.status'>;

type AuditExtra = { action: string; outcome?: string; details?: Record<string, unknown>; actorId?: string; actorName?: string };

export class Auth {
  constructor(private readonly ctx: CoreContext) {}

  private audit(session: Session, method: string, e: AuditExtra): void {
    appendAudit(this.ctx.sqlite, {
      at: this.ctx.clock.now(),
      actorId: e.actorId ?? session.account?.id ?? 'anonymous',
      actorName: e.actorName ?? session.account?.name ?? '',
      workstation: session.workstation,
      method,
      action: e.action,
      outcome: e.outcome ?? 'ok',
      personIds: [],
      details: e.details ?? {},
      reason: null,
    });
  }

  /**
   * For events that happen whatever the database is doing (a lock, an idle lock): the state changes in
   * memory at once, and the audit entry is appended without waiting for a lock a long job may hold (into
   * the chain, or durably into the pending journal: core/audit/sink.ts).
   */
  private auditSoon(session: Session, method: string, e: AuditExtra): void {
    appendReadAudit(this.ctx.sqlite, {
      at: this.ctx.clock.now(),
      actorId: e.actorId ?? session.account?.id ?? 'anonymous',
      actorName: e.actorName ?? session.account?.name ?? '',
      workstation: session.workstation,
      method,
      action: e.action,
      outcome: e.outcome ?? 'ok',
      personIds: [],
      details: e.details ?? {},
      reason: null,
    });
    auditCommitted(this.ctx.sqlite);
  }

  /**
   * Joined mode (core/sync/client.ts): accounts live on the central server. Sign-in and its steps happen
   * there and this session follows them (`followRemote`); the first-start setup is the server's business.
   */
  joined = false;

  status(session: Session, extra: { retryAfterSeconds?: number } = {}): AuthStatusOutput {
    this.applyIdle(session);
    const demo = this.ctx.demo;
    return {
      state: !this.joined && accountCount(this.ctx.sqlite) === 0 ? 'setup' : session.state,
      user: session.account && session.state !== 'signed_out' ? { id: session.account.id, name: session.account.name, username: session.account.username } : null,
      demo,
      ...(demo ? { demoAccounts: demoAccountList(this.ctx), demoPassword: DEMO_PASSWORD } : {}),
      idleMinutes: idleMinutes(this.ctx),
      passwordMinLength: PASSWORD_MIN_LENGTH,
      country: municipalityCountry(this.ctx),
      ...extra,
    };
  }

  /** Locks a signed-in session that has been idle longer than the policy allows. */
  applyIdle(session: Session): void {
    if (session.state !== 'signed_in' || session.trusted) return;
    const idleMs = idleMinutes(this.ctx) * 60_000;
    if (this.ctx.clock.epochMs() - session.lastActivityMs > idleMs) {
      session.state = 'locked';
      this.auditSoon(session, 'auth.lock', { action: 'lock', details: { cause: 'idle' } });
    }
  }

  /**
   * Re-reads the account on every call: a disabled account is signed out at once, and changed roles take
   * effect on the next call instead of at the next sign-in.
   */
  refresh(session: Session): void {
    if (!session.account || session.trusted) return;
    const row = this.ctx.sqlite.prepare(`SELECT version, disabled_at, display_name FROM user_account WHERE id = ?`).get(session.account.id) as
      | { version: number; disabled_at: string | null; display_name: string }
      | undefined;
    if (!row && this.cacheRebuilding(session.account.id)) return;
    if (!row || row.disabled_at) {
      this.reset(session);
      return;
    }
    if (row.version !== session.account.version) {
      session.account = { ...session.account, version: row.version, name: row.display_name };
      if (session.actor) session.actor = actorFor(this.ctx.sqlite, { id: session.account.id, display_name: row.display_name });
    }
  }

  /**
   * A joined workstation's cache taken again from the start (core/sync/client.ts wipeRegister) holds no
   * account until its rows come back: the user's session stays as it is meanwhile (the server checks every
   * push and pull against its own accounts, and a refused token locks the session).
   */
  private cacheRebuilding(userId: string): boolean {
    const meta = this.ctx.sqlite.prepare(`SELECT key, value FROM app_meta WHERE key IN ('sync.rebuilding', 'sync.user')`).all() as { key: string; value: string }[];
    const get = (k: string) => meta.find((m) => m.key === k)?.value;
    return get('sync.rebuilding') === '1' && get('sync.user') === userId;
  }

  private reset(session: Session): void {
    session.state = 'signed_out';
    session.account = null;
    session.actor = null;
    session.pendingTotp = null;
  }

  setup(session: Session, input: MethodParsedInput<'auth.setup'>, mutationId: string | null = null): AuthStatusOutput {
    return this.ctx.sqlite.transaction(() => {
      if (accountCount(this.ctx.sqlite) > 0) throw new DomainError('forbidden', 'The first administrator already exists; sign in instead');
      const { id } = createAccount(writer(this.ctx, { id: 'setup' }, mutationId), { ...input, roles: [{ role: 'sysadmin', unitId: null }], mustChangePassword: false });
      const a = accountById(this.ctx.sqlite, id)!;
      this.audit(session, 'auth.setup', { action: 'account', actorId: a.id, actorName: a.display_name, details: { created: a.username, roles: ['sysadmin'] } });
      this.passwordAccepted(session, a);
      return this.status(session);
    })();
  }

  private lockedOut(a: AccountRow | undefined): number {
    if (!a?.locked_until) return 0;
    const left = Math.ceil((Date.parse(a.locked_until) - this.ctx.clock.epochMs()) / 1000);
    return left > 0 ? left : 0;
  }

  /** Counts a failure (and may start a lockout) in its own transaction, then throws the generic error. */
  private fail(session: Session, method: string, a: AccountRow | undefined, attempted: string, factor: string): never {
    this.ctx.sqlite.transaction(() => {
      if (a) {
        const n = a.failed_attempts + 1;
        const wait = lockoutSeconds(n);
        setSignInState(this.ctx.sqlite, a.id, { failed_attempts: n, locked_until: wait ? new Date(this.ctx.clock.epochMs() + wait * 1000).toISOString() : null });
      }
      this.audit(session, method, {
        action: 'sign_in_failed',
        outcome: 'auth_failed',
        actorId: a?.id ?? 'unknown',
        actorName: a?.display_name ?? '',
        details: { username: attempted.slice(0, 64), factor },
      });
    })();
    throw new DomainError('auth_failed', factor === 'totp' ? 'The code is not valid' : 'Wrong user name or password');
  }

  private refuseLockedOut(session: Session, method: string, a: AccountRow): void {
    const wait = this.lockedOut(a);
    if (!wait) return;
    this.ctx.sqlite.transaction(() =>
      this.audit(session, method, { action: 'sign_in_failed', outcome: 'locked_out', actorId: a.id, actorName: a.display_name, details: { username: a.username } }),
    )();
    throw new DomainError('locked_out', `Too many failed attempts; try again in ${wait} s`, undefined, undefined, wait);
  }

  signIn(session: Session, input: MethodParsedInput<'auth.signIn'>): AuthStatusOutput {
    const a = accountByUsername(this.ctx.sqlite, input.username);
    if (a) this.refuseLockedOut(session, 'auth.signIn', a);
    const ok = a && !a.disabled_at ? verifyPassword(a.password_hash, input.password) : (burnVerify(input.password), false);
    if (!ok || !a) this.fail(session, 'auth.signIn', a, input.username, 'password');
    this.reset(session);
    return this.ctx.sqlite.transaction(() => {
      setSignInState(this.ctx.sqlite, a.id, { failed_attempts: 0, locked_until: null });
      this.passwordAccepted(session, a);
      return this.status(session);
    })();
  }

  /** After the password: the second factor, the policy's enrolment, a forced password change, or in. */
  private passwordAccepted(session: Session, a: AccountRow): void {
    session.account = { id: a.id, username: a.username, name: a.display_name, version: a.version };
    session.actor = null;
    if (a.totp_enabled_at) session.state = 'totp';
    else this.afterSecondFactor(session, a);
  }

  private afterSecondFactor(session: Session, a: AccountRow): void {
    const needsTotp = !a.totp_enabled_at && totpRequiredFor(this.ctx, a.id);
    if (needsTotp) session.state = 'enrol_totp';
    else if (a.must_change_password) session.state = 'change_password';
    else this.signedIn(session, a);
  }

  private signedIn(session: Session, a: AccountRow): void {
    const now = this.ctx.clock.now();
    setSignInState(this.ctx.sqlite, a.id, { last_sign_in_at: now });
    const fresh = accountById(this.ctx.sqlite, a.id)!;
    session.account = { id: fresh.id, username: fresh.username, name: fresh.display_name, version: fresh.version };
    session.actor = actorFor(this.ctx.sqlite, fresh);
    session.state = 'signed_in';
    session.lastActivityMs = this.ctx.clock.epochMs();
    this.audit(session, 'auth.signIn', { action: 'sign_in', details: { totp: fresh.totp_enabled_at !== null } });
  }

  verifyTotp(session: Session, input: MethodParsedInput<'auth.verifyTotp'>): AuthStatusOutput {
    if (session.state !== 'totp' || !session.account) throw new DomainError('unauthenticated', 'Sign in with your password first');
    const a = accountById(this.ctx.sqlite, session.account.id);
    if (!a || a.disabled_at || !a.totp_secret) {
      this.reset(session);
      throw new DomainError('unauthenticated', 'Sign in again');
    }
    this.refuseLockedOut(session, 'auth.verifyTotp', a);
    const secret = Buffer.from(openSealed(this.ctx.secretKey, a.totp_secret, a.id), 'base64');
    const r = verifyTotp(secret, input.code, this.ctx.clock.epochMs(), a.totp_last_step);
    if (!r.ok) this.fail(session, 'auth.verifyTotp', a, a.username, 'totp');
    return this.ctx.sqlite.transaction(() => {
      setSignInState(this.ctx.sqlite, a.id, { totp_last_step: r.step, failed_attempts: 0, locked_until: null });
      if (a.must_change_password) session.state = 'change_password';
      else this.signedIn(session, a);
      return this.status(session);
    })();
  }

  totpBegin(session: Session): { secret: string; uri: string } {
    if (!session.account || (session.state !== 'enrol_totp' && session.state !== 'signed_in')) throw new DomainError('unauthenticated', 'Sign in first');
    const secret = generateTotpSecret();
    session.pendingTotp = secret;
    const b32 = base32Encode(secret);
    return { secret: b32, uri: otpauthUri({ secret: b32, account: session.account.username, issuer: 'Kansli' }) };
  }

  totpConfirm(session: Session, input: MethodParsedInput<'auth.totpConfirm'>, mutationId: string | null = null): AuthStatusOutput {
    if (!session.account || (session.state !== 'enrol_totp' && session.state !== 'signed_in')) throw new DomainError('unauthenticated', 'Sign in first');
    if (!session.pendingTotp) throw new DomainError('validation', 'Start the enrolment first', 'code', [{ field: 'code', code: 'no_enrolment', message: 'start first' }]);
    const r = verifyTotp(session.pendingTotp, input.code, this.ctx.clock.epochMs(), null);
    if (!r.ok) throw new DomainError('auth_failed', 'The code does not match; check the time on your phone and try the next code', 'code');
    const secret = session.pendingTotp;
    const id = session.account.id;
    return this.ctx.sqlite.transaction(() => {
      const w = writer(this.ctx, { id }, mutationId);
      updateRecord(w, 'user_account', id, { totp_secret: seal(this.ctx.secretKey, secret.toString('base64'), id), totp_enabled_at: w.now });
      // The code just confirmed is spent: it must not sign in again (replay guard, operational state).
      setSignInState(this.ctx.sqlite, id, { totp_last_step: r.step });
      session.pendingTotp = null;
      this.audit(session, 'auth.totpConfirm', { action: 'account', details: { totp: 'enrolled' } });
      const a = accountById(this.ctx.sqlite, id)!;
      session.account = { ...session.account!, version: a.version };
      if (session.state === 'enrol_totp') this.afterSecondFactor(session, a);
      return this.status(session);
    })();
  }

  /** Turns the user's own second factor off, with the password; never for a role that requires it. */
  totpDisable(session: Session, input: MethodParsedInput<'auth.totpDisable'>, mutationId: string | null = null): AuthStatusOutput {
    if (!session.account || session.state !== 'signed_in') throw new DomainError('unauthenticated', 'Sign in first');
    const a = accountById(this.ctx.sqlite, session.account.id);
    if (!a) throw new DomainError('unauthenticated', 'Only a user account has two-factor sign-in');
    if (totpRequiredFor(this.ctx, a.id)) throw new DomainError('forbidden', 'Your role requires two-factor sign-in');
    this.refuseLockedOut(session, 'auth.totpDisable', a);
    if (!verifyPassword(a.password_hash, input.password)) this.fail(session, 'auth.totpDisable', a, a.username, 'password');
    return this.ctx.sqlite.transaction(() => {
      const { version } = updateRecord(writer(this.ctx, { id: a.id }, mutationId), 'user_account', a.id, { totp_secret: null, totp_enabled_at: null });
      setSignInState(this.ctx.sqlite, a.id, { totp_last_step: null });
      this.audit(session, 'auth.totpDisable', { action: 'account', details: { totp: 'turned off' } });
      session.account = { ...session.account!, version };
      return this.status(session);
    })();
  }

  changePassword(session: Session, input: MethodParsedInput<'auth.changePassword'>, mutationId: string | null = null): AuthStatusOutput {
    if (!session.account || (session.state !== 'change_password' && session.state !== 'signed_in')) throw new DomainError('unauthenticated', 'Sign in first');
    const a = accountById(this.ctx.sqlite, session.account.id);
    // Trusted in-process callers (CLI, tests) act as an actor without an account, hence without a password.
    if (!a) throw new DomainError('unauthenticated', 'Only a user account has a password');
    this.refuseLockedOut(session, 'auth.changePassword', a);
    if (!verifyPassword(a.password_hash, input.currentPassword)) this.fail(session, 'auth.changePassword', a, a.username, 'password');
    if (input.newPassword === input.currentPassword) {
      throw new DomainError('validation', 'Choose a password you have not used here', 'newPassword', [{ field: 'newPassword', code: 'same_as_old', message: 'same as the current one' }]);
    }
    const problem = passwordProblem(input.newPassword, { username: a.username, displayName: a.display_name }, 'newPassword');
    if (problem) throw problem;
    return this.ctx.sqlite.transaction(() => {
      const w = writer(this.ctx, { id: a.id }, mutationId);
      updateRecord(w, 'user_account', a.id, { password_hash: hashPassword(input.newPassword), password_changed_at: w.now, must_change_password: 0 });
      setSignInState(this.ctx.sqlite, a.id, { failed_attempts: 0 });
      this.audit(session, 'auth.changePassword', { action: 'account', details: { password: 'changed' } });
      const fresh = accountById(this.ctx.sqlite, a.id)!;
      session.account = { ...session.account!, version: fresh.version };
      if (session.state === 'change_password') this.signedIn(session, fresh);
      return this.status(session);
    })();
  }

  lock(session: Session, cause = 'user'): AuthStatusOutput {
    if (session.state === 'signed_in') {
      session.state = 'locked';
      this.auditSoon(session, 'auth.lock', { action: 'lock', details: { cause } });
    }
    return this.status(session);
  }

  unlock(session: Session, input: MethodParsedInput<'auth.unlock'>): AuthStatusOutput {
    if (session.state !== 'locked' || !session.account) throw new DomainError('unauthenticated', 'The session is not locked');
    const a = accountById(this.ctx.sqlite, session.account.id);
    if (!a || a.disabled_at) {
      this.reset(session);
      throw new DomainError('unauthenticated', 'Sign in again');
    }
    this.refuseLockedOut(session, 'auth.unlock', a);
    if (!verifyPassword(a.password_hash, input.password)) this.fail(session, 'auth.unlock', a, a.username, 'password');
    return this.ctx.sqlite.transaction(() => {
      setSignInState(this.ctx.sqlite, a.id, { failed_attempts: 0, locked_until: null });
      session.state = 'signed_in';
      session.lastActivityMs = this.ctx.clock.epochMs();
      session.actor = actorFor(this.ctx.sqlite, a);
      this.audit(session, 'auth.unlock', { action: 'unlock' });
      return this.status(session);
    })();
  }

  /**
   * Joined mode: the central server answered a sign-in step for this session with `state` for `user`.
   * Signed in, the session's actor is built from this workstation's copy of the user's own account and role
   * assignments (the feed keeps them current; the server re-checks every push against its own anyway).
   */
  followRemote(session: Session, state: Exclude<SessionState, 'setup'>, user: { id: string; username: string; name: string } | null): AuthStatusOutput {
    if (state === 'signed_out' || !user) {
      this.reset(session);
      return this.status(session);
    }
    if (state !== 'signed_in') {
      session.account = { id: user.id, username: user.username, name: user.name, version: 0 };
      session.actor = null;
      session.state = state;
      return this.status(session);
    }
    const a = accountById(this.ctx.sqlite, user.id);
    if (!a || a.disabled_at) {
      this.reset(session);
      throw new DomainError('unauthenticated', 'The account is not (or no longer) on this workstation; sign in again');
    }
    session.account = { id: a.id, username: a.username, name: a.display_name, version: a.version };
    session.actor = actorFor(this.ctx.sqlite, a);
    session.state = 'signed_in';
    session.lastActivityMs = this.ctx.clock.epochMs();
    this.ctx.sqlite.transaction(() => this.audit(session, 'auth.signIn', { action: 'sign_in', details: { via: 'server' } }))();
    return this.status(session);
  }

  /** Joined mode: the password was checked against this workstation's unlock verifier (core/sync/client.ts). */
  unlockVerified(session: Session): AuthStatusOutput {
    if (session.state !== 'locked' || !session.account) throw new DomainError('unauthenticated', 'The session is not locked');
    const a = accountById(this.ctx.sqlite, session.account.id);
    if (!a || a.disabled_at) {
      this.reset(session);
      throw new DomainError('unauthenticated', 'Sign in again');
    }
    session.state = 'signed_in';
    session.lastActivityMs = this.ctx.clock.epochMs();
    session.actor = actorFor(this.ctx.sqlite, a);
    this.ctx.sqlite.transaction(() => this.audit(session, 'auth.unlock', { action: 'unlock', details: { via: 'verifier' } }))();
    return this.status(session);
  }

  signOut(session: Session): AuthStatusOutput {
    if (session.account && session.state !== 'signed_out') {
      this.ctx.sqlite.transaction(() => this.audit(session, 'auth.signOut', { action: 'sign_out' }))();
    }
    this.reset(session);
    return this.status(session);
  }
}

export function totpRequiredFor(ctx: CoreContext, userId: string): boolean {
  return rolesOf(ctx.sqlite, userId).some((r) => ROLES_REQUIRING_TOTP.has(r.role));
}

/** Demo databases only: the synthetic accounts, so a visitor can try each role. */
function demoAccountList(ctx: CoreContext): { username: string; roles: string }[] {
  const rows = ctx.sqlite
    .prepare(
      `SELECT a.username, group_concat(r.role || CASE WHEN u.name IS NULL THEN '' ELSE ' · ' || u.name END, ', ') AS roles
       FROM user_account a LEFT JOIN role_assignment r ON r.user_id = a.id AND r.deleted_at IS NULL LEFT JOIN org_unit u ON u.id = r.unit_id
       WHERE a.created_by = 'demo-seed' GROUP BY a.id ORDER BY a.rowid`,
    )
    .all() as { username: string; roles: string | null }[];
  return rows.map((r) => ({ username: r.username, roles: r.roles ?? '' }));
}
