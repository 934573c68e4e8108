/**
 * Pieces the sign-in screens and the account dialogs share, on the form kit (useForm: errors speak on
 * leaving a changed field, the banner only after an attempt, the core's refusal on the field it concerns):
 * the password field with the policy hint, the banner of an auth screen, the secret forms (unlock, code,
 * turning two-step off), the change-password fields and the two-step enrolment (QR code, key, code field).
 */
import { TextInput, PasswordInput, Stack, Text } from '@mantine/core';
import QRCode from 'qrcode';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { PASSWORD_MAX_LENGTH } from '../../../shared/domain/access';
import type { ApiError, CallResult } from '../../../shared/api/transport';
import { FormBanner, mapApiError, useForm, type FieldError, type FieldErrors, type Form } from '../kit';
import { useApi } from '../lib/api';
import { authErrorMessage, groupSecret, isCode, lockedOutMsg, normaliseCode, passwordIssueMessage, translateMsg, type AuthStatus, type Msg } from '../lib/auth';
import { useT, type TKey, type TVars } from '../lib/i18n';
import { Loading } from './common';

/** Translates a Msg (nested placeholders included). */
export function useMsg(): (m: Msg | null | undefined) => string | undefined {
  const { t } = useT();
  return (m) => (m ? translateMsg(m, t) : undefined);
}

/** A Msg as the kit's field error: nested placeholders ("in {{wait}}") are translated now. */
export function toFieldError(m: Msg, t: (key: TKey, vars?: TVars) => string): FieldError {
  if (!m.nested) return { key: m.key, vars: m.vars };
  const vars: TVars = { ...m.vars };
  for (const [k, sub] of Object.entries(m.nested)) vars[k] = translateMsg(sub, t);
  return { key: m.key, vars };
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

/**
 * The banner of an auth screen: the kit's banner without a title line (test id "auth-error"), shown
 * after an attempt or while a lock-out counts down; `attempt` remounts it so a repeated error is
 * announced again.
 */
export function AuthBanner({ form, lockout, attempt }: { form: Pick<Form<object>, 'submitted' | 'errors' | 'top'>; lockout?: Msg | null; attempt: number }) {
  const { t } = useT();
  const top = lockout ? [toFieldError(lockout, t)] : form.top;
  // Nothing to say: nothing rendered (an empty box would still take a gap in the form's stack).
  if (!top.length && !(form.submitted && Object.keys(form.errors).length)) return null;
  return (
    <div key={attempt}>
      <FormBanner submitted={form.submitted || top.length > 0} errors={form.errors} top={top} testId="auth-error" title={null} />
    </div>
  );
}

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
  const { t } = useT();
  const api = useApi();
  const form = useForm(
    { secret: '' },
    {
      validate: (x): FieldErrors => {
        const p = opts.validate(x.secret);
        return p ? { secret: toFieldError(p, t) } : {};
      },
    },
  );
  const [attempt, setAttempt] = useState(0);
  const lockout = useLockout();
  const ref = useRef<HTMLInputElement>(null);

  const submit = async () => {
    setAttempt((n) => n + 1);
    const r = await form.submit(() => opts.call(form.v.secret), {
      onError: async (e) => {
        if (opts.followSession && e.code === 'unauthenticated') {
          const s = await api.tryCall('auth.status', {});
          if (s.ok) {
            opts.onDone(s.data);
            return true;
          }
        }
        if (e.code === 'locked_out') lockout.start(e.retryAfterSeconds ?? 60);
        // The refused secret is typed again from empty: the form starts over, with the core's answer.
        form.reset({ secret: '' });
        const onField = opts.refused(e);
        if (onField) form.setServerErrors({ secret: toFieldError(onField, t) });
        else form.setServerErrors({}, [toFieldError(authErrorMessage(e, opts.context) ?? { key: 'error.internal' }, t)]);
        window.setTimeout(() => ref.current?.focus(), 0);
        return true;
      },
    });
    if (r) opts.onDone(r);
  };
  return { form, value: form.v.secret, setValue: (x: string) => form.set('secret', x), lockoutMsg: lockout.lockoutMsg, attempt, busy: form.saving, blocked: lockout.seconds !== null, ref, submit };
}

/** How a refused 6-digit code is said on its field. */
export const refusedCode = (e: ApiError): Msg | null =>
  e.code === 'validation' ? { key: 'validation.totp_format' } : e.code === 'auth_failed' ? { key: 'auth.error.code' } : null;
