/**
 * A child's places: placements (preschool, after-school care) with their status at today, and
 * enrolments in school. Each row offers what its status allows: edit, notice, transfer.
 */
import { Button, Group } from '@mantine/core';
import { Empty, Link } from '../../components/common';
import { ProtectedTag } from '../../components/Tags';
import { byCurrentFirst, placementActions, type EnrolmentView, type PlacementView } from '../../lib/care';
import { formatDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { DataTable, type Column } from '../../kit';
import { NoBreakDates } from '../../components/DateText';
import { gradeLabel } from '../../lib/labels';
import { endReasonText } from '../../lib/imports';
import { PlacementStatusTag } from './Badges';

function Period({ from, to }: { from: string; to: string | null }) {
  const { lang } = useT();
  return (
    <span className="k-num" style={{ whiteSpace: 'nowrap' }}>
      {formatDate(from, lang)} – {to ? formatDate(to, lang) : ''}
    </span>
  );
}

export function PlacementTable(props: {
  rows: readonly PlacementView[];
  today: string;
  canWrite: boolean;
  onEdit: (p: PlacementView) => void;
  onNotice: (p: PlacementView) => void;
  onTransfer: (p: PlacementView) => void;
}) {
  const { t, lang } = useT();
  if (props.rows.length === 0) return <Empty>{t('care.placement.none')}</Empty>;
  const columns: Column<PlacementView>[] = [
    {
      id: 'status',
      header: t('field.status'),
      cell: (p) => (
        <>
          <PlacementStatusTag status={p.status} />
          {p.noticeGivenOn && (
            <div style={{ fontSize: 12, marginTop: 4 }} data-testid="placement-notice">
              <NoBreakDates>{t('care.placement.noticeGivenOn', { date: formatDate(p.noticeGivenOn, lang) })}</NoBreakDates>
            </div>
          )}
          {p.status === 'offered' && p.answerBy && (
            <div style={{ fontSize: 12, marginTop: 4 }}>
              <NoBreakDates>{t('care.placement.answerBy', { date: formatDate(p.answerBy, lang) })}</NoBreakDates>
            </div>
          )}
        </>
      ),
      sortable: false,
    },
    {
      id: 'where',
      header: t('care.placement.where'),
      cell: (p) => (
        <>
          <Link to={{ name: 'unit', id: p.unitId }}>{p.unitName}</Link>
          <div style={{ fontSize: 13 }}>
            {t(`schoolForm.${p.schoolForm}.short`)}
            {p.groupId && (
              <>
                {' · '}
                <Link to={{ name: 'group', id: p.groupId }}>{p.groupName}</Link>
              </>
            )}
          </div>
        </>
      ),
      text: (p) => p.unitName,
    },
    {
      id: 'period',
      header: t('care.placement.periodHours'),
      cell: (p) => (
        <>
          <Period from={p.validFrom} to={p.validTo} />
          <div style={{ fontSize: 13 }}>{p.weeklyHours != null ? t('care.placement.hoursShort', { hours: p.weeklyHours }) : t('care.placement.hoursNone')}</div>
        </>
      ),
      text: (p) => p.validFrom,
      kind: 'date',
    },
    { id: 'reason', header: t('care.placement.reason'), cell: (p) => t(`care.reason.${p.reason}.short`), sortable: false },
    {
      id: 'holders',
      header: t('care.placement.holders'),
      cell: (p) =>
        p.owners.length === 0 ? (
          <span className="k-empty">—</span>
        ) : (
          p.owners.map((o) => (
            <div key={o.id}>
              <Link to={{ name: 'person', id: o.id }}>{o.name}</Link> {o.protected && <ProtectedTag />}
            </div>
          ))
        ),
      sortable: false,
    },
    ...(props.canWrite
      ? [
          {
            id: 'actions',
            header: t('care.actions'),
            sortable: false,
            noExport: true,
            cell: (p: PlacementView) => {
              const can = placementActions(p.status);
              return (
                <Group gap={4} wrap="nowrap">
                  {can.edit && (
                    <Button size="compact-sm" variant="default" onClick={() => props.onEdit(p)} data-testid="placement-edit" aria-label={t('care.placement.editOf', { unit: p.unitName })}>
                      {t('care.edit')}
                    </Button>
                  )}
                  {can.notice && !p.noticeGivenOn && (
                    <Button size="compact-sm" variant="default" onClick={() => props.onNotice(p)} data-testid="placement-notice-button" aria-label={t('care.placement.noticeOf', { unit: p.unitName })}>
                      {t('care.placement.notice')}
                    </Button>
                  )}
                  {can.transfer && (
                    <Button size="compact-sm" variant="default" onClick={() => props.onTransfer(p)} data-testid="placement-transfer" aria-label={t('care.transferOf', { unit: p.unitName })}>
                      {t('care.transfer')}
                    </Button>
                  )}
                </Group>
              );
            },
          },
        ]
      : []),
  ];
  return (
    <DataTable<PlacementView>
      id="card-placements"
      caption={t('care.placement.heading')}
      columns={columns}
      rows={byCurrentFirst(props.rows, props.today)}
      rowKey={(p) => p.id}
      rowTestId="placement-row"
      rowProps={(p) => ({ 'data-status': p.status })}
      testId="placement-table"
      exportable={false}
      dense
    />
  );
}

export function EnrolmentTable(props: { rows: readonly EnrolmentView[]; today: string; canWrite: boolean; onEdit: (e: EnrolmentView) => void; onTransfer: (e: EnrolmentView) => void }) {
  const { t } = useT();
  if (props.rows.length === 0) return <Empty>{t('care.enrolment.none')}</Empty>;
  const columns: Column<EnrolmentView>[] = [
    {
      id: 'unit',
      header: t('field.unit'),
      cell: (e) => (
        <>
          <Link to={{ name: 'unit', id: e.unitId }}>{e.unitName}</Link>
          <div style={{ fontSize: 13 }}>{t(`schoolForm.${e.schoolForm}.short`)}</div>
        </>
      ),
      text: (e) => e.unitName,
    },
    {
      id: 'grade',
      header: t('care.enrolment.gradeClass'),
      cell: (e) => (
        <>
          {gradeLabel(e.schoolForm, e.grade, t)}
          {e.groupId && (
            <div style={{ fontSize: 13 }}>
              <Link to={{ name: 'group', id: e.groupId }}>{e.groupName}</Link>
            </div>
          )}
        </>
      ),
      sortable: false,
    },
    { id: 'period', header: t('field.period'), cell: (e) => <Period from={e.validFrom} to={e.validTo} />, text: (e) => e.validFrom, kind: 'date' },
    { id: 'endReason', header: t('care.enrolment.endReason'), cell: (e) => (e.endReason ? endReasonText(e.endReason, t) : <span className="k-empty">—</span>), sortable: false },
    ...(props.canWrite
      ? [
          {
            id: 'actions',
            header: t('care.actions'),
            sortable: false,
            noExport: true,
            cell: (e: EnrolmentView) => (
              <Group gap={4} wrap="nowrap">
                <Button size="compact-sm" variant="default" onClick={() => props.onEdit(e)} data-testid="enrolment-edit" aria-label={t('care.enrolment.editOf', { unit: e.unitName })}>
                  {t('care.edit')}
                </Button>
                {(e.validTo === null || e.validTo >= props.today) && (
                  <Button size="compact-sm" variant="default" onClick={() => props.onTransfer(e)} data-testid="enrolment-transfer" aria-label={t('care.transferOf', { unit: e.unitName })}>
                    {t('care.transfer')}
                  </Button>
                )}
              </Group>
            ),
          },
        ]
      : []),
  ];
  return (
    <DataTable<EnrolmentView>
      id="card-enrolments"
      caption={t('care.enrolment.heading')}
      columns={columns}
      rows={byCurrentFirst(props.rows, props.today)}
      rowKey={(e) => e.id}
      rowTestId="enrolment-row"
      testId="enrolment-table"
      exportable={false}
      dense
    />
  );
}
