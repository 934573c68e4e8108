/**
 * The logic of the imports screens (population-register imports, their review and apply, the work list,
 * the annual intake), free of React so it is tested directly (imports.test.ts): contract inputs, what a run
 * allows, the core's display values turned into the UI language, selection, and error mapping.
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { ApiError } from '../../../shared/api/transport';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../shared/domain/access';
import { CHANGE_KINDS, type ChangeKind, type ImportFormat, type WorkKind, type WorkState } from '../../../shared/domain/imports';
import { UPLOAD_KINDS, type UploadKind } from '../../../shared/domain/files';
import { PERSON_STATUSES, PROTECTION_LEVELS } from '../../../shared/domain/register';
import { formatIdentityNumber } from '../../../shared/identity';
import type { Lang } from '../../../shared/i18n';
import { sameName } from './csvmapping';
import type { Country } from './domain';
import { countryName, formatDate, formatNumber, isValidIsoDate } from './format';
import type { TFn, TKey } from './i18n';
import { comingSchoolYearStart, serverErrors, type Msg, type MsgFields } from './office';
import type { FieldError, FieldErrors, MappedError } from '../kit/errors';

export type ImportRun = MethodOutput<'import.get'>;
export type ImportChange = MethodOutput<'import.changes'>['items'][number];
export type ImportProblem = MethodOutput<'import.problems'>['items'][number];
export type WorkItem = MethodOutput<'worklist.list'>['items'][number];
export type WorkList = MethodOutput<'worklist.list'>;
export type IntakePreview = MethodOutput<'intake.preview'>;
export type IntakeRow = IntakePreview['items'][number];

export const RUNS_PAGE_SIZE = 25;
export const CHANGES_PAGE_SIZE = 100;
export const PROBLEMS_PAGE_SIZE = 100;
export const WORKLIST_PAGE_SIZE = 50;
export const INTAKE_PAGE_SIZE = 100;
/** The contract's bounds of a work-list note (worklist.dismiss requires at least this many characters). */
export const NOTE_MIN = 10;
export const NOTE_MAX = 500;

// ---------------------------------------------------------------------------------------------
// Access
// ---------------------------------------------------------------------------------------------

/**
 * Whether a permission is held for the whole municipality. The core opens imports, the work list and the
 * intake only then (a unit clerk's register.import opens nothing), so the UI offers them only then too.
 */
export function wideGrant(roles: readonly { role: Role; unitId: string | null }[], permission: Permission): boolean {
  return roles.some((g) => g.unitId === null && (ROLE_PERMISSIONS[g.role] as readonly Permission[]).includes(permission));
}

// ---------------------------------------------------------------------------------------------
// The kit's messages
// ---------------------------------------------------------------------------------------------

/** A message of these screens as the form kit shows it (the same type now: kept for the screens' calls). */
export const toFieldError = (m: Msg): FieldError => m;

export const toFieldErrors = (fields: MsgFields): FieldErrors => Object.fromEntries(Object.entries(fields).map(([k, m]) => [k, toFieldError(m)]));

/** `{ fields, other }` (the screens' own mapping of the core's answer) as the kit's MappedError. */
export const toMapped = (m: { fields: MsgFields; other: Msg[] }): MappedError => ({ fields: toFieldErrors(m.fields), top: m.other.map(toFieldError) });

// ---------------------------------------------------------------------------------------------
// Starting an import
// ---------------------------------------------------------------------------------------------

/**
 * The formats a clerk can pick on the screen: the two population registers, and a legacy system's CSV (which
 * also needs a saved column mapping: csvMapping.*, `mapping` in import.start).
 */
export const PICKABLE_FORMATS: readonly ImportFormat[] = ['navet', 'freg', 'csv'];

/** The municipality's own register first: Navet in Sweden, Folkeregisteret in Norway. */
export const defaultFormat = (country: Country): ImportFormat => (country === 'NO' ? 'freg' : 'navet');

/** Each format is uploaded as its own kind (size limit, the file types the desktop dialog offers). */
export const uploadKindOf = (format: ImportFormat): UploadKind => format;

/** What the page's file chooser offers for a kind: its extensions (shared/domain/files.ts) and their media types. */
export function fileAccept(kind: UploadKind): string {
  const mimes: Record<string, readonly string[]> = { xml: ['application/xml', 'text/xml'], csv: ['text/csv'], txt: ['text/plain'] };
  return UPLOAD_KINDS[kind].extensions.flatMap((e) => [`.${e}`, ...(mimes[e] ?? [])]).join(',');
}

