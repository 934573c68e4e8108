/**
 * Saved column mappings of legacy CSV files (one per source system): the list (#/imports/csv-mappings) with
 * delete, and the form (#/new/csv-mapping, #/imports/csv-mappings/<name>). The form reads a sample file the clerk
 * uploads (csvMapping.headings: the header line and the first rows), shows each column's heading with its value
 * on the first row, and the clerk picks the field each column holds (or Ignore), the separator and the date
 * format, and names it. The checks mirror the core's (lib/csvmapping.ts); what the core refuses lands on the
 * same controls. Keyboard rules as in the other forms: Enter in the name field or Ctrl+S saves, Esc cancels
 * (asking first when something changed).
 */
import { Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CsvField } from '../../../shared/domain/imports';
import { ErrorState, Link, Loading, PageTitle } from '../components/common';
import { IconPlus } from '../components/icons';
import { DataTable, FormDialog, FormPage, releaseLeaveGuard, useFieldMessage, useForm, type Column, type FieldErrors } from '../kit';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import {
  applySample,
  CSV_DATE_FORMATS,
  CSV_DELIMITERS,
  dateFormatKey,
  delimiterKey,
  emptyValues,
  FIELD_GROUPS,
  fieldKey,
  findMapping,
  lastSavedMapping,
  mappedFields,
  mappingDirty,
  mappingErrors,
  mappingToValues,
  NAME_MAX,
  requirements,
  rowPath,
  sameName,
  sampleError,
  sampleOf,
  sampleText,
  setRowField,
  validateMapping,
  valuesToMapping,
  type CsvDateFormat,
  type CsvDelimiter,
  type ColumnRow,
  type CsvMapping,
  type MappingValues,
} from '../lib/csvmapping';
import { nativeFileDialogs, uploadFile } from '../lib/files';
import { useT } from '../lib/i18n';
import { fileAccept, toFieldError, toFieldErrors, toMapped, wideGrant } from '../lib/imports';
import { generalMsg, msgText, type Msg } from '../lib/office';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { flash, useStore } from '../lib/store';
import { ErrorBox, hasKey } from './office/common';

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

/**
 * The core opens the mappings only to a municipality-wide register.import (a unit clerk's grant opens nothing): the
 * screens say so at once instead of offering a form whose every call would be refused.
 */
function NotWide() {
  const { t } = useT();
  return (
    <div className="k-page">
      <PageTitle>{t('csvMapping.list.title')}</PageTitle>
      <ErrorState error={{ code: 'forbidden', message: 'forbidden' }} />
    </div>
  );
}

export function CsvMappingsScreen() {
  const session = useSession();
  return wideGrant(session.roles, 'register.import') ? <MappingList /> : <NotWide />;
}

