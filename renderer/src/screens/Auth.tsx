/**
 * The screens before the app: first-run setup, sign-in, the second factor, the policy-required
 * two-step enrolment, the required password change, and the lock screen. Each autofocuses its first
 * field; Enter submits. Errors never say which of user name and password was wrong. The forms are the
 * kit's (useForm: a field speaks when left, the banner after an attempt); the layout is their own, and
 * nothing here asks before leaving (there is nothing to lose).
 */
import { Button, Group, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { LANGUAGES, LANGUAGE_NAMES } from '../../../shared/i18n';
import { AuthBanner, ChangePasswordFields, CodeField, codeProblem, PasswordField, passwordProblem, refusedCode, toFieldError, TotpEnrolmentSteps, useChangePassword, useLockout, useSecretSubmit, useTotpEnrolment } from '../components/AuthForms';
import { IconLock } from '../components/icons';
import { mapApiError, useForm, type FieldErrors, type Form } from '../kit';
import { useApi } from '../lib/api';
import { authErrorMessage, demoRolesText, normaliseCode, passwordIssueMessage, type AuthStatus } from '../lib/auth';
import { setLang, useT } from '../lib/i18n';
import { PASSWORD_MAX_LENGTH, USERNAME_RE } from '../../../shared/domain/access';

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
  const min = status.passwordMinLength;
  const [attempt, setAttempt] = useState(0);
  const f = useForm(
    { username: '', displayName: '', password: '', repeat: '' },
    {
      validate: (v) => {
        const username = v.username.trim().toLowerCase();
        return {
          ...(!username ? { username: { key: 'validation.required' as const } } : USERNAME_RE.test(username) ? {} : { username: { key: 'validation.username_format' as const } }),
          ...(v.displayName.trim() ? {} : { displayName: { key: 'validation.required' as const } }),
          ...(!v.password ? { password: { key: 'validation.required' as const } } : v.password.length < min ? { password: passwordIssueMessage('too_short', min, PASSWORD_MAX_LENGTH) } : {}),
          ...(v.password && v.repeat !== v.password ? { repeat: { key: 'password.error.mismatch' as const } } : {}),
        };
      },
      mapError: (e) => mapApiError(e, (p) => ['username', 'displayName', 'password'].includes(p), { issue: (i, field) => (field === 'password' ? passwordIssueMessage(i.code, min, PASSWORD_MAX_LENGTH) : undefined) }),
    },
  );

  const submit = async () => {
    setAttempt((n) => n + 1);
    const r = await f.submit(() => api.tryCall('auth.setup', { username: f.v.username.trim().toLowerCase(), displayName: f.v.displayName.trim(), password: f.v.password }), {
      onError: async (e) => {
        if (e.code === 'validation') return false;
        f.setServerErrors({}, [toFieldError(authErrorMessage(e, 'setup') ?? { key: 'error.internal' }, t)]);
        if (e.code === 'forbidden') {
          const s = await api.tryCall('auth.status', {});
          if (s.ok) window.setTimeout(() => onStatus(s.data), 2500);
        }
        return true;
      },
    });
    if (r) onStatus(r);
  };

  return (
    <AuthFrame title={t('auth.setup.title')} intro={t('auth.setup.intro')} testId="setup-screen" aside={<JoinServerPanel />}>
      <AuthForm form={f} label={t('auth.setup.title')} onSubmit={() => void submit()}>
        <AuthBanner form={f} attempt={attempt} />
        <TextInput
          label={t('auth.username')}
          description={t('auth.usernameHint')}
          value={f.v.username}
          onChange={(e) => f.set('username', e.currentTarget.value)}
          {...f.field('username')}
          autoFocus
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={64}
        />
        <TextInput label={t('auth.displayName')} description={t('auth.displayNameHint')} value={f.v.displayName} onChange={(e) => f.set('displayName', e.currentTarget.value)} {...f.field('displayName')} autoComplete="name" required maxLength={120} />
        <PasswordField label={t('auth.password')} value={f.v.password} onChange={(x) => f.set('password', x)} {...f.field('password')} hint={t('password.hint', { min })} autoComplete="new-password" />
        <PasswordField label={t('auth.passwordRepeat')} value={f.v.repeat} onChange={(x) => f.set('repeat', x)} {...f.field('repeat')} autoComplete="new-password" />
        <Group mt={4}>
          <Button type="submit" loading={f.saving}>
            {t('auth.setup.submit')}
          </Button>
        </Group>
      </AuthForm>
    </AuthFrame>
  );
}

