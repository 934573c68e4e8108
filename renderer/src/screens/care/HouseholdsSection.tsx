/**
 * The households the person belongs to today, with their members (a child in shared residence is
 * marked in both homes), and the person's whole household history behind a toggle.
 */
import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { Empty, Link } from '../../components/common';
import { IconPlus } from '../../components/icons';
import { ProtectedTag } from '../../components/Tags';
import type { CareCard, HouseholdMemberView, HouseholdView } from '../../lib/care';
import { formatDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { ToneTag } from './Badges';

interface Props {
  personId: string;
  care: CareCard;
  today: string;
  canWrite: boolean;
  onAddMember: (h: HouseholdView) => void;
  onEndMember: (m: HouseholdMemberView) => void;
}

export function HouseholdsView({ personId, care, today, canWrite, onAddMember, onEndMember }: Props) {
  const { t, lang } = useT();
  const [historyOpen, setHistoryOpen] = useState(false);
  const period = (from: string, to: string | null) => (
    <span className="k-num" style={{ whiteSpace: 'nowrap' }}>
      {formatDate(from, lang)} – {to ? formatDate(to, lang) : ''}
    </span>
  );
  return (
    <Stack gap="sm">
      {care.households.length === 0 && <Empty>{t('care.household.none')}</Empty>}
      {care.households.map((h, i) => (
        <div key={h.id} className="k-list-item" data-testid="household">
          <Group justify="space-between" mb={6} wrap="nowrap">
            <h3 className="k-section-title" style={{ margin: 0, fontSize: 14 }}>
              {care.households.length > 1 ? t('care.household.titleN', { n: i + 1 }) : t('care.household.title')}
            </h3>
            {canWrite && (
              <Button size="compact-sm" variant="default" leftSection={<IconPlus size={14} />} onClick={() => onAddMember(h)} data-testid="household-add-member">
                {t('care.household.addMember')}
              </Button>
            )}
          </Group>
          <table className="k-table">
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('care.household.role')}</th>
                <th scope="col">{t('care.household.since')}</th>
                {canWrite && (
                  <th scope="col">
                    <span className="k-search-label">{t('care.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {h.members.map((m) => (
                <tr key={m.id} data-testid="household-member">
                  <td>
                    <Group gap={6}>
                      {m.person.id === personId ? <strong>{m.person.name}</strong> : <Link to={{ name: 'person', id: m.person.id }}>{m.person.name}</Link>}
                      {m.person.protected && <ProtectedTag />}
                    </Group>
                  </td>
                  <td>
                    <Group gap={6}>
                      {t(`care.household.role.${m.role}`)}
                      {m.shared && (
                        <ToneTag tone="info" testId="shared-residence">
                          {t('care.household.shared')}
                        </ToneTag>
                      )}
                    </Group>
                  </td>
                  <td>{period(m.validFrom, m.validTo)}</td>
                  {canWrite && (
                    <td>
                      <Button size="compact-sm" variant="default" onClick={() => onEndMember(m)} data-testid="household-end-member" aria-label={t('care.household.endOf', { name: m.person.name })}>
                        {t('care.household.end')}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {care.householdHistory.length > 0 && (
        <div>
          <Button variant="subtle" size="compact-sm" onClick={() => setHistoryOpen((o) => !o)} aria-expanded={historyOpen} aria-controls={historyOpen ? "household-history" : undefined} data-testid="household-history-toggle">
            {t(historyOpen ? 'care.household.hideHistory' : 'care.household.showHistory', { count: care.householdHistory.length })}
          </Button>
          {historyOpen && (
            <table className="k-table" id="household-history" data-testid="household-history">
              <thead>
                <tr>
                  <th scope="col">{t('care.household.role')}</th>
                  <th scope="col">{t('field.period')}</th>
                  <th scope="col">{t('field.status')}</th>
                </tr>
              </thead>
              <tbody>
                {[...care.householdHistory]
                  .sort((a, b) => b.validFrom.localeCompare(a.validFrom))
                  .map((m) => (
                    <tr key={m.id}>
                      <td>
                        {t(`care.household.role.${m.role}`)}
                        {m.shared ? ` · ${t('care.household.shared')}` : ''}
                      </td>
                      <td>{period(m.validFrom, m.validTo)}</td>
                      <td>{t(m.validTo !== null && m.validTo < today ? 'care.ended' : m.validFrom > today ? 'care.upcoming' : 'care.current')}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </Stack>
  );
}
