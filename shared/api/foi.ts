/**
 * The FOI domain's methods (issue 13; docs/foi.md "Requests"): the register of freedom-of-information and
 * subject-access requests, their deadlines and the deadline rules. FOI officers only (`foi.read`,
 * `foi.write`, `foi.decide`, municipality-wide by nature); the records travel only to their caches.
 */
import { z } from 'zod';
import { def, type MethodDef } from './def';
import { isoDate, uuid, writeResult } from './schemas';
import { fileRef } from './files';
import { REVEAL_REASON_MAX, REVEAL_REASON_MIN } from '../domain/access';
import {
  FOI_CHANNELS,
  FOI_DEADLINE_STATES,
  FOI_FILTERS,
  FOI_ITEM_CATEGORIES,
  FOI_KINDS,
  FOI_OUTCOMES,
  FOI_LANGUAGES,
  FOI_LIMITS,
  FOI_MERINNSYN,
  FOI_PERSON_ROLES,
  FOI_REQUESTER_KINDS,
  FOI_STATUSES,
  FOI_VERIFICATIONS,
} from '../domain/foi';

const int = z.number().int();
const text = (max: number) => z.string().trim().max(max, { message: 'too_long' });
/** Optional text: empty means none. */
const optText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => (v == null || v === '' ? null : v));

/**
 * A number of working days in the rules. The ceiling only catches a typo (30 instead of 3); no rule of
 * these laws comes near it.
 */
const workingDays = z.number().int().min(0).max(60);

/**
 * The deadline rules (the municipality may change every figure; the defaults follow the law and the
 * Ombudsmen's practice). Checked when stored; a bad field is named by its path, e.g.
 * `no_innsyn.deemedRefusedAfterWorkingDays`.
 */
export const foiDeadlineRules = z
  .object({
    se_public_document: z
      .object({
        /**
         * Working days after the day received by which the office aims to answer: 0 = the same day
         * ("skyndsamt"). A request received on a closed day counts as received on the next working day.
         */
        targetWorkingDays: workingDays,
        /**
         * The request is overdue after this many working days, the day received being the first (a request
         * received on a closed day: the next working day is the first). With 3, a request received on a
         * Friday may be answered until Tuesday and is overdue from Wednesday.
         */
        overdueAfterWorkingDays: workingDays.min(1),
      })
      .strict()
      .refine((r) => r.targetWorkingDays < r.overdueAfterWorkingDays, { message: 'target_after_last_day', path: ['targetWorkingDays'] }),
    no_innsyn: z
      .object({
        /** Working days after the day received by which the office aims to decide (practice: 1–3). */
        targetWorkingDays: workingDays,
        /**
         * With no answer within this many working days after the day received, the request counts as
         * refused (offentleglova § 32 første ledd tredje punktum: five).
         */
        deemedRefusedAfterWorkingDays: workingDays.min(1),
      })
      .strict()
      .refine((r) => r.targetWorkingDays <= r.deemedRefusedAfterWorkingDays, { message: 'target_after_last_day', path: ['targetWorkingDays'] }),
    gdpr_access: z
      .object({
        /** The period to answer in, in months (GDPR art. 12(3): one). */
        months: z.number().int().min(1).max(12),
        /** The further months a notified extension adds (art. 12(3): two); 0 = no extension is allowed. */
        extensionMonths: z.number().int().min(0).max(12),
      })
      .strict(),
    /** Where the figures come from (shown beside them). */
    source: z.string().max(300),
  })
  .strict();
export type FoiDeadlineRules = z.infer<typeof foiDeadlineRules>;

/** The municipality's own closed days and Sweden's closed eves: the office's calendar beside the country's holidays. */
export const foiCalendar = z
  .object({
    /** Days the office is closed besides the public holidays (a bridge day), YYYY-MM-DD, at most 200. */
    closedDays: z.array(isoDate).max(200),
    /** Sweden: midsommarafton, julafton and nyårsafton count as closed (no effect in Norway). */
    closedEves: z.boolean(),
  })
  .strict();
export type FoiCalendar = z.infer<typeof foiCalendar>;

/** A person concerned as the officer sees them: a protected person's name only with `protected.reveal` (else null). */
export const foiPersonRef = z.object({ id: uuid, name: z.string().nullable(), protected: z.boolean() });

