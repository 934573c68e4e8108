/**
 * Contract of the imports domain: the population register (Navet, Folkeregisteret) and legacy CSV files
 * as input, a dry run to review, one all-or-nothing apply, the work list of consequences, the annual
 * intake. Reading and applying are jobs; everything else is quick.
 *
 * What a reader sees of a shielded person (protected, or linked to one): name and identity as on every
 * other screen, never an address or contact value (`masked: true`), unless they hold protected.reveal
 * for the whole municipality.
 */
import { z } from 'zod';
import { CHANGE_KINDS, CSV_FIELDS, IMPORT_FORMATS, IMPORT_PAGE_MAX, IMPORT_STATES, WORK_KINDS, WORK_STATES } from '../domain/imports';
import { def } from './def';
import { fileRef } from './files';
import { isoDate, uuid } from './schemas';

const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(IMPORT_PAGE_MAX).default(100) };
const counts = z.record(z.string(), z.number().int());
const personRef = z.object({ id: uuid.nullable(), name: z.string(), identity: z.string().nullable(), protected: z.boolean() });

export const importRun = z.object({
  id: uuid,
  format: z.enum(IMPORT_FORMATS),
  kind: z.enum(['full', 'delta']).nullable(),
  fileName: z.string(),
  state: z.enum(IMPORT_STATES),
  /** Rows of the dry run per change kind (`new_person`, `address`, …). */
  counts,
  records: z.number().int(),
  problems: z.number().int(),
  /** Records skipped for a problem (reported with line and reason). */
  skipped: z.number().int(),
  /** The file's place in the register's sequence, as the file states it (e.g. "2026-11-30 – 2026-12-01", "events 1041–1290"). */
  covers: z.string().nullable(),
  /** Why the run cannot be applied (a file older than the last applied one, an unreadable file …); null when it can. */
  blocked: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
  readJobId: uuid.nullable(),
  applyJobId: uuid.nullable(),
});

export const importChange = z.object({
  seq: z.number().int(),
  kind: z.enum(CHANGE_KINDS),
  person: personRef,
  /** What the register holds now and what the file says, as display text; null where there is nothing. */
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** The values concern a shielded person and are not shown to this reader. */
  masked: z.boolean(),
  /** From when the file says it applies. */
  from: isoDate.nullable(),
  /** The line in the file. */
  line: z.number().int(),
});

export const importProblem = z.object({
  line: z.number().int(),
  column: z.number().int(),
  element: z.string(),
  reason: z.string(),
  code: z.string(),
  severity: z.enum(['record', 'file']),
  subject: z.string().nullable(),
});

