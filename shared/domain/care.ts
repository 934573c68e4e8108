/**
 * The vocabulary of the clerk's daily work (domain.md §4–5): the rules the core enforces, placement and
 * enrolment forms, statuses, guardianship kinds, and the bounds of the care contract's inputs.
 * Zod-free for the renderer (see register.ts); shared/api/care.ts builds its schemas on these.
 */
import type { SchoolForm } from './org';
import type { Country } from './register';

/** The rules the core enforces, by id. The UI shows `rule.<id>`; the core's message names the rule too. */
export const RULES = [
  'end_before_start', // an end date before the start date
  'placement_overlap', // two placements of the same form family overlap for one child
  'enrolment_overlap', // two enrolments overlap for one pupil (one enrolment per period)
  'outside_unit_lifetime', // dates outside the unit's opened/closed dates
  'outside_group_lifetime', // dates outside the group's lifetime (its school year by default)
  'group_not_in_unit', // the group belongs to another unit
  'group_form_mismatch', // the group is for another school form
  'form_not_offered', // the unit does not run this school form
  'form_not_placement', // a school form that is enrolled in, not placed in (or the other way round)
  'age_limit', // the child's age at the start is outside the form's configured limits
  'owner_not_guardian', // a placement holder who is not the child's guardian at the start
  'owner_shielded', // a placement holder from whom the child is shielded
  'guardianship_overlap', // the same adult and child twice over the same dates
  'guardianship_self', // a person as their own guardian
  'invoice_share_total', // invoice shares of a child's guardians add up to more than 100 %
  'household_overlap', // a person in two households at once (a child in shared residence: at most two, both marked shared)
  'notice_state', // notice on a placement that is not accepted, already ended or already under notice
  'notice_too_short', // a last day earlier than the notice period allows, without an override reason
  'transfer_date', // a transfer date outside the placement or enrolment
  'transfer_same_place', // a transfer to the same unit and group
  'transfer_state', // a transfer of a placement that is only offered or was declined
  'offer_state', // an offer on an application that is not in the queue
  'answer_state', // an answer to an application without an open offer
  'withdraw_state', // withdrawing an application that is already placed or withdrawn
  'application_open', // the child already has an open application for this form
  'placed_child_application', // a child who already holds a place of the form from the wished start
  'rollover_stale', // the register changed since the preview (the token no longer matches)
  'rollover_date', // a rollover date that is not the first day of a school year's groups
] as const;
export type RuleId = (typeof RULES)[number];

/** Forms a child is placed in (placement) versus enrolled in (enrolment). */
export const PLACEMENT_FORMS = ['FS', 'PO', 'FTH', 'OPPFTH', 'BHG', 'SFO'] as const satisfies readonly SchoolForm[];
export const ENROLMENT_FORMS = ['FKLASS', 'GR', 'GRS', 'GY', 'GYS', 'VUX', 'GSK', 'VGS'] as const satisfies readonly SchoolForm[];
export type PlacementForm = (typeof PLACEMENT_FORMS)[number];
export type EnrolmentForm = (typeof ENROLMENT_FORMS)[number];
/** The forms a municipality places and enrols in, by country (SS 12000 codes; Norway's own forms). */
export const PLACEMENT_FORMS_BY_COUNTRY: Record<Country, readonly PlacementForm[]> = { SE: ['FS', 'PO', 'FTH', 'OPPFTH'], NO: ['BHG', 'SFO'] };
export const ENROLMENT_FORMS_BY_COUNTRY: Record<Country, readonly EnrolmentForm[]> = { SE: ['FKLASS', 'GR', 'GRS', 'GY', 'GYS', 'VUX'], NO: ['GSK', 'VGS'] };
/**
 * Placements that may not overlap for one child: the same family of care. Preschool and pedagogisk omsorg
 * (and barnehage) are one family: a child has one daytime place. Fritidshem, öppen fritidsverksamhet and
 * SFO/AKS are the other.
 */
export const FORM_FAMILY: Record<PlacementForm, 'preschool' | 'afterschool'> = {
  FS: 'preschool',
  PO: 'preschool',
  BHG: 'preschool',
  FTH: 'afterschool',
  OPPFTH: 'afterschool',
  SFO: 'afterschool',
};