/**
 * The other way to start: this workstation becomes a cache of the municipality's central server (sync.join).
 * The server must answer; the app then starts again joined, on the sign-in screen, where the clerk signs in
 * against the server.
 */
function JoinServerPanel() {
  const { t } = useT();
  const api = useApi();
  const [attempt, setAttempt] = useState(0);
  const [joined, setJoined] = useState<string | null>(null);
  const f = useForm(
    { server: '' },
    {
      validate: (v): FieldErrors => (v.server.trim() ? {} : { server: { key: 'validation.required' } }),
      mapError: (e) =>
        mapApiError(e, (p) => p === 'server', {
          top: { offline: 'auth.join.unreachable', forbidden: 'auth.join.forbidden', unavailable: 'auth.join.unavailable' },
          issue: () => ({ key: 'auth.join.notServer' }),
        }),
    },
  );
  const submit = async () => {
    setAttempt((n) => n + 1);
    const r = await f.submit(() => api.tryCall('sync.join', { server: f.v.server.trim() }));
    if (!r) return;
    setJoined(r.server);
    // The core starts again on the new cache; the first call after it answers from there.
    await api.tryCall('auth.status', {});
    window.location.reload();
  };
  return (
    <aside className="k-auth-card k-auth-join" aria-labelledby="join-title" data-testid="join-server">
      <h2 id="join-title" className="k-section-title">
        {t('auth.join.title')}
      </h2>
      <Text size="sm" mb={8}>
        {t('auth.join.intro')}
      </Text>
      {joined ? (
        <Text size="sm" role="status" data-testid="join-done">
          {t('auth.join.done', { server: joined })}
        </Text>
      ) : (
        <AuthForm form={f} label={t('auth.join.title')} onSubmit={() => void submit()} testId="join-form">
          <AuthBanner form={f} attempt={attempt} />
          <TextInput
            label={t('auth.join.server')}
            description={t('auth.join.serverHint')}
            value={f.v.server}
            onChange={(e) => f.set('server', e.currentTarget.value)}
            {...f.field('server')}
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            required
            maxLength={300}
          />
          <Group mt={4}>
            <Button type="submit" variant="outline" loading={f.saving}>
              {t('auth.join.submit')}
            </Button>
          </Group>
        </AuthForm>
      )}
    </aside>
  );
}