export const codeProblem = (v: string): Msg | null => (isCode(v) ? null : { key: 'validation.totp_format' });
export const passwordProblem = (v: string): Msg | null => (v ? null : { key: 'validation.required' });

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
  /** The field's name in its form (the kit's blur rule reads it). */
  name?: string;
}) {
  return (
    <PasswordInput
      id={props.id}
      ref={props.inputRef}
      name={props.name}
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
// Change password (the required step after sign-in, and the account menu's dialog)
// ---------------------------------------------------------------------------------------------

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

/** The change-password form's state and its submit: the policy per field, a wrong current password on that field. */
export function useChangePassword(minLength: number, onDone: (s: AuthStatus) => void) {
  const { t } = useT();
  const api = useApi();
  const lockout = useLockout();
  const [attempt, setAttempt] = useState(0);
  const f = useForm<PasswordChange>(
    { currentPassword: '', newPassword: '', repeat: '' },
    {
      validate: (v) => ({
        ...(v.currentPassword ? {} : { currentPassword: { key: 'validation.required' } }),
        ...(!v.newPassword ? { newPassword: { key: 'validation.required' } } : v.newPassword.length < minLength ? { newPassword: passwordIssueMessage('too_short', minLength, PASSWORD_MAX_LENGTH) } : {}),
        ...(v.newPassword && v.repeat !== v.newPassword ? { repeat: { key: 'password.error.mismatch' } } : {}),
      }),
      mapError: (e) =>
        mapApiError(e, (p) => p === 'currentPassword' || p === 'newPassword', {
          issue: (i, field) => (field === 'newPassword' || field === 'currentPassword' ? passwordIssueMessage(i.code, minLength, PASSWORD_MAX_LENGTH) : undefined),
        }),
    },
  );
  const submit = async () => {
    setAttempt((n) => n + 1);
    const r = await f.submit(() => api.tryCall('auth.changePassword', { currentPassword: f.v.currentPassword, newPassword: f.v.newPassword }), {
      onError: (e) => {
        if (e.code === 'auth_failed') {
          f.setServerErrors({ currentPassword: { key: 'auth.error.currentPassword' } });
          // The wrong password is typed again: selected, so the next keys replace it.
          window.setTimeout(() => {
            const el = document.querySelector<HTMLInputElement>('input[name="currentPassword"]');
            el?.focus();
            el?.select();
          }, 0);
          return true;
        }
        if (e.code === 'locked_out') {
          lockout.start(e.retryAfterSeconds ?? 60);
          f.setServerErrors({}, [toFieldError(lockedOutMsg(e.retryAfterSeconds ?? 60), t)]);
          return true;
        }
        if (e.code === 'validation') return false;
        f.setServerErrors({}, [toFieldError(authErrorMessage(e, 'changePassword') ?? { key: 'error.internal' }, t)]);
        return true;
      },
    });
    if (r) onDone(r);
  };
  return { f, submit, attempt, lockout };
}

export function ChangePasswordFields({ f, minLength, autoFocus = true }: { f: Form<PasswordChange>; minLength: number; autoFocus?: boolean }) {
  const { t } = useT();
  return (
    <Stack gap="sm" data-testid="change-password-form">
      <PasswordField id="cp-current" label={t('auth.changePassword.current')} value={f.v.currentPassword} onChange={(x) => f.set('currentPassword', x)} {...f.field('currentPassword')} autoFocus={autoFocus} autoComplete="current-password" />
      <PasswordField
        id="cp-new"
        label={t('auth.changePassword.new')}
        value={f.v.newPassword}
        onChange={(x) => f.set('newPassword', x)}
        {...f.field('newPassword')}
        hint={t('password.hint', { min: minLength })}
        autoComplete="new-password"
        testId="new-password"
      />
      <PasswordField id="cp-repeat" label={t('auth.changePassword.repeat')} value={f.v.repeat} onChange={(x) => f.set('repeat', x)} {...f.field('repeat')} autoComplete="new-password" />
    </Stack>
  );
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

/** The enrolment's state: the new secret (with its QR code) from the core, and the code form. */
export function useTotpEnrolment(onDone: (s: AuthStatus) => void, autoFocus = true) {
  const api = useApi();
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
  return { secret, loadError, form };
}

/** The three steps: scan the QR code, or type the key; then the code the app shows. */
export function TotpEnrolmentSteps({ enrolment }: { enrolment: ReturnType<typeof useTotpEnrolment> }) {
  const { t } = useT();
  const { secret, loadError, form } = enrolment;
  if (loadError) return <AuthBanner form={{ submitted: true, errors: {}, top: [] }} lockout={authErrorMessage(loadError, 'code') ?? { key: 'error.internal' }} attempt={0} />;
  if (!secret) return <Loading label={t('auth.enrol.loading')} />;
  return (
    <ol className="k-steps" data-testid="totp-enrolment">
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
        <CodeField inputRef={form.ref} value={form.value} onChange={form.setValue} error={form.form.err('secret')} />
      </li>
    </ol>
  );
}

export function CodeField({ value, onChange, error, inputRef, autoFocus }: { value: string; onChange: (v: string) => void; error?: ReactNode; inputRef?: React.Ref<HTMLInputElement>; autoFocus?: boolean }) {
  const { t } = useT();
  return (
    <TextInput
      ref={inputRef}
      name="secret"
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
      data-autofocus={autoFocus ? true : undefined}
      w={200}
      classNames={{ input: 'k-code-input' }}
      data-testid="totp-code"
    />
  );
}
