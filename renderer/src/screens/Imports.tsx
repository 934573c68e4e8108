/**
 * Population-register imports (folkbokföring): start a new import and see the earlier ones. A new import is
 * a format, a file (an <input type=file> on the browser host, the native dialog in Electron), its upload with
 * a progress bar in bytes, then the read job, which the run's own page follows (ImportRun.tsx): the page
 * has an address, so a reload or another window finds the same run.
 */
import { Button, Group, Input, NativeSelect, Progress, Radio, Stack, Text } from '@mantine/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ImportFormat } from '../../../shared/domain/imports';
import type { MethodOutput } from '../../../shared/api/contract';
import { ErrorState, Link, Loading, PageTitle } from '../components/common';
import { DataTable, FormPage, releaseLeaveGuard, useForm, type Column } from '../kit';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import { nativeFileDialogs, uploadFile } from '../lib/files';
import { formatDateTime, formatNumber } from '../lib/format';
import { useT } from '../lib/i18n';
import { lastSavedMapping } from '../lib/csvmapping';
import { defaultFormat, fileAccept, formatBytes, importStartInput, initialMapping, newImportErrors, PICKABLE_FORMATS, RUNS_PAGE_SIZE, toFieldErrors, toMapped, totalOf, uploadKindOf } from '../lib/imports';
import { serverErrors } from '../lib/office';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { rememberStartedHere } from './ImportRun';
import { RunStateTag, runStateText } from './imports/common';
import { Dash, hasKey, Pager } from './office/common';

export function ImportsScreen() {
  const { t } = useT();
  const [offset, setOffset] = useState(0);
  const q = useQuery('import.list', { offset, limit: RUNS_PAGE_SIZE });
  // The last page stays on screen while the next one loads (no flicker when paging).
  const last = useRef<MethodOutput<'import.list'> | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  const focusNew = useCallback(() => document.querySelector<HTMLElement>('#import-new input[type="radio"]:checked')?.focus(), []);
  useScreenAction(useMemo(() => ({ id: 'newImport' as const, label: 'imports.new.title' as const, run: focusNew, group: 'create' as const }), [focusNew]));
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: q.reload }), [q.reload]));

  return (
    <div className="k-page k-page-wide" data-testid="imports-screen">
      <PageTitle>{t('imports.title')}</PageTitle>
      <p className="k-lead">{t('imports.intro')}</p>
      <NewImport />
      <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="imports-list-title" aria-busy={q.loading}>
        <Group justify="space-between" mb={8} wrap="nowrap">
          <h2 className="k-section-title" id="imports-list-title" style={{ margin: 0 }}>
            {t('imports.list.title')}
          </h2>
          {data && data.total > 0 && <Pager offset={offset} count={data.items.length} total={data.total} pageSize={RUNS_PAGE_SIZE} onOffset={setOffset} testId="imports" />}
        </Group>
        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Loading />
        ) : data.items.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }}>
            {t('imports.list.empty')}
          </p>
        ) : (
          <>
            <RunsTable runs={data.items} />
            <Text size="sm" c="dimmed" mt={6}>
              {t('imports.list.keyboardHint')}
            </Text>
          </>
        )}
      </section>
    </div>
  );
}

type Run = MethodOutput<'import.list'>['items'][number];

function RunsTable({ runs }: { runs: readonly Run[] }) {
  const { t, lang } = useT();
  const n = (x: number) => formatNumber(x, lang);
  // The demo's baseline and other runs applied without a dry run carry no counts: a dash, not a zero.
  const changes = (r: Run) => (Object.keys(r.counts).length === 0 && r.state === 'applied' ? null : totalOf(r.counts));
  const columns = useMemo<Column<Run>[]>(
    () => [
      { id: 'date', header: t('imports.col.date'), kind: 'date', cell: (r) => formatDateTime(r.createdAt, lang), text: (r) => r.createdAt },
      {
        id: 'file',
        header: t('imports.col.file'),
        cell: (r) => (
          <span className="k-nowrap">
            <Link to={{ name: 'importRun', id: r.id }} testId="imports-open">
              {r.fileName}
            </Link>
          </span>
        ),
        text: (r) => r.fileName,
      },
      { id: 'format', header: t('imports.col.format'), cell: (r) => t(`imports.formatShort.${r.format}`), text: (r) => t(`imports.formatShort.${r.format}`) },
      { id: 'kind', header: t('imports.col.kind'), cell: (r) => (r.kind ? t(`imports.fileKind.${r.kind}`) : <Dash />), text: (r) => (r.kind ? t(`imports.fileKind.${r.kind}`) : null), optional: true },
      { id: 'covers', header: t('imports.col.covers'), kind: 'code', cell: (r) => r.covers ?? <Dash />, text: (r) => r.covers },
      { id: 'state', header: t('imports.col.state'), cell: (r) => <RunStateTag run={r} />, text: (r) => runStateText(r, t) },
      { id: 'records', header: t('imports.col.records'), kind: 'number', cell: (r) => n(r.records), text: (r) => r.records },
      { id: 'changes', header: t('imports.col.changes'), kind: 'number', cell: (r) => (changes(r) === null ? <Dash /> : n(changes(r)!)), text: changes },
      { id: 'problems', header: t('imports.col.problems'), kind: 'number', cell: (r) => n(r.problems), text: (r) => r.problems },
      { id: 'by', header: t('imports.col.by'), cell: (r) => r.createdBy, text: (r) => r.createdBy, optional: true },
    ],
    [t, lang],
  );
  return (
    <DataTable
      id="imports"
      caption={t('imports.list.caption')}
      columns={columns}
      rows={runs}
      rowKey={(r) => r.id}
      onOpen={(r) => navigate({ name: 'importRun', id: r.id })}
      testId="imports-table"
      rowTestId="imports-row"
      rowProps={(r) => ({ 'data-state': r.state, 'data-run-id': r.id })}
      dense
    />
  );
}