function MappingList() {
  const { t } = useT();
  const q = useQuery('csvMapping.list', {});
  const message = useStore(flash);
  useEffect(() => () => flash.set(null), []);
  const [notice, setNotice] = useState<Msg | null>(null);
  const [deleting, setDeleting] = useState<CsvMapping | null>(null);
  // The dialog puts the focus back on the row's Delete when it closes without deleting.
  const closeDelete = () => setDeleting(null);
  const delimiterText = useCallback((m: CsvMapping) => t(m.delimiter ? delimiterKey(m.delimiter) : 'csvMapping.delimiter.auto'), [t]);
  const newMapping = useCallback(() => navigate({ name: 'csvMappingNew' }), []);
  useScreenAction(useMemo(() => ({ id: 'newCsvMapping' as const, label: 'csvMapping.list.new' as const, run: newMapping, group: 'create' as const }), [newMapping]));
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: q.reload }), [q.reload]));
  const items = useMemo(() => q.data?.items ?? [], [q.data]);
  const columns = useMemo<Column<CsvMapping>[]>(
    () => [
      {
        id: 'name',
        header: t('csvMapping.col.name'),
        cell: (m) => (
          <span className="k-nowrap">
            <Link to={{ name: 'csvMapping', mapping: m.name }} testId="csv-mapping-open">
              {m.name}
            </Link>
          </span>
        ),
        text: (m) => m.name,
      },
      { id: 'delimiter', header: t('csvMapping.col.delimiter'), cell: (m) => <span className="k-nowrap">{delimiterText(m)}</span>, text: delimiterText },
      { id: 'dateFormat', header: t('csvMapping.col.dateFormat'), cell: (m) => <span className="k-nowrap">{t(dateFormatKey(m.dateFormat))}</span>, text: (m) => t(dateFormatKey(m.dateFormat)) },
      {
        id: 'fields',
        header: t('csvMapping.col.fields'),
        cell: (m) => {
          const fields = mappedFields(m);
          return (
            <>
              <span className="k-nowrap">{t('csvMapping.fieldsCount', { count: fields.length })}</span>
              <Text size="xs" c="dimmed" component="span" style={{ display: 'block', maxWidth: 560 }}>
                {fields.map((f) => t(fieldKey(f))).join(', ')}
              </Text>
            </>
          );
        },
        text: (m) => mappedFields(m).map((f) => t(fieldKey(f))).join(', '),
        sortable: false,
      },
      {
        id: 'actions',
        header: t('csvMapping.col.actions'),
        sortable: false,
        noExport: true,
        cell: (m) => (
          <Button
            size="xs"
            variant="outline"
            color="red"
            c="#a61b1b"
            style={{ borderColor: '#a61b1b' }}
            onClick={() => setDeleting(m)}
            aria-label={t('csvMapping.delete.aria', { name: m.name })}
            data-testid="csv-mapping-delete"
            data-name={m.name}
          >
            {t('csvMapping.delete.button')}
          </Button>
        ),
      },
    ],
    [t, delimiterText],
  );

  const deleted = (m: CsvMapping) => {
    // The row (and its Delete button, the dialog's opener) is gone: the focus goes to the next row's Delete,
    // else the previous one's, else "New mapping".
    const at = items.findIndex((x) => x.name === m.name);
    const next = items[at + 1] ?? items[at - 1];
    setDeleting(null);
    flash.set(null);
    setNotice({ key: 'csvMapping.delete.done', vars: { name: m.name } });
    q.reload();
    window.setTimeout(() => {
      const target = next ? document.querySelector<HTMLElement>(`[data-testid="csv-mapping-delete"][data-name="${CSS.escape(next.name)}"]`) : null;
      (target ?? document.getElementById('csv-mappings-new'))?.focus();
    }, 0);
  };

  return (
    <div className="k-page" data-testid="csv-mappings-screen">
      <div style={{ marginBottom: 4 }}>
        <Link to={{ name: 'imports' }} testId="csv-mappings-back">
          {t('csvMapping.list.back')}
        </Link>
      </div>
      <PageTitle>{t('csvMapping.list.title')}</PageTitle>
      <p className="k-lead">{t('csvMapping.list.intro')}</p>
      <div role="status" aria-live="polite">
        {(notice || message) && (
          <div className="k-flash" data-testid="csv-mappings-notice">
            {notice ? msgText(notice, t) : message ? t(message) : null}
          </div>
        )}
      </div>
      <Group mb="md" gap="sm">
        <Button id="csv-mappings-new" leftSection={<IconPlus size={16} />} onClick={newMapping} data-testid="csv-mappings-new">
          {t('csvMapping.list.new')}
        </Button>
      </Group>
      <section className="k-section" aria-labelledby="csv-mappings-list-title" aria-busy={q.loading}>
        <h2 className="k-section-title" id="csv-mappings-list-title" style={{ marginTop: 0 }}>
          {t('csvMapping.list.heading')}
        </h2>
        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !q.data ? (
          <Loading />
        ) : items.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }} data-testid="csv-mappings-empty">
            {t('csvMapping.list.empty')}
          </p>
        ) : (
          <DataTable
            id="csv-mappings"
            caption={t('csvMapping.list.caption')}
            columns={columns}
            rows={items}
            rowKey={(m) => m.name}
            onOpen={(m) => navigate({ name: 'csvMapping', mapping: m.name })}
            testId="csv-mappings-table"
            rowTestId="csv-mapping-row"
            rowProps={(m) => ({ 'data-name': m.name })}
          />
        )}
      </section>
      {deleting && <DeleteDialog mapping={deleting} onClose={closeDelete} onDone={() => deleted(deleting)} />}
    </div>
  );
}

