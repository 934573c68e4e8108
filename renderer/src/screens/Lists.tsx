/**
 * Class lists (enrolments) and placement lists of a unit, or of one class or department, at a date;
 * optionally with the guardians' phones and e-mails. Exported as PDF or CSV by the core (protected
 * persons and shielded guardians are left out there too). Every parameter lives in the address, so a
 * reload or a bookmark returns to the same list.
 */
import { Button, Checkbox, Group, NativeSelect, Text } from '@mantine/core';
import type { ListColumn } from '../../../shared/api/lists';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { LIST_KINDS } from '../../../shared/domain/care';
import { ErrorState, Loading, PageTitle } from '../components/common';
import { DateField } from '../components/DateField';
import { GroupPicker } from '../components/GroupPicker';
import { IconDownload } from '../components/icons';
import { NeutralTag } from '../components/Tags';
import { UnitPicker } from '../components/UnitPicker';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import { downloadName } from '../lib/download';
import { saveExport } from '../lib/files';
import { formatDate, formatNumber, isValidIsoDate } from '../lib/format';
import { useT, type TFn } from '../lib/i18n';
import type { Lang } from '../../../shared/i18n';
import { DateText } from '../components/DateText';
import { DataTable, type Column } from '../kit';
import { contactLine, fallbackListName, generalMsg, listExportInput, listQueryFrom, type ListKind, type ListParams, type ListRow, type Msg } from '../lib/office';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { Dash, ErrorBox, hasKey, HiddenProtected, PersonName } from './office/common';

type ExportState = { busy: 'pdf' | 'csv' | null; done?: { rows: number; file: string }; errors: Msg[] };

/** The optional columns a clerk ticks for the exported file; contacts follow "with phone and e-mail" above. */
type Chosen = Record<'identity' | 'guardians' | 'form' | 'hours', boolean>;
const COLUMNS_KEY = 'kansli.lists.columns';
const DEFAULT_COLUMNS: Chosen = { identity: false, guardians: true, form: false, hours: false };
function loadColumns(): Chosen {
  try {
    const v = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? 'null') as Partial<Chosen> | null;
    return v && typeof v === 'object' ? { ...DEFAULT_COLUMNS, ...v } : DEFAULT_COLUMNS;
  } catch {
    return DEFAULT_COLUMNS;
  }
}
/** What list.export gets: the ticked columns the list kind allows, contacts only beside the guardians. */
function exportColumns(c: Chosen, kind: ListKind, withContacts: boolean): ListColumn[] {
  const out: ListColumn[] = [];
  if (c.identity) out.push('identity');
  if (c.guardians) out.push('guardians');
  if (c.guardians && withContacts) out.push('contacts');
  if (c.form) out.push('form');
  if (c.hours && kind === 'placements') out.push('hours');
  return out;
}

