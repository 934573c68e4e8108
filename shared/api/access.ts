/**
 * The access domain's contract: the session, sign-in and lock (public: callable before sign-in, never
 * personal data), accounts and the lock policy (system administrator). Handlers: core/access/handlers.ts.
 */
import { z } from 'zod';
import {
  DISPLAY_NAME_MAX,
  PASSWORD_MAX_LENGTH,
  PERMISSIONS,
  ROLES,
  SESSION_STATES,
  TOTP_CODE_RE,
  USERNAME_RE,
  IDLE_MINUTES_BOUNDS,
} from '../domain/access';
import { def, type MethodDef } from './def';
import { country, empty, isoDate, uuid, writeResult } from './schemas';

const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_RE, { message: 'username_format' });
/** Passwords are checked against the policy in the core (length, common passwords); here only the bounds. */
const password = z.string().min(1, { message: 'required' }).max(PASSWORD_MAX_LENGTH, { message: 'too_long' });
const displayName = z.string().trim().min(1, { message: 'required' }).max(DISPLAY_NAME_MAX, { message: 'too_long' });
const totpCode = z.string().trim().regex(TOTP_CODE_RE, { message: 'totp_format' });
export const roleGrant = z.object({ role: z.enum(ROLES), unitId: uuid.nullable() }).strict();
export const roleGrantView = z.object({ role: z.enum(ROLES), unitId: uuid.nullable(), unitName: z.string().nullable() });
export const authStatus = z.object({
  state: z.enum(SESSION_STATES),
  user: z.object({ id: z.string(), name: z.string(), username: z.string() }).nullable(),
  demo: z.boolean(),
  /** Demo databases only: the synthetic accounts a visitor can try (never present in a real installation). */
  demoAccounts: z.array(z.object({ username: z.string(), roles: z.string() })).optional(),
  /** Demo databases only: the shared password of those synthetic accounts. */
  demoPassword: z.string().optional(),
  idleMinutes: z.number().int(),
  passwordMinLength: z.number().int(),
  /**
   * The municipality's country (null before one is set up): public, so the sign-in screen already speaks
   * the municipality's language on a workstation where nobody has chosen one.
   */
  country: country.nullable().optional(),
  /** When the account is locked out after failed attempts: seconds until the next attempt is allowed. */
  retryAfterSeconds: z.number().int().optional(),
});
export const userView = z.object({
  id: uuid,
  version: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleGrantView),
  totpEnabled: z.boolean(),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastSignInAt: z.string().nullable(),
});

