/**
 * The documents block's pure logic (no JSX): the form's values and checks (a file the core can take, a
 * title, a kind, a date not after today, a confidential mark with its ground, a retention class), the calls
 * it makes, where the core's refusals land (a file's problems at the file, a future date at the date, a
 * joined workstation's `unavailable` said plainly), and how a document reads in the list and as a file name.
 * The vocabulary is shared/domain/documents.ts (zod-free); the contract's types come from shared/api (types only).
 */
import type { MethodInput } from '../../../../shared/api/contract';
import type { DocumentView } from '../../../../shared/api/documents';
import type { ApiError } from '../../../../shared/api/transport';
import { DOCUMENT_LIMITS, type DocumentClassification, type DocumentKind, type RetentionClass } from '../../../../shared/domain/documents';
import { UPLOAD_KINDS } from '../../../../shared/domain/files';
import { mapApiError, type FieldError, type FieldErrors, type MappedError } from '../../kit/errors';
import { downloadName } from '../../lib/download';
import { isValidIsoDate } from '../../lib/format';
import type { TKey, TVars } from '../../lib/i18n';

export type { DocumentView };

/** The rules document.add and document.update may refuse with (shared/api/documents.ts), each with its message. */
export const DOCUMENT_RULES = ['document_type', 'document_encrypted', 'document_damaged', 'document_pages', 'document_pixels', 'document_date'] as const;
export type DocumentRule = (typeof DOCUMENT_RULES)[number];
const isDocumentRule = (r: string | undefined): r is DocumentRule => (DOCUMENT_RULES as readonly string[]).includes(r ?? '');

/** A file chosen for the dialog: picked in the page (browser host), or already sent by the desktop's own dialog. */
export interface PickedFile {
  name: string;
  size: number;
  /** The browser host: the file, sent when the clerk attaches it. */
  file?: File;
  /** Electron: main has streamed it to the core already. */
  fileId?: string;
}

export interface DocumentValues {
  file: PickedFile | null;
  title: string;
  kind: DocumentKind | '';
  documentDate: string;
  classification: DocumentClassification;
  /** Kept while the clerk switches back and forth; sent only for a confidential document. */
  classificationGround: string;
  retentionClass: RetentionClass | '';
}

export const newDocumentValues = (today: string): DocumentValues => ({
  file: null,
  title: '',
  kind: '',
  documentDate: today,
  classification: 'open',
  classificationGround: '',
  retentionClass: '',
});

export const documentValuesOf = (d: DocumentView): DocumentValues => ({
  file: null,
  title: d.title,
  kind: d.kind,
  documentDate: d.documentDate,
  classification: d.classification,
  classificationGround: d.classificationGround ?? '',
  retentionClass: d.retentionClass,
});

