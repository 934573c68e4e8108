/**
 * The access model shared by core and UI: roles, what each role may do, and the session states of
 * sign-in. A user holds roles per unit or for the whole municipality (domain.md §10: access from a
 * documented need, role and unit, not job title alone). The core is the only place that enforces it.
 *
 * Zod-free so the renderer can import it (see register.ts); shared/api/access.ts re-exports it for the core.
 */
export const PERMISSIONS = [
  'public', // callable before sign-in (sign-in itself); never returns personal data
  'session', // any signed-in user: own session, own password and two-factor settings
  'register.search',
  'register.read',
  'register.write',
  'org.read',
  'org.write',
  /** Placements, enrolments, the preschool queue and class lists of the units in scope. */
  'placement.read',
  'placement.write',
  /** The year rollover of the units in scope (a bulk change of every class). */
  'placement.rollover',
  /** Open a protected person's address and contact details, stating a reason (logged). */
  'protected.reveal',
  /** Accounts, roles and security policy. Deliberately does not include reading the register. */
  'access.admin',
  /** Read and export the audit log. */
  'audit.read',
  /**
   * Import the population register (Navet, Folkeregisteret) and legacy files, review what they would
   * change and apply it; the annual intake from the register. Municipality-wide work: a unit grant does
   * not open it (the core asks for the whole municipality).
   */
  'register.import',
  /** Work through an import's consequences (moved away, emigrated, deceased, custody): confirm ends of placements. */
  'worklist.handle',
  /**
   * Households' incomes and the fees computed from them (issue 12). Income is personal data that only fee
   * administrators see by default: no other role holds it, and a cache of a user without it holds no income.
   */
  'fee.read',
  /** Record and correct households' incomes, and the fee rules. */
  'fee.write',
  /**
   * Freedom-of-information and subject-access requests (issue 13): the request register, its deadlines and
   * (later steps) the gathered records, their review and the extracts. Municipality-wide by nature.
   */
  'foi.read',
  /** Register and work requests: persons concerned, status moves, extensions, the deadline rules. */
  'foi.write',
  /** Decide a request (the delegated decision-maker; recorded as such on the request). */
  'foi.decide',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Permissions whose grant can be limited to units; the others are municipality-wide by nature. */
export const UNIT_SCOPED: ReadonlySet<Permission> = new Set([
  'register.search',
  'register.read',
  'register.write',
  'org.write',
  'protected.reveal',
  'placement.read',
  'placement.write',
  'placement.rollover',
  // Held for a unit they open nothing (the core requires them municipality-wide); scoped so that a unit
  // clerk's grant is not mistaken for a municipality-wide one.
  'register.import',
  'worklist.handle',
]);

export const ROLES = ['clerk', 'fee_admin', 'foi_officer', 'foi_decider', 'registrar', 'protected_handler', 'sysadmin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  /** Skoladministratör / skolesekretær: the register and (issue 4) placements of their units. */
  clerk: ['register.search', 'register.read', 'register.write', 'org.read', 'placement.read', 'placement.write', 'placement.rollover', 'register.import', 'worklist.handle'],
  /** Avgiftshandläggare: reads persons and households, and keeps their incomes and fees. */
  fee_admin: ['register.search', 'register.read', 'org.read', 'placement.read', 'fee.read', 'fee.write'],
  /**
   * Handles FOI and subject-access requests (sekretessprövning / innsyn): registers, gathers, reviews, makes
   * the extract, decides and records the disclosure.
   */
  foi_officer: ['register.search', 'register.read', 'org.read', 'placement.read', 'foi.read', 'foi.write', 'foi.decide'],
  /**
   * Beslutsfattare / vedtaksmyndighet for FOI requests (a head of department with delegation to decide):
   * reads the requests, their review and extract, and decides them (or sends one back to review); changes
   * nothing else.
   */
  foi_decider: ['register.search', 'register.read', 'org.read', 'foi.read', 'foi.decide'],
  /** Registrator / arkivarie: records and the organisation, archive and weeding (later issues). */
  registrar: ['register.search', 'register.read', 'org.read', 'org.write', 'placement.read', 'register.import', 'worklist.handle'],
  /** Behörig handläggare för skyddade personuppgifter: may open protected details with a reason. */
  protected_handler: ['register.search', 'register.read', 'org.read', 'protected.reveal', 'placement.read'],
  /** Systemförvaltare: accounts, roles, policy and the organisation; no access to the register itself. */
  sysadmin: ['access.admin', 'org.read', 'org.write'],
  /** Reads the audit log, nothing else. */
  auditor: ['audit.read'],
};

/** Roles whose holders must use two-factor sign-in (policy). */
export const ROLES_REQUIRING_TOTP: ReadonlySet<Role> = new Set(['sysadmin']);

/**
 * Where a session stands. Only `signed_in` may call anything beyond the auth methods:
 * `totp` waits for the second factor, `enrol_totp` for the policy-required enrolment,
 * `change_password` for a new password after an administrator set one, `locked` for the password again.
 */
export const SESSION_STATES = ['setup', 'signed_out', 'totp', 'enrol_totp', 'change_password', 'locked', 'signed_in'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** Audit actions, for the audit screen's filter. */
export const AUDIT_ACTIONS = ['read', 'write', 'reveal', 'denied', 'sign_in', 'sign_in_failed', 'sign_out', 'lock', 'unlock', 'account', 'audit', 'job', 'import', 'upload'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** A reveal's stated reason, in characters after trimming: long enough to mean something, short enough to log. */
export const REVEAL_REASON_MIN = 10;
export const REVEAL_REASON_MAX = 500;
export const DEFAULT_IDLE_MINUTES = 10;
/** The lock policy an administrator may set (policy.update). */
export const IDLE_MINUTES_BOUNDS = { min: 1, max: 60 } as const;
/** User names, after trimming and lower-casing. */
export const USERNAME_RE = /^[a-z0-9._-]{2,64}$/;
export const DISPLAY_NAME_MAX = 120;
/** An authenticator app's six-digit code. */
export const TOTP_CODE_RE = /^\d{6}$/;
