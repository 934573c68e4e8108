/**
 * The documents block's pure parts: the form's checks (a file the core can take by name and size, a title,
 * a kind, a date not after today, a confidential mark with its ground, a retention class), the calls it
 * makes (no ground for an open document), where the core's refusals land (a file's problem at the file with
 * the core's details, a future date at the date, a joined workstation's `unavailable` in plain words), the
 * saved file's name, and that every message it names exists in every language.
 */
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../../shared/api/transport';
import { DOCUMENT_CLASSIFICATIONS, DOCUMENT_KINDS, RETENTION_CLASSES } from '../../../../shared/domain/documents';
import { catalogs, LANGUAGES } from '../../../../shared/i18n';
import {
  classificationText,
  DOCUMENT_RULES,
  documentValuesOf,
  fileProblem,
  isGuarded,
  mapDocumentError,
  newDocumentValues,
  openedFileName,
  openErrorKey,
  titleFromFileName,
  toAddInput,
  toUpdateInput,
  validateDocument,
  type DocumentValues,
  type DocumentView,
} from './logic';

const TODAY = '2026-11-23';
const PERSON = '00000000-0000-4000-8000-000000000001';
const FILE = '00000000-0000-4000-8000-000000000002';
const ADD = ['file', 'title', 'kind', 'documentDate', 'classification', 'classificationGround', 'retentionClass'];
const EDIT = ADD.filter((f) => f !== 'file');

const v = (patch: Partial<DocumentValues> = {}): DocumentValues => ({
  file: { name: 'Beslut.pdf', size: 1234 },
  title: 'Beslut om plats',
  kind: 'decision',
  documentDate: '2026-11-20',
  classification: 'open',
  classificationGround: '',
  retentionClass: 'permanent',
  ...patch,
});

const doc: DocumentView = {
  id: '00000000-0000-4000-8000-000000000003',
  version: 2,
  personId: PERSON,
  title: 'Intyg',
  kind: 'certificate',
  documentDate: '2026-10-01',
  classification: 'confidential',
  classificationGround: 'OSL 23:2',
  retentionClass: 'years_3',
  fileName: 'intyg.jpeg',
  mime: 'image/jpeg',
  size: 5000,
  pages: 1,
  createdAt: '2026-10-02T08:00:00Z',
  createdByName: 'Kari',
};

const rule = (r: string, field?: string, details?: Record<string, string | number>): ApiError => ({ code: 'rule_violation', message: r, rule: r, ...(field ? { field } : {}), ...(details ? { details } : {}) });

