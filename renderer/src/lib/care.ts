/**
 * The care screens' logic, free of React so it is tested directly: search folding for the pickers,
 * group lifetimes, status colours, date checks. The core's errors are mapped onto fields by the form kit
 * (renderer/src/kit/errors.ts). The care vocabulary itself (forms, statuses, rules, bounds) is
 * shared/domain/care.ts.
 */
import type { MethodOutput } from '../../../shared/api/contract';
import { CARE_LIMITS, ENROLMENT_FORMS, PLACEMENT_FORMS } from '../../../shared/domain/care';
import { addDays, isValidIsoDate } from './format';
import type { FieldErrors } from './personForm';

export type CareCard = MethodOutput<'care.card'>;
export type GuardianshipView = CareCard['guardianships'][number];
export type HouseholdView = CareCard['households'][number];
export type HouseholdMemberView = CareCard['householdHistory'][number];
export type PlacementView = CareCard['placements'][number];
export type EnrolmentView = CareCard['enrolments'][number];
export type ApplicationView = CareCard['applications'][number];
export type PlacementForm = PlacementView['schoolForm'];
export type EnrolmentForm = EnrolmentView['schoolForm'];
export type PlacementStatus = PlacementView['status'];
export type PlacementReason = PlacementView['reason'];
export type ApplicationStatus = ApplicationView['status'];

/**
 * The form a new placement most likely is: preschool before school age, after-school care from the year
 * the child starts school (the autumn of the year they turn 6). The clerk can still choose another.
 */
export function defaultPlacementForm(country: 'SE' | 'NO', birthDate: string | null, today: string): PlacementForm {
  const [preschool, afterSchool] = country === 'SE' ? (['FS', 'FTH'] as const) : (['BHG', 'SFO'] as const);
  if (!birthDate) return preschool;
  const schoolYearStart = Number(today.slice(5, 7)) >= 8 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
  return schoolYearStart - Number(birthDate.slice(0, 4)) >= 6 ? afterSchool : preschool;
}

const isPlacementFormList: readonly string[] = PLACEMENT_FORMS;
const isEnrolmentFormList: readonly string[] = ENROLMENT_FORMS;
export const isPlacementForm = (f: string): f is PlacementForm => isPlacementFormList.includes(f);
export const isEnrolmentForm = (f: string): f is EnrolmentForm => isEnrolmentFormList.includes(f);

// ---------- searching in pickers ----------

/** Lower case without diacritics, so "ostra" finds "Östra" and "angen" finds "Ängen". */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/æ/gi, 'ae')
    .toLowerCase()
    .trim();
}

