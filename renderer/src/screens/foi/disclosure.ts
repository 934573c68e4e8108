/**
 * The decision letter and the disclosure log's pure parts: when a request has them (decided or closed), what
 * a refused letter says (a request granted in full needs none: a notice, not a failure), and the extract's
 * hash as the list shows it.
 */
import type { ApiError } from '../../../../shared/api/transport';
import type { FieldErrors, MappedError } from '../../kit/errors';
import { isValidIsoDate } from '../../lib/format';
import { foiErrorMsg, mapFoiError, type Msg } from './logic';

/** The decision letter and the disclosures exist once the request is decided (and stay when it is closed). */
export const canDisclose = (status: string): boolean => status === 'decided' || status === 'closed';

/**
 * A refused decision letter: granted in full, the extract is the answer (a notice, in words); anything else
 * is the action's failure (foi_move and the rest in their own words).
 */
export function letterRefusal(e: ApiError): { kind: 'notice'; msg: Msg } | { kind: 'failure'; msg: Msg } {
  if (e.code === 'rule_violation' && e.rule === 'foi_granted_in_full') return { kind: 'notice', msg: { key: 'foi.rule.foi_granted_in_full' } };
  return { kind: 'failure', msg: foiErrorMsg(e) };
}

/** The extract's SHA-256 as the list shows it: its first 12 characters (the whole in a title). */
export const shortHash = (sha: string): string => sha.slice(0, 12);

/** The disclosure's day: required, a real date, from the decision's day to today. */
export function validateDisclosure(v: { disclosedOn: string }, today: string, decidedOn: string | null): FieldErrors {
  const on = v.disclosedOn.trim();
  if (!on) return { disclosedOn: { key: 'validation.required' } };
  if (!isValidIsoDate(on)) return { disclosedOn: { key: 'validation.date_invalid' } };
  if (on > today || (decidedOn !== null && on < decidedOn)) return { disclosedOn: onRange(decidedOn) };
  return {};
}

const onRange = (decidedOn: string | null): Msg => ({ key: 'foi.disclose.onRange', vars: { date: decidedOn ?? '' } });

/** The core's refusal of a disclosure: its day out of range in the dialog's words, the rest as the FOI forms map them. */
export function mapDiscloseError(e: ApiError, decidedOn: string | null): MappedError {
  if (e.code === 'rule_violation' && e.rule === 'foi_decided_on') return { fields: { disclosedOn: onRange(decidedOn) }, top: [] };
  return mapFoiError(e, ['disclosedOn', 'channel']);
}
