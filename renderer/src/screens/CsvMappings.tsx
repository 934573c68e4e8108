/**
 * Saved column mappings of legacy CSV files (one per source system): the list (#/imports/csv-mappings) with
 * delete, and the form (#/new/csv-mapping, #/imports/csv-mappings/<name>). The form reads a sample file the clerk
 * uploads (csvMapping.headings: the header line and the first rows), shows each column's heading with its value
 * on the first row, and the clerk picks the field each column holds (or Ignore), the separator and the date
 * format, and names it. The checks mirror the core's (lib/csvmapping.ts); what the core refuses lands on the
 * same controls. Keyboard rules as in the other forms: Enter in the name field or Ctrl+S saves, Esc cancels
 * (asking first when something changed).
 */
import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { CsvField } from '../../../shared/domain/imports';
import { ErrorState, Link, Loading, PageTitle } from '../components/common';
import { Dialog } from '../components/Dialog';
import { FormActions } from '../components/FormActions';
import { IconPlus } from '../components/icons';
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
  type CsvMapping,
  type MappingValues,
} from '../lib/csvmapping';
import { nativeFileDialogs, uploadFile } from '../lib/files';
import { useT } from '../lib/i18n';
import { fileAccept, wideGrant } from '../lib/imports';
import { generalMsg, msgText, type Msg, type MsgFields } from '../lib/office';
import { modPressed } from '../lib/platform';
import { navigate, setLeaveGuard } from '../lib/router';
import { useSession } from '../lib/session';
import { flash, useStore } from '../lib/store';
import { DialogButtons, ErrorBox, hasKey, rowArrowKeys } from './office/common';
import { DiscardModal } from './PersonForm';

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
  // The dialog's opener: the focus goes back to it when the dialog closes without deleting.
  const opener = useRef<HTMLElement | null>(null);
  const openDelete = (m: CsvMapping) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDeleting(m);
  };
  const closeDelete = () => {
    setDeleting(null);
    window.setTimeout(() => opener.current?.focus(), 0);
  };
  const newMapping = useCallback(() => navigate({ name: 'csvMappingNew' }), []);
  useScreenAction(useMemo(() => ({ id: 'newCsvMapping' as const, label: 'csvMapping.list.new' as const, run: newMapping, group: 'create' as const }), [newMapping]));
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: q.reload }), [q.reload]));
  const items = q.data?.items ?? [];

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
          <div className="k-table-scroll">
            <table className="k-table" data-testid="csv-mappings-table" aria-labelledby="csv-mappings-list-title">
              <thead>
                <tr>
                  <th scope="col">{t('csvMapping.col.name')}</th>
                  <th scope="col">{t('csvMapping.col.delimiter')}</th>
                  <th scope="col">{t('csvMapping.col.dateFormat')}</th>
                  <th scope="col">{t('csvMapping.col.fields')}</th>
                  <th scope="col">
                    <VisuallyHidden>{t('csvMapping.col.actions')}</VisuallyHidden>
                  </th>
                </tr>
              </thead>
              <tbody onKeyDown={rowArrowKeys}>
                {items.map((m) => {
                  const fields = mappedFields(m);
                  return (
                    <tr key={m.name} data-testid="csv-mapping-row" data-name={m.name}>
                      <td className="k-nowrap">
                        <Link to={{ name: 'csvMapping', mapping: m.name }} testId="csv-mapping-open">
                          {m.name}
                        </Link>
                      </td>
                      <td className="k-nowrap">{t(m.delimiter ? delimiterKey(m.delimiter) : 'csvMapping.delimiter.auto')}</td>
                      <td className="k-nowrap">{t(dateFormatKey(m.dateFormat))}</td>
                      <td>
                        <span className="k-nowrap">{t('csvMapping.fieldsCount', { count: fields.length })}</span>
                        <Text size="xs" c="dimmed" component="span" style={{ display: 'block', maxWidth: 560 }}>
                          {fields.map((f) => t(fieldKey(f))).join(', ')}
                        </Text>
                      </td>
                      <td style={{ textAlign: 'right' }}>
                        <Button
                          size="xs"
                          variant="outline"
                          color="red"
                          c="#a61b1b"
                          style={{ borderColor: '#a61b1b' }}
                          onClick={() => openDelete(m)}
                          aria-label={t('csvMapping.delete.aria', { name: m.name })}
                          data-testid="csv-mapping-delete"
                          data-name={m.name}
                        >
                          {t('csvMapping.delete.button')}
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {deleting && <DeleteDialog mapping={deleting} onClose={closeDelete} onDone={() => deleted(deleting)} />}
    </div>
  );
}

function DeleteDialog(props: { mapping: CsvMapping; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Msg[]>([]);
  const submit = async () => {
    if (busy) return;
    setBusy(true);
    const r = await api.tryCall('csvMapping.delete', { name: props.mapping.name });
    setBusy(false);
    if (r.ok) return props.onDone();
    setErrors([generalMsg(r.error, hasKey)]);
  };
  return (
    <Dialog opened onClose={props.onClose} title={t('csvMapping.delete.title')} centered testId="csv-mapping-delete-dialog">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          e.stopPropagation();
          void submit();
        }}
      >
        <p style={{ marginTop: 0 }}>{t('csvMapping.delete.text', { name: props.mapping.name })}</p>
        <ErrorBox messages={errors} />
        <DialogButtons onCancel={props.onClose} submitLabel={t('csvMapping.delete.submit')} busy={busy} danger focus="cancel" testId="csv-mapping-delete-submit" />
      </form>
    </Dialog>
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
  const [initial, setInitial] = useState<MappingValues>(() => (original ? mappingToValues(original) : emptyValues(session.country)));
  const [v, setV] = useState<MappingValues>(initial);
  const [errors, setErrors] = useState<MsgFields>({});
  const [top, setTop] = useState<Msg[]>([]);
  const [saving, setSaving] = useState(false);
  const [sample, setSample] = useState<Sample>({ state: 'idle' });
  const [confirm, setConfirm] = useState<null | (() => void)>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const dirty = mappingDirty(v, initial);
  const others = useMemo(() => all.filter((m) => !original || !sameName(m.name, original.name)), [all, original]);
  const renamed = original !== null && v.name.trim() !== '' && !sameName(v.name, original.name);

  useEffect(() => {
    if (!dirty) {
      setLeaveGuard(null);
      return;
    }
    setLeaveGuard((proceed) => {
      setConfirm(() => proceed);
      return true;
    });
    return () => setLeaveGuard(null);
  }, [dirty]);

  const clear = (...paths: string[]) =>
    setErrors((cur) => {
      if (!paths.some((p) => p in cur)) return cur;
      const next = { ...cur };
      for (const p of paths) delete next[p];
      return next;
    });

  const focusFirstError = () =>
    window.setTimeout(() => {
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-k-error="true"]')?.focus();
    }, 0);

  const readSample = async (picked: File | null) => {
    setTop([]);
    if (picked) setSample({ state: 'reading', name: picked.name });
    const up = await uploadFile('csv', picked);
    if (!up.ok) {
      setSample({ state: 'failed', error: up.error.code === 'busy' ? { key: 'error.busy' } : generalMsg(up.error, hasKey) });
      return;
    }
    // The desktop dialog was closed without a file.
    if (!up.file) {
      setSample((s) => (s.state === 'reading' ? { state: 'idle' } : s));
      return;
    }
    const file = up.file;
    setSample({ state: 'reading', name: file.name });
    const r = await api.tryCall('csvMapping.headings', { fileId: file.fileId });
    if (!r.ok) {
      setSample({ state: 'failed', error: sampleError(r.error, hasKey) });
      return;
    }
    // The rows change: errors about rows and fields were about the old ones.
    setErrors((cur) => Object.fromEntries(Object.entries(cur).filter(([k]) => !k.startsWith('rows.') && !k.startsWith('columns.'))));
    setV((cur) => applySample(cur, r.data));
    setSample({ state: 'read', name: file.name, columns: r.data.headings.length, delimiter: r.data.delimiter });
  };

  const cancel = () => {
    if (dirty) setConfirm(() => () => navigate({ name: 'csvMappings' }, { force: true }));
    else navigate({ name: 'csvMappings' });
  };

  const save = async () => {
    if (saving) return;
    const local = validateMapping(v, others);
    setErrors(local);
    setTop([]);
    if (Object.keys(local).length) {
      focusFirstError();
      return;
    }
    setSaving(true);
    const r = await api.tryCall('csvMapping.save', valuesToMapping(v));
    if (!r.ok) {
      setSaving(false);
      const mapped = mappingErrors(r.error, v, hasKey);
      setErrors(mapped.fields);
      setTop(mapped.other);
      focusFirstError();
      return;
    }
    // A new name is a new mapping to the core: the old one goes once the new one is safely saved.
    if (original && !sameName(original.name, r.data.name)) {
      const d = await api.tryCall('csvMapping.delete', { name: original.name });
      if (!d.ok) {
        setSaving(false);
        setInitial(v);
        setTop([{ key: 'csvMapping.error.renameDelete', vars: { name: original.name } }]);
        return;
      }
    }
    lastSavedMapping.set(r.data.name);
    flash.set('csvMapping.saved');
    setLeaveGuard(null);
    navigate({ name: 'csvMappings' }, { force: true });
  };

  useScreenAction(useMemo(() => ({ id: 'saveCsvMapping' as const, label: 'common.save' as const, run: () => formRef.current?.requestSubmit() }), []));

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (modPressed(e) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      cancel();
    }
  };

  const err = (path: string) => (errors[path] ? msgText(errors[path]!, t) : undefined);
  const fieldData = useMemo(
    () => [
      { value: '', label: t('csvMapping.ignore') },
      ...FIELD_GROUPS.map((g) => ({ group: t(g.key), items: g.fields.map((f) => ({ value: f, label: t(fieldKey(f)) })) })),
    ],
    [t],
  );
  const errorCount = Object.keys(errors).length;
  const title = original ? t('csvMapping.form.editTitle', { name: original.name }) : t('csvMapping.form.newTitle');
  const birth = sampleOf(v, 'birthDate');
  const reqs = requirements(v);
  const hasSample = sample.state === 'read';

  return (
    <div className="k-page" data-testid="csv-mapping-form">
      <div style={{ marginBottom: 4 }}>
        <Link to={{ name: 'csvMappings' }} testId="csv-mapping-back">
          {t('csvMapping.form.back')}
        </Link>
      </div>
      <PageTitle>{title}</PageTitle>
      <p className="k-lead">{t('csvMapping.form.intro')}</p>
      <form
        ref={formRef}
        noValidate
        aria-label={title}
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {(errorCount > 0 || top.length > 0) && (
          <Alert color="red" variant="light" role="alert" mb="md" title={t('personForm.errors.title')} data-testid="form-errors" styles={{ title: { color: '#7d1212' }, message: { color: '#3b0d0d' } }}>
            {errorCount > 0 && <p style={{ margin: 0 }}>{t('personForm.errors.count', { count: errorCount })}</p>}
            {top.map((m, i) => (
              <p key={i} style={{ margin: '4px 0 0' }}>
                {msgText(m, t)}
              </p>
            ))}
          </Alert>
        )}
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
                const f = e.currentTarget.files?.[0] ?? null;
                // The same file chosen again after a fix must be read again.
                e.currentTarget.value = '';
                if (f) void readSample(f);
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
                onChange={(e) => {
                  const d = e.currentTarget.value as CsvDelimiter | '';
                  setV((cur) => ({ ...cur, delimiter: d }));
                  clear('delimiter');
                }}
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
                onChange={(e) => {
                  const f = e.currentTarget.value as CsvDateFormat;
                  setV((cur) => ({ ...cur, dateFormat: f }));
                  clear('dateFormat');
                }}
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
                <div className="k-table-scroll">
                  <table className="k-table k-table-dense" data-testid="csv-columns-table">
                    <caption>
                      <VisuallyHidden>{t('csvMapping.columns.caption')}</VisuallyHidden>
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('csvMapping.col.heading')}</th>
                        {hasSample && <th scope="col">{t('csvMapping.col.sample')}</th>}
                        <th scope="col">{t('csvMapping.col.field')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {v.rows.map((r, i) => {
                        const first = r.sample[0] ?? '';
                        return (
                          <tr key={`${i}-${r.heading}`} data-testid="csv-column-row" data-heading={r.heading} data-field={r.field}>
                            <th scope="row" className="k-row-head">
                              {r.heading || <span className="k-empty">{t('csvMapping.emptyCell')}</span>}
                              {r.missing && (
                                <>
                                  {' '}
                                  <span className="k-tag k-tag-warn" data-testid="csv-column-missing">
                                    {t('csvMapping.missingInSample')}
                                  </span>
                                </>
                              )}
                            </th>
                            {hasSample && (
                              <td style={{ verticalAlign: 'top', paddingTop: 12, maxWidth: 360 }} data-testid="csv-column-sample" title={r.sample.filter(Boolean).slice(0, 3).join(' · ') || undefined}>
                                {r.missing ? null : first.trim() ? sampleText(first) : <span className="k-empty">{t('csvMapping.emptyCell')}</span>}
                              </td>
                            )}
                            <td style={{ width: 320 }}>
                              <NativeSelect
                                id={`csv-field-${i}`}
                                aria-label={t('csvMapping.fieldFor', { heading: r.heading })}
                                value={r.field}
                                onChange={(e) => {
                                  const f = e.currentTarget.value as CsvField | '';
                                  setV((cur) => setRowField(cur, i, f));
                                  // Picking a field answers its checklist line and any error on this row.
                                  clear(rowPath(i), ...Object.keys(errors).filter((k) => k.startsWith('columns.')));
                                }}
                                data={fieldData}
                                error={err(rowPath(i))}
                                data-testid="csv-field"
                              />
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
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
              onChange={(e) => {
                const name = e.currentTarget.value;
                setV((cur) => ({ ...cur, name }));
                clear('name');
              }}
              required
              maxLength={NAME_MAX + 20}
              error={err('name')}
              maw={480}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              data-testid="csv-name"
            />
          </section>
        </Stack>
        <FormActions saving={saving} dirty={dirty} onCancel={cancel} />
      </form>
      <DiscardModal
        opened={confirm !== null}
        onStay={() => setConfirm(null)}
        onDiscard={() => {
          const go = confirm;
          setConfirm(null);
          setLeaveGuard(null);
          go?.();
        }}
      />
    </div>
  );
}

/**
 * What the mapping must name, each line met or not; an error about a field no column holds (the core's
 * `columns.<field>`) is shown on its line, which takes the focus like an invalid control.
 */
function Requirements({ reqs, errors }: { reqs: ReturnType<typeof requirements>; errors: MsgFields }) {
  const { t } = useT();
  return (
    <div className="k-req" aria-labelledby="csv-req-title" role="group" data-testid="csv-requirements">
      <Text size="sm" fw={600} id="csv-req-title" mb={4}>
        {t('csvMapping.req.title')}
      </Text>
      <ul style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
        {reqs.map((r) => {
          const error = r.paths.map((p) => errors[p]).find(Boolean);
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
                    {msgText(error, t)}
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