/** Every word of the query occurs in one of the texts (a unit's name, its administration, its code). */
export function matchesQuery(texts: readonly (string | null | undefined)[], query: string): boolean {
  const words = foldText(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = texts.filter((x): x is string => !!x).map(foldText);
  return words.every((w) => hay.some((h) => h.includes(w)));
}

/**
 * A group's lifetime. Migration 0006 gives every group its school year (1 August – 31 July) unless set
 * otherwise; unit.get's group summary carries only the school year, so that is what the picker can test.
 */
export function groupAliveOn(schoolYear: number, date: string): boolean {
  if (!isValidIsoDate(date)) return true;
  return date >= `${schoolYear}-08-01` && date <= `${schoolYear + 1}-07-31`;
}

// ---------- who and when ----------

/** A dated row is in force on `date` (end dates inclusive, null = open-ended). */
export function inForce(row: { validFrom: string; validTo: string | null }, date: string): boolean {
  return row.validFrom <= date && (row.validTo === null || row.validTo >= date);
}

/**
 * Whose card gets the child's care sections (placements, Alt+N "new placement"): a person the register
 * marks as a child, anyone with guardians on record, or anyone under 18 on the core's today.
 */
export function isChildCard(roles: readonly string[], guardianCount: number, age: number | null): boolean {
  return roles.includes('child') || guardianCount > 0 || (age !== null && age < 18);
}

export interface HolderCandidate {
  guardianId: string;
  name: string;
  protected: boolean;
}

/**
 * Who may hold a placement starting on `date`: the child's guardians in force that day, never one the child
 * is shielded from (owner_shielded). One entry per adult even if their guardianship changed that day.
 */
export function holderCandidates(guardianships: readonly GuardianshipView[], date: string): HolderCandidate[] {
  const seen = new Map<string, HolderCandidate>();
  for (const g of guardianships) {
    if (g.shielded || !inForce(g, date) || seen.has(g.guardianId)) continue;
    seen.set(g.guardianId, { guardianId: g.guardianId, name: g.name, protected: g.protected });
  }
  return [...seen.values()];
}

/**
 * What the contact cell of a guardianship row may show. A guardian the child is shielded from now (or
 * from a later date) is never shown as a contact, not even on their older rows; a protected card or
 * guardian shows "Protected"; rows no longer in force are history, not a way to reach anyone.
 */
export function guardianContactState(g: GuardianshipView, all: readonly GuardianshipView[], today: string, cardShielded: boolean): 'shielded' | 'protected' | 'history' | 'none' | 'show' {
  const shieldedNowOrLater = all.some((o) => o.guardianId === g.guardianId && o.childId === g.childId && o.shielded && (o.validTo === null || o.validTo >= today));
  if (g.shielded || shieldedNowOrLater) return 'shielded';
  if (cardShielded || g.protected) return 'protected';
  if (!inForce(g, today)) return 'history';
  return g.contacts.length > 0 ? 'show' : 'none';
}

/** Current rows first (newest start first), then past and future ones by start, newest first. */
export function byCurrentFirst<T extends { validFrom: string; validTo: string | null }>(rows: readonly T[], date: string): T[] {
  return [...rows].sort((a, b) => Number(inForce(b, date)) - Number(inForce(a, date)) || b.validFrom.localeCompare(a.validFrom));
}

// ---------- placements ----------

export type Tone = 'ok' | 'info' | 'warn' | 'neutral' | 'danger';

/** How each derived status looks: running places green, pending ones blue, notice amber, the rest grey. */
export const PLACEMENT_STATUS_TONE: Record<PlacementStatus, Tone> = {
  offered: 'info',
  accepted: 'info',
  active: 'ok',
  notice_given: 'warn',
  ended: 'neutral',
  declined: 'neutral',
};
export const APPLICATION_STATUS_TONE: Record<ApplicationStatus, Tone> = {
  queued: 'info',
  offered: 'warn',
  placed: 'ok',
  withdrawn: 'neutral',
};

/** Actions a placement row offers in its status (the core checks again: notice_state, transfer_date). */
export function placementActions(status: PlacementStatus): { edit: boolean; notice: boolean; transfer: boolean } {
  const open = status === 'accepted' || status === 'active';
  return { edit: status !== 'declined', notice: open, transfer: open };
}

/**
 * The notice dialog's reading of the typed last day against the computed one: a later day is the
 * guardian's wish, an earlier one cuts the notice period short and needs an override reason.
 */
export function noticeLastDayKind(computed: string | null, typed: string): 'computed' | 'later' | 'earlier' | 'invalid' {
  if (!typed.trim() || !computed) return 'computed';
  if (!isValidIsoDate(typed)) return 'invalid';
  if (typed === computed) return 'computed';
  return typed > computed ? 'later' : 'earlier';
}

/**
 * The first day a transfer can take: the day after the row starts (both halves keep a day), and not in
 * the past unless the row itself starts later.
 */
export function defaultTransferDate(row: { validFrom: string; validTo: string | null }, today: string): string {
  const earliest = addDays(row.validFrom, 1);
  const d = today > earliest ? today : earliest;
  return row.validTo !== null && d > row.validTo ? row.validTo : d;
}

/** A transfer on `date`: the old place ends the day before, the new one starts that day. */
export function transferDays(date: string): { endsOn: string; startsOn: string } | null {
  if (!isValidIsoDate(date)) return null;
  return { endsOn: addDays(date, -1), startsOn: date };
}

// ---------- form checks and the core's errors ----------

export interface DateCheck {
  field: string;
  value: string;
  required: boolean;
}

/**
 * The date checks every care dialog repeats: present when required, a real date, and an end not before
 * its start (the core's end_before_start, said before the round trip).
 */
export function checkDates(dates: readonly DateCheck[], range?: { from: string; to: string }): FieldErrors {
  const e: FieldErrors = {};
  for (const d of dates) {
    const s = d.value.trim();
    if (!s) {
      if (d.required) e[d.field] = { key: 'validation.required' };
    } else if (!isValidIsoDate(s)) e[d.field] = { key: 'validation.date_invalid' };
  }
  if (range && !e[range.from] && !e[range.to]) {
    const from = dates.find((d) => d.field === range.from)?.value.trim() ?? '';
    const to = dates.find((d) => d.field === range.to)?.value.trim() ?? '';
    if (from && to && to < from) e[range.to] = { key: 'rule.end_before_start' };
  }
  return e;
}

export { CARE_ISSUE_CODES } from '../kit/errors';

/** Whole weekly hours within the contract's bounds (1–60); '' is "not stated" (null). */
export function parseHours(s: string): number | null | 'invalid' {
  const t = s.trim();
  if (!t) return null;
  if (!/^\d{1,2}$/.test(t)) return 'invalid';
  const n = Number(t);
  return n >= CARE_LIMITS.weeklyHours.min && n <= CARE_LIMITS.weeklyHours.max ? n : 'invalid';
}

/** Invoice share in whole per cent, 0–100. */
export function parseShare(s: string): number | 'invalid' {
  const t = s.trim().replace(/\s*%$/, '');
  if (!/^\d{1,3}$/.test(t)) return 'invalid';
  const n = Number(t);
  return n <= CARE_LIMITS.invoiceShare.max ? n : 'invalid';
}

/** The persons a card shows: the person, their guardians and children, and their households' members. */
export function shownPersons(id: string, care: CareCard | null | undefined): ReadonlySet<string> {
  const ids = new Set([id]);
  if (!care) return ids;
  for (const g of care.guardianships) ids.add(g.guardianId);
  for (const g of care.childrenOf) ids.add(g.childId);
  for (const h of care.households) for (const m of h.members) ids.add(m.person.id);
  return ids;
}