/**
 * `kind` only where the clerk had to say it: a Navet file without Aviseringsinformation states neither.
 * `mapping` only for a CSV, which cannot be read without one.
 */
export function importStartInput(fileId: string, format: ImportFormat, kind: 'full' | 'delta' | null, mapping: string | null = null): MethodInput<'import.start'> {
  const input: MethodInput<'import.start'> = { fileId, format };
  if (kind && format === 'navet') input.kind = kind;
  if (format === 'csv' && mapping) input.mapping = mapping;
  return input;
}

/**
 * What the new-import form lacks before anything is sent: a file (on the browser host; the desktop dialog
 * asks for it) and, for a CSV, a saved mapping that still exists.
 */
export function newImportErrors(v: { format: ImportFormat; hasFile: boolean; desktop: boolean; mapping: string; mappings: readonly string[] }): MsgFields {
  const e: MsgFields = {};
  if (v.format === 'csv' && !v.mappings.includes(v.mapping)) e.mapping = { key: 'imports.new.noMapping' };
  if (!v.desktop && !v.hasFile) e.file = { key: 'imports.new.noFile' };
  return e;
}

/**
 * The mapping the CSV choice starts with: the one just saved (the clerk came back from making it), else the
 * only one there is; with several and none just saved, the clerk chooses.
 */
export function initialMapping(names: readonly string[], justSaved: string | null): string {
  const hit = justSaved ? names.find((n) => sameName(n, justSaved)) : undefined;
  if (hit) return hit;
  return names.length === 1 ? names[0]! : '';
}

/** "41 kB", "136,2 MB": file sizes for people (decimal units, as file managers show them). */
export function formatBytes(n: number, lang: Lang): string {
  const units = ['B', 'kB', 'MB', 'GB'] as const;
  let v = Math.max(0, n);
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return `${formatNumber(v, lang, { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[u]}`;
}

// ---------------------------------------------------------------------------------------------
// A run and its review
// ---------------------------------------------------------------------------------------------

export const totalOf = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** The kinds a run has rows of, in the order the review lists them. */
export function kindsIn(counts: Readonly<Record<string, number>>): ChangeKind[] {
  return CHANGE_KINDS.filter((k) => (counts[k] ?? 0) > 0);
}

export const isChangeKind = (v: unknown): v is ChangeKind => typeof v === 'string' && (CHANGE_KINDS as readonly string[]).includes(v);

/** What the review shows: every row, one kind's rows, or the file's problems. */
export type ReviewTab = 'all' | ChangeKind | 'problems';

export function changesInput(id: string, tab: ReviewTab, offset: number, limit = CHANGES_PAGE_SIZE): MethodInput<'import.changes'> {
  const input: MethodInput<'import.changes'> = { id, offset, limit };
  if (isChangeKind(tab)) input.kind = tab;
  return input;
}

/** A dry run can be applied when it was read to the end and follows the last applied file. */
export const canApply = (run: Pick<ImportRun, 'state' | 'blocked'>): boolean => run.state === 'ready' && run.blocked === null;
export const canDiscard = (run: Pick<ImportRun, 'state'>): boolean => run.state === 'ready' || run.state === 'failed';
/** The dry run's rows are kept until it is applied or discarded (the register's change log keeps the rest). */
export const hasDryRun = (run: Pick<ImportRun, 'state'>): boolean => run.state === 'ready' || run.state === 'failed';
/** The run waits for a job: its page follows that job, then reads the run again. */
export const runJobId = (run: Pick<ImportRun, 'state' | 'readJobId' | 'applyJobId'>): string | null =>
  run.state === 'reading' ? run.readJobId : run.state === 'applying' ? run.applyJobId : null;

/**
 * Why a run cannot be applied, in the clerk's language. The codes are the core's (checkFileOrder, the read
 * job, a cancelled or failed read); an unknown code shows the core's own message rather than nothing.
 */
const BLOCKED: Record<string, TKey> = {
  already_applied: 'imports.blocked.already_applied',
  older_than_applied: 'imports.blocked.older_than_applied',
  gap: 'imports.blocked.gap',
  no_baseline: 'imports.blocked.no_baseline',
  different_basis: 'imports.blocked.different_basis',
  different_stream: 'imports.blocked.different_stream',
  no_ordering: 'imports.blocked.no_ordering',
  file_unreadable: 'imports.blocked.file_unreadable',
  cancelled: 'imports.blocked.cancelled',
  internal: 'imports.blocked.internal',
};

