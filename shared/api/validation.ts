import type { ApiError } from './transport';

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  code: string;
}

/** Turns schema issues into one typed validation error: which field, and why (a message id the UI translates). */
export function zodIssuesToApiError(issues: readonly IssueLike[]): ApiError {
  const list = issues.map((i) => ({
    field: i.path.map(String).join('.'),
    // Our schemas put a message id in `message`; zod's built-in checks give English text and a code.
    code: /^[a-z_]+$/.test(i.message) ? i.message : i.code,
    message: i.message,
  }));
  const first = list[0];
  return {
    code: 'validation',
    message: first ? `Invalid input${first.field ? ` at ${first.field}` : ''}: ${first.message}` : 'Invalid input',
    field: first?.field || undefined,
    issues: list,
  };
}
