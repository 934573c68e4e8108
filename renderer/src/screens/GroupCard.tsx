/** A group (class, department, teaching group) and its members on a chosen date. */
import { Group, Text } from '@mantine/core';
import { useEffect } from 'react';
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
          <table className="k-table" data-testid="group-members">
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{identityColumnLabel({ country: session.country, lang }, t)}</th>
                <th scope="col">{t('field.birthDate')}</th>
                <th scope="col">{t('field.period')}</th>
              </tr>
            </thead>
            <tbody>
              {g.members.map((m) => (
                <tr key={m.membershipId} data-testid="group-member">
                  <td>
                    <Link to={{ name: 'person', id: m.person.id }}>{listName(m.person)}</Link> {m.person.protected && <ProtectedTag />}
                  </td>
                  {/* A protected member is shown by name only. */}
                  <td className="k-mono">{m.person.protected ? '' : m.person.identity?.display}</td>
                  <td className="k-num">{m.person.protected ? '' : formatDate(m.person.birthDate, lang)}</td>
                  <td className="k-num">
                    {formatDate(m.validFrom, lang)} – {m.validTo ? formatDate(m.validTo, lang) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}
