/**
 * Accounts (system administrator): every account with its roles and units, two-step state, status and
 * last sign-in, as the kit's data table (sortable, keyboard rows, Enter edits, column choice, CSV and
 * print logged as the staff view 'users'); new account; and the idle-lock policy, a kit form.
 * Opening an account edits it (UserForm.tsx).
 */
import { Button, Group, NumberInput, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { IDLE_MINUTES_BOUNDS } from '../../../shared/domain/access';
import { ErrorState, Link, Loading, PageTitle, Section } from '../components/common';
import { IconPlus } from '../components/icons';
import { NeutralTag } from '../components/Tags';
import { DataTable, FormPage, useExportLog, useForm, type Column, type FieldErrors, type MappedError } from '../kit';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import { useAuth } from '../lib/authContext';
import { formatDateTime } from '../lib/format';
import { useT } from '../lib/i18n';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { flash, useStore } from '../lib/store';
import { accountState, rolesText, sortUsers, type UserView } from '../lib/users';

/** Accounts are staff data, not persons of the register: an export is logged as the view, with no person ids. */
const noPersons = (): readonly string[] => [];

export function UsersScreen() {
  const { t, lang } = useT();
  const q = useQuery('user.list', {});
  const message = useStore(flash);
  useEffect(() => () => flash.set(null), []);
  const newUser = useCallback(() => navigate({ name: 'userNew' }), []);
  useScreenAction(useMemo(() => ({ id: 'newUser' as const, label: 'users.new' as const, run: newUser }), [newUser]));
  const users = useMemo(() => (q.data ? sortUsers(q.data.items) : []), [q.data]);
  const onExport = useExportLog<UserView>('users', noPersons);

  const columns = useMemo<Column<UserView>[]>(() => {
    const nowIso = new Date().toISOString();
    const state = (u: UserView) => accountState(u, nowIso, (ts) => formatDateTime(ts, lang));
    return [
      {
        id: 'username',
        header: t('users.col.username'),
        cell: (u) => (
          <Link to={{ name: 'userEdit', id: u.id }} className="k-link k-mono">
            {u.username}
          </Link>
        ),
        text: (u) => u.username,
        kind: 'code',
      },
      { id: 'name', header: t('users.col.name'), cell: (u) => <span className="k-nowrap">{u.displayName}</span>, text: (u) => u.displayName },
      {
        id: 'roles',
        header: t('users.col.roles'),
        cell: (u) => (u.roles.length ? rolesText(u.roles, t) : <span className="k-empty">{t('users.noRoles')}</span>),
        text: (u) => rolesText(u.roles, t),
      },
      { id: 'totp', header: t('users.col.totp'), cell: (u) => (u.totpEnabled ? t('users.totp.on') : t('users.totp.off')), text: (u) => (u.totpEnabled ? t('users.totp.on') : t('users.totp.off')), optional: true },
      {
        id: 'status',
        header: t('users.col.status'),
        cell: (u) => {
          const st = state(u);
          return <span className={`k-tag ${st.tone === 'ok' ? 'k-tag-child' : st.tone === 'warn' ? 'k-tag-warn' : 'k-tag-neutral'}`}>{t(st.key, st.vars)}</span>;
        },
        text: (u) => {
          const st = state(u);
          return t(st.key, st.vars);
        },
        optional: true,
      },
      {
        id: 'lastSignIn',
        header: t('users.col.lastSignIn'),
        cell: (u) => (u.lastSignInAt ? formatDateTime(u.lastSignInAt, lang) : <span className="k-empty">{t('users.never')}</span>),
        text: (u) => u.lastSignInAt,
        kind: 'date',
        optional: true,
      },
    ];
  }, [t, lang]);

  return (
    <div className="k-page" data-testid="users-screen">
      <PageTitle extra={q.data && <NeutralTag>{t('users.count', { count: q.data.items.length })}</NeutralTag>}>{t('users.title')}</PageTitle>
      {message && (
        <div role="status" className="k-flash" data-testid="flash">
          {t(message)}
        </div>
      )}
      <Group mb="md" gap="sm">
        <Button leftSection={<IconPlus size={16} />} onClick={newUser} data-testid="new-user">
          {t('users.new')}
        </Button>
      </Group>
      <Section title={t('users.listTitle')} id="sec-users">
        {q.error ? (
          <ErrorState error={q.error} onRetry={q.reload} />
        ) : !q.data ? (
          <Loading />
        ) : (
          <DataTable
            id="users"
            caption={t('users.listTitle')}
            columns={columns}
            rows={users}
            rowKey={(u) => u.id}
            onOpen={(u) => navigate({ name: 'userEdit', id: u.id })}
            onExport={onExport}
            testId="users-table"
            rowTestId="user-row"
            rowProps={(u) => (u.disabled ? { className: 'k-row k-row-off', 'data-state': 'disabled' } : {})}
          />
        )}
      </Section>
      <PolicySection />
    </div>
  );
}

function PolicySection() {
  const { t } = useT();
  const api = useApi();
  const auth = useAuth();
  const session = useSession();
  const current = useStore(auth.status)?.idleMinutes ?? session.idleMinutes;
  const [saved, setSaved] = useState<number | null>(null);
  const inRange = (x: string) => /^\d+$/.test(x.trim()) && Number(x) >= IDLE_MINUTES_BOUNDS.min && Number(x) <= IDLE_MINUTES_BOUNDS.max;
  const f = useForm(
    { idleMinutes: String(current) },
    {
      validate: (v): FieldErrors => (inRange(v.idleMinutes) ? {} : { idleMinutes: { key: 'users.policy.range' } }),
      mapError: (e): MappedError => (e.code === 'validation' ? { fields: { idleMinutes: { key: 'users.policy.range' } }, top: [] } : { fields: {}, top: [{ key: 'error.saveFailed' }] }),
    },
  );

  const save = async () => {
    setSaved(null);
    const r = await f.submit(() => api.tryCall('policy.update', { idleMinutes: Number(f.v.idleMinutes) }));
    if (!r) return;
    f.reset({ idleMinutes: String(r.idleMinutes) });
    setSaved(r.idleMinutes);
    const cur = auth.status.get();
    if (cur) auth.setStatus({ ...cur, idleMinutes: r.idleMinutes });
  };

  return (
    <div style={{ marginTop: 16 }}>
      <Section title={t('users.policy.title')} id="sec-policy" testId="policy-section">
        {/* A settings form on the users page: Cancel (or Esc) goes back to the stored value. */}
        <FormPage form={f} label={t('users.policy.title')} onSubmit={() => void save()} onLeave={() => f.reset({ idleMinutes: String(current) })} actions={{ submitLabel: t('users.policy.save') }}>
          <NumberInput
            label={t('users.policy.idleMinutes')}
            description={t('users.policy.idleHint')}
            value={f.v.idleMinutes}
            onChange={(x) => {
              f.set('idleMinutes', String(x));
              setSaved(null);
            }}
            {...f.field('idleMinutes')}
            min={IDLE_MINUTES_BOUNDS.min}
            max={IDLE_MINUTES_BOUNDS.max}
            step={1}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            maw={460}
            styles={{ wrapper: { width: 110 } }}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            data-testid="idle-minutes"
          />
          <div role="status" aria-live="polite">
            {saved !== null && !f.dirty && (
              <Text size="sm" mt={6} c="#1f6b35">
                {t('users.policy.saved', { count: saved })}
              </Text>
            )}
          </div>
        </FormPage>
      </Section>
    </div>
  );
}
