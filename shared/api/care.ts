/**
 * The schemas the care domains share (domain.md §4–5): the views of guardianships, households, placements,
 * enrolments, applications, lists and the rollover, and the input pieces their methods are built from.
 * The methods themselves are in shared/api/guardians.ts, placements.ts and lists.ts.
 *
 * Domain rules answer `rule_violation` with `rule` set to a key of RULES and `field` where it applies.
 */
import { z } from 'zod';
import {
  APPLICATION_STATUSES,
  CARE_LIMITS,
  ENROLMENT_FORMS,
  GUARANTEE_RULES,
  GUARANTEE_URGENCIES,
  GUARDIANSHIP_KINDS,
  HOUSEHOLD_ROLES,
  LIST_KINDS,
  NO_RIGHT_REASONS,
  PLACEMENT_FORMS,
  PLACEMENT_REASONS,
  PLACEMENT_RULE_LIMITS,
  PLACEMENT_STATES,
  PLACEMENT_STATUSES,
  ROLLOVER_ACTIONS,
  TIME_SPAN_RE,
  WEEKDAYS,
} from '../domain/care';
import { GROUP_KINDS, SCHOOL_FORMS } from '../domain/org';
import { CONTACT_KINDS } from '../domain/register';
import { isoDate, uuid } from './schemas';

// The vocabulary lives in shared/domain/care.ts (zod-free, for the renderer); re-exported here for the core.
export {
  APPLICATION_STATUSES,
  ENROLMENT_FORMS,
  FORM_FAMILY,
  PLACEMENT_FORMS,
  PLACEMENT_REASONS,
  PLACEMENT_STATES,
  PLACEMENT_STATUSES,
  RULES,
  WEEKDAYS,
  type EnrolmentForm,
  type PlacementForm,
  type PlacementStatus,
  type RuleId,
} from '../domain/care';

export const note = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: 'too_long' })
    .nullish()
    .transform((v) => (v == null || v === '' ? null : v));
export const reason = z.string().trim().min(CARE_LIMITS.reason.min, { message: 'reason_too_short' }).max(CARE_LIMITS.reason.max, { message: 'too_long' });
export const version = z.number().int().min(1);
export const hours = z.number().int().min(CARE_LIMITS.weeklyHours.min, { message: 'hours_range' }).max(CARE_LIMITS.weeklyHours.max, { message: 'hours_range' });
export const timeSpan = z.string().regex(TIME_SPAN_RE, { message: 'time_span' });
/** A fixed weekly schedule: per weekday "07:30-16:00", or null for a day off. */
export const scheduleInput = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, timeSpan.nullable()])) as Record<(typeof WEEKDAYS)[number], z.ZodNullable<typeof timeSpan>>).strict();
export const invoiceShare = z.number().int().min(CARE_LIMITS.invoiceShare.min, { message: 'share_range' }).max(CARE_LIMITS.invoiceShare.max, { message: 'share_range' });
export const grade = z.number().int().min(CARE_LIMITS.grade.min).max(CARE_LIMITS.grade.max);
export const ageYears = z.number().int().min(PLACEMENT_RULE_LIMITS.age.min).max(PLACEMENT_RULE_LIMITS.age.max);
export const className = z.string().trim().min(1).max(PLACEMENT_RULE_LIMITS.className);
export const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) };

// ---------- views ----------
/** A person as lists and cards show them. Lists leave out protected persons the caller may not see (they are counted instead). */
export const personRef = z.object({ id: uuid, name: z.string(), protected: z.boolean() });

export const guardianshipView = z.object({
  id: uuid,
  version: z.number().int(),
  childId: uuid,
  guardianId: uuid,
  /** The other party's name (the guardian on a child's card, the child on an adult's card). */
  name: z.string(),
  protected: z.boolean(),
  kind: z.enum(GUARDIANSHIP_KINDS),
  livesWith: z.boolean(),
  invoiceShare: z.number().int(),
  shielded: z.boolean(),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  /** Contact data of the guardian (empty when protected or shielded). */
  contacts: z.array(z.object({ kind: z.enum(CONTACT_KINDS), value: z.string() })),
  preferredLanguage: z.string().nullable(),
  messagesAllowed: z.boolean(),
});

export const householdMemberView = z.object({
  id: uuid,
  version: z.number().int(),
  householdId: uuid,
  person: personRef,
  role: z.enum(HOUSEHOLD_ROLES),
  shared: z.boolean(),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
});
export const householdView = z.object({ id: uuid, members: z.array(householdMemberView) });

