/**
 * The header's account menu (the user's name): change password, two-step verification, lock (Ctrl+L),
 * sign out. A Mantine Menu: Enter/Space/↓ opens it, arrows move, Esc closes — no mouse needed.
 * The dialogs are opened from here and from the command palette (through `accountDialog`); they are the
 * kit's FormDialogs (Ctrl+S, Esc asking first when something was typed, one button order).
 */
import { Button, Menu, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { FormDialog } from '../kit';
import { useApi } from '../lib/api';
import type { AuthStatus } from '../lib/auth';
import { useAuth } from '../lib/authContext';
import { useT } from '../lib/i18n';
import { MOD, isMac } from '../lib/platform';
import { useSession } from '../lib/session';
import { createStore, useStore } from '../lib/store';
import { rolesText } from '../lib/users';
import { ChangePasswordFields, PasswordField, passwordProblem, TotpEnrolmentSteps, useChangePassword, useSecretSubmit, useTotpEnrolment } from './AuthForms';
import { Dialog } from './Dialog';
import { IconLock, IconPerson } from './icons';

/** Which account dialog is open (the palette opens them too). */
export const accountDialog = createStore<null | 'password' | 'totp' | 'passwordDone' | 'totpDone' | 'totpOffDone'>(null);

export const LOCK_KEYS = isMac ? 'Meta+L' : 'Control+L';

export function AccountMenu() {
  const { t } = useT();
  const session = useSession();
  const auth = useAuth();
  return (
    <>
      <Menu position="bottom-end" withinPortal width={280}>
        <Menu.Target>
          <Button variant="outline" className="k-header-btn" leftSection={<IconPerson size={16} />} aria-label={t('account.menu', { name: session.user.name })} data-testid="account-menu">
            {session.user.name}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            <span className="k-mono">{session.user.username}</span>
            {session.roles.length > 0 && (
              <span style={{ display: 'block', fontWeight: 400, marginTop: 2 }} data-testid="account-roles">
                {rolesText(session.roles, t)}
              </span>
            )}
          </Menu.Label>
          <Menu.Divider />
          <Menu.Item onClick={() => accountDialog.set('password')} data-testid="menu-change-password">
            {t('account.changePassword')}
          </Menu.Item>
          <Menu.Item onClick={() => accountDialog.set('totp')} data-testid="menu-totp">
            {t('account.totp')}
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item leftSection={<IconLock size={16} />} rightSection={<kbd>{`${MOD}+L`}</kbd>} onClick={auth.lock} aria-keyshortcuts={LOCK_KEYS} data-testid="menu-lock">
            {t('account.lock')}
          </Menu.Item>
          <Menu.Item onClick={auth.signOut} data-testid="menu-sign-out">
            {t('account.signOut')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <AccountDialogs />
    </>
  );
}

/** Focus goes back to the account menu's button when an account dialog closes (it was opened from there or the palette). */
function backToMenu() {
  window.setTimeout(() => {
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('[role="dialog"]')) document.querySelector<HTMLElement>('[data-testid="account-menu"]')?.focus();
  }, 0);
}

function AccountDialogs() {
  const { t } = useT();
  const auth = useAuth();
  const session = useSession();
  // session.info is read once per sign-in; remember a switch-off made since then.
  const [totpOff, setTotpOff] = useState(false);
  const canTurnOff = session.totpEnabled && !session.totpRequired && !totpOff;
  const open = useStore(accountDialog);
  const close = () => {
    accountDialog.set(null);
    backToMenu();
  };
  switch (open) {
    case 'password':
      return (
        <ChangePasswordDialog
          minLength={auth.passwordMinLength}
          onClose={close}
          onDone={(s) => {
            auth.setStatus(s);
            accountDialog.set('passwordDone');
          }}
        />
      );
    case 'totp':
      return canTurnOff ? (
        <TotpDisableDialog
          onClose={close}
          onDone={(s) => {
            setTotpOff(true);
            auth.setStatus(s);
            accountDialog.set('totpOffDone');
          }}
        />
      ) : (
        <TotpEnrolDialog
          onClose={close}
          onDone={(s) => {
            auth.setStatus(s);
            accountDialog.set('totpDone');
          }}
        />
      );
    case 'passwordDone':
      return <Done title={t('auth.changePassword.title')} text={t('auth.changePassword.done')} testId="change-password-dialog" onClose={close} />;
    case 'totpDone':
      return <Done title={t('auth.enrol.title')} text={t('auth.enrol.done')} testId="totp-dialog" onClose={close} />;
    case 'totpOffDone':
      return <Done title={t('auth.totpDisable.submit')} text={t('auth.totpDisable.done')} testId="totp-dialog" onClose={close} />;
    default:
      return null;
  }
}

function ChangePasswordDialog({ minLength, onClose, onDone }: { minLength: number; onClose: () => void; onDone: (s: AuthStatus) => void }) {
  const { t } = useT();
  const { f, submit, lockout } = useChangePassword(minLength, onDone);
  return (
    <FormDialog form={f} title={t('auth.changePassword.title')} testId="change-password-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('auth.changePassword.submit')} disabled={lockout.seconds !== null}>
      <Stack mb="md">
        <ChangePasswordFields f={f} minLength={minLength} />
      </Stack>
    </FormDialog>
  );
}

function TotpEnrolDialog({ onClose, onDone }: { onClose: () => void; onDone: (s: AuthStatus) => void }) {
  const { t } = useT();
  const enrolment = useTotpEnrolment(onDone);
  const { form } = enrolment;
  return (
    <FormDialog form={form.form} title={t('auth.enrol.title')} testId="totp-dialog" onSubmit={() => void form.submit()} onClose={onClose} submitLabel={t('auth.enrol.submit')} disabled={form.blocked || !enrolment.secret}>
      <Stack gap="xs" mb="md">
        <Text size="sm">{t('auth.enrol.optional')}</Text>
        <Text size="sm" c="dimmed">
          {t('auth.enrol.replaceNote')}
        </Text>
        <TotpEnrolmentSteps enrolment={enrolment} />
      </Stack>
    </FormDialog>
  );
}

function TotpDisableDialog({ onClose, onDone }: { onClose: () => void; onDone: (s: AuthStatus) => void }) {
  const { t } = useT();
  const api = useApi();
  const form = useSecretSubmit({
    validate: passwordProblem,
    call: (password) => api.tryCall('auth.totpDisable', { password }),
    onDone,
    refused: (e) => (e.code === 'auth_failed' ? { key: 'auth.error.currentPassword' } : null),
    context: 'changePassword',
  });
  return (
    <FormDialog
      form={form.form}
      title={t('auth.totpDisable.submit')}
      testId="totp-dialog"
      onSubmit={() => void form.submit()}
      onClose={onClose}
      submitLabel={t('auth.totpDisable.submit')}
      danger
      disabled={form.blocked}
    >
      <Stack gap="sm" mb="md" data-testid="totp-disable-form">
        <Text size="sm">{t('auth.totpDisable.text')}</Text>
        <PasswordField
          id="td-password"
          inputRef={form.ref}
          label={t('auth.changePassword.current')}
          value={form.value}
          onChange={form.setValue}
          {...form.form.field('secret')}
          autoFocus
          autoComplete="current-password"
        />
      </Stack>
    </FormDialog>
  );
}

/** What was done, with Close (nothing to save: a plain dialog). */
function Done({ title, text, testId, onClose }: { title: string; text: string; testId: string; onClose: () => void }) {
  const { t } = useT();
  return (
    <Dialog opened onClose={onClose} title={title} testId={testId}>
      <Stack gap="md">
        <Text role="status">{text}</Text>
        <div>
          <Button onClick={onClose} data-autofocus>
            {t('common.close')}
          </Button>
        </div>
      </Stack>
    </Dialog>
  );
}
