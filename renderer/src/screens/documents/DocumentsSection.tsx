/**
 * "Documents" on a person's card (issue 13): the documents held about the person (a scanned decision, a
 * letter, a certificate), latest first, with their date, title, kind, confidentiality mark and ground,
 * retention class, pages and size. The rows are one Tab stop (↑/↓), Enter opens the document: document.open,
 * then the same download path the list exports take; a protected or shielded person's document asks for the
 * reason first (logged as a reveal). To a user who may not see a protected person's documents the block says
 * so instead of listing them, as the card does for the person's address.
 *
 * For register.write: "Attach document" (Alt+D, or the button) opens a dialog with the file (the upload the
 * Imports screen uses, kind `document`), title, kind, date (today), the confidentiality mark with its ground,
 * and the retention class; per row Edit (the description only; the content never changes) and Remove (asked
 * first, the focus on Cancel). The core's refusals land where they belong (a file that is not a PDF or image
 * at the file); a workstation joined to a server says plainly that documents cannot be attached or opened there yet.
 */
import { Alert, Button, Group, Input, NativeSelect, Progress, Radio, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DOCUMENT_CLASSIFICATIONS, DOCUMENT_KINDS, DOCUMENT_LIMITS, RETENTION_CLASSES } from '../../../../shared/domain/documents';
import { Empty, ErrorState, Loading, Section } from '../../components/common';
import { DateField } from '../../components/DateField';
import { IconPlus } from '../../components/icons';
import { checkReason, reasonTooLong, reasonTooShort, RevealReasonField } from '../../components/RevealDialog';
import { DataTable, FormDialog, mapApiError, useForm, type Column } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import { useAuth } from '../../lib/authContext';
import type { PersonCard } from '../../lib/domain';
import { fileAccept, formatBytes } from '../../lib/imports';
import { nativeFileDialogs, saveExport, uploadFile } from '../../lib/files';
import { formatDate, formatNumber, fullName } from '../../lib/format';
import { useT, type TKey, type TVars } from '../../lib/i18n';
import { ALT, modPressed } from '../../lib/platform';
import { useSession } from '../../lib/session';
import { KeyHint, ToneTag } from '../care/Badges';
import {
  classificationText,
  documentValuesOf,
  isGuarded,
  mapDocumentError,
  MAX_FILE_TEXT,
  newDocumentValues,
  openedFileName,
  openErrorKey,
  titleFromFileName,
  toAddInput,
  toUpdateInput,
  validateDocument,
  type DocumentValues,
  type DocumentView,
  type PickedFile,
} from './logic';

type Open = { kind: 'add' } | { kind: 'edit'; doc: DocumentView } | { kind: 'remove'; doc: DocumentView } | { kind: 'reason'; doc: DocumentView };

const ATTACH_ID = 'documents-attach';

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

interface Props {
  person: PersonCard;
  /** The card changed (a sync brought another workstation's change): ask again. */
  revision: number;
  /** A document was attached, changed or removed: the card's history follows. */
  onChanged: () => void;
}

/** On every card for those who may read the register (document.list asks register.read). */
export function DocumentsSection(props: Props) {
  const session = useSession();
  if (!session.can('register.read')) return null;
  return <Documents {...props} />;
}