export const placementView = z.object({
  id: uuid,
  version: z.number().int(),
  childId: uuid,
  unitId: uuid,
  unitName: z.string(),
  groupId: uuid.nullable(),
  groupName: z.string().nullable(),
  schoolForm: z.enum(PLACEMENT_FORMS),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  weeklyHours: z.number().int().nullable(),
  schedule: scheduleInput.nullable(),
  reason: z.enum(PLACEMENT_REASONS),
  state: z.enum(PLACEMENT_STATES),
  /** Status at the request's date (today unless stated). */
  status: z.enum(PLACEMENT_STATUSES),
  answerBy: isoDate.nullable(),
  noticeGivenOn: isoDate.nullable(),
  noticeOverrideReason: z.string().nullable(),
  owners: z.array(personRef),
  applicationId: uuid.nullable(),
  transferredFromId: uuid.nullable(),
});
export const enrolmentView = z.object({
  id: uuid,
  version: z.number().int(),
  pupilId: uuid,
  unitId: uuid,
  unitName: z.string(),
  groupId: uuid.nullable(),
  groupName: z.string().nullable(),
  schoolForm: z.enum(ENROLMENT_FORMS),
  grade: z.number().int(),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  endReason: z.string().nullable(),
  transferredFromId: uuid.nullable(),
});
export const applicationView = z.object({
  id: uuid,
  version: z.number().int(),
  child: personRef,
  birthDate: isoDate.nullable(),
  schoolForm: z.enum(PLACEMENT_FORMS),
  appliedOn: isoDate,
  wishedStart: isoDate,
  weeklyHours: z.number().int().nullable(),
  status: z.enum(APPLICATION_STATUSES),
  /**
   * The date a place is owed from: SE, the placement guarantee (a place within four months of the
   * application, or the wished start if later); NO, the right to a place (rett til plass fra: August of the
   * main admission, or the month the child turns one, or the wished start if later). Null when the
   * Norwegian child has no statutory right (see `guarantee.noRight`).
   */
  guaranteeDate: isoDate.nullable(),
  overdue: z.boolean(),
  guarantee: z.object({
    rule: z.enum(GUARANTEE_RULES),
    /** Days from today to the guarantee date (negative once it has passed); null without a date. */
    daysLeft: z.number().int().nullable(),
    /** The last day a place may start and the promise still be kept (SE: the date itself; NO: the end of its month, or the wished start). */
    dueBy: isoDate.nullable(),
    /** Days past `dueBy` while the application is overdue; null otherwise. */
    daysOverdue: z.number().int().nullable(),
    /** For an open application with a date; null otherwise (placed, withdrawn, no right). */
    urgency: z.enum(GUARANTEE_URGENCIES).nullable(),
    /** NO: why the child has no statutory right to a place; null when it has one (and always in SE). */
    noRight: z.enum(NO_RIGHT_REASONS).nullable(),
    /** NO: the main admission the application belongs to (the year its places start) and its deadline. */
    admission: z.object({ year: z.number().int(), deadline: isoDate, placesFrom: isoDate }).nullable(),
  }),
  choices: z.array(z.object({ rank: z.number().int(), unitId: uuid, unitName: z.string() })),
  /** Siblings (children of the same guardians) with a current place, and where. */
  siblings: z.array(z.object({ person: personRef, unitId: uuid, unitName: z.string() })),
  /** The open offer, when status is `offered`. */
  offer: z.object({ placementId: uuid, unitId: uuid, unitName: z.string(), groupName: z.string().nullable(), start: isoDate, answerBy: isoDate.nullable() }).nullable(),
  note: z.string().nullable(),
});

/**
 * The card's summary header at the card's date, decided by the core: where the person is (places held now
 * or starting later, soonest first) and who their guardians are. A guardian's registered address is given
 * only where the card may show it: never for a protected guardian, a guardian the child is shielded from,
 * or a guardian linked to a protected person (the stored shielding flag); `addressWithheld` says so then.
 */