export const accessMethods = {
  'session.info': def({
    input: empty,
    output: z.object({
      user: z.object({ id: z.string(), name: z.string(), username: z.string() }),
      permissions: z.array(z.enum(PERMISSIONS)),
      roles: z.array(roleGrantView),
      /** Minutes without input before the session locks. */
      idleMinutes: z.number().int(),
      /** Two-factor sign-in is set up for this account / its roles require it (then it cannot be turned off). */
      totpEnabled: z.boolean(),
      totpRequired: z.boolean(),
      municipality: z.object({ name: z.string(), country }).nullable(),
      today: isoDate,
      demo: z.boolean(),
    }),
    permission: 'session',
    errors: [],
    personal: false,
    writes: false,
  }),
  'auth.status': def({
    input: empty,
    output: authStatus,
    permission: 'public',
    errors: [],
    personal: false,
    writes: false,
  }),
  'auth.setup': def({
    input: z.object({ username, displayName, password }).strict(),
    output: authStatus,
    permission: 'public',
    errors: ['validation', 'forbidden'],
    personal: false,
    writes: true,
  }),
  'auth.signIn': def({
    input: z.object({ username: z.string().trim().toLowerCase().max(64), password }).strict(),
    output: authStatus,
    permission: 'public',
    errors: ['validation', 'auth_failed', 'locked_out'],
    personal: false,
    writes: true,
  }),
  'auth.verifyTotp': def({
    input: z.object({ code: totpCode }).strict(),
    output: authStatus,
    permission: 'public',
    errors: ['validation', 'auth_failed', 'locked_out', 'unauthenticated'],
    personal: false,
    writes: true,
  }),
  'auth.signOut': def({
    input: empty,
    output: authStatus,
    permission: 'public',
    errors: [],
    personal: false,
    writes: false,
  }),
  'auth.lock': def({
    input: empty,
    output: authStatus,
    permission: 'session',
    errors: [],
    personal: false,
    writes: false,
  }),
  /**
   * The user is at the keyboard (the renderer sends it at most once a minute while there is input):
   * without it, a long form filled in without a call would find the session locked by the core on save.
   */
  'auth.activity': def({
    input: empty,
    output: z.object({ idleMinutes: z.number().int() }),
    permission: 'session',
    errors: [],
    personal: false,
    writes: false,
  }),
  'auth.unlock': def({
    input: z.object({ password }).strict(),
    output: authStatus,
    permission: 'session',
    errors: ['validation', 'auth_failed', 'locked_out'],
    personal: false,
    writes: true,
  }),
  'auth.changePassword': def({
    input: z.object({ currentPassword: password, newPassword: password }).strict(),
    output: authStatus,
    permission: 'session',
    errors: ['validation', 'auth_failed'],
    personal: false,
    writes: true,
  }),
  'auth.totpBegin': def({
    input: empty,
    /** The secret stays in the session until confirmed with a code; only then is it stored (encrypted). */
    output: z.object({ secret: z.string(), uri: z.string() }),
    permission: 'session',
    errors: [],
    personal: false,
    writes: false,
  }),
  'auth.totpConfirm': def({
    input: z.object({ code: totpCode }).strict(),
    output: authStatus,
    permission: 'session',
    errors: ['validation', 'auth_failed'],
    personal: false,
    writes: true,
  }),
  'auth.totpDisable': def({
    input: z.object({ password }).strict(),
    output: authStatus,
    permission: 'session',
    errors: ['validation', 'auth_failed', 'locked_out', 'forbidden'],
    personal: false,
    writes: true,
  }),

  'user.list': def({
    input: empty,
    output: z.object({ items: z.array(userView) }),
    permission: 'access.admin',
    errors: [],
    personal: false,
    writes: false,
  }),
  'user.create': def({
    input: z.object({ username, displayName, password, roles: z.array(roleGrant).max(50) }).strict(),
    output: writeResult,
    permission: 'access.admin',
    errors: ['validation', 'duplicate'],
    personal: false,
    writes: true,
  }),
  'user.update': def({
    input: z
      .object({
        id: uuid,
        version: z.number().int().min(1),
        displayName,
        roles: z.array(roleGrant).max(50),
        disabled: z.boolean(),
      })
      .strict(),
    output: writeResult,
    permission: 'access.admin',
    errors: ['validation', 'not_found', 'conflict'],
    personal: false,
    writes: true,
  }),
  'user.resetPassword': def({
    input: z.object({ id: uuid, password }).strict(),
    output: writeResult,
    permission: 'access.admin',
    errors: ['validation', 'not_found'],
    personal: false,
    writes: true,
  }),
  'user.resetTotp': def({
    input: z.object({ id: uuid }).strict(),
    output: writeResult,
    permission: 'access.admin',
    errors: ['not_found'],
    personal: false,
    writes: true,
  }),
  'policy.update': def({
    input: z.object({ idleMinutes: z.number().int().min(IDLE_MINUTES_BOUNDS.min).max(IDLE_MINUTES_BOUNDS.max) }).strict(),
    output: z.object({ idleMinutes: z.number().int() }),
    permission: 'access.admin',
    errors: ['validation'],
    personal: false,
    writes: true,
  }),

} as const satisfies Record<string, MethodDef>;
