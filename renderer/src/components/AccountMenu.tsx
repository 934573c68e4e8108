/**
 * The header's account menu (the user's name): change password, two-step verification, lock (Ctrl+L),
 * sign out. A Mantine Menu: Enter/Space/↓ opens it, arrows move, Esc closes — no mouse needed.
 * The dialogs are opened from here and from the command palette (through `accountDialog`).
 */
import { Button, Menu, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useAuth } from '../lib/authContext';
import { useT } from '../lib/i18n';
import { MOD, isMac } from '../lib/platform';
import { useSession } from '../lib/session';
import { createStore, useStore } from '../lib/store';
import { rolesText } from '../lib/users';
import { ChangePasswordForm, TotpDisableForm, TotpEnrolment } from './AuthForms';
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

function AccountDialogs() {
  const { t } = useT();
  const auth = useAuth();
  const session = useSession();
  // session.info is read once per sign-in; remember a switch-off made since then.
  const [totpOff, setTotpOff] = useState(false);
  const canTurnOff = session.totpEnabled && !session.totpRequired && !totpOff;
  const open = useStore(accountDialog);
  const close = () => accountDialog.set(null);
  return (
    <>
      <Dialog opened={open === 'password' || open === 'passwordDone'} onClose={close} title={t('auth.changePassword.title')} testId="change-password-dialog">
        {open === 'passwordDone' ? (
          <Done text={t('auth.changePassword.done')} onClose={close} />
        ) : (
          <ChangePasswordForm
            minLength={auth.passwordMinLength}
            onCancel={close}
            onDone={(s) => {
              auth.setStatus(s);
              accountDialog.set('passwordDone');
            }}
          />
        )}
      </Dialog>
      <Dialog
        opened={open === 'totp' || open === 'totpDone' || open === 'totpOffDone'}
        onClose={close}
        title={canTurnOff || open === 'totpOffDone' ? t('auth.totpDisable.submit') : t('auth.enrol.title')}
        size="lg"
        testId="totp-dialog"
      >
        {open === 'totpDone' ? (
          <Done text={t('auth.enrol.done')} onClose={close} />
        ) : open === 'totpOffDone' ? (
          <Done text={t('auth.totpDisable.done')} onClose={close} />
        ) : canTurnOff ? (
          <TotpDisableForm
            onCancel={close}
            onDone={(s) => {
              setTotpOff(true);
              auth.setStatus(s);
              accountDialog.set('totpOffDone');
            }}
          />
        ) : (
          <Stack gap="xs">
            <Text size="sm">{t('auth.enrol.optional')}</Text>
            <Text size="sm" c="dimmed">
              {t('auth.enrol.replaceNote')}
            </Text>
            <TotpEnrolment
              onCancel={close}
              onDone={(s) => {
                auth.setStatus(s);
                accountDialog.set('totpDone');
              }}
            />
          </Stack>
        )}
      </Dialog>
    </>
  );
}

function Done({ text, onClose }: { text: string; onClose: () => void }) {
  const { t } = useT();
  return (
    <Stack gap="md">
      <Text role="status">{text}</Text>
      <div>
        <Button onClick={onClose} data-autofocus>
          {t('common.close')}
        </Button>
      </div>
    </Stack>
  );
}
