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
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="k-table" data-testid="placement-table">
        <thead>
          <tr>
            <th scope="col">{t('field.status')}</th>
            <th scope="col">{t('care.placement.where')}</th>
            <th scope="col">{t('care.placement.periodHours')}</th>
            <th scope="col">{t('care.placement.reason')}</th>
            <th scope="col">{t('care.placement.holders')}</th>
            {props.canWrite && (
              <th scope="col">
                <span className="k-search-label">{t('care.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {byCurrentFirst(props.rows, props.today).map((p) => {
            const can = placementActions(p.status);
            return (
              <tr key={p.id} data-testid="placement-row" data-status={p.status}>
                <td>
                  <PlacementStatusTag status={p.status} />
                  {p.noticeGivenOn && (
                    <div style={{ fontSize: 12, marginTop: 4 }} data-testid="placement-notice">
                      {t('care.placement.noticeGivenOn', { date: formatDate(p.noticeGivenOn, lang) })}
                    </div>
                  )}
                  {p.status === 'offered' && p.answerBy && <div style={{ fontSize: 12, marginTop: 4 }}>{t('care.placement.answerBy', { date: formatDate(p.answerBy, lang) })}</div>}
                </td>
                <td>
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
                </td>
                <td>
                  <Period from={p.validFrom} to={p.validTo} />
                  <div style={{ fontSize: 13 }}>{p.weeklyHours != null ? t('care.placement.hoursShort', { hours: p.weeklyHours }) : t('care.placement.hoursNone')}</div>
                </td>
                <td>{t(`care.reason.${p.reason}.short`)}</td>
                <td>
                  {p.owners.length === 0 ? (
                    <span className="k-empty">—</span>
                  ) : (
                    p.owners.map((o) => (
                      <div key={o.id}>
                        <Link to={{ name: 'person', id: o.id }}>{o.name}</Link> {o.protected && <ProtectedTag />}
                      </div>
                    ))
                  )}
                </td>
                {props.canWrite && (
                  <td>
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
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function EnrolmentTable(props: { rows: readonly EnrolmentView[]; today: string; canWrite: boolean; onEdit: (e: EnrolmentView) => void; onTransfer: (e: EnrolmentView) => void }) {
  const { t } = useT();
  if (props.rows.length === 0) return <Empty>{t('care.enrolment.none')}</Empty>;
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="k-table" data-testid="enrolment-table">
        <thead>
          <tr>
            <th scope="col">{t('field.unit')}</th>
            <th scope="col">{t('care.enrolment.gradeClass')}</th>
            <th scope="col">{t('field.period')}</th>
            <th scope="col">{t('care.enrolment.endReason')}</th>
            {props.canWrite && (
              <th scope="col">
                <span className="k-search-label">{t('care.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {byCurrentFirst(props.rows, props.today).map((e) => {
            const running = e.validTo === null || e.validTo >= props.today;
            return (
              <tr key={e.id} data-testid="enrolment-row">
                <td>
                  <Link to={{ name: 'unit', id: e.unitId }}>{e.unitName}</Link>
                  <div style={{ fontSize: 13 }}>{t(`schoolForm.${e.schoolForm}.short`)}</div>
                </td>
                <td>
                  {gradeLabel(e.schoolForm, e.grade, t)}
                  {e.groupId && (
                    <div style={{ fontSize: 13 }}>
                      <Link to={{ name: 'group', id: e.groupId }}>{e.groupName}</Link>
                    </div>
                  )}
                </td>
                <td>
                  <Period from={e.validFrom} to={e.validTo} />
                </td>
                <td>{e.endReason ? endReasonText(e.endReason, t) : <span className="k-empty">—</span>}</td>
                {props.canWrite && (
                  <td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="default" onClick={() => props.onEdit(e)} data-testid="enrolment-edit" aria-label={t('care.enrolment.editOf', { unit: e.unitName })}>
                        {t('care.edit')}
                      </Button>
                      {running && (
                        <Button size="compact-sm" variant="default" onClick={() => props.onTransfer(e)} data-testid="enrolment-transfer" aria-label={t('care.transferOf', { unit: e.unitName })}>
                          {t('care.transfer')}
                        </Button>
                      )}
                    </Group>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