describe('the document form', () => {
  it('starts today, open, with nothing chosen; an existing document starts from its description', () => {
    expect(newDocumentValues(TODAY)).toEqual({ file: null, title: '', kind: '', documentDate: TODAY, classification: 'open', classificationGround: '', retentionClass: '' });
    expect(documentValuesOf(doc)).toEqual({ file: null, title: 'Intyg', kind: 'certificate', documentDate: '2026-10-01', classification: 'confidential', classificationGround: 'OSL 23:2', retentionClass: 'years_3' });
    expect(documentValuesOf({ ...doc, classification: 'open', classificationGround: null }).classificationGround).toBe('');
  });

  it('takes a PDF or an image of at most 25 MB by its name and size; the content is the core\'s to judge', () => {
    expect(fileProblem(null)).toEqual({ key: 'documents.file.required' });
    for (const name of ['a.pdf', 'B.PDF', 'scan.png', 'foto.jpg', 'foto.JPEG']) expect(fileProblem({ name, size: 10 }), name).toBeNull();
    for (const name of ['a.txt', 'pdf', 'a.pdf.exe', '.pdf', 'a.docx']) expect(fileProblem({ name, size: 10 }), name).toEqual({ key: 'documents.file.type' });
    expect(fileProblem({ name: 'a.pdf', size: 0 })).toEqual({ key: 'documents.file.empty' });
    expect(fileProblem({ name: 'a.pdf', size: 25 * 1024 ** 2 })).toBeNull();
    expect(fileProblem({ name: 'a.pdf', size: 25 * 1024 ** 2 + 1 })).toEqual({ key: 'documents.file.tooLarge', vars: { max: '25 MB' } });
  });

  it('asks for a file (when attaching), a title, a kind, a date not after today, a ground when confidential, a retention class', () => {
    expect(validateDocument(v(), TODAY, true)).toEqual({});
    expect(validateDocument(v({ file: null }), TODAY, true)).toEqual({ file: { key: 'documents.file.required' } });
    // Editing changes the description only: no file.
    expect(validateDocument(v({ file: null }), TODAY, false)).toEqual({});
    expect(validateDocument(v({ title: '  ', kind: '', retentionClass: '' }), TODAY, true)).toEqual({
      title: { key: 'validation.required' },
      kind: { key: 'validation.required' },
      retentionClass: { key: 'validation.required' },
    });
    expect(validateDocument(v({ title: 'x'.repeat(201) }), TODAY, true)).toEqual({ title: { key: 'validation.too_long' } });
    expect(validateDocument(v({ documentDate: '' }), TODAY, true)).toEqual({ documentDate: { key: 'validation.required' } });
    expect(validateDocument(v({ documentDate: '2026-02-30' }), TODAY, true)).toEqual({ documentDate: { key: 'validation.date_invalid' } });
    expect(validateDocument(v({ documentDate: TODAY }), TODAY, true)).toEqual({});
    expect(validateDocument(v({ documentDate: '2026-11-24' }), TODAY, true)).toEqual({ documentDate: { key: 'documents.rule.document_date' } });
    expect(validateDocument(v({ classification: 'confidential', classificationGround: ' ' }), TODAY, true)).toEqual({ classificationGround: { key: 'documents.field.groundRequired' } });
    expect(validateDocument(v({ classification: 'confidential', classificationGround: 'x'.repeat(101) }), TODAY, true)).toEqual({ classificationGround: { key: 'validation.too_long' } });
    expect(validateDocument(v({ classification: 'confidential', classificationGround: 'OSL 23:2' }), TODAY, true)).toEqual({});
    // A ground typed and then left by going back to "open" is no error (it is not sent).
    expect(validateDocument(v({ classification: 'open', classificationGround: 'x'.repeat(101) }), TODAY, true)).toEqual({});
  });

  it('sends a ground only for a confidential document, trimmed', () => {
    expect(toAddInput(PERSON, FILE, v({ title: '  Beslut  ', classificationGround: 'OSL 23:2' }))).toEqual({
      personId: PERSON,
      fileId: FILE,
      title: 'Beslut',
      kind: 'decision',
      documentDate: '2026-11-20',
      classification: 'open',
      classificationGround: null,
      retentionClass: 'permanent',
    });
    expect(toUpdateInput(doc, v({ classification: 'confidential', classificationGround: ' offl. § 13 jf. fvl. § 13 ' }))).toEqual({
      id: doc.id,
      version: 2,
      title: 'Beslut om plats',
      kind: 'decision',
      documentDate: '2026-11-20',
      classification: 'confidential',
      classificationGround: 'offl. § 13 jf. fvl. § 13',
      retentionClass: 'permanent',
    });
  });
});

describe('the core\'s refusals', () => {
  it('puts a file\'s problem at the file, with the core\'s details for the message', () => {
    expect(mapDocumentError(rule('document_type', 'fileId'), ADD)).toEqual({ fields: { file: { key: 'documents.rule.document_type' } }, top: [] });
    expect(mapDocumentError(rule('document_pages', 'fileId', { pages: 301, max: 300 }), ADD)).toEqual({ fields: { file: { key: 'documents.rule.document_pages', vars: { pages: 301, max: 300 } } }, top: [] });
    expect(mapDocumentError(rule('document_pixels', 'fileId', { width: 13000, height: 9000, max: 12000 }), ADD).fields.file).toEqual({
      key: 'documents.rule.document_pixels',
      vars: { width: 13000, height: 9000, max: 12000 },
    });
    expect(mapDocumentError(rule('document_encrypted'), ADD)).toEqual({ fields: { file: { key: 'documents.rule.document_encrypted' } }, top: [] });
  });

  it('puts a future date at the date, on both dialogs', () => {
    expect(mapDocumentError(rule('document_date', 'documentDate'), ADD)).toEqual({ fields: { documentDate: { key: 'documents.rule.document_date' } }, top: [] });
    expect(mapDocumentError(rule('document_date'), EDIT)).toEqual({ fields: { documentDate: { key: 'documents.rule.document_date' } }, top: [] });
  });

  it('says a joined workstation cannot attach yet; a file over the upload limit at the file; the rest as every form does', () => {
    expect(mapDocumentError({ code: 'unavailable', message: 'x' }, ADD)).toEqual({ fields: {}, top: [{ key: 'documents.unavailable.add' }] });
    expect(mapDocumentError({ code: 'validation', message: 'x', field: 'file', issues: [{ field: 'file', code: 'too_large', message: '26214400' }] }, ADD)).toEqual({
      fields: { file: { key: 'documents.file.tooLarge', vars: { max: '25 MB' } } },
      top: [],
    });
    expect(mapDocumentError({ code: 'validation', message: 'x', issues: [{ field: 'title', code: 'too_long', message: 'x' }] }, ADD)).toEqual({ fields: { title: { key: 'validation.too_long' } }, top: [] });
    expect(mapDocumentError({ code: 'conflict', message: 'x', field: 'version' }, EDIT)).toEqual({ fields: {}, top: [{ key: 'care.error.conflict' }] });
    // A rule this build does not know is no document rule: the general rule message.
    expect(mapDocumentError(rule('something_else', 'fileId'), ADD).fields.file?.key).toBe('care.error.rule');
  });

  it('says why a document does not open', () => {
    expect(openErrorKey({ code: 'unavailable', message: 'x' })).toBe('documents.unavailable.open');
    expect(openErrorKey({ code: 'forbidden', message: 'x' })).toBe('error.forbidden');
    expect(openErrorKey({ code: 'not_found', message: 'x' })).toBe('error.not_found');
    expect(openErrorKey({ code: 'busy', message: 'x' })).toBe('error.busy');
  });
});

