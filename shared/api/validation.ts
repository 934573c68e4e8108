import type { ApiError } from './transport';

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  code: string;
  /** zod's `unrecognized_keys` issue lists the offending keys here. */
  keys?: readonly string[];
}

/** Turns schema issues into one typed validation error: which field, and why (a message id the UI translates). */
export function zodIssuesToApiError(issues: readonly IssueLike[]): ApiError {
  const list = issues.flatMap((i) => {
    const field = i.path.map(String).join('.');
    // An unknown key (a typo in a field name) is reported at that key, so the error names its field.
    if (i.code === 'unrecognized_keys' && i.keys?.length) {
      return i.keys.map((k) => ({ field: field ? `${field}.${k}` : k, code: 'unrecognized_key', message: `Unknown field ${k}` }));
    }
    // Our schemas put a message id in `message`; zod's built-in checks give English text and a code.
    return [{ field, code: /^[a-z_]+$/.test(i.message) ? i.message : i.code, message: i.message }];
  });
  const first = list[0];
  return {
    code: 'validation',
    message: first ? `Invalid input${first.field ? ` at ${first.field}` : ''}: ${first.message}` : 'Invalid input',
    field: first?.field || undefined,
    issues: list,
  };
}