export const careSummary = z.object({
  places: z.array(
    z.object({
      kind: z.enum(['placement', 'enrolment']),
      id: uuid,
      unitId: uuid,
      unitName: z.string(),
      groupId: uuid.nullable(),
      groupName: z.string().nullable(),
      groupKind: z.enum(GROUP_KINDS).nullable(),
      schoolForm: z.enum(SCHOOL_FORMS),
      grade: z.number().int().nullable(),
      weeklyHours: z.number().int().nullable(),
      /** A placement's status at the date; null for an enrolment. */
      status: z.enum(PLACEMENT_STATUSES).nullable(),
      validFrom: isoDate,
      validTo: isoDate.nullable(),
    }),
  ),
  guardians: z.array(
    z.object({
      guardianId: uuid,
      name: z.string(),
      kind: z.enum(GUARDIANSHIP_KINDS),
      protected: z.boolean(),
      /** The child is shielded from this guardian (a court's decision). */
      shieldedFrom: z.boolean(),
      livesWith: z.boolean(),
      address: z.object({ careOf: z.string().nullable(), street: z.string(), postalCode: z.string(), city: z.string(), country: z.string() }).nullable(),
      addressWithheld: z.boolean(),
    }),
  ),
});
export type CareSummary = z.infer<typeof careSummary>;

/** The care part of a person's card: everything a clerk needs on one screen. */
export const careCard = z.object({
  summary: careSummary,
  guardianships: z.array(guardianshipView),
  /** Guardianships where this person is the adult (an adult's children). */
  childrenOf: z.array(guardianshipView),
  /** Households at today's date. */
  households: z.array(householdView),
  /** Every household membership of the person, current and past (the history). */
  householdHistory: z.array(householdMemberView),
  placements: z.array(placementView),
  enrolments: z.array(enrolmentView),
  applications: z.array(applicationView),
});
export type CareCard = z.infer<typeof careCard>;

export const listRow = z.object({
  person: personRef,
  birthDate: isoDate.nullable(),
  /** Identity number as displayed; null when protected or absent. */
  identity: z.string().nullable(),
  groupId: uuid.nullable(),
  groupName: z.string().nullable(),
  schoolForm: z.enum(SCHOOL_FORMS),
  grade: z.number().int().nullable(),
  weeklyHours: z.number().int().nullable(),
  status: z.enum(PLACEMENT_STATUSES).nullable(),
  validFrom: isoDate,
  validTo: isoDate.nullable(),
  /** Guardians to contact: never a shielded guardian, never any for a protected child. */
  guardians: z.array(z.object({ name: z.string(), phones: z.array(z.string()), emails: z.array(z.string()) })),
});
export const listKind = z.enum(LIST_KINDS);
export const listQuery = z
  .object({
    unitId: uuid,
    groupId: uuid.optional(),
    date: isoDate,
    kind: listKind.default('enrolments'),
    /** Include guardians' phones and e-mails (a contact list); the default is names only. */
    withContacts: z.boolean().default(false),
  })
  .strict();
export const listResult = z.object({
  unit: z.object({ id: uuid, name: z.string() }),
  group: z.object({ id: uuid, name: z.string(), kind: z.enum(GROUP_KINDS) }).nullable(),
  date: isoDate,
  kind: listKind,
  rows: z.array(listRow),
  /** Protected persons left out of the list (the caller may not see them); shown as a count only. */
  hiddenProtected: z.number().int(),
});
export type ListResult = z.infer<typeof listResult>;

/** A day of the year, "MM-DD" (29 February is refused: it is not a day of every year). */
const monthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, { message: 'month_day' })
  .refine((v) => {
    const [m, d] = v.split('-').map(Number) as [number, number];
    return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(2025, m, 0)).getUTCDate();
  }, { message: 'month_day' });

/**
 * Norway's main admission to barnehage (barnehageloven § 16): a child who turns one by the end of
 * `lastBirthMonth` in the admission year and applied by the deadline has the right to a place from August
 * (`placesFrom`), or from the month it turns one when that is after August. The deadline is the
 * municipality's: `deadline` every year, unless `years` dates one of its own.
 */