function DeleteDialog(props: { mapping: CsvMapping; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => ({ fields: {}, top: [toFieldError(generalMsg(e, hasKey))] }) });
  const submit = async () => {
    const r = await f.submit(() => api.tryCall('csvMapping.delete', { name: props.mapping.name }));
    if (r) props.onDone();
  };
  // Deleting is not undone: the focus starts on Cancel (the kit's own autofocus: a timer of our own moved it
  // there 60 ms late and could take it back from a clerk who had already tabbed to "Delete").
  return (
    <FormDialog
      form={f}
      title={t('csvMapping.delete.title')}
      size="md"
      testId="csv-mapping-delete-dialog"
      onSubmit={() => void submit()}
      onClose={props.onClose}
      submitLabel={t('csvMapping.delete.submit')}
      danger
      focusCancel
    >
      <p style={{ marginTop: 0 }}>{t('csvMapping.delete.text', { name: props.mapping.name })}</p>
    </FormDialog>
  );
}

// ---------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------

export function CsvMappingFormScreen({ name }: { name?: string }) {
  const session = useSession();
  return wideGrant(session.roles, 'register.import') ? <FormLoader name={name} /> : <NotWide />;
}

function FormLoader({ name }: { name?: string }) {
  const { t } = useT();
  const q = useQuery('csvMapping.list', {});
  if (q.error) {
    return (
      <div className="k-page">
        <PageTitle>{t('csvMapping.list.title')}</PageTitle>
        <ErrorState error={q.error} onRetry={q.reload} />
      </div>
    );
  }
  if (!q.data) return <Loading />;
  const original = name === undefined ? null : findMapping(q.data.items, name);
  if (name !== undefined && !original) {
    return (
      <div className="k-page" data-testid="csv-mapping-not-found">
        <PageTitle>{t('csvMapping.list.title')}</PageTitle>
        <p>{t('csvMapping.notFound')}</p>
        <Link to={{ name: 'csvMappings' }}>{t('csvMapping.form.back')}</Link>
      </div>
    );
  }
  return <MappingForm original={original} all={q.data.items} />;
}

type Sample = { state: 'idle' } | { state: 'reading'; name: string } | { state: 'read'; name: string; columns: number; delimiter: CsvDelimiter } | { state: 'failed'; error: Msg };

