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
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import { nativeFileDialogs, uploadFile } from '../lib/files';
import { formatDateTime, formatNumber } from '../lib/format';
import { useT } from '../lib/i18n';
import { lastSavedMapping } from '../lib/csvmapping';
import { defaultFormat, fileAccept, formatBytes, importStartInput, initialMapping, newImportErrors, PICKABLE_FORMATS, RUNS_PAGE_SIZE, totalOf, uploadKindOf } from '../lib/imports';
import { generalMsg, msgText, serverErrors, type Msg, type MsgFields } from '../lib/office';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { rememberStartedHere } from './ImportRun';
import { RunStateTag } from './imports/common';
import { Dash, ErrorBox, hasKey, Pager, rowArrowKeys } from './office/common';

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

function RunsTable({ runs }: { runs: MethodOutput<'import.list'>['items'] }) {
  const { t, lang } = useT();
  const n = (x: number) => formatNumber(x, lang);
  return (
    <div className="k-table-scroll">
      <table className="k-table k-table-dense" data-testid="imports-table">
        <thead>
          <tr>
            <th scope="col">{t('imports.col.date')}</th>
            <th scope="col">{t('imports.col.file')}</th>
            <th scope="col">{t('imports.col.format')}</th>
            <th scope="col">{t('imports.col.kind')}</th>
            <th scope="col">{t('imports.col.covers')}</th>
            <th scope="col">{t('imports.col.state')}</th>
            <th scope="col" className="k-count">{t('imports.col.records')}</th>
            <th scope="col" className="k-count">{t('imports.col.changes')}</th>
            <th scope="col" className="k-count">{t('imports.col.problems')}</th>
            <th scope="col">{t('imports.col.by')}</th>
          </tr>
        </thead>
        <tbody onKeyDown={rowArrowKeys}>
          {runs.map((r) => (
            <tr key={r.id} data-testid="imports-row" data-state={r.state} data-run-id={r.id}>
              <td className="k-num">{formatDateTime(r.createdAt, lang)}</td>
              <td className="k-nowrap">
                <Link to={{ name: 'importRun', id: r.id }} testId="imports-open">
                  {r.fileName}
                </Link>
              </td>
              <td>{t(`imports.formatShort.${r.format}`)}</td>
              <td>{r.kind ? t(`imports.fileKind.${r.kind}`) : <Dash />}</td>
              <td className="k-nowrap">{r.covers ?? <Dash />}</td>
              <td>
                <RunStateTag run={r} />
              </td>
              <td className="k-count">{n(r.records)}</td>
              {/* The demo's baseline and other runs applied without a dry run carry no counts: a dash, not a zero. */}
              <td className="k-count">{Object.keys(r.counts).length === 0 && r.state === 'applied' ? <Dash /> : n(totalOf(r.counts))}</td>
              <td className="k-count">{n(r.problems)}</td>
              <td>{r.createdBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Busy = null | 'upload' | 'start';

/**
 * The new-import form. On the browser host the file is picked in the page first and sent on "Read the
 * file"; in Electron the button opens the native dialog (main streams the file; the page never sees a path).
 */
function NewImport() {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const desktop = nativeFileDialogs();
  const [format, setFormat] = useState<ImportFormat>(() => defaultFormat(session.country));
  const [kind, setKind] = useState<'' | 'full' | 'delta'>('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [errors, setErrors] = useState<Msg[]>([]);
  const [fieldErrors, setFieldErrors] = useState<MsgFields>({});
  const fileInput = useRef<HTMLInputElement>(null);
  // The saved CSV mappings: read once the clerk chooses CSV (and again when they come back to the screen).
  const mappingsQ = useQuery('csvMapping.list', format === 'csv' ? {} : null);
  const mappingNames = useMemo(() => mappingsQ.data?.items.map((m) => m.name) ?? [], [mappingsQ.data]);
  const [mapping, setMapping] = useState('');
  const [mappingTouched, setMappingTouched] = useState(false);
  // Until the clerk picks one: the mapping just saved, or the only one there is.
  const chosenMapping = mappingTouched ? mapping : initialMapping(mappingNames, lastSavedMapping.get());

  const start = async () => {
    if (busy) return;
    setErrors([]);
    const missing = newImportErrors({ format, hasFile: file !== null, desktop, mapping: chosenMapping, mappings: mappingNames });
    setFieldErrors(missing);
    if (Object.keys(missing).length) {
      // Where the clerk fixes it: the mapping first (it comes first on the form), else the file button.
      document.querySelector<HTMLElement>(missing.mapping ? '#import-mapping' : '[data-testid="import-file-button"]')?.focus();
      if (missing.file) setErrors([missing.file]);
      return;
    }
    setBusy('upload');
    setSent(file ? { sent: 0, total: file.size } : null);
    const up = await uploadFile(uploadKindOf(format), file, (s, total) => setSent({ sent: s, total }));
    if (!up.ok) {
      setBusy(null);
      setSent(null);
      setErrors([up.error.code === 'busy' ? { key: 'error.busy' } : generalMsg(up.error, hasKey)]);
      return;
    }
    // The desktop dialog was closed without a file: nothing to do.
    if (!up.file) {
      setBusy(null);
      setSent(null);
      return;
    }
    setSent({ sent: up.file.size, total: up.file.size });
    setBusy('start');
    const r = await api.tryCall('import.start', importStartInput(up.file.fileId, format, kind || null, chosenMapping || null));
    if (!r.ok) {
      setBusy(null);
      if (r.error.code === 'busy') return setErrors([{ key: 'error.busy' }]);
      // A mapping deleted meanwhile (in another window) is named on the mapping's own field.
      const mapped = serverErrors(r.error, (p) => (p === 'mapping' && format === 'csv' ? 'mapping' : null), hasKey);
      setFieldErrors(mapped.fields);
      setErrors(mapped.other);
      if (mapped.fields.mapping) {
        mappingsQ.reload();
        document.getElementById('import-mapping')?.focus();
      }
      return;
    }
    rememberStartedHere(r.data.runId);
    navigate({ name: 'importRun', id: r.data.runId });
  };

  const percent = sent && sent.total > 0 ? Math.min(100, Math.round((sent.sent / sent.total) * 100)) : 0;
  return (
    <section className="k-section" id="import-new" aria-labelledby="import-new-title" data-testid="import-new">
      <h2 className="k-section-title" id="import-new-title" style={{ marginTop: 0 }}>
        {t('imports.new.title')}
      </h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <Stack gap="md">
          <Group align="flex-start" gap="xl" wrap="wrap">
            <Radio.Group
              label={t('imports.new.format')}
              value={format}
              onChange={(v) => {
                setFormat(v as ImportFormat);
                setFieldErrors({});
              }}
              data-testid="import-format"
            >
              <Stack gap={6} mt={6}>
                {PICKABLE_FORMATS.map((f) => (
                  <Radio key={f} value={f} label={t(`imports.format.${f}`)} disabled={busy !== null} data-testid={`import-format-${f}`} />
                ))}
              </Stack>
            </Radio.Group>
            {format === 'navet' && (
              <NativeSelect
                id="import-kind"
                label={t('imports.new.kind')}
                description={t('imports.new.kindHint')}
                value={kind}
                onChange={(e) => setKind(e.currentTarget.value as '' | 'full' | 'delta')}
                data={[
                  { value: '', label: t('imports.new.kindAuto') },
                  { value: 'full', label: t('imports.fileKind.full') },
                  { value: 'delta', label: t('imports.fileKind.delta') },
                ]}
                disabled={busy !== null}
                w={300}
                inputWrapperOrder={['label', 'input', 'description']}
                data-testid="import-kind"
              />
            )}
            {format === 'csv' && (
              <Stack gap={6} w={280} data-testid="import-mapping-group">
                <NativeSelect
                  id="import-mapping"
                  label={t('imports.new.mapping')}
                  description={mappingsQ.data && mappingNames.length === 0 ? t('imports.new.noMappings') : t('imports.new.mappingHint')}
                  value={chosenMapping}
                  onChange={(e) => {
                    setMapping(e.currentTarget.value);
                    setMappingTouched(true);
                    setFieldErrors((cur) => without(cur, 'mapping'));
                  }}
                  data={[{ value: '', label: t('imports.new.mappingChoose') }, ...mappingNames.map((n) => ({ value: n, label: n }))]}
                  disabled={busy !== null}
                  required
                  error={fieldErrors.mapping ? msgText(fieldErrors.mapping, t) : undefined}
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
                  <Button variant="default" onClick={() => fileInput.current?.click()} disabled={busy !== null} aria-describedby="import-file-status import-file-hint" data-testid="import-file-button">
                    {t('imports.new.choose')}
                  </Button>
                  <Text size="sm" id="import-file-status" data-testid="import-file-chosen" c={file ? undefined : 'dimmed'}>
                    {file ? t('imports.new.chosen', { name: file.name, size: formatBytes(file.size, lang) }) : t('imports.new.noFileChosen')}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed" mt={4} id="import-file-hint">
                  {format === 'csv' ? t('imports.new.fileHintCsv') : t('imports.new.fileHint')}
                </Text>
                <input
                  ref={fileInput}
                  type="file"
                  accept={fileAccept(uploadKindOf(format))}
                  style={{ display: 'none' }}
                  tabIndex={-1}
                  onChange={(e) => {
                    setFile(e.currentTarget.files?.[0] ?? null);
                    setErrors([]);
                    setFieldErrors((cur) => without(cur, 'file'));
                  }}
                  data-testid="import-file"
                />
              </div>
            )}
          </Group>
          <ErrorBox messages={errors} testId="import-new-errors" />
          <Group gap="sm">
            <Button type="submit" loading={busy !== null} data-testid="import-start">
              {desktop ? t('imports.new.chooseDesktop') : t('imports.new.start')}
            </Button>
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
      </form>
    </section>
  );
}

const without = (e: MsgFields, key: string): MsgFields => Object.fromEntries(Object.entries(e).filter(([k]) => k !== key));
