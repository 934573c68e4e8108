/**
 * The one typed contract between the UI and the core.
 * Every method names its input and output schema, the error codes it may return, and the permission it
 * requires. The core refuses a call whose permission the actor lacks (deny by default); the access
 * model (roles, unit scopes) fills in who holds which permission.
 */
import { z } from 'zod';
import { METHOD_NAMES as METHOD_NAMES_LIST } from './methods';
import {
  AUDIT_ACTIONS,
  DISPLAY_NAME_MAX,
  IDLE_MINUTES_BOUNDS,
  PASSWORD_MAX_LENGTH,
  PERMISSIONS,
  REVEAL_REASON_MAX,
  REVEAL_REASON_MIN,
  ROLES,
  SESSION_STATES,
  TOTP_CODE_RE,
  USERNAME_RE,
} from '../domain/access';
import { CHANGE_MODES } from '../domain/register';
import {
  addressView,
  contactView,
  country,
  groupCard,
  ID_KINDS,
  isoDate,
  orgTree,
  PERSON_ROLES,
  PERSON_STATUSES,
  personCard,
  personFields,
  personSummary,
  searchHit,
  SEXES,
  unitCard,
  unitInput,
  uuid,
} from './schemas';

export { PERMISSIONS, type Permission } from '../domain/access';
export { def, type MethodDef } from './def';
import { def, type MethodDef } from './def';
import { careMethods } from './care';
import { importMethods } from './imports';
import { jobMethods } from './jobs';

const writeResult = z.object({ id: uuid, version: z.number().int() });
const empty = z.object({}).strict();

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
const auditFilter = {
  userId: z.string().max(64).optional(),
  /** A person id, or an identity number (any accepted format) that the core resolves to the person. */
  person: z.string().trim().max(40).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
};
export const auditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  workstation: z.string(),
  method: z.string(),
  action: z.string(),
  outcome: z.string(),
  personIds: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
});

