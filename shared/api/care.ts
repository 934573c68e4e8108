/**
 * The clerk's daily work (domain.md §4–5): guardianships, households, placements in preschool and
 * after-school care, enrolments in school, the preschool queue, notice, transfer, year rollover and lists.
 *
 * Every method declares its permission; the dispatcher audits each call in the call's own transaction.
 * Domain rules answer `rule_violation` with `rule` set to a key of RULES and `field` where it applies.
 */
import { z } from 'zod';
import {
  APPLICATION_FILTERS,
  APPLICATION_STATUSES,
  CARE_LIMITS,
  ENROLMENT_FORMS,
  GUARDIANSHIP_KINDS,
  HOUSEHOLD_ROLES,
  LIST_FORMATS,
  LIST_KINDS,
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
import { CHANGE_MODES, CONTACT_KINDS } from '../domain/register';
import { def } from './def';
import { fileRef } from './files';
import { jobStarted } from './jobs';
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

const note = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: 'too_long' })
    .nullish()
    .transform((v) => (v == null || v === '' ? null : v));
const reason = z.string().trim().min(CARE_LIMITS.reason.min, { message: 'reason_too_short' }).max(CARE_LIMITS.reason.max, { message: 'too_long' });
const version = z.number().int().min(1);
const writeResult = z.object({ id: uuid, version: z.number().int() });
const hours = z.number().int().min(CARE_LIMITS.weeklyHours.min, { message: 'hours_range' }).max(CARE_LIMITS.weeklyHours.max, { message: 'hours_range' });
const timeSpan = z.string().regex(TIME_SPAN_RE, { message: 'time_span' });
/** A fixed weekly schedule: per weekday "07:30-16:00", or null for a day off. */
export const scheduleInput = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, timeSpan.nullable()])) as Record<(typeof WEEKDAYS)[number], z.ZodNullable<typeof timeSpan>>).strict();
const invoiceShare = z.number().int().min(CARE_LIMITS.invoiceShare.min, { message: 'share_range' }).max(CARE_LIMITS.invoiceShare.max, { message: 'share_range' });
const grade = z.number().int().min(CARE_LIMITS.grade.min).max(CARE_LIMITS.grade.max);
const ageYears = z.number().int().min(PLACEMENT_RULE_LIMITS.age.min).max(PLACEMENT_RULE_LIMITS.age.max);
const className = z.string().trim().min(1).max(PLACEMENT_RULE_LIMITS.className);
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) };

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
  /** Placement guarantee (SE: a place within four months of the application, or the wished start if later). */
  guaranteeDate: isoDate,
  overdue: z.boolean(),
  choices: z.array(z.object({ rank: z.number().int(), unitId: uuid, unitName: z.string() })),
  /** Siblings (children of the same guardians) with a current place, and where. */
  siblings: z.array(z.object({ person: personRef, unitId: uuid, unitName: z.string() })),
  /** The open offer, when status is `offered`. */
  offer: z.object({ placementId: uuid, unitId: uuid, unitName: z.string(), groupName: z.string().nullable(), start: isoDate, answerBy: isoDate.nullable() }).nullable(),
  note: z.string().nullable(),
});