function Documents({ person, revision, onChanged }: Props) {
  const { t } = useT();
  const api = useApi();
  const auth = useAuth();
  const session = useSession();
  const q = useQuery('document.list', { personId: person.id });
  const reload = q.reload;
  const seen = useRef(revision);
  useEffect(() => {
    if (seen.current === revision) return;
    seen.current = revision;
    reload();
  }, [revision, reload]);

  const data = q.data;
  const guarded = isGuarded(person);
  const canWrite = session.can('register.write') && data !== null && !data.withheld;
  const [open, setOpen] = useState<Open | null>(null);
  const [announce, setAnnounce] = useState('');
  const [openError, setOpenError] = useState<TKey | null>(null);
  const [opening, setOpening] = useState<string | null>(null);

  const attach = useCallback(() => {
    setOpenError(null);
    setOpen({ kind: 'add' });
  }, []);
  // Alt+D: "Attach document" on the card (D for document in all three languages).
  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyD' || e.defaultPrevented) return;
      if (auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      e.preventDefault();
      attach();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canWrite, auth.status, attach]);

  const done = (msg: TKey) => {
    setOpen(null);
    setAnnounce(t(msg));
    reload();
    onChanged();
  };

  /** The file is ready: save it the way exports are saved (a download here, the save dialog on the desktop). */
  const deliver = useCallback(
    async (doc: DocumentView, file: { fileId: string; name: string }): Promise<TKey | null> => {
      const name = openedFileName(doc, file.name);
      const saved = await saveExport({ fileId: file.fileId, name });
      if (!saved.ok) return openErrorKey(saved.error);
      setAnnounce(saved.saved ? t('documents.opened', { file: name }) : '');
      return null;
    },
    [t],
  );

  const openDoc = useCallback(
    async (doc: DocumentView) => {
      setOpenError(null);
      if (guarded) {
        setOpen({ kind: 'reason', doc });
        return;
      }
      if (opening) return;
      setOpening(doc.id);
      setAnnounce(t('documents.opening'));
      const r = await api.tryCall('document.open', { id: doc.id });
      const problem = r.ok ? await deliver(doc, r.data.file) : openErrorKey(r.error);
      setOpening(null);
      if (problem) {
        setAnnounce('');
        setOpenError(problem);
      }
    },
    [api, guarded, opening, deliver, t],
  );

  const onOpenRow = useCallback((d: DocumentView) => void openDoc(d), [openDoc]);
  const onEdit = useCallback((doc: DocumentView) => setOpen({ kind: 'edit', doc }), []);
  const onRemove = useCallback((doc: DocumentView) => setOpen({ kind: 'remove', doc }), []);
  const columns = useDocumentColumns({ canWrite, opening, onOpen: onOpenRow, onEdit, onRemove });

  return (
    <Section
      title={t('documents.title')}
      id="sec-documents"
      testId="documents-section"
      actions={
        canWrite && (
          <Tooltip label={`${ALT}+D`} withArrow>
            <Button
              id={ATTACH_ID}
              size="compact-sm"
              variant="default"
              leftSection={<IconPlus size={14} />}
              rightSection={<KeyHint keys={[ALT, 'D']} />}
              onClick={attach}
              aria-keyshortcuts="Alt+D"
              // The name without the key hint (the hint is for the eye; aria-keyshortcuts says it).
              aria-label={t('documents.attach')}
              data-testid="documents-attach"
            >
              {t('documents.attach')}
            </Button>
          </Tooltip>
        )
      }
    >
      <div role="status" className="k-search-label" data-testid="documents-status">
        {announce}
      </div>
      {openError && (
        <Alert color="red" variant="light" mb="sm" withCloseButton onClose={() => setOpenError(null)} closeButtonLabel={t('common.close')} data-testid="documents-error" role="alert">
          {t(openError)}
        </Alert>
      )}
      {q.error ? (
        <ErrorState error={q.error} onRetry={q.reload} />
      ) : !data ? (
        <div style={{ minHeight: 40 }}>
          <Loading />
        </div>
      ) : data.withheld ? (
        <Empty>
          <span data-testid="documents-withheld">{t('documents.withheld')}</span>
        </Empty>
      ) : (
        <Stack gap={6} aria-busy={q.loading || opening !== null}>
          {guarded && data.items.length > 0 && (
            <Text size="sm" c="dimmed" data-testid="documents-guarded-note">
              {t('documents.guardedNote')}
            </Text>
          )}
          {data.items.length === 0 ? (
            <Empty>{t('documents.none')}</Empty>
          ) : (
            <>
              <DataTable<DocumentView>
                id="card-documents"
                caption={t('documents.caption')}
                columns={columns}
                rows={data.items}
                rowKey={(d) => d.id}
                onOpen={onOpenRow}
                rowTestId="document-row"
                rowProps={(d) => ({ 'data-document-id': d.id, 'data-classification': d.classification, 'data-kind': d.kind })}
                testId="documents-table"
                exportable={false}
                dense
              />
              <Text size="xs" c="dimmed" className="k-no-print">
                {t('documents.keyboardHint')}
              </Text>
            </>
          )}
        </Stack>
      )}
      {open?.kind === 'add' && <DocumentDialog mode="add" personId={person.id} onClose={() => setOpen(null)} onSaved={() => done('documents.saved.add')} onStale={reload} />}
      {open?.kind === 'edit' && <DocumentDialog mode="edit" personId={person.id} doc={open.doc} onClose={() => setOpen(null)} onSaved={() => done('documents.saved.edit')} onStale={reload} />}
      {open?.kind === 'remove' && <RemoveDialog doc={open.doc} onClose={() => setOpen(null)} onSaved={() => done('documents.saved.remove')} onStale={reload} />}
      {open?.kind === 'reason' && (
        <ReasonDialog
          doc={open.doc}
          name={fullName(person)}
          onClose={() => setOpen(null)}
          onOpened={() => setOpen(null)}
          deliver={deliver}
        />
      )}
    </Section>
  );
}

