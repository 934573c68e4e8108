/**
 * Create or edit an account: user name (new only), name, first password (new only), roles each with a
 * unit (or the whole municipality), disabled; reset password and two-step verification.
 * A page form on the kit (FormPage + useForm): Ctrl+S or Enter saves, Esc cancels (asking first when
 * changed), the core's refusals land on the fields (mapUserError).
 */
import { Alert, Button, Checkbox, Group, NativeSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { PasswordField } from '../components/AuthForms';
import { ErrorState, Loading, PageTitle, Section } from '../components/common';
import { Dialog } from '../components/Dialog';
import { IconPlus } from '../components/icons';
import { FormDialog, FormPage, mapApiError, releaseLeaveGuard, useForm, type FieldErrors } from '../kit';
import { useApi, useQuery } from '../lib/api';
import { passwordIssueMessage } from '../lib/auth';
import { useAuth } from '../lib/authContext';
import { formatDateTime } from '../lib/format';
import { useT } from '../lib/i18n';
import { navigate } from '../lib/router';
import { flash } from '../lib/store';
import {
  emptyRoleRow,
  emptyUserValues,
  mapUserError,
  roleTakesUnit,
  ROLES,
  toCreateInput,
  toUpdateInput,
  unitOptions,
  userValuesFrom,
  validateUser,
  WHOLE_MUNICIPALITY,
  type Role,
  type UserFormValues,
  type UserView,
} from '../lib/users';
import { useOrgTree } from './Org';
import { PASSWORD_MAX_LENGTH } from '../../../shared/domain/access';

export function UserFormScreen({ id }: { id?: string }) {
  const { t } = useT();
  const list = useQuery('user.list', id ? {} : null);
  const tree = useOrgTree();
  if (list.error) return <ErrorState error={list.error} onRetry={list.reload} />;
  if (tree.error) return <ErrorState error={tree.error} onRetry={tree.reload} />;
  if ((id && !list.data) || !tree.data) return <Loading />;
  const user = id ? (list.data?.items.find((u) => u.id === id) ?? null) : null;
  if (id && !user) return <ErrorState error={{ code: 'not_found', message: t('error.not_found') }} />;
  return <UserForm key={user ? `${user.id}-${user.version}` : 'new'} user={user} tree={tree.data} />;
}

function UserForm({ user: initialUser, tree }: { user: UserView | null; tree: NonNullable<ReturnType<typeof useOrgTree>['data']> }) {
  const { t, lang } = useT();
  const api = useApi();
  const auth = useAuth();
  const min = auth.passwordMinLength;
  const [user, setUser] = useState(initialUser);
  const editing = user !== null;
  const [conflict, setConflict] = useState(false);
  const [dialog, setDialog] = useState<null | 'password' | 'totp'>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const f = useForm<UserFormValues>(user ? userValuesFrom(user) : emptyUserValues(), {
    validate: (x) => validateUser(x, { editing, passwordMinLength: min }),
    mapError: (e, x) => mapUserError(e, x, min),
  });
  const { v } = f;
  const units = unitOptions(tree, t('users.wholeMunicipality'), (name) => t('users.allUnitsOf', { name }));

  const setRole = (i: number, patch: Partial<UserFormValues['roles'][number]>) => {
    f.set(
      'roles',
      v.roles.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
    f.dropServerErrors(`roles.${i}.role`, `roles.${i}.unitId`);
  };
  const removeRole = (i: number) => {
    f.set(
      'roles',
      v.roles.filter((_, j) => j !== i),
    );
    // The core's messages are keyed by row position: after a removal they no longer point at their rows.
    f.setServerErrors({}, f.top);
    window.setTimeout(() => document.getElementById('add-role')?.focus(), 0);
  };

  useEffect(() => {
    document.getElementById(editing ? 'f-user-displayName' : 'f-user-username')?.focus();
  }, [editing]);

  const back = () => navigate({ name: 'users' }, { force: true });
  const save = async () => {
    const r = await f.submit(() => (user ? api.tryCall('user.update', toUpdateInput(v, user)) : api.tryCall('user.create', toCreateInput(v))), {
      onError: (e) => {
        if (e.code !== 'conflict') return false;
        setConflict(true);
        return true;
      },
    });
    if (!r) return;
    releaseLeaveGuard();
    flash.set(user ? 'userForm.saved' : 'userForm.created');
    navigate({ name: 'users' }, { replace: !user, force: true });
  };

  const reloadLatest = async () => {
    if (!user) return;
    const r = await api.tryCall('user.list', {});
    const latest = r.ok ? r.data.items.find((u) => u.id === user.id) : undefined;
    if (!latest) {
      f.setServerErrors({}, [{ key: 'error.not_found' }]);
      return;
    }
    setUser(latest);
    f.reset(userValuesFrom(latest));
    setConflict(false);
  };

  const title = user ? t('userForm.editTitle', { username: user.username }) : t('userForm.newTitle');
  const roleOptions = [{ value: '', label: t('userForm.chooseRole') }, ...ROLES.map((r) => ({ value: r, label: t(`accessRole.${r}`) }))];

  return (
    <div className="k-page" data-testid="user-form">
      <PageTitle>{title}</PageTitle>
      {notice && (
        <div role="status" className="k-flash" data-testid="user-notice">
          {notice}
        </div>
      )}
      <FormPage
        form={f}
        label={title}
        onSubmit={() => void save()}
        onLeave={back}
        header={
          conflict && (
            <Alert color="orange" variant="light" role="alert" title={t('userForm.conflict.title')} mb="md" data-testid="conflict-alert" styles={{ title: { color: '#6d3a00' }, message: { color: '#3d2400' } }}>
              <p style={{ marginTop: 0 }}>{t('userForm.conflict.text')}</p>
              <Button onClick={() => void reloadLatest()} data-autofocus>
                {t('userForm.conflict.reload')}
              </Button>
            </Alert>
          )
        }
      >
        <Stack gap="md">
          <Section title={t('userForm.section.account')} id="f-user-account">
            <div className="k-form-grid">
              {editing ? (
                <TextInput id="f-user-username" label={t('auth.username')} value={v.username} readOnly classNames={{ input: 'k-mono' }} />
              ) : (
                <TextInput
                  id="f-user-username"
                  label={t('auth.username')}
                  description={t('auth.usernameHint')}
                  value={v.username}
                  onChange={(e) => f.set('username', e.currentTarget.value)}
                  {...f.field('username')}
                  required
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  maxLength={64}
                  classNames={{ input: 'k-mono' }}
                  data-testid="user-username"
                />
              )}
              <TextInput
                id="f-user-displayName"
                label={t('auth.displayName')}
                description={t('auth.displayNameHint')}
                value={v.displayName}
                onChange={(e) => f.set('displayName', e.currentTarget.value)}
                {...f.field('displayName')}
                required
                autoComplete="off"
                maxLength={130}
                data-testid="user-displayName"
              />
              {!editing && (
                <PasswordField
                  id="f-user-password"
                  label={t('userForm.password')}
                  value={v.password}
                  onChange={(x) => f.set('password', x)}
                  {...f.field('password')}
                  hint={t('password.hint', { min })}
                  autoComplete="new-password"
                  testId="user-password"
                />
              )}
            </div>
            {!editing && (
              <Text size="sm" c="dimmed" mt="sm">
                {t('userForm.passwordHint')}
              </Text>
            )}
            {editing && (
              <Checkbox
                mt="md"
                label={t('userForm.disabled')}
                description={t('userForm.disabledHint')}
                checked={v.disabled}
                onChange={(e) => f.set('disabled', e.currentTarget.checked)}
                name="disabled"
                data-testid="user-disabled"
              />
            )}
          </Section>

          <Section title={t('userForm.section.roles')} id="f-user-roles" testId="roles-section">
            <Text size="sm" c="dimmed" mb="sm">
              {t('userForm.rolesHint')}
            </Text>
            {f.errors.roles && (
              <Text c="#a61b1b" size="sm" mb="xs" data-k-error="true" tabIndex={-1}>
                {f.err('roles')}
              </Text>
            )}
            <Stack gap="xs">
              {v.roles.length === 0 && <Text className="k-empty">{t('userForm.noRoles')}</Text>}
              {v.roles.map((r, i) => {
                const n = i + 1;
                const scoped = roleTakesUnit(r.role);
                return (
                  <div key={r.key} className="k-role-row" data-testid="role-row">
                    <NativeSelect
                      id={`role-${r.key}`}
                      label={t('userForm.role', { n })}
                      value={r.role}
                      onChange={(e) => {
                        const role = e.currentTarget.value as Role | '';
                        setRole(i, roleTakesUnit(role) ? { role } : { role, unitId: WHOLE_MUNICIPALITY });
                      }}
                      data={roleOptions}
                      {...f.field(`roles.${i}.role`)}
                      required
                    />
                    <Select
                      label={t('userForm.unit', { n })}
                      description={scoped ? t('userForm.unitHint') : t('userForm.unitNotScoped')}
                      value={scoped ? r.unitId : WHOLE_MUNICIPALITY}
                      onChange={(x) => setRole(i, { unitId: x ?? WHOLE_MUNICIPALITY })}
                      data={units}
                      searchable
                      allowDeselect={false}
                      disabled={!scoped}
                      nothingFoundMessage={t('common.nothingFound')}
                      error={f.err(`roles.${i}.unitId`)}
                      data-field={`roles.${i}.unitId`}
                      comboboxProps={{ withinPortal: true }}
                      maxDropdownHeight={280}
                      data-testid="role-unit"
                    />
                    <Button variant="subtle" color="red" c="#a61b1b" size="xs" mt={26} onClick={() => removeRole(i)}>
                      {t('userForm.removeRole', { n })}
                    </Button>
                  </div>
                );
              })}
              <div>
                <Button
                  id="add-role"
                  variant="default"
                  leftSection={<IconPlus size={16} />}
                  disabled={v.roles.length >= 50}
                  onClick={() => {
                    const row = emptyRoleRow();
                    f.set('roles', [...v.roles, row]);
                    window.setTimeout(() => document.getElementById(`role-${row.key}`)?.focus(), 0);
                  }}
                  data-testid="add-role"
                >
                  {t('userForm.addRole')}
                </Button>
              </div>
            </Stack>
          </Section>

          {user && (
            <Section title={t('userForm.section.security')} id="f-user-security" testId="security-section">
              <Stack gap="xs">
                <Text size="sm">{user.totpEnabled ? t('userForm.totpState.on') : t('userForm.totpState.off')}</Text>
                <Text size="sm" c="dimmed">
                  {t('userForm.lastSignIn', { at: user.lastSignInAt ? formatDateTime(user.lastSignInAt, lang) : t('users.never') })}
                </Text>
                <Group gap="sm" mt={4}>
                  <Button variant="default" onClick={() => setDialog('password')} data-testid="reset-password">
                    {t('userForm.resetPassword')}
                  </Button>
                  <Button variant="default" onClick={() => setDialog('totp')} disabled={!user.totpEnabled} data-testid="reset-totp">
                    {t('userForm.resetTotp')}
                  </Button>
                </Group>
              </Stack>
            </Section>
          )}
        </Stack>
      </FormPage>
      {user && dialog === 'password' && (
        <ResetPasswordDialog
          user={user}
          minLength={min}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            setNotice(t('userForm.resetPassword.done'));
          }}
        />
      )}
      {user && (
        <ResetTotpDialog
          opened={dialog === 'totp'}
          user={user}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            setUser({ ...user, totpEnabled: false });
            setNotice(t('userForm.resetTotp.done'));
          }}
        />
      )}
    </div>
  );
}

