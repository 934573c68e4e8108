/**
 * Pieces the sign-in screens and the account dialogs share: the password field with the policy hint,
 * the error banner, the change-password form and the two-step enrolment (QR code, key, code field).
 */
import { Alert, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import QRCode from 'qrcode';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { PASSWORD_MAX_LENGTH } from '../../../shared/domain/access';
import type { ApiError, CallResult } from '../../../shared/api/transport';
import { useApi } from '../lib/api';
import { authErrorMessage, groupSecret, isCode, issuesByField, lockedOutMsg, normaliseCode, passwordIssueMessage, translateMsg, type AuthStatus, type Msg } from '../lib/auth';
import { useT } from '../lib/i18n';
import { Loading } from './common';

/** Translates a Msg (nested placeholders included). */
export function useMsg(): (m: Msg | null | undefined) => string | undefined {
  const { t } = useT();
  return (m) => (m ? translateMsg(m, t) : undefined);
}

/**
 * Seconds left of a lock-out, counting down once a second; null when none. The banner then says
 * "try again in 4 minutes" and updates itself.
 */
export function useLockout(): { seconds: number | null; start: (s: number) => void; lockoutMsg: Msg | null } {
  const [until, setUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const id = window.setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= until) setUntil(null);
    }, 1000);
    return () => window.clearInterval(id);
  }, [until]);
  const seconds = until === null ? null : Math.max(0, Math.ceil((until - now) / 1000));
  const start = useCallback((s: number) => {
    setNow(Date.now());
    setUntil(Date.now() + s * 1000);
  }, []);
  return {
    seconds,
    start,
    lockoutMsg: seconds ? lockedOutMsg(seconds) : null,
  };
}

/** The error banner over an auth form; `attempt` remounts it so a repeated error is announced again. */
/**
 * One secret field (a password or a 6-digit code) sent to one auth method: the lock screen, the second
 * factor, TOTP enrolment and turning two-factor off share this submit cycle. A refused secret is said on
 * the field and cleared; a lockout counts down; anything else becomes the banner.
 */
export function useSecretSubmit(opts: {
  /** A client-side problem with the value, or null. */
  validate: (value: string) => Msg | null;
  call: (value: string) => Promise<CallResult<AuthStatus>>;
  onDone: (s: AuthStatus) => void;
  /** The field message for a refused secret (`auth_failed`, and `validation` for codes). */
  refused: (e: ApiError) => Msg | null;
  context: Parameters<typeof authErrorMessage>[1];
  /** The session ended meanwhile (signed out elsewhere): pass the fresh status on instead of an error. */
  followSession?: boolean;
}) {
  const api = useApi();
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<Msg | null>(null);
  const [banner, setBanner] = useState<Msg | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const lockout = useLockout();
  const ref = useRef<HTMLInputElement>(null);

  const submit = async () => {
    if (busy) return;
    setAttempt((n) => n + 1);
    setBanner(null);
    const problem = opts.validate(value);
    setFieldError(problem);
    if (problem) return ref.current?.focus();
    setBusy(true);
    const r = await opts.call(value);
    setBusy(false);
    if (r.ok) return opts.onDone(r.data);
    setValue('');
    if (opts.followSession && r.error.code === 'unauthenticated') {
      const s = await api.tryCall('auth.status', {});
      if (s.ok) return opts.onDone(s.data);
    }
    if (r.error.code === 'locked_out') lockout.start(r.error.retryAfterSeconds ?? 60);
    const onField = opts.refused(r.error);
    if (onField) setFieldError(onField);
    else setBanner(authErrorMessage(r.error, opts.context));
    ref.current?.focus();
  };
  return { value, setValue, fieldError, banner: lockout.lockoutMsg ?? banner, attempt, busy, blocked: lockout.seconds !== null, ref, submit };
}

/** How a refused 6-digit code is said on its field. */
export const refusedCode = (e: ApiError): Msg | null =>
  e.code === 'validation' ? { key: 'validation.totp_format' } : e.code === 'auth_failed' ? { key: 'auth.error.code' } : null;
export const codeProblem = (v: string): Msg | null => (isCode(v) ? null : { key: 'validation.totp_format' });
export const passwordProblem = (v: string): Msg | null => (v ? null : { key: 'validation.required' });

export function AuthError({ message, attempt, testId = 'auth-error' }: { message: string | undefined; attempt: number; testId?: string }) {
  if (!message) return null;
  return (
    <Alert key={attempt} color="red" variant="light" role="alert" data-testid={testId} styles={{ message: { color: '#3b0d0d' } }} py={8}>
      {message}
    </Alert>
  );
}

