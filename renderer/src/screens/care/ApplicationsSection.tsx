/** The child's applications for a place: status, the guarantee date (and whether it has passed), choices and any open offer. */
import { Empty } from '../../components/common';
import type { ApplicationView } from '../../lib/care';
import { formatDate } from '../../lib/format';
import { DateText, NoBreakDates } from '../../components/DateText';
import { DataTable, type Column } from '../../kit';
import { useT } from '../../lib/i18n';
import { ApplicationStatusTag, ToneTag } from './Badges';

export function ApplicationTable({ rows }: { rows: readonly ApplicationView[] }) {
  const { t, lang } = useT();
  if (rows.length === 0) return <Empty>{t('care.application.none')}</Empty>;
  const sorted = [...rows].sort((a, b) => b.appliedOn.localeCompare(a.appliedOn));
  const columns: Column<ApplicationView>[] = [
    {
      id: 'status',
      header: t('field.status'),
      cell: (a) => (
        <>
          <ApplicationStatusTag status={a.status} />
          {a.offer && (
            <div style={{ fontSize: 12, marginTop: 4 }}>
              <NoBreakDates>{t('care.application.offer', { unit: a.offer.unitName, date: formatDate(a.offer.start, lang) })}</NoBreakDates>
              {a.offer.answerBy && <NoBreakDates>{` · ${t('care.placement.answerBy', { date: formatDate(a.offer.answerBy, lang) })}`}</NoBreakDates>}
            </div>
          )}
        </>
      ),
      sortable: false,
    },
    { id: 'form', header: t('field.schoolForm'), cell: (a) => t(`schoolForm.${a.schoolForm}.short`), sortable: false },
    { id: 'appliedOn', header: t('care.application.appliedOn'), cell: (a) => <DateText value={a.appliedOn} />, text: (a) => a.appliedOn, kind: 'date' },
    { id: 'wishedStart', header: t('care.application.wishedStart'), cell: (a) => <DateText value={a.wishedStart} />, text: (a) => a.wishedStart, kind: 'date' },
    {
      id: 'guarantee',
      header: t('care.application.guarantee'),
      cell: (a) => (
        <>
          <DateText value={a.guaranteeDate} />{' '}
          {a.overdue && (
            <ToneTag tone="danger" testId="application-overdue">
              {t('care.application.overdue')}
            </ToneTag>
          )}
        </>
      ),
      text: (a) => a.guaranteeDate,
      kind: 'date',
    },
    {
      id: 'choices',
      header: t('care.application.choices'),
      cell: (a) => (
        <ol style={{ margin: 0, paddingLeft: 18 }}>
          {[...a.choices]
            .sort((x, y) => x.rank - y.rank)
            .map((c) => (
              <li key={c.rank}>{c.unitName}</li>
            ))}
        </ol>
      ),
      sortable: false,
    },
  ];
  return (
    <DataTable<ApplicationView>
      id="card-applications"
      caption={t('care.section.applications')}
      columns={columns}
      rows={sorted}
      rowKey={(a) => a.id}
      rowTestId="application-row"
      testId="application-table"
      exportable={false}
      dense
    />
  );
}
