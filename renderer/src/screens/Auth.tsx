/**
 * The screens before the app: first-run setup, sign-in, the second factor, the policy-required
 * two-step enrolment, the required password change, and the lock screen. Each autofocuses its first
 * field; Enter submits. Errors never say which of user name and password was wrong.
 */
import { Button, Group, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { LANGUAGES, LANGUAGE_NAMES } from '../../../shared/i18n';
import { AuthError, ChangePasswordForm, CodeField, codeProblem, PasswordField, passwordProblem, refusedCode, TotpEnrolment, useFocusInvalid, useLockout, useMsg, useSecretSubmit } from '../components/AuthForms';
import { IconLock } from '../components/icons';
import { useApi } from '../lib/api';
import { authErrorMessage, demoRolesText, issuesByField, normaliseCode, passwordIssueMessage, type AuthStatus, type Msg } from '../lib/auth';
import { setLang, useT } from '../lib/i18n';
import { PASSWORD_MAX_LENGTH } from '../../../shared/domain/access';

type OnStatus = (s: AuthStatus) => void;

/** The frame every auth screen shares: a header band with the language choice, one centred card. */
export function AuthFrame({ title, intro, children, aside, testId, icon }: { title: string; intro?: ReactNode; children: ReactNode; aside?: ReactNode; testId: string; icon?: ReactNode }) {
  const { t, lang } = useT();
  return (
    <div className="k-auth">
      <header className="k-auth-header">
        <span className="k-brand">Kansli</span>
        <span className="k-auth-tagline">{t('auth.tagline')}</span>
        <div className="k-auth-langs" role="group" aria-label={t('auth.language')}>
          {LANGUAGES.map((l) => (
            <UnstyledButton key={l} lang={l} className="k-auth-lang" aria-pressed={l === lang} onClick={() => setLang(l)}>
              {LANGUAGE_NAMES[l]}
            </UnstyledButton>
          ))}
        </div>
      </header>
      <main className="k-auth-main" data-testid={testId}>
        <div className={aside ? 'k-auth-columns k-auth-columns-2' : 'k-auth-columns'}>
          <section className="k-auth-card" aria-labelledby="auth-title">
            <h1 id="auth-title" className="k-auth-title">
              {icon}
              {title}
            </h1>
            {intro && (
              <Text size="sm" c="dimmed" mb="md">
                {intro}
              </Text>
            )}
            {children}
          </section>
          {aside}
        </div>
      </main>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// First run
// ---------------------------------------------------------------------------------------------

export function SetupScreen({ status, onStatus }: { status: AuthStatus; onStatus: OnStatus }) {
  const { t } = useT();
  const api = useApi();
  const msg = useMsg();
  const min = status.passwordMinLength;
  const [v, setV] = useState({ username: '', displayName: '', password: '', repeat: '' });
  const [errors, setErrors] = useState<Record<string, Msg>>({});
  const [banner, setBanner] = useState<Msg | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const { formRef, request: focusFirstInvalid } = useFocusInvalid();
  const set = (k: keyof typeof v) => (x: string) => setV((cur) => ({ ...cur, [k]: x }));

  const submit = async () => {
    if (busy) return;
    const e: Record<string, Msg> = {};
    const username = v.username.trim().toLowerCase();
    if (!username) e.username = { key: 'validation.required' };
    else if (!/^[a-z0-9._-]{2,64}$/.test(username)) e.username = { key: 'validation.username_format' };
    if (!v.displayName.trim()) e.displayName = { key: 'validation.required' };
    if (!v.password) e.password = { key: 'validation.required' };
    else if (v.password.length < min) e.password = passwordIssueMessage('too_short', min, PASSWORD_MAX_LENGTH);
    if (v.password && v.repeat !== v.password) e.repeat = { key: 'password.error.mismatch' };
    setErrors(e);
    setBanner(null);
    setAttempt((n) => n + 1);
    if (Object.keys(e).length) return focusFirstInvalid();
    setBusy(true);
    const r = await api.tryCall('auth.setup', { username, displayName: v.displayName.trim(), password: v.password });
    setBusy(false);
    if (r.ok) return onStatus(r.data);
    if (r.error.code === 'validation') {
      const by = issuesByField(r.error, ['username', 'displayName', 'password'], (f, code) =>
        f === 'password' ? passwordIssueMessage(code, min, PASSWORD_MAX_LENGTH) : code === 'username_format' ? { key: 'validation.username_format' } : { key: code === 'required' ? 'validation.required' : 'validation.invalid' },
      );
      setErrors(by.fields);
      if (by.other.length) setBanner(by.other[0]!);
      return focusFirstInvalid();
    }
    setBanner(authErrorMessage(r.error, 'setup'));
    if (r.error.code === 'forbidden') {
      const s = await api.tryCall('auth.status', {});
      if (s.ok) window.setTimeout(() => onStatus(s.data), 2500);
    }
  };

  return (
    <AuthFrame title={t('auth.setup.title')} intro={t('auth.setup.intro')} testId="setup-screen">
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <AuthError message={msg(banner)} attempt={attempt} />
          <TextInput
            label={t('auth.username')}
            description={t('auth.usernameHint')}
            value={v.username}
            onChange={(e) => set('username')(e.currentTarget.value)}
            error={msg(errors.username)}
            autoFocus
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={64}
          />
          <TextInput label={t('auth.displayName')} description={t('auth.displayNameHint')} value={v.displayName} onChange={(e) => set('displayName')(e.currentTarget.value)} error={msg(errors.displayName)} autoComplete="name" required maxLength={120} />
          <PasswordField label={t('auth.password')} value={v.password} onChange={set('password')} error={msg(errors.password)} hint={t('password.hint', { min })} autoComplete="new-password" />
          <PasswordField label={t('auth.passwordRepeat')} value={v.repeat} onChange={set('repeat')} error={msg(errors.repeat)} autoComplete="new-password" />
          <Group mt={4}>
            <Button type="submit" loading={busy}>
              {t('auth.setup.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Sign-in
// ---------------------------------------------------------------------------------------------

export function SignInScreen({ status, onStatus }: { status: AuthStatus; onStatus: OnStatus }) {
  const { t } = useT();
  const api = useApi();
  const msg = useMsg();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, Msg>>({});
  const [banner, setBanner] = useState<Msg | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const lockout = useLockout();
  const passwordRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const { formRef, request: focusFirstInvalid } = useFocusInvalid();
  const { start } = lockout;
  useEffect(() => {
    if (status.retryAfterSeconds) start(status.retryAfterSeconds);
  }, [status.retryAfterSeconds, start]);

  const submit = async () => {
    if (busy) return;
    const e: Record<string, Msg> = {};
    if (!username.trim()) e.username = { key: 'validation.required' };
    if (!password) e.password = { key: 'validation.required' };
    setErrors(e);
    setBanner(null);
    setAttempt((n) => n + 1);
    if (Object.keys(e).length) return focusFirstInvalid();
    setBusy(true);
    const r = await api.tryCall('auth.signIn', { username: username.trim(), password });
    setBusy(false);
    if (r.ok) return onStatus(r.data);
    if (r.error.code === 'locked_out') lockout.start(r.error.retryAfterSeconds ?? 60);
    setBanner(authErrorMessage(r.error, 'signIn') ?? { key: 'auth.error.auth_failed' });
    // A wrong password is retyped, the user name usually not.
    setPassword('');
    window.setTimeout(() => passwordRef.current?.focus(), 0);
  };

  const demo = status.demo && status.demoAccounts && status.demoAccounts.length > 0 ? status.demoAccounts : null;
  // Comes from the core, and only for a demo database: a real installation has no shared password to show.
  const demoPassword = status.demoPassword ?? '';
  const aside = demo && (
    <aside className="k-auth-card k-auth-demo" aria-labelledby="demo-title" data-testid="demo-accounts">
      <h2 id="demo-title" className="k-section-title">
        {t('auth.demo.title')}
      </h2>
      <Text size="sm" mb={8}>
        {t('auth.demo.text')} <code className="k-demo-password">{demoPassword}</code>
      </Text>
      <table className="k-table k-table-dense">
        <thead>
          <tr>
            <th scope="col">{t('auth.demo.col.user')}</th>
            <th scope="col">{t('auth.demo.col.roles')}</th>
          </tr>
        </thead>
        <tbody>
          {demo.map((a) => (
            <tr key={a.username}>
              <td>
                <UnstyledButton
                  className="k-link k-mono"
                  aria-label={t('auth.demo.use', { username: a.username })}
                  onClick={() => {
                    setUsername(a.username);
                    setPassword(demoPassword);
                    setErrors({});
                    window.setTimeout(() => submitRef.current?.focus(), 0);
                  }}
                >
                  {a.username}
                </UnstyledButton>
              </td>
              <td>{demoRolesText(a.roles, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );

  return (
    <AuthFrame title={t('auth.signIn.title')} intro={t('auth.signIn.intro')} aside={aside} testId="sign-in-screen">
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <AuthError message={msg(lockout.lockoutMsg ?? banner)} attempt={attempt} />
          <TextInput
            label={t('auth.username')}
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            error={msg(errors.username)}
            autoFocus
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={64}
            data-testid="username"
          />
          <PasswordField inputRef={passwordRef} label={t('auth.password')} value={password} onChange={setPassword} error={msg(errors.password)} autoComplete="current-password" testId="password" />
          <Group mt={4}>
            <Button ref={submitRef} type="submit" loading={busy} disabled={lockout.seconds !== null} data-testid="sign-in">
              {t('auth.signIn.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Second factor
// ---------------------------------------------------------------------------------------------

export function TotpScreen({ onStatus, onSignOut }: { onStatus: OnStatus; onSignOut: () => void }) {
  const { t } = useT();
  const api = useApi();
  const msg = useMsg();
  const form = useSecretSubmit({
    validate: codeProblem,
    call: (code) => api.tryCall('auth.verifyTotp', { code: normaliseCode(code) }),
    onDone: onStatus,
    refused: refusedCode,
    context: 'code',
    followSession: true,
  });

  return (
    <AuthFrame title={t('auth.totp.title')} intro={t('auth.totp.intro')} testId="totp-screen">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit();
        }}
      >
        <Stack gap="sm">
          <AuthError message={msg(form.banner)} attempt={form.attempt} />
          <CodeField inputRef={form.ref} value={form.value} onChange={form.setValue} error={msg(form.fieldError)} autoFocus />
          <Group gap="sm" mt={4}>
            <Button type="submit" loading={form.busy} disabled={form.blocked} data-testid="verify-code">
              {t('auth.totp.submit')}
            </Button>
            <Button variant="subtle" onClick={onSignOut}>
              {t('auth.totp.other')}
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Required steps after sign-in
// ---------------------------------------------------------------------------------------------

export function EnrolTotpScreen({ onStatus, onSignOut }: { onStatus: OnStatus; onSignOut: () => void }) {
  const { t } = useT();
  return (
    <AuthFrame title={t('auth.enrol.title')} intro={t('auth.enrol.required')} testId="enrol-screen">
      <TotpEnrolment onDone={onStatus} onCancel={onSignOut} cancelLabel={t('auth.signOut')} />
    </AuthFrame>
  );
}

export function ChangePasswordScreen({ status, onStatus, onSignOut }: { status: AuthStatus; onStatus: OnStatus; onSignOut: () => void }) {
  const { t } = useT();
  return (
    <AuthFrame title={t('auth.changePassword.title')} intro={t('auth.changePassword.required')} testId="change-password-screen">
      <ChangePasswordForm minLength={status.passwordMinLength} onDone={onStatus} />
      <Button variant="subtle" mt="sm" px={0} onClick={onSignOut}>
        {t('auth.signOut')}
      </Button>
    </AuthFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Lock screen
// ---------------------------------------------------------------------------------------------

export function LockScreen({ status, onStatus, onSignOut }: { status: AuthStatus; onStatus: OnStatus; onSignOut: () => void }) {
  const { t } = useT();
  const api = useApi();
  const msg = useMsg();
  const form = useSecretSubmit({
    validate: passwordProblem,
    call: (password) => api.tryCall('auth.unlock', { password }),
    onDone: onStatus,
    refused: (e) => (e.code === 'auth_failed' ? { key: 'auth.error.unlock' } : null),
    context: 'unlock',
    followSession: true,
  });

  const user = status.user;
  return (
    <AuthFrame title={t('lock.title')} icon={<IconLock size={22} />} intro={t('lock.text')} testId="lock-screen">
      {user && (
        <p className="k-lock-user" data-testid="lock-user">
          {t('lock.signedInAs', { name: user.name, username: user.username })}
        </p>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit();
        }}
      >
        <Stack gap="sm">
          <AuthError message={msg(form.banner)} attempt={form.attempt} />
          {/* The user name for password managers, not shown. */}
          <input type="text" name="username" autoComplete="username" value={user?.username ?? ''} readOnly hidden />
          <PasswordField inputRef={form.ref} label={t('auth.password')} value={form.value} onChange={form.setValue} error={msg(form.fieldError)} autoFocus autoComplete="current-password" testId="unlock-password" />
          <Group gap="sm" mt={4}>
            <Button type="submit" loading={form.busy} disabled={form.blocked} data-testid="unlock">
              {t('lock.unlock')}
            </Button>
            <Button variant="default" onClick={onSignOut} data-testid="lock-sign-out">
              {t('auth.signOut')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            {t('lock.signOutHint')}
          </Text>
        </Stack>
      </form>
    </AuthFrame>
  );
}