export const GUARDIANSHIP_KINDS = [
  'vardnadshavare',
  'annan_ansvarig',
  'god_man',
  'utsedd_behorig',
  'foreldreansvar_felles',
  'foreldreansvar_mor',
  'foreldreansvar_far',
  'foreldreansvar_medmor',
  'foreldreansvar_andre',
] as const;
export type GuardianshipKind = (typeof GUARDIANSHIP_KINDS)[number];
/** Guardianship kinds a municipality uses: SS 12000 relation types in Sweden, foreldreansvar in Norway. */
export const GUARDIANSHIP_KINDS_BY_COUNTRY: Record<Country, readonly GuardianshipKind[]> = {
  SE: ['vardnadshavare', 'annan_ansvarig', 'god_man', 'utsedd_behorig'],
  NO: ['foreldreansvar_felles', 'foreldreansvar_mor', 'foreldreansvar_far', 'foreldreansvar_medmor', 'foreldreansvar_andre'],
};
export const HOUSEHOLD_ROLES = ['adult', 'child'] as const;
export type HouseholdRole = (typeof HOUSEHOLD_ROLES)[number];

export const PLACEMENT_REASONS = ['care_need', 'offered_time', 'own_need'] as const;
export type PlacementReason = (typeof PLACEMENT_REASONS)[number];
/** Stored workflow state. */
export const PLACEMENT_STATES = ['offered', 'accepted', 'declined'] as const;
/** What the clerk sees at a date, derived from state, dates and notice. */
export const PLACEMENT_STATUSES = ['offered', 'accepted', 'active', 'notice_given', 'ended', 'declined'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];
export const APPLICATION_STATUSES = ['queued', 'offered', 'placed', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** The queue's filters: open applications (queued or offered), the overdue ones, or all. */
export const APPLICATION_FILTERS = ['open', 'overdue', 'all'] as const;
export type ApplicationFilter = (typeof APPLICATION_FILTERS)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
/**
 * Which statutory promise an application is measured against: the Swedish placement guarantee (skollagen
 * 8 kap. 14 §, förskola and pedagogisk omsorg) or the Norwegian right to a place (barnehageloven § 16).
 */
export const GUARANTEE_RULES = ['se_guarantee', 'no_right_to_place'] as const;
export type GuaranteeRule = (typeof GUARANTEE_RULES)[number];
/**
 * How close the guarantee date is, for an open application: `met` (offered a place from that date or
 * earlier), `ok` (more than GUARANTEE_SOON_DAYS away), `soon` (within them), `overdue` (past it).
 */
export const GUARANTEE_URGENCIES = ['met', 'ok', 'soon', 'overdue'] as const;
export type GuaranteeUrgency = (typeof GUARANTEE_URGENCIES)[number];
/** Days before the guarantee date from which an open application counts as urgent (`soon`). */
export const GUARANTEE_SOON_DAYS = 30;
/**
 * Why a Norwegian barnehage application carries no statutory right to a place: applied after the main
 * admission's deadline (rolling admission), the child turns one after the admission's birth cut-off, or the
 * child is past school-starting age.
 */
export const NO_RIGHT_REASONS = ['after_deadline', 'born_after_cutoff', 'school_age'] as const;
export type NoRightReason = (typeof NO_RIGHT_REASONS)[number];

export const ROLLOVER_ACTIONS = ['promote', 'leave', 'start_school'] as const;
export type RolloverAction = (typeof ROLLOVER_ACTIONS)[number];
/** A class list (enrolments) or a placement list. */
export const LIST_KINDS = ['enrolments', 'placements'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export const LIST_FORMATS = ['pdf', 'csv'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

/** Inclusive bounds of the care contract's numbers and lengths; the core enforces them, forms say them first. */
export const CARE_LIMITS = {
  weeklyHours: { min: 1, max: 60 },
  invoiceShare: { min: 0, max: 100 },
  grade: { min: 0, max: 13 },
  /** An override reason (notice cut short): long enough to be a reason, in characters after trimming. */
  reason: { min: 10, max: 500 },
  note: 500,
  endReason: 200,
  applicationChoices: 5,
  placementHolders: 4,
  householdMembers: 20,
} as const;
/** Bounds of the placement-rules document (placementRules.get/update). */
export const PLACEMENT_RULE_LIMITS = {
  noticeMonths: { min: 0, max: 6 },
  age: { min: 0, max: 20 },
  finalGrade: { min: 0, max: 13 },
  guaranteeMonths: { min: 1, max: 12 },
  /** Main-admission years with a deadline of their own (Norway). */
  admissionYears: 50,
  admissionYear: { min: 2000, max: 2100 },
  className: 40,
  rolloverExceptions: 500,
} as const;
/** A weekly schedule's day: "07:30-16:00". */
export const TIME_SPAN_RE = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