function ResetPasswordDialog({ user, minLength, onClose, onDone }: { user: UserView; minLength: number; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm(
    { password: '' },
    {
      validate: (x): FieldErrors => (x.password.length >= minLength ? {} : { password: passwordIssueMessage(x.password ? 'too_short' : 'required', minLength, PASSWORD_MAX_LENGTH) }),
      mapError: (e) => mapApiError(e, (p) => p === 'password', { issue: (i) => passwordIssueMessage(i.code, minLength, PASSWORD_MAX_LENGTH) }),
    },
  );
  const submit = async () => {
    if (await f.submit(() => api.tryCall('user.resetPassword', { id: user.id, password: f.v.password }))) onDone();
  };
  return (
    <FormDialog
      form={f}
      title={t('userForm.resetPassword.title', { name: user.displayName })}
      testId="reset-password-dialog"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('userForm.resetPassword.submit')}
      returnFocusId="f-user-security-title"
    >
      <Stack gap="sm" mb="md">
        <Text size="sm">{t('userForm.resetPassword.text')}</Text>
        <PasswordField
          label={t('auth.changePassword.new')}
          value={f.v.password}
          onChange={(x) => f.set('password', x)}
          {...f.field('password')}
          hint={t('password.hint', { min: minLength })}
          autoComplete="new-password"
          autoFocus
          testId="reset-password-input"
        />
      </Stack>
    </FormDialog>
  );
}

function ResetTotpDialog({ opened, user, onClose, onDone }: { opened: boolean; user: UserView; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const submit = async () => {
    setBusy(true);
    setFailed(false);
    const r = await api.tryCall('user.resetTotp', { id: user.id });
    setBusy(false);
    if (r.ok) onDone();
    else setFailed(true);
  };
  return (
    <Dialog opened={opened} onClose={onClose} title={t('userForm.resetTotp.title')} centered testId="reset-totp-dialog">
      <p style={{ marginTop: 0 }}>{t('userForm.resetTotp.text', { name: user.displayName })}</p>
      {failed && (
        <Alert color="red" variant="light" role="alert" mb="sm" py={8}>
          {t('error.saveFailed')}
        </Alert>
      )}
      <div className="k-form-actions">
        <Button variant="outline" color="red" c="#a61b1b" style={{ borderColor: '#a61b1b' }} loading={busy} onClick={() => void submit()} data-testid="reset-totp-confirm">
          {t('userForm.resetTotp.submit')}
        </Button>
        <Button variant="default" onClick={onClose} data-autofocus data-testid="cancel">
          {t('common.cancel')}
        </Button>
      </div>
    </Dialog>
  );
}
