import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/api/client';
import type { CallResult, KansliBridge } from '../../../shared/api/transport';
import {
  authErrorMessage,
  demoRolesText,
  createAuthAwareClient,
  groupSecret,
  isCode,
  issuesByField,
  keepsApp,
  normaliseCode,
  passwordIssueMessage,
  screenFor,
  translateMsg,
  waitText,
  type AuthStatus,
} from './auth';
import { createStore } from './store';

const status = (state: AuthStatus['state']): AuthStatus => ({
  state,
  user: state === 'signed_out' || state === 'setup' ? null : { id: 'u1', name: 'Anna Berg', username: 'anna' },
  demo: false,
  idleMinutes: 10,
  passwordMinLength: 12,
});

describe('session state → screen', () => {
  it('maps every state to its screen', () => {
    expect(screenFor('setup')).toBe('setup');
    expect(screenFor('signed_out')).toBe('signIn');
    expect(screenFor('totp')).toBe('totp');
    expect(screenFor('enrol_totp')).toBe('enrolTotp');
    expect(screenFor('change_password')).toBe('changePassword');
    expect(screenFor('locked')).toBe('lock');
    expect(screenFor('signed_in')).toBe('app');
  });

  it('keeps the app mounted only while signed in or locked', () => {
    expect(keepsApp('signed_in')).toBe(true);
    expect(keepsApp('locked')).toBe(true);
    for (const s of ['setup', 'signed_out', 'totp', 'enrol_totp', 'change_password'] as const) expect(keepsApp(s)).toBe(false);
  });
});

/** A bridge whose answers the test scripts per method (a queue each; the last answer repeats). */
function scripted(answers: Record<string, CallResult[]>): KansliBridge & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async call(method) {
      calls.push(method);
      const q = answers[method] ?? [{ ok: false, error: { code: 'unknown_method', message: method } }];
      return q.length > 1 ? q.shift()! : q[0]!;
    },
  };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('auth-aware client', () => {
  it('shows the lock screen on session_locked and repeats the call after unlock', async () => {
    const bridge = scripted({
      'org.tree': [{ ok: false, error: { code: 'session_locked', message: 'locked' } }, { ok: true, data: { fine: true } }],
    });
    const store = createStore<AuthStatus | null>(status('signed_in'));
    const api = createAuthAwareClient(createClient(bridge), store);
    const pending = api.call('org.tree', {});
    await tick();
    expect(store.get()?.state).toBe('locked');
    expect(store.get()?.user?.username).toBe('anna');
    store.set(status('signed_in'));
    await expect(pending).resolves.toEqual({ fine: true });
    expect(bridge.calls).toEqual(['org.tree', 'org.tree']);
  });

  it('fails the waiting call when the user signs out from the lock screen', async () => {
    const bridge = scripted({ 'org.tree': [{ ok: false, error: { code: 'session_locked', message: 'locked' } }] });
    const store = createStore<AuthStatus | null>(status('signed_in'));
    const api = createAuthAwareClient(createClient(bridge), store);
    const pending = api.tryCall('org.tree', {});
    await tick();
    store.set(status('signed_out'));
    const r = await pending;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('session_locked');
    expect(bridge.calls).toEqual(['org.tree']);
  });

  it('asks for the status on unauthenticated and stores it (back to sign-in)', async () => {
    const bridge = scripted({
      'person.get': [{ ok: false, error: { code: 'unauthenticated', message: 'no' } }],
      'auth.status': [{ ok: true, data: status('signed_out') }],
    });
    const store = createStore<AuthStatus | null>(status('signed_in'));
    const api = createAuthAwareClient(createClient(bridge), store);
    await expect(api.call('person.get', { id: 'x' })).rejects.toMatchObject({ error: { code: 'unauthenticated' } });
    expect(store.get()?.state).toBe('signed_out');
  });

  it('leaves auth.* answers and other errors alone', async () => {
    const bridge = scripted({
      'auth.unlock': [{ ok: false, error: { code: 'auth_failed', message: 'no' } }],
      'person.get': [{ ok: false, error: { code: 'forbidden', message: 'no' } }],
    });
    const store = createStore<AuthStatus | null>(status('locked'));
    const api = createAuthAwareClient(createClient(bridge), store);
    expect((await api.tryCall('auth.unlock', { password: 'x' })).ok).toBe(false);
    expect((await api.tryCall('person.get', { id: 'x' })).ok).toBe(false);
    expect(store.get()?.state).toBe('locked');
    expect(bridge.calls).toEqual(['auth.unlock', 'person.get']);
  });
});