export function blockedMsg(b: { code: string; message: string }): Msg {
  const key = BLOCKED[b.code];
  if (key) return { key };
  return { key: 'imports.message.text', vars: { text: b.message || b.code } };
}

const isProtection = (v: string): boolean => (PROTECTION_LEVELS as readonly string[]).includes(v);
const isStatus = (v: string): boolean => (PERSON_STATUSES as readonly string[]).includes(v);
const DETAIL_FIELDS: Record<string, TKey> = { birthDate: 'field.birthDate', sex: 'field.sex', nationality: 'field.nationality' };

/**
 * One side of a dry-run row as text in the UI language. The core hands over display text, but some of it is
 * a code (a protection level, a status, a municipality code, a field name): those are translated here. Null
 * where there is nothing (a new person has no "before"). Masked values are the caller's to show.
 */
export function changeValueText(c: Pick<ImportChange, 'kind' | 'before' | 'after'>, side: 'before' | 'after', t: TFn, lang: Lang): string | null {
  const v = side === 'before' ? c.before : c.after;
  switch (c.kind) {
    case 'protection_added':
    case 'protection_removed':
      return v !== null && isProtection(v) ? t(`protection.${v}` as TKey) : v;
    case 'deceased':
    case 'emigrated': {
      if (v === null) return null;
      if (side === 'before') return isStatus(v) ? t(`status.${v}` as TKey) : v;
      // "2026-11-19 NO": the day it happened and, for an emigration, where to.
      const m = /^(\d{4}-\d{2}-\d{2})?\s*([A-Z]{2})?$/.exec(v.trim());
      if (!m || (!m[1] && !m[2])) return v === c.kind ? t(`status.${c.kind}`) : v;
      const status = t(`status.${c.kind}`);
      const parts = [m[1] ? t('imports.value.statusOn', { status, date: formatDate(m[1], lang) }) : status];
      if (m[2]) parts.push(countryName(m[2], lang));
      return parts.join(', ');
    }
    case 'moved_out':
      if (v === null) return side === 'after' ? t('imports.value.notInFile') : null;
      return /^\d{4}$/.test(v) ? t('imports.value.municipality', { code: v }) : v;
    case 'custody': {
      if (v === null) return null;
      const m = /^([+−-])\s+(.+)$/.exec(v);
      if (!m) return v;
      return t(m[1] === '+' ? 'imports.value.custodyAdded' : 'imports.value.custodyEnded', { name: m[2]! });
    }
    case 'details':
      if (v === null) return null;
      return v
        .split(/;\s*/)
        .map((part) => {
          const m = /^(\w+):\s*(.*)$/.exec(part);
          if (!m) return part;
          const label = DETAIL_FIELDS[m[1]!];
          const raw = m[2] === 'null' ? '' : m[2]!;
          const value = m[1] === 'birthDate' ? formatDate(raw, lang) : m[1] === 'sex' && (raw === 'F' || raw === 'M') ? t(`sex.${raw}`) : m[1] === 'nationality' && /^[A-Z]{2}$/.test(raw) ? countryName(raw, lang) : raw;
          return `${label ? t(label) : m[1]}: ${value || '–'}`;
        })
        .join('; ');
    default:
      return v;
  }
}

/** A problem's subject is the record's number as the file has it (canonical digits): shown as on every screen. */
export function problemSubjectText(subject: string | null, today: string): string | null {
  if (!subject) return null;
  if (!/^\d{11,12}$/.test(subject)) return subject;
  try {
    return formatIdentityNumber(subject, { today });
  } catch {
    return subject;
  }
}

/**
 * Where in the record a problem is: an XML file's element as the file spells it (`<Fodelsedatum>`), a CSV's
 * column heading as the file has it (no angle brackets: the clerk finds it in the spreadsheet's first row).
 */
export function problemElementText(element: string, format: ImportFormat): string | null {
  if (!element) return null;
  return format === 'csv' ? element : `<${element}>`;
}

/** The core's summary of an apply job (`import.apply`), as numbers. */
export function applySummary(result: Record<string, unknown> | null): { changes: number; persons: number; workItems: number } {
  const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  return { changes: n(result?.changes), persons: n(result?.persons), workItems: n(result?.workItems) };
}