export function PasswordField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: ReactNode;
  hint?: ReactNode;
  autoFocus?: boolean;
  autoComplete: 'current-password' | 'new-password';
  testId?: string;
  inputRef?: React.Ref<HTMLInputElement>;
  id?: string;
}) {
  return (
    <PasswordInput
      id={props.id}
      ref={props.inputRef}
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      error={props.error}
      // PasswordInput marks its inner input only with data-invalid; screen readers need aria-invalid.
      aria-invalid={props.error ? true : undefined}
      description={props.hint}
      autoFocus={props.autoFocus}
      // Inside a dialog, Mantine's focus trap puts focus on the element marked data-autofocus.
      data-autofocus={props.autoFocus ? true : undefined}
      autoComplete={props.autoComplete}
      maxLength={PASSWORD_MAX_LENGTH}
      required
      data-testid={props.testId}
      spellCheck={false}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// Change password
// ---------------------------------------------------------------------------------------------

export function ChangePasswordForm({ minLength, onDone, onCancel, autoFocus = true }: { minLength: number; onDone: (s: AuthStatus) => void; onCancel?: () => void; autoFocus?: boolean }) {
  const { t } = useT();
  const api = useApi();
  const msg = useMsg();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, Msg>>({});
  const [banner, setBanner] = useState<Msg | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const lockout = useLockout();
  const { formRef, request: focusFirstInvalid } = useFocusInvalid();

  const submit = async () => {
    if (busy) return;
    const e: Record<string, Msg> = {};
    if (!current) e.currentPassword = { key: 'validation.required' };
    if (!next) e.newPassword = { key: 'validation.required' };
    else if (next.length < minLength) e.newPassword = passwordIssueMessage('too_short', minLength, PASSWORD_MAX_LENGTH);
    if (next && repeat !== next) e.repeat = { key: 'password.error.mismatch' };
    setErrors(e);
    setBanner(null);
    setAttempt((n) => n + 1);
    if (Object.keys(e).length) return focusFirstInvalid();
    setBusy(true);
    const r = await api.tryCall('auth.changePassword', { currentPassword: current, newPassword: next });
    setBusy(false);
    if (r.ok) return onDone(r.data);
    handle(r.error);
  };
  const handle = (err: ApiError) => {
    if (err.code === 'validation') {
      const by = issuesByField(err, ['currentPassword', 'newPassword'], (f, code) => passwordIssueMessage(code, minLength, PASSWORD_MAX_LENGTH));
      setErrors(by.fields);
      if (by.other.length) setBanner(by.other[0]!);
      return focusFirstInvalid();
    }
    if (err.code === 'auth_failed') {
      setErrors({ currentPassword: { key: 'auth.error.currentPassword' } });
      setCurrent('');
      return focusFirstInvalid();
    }
    if (err.code === 'locked_out') lockout.start(err.retryAfterSeconds ?? 60);
    setBanner(authErrorMessage(err, 'changePassword'));
  };

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="change-password-form"
    >
      <Stack gap="sm">
        <AuthError message={msg(lockout.lockoutMsg ?? banner)} attempt={attempt} />
        <PasswordField id="cp-current" label={t('auth.changePassword.current')} value={current} onChange={setCurrent} error={msg(errors.currentPassword)} autoFocus={autoFocus} autoComplete="current-password" />
        <PasswordField
          id="cp-new"
          label={t('auth.changePassword.new')}
          value={next}
          onChange={setNext}
          error={msg(errors.newPassword)}
          hint={t('password.hint', { min: minLength })}
          autoComplete="new-password"
          testId="new-password"
        />
        <PasswordField id="cp-repeat" label={t('auth.changePassword.repeat')} value={repeat} onChange={setRepeat} error={msg(errors.repeat)} autoComplete="new-password" />
        <Group gap="sm" mt={4}>
          <Button type="submit" loading={busy} disabled={lockout.seconds !== null}>
            {t('auth.changePassword.submit')}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Focus moves to the first field with an error once the errors are on screen: `request()` in the same
 * update as the errors, and the effect runs after that render is committed (a timer could run before).
 */
export function useFocusInvalid(): { formRef: React.RefObject<HTMLFormElement | null>; request: () => void } {
  const formRef = useRef<HTMLFormElement>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (tick) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [tick]);
  return { formRef, request: useCallback(() => setTick((n) => n + 1), []) };
}

// ---------------------------------------------------------------------------------------------
// Two-step verification: enrolment
// ---------------------------------------------------------------------------------------------

/**
 * An SVG QR code as a data: URL (the CSP allows images from data:, and nothing inline runs), with a
 * display size of whole pixels per module so the code stays crisp for phone cameras.
 */
async function qrImage(text: string): Promise<{ url: string; size: number }> {
  const margin = 2;
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size + 2 * margin;
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin, color: { dark: '#000000', light: '#ffffff' } });
  return { url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, size: modules * Math.max(4, Math.floor(200 / modules)) };
}

