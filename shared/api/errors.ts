export const ERROR_CODES = [
  'validation', // input failed the method's schema; see field/issues
  'rule_violation', // a domain rule forbids the change; `rule` names it (e.g. placement_overlap), `field` where it applies
  'not_found',
  'conflict', // optimistic concurrency: the record changed since it was read (version mismatch)
  'duplicate', // a unique fact (identity number, unit code) already exists
  'forbidden', // the caller lacks the method's permission or the unit scope
  'unauthenticated', // no session, or the session is not fully signed in (second factor, enrolment pending)
  'session_locked', // the session is locked (idle or OS lock): unlock with the password first
  'auth_failed', // wrong user name, password or code; deliberately never says which
  'locked_out', // too many failed sign-ins: the account is locked for a while (back-off)
  'unknown_method',
  'busy', // the register is held by a long job (an import's apply, the rollover); the call can be retried
  'cancelled', // the work was cancelled by the user; nothing was changed
  'offline', // joined mode: this needs the central server, which cannot be reached now (a first sign-in)
  'unavailable', // joined mode: this work runs on the central server and is not offered on a workstation yet
  'internal', // never carries a stack trace; details go to the core's log
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly field?: string,
    public readonly issues?: { field: string; code: string; message: string }[],
    public readonly retryAfterSeconds?: number,
    /** For `rule_violation`: the rule's id (a key of RULES in shared/api/care.ts). */
    public readonly rule?: string,
    /**
     * For `rule_violation`: what the change clashes with, for the clerk's message (e.g. the overlapped
     * placement's unit and dates). Only what the caller may already see; never another person's data.
     */
    public readonly details?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A domain rule refuses the change: the message names the rule, `field` says which input it concerns. */
export function ruleViolation(rule: string, message: string, field?: string, details?: Record<string, string | number>): DomainError {
  return new DomainError('rule_violation', message, field, undefined, undefined, rule, details);
}