function useDocumentColumns(p: { canWrite: boolean; opening: string | null; onOpen: (d: DocumentView) => void; onEdit: (d: DocumentView) => void; onRemove: (d: DocumentView) => void }): Column<DocumentView>[] {
  const { t, lang } = useT();
  const { canWrite, opening, onOpen, onEdit, onRemove } = p;
  return useMemo<Column<DocumentView>[]>(
    () => [
      { id: 'date', header: t('documents.col.date'), kind: 'date', cell: (d) => <span className="k-num">{formatDate(d.documentDate, lang)}</span>, text: (d) => d.documentDate },
      {
        id: 'title',
        header: t('documents.col.title'),
        cell: (d) => (
          <span style={{ fontWeight: 'normal' }}>
            <span data-testid="document-title">{d.title}</span>
            <span className="k-sub" style={{ display: 'block', overflowWrap: 'anywhere' }}>
              {d.fileName}
            </span>
          </span>
        ),
        text: (d) => d.title,
      },
      { id: 'kind', header: t('documents.col.kind'), cell: (d) => t(`documents.kind.${d.kind}`), text: (d) => t(`documents.kind.${d.kind}`) },
      {
        id: 'classification',
        header: t('documents.col.classification'),
        cell: (d) =>
          d.classification === 'confidential' ? (
            <span data-testid="document-classification">
              <ToneTag tone="warn">{t('documents.classification.confidential')}</ToneTag>
              {d.classificationGround && (
                <span className="k-sub" style={{ display: 'block' }} data-testid="document-ground">
                  {d.classificationGround}
                </span>
              )}
            </span>
          ) : (
            <span data-testid="document-classification">{t('documents.classification.open')}</span>
          ),
        text: (d) => classificationText(d, t),
      },
      { id: 'retention', header: t('documents.col.retention'), cell: (d) => t(`documents.retention.${d.retentionClass}`), text: (d) => t(`documents.retention.${d.retentionClass}`) },
      { id: 'pages', header: t('documents.col.pages'), kind: 'number', cell: (d) => <span data-testid="document-pages">{formatNumber(d.pages, lang)}</span>, text: (d) => d.pages },
      { id: 'size', header: t('documents.col.size'), kind: 'number', cell: (d) => <span className="k-nowrap">{formatBytes(d.size, lang)}</span>, text: (d) => d.size },
      {
        id: 'actions',
        header: t('care.actions'),
        sortable: false,
        noExport: true,
        cell: (d) => (
          <Group gap={4} wrap="nowrap">
            <Button size="compact-sm" variant="default" onClick={() => onOpen(d)} loading={opening === d.id} aria-label={t('documents.openOf', { title: d.title })} data-testid="document-open">
              {t('documents.open')}
            </Button>
            {canWrite && (
              <>
                <Button size="compact-sm" variant="default" onClick={() => onEdit(d)} aria-label={t('documents.editOf', { title: d.title })} data-testid="document-edit">
                  {t('documents.edit')}
                </Button>
                <Button size="compact-sm" variant="default" onClick={() => onRemove(d)} aria-label={t('documents.removeOf', { title: d.title })} data-testid="document-remove">
                  {t('documents.remove')}
                </Button>
              </>
            )}
          </Group>
        ),
      },
    ],
    [t, lang, canWrite, opening, onOpen, onEdit, onRemove],
  );
}