// ---------------------------------------------------------------------------------------------
// The work list
// ---------------------------------------------------------------------------------------------

export function worklistInput(state: WorkState, kind: WorkKind | undefined, offset: number, limit = WORKLIST_PAGE_SIZE): MethodInput<'worklist.list'> {
  const input: MethodInput<'worklist.list'> = { state, offset, limit };
  if (kind) input.kind = kind;
  return input;
}

/** Moving away, emigrating and dying end the child's places; custody and protection are confirmed as reviewed. */
export const endsPlaces = (k: WorkKind): boolean => k === 'moved_out' || k === 'emigrated' || k === 'deceased';

/** The end date all the items share (the register's date of the event), or null when they differ. */
export function commonProposedEnd(items: readonly Pick<WorkItem, 'kind' | 'proposedEnd'>[]): string | null {
  const ends = new Set(items.filter((i) => endsPlaces(i.kind)).map((i) => i.proposedEnd));
  if (ends.size !== 1) return null;
  const [only] = [...ends];
  return only ?? null;
}

export interface ConfirmValues {
  endDate: string;
  note: string;
}

export const confirmDefaults = (items: readonly Pick<WorkItem, 'kind' | 'proposedEnd'>[]): ConfirmValues => ({ endDate: commonProposedEnd(items) ?? '', note: '' });

/** The end date is required when a place ends (one date for the whole selection, so the clerk must decide it). */
export function validateConfirm(v: ConfirmValues, items: readonly Pick<WorkItem, 'kind'>[]): MsgFields {
  const e: MsgFields = {};
  if (items.some((i) => endsPlaces(i.kind))) {
    if (!v.endDate.trim()) e.endDate = { key: 'validation.required' };
    else if (!isValidIsoDate(v.endDate)) e.endDate = { key: 'validation.date_invalid' };
  }
  if (v.note.trim().length > NOTE_MAX) e.note = { key: 'validation.too_long_max', vars: { max: NOTE_MAX } };
  return e;
}

export function toConfirmInput(v: ConfirmValues, items: readonly Pick<WorkItem, 'id' | 'version' | 'kind'>[]): MethodInput<'worklist.confirm'> {
  const input: MethodInput<'worklist.confirm'> = { items: items.map((i) => ({ id: i.id, version: i.version })) };
  if (items.some((i) => endsPlaces(i.kind)) && v.endDate) input.endDate = v.endDate;
  const note = v.note.trim();
  if (note) input.note = note;
  return input;
}

export function validateDismiss(note: string): MsgFields {
  const n = note.trim().length;
  if (n < NOTE_MIN) return { note: { key: 'worklist.dismiss.tooShort', vars: { min: NOTE_MIN } } };
  if (n > NOTE_MAX) return { note: { key: 'validation.too_long_max', vars: { max: NOTE_MAX } } };
  return {};
}

export const toDismissInput = (note: string, items: readonly Pick<WorkItem, 'id' | 'version'>[]): MethodInput<'worklist.dismiss'> => ({
  items: items.map((i) => ({ id: i.id, version: i.version })),
  note: note.trim(),
});

/** The core's answer to a confirm or dismiss: a conflict reloads the list; the rest lands on the dialog's fields or its box. */
export function worklistErrors(e: ApiError, hasKey: (k: string) => boolean): { conflict: boolean; fields: MsgFields; other: Msg[] } {
  if (e.code === 'conflict' || (e.code === 'not_found' && e.field?.startsWith('items.'))) return { conflict: true, fields: {}, other: [] };
  const mapped = serverErrors(e, (p) => (p === 'endDate' || p === 'note' ? p : null), hasKey);
  return { conflict: false, ...mapped };
}

/**
 * The item's detail (core text or a code) in the UI language: which municipality, which country, what
 * changed in custody, which protection.
 */
export function workDetailText(item: Pick<WorkItem, 'kind' | 'detail'>, t: TFn, lang: Lang): string | null {
  const d = item.detail;
  if (d === null || d === '') return null;
  if (item.kind === 'custody' && (d === 'added' || d === 'ended')) return t(`worklist.detail.custody.${d}`);
  if (item.kind === 'protection_added' && isProtection(d)) return t(`protection.${d}` as TKey);
  if (item.kind === 'emigrated' && /^[A-Z]{2}$/.test(d)) return countryName(d, lang);
  if (item.kind === 'moved_out' && /^\d{4}$/.test(d)) return t('imports.value.municipality', { code: d });
  return d;
}