export const mainAdmission = z
  .object({
    /** The usual application deadline (søknadsfrist), month and day. */
    deadline: monthDay,
    /** The day the main admission's places start, month and day (the law: from August). */
    placesFrom: monthDay,
    /** The last month (8–12) in which a child may turn one in the admission year and have the right (the law since 2017: November). */
    lastBirthMonth: z.number().int().min(8).max(12),
    /** Years whose deadline is not the usual one: the year the places start, and that year's deadline. */
    years: z
      .array(
        z
          .object({
            year: z.number().int().min(PLACEMENT_RULE_LIMITS.admissionYear.min).max(PLACEMENT_RULE_LIMITS.admissionYear.max),
            deadline: isoDate,
          })
          .strict(),
      )
      .max(PLACEMENT_RULE_LIMITS.admissionYears),
  })
  .strict()
  .superRefine((a, ctx) => {
    const wellFormed = /^\d{2}-\d{2}$/.test(a.deadline) && /^\d{2}-\d{2}$/.test(a.placesFrom);
    if (wellFormed && a.deadline >= a.placesFrom) ctx.addIssue({ code: 'custom', message: 'deadline_after_start', path: ['deadline'] });
    const seen = new Set<number>();
    a.years.forEach((y, i) => {
      if (seen.has(y.year)) ctx.addIssue({ code: 'custom', message: 'duplicate_year', path: ['years', i, 'year'] });
      seen.add(y.year);
      if (y.deadline >= `${y.year}-${a.placesFrom}` || y.deadline < `${y.year - 1}-${a.placesFrom}`) {
        ctx.addIssue({ code: 'custom', message: 'deadline_outside_year', path: ['years', i, 'deadline'] });
      }
    });
  });
export type MainAdmission = z.infer<typeof mainAdmission>;

export const placementRules = z
  .object({
    /** Notice period in whole months per placement form (uppsägningstid). */
    noticeMonths: z.record(z.enum(PLACEMENT_FORMS), z.number().int().min(PLACEMENT_RULE_LIMITS.noticeMonths.min).max(PLACEMENT_RULE_LIMITS.noticeMonths.max)),
    /** Age limits at the placement's start, in whole years, per placement form. */
    ageLimits: z.record(
      z.enum(PLACEMENT_FORMS),
      z
        .object({ min: ageYears, max: ageYears })
        .strict()
        .refine((a) => a.min <= a.max, { message: 'age_range', path: ['max'] }),
    ),
    /** Last grade per enrolment form: a pupil in it leaves at the rollover. */
    finalGrade: z.record(z.enum(ENROLMENT_FORMS), z.number().int().min(PLACEMENT_RULE_LIMITS.finalGrade.min).max(PLACEMENT_RULE_LIMITS.finalGrade.max)),
    /** Rollover exceptions: a class whose next year's name is not the usual one (e.g. "6A" → "7D" in another unit). */
    rolloverExceptions: z
      .array(
        z
          .object({
            unitId: uuid,
            fromName: className,
            toName: className,
            toUnitId: uuid.nullable().default(null),
          })
          .strict(),
      )
      .max(PLACEMENT_RULE_LIMITS.rolloverExceptions),
    /** Months within which the placement guarantee must be met (SE: 4). */
    guaranteeMonths: z.number().int().min(PLACEMENT_RULE_LIMITS.guaranteeMonths.min).max(PLACEMENT_RULE_LIMITS.guaranteeMonths.max),
    /**
     * Norway's main admission (hovedopptak) for barnehage. Optional on update: left out, the stored
     * setting stays as it is (forms that do not edit it need not carry it).
     */
    mainAdmission: mainAdmission.optional(),
  })
  .strict();
export type PlacementRules = z.infer<typeof placementRules>;

export const rolloverRow = z.object({
  person: personRef,
  action: z.enum(ROLLOVER_ACTIONS),
  unitId: uuid,
  unitName: z.string(),
  fromGroup: z.string().nullable(),
  fromGrade: z.number().int().nullable(),
  toGroup: z.string().nullable(),
  toGrade: z.number().int().nullable(),
  toUnitName: z.string().nullable(),
});
export const rolloverUnitCount = z.object({
  unitId: uuid,
  unitName: z.string(),
  promoted: z.number().int(),
  leavers: z.number().int(),
  startingSchool: z.number().int(),
  groupsCreated: z.number().int(),
});
export const rolloverScope = {
  /** First day of the new school year: every class moves up on this date, leavers end the day before. */
  date: isoDate,
  /** Limit to these units (default: every unit the caller may roll over). */
  unitIds: z.array(uuid).max(500).optional(),
};

// ---------- methods ----------
export const guardianshipFields = {
  kind: z.enum(GUARDIANSHIP_KINDS),
  livesWith: z.boolean().default(false),
  invoiceShare: invoiceShare.default(0),
  shielded: z.boolean().default(false),
};
