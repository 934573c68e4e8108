/**
 * Sign-in state on the renderer side: which screen a session state shows, the client wrapper that
 * turns `session_locked` / `unauthenticated` from any call into the lock screen / the sign-in screen,
 * and small helpers the auth screens share. No JSX here (unit-tested in auth.test.ts).
 *
 * The core is the only place that enforces anything: this file only follows what the core says.
 */
import { DEFAULT_IDLE_MINUTES, PASSWORD_MIN_LENGTH, ROLES, TOTP_CODE_RE } from '../../../shared/domain/access';
import { ApiCallError, type KansliClient } from '../../../shared/api/client';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import type { ApiError, CallResult } from '../../../shared/api/transport';
import type { TKey, TVars } from './i18n';
import type { Store } from './store';

export type AuthStatus = MethodOutput<'auth.status'>;
export type AuthState = AuthStatus['state'];

export type AuthScreen = 'setup' | 'signIn' | 'totp' | 'enrolTotp' | 'changePassword' | 'lock' | 'app';

/** The screen for a session state. `locked` shows the lock screen (the app stays mounted behind it, hidden). */
export function screenFor(state: AuthState): AuthScreen {
  switch (state) {
    case 'setup':
      return 'setup';
    case 'signed_out':
      return 'signIn';
    case 'totp':
      return 'totp';
    case 'enrol_totp':
      return 'enrolTotp';
    case 'change_password':
      return 'changePassword';
    case 'locked':
      return 'lock';
    case 'signed_in':
      return 'app';
  }
}

/**
 * Whether the signed-in app (with whatever the user was doing) stays mounted in this state.
 * Only while signed in or locked: every other state means the session ended, and nothing of the
 * previous user's screens may survive into the next sign-in.
 */
export const keepsApp = (state: AuthState): boolean => state === 'signed_in' || state === 'locked';

/** Methods that never trigger the lock or sign-in screens themselves (they are how one leaves them). */
const isAuthMethod = (m: MethodName): boolean => m.startsWith('auth.');

/**
 * Wraps a client so that, for every method except auth.*:
 * - `session_locked` puts the status store into `locked` (the lock screen appears), waits until the
 *   session is unlocked and then repeats the call once — the screen that asked simply continues. If
 *   the user signs out instead, the call fails with the original error.
 * - `unauthenticated` asks the core for its status and stores it (the sign-in screen appears).
 * A refused call changed nothing in the core, so repeating it after unlock is safe for writes too.
 */
export function createAuthAwareClient(inner: KansliClient, status: Store<AuthStatus | null>): KansliClient {
  const waitForUnlock = (): Promise<boolean> =>
    new Promise((resolve) => {
      const check = (): boolean => {
        const s = status.get();
        if (s?.state === 'locked') return false;
        off();
        resolve(s?.state === 'signed_in');
        return true;
      };
      const off = status.subscribe(() => void check());
      check();
    });

  async function tryCall<M extends MethodName>(method: M, input: MethodInput<M>): Promise<CallResult<MethodOutput<M>>> {
    const r = await inner.tryCall(method, input);
    if (r.ok || isAuthMethod(method)) return r;
    if (r.error.code === 'session_locked') {
      const cur = status.get();
      if (cur && cur.state !== 'locked') status.set({ ...cur, state: 'locked' });
      else if (!cur) status.set(lockedPlaceholder());
      if (await waitForUnlock()) return inner.tryCall(method, input);
      return r;
    }
    if (r.error.code === 'unauthenticated') {
      const s = await inner.tryCall('auth.status', {});
      if (s.ok) status.set(s.data);
    }
    return r;
  }

  return {
    tryCall,
    async call(method, input) {
      const r = await tryCall(method, input);
      if (!r.ok) throw new ApiCallError(r.error);
      return r.data;
    },
  };
}

/** A status to show the lock screen with before auth.status has answered (rare: a call raced the first status). */
function lockedPlaceholder(): AuthStatus {
  return { state: 'locked', user: null, demo: false, idleMinutes: DEFAULT_IDLE_MINUTES, passwordMinLength: PASSWORD_MIN_LENGTH };
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

export interface Msg {
  key: TKey;
  vars?: TVars;
  /** Placeholders that are themselves messages ("try again in {{wait}}" with wait = "4 minutes"). */
  nested?: Record<string, Msg>;
}

/** Translates a Msg, nested placeholders first. */
export function translateMsg(m: Msg, t: (key: TKey, vars?: TVars) => string): string {
  const vars: TVars = { ...m.vars };
  for (const [k, sub] of Object.entries(m.nested ?? {})) vars[k] = translateMsg(sub, t);
  return t(m.key, vars);
}

/** "4 minutes" / "45 seconds": the wait after too many failed attempts, rounded up. */
export function waitText(seconds: number): Msg {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 90) return { key: 'auth.wait.seconds', vars: { count: s } };
  return { key: 'auth.wait.minutes', vars: { count: Math.ceil(s / 60) } };
}

