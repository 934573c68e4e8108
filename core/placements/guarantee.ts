/**
 * What the municipality owes a child in the preschool queue, by the law of the application's form:
 *
 * - Sweden (förskola, pedagogisk omsorg), skollagen 8 kap. 14 §: a place within four months of the
 *   application, or from the wished start when that is later. The period is the placement rules'
 *   `guaranteeMonths`.
 * - Norway (barnehage), barnehageloven § 16: a child who turns one by the end of November in the year it is
 *   applied for, and who applied by the deadline of that year's main admission (hovedopptak), has the right
 *   to a place from August; one who turns one in September, October or November, from the month it turns
 *   one ("innen utgangen av den måneden"). The place must start within that month at the latest. An
 *   application after the deadline goes to the rolling admission (løpende opptak), which the law promises
 *   nothing; nor does it to a child who turns one later, or who starts school that August. The deadline
 *   is the municipality's (placement rules' `mainAdmission`: a usual day, and years with their own).
 *
 * Everything here is derived from the application, the child's birth date, the rules and today, on every
 * read, so it never drifts from the clock or the configuration.
 */
import {
  GUARANTEE_SOON_DAYS,
  type ApplicationStatus,
  type GuaranteeRule,
  type GuaranteeUrgency,
  type NoRightReason,
  type PlacementForm,
} from '../../shared/domain/care';
import type { MainAdmission, PlacementRules } from '../../shared/api/care';
import { addDays, addMonths } from '../dates';
import { DEFAULT_PLACEMENT_RULES } from './rules';

export interface GuaranteeFacts {
  schoolForm: PlacementForm;
  appliedOn: string;
  wishedStart: string;
  birthDate: string | null;
  status: ApplicationStatus;
  /** Start of the open offer, when the application has one. */
  offerStart: string | null;
}

export interface Guarantee {
  rule: GuaranteeRule;
  /** The date a place is owed from (SE: the guarantee date; NO: rett til plass fra); null without a right. */
  date: string | null;
  /** The last day a place may start and the promise still be kept (SE: the date itself; NO: the end of its month). */
  dueBy: string | null;
  daysLeft: number | null;
  /** Days past `dueBy` while the application is overdue; null otherwise. */
  daysOverdue: number | null;
  urgency: GuaranteeUrgency | null;
  overdue: boolean;
  noRight: NoRightReason | null;
  admission: { year: number; deadline: string; placesFrom: string } | null;
}

/** The Swedish guarantee date: the configured months after the application, or the wished start when that is later. */
export function guaranteeDateOf(appliedOn: string, wishedStart: string, months: number): string {
  const byLaw = addMonths(appliedOn, months);
  return byLaw > wishedStart ? byLaw : wishedStart;
}

const DAY_MS = 86_400_000;
/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

const endOfMonth = (iso: string): string => addDays(addMonths(`${iso.slice(0, 7)}-01`, 1), -1);
const maxDate = (a: string, b: string): string => (a > b ? a : b);

/**
 * The main admission a barnehage application belongs to: the one whose places year (from `placesFrom` to
 * the day before the next) holds the wished start, with that year's deadline.
 */
export function admissionOf(wishedStart: string, a: MainAdmission): { year: number; deadline: string; placesFrom: string } {
  const y = Number(wishedStart.slice(0, 4));
  const year = wishedStart >= `${y}-${a.placesFrom}` ? y : y - 1;
  const own = a.years.find((x) => x.year === year);
  return { year, deadline: own?.deadline ?? `${year}-${a.deadline}`, placesFrom: `${year}-${a.placesFrom}` };
}

/**
 * Barnehageloven § 16 for one application: the date the right applies from and the last day the place may
 * start, or why there is no right.
 */
export function rightToPlace(
  f: Pick<GuaranteeFacts, 'appliedOn' | 'wishedStart' | 'birthDate'>,
  a: MainAdmission,
): { date: string; dueBy: string; noRight: null; admission: ReturnType<typeof admissionOf> } | { date: null; dueBy: null; noRight: NoRightReason; admission: ReturnType<typeof admissionOf> } {
  const admission = admissionOf(f.wishedStart, a);
  const none = (noRight: NoRightReason) => ({ date: null, dueBy: null, noRight, admission });
  let from = admission.placesFrom;
  if (f.birthDate) {
    const born = Number(f.birthDate.slice(0, 4));
    const month = Number(f.birthDate.slice(5, 7));
    // Norway starts school in the August of the year a child turns six: no barnehage right for that year.
    if (born + 6 <= admission.year) return none('school_age');
    if (born + 1 > admission.year || (born + 1 === admission.year && month > a.lastBirthMonth)) return none('born_after_cutoff');
    // Turning one after the places start: the right applies from that month.
    if (born + 1 === admission.year) from = maxDate(from, `${admission.year}-${f.birthDate.slice(5, 7)}-01`);
  }
  if (f.appliedOn > admission.deadline) return none('after_deadline');
  // "Innen utgangen av måneden": a place starting within the month the right applies from keeps it; a later
  // wished start moves both dates.
  return { date: maxDate(from, f.wishedStart), dueBy: maxDate(endOfMonth(from), f.wishedStart), noRight: null, admission };
}

const OPEN: readonly ApplicationStatus[] = ['queued', 'offered'];

export function guaranteeOf(f: GuaranteeFacts, rules: Pick<PlacementRules, 'guaranteeMonths' | 'mainAdmission'>, today: string): Guarantee {
  let rule: GuaranteeRule;
  let date: string | null;
  let dueBy: string | null;
  let noRight: NoRightReason | null = null;
  let admission: Guarantee['admission'] = null;
  if (f.schoolForm === 'BHG') {
    rule = 'no_right_to_place';
    const r = rightToPlace(f, rules.mainAdmission ?? DEFAULT_PLACEMENT_RULES.mainAdmission!);
    ({ date, dueBy, noRight, admission } = r);
  } else {
    rule = 'se_guarantee';
    date = guaranteeDateOf(f.appliedOn, f.wishedStart, rules.guaranteeMonths);
    dueBy = date;
  }
  const open = OPEN.includes(f.status);
  const met = open && dueBy !== null && f.status === 'offered' && f.offerStart !== null && f.offerStart <= dueBy;
  const overdue = open && !met && dueBy !== null && dueBy < today;
  let urgency: GuaranteeUrgency | null = null;
  if (open && dueBy !== null) {
    urgency = met ? 'met' : overdue ? 'overdue' : daysBetween(today, dueBy) <= GUARANTEE_SOON_DAYS ? 'soon' : 'ok';
  }
  return {
    rule,
    date,
    dueBy,
    daysLeft: date === null ? null : daysBetween(today, date),
    daysOverdue: overdue && dueBy !== null ? daysBetween(dueBy, today) : null,
    urgency,
    overdue,
    noRight,
    admission,
  };
}