function MappingForm({ original, all }: { original: CsvMapping | null; all: readonly CsvMapping[] }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const desktop = nativeFileDialogs();
  const [initial] = useState<MappingValues>(() => (original ? mappingToValues(original) : emptyValues(session.country)));
  const others = useMemo(() => all.filter((m) => !original || !sameName(m.name, original.name)), [all, original]);
  const f = useForm<MappingValues>(initial, { validate: (x) => toFieldErrors(validateMapping(x, others)), mapError: (e, x) => toMapped(mappingErrors(e, x, hasKey)) });
  const { v } = f;
  const errors = f.errors;
  const [sample, setSample] = useState<Sample>({ state: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);
  // A sample read changes the rows' example values, not the mapping: only what would be saved is a change.
  const dirty = mappingDirty(v, initial);
  const renamed = original !== null && v.name.trim() !== '' && !sameName(v.name, original.name);

  const readSample = async (picked: File | null) => {
    if (picked) setSample({ state: 'reading', name: picked.name });
    const up = await uploadFile('csv', picked);
    if (!up.ok) {
      setSample({ state: 'failed', error: up.error.code === 'busy' ? { key: 'error.busy' } : generalMsg(up.error, hasKey) });
      return;
    }
    // The desktop dialog was closed without a file.
    if (!up.file) {
      setSample((x) => (x.state === 'reading' ? { state: 'idle' } : x));
      return;
    }
    const file = up.file;
    setSample({ state: 'reading', name: file.name });
    const r = await api.tryCall('csvMapping.headings', { fileId: file.fileId });
    if (!r.ok) {
      setSample({ state: 'failed', error: sampleError(r.error, hasKey) });
      return;
    }
    // The rows change: the core's answers about rows and fields were about the old ones.
    f.dropServerErrors(...Object.keys(errors).filter((k) => k.startsWith('rows.') || k.startsWith('columns.')));
    f.set('rows', applySample(v, r.data).rows);
    setSample({ state: 'read', name: file.name, columns: r.data.headings.length, delimiter: r.data.delimiter });
  };

  const leave = () => navigate({ name: 'csvMappings' }, { force: true });

  const save = async () => {
    const saved = await f.submit(() => api.tryCall('csvMapping.save', valuesToMapping(v)));
    if (!saved) return;
    // A new name is a new mapping to the core: the old one goes once the new one is safely saved.
    if (original && !sameName(original.name, saved.name)) {
      const d = await api.tryCall('csvMapping.delete', { name: original.name });
      if (!d.ok) {
        f.setServerErrors({}, [{ key: 'csvMapping.error.renameDelete', vars: { name: original.name } }]);
        return;
      }
    }
    lastSavedMapping.set(saved.name);
    flash.set('csvMapping.saved');
    releaseLeaveGuard();
    leave();
  };
  const saveRef = useRef(save);
  saveRef.current = save;
  useScreenAction(useMemo(() => ({ id: 'saveCsvMapping' as const, label: 'common.save' as const, run: () => void saveRef.current() }), []));

  const err = (path: string) => f.err(path);
  const fieldData = useMemo(
    () => [
      { value: '', label: t('csvMapping.ignore') },
      ...FIELD_GROUPS.map((g) => ({ group: t(g.key), items: g.fields.map((f) => ({ value: f, label: t(fieldKey(f)) })) })),
    ],
    [t],
  );
  const birth = sampleOf(v, 'birthDate');
  const reqs = requirements(v);
  const hasSample = sample.state === 'read';
  // The file's columns in the file's order (the order the clerk compares with the spreadsheet): not sorted.
  const indexedRows = useMemo(() => v.rows.map((r, i) => ({ ...r, i })), [v.rows]);
  const columnCols: Column<ColumnRow & { i: number }>[] = [
    {
      id: 'heading',
      header: t('csvMapping.col.heading'),
      sortable: false,
      cell: (r) => (
        <span className="k-row-head">
          {r.heading || <span className="k-empty">{t('csvMapping.emptyCell')}</span>}
          {r.missing && (
            <>
              {' '}
              <span className="k-tag k-tag-warn" data-testid="csv-column-missing">
                {t('csvMapping.missingInSample')}
              </span>
            </>
          )}
        </span>
      ),
    },
    ...(hasSample
      ? [
          {
            id: 'sample',
            header: t('csvMapping.col.sample'),
            sortable: false,
            cell: (r: ColumnRow) => {
              const first = r.sample[0] ?? '';
              return (
                <span style={{ display: 'block', maxWidth: 360 }} data-testid="csv-column-sample" title={r.sample.filter(Boolean).slice(0, 3).join(' · ') || undefined}>
                  {r.missing ? null : first.trim() ? sampleText(first) : <span className="k-empty">{t('csvMapping.emptyCell')}</span>}
                </span>
              );
            },
          },
        ]
      : []),
    {
      id: 'field',
      header: t('csvMapping.col.field'),
      sortable: false,
      width: 320,
      cell: (r) => (
        <NativeSelect
          id={`csv-field-${r.i}`}
          name={rowPath(r.i)}
          aria-label={t('csvMapping.fieldFor', { heading: r.heading })}
          value={r.field}
          onChange={(e) => {
            f.set('rows', setRowField(v, r.i, e.currentTarget.value as CsvField | '').rows);
            // Picking a field answers the core's message on this row and on the checklist's lines.
            f.dropServerErrors(rowPath(r.i), ...Object.keys(errors).filter((k) => k.startsWith('columns.')));
          }}
          data={fieldData}
          error={err(rowPath(r.i))}
          data-testid="csv-field"
        />
      ),
    },
  ];
  const title = original ? t('csvMapping.form.editTitle', { name: original.name }) : t('csvMapping.form.newTitle');

  return (
    <div className="k-page" data-testid="csv-mapping-form">
      <div style={{ marginBottom: 4 }}>
        <Link to={{ name: 'csvMappings' }} testId="csv-mapping-back">
          {t('csvMapping.form.back')}
        </Link>
      </div>
      <PageTitle>{title}</PageTitle>
      <p className="k-lead">{t('csvMapping.form.intro')}</p>
      <FormPage form={{ ...f, dirty }} label={title} onSubmit={() => void save()} onLeave={leave}>
        <Stack gap="md">
          <section className="k-section" aria-labelledby="csv-sample-title" data-testid="csv-sample">
            <h2 className="k-section-title" id="csv-sample-title" style={{ marginTop: 0 }}>
              {t('csvMapping.sample.title')}
            </h2>
            <Group gap="sm" wrap="wrap" align="center">
              <Button
                variant="default"
                onClick={() => (desktop ? void readSample(null) : fileInput.current?.click())}
                loading={sample.state === 'reading'}
                aria-describedby="csv-sample-status csv-sample-hint"
                data-testid="csv-sample-button"
              >
                {t('csvMapping.sample.choose')}
              </Button>
              <Text size="sm" id="csv-sample-status" role="status" aria-live="polite" data-testid="csv-sample-status" c={sample.state === 'idle' ? 'dimmed' : undefined}>
                {sample.state === 'idle'
                  ? t('csvMapping.sample.none')
                  : sample.state === 'reading'
                    ? t('csvMapping.sample.reading', { name: sample.name })
                    : sample.state === 'read'
                      ? t('csvMapping.sample.read', { name: sample.name, count: sample.columns })
                      : ''}
              </Text>
            </Group>
            <Text size="xs" c="dimmed" mt={4} id="csv-sample-hint">
              {t('csvMapping.sample.hint')} {t('csvMapping.sample.encodingNote')}
            </Text>
            {sample.state === 'failed' && (
              <div style={{ marginTop: 8 }}>
                <ErrorBox messages={[sample.error]} testId="csv-sample-error" />
              </div>
            )}
            <input
              ref={fileInput}
              type="file"
              accept={fileAccept('csv')}
              style={{ display: 'none' }}
              tabIndex={-1}
              aria-hidden="true"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0] ?? null;
                // The same file chosen again after a fix must be read again.
                e.currentTarget.value = '';
                if (file) void readSample(file);
              }}
              data-testid="csv-sample-file"
            />
          </section>

          <section className="k-section" aria-labelledby="csv-format-title" data-testid="csv-format">
            <h2 className="k-section-title" id="csv-format-title" style={{ marginTop: 0 }}>
              {t('csvMapping.format.title')}
            </h2>
            <Group align="flex-start" gap="xl" wrap="wrap">
              <NativeSelect
                id="csv-delimiter"
                label={t('csvMapping.form.delimiter')}
                description={hasSample ? t('csvMapping.form.delimiterDetected', { delimiter: t(delimiterKey(sample.delimiter)) }) : undefined}
                value={v.delimiter}
                onChange={(e) => f.set('delimiter', e.currentTarget.value as CsvDelimiter | '')}
                name="delimiter"
                data={[{ value: '', label: t('csvMapping.delimiter.auto') }, ...CSV_DELIMITERS.map((d) => ({ value: d, label: t(delimiterKey(d)) }))]}
                error={err('delimiter')}
                w={280}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                data-testid="csv-delimiter"
              />
              <NativeSelect
                id="csv-date-format"
                label={t('csvMapping.form.dateFormat')}
                description={birth ? t('csvMapping.form.dateSample', { value: birth }) : undefined}
                value={v.dateFormat}
                onChange={(e) => f.set('dateFormat', e.currentTarget.value as CsvDateFormat)}
                name="dateFormat"
                data={CSV_DATE_FORMATS.map((f) => ({ value: f, label: t(dateFormatKey(f)) }))}
                error={err('dateFormat')}
                w={280}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                data-testid="csv-date-format"
              />
            </Group>
          </section>

          <section className="k-section" aria-labelledby="csv-columns-title" data-testid="csv-columns">
            <h2 className="k-section-title" id="csv-columns-title" style={{ marginTop: 0 }}>
              {t('csvMapping.columns.title')}
            </h2>
            <Requirements reqs={reqs} errors={errors} />
            {v.rows.length === 0 ? (
              <p className="k-empty" style={{ margin: 0 }} data-testid="csv-columns-empty">
                {t('csvMapping.columns.empty')}
              </p>
            ) : (
              <>
                {!hasSample && (
                  <Text size="sm" mb={6} data-testid="csv-columns-from-mapping">
                    {t('csvMapping.columns.fromMapping')}
                  </Text>
                )}
                <DataTable
                  id="csv-columns"
                  caption={t('csvMapping.columns.tableCaption')}
                  columns={columnCols}
                  rows={indexedRows}
                  rowKey={(r) => `${r.i}-${r.heading}`}
                  testId="csv-columns-table"
                  rowTestId="csv-column-row"
                  rowProps={(r) => ({ 'data-heading': r.heading, 'data-field': r.field })}
                  exportable={false}
                  dense
                />
              </>
            )}
          </section>

          <section className="k-section" aria-labelledby="csv-name-title">
            <h2 className="k-section-title" id="csv-name-title" style={{ marginTop: 0 }}>
              {t('csvMapping.col.name')}
            </h2>
            <TextInput
              id="csv-name"
              label={t('csvMapping.form.name')}
              description={renamed ? t('csvMapping.form.renameNote', { name: original!.name }) : t('csvMapping.form.nameHint')}
              value={v.name}
              onChange={(e) => f.set('name', e.currentTarget.value)}
              name="name"
              required
              maxLength={NAME_MAX + 20}
              error={err('name')}
              maw={480}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              data-testid="csv-name"
            />
          </section>
        </Stack>
      </FormPage>
    </div>
  );
}