/** A request's deadlines (core/foi/deadlines.ts), as of the call's day. */
export const foiDeadlinesView = z.object({
  target: isoDate,
  /** The last day an answer is in time. */
  final: isoDate,
  overdueFrom: isoDate.nullable(),
  /** Norway: from this day an unanswered request counts as refused. */
  deemedRefusedOn: isoDate.nullable(),
  extended: z.boolean(),
  /** GDPR: the last day an extension may be notified; null when none can be. */
  extensionNoticeBy: isoDate.nullable(),
  state: z.enum(FOI_DEADLINE_STATES),
});

export const foiRequestSummary = z.object({
  id: uuid,
  version: int,
  registryNumber: z.string().nullable(),
  kind: z.enum(FOI_KINDS),
  receivedOn: isoDate,
  channel: z.enum(FOI_CHANNELS),
  requesterKind: z.enum(FOI_REQUESTER_KINDS),
  /** The requester's name (typed, or the register's for a requester in it); null: anonymous, or a protected person the caller may not see. */
  requesterName: z.string().nullable(),
  persons: z.array(foiPersonRef),
  assigneeId: uuid.nullable(),
  assigneeName: z.string().nullable(),
  status: z.enum(FOI_STATUSES),
  decidedOn: isoDate.nullable(),
  deadlines: foiDeadlinesView,
});
export type FoiRequestSummary = z.infer<typeof foiRequestSummary>;

export const foiRequestView = foiRequestSummary.extend({
  requesterContact: z.string().nullable(),
  requesterPerson: foiPersonRef.nullable(),
  identityVerified: z.enum(FOI_VERIFICATIONS).nullable(),
  identityVerifiedOn: isoDate.nullable(),
  language: z.enum(FOI_LANGUAGES),
  askedFor: z.string(),
  extensionNoticeOn: isoDate.nullable(),
  extensionReason: z.string().nullable(),
  decidedByName: z.string().nullable(),
  closedOn: isoDate.nullable(),
  /** The last status move's reason (a reopening, a withdrawal). */
  statusReason: z.string().nullable(),
  /** The persons concerned as records (to remove one), in name order. */
  links: z.array(z.object({ id: uuid, version: int, role: z.enum(FOI_PERSON_ROLES), person: foiPersonRef })),
  /** The status moves open to the caller now. */
  moves: z.array(z.enum(FOI_STATUSES)),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});
export type FoiRequestView = z.infer<typeof foiRequestView>;

/** The requester's fields, as created and as changed. */
const requesterFields = {
  requesterKind: z.enum(FOI_REQUESTER_KINDS),
  requesterName: optText(FOI_LIMITS.name),
  requesterContact: optText(FOI_LIMITS.contact),
  /** The requester in the register (the subject, a guardian). */
  requesterPersonId: uuid.nullish().transform((v) => v ?? null),
  identityVerified: z.enum(FOI_VERIFICATIONS).nullish().transform((v) => v ?? null),
  identityVerifiedOn: isoDate.nullish().transform((v) => v ?? null),
};
const requestFields = {
  registryNumber: optText(FOI_LIMITS.registryNumber),
  receivedOn: isoDate,
  channel: z.enum(FOI_CHANNELS),
  ...requesterFields,
  language: z.enum(FOI_LANGUAGES),
  askedFor: text(FOI_LIMITS.askedFor).min(1, { message: 'required' }),
  assigneeId: uuid.nullish().transform((v) => v ?? null),
};
const personLink = z.object({ personId: uuid, role: z.enum(FOI_PERSON_ROLES) }).strict();

const rulesView = z.object({
  rules: foiDeadlineRules,
  calendar: foiCalendar,
  /** True while nothing is stored: the law's defaults are in force. */
  defaults: z.boolean(),
  version: z.string(),
});

/** A masked region of a document page (shares of the page from its top left). */
export const foiRegion = z
  .object({
    page: int.min(1).max(1000),
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    w: z.number().gt(0).max(1),
    h: z.number().gt(0).max(1),
    ground: z.string().max(40).nullable(),
  })
  .strict()
  .refine((r) => r.x + r.w <= 1.0001 && r.y + r.h <= 1.0001, { message: 'region_outside_page' });