export function TotpEnrolment({ onDone, onCancel, cancelLabel, autoFocus = true }: { onDone: (s: AuthStatus) => void; onCancel?: () => void; cancelLabel?: string; autoFocus?: boolean }) {
  const { t } = useT();
  const api = useApi();
  const msg = useMsg();
  const [secret, setSecret] = useState<{ secret: string; qr: { url: string; size: number } } | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const form = useSecretSubmit({
    validate: codeProblem,
    call: (code) => api.tryCall('auth.totpConfirm', { code: normaliseCode(code) }),
    onDone,
    refused: refusedCode,
    context: 'code',
  });

  useEffect(() => {
    let live = true;
    api.tryCall('auth.totpBegin', {}).then(async (r) => {
      if (!live) return;
      if (!r.ok) return setLoadError(r.error);
      const qr = await qrImage(r.data.uri);
      if (live) setSecret({ secret: r.data.secret, qr });
    });
    return () => {
      live = false;
    };
  }, [api]);
  useEffect(() => {
    if (secret && autoFocus) form.ref.current?.focus();
  }, [secret, autoFocus, form.ref]);

  if (loadError) return <AuthError message={msg(authErrorMessage(loadError, 'code'))} attempt={0} />;
  if (!secret) return <Loading label={t('auth.enrol.loading')} />;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit();
      }}
      data-testid="totp-enrolment"
    >
      <Stack gap="sm">
        <AuthError message={msg(form.banner)} attempt={form.attempt} />
        <ol className="k-steps">
          <li>
            <Text size="sm">{t('auth.enrol.step1')}</Text>
            <img className="k-qr" src={secret.qr.url} width={secret.qr.size} height={secret.qr.size} alt={t('auth.enrol.qrAlt')} data-testid="totp-qr" />
          </li>
          <li>
            <Text size="sm">{t('auth.enrol.step2')}</Text>
            <div className="k-secret">
              <span className="k-secret-label">{t('auth.enrol.secret')}</span>
              <code data-testid="totp-secret" data-secret={secret.secret}>
                {groupSecret(secret.secret)}
              </code>
            </div>
          </li>
          <li>
            <Text size="sm" mb={6}>
              {t('auth.enrol.step3')}
            </Text>
            <CodeField inputRef={form.ref} value={form.value} onChange={form.setValue} error={msg(form.fieldError)} />
          </li>
        </ol>
        <Group gap="sm">
          <Button type="submit" loading={form.busy} disabled={form.blocked}>
            {t('auth.enrol.submit')}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {cancelLabel ?? t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

export function CodeField({ value, onChange, error, inputRef, autoFocus }: { value: string; onChange: (v: string) => void; error?: ReactNode; inputRef?: React.Ref<HTMLInputElement>; autoFocus?: boolean }) {
  const { t } = useT();
  return (
    <TextInput
      ref={inputRef}
      label={t('auth.totp.code')}
      description={t('auth.totp.codeHint')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.replace(/[^\d\s-]/g, ''))}
      error={error}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={7}
      required
      autoFocus={autoFocus}
      w={200}
      classNames={{ input: 'k-code-input' }}
      data-testid="totp-code"
    />
  );
}

// ---------------------------------------------------------------------------------------------
// Turn two-factor sign-in off (own account, roles that do not require it)
// ---------------------------------------------------------------------------------------------

export function TotpDisableForm({ onDone, onCancel }: { onDone: (s: AuthStatus) => void; onCancel: () => void }) {
  const { t } = useT();
  const api = useApi();
  const msg = useMsg();
  const form = useSecretSubmit({
    validate: passwordProblem,
    call: (password) => api.tryCall('auth.totpDisable', { password }),
    onDone,
    refused: (e) => (e.code === 'auth_failed' ? { key: 'auth.error.currentPassword' } : null),
    context: 'changePassword',
  });

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit();
      }}
      data-testid="totp-disable-form"
    >
      <Stack gap="sm">
        <Text size="sm">{t('auth.totpDisable.text')}</Text>
        <AuthError message={msg(form.banner)} attempt={form.attempt} />
        <PasswordField
          id="td-password"
          inputRef={form.ref}
          label={t('auth.changePassword.current')}
          value={form.value}
          onChange={form.setValue}
          error={msg(form.fieldError)}
          autoFocus
          autoComplete="current-password"
        />
        <Group gap="sm" mt={4}>
          <Button type="submit" color="red.9" loading={form.busy} disabled={form.blocked} data-testid="totp-disable-submit">
            {t('auth.totpDisable.submit')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