export const lockedOutMsg = (seconds: number): Msg => ({ key: 'auth.error.locked_out', nested: { wait: waitText(seconds) } });

/**
 * The message for a failed auth call. `context` picks the wording of `auth_failed`: a generic
 * "wrong user name or password" on sign-in (never which of the two), "wrong code" for a code.
 * Returns null for `validation` (shown per field instead).
 */
export function authErrorMessage(e: ApiError, context: 'signIn' | 'code' | 'unlock' | 'changePassword' | 'setup'): Msg | null {
  switch (e.code) {
    case 'auth_failed':
      return {
        key: context === 'code' ? 'auth.error.code' : context === 'unlock' ? 'auth.error.unlock' : context === 'changePassword' ? 'auth.error.currentPassword' : 'auth.error.auth_failed',
      };
    case 'locked_out':
      return lockedOutMsg(e.retryAfterSeconds ?? 60);
    case 'validation':
      return null;
    case 'forbidden':
      return { key: context === 'setup' ? 'auth.error.setupDone' : 'error.forbidden' };
    case 'unauthenticated':
      return { key: 'auth.error.expired' };
    default:
      return { key: 'error.internal' };
  }
}

/** Password-policy codes the core returns as validation issues on `password` / `newPassword`. */
export const PASSWORD_CODES = ['too_short', 'common', 'contains_name', 'repetitive', 'too_long', 'required'] as const;

/** A validation issue's code → the message shown under a password field. */
export function passwordIssueMessage(code: string, minLength: number, maxLength: number): Msg {
  switch (code) {
    case 'too_short':
      return { key: 'password.error.too_short', vars: { min: minLength } };
    case 'too_long':
      return { key: 'password.error.too_long', vars: { max: maxLength } };
    case 'common':
      return { key: 'password.error.common' };
    case 'contains_name':
      return { key: 'password.error.contains_name' };
    case 'repetitive':
      return { key: 'password.error.repetitive' };
    case 'required':
      return { key: 'validation.required' };
    default:
      return { key: 'validation.invalid' };
  }
}

/** Field-level messages from a validation error: issues whose field is one of `fields`; the rest go to `other`. */
export function issuesByField(
  e: ApiError,
  fields: readonly string[],
  message: (field: string, code: string) => Msg,
): { fields: Record<string, Msg>; other: Msg[] } {
  const out: Record<string, Msg> = {};
  const other: Msg[] = [];
  const issues = e.issues?.length ? e.issues : e.field ? [{ field: e.field, code: e.code, message: e.message }] : [];
  for (const i of issues) {
    const f = fields.find((x) => i.field === x || i.field.startsWith(`${x}.`));
    if (f) {
      if (!out[f]) out[f] = message(f, i.code);
    } else other.push(message(i.field, i.code));
  }
  if (issues.length === 0) other.push({ key: 'error.validation' });
  return { fields: out, other };
}

// ---------------------------------------------------------------------------------------------
// TOTP helpers
// ---------------------------------------------------------------------------------------------

/** A base32 secret in groups of four for typing by hand: "JBSW Y3DP EHPK 3PXP". */
export function groupSecret(secret: string): string {
  const clean = secret.replace(/[\s=]/g, '').toUpperCase();
  return (clean.match(/.{1,4}/g) ?? []).join(' ');
}

/** What a user typed into a code field, as the six digits the core expects ("123 456" → "123456"). */
export function normaliseCode(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export const isCode = (text: string): boolean => TOTP_CODE_RE.test(normaliseCode(text));

/**
 * The core describes a demo account's roles with role codes ("clerk · Björkskolan",
 * "clerk, protected_handler"); the sign-in panel shows them in the user's language.
 */
export function demoRolesText(text: string, t: (key: TKey) => string): string {
  const re = new RegExp(`\\b(${ROLES.join('|')})\\b`, 'g');
  return text.replace(re, (code) => t(`accessRole.${code}` as TKey));
}