/**
 * What the mapping must name, each line met or not; an error about a field no column holds (the core's
 * `columns.<field>`) is shown on its line, which takes the focus like an invalid control.
 */
function Requirements({ reqs, errors }: { reqs: ReturnType<typeof requirements>; errors: FieldErrors }) {
  const { t } = useT();
  const msg = useFieldMessage();
  return (
    <div className="k-req" aria-labelledby="csv-req-title" role="group" data-testid="csv-requirements">
      <Text size="sm" fw={600} id="csv-req-title" mb={4}>
        {t('csvMapping.req.title')}
      </Text>
      <ul style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
        {reqs.map((r) => {
          const error = r.paths.map((p) => errors[p]).find(Boolean);
          const text = error ? msg(error) : null;
          const state = error ? 'error' : r.met && !r.optional ? 'met' : r.optional ? 'optional' : 'missing';
          return (
            <li key={r.id} data-testid={`csv-req-${r.id}`} data-state={state} style={{ display: 'flex', gap: 8, alignItems: 'baseline', padding: '2px 0' }}>
              <span aria-hidden="true" style={{ width: 16, flex: 'none', color: state === 'met' ? '#2b8a3e' : state === 'error' ? '#a61b1b' : '#5c636a', fontWeight: 700 }}>
                {state === 'met' ? '✓' : state === 'error' ? '!' : '–'}
              </span>
              <span>
                <span style={{ fontWeight: 500 }}>{t(`csvMapping.req.${r.id}`)}</span>
                {': '}
                <span style={{ color: 'var(--k-text-soft)' }}>
                  {r.met && !r.optional ? t('csvMapping.req.met', { headings: r.headings.join(', ') }) : r.optional ? t('csvMapping.req.notUsed') : t('csvMapping.req.notMet')}
                </span>
                {error && (
                  <span
                    tabIndex={-1}
                    data-k-error="true"
                    data-testid="csv-req-error"
                    style={{ display: 'block', color: '#a61b1b', fontSize: 14, outlineOffset: 2 }}
                  >
                    {text}
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
