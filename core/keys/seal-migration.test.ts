/**
 * The TOTP sealing key's move from `secret.key` (beside the database) into the keystore, through the core
 * itself: an enrolment made under the old file still opens after the move, and on every start after it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import { base32Decode, totpAt } from '../access/totp';
import { createCore, dataPaths, type Connection } from '../app';
import { fixedClock } from '../context';
import { HandedKeyStore, KEY_NAMES } from './keystore';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-seal-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const TODAY = '2026-11-23';
const stateOf = (r: CallResult) => (r.ok ? (r.data as { state: string }).state : `error:${r.error.code}`);

function open(keyStore?: HandedKeyStore) {
  const { dbPath, logDir } = dataPaths(dir);
  return createCore({ dbPath, logDir, clock: fixedClock(TODAY), seed: { country: 'SE', persons: 40, today: TODAY, deterministicIds: true }, jobMode: 'inline', ...(keyStore ? { keyStore } : {}) });
}

/** Signs the administrator in with the password and a TOTP code from `secret`. */
function signInWithTotp(conn: Connection, secret: Buffer, at: number): string {
  expect(stateOf(conn.call('auth.signIn', { username: 'admin', password: DEMO_PASSWORD }))).toBe('totp');
  return stateOf(conn.call('auth.verifyTotp', { code: totpAt(secret, at) }));
}

it('an enrolment sealed under secret.key still opens after the key moved into the keystore', () => {
  // Before the keystore: the key was secret.key beside the database. The enrolment is made under exactly
  // that key (handed to the core here, as the old loadOrCreateKey read it from the file).
  const legacy = randomBytes(32);
  const before = open(new HandedKeyStore({ [KEY_NAMES.totpSeal]: legacy }));
  const conn = before.connect('test');
  expect(stateOf(conn.call('auth.signIn', { username: 'admin', password: DEMO_PASSWORD }))).toBe('enrol_totp');
  const begun = conn.call('auth.totpBegin', {});
  if (!begun.ok) throw new Error(begun.error.message);
  const secret = base32Decode((begun.data as { secret: string }).secret);
  expect(stateOf(conn.call('auth.totpConfirm', { code: totpAt(secret, Date.now()) }))).toBe('signed_in');
  before.close();
  writeFileSync(join(dir, 'secret.key'), legacy, { mode: 0o600 });

  // The first start of this version moves the file into keys/ and removes it.
  const after = open();
  expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  const stored = join(dir, 'keys', `${KEY_NAMES.totpSeal}.key`);
  expect(readFileSync(stored).equals(legacy)).toBe(true);
  expect(statSync(stored).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
  expect(signInWithTotp(after.connect('test'), secret, Date.now() + 30_000)).toBe('signed_in');
  after.close();

  // The next start reads the keystore alone and makes no new secret.key. (A second TOTP sign-in here would
  // need the next 30-second step: the step just used is refused as a replay.)
  const again = open();
  expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  expect(again.ctx.secretKey.equals(legacy)).toBe(true);
  again.close();
});

it('a core with a different sealing key cannot open the enrolment (the test above can fail)', () => {
  const before = open(new HandedKeyStore({ [KEY_NAMES.totpSeal]: randomBytes(32) }));
  const conn = before.connect('test');
  conn.call('auth.signIn', { username: 'admin', password: DEMO_PASSWORD });
  const begun = conn.call('auth.totpBegin', {});
  if (!begun.ok) throw new Error(begun.error.message);
  const secret = base32Decode((begun.data as { secret: string }).secret);
  expect(stateOf(conn.call('auth.totpConfirm', { code: totpAt(secret, Date.now()) }))).toBe('signed_in');
  before.close();
  const other = open();
  expect(signInWithTotp(other.connect('test'), secret, Date.now() + 30_000)).not.toBe('signed_in');
  other.close();
});