/**
 * The work list writes a code into an enrolment's free-text end reason (core/imports/worklist.ts END_REASON):
 * the card shows it as words. Any other reason is a clerk's own text and is shown as written.
 */
const WORK_END_REASONS: Record<string, TKey> = {
  moved_out: 'worklist.kind.moved_out',
  emigrated: 'worklist.kind.emigrated',
  deceased: 'worklist.kind.deceased',
  custody: 'worklist.kind.custody',
  protection: 'worklist.kind.protection_added',
};
export function endReasonText(reason: string, t: TFn): string {
  const key = WORK_END_REASONS[reason];
  return key ? t(key) : reason;
}

// ---------------------------------------------------------------------------------------------
// Row selection (work list, intake)
// ---------------------------------------------------------------------------------------------

export function toggleId(selected: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** Ctrl+A and the header box: select the whole page, or clear it when it is all selected already. */
export function togglePage(selected: ReadonlySet<string>, pageIds: readonly string[]): Set<string> {
  const next = new Set(selected);
  const all = pageIds.length > 0 && pageIds.every((id) => next.has(id));
  for (const id of pageIds) {
    if (all) next.delete(id);
    else next.add(id);
  }
  return next;
}

// ---------------------------------------------------------------------------------------------
// The intake
// ---------------------------------------------------------------------------------------------

/** The school year that starts next autumn (on 1 August itself, the one starting that day). */
export const defaultSchoolYear = (today: string): number => Number(comingSchoolYearStart(today).slice(0, 4));

/** Last year's (late enrolments), the coming one and the one after. */
export function schoolYearOptions(today: string): number[] {
  const y = defaultSchoolYear(today);
  return [y - 1, y, y + 1];
}

export function intakeInput(year: number, unitId: string | undefined, offset: number, limit = INTAKE_PAGE_SIZE): MethodInput<'intake.preview'> {
  const input: MethodInput<'intake.preview'> = { schoolYear: year, offset, limit };
  if (unitId) input.unitId = unitId;
  return input;
}

/**
 * The rows to create: each chosen child at the chosen unit, or, with no unit chosen, at the unit the core
 * proposes for that child. Children without either are returned as `missing` (the clerk must pick a unit).
 */
export function intakeCreateRows(chosen: readonly IntakeRow[], unitId: string | null): { rows: { personId: string; unitId: string }[]; sent: IntakeRow[]; missing: IntakeRow[] } {
  const rows: { personId: string; unitId: string }[] = [];
  const sent: IntakeRow[] = [];
  const missing: IntakeRow[] = [];
  for (const r of chosen) {
    const u = unitId ?? r.proposedUnitId;
    if (!r.person.id || r.enrolled) continue;
    if (!u) missing.push(r);
    else {
      rows.push({ personId: r.person.id, unitId: u });
      sent.push(r);
    }
  }
  return { rows, sent, missing };
}

/**
 * The core names a refused row by its index (`rows.3.unitId`, and "Row 4: …" in the message): the clerk is
 * told which child it was, with the rule's message in their language where the catalog has it.
 */
export function intakeErrorTexts(e: ApiError, sent: readonly IntakeRow[], t: TFn, hasKey: (k: string) => boolean): string[] {
  const m = e.field ? /^rows\.(\d+)\./.exec(e.field) : null;
  const rowOf = (i: number) => sent[i];
  const inner = (err: ApiError): string => {
    if (err.code === 'rule_violation' && err.rule && hasKey(`rule.${err.rule}`)) return t(`rule.${err.rule}` as TKey);
    // The core's text starts with its own "Row n: "; the row is named here already.
    const text = (err.message || err.code).replace(/^Row \d+:\s*/, '');
    return err.code === 'forbidden' ? t('error.forbidden') : text;
  };
  if (m) {
    const i = Number(m[1]);
    const row = rowOf(i);
    return [t('intake.rowError', { row: i + 1, name: row?.person.name ?? '?', message: inner(e) })];
  }
  if (e.code === 'validation' && e.issues?.length) {
    return e.issues.map((issue) => {
      const im = /^rows\.(\d+)\./.exec(issue.field);
      const row = im ? rowOf(Number(im[1])) : undefined;
      return row ? t('intake.rowError', { row: Number(im![1]) + 1, name: row.person.name, message: issue.message }) : issue.message;
    });
  }
  return [inner(e)];
}