export function ListsScreen(params: ListParams) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const date = params.date ?? session.today;
  const query = listQueryFrom(params, session.today);
  const q = useQuery('list.get', query);
  const [dateText, setDateText] = useState(date);
  const [exp, setExp] = useState<ExportState>({ busy: null, errors: [] });
  const [chosen, setChosen] = useState<Chosen>(loadColumns);
  const choose = (k: keyof Chosen, on: boolean) =>
    setChosen((c) => {
      const next = { ...c, [k]: on };
      // Only which columns (no personal data) is remembered, for the next list.
      localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
      return next;
    });

  // Back/forward or a link changes the address: the date field follows it.
  useEffect(() => setDateText(date), [date]);
  // Another list: the last export's message is about a different file.
  const queryKey = query ? JSON.stringify(query) : null;
  useEffect(() => setExp({ busy: null, errors: [] }), [queryKey]);

  const go = useCallback(
    (patch: Partial<ListParams>) => {
      const next: ListParams = { ...params, ...patch };
      navigate(
        {
          name: 'lists',
          ...(next.unitId ? { unitId: next.unitId } : {}),
          ...(next.unitId && next.groupId ? { groupId: next.groupId } : {}),
          // Once a unit is chosen the date is written down too: a reload tomorrow shows today's list.
          ...(next.date || next.unitId ? { date: next.date ?? session.today } : {}),
          ...(next.kind && next.kind !== 'enrolments' ? { kind: next.kind } : {}),
          ...(next.contacts ? { contacts: true } : {}),
        },
        { replace: true },
      );
    },
    [params, session.today],
  );

  const runExport = useCallback(
    async (format: 'pdf' | 'csv') => {
      if (!query) return;
      setExp({ busy: format, errors: [] });
      const columns = exportColumns(chosen, query.kind ?? 'enrolments', query.withContacts === true);
      const r = await api.tryCall('list.export', { ...listExportInput(query, format, lang), columns, withContacts: columns.includes('contacts') });
      if (!r.ok) return setExp({ busy: null, errors: [generalMsg(r.error, hasKey)] });
      const file = downloadName(r.data.file.name, fallbackListName(query.kind ?? 'enrolments', query.date), format);
      const saved = await saveExport({ fileId: r.data.file.fileId, name: file });
      if (!saved.ok) return setExp({ busy: null, errors: [generalMsg(saved.error, hasKey)] });
      setExp({ busy: null, errors: [], ...(saved.saved ? { done: { rows: r.data.rows, file } } : {}) });
    },
    [api, query, lang, chosen],
  );
  const canExport = query !== null && q.data !== null;
  useScreenAction(useMemo(() => (canExport ? { id: 'exportPdf' as const, label: 'lists.exportPdf' as const, run: () => void runExport('pdf') } : null), [canExport, runExport]));
  useScreenAction(useMemo(() => (canExport ? { id: 'exportCsv' as const, label: 'lists.exportCsv' as const, run: () => void runExport('csv') } : null), [canExport, runExport]));

  const data = q.data;
  const kind: ListKind = params.kind ?? 'enrolments';
  const withContacts = params.contacts === true;
  const dateError = dateText && !isValidIsoDate(dateText) ? t('validation.date_invalid') : undefined;
  const title = data ? (data.group ? t('lists.titleGroup', { group: data.group.name, unit: data.unit.name }) : data.unit.name) : null;

  return (
    <div className="k-page k-page-wide" data-testid="lists-screen">
      <PageTitle>{t('lists.title')}</PageTitle>
      <p className="k-lead">{t('lists.intro')}</p>
      <section className="k-section" aria-labelledby="lists-params-title">
        <h2 className="k-section-title" id="lists-params-title" style={{ marginTop: 0 }}>
          {t('lists.params')}
        </h2>
        <div className="k-form-grid" style={{ alignItems: 'start' }}>
          <UnitPicker label={t('lists.unit')} value={params.unitId ?? null} onChange={(u) => go({ unitId: u ?? undefined, groupId: undefined })} required id="lists-unit" testId="lists-unit" />
          <GroupPicker
            label={t('lists.group')}
            description={t('lists.groupHint')}
            unitId={params.unitId ?? null}
            value={params.groupId ?? null}
            onChange={(g) => {
              if ((g ?? undefined) !== params.groupId) go({ groupId: g ?? undefined });
            }}
            date={isValidIsoDate(date) ? date : undefined}
            id="lists-group"
            testId="lists-group"
          />
          <DateField
            id="lists-date"
            label={t('lists.date')}
            value={dateText}
            onChange={(x) => {
              setDateText(x);
              if (isValidIsoDate(x)) go({ date: x });
            }}
            error={dateError}
            required
            testId="lists-date"
          />
          <NativeSelect
            id="lists-kind"
            label={t('lists.kind')}
            value={kind}
            onChange={(e) => go({ kind: e.currentTarget.value as ListKind })}
            data={LIST_KINDS.map((k) => ({ value: k, label: t(`lists.kind.${k}`) }))}
            data-testid="lists-kind"
          />
        </div>
        <Checkbox mt="md" label={t('lists.withContacts')} description={t('lists.withContactsHint')} checked={withContacts} onChange={(e) => go({ contacts: e.currentTarget.checked })} data-testid="lists-contacts" />
        <fieldset className="k-fieldset" style={{ marginTop: 12 }} data-testid="lists-columns">
          <legend>{t('lists.pdfColumns')}</legend>
          <Text size="sm" c="dimmed" mb={6}>
            {t('lists.pdfColumnsHint')}
          </Text>
          <Group gap="lg">
            <Checkbox label={t('lists.column.identity')} checked={chosen.identity} onChange={(e) => choose('identity', e.currentTarget.checked)} data-testid="lists-col-identity" />
            <Checkbox label={t('lists.column.guardians')} checked={chosen.guardians} onChange={(e) => choose('guardians', e.currentTarget.checked)} data-testid="lists-col-guardians" />
            <Checkbox label={t('lists.column.form')} checked={chosen.form} onChange={(e) => choose('form', e.currentTarget.checked)} data-testid="lists-col-form" />
            <Checkbox
              label={t('lists.column.hours')}
              description={kind === 'placements' ? undefined : t('lists.column.hoursPlacementsOnly')}
              disabled={kind !== 'placements'}
              checked={chosen.hours && kind === 'placements'}
              onChange={(e) => choose('hours', e.currentTarget.checked)}
              data-testid="lists-col-hours"
            />
          </Group>
        </fieldset>
        <Group gap="sm" mt="md">
          <Button variant="default" leftSection={<IconDownload size={16} />} disabled={!canExport} loading={exp.busy === 'pdf'} onClick={() => void runExport('pdf')} data-testid="lists-export-pdf">
            {t('lists.exportPdf')}
          </Button>
          <Button variant="default" leftSection={<IconDownload size={16} />} disabled={!canExport} loading={exp.busy === 'csv'} onClick={() => void runExport('csv')} data-testid="lists-export-csv">
            {t('lists.exportCsv')}
          </Button>
        </Group>
        <div aria-live="polite">
          {exp.done && (
            <p className="k-ok-line" data-testid="lists-exported">
              {t('lists.exported', { rows: formatNumber(exp.done.rows, lang), file: exp.done.file })}
            </p>
          )}
        </div>
        {exp.errors.length > 0 && (
          <div style={{ marginTop: 8 }}>
            <ErrorBox messages={exp.errors} testId="lists-export-error" />
          </div>
        )}
      </section>

      <section className="k-section" style={{ marginTop: 16 }} aria-labelledby="lists-table-title" aria-busy={q.loading && query !== null}>
        <Group justify="space-between" mb={8} wrap="nowrap">
          <h2 className="k-section-title" id="lists-table-title" style={{ margin: 0 }}>
            {title ? `${t(`lists.kind.${kind}`)}: ${title}` : t('lists.tableTitle')}
          </h2>
          {data && (
            <Text c="dimmed" size="sm" data-testid="lists-count">
              {t('lists.count', { count: data.rows.length, formatted: formatNumber(data.rows.length, lang) })} · {formatDate(data.date, lang)}
            </Text>
          )}
        </Group>
        {data && <HiddenProtected count={data.hiddenProtected} text={t('lists.hiddenProtected', { count: data.hiddenProtected })} testId="lists-hidden-protected" />}
        {!query ? (
          <p className="k-empty" style={{ margin: 0 }} data-testid="lists-choose">
            {t('lists.chooseUnit')}
          </p>
        ) : q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !data ? (
          <Loading />
        ) : data.rows.length === 0 ? (
          <p className="k-empty" style={{ margin: 0 }} data-testid="lists-empty">
            {t('lists.empty')}
          </p>
        ) : (
          <DataTable<ListRow>
            id={`lists-${kind}`}
            caption={title ? `${t(`lists.kind.${kind}`)}: ${title}` : t('lists.tableTitle')}
            columns={listColumns(kind, withContacts, t, lang)}
            rows={data.rows}
            rowKey={(r) => `${r.person.id}-${r.validFrom}-${r.groupId ?? ''}`}
            onOpen={session.can('register.read') ? (r) => navigate({ name: 'person', id: r.person.id }) : undefined}
            rowTestId="lists-row"
            testId="lists-table"
            exportable={false}
            dense
          />
        )}
      </section>
    </div>
  );
}