export const contract = {
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
  'search.query': def({
    input: z
      .object({
        q: z.string().max(100, { message: 'too_long' }),
        limit: z.number().int().min(1).max(100).default(20),
        types: z.array(z.enum(['person', 'unit', 'group'])).optional(),
      })
      .strict(),
    output: z.object({ items: z.array(searchHit), more: z.boolean() }),
    permission: 'register.search',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'person.list': def({
    input: z
      .object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        role: z.enum(PERSON_ROLES).optional(),
        status: z.enum(PERSON_STATUSES).optional(),
      })
      .strict(),
    output: z.object({ items: z.array(personSummary), total: z.number().int() }),
    permission: 'register.read',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'person.get': def({
    input: z.object({ id: uuid }).strict(),
    output: personCard,
    permission: 'register.read',
    errors: ['validation', 'not_found'],
    personal: true,
    writes: false,
  }),
  'person.checkIdentity': def({
    input: z.object({ identityNumber: z.string().max(40), excludePersonId: uuid.optional() }).strict(),
    output: z.union([
      z.object({
        valid: z.literal(true),
        kind: z.enum(ID_KINDS),
        country,
        canonical: z.string(),
        display: z.string(),
        birthDate: z.string(),
        sex: z.enum(SEXES).nullable(),
        /** Another person already holds this number. */
        existingPersonId: uuid.nullable(),
      }),
      z.object({ valid: z.literal(false), code: z.string(), message: z.string() }),
    ]),
    permission: 'register.search',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'person.create': def({
    input: z.object(personFields).strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'duplicate'],
    personal: true,
    writes: true,
  }),
  'person.update': def({
    input: z
      .object({
        id: uuid,
        /** The version the form was loaded with; a mismatch is a `conflict`, never a silent overwrite. */
        version: z.number().int().min(1),
        /**
         * `change`: names/addresses changed in reality from `effectiveFrom` (history kept as effective-dated rows).
         * `correction`: the current values were wrong; they are corrected in place (the change log keeps before/after).
         */
        mode: z.enum(CHANGE_MODES).default('change'),
        effectiveFrom: isoDate.optional(),
        person: z.object(personFields).strict(),
        /**
         * Why a protection level is lowered or removed (required then, with protected.reveal for the person;
         * see shared/protection.ts for what counts as lowering). Written to the audit entry's reason.
         */
        protectionReason: z.string().trim().min(REVEAL_REASON_MIN, { message: 'reason_too_short' }).max(500, { message: 'too_long' }).optional(),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'not_found', 'conflict', 'duplicate', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'org.tree': def({
    input: empty,
    output: orgTree,
    permission: 'org.read',
    errors: [],
    personal: false,
    writes: false,
  }),
  'unit.get': def({
    input: z.object({ id: uuid, date: isoDate.optional() }).strict(),
    output: unitCard,
    permission: 'org.read',
    errors: ['validation', 'not_found'],
    personal: true, // lists staff
    writes: false,
  }),
  'unit.create': def({
    input: unitInput,
    output: writeResult,
    permission: 'org.write',
    errors: ['validation', 'duplicate'],
    personal: false,
    writes: true,
  }),
  'unit.update': def({
    input: z.object({ id: uuid, version: z.number().int().min(1), unit: unitInput }).strict(),
    output: writeResult,
    permission: 'org.write',
    errors: ['validation', 'duplicate', 'not_found', 'conflict'],
    personal: false,
    writes: true,
  }),
  'group.get': def({
    input: z.object({ id: uuid, date: isoDate.optional() }).strict(),
    output: groupCard,
    permission: 'org.read',
    errors: ['validation', 'not_found'],
    personal: true,
    writes: false,
  }),

  // ---- sign-in and session (public: callable before sign-in; never return personal data)
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

  // ---- protected identities
  'person.reveal': def({
    input: z
      .object({
        id: uuid,
        reason: z.string().trim().min(REVEAL_REASON_MIN, { message: 'reason_too_short' }).max(REVEAL_REASON_MAX, { message: 'too_long' }),
      })
      .strict(),
    output: z.object({ addresses: z.array(addressView), contacts: z.array(contactView) }),
    permission: 'protected.reveal',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),

  // ---- accounts and policy (system administrator)
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

  // ---- audit log (auditor)
  'audit.query': def({
    input: z
      .object({ ...auditFilter, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) })
      .strict(),
    output: z.object({
      items: z.array(auditEntry),
      total: z.number().int(),
      /** Names of the persons the listed entries concern, for display. */
      persons: z.record(z.string(), z.string()),
      users: z.array(z.object({ id: z.string(), name: z.string() })),
      /** Entries still waiting in the pending journal (another connection holds the write lock); absent when none. */
      pending: z.number().int().optional(),
    }),
    permission: 'audit.read',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'audit.export': def({
    input: z.object(auditFilter).strict(),
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
    permission: 'audit.read',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'audit.verify': def({
    input: empty,
    output: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      firstBroken: z.object({ seq: z.number().int(), problem: z.string() }).nullable(),
      /** The comparison with the anchors kept outside the database (core/audit/anchor.ts). */
      anchors: z.object({
        checked: z.number().int(),
        lastAnchoredSeq: z.number().int().nullable(),
        problem: z.object({ kind: z.enum(['truncation', 'wipe', 'rewrite', 'unreadable']), seq: z.number().int().nullable(), message: z.string() }).nullable(),
      }),
      /** Entries still waiting in the pending journal; absent when none. */
      pending: z.number().int().optional(),
    }),
    permission: 'audit.read',
    errors: [],
    personal: false,
    writes: false,
  }),
  ...careMethods,
  ...jobMethods,
  ...importMethods,
} as const satisfies Record<string, MethodDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export { METHOD_NAMES } from './methods';
// Compile-time proof that methods.ts lists exactly the contract's methods, no more and no fewer.
type ListedName = (typeof METHOD_NAMES_LIST)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _methodListMatches: Same<ListedName, MethodName> = true;
void _methodListMatches;
export const isMethodName = (m: unknown): m is MethodName =>
  typeof m === 'string' && Object.prototype.hasOwnProperty.call(contract, m);