type NewImportValues = { format: ImportFormat; kind: '' | 'full' | 'delta'; mapping: string | null; file: File | null };

/**
 * The new-import form. On the browser host the file is picked in the page first and sent on "Read the
 * file"; in Electron the button opens the native dialog (main streams the file; the page never sees a path).
 * A chosen file is the form's unsaved work: leaving asks first, Cancel (Esc) clears it.
 */
function NewImport() {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const desktop = nativeFileDialogs();
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const initial = useMemo<NewImportValues>(() => ({ format: defaultFormat(session.country), kind: '', mapping: null, file: null }), [session.country]);
  // The saved CSV mappings: read once the clerk chooses CSV (and again when they come back to the screen).
  const [format, setFormatState] = useState(initial.format);
  const mappingsQ = useQuery('csvMapping.list', format === 'csv' ? {} : null);
  const mappingNames = useMemo(() => mappingsQ.data?.items.map((m) => m.name) ?? [], [mappingsQ.data]);
  // Until the clerk picks one: the mapping just saved, or the only one there is.
  const chosenOf = (v: NewImportValues) => v.mapping ?? initialMapping(mappingNames, lastSavedMapping.get());
  const f = useForm<NewImportValues>(initial, {
    validate: (v) => toFieldErrors(newImportErrors({ format: v.format, hasFile: v.file !== null, desktop, mapping: chosenOf(v), mappings: mappingNames })),
    // A mapping deleted meanwhile (in another window) is named on the mapping's own field; the file's problems on the file.
    mapError: (e) => {
      if (e.code === 'busy') return { fields: {}, top: [{ key: 'error.busy' }] };
      const mapped = toMapped(serverErrors(e, (p) => (p === 'mapping' && format === 'csv' ? 'mapping' : p === 'fileId' ? 'file' : null), hasKey));
      if (mapped.fields.mapping) mappingsQ.reload();
      return mapped;
    },
  });
  const { v } = f;
  const chosenMapping = chosenOf(v);
  const busy = f.saving;

  const start = async () => {
    const input = { format: v.format, kind: v.kind, mapping: chosenMapping, file: v.file };
    const r = await f.submit<{ runId: string } | null>(async () => {
      setSent(input.file ? { sent: 0, total: input.file.size } : null);
      const up = await uploadFile(uploadKindOf(input.format), input.file, (s, total) => setSent({ sent: s, total }));
      if (!up.ok) return up;
      // The desktop dialog was closed without a file: nothing to do.
      if (!up.file) return { ok: true, data: null };
      setSent({ sent: up.file.size, total: up.file.size });
      return api.tryCall('import.start', importStartInput(up.file.fileId, input.format, input.kind || null, input.mapping || null));
    });
    setSent(null);
    if (!r) return;
    rememberStartedHere(r.runId);
    releaseLeaveGuard();
    navigate({ name: 'importRun', id: r.runId });
  };

  const percent = sent && sent.total > 0 ? Math.min(100, Math.round((sent.sent / sent.total) * 100)) : 0;
  const fileError = f.err('file');
  return (
    <section className="k-section" id="import-new" aria-labelledby="import-new-title" data-testid="import-new">
      <h2 className="k-section-title" id="import-new-title" style={{ marginTop: 0 }}>
        {t('imports.new.title')}
      </h2>
      <FormPage
        form={{ ...f, dirty: v.file !== null }}
        label={t('imports.new.title')}
        onSubmit={() => void start()}
        onLeave={() => {
          f.reset(initial);
          setFormatState(initial.format);
          if (fileInput.current) fileInput.current.value = '';
        }}
        actions={{ submitLabel: desktop ? t('imports.new.chooseDesktop') : t('imports.new.start') }}
      >
        <Stack gap="md">
          <Group align="flex-start" gap="xl" wrap="wrap">
            <Radio.Group
              label={t('imports.new.format')}
              name="format"
              value={v.format}
              onChange={(x) => {
                f.set('format', x as ImportFormat);
                setFormatState(x as ImportFormat);
              }}
              data-testid="import-format"
            >
              <Stack gap={6} mt={6}>
                {PICKABLE_FORMATS.map((x) => (
                  <Radio key={x} value={x} label={t(`imports.format.${x}`)} disabled={busy} data-testid={`import-format-${x}`} />
                ))}
              </Stack>
            </Radio.Group>
            {v.format === 'navet' && (
              <NativeSelect
                id="import-kind"
                label={t('imports.new.kind')}
                description={t('imports.new.kindHint')}
                value={v.kind}
                onChange={(e) => f.set('kind', e.currentTarget.value as '' | 'full' | 'delta')}
                data={[
                  { value: '', label: t('imports.new.kindAuto') },
                  { value: 'full', label: t('imports.fileKind.full') },
                  { value: 'delta', label: t('imports.fileKind.delta') },
                ]}
                disabled={busy}
                w={300}
                inputWrapperOrder={['label', 'input', 'description']}
                name="kind"
                data-testid="import-kind"
              />
            )}
            {v.format === 'csv' && (
              <Stack gap={6} w={280} data-testid="import-mapping-group">
                <NativeSelect
                  id="import-mapping"
                  label={t('imports.new.mapping')}
                  description={mappingsQ.data && mappingNames.length === 0 ? t('imports.new.noMappings') : t('imports.new.mappingHint')}
                  value={chosenMapping}
                  onChange={(e) => f.set('mapping', e.currentTarget.value)}
                  data={[{ value: '', label: t('imports.new.mappingChoose') }, ...mappingNames.map((x) => ({ value: x, label: x }))]}
                  disabled={busy}
                  required
                  {...f.field('mapping')}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  data-testid="import-mapping"
                />
                <Group gap="md">
                  {mappingsQ.data && mappingNames.length === 0 ? (
                    <Link to={{ name: 'csvMappingNew' }} testId="import-mapping-new">
                      {t('imports.new.createMapping')}
                    </Link>
                  ) : (
                    <Link to={{ name: 'csvMappings' }} testId="import-mapping-manage">
                      {t('imports.new.manageMappings')}
                    </Link>
                  )}
                </Group>
              </Stack>
            )}
            {!desktop && (
              <div style={{ minWidth: 320, maxWidth: 400 }} role="group" aria-labelledby="import-file-label">
                <Input.Label labelElement="div" id="import-file-label" mb={4}>
                  {t('imports.new.file')}
                </Input.Label>
                {/*
                 * The page's own button opens the browser's file chooser through a hidden <input type=file>: the
                 * native field would label itself in the browser's language ("Choose File"), not the clerk's.
                 */}
                <Group gap="sm" wrap="nowrap">
                  <Button
                    variant="default"
                    onClick={() => fileInput.current?.click()}
                    disabled={busy}
                    aria-invalid={fileError ? true : undefined}
                    aria-describedby={`import-file-status import-file-hint${fileError ? ' import-file-error' : ''}`}
                    data-testid="import-file-button"
                  >
                    {t('imports.new.choose')}
                  </Button>
                  <Text size="sm" id="import-file-status" data-testid="import-file-chosen" c={v.file ? undefined : 'dimmed'}>
                    {v.file ? t('imports.new.chosen', { name: v.file.name, size: formatBytes(v.file.size, lang) }) : t('imports.new.noFileChosen')}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" mt={4} id="import-file-hint">
                  {v.format === 'csv' ? t('imports.new.fileHintCsv') : t('imports.new.fileHint')}
                </Text>
                {fileError && (
                  <Text size="sm" c="#a61b1b" mt={4} id="import-file-error" data-testid="import-file-error">
                    {fileError}
                  </Text>
                )}
                <input
                  ref={fileInput}
                  type="file"
                  accept={fileAccept(uploadKindOf(v.format))}
                  style={{ display: 'none' }}
                  tabIndex={-1}
                  onChange={(e) => f.set('file', e.currentTarget.files?.[0] ?? null)}
                  data-testid="import-file"
                />
              </div>
            )}
          </Group>
          {sent && busy && (
            <Stack gap={4} data-testid="import-upload">
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" fw={600} id="import-upload-label">
                  {t('imports.upload.label')}
                </Text>
                <Text size="sm" c="dimmed" className="k-num" aria-live="polite">
                  {t('imports.upload.progress', { sent: formatBytes(sent.sent, lang), total: formatBytes(sent.total, lang) })}
                </Text>
              </Group>
              <Progress.Root size="lg" aria-labelledby="import-upload-label">
                <Progress.Section value={percent} striped animated aria-labelledby="import-upload-label" />
              </Progress.Root>
            </Stack>
          )}
        </Stack>
      </FormPage>
    </section>
  );
}