/** An auth screen's form: Enter submits, the kit's blur rule, no leave guard. */
function AuthForm({ form, label, onSubmit, children, testId }: { form: Pick<Form<object>, 'onBlurCapture'>; label: string; onSubmit: () => void; children: ReactNode; testId?: string }) {
  return (
    <form
      noValidate
      aria-label={label}
      data-testid={testId}
      onBlurCapture={form.onBlurCapture}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap="sm">{children}</Stack>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Sign-in
// ---------------------------------------------------------------------------------------------

export function SignInScreen({ status, onStatus }: { status: AuthStatus; onStatus: OnStatus }) {
  const { t } = useT();
  const api = useApi();
  const [attempt, setAttempt] = useState(0);
  const f = useForm(
    { username: '', password: '' },
    {
      validate: (v) => ({
        ...(v.username.trim() ? {} : { username: { key: 'validation.required' as const } }),
        ...(v.password ? {} : { password: { key: 'validation.required' as const } }),
      }),
    },
  );
  const lockout = useLockout();
  const passwordRef = useRef<HTMLInputElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const { start } = lockout;
  useEffect(() => {
    if (status.retryAfterSeconds) start(status.retryAfterSeconds);
  }, [status.retryAfterSeconds, start]);

  const submit = async () => {
    setAttempt((n) => n + 1);
    const r = await f.submit(() => api.tryCall('auth.signIn', { username: f.v.username.trim(), password: f.v.password }), {
      onError: (e) => {
        if (e.code === 'locked_out') lockout.start(e.retryAfterSeconds ?? 60);
        // A wrong password is retyped, the user name usually not. Never which of the two was wrong.
        f.reset({ username: f.v.username, password: '' });
        f.setServerErrors({}, [toFieldError(authErrorMessage(e, 'signIn') ?? { key: 'auth.error.auth_failed' }, t)]);
        window.setTimeout(() => passwordRef.current?.focus(), 0);
        return true;
      },
    });
    if (r) onStatus(r);
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
                    f.reset({ username: a.username, password: demoPassword });
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
      <AuthForm form={f} label={t('auth.signIn.title')} onSubmit={() => void submit()}>
        <AuthBanner form={f} lockout={lockout.lockoutMsg} attempt={attempt} />
        <TextInput
          label={t('auth.username')}
          value={f.v.username}
          onChange={(e) => f.set('username', e.currentTarget.value)}
          {...f.field('username')}
          autoFocus
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={64}
          data-testid="username"
        />
        <PasswordField inputRef={passwordRef} label={t('auth.password')} value={f.v.password} onChange={(x) => f.set('password', x)} {...f.field('password')} autoComplete="current-password" testId="password" />
        <Group mt={4}>
          <Button ref={submitRef} type="submit" loading={f.saving} disabled={lockout.seconds !== null} data-testid="sign-in">
            {t('auth.signIn.submit')}
          </Button>
        </Group>
      </AuthForm>
    </AuthFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Second factor
// ---------------------------------------------------------------------------------------------

export function TotpScreen({ onStatus, onSignOut }: { onStatus: OnStatus; onSignOut: () => void }) {
  const { t } = useT();
  const api = useApi();
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
      <AuthForm form={form.form} label={t('auth.totp.title')} onSubmit={() => void form.submit()}>
        <AuthBanner form={form.form} lockout={form.lockoutMsg} attempt={form.attempt} />
        <CodeField inputRef={form.ref} value={form.value} onChange={form.setValue} error={form.form.err('secret')} autoFocus />
        <Group gap="sm" mt={4}>
          <Button type="submit" loading={form.busy} disabled={form.blocked} data-testid="verify-code">
            {t('auth.totp.submit')}
          </Button>
          <Button variant="subtle" onClick={onSignOut}>
            {t('auth.totp.other')}
          </Button>
        </Group>
      </AuthForm>
    </AuthFrame>
  );
}

// ---------------------------------------------------------------------------------------------
// Required steps after sign-in
// ---------------------------------------------------------------------------------------------

export function EnrolTotpScreen({ onStatus, onSignOut }: { onStatus: OnStatus; onSignOut: () => void }) {
  const { t } = useT();
  const enrolment = useTotpEnrolment(onStatus);
  const { form } = enrolment;
  return (
    <AuthFrame title={t('auth.enrol.title')} intro={t('auth.enrol.required')} testId="enrol-screen">
      <AuthForm form={form.form} label={t('auth.enrol.title')} onSubmit={() => void form.submit()}>
        <AuthBanner form={form.form} lockout={form.lockoutMsg} attempt={form.attempt} />
        <TotpEnrolmentSteps enrolment={enrolment} />
        <Group gap="sm">
          <Button type="submit" loading={form.busy} disabled={form.blocked || !enrolment.secret}>
            {t('auth.enrol.submit')}
          </Button>
          <Button variant="default" onClick={onSignOut}>
            {t('auth.signOut')}
          </Button>
        </Group>
      </AuthForm>
    </AuthFrame>
  );
}

export function ChangePasswordScreen({ status, onStatus, onSignOut }: { status: AuthStatus; onStatus: OnStatus; onSignOut: () => void }) {
  const { t } = useT();
  const { f, submit, attempt, lockout } = useChangePassword(status.passwordMinLength, onStatus);
  return (
    <AuthFrame title={t('auth.changePassword.title')} intro={t('auth.changePassword.required')} testId="change-password-screen">
      <AuthForm form={f} label={t('auth.changePassword.title')} onSubmit={() => void submit()}>
        <AuthBanner form={f} lockout={lockout.lockoutMsg} attempt={attempt} />
        <ChangePasswordFields f={f} minLength={status.passwordMinLength} />
        <Group gap="sm" mt={4}>
          <Button type="submit" loading={f.saving} disabled={lockout.seconds !== null}>
            {t('auth.changePassword.submit')}
          </Button>
        </Group>
      </AuthForm>
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
      <AuthForm form={form.form} label={t('lock.title')} onSubmit={() => void form.submit()}>
        <AuthBanner form={form.form} lockout={form.lockoutMsg} attempt={form.attempt} />
        {/* The user name for password managers, not shown. */}
        <input type="text" autoComplete="username" value={user?.username ?? ''} readOnly hidden />
        <PasswordField inputRef={form.ref} label={t('auth.password')} value={form.value} onChange={form.setValue} {...form.form.field('secret')} autoFocus autoComplete="current-password" testId="unlock-password" />
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
      </AuthForm>
    </AuthFrame>
  );
}
