/**
 * The placements domain's contract: places in preschool and after-school care, enrolments in school,
 * the preschool queue (applications, offers, answers), notice and transfer, the year rollover and the
 * municipality's placement rules. Handlers: core/placements/handlers.ts.
 */
import { z } from 'zod';
import { APPLICATION_FILTERS, CARE_LIMITS, ENROLMENT_FORMS, PLACEMENT_FORMS, PLACEMENT_REASONS, ROLLOVER_ACTIONS } from '../domain/care';
import { def, type MethodDef } from './def';
import { applicationView, grade, hours, note, page, placementRules, reason, rolloverRow, rolloverScope, rolloverUnitCount, scheduleInput, version } from './care';
import { jobStarted } from './jobs';
import { isoDate, uuid, writeResult } from './schemas';

export const placementsMethods = {
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
  /**
   * For the offer: the departments of a unit that run a form on a date, with how many places are taken
   * there then (accepted and offered placements covering the date) and, where a capacity is known, how many
   * are free. Units and departments hold no capacity yet, so `capacity` and `free` are null for now. Counts
   * only: no person is read.
   */
  'application.places': def({
    input: z.object({ unitId: uuid, date: isoDate, schoolForm: z.enum(PLACEMENT_FORMS) }).strict(),
    output: z.object({
      date: isoDate,
      departments: z.array(
        z.object({
          groupId: uuid,
          name: z.string(),
          accepted: z.number().int(),
          offered: z.number().int(),
          capacity: z.number().int().nullable(),
          free: z.number().int().nullable(),
        }),
      ),
      /** Placements of the form at the unit on the date in no department. */
      withoutDepartment: z.object({ accepted: z.number().int(), offered: z.number().int() }),
      capacityKnown: z.boolean(),
    }),
    permission: 'placement.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: false,
    writes: false,
  }),

  /** Class list or placement list of a unit (or one group) at a date. */
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
} as const satisfies Record<string, MethodDef>;
