/**
 * The households the person belongs to today, with their members (a child in shared residence is
 * marked in both homes), and the person's whole household history behind a toggle. A fee administrator
 * (fee.read) sees each household's incomes under its members, and records a new one (fee.write).
 */
import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { Empty, Link } from '../../components/common';
import { IconPlus } from '../../components/icons';
import { ProtectedTag } from '../../components/Tags';
import type { CareCard, HouseholdMemberView, HouseholdView } from '../../lib/care';
import { formatDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { DataTable, type Column } from '../../kit';
import { useSession } from '../../lib/session';
import { ToneTag } from './Badges';
import { HouseholdIncomes } from './HouseholdIncomes';

interface Props {
  personId: string;
  care: CareCard;
  today: string;
  canWrite: boolean;
  onAddMember: (h: HouseholdView) => void;
  onEndMember: (m: HouseholdMemberView) => void;
  /** An income was recorded (the card's fee follows it). */
  onIncomeChanged?: () => void;
}

export function HouseholdsView({ personId, care, today, canWrite, onAddMember, onEndMember, onIncomeChanged }: Props) {
  const { t, lang } = useT();
  const session = useSession();
  const canReadFees = session.can('fee.read');
  const [historyOpen, setHistoryOpen] = useState(false);
  const period = (from: string, to: string | null) => (
    <span className="k-num" style={{ whiteSpace: 'nowrap' }}>
      {formatDate(from, lang)} – {to ? formatDate(to, lang) : ''}
    </span>
  );
  const memberColumns: Column<HouseholdMemberView>[] = [
    {
      id: 'name',
      header: t('field.name'),
      cell: (m) => (
        <Group gap={6}>
          {m.person.id === personId ? <strong>{m.person.name}</strong> : <Link to={{ name: 'person', id: m.person.id }}>{m.person.name}</Link>}
          {m.person.protected && <ProtectedTag />}
        </Group>
      ),
      text: (m) => m.person.name,
    },
    {
      id: 'role',
      header: t('care.household.role'),
      cell: (m) => (
        <Group gap={6}>
          {t(`care.household.role.${m.role}`)}
          {m.shared && (
            <ToneTag tone="info" testId="shared-residence">
              {t('care.household.shared')}
            </ToneTag>
          )}
        </Group>
      ),
      text: (m) => t(`care.household.role.${m.role}`),
    },
    { id: 'since', header: t('care.household.since'), cell: (m) => period(m.validFrom, m.validTo), text: (m) => m.validFrom, kind: 'date' },
    ...(canWrite
      ? [
          {
            id: 'actions',
            header: t('care.actions'),
            sortable: false,
            noExport: true,
            cell: (m: HouseholdMemberView) => (
              <Button size="compact-sm" variant="default" onClick={() => onEndMember(m)} data-testid="household-end-member" aria-label={t('care.household.endOf', { name: m.person.name })}>
                {t('care.household.end')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  const householdTitle = (i: number) => (care.households.length > 1 ? t('care.household.titleN', { n: i + 1 }) : t('care.household.title'));
  const historyColumns: Column<HouseholdMemberView>[] = [
    { id: 'role', header: t('care.household.role'), cell: (m) => `${t(`care.household.role.${m.role}`)}${m.shared ? ` · ${t('care.household.shared')}` : ''}`, sortable: false },
    { id: 'period', header: t('field.period'), cell: (m) => period(m.validFrom, m.validTo), text: (m) => m.validFrom, kind: 'date' },
    { id: 'status', header: t('field.status'), cell: (m) => t(m.validTo !== null && m.validTo < today ? 'care.ended' : m.validFrom > today ? 'care.upcoming' : 'care.current'), sortable: false },
  ];
  return (
    <Stack gap="sm">
      {care.households.length === 0 && <Empty>{t('care.household.none')}</Empty>}
      {care.households.map((h, i) => (
        <div key={h.id} className="k-list-item" data-testid="household">
          <Group justify="space-between" mb={6} wrap="nowrap">
            <h3 className="k-section-title" style={{ margin: 0, fontSize: 14 }}>
              {householdTitle(i)}
            </h3>
            {canWrite && (
              <Button size="compact-sm" variant="default" leftSection={<IconPlus size={14} />} onClick={() => onAddMember(h)} data-testid="household-add-member">
                {t('care.household.addMember')}
              </Button>
            )}
          </Group>
          <DataTable<HouseholdMemberView>
            id="card-household"
            caption={care.households.length > 1 ? t('care.household.titleN', { n: i + 1 }) : t('care.household.title')}
            columns={memberColumns}
            rows={h.members}
            rowKey={(m) => m.id}
            rowTestId="household-member"
            exportable={false}
            dense
          />
          {canReadFees && <HouseholdIncomes household={h} title={householdTitle(i)} onChanged={onIncomeChanged ?? (() => undefined)} />}
        </div>
      ))}
      {care.householdHistory.length > 0 && (
        <div>
          <Button variant="subtle" size="compact-sm" onClick={() => setHistoryOpen((o) => !o)} aria-expanded={historyOpen} aria-controls={historyOpen ? "household-history" : undefined} data-testid="household-history-toggle">
            {t(historyOpen ? 'care.household.hideHistory' : 'care.household.showHistory', { count: care.householdHistory.length })}
          </Button>
          {historyOpen && (
            <div id="household-history">
              <DataTable<HouseholdMemberView>
                id="card-household-history"
                caption={t('care.household.historyTitle')}
                columns={historyColumns}
                rows={[...care.householdHistory].sort((x, y) => y.validFrom.localeCompare(x.validFrom))}
                rowKey={(m) => m.id}
                testId="household-history"
                exportable={false}
                dense
              />
            </div>
          )}
        </div>
      )}
    </Stack>
  );
}
