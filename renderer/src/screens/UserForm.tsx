/**
 * Create or edit an account: user name (new only), name, first password (new only), roles each with a
 * unit (or the whole municipality), disabled; reset password and two-step verification.
 * Same keyboard rules as every form: Ctrl+S or Enter saves, Esc cancels (asking first when changed).
 */
import { Alert, Button, Checkbox, Group, NativeSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { PasswordField } from '../components/AuthForms';
import { ErrorState, Loading, PageTitle, Section } from '../components/common';
import { Dialog } from '../components/Dialog';
import { FormActions } from '../components/FormActions';
import { IconPlus } from '../components/icons';
import { useApi, useQuery } from '../lib/api';
import { passwordIssueMessage } from '../lib/auth';
import { useAuth } from '../lib/authContext';
import { formatDateTime } from '../lib/format';
import { useT } from '../lib/i18n';
import { modPressed } from '../lib/platform';
import type { FieldError, FieldErrors } from '../lib/personForm';
import { navigate, setLeaveGuard } from '../lib/router';
import { flash } from '../lib/store';
import {
  emptyRoleRow,
  emptyUserValues,
  roleTakesUnit,
  ROLES,
  toCreateInput,
  toUpdateInput,
  unitOptions,
  userDirty,
  userIssues,
  userValuesFrom,
  validateUser,
  WHOLE_MUNICIPALITY,
  type Role,
  type UserFormValues,
  type UserView,
} from '../lib/users';
import { useOrgTree } from './Org';
import { DiscardModal } from './PersonForm';
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
  const [initial, setInitial] = useState<UserFormValues>(() => (user ? userValuesFrom(user) : emptyUserValues()));
  const [v, setV] = useState<UserFormValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [confirm, setConfirm] = useState<null | (() => void)>(null);
  const [dialog, setDialog] = useState<null | 'password' | 'totp'>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const dirty = userDirty(v, initial);
  const units = unitOptions(tree, t('users.wholeMunicipality'), (name) => t('users.allUnitsOf', { name }));

  const set = <K extends keyof UserFormValues>(k: K, value: UserFormValues[K]) => {
    setV((cur) => ({ ...cur, [k]: value }));
    if (errors[k]) setErrors(({ [k]: _, ...rest }) => rest);
  };
  const setRole = (i: number, patch: Partial<UserFormValues['roles'][number]>) => {
    setV((cur) => ({ ...cur, roles: cur.roles.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
    setErrors(({ [`roles.${i}.role`]: _a, [`roles.${i}.unitId`]: _b, roles: _c, ...rest }) => rest);
  };
  const msg = (e: FieldError | undefined): ReactNode => (e ? t(e.key, e.vars) : undefined);

  useEffect(() => {
    document.getElementById(editing ? 'f-user-displayName' : 'f-user-username')?.focus();
  }, [editing]);

  // ---- leaving
  const back = useCallback(() => navigate({ name: 'users' }, { force: true }), []);
  useEffect(() => {
    if (!dirty) {
      setLeaveGuard(null);
      return;
    }
    setLeaveGuard((proceed) => {
      setConfirm(() => proceed);
      return true;
    });
    return () => setLeaveGuard(null);
  }, [dirty]);
  const cancel = () => (dirty ? setConfirm(() => back) : back());

  // Focus the first field with an error after the render that shows the errors (not on a timer,
  // which can run before an answer's errors are committed).
  const [focusTick, setFocusTick] = useState(0);
  useEffect(() => {
    if (!focusTick) return;
    const el = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  }, [focusTick]);
  const focusFirstError = () => setFocusTick((n) => n + 1);

  // ---- saving
  const save = async () => {
    if (saving) return;
    const e = validateUser(v, { editing, passwordMinLength: min });
    setErrors(e);
    setFormErrors([]);
    if (Object.keys(e).length) return focusFirstError();
    setSaving(true);
    const r = user ? await api.tryCall('user.update', toUpdateInput(v, user)) : await api.tryCall('user.create', toCreateInput(v));
    setSaving(false);
    if (r.ok) {
      setLeaveGuard(null);
      flash.set(user ? 'userForm.saved' : 'userForm.created');
      navigate({ name: 'users' }, { replace: !user, force: true });
      return;
    }
    const err = r.error;
    if (err.code === 'conflict') {
      setConflict(true);
      return;
    }
    if ((err.code === 'validation' || err.code === 'duplicate') && (err.issues?.length || err.field)) {
      const issues = err.issues?.length ? err.issues : [{ field: err.field ?? '', code: err.code, message: err.message }];
      const mapped = userIssues(issues, v, min);
      setErrors(mapped.fields);
      setFormErrors(mapped.other);
      return focusFirstError();
    }
    if (err.code === 'duplicate') {
      setErrors({ username: { key: 'userForm.usernameTaken' } });
      return focusFirstError();
    }
    setFormErrors([{ key: err.code === 'forbidden' ? 'error.forbidden' : err.code === 'not_found' ? 'error.not_found' : 'error.saveFailed' }]);
  };

  const reloadLatest = async () => {
    if (!user) return;
    const r = await api.tryCall('user.list', {});
    const latest = r.ok ? r.data.items.find((u) => u.id === user.id) : undefined;
    if (!latest) {
      setFormErrors([{ key: 'error.not_found' }]);
      return;
    }
    const fresh = userValuesFrom(latest);
    setUser(latest);
    setInitial(fresh);
    setV(fresh);
    setErrors({});
    setConflict(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (modPressed(e) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape' && !e.defaultPrevented && (e.target as HTMLElement).getAttribute('aria-expanded') !== 'true') {
      e.preventDefault();
      cancel();
    }
  };

  const title = user ? t('userForm.editTitle', { username: user.username }) : t('userForm.newTitle');
  const errorCount = Object.keys(errors).length;
  const roleOptions = [{ value: '', label: t('userForm.chooseRole') }, ...ROLES.map((r) => ({ value: r, label: t(`accessRole.${r}`) }))];

  return (
    <div className="k-page" data-testid="user-form">
      <PageTitle>{title}</PageTitle>
      {notice && (
        <div role="status" className="k-flash" data-testid="user-notice">
          {notice}
        </div>
      )}
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        onKeyDown={onKeyDown}
        aria-label={title}
      >
        {conflict && (
          <Alert color="orange" variant="light" role="alert" title={t('userForm.conflict.title')} mb="md" data-testid="conflict-alert" styles={{ title: { color: '#6d3a00' }, message: { color: '#3d2400' } }}>
            <p style={{ marginTop: 0 }}>{t('userForm.conflict.text')}</p>
            <Button onClick={() => void reloadLatest()} data-autofocus>
              {t('userForm.conflict.reload')}
            </Button>
          </Alert>
        )}
        {(formErrors.length > 0 || errorCount > 0) && (
          <Alert color="red" variant="light" role="alert" mb="md" title={t('personForm.errors.title')} data-testid="form-errors" styles={{ title: { color: '#7d1212' }, message: { color: '#3b0d0d' } }}>
            {errorCount > 0 && <p style={{ margin: 0 }}>{t('personForm.errors.count', { count: errorCount })}</p>}
            {formErrors.map((fe, i) => (
              <p key={i} style={{ margin: '4px 0 0' }}>
                {msg(fe)}
              </p>
            ))}
          </Alert>
        )}

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
                  onChange={(e) => set('username', e.currentTarget.value)}
                  error={msg(errors.username)}
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
                onChange={(e) => set('displayName', e.currentTarget.value)}
                error={msg(errors.displayName)}
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
                  onChange={(x) => set('password', x)}
                  error={msg(errors.password)}
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
                onChange={(e) => set('disabled', e.currentTarget.checked)}
                data-testid="user-disabled"
              />
            )}
          </Section>

          <Section title={t('userForm.section.roles')} id="f-user-roles" testId="roles-section">
            <Text size="sm" c="dimmed" mb="sm">
              {t('userForm.rolesHint')}
            </Text>
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
                      error={msg(errors[`roles.${i}.role`])}
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
                      error={msg(errors[`roles.${i}.unitId`])}
                      comboboxProps={{ withinPortal: true }}
                      maxDropdownHeight={280}
                      data-testid="role-unit"
                    />
                    <Button
                      variant="subtle"
                      color="red"
                      c="#a61b1b"
                      size="xs"
                      mt={26}
                      onClick={() => {
                        setV((cur) => ({ ...cur, roles: cur.roles.filter((_, j) => j !== i) }));
                        setErrors({});
                        window.setTimeout(() => document.getElementById('add-role')?.focus(), 0);
                      }}
                    >
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
                    setV((cur) => ({ ...cur, roles: [...cur.roles, row] }));
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

        <FormActions saving={saving} dirty={dirty} onCancel={cancel} />
      </form>
      <DiscardModal
        opened={confirm !== null}
        onStay={() => setConfirm(null)}
        onDiscard={() => {
          const go = confirm;
          setConfirm(null);
          setLeaveGuard(null);
          go?.();
        }}
      />
      {user && (
        <>
          <ResetPasswordDialog
            opened={dialog === 'password'}
            user={user}
            minLength={min}
            onClose={() => setDialog(null)}
            onDone={() => {
              setDialog(null);
              setNotice(t('userForm.resetPassword.done'));
            }}
          />
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
        </>
      )}
    </div>
  );
}

function ResetPasswordDialog({ opened, user, minLength, onClose, onDone }: { opened: boolean; user: UserView; minLength: number; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const api = useApi();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) {
      setPassword('');
      setError(null);
    }
  }, [opened]);
  const submit = async () => {
    if (busy) return;
    if (password.length < minLength) {
      setError(passwordIssueMessage(password ? 'too_short' : 'required', minLength, PASSWORD_MAX_LENGTH));
      return;
    }
    setBusy(true);
    const r = await api.tryCall('user.resetPassword', { id: user.id, password });
    setBusy(false);
    if (r.ok) return onDone();
    if (r.error.code === 'validation') {
      const issue = r.error.issues?.find((i) => i.field === 'password') ?? r.error.issues?.[0];
      setError(passwordIssueMessage(issue?.code ?? 'invalid', minLength, PASSWORD_MAX_LENGTH));
      return;
    }
    setError({ key: r.error.code === 'not_found' ? 'error.not_found' : 'error.saveFailed' });
  };
  return (
    <Dialog opened={opened} onClose={onClose} title={t('userForm.resetPassword.title', { name: user.displayName })} testId="reset-password-dialog">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          e.stopPropagation();
          void submit();
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('userForm.resetPassword.text')}</Text>
          <PasswordField label={t('auth.changePassword.new')} value={password} onChange={setPassword} error={error ? t(error.key, error.vars) : undefined} hint={t('password.hint', { min: minLength })} autoComplete="new-password" autoFocus testId="reset-password-input" />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('userForm.resetPassword.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
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
      <Group justify="flex-end" gap="sm">
        <Button onClick={onClose} data-autofocus>
          {t('common.cancel')}
        </Button>
        <Button variant="outline" color="red" c="#a61b1b" style={{ borderColor: '#a61b1b' }} loading={busy} onClick={() => void submit()} data-testid="reset-totp-confirm">
          {t('userForm.resetTotp.submit')}
        </Button>
      </Group>
    </Dialog>
  );
}