describe('a document in the list and as a file', () => {
  const t = (k: string, vars?: Record<string, string | number>) => `${k}${vars ? JSON.stringify(vars) : ''}`;

  it('names a confidential mark with its ground', () => {
    expect(classificationText(doc, t)).toBe('documents.classification.withGround{"ground":"OSL 23:2"}');
    expect(classificationText({ classification: 'confidential', classificationGround: null }, t)).toBe('documents.classification.confidential');
    expect(classificationText({ classification: 'open', classificationGround: null }, t)).toBe('documents.classification.open');
  });

  it('saves under the file\'s own name with the extension its type has', () => {
    expect(openedFileName({ fileName: 'Beslut.pdf', title: 'Beslut', mime: 'application/pdf' })).toBe('Beslut.pdf');
    expect(openedFileName(doc)).toBe('intyg.jpeg');
    expect(openedFileName({ fileName: 'scan', title: 'Skannat brev', mime: 'image/png' })).toBe('scan.png');
    expect(openedFileName({ fileName: 'a<b>:c.pdf', title: 'x', mime: 'application/pdf' })).toBe('abc.pdf');
    expect(openedFileName({ fileName: 'x.pdf', title: 'x', mime: 'application/pdf' }, 'from-core.pdf')).toBe('from-core.pdf');
  });

  it('starts a title from the file\'s name', () => {
    expect(titleFromFileName('Beslut_om_plats 2026.pdf')).toBe('Beslut om plats 2026');
    expect(titleFromFileName('C:\\skannat\\brev.jpeg')).toBe('brev');
    expect(titleFromFileName('.pdf')).toBe('.pdf');
    expect(titleFromFileName(`${'a'.repeat(250)}.pdf`)).toHaveLength(200);
  });

  it('guards a protected person\'s documents and those of a person who shares a protected home', () => {
    expect(isGuarded({ protection: 'none', shielded: false })).toBe(false);
    expect(isGuarded({ protection: 'se_skyddad_folkbokforing', shielded: true })).toBe(true);
    expect(isGuarded({ protection: 'none', shielded: true })).toBe(true);
  });
});

describe('messages', () => {
  it('has every kind, mark, retention class, rule and message of the block in sv, nb and en', () => {
    const keys = [
      ...DOCUMENT_KINDS.map((k) => `documents.kind.${k}`),
      ...DOCUMENT_CLASSIFICATIONS.map((c) => `documents.classification.${c}`),
      ...RETENTION_CLASSES.map((r) => `documents.retention.${r}`),
      ...DOCUMENT_RULES.map((r) => `documents.rule.${r}`),
      ...Object.keys(catalogs.sv).filter((k) => k.startsWith('documents.')),
    ];
    for (const l of LANGUAGES) for (const k of keys) expect((catalogs[l] as Record<string, string>)[k]?.trim(), `${l} ${k}`).toBeTruthy();
  });

  it('uses the records terms: sekretessmarkerad and gallras/bevaras in Swedish, unntatt offentlighet and kasseres/oppbevares in Norwegian', () => {
    expect(catalogs.sv['documents.classification.confidential']).toBe('Sekretessmarkerad');
    expect(catalogs.sv['documents.retention.permanent']).toBe('Bevaras');
    expect(catalogs.sv['documents.retention.years_3']).toBe('Gallras efter 3 år');
    expect(catalogs.nb['documents.classification.confidential']).toBe('Unntatt offentlighet');
    expect(catalogs.nb['documents.field.ground']).toBe('Hjemmel');
    expect(catalogs.nb['documents.retention.years_5']).toBe('Kasseres etter 5 år');
    expect(catalogs.nb['documents.retention.permanent']).toBe('Oppbevares varig');
  });
});