/** The care part of a person's card: everything a clerk needs on one screen. */
export const careCard = z.object({
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
const rolloverScope = {
  /** First day of the new school year: every class moves up on this date, leavers end the day before. */
  date: isoDate,
  /** Limit to these units (default: every unit the caller may roll over). */
  unitIds: z.array(uuid).max(500).optional(),
};

// ---------- methods ----------
const guardianshipFields = {
  kind: z.enum(GUARDIANSHIP_KINDS),
  livesWith: z.boolean().default(false),
  invoiceShare: invoiceShare.default(0),
  shielded: z.boolean().default(false),
};

export const careMethods = {
  'guardianship.create': def({
    input: z
      .object({ childId: uuid, guardianId: uuid, ...guardianshipFields, validFrom: isoDate, validTo: isoDate.nullish().transform((v) => v ?? null) })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /**
   * `change` ends the current row the day before `effectiveFrom` and starts a new one with the new facts
   * (history kept); `correction` edits the row in place (a typing error), logged as a correction.
   */
  'guardianship.update': def({
    input: z
      .object({
        id: uuid,
        version,
        mode: z.enum(CHANGE_MODES),
        effectiveFrom: isoDate.optional(),
        kind: z.enum(GUARDIANSHIP_KINDS).optional(),
        livesWith: z.boolean().optional(),
        invoiceShare: invoiceShare.optional(),
        shielded: z.boolean().optional(),
        validFrom: isoDate.optional(),
        validTo: isoDate.nullable().optional(),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'household.create': def({
    input: z
      .object({
        validFrom: isoDate,
        members: z
          .array(z.object({ personId: uuid, role: z.enum(HOUSEHOLD_ROLES), shared: z.boolean().default(false) }).strict())
          .min(1)
          .max(CARE_LIMITS.householdMembers),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'household.addMember': def({
    input: z
      .object({
        householdId: uuid,
        personId: uuid,
        role: z.enum(HOUSEHOLD_ROLES),
        shared: z.boolean().default(false),
        validFrom: isoDate,
        validTo: isoDate.nullish().transform((v) => v ?? null),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** Ends a membership (moving out) or corrects its dates. */
  'household.endMember': def({
    input: z.object({ id: uuid, version, validTo: isoDate }).strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** The care part of a person's card (guardians, households, placements, enrolments, applications). */
  'care.card': def({
    input: z.object({ personId: uuid, date: isoDate.optional() }).strict(),
    output: careCard,
    permission: 'register.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),

  'placement.create': def({
    input: z
      .object({
        childId: uuid,
        unitId: uuid,
        groupId: uuid.nullish().transform((v) => v ?? null),
        schoolForm: z.enum(PLACEMENT_FORMS),
        validFrom: isoDate,
        validTo: isoDate.nullish().transform((v) => v ?? null),
        weeklyHours: hours.nullish().transform((v) => v ?? null),
        schedule: scheduleInput.nullish().transform((v) => v ?? null),
        reason: z.enum(PLACEMENT_REASONS),
        ownerIds: z.array(uuid).max(CARE_LIMITS.placementHolders).default([]),
      })
      .strict(),
    output: writeResult,
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** Correction of a placement's facts (hours, schedule, group, reason, holders, dates). */
  'placement.update': def({
    input: z
      .object({
        id: uuid,
        version,
        groupId: uuid.nullable().optional(),
        validFrom: isoDate.optional(),
        validTo: isoDate.nullable().optional(),
        weeklyHours: hours.nullable().optional(),
        schedule: scheduleInput.nullable().optional(),
        reason: z.enum(PLACEMENT_REASONS).optional(),
        ownerIds: z.array(uuid).max(CARE_LIMITS.placementHolders).optional(),
      })
      .strict(),
    output: writeResult,
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** The last day a notice given on `noticeDate` leads to, from the form's notice period. */
  'placement.noticePreview': def({
    input: z.object({ id: uuid, noticeDate: isoDate }).strict(),
    output: z.object({ computedLastDay: isoDate, noticeMonths: z.number().int() }),
    permission: 'placement.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * Notice of termination (uppsägning). The last day is the computed one unless `lastDay` is given: a later
   * day is the guardian's wish; an earlier day needs `overrideReason`.
   */
  'placement.notice': def({
    input: z
      .object({ id: uuid, version, noticeDate: isoDate, lastDay: isoDate.optional(), overrideReason: reason.optional() })
      .strict(),
    output: z.object({ id: uuid, version: z.number().int(), lastDay: isoDate, computedLastDay: isoDate }),
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** End here and start there in one transaction: the old placement ends the day before `date`. */
  'placement.transfer': def({
    input: z
      .object({
        id: uuid,
        version,
        date: isoDate,
        toUnitId: uuid,
        toGroupId: uuid.nullish().transform((v) => v ?? null),
        weeklyHours: hours.nullish().transform((v) => v ?? null),
      })
      .strict(),
    output: z.object({ endedId: uuid, newId: uuid }),
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'enrolment.create': def({
    input: z
      .object({
        pupilId: uuid,
        unitId: uuid,
        groupId: uuid.nullish().transform((v) => v ?? null),
        schoolForm: z.enum(ENROLMENT_FORMS),
        grade,
        validFrom: isoDate,
        validTo: isoDate.nullish().transform((v) => v ?? null),
      })
      .strict(),
    output: writeResult,
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'enrolment.update': def({
    input: z
      .object({
        id: uuid,
        version,
        groupId: uuid.nullable().optional(),
        grade: grade.optional(),
        validFrom: isoDate.optional(),
        validTo: isoDate.nullable().optional(),
        endReason: note(CARE_LIMITS.endReason),
      })
      .strict(),
    output: writeResult,
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'enrolment.transfer': def({
    input: z
      .object({
        id: uuid,
        version,
        date: isoDate,
        toUnitId: uuid,
        toGroupId: uuid.nullish().transform((v) => v ?? null),
        grade: grade.optional(),
      })
      .strict(),
    output: z.object({ endedId: uuid, newId: uuid }),
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),

  'application.create': def({
    input: z
      .object({
        childId: uuid,
        schoolForm: z.enum(PLACEMENT_FORMS),
        appliedOn: isoDate,
        wishedStart: isoDate,
        weeklyHours: hours.nullish().transform((v) => v ?? null),
        unitIds: z.array(uuid).min(1, { message: 'choices_required' }).max(CARE_LIMITS.applicationChoices),
        note: note(CARE_LIMITS.note),
      })
      .strict(),
    output: writeResult,
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** The queue: open applications (queued or offered), the overdue ones (past the guarantee date), or all. */
  'application.list': def({
    input: z
      .object({ filter: z.enum(APPLICATION_FILTERS).default('open'), unitId: uuid.optional(), ...page })
      .strict(),
    output: z.object({ items: z.array(applicationView), total: z.number().int(), overdue: z.number().int(), hiddenProtected: z.number().int() }),
    permission: 'placement.read',
    errors: ['validation', 'forbidden'],
    personal: true,
    writes: false,
  }),
  'application.offer': def({
    input: z
      .object({
        id: uuid,
        version,
        unitId: uuid,
        groupId: uuid.nullish().transform((v) => v ?? null),
        start: isoDate,
        answerBy: isoDate,
        weeklyHours: hours.nullish().transform((v) => v ?? null),
      })
      .strict(),
    output: z.object({ id: uuid, version: z.number().int(), placementId: uuid }),
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** Accept (the offered placement becomes accepted, held by `ownerIds`) or decline the open offer. */
  'application.answer': def({
    input: z
      .object({
        id: uuid,
        version,
        accept: z.boolean(),
        ownerIds: z.array(uuid).max(CARE_LIMITS.placementHolders).default([]),
        /** On decline: keep the application in the queue (default) or withdraw it. */
        keepInQueue: z.boolean().default(true),
      })
      .strict(),
    output: z.object({ id: uuid, version: z.number().int(), placementId: uuid.nullable() }),
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'application.withdraw': def({
    input: z.object({ id: uuid, version }).strict(),
    output: writeResult,
    permission: 'placement.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),

  /** Class list or placement list of a unit (or one group) at a date. */
  'list.get': def({
    input: listQuery,
    output: listResult,
    permission: 'placement.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /** The same list as a file: PDF (pdf-lib) or CSV (RFC 4180, BOM, formula-safe). Base64 content. */
  'list.export': def({
    input: listQuery.extend({ format: z.enum(LIST_FORMATS), lang: z.enum(['sv', 'nb', 'en']).default('sv') }).strict(),
    output: z.object({ file: fileRef, rows: z.number().int(), hiddenProtected: z.number().int() }),
    permission: 'placement.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
    // The file is written to the core's file store and downloaded by id.
    run: 'async',
  }),

  /**
   * Year rollover preview: every change it would make, counted per unit, and the rows (paged). The token
   * fingerprints the plan; the commit refuses a stale token (`rollover_stale`).
   */
  'rollover.preview': def({
    input: z
      .object({ ...rolloverScope, rowsUnitId: uuid.optional(), action: z.enum(ROLLOVER_ACTIONS).optional(), ...page })
      .strict(),
    output: z.object({
      date: isoDate,
      token: z.string(),
      units: z.array(rolloverUnitCount),
      totals: z.object({ promoted: z.number().int(), leavers: z.number().int(), startingSchool: z.number().int(), groupsCreated: z.number().int() }),
      rows: z.array(rolloverRow),
      rowsTotal: z.number().int(),
      hiddenProtected: z.number().int(),
    }),
    permission: 'placement.rollover',
    errors: ['validation', 'rule_violation', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * Runs as a job (50 000 pupils take seconds): answers `{ jobId }` at once; the job's result is
   * `{ promoted, leavers, groupsCreated }`, and a stale preview makes the job fail with `rollover_stale`.
   */
  'rollover.commit': def({
    input: z.object({ ...rolloverScope, token: z.string().min(1).max(200) }).strict(),
    output: jobStarted,
    permission: 'placement.rollover',
    errors: ['validation', 'rule_violation', 'forbidden', 'busy'],
    personal: true,
    writes: true,
    run: 'job',
  }),

  'placementRules.get': def({
    input: z.object({}).strict(),
    output: placementRules,
    permission: 'placement.read',
    errors: [],
    personal: false,
    writes: false,
  }),
  'placementRules.update': def({
    input: placementRules,
    output: placementRules,
    permission: 'org.write',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: false,
    writes: true,
  }),
} as const;