/**
 * The list's columns. The file export (PDF or CSV, above) is the core's, with its own column choice; the
 * table sorts on screen and moves by keyboard (Enter opens the person).
 */
function listColumns(kind: ListKind, withContacts: boolean, t: TFn, lang: Lang): Column<ListRow>[] {
  return [
    { id: 'name', header: t('lists.col.name'), cell: (r) => <PersonName person={r.person} testId="lists-person" />, text: (r) => r.person.name },
    { id: 'birthDate', header: t('lists.col.birthDate'), cell: (r) => (r.birthDate ? <DateText value={r.birthDate} /> : <Dash />), text: (r) => r.birthDate, kind: 'date' },
    { id: 'identity', header: t('lists.col.identity'), cell: (r) => (r.identity ? <span className="k-mono">{r.identity}</span> : <Dash />), text: (r) => r.identity, kind: 'code' },
    { id: 'group', header: t('lists.col.group'), cell: (r) => r.groupName ?? <Dash />, text: (r) => r.groupName },
    {
      id: 'grade',
      header: kind === 'enrolments' ? t('lists.col.grade') : t('lists.col.form'),
      cell: (r) => (
        <span className="k-nowrap">
          {kind === 'enrolments' && r.grade !== null ? t('lists.grade', { grade: r.grade, form: t(`schoolForm.${r.schoolForm}.short`) }) : t(`schoolForm.${r.schoolForm}.short`)}
        </span>
      ),
      // Words, not a number (left-aligned); grades sort as numbers by their padded digits.
      text: (r) => (kind === 'enrolments' && r.grade !== null ? String(r.grade).padStart(2, '0') : r.schoolForm),
    },
    ...(kind === 'placements'
      ? ([
          { id: 'hours', header: t('lists.col.hours'), cell: (r) => r.weeklyHours ?? <Dash />, text: (r) => r.weeklyHours, kind: 'number' },
          { id: 'status', header: t('lists.col.status'), cell: (r) => (r.status ? <NeutralTag>{t(`office.placementStatus.${r.status}`)}</NeutralTag> : <Dash />), text: (r) => (r.status ? t(`office.placementStatus.${r.status}`) : '') },
        ] satisfies Column<ListRow>[])
      : []),
    {
      id: 'period',
      header: t('lists.col.period'),
      cell: (r) => (
        <span className="k-num k-nowrap">
          {formatDate(r.validFrom, lang)}–{r.validTo ? formatDate(r.validTo, lang) : ''}
        </span>
      ),
      text: (r) => r.validFrom,
      kind: 'date',
    },
    {
      id: 'guardians',
      header: t('lists.col.guardians'),
      cell: (r) =>
        r.guardians.length === 0 ? (
          <Dash />
        ) : (
          r.guardians.map((g, i) => (
            <div key={i} data-testid="lists-guardian">
              <span className="k-nowrap">{g.name}</span>
              {withContacts && contactLine(g) && (
                <span className="k-mono" style={{ display: 'block', fontSize: 12 }}>
                  {contactLine(g)}
                </span>
              )}
            </div>
          ))
        ),
      sortable: false,
    },
  ];
}