const FIELDS = ['file', 'title', 'kind', 'documentDate', 'classification', 'classificationGround', 'retentionClass'] as const;

function DocumentDialog(props: { mode: 'add' | 'edit'; personId: string; doc?: DocumentView; onClose: () => void; onSaved: () => void; onStale: () => void }) {
  const { mode, personId, doc, onClose, onSaved, onStale } = props;
  const { t, lang } = useT();
  const api = useApi();
  const { today } = useSession();
  const adding = mode === 'add';
  const desktop = nativeFileDialogs();
  const fields: readonly string[] = adding ? FIELDS : FIELDS.filter((f) => f !== 'file');
  const initial = useMemo(() => (doc ? documentValuesOf(doc) : newDocumentValues(today)), [doc, today]);
  const f = useForm<DocumentValues>(initial, {
    validate: (v) => validateDocument(v, today, adding),
    mapError: (e) => mapDocumentError(e, fields),
  });
  const { v } = f;
  const fileInput = useRef<HTMLInputElement>(null);
  // A file sent once is not sent again when the clerk only corrects the description after a refusal.
  const sentFile = useRef<{ file: File; fileId: string } | null>(null);
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);

  const pick = (file: PickedFile) => f.setMany({ file, ...(v.title.trim() ? {} : { title: titleFromFileName(file.name) }) });
  const chooseDesktop = async () => {
    const up = await uploadFile('document', null);
    if (!up.ok) {
      const mapped = mapDocumentError(up.error, fields);
      f.setServerErrors(mapped.fields, mapped.top);
      return;
    }
    if (up.file) pick({ name: up.file.name, size: up.file.size, fileId: up.file.fileId });
  };

  const save = async () => {
    const r = await f.submit(
      async () => {
        if (!adding) return api.tryCall('document.update', toUpdateInput(doc!, v));
        const picked = v.file!;
        let fileId = picked.fileId ?? (picked.file && sentFile.current?.file === picked.file ? sentFile.current.fileId : undefined);
        if (!fileId) {
          setSent({ sent: 0, total: picked.size });
          const up = await uploadFile('document', picked.file ?? null, (s, total) => setSent({ sent: s, total }));
          setSent(null);
          if (!up.ok) return up;
          if (!up.file) return { ok: false as const, error: { code: 'validation' as const, message: 'No file', field: 'file', issues: [{ field: 'file', code: 'required', message: 'No file' }] } };
          fileId = up.file.fileId;
          if (picked.file) sentFile.current = { file: picked.file, fileId };
        }
        return api.tryCall('document.add', toAddInput(personId, fileId, v));
      },
      {
        onError: (e) => {
          // Someone changed or removed it meanwhile: the list shows what is there now; the form says so at the top.
          if (!adding && (e.code === 'conflict' || e.code === 'not_found')) onStale();
          return false;
        },
      },
    );
    setSent(null);
    if (r) onSaved();
  };

  const fileError = f.err('file');
  const percent = sent && sent.total > 0 ? Math.min(100, Math.round((sent.sent / sent.total) * 100)) : 0;
  const groundOn = v.classification === 'confidential';
  return (
    <FormDialog
      form={f}
      title={t(adding ? 'documents.dialog.addTitle' : 'documents.dialog.editTitle')}
      testId="document-dialog"
      onSubmit={() => void save()}
      onClose={onClose}
      submitLabel={t(adding ? 'documents.dialog.addSubmit' : 'documents.dialog.editSubmit')}
      submitTestId="document-submit"
      returnFocusId={ATTACH_ID}
      size="42rem"
    >
      <Stack gap="sm">
        {adding ? (
          <div role="group" aria-labelledby="document-file-label">
            <Input.Label labelElement="div" id="document-file-label" required mb={4}>
              {t('documents.field.file')}
            </Input.Label>
            {/* The page's own button opens the chooser (a native file field would speak the browser's language). */}
            <Group gap="sm" wrap="nowrap">
              <Button
                variant="default"
                name="file"
                onClick={() => (desktop ? void chooseDesktop() : fileInput.current?.click())}
                disabled={f.saving}
                aria-invalid={fileError ? true : undefined}
                aria-describedby={`document-file-status document-file-hint${fileError ? ' document-file-error' : ''}`}
                data-autofocus
                data-testid="document-file-button"
              >
                {t('documents.file.choose')}
              </Button>
              <Text size="sm" id="document-file-status" data-testid="document-file-chosen" c={v.file ? undefined : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
                {v.file ? t('documents.file.chosen', { name: v.file.name, size: formatBytes(v.file.size, lang) }) : t('documents.file.none')}
              </Text>
            </Group>
            <Text size="xs" c="dimmed" mt={4} id="document-file-hint">
              {t('documents.file.hint', { max: MAX_FILE_TEXT })}
            </Text>
            {fileError && (
              <Text size="sm" c="#a61b1b" mt={4} id="document-file-error" data-testid="document-file-error">
                {fileError}
              </Text>
            )}
            {!desktop && (
              <input
                ref={fileInput}
                type="file"
                accept={fileAccept('document')}
                style={{ display: 'none' }}
                tabIndex={-1}
                aria-hidden="true"
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  if (file) pick({ name: file.name, size: file.size, file });
                  e.currentTarget.value = '';
                }}
                data-testid="document-file"
              />
            )}
            {sent && f.saving && (
              <Stack gap={2} mt={6} data-testid="document-upload">
                <Text size="xs" c="dimmed" className="k-num" id="document-upload-label" aria-live="polite">
                  {t('documents.upload.progress', { sent: formatBytes(sent.sent, lang), total: formatBytes(sent.total, lang) })}
                </Text>
                <Progress.Root size="sm" aria-labelledby="document-upload-label">
                  <Progress.Section value={percent} aria-labelledby="document-upload-label" />
                </Progress.Root>
              </Stack>
            )}
          </div>
        ) : (
          <Text size="sm" data-testid="document-edit-file" style={{ overflowWrap: 'anywhere' }}>
            {t('documents.dialog.editFile', { name: doc!.fileName, size: formatBytes(doc!.size, lang), pages: doc!.pages })}
          </Text>
        )}
        <TextInput
          label={t('documents.field.title')}
          description={t('documents.field.titleHint')}
          value={v.title}
          onChange={(e) => f.set('title', e.currentTarget.value)}
          required
          maxLength={DOCUMENT_LIMITS.title + 20}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          {...f.field('title')}
          data-autofocus={adding ? undefined : true}
          data-testid="document-title-input"
        />
        <div className="k-form-grid">
          <NativeSelect
            label={t('documents.field.kind')}
            value={v.kind}
            onChange={(e) => f.set('kind', e.currentTarget.value as DocumentValues['kind'])}
            data={[{ value: '', label: t('documents.field.kindChoose'), disabled: true }, ...DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`documents.kind.${k}`) }))]}
            required
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('kind')}
            data-testid="document-kind"
          />
          <DateField label={t('documents.field.date')} value={v.documentDate} onChange={(x) => f.set('documentDate', x)} required {...f.field('documentDate')} testId="document-date" />
        </div>
        <Radio.Group
          label={t('documents.field.classification')}
          description={t('documents.field.classificationHint')}
          value={v.classification}
          onChange={(x) => f.set('classification', x as DocumentValues['classification'])}
          name="classification"
          required
          inputWrapperOrder={['label', 'description', 'input', 'error']}
          error={f.err('classification')}
          data-testid="document-classification"
        >
          <Group gap="lg" mt={6}>
            {DOCUMENT_CLASSIFICATIONS.map((c) => (
              <Radio key={c} value={c} label={t(c === 'open' ? 'documents.field.classificationOpen' : 'documents.field.classificationConfidential')} data-testid={`document-classification-${c}`} />
            ))}
          </Group>
        </Radio.Group>
        <div className="k-form-grid">
          <TextInput
            label={t('documents.field.ground')}
            description={t('documents.field.groundHint')}
            value={groundOn ? v.classificationGround : ''}
            onChange={(e) => f.set('classificationGround', e.currentTarget.value)}
            disabled={!groundOn}
            required={groundOn}
            maxLength={DOCUMENT_LIMITS.ground + 20}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('classificationGround')}
            data-testid="document-ground-input"
          />
          <NativeSelect
            label={t('documents.field.retention')}
            description={t('documents.field.retentionHint')}
            value={v.retentionClass}
            onChange={(e) => f.set('retentionClass', e.currentTarget.value as DocumentValues['retentionClass'])}
            data={[{ value: '', label: t('documents.field.retentionChoose'), disabled: true }, ...RETENTION_CLASSES.map((r) => ({ value: r, label: t(`documents.retention.${r}`) }))]}
            required
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('retentionClass')}
            data-testid="document-retention"
          />
        </div>
      </Stack>
    </FormDialog>
  );
}

