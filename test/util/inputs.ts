/** Inputs shared by the tests that walk every contract method. */
import type { MethodName } from '../../shared/api/contract';

export const UUID = '00000000-0000-4000-8000-000000000000';

/** A schema-valid input for every method, so a refusal can only come from the permission check. */
export const VALID_INPUT: Record<MethodName, unknown> = {
  'session.info': {},
  'search.query': { q: 'anna' },
  'person.list': {},
  'person.get': { id: UUID },
  'person.checkIdentity': { identityNumber: '191212121212' },
  'person.create': { givenName: 'A', familyName: 'B', birthDate: '2015-01-01' },
  'person.update': { id: UUID, version: 1, person: { givenName: 'A', familyName: 'B', birthDate: '2015-01-01' } },
  'org.tree': {},
  'unit.get': { id: UUID },
  'unit.create': { parentId: UUID, name: 'X', schoolForms: ['GR'] },
  'unit.update': { id: UUID, version: 1, unit: { parentId: UUID, name: 'X', schoolForms: ['GR'] } },
  'group.get': { id: UUID },
  'auth.status': {},
  'auth.setup': { username: 'first.admin', displayName: 'First Admin', password: 'a long enough passphrase' },
  'auth.signIn': { username: 'nobody', password: 'wrong password here' },
  'auth.verifyTotp': { code: '123456' },
  'auth.signOut': {},
  'auth.lock': {},
  'auth.activity': {},
  'auth.unlock': { password: 'wrong password here' },
  'auth.changePassword': { currentPassword: 'wrong password here', newPassword: 'another long passphrase' },
  'auth.totpBegin': {},
  'auth.totpConfirm': { code: '123456' },
  'auth.totpDisable': { password: 'wrong password here' },
  'person.reveal': { id: UUID, reason: 'Checking an address for a court letter' },
  'user.list': {},
  'user.create': { username: 'new.user', displayName: 'New User', password: 'a long enough passphrase', roles: [] },
  'user.update': { id: UUID, version: 1, displayName: 'X', roles: [], disabled: false },
  'user.resetPassword': { id: UUID, password: 'a long enough passphrase' },
  'user.resetTotp': { id: UUID },
  'policy.update': { idleMinutes: 10 },
  'audit.query': {},
  'audit.export': {},
  'audit.verify': {},
};

/**
 * Methods that act only on the caller's own session (or come before sign-in): every signed-in user may
 * call them, so a user without rights is not refused. Kept as an explicit list so a new method with
 * permission `public` or `session` is a conscious decision this test makes visible.
 */
export const OWN_SESSION_METHODS: MethodName[] = [
  'session.info',
  'auth.status',
  'auth.setup',
  'auth.signIn',
  'auth.verifyTotp',
  'auth.signOut',
  'auth.lock',
  'auth.activity',
  'auth.unlock',
  'auth.changePassword',
  'auth.totpBegin',
  'auth.totpConfirm',
  'auth.totpDisable',
];

