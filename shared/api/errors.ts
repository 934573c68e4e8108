export const ERROR_CODES = [
  'validation', // input failed the method's schema or a domain rule; see field/issues
  'not_found',
  'conflict', // optimistic concurrency: the record changed since it was read (version mismatch)
  'duplicate', // a unique fact (identity number, unit code) already exists
  'forbidden', // the caller lacks the method's permission or the unit scope
  'unauthenticated',
  'unknown_method',
  'internal', // never carries a stack trace; details go to the core's log
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly field?: string,
    public readonly issues?: { field: string; code: string; message: string }[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