export type FoiRegion = z.infer<typeof foiRegion>;

/** A gathered item as the reader may see it: its record's values (a protected person's whereabouts null and `withheld` without protected.reveal). */
export const foiItemView = z.object({
  id: uuid,
  version: int,
  category: z.enum(FOI_ITEM_CATEGORIES),
  /** The record table and id it refers to. */
  entity: z.string(),
  recordId: z.string(),
  /** The person concerned it was gathered for. */
  person: foiPersonRef,
  fields: z.array(z.object({ name: z.string(), value: z.string().nullable(), withheld: z.boolean() })),
  /** The review's starting point: the outcome and its ground's code (DEFAULT_FOI_GROUNDS); null: to be chosen. */
  proposal: z.object({ outcome: z.enum(FOI_OUTCOMES), ground: z.string().nullable() }),
  /** The officer's review; null: not reviewed yet. `stale`: the record changed since it was reviewed. */
  review: z
    .object({
      outcome: z.enum(FOI_OUTCOMES),
      ground: z.string().nullable(),
      fields: z.record(z.string(), z.object({ outcome: z.enum(['mask']), ground: z.string().nullable() })),
      regions: z.array(foiRegion),
      reason: z.string().nullable(),
      merinnsyn: z.enum(FOI_MERINNSYN).nullable(),
      reviewedByName: z.string().nullable(),
      reviewedAt: z.string(),
      stale: z.boolean(),
    })
    .nullable(),
  /** Disclosing it would show a protected or shielded person's whereabouts: only with protected.reveal and a reason. */
  guarded: z.boolean(),
  /** The record's values changed since it was gathered: gather again before the review. */
  changed: z.boolean(),
  /** The record went, or no longer concerns the person (kept for the history). */
  gone: z.boolean(),
});
export type FoiItemView = z.infer<typeof foiItemView>;

const WRITE_ERRORS = ['validation', 'not_found', 'forbidden', 'rule_violation', 'conflict'] as const;

/** A legal ground of the review's table (shared/domain/foi.ts FoiGround). */
export const foiGround = z
  .object({
    code: z.string().trim().regex(/^[a-z0-9_]{2,40}$/, { message: 'code' }),
    country: z.enum(['SE', 'NO']).nullable(),
    citation: z.string().trim().min(1).max(120),
    title: z.object({ sv: z.string().trim().min(1).max(200), nb: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }).strict(),
    optional: z.boolean(),
    validFrom: isoDate,
    validTo: isoDate.nullable(),
  })
  .strict();


const groundsView = z.object({ grounds: z.array(foiGround), defaults: z.boolean(), version: z.string() });
const reason = z.string().trim().max(FOI_LIMITS.reason).nullish().transform((v) => (v == null || v === '' ? null : v));

