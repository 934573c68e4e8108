/** The person card's change history: who changed what and when, and when the person's data last changed. */
import { Empty, Section } from '../../components/common';
import type { PersonCard } from '../../lib/domain';
import { formatDateTime } from '../../lib/format';
import { useT, type TKey } from '../../lib/i18n';

export function HistorySection({ p }: { p: PersonCard }) {
  const { t, lang } = useT();
  return (
    <Section title={t('person.section.history')} id="sec-history" testId="history-section">
      {p.history.length === 0 ? (
        <Empty>{t('person.noHistory')}</Empty>
      ) : (
        <table className="k-table">
          <thead>
            <tr>
              <th scope="col">{t('history.at')}</th>
              <th scope="col">{t('history.actor')}</th>
              <th scope="col">{t('history.op')}</th>
              <th scope="col">{t('history.fields')}</th>
            </tr>
          </thead>
          <tbody>
            {p.history.map((h, i) => (
              <tr key={`${h.at}-${i}`}>
                <td className="k-num">{formatDateTime(h.at, lang)}</td>
                <td>{h.actor}</td>
                <td>{t(`history.op.${h.op}`)}</td>
                <td>{h.fields.map((f) => fieldLabel(f, t)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="k-empty" style={{ margin: '8px 0 0', fontStyle: 'normal', fontSize: 13 }}>
        {t('person.updated', { at: formatDateTime(p.updatedAt, lang), by: p.updatedBy })}
      </p>
    </Section>
  );
}

const KNOWN_FIELDS = new Set([
  'identityNumber',
  'birthDate',
  'sex',
  'givenName',
  'middleName',
  'familyName',
  'preferredName',
  'status',
  'nationality',
  'motherTongue',
  'maalform',
  'protection',
  'addresses',
  'contacts',
]);
/** Fields of the care records (guardianships, households, placements, enrolments) as their history names them. */
const CARE_FIELDS: Record<string, TKey> = {
  childId: 'care.guardianship.child',
  pupilId: 'care.guardianship.child',
  guardianId: 'care.guardianship.guardian',
  kind: 'care.guardianship.kind',
  livesWith: 'care.guardian.livesWith',
  invoiceShare: 'care.guardian.invoiceShare',
  shielded: 'care.guardian.shielded',
  householdId: 'care.section.households',
  role: 'care.household.role',
  shared: 'care.household.shared',
  unitId: 'field.unit',
  groupId: 'field.group',
  schoolForm: 'field.schoolForm',
  validFrom: 'care.field.validFrom',
  validTo: 'care.field.validTo',
  weeklyHours: 'care.placement.hours',
  reason: 'care.placement.reason',
  state: 'field.status',
  ownerIds: 'care.placement.holders',
  noticeGivenOn: 'care.notice.date',
  noticeOverrideReason: 'care.notice.overrideReason',
  grade: 'care.enrolment.grade',
  endReason: 'care.enrolment.endReason',
};
export function fieldLabel(f: string, t: (k: TKey) => string): string {
  if (KNOWN_FIELDS.has(f)) return t(`field.${f}` as TKey);
  const care = CARE_FIELDS[f];
  return care ? t(care) : f;
}
