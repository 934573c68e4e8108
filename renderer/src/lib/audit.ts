/** The audit screen's logic: filters → contract input, paging, how an entry reads. No JSX (audit.test.ts). */
import { AUDIT_ACTIONS, type AuditAction } from '../../../shared/domain/access';
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import { isValidIsoDate } from './format';

export type AuditEntry = MethodOutput<'audit.query'>['items'][number];
export { AUDIT_ACTIONS, type AuditAction };

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilterValues {
  userId: string;
  /** A person id or an identity number, as typed. */
  person: string;
  from: string;
  to: string;
  action: AuditAction | '';
}

export const emptyAuditFilter = (): AuditFilterValues => ({ userId: '', person: '', from: '', to: '', action: '' });

/** Problems the form can see before asking: dates that are not dates, a range that ends before it starts. */
export function validateAuditFilter(f: AuditFilterValues): Partial<Record<'from' | 'to', 'validation.date_invalid' | 'audit.filter.toBeforeFrom'>> {
  const e: Partial<Record<'from' | 'to', 'validation.date_invalid' | 'audit.filter.toBeforeFrom'>> = {};
  if (f.from && !isValidIsoDate(f.from)) e.from = 'validation.date_invalid';
  if (f.to && !isValidIsoDate(f.to)) e.to = 'validation.date_invalid';
  if (!e.from && !e.to && f.from && f.to && f.to < f.from) e.to = 'audit.filter.toBeforeFrom';
  return e;
}

/** The filter part of audit.query / audit.export: empty fields are left out, the person is trimmed. */
export function auditFilterInput(f: AuditFilterValues): MethodInput<'audit.export'> {
  const out: MethodInput<'audit.export'> = {};
  if (f.userId) out.userId = f.userId;
  const person = f.person.trim();
  if (person) out.person = person;
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  if (f.action) out.action = f.action;
  return out;
}

export function auditQueryInput(f: AuditFilterValues, offset: number, limit = AUDIT_PAGE_SIZE): MethodInput<'audit.query'> {
  return { ...auditFilterInput(f), offset, limit };
}

/** 1-based first and last row shown, for "51–100 of 1 234". */
export function pageRange(offset: number, count: number, total: number): { first: number; last: number; hasPrev: boolean; hasNext: boolean } {
  const first = count === 0 ? 0 : offset + 1;
  const last = offset + count;
  return { first, last, hasPrev: offset > 0, hasNext: last < total };
}

export const isAuditAction = (a: string): a is AuditAction => (AUDIT_ACTIONS as readonly string[]).includes(a);

/** Names of the persons an entry concerns, from the answer's `persons` map (an id without a name stays an id). */
export function personNames(entry: Pick<AuditEntry, 'personIds'>, persons: Record<string, string>): string[] {
  return entry.personIds.map((id) => persons[id] ?? id);
}

/** The details object as readable lines "key: value" (nested values as compact JSON). */
export function detailLines(details: Record<string, unknown>): string[] {
  return Object.entries(details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
}

/** How many names an entry shows before "… and N more". */
export const PERSONS_SHOWN = 1;

/** The first PERSONS_SHOWN names and how many more there are; two or fewer names are all shown. */
export function collapsePersons(names: readonly string[], shown = PERSONS_SHOWN): { shown: string[]; more: number } {
  if (names.length <= shown + 1) return { shown: [...names], more: 0 };
  return { shown: names.slice(0, shown), more: names.length - shown };
}