export const foiMethods = {
  /**
   * The requests of one dashboard tab, sorted by the nearest deadline (the last day in time, then the day
   * received), with every tab's count. Deadlines and states are computed as of the core's today.
   */
  'foi.requests': def({
    input: z
      .object({
        filter: z.enum(FOI_FILTERS).default('open'),
        /** Only the caller's own (assigned to them). */
        mine: z.boolean().default(false),
        offset: int.min(0).default(0),
        limit: int.min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({ items: z.array(foiRequestSummary), total: int, counts: z.record(z.enum(FOI_FILTERS), int), today: isoDate }),
    permission: 'foi.read',
    errors: ['validation', 'forbidden'],
    personal: true,
    writes: false,
  }),
  'foi.request': def({
    input: z.object({ id: uuid }).strict(),
    output: foiRequestView,
    permission: 'foi.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * Registers a request. Refused by rule: a kind this country's law does not have (`foi_kind_country`); an
   * anonymous subject-access request (`foi_anonymous_kind`); a subject or guardian not in the register, or
   * a named or anonymous requester given as a register person the wrong way (`foi_requester_person`); a
   * subject-access request without its subject among the persons (`foi_subject_required`); a guardian
   * who is not the subject child's guardian (`foi_not_guardian`); a contact typed for a protected requester
   * (`foi_protected_contact`: the reply goes through the register's own protected channel); a received day
   * in the future (`foi_received_future`); an assignee who is no FOI officer (`foi_assignee`).
   */
  'foi.requestCreate': def({
    input: z.object({ kind: z.enum(FOI_KINDS), ...requestFields, persons: z.array(personLink).max(FOI_LIMITS.persons).default([]) }).strict(),
    output: writeResult,
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /** Changes a request's fields (not its kind, status or persons), with the same rules as when created. */
  'foi.requestUpdate': def({
    input: z.object({ id: uuid, version: int, ...requestFields }).strict(),
    output: writeResult,
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /**
   * Moves a request to another status (FOI_MOVES). Refused by rule: a move the status does not allow
   * (`foi_move`); a reopening without a reason (`foi_reason_required`); review or later for a subject or
   * guardian whose identity is not verified (`foi_identity_unverified`); deciding without `foi.decide`
   * (forbidden), on a day before the request was received or after today (`foi_decided_on`). Moves take
   * `foi.write`, but a decision-maker (`foi.decide` without `foi.write`) may decide a request waiting for its
   * decision or send it back to review.
   */
  'foi.requestMove': def({
    input: z
      .object({
        id: uuid,
        version: int,
        to: z.enum(FOI_STATUSES),
        reason: optText(FOI_LIMITS.reason),
        /** The decision's day (moving to `decided`); today when left out. */
        decidedOn: isoDate.optional(),
      })
      .strict(),
    output: writeResult,
    permission: 'foi.read',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /**
   * GDPR art. 12(3): extends the period by the rules' further months, with the day the requester was told
   * and why. Refused by rule: another kind (`foi_extension_kind`), a notice after the first month
   * (`foi_extension_late`), rules without an extension (`foi_extension_unavailable`), already extended or
   * decided (`foi_extension_done`).
   */
  'foi.requestExtend': def({
    input: z.object({ id: uuid, version: int, noticeOn: isoDate, reason: text(FOI_LIMITS.reason).min(1, { message: 'required' }) }).strict(),
    output: writeResult,
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /** Adds a person concerned (twice: `foi_person_twice`). */
  'foi.requestPersonAdd': def({
    input: z.object({ requestId: uuid, personId: uuid, role: z.enum(FOI_PERSON_ROLES) }).strict(),
    output: writeResult,
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /**
   * Adds a class's or group's members on a day (default the request's received day) as listed persons, in
   * one transaction: a journalist's class list. Members already concerned are left as they are. Protected
   * pupils are added like the rest (the gathering proposes their identity withheld); the answer counts them
   * (`protected`, by the gathering's rule: a protected identity, not one only shielded by a relative's)
   * without naming them.
   */
  'foi.requestGroupAdd': def({
    input: z.object({ requestId: uuid, groupId: uuid, on: isoDate.optional() }).strict(),
    output: z.object({ added: int, already: int, protected: int }),
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /** Removes a person concerned (kept as removed for sync and the history); a subject-access request keeps one subject (`foi_subject_required`). */
  'foi.requestPersonRemove': def({
    input: z.object({ id: uuid, version: int }).strict(),
    output: writeResult,
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /**
   * Gathers (again) every record held about the request's persons concerned as review items: the data
   * subject's register data with its ended records, guardianships, households, placements, enrolments,
   * applications, group memberships, fee lines, documents, and their household's income when the requester
   * is an adult of it; a listed or other person's identity. Each item refers to its record (no copy of its
   * values) with the proposed outcome (core/foi/gather.ts). A registered request moves to `gathering`.
   * Refused by rule: a finished request (`foi_finished`), one waiting for its decision (`foi_move`).
   */
  'foi.gather': def({
    input: z.object({ requestId: uuid }).strict(),
    output: z.object({ added: int, changed: int, gone: int, total: int }),
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /** A request's gathered items, by person and category (gone ones last), a page at a time, with counts by category. */
  'foi.items': def({
    input: z
      .object({
        requestId: uuid,
        category: z.enum(FOI_ITEM_CATEGORIES).optional(),
        /**
         * Only the items still to review, as the decision's check counts them: not reviewed, or reviewed
         * before their record changed (stale); gone items are left out. Counts stay the whole list's.
         */
        unreviewed: z.boolean().optional(),
        offset: int.min(0).default(0),
        limit: int.min(1).max(500).default(100),
      })
      .strict(),
    output: z.object({ items: z.array(foiItemView), total: int, counts: z.record(z.string(), int) }),
    permission: 'foi.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * Reviews one gathered item: disclose it, mask it (every shown field, or the fields named, each on its own
   * ground or the item's), or withhold it whole, with a reason. Refused by rule: a masked or withheld part
   * without a ground (`foi_ground_required`); a ground not in the table, not in force today or of the other
   * country (`foi_ground_invalid`); fields named with `disclose` or `withhold` (validation); a gone item
   * (`foi_item_gone`); a request not in gathering or review (`foi_move`); Norway: masking on a ground that
   * may be waived without the merinnsyn assessment (`foi_merinnsyn_required`; in Sweden: validation).
   * Disclosing a protected or shielded person's whereabouts needs protected.reveal for them (forbidden) and a
   * reason (`revealReason`, logged as a reveal: `foi_reveal_reason`).
   */
  'foi.review': def({
    input: z
      .object({
        id: uuid,
        version: int,
        outcome: z.enum(FOI_OUTCOMES),
        ground: z.string().max(40).nullish().transform((v) => v ?? null),
        /** Fields masked on their own (mask only), each with its ground (null: the item's). */
        fields: z.record(z.string().max(60), z.object({ outcome: z.literal('mask'), ground: z.string().max(40).nullable() }).strict()).default({}),
        reason,
        merinnsyn: z.enum(FOI_MERINNSYN).nullish().transform((v) => v ?? null),
        /**
         * A document's masked regions (mask only, documents only): page (from 1) and the box as shares of the
         * page's width and height from its top left, each with its ground (null: the item's). The page is
         * rendered and the region burnt in: nothing under it survives in the extract.
         */
        regions: z.array(foiRegion).max(500).default([]),
        revealReason: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: writeResult,
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /**
   * Takes the proposals of the items named as the review (the officer's "take the whole list"): each item
   * whose proposal is complete gets it as its review; skipped, with why: a proposal without a ground
   * (`ground`), one that would disclose a protected person's whereabouts (`reveal`), a Norwegian mask that
   * needs the merinnsyn assessment (`merinnsyn`), a stale version (`conflict`), a gone item (`gone`), one
   * the officer reviewed already (`reviewed`: their review stands).
   */
  'foi.reviewAccept': def({
    input: z.object({ requestId: uuid, items: z.array(z.object({ id: uuid, version: int }).strict()).min(1).max(2000) }).strict(),
    output: z.object({ accepted: int, skipped: z.array(z.object({ id: uuid, why: z.enum(['ground', 'reveal', 'merinnsyn', 'conflict', 'gone', 'reviewed']) })) }),
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
  }),
  /**
   * The redacted extract as a PDF (the user's export): written anew from the reviewed items in the request's
   * language, every masked part drawn as a box of its size with its ground's citation (the masked text is
   * never written into the file), withheld items named with their ground, documents rendered page by page
   * with their masked regions burnt in, and a redaction log at the end. Refused by rule: a review not complete
   * or stale (`foi_review_incomplete`), a request not in review, decision or decided (`foi_move`). An extract
   * that discloses a protected person's whereabouts needs protected.reveal for them (forbidden).
   */
  'foi.extract': def({
    input: z.object({ requestId: uuid }).strict(),
    output: z.object({ file: fileRef, pages: int, masked: int, withheld: int }),
    permission: 'foi.read',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: true,
    writes: false,
    run: 'async',
  }),
  /**
   * One page of a gathered document as a picture to review it and draw its masked regions on (JPEG, about
   * 100 dpi, as a data: URL; the regions are not burnt in: the officer sees what a region covers). A
   * protected or shielded person's document needs protected.reveal for them and a reason (logged as a
   * reveal). On a joined workstation the server renders it (the content is kept there).
   */
  'foi.documentPage': def({
    input: z
      .object({
        itemId: uuid,
        page: int.min(1).max(1000),
        reason: z.string().trim().min(REVEAL_REASON_MIN, { message: 'reason_too_short' }).max(REVEAL_REASON_MAX, { message: 'too_long' }).optional(),
      })
      .strict(),
    output: z.object({ page: int, pages: int, width: int, height: int, image: z.string() }),
    permission: 'foi.read',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation', 'unavailable'],
    personal: true,
    writes: false,
    run: 'async',
  }),
  /**
   * The decision letter as a PDF in the requester's language: what is disclosed, what is masked or withheld
   * and on which ground (each part), the reasons, the decision-maker and the appeal instructions (Sweden: to
   * the administrative court of appeal, lodged with the municipality within three weeks; Norway: klage to
   * Statsforvaltaren through the municipality within three weeks, and the right to ask for fuller reasons;
   * GDPR: the supervisory authority). Refused by rule: a request granted in full needs none, the extract is
   * the answer (`foi_granted_in_full`); before the request is decided (`foi_move`).
   */
  'foi.decisionLetter': def({
    input: z.object({ requestId: uuid }).strict(),
    output: z.object({ file: fileRef, pages: int }),
    permission: 'foi.read',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: true,
    writes: false,
    run: 'async',
  }),
  /**
   * Records that the extract was disclosed (the disclosure log, append-only): the extract is made again and
   * its hash, pages and counts logged with the persons it held, the day, the channel and the decision it
   * follows. Refused by rule: before the request is decided (`foi_move`).
   */
  'foi.disclose': def({
    input: z.object({ requestId: uuid, version: int, disclosedOn: isoDate.optional(), channel: z.enum(FOI_CHANNELS) }).strict(),
    output: writeResult,
    permission: 'foi.write',
    errors: WRITE_ERRORS,
    personal: true,
    writes: true,
    run: 'async',
  }),
  /** The disclosure log: of one request, or every disclosure that held a person's data (newest first). */
  'foi.disclosures': def({
    input: z.union([z.object({ requestId: uuid }).strict(), z.object({ personId: uuid }).strict()]),
    output: z.object({
      items: z.array(
        z.object({
          id: uuid,
          requestId: uuid,
          kind: z.enum(FOI_KINDS),
          disclosedOn: isoDate,
          channel: z.enum(FOI_CHANNELS),
          recipientKind: z.enum(FOI_REQUESTER_KINDS),
          persons: int,
          extractSha256: z.string(),
          pages: int,
          masked: int,
          withheld: int,
          decidedOn: isoDate,
          decidedByName: z.string().nullable(),
          createdByName: z.string().nullable(),
        }),
      ),
    }),
    permission: 'foi.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /** The legal grounds table (stored, or the shipped defaults). */
  'foi.grounds': def({
    input: z.object({}).strict(),
    output: groundsView,
    permission: 'foi.read',
    errors: ['forbidden'],
    personal: false,
    writes: false,
  }),
  /**
   * Stores the grounds table; `version` is the one read (`conflict`). Refused by rule: two grounds with one
   * code (`foi_ground_twice`), a last day before the first (`end_before_start`), removing a ground a review
   * uses (`foi_ground_in_use`: end it instead).
   */
  'foi.groundsUpdate': def({
    input: z.object({ grounds: z.array(foiGround).min(1).max(200), version: z.string() }).strict(),
    output: groundsView,
    permission: 'foi.write',
    errors: ['validation', 'forbidden', 'conflict', 'rule_violation'],
    personal: false,
    writes: true,
  }),
  /** The accounts a request can be assigned to: those holding `foi.write` for the whole municipality, in name order. */
  'foi.officers': def({
    input: z.object({}).strict(),
    output: z.object({ items: z.array(z.object({ id: uuid, name: z.string() })) }),
    permission: 'foi.read',
    errors: ['forbidden'],
    personal: false,
    writes: false,
  }),
  /** The deadline rules and the office's calendar in force (stored, or the law's defaults). */
  'foi.rules': def({
    input: z.object({}).strict(),
    output: rulesView,
    permission: 'foi.read',
    errors: ['forbidden'],
    personal: false,
    writes: false,
  }),
  /** Stores the deadline rules and the calendar; `version` is the one read (a concurrent change: `conflict`). */
  'foi.rulesUpdate': def({
    input: z.object({ rules: foiDeadlineRules, calendar: foiCalendar, version: z.string() }).strict(),
    output: rulesView,
    permission: 'foi.write',
    errors: ['validation', 'forbidden', 'conflict'],
    personal: false,
    writes: true,
  }),
} as const satisfies Record<string, MethodDef>;