export const workItem = z.object({
  id: uuid,
  version: z.number().int(),
  kind: z.enum(WORK_KINDS),
  state: z.enum(WORK_STATES),
  person: personRef,
  /** What happened, per the register (the date of the move, death or emigration; the custody change). */
  eventDate: isoDate.nullable(),
  /**
   * A code the UI words: moved_out → the new municipality's code; emigrated → the country; custody → `added` or
   * `ended`; protection_added → the level. Null when the register said nothing more.
   */
  detail: z.string().nullable(),
  /** The placements and enrolments it affects, each with the end the core proposes. */
  affects: z.array(
    z.object({
      type: z.enum(['placement', 'enrolment']),
      id: uuid,
      unitName: z.string(),
      groupName: z.string().nullable(),
      form: z.string(),
      validFrom: isoDate,
      validTo: isoDate.nullable(),
    }),
  ),
  proposedEnd: isoDate.nullable(),
  importId: uuid.nullable(),
  createdAt: z.string(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  note: z.string().nullable(),
});

export const csvMapping = z.object({
  name: z.string().trim().min(1).max(80),
  /** The file's separator; null: detected from the header line. */
  delimiter: z.enum([',', ';', '\t']).nullable(),
  /**
   * Field → the column heading that holds it; a field left out is not in the file. (A partial record: zod 4's
   * `z.record` over an enum demands every key, which would force a column for all nineteen fields.)
   */
  columns: z.partialRecord(z.enum(CSV_FIELDS), z.string().trim().min(1).max(120)),
  /** Dates as the source system writes them. */
  dateFormat: z.enum(['YYYY-MM-DD', 'YYYYMMDD', 'DD.MM.YYYY', 'DD/MM/YYYY']),
});

export const intakeRow = z.object({
  person: personRef,
  birthDate: isoDate.nullable(),
  /** The register's catchment (SE distrikt, NO skolekrets), when given. */
  district: z.string().nullable(),
  /** Where the child is placed now (preschool), if anywhere. */
  currentUnit: z.string().nullable(),
  /** The unit the core proposes: the child's preschool if it has the form, else a school a sibling attends; or none. */
  proposedUnitId: uuid.nullable(),
  /** Already has an enrolment from the start of that school year. */
  enrolled: z.boolean(),
});

export const importMethods = {
  /** Reads the uploaded file and compares it with the register (a job): nothing in the register changes. */
  'import.start': def({
    input: z
      .object({
        fileId: uuid,
        format: z.enum(IMPORT_FORMATS),
        /** A legacy CSV's saved mapping. */
        mapping: z.string().trim().min(1).max(80).optional(),
        /** Navet files that do not say whether they are full or a delta (a file without Aviseringsinformation). */
        kind: z.enum(['full', 'delta']).optional(),
      })
      .strict(),
    output: z.object({ jobId: uuid, runId: uuid }),
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
    run: 'job',
  }),
  'import.list': def({
    input: z.object({ ...page }).strict(),
    output: z.object({ items: z.array(importRun), total: z.number().int() }),
    permission: 'register.import',
    errors: ['validation', 'forbidden'],
    personal: false,
    writes: false,
  }),
  'import.get': def({
    input: z.object({ id: uuid }).strict(),
    output: importRun,
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: false,
    writes: false,
  }),
  /** The dry run's rows, paged, of one kind or all. */
  'import.changes': def({
    input: z.object({ id: uuid, kind: z.enum(CHANGE_KINDS).optional(), ...page }).strict(),
    output: z.object({ items: z.array(importChange), total: z.number().int() }),
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  'import.problems': def({
    /** `lang`: the language of the reasons (the register's own messages are translated where Kansli knows them). */
    input: z.object({ id: uuid, lang: z.enum(['sv', 'nb', 'en']).default('sv'), ...page }).strict(),
    output: z.object({ items: z.array(importProblem), total: z.number().int() }),
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /** Every problem as CSV (line, column, element, reason), for the sender of the file. */
  'import.problemsExport': def({
    input: z.object({ id: uuid, lang: z.enum(['sv', 'nb', 'en']).default('sv') }).strict(),
    output: z.object({ file: fileRef, rows: z.number().int() }),
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
    run: 'async',
  }),
  /** Applies the dry run in one transaction (a job): all of it or nothing; consequences go to the work list. */
  'import.apply': def({
    input: z.object({ id: uuid }).strict(),
    output: z.object({ jobId: uuid }),
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation', 'busy'],
    personal: true,
    writes: true,
    run: 'job',
  }),
  'import.discard': def({
    input: z.object({ id: uuid }).strict(),
    output: importRun,
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: false,
    writes: true,
  }),

  'worklist.list': def({
    input: z.object({ state: z.enum(WORK_STATES).default('open'), kind: z.enum(WORK_KINDS).optional(), ...page }).strict(),
    /** `hiddenProtected`: items about protected children this reader may not see (handled by someone who may). */
    output: z.object({ items: z.array(workItem), total: z.number().int(), counts, hiddenProtected: z.number().int() }),
    permission: 'worklist.handle',
    errors: ['validation', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * Confirms items: each affected placement and enrolment ends on the given day (or the proposed one),
   * through the same rules as a clerk's own notice. One transaction for all the items given.
   */
  'worklist.confirm': def({
    input: z
      .object({
        items: z.array(z.object({ id: uuid, version: z.number().int().min(1) })).min(1).max(500),
        endDate: isoDate.optional(),
        note: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: z.object({ confirmed: z.number().int(), ended: z.number().int() }),
    permission: 'worklist.handle',
    errors: ['validation', 'not_found', 'conflict', 'forbidden', 'rule_violation'],
    personal: true,
    writes: true,
  }),
  'worklist.dismiss': def({
    input: z
      .object({
        items: z.array(z.object({ id: uuid, version: z.number().int().min(1) })).min(1).max(500),
        note: z.string().trim().min(10, { message: 'reason_too_short' }).max(500),
      })
      .strict(),
    output: z.object({ dismissed: z.number().int() }),
    permission: 'worklist.handle',
    errors: ['validation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),

  /** The cohort that starts förskoleklass (SE) or first grade (NO) in a school year, from the register. */
  'intake.preview': def({
    input: z.object({ schoolYear: z.number().int().min(2000).max(2100), unitId: uuid.optional(), ...page }).strict(),
    output: z.object({ items: z.array(intakeRow), total: z.number().int(), hiddenProtected: z.number().int(), startDate: isoDate, grade: z.number().int(), form: z.string() }),
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /** Turns chosen children of the cohort into pending enrolments (starting on the school year's first day). */
  'intake.create': def({
    input: z
      .object({
        schoolYear: z.number().int().min(2000).max(2100),
        rows: z.array(z.object({ personId: uuid, unitId: uuid, groupId: uuid.optional() })).min(1).max(2000),
      })
      .strict(),
    output: z.object({ created: z.number().int(), skipped: z.number().int() }),
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: true,
    writes: true,
  }),


  // Saved column mappings of legacy CSV files, one per source system.
  'csvMapping.list': def({
    input: z.object({}).strict(),
    output: z.object({ items: z.array(csvMapping) }),
    permission: 'register.import',
    errors: ['forbidden'],
    personal: false,
    writes: false,
  }),
  'csvMapping.save': def({
    input: csvMapping.strict(),
    output: csvMapping,
    permission: 'register.import',
    errors: ['validation', 'forbidden'],
    personal: false,
    writes: true,
  }),
  'csvMapping.delete': def({
    input: z.object({ name: z.string().trim().min(1).max(80) }).strict(),
    output: z.object({ deleted: z.boolean() }),
    permission: 'register.import',
    errors: ['validation', 'forbidden'],
    personal: false,
    writes: true,
  }),
  /** The header line of an uploaded CSV (column headings and the detected separator), for the mapping screen. */
  'csvMapping.headings': def({
    input: z.object({ fileId: uuid }).strict(),
    output: z.object({ headings: z.array(z.string()), delimiter: z.enum([',', ';', '\t']), sample: z.array(z.array(z.string())) }),
    permission: 'register.import',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
    run: 'async',
  }),
} as const;

