/**
 * The names the readable history and the audit screen translate: every field a person's change history can
 * name (core/register/persons.ts `historyField`), the actors that are not user accounts, and the contract's
 * methods. Each maps to a message id of audit.<lang>.ts; core/register/history.test.ts checks that every field
 * the write path can log is named here, and shared/i18n/audit.test.ts that every method has a label.
 */
import { METHOD_NAMES } from '../api/methods';
import type { MessageId } from './sv';

/** Field names as the card's history lists them (after core/register/persons.ts maps the columns). */
export const HISTORY_FIELDS = [
  // the person
  'identityNumber',
  'reserveNumber',
  'birthDate',
  'sex',
  'status',
  'givenName',
  'middleName',
  'familyName',
  'preferredName',
  'nationality',
  'motherTongue',
  'maalform',
  'preferredLanguage',
  'messagesAllowed',
  'protection',
  'registeredMunicipality',
  'registeredDistrict',
  'registerSource',
  'addresses',
  'contacts',
  'workItem',
  'deletedAt',
  // guardianships and households
  'childId',
  'guardianId',
  'kind',
  'livesWith',
  'invoiceShare',
  'shielded',
  'householdId',
  'role',
  'shared',
  'feeShareBp',
  // placements, enrolments, memberships, duties
  'unitId',
  'groupId',
  'schoolForm',
  'validFrom',
  'validTo',
  'weeklyHours',
  'schedule',
  'reason',
  'state',
  'answerBy',
  'applicationId',
  'noticeGivenOn',
  'noticeOverrideReason',
  'transferredFromId',
  'ownerIds',
  'grade',
  'endReason',
  'percent',
  // applications
  'appliedOn',
  'wishedStart',
  'note',
  'choices',
  // documents (issue 13)
  'documents',
] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

const FIELD_SET: ReadonlySet<string> = new Set(HISTORY_FIELDS);
export const isHistoryField = (f: string): f is HistoryField => FIELD_SET.has(f);

/** The message of a history field; a field without one (a column added later) is shown as it is named. */
export function historyFieldKey(f: string): MessageId | null {
  return isHistoryField(f) ? (`history.field.${f}` as MessageId) : null;
}

/**
 * Writers that are not user accounts: the demo generator and the command line (`kansli user reset`, imports
 * run from a terminal). Anything else without an account is shown as "system".
 */
export const SYSTEM_ACTORS = ['demo-seed', 'local-admin'] as const;
export type SystemActor = (typeof SYSTEM_ACTORS)[number];

export function systemActorKey(id: string): MessageId {
  return id === 'demo-seed' ? 'history.actor.demoSeed' : id === 'local-admin' ? 'history.actor.localAdmin' : 'history.actor.system';
}

const METHOD_SET: ReadonlySet<string> = new Set(METHOD_NAMES);
export type AuditMethod = (typeof METHOD_NAMES)[number];
export const isMethodName = (m: string): m is AuditMethod => METHOD_SET.has(m);

/** The label of a contract method on the audit screen; null for a name the contract does not know. */
export function auditMethodKey(m: string): MessageId | null {
  return isMethodName(m) ? (`audit.method.${m}` as MessageId) : null;
}
