/**
 * One mapping from any error the core answers with to where a form shows it: a message next to the
 * field the core named (or the nearest field the form shows, "addresses.0.street" → "addresses"), the
 * rest at the top of the form. Every form uses this; nothing else turns an ApiError into words.
 *
 * - `rule_violation`: the rule's own message (`rule.<id>`), with the details the core gave
 *   (`rule.<id>.details` when the core said which record it clashes with);
 * - `validation` / `duplicate`: each issue's message by its code;
 * - `conflict`: the form decides (a page form shows who changed what); by default a top message;
 * - the rest (`forbidden`, `not_found`, `busy`, `session_locked`, …): a top message by code.
 */
import type { ApiError } from '../../../shared/api/transport';
import { RULES } from '../../../shared/domain/care';
import { REVEAL_REASON_MIN } from '../../../shared/domain/access';
import type { MessageId } from '../../../shared/i18n';
import { catalogs } from '../../../shared/i18n';
import type { TKey, TVars } from '../lib/i18n';

/** A message for one field: an id plus its placeholders, translated at render time. */
export interface FieldError {
  key: TKey;
  vars?: TVars;
  /** For "already registered": the person who holds the number (the message links to them). */
  personId?: string;
}
export type FieldErrors = Record<string, FieldError>;


export interface MappedError {
  fields: FieldErrors;
  /** Messages with no field on the form: shown at the top. */
  top: FieldError[];
}

const hasMessage = (key: string): key is MessageId => key in catalogs.sv;

/** Validation codes of the care contract and handlers, with messages of their own (`care.issue.<code>`). */
export const CARE_ISSUE_CODES = [
  'share_range',
  'hours_range',
  'time_span',
  'reason_too_short',
  'choices_required',
  'not_with_correction',
  'not_with_change',
  'effective_outside',
  'declined',
  'duplicate_member',
  'kind_country',
] as const;
const CARE_CODES: ReadonlySet<string> = new Set(CARE_ISSUE_CODES);

/** One validation issue's code → its message. Unknown codes get a general message, never English text. */
export function issueMessage(issue: { field?: string; code: string; message: string }): FieldError {
  const { code } = issue;
  if (code === 'identity.duplicate' || code === 'duplicate') {
    return issue.field === 'identityNumber' || code === 'identity.duplicate' ? { key: 'validation.identity.duplicate', personId: issue.message } : { key: 'validation.duplicate' };
  }
  if (code === 'effective_before_current') return { key: 'validation.effective_before_current', vars: { date: issue.message } };
  if (code === 'reason_too_short' && issue.field === 'protectionReason') return { key: 'reveal.reasonTooShort', vars: { min: REVEAL_REASON_MIN } };
  if (CARE_CODES.has(code)) return { key: `care.issue.${code}` as TKey };
  if (hasMessage(`validation.${code}`)) return { key: `validation.${code}` as TKey };
  return { key: 'validation.invalid' };
}

const ruleIds: readonly string[] = RULES;
/**
 * The clerk's message for a rule id; with details (which placement it overlaps, …) the longer form of
 * the message when the catalogs have one. An id this build does not know gets a general rule message.
 */
export function ruleMessage(rule: string | undefined, details?: TVars): FieldError {
  if (!rule || !ruleIds.includes(rule)) return { key: 'care.error.rule', vars: details };
  if (details && Object.keys(details).length && hasMessage(`rule.${rule}.details`)) return { key: `rule.${rule}.details` as TKey, vars: details };
  return { key: `rule.${rule}` as TKey, vars: details };
}

/** "ownerIds.2" → "ownerIds", "members.1.personId" → … until a field the form shows; '' if none. */
export function nearestField(path: string | undefined, known: (f: string) => boolean): string {
  let p = path ?? '';
  while (p && !known(p)) {
    const cut = p.lastIndexOf('.');
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  return p;
}

const TOP_BY_CODE: Partial<Record<ApiError['code'], TKey>> = {
  conflict: 'care.error.conflict',
  forbidden: 'error.forbidden',
  not_found: 'error.not_found',
  busy: 'error.busy',
  session_locked: 'error.session_locked',
  unauthenticated: 'error.unauthenticated',
  cancelled: 'error.cancelled',
  offline: 'error.offline',
  unavailable: 'error.unavailable',
};

export interface MapOptions {
  /** The form's own names for the core's field paths (null: not on this form); instead of the nearest path. */
  fieldOf?: (path: string) => string | null;
  /** A form's own top message for a whole-call error code (e.g. its own wording of `conflict`). */
  top?: Partial<Record<ApiError['code'], TKey>>;
  /** A form's own message for an issue (a password policy, a number's range); undefined: the usual one. */
  issue?: (issue: { field: string; code: string; message: string }, field: string) => FieldError | undefined;
}

/** Any error from a write → where the form shows it. `known` says which field paths the form renders. */
export function mapApiError(e: ApiError, known: (f: string) => boolean, opts: MapOptions = {}): MappedError {
  const fields: FieldErrors = {};
  const top: FieldError[] = [];
  const place = (field: string | undefined, err: FieldError) => {
    const f = opts.fieldOf ? (field ? (opts.fieldOf(field) ?? '') : '') : nearestField(field, known);
    if (f && !fields[f]) fields[f] = err;
    else if (!f) top.push(err);
  };
  switch (e.code) {
    case 'rule_violation':
      place(e.field, ruleMessage(e.rule, e.details));
      break;
    case 'validation':
    case 'duplicate': {
      const issues = e.issues?.length ? e.issues : [{ field: e.field ?? '', code: e.code === 'duplicate' ? 'duplicate' : 'invalid', message: e.message }];
      for (const i of issues) place(i.field, opts.issue?.(i, nearestField(i.field, known)) ?? issueMessage(i));
      break;
    }
    case 'not_found':
      if (opts.fieldOf ? e.field && opts.fieldOf(e.field) : nearestField(e.field, known)) place(e.field, { key: 'care.error.notFoundField' });
      else top.push({ key: 'error.not_found' });
      break;
    default: {
      const key = opts.top?.[e.code] ?? TOP_BY_CODE[e.code];
      top.push({ key: key && hasMessage(key) ? key : 'error.saveFailed' });
    }
  }
  return { fields, top };
}