/** "25 MB": the upload limit as the file hint and the size message say it. */
export const MAX_FILE_TEXT = `${Math.round(UPLOAD_KINDS.document.maxBytes / 1024 ** 2)} MB`;

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** What is wrong with a file before it is sent (its name and size only: its content is the core's to judge). */
export function fileProblem(file: Pick<PickedFile, 'name' | 'size'> | null): FieldError | null {
  if (!file) return { key: 'documents.file.required' };
  if (!(UPLOAD_KINDS.document.extensions as readonly string[]).includes(extensionOf(file.name))) return { key: 'documents.file.type' };
  if (file.size <= 0) return { key: 'documents.file.empty' };
  if (file.size > UPLOAD_KINDS.document.maxBytes) return { key: 'documents.file.tooLarge', vars: { max: MAX_FILE_TEXT } };
  return null;
}

/**
 * The form's own checks. `withFile`: the add dialog (a file is needed); the edit dialog changes the
 * description only. A date after today is the core's rule too (`document_date`), said here before the call.
 */
export function validateDocument(v: DocumentValues, today: string, withFile: boolean): FieldErrors {
  const e: FieldErrors = {};
  if (withFile) {
    const p = fileProblem(v.file);
    if (p) e.file = p;
  }
  const title = v.title.trim();
  if (!title) e.title = { key: 'validation.required' };
  else if (title.length > DOCUMENT_LIMITS.title) e.title = { key: 'validation.too_long' };
  if (!v.kind) e.kind = { key: 'validation.required' };
  if (!v.documentDate.trim()) e.documentDate = { key: 'validation.required' };
  else if (!isValidIsoDate(v.documentDate)) e.documentDate = { key: 'validation.date_invalid' };
  else if (v.documentDate > today) e.documentDate = { key: 'documents.rule.document_date' };
  if (v.classification === 'confidential') {
    const ground = v.classificationGround.trim();
    // A sekretessmarkering names the provision it relies on (OSL 5:5); a Norwegian exemption its hjemmel.
    if (!ground) e.classificationGround = { key: 'documents.field.groundRequired' };
    else if (ground.length > DOCUMENT_LIMITS.ground) e.classificationGround = { key: 'validation.too_long' };
  }
  if (!v.retentionClass) e.retentionClass = { key: 'validation.required' };
  return e;
}

type Described = Omit<MethodInput<'document.update'>, 'id' | 'version'>;

function described(v: DocumentValues): Described {
  return {
    title: v.title.trim(),
    kind: v.kind as DocumentKind,
    documentDate: v.documentDate,
    classification: v.classification,
    // An open document names no ground (the core refuses one).
    classificationGround: v.classification === 'confidential' ? v.classificationGround.trim() || null : null,
    retentionClass: v.retentionClass as RetentionClass,
  };
}

export const toAddInput = (personId: string, fileId: string, v: DocumentValues): MethodInput<'document.add'> => ({ personId, fileId, ...described(v) });
export const toUpdateInput = (d: Pick<DocumentView, 'id' | 'version'>, v: DocumentValues): MethodInput<'document.update'> => ({ id: d.id, version: d.version, ...described(v) });

/** The core's field paths → the dialog's fields (the upload is the file field; the person is no field). */
function fieldOf(path: string, fields: readonly string[]): string | null {
  const f = path === 'fileId' || path === 'file' ? 'file' : path;
  return fields.includes(f) ? f : null;
}

/**
 * A refusal of the upload, document.add or document.update → where the dialog shows it: a document rule at the
 * field it names (a file's problem at the file, with the core's details: the pages, the pixels), a file over
 * the limit at the file, `unavailable` (a workstation joined to a server) in plain words at the top, the rest
 * as every form maps it.
 */
export function mapDocumentError(e: ApiError, fields: readonly string[]): MappedError {
  const place = (path: string | undefined, msg: FieldError): MappedError => {
    const f = path ? fieldOf(path, fields) : null;
    return f ? { fields: { [f]: msg }, top: [] } : { fields: {}, top: [msg] };
  };
  if (e.code === 'rule_violation' && isDocumentRule(e.rule)) {
    const vars: TVars | undefined = e.details && Object.keys(e.details).length ? { ...e.details } : undefined;
    return place(e.field ?? (e.rule === 'document_date' ? 'documentDate' : 'fileId'), { key: `documents.rule.${e.rule}`, ...(vars ? { vars } : {}) });
  }
  if (e.code === 'unavailable') return { fields: {}, top: [{ key: 'documents.unavailable.add' }] };
  return mapApiError(e, () => false, {
    fieldOf: (p) => fieldOf(p, fields),
    issue: (i) => (i.code === 'too_large' && fieldOf(i.field, fields) === 'file' ? { key: 'documents.file.tooLarge', vars: { max: MAX_FILE_TEXT } } : undefined),
  });
}

/** A refusal of document.open as one message (no form field, or the reason dialog's top). */
export function openErrorKey(e: ApiError): TKey {
  switch (e.code) {
    case 'unavailable':
      return 'documents.unavailable.open';
    case 'forbidden':
      return 'error.forbidden';
    case 'not_found':
      return 'error.not_found';
    default:
      return mapApiError(e, () => false).top[0]?.key ?? 'error.saveFailed';
  }
}

/** The classification as a sentence part: "Sekretessmarkerad (OSL 23:2)", "Offentlig". */
export function classificationText(d: Pick<DocumentView, 'classification' | 'classificationGround'>, t: (k: TKey, v?: TVars) => string): string {
  if (d.classification === 'confidential' && d.classificationGround) return t('documents.classification.withGround', { ground: d.classificationGround });
  return t(`documents.classification.${d.classification}`);
}

const EXT_OF_MIME: Record<DocumentView['mime'], string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

/** The name the opened document is saved under: the file's own name, safe, with the extension its type has. */
export function openedFileName(d: Pick<DocumentView, 'fileName' | 'title' | 'mime'>, coreName?: string | null): string {
  const ext = EXT_OF_MIME[d.mime];
  const base = coreName || d.fileName;
  // "scan.jpeg" stays "scan.jpeg" (downloadName would append ".jpg" to it).
  const fits = ext === 'jpg' ? /\.jpe?g$/i.test(base) : base.toLowerCase().endsWith(`.${ext}`);
  return downloadName(base, d.title, fits ? extensionOf(base) : ext);
}

/** A title to start from when a file is chosen and none was typed: the file's name without its extension. */
export function titleFromFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = (dot > 0 ? base.slice(0, dot) : base).replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return stem.slice(0, DOCUMENT_LIMITS.title);
}

/** A person's documents are guarded (opened with a reason) when the person is protected or shares a protected person's home. */
export const isGuarded = (p: { protection: string; shielded: boolean }): boolean => p.protection !== 'none' || p.shielded;
