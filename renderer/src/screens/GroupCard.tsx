/** A group (class, department, teaching group) and its members on a chosen date. */
import { Group, Text } from '@mantine/core';
import { useCallback, useEffect } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import { DateText } from '../components/DateText';
import { DataTable, useExportLog, type Column } from '../kit';
import { DateField } from '../components/DateField';
import { Empty, ErrorState, Field, Link, Loading, PageTitle, Section } from '../components/common';
import { ProtectedTag } from '../components/Tags';
import { useQuery } from '../lib/api';
import { formatDate, isValidIsoDate, listName, schoolYearLabel } from '../lib/format';
import { useT } from '../lib/i18n';
import { gradeLabel, identityColumnLabel } from '../lib/labels';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { orgSelection } from './Org';
import { HiddenProtected } from './office/common';

type Member = MethodOutput<'group.get'>['members'][number];

export function GroupCardScreen({ id, date }: { id: string; date?: string }) {
  const { t, lang } = useT();
  const session = useSession();
  const at = date ?? session.today;
  const q = useQuery('group.get', { id, date: at });
  const unitId = q.data?.unitId ?? null;
  useEffect(() => {
    orgSelection.set(unitId);
    return () => orgSelection.set(null);
  }, [unitId]);

  const onExport = useExportLog<Member>(
    'group',
    useCallback((m: Member) => [m.person.id], []),
  );
  const columns: Column<Member>[] = [
    {
      id: 'name',
      header: t('field.name'),
      cell: (m) => (
        <>
          <Link to={{ name: 'person', id: m.person.id }}>{listName(m.person)}</Link> {m.person.protected && <ProtectedTag />}
        </>
      ),
      text: (m) => listName(m.person),
    },
    // A protected member is shown by name only.
    { id: 'identity', header: identityColumnLabel({ country: session.country, lang }, t), cell: (m) => (m.person.protected ? '' : <span className="k-mono">{m.person.identity?.display}</span>), text: (m) => (m.person.protected ? '' : m.person.identity?.display), kind: 'code' },
    { id: 'birthDate', header: t('field.birthDate'), cell: (m) => (m.person.protected ? '' : <DateText value={m.person.birthDate} />), text: (m) => (m.person.protected ? '' : m.person.birthDate), kind: 'date' },
    {
      id: 'period',
      header: t('field.period'),
      cell: (m) => (
        <span className="k-num k-nowrap">
          {formatDate(m.validFrom, lang)} – {m.validTo ? formatDate(m.validTo, lang) : ''}
        </span>
      ),
      text: (m) => m.validFrom,
      kind: 'date',
    },
  ];
  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  const g = q.data;
  return (
    <div data-testid="group-card">
      {g ? (
        <PageTitle extra={<Text c="dimmed">{t(`groupKind.${g.kind}`)}</Text>}>{g.name}</PageTitle>
      ) : (
        <Loading />
      )}
      {g && (
        <Section title={t('group.section.facts')} id="sec-group">
          <dl className="k-dl">
            <Field label={t('field.unit')}>
              <Link to={{ name: 'unit', id: g.unitId }}>{g.unitName}</Link>
            </Field>
            <Field label={t('field.schoolYear')}>
              <span className="k-num">{schoolYearLabel(g.schoolYear)}</span>
            </Field>
            <Field label={t('field.schoolForm')}>{t(`schoolForm.${g.schoolForm}`)}</Field>
            <Field label={t('field.grade')}>{gradeLabel(g.schoolForm, g.grade, t) || null}</Field>
          </dl>
        </Section>
      )}
      <div style={{ height: 12 }} />
      <Section title={g ? t('group.members', { count: g.members.length }) : t('group.membersTitle')} id="sec-members">
        <Group align="flex-end" mb="sm">
          <DateField
            label={t('group.atDate')}
            value={at}
            w={200}
            testId="group-date"
            onChange={(v) => {
              if (isValidIsoDate(v)) navigate({ name: 'group', id, date: v === session.today ? undefined : v }, { replace: true });
            }}
          />
        </Group>
        {g && <HiddenProtected count={g.hiddenProtected} text={t('lists.hiddenProtected', { count: g.hiddenProtected })} testId="group-hidden-protected" />}
        {!g ? (
          <Loading />
        ) : g.members.length === 0 ? (
          <Empty>{t('group.noMembers', { date: formatDate(at, lang) })}</Empty>
        ) : (
          <DataTable<Member>
            id="group-members"
            caption={t('group.membersTitle')}
            columns={columns}
            rows={g.members}
            rowKey={(m) => m.membershipId}
            onOpen={(m) => navigate({ name: 'person', id: m.person.id })}
            onExport={onExport}
            rowTestId="group-member"
            testId="group-members"
            dense
          />
        )}
      </Section>
    </div>
  );
}