function RemoveDialog({ doc, onClose, onSaved, onStale }: { doc: DocumentView; onClose: () => void; onSaved: () => void; onStale: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => mapDocumentError(e, []) });
  const submit = async () => {
    const r = await f.submit(() => api.tryCall('document.remove', { id: doc.id, version: doc.version }), {
      onError: (e) => {
        if (e.code === 'conflict' || e.code === 'not_found') onStale();
        return false;
      },
    });
    if (r) onSaved();
  };
  return (
    <FormDialog
      form={f}
      title={t('documents.remove.title')}
      testId="document-remove-dialog"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('documents.remove.submit')}
      submitTestId="document-remove-submit"
      returnFocusId={ATTACH_ID}
      danger
      // Removing is not undone from the card: the focus starts on Cancel.
      focusCancel
      centered
    >
      <Text mb="sm">{t('documents.remove.text', { title: doc.title, date: formatDate(doc.documentDate, lang) })}</Text>
    </FormDialog>
  );
}


/**
 * The reason for opening a protected person's document, as the card's reveal dialog asks it (the same
 * checks and words for the reason); document.open logs it as a reveal. The file then downloads.
 */
function ReasonDialog({ doc, name, onClose, onOpened, deliver }: { doc: DocumentView; name: string; onClose: () => void; onOpened: () => void; deliver: (doc: DocumentView, file: { fileId: string; name: string }) => Promise<TKey | null> }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm(
    { reason: '' },
    {
      validate: (v) => checkReason(v.reason),
      mapError: (e) =>
        e.code === 'validation' || e.code === 'rule_violation'
          ? mapApiError(e, (p) => p === 'reason', { issue: (i) => (i.field === 'reason' ? (i.code === 'too_long' ? reasonTooLong : reasonTooShort) : undefined) })
          : { fields: {}, top: [{ key: openErrorKey(e) }] },
    },
  );
  const submit = async () => {
    const r = await f.submit(() => api.tryCall('document.open', { id: doc.id, reason: f.v.reason.trim() }));
    if (!r) return;
    const problem = await deliver(doc, r.file);
    if (problem) f.setServerErrors({}, [{ key: problem }]);
    else onOpened();
  };
  const vars: TVars = { title: doc.title, name };
  return (
    <FormDialog form={f} title={t('documents.reason.title')} testId="document-reason-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('documents.reason.submit')} submitTestId="document-reason-submit" returnFocusId="sec-documents-title">
      <Stack gap="sm" mb="md">
        <Text size="sm">{t('documents.reason.text', vars)}</Text>
        <RevealReasonField form={f} onSubmit={() => void submit()} testId="document-reason" />
      </Stack>
    </FormDialog>
  );
}