describe('auth messages', () => {
  const t = (key: string, vars?: Record<string, string | number>) => `${key}${vars ? JSON.stringify(vars) : ''}`;

  it('says "wrong user name or password" without saying which', () => {
    expect(authErrorMessage({ code: 'auth_failed', message: 'unknown user' }, 'signIn')).toEqual({ key: 'auth.error.auth_failed' });
    expect(authErrorMessage({ code: 'auth_failed', message: 'bad code' }, 'code')).toEqual({ key: 'auth.error.code' });
    expect(authErrorMessage({ code: 'auth_failed', message: 'x' }, 'unlock')).toEqual({ key: 'auth.error.unlock' });
    expect(authErrorMessage({ code: 'validation', message: 'x' }, 'signIn')).toBeNull();
    expect(authErrorMessage({ code: 'internal', message: 'x' }, 'signIn')).toEqual({ key: 'error.internal' });
  });

  it('tells how long a locked-out account waits, rounded up', () => {
    const m = authErrorMessage({ code: 'locked_out', message: 'x', retryAfterSeconds: 200 }, 'signIn')!;
    expect(translateMsg(m, t as never)).toBe('auth.error.locked_out{"wait":"auth.wait.minutes{\\"count\\":4}"}');
    expect(waitText(30)).toEqual({ key: 'auth.wait.seconds', vars: { count: 30 } });
    expect(waitText(0.2)).toEqual({ key: 'auth.wait.seconds', vars: { count: 1 } });
    expect(waitText(89)).toEqual({ key: 'auth.wait.seconds', vars: { count: 89 } });
    expect(waitText(90)).toEqual({ key: 'auth.wait.minutes', vars: { count: 2 } });
  });

  it('has a message for each password-policy code', () => {
    expect(passwordIssueMessage('too_short', 12, 128)).toEqual({ key: 'password.error.too_short', vars: { min: 12 } });
    expect(passwordIssueMessage('too_long', 12, 128)).toEqual({ key: 'password.error.too_long', vars: { max: 128 } });
    expect(passwordIssueMessage('common', 12, 128).key).toBe('password.error.common');
    expect(passwordIssueMessage('contains_name', 12, 128).key).toBe('password.error.contains_name');
    expect(passwordIssueMessage('repetitive', 12, 128).key).toBe('password.error.repetitive');
    expect(passwordIssueMessage('something_new', 12, 128).key).toBe('validation.invalid');
  });

  it('places validation issues on their fields', () => {
    const by = issuesByField(
      { code: 'validation', message: 'x', issues: [{ field: 'newPassword', code: 'common', message: '' }, { field: 'other', code: 'x', message: '' }] },
      ['currentPassword', 'newPassword'],
      (_f, code) => passwordIssueMessage(code, 12, 128),
    );
    expect(by.fields).toEqual({ newPassword: { key: 'password.error.common' } });
    expect(by.other).toHaveLength(1);
  });
});

describe('demo accounts', () => {
  it('names the roles in the user’s language', () => {
    const t = (k: string) => ({ 'accessRole.clerk': 'Skoladministratör', 'accessRole.protected_handler': 'Behörig för skyddade uppgifter' })[k] ?? k;
    expect(demoRolesText('clerk · Solrosengymnasiet', t as never)).toBe('Skoladministratör · Solrosengymnasiet');
    expect(demoRolesText('clerk, protected_handler', t as never)).toBe('Skoladministratör, Behörig för skyddade uppgifter');
    expect(demoRolesText('clerkish', t as never)).toBe('clerkish');
  });
});

describe('two-step helpers', () => {
  it('groups the key in fours for typing by hand', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('jbswy3dpehpk3px=')).toBe('JBSW Y3DP EHPK 3PX');
    expect(groupSecret('')).toBe('');
  });

  it('accepts a code typed with a space or hyphen', () => {
    expect(normaliseCode('123 456')).toBe('123456');
    expect(isCode('123-456')).toBe(true);
    expect(isCode('12345')).toBe(false);
    expect(isCode('12345a')).toBe(false);
  });
});
