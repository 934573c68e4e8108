/**
 * Accounts (system administrator): every account with its roles and units, two-step state, status and
 * last sign-in; new account; and the idle-lock policy. Opening an account edits it (UserForm.tsx).
 */
import { Alert, Button, Group, NumberInput, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { IDLE_MINUTES_BOUNDS } from '../../../shared/domain/access';
import { ErrorState, Link, Loading, PageTitle, Section } from '../components/common';
import { IconPlus } from '../components/icons';
import { NeutralTag } from '../components/Tags';
import { useScreenAction } from '../lib/actions';
import { useApi, useQuery } from '../lib/api';
import { useAuth } from '../lib/authContext';
import { formatDateTime } from '../lib/format';
import { useT } from '../lib/i18n';
import { modPressed } from '../lib/platform';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { flash, useStore } from '../lib/store';
import { accountState, rolesText, sortUsers } from '../lib/users';

export function UsersScreen() {
  const { t, lang } = useT();
  const q = useQuery('user.list', {});
  const message = useStore(flash);
  useEffect(() => () => flash.set(null), []);
  const newUser = useCallback(() => navigate({ name: 'userNew' }), []);
  useScreenAction(useMemo(() => ({ id: 'newUser' as const, label: 'users.new' as const, run: newUser }), [newUser]));
  const users = useMemo(() => (q.data ? sortUsers(q.data.items) : []), [q.data]);
  const nowIso = new Date().toISOString();

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
          <div className="k-table-scroll">
            <table className="k-table" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">{t('users.col.username')}</th>
                  <th scope="col">{t('users.col.name')}</th>
                  <th scope="col">{t('users.col.roles')}</th>
                  <th scope="col">{t('users.col.totp')}</th>
                  <th scope="col">{t('users.col.status')}</th>
                  <th scope="col">{t('users.col.lastSignIn')}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => {
                  const st = accountState(u, nowIso, (ts) => formatDateTime(ts, lang));
                  return (
                    <tr key={u.id} data-testid="user-row" className={u.disabled ? 'k-row-off' : undefined}>
                      <td>
                        <Link to={{ name: 'userEdit', id: u.id }} className="k-link k-mono">
                          {u.username}
                        </Link>
                      </td>
                      <td className="k-nowrap">{u.displayName}</td>
                      <td>{u.roles.length ? rolesText(u.roles, t) : <span className="k-empty">{t('users.noRoles')}</span>}</td>
                      <td>{u.totpEnabled ? t('users.totp.on') : t('users.totp.off')}</td>
                      <td>
                        <span className={`k-tag ${st.tone === 'ok' ? 'k-tag-child' : st.tone === 'warn' ? 'k-tag-warn' : 'k-tag-neutral'}`}>{t(st.key, st.vars)}</span>
                      </td>
                      <td className="k-num">{u.lastSignInAt ? formatDateTime(u.lastSignInAt, lang) : <span className="k-empty">{t('users.never')}</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
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
  const [value, setValue] = useState<number | string>(current);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const save = async () => {
    if (busy) return;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n) || n < IDLE_MINUTES_BOUNDS.min || n > IDLE_MINUTES_BOUNDS.max) {
      setError(t('users.policy.range'));
      return;
    }
    setError(null);
    setSaved(null);
    setFailed(false);
    setBusy(true);
    const r = await api.tryCall('policy.update', { idleMinutes: n });
    setBusy(false);
    if (!r.ok) {
      if (r.error.code === 'validation') setError(t('users.policy.range'));
      else setFailed(true);
      return;
    }
    setSaved(r.data.idleMinutes);
    const cur = auth.status.get();
    if (cur) auth.setStatus({ ...cur, idleMinutes: r.data.idleMinutes });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (modPressed(e) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void save();
    }
  };

  return (
    <div style={{ marginTop: 16 }}>
    <Section title={t('users.policy.title')} id="sec-policy" testId="policy-section">
      <form
        noValidate
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Group align="flex-start" gap="sm">
          <NumberInput
            label={t('users.policy.idleMinutes')}
            description={t('users.policy.idleHint')}
            value={value}
            onChange={(v) => {
              setValue(v);
              setSaved(null);
            }}
            min={IDLE_MINUTES_BOUNDS.min}
            max={IDLE_MINUTES_BOUNDS.max}
            step={1}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            error={error}
            maw={460}
            styles={{ wrapper: { width: 110 } }}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            data-testid="idle-minutes"
          />
          <Button type="submit" mt={25} loading={busy}>
            {t('users.policy.save')}
          </Button>
        </Group>
        {saved !== null && (
          <Text size="sm" mt={6} role="status" c="#1f6b35">
            {t('users.policy.saved', { count: saved })}
          </Text>
        )}
        {failed && (
          <Alert color="red" variant="light" role="alert" mt="sm" py={8}>
            {t('error.saveFailed')}
          </Alert>
        )}
      </form>
    </Section>
    </div>
  );
}
