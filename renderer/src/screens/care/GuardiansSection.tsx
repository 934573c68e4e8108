/**
 * Guardians on a child's card, children on an adult's card. Each row: the relation, its dates, whether
 * the adult lives with the child, the invoice share, and — on a child's card — how to reach the guardian.
 * Contact details are never shown for a shielded card, a protected guardian or a guardian the child is
 * shielded from (the core sends none; the cell says why instead of looking empty).
 */
import { Button, Group } from '@mantine/core';
import { Empty, Link } from '../../components/common';
import { IconEdit, IconPlus } from '../../components/icons';
import { ProtectedTag } from '../../components/Tags';
import { byCurrentFirst, guardianContactState, inForce, type GuardianshipView } from '../../lib/care';
import { formatDate, formatPercent, languageName } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { DataTable, type Column } from '../../kit';
import '../lists.css';
import { ShieldedTag, ToneTag } from './Badges';

interface Props {
  /** 'guardians': the child's card lists its guardians; 'children': the adult's card lists their children. */
  side: 'guardians' | 'children';
  rows: readonly GuardianshipView[];
  today: string;
  /** The card itself is shielded (protected person): no contact details of relatives either. */
  cardShielded: boolean;
  canWrite: boolean;
  onEdit: (g: GuardianshipView) => void;
}

export function GuardianshipTable({ side, rows, today, cardShielded, canWrite, onEdit }: Props) {
  const { t, lang } = useT();
  if (rows.length === 0) return <Empty>{t(side === 'guardians' ? 'person.noGuardians' : 'person.noChildren')}</Empty>;
  const sorted = byCurrentFirst(rows, today);
  const columns: Column<GuardianshipView>[] = [
    {
      id: 'name',
      header: t('field.name'),
      cell: (g) => (
        <Group gap={6} wrap="wrap">
          <Link to={{ name: 'person', id: side === 'guardians' ? g.guardianId : g.childId }}>{g.name}</Link>
          {g.protected && <ProtectedTag />}
          {g.shielded && <ShieldedTag />}
          {!inForce(g, today) && <ToneTag tone="neutral">{t(g.validFrom > today ? 'care.upcoming' : 'care.ended')}</ToneTag>}
        </Group>
      ),
      text: (g) => g.name,
    },
    {
      id: 'relation',
      header: t('care.guardian.relationPeriod'),
      cell: (g) => (
        <>
          {t(`guardianship.${g.kind}`)}
          <div className="k-num k-nowrap" style={{ fontSize: 13 }}>
            {formatDate(g.validFrom, lang)} – {g.validTo ? formatDate(g.validTo, lang) : ''}
          </div>
        </>
      ),
      sortable: false,
    },
    {
      id: 'home',
      header: t('care.guardian.homeInvoice'),
      cell: (g) => (
        <>
          {t(g.livesWith ? 'care.guardian.livesWith' : 'care.guardian.livesApart')}
          <div style={{ fontSize: 13 }}>{t('care.guardian.invoiceShareOf', { share: formatPercent(g.invoiceShare, lang) })}</div>
        </>
      ),
      sortable: false,
    },
    ...(side === 'guardians'
      ? [
          {
            id: 'contact',
            header: t('care.guardian.contact'),
            cell: (g: GuardianshipView) => (
              <div data-testid="guardian-contacts">
                <Contacts g={g} state={guardianContactState(g, rows, today, cardShielded)} />
              </div>
            ),
            sortable: false,
          },
        ]
      : []),
    ...(canWrite
      ? [
          {
            id: 'actions',
            header: t('care.actions'),
            cell: (g: GuardianshipView) => (
              <Button size="compact-sm" variant="default" leftSection={<IconEdit size={14} />} onClick={() => onEdit(g)} data-testid="guardianship-edit" aria-label={t('care.guardianship.editOf', { name: g.name })}>
                {t('care.edit')}
              </Button>
            ),
            sortable: false,
            noExport: true,
          },
        ]
      : []),
  ];
  return (
    <DataTable<GuardianshipView>
      id={side === 'guardians' ? 'card-guardians' : 'card-children'}
      caption={t(side === 'guardians' ? 'person.section.guardians' : 'person.section.children')}
      columns={columns}
      rows={sorted}
      rowKey={(g) => g.id}
      rowTestId="guardianship-row"
      rowProps={(g) => ({ 'data-current': inForce(g, today) ? undefined : 'false' })}
      testId={side === 'guardians' ? 'guardian-table' : 'children-table'}
      exportable={false}
      dense
    />
  );
}

/** How to reach the guardian, and in which language; or why they are not to be contacted here. */
function Contacts({ g, state }: { g: GuardianshipView; state: ReturnType<typeof guardianContactState> }) {
  const { t, lang } = useT();
  if (state === 'shielded') return <span className="k-empty">{t('care.guardian.noContactShielded')}</span>;
  if (state === 'protected') return <ProtectedTag />;
  if (state === 'history') return <span className="k-empty">—</span>;
  return (
    <>
      {state === 'none' ? (
        <span className="k-empty">{t('person.noContacts')}</span>
      ) : (
        g.contacts.map((c, i) => (
          <div key={i} className="k-num">
            <span style={{ fontSize: 12 }}>{t(`contactKind.${c.kind}`)}: </span>
            {c.value}
          </div>
        ))
      )}
      <div style={{ fontSize: 13 }}>
        {g.preferredLanguage ? languageName(g.preferredLanguage, lang) : t('care.guardian.languageDefault')} · {t(g.messagesAllowed ? 'care.guardian.messagesAllowed' : 'care.guardian.noMessages')}
      </div>
    </>
  );
}

export function AddButton({ label, onClick, testId, disabled }: { label: string; onClick: () => void; testId: string; disabled?: boolean }) {
  return (
    <Button size="compact-sm" variant="default" leftSection={<IconPlus size={14} />} onClick={onClick} disabled={disabled} data-testid={testId}>
      {label}
    </Button>
  );
}
