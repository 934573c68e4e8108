/** The child's applications for a place: status, the guarantee date (and whether it has passed), choices and any open offer. */
import { Empty } from '../../components/common';
import type { ApplicationView } from '../../lib/care';
import { formatDate } from '../../lib/format';
import { NoBreakDates } from '../../components/DateText';
import { useT } from '../../lib/i18n';
import { ApplicationStatusTag, ToneTag } from './Badges';

export function ApplicationTable({ rows }: { rows: readonly ApplicationView[] }) {
  const { t, lang } = useT();
  if (rows.length === 0) return <Empty>{t('care.application.none')}</Empty>;
  const sorted = [...rows].sort((a, b) => b.appliedOn.localeCompare(a.appliedOn));
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="k-table" data-testid="application-table">
        <thead>
          <tr>
            <th scope="col">{t('field.status')}</th>
            <th scope="col">{t('field.schoolForm')}</th>
            <th scope="col">{t('care.application.appliedOn')}</th>
            <th scope="col">{t('care.application.wishedStart')}</th>
            <th scope="col">{t('care.application.guarantee')}</th>
            <th scope="col">{t('care.application.choices')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((a) => (
            <tr key={a.id} data-testid="application-row">
              <td>
                <ApplicationStatusTag status={a.status} />
                {a.offer && (
                  <div style={{ fontSize: 12, marginTop: 4 }}>
                    <NoBreakDates>{t('care.application.offer', { unit: a.offer.unitName, date: formatDate(a.offer.start, lang) })}</NoBreakDates>
                    {a.offer.answerBy && <NoBreakDates>{` · ${t('care.placement.answerBy', { date: formatDate(a.offer.answerBy, lang) })}`}</NoBreakDates>}
                  </div>
                )}
              </td>
              <td>{t(`schoolForm.${a.schoolForm}.short`)}</td>
              <td className="k-num">{formatDate(a.appliedOn, lang)}</td>
              <td className="k-num">{formatDate(a.wishedStart, lang)}</td>
              <td>
                <span className="k-num">{formatDate(a.guaranteeDate, lang)}</span>{' '}
                {a.overdue && (
                  <ToneTag tone="danger" testId="application-overdue">
                    {t('care.application.overdue')}
                  </ToneTag>
                )}
              </td>
              <td>
                <ol style={{ margin: 0, paddingLeft: 18 }}>
                  {[...a.choices]
                    .sort((x, y) => x.rank - y.rank)
                    .map((c) => (
                      <li key={c.rank}>{c.unitName}</li>
                    ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
